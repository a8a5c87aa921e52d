from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("ledger", "0004_money_request_base"),
    ]

    operations = [
        migrations.CreateModel(
            name="EventCursor",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("consumer", models.CharField(max_length=32, unique=True)),
                ("position", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name="AdminMessage",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("request_kind", models.CharField(max_length=16)),
                ("request_id", models.BigIntegerField()),
                ("chat_id", models.BigIntegerField()),
                ("message_id", models.BigIntegerField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("request_kind", "request_id", "chat_id"),
                                                        name="delivery_admin_message_unique")],
            },
        ),
    ]
