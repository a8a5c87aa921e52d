from django.db.models import QuerySet

from ledger.validators import parse_id_or_none

MAX_PAGE = 100


def page(queryset: QuerySet, *, first: int = 50, offset: int = 0) -> QuerySet:
    """Slice a list; page sizes are capped so no request can ask for the whole table."""
    first = max(0, min(int(first), MAX_PAGE))
    offset = max(0, int(offset))
    return queryset[offset:offset + first]


def by_id(queryset: QuerySet, pk) -> object | None:
    """One row by id, None for an id that cannot exist (not a number, out of range)."""
    row_id = parse_id_or_none(pk)
    return queryset.filter(pk=row_id).first() if row_id is not None else None


def newest_first(queryset: QuerySet, *, status: str | None, telegram_id: int | None) -> QuerySet:
    """A history, newest first, of one status and one player when given."""
    queryset = queryset.select_related("player__spin_account").order_by("-created_at", "-id")
    if status:
        queryset = queryset.filter(status=status)
    if telegram_id is not None:
        queryset = queryset.filter(player__telegram_id=telegram_id)
    return queryset
