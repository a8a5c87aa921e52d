"""Benchmark settings: the product's settings unchanged, plus DRF and the bench app.

Only `bench/` imports this; the product never imports anything from `bench/`.
The same gunicorn process serves /graphql/ (the product, exactly as in config.urls)
and the two peers under /bench/plain/ and /bench/drf/.
"""
import os

from config.settings import *  # noqa: F401,F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "rest_framework", "bench.benchapp"]
ROOT_URLCONF = "bench.urls"

# What a DRF user would configure for a token-authenticated JSON API: JSON only
# (no browsable API), our bearer token, no throttling, no pagination class (the
# views slice with ledger.selectors.page like the GraphQL resolvers do).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["bench.benchapp.drf.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "EXCEPTION_HANDLER": "bench.benchapp.drf.exception_handler",
}

# Scratch GraphQL schemas (bench/variants.py) under /bench/gqlvar/<name>/, for the
# experiments only: off in the main benchmark so the served app is the product's.
BENCH_VARIANTS = os.environ.get("BENCH_VARIANTS", "") == "1"
