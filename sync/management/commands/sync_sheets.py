import time

from django.core.management.base import BaseCommand, CommandError
from huey.exceptions import TaskLockedException

from sync import state
from sync.client import SheetsError, SheetsUnavailable, connect, mirror_config, mirror_status
from sync.mirror import sync_cycle
from sync.tasks import cycle_lock

MAX_CYCLES = 100  # a by-hand run ends even if rows keep changing under it


class Command(BaseCommand):
    help = ("Bring the Google Sheets mirror up to date now: cycles until nothing is due "
            "(--once: one cycle; --full: rewrite every row).")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run exactly one cycle.")
        parser.add_argument("--full", action="store_true",
                            help="Rewrite every row of every sheet (found by id; missing rows appended).")

    def handle(self, *args, once=False, full=False, **options):
        if mirror_config() is None:
            raise CommandError(mirror_status())
        try:
            with cycle_lock():
                self._run(once=once, full=full)
        except TaskLockedException:
            raise CommandError("A sync is running (the worker holds the lock); try again in a moment.") from None
        except SheetsError as exc:
            raise CommandError(str(exc)) from exc

    def _run(self, *, once: bool, full: bool) -> None:
        api = connect()
        if full:
            # Under the lock: the worker cannot record a row between this and the cycles below.
            state.forget_all()
        failures = 0
        for _ in range(1 if once else MAX_CYCLES):
            api.calls.clear()
            try:
                report = sync_cycle(api=api)
            except SheetsUnavailable as exc:
                failures += 1
                if once or failures >= 3:
                    raise CommandError(f"Google Sheets is unavailable: {exc}") from exc
                self.stderr.write(f"{exc}; retrying the cycle.")
                time.sleep(api.backoff.delay(failures))
                continue
            self.stdout.write(report.summary())
            if report.errors:
                raise CommandError("Some sheets were not synced: " + "; ".join(
                    f"{title}: {error}" for title, error in report.errors.items()))
            if not report.more:
                return
        if not once:
            self.stdout.write("Stopped after %d cycles; the worker continues from here." % MAX_CYCLES)
