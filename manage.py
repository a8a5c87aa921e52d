#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    from config.startup import exit_on_bad_configuration

    with exit_on_bad_configuration("manage.py"):
        # Loaded here, not lazily inside Django: a bad setting would otherwise hide the project's
        # commands from `help` and surface as a traceback from whichever command touched it first.
        settings.INSTALLED_APPS  # noqa: B018
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
