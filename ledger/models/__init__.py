"""The ledger's data and the constraints the database itself enforces.

Business rules live in `ledger.services`; what must hold even against a buggy or
concurrent caller (one pending request per player, spins never negative,
positive amounts) is a database constraint here. Mirrored rows carry a
`version` that every change increments, so the Sheets mirror can tell which
rows changed since it last wrote them without a boolean flag that a concurrent
change could clear.
"""
from ledger.models.base import MAX_BIGINT, RequestStatus, RewardStatus
from ledger.models.broadcasts import Broadcast, BroadcastDelivery, BroadcastState, DeliveryStatus
from ledger.models.config import ConfigChange
from ledger.models.counter import COUNTER_ID, Counter, CounterState
from ledger.models.credits import Credit, CreditStatus, SeatRequest
from ledger.models.journal import CREDIT_KINDS, PAID_OUT, JournalEntry, JournalKind
from ledger.models.outbox import Event, IdempotencyRecord
from ledger.models.payments import PaymentMethod
from ledger.models.players import Admin, Language, Player
from ledger.models.promotions import Bonus, CashbackClaim, JoinRequest, Promotion, PromotionKind
from ledger.models.requests import Deposit, MoneyRequest, Withdrawal
from ledger.models.rollups import DailyReport, DailyTotal
from ledger.models.rule_tables import PrizeTable, SpinTierTable
from ledger.models.slips import Slip
from ledger.models.spins import RevealedSeed, Spin, SpinAccount
from ledger.models.support import OPEN_STATES, SupportMessage, SupportSession, SupportState

__all__ = [
    "COUNTER_ID", "CREDIT_KINDS", "MAX_BIGINT", "OPEN_STATES", "PAID_OUT", "Admin", "Bonus", "Broadcast",
    "BroadcastDelivery", "BroadcastState", "CashbackClaim", "ConfigChange", "Counter", "CounterState", "Credit",
    "CreditStatus", "DailyReport", "DailyTotal", "DeliveryStatus", "Deposit", "Event", "IdempotencyRecord",
    "JoinRequest", "JournalEntry", "JournalKind", "Language", "MoneyRequest", "PaymentMethod", "Player", "PrizeTable",
    "Promotion", "PromotionKind", "RequestStatus", "RevealedSeed", "RewardStatus", "SeatRequest", "Slip", "Spin",
    "SpinAccount", "SpinTierTable", "SupportMessage", "SupportSession", "SupportState", "Withdrawal",
]
