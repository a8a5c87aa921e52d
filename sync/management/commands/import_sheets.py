from django.core.management.base import BaseCommand, CommandError
from huey.exceptions import TaskLockedException

from sync.client import SheetsError, connect, mirror_config, mirror_status
from sync.importer import import_legacy_sheets
from sync.tasks import cycle_lock


class Command(BaseCommand):
    help = ("Import the legacy spreadsheet (Users, Deposits, Withdrawals, Spin Users, Spin History) into the "
            "ledger, once: running it again changes nothing. Reports every row it refused and why.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="Read and check everything, report, and write nothing.")

    def handle(self, *args, dry_run=False, **options):
        if mirror_config() is None:
            raise CommandError(mirror_status())
        try:
            # The mirror must not write to the sheets while the import reads them and writes Spin IDs.
            with cycle_lock():
                report = import_legacy_sheets(connect(), dry_run=dry_run)
        except TaskLockedException:
            raise CommandError("A sync is running (the worker holds the lock); try again in a moment.") from None
        except SheetsError as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines():
            self.stdout.write(line)
        if report.sheet_error:
            raise CommandError("The ledger rows are imported but the Spin IDs could not be written.")
        if not dry_run and not report.sheet_error:
            self.stdout.write("The mirror rewrites Users and Spin Users with the ledger's totals on its next "
                              "cycle (within a minute), or now with `manage.py sync_sheets`.")
