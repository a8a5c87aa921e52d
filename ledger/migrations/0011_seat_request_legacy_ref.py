from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0010_fairness'),
    ]

    operations = [
        migrations.AddField(
            model_name='seatrequest',
            name='legacy_ref',
            field=models.CharField(blank=True, db_index=True, default='', max_length=32),
        ),
    ]
