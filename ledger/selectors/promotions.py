"""Promotions, bonuses, recovery claims and join requests: which promotion is active, and whether a player
may claim recovery now, with the figures that decide it.

`cashback_eligibility` is the one statement of the recovery rule (domain.md, "Recovery"): the claim
service asks it under the player's lock, and the bot shows it before asking anything, so the two can
never disagree.
"""
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from ledger.clubtime import club_time_text, club_today
from ledger.errors import NotFound
from ledger.models import (
    Bonus, CashbackClaim, Deposit, JoinRequest, Player, Promotion, PromotionKind, RequestStatus, Withdrawal,
)
from ledger.selectors.common import newest_first
from ledger.selectors.credits import credit_open_refusal
from ledger.validators import CENT, parse_id_or_none, percent_of

ZERO = Decimal("0.00")


# --- promotions ------------------------------------------------------------------------------

def active_on(day: date) -> Q:
    """Promotions active on the club-local `day`: within their dates and not ended early."""
    return Q(ended_at__isnull=True, starts_on__lte=day, ends_on__gte=day)


def runs_on(day: date, *, starts_on: date, ends_on: date, ended_at: datetime | None) -> bool:
    """`active_on` for one promotion's fields, in Python (the sheet's Active / Inactive)."""
    return ended_at is None and starts_on <= day <= ends_on


class PromotionState(StrEnum):
    """Where a promotion stands on a club-local day."""

    UPCOMING = "UPCOMING"
    ACTIVE = "ACTIVE"
    ENDED = "ENDED"  # ended early by an admin, or past its last day


def promotion_state(promotion: Promotion, day: date | None = None) -> PromotionState:
    day = day or club_today()
    if promotion_is_active(promotion, day):
        return PromotionState.ACTIVE
    if promotion.ended_at is None and day < promotion.starts_on:
        return PromotionState.UPCOMING
    return PromotionState.ENDED


def promotion_is_active(promotion: Promotion, day: date | None = None) -> bool:
    return runs_on(day or club_today(), starts_on=promotion.starts_on, ends_on=promotion.ends_on,
                   ended_at=promotion.ended_at)


def promotion_active(*, kind: str, day: date | None = None) -> Promotion | None:
    """The promotion of `kind` active today, if any (at most one: constraint and service see to it)."""
    return Promotion.objects.filter(active_on(day or club_today()), kind=kind).order_by("id").first()


def promotion_list(*, kind: str | None = None, active_only: bool = False) -> QuerySet[Promotion]:
    """Newest first by their first day."""
    promotions = Promotion.objects.order_by("-starts_on", "-id")
    if kind:
        promotions = promotions.filter(kind=kind)
    if active_only:
        promotions = promotions.filter(active_on(club_today()))
    return promotions


def promotions_overlapping(*, kind: str, starts_on: date, ends_on: date) -> QuerySet[Promotion]:
    """Promotions of `kind`, not ended early, that share a day with [starts_on, ends_on]."""
    return Promotion.objects.filter(kind=kind, ended_at__isnull=True, starts_on__lte=ends_on, ends_on__gte=starts_on)


def bonus_list(*, telegram_id: int | None = None, promotion_id: Any = None) -> QuerySet[Bonus]:
    bonuses = Bonus.objects.select_related("deposit", "promotion", "player").order_by("-created_at", "-id")
    if telegram_id is not None:
        bonuses = bonuses.filter(player__telegram_id=telegram_id)
    if promotion_id is not None:
        bonuses = bonuses.filter(promotion_id=parse_id_or_none(promotion_id))  # an impossible id: none
    return bonuses


def bonus_due(*, player_id: int, amount_base: Decimal) -> tuple[Promotion, Decimal] | None:
    """The bonus a deposit of `amount_base` MVR approved now earns the player: while a DEPOSIT_BONUS promotion is
    active, on the player's first approved deposit in it. One that would round to 0.00 MVR is none (the
    player's chance stays for a later deposit)."""
    promotion = promotion_active(kind=PromotionKind.DEPOSIT_BONUS)
    if promotion is None or Bonus.objects.filter(player_id=player_id, promotion=promotion).exists():
        return None
    amount = percent_of(amount_base, promotion.percentage)
    return (promotion, amount) if amount > 0 else None


# --- recovery ---------------------------------------------------------------------------------

class CashbackRule(StrEnum):
    """The recovery rule a player fails, first failing first; the bot words each in the player's language."""

    NO_PROMOTION = "NO_PROMOTION"
    PENDING_CLAIM = "PENDING_CLAIM"
    ALREADY_CLAIMED = "ALREADY_CLAIMED"  # an approved claim in this promotion
    CREDIT_OPEN = "CREDIT_OPEN"
    BELOW_MINIMUM = "BELOW_MINIMUM"


@dataclass(frozen=True)
class CashbackEligibility:
    eligible: bool
    rule: CashbackRule | None
    reason: str  # "" when eligible
    deposits_since_reset: Decimal  # D, MVR
    reset_at: datetime | None  # the last approved withdrawal or claim; None: never
    minimum: Decimal
    promotion: Promotion | None
    percentage: Decimal | None
    amount: Decimal | None  # D x percentage / 100, when eligible

    @property
    def missing(self) -> Decimal:
        """MVR more to deposit before D reaches the minimum (0 once it does)."""
        return max(self.minimum - self.deposits_since_reset, ZERO)


def cashback_eligibility_of(*, telegram_id: int) -> CashbackEligibility:
    player = Player.objects.filter(telegram_id=telegram_id).first()
    if player is None:
        raise NotFound(f"No player with Telegram id {telegram_id}; send /start first.", field="telegramId")
    return cashback_eligibility(player=player)


def cashback_eligibility(*, player: Player) -> CashbackEligibility:
    """Whether `player` may claim recovery now, and the figures: D is the sum of their approved deposits (MVR)
    decided after the reset point, the latest of their last approved withdrawal and the moment their last
    approved claim was made (deposits decided while that claim waited count towards the next one)."""
    promotion = promotion_active(kind=PromotionKind.CASHBACK)
    approved = {"player": OuterRef("pk"), "status": RequestStatus.APPROVED}
    state = Player.objects.filter(pk=player.pk).annotate(
        last_withdrawal=Subquery(Withdrawal.objects.filter(**approved, decided_at__isnull=False)
                                 .order_by("-decided_at").values("decided_at")[:1]),
        last_claim=Subquery(CashbackClaim.objects.filter(**approved).order_by("-created_at").values("created_at")[:1]),
        pending_claim=Exists(CashbackClaim.objects.filter(player=OuterRef("pk"), status=RequestStatus.PENDING)),
        claimed=Exists(CashbackClaim.objects.filter(**approved, promotion=promotion)) if promotion else Value(False),
    ).values("last_withdrawal", "last_claim", "pending_claim", "claimed").get()
    reset_at = max((moment for moment in (state["last_withdrawal"], state["last_claim"]) if moment), default=None)
    deposits = Deposit.objects.filter(player_id=player.pk, status=RequestStatus.APPROVED)
    if reset_at is not None:
        deposits = deposits.filter(decided_at__gt=reset_at)
    total = deposits.aggregate(total=Coalesce(Sum("amount_base"), ZERO))["total"].quantize(CENT)
    minimum = settings.CASHBACK_MIN_MVR
    percentage = promotion.percentage if promotion else None
    amount = percent_of(total, percentage) if promotion else None

    def answer(rule: CashbackRule | None, reason: str = "") -> CashbackEligibility:
        return CashbackEligibility(eligible=rule is None, rule=rule, reason=reason, deposits_since_reset=total,
                                   reset_at=reset_at, minimum=minimum, promotion=promotion, percentage=percentage,
                                   amount=amount if rule is None else None)

    if promotion is None:
        return answer(CashbackRule.NO_PROMOTION, "There is no recovery promotion running now.")
    if state["pending_claim"]:
        return answer(CashbackRule.PENDING_CLAIM, "You already have a recovery claim waiting for an admin.")
    if state["claimed"]:
        return answer(CashbackRule.ALREADY_CLAIMED, f"You were already paid recovery in this promotion "
                                                    f"(it runs until {promotion.ends_on.isoformat()}).")
    credit_open = credit_open_refusal(player_id=player.pk)
    if credit_open is not None:
        return answer(CashbackRule.CREDIT_OPEN, credit_open.message)
    if total < minimum or amount <= 0:
        since = f"since {club_time_text(reset_at)}" if reset_at else "in all"
        return answer(CashbackRule.BELOW_MINIMUM,
                      f"Your approved deposits {since} are {total} MVR; recovery needs at least {minimum} MVR "
                      f"({max(minimum - total, CENT)} MVR more).")
    return answer(None)


def cashback_claim_list(*, status: str | None = None, telegram_id: int | None = None) -> QuerySet[CashbackClaim]:
    return newest_first(CashbackClaim.objects.select_related("promotion"), status=status, telegram_id=telegram_id)


def cashback_claims_pending() -> QuerySet[CashbackClaim]:
    return cashback_claim_list(status=RequestStatus.PENDING).order_by("created_at", "id")


# --- joining the club --------------------------------------------------------------------------

def join_request_list(*, status: str | None = None, telegram_id: int | None = None) -> QuerySet[JoinRequest]:
    return newest_first(JoinRequest.objects.all(), status=status, telegram_id=telegram_id)


def join_requests_pending() -> QuerySet[JoinRequest]:
    return join_request_list(status=RequestStatus.PENDING).order_by("created_at", "id")
