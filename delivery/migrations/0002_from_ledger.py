"""Carry the bot's cursor and admin message references over from the ledger app's old tables.

It runs before the ledger drops them (run_before), so an upgrade loses no position: a bot that
restarts after it neither repeats nor skips a notification.
"""
from django.db import migrations


def copy_from_ledger(apps, schema_editor):
    for name in ("EventCursor", "AdminMessage"):
        old, new = apps.get_model("ledger", name), apps.get_model("delivery", name)
        fields = [field.attname for field in old._meta.concrete_fields]
        new.objects.bulk_create(new(**{f: getattr(row, f) for f in fields}) for row in old.objects.iterator())


def copy_back(apps, schema_editor):
    for name in ("EventCursor", "AdminMessage"):
        old, new = apps.get_model("ledger", name), apps.get_model("delivery", name)
        fields = [field.attname for field in new._meta.concrete_fields]
        old.objects.bulk_create(old(**{f: getattr(row, f) for f in fields}) for row in new.objects.iterator())


class Migration(migrations.Migration):
    dependencies = [
        ("delivery", "0001_initial"),
        ("ledger", "0004_money_request_base"),
    ]
    run_before = [
        ("ledger", "0005_delivery_state_moved"),
    ]

    operations = [migrations.RunPython(copy_from_ledger, copy_back)]
