"""Fill the day totals from the journal written before they existed, so reports and check_ledger
agree from the first run after the upgrade."""
from django.db import migrations
from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone


def backfill(apps, schema_editor):
    JournalEntry = apps.get_model("ledger", "JournalEntry")
    DailyTotal = apps.get_model("ledger", "DailyTotal")
    day = TruncDate("created_at", tzinfo=timezone.get_current_timezone())
    totals = {}
    for kind, relation, prefix in (("deposit.approved", "deposit", "deposits"),
                                   ("withdrawal.approved", "withdrawal", "withdrawals")):
        rows = (JournalEntry.objects.filter(kind=kind).annotate(day=day)
                .values("day", f"{relation}__method__code", f"{relation}__currency")
                .annotate(n=Count("id"), amount=Sum(f"{relation}__amount"), base=Sum("amount_base")).order_by())
        for row in rows:
            key = (row["day"], row[f"{relation}__method__code"])
            total = totals.setdefault(key, DailyTotal(day=key[0], method=key[1],
                                                      currency=row[f"{relation}__currency"]))
            setattr(total, prefix, row["n"])
            setattr(total, f"{prefix}_amount", row["amount"])
            setattr(total, f"{prefix}_base", row["base"])
    for row in (JournalEntry.objects.filter(kind="reward.approved").annotate(day=day).values("day")
                .annotate(chips=Sum("chips")).order_by()):
        totals.setdefault((row["day"], ""), DailyTotal(day=row["day"], method="")).chips_approved = row["chips"]
    DailyTotal.objects.bulk_create(totals.values())


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0006_admin_tools_and_rollups"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
