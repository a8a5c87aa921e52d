"""The counter: admins open and close the cashier desk; while it is closed players' requests wait.

Every service that takes a new request from a player calls `refuse_while_counter_closed` first
(deposits, withdrawals, spins, seats, recovery and join requests, opening live support); decisions
on what is already pending go on whatever the counter says (domain.md, "The counter").
"""
from django.db import transaction
from django.utils import timezone

from ledger.actors import Actor
from ledger.models import COUNTER_ID, Counter, CounterState
from ledger.selectors.counter import counter_closed_refusal
from ledger.services.broadcasts import broadcast_start
from ledger.services.common import emit
from ledger.validators import clean_choice, clean_message_text


def refuse_while_counter_closed() -> None:
    """The one rule behind COUNTER_CLOSED, for every request a player makes."""
    refusal = counter_closed_refusal()
    if refusal is not None:
        raise refusal


def counter_set(*, state: str, actor: Actor, announce: str | None = None) -> Counter:
    """Open or close the counter, recording who and when; `announce` goes to every player as a broadcast.

    Setting the state the counter already has changes nothing and announces nothing, so two admins
    pressing the same button at once (or a retry) close it once and tell the players once.
    """
    state = clean_choice(state, CounterState, field="state", label="The counter's state")
    announce = clean_message_text(announce, field="announce", label="The announcement")
    with transaction.atomic():
        counter, _ = Counter.objects.select_for_update().get_or_create(pk=COUNTER_ID)
        if counter.state == state:
            return counter
        counter.state = state
        counter.changed_at = timezone.now()
        counter.changed_by = actor.label
        counter.announcement = broadcast_start(text=announce, photo="", actor=actor) if announce else None
        counter.version += 1
        counter.save()
        emit("counter.changed", None, state=state, changed_by=actor.label,
             broadcast_id=counter.announcement_id)
        return counter
