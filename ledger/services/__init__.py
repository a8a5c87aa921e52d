"""Every change of the ledger's state goes through here, one module per area.

Each service is one transaction: it locks what it decides on, refuses with a typed
`LedgerError`, and writes its journal entries and outbox events in that same transaction, so a
change is never recorded without its trail or the reverse. Callers import from this package;
the modules are how the code is kept, not a second API.
"""
from ledger.services.config import admin_add, admin_remove, payment_method_update
from ledger.services.credits import (
    credit_clear, credit_reminders_due, seat_request_approve, seat_request_create, seat_request_reject,
    seat_requests_expire,
)
from ledger.services.deposits import deposit_approve, deposit_create, deposit_reject
from ledger.services.join import join_request_approve, join_request_create, join_request_reject
from ledger.services.players import payout_name_set_once, user_language_set, user_upsert
from ledger.services.promotions import (
    bonus_grant, cashback_claim_approve, cashback_claim_create, cashback_claim_reject, promotion_create, promotion_end,
)
from ledger.services.reports import daily_report_make
from ledger.services.spins import (
    MAX_SPINS_PER_CALL, MAX_SPINS_PER_GRANT, SpinBatch, draw_prize, spin_reward_approve, spin_reward_reject,
    spin_rewards_approve_all, spins_grant, spins_process,
)
from ledger.services.withdrawals import withdrawal_approve, withdrawal_create, withdrawal_reject

__all__ = [
    "MAX_SPINS_PER_CALL", "MAX_SPINS_PER_GRANT", "SpinBatch", "admin_add", "admin_remove", "bonus_grant",
    "cashback_claim_approve", "cashback_claim_create", "cashback_claim_reject", "credit_clear",
    "credit_reminders_due", "daily_report_make", "deposit_approve", "deposit_create", "deposit_reject", "draw_prize",
    "join_request_approve", "join_request_create", "join_request_reject", "payment_method_update",
    "payout_name_set_once", "promotion_create", "promotion_end", "seat_request_approve", "seat_request_create",
    "seat_request_reject", "seat_requests_expire", "spin_reward_approve", "spin_reward_reject",
    "spin_rewards_approve_all", "spins_grant", "spins_process", "user_language_set", "user_upsert",
    "withdrawal_approve", "withdrawal_create", "withdrawal_reject",
]
