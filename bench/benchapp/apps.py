from django.apps import AppConfig


class BenchAppConfig(AppConfig):
    name = "bench.benchapp"
    label = "benchapp"
    verbose_name = "Benchmark peers (plain view, DRF)"

    def ready(self):
        # Before the URLconf loads the schema (see bench/internals.py).
        from bench.internals import apply_from_environment
        apply_from_environment()
