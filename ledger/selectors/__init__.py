"""Reads, one module per area. Each selector runs a fixed number of SQL queries whatever the number
of rows; pending lists are oldest first (the queue), histories newest first."""
from ledger.selectors.common import MAX_PAGE, by_id, page
from ledger.selectors.broadcasts import MAX_RECIPIENTS, broadcast_list, broadcast_recipients_pending
from ledger.selectors.counter import counter_closed_refusal, counter_get
from ledger.selectors.legacy import (
    existing_ids, players_by_telegram_id, seat_requests_by_legacy_ref, spin_account_ids_by_telegram_id,
)
from ledger.selectors.credits import credit_list, credit_open_refusal, seat_request_list, seat_requests_pending
from ledger.selectors.players import (
    AdminEntry, admin_entry, admin_list, admin_telegram_ids, config_changes, is_admin, payment_methods_active,
    payment_methods_all, player_get, player_list, super_admin_id,
)
from ledger.selectors.reports import MethodTotal, Period, Report, report, report_figures
from ledger.selectors.requests import (
    deposit_list, deposit_value_base, deposits_pending, withdrawal_list, withdrawals_pending,
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
    "MAX_PAGE", "MAX_RECIPIENTS", "AdminEntry", "Fairness", "MethodTotal", "Period", "PrizeOdds", "Report",
    "SlipReading", "SlipWarning",
    "Stats",
    "WithdrawalEligibility", "admin_entry", "admin_list", "admin_telegram_ids", "broadcast_list",
    "broadcast_recipients_pending", "by_id", "config_changes", "counter_closed_refusal", "counter_get", "credit_list",
    "credit_open_refusal", "deposit_list", "deposit_value_base", "deposits_pending", "existing_ids", "fairness",
    "fairness_of", "is_admin", "page",
    "payment_methods_active", "payment_methods_all", "player_get", "player_list", "players_by_telegram_id",
    "prize_table", "report", "report_figures", "seat_request_list", "seat_requests_by_legacy_ref",
    "seat_requests_pending", "slip_for_token", "slip_of_deposit", "slip_reading", "slip_token",
    "spin_account_get",
    "spin_account_ids_by_telegram_id", "spin_history", "spin_rewards_pending", "stats", "super_admin_id",
    "support_session_list", "support_transcript", "withdrawal_eligibility", "withdrawal_list", "withdrawal_refusal",
    "withdrawals_pending",
]
