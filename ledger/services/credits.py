"""Seat on credit: chips now, pay later.

A player asks for a seat; an admin approves it once, which opens a credit of that amount (the chips
are loaded now, the money is owed), or rejects it; the worker rejects what nobody decided in time
and reminds the player to pay. An ordinary deposit naming the credit settles it when approved
(deposit_approve calls `credit_settle_by`); an admin may clear it by hand. What is owed moves only
with a journal entry, so check_ledger proves every credit's state.

Locks: seat request -> credit -> spin account, as everywhere (services.common). The spin account is
the player's lock here too: creating a seat request, opening a credit and approving a withdrawal all
hold it, so nothing an open credit forbids can slip in between a credit opening and the check.
"""
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ledger.actors import Actor, system_actor
from ledger.errors import AlreadyDecided, DuplicatePending, Invalid, NotFound
from ledger.models import Credit, CreditStatus, Deposit, JournalEntry, JournalKind, Player, RequestStatus, SeatRequest
from ledger.selectors.credits import credit_open_refusal
from ledger.services import journal
from ledger.services.common import decide, emit, ensure_pending, locked, locked_account, player_for
from ledger.services.counter import refuse_while_counter_closed
from ledger.services.idempotency import idempotent
from ledger.validators import clean_amount, clean_reason, parse_row_id

DUPLICATE = "You already have a pending seat request; wait for it to be decided."
EXPIRED = "expired"
REMINDERS = 2  # payment reminders per credit, SEAT_REMINDER_S apart


def seat_request_create(*, telegram_id: int, amount: Any, idempotency_key: str | None = None) -> SeatRequest:
    with transaction.atomic():
        return idempotent(
            operation="seat_request_create", key=idempotency_key,
            request={"telegram_id": telegram_id, "amount": str(amount)},
            run=lambda: _seat_request_create(telegram_id=telegram_id, amount=amount),
            dump=lambda seat: {"id": seat.pk},
            load=lambda result: SeatRequest.objects.select_related("player").get(pk=result["id"]),
        )


def _seat_request_create(*, telegram_id: int, amount: Any) -> SeatRequest:
    refuse_while_counter_closed()
    player = player_for(telegram_id)
    seat = SeatRequest(player=player, amount=clean_amount(amount), pppoker_id=player.pppoker_id)
    if not player.pppoker_id:
        raise Invalid("A seat needs your PPPoker id on file; send it first.", field="pppokerId")
    locked_account(player.pk)
    refuse_while_credit_open(player)
    if SeatRequest.objects.filter(player=player, status=RequestStatus.PENDING).exists():
        raise DuplicatePending(DUPLICATE)
    try:
        with transaction.atomic():
            seat.save()
    except IntegrityError:  # the partial unique index: the last word if a caller skipped the lock
        raise DuplicatePending(DUPLICATE) from None
    emit("seat.created", player, seat_request_id=seat.pk, amount=str(seat.amount), pppoker_id=seat.pppoker_id)
    return seat


def refuse_while_credit_open(player: Player) -> None:
    """The one rule behind CREDIT_OPEN, for every request an open credit blocks."""
    refusal = credit_open_refusal(player_id=player.pk)
    if refusal is not None:
        raise refusal


def seat_request_approve(*, seat_request_id: Any, actor: Actor) -> SeatRequest:
    """Approve a pending seat request: opens a credit of its amount."""
    with transaction.atomic():
        seat = locked(SeatRequest, seat_request_id, "seat request")
        ensure_pending(seat, "seat request")
        locked_account(seat.player_id)
        refuse_while_credit_open(seat.player)
        decide(seat, status=RequestStatus.APPROVED, actor=actor)
        seat.save()
        credit = Credit.objects.create(player=seat.player, seat_request=seat, amount=seat.amount)
        _journal(JournalKind.CREDIT_OPENED, credit, credit.amount, actor)
        emit("seat.approved", seat.player, seat_request_id=seat.pk, credit_id=credit.pk, amount=str(credit.amount),
             decided_by=actor.label)
        return seat


def seat_request_reject(*, seat_request_id: Any, actor: Actor, reason: str) -> SeatRequest:
    reason = clean_reason(reason)
    with transaction.atomic():
        seat = locked(SeatRequest, seat_request_id, "seat request")
        ensure_pending(seat, "seat request")
        _reject(seat, actor=actor, reason=reason, event="seat.rejected")
        return seat


def seat_requests_expire(*, now: datetime | None = None) -> list[SeatRequest]:
    """Reject, as "system", every seat request still pending SEAT_REQUEST_TIMEOUT_S after it was made.

    A request an admin is deciding right now is locked and skipped: the admin's decision stands, and
    if it fails the next run expires the request. Concurrent runs skip each other's rows the same way.
    """
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.SEAT_REQUEST_TIMEOUT_S)
    actor = system_actor()
    with transaction.atomic():
        seats = list(SeatRequest.objects.select_for_update(of=("self",), skip_locked=True).select_related("player")
                     .filter(status=RequestStatus.PENDING, created_at__lte=cutoff).order_by("id"))
        for seat in seats:
            _reject(seat, actor=actor, reason=EXPIRED, event="seat.expired")
        return seats


def _reject(seat: SeatRequest, *, actor: Actor, reason: str, event: str) -> None:
    decide(seat, status=RequestStatus.REJECTED, actor=actor, reason=reason)
    seat.save()
    emit(event, seat.player, seat_request_id=seat.pk, amount=str(seat.amount), reason=reason, decided_by=actor.label)


def credit_reminders_due(*, now: datetime | None = None) -> list[Credit]:
    """Record and announce each payment reminder that is due: the n-th n × SEAT_REMINDER_S after approval.

    Each reminder is claimed by a conditional update of the counter, so of several workers running
    this at once exactly one sends it. Returns the credits reminded, `reminders_sent` being this one.
    """
    now = now or timezone.now()
    interval = timedelta(seconds=settings.SEAT_REMINDER_S)
    reminded = []
    with transaction.atomic():
        candidates = (Credit.objects.select_related("player").order_by("id")
                      .filter(status=CreditStatus.OPEN, reminders_sent__lt=REMINDERS, created_at__lte=now - interval))
        for credit in candidates:
            if credit.created_at + interval * (credit.reminders_sent + 1) > now:
                continue
            claimed = Credit.objects.filter(pk=credit.pk, status=CreditStatus.OPEN,
                                            reminders_sent=credit.reminders_sent).update(
                reminders_sent=F("reminders_sent") + 1, version=F("version") + 1)
            if not claimed:
                continue  # another worker sent it, or the credit closed meanwhile
            credit.reminders_sent += 1
            emit("credit.reminder", credit.player, credit_id=credit.pk, amount=str(credit.amount),
                 reminder=credit.reminders_sent, reminders=REMINDERS)
            reminded.append(credit)
    return reminded


def credit_clear(*, credit_id: Any, actor: Actor, reason: str) -> Credit:
    """Close an open credit by hand (paid another way, or written off), with a reason."""
    reason = clean_reason(reason)
    with transaction.atomic():
        credit = locked(Credit, credit_id, "credit")
        _ensure_open(credit)
        _close(credit, status=CreditStatus.CLEARED, actor=actor, reason=reason)
        credit.save()
        _journal(JournalKind.CREDIT_CLEARED, credit, -credit.amount, actor, note=reason)
        emit("credit.cleared", credit.player, credit_id=credit.pk, amount=str(credit.amount), reason=reason,
             decided_by=actor.label)
        return credit


def credit_to_settle(*, player: Player, credit_id: Any) -> Credit | None:
    """The credit a new deposit names: the player's own and still open."""
    if credit_id is None:
        return None
    row_id = parse_row_id(credit_id, label="credit", field="creditId")
    credit = Credit.objects.filter(pk=row_id, player=player).first()
    if credit is None:
        raise NotFound(f"You have no credit #{row_id}.", field="creditId")
    if credit.status != CreditStatus.OPEN:
        raise Invalid(f"Credit #{row_id} is already {credit.status.lower()}.", field="creditId")
    return credit


def credit_settle_by(deposit: Deposit, actor: Actor) -> Credit | None:
    """Inside the approval of `deposit`: settle the credit it names, if that is still open.

    A credit cleared by hand meanwhile stays cleared; the deposit still counts as a deposit.
    """
    if deposit.credit_id is None:
        return None
    credit = Credit.objects.select_for_update().get(pk=deposit.credit_id)
    if credit.status != CreditStatus.OPEN:
        return None
    _close(credit, status=CreditStatus.SETTLED, actor=actor)
    credit.settlement = deposit
    credit.save()
    _journal(JournalKind.CREDIT_SETTLED, credit, -credit.amount, actor, deposit=deposit)
    emit("credit.settled", deposit.player, credit_id=credit.pk, amount=str(credit.amount), deposit_id=deposit.pk,
         decided_by=actor.label)
    return credit


def _ensure_open(credit: Credit) -> None:
    if credit.status != CreditStatus.OPEN:
        raise AlreadyDecided(f"This credit was already {credit.status.lower()} by {credit.closed_by}.")


def _close(credit: Credit, *, status: str, actor: Actor, reason: str = "") -> None:
    credit.status = status
    credit.closed_at = timezone.now()
    credit.closed_by = actor.label
    credit.reason = reason
    credit.version += 1  # safe: the row is locked


def _journal(kind: str, credit: Credit, owed: Any, actor: Actor, **extra: Any) -> None:
    journal.record(JournalEntry(kind=kind, player_id=credit.player_id, credit=credit, amount_base=owed,
                                actor=actor.label, **extra))
