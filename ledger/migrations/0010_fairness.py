"""Fair draws: a secret seed and a client seed per spin account, the seed and nonce on every spin.

A callable default on AddField is evaluated once for all existing rows, which would give every
existing player the same secret; the seeds are added empty, filled row by row, then made required.
"""
import secrets

import django.db.models.deletion
import ledger.models.spins
from django.db import migrations, models


def give_each_account_its_own_seeds(apps, schema_editor):
    SpinAccount = apps.get_model("ledger", "SpinAccount")
    accounts = list(SpinAccount.objects.only("pk"))
    for account in accounts:
        account.server_seed, account.client_seed = secrets.token_hex(32), secrets.token_hex(8)
    SpinAccount.objects.bulk_update(accounts, ["server_seed", "client_seed"], batch_size=2000)


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0009_credits'),
    ]

    operations = [
        migrations.CreateModel(
            name='RevealedSeed',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('server_seed', models.CharField(max_length=64)),
                ('server_seed_hash', models.CharField(max_length=64, unique=True)),
                ('spins_drawn', models.PositiveIntegerField(help_text='Its nonces 0 to spins_drawn - 1 were used.')),
                ('revealed_at', models.DateTimeField()),
            ],
            options={
                'ordering': ['-revealed_at', '-id'],
            },
        ),
        migrations.AddField(
            model_name='spin',
            name='client_seed',
            field=models.CharField(blank=True, default='', max_length=64),
        ),
        migrations.AddField(
            model_name='spin',
            name='nonce',
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='spin',
            name='server_seed_hash',
            field=models.CharField(blank=True, default='', max_length=64),
        ),
        migrations.AddField(
            model_name='spinaccount',
            name='client_seed',
            field=models.CharField(default='', max_length=64),
        ),
        migrations.AddField(
            model_name='spinaccount',
            name='nonce',
            field=models.PositiveIntegerField(default=0, help_text="The next spin's nonce under the current seed."),
        ),
        migrations.AddField(
            model_name='spinaccount',
            name='server_seed',
            field=models.CharField(default='', max_length=64),
        ),
        migrations.RunPython(give_each_account_its_own_seeds, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name='spinaccount',
            name='client_seed',
            field=models.CharField(default=ledger.models.spins.new_client_seed, max_length=64),
        ),
        migrations.AlterField(
            model_name='spinaccount',
            name='server_seed',
            field=models.CharField(default=ledger.models.spins.new_server_seed, max_length=64),
        ),
        migrations.AddConstraint(
            model_name='spin',
            constraint=models.UniqueConstraint(condition=models.Q(('nonce__isnull', False)), fields=('server_seed_hash', 'nonce'), name='spin_nonce_once_per_seed'),
        ),
        migrations.AddField(
            model_name='revealedseed',
            name='player',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='revealed_seeds', to='ledger.player'),
        ),
        migrations.AddIndex(
            model_name='revealedseed',
            index=models.Index(fields=['player', '-revealed_at'], name='revealed_seed_player'),
        ),
    ]
