from django.apps import AppConfig


class SyncConfig(AppConfig):
    """The Google Sheets mirror of the ledger, and the one-time import of the legacy sheets."""

    name = "sync"
    verbose_name = "Sheets mirror"

    def ready(self):
        # The ledger only announces changes; it never imports the mirror.
        from ledger.signals import ledger_changed
        from sync.tasks import on_ledger_changed

        ledger_changed.connect(on_ledger_changed, dispatch_uid="sync.request_sync")
