import pytest
from django.db.models import F
from django.core.management import CommandError, call_command

from ledger import services
from ledger.models import Deposit, Spin, SpinAccount
from tests.conftest import PLAYER_ID, approved_deposit


@pytest.fixture
def busy_ledger(player, admin):
    approved_deposit(PLAYER_ID, admin, amount="2500")
    services.spins_process(telegram_id=PLAYER_ID, count=20)
    services.withdrawal_create(telegram_id=PLAYER_ID, amount="300", method="BML", account_number="7730001",
                               pppoker_id="12345")


def test_check_ledger_passes_on_a_consistent_ledger(busy_ledger, capsys):
    call_command("check_ledger")
    assert "Ledger OK" in capsys.readouterr().out


@pytest.mark.parametrize("tamper, field", [
    (lambda: SpinAccount.objects.update(available_spins=999), "available_spins"),
    (lambda: SpinAccount.objects.update(total_chips_approved=0, total_chips_won=12345), "total_chips_won"),
    (lambda: Deposit.objects.update(amount_base=1), "total_deposit_base is 1"),
    (lambda: Spin.objects.filter(pk=Spin.objects.order_by("id").first().pk).update(
        chips=F("chips") + 10, status="APPROVED"), "total_chips_approved"),
])
def test_check_ledger_fails_on_a_tampered_total(busy_ledger, capsys, tamper, field):
    tamper()
    with pytest.raises(CommandError, match="disagree with the journal"):
        call_command("check_ledger")
    assert field in capsys.readouterr().err
