"""Which ledger rows the mirror must (re)write, read from the database.

A sheet row shows fields of its object and, for most sheets, of its player
(username, PPPoker id). Its version is therefore the sum of both versions:
each only ever grows, so the sum changes whenever either does. Values and
version come from the same SELECT, so the version recorded after a write is
exactly the version of the values written.
"""
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import (
    BigIntegerField, Case, CharField, F, JSONField, Model, OuterRef, PositiveBigIntegerField, QuerySet, Subquery,
    Value, When,
)
from django.db.models.functions import Coalesce

from ledger.clubtime import club_today
from ledger.models import (
    Admin, Bonus, CashbackClaim, Counter, Credit, DailyReport, Deposit, JoinRequest, PaymentMethod, Player,
    Promotion, PromotionKind, SeatRequest, Spin, SpinAccount, Withdrawal,
)
from ledger.selectors.promotions import active_on
from sync import layout
from sync.layout import (
    ADMINS, CASHBACK_HISTORY, CASHBACK_PROMOTIONS, COUNTER_STATUS, DAILY_REPORTS, DEPOSITS, EXCHANGE_RATES,
    JOIN_REQUESTS, PAYMENT_ACCOUNTS, PROMOTION_ELIGIBILITY, PROMOTIONS, SEAT_REQUESTS, SPIN_HISTORY, SPIN_USERS,
    USER_CREDITS, USERS, WITHDRAWALS,
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
    rows: Callable[[], QuerySet] | None = None  # the objects that have a row; all of the model's by default

    def queryset(self) -> QuerySet:
        return self.rows() if self.rows is not None else self.model.objects.all()


def _with_player() -> F:
    return F("version") + F("player__version")


def _with_player_and_credit() -> F:
    # A seat's row also shows its credit (Has Credit, Settled At, how it was paid), which has a version of its own.
    return _with_player() + Coalesce(F("credit__version"), Value(0), output_field=PositiveBigIntegerField())


def _admin_player(field: str):
    return Subquery(Player.objects.filter(telegram_id=OuterRef("telegram_id")).values(field)[:1])


def _admins() -> QuerySet:
    text = CharField()
    return Admin.objects.annotate(player_username=Coalesce(_admin_player("username"), Value(""), output_field=text),
                                  player_first_name=Coalesce(_admin_player("first_name"), Value(""),
                                                             output_field=text),
                                  player_last_name=Coalesce(_admin_player("last_name"), Value(""),
                                                            output_field=text))


def _admin_version():
    # An admin's row shows their player's username and name, which may change after they were added.
    return F("version") + Coalesce(_admin_player("version"), Value(0), output_field=BigIntegerField())


def _written_once():
    return Value(1, output_field=BigIntegerField())  # a daily report never changes after midnight


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
    SEAT_REQUESTS: SheetSource(SeatRequest, layout.SEAT_REQUEST_FIELDS, ("created_at", "id"), _with_player_and_credit,
                               layout.seat_request_key, layout.render_seat_request),
    USER_CREDITS: SheetSource(Credit, layout.CREDIT_FIELDS, ("created_at", "id"), _with_player,
                              layout.credit_key, layout.render_credit),
    PAYMENT_ACCOUNTS: SheetSource(PaymentMethod, layout.PAYMENT_METHOD_FIELDS, ("sort_order", "code"),
                                  lambda: F("version"), layout.payment_method_key, layout.render_payment_account),
    # MVR methods convert at 1 by definition: the legacy sheet lists the foreign ones.
    EXCHANGE_RATES: SheetSource(PaymentMethod, layout.PAYMENT_METHOD_FIELDS, ("sort_order", "code"),
                                lambda: F("version"), layout.payment_method_key, layout.render_exchange_rate,
                                rows=lambda: PaymentMethod.objects.exclude(currency="MVR")),
    ADMINS: SheetSource(Admin, layout.ADMIN_FIELDS, ("id",), _admin_version, layout.admin_key, layout.render_admin,
                        rows=_admins),
    DAILY_REPORTS: SheetSource(DailyReport, layout.DAILY_REPORT_FIELDS, ("day",), _written_once,
                               layout.daily_report_key, layout.render_daily_report),
    PROMOTIONS: SheetSource(Promotion, layout.PROMOTION_FIELDS, ("created_at", "id"), _with_status_today,
                            layout.promotion_key, layout.render_promotion,
                            rows=lambda: Promotion.objects.filter(kind=PromotionKind.DEPOSIT_BONUS)),
    PROMOTION_ELIGIBILITY: SheetSource(Bonus, layout.BONUS_FIELDS, ("created_at", "id"), _never_changes,
                                       layout.bonus_key, layout.render_bonus),
    CASHBACK_PROMOTIONS: SheetSource(Promotion, layout.PROMOTION_FIELDS, ("created_at", "id"), _with_status_today,
                                     layout.promotion_key, layout.render_promotion,
                                     rows=lambda: Promotion.objects.filter(kind=PromotionKind.CASHBACK)),
    CASHBACK_HISTORY: SheetSource(CashbackClaim, layout.CLAIM_FIELDS, ("created_at", "id"), _with_player,
                                  layout.claim_key, layout.render_claim),
    JOIN_REQUESTS: SheetSource(JoinRequest, layout.JOIN_FIELDS, ("created_at", "id"), _with_player,
                               layout.join_key, layout.render_join),
    COUNTER_STATUS: SheetSource(Counter, layout.COUNTER_FIELDS, ("id",), lambda: F("version"), layout.counter_key,
                                layout.render_counter),
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
    rows = (source.queryset()
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
    return dict(source.queryset().filter(pk__in=object_ids).annotate(row_version=source.version())
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
