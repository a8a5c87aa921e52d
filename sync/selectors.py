"""Which ledger rows the mirror must (re)write, read from the database.

A sheet row shows fields of its object and, for most sheets, of its player
(username, PPPoker id). Its version is therefore the sum of both versions:
each only ever grows, so the sum changes whenever either does. Values and
version come from the same SELECT, so the version recorded after a write is
exactly the version of the values written.
"""
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Case, F, JSONField, Model, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from ledger.clubtime import club_today
from ledger.models import (
    Bonus, CashbackClaim, Deposit, JoinRequest, Player, Promotion, PromotionKind, Spin, SpinAccount, Withdrawal,
)
from ledger.selectors.promotions import active_on
from sync import layout
from sync.layout import (
    CASHBACK_HISTORY, CASHBACK_PROMOTIONS, DEPOSITS, JOIN_REQUESTS, PROMOTION_ELIGIBILITY, PROMOTIONS, SPIN_HISTORY,
    SPIN_USERS, USERS, WITHDRAWALS,
)
from sync.models import ImportedRow, MirroredRow


@dataclass(frozen=True)
class SheetSource:
    model: type[Model]
    fields: tuple[str, ...]  # what `render` and `key` read, through QuerySet.values()
    ordering: tuple[str, ...]  # oldest first: new rows are appended in the order they happened
    version: Callable[[], F]
    key: Callable[[dict], str]
    render: Callable[[dict], list]
    only: dict = field(default_factory=dict)  # the objects of this sheet, when a model feeds two

    def objects(self) -> QuerySet:
        return self.model.objects.filter(**self.only)


def _with_player() -> F:
    return F("version") + F("player__version")


def _with_status_today() -> F:
    """A promotion's Status (Active / Inactive) turns with the calendar, not with a change of the row: twice
    the version, plus one while it is active, differs from what was written whenever either moved."""
    return F("version") * 2 + Case(When(active_on(club_today()), then=Value(1)), default=Value(0))


def _never_changes() -> Value:
    return Value(1)  # a bonus is written once, with its deposit's approval


SOURCES: dict[str, SheetSource] = {
    USERS: SheetSource(Player, layout.USER_FIELDS, ("id",), lambda: F("version"), layout.user_key,
                       layout.render_user),
    DEPOSITS: SheetSource(Deposit, layout.DEPOSIT_FIELDS, ("created_at", "id"), _with_player,
                          layout.deposit_key, layout.render_deposit),
    WITHDRAWALS: SheetSource(Withdrawal, layout.WITHDRAWAL_FIELDS, ("created_at", "id"), _with_player,
                             layout.withdrawal_key, layout.render_withdrawal),
    SPIN_USERS: SheetSource(SpinAccount, layout.SPIN_ACCOUNT_FIELDS, ("player_id",), _with_player,
                            layout.spin_account_key, layout.render_spin_account),
    SPIN_HISTORY: SheetSource(Spin, layout.SPIN_FIELDS, ("created_at", "id"), _with_player,
                              layout.spin_key, layout.render_spin),
    PROMOTIONS: SheetSource(Promotion, layout.PROMOTION_FIELDS, ("created_at", "id"), _with_status_today,
                            layout.promotion_key, layout.render_promotion, only={"kind": PromotionKind.DEPOSIT_BONUS}),
    PROMOTION_ELIGIBILITY: SheetSource(Bonus, layout.BONUS_FIELDS, ("created_at", "id"), _never_changes,
                                       layout.bonus_key, layout.render_bonus),
    CASHBACK_PROMOTIONS: SheetSource(Promotion, layout.PROMOTION_FIELDS, ("created_at", "id"), _with_status_today,
                                     layout.promotion_key, layout.render_promotion,
                                     only={"kind": PromotionKind.CASHBACK}),
    CASHBACK_HISTORY: SheetSource(CashbackClaim, layout.CLAIM_FIELDS, ("created_at", "id"), _with_player,
                                  layout.claim_key, layout.render_claim),
    JOIN_REQUESTS: SheetSource(JoinRequest, layout.JOIN_FIELDS, ("created_at", "id"), _with_player,
                               layout.join_key, layout.render_join),
}


@dataclass(frozen=True)
class DueRow:
    object_id: int
    version: int
    key: str
    cells: list
    written_cells: list | None  # what the mirror last wrote for this object, if known


def rows_due(sheet: str) -> list[DueRow]:
    """Rows of `sheet` whose current version is not the one last written (or never written)."""
    source = SOURCES[sheet]
    written = MirroredRow.objects.filter(sheet=sheet, object_id=OuterRef("pk"))
    rows = (source.objects()
            .annotate(row_version=source.version(),
                      written_version=Coalesce(Subquery(written.values("version")[:1]), Value(0)),
                      written_cells=Subquery(written.values("cells")[:1], output_field=JSONField()))
            .exclude(written_version=F("row_version"))
            .order_by(*source.ordering)
            .values(*source.fields, "row_version", "written_cells"))
    return [DueRow(row["id"], row["row_version"], source.key(row), source.render(row), row["written_cells"])
            for row in rows]


def row_versions(sheet: str, object_ids: list[int]) -> dict[int, int]:
    """Current row versions of some objects of `sheet` (the import marks what is already in the sheet)."""
    source = SOURCES[sheet]
    return dict(source.objects().filter(pk__in=object_ids).annotate(row_version=source.version())
                .values_list("pk", "row_version"))


def imported_keys(sheet: str) -> set[str]:
    """Source keys of the rows of `sheet` the import has taken in."""
    return set(ImportedRow.objects.filter(sheet=sheet).values_list("source_key", flat=True))


def imported_rows(sheet: str) -> list[tuple[str, int]]:
    """(source key, object id) of the rows of `sheet` the import has taken in, in the order it took them."""
    return list(ImportedRow.objects.filter(sheet=sheet).order_by("id").values_list("source_key", "object_id"))


def mirrored_ids(sheet: str, object_ids: Iterable[int]) -> set[int]:
    """Which of these objects the mirror has written to `sheet`."""
    return set(MirroredRow.objects.filter(sheet=sheet, object_id__in=set(object_ids))
               .values_list("object_id", flat=True))
