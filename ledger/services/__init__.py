"""Every change of the ledger's state goes through here, one module per area.

Each service is one transaction: it locks what it decides on, refuses with a typed
`LedgerError`, and writes its journal entries and outbox events in that same transaction, so a
change is never recorded without its trail or the reverse. Callers import from this package;
the modules are how the code is kept, not a second API.
"""
from ledger.services.broadcasts import (
    MAX_DELIVERIES_PER_CALL, broadcast_cancel, broadcast_create, broadcast_deliveries_record,
)
from ledger.services.config import admin_add, admin_remove, payment_method_update
from ledger.services.counter import counter_set, refuse_while_counter_closed
from ledger.services.credits import (
    credit_clear, credit_reminders_due, seat_request_approve, seat_request_create, seat_request_reject,
    seat_requests_expire,
)
from ledger.services.deposits import deposit_approve, deposit_create, deposit_reject
from ledger.services.fairness import fairness_client_seed_set, fairness_server_seed_rotate
from ledger.services.join import join_request_approve, join_request_create, join_request_reject
from ledger.services.players import payout_name_set_once, user_language_set, user_upsert
from ledger.services.promotions import (
    bonus_grant, cashback_claim_approve, cashback_claim_create, cashback_claim_reject, promotion_create, promotion_end,
)
from ledger.services.reports import daily_report_make
from ledger.services.rule_tables import prize_table_set, spin_tiers_set
from ledger.services.slips import slip_deposit_create, slip_read, slip_reading_record, slip_warnings
from ledger.services.spins import (
    MAX_SPINS_PER_CALL, MAX_SPINS_PER_GRANT, SpinBatch, draw_prize, spin_reward_approve, spin_reward_reject,
    spin_rewards_approve_all, spins_grant, spins_process,
)
from ledger.services.support import (
    support_claim, support_close, support_message_post, support_open, support_sessions_close_idle,
)
from ledger.services.withdrawals import withdrawal_approve, withdrawal_create, withdrawal_reject

__all__ = [
    "MAX_DELIVERIES_PER_CALL", "MAX_SPINS_PER_CALL", "MAX_SPINS_PER_GRANT", "SpinBatch", "admin_add", "admin_remove",
    "bonus_grant", "broadcast_cancel", "broadcast_create", "broadcast_deliveries_record", "cashback_claim_approve",
    "cashback_claim_create", "cashback_claim_reject", "counter_set", "credit_clear", "credit_reminders_due",
    "daily_report_make", "deposit_approve", "deposit_create", "deposit_reject", "draw_prize",
    "fairness_client_seed_set", "fairness_server_seed_rotate", "join_request_approve", "join_request_create",
    "join_request_reject", "payment_method_update", "payout_name_set_once", "prize_table_set", "promotion_create",
    "promotion_end", "refuse_while_counter_closed", "seat_request_approve", "seat_request_create",
    "seat_request_reject", "seat_requests_expire", "slip_deposit_create", "slip_read", "slip_reading_record",
    "slip_warnings", "spin_reward_approve", "spin_reward_reject", "spin_rewards_approve_all", "spin_tiers_set",
    "spins_grant", "spins_process", "support_claim", "support_close", "support_message_post", "support_open",
    "support_sessions_close_idle", "user_language_set", "user_upsert",
    "withdrawal_approve", "withdrawal_create", "withdrawal_reject",
]
