"""The product's URLs (config.urls, /graphql/ exactly as served) plus the two peers."""
from django.conf import settings
from django.http import JsonResponse
from django.urls import include, path

from bench import internals
from bench.benchapp.urls import drf, plain
from config.urls import urlpatterns as product_urlpatterns


def switched_off(request):
    """What bench/internals.py removed in this server (run.py checks it before timing)."""
    return JsonResponse({"off": internals.switched_off})


urlpatterns = [
    *product_urlpatterns,
    path("bench/plain/", include(plain)),
    path("bench/drf/", include(drf)),
    path("bench/internals/", switched_off),
]

if settings.BENCH_VARIANTS:  # scratch schemas for the experiments (bench/variants.py)
    from bench.variants import variant_urlpatterns
    urlpatterns += variant_urlpatterns()
