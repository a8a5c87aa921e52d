"""Reads, one module per area. Each selector runs a fixed number of SQL queries whatever the number
of rows; pending lists are oldest first (the queue), histories newest first."""
from ledger.selectors.common import MAX_PAGE, by_id, page
from ledger.selectors.credits import credit_list, credit_open_refusal, seat_request_list, seat_requests_pending
from ledger.selectors.players import (
    admin_telegram_ids, is_admin, payment_methods_active, player_get, player_list, super_admin_id,
)
from ledger.selectors.requests import deposit_list, deposits_pending, withdrawal_list, withdrawals_pending
from ledger.selectors.spins import PrizeOdds, prize_table, spin_account_get, spin_history, spin_rewards_pending
from ledger.selectors.stats import Stats, stats

__all__ = [
    "MAX_PAGE", "PrizeOdds", "Stats", "admin_telegram_ids", "by_id", "credit_list", "credit_open_refusal",
    "deposit_list", "deposits_pending", "is_admin", "page", "payment_methods_active", "player_get", "player_list",
    "prize_table", "seat_request_list", "seat_requests_pending", "spin_account_get", "spin_history",
    "spin_rewards_pending", "stats", "super_admin_id", "withdrawal_list", "withdrawals_pending",
]
