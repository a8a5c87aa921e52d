"""Live support's reads: sessions newest first, a transcript oldest first."""
from django.db.models import QuerySet

from ledger.models import SupportMessage, SupportSession


def support_session_list(*, state: str | None = None, telegram_id: int | None = None) -> QuerySet[SupportSession]:
    sessions = SupportSession.objects.select_related("player").order_by("-opened_at", "-id")
    if state:
        sessions = sessions.filter(state=state)
    if telegram_id is not None:
        sessions = sessions.filter(player__telegram_id=telegram_id)
    return sessions


def support_transcript(*, session_id: int) -> QuerySet[SupportMessage]:
    return SupportMessage.objects.filter(session_id=session_id).order_by("id")
