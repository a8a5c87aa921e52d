from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Timed jobs"

    def ready(self):
        from ledger.signals import slip_stored

        from jobs.tasks import on_slip_stored

        slip_stored.connect(on_slip_stored, dispatch_uid="jobs.read_slip")
