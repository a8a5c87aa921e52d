from django.core.management import call_command

from ledger.audit import ledger_discrepancies
from ledger.models import Deposit, Player, RequestStatus


def test_seed_demo_builds_a_balanced_demo_and_runs_twice(methods, capsys):
    call_command("seed_demo")
    assert "Staff login" in capsys.readouterr().out
    call_command("seed_demo")
    assert Player.objects.count() == 3
    assert Deposit.objects.filter(status=RequestStatus.PENDING).count() == 2
    assert ledger_discrepancies() == []
