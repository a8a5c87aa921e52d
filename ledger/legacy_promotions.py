"""The legacy services (see ledger.legacy) for the second wave's tabs: promotions, their bonuses,
recovery claims and join requests.

As in ledger.legacy: each is one transaction, takes the legacy times and decisions as they were,
writes no outbox events, and journals what moved money so that check_ledger holds:

* A promotion is taken in with its dates as they were (it may lie in the past). One the sheet calls
  Inactive is recorded as ended (by "legacy sheet", at the import) so that it blocks no other; two
  that were not ended may not share a day, as live.
* A bonus is recorded on its approved deposit, once per player and promotion, with one
  BONUS_GRANTED entry of its amount.
* An approved recovery claim gets its CASHBACK_APPROVED entry; at most one pending per player and
  one approved per player and promotion, as live. The legacy sheet kept no reset point: none is
  recorded.
* A join request moves no money: no entry.
"""
from datetime import date, datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from ledger.actors import Actor
from ledger.errors import Invalid
from ledger.legacy import _check_decision, _check_length, _check_note, _check_request, _check_time, _create_request
from ledger.models import (
    Bonus, CashbackClaim, Deposit, JoinRequest, JournalEntry, JournalKind, Player, Promotion, PromotionKind,
    RequestStatus,
)
from ledger.selectors.promotions import promotions_overlapping
from ledger.services import journal
from ledger.validators import check_amount, clean_club_date, clean_percentage, clean_pppoker_id, clean_promotion_kind

LEGACY = "legacy sheet"


def legacy_promotion_create(*, kind: str, percentage: Decimal, starts_on: date, ends_on: date, ended: bool,
                            created_by: str, created_at: datetime | None, legacy_ref: str) -> Promotion:
    kind = clean_promotion_kind(kind)
    percentage = clean_percentage(percentage)
    starts_on = clean_club_date(starts_on, field="starts_on")
    ends_on = clean_club_date(ends_on, field="ends_on")
    if ends_on < starts_on:
        raise Invalid(f"the end date {ends_on.isoformat()} is before the start date {starts_on.isoformat()}")
    _check_length(created_by, label="created_by", max_length=128)
    _check_length(legacy_ref, label="legacy_ref", max_length=32, required=True)
    _check_time(created_at, "created_at")
    with transaction.atomic():
        if not ended:
            clash = promotions_overlapping(kind=kind, starts_on=starts_on, ends_on=ends_on).first()
            if clash is not None:
                raise Invalid(f"it shares days with promotion {clash.legacy_ref or f'P{clash.pk}'} "
                              f"({clash.starts_on.isoformat()} to {clash.ends_on.isoformat()}), and both are active")
        try:
            with transaction.atomic():
                promotion = Promotion.objects.create(
                    kind=kind, percentage=percentage, starts_on=starts_on, ends_on=ends_on,
                    created_by=created_by or LEGACY, legacy_ref=legacy_ref,
                    ended_at=timezone.now() if ended else None, ended_by=LEGACY if ended else "")
        except IntegrityError as exc:  # PostgreSQL's exclusion constraint: one created concurrently
            raise Invalid(f"the database refused it: {exc}") from None
        if created_at:
            Promotion.objects.filter(pk=promotion.pk).update(created_at=created_at)
            promotion.created_at = created_at
        return promotion


def legacy_bonus_create(*, deposit: Deposit, promotion: Promotion, amount: Decimal, created_at: datetime | None,
                        actor: Actor, note: str) -> Bonus:
    """The bonus a legacy deposit earned; journaled (BONUS_GRANTED)."""
    amount = check_amount(amount, label="bonus amount")
    _check_time(created_at, "created_at")
    _check_note(note)
    if promotion.kind != PromotionKind.DEPOSIT_BONUS:
        raise Invalid(f"promotion {promotion.legacy_ref or promotion.pk} is not a deposit bonus promotion")
    with transaction.atomic():
        deposit = Deposit.objects.select_for_update().get(pk=deposit.pk)
        if deposit.status != RequestStatus.APPROVED:
            raise Invalid(f"deposit {deposit.legacy_ref or f'D{deposit.pk}'} is {deposit.status.lower()}, "
                          "not approved: no bonus")
        if Bonus.objects.filter(deposit=deposit).exists():
            raise Invalid(f"deposit {deposit.legacy_ref or f'D{deposit.pk}'} already has its bonus")
        if Bonus.objects.filter(player_id=deposit.player_id, promotion=promotion).exists():
            raise Invalid(f"player {deposit.player.telegram_id} already has a bonus in this promotion")
        bonus = Bonus.objects.create(deposit=deposit, promotion=promotion, player_id=deposit.player_id,
                                     percentage=promotion.percentage, amount=amount)
        moment = created_at or deposit.decided_at
        if moment:
            Bonus.objects.filter(pk=bonus.pk).update(created_at=moment)
            bonus.created_at = moment
        journal.record(JournalEntry(kind=JournalKind.BONUS_GRANTED, player_id=deposit.player_id, deposit=deposit,
                                    bonus=bonus, amount_base=amount, actor=actor.label, note=note))
        return bonus


def legacy_cashback_claim_create(*, player: Player, promotion: Promotion, deposits_base: Decimal,
                                 percentage: Decimal, amount: Decimal, pppoker_id: str, status: str,
                                 created_at: datetime, decided_at: datetime | None = None, decided_by: str = "",
                                 rejection_reason: str = "", legacy_ref: str, actor: Actor,
                                 note: str) -> CashbackClaim:
    """A legacy recovery claim (D is the sheet's Loss Amount); approved, it is journaled."""
    amount = _check_request(amount=amount, status=status, created_at=created_at, decided_at=decided_at,
                            decided_by=decided_by, rejection_reason=rejection_reason, legacy_ref=legacy_ref,
                            account_name="", pppoker_id=pppoker_id, note=note)
    deposits_base = check_amount(deposits_base, label="loss amount")
    percentage = clean_percentage(percentage)
    if promotion.kind != PromotionKind.CASHBACK:
        raise Invalid(f"promotion {promotion.legacy_ref or promotion.pk} is not a recovery promotion")
    approved = status == RequestStatus.APPROVED
    with transaction.atomic():
        if approved and CashbackClaim.objects.filter(player=player, promotion=promotion,
                                                     status=RequestStatus.APPROVED).exists():
            raise Invalid(f"player {player.telegram_id} was already paid recovery in this promotion")
        claim = _create_request(
            CashbackClaim, player=player, status=status, label="recovery claim", promotion=promotion,
            deposits_base=deposits_base, percentage=percentage, amount=amount, pppoker_id=pppoker_id,
            legacy_ref=legacy_ref, created_at=created_at, decided_at=decided_at, decided_by=decided_by,
            rejection_reason=rejection_reason)
        if approved:
            journal.record(JournalEntry(kind=JournalKind.CASHBACK_APPROVED, player=player, cashback_claim=claim,
                                        amount_base=amount, actor=actor.label, note=note))
        return claim


def legacy_join_request_create(*, player: Player, pppoker_id: str, status: str, created_at: datetime,
                               decided_at: datetime | None = None, decided_by: str = "",
                               rejection_reason: str = "", legacy_ref: str) -> JoinRequest:
    if status not in RequestStatus.values:
        raise Invalid(f"status {status!r} is not one of {', '.join(RequestStatus.values)}")
    if created_at is None:
        raise Invalid("created_at is required")
    _check_time(created_at, "created_at")
    _check_decision(decided=status != RequestStatus.PENDING, rejected=status == RequestStatus.REJECTED,
                    decided_at=decided_at, decided_by=decided_by, rejection_reason=rejection_reason)
    _check_length(legacy_ref, label="legacy_ref", max_length=32, required=True)
    pppoker_id = clean_pppoker_id(pppoker_id)
    with transaction.atomic():
        return _create_request(JoinRequest, player=player, status=status, label="join request",
                               pppoker_id=pppoker_id, legacy_ref=legacy_ref, created_at=created_at,
                               decided_at=decided_at, decided_by=decided_by, rejection_reason=rejection_reason)
