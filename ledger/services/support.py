"""Live support: a player's session with the admins, each message stored and relayed once.

A player opens a session (one open at a time) and writes; every admin is shown it until one takes
it, by a conditional update that only one admin's call can win; from then on that admin and the
player talk. Either side ends it, and the worker ends a session whose admin's last message the
player has not answered for SUPPORT_IDLE_MINUTES. Each step is an event in the feed, which is how
the bot relays it, exactly once across its restarts.
"""
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ledger.actors import Actor, system_actor
from ledger.errors import AlreadyDecided, Invalid, NotFound
from ledger.models import Player, SupportMessage, SupportSession, SupportState
from ledger.services.common import announce, locked, player_for
from ledger.services.counter import refuse_while_counter_closed
from ledger.services.players import player_wrote
from ledger.validators import CAPTION_LENGTH, MESSAGE_LENGTH, clean_file_id, clean_message_text, parse_row_id

PLAYER = "player"  # closed_by when the player ended it
LABEL = "support session"


def support_open(*, telegram_id: Any) -> SupportSession:
    """The player's open session, or a new one (COUNTER_CLOSED while the counter is closed)."""
    with transaction.atomic():
        player = player_for(telegram_id)
        player_wrote(player)
        session = _open_session_of(player)
        if session is not None:
            return session
        refuse_while_counter_closed()
        try:
            with transaction.atomic():
                session = SupportSession.objects.create(player=player)
        except IntegrityError:  # the partial unique index: the player's other call opened it just now
            return _open_session_of(player)
        announce("support.opened", player, session_id=session.pk, author=player_label(player))
        return session


def _open_session_of(player: Player) -> SupportSession | None:
    return (SupportSession.objects.select_related("player")
            .filter(player=player, state__in=(SupportState.WAITING, SupportState.ACTIVE)).first())


def support_message_post(*, session_id: Any, actor: Actor | None, text: str | None = None,
                         photo: str | None = None) -> SupportMessage:
    """A message in an open session: the player's (`actor` None), or its admin's once they took it."""
    photo = clean_file_id(photo)
    text = clean_message_text(text, max_length=CAPTION_LENGTH if photo else MESSAGE_LENGTH,
                              label="The caption" if photo else "The message")
    if not text and not photo:
        raise Invalid("A message needs a text or a photo.", field="text")
    with transaction.atomic():
        session = locked(SupportSession, session_id, LABEL)
        _ensure_open(session)
        if actor is None:
            player_wrote(session.player)
            session.awaiting_player_since = None  # answered: the idle clock stops
            author = player_label(session.player)
        else:
            if session.state == SupportState.WAITING:
                raise Invalid("Take the session first (claimSupport); then write.", field="sessionId")
            if not _is_agent(session, actor):
                raise AlreadyDecided(f"{session.agent} has taken this session.")
            session.awaiting_player_since = timezone.now()
            author = actor.label
        session.version += 1
        session.save(update_fields=["awaiting_player_since", "version"])
        message = SupportMessage.objects.create(session=session, from_admin=actor is not None, author=author,
                                                text=text, photo=photo)
        announce("support.message", session.player, session_id=session.pk, message_id=message.pk,
                 from_admin=message.from_admin, author=author, text=text, photo=photo, state=session.state,
                 agent_telegram_id=session.agent_telegram_id)
        return message


def support_claim(*, session_id: Any, actor: Actor) -> SupportSession:
    """Take a waiting session. The first admin's call wins; every later one is ALREADY_DECIDED, saying
    who has it (the winner's own retry gets the session back)."""
    row_id = parse_row_id(session_id, label=LABEL)
    with transaction.atomic():
        taken = SupportSession.objects.filter(pk=row_id, state=SupportState.WAITING).update(
            state=SupportState.ACTIVE, agent=actor.label, agent_telegram_id=actor.telegram_id,
            claimed_at=timezone.now(), version=F("version") + 1)
        session = SupportSession.objects.select_related("player").filter(pk=row_id).first()
        if session is None:
            raise NotFound(f"No {LABEL} with id {row_id}.", field="sessionId")
        if not taken:
            _ensure_open(session)
            if _is_agent(session, actor):
                return session
            raise AlreadyDecided(f"{session.agent} has taken this session.")
        announce("support.claimed", session.player, session_id=session.pk, agent=session.agent,
                 agent_telegram_id=session.agent_telegram_id)
        return session


def support_close(*, session_id: Any, actor: Actor | None) -> SupportSession:
    """End an open session: the player's doing (`actor` None) or an admin's."""
    with transaction.atomic():
        session = locked(SupportSession, session_id, LABEL)
        _ensure_open(session)
        if actor is None:
            player_wrote(session.player)
        session.state, session.closed_at = SupportState.CLOSED, timezone.now()
        session.closed_by = actor.label if actor else PLAYER
        session.version += 1
        session.save(update_fields=["state", "closed_at", "closed_by", "version"])
        _announce_closed(session, by="admin" if actor else PLAYER)
        return session


def support_sessions_close_idle(*, now: datetime | None = None) -> list[SupportSession]:
    """Close, as "system", each active session whose admin's last message has waited SUPPORT_IDLE_MINUTES
    for the player's answer.

    Each close is a conditional update of a session still active and still unanswered, so of several
    workers at once one closes it, and a player answering at that moment keeps the session open.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.SUPPORT_IDLE_MINUTES)
    system = system_actor().label
    closed = []
    with transaction.atomic():
        idle = (SupportSession.objects.select_related("player").order_by("id")
                .filter(state=SupportState.ACTIVE, awaiting_player_since__lte=cutoff))
        for session in idle:
            if not SupportSession.objects.filter(pk=session.pk, state=SupportState.ACTIVE,
                                                 awaiting_player_since__lte=cutoff).update(
                    state=SupportState.CLOSED, closed_at=now, closed_by=system, version=F("version") + 1):
                continue  # another worker closed it, or the player answered
            session.state, session.closed_at, session.closed_by = SupportState.CLOSED, now, system
            _announce_closed(session, by="system")
            closed.append(session)
    return closed


def player_label(player: Player) -> str:
    return f"@{player.username}" if player.username else player.first_name or str(player.telegram_id)


def _is_agent(session: SupportSession, actor: Actor) -> bool:
    if actor.telegram_id is not None:
        return session.agent_telegram_id == actor.telegram_id
    return session.agent_telegram_id is None and session.agent == actor.label


def _ensure_open(session: SupportSession) -> None:
    if session.state == SupportState.CLOSED:
        raise AlreadyDecided(f"This support session was already closed by {session.closed_by}.")


def _announce_closed(session: SupportSession, *, by: str) -> None:
    """`by`: which side ended it (player, admin or system), for the bot to word it."""
    announce("support.closed", session.player, session_id=session.pk, closed_by=session.closed_by, by=by,
             agent_telegram_id=session.agent_telegram_id)
