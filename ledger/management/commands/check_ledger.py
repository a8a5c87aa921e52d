from django.core.management.base import BaseCommand, CommandError

from ledger.audit import ledger_discrepancies


class Command(BaseCommand):
    help = "Recompute every total from the journal; exit non-zero if any differs."

    def handle(self, *args, **options):
        problems = ledger_discrepancies()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} total(s) disagree with the journal.")
        self.stdout.write(self.style.SUCCESS("Ledger OK: every total equals the sum of the journal."))
