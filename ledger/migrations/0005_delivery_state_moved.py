"""The bot's delivery state moved to the `delivery` app (its migration 0002 copies the rows first)."""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0004_money_request_base"),
    ]

    operations = [
        migrations.DeleteModel(name="AdminMessage"),
        migrations.DeleteModel(name="EventCursor"),
    ]
