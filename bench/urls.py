"""The product's URLs (config.urls, /graphql/ exactly as served) plus the two peers."""
from django.conf import settings
from django.urls import include, path

from bench.benchapp.urls import drf, plain
from config.urls import urlpatterns as product_urlpatterns

urlpatterns = [
    *product_urlpatterns,
    path("bench/plain/", include(plain)),
    path("bench/drf/", include(drf)),
]

if settings.BENCH_VARIANTS:  # scratch schemas for the experiments (bench/variants.py)
    from bench.variants import variant_urlpatterns
    urlpatterns += variant_urlpatterns()
