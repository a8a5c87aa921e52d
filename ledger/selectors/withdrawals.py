"""Whether a player may withdraw: the one rule that the withdrawal service enforces and that the
bot reads up front (withdrawalEligibility), so the two can never disagree."""
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from ledger.errors import AccountNameMismatch, BelowMinimum, DuplicatePending, ErrorCode, LedgerError
from ledger.models import Player, RequestStatus, Withdrawal
from ledger.selectors.counter import counter_closed_refusal
from ledger.selectors.credits import credit_open_refusal

DUPLICATE = "You already have a pending withdrawal; wait for it to be decided."


def withdrawal_refusal(*, player: Player, amount_base: Decimal | None = None) -> LedgerError | None:
    """Why `player` may not withdraw `amount_base` MVR (None: whatever the amount), or None if they may."""
    minimum = settings.WITHDRAWAL_MIN_MVR
    if amount_base is not None and amount_base < minimum:
        return BelowMinimum(f"The minimum withdrawal is {minimum} MVR; this is {amount_base} MVR.", field="amount")
    if not player.account_name:
        return AccountNameMismatch(
            "Withdrawals are paid only to the name of your first approved deposit, and you have none yet.")
    credit_open = credit_open_refusal(player_id=player.pk)
    if credit_open is not None:
        return credit_open
    if Withdrawal.objects.filter(player=player, status=RequestStatus.PENDING).exists():
        return DuplicatePending(DUPLICATE)
    return None


@dataclass(frozen=True)
class WithdrawalEligibility:
    eligible: bool
    code: ErrorCode | None
    minimum: Decimal
    payout_name: str
    pending: bool


def withdrawal_eligibility(*, telegram_id: int) -> WithdrawalEligibility | None:
    """What the player is told before typing anything; None for a player the ledger does not know."""
    player = Player.objects.filter(telegram_id=telegram_id).first()
    if player is None:
        return None
    # createWithdrawal asks the counter first (services.counter), so the answer here does too.
    refusal = counter_closed_refusal() or withdrawal_refusal(player=player)
    return WithdrawalEligibility(
        eligible=refusal is None, code=refusal.code if refusal else None, minimum=settings.WITHDRAWAL_MIN_MVR,
        payout_name=player.account_name, pending=refusal is not None and refusal.code == ErrorCode.DUPLICATE_PENDING)
