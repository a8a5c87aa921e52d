"""What the backend answers, as small typed records built from the GraphQL JSON.

Only what the bot shows or decides on is kept; unknown fields are ignored so
the backend may grow its types without breaking the bot.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@dataclass(frozen=True)
class Person:
    telegram_id: int
    username: str = ""
    first_name: str = ""
    last_name: str = ""
    pppoker_id: str = ""

    @classmethod
    def from_json(cls, data: dict) -> Person:
        return cls(telegram_id=int(data["telegramId"]), username=data.get("username") or "",
                   first_name=data.get("firstName") or "", last_name=data.get("lastName") or "",
                   pppoker_id=data.get("pppokerId") or "")


@dataclass(frozen=True)
class SpinAccount:
    available_spins: int
    total_spins_used: int = 0
    total_chips_won: int = 0
    total_chips_approved: int = 0

    @classmethod
    def from_json(cls, data: dict) -> SpinAccount:
        return cls(available_spins=data["availableSpins"], total_spins_used=data.get("totalSpinsUsed", 0),
                   total_chips_won=data.get("totalChipsWon", 0),
                   total_chips_approved=data.get("totalChipsApproved", 0))


def language_code(value: str | None) -> str:
    """The backend's Language enum (EN, DV) as the bot's catalog name (en, dv)."""
    return (value or "EN").lower()


@dataclass(frozen=True)
class Credit:
    """What a player owes for an approved seat (MVR), until a deposit settles it or an admin clears it."""
    id: int
    amount: Decimal
    status: str
    user: Person | None = None
    created_at: datetime | None = None
    closed_at: datetime | None = None
    closed_by: str | None = None
    reason: str = ""
    reminders_sent: int = 0
    seat_request_id: int | None = None
    settlement_id: int | None = None

    @classmethod
    def from_json(cls, data: dict) -> Credit:
        return cls(id=int(data["id"]), amount=_decimal(data["amount"]), status=data["status"],
                   user=Person.from_json(data["user"]) if data.get("user") else None,
                   created_at=_time(data.get("createdAt")), closed_at=_time(data.get("closedAt")),
                   closed_by=data.get("closedBy"), reason=data.get("reason") or "",
                   reminders_sent=data.get("remindersSent") or 0,
                   seat_request_id=int(data["seatRequest"]["id"]) if data.get("seatRequest") else None,
                   settlement_id=int(data["settlement"]["id"]) if data.get("settlement") else None)


def _credit(data: dict | None) -> Credit | None:
    return Credit.from_json(data) if data else None


@dataclass(frozen=True)
class User(Person):
    account_name: str = ""
    language: str = "en"
    created_at: datetime | None = None
    is_admin: bool = False
    spin_account: SpinAccount | None = None
    open_credit: Credit | None = None  # only where the query asked for it

    @classmethod
    def from_json(cls, data: dict) -> User:
        person = Person.from_json(data)
        return cls(**person.__dict__, account_name=data.get("accountName") or "",
                   language=language_code(data.get("language")),
                   created_at=_time(data.get("createdAt")), is_admin=bool(data.get("isAdmin")),
                   spin_account=SpinAccount.from_json(data["spinAccount"]) if data.get("spinAccount") else None,
                   open_credit=_credit(data.get("openCredit")))


@dataclass(frozen=True)
class PaymentMethod:
    code: str
    label: str
    currency: str
    account_number: str
    account_holder: str
    rate_to_base: Decimal
    is_active: bool = True

    @property
    def takes_txid(self) -> bool:
        """Crypto transfers are proven by a transaction id, bank transfers by a slip photo."""
        return self.code.upper() == "USDT"

    @property
    def unit(self) -> str:
        """What the player sends and reads amounts in: USDT is priced as USD, but it is USDT they transfer."""
        return "USDT" if self.takes_txid else self.currency

    @classmethod
    def from_json(cls, data: dict) -> PaymentMethod:
        return cls(code=data["code"], label=data["label"], currency=data["currency"],
                   account_number=data["accountNumber"], account_holder=data["accountHolder"],
                   rate_to_base=_decimal(data["rateToBase"]), is_active=data.get("isActive", True))


@dataclass(frozen=True)
class Eligibility:
    """Whether the player may withdraw now, as the backend's withdrawal rule says (withdrawalEligibility)."""
    eligible: bool
    code: str | None
    minimum: Decimal
    payout_name: str
    pending: bool

    @classmethod
    def from_json(cls, data: dict) -> Eligibility:
        return cls(eligible=data["eligible"], code=data.get("code"), minimum=_decimal(data["minimum"]),
                   payout_name=data.get("payoutName") or "", pending=bool(data.get("pending")))


@dataclass(frozen=True, kw_only=True)
class Decided:
    """What every request an admin decides carries: its status, when it came, who decided when, why not."""
    status: str
    created_at: datetime | None = None
    decided_at: datetime | None = None
    decided_by: str | None = None
    rejection_reason: str = ""

    @staticmethod
    def decision_fields(data: dict) -> dict:
        return dict(status=data["status"], created_at=_time(data.get("createdAt")),
                    decided_at=_time(data.get("decidedAt")), decided_by=data.get("decidedBy"),
                    rejection_reason=data.get("rejectionReason") or "")


@dataclass(frozen=True, kw_only=True)
class MoneyRequest(Decided):
    """What deposits and withdrawals share, as the backend's MoneyRequest interface does."""
    id: int
    amount: Decimal
    method: str
    currency: str
    account_name: str
    pppoker_id: str
    user: Person
    amount_base: Decimal | None = None

    @staticmethod
    def shared_fields(data: dict) -> dict:
        return dict(id=int(data["id"]), amount=_decimal(data["amount"]), method=data["method"],
                    currency=data["currency"], account_name=data["accountName"], pppoker_id=data["pppokerId"],
                    user=Person.from_json(data["user"]), amount_base=_decimal(data.get("amountBase")),
                    **Decided.decision_fields(data))


@dataclass(frozen=True)
class SlipReading:
    """What the backend's worker read on an uploaded slip; `done` False until it has."""
    done: bool
    amount: Decimal | None = None
    reference: str | None = None
    bank: str | None = None
    receiver_name: str | None = None
    receiver_account: str | None = None
    warnings: tuple[str, ...] = ()  # the warnings' messages, for the admins

    @classmethod
    def from_json(cls, data: dict | None) -> SlipReading | None:
        if not data:
            return None
        return cls(done=data["done"], amount=_decimal(data.get("amount")), reference=data.get("reference"),
                   bank=data.get("bank"), receiver_name=data.get("receiverName"),
                   receiver_account=data.get("receiverAccount"),
                   warnings=tuple(w["message"] for w in data.get("warnings") or ()))


@dataclass(frozen=True, kw_only=True)
class Deposit(MoneyRequest):
    proof: str
    spins_granted: int = 0
    credit: Credit | None = None  # the credit this deposit pays
    value_base: Decimal | None = None  # MVR: as approved, or at the method's rate now while pending
    slip_reading: SlipReading | None = None  # None without an uploaded slip
    bonus_amount: Decimal | None = None  # MVR in chips, loaded with the deposit's: a deposit bonus promotion
    bonus_percentage: Decimal | None = None

    @classmethod
    def from_json(cls, data: dict) -> Deposit:
        bonus = data.get("bonus") or {}
        return cls(**cls.shared_fields(data), proof=data["proof"], spins_granted=data.get("spinsGranted") or 0,
                   credit=_credit(data.get("credit")), value_base=_decimal(data.get("valueBase")),
                   slip_reading=SlipReading.from_json(data.get("slipReading")),
                   bonus_amount=_decimal(bonus.get("amount")), bonus_percentage=_decimal(bonus.get("percentage")))


@dataclass(frozen=True, kw_only=True)
class Withdrawal(MoneyRequest):
    account_number: str

    @classmethod
    def from_json(cls, data: dict) -> Withdrawal:
        return cls(**cls.shared_fields(data), account_number=data["accountNumber"])


@dataclass(frozen=True)
class SeatRequest(Decided):
    """Chips now, pay later: approving it opens a credit of `amount` (MVR)."""
    id: int
    amount: Decimal
    pppoker_id: str
    user: Person
    credit: Credit | None = None

    @classmethod
    def from_json(cls, data: dict) -> SeatRequest:
        return cls(id=int(data["id"]), amount=_decimal(data["amount"]), pppoker_id=data.get("pppokerId") or "",
                   user=Person.from_json(data["user"]), credit=_credit(data.get("credit")),
                   **cls.decision_fields(data))


@dataclass(frozen=True)
class CashbackEligibility:
    """Whether the player may claim recovery now, and the figures that decide it (cashbackEligibility)."""
    eligible: bool
    rule: str | None  # the CashbackRule that fails; None when eligible
    deposits: Decimal  # D: approved deposits since the reset, MVR
    minimum: Decimal
    missing: Decimal
    percentage: Decimal | None = None
    amount: Decimal | None = None
    reason: str = ""  # the backend's English words, for logs only: players read `rule` worded

    @classmethod
    def from_json(cls, data: dict) -> CashbackEligibility:
        return cls(eligible=data["eligible"], rule=data.get("rule"), deposits=_decimal(data["depositsSinceReset"]),
                   minimum=_decimal(data["minimum"]), missing=_decimal(data["missing"]),
                   percentage=_decimal(data.get("percentage")), amount=_decimal(data.get("amount")),
                   reason=data.get("reason") or "")


@dataclass(frozen=True)
class CashbackClaim(Decided):
    """A recovery claim: `percentage` of the deposits `deposits` (MVR), loaded as `amount` chips once approved."""
    id: int
    amount: Decimal
    percentage: Decimal
    deposits: Decimal
    pppoker_id: str
    user: Person

    @classmethod
    def from_json(cls, data: dict) -> CashbackClaim:
        return cls(id=int(data["id"]), amount=_decimal(data["amount"]), percentage=_decimal(data["percentage"]),
                   deposits=_decimal(data["depositsBase"]), pppoker_id=data.get("pppokerId") or "",
                   user=Person.from_json(data["user"]), **cls.decision_fields(data))


@dataclass(frozen=True)
class JoinRequest(Decided):
    """A player asking to join the club's PPPoker table with this id."""
    id: int
    pppoker_id: str
    user: Person

    @classmethod
    def from_json(cls, data: dict) -> JoinRequest:
        return cls(id=int(data["id"]), pppoker_id=data.get("pppokerId") or "", user=Person.from_json(data["user"]),
                   **cls.decision_fields(data))


@dataclass(frozen=True)
class Promotion:
    """A deposit bonus or recovery promotion; `active` and `state` (UPCOMING, ACTIVE, ENDED) are the
    backend's, on the club's today."""
    id: int
    kind: str
    percentage: Decimal
    starts_on: date
    ends_on: date
    active: bool
    state: str
    ended_at: datetime | None = None

    @classmethod
    def from_json(cls, data: dict) -> Promotion:
        return cls(id=int(data["id"]), kind=data["kind"], percentage=Decimal(str(data["percentage"])),
                   starts_on=date.fromisoformat(data["startsOn"]), ends_on=date.fromisoformat(data["endsOn"]),
                   active=bool(data["active"]), state=data["state"], ended_at=_time(data.get("endedAt")))


@dataclass(frozen=True)
class Spin(Decided):
    id: int
    prize: str
    chips: int
    user: Person | None = None

    @classmethod
    def from_json(cls, data: dict) -> Spin:
        return cls(id=int(data["id"]), prize=data["prize"], chips=data["chips"],
                   user=Person.from_json(data["user"]) if data.get("user") else None, **cls.decision_fields(data))


@dataclass(frozen=True)
class SpinBatch:
    spins: list[Spin]
    chips_won: int
    spins_left: int

    @property
    def wins(self) -> list[Spin]:
        return [spin for spin in self.spins if spin.chips]

    @classmethod
    def from_json(cls, data: dict) -> SpinBatch:
        return cls(spins=[Spin.from_json(s) for s in data["spins"]], chips_won=data["chipsWon"],
                   spins_left=data["spinsLeft"])


@dataclass(frozen=True)
class Prize:
    label: str
    chips: int
    probability: float


@dataclass(frozen=True)
class Fairness:
    server_seed_hash: str
    client_seed: str
    nonce: int
    previous_server_seed: str | None
    previous_server_seed_hash: str | None

    @classmethod
    def from_json(cls, data: dict) -> Fairness:
        return cls(data["serverSeedHash"], data["clientSeed"], data["nonce"], data.get("previousServerSeed"),
                   data.get("previousServerSeedHash"))


@dataclass(frozen=True)
class MethodTotal:
    method: str
    currency: str
    count: int
    amount: Decimal
    amount_base: Decimal


@dataclass(frozen=True)
class Report:
    """The backend's figures for a period (report(period)), or one half of the daily report's event."""
    period: str | None
    start: datetime | None
    end: datetime | None
    deposits: list[MethodTotal]
    withdrawals: list[MethodTotal]
    deposits_base: Decimal
    withdrawals_base: Decimal
    spin_chips_approved: int
    spin_chips_base: Decimal | None
    bonuses_base: Decimal
    cashback_base: Decimal
    open_credits: int
    open_credits_base: Decimal
    net_base: Decimal

    @classmethod
    def from_json(cls, data: dict) -> Report:
        def totals(rows: list[dict]) -> list[MethodTotal]:
            return [MethodTotal(r["method"], r["currency"], r["count"], _decimal(r["amount"]),
                                _decimal(r["amountBase"])) for r in rows]
        return cls(period=data.get("period"), start=_time(data.get("from")), end=_time(data.get("to")),
                   deposits=totals(data["deposits"]), withdrawals=totals(data["withdrawals"]),
                   deposits_base=_decimal(data["depositsBase"]), withdrawals_base=_decimal(data["withdrawalsBase"]),
                   spin_chips_approved=data["spinChipsApproved"], spin_chips_base=_decimal(data.get("spinChipsBase")),
                   bonuses_base=_decimal(data["bonusesBase"]), cashback_base=_decimal(data["cashbackBase"]),
                   open_credits=data["openCredits"], open_credits_base=_decimal(data["openCreditsBase"]),
                   net_base=_decimal(data["netBase"]))

    @classmethod
    def from_figures(cls, data: dict) -> Report:
        """The snake_case figures of the daily report's event (ledger.selectors.report_figures)."""
        def totals(rows: list[dict]) -> list[MethodTotal]:
            return [MethodTotal(r["method"], r["currency"], int(r["count"]), _decimal(r["amount"]),
                                _decimal(r["amount_base"])) for r in rows]
        return cls(period=None, start=_time(data.get("from")), end=_time(data.get("to")),
                   deposits=totals(data.get("deposits", [])), withdrawals=totals(data.get("withdrawals", [])),
                   deposits_base=_decimal(data["deposits_base"]), withdrawals_base=_decimal(data["withdrawals_base"]),
                   spin_chips_approved=int(data.get("spin_chips_approved") or 0),
                   spin_chips_base=_decimal(data.get("spin_chips_base")),
                   bonuses_base=_decimal(data.get("bonuses_base") or 0),
                   cashback_base=_decimal(data.get("cashback_base") or 0),
                   open_credits=int(data.get("open_credits") or 0),
                   open_credits_base=_decimal(data.get("open_credits_base") or 0), net_base=_decimal(data["net_base"]))


@dataclass(frozen=True)
class AdminEntry:
    telegram_id: int
    username: str
    is_super_admin: bool
    from_environment: bool
    added_by: str
    added_at: datetime | None

    @classmethod
    def from_json(cls, data: dict) -> AdminEntry:
        return cls(telegram_id=int(data["telegramId"]), username=data.get("username") or "",
                   is_super_admin=bool(data["isSuperAdmin"]), from_environment=bool(data["fromEnvironment"]),
                   added_by=data.get("addedBy") or "", added_at=_time(data.get("addedAt")))


@dataclass(frozen=True)
class Event:
    id: int
    kind: str
    telegram_id: int | None
    payload: dict
    created_at: datetime | None = None

    @classmethod
    def from_json(cls, data: dict) -> Event:
        try:
            payload = json.loads(data.get("payload") or "{}")
        except ValueError:
            payload = {}
        return cls(id=int(data["id"]), kind=data["kind"],
                   telegram_id=int(data["telegramId"]) if data.get("telegramId") is not None else None,
                   payload=payload if isinstance(payload, dict) else {}, created_at=_time(data.get("createdAt")))


@dataclass(frozen=True)
class AccountOverview:
    user: User
    deposits: list[Deposit]
    withdrawals: list[Withdrawal]
    spins: list[Spin]


@dataclass(frozen=True)
class CounterStatus:
    state: str  # OPEN or CLOSED
    changed_at: datetime | None = None
    changed_by: str = ""

    @property
    def is_open(self) -> bool:
        return self.state == "OPEN"

    @classmethod
    def from_json(cls, data: dict) -> CounterStatus:
        return cls(state=data["state"], changed_at=_time(data.get("changedAt")), changed_by=data.get("changedBy") or "")


@dataclass(frozen=True)
class SupportSession:
    id: int
    state: str  # WAITING (nobody took it yet), ACTIVE or CLOSED
    user: Person
    agent: str = ""
    agent_telegram_id: int | None = None
    closed_by: str = ""

    @property
    def is_open(self) -> bool:
        return self.state != "CLOSED"

    @classmethod
    def from_json(cls, data: dict) -> SupportSession:
        agent_id = data.get("agentTelegramId")
        return cls(id=int(data["id"]), state=data["state"], user=Person.from_json(data["user"]),
                   agent=data.get("agent") or "", agent_telegram_id=int(agent_id) if agent_id is not None else None,
                   closed_by=data.get("closedBy") or "")


@dataclass(frozen=True)
class Broadcast:
    id: int
    text: str
    photo: str
    state: str  # SENDING, DONE or CANCELLED
    created_by: str
    total: int
    sent: int
    blocked: int
    failed: int

    @property
    def done(self) -> int:
        return self.sent + self.blocked + self.failed

    @classmethod
    def from_json(cls, data: dict) -> Broadcast:
        return cls(id=int(data["id"]), text=data.get("text") or "", photo=data.get("photo") or "",
                   state=data["state"], created_by=data.get("createdBy") or "", total=int(data["total"]),
                   sent=int(data["sent"]), blocked=int(data["blocked"]), failed=int(data["failed"]))
