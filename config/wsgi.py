import os

from django.core.wsgi import get_wsgi_application

from config.startup import exit_on_bad_configuration

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
with exit_on_bad_configuration("web"):
    application = get_wsgi_application()
