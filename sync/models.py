"""What the mirror has written, and what the import has taken in.

`MirroredRow` is the mirror's memory: for each object, the row version it last
wrote to its sheet, and the cells it wrote. A row is due when its current
version differs. The
version recorded is the one read together with the values that were sent, never
the one in the database when the write returns, so a change that lands while a
cycle runs leaves the two different and the next cycle writes the row again.
Where a row sits in the sheet is not stored: admins sort and filter, so every
cycle finds it again by its id.

`ImportedRow` makes the one-time import idempotent: each source row it took in
is recorded with the object it became, in the same transaction.
"""
from django.db import models


class MirroredRow(models.Model):
    sheet = models.CharField(max_length=32)
    object_id = models.BigIntegerField()
    # The row version written: the object's version plus its player's for rows showing player fields.
    version = models.PositiveBigIntegerField()
    # The cells written (null: unknown, e.g. a legacy row the import found): when a row changes,
    # only the columns that differ from these are sent, which keeps a burst of decisions small.
    cells = models.JSONField(null=True, blank=True)
    written_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sheet", "object_id"], name="mirrored_row_unique")]

    def __str__(self) -> str:
        return f"{self.sheet} #{self.object_id} v{self.version}"


class ImportedRow(models.Model):
    sheet = models.CharField(max_length=32)
    # Legacy request id and user for requests, user id for users, content and rank for spins.
    source_key = models.CharField(max_length=255)
    object_id = models.BigIntegerField()
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sheet", "source_key"], name="imported_row_unique")]

    def __str__(self) -> str:
        return f"{self.sheet} {self.source_key} -> #{self.object_id}"
