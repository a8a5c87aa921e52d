from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0012_talk'),
    ]

    operations = [
        migrations.AddField(
            model_name='admin',
            name='version',
            field=models.PositiveBigIntegerField(default=1),
        ),
        migrations.AddField(
            model_name='paymentmethod',
            name='account_updated_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='paymentmethod',
            name='rate_updated_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='paymentmethod',
            name='version',
            field=models.PositiveBigIntegerField(default=1),
        ),
    ]
