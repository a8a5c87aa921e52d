"""`python manage.py run_bot`: the same bot as `python -m botclient`; Django only supplies logging."""
import os
import signal

from django.core.management.base import BaseCommand

from botclient.app import main


class Command(BaseCommand):
    help = "Run the Telegram bot (a GraphQL client of this backend). Off unless BOT_TOKEN is set."

    def add_arguments(self, parser):
        parser.add_argument(
            "--idle-when-off", action="store_true",
            help="When BOT_TOKEN is not set, say so and wait instead of exiting: process managers such as "
                 "honcho stop every process when one exits.")

    def handle(self, *args, **options):
        code = main()
        if code:
            raise SystemExit(code)
        if options["idle_when_off"] and not os.environ.get("BOT_TOKEN"):
            try:
                signal.pause()  # until the process manager stops us
            except KeyboardInterrupt:
                pass
