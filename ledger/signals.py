"""Signals the ledger sends for other layers to hook into (it imports none of them).

`ledger_changed` is sent after a transaction that changed ledger rows commits,
never before: a receiver that reacts (the Sheets mirror schedules a sync) can
never see a change that is then rolled back. Receivers must stay cheap and must
not change ledger state; the change itself is already done.
"""
from django.db import transaction
from django.dispatch import Signal

ledger_changed = Signal()  # kwargs: kind (str)


def notify_changed(kind: str) -> None:
    transaction.on_commit(lambda: ledger_changed.send(sender=None, kind=kind))

slip_stored = Signal()  # kwargs: slip_id (int); the worker reads the slip (jobs.apps)


def notify_slip_stored(slip_id: int) -> None:
    transaction.on_commit(lambda: slip_stored.send(sender=None, slip_id=slip_id))
