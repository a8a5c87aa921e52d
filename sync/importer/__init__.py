"""The one-time import of the legacy spreadsheet into the ledger.

By job: `cells` reads the tabs and their cells, `users`, `requests`, `spins` and `seats` import one
tab each (`seats` two), `promotions` the promotions, bonuses, recovery claims and join requests,
`writeback` writes the Spin IDs, `report` says what happened.

Reads the legacy tabs (layout in domain.md), decides which rows to take,
and hands each to the ledger's legacy services (`ledger/legacy.py`,
`ledger/legacy_promotions.py`), which create players, spin accounts with
their opening balance, deposits, withdrawals and spins, seat requests and
open credits, promotions, their bonuses, recovery claims and join requests,
and journal that history so that `check_ledger` holds after an import,
announcing none of it. The second wave's tabs are read when present, after
the tabs their rows refer to. This package holds no ledger rules: it
parses cells, and turns the services' and validators' refusals (`LedgerError`) into refused
rows. Each source row is imported in its own transaction: the service call
and the row's `ImportedRow`, which makes the import idempotent: a second run
finds every row already taken in and changes nothing. Rows that cannot be
imported are refused one by one, each with its reason; `--dry-run` runs
everything inside a transaction that is rolled back.

Legacy rows and the mirror: deposits, withdrawals, spins, seat requests and
credits imported from a row are marked as already mirrored at their current version, so the mirror
leaves those rows exactly as admins know them (notes, legacy words) until the
request changes in the backend; then it rewrites the row in place, found by
its legacy Request ID and User ID (legacy ids are not unique on their own).
Spin History had no id column, so the import writes each imported spin's id
into the new Spin ID column (one batch); without it a later decision on a
legacy spin could not find its row. Users and Spin Users rows are not marked:
the mirror rewrites them in place on its next cycle with the ledger's totals.

Legacy request ids that appear twice for the same user are refused as
duplicates; the same id for different users is two requests (the legacy ids
have one-second resolution). Identical spin rows are legitimate (several spins
in one second), so spins are matched by content and count instead.

Cut-over order: import before the mirror first writes to the legacy
spreadsheet (keep the worker stopped, or SPREADSHEET_ID unset, until then).
The mirror rewrites the Spin Users row of every player it knows, and a legacy
balance it has overwritten can no longer be imported. Rows the mirror wrote
(backend ids D12 / W7 / S40, Spin Users rows it recorded) are never imported
back, so running the import after the mirror started changes nothing. The
import holds the mirror's lock while it runs.
"""
from contextlib import nullcontext

from django.db import transaction

from ledger.actors import system_actor
from sync.client import SheetsApi
from sync.importer import cells
from sync.importer.promotions import import_bonuses, import_claims, import_join_requests, import_promotions
from sync.importer.report import ImportReport
from sync.importer.requests import import_requests
from sync.importer.seats import import_seat_requests, import_user_credits
from sync.importer.spins import import_spins
from sync.importer.users import import_spin_users, import_users
from sync.importer.writeback import write_spin_ids
from sync.layout import (
    CASHBACK_HISTORY, CASHBACK_PROMOTIONS, DEPOSITS, JOIN_REQUESTS, PROMOTION_ELIGIBILITY, PROMOTIONS, SEAT_REQUESTS,
    SPIN_HISTORY, SPIN_USERS, USER_CREDITS, USERS, WITHDRAWALS,
)

ACTOR = system_actor("import")  # "system import" in the journal

__all__ = ["ImportReport", "import_legacy_sheets"]


def import_legacy_sheets(api: SheetsApi, *, dry_run: bool = False) -> ImportReport:
    report = ImportReport(dry_run=dry_run)
    sheets, spin_tab = cells.read_tabs(api, report)

    def rows(title: str) -> list[cells.SheetRow] | None:
        return list(cells.data_rows(title, sheets[title], report.sheets[title])) if title in sheets else None

    spin_ids = []
    # A dry run is the real run inside one transaction that is rolled back, so it refuses
    # exactly what the real run would. A real run commits row by row.
    with transaction.atomic() if dry_run else nullcontext():
        # Tab by tab, in this order: each reads the players the tabs before it created.
        if (users := rows(USERS)) is not None:
            import_users(users, report.sheets[USERS])
        if (spin_users := rows(SPIN_USERS)) is not None:
            import_spin_users(spin_users, report.sheets[SPIN_USERS], actor=ACTOR)
        for title in (DEPOSITS, WITHDRAWALS):
            if (requests := rows(title)) is not None:
                import_requests(title, requests, report.sheets[title], actor=ACTOR)
        if (spins := rows(SPIN_HISTORY)) is not None:
            spin_ids = import_spins(spins, report.sheets[SPIN_HISTORY], actor=ACTOR)
        if (seats := rows(SEAT_REQUESTS)) is not None:  # before the credits that stand on them
            import_seat_requests(seats, report.sheets[SEAT_REQUESTS])
        if (credits := rows(USER_CREDITS)) is not None:
            import_user_credits(credits, report.sheets[USER_CREDITS], actor=ACTOR)
        for title in (PROMOTIONS, CASHBACK_PROMOTIONS):
            if (promotions := rows(title)) is not None:
                import_promotions(title, promotions, report.sheets[title])
        if (bonuses := rows(PROMOTION_ELIGIBILITY)) is not None:
            import_bonuses(bonuses, report.sheets[PROMOTION_ELIGIBILITY], actor=ACTOR)
        if (claims := rows(CASHBACK_HISTORY)) is not None:
            import_claims(claims, report.sheets[CASHBACK_HISTORY], actor=ACTOR)
        if (joins := rows(JOIN_REQUESTS)) is not None:
            import_join_requests(joins, report.sheets[JOIN_REQUESTS])
        if dry_run:
            transaction.set_rollback(True)
    if not dry_run:
        write_spin_ids(api, spin_tab, spin_ids, report)
    return report
