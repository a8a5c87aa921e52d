"""Reads, one module per area. Each selector runs a fixed number of SQL queries whatever the number
of rows; pending lists are oldest first (the queue), histories newest first."""
from ledger.selectors.common import MAX_PAGE, by_id, page
from ledger.selectors.legacy import existing_ids, players_by_telegram_id, spin_account_ids_by_telegram_id
from ledger.selectors.credits import credit_list, credit_open_refusal, seat_request_list, seat_requests_pending
from ledger.selectors.players import (
    AdminEntry, admin_entry, admin_list, admin_telegram_ids, config_changes, is_admin, payment_methods_active,
    payment_methods_all, player_get, player_list, super_admin_id,
)
from ledger.selectors.promotions import (
    CashbackEligibility, CashbackRule, active_on, bonus_due, bonus_list, cashback_claim_list, cashback_claims_pending,
    cashback_eligibility, cashback_eligibility_of, join_request_list, join_requests_pending, promotion_active,
    promotion_is_active, promotion_list,
)
from ledger.selectors.reports import MethodTotal, Period, Report, report, report_figures
from ledger.selectors.requests import deposit_list, deposits_pending, withdrawal_list, withdrawals_pending
from ledger.selectors.spins import PrizeOdds, prize_table, spin_account_get, spin_history, spin_rewards_pending
from ledger.selectors.stats import Stats, stats
from ledger.selectors.withdrawals import WithdrawalEligibility, withdrawal_eligibility, withdrawal_refusal

__all__ = [
    "MAX_PAGE", "AdminEntry", "CashbackEligibility", "CashbackRule", "MethodTotal", "Period", "PrizeOdds", "Report",
    "Stats", "WithdrawalEligibility", "active_on", "admin_entry", "admin_list", "admin_telegram_ids", "bonus_due",
    "bonus_list", "by_id", "cashback_claim_list", "cashback_claims_pending", "cashback_eligibility",
    "cashback_eligibility_of", "config_changes", "credit_list", "credit_open_refusal", "deposit_list",
    "deposits_pending", "existing_ids", "is_admin", "join_request_list", "join_requests_pending", "page",
    "payment_methods_active", "payment_methods_all", "player_get", "player_list", "players_by_telegram_id",
    "prize_table", "promotion_active", "promotion_is_active", "promotion_list", "report", "report_figures",
    "seat_request_list", "seat_requests_pending", "spin_account_get", "spin_account_ids_by_telegram_id", "spin_history",
    "spin_rewards_pending", "stats", "super_admin_id", "withdrawal_eligibility", "withdrawal_list",
    "withdrawal_refusal", "withdrawals_pending",
]
