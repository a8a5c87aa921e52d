"""Writes to the mirror's and the import's own bookkeeping (MirroredRow, ImportedRow); never to the ledger."""
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from sync import selectors
from sync.models import ImportedRow, MirroredRow


BATCH = 1000  # rows per statement: 5,000 parameters, within SQLite's and PostgreSQL's limits


def record_written(sheet: str, rows: Iterable[tuple[int, int, list | None]]) -> None:
    """Remember that (object_id, version, cells) are now in `sheet`: call only after Google confirmed.

    cells=None records the version alone (the sheet row's exact content is not known).
    Multi-row upserts of a thousand rows each: a burst of 10,000 rows is recorded
    in a fraction of a second instead of taking longer than the write to Google
    (the ORM's bulk upsert prepares every value in Python; executemany pays a
    round trip per row on PostgreSQL).
    """
    cells_field = MirroredRow._meta.get_field("cells")
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    params = [(sheet, object_id, version, cells_field.get_db_prep_save(cells, connection), now)
              for object_id, version, cells in rows]
    table = connection.ops.quote_name(MirroredRow._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(params), BATCH):
            batch = params[start:start + BATCH]
            # ON CONFLICT ... excluded: the same statement on SQLite (3.24+) and PostgreSQL.
            cursor.execute(
                f"INSERT INTO {table} (sheet, object_id, version, cells, written_at) VALUES "
                + ", ".join(["(%s, %s, %s, %s, %s)"] * len(batch))
                + " ON CONFLICT (sheet, object_id) DO UPDATE SET version = excluded.version, "
                  "cells = excluded.cells, written_at = excluded.written_at",
                [value for row in batch for value in row])


def forget_sheet(sheet: str) -> int:
    """Every object of `sheet` becomes due again (the tab was recreated or emptied); returns how many."""
    deleted, _ = MirroredRow.objects.filter(sheet=sheet).delete()
    return deleted


def forget_all() -> None:
    """Every row of every sheet becomes due again: `sync_sheets --full`."""
    MirroredRow.objects.all().delete()


def record_imported(sheet: str, source_key: str, object_id: int, *, row_shows_it: bool) -> None:
    """The import took a source row in as `object_id` (in the caller's transaction).

    row_shows_it: the source row stays the object's sheet row, as admins know it, so it is recorded
    as mirrored at the object's current version with its cells unknown; when the object changes, the
    mirror rewrites that row in place.
    """
    ImportedRow.objects.create(sheet=sheet, source_key=source_key, object_id=object_id)
    if row_shows_it:
        record_shown(sheet, object_id)


def record_shown(sheet: str, object_id: int) -> None:
    """The sheet row already shows the object as it is now (its cells unknown): the mirror leaves it
    alone until the object changes."""
    record_written(sheet, [(pk, version, None) for pk, version in selectors.row_versions(sheet, [object_id]).items()])
