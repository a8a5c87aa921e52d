"""Reads, one module per area. Each selector runs a fixed number of SQL queries whatever the number
of rows; pending lists are oldest first (the queue), histories newest first."""
from ledger.selectors.common import MAX_PAGE, by_id, page
from ledger.selectors.broadcasts import MAX_RECIPIENTS, broadcast_list, broadcast_recipients_pending
from ledger.selectors.counter import counter_closed_refusal, counter_get
from ledger.selectors.legacy import (
    existing_ids, players_by_telegram_id, seat_requests_by_legacy_ref, spin_account_ids_by_telegram_id,
)
from ledger.selectors.dashboard import (
    CHART_DAYS, PENDING_KINDS, Dashboard, Day, daily_figures, dashboard, pending_counts,
)
from ledger.selectors.credits import credit_list, credit_open_refusal, seat_request_list, seat_requests_pending
from ledger.selectors.players import (
    AdminEntry, admin_entry, admin_list, admin_telegram_ids, config_changes, is_admin, payment_method_by_code,
    payment_methods_active,
    payment_methods_all, player_get, player_list, super_admin_id,
)
from ledger.selectors.promotions import (
    CashbackEligibility, CashbackRule, active_on, bonus_due, bonus_list, cashback_claim_list, cashback_claims_pending,
    cashback_eligibility, cashback_eligibility_of, join_request_list, join_requests_pending, promotion_active,
    promotion_is_active, promotion_list, promotion_state, PromotionState,
)
from ledger.selectors.reports import MethodTotal, Period, Report, report, report_figures, reports
from ledger.selectors.requests import (
    deposit_list, deposit_value_base, deposits_pending, withdrawal_list, withdrawals_pending,
)
from ledger.selectors.rule_tables import (
    Prizes, Tiers, prize_table_in_force, prize_table_of_version, prize_tables, prizes_of, spin_tiers_in_force,
    tiers_of,
)
from ledger.selectors.slips import (
    SlipReading, SlipWarning, slip_for_token, slip_of_deposit, slip_reading, slip_token,
)
from ledger.selectors.spins import (
    Fairness, PrizeOdds, fairness, fairness_of, prize_table, spin_account_get, spin_history, spin_rewards_pending,
)
from ledger.selectors.stats import Stats, stats
from ledger.selectors.support import support_session_list, support_transcript
from ledger.selectors.withdrawals import WithdrawalEligibility, withdrawal_eligibility, withdrawal_refusal

__all__ = [
    "CHART_DAYS", "MAX_PAGE", "MAX_RECIPIENTS", "PENDING_KINDS", "AdminEntry", "CashbackEligibility", "CashbackRule",
    "PromotionState", "Dashboard", "Day", "Fairness", "MethodTotal", "Period", "PrizeOdds", "Prizes", "Report",
    "SlipReading", "SlipWarning", "Stats", "Tiers", "WithdrawalEligibility", "active_on", "admin_entry", "admin_list",
    "admin_telegram_ids", "bonus_due", "bonus_list", "broadcast_list", "broadcast_recipients_pending", "by_id",
    "cashback_claim_list", "cashback_claims_pending", "cashback_eligibility", "cashback_eligibility_of",
    "config_changes", "counter_closed_refusal", "counter_get", "credit_list", "credit_open_refusal", "daily_figures",
    "dashboard", "deposit_list", "deposit_value_base", "deposits_pending", "existing_ids", "fairness", "fairness_of",
    "is_admin", "join_request_list", "join_requests_pending", "page", "payment_method_by_code",
    "payment_methods_active", "payment_methods_all", "pending_counts", "player_get", "player_list",
    "players_by_telegram_id", "prize_table", "prize_table_in_force", "prize_table_of_version", "prize_tables",
    "prizes_of", "promotion_active", "promotion_is_active", "promotion_list", "promotion_state", "report",
    "report_figures", "reports",
    "seat_request_list", "seat_requests_by_legacy_ref", "seat_requests_pending", "slip_for_token", "slip_of_deposit",
    "slip_reading", "slip_token", "spin_account_get", "spin_account_ids_by_telegram_id", "spin_history",
    "spin_rewards_pending", "spin_tiers_in_force", "stats", "super_admin_id", "support_session_list",
    "support_transcript", "tiers_of", "withdrawal_eligibility", "withdrawal_list", "withdrawal_refusal",
    "withdrawals_pending",
]
