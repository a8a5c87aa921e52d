"""Reads. Each selector runs a fixed number of SQL queries whatever the number of
rows; pending lists are oldest first (the queue), histories newest first."""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from ledger.models import (
    MAX_BIGINT, Admin, AdminMessage, Deposit, Event, EventCursor, JournalEntry, JournalKind, PaymentMethod, Player,
    RequestStatus, RewardStatus, Spin, SpinAccount, Withdrawal,
)
from ledger.rules import winnable_prizes

MAX_PAGE = 100
BOT_CONSUMER = "bot"


def page(queryset: QuerySet, *, first: int = 50, offset: int = 0) -> QuerySet:
    """Slice a list; page sizes are capped so no request can ask for the whole table."""
    first = max(0, min(int(first), MAX_PAGE))
    offset = max(0, int(offset))
    return queryset[offset:offset + first]


def by_id(queryset: QuerySet, pk) -> object | None:
    """One row by id, None for an id that cannot exist (not a number, out of range)."""
    pk = str(pk)
    return queryset.filter(pk=int(pk)).first() if pk.isascii() and pk.isdigit() and 0 < int(pk) <= MAX_BIGINT else None


def is_admin(telegram_id: int) -> bool:
    if telegram_id in settings.ADMIN_USER_IDS:
        return True
    return Admin.objects.filter(telegram_id=telegram_id, is_active=True).exists()


def super_admin_id() -> int | None:
    return settings.ADMIN_USER_IDS[0] if settings.ADMIN_USER_IDS else None


def admin_telegram_ids() -> list[int]:
    """Every active admin, environment list first (the first is the super admin)."""
    ids = list(settings.ADMIN_USER_IDS)
    ids += [tid for tid in Admin.objects.filter(is_active=True).values_list("telegram_id", flat=True) if tid not in ids]
    return ids


def player_get(*, telegram_id: int) -> Player | None:
    return Player.objects.select_related("spin_account").filter(telegram_id=telegram_id).first()


def player_list(*, search: str | None = None) -> QuerySet[Player]:
    players = Player.objects.select_related("spin_account").order_by("id")
    if search:
        search = search.strip().lstrip("@")
        condition = (Q(username__icontains=search) | Q(first_name__icontains=search)
                     | Q(last_name__icontains=search) | Q(pppoker_id=search) | Q(account_name__icontains=search))
        if search.isdigit():
            condition |= Q(telegram_id=int(search))
        players = players.filter(condition)
    return players


def payment_methods_active() -> QuerySet[PaymentMethod]:
    return PaymentMethod.objects.filter(is_active=True).order_by("sort_order", "code")


def deposit_list(*, status: str | None = None, telegram_id: int | None = None) -> QuerySet[Deposit]:
    deposits = Deposit.objects.select_related("player__spin_account", "method").order_by("-created_at", "-id")
    if status:
        deposits = deposits.filter(status=status)
    if telegram_id is not None:
        deposits = deposits.filter(player__telegram_id=telegram_id)
    return deposits


def deposits_pending() -> QuerySet[Deposit]:
    return deposit_list(status=RequestStatus.PENDING).order_by("created_at", "id")


def withdrawal_list(*, status: str | None = None, telegram_id: int | None = None) -> QuerySet[Withdrawal]:
    withdrawals = Withdrawal.objects.select_related("player__spin_account", "method").order_by("-created_at", "-id")
    if status:
        withdrawals = withdrawals.filter(status=status)
    if telegram_id is not None:
        withdrawals = withdrawals.filter(player__telegram_id=telegram_id)
    return withdrawals


def withdrawals_pending() -> QuerySet[Withdrawal]:
    return withdrawal_list(status=RequestStatus.PENDING).order_by("created_at", "id")


def spin_account_get(*, telegram_id: int) -> SpinAccount | None:
    return SpinAccount.objects.filter(player__telegram_id=telegram_id).first()


def spin_history(*, telegram_id: int | None = None, status: str | None = None) -> QuerySet[Spin]:
    spins = Spin.objects.select_related("player__spin_account").order_by("-created_at", "-id")
    if telegram_id is not None:
        spins = spins.filter(player__telegram_id=telegram_id)
    if status:
        spins = spins.filter(status=status)
    return spins


def spin_rewards_pending() -> QuerySet[Spin]:
    return spin_history(status=RewardStatus.PENDING).order_by("created_at", "id")


@dataclass(frozen=True)
class PrizeOdds:
    label: str
    chips: int
    probability: float


def prize_table() -> list[PrizeOdds]:
    prizes = winnable_prizes()
    total = sum(prize.weight for prize in prizes)
    return [PrizeOdds(prize.label, prize.chips, prize.weight / total) for prize in prizes]


@dataclass(frozen=True)
class Stats:
    """Totals of the period [start, end); None leaves that side open."""
    start: datetime | None
    end: datetime | None
    deposits_approved: int
    deposits_approved_base: Decimal
    withdrawals_approved: int
    withdrawals_approved_base: Decimal
    spins_used: int
    chips_won: int
    chips_approved: int
    deposits_by_currency: dict[str, Decimal]
    withdrawals_by_currency: dict[str, Decimal]


def stats(*, start: datetime | None = None, end: datetime | None = None) -> Stats:
    """Totals of one period [start, end), from the journal: the same source check_ledger trusts."""
    entries = JournalEntry.objects.all()
    if start:
        entries = entries.filter(created_at__gte=start)
    if end:
        entries = entries.filter(created_at__lt=end)
    zero = Decimal("0")
    totals = entries.aggregate(
        deposits=Count("id", filter=Q(kind=JournalKind.DEPOSIT_APPROVED)),
        deposits_base=Coalesce(Sum("amount_base", filter=Q(kind=JournalKind.DEPOSIT_APPROVED)), zero),
        withdrawals=Count("id", filter=Q(kind=JournalKind.WITHDRAWAL_APPROVED)),
        withdrawals_base=Coalesce(Sum("amount_base", filter=Q(kind=JournalKind.WITHDRAWAL_APPROVED)), zero),
        spins_used=Count("id", filter=Q(kind=JournalKind.SPIN_USED)),
        chips_won=Coalesce(Sum("chips", filter=Q(kind__in=[JournalKind.SPIN_USED, JournalKind.REWARD_REJECTED])), 0),
        chips_approved=Coalesce(Sum("chips", filter=Q(kind=JournalKind.REWARD_APPROVED)), 0),
    )
    cents = Decimal("0.01")
    by_currency = {}
    for kind, field in ((JournalKind.DEPOSIT_APPROVED, "deposit"), (JournalKind.WITHDRAWAL_APPROVED, "withdrawal")):
        rows = (entries.filter(kind=kind).values(f"{field}__currency")
                .annotate(total=Sum(f"{field}__amount")).order_by(f"{field}__currency"))
        by_currency[field] = {row[f"{field}__currency"]: row["total"].quantize(cents) for row in rows}
    return Stats(
        start=start,
        end=end,
        deposits_approved=totals["deposits"],
        deposits_approved_base=totals["deposits_base"].quantize(cents),
        withdrawals_approved=totals["withdrawals"],
        withdrawals_approved_base=totals["withdrawals_base"].quantize(cents),
        spins_used=totals["spins_used"],
        chips_won=totals["chips_won"],
        chips_approved=totals["chips_approved"],
        deposits_by_currency=by_currency["deposit"],
        withdrawals_by_currency=by_currency["withdrawal"],
    )


def event_cursor_position(*, consumer: str = BOT_CONSUMER) -> int:
    cursor = EventCursor.objects.filter(consumer=consumer).first()
    return cursor.position if cursor else 0


def events_after(*, after: int | None = None, consumer: str = BOT_CONSUMER) -> QuerySet[Event]:
    """Events past `after`, or past what `consumer` acknowledged when `after` is not given."""
    position = after if after is not None else event_cursor_position(consumer=consumer)
    return Event.objects.filter(id__gt=position).order_by("id")


def admin_messages(*, request_kind: str, request_id: int) -> QuerySet[AdminMessage]:
    return AdminMessage.objects.filter(request_kind=request_kind, request_id=request_id).order_by("id")
