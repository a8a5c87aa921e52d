"""Test settings: the real settings, plus a throwaway key and a fast password hasher."""
import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
# A developer's .env (DEBUG=1, a real BOT_TOKEN...) must not change what the tests see, here or in the
# servers and commands they start (those inherit this environment).
os.environ["ENV_FILE"] = os.devnull
os.environ.setdefault("VAR_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "test"))

from config.settings import *  # noqa: E402,F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HUEY = {**HUEY, "immediate": True}  # noqa: F405
SECURE_SSL_REDIRECT = False  # the test client speaks plain HTTP
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True  # serve from the apps; no collectstatic before tests
