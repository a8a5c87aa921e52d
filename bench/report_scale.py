"""How the report grows with the ledger (issue 17: <= 300 ms over 1,000,000 approved deposits and
1,000,000 spins, on PostgreSQL).

    DATABASE_URL=postgres://... .venv/bin/python -m bench.report_scale [--sizes 10000,100000,1000000]

It makes its own throwaway test database, fills it in steps with approved deposits and approved
spin wins spread over two years (SQL `generate_series`, so a million rows take seconds, with the
journal entries the services would write), rebuilds the day totals from the journal, checks them
against it (ledger.audit.daily_total_discrepancies) and times `report()` for each period and for a
`from`/`to` that cuts days in half: the median of several calls after a warm-up.
"""
import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

ROUNDS = 7
PLAYERS = 1_000
SPAN_MINUTES = 2 * 365 * 24 * 60


def seed_up_to(size: int, have: int) -> None:
    """Approved deposits and spin wins numbered have+1..size, one every few minutes back from now."""
    step = SPAN_MINUTES / size
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM ledger_paymentmethod WHERE code = 'BML'")
        method = cursor.fetchone()[0]
        cursor.execute("SELECT min(id) FROM ledger_player")
        first_player = cursor.fetchone()[0]
        cursor.execute("""
            INSERT INTO ledger_deposit (player_id, method_id, amount, currency, rate_to_base, amount_base,
                account_name, proof, pppoker_id, status, created_at, decided_at, decided_by, rejection_reason,
                spins_granted, legacy_ref, version)
            SELECT %s + g %% %s, %s, 200 + g %% 5000, 'MVR', 1, 200 + g %% 5000, 'Bench', 'slip', '12345',
                'APPROVED', now() - make_interval(mins => (g * %s)::int), now() - make_interval(mins => (g * %s)::int),
                'bench', '', 0, '', 1
            FROM generate_series(%s, %s) AS g""", [first_player, PLAYERS, method, step, step, have + 1, size])
        cursor.execute("""
            INSERT INTO ledger_journalentry (kind, player_id, amount_base, spins, chips, deposit_id, actor, note,
                created_at)
            SELECT 'deposit.approved', player_id, amount_base, 0, 0, id, 'bench', '', decided_at
            FROM ledger_deposit WHERE id > (SELECT coalesce(max(deposit_id), 0) FROM ledger_journalentry)""")
        cursor.execute("""
            INSERT INTO ledger_spin (player_id, prize, chips, status, created_at, decided_at, decided_by,
                rejection_reason, version)
            SELECT %s + g %% %s, '10 Chips', 10, 'APPROVED', now() - make_interval(mins => (g * %s)::int),
                now() - make_interval(mins => (g * %s)::int), 'bench', '', 1
            FROM generate_series(%s, %s) AS g""", [first_player, PLAYERS, step, step, have + 1, size])
        cursor.execute("""
            INSERT INTO ledger_journalentry (kind, player_id, amount_base, spins, chips, spin_id, actor, note,
                created_at)
            SELECT kind, player_id, 0, 0, chips, id, 'bench', '', decided_at
            FROM ledger_spin, (VALUES ('spin.used'), ('reward.approved')) AS kinds(kind)
            WHERE id > (SELECT coalesce(max(spin_id), 0) FROM ledger_journalentry)""")
        cursor.execute("ANALYZE")


def rebuild_day_totals() -> None:
    from ledger.audit import _journal_days
    from ledger.models import DailyTotal
    DailyTotal.objects.all().delete()
    DailyTotal.objects.bulk_create(
        DailyTotal(day=day, method=method, currency="MVR" if method else "", **figures)
        for (day, method), figures in _journal_days().items())


def timed(call) -> float:
    call()
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    sizes = [int(size) for size in parser.parse_args().sizes.split(",")]
    if connection.vendor != "postgresql":
        sys.exit("bench.report_scale measures PostgreSQL: set DATABASE_URL")
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        from ledger import selectors, services
        from ledger.audit import daily_total_discrepancies
        for index in range(PLAYERS):
            services.user_upsert(telegram_id=8_000_000_000 + index, username=f"b{index}")
        now = timezone.now()
        cut = (now - timedelta(days=200, hours=7), now - timedelta(days=3, hours=5))
        calls = {
            "TODAY": lambda: selectors.report(period="TODAY", now=now),
            "MONTH": lambda: selectors.report(period="MONTH", now=now),
            "YEAR": lambda: selectors.report(period="YEAR", now=now),
            "LIFETIME": lambda: selectors.report(period="LIFETIME", now=now),
            "from/to": lambda: selectors.report(start=cut[0], end=cut[1]),
        }
        print("report() on PostgreSQL, median of %d calls, ms (deposits = spins = rows)" % ROUNDS)
        print("%10s %8s %s" % ("rows", "check", " ".join(f"{name:>9}" for name in calls)))
        have = 0
        for size in sizes:
            seed_up_to(size, have)
            have = size
            rebuild_day_totals()
            started = time.perf_counter()
            problems = daily_total_discrepancies()
            check = "ok" if not problems else f"{len(problems)} off"
            check_s = time.perf_counter() - started
            print("%10s %8s %s   (check %.1f s)" % (f"{size:,}", check,
                                                     " ".join(f"{timed(call):>9.1f}" for call in calls.values()),
                                                     check_s), flush=True)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
