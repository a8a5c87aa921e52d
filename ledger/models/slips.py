"""A deposit's slip: the image the club keeps (re-encoded, under a random name) and what the
background reading found on it."""
import secrets

from django.core.files.storage import Storage, storages
from django.db import models

from ledger.models.requests import Deposit


class SlipStorage(Storage):
    """STORAGES["slips"] as configured now (local files, or S3 with a bucket): FileField resolves a
    storage once, at import, and tests and a changed setting would not be seen."""

    def __getattr__(self, name):
        return getattr(storages["slips"], name)

    def open(self, name, mode="rb"):
        return storages["slips"].open(name, mode)

    def save(self, name, content, max_length=None):
        return storages["slips"].save(name, content, max_length=max_length)

    def generate_filename(self, filename):
        return storages["slips"].generate_filename(filename)

    def delete(self, name):
        return storages["slips"].delete(name)

    def exists(self, name):
        return storages["slips"].exists(name)

    def size(self, name):
        return storages["slips"].size(name)

    def url(self, name):
        return storages["slips"].url(name)

    def path(self, name):
        return storages["slips"].path(name)

    def deconstruct(self):
        return ("ledger.models.slips.SlipStorage", (), {})


def slip_storage() -> Storage:
    return SlipStorage()


def slip_name(instance, filename: str) -> str:
    """128 random bits: a name nobody can guess, nothing of the player's file name kept."""
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"slips/{secrets.token_hex(16)}.{extension}"


class Slip(models.Model):
    deposit = models.OneToOneField(Deposit, on_delete=models.PROTECT, related_name="slip")
    image = models.FileField(storage=slip_storage, upload_to=slip_name, max_length=128)
    content_type = models.CharField(max_length=32)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)  # of the stored (re-encoded) bytes
    # Perceptual hash (imagehash.phash, 64 bits as hex): near-identical images are a few bits apart.
    phash = models.CharField(max_length=16, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # What the reading found; read_at null while the worker has not read it yet.
    read_at = models.DateTimeField(null=True, blank=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=8, blank=True, default="")
    reference = models.CharField(max_length=64, blank=True, default="", db_index=True)
    bank = models.CharField(max_length=8, blank=True, default="")
    sender = models.CharField(max_length=128, blank=True, default="")
    receiver_name = models.CharField(max_length=128, blank=True, default="")
    receiver_account = models.CharField(max_length=32, blank=True, default="")
    read_text = models.TextField(blank=True, default="")  # what OCR read, for an admin who doubts the parse
    warnings = models.JSONField(default=list, blank=True)  # [{"code": ..., "message": ...}]

    def __str__(self) -> str:
        return f"Slip of deposit #{self.deposit_id}"
