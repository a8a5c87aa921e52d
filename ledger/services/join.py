"""Joining the club: a player asks with their PPPoker id (one pending at a time); an admin approves, and the
player is handed the club's id and link (CLUB_ID, CLUB_LINK), or rejects with a reason. No money moves,
so nothing is journaled; each step is an event."""
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from ledger.actors import Actor
from ledger.errors import DuplicatePending
from ledger.models import JoinRequest, RequestStatus
from ledger.services.counter import refuse_while_counter_closed
from ledger.services.common import decide, emit, ensure_pending, locked, player_for
from ledger.services.idempotency import idempotent
from ledger.validators import clean_pppoker_id, clean_reason

DUPLICATE = "You already asked to join the club; wait for an admin."
LABEL = "join request"


def join_request_create(*, telegram_id: int, pppoker_id: str, idempotency_key: str | None = None) -> JoinRequest:
    with transaction.atomic():
        return idempotent(
            operation="join_request_create", key=idempotency_key,
            request={"telegram_id": telegram_id, "pppoker_id": pppoker_id},
            run=lambda: _join_request_create(telegram_id=telegram_id, pppoker_id=pppoker_id),
            dump=lambda join: {"id": join.pk},
            load=lambda result: JoinRequest.objects.select_related("player").get(pk=result["id"]),
        )


def _join_request_create(*, telegram_id: int, pppoker_id: str) -> JoinRequest:
    refuse_while_counter_closed()
    player = player_for(telegram_id)
    join = JoinRequest(player=player, pppoker_id=clean_pppoker_id(pppoker_id))
    if JoinRequest.objects.filter(player=player, status=RequestStatus.PENDING).exists():
        raise DuplicatePending(DUPLICATE)
    try:
        with transaction.atomic():
            join.save()
    except IntegrityError:  # the partial unique index caught a concurrent second request
        raise DuplicatePending(DUPLICATE) from None
    emit("join.created", player, join_request_id=join.pk, pppoker_id=join.pppoker_id)
    return join


def join_request_approve(*, join_request_id: Any, actor: Actor) -> JoinRequest:
    with transaction.atomic():
        join = locked(JoinRequest, join_request_id, LABEL)
        ensure_pending(join, LABEL)
        decide(join, status=RequestStatus.APPROVED, actor=actor)
        join.save()
        # The id and link as they are at approval, so the player is told what the admin approved.
        emit("join.approved", join.player, join_request_id=join.pk, pppoker_id=join.pppoker_id,
             club_id=settings.CLUB_ID, club_link=settings.CLUB_LINK, decided_by=actor.label)
        return join


def join_request_reject(*, join_request_id: Any, actor: Actor, reason: str) -> JoinRequest:
    reason = clean_reason(reason)
    with transaction.atomic():
        join = locked(JoinRequest, join_request_id, LABEL)
        ensure_pending(join, LABEL)
        decide(join, status=RequestStatus.REJECTED, actor=actor, reason=reason)
        join.save()
        emit("join.rejected", join.player, join_request_id=join.pk, reason=reason, decided_by=actor.label)
        return join
