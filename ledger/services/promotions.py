"""Promotions and what they pay: the deposit bonus (recorded in the deposit's approval) and recovery claims.

An admin creates a promotion (DEPOSIT_BONUS or CASHBACK, a percentage, club-local first and last days)
and may end it early; two promotions of one kind that were not ended never share a day (refused
INVALID). While a DEPOSIT_BONUS promotion is active, the first deposit of each player approved in it
earns `amount_base` x p / 100 MVR in chips (`bonus_grant`, called by deposit_approve under the
player's lock). While a CASHBACK promotion is active a player may claim recovery when
`selectors.cashback_eligibility` says so; the claim is decided by an admin like a deposit.

Locks: claim -> spin account (the player's lock), as everywhere (services.common). Creating a claim,
approving one, approving a deposit and approving a withdrawal all hold the player's lock and time
their decision under it, so the figures a claim is made on are never stale: a withdrawal approved
after a claim was made stops that claim's approval, and a claim made after a withdrawal counts
only the deposits since.
"""
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from ledger.actors import Actor
from ledger.clubtime import club_today
from ledger.errors import AlreadyDecided, Invalid, NotEligible
from ledger.models import (
    Bonus, CashbackClaim, Deposit, Event, JournalEntry, JournalKind, Promotion, RequestStatus, Withdrawal,
)
from ledger.selectors.credits import credit_open_refusal
from ledger.selectors.promotions import bonus_due, cashback_eligibility, promotions_overlapping
from ledger.services import journal
from ledger.services.counter import refuse_while_counter_closed
from ledger.services.common import decide, emit, ensure_pending, locked, locked_account, player_for
from ledger.services.idempotency import idempotent
from ledger.signals import notify_changed
from ledger.validators import (
    clean_club_date, clean_percentage, clean_pppoker_id, clean_promotion_kind, clean_reason,
)

CLAIM = "recovery claim"


# --- promotions ------------------------------------------------------------------------------

def promotion_create(*, kind: Any, percentage: Any, starts_on: Any, ends_on: Any, actor: Actor) -> Promotion:
    kind = clean_promotion_kind(kind)
    percentage = clean_percentage(percentage)
    starts_on = clean_club_date(starts_on, field="startsOn")
    ends_on = clean_club_date(ends_on, field="endsOn")
    if ends_on < starts_on:
        raise Invalid("The last day is before the first.", field="endsOn")
    if ends_on < club_today():
        raise Invalid(f"A promotion that ended on {ends_on.isoformat()} would never run.", field="endsOn")
    with transaction.atomic():
        # On SQLite this transaction holds the database's write lock from its start (IMMEDIATE), so
        # the check is the guard; on PostgreSQL two creates can both pass it, and the exclusion
        # constraint refuses the second when the first commits.
        clash = promotions_overlapping(kind=kind, starts_on=starts_on, ends_on=ends_on).order_by("id").first()
        if clash is not None:
            raise _overlap(clash)
        try:
            with transaction.atomic():
                promotion = Promotion.objects.create(kind=kind, percentage=percentage, starts_on=starts_on,
                                                     ends_on=ends_on, created_by=actor.label)
        except IntegrityError:
            clash = promotions_overlapping(kind=kind, starts_on=starts_on, ends_on=ends_on).order_by("id").first()
            raise _overlap(clash) from None
        _announce("promotion.created", promotion, actor)
        return promotion


def _overlap(clash: Promotion | None) -> Invalid:
    if clash is None:  # committed and then ended in between: rare, and the admin may simply try again
        return Invalid("Another promotion of this kind was created for these days at the same time.",
                       field="startsOn")
    return Invalid(f"Promotion #{clash.pk} ({clash.get_kind_display()} {clash.percentage}%, "
                   f"{clash.starts_on.isoformat()} to {clash.ends_on.isoformat()}) already covers some of these "
                   "days; end it first or choose other dates.", field="startsOn")


def promotion_end(*, promotion_id: Any, actor: Actor) -> Promotion:
    """End a promotion early (or call off one that has not started): from now on it is not active."""
    with transaction.atomic():
        promotion = locked(Promotion, promotion_id, "promotion", related=())
        if promotion.ended_at is not None:
            raise AlreadyDecided(f"Promotion #{promotion.pk} was already ended by {promotion.ended_by}.")
        if promotion.ends_on < club_today():
            raise AlreadyDecided(f"Promotion #{promotion.pk} already ran its course on "
                                 f"{promotion.ends_on.isoformat()}.")
        promotion.ended_at = timezone.now()
        promotion.ended_by = actor.label
        promotion.version += 1
        promotion.save(update_fields=["ended_at", "ended_by", "version"])
        _announce("promotion.ended", promotion, actor)
        return promotion


def _announce(kind: str, promotion: Promotion, actor: Actor) -> None:
    """A promotion belongs to no player: its event goes to admins only (no telegram_id)."""
    notify_changed(kind)
    Event.objects.create(kind=kind, payload={
        "promotion_id": promotion.pk, "kind": promotion.kind, "percentage": str(promotion.percentage),
        "starts_on": promotion.starts_on.isoformat(), "ends_on": promotion.ends_on.isoformat(),
        "by": actor.label})


# --- the deposit bonus ------------------------------------------------------------------------

def bonus_grant(deposit: Deposit, actor: Actor) -> Bonus | None:
    """Inside the approval of `deposit`, under the player's lock: record and journal its bonus, if one is due
    (selectors.bonus_due)."""
    due = bonus_due(player_id=deposit.player_id, amount_base=deposit.amount_base)
    if due is None:
        return None
    promotion, amount = due
    # The unique (player, promotion) index is the last word; under the lock it never has to speak.
    bonus = Bonus.objects.create(deposit=deposit, promotion=promotion, player_id=deposit.player_id,
                                 percentage=promotion.percentage, amount=amount)
    journal.record(JournalEntry(kind=JournalKind.BONUS_GRANTED, player_id=deposit.player_id, deposit=deposit,
                                bonus=bonus, amount_base=amount, actor=actor.label,
                                note=f"promotion #{promotion.pk}, {promotion.percentage}%"))
    return bonus


# --- recovery claims --------------------------------------------------------------------------

def cashback_claim_create(*, telegram_id: int, pppoker_id: str, idempotency_key: str | None = None) -> CashbackClaim:
    with transaction.atomic():
        return idempotent(
            operation="cashback_claim_create", key=idempotency_key,
            request={"telegram_id": telegram_id, "pppoker_id": pppoker_id},
            run=lambda: _cashback_claim_create(telegram_id=telegram_id, pppoker_id=pppoker_id),
            dump=lambda claim: {"id": claim.pk},
            load=lambda result: CashbackClaim.objects.select_related("player", "promotion").get(pk=result["id"]),
        )


def _cashback_claim_create(*, telegram_id: int, pppoker_id: str) -> CashbackClaim:
    refuse_while_counter_closed()
    player = player_for(telegram_id)
    pppoker_id = clean_pppoker_id(pppoker_id)
    locked_account(player.pk)
    eligibility = cashback_eligibility(player=player)
    if not eligibility.eligible:
        raise NotEligible(eligibility.reason)
    claim = CashbackClaim(player=player, promotion=eligibility.promotion, pppoker_id=pppoker_id,
                          deposits_base=eligibility.deposits_since_reset, deposits_since=eligibility.reset_at,
                          percentage=eligibility.percentage, amount=eligibility.amount)
    try:
        with transaction.atomic():
            claim.save()
    except IntegrityError:  # the partial unique indexes: the last word if a caller skipped the lock
        raise NotEligible("You already have a recovery claim waiting, or paid in this promotion.") from None
    emit("cashback.created", player, cashback_claim_id=claim.pk, amount=str(claim.amount),
         deposits_base=str(claim.deposits_base), percentage=str(claim.percentage), promotion_id=claim.promotion_id,
         pppoker_id=claim.pppoker_id)
    return claim


def cashback_claim_approve(*, claim_id: Any, actor: Actor) -> CashbackClaim:
    """Approve a pending claim on the figures it was made with, unless they went stale since."""
    with transaction.atomic():
        claim = locked(CashbackClaim, claim_id, CLAIM, related=("player", "promotion"))
        ensure_pending(claim, CLAIM)
        locked_account(claim.player_id)
        refusal = _stale(claim)
        if refusal is not None:
            raise refusal
        decide(claim, status=RequestStatus.APPROVED, actor=actor)
        claim.save()
        journal.record(JournalEntry(kind=JournalKind.CASHBACK_APPROVED, player_id=claim.player_id,
                                    cashback_claim=claim, amount_base=claim.amount, actor=actor.label))
        emit("cashback.approved", claim.player, cashback_claim_id=claim.pk, amount=str(claim.amount),
             pppoker_id=claim.pppoker_id, decided_by=actor.label)
        return claim


def _stale(claim: CashbackClaim) -> NotEligible | None:
    """Why a pending claim may no longer be paid: what changed since the player made it."""
    if Withdrawal.objects.filter(player_id=claim.player_id, status=RequestStatus.APPROVED,
                                 decided_at__gt=claim.created_at).exists():
        return NotEligible("A withdrawal of this player was approved after the claim was made, so its deposits "
                           "figure no longer holds; reject the claim (the player may claim again).")
    credit_open = credit_open_refusal(player_id=claim.player_id)
    if credit_open is not None:
        return NotEligible(f"{credit_open.message} No recovery is paid while a credit is open.")
    return None


def cashback_claim_reject(*, claim_id: Any, actor: Actor, reason: str) -> CashbackClaim:
    reason = clean_reason(reason)
    with transaction.atomic():
        claim = locked(CashbackClaim, claim_id, CLAIM)
        ensure_pending(claim, CLAIM)
        decide(claim, status=RequestStatus.REJECTED, actor=actor, reason=reason)
        claim.save()
        emit("cashback.rejected", claim.player, cashback_claim_id=claim.pk, amount=str(claim.amount),
             reason=reason, decided_by=actor.label)
        return claim
