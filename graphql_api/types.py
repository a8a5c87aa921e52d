"""GraphQL types of the contract, one place each. Fields map to model fields;
the optimizer turns the selection into select_related/only, so lists cost a
fixed number of queries."""
import json
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

import strawberry
import strawberry_django
from django.db.models import Prefetch
from strawberry import auto

from graphql_api import slips
from graphql_api.auth import CallerKind
from graphql_api.errors import ErrorCode
from graphql_api.fields import ColumnField, column, related_column
from graphql_api.scalars import BigInt
from delivery import models as delivery_models
from ledger import models, selectors, services
from ledger.validators import amount_to_settle

RequestStatus = strawberry.enum(models.RequestStatus, name="RequestStatus")
Language = strawberry.enum(models.Language, name="Language", description="What a player reads the bot in.")
RewardStatus = strawberry.enum(models.RewardStatus, name="RewardStatus",
                               description="AUTO: nothing was won, nothing to decide.")
CreditStatus = strawberry.enum(models.CreditStatus, name="CreditStatus",
                               description="SETTLED: paid by its deposit; CLEARED: closed by hand.")
PromotionKind = strawberry.enum(models.PromotionKind, name="PromotionKind",
                                description="DEPOSIT_BONUS: a bonus on the first deposit of each player in it; "
                                            "CASHBACK: recovery claims.")
PromotionState = strawberry.enum(selectors.PromotionState, name="PromotionState",
                                 description="On the club's today: not started yet, running, or ended (ended early "
                                             "by an admin or past its last day).")
CashbackRule = strawberry.enum(selectors.CashbackRule, name="CashbackRule",
                               description="The recovery rule a player fails (the first that fails).")


@strawberry_django.type(models.SpinAccount, name="SpinAccount", field_cls=ColumnField)
class SpinAccountType:
    available_spins: auto
    total_spins_used: auto
    total_chips_won: int = column(description="All wins that were not rejected.")
    total_chips_approved: auto
    total_deposit_base: Decimal = column(description="Approved deposits, in MVR.")
    last_spin_at: auto
    user: "UserType" = strawberry_django.field(field_name="player")


@strawberry.type(name="Fairness", description="What a player needs to check their draws (domain.md, fair draws).")
class FairnessType:
    server_seed_hash: str = strawberry.field(description="SHA-256 hex of the current secret seed.")
    client_seed: str
    nonce: int = strawberry.field(description="Of the next spin.")
    previous_server_seed: str | None = strawberry.field(description="Revealed by the last rotation.")
    previous_server_seed_hash: str | None

    @classmethod
    def of(cls, fairness: selectors.Fairness) -> "FairnessType":
        return cls(**vars(fairness))


@strawberry_django.type(models.Player, name="User", field_cls=ColumnField)
class UserType:
    telegram_id: BigInt
    username: auto
    first_name: auto
    last_name: auto
    pppoker_id: auto
    account_name: str = column(description="Payout name, fixed by the first approved deposit.")
    language: Language
    created_at: auto
    spin_account: SpinAccountType

    @strawberry_django.field(only=["telegram_id"], description="The bot shows the admin menu from this.")
    def is_admin(self, info: strawberry.Info) -> bool:
        return self.telegram_id in info.context.admin_ids

    @strawberry_django.field(
        prefetch_related=[Prefetch("credits", queryset=models.Credit.objects.filter(status=models.CreditStatus.OPEN),
                                   to_attr="open_credits")],
        description="What the player owes now, if anything: it blocks seats and withdrawals.")
    def open_credit(self) -> "CreditType | None":
        prefetched = getattr(self, "open_credits", None)  # absent on a player a mutation returned
        if prefetched is None:
            return self.credits.filter(status=models.CreditStatus.OPEN).first()
        return prefetched[0] if prefetched else None

    @strawberry_django.field(
        select_related=["spin_account"],
        prefetch_related=[Prefetch("revealed_seeds", queryset=models.RevealedSeed.objects.order_by(
            "-revealed_at", "-id")[:1], to_attr="last_revealed")])
    def fairness(self) -> FairnessType:
        last = getattr(self, "last_revealed", None)  # absent on a player a mutation returned
        if last is None:
            return FairnessType.of(selectors.fairness(self.spin_account))
        return FairnessType.of(selectors.fairness_of(self.spin_account, last[0] if last else None))


@strawberry_django.type(models.PaymentMethod, name="PaymentMethod", field_cls=ColumnField)
class PaymentMethodType:
    code: auto
    label: auto
    currency: auto
    account_number: auto
    account_holder: auto
    rate_to_base: Decimal = column(description="One unit of currency in MVR.")
    is_active: auto
    updated_at: auto


@strawberry_django.interface(models.MoneyRequest, name="MoneyRequest", field_cls=ColumnField,
                             description="What deposits and withdrawals share: a request an admin decides once.")
class MoneyRequestType:
    id: strawberry.ID  # the abstract model has no id field to infer it from
    user: UserType = strawberry_django.field(field_name="player")
    method: str = related_column("method__code", description="The payment method's code, e.g. BML or USDT.")
    amount: auto
    currency: auto
    account_name: auto
    pppoker_id: auto
    status: RequestStatus
    created_at: auto
    decided_at: auto
    decided_by: str | None
    rejection_reason: auto
    legacy_ref: auto


@strawberry_django.type(models.Deposit, name="Deposit", field_cls=ColumnField)
class DepositType(MoneyRequestType):
    amount_base: Decimal | None = column(description="Set at approval, in MVR.")
    rate_to_base: auto
    proof: str = column(description="Telegram file id of the slip, or a USDT TXID.")
    spins_granted: auto
    spin_tier_version: int | None = column(description="The tier table its spins came from.")
    credit: "CreditType | None" = strawberry_django.field(description="The credit this deposit settles.")
    bonus: "BonusType | None" = strawberry_django.field(
        description="What its approval earned under a deposit bonus promotion: chips to load with the deposit's.")

    @strawberry_django.field(only=["amount", "amount_base", "method__rate_to_base"], select_related=["method"],
                             description="In MVR: amountBase once approved; until then, at the method's rate now.")
    def value_base(self) -> Decimal:
        return selectors.deposit_value_base(self)

    @strawberry_django.field(select_related=["slip"], description="Staff and the bot only (a signed link that "
                             "expires for the bot); null without an uploaded slip.")
    def slip_url(self, info: strawberry.Info) -> str | None:
        slip = _slip(self)
        if slip is None:
            return None
        return slips.slip_url(info.context.request, slip, staff=info.context.caller.kind is CallerKind.STAFF)

    @strawberry_django.field(select_related=["slip"], description="What the worker read on the slip; null "
                             "without an uploaded slip.")
    def slip_reading(self) -> "SlipReadingType | None":
        slip = _slip(self)
        return None if slip is None else SlipReadingType(**vars(selectors.slip_reading(slip)))


def _slip(deposit: models.Deposit) -> models.Slip | None:
    try:
        return deposit.slip
    except models.Slip.DoesNotExist:
        return None


@strawberry.type(name="SlipWarning", description="AMOUNT_MISMATCH RECEIVER_MISMATCH DUPLICATE_REFERENCE "
                 "DUPLICATE_IMAGE: hints for the admin, never a refusal.")
class SlipWarningType:
    code: str
    message: str


@strawberry.type(name="SlipReading")
class SlipReadingType:
    done: bool = strawberry.field(description="False while the worker has not read the slip yet.")
    amount: Decimal | None
    reference: str | None
    bank: str | None
    sender: str | None
    receiver_name: str | None
    receiver_account: str | None
    warnings: list[SlipWarningType]

    def __post_init__(self):
        self.warnings = [SlipWarningType(code=w.code, message=w.message) for w in self.warnings]


@strawberry_django.type(models.Withdrawal, name="Withdrawal", field_cls=ColumnField)
class WithdrawalType(MoneyRequestType):
    amount_base: Decimal = column(description="In MVR, at the rate of the request.")
    account_number: auto


@strawberry_django.type(models.Spin, name="Spin", field_cls=ColumnField)
class SpinType:
    id: auto
    user: UserType = strawberry_django.field(field_name="player")
    prize: str = column(description='"Try Again!" or "<n> Chips".')
    chips: auto
    status: RewardStatus
    created_at: auto
    decided_at: auto
    decided_by: str | None
    rejection_reason: auto
    server_seed_hash: str = column(description="The seed it was drawn on; empty for spins from before fair draws.")
    client_seed: auto
    prize_table_version: int = column(description="The prize table its outcome was drawn on.")

    @strawberry_django.field(only=["nonce"], description="-1 for spins from before fair draws (the import).")
    def nonce(self) -> int:
        return -1 if self.nonce is None else self.nonce


@strawberry_django.type(models.SeatRequest, name="SeatRequest", field_cls=ColumnField,
                        description="Chips now, pay later: approving it opens a credit.")
class SeatRequestType:
    id: auto
    user: UserType = strawberry_django.field(field_name="player")
    amount: Decimal = column(description="MVR.")
    pppoker_id: auto
    status: RequestStatus
    created_at: auto
    decided_at: auto
    decided_by: str | None = column(description='Who decided; "system" for an expiry.')
    rejection_reason: auto
    credit: "CreditType | None" = strawberry_django.field(description="Once approved.")


@strawberry_django.type(models.Credit, name="Credit", field_cls=ColumnField)
class CreditType:
    id: auto
    user: UserType = strawberry_django.field(field_name="player")
    amount: Decimal = column(description="MVR owed.")
    status: CreditStatus
    seat_request: SeatRequestType
    created_at: auto
    closed_at: auto
    closed_by: str | None
    reason: str = column(description="Why it was cleared by hand.")
    settlement: DepositType | None = strawberry_django.field(description="The deposit that settled it.")
    reminders_sent: int = column(description="Payment reminders sent so far.")

    @strawberry_django.field(only=["amount"], description="What settles it in a payment method's currency, at its "
                                                          "rate now, rounded up; null for an unknown method.")
    def amount_in(self, method: str) -> Decimal | None:
        found = selectors.payment_method_by_code(method)
        return amount_to_settle(self.amount, found.rate_to_base) if found else None


@strawberry_django.type(models.Promotion, name="Promotion", field_cls=ColumnField)
class PromotionType:
    id: auto
    kind: PromotionKind
    percentage: Decimal
    starts_on: date = column(description="The first day, club-local, inclusive.")
    ends_on: date = column(description="The last day, club-local, inclusive (as planned: see endedAt).")
    created_by: auto
    created_at: auto
    ended_at: datetime | None = column(description="When an admin ended it early; null if not.")
    ended_by: auto

    @strawberry_django.field(only=["starts_on", "ends_on", "ended_at"],
                             description="Today (club time) is within the dates and it was not ended.")
    def active(self) -> bool:
        return selectors.promotion_is_active(self)

    @strawberry_django.field(only=["starts_on", "ends_on", "ended_at"])
    def state(self) -> PromotionState:
        return selectors.promotion_state(self)


@strawberry_django.type(models.Bonus, name="Bonus", field_cls=ColumnField)
class BonusType:
    id: auto
    deposit: DepositType
    promotion: PromotionType
    user: UserType = strawberry_django.field(field_name="player")
    amount: Decimal = column(description="MVR, in chips: the deposit's amountBase x percentage / 100, to the cent "
                                         "rounded down.")
    percentage: Decimal
    created_at: auto


@strawberry.type(name="CashbackEligibility",
                 description="Whether a player may claim recovery now, and the figures that decide it.")
class CashbackEligibilityType:
    """Resolved from ledger.selectors.CashbackEligibility itself."""
    eligible: bool
    reason: str = strawberry.field(description="Empty when eligible; else the rule that fails, in words.")
    rule: CashbackRule | None = strawberry.field(description="The rule that fails, for a client to word; null "
                                                             "when eligible.")
    deposits_since_reset: Decimal = strawberry.field(description="D: approved deposits since the reset, MVR.")
    reset_at: datetime | None = strawberry.field(description="The last approved withdrawal or claim; null: never.")
    minimum: Decimal = strawberry.field(description="The least D that may be claimed on, MVR.")
    missing: Decimal = strawberry.field(description="How much more D needs to reach the minimum, MVR.")
    percentage: Decimal | None = strawberry.field(description="Of the active CASHBACK promotion, if any.")
    amount: Decimal | None = strawberry.field(description="D x percentage / 100, to the cent rounded down, when "
                                                          "eligible.")
    promotion: PromotionType | None


@strawberry_django.type(models.CashbackClaim, name="CashbackClaim", field_cls=ColumnField,
                        description="A recovery claim, on the figures of the moment it was made.")
class CashbackClaimType:
    id: auto
    user: UserType = strawberry_django.field(field_name="player")
    promotion: PromotionType
    deposits_base: Decimal = column(description="D at the time of the claim, MVR.")
    deposits_since: datetime | None = column(description="The reset point D was counted from; null: never.")
    percentage: Decimal
    amount: Decimal = column(description="MVR.")
    pppoker_id: auto
    status: RequestStatus
    created_at: auto
    decided_at: auto
    decided_by: str | None
    rejection_reason: auto


@strawberry_django.type(models.JoinRequest, name="JoinRequest", field_cls=ColumnField)
class JoinRequestType:
    id: auto
    user: UserType = strawberry_django.field(field_name="player")
    pppoker_id: auto
    status: RequestStatus
    created_at: auto
    decided_at: auto
    decided_by: str | None
    rejection_reason: auto


@strawberry_django.type(models.Event, name="Event", field_cls=ColumnField)
class EventType:
    id: strawberry.ID
    kind: str = column(description="e.g. deposit.created, deposit.approved, spin.won")
    telegram_id: BigInt | None
    created_at: auto

    @strawberry_django.field(only=["payload"], description="JSON text.")
    def payload(self) -> str:
        return json.dumps(self.payload, sort_keys=True)


@strawberry.type
class Prize:
    label: str
    chips: int
    probability: float
    weight: int = strawberry.field(description="Out of the table's total weight.")

    @classmethod
    def table(cls, prizes) -> list["Prize"]:
        total = sum(prize.weight for prize in prizes)
        return [cls(label=p.label, chips=p.chips, probability=p.weight / total, weight=p.weight) for p in prizes]


@strawberry.type(description="MVR threshold -> spins granted.")
class SpinTier:
    min_amount: Decimal
    spins: int


@strawberry.type(name="SpinTierTable")
class SpinTierTableType:
    version: int
    tiers: list[SpinTier]
    created_by: str
    created_at: datetime | None

    @classmethod
    def of(cls, table: selectors.Tiers) -> "SpinTierTableType":
        return cls(version=table.version, tiers=[SpinTier(min_amount=t, spins=s) for t, s in table.tiers],
                   created_by=table.created_by, created_at=table.created_at)


@strawberry.type(name="PrizeTable")
class PrizeTableType:
    version: int
    prizes: list[Prize]
    created_by: str
    created_at: datetime | None

    @classmethod
    def of(cls, table: selectors.Prizes) -> "PrizeTableType":
        return cls(version=table.version, prizes=Prize.table(table.prizes), created_by=table.created_by,
                   created_at=table.created_at)


@strawberry.type
class SpinBatch:
    spins: list[SpinType]
    chips_won: int
    spins_left: int

    @classmethod
    def from_batch(cls, batch: services.SpinBatch) -> "SpinBatch":
        return cls(spins=batch.spins, chips_won=batch.chips_won, spins_left=batch.spins_left)


@strawberry.type(description="A union cannot wrap a list, hence this wrapper.")
class SpinRewards:
    spins: list[SpinType]
    chips: int


@strawberry.type(description="Whether a player may withdraw now, told before they type anything.")
class WithdrawalEligibility:
    eligible: bool
    code: ErrorCode | None = strawberry.field(description="Why not, as createWithdrawal would refuse; null if "
                                                          "eligible.")
    minimum: Decimal = strawberry.field(description="The smallest withdrawal, in MVR.")
    payout_name: str = strawberry.field(description="Payouts go to this name only; empty before the first "
                                                    "approved deposit.")
    pending: bool = strawberry.field(description="A withdrawal of the player waits for an admin.")


@strawberry.type
class CurrencyTotal:
    currency: str
    amount: Decimal


@strawberry.type(description="One period; amounts in MVR unless per currency.")
class Stats:
    """Resolved from ledger.selectors.Stats itself; only its per-currency dicts need a shape of their own."""
    start: datetime | None
    end: datetime | None
    deposits_approved: int
    deposits_approved_base: Decimal
    withdrawals_approved: int
    withdrawals_approved_base: Decimal
    spins_used: int
    chips_won: int
    chips_approved: int
    open_credits: int = strawberry.field(description="Credits open at the end of the period.")
    open_credits_base: Decimal = strawberry.field(description="What they owe, in MVR.")
    bonuses_base: Decimal = strawberry.field(description="Deposit bonuses granted, in MVR.")
    cashback_base: Decimal = strawberry.field(description="Recovery paid (claims approved), in MVR.")

    @strawberry.field
    def deposits_by_currency(self: selectors.Stats) -> list[CurrencyTotal]:
        return _currency_totals(self.deposits_by_currency)

    @strawberry.field
    def withdrawals_by_currency(self: selectors.Stats) -> list[CurrencyTotal]:
        return _currency_totals(self.withdrawals_by_currency)


def _currency_totals(totals: dict[str, Decimal]) -> list[CurrencyTotal]:
    return [CurrencyTotal(currency=currency, amount=amount) for currency, amount in totals.items()]


@strawberry_django.type(delivery_models.AdminMessage, name="AdminMessage",
                        description="Where the bot showed a request to an admin.")
class AdminMessageType:
    chat_id: BigInt
    message_id: BigInt


StatsPeriod = strawberry.enum(selectors.Period, name="StatsPeriod",
                              description="Club-local periods ending now; WEEK starts on Monday, SIX_MONTHS is "
                                          "this month and the five before it.")


@strawberry.type(name="PendingCounts", description="How many requests of each kind wait for an admin.")
class PendingCountsType:
    """Each field is its own COUNT: a query pays only for the kinds it asks."""

    @strawberry.field
    def deposits(self) -> int:
        return selectors.deposits_pending().count()

    @strawberry.field
    def withdrawals(self) -> int:
        return selectors.withdrawals_pending().count()

    @strawberry.field(description="Wins, one per spin.")
    def spin_rewards(self) -> int:
        return selectors.spin_rewards_pending().count()

    @strawberry.field
    def seat_requests(self) -> int:
        return selectors.seat_requests_pending().count()

    @strawberry.field(description="Recovery claims.")
    def cashback_claims(self) -> int:
        return selectors.cashback_claims_pending().count()

    @strawberry.field
    def join_requests(self) -> int:
        return selectors.join_requests_pending().count()


@strawberry.type(name="Admin")
class AdminType:
    telegram_id: BigInt
    username: str
    is_super_admin: bool
    from_environment: bool = strawberry.field(description="Named in ADMIN_USER_ID; changed there, not here.")
    added_by: str
    added_at: datetime | None


@strawberry_django.type(models.ConfigChange, name="ConfigChange", field_cls=ColumnField)
class ConfigChangeType:
    id: strawberry.ID
    what: auto
    before: auto
    after: auto
    changed_by: auto
    changed_at: auto


@strawberry.type(name="MethodTotal")
class MethodTotalType:
    method: str
    currency: str
    count: int
    amount: Decimal = strawberry.field(description="In the method's currency.")
    amount_base: Decimal = strawberry.field(description="In MVR, at the rates of the decisions.")


@strawberry.type(name="Report", description="One period, club-local boundaries; MVR unless said.")
class ReportType:
    """Resolved from ledger.selectors.Report itself."""
    period: StatsPeriod | None
    deposits: list[MethodTotalType]
    withdrawals: list[MethodTotalType]
    deposits_base: Decimal
    withdrawals_base: Decimal
    spin_chips_approved: int
    spin_chips_base: Decimal = strawberry.field(description="The spin chips approved, at CHIP_VALUE_MVR each.")
    bonuses_base: Decimal
    cashback_base: Decimal
    open_credits: int = strawberry.field(description="Now, whatever the period.")
    open_credits_base: Decimal
    net_base: Decimal = strawberry.field(
        description="Deposits - withdrawals - spin chips approved x CHIP_VALUE_MVR - bonuses - recovery.")

    @strawberry.field(name="from", description="Null for LIFETIME.")
    def from_(self: selectors.Report) -> datetime | None:
        return self.start

    @strawberry.field
    def to(self: selectors.Report) -> datetime:
        return self.end


# --- the counter, live support, broadcasts ------------------------------------------------------

CounterState = strawberry.enum(models.CounterState, name="CounterState")
SupportState = strawberry.enum(models.SupportState, name="SupportState",
                               description="WAITING: no admin has taken it yet.")
BroadcastState = strawberry.enum(models.BroadcastState, name="BroadcastState",
                                 description="DONE: every copy's outcome is recorded.")


@strawberry.enum(description="What became of one copy of a broadcast.")
class DeliveryOutcome(Enum):
    SENT = "SENT"
    BLOCKED = "BLOCKED"  # the player blocked the bot: marked, and skipped until they write again
    FAILED = "FAILED"


@strawberry_django.type(models.Broadcast, name="Broadcast", field_cls=ColumnField,
                        description="A text or photo to every player, with what became of each copy.")
class BroadcastType:
    id: auto
    text: str = column(description="The text, or the photo's caption.")
    photo: str = column(description="Telegram file id, or empty.")
    state: BroadcastState
    created_by: auto
    created_at: auto
    finished_at: auto
    cancelled_by: auto
    total: int = column(description="Recipients, fixed when it was made: every player not marked blocked.")
    sent: auto
    blocked: int = column(description="Copies refused because the player blocked the bot.")
    failed: auto

    @strawberry_django.field(only=["total", "sent", "blocked", "failed"],
                             description="Copies not delivered yet (left undelivered once cancelled).")
    def pending(self) -> int:
        return self.pending


@strawberry_django.type(models.Counter, name="Counter", field_cls=ColumnField,
                        description="The cashier desk; while CLOSED players' requests answer COUNTER_CLOSED.")
class CounterType:
    state: CounterState
    changed_at: datetime | None = column(description="Null until an admin first changes it.")
    announcement: BroadcastType | None = strawberry_django.field(
        description="The broadcast that announced the last change, if the admin wrote one.")

    @strawberry_django.field(only=["changed_by"])
    def changed_by(self) -> str | None:
        return self.changed_by or None


@strawberry_django.type(models.SupportMessage, name="SupportMessage", field_cls=ColumnField)
class SupportMessageType:
    id: auto
    from_admin: auto
    author: str = column(description="The admin, or the player's @username (name or id without one).")
    text: str = column(description="The text, or the photo's caption.")
    photo: str = column(description="Telegram file id, or empty.")
    created_at: auto


@strawberry_django.type(models.SupportSession, name="SupportSession", field_cls=ColumnField)
class SupportSessionType:
    id: auto
    user: UserType = strawberry_django.field(field_name="player")
    state: SupportState
    agent_telegram_id: BigInt | None = column(description="The admin who took it; null for a staff login.")
    opened_at: auto
    claimed_at: auto
    closed_at: auto
    awaiting_player_since: datetime | None = column(
        description="Since when the admin's last message waits for the player; SUPPORT_IDLE_MINUTES of it close "
                    "the session.")

    @strawberry_django.field(only=["agent"], description="The admin who took it.")
    def agent(self) -> str | None:
        return self.agent or None

    @strawberry_django.field(only=["closed_by"], description='An admin, "player", or "system" (idle).')
    def closed_by(self) -> str | None:
        return self.closed_by or None

    @strawberry_django.field(
        prefetch_related=[Prefetch("messages", queryset=models.SupportMessage.objects.order_by("id"),
                                   to_attr="transcript")],
        description="The transcript, oldest first.")
    def messages(self, first: int = 50, offset: int = 0) -> list[SupportMessageType]:
        transcript = getattr(self, "transcript", None)  # absent on a session a mutation returned
        if transcript is None:
            transcript = selectors.support_transcript(session_id=self.pk)
        return selectors.page(transcript, first=first, offset=offset)
