"""Demo data for a fresh machine, so GraphiQL and the Django admin show something.

Everything goes through the ledger services, so the demo ledger balances like a
real one (check_ledger passes). Safe to run twice: it skips what exists.
"""
import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from ledger import services
from ledger.actors import system_actor
from ledger.models import Admin, Player

DEMO_ADMIN_TELEGRAM_ID = 100_000_001
PLAYERS = [
    (5_000_000_001, "ali", "Ali", "Ahmed", "120045"),
    (5_000_000_002, "sara", "Sara", "Zahir", "120046"),
    (5_000_000_003, "moosa", "Moosa", "Ibrahim", "120047"),
]


class Command(BaseCommand):
    help = "Create a staff login, a Telegram admin, players and a few requests for a demo."

    def handle(self, *args, **options):
        self._staff_user()
        Admin.objects.get_or_create(telegram_id=DEMO_ADMIN_TELEGRAM_ID, defaults={"name": "Demo admin"})
        if Player.objects.filter(telegram_id=PLAYERS[0][0]).exists():
            self.stdout.write("Demo players exist already; nothing else to do.")
            return
        with transaction.atomic():
            self._players_and_requests()
        self.stdout.write(self.style.SUCCESS(
            f"Demo data ready: {len(PLAYERS)} players, Telegram admin {DEMO_ADMIN_TELEGRAM_ID}."))

    def _staff_user(self) -> None:
        User = get_user_model()
        if User.objects.filter(username="admin").exists():
            self.stdout.write("Staff user 'admin' exists already.")
            return
        password = os.environ.get("DEMO_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", "admin@example.com", password)
        self.stdout.write(f"Staff login for /admin/ and /graphql/: admin / {password}")

    def _players_and_requests(self) -> None:
        actor = system_actor("seed_demo")
        for telegram_id, username, first, last, pppoker in PLAYERS:
            services.user_upsert(telegram_id=telegram_id, username=username, first_name=first, last_name=last,
                                 pppoker_id=pppoker)
        ali, sara, moosa = (p[0] for p in PLAYERS)
        fields = {"proof": "AgACAgUAAxkBAAIBdemo", "pppoker_id": "120045"}
        approved = services.deposit_create(telegram_id=ali, amount="2000", method="BML",
                                           account_name="Ali Ahmed", **fields)
        services.deposit_approve(deposit_id=approved.pk, actor=actor)
        services.spins_process(telegram_id=ali, count=10)
        services.withdrawal_create(telegram_id=ali, amount="500", method="BML", account_number="7730000123456",
                                   pppoker_id="120045")
        services.deposit_create(telegram_id=ali, amount="750", method="MIB", account_name="Ali Ahmed", **fields)
        services.deposit_create(telegram_id=sara, amount="65", method="USDT", account_name="Sara Zahir",
                                proof="0x" + "5a" * 32, pppoker_id="120046")
        rejected = services.deposit_create(telegram_id=moosa, amount="300", method="BML",
                                           account_name="Moosa Ibrahim", proof="AgACAgUAAxkBAAIBdemo2",
                                           pppoker_id="120047")
        services.deposit_reject(deposit_id=rejected.pk, actor=actor, reason="The slip is unreadable")
        services.spins_grant(telegram_id=moosa, spins=3, reason="Welcome bonus", actor=actor)
