import django.db.models.deletion
from django.db import migrations, models

# No two active promotions of one kind overlap in dates: a promotion that was not ended early excludes
# any other of its kind whose [starts_on, ends_on] shares a day with its own. One constraint per kind, so
# the plain GiST range operator class is enough (no btree_gist extension to install). SQLite has no
# exclusion constraints; there the service's check runs under the database's write lock.
KINDS = ("DEPOSIT_BONUS", "CASHBACK")
OVERLAP_SQL = """
ALTER TABLE ledger_promotion ADD CONSTRAINT promotion_no_overlap_{name}
    EXCLUDE USING gist (daterange(starts_on, ends_on, '[]') WITH &&)
    WHERE (kind = '{kind}' AND ended_at IS NULL)
"""
DROP_SQL = "ALTER TABLE ledger_promotion DROP CONSTRAINT IF EXISTS promotion_no_overlap_{name}"


def exclude_overlaps(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for kind in KINDS:
            schema_editor.execute(OVERLAP_SQL.format(name=kind.lower(), kind=kind))


def allow_overlaps(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for kind in KINDS:
            schema_editor.execute(DROP_SQL.format(name=kind.lower()))


JOURNAL_KINDS = ['deposit.approved', 'withdrawal.approved', 'spins.granted', 'spins.opening', 'spin.used',
                 'reward.approved', 'reward.rejected', 'credit.opened', 'credit.settled', 'credit.cleared',
                 'bonus.granted', 'cashback.approved']


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0014_rule_tables'),
    ]

    operations = [
        migrations.CreateModel(
            name='Promotion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('DEPOSIT_BONUS', 'Deposit bonus'), ('CASHBACK', 'Recovery (cashback)')], max_length=16)),
                ('percentage', models.DecimalField(decimal_places=2, max_digits=5)),
                ('starts_on', models.DateField()),
                ('ends_on', models.DateField()),
                ('created_by', models.CharField(max_length=128)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('ended_at', models.DateTimeField(blank=True, null=True)),
                ('ended_by', models.CharField(blank=True, default='', max_length=128)),
                ('legacy_ref', models.CharField(blank=True, default='', max_length=32)),
                ('version', models.PositiveBigIntegerField(default=1)),
            ],
            options={
                'ordering': ['-starts_on', '-id'],
                'indexes': [models.Index(fields=['kind', 'starts_on'], name='promotion_kind_starts')],
                'constraints': [
                    models.CheckConstraint(condition=models.Q(('kind__in', ['DEPOSIT_BONUS', 'CASHBACK'])), name='promotion_kind_valid'),
                    models.CheckConstraint(condition=models.Q(('percentage__gt', 0), ('percentage__lte', 100)), name='promotion_percentage_range'),
                    models.CheckConstraint(condition=models.Q(('ends_on__gte', models.F('starts_on'))), name='promotion_dates_in_order'),
                    models.CheckConstraint(condition=models.Q(models.Q(('ended_at__isnull', True), ('ended_by', '')), models.Q(('ended_at__isnull', False), models.Q(('ended_by', ''), _negated=True)), _connector='OR'), name='promotion_ended_by_someone_when_ended'),
                ],
            },
        ),
        migrations.CreateModel(
            name='Bonus',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('percentage', models.DecimalField(decimal_places=2, max_digits=5)),
                ('amount', models.DecimalField(decimal_places=2, max_digits=16)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('deposit', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='bonus', to='ledger.deposit')),
                ('player', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='bonuses', to='ledger.player')),
                ('promotion', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='bonuses', to='ledger.promotion')),
            ],
            options={
                'verbose_name_plural': 'bonuses',
                'ordering': ['-created_at', '-id'],
                'constraints': [
                    models.UniqueConstraint(fields=('player', 'promotion'), name='one_bonus_per_player_per_promotion'),
                    models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='bonus_amount_positive'),
                ],
            },
        ),
        migrations.CreateModel(
            name='CashbackClaim',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('decided_by', models.CharField(blank=True, default='', max_length=128)),
                ('rejection_reason', models.CharField(blank=True, default='', max_length=500)),
                ('version', models.PositiveBigIntegerField(default=1)),
                ('amount', models.DecimalField(decimal_places=2, max_digits=14)),
                ('pppoker_id', models.CharField(max_length=32)),
                ('status', models.CharField(choices=[('PENDING', 'Pending'), ('APPROVED', 'Approved'), ('REJECTED', 'Rejected')], default='PENDING', max_length=8)),
                ('deposits_base', models.DecimalField(decimal_places=2, max_digits=16)),
                ('deposits_since', models.DateTimeField(blank=True, null=True)),
                ('percentage', models.DecimalField(decimal_places=2, max_digits=5)),
                ('legacy_ref', models.CharField(blank=True, default='', max_length=32)),
                ('player', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='%(class)ss', to='ledger.player')),
                ('promotion', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='claims', to='ledger.promotion')),
            ],
            options={
                'ordering': ['-created_at', '-id'],
                'abstract': False,
                'indexes': [
                    models.Index(fields=['status', 'created_at'], name='cashbackclaim_status_created'),
                    models.Index(fields=['player', '-created_at'], name='cashbackclaim_player_created'),
                ],
                'constraints': [
                    models.UniqueConstraint(condition=models.Q(('status', 'PENDING')), fields=('player',), name='one_pending_cashbackclaim_per_player'),
                    models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='cashbackclaim_amount_positive'),
                    models.CheckConstraint(condition=models.Q(('status__in', ['PENDING', 'APPROVED', 'REJECTED'])), name='cashbackclaim_status_valid'),
                    models.UniqueConstraint(condition=models.Q(('status', 'APPROVED')), fields=('player', 'promotion'), name='one_approved_claim_per_player_per_promotion'),
                    models.CheckConstraint(condition=models.Q(('deposits_base__gt', 0)), name='cashbackclaim_deposits_positive'),
                ],
            },
        ),
        migrations.CreateModel(
            name='JoinRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('decided_by', models.CharField(blank=True, default='', max_length=128)),
                ('rejection_reason', models.CharField(blank=True, default='', max_length=500)),
                ('version', models.PositiveBigIntegerField(default=1)),
                ('pppoker_id', models.CharField(max_length=32)),
                ('status', models.CharField(choices=[('PENDING', 'Pending'), ('APPROVED', 'Approved'), ('REJECTED', 'Rejected')], default='PENDING', max_length=8)),
                ('legacy_ref', models.CharField(blank=True, default='', max_length=32)),
                ('player', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='join_requests', to='ledger.player')),
            ],
            options={
                'ordering': ['-created_at', '-id'],
                'indexes': [
                    models.Index(fields=['status', 'created_at'], name='joinrequest_status_created'),
                    models.Index(fields=['player', '-created_at'], name='joinrequest_player_created'),
                ],
                'constraints': [
                    models.UniqueConstraint(condition=models.Q(('status', 'PENDING')), fields=('player',), name='one_pending_joinrequest_per_player'),
                    models.CheckConstraint(condition=models.Q(('status__in', ['PENDING', 'APPROVED', 'REJECTED'])), name='joinrequest_status_valid'),
                ],
            },
        ),
        migrations.RemoveConstraint(
            model_name='journalentry',
            name='journal_kind_valid',
        ),
        migrations.AlterField(
            model_name='journalentry',
            name='kind',
            field=models.CharField(choices=[('deposit.approved', 'Deposit Approved'), ('withdrawal.approved', 'Withdrawal Approved'), ('spins.granted', 'Spins Granted'), ('spins.opening', 'Spins Opening'), ('spin.used', 'Spin Used'), ('reward.approved', 'Reward Approved'), ('reward.rejected', 'Reward Rejected'), ('credit.opened', 'Credit Opened'), ('credit.settled', 'Credit Settled'), ('credit.cleared', 'Credit Cleared'), ('bonus.granted', 'Bonus Granted'), ('cashback.approved', 'Cashback Approved')], max_length=24),
        ),
        migrations.AddConstraint(
            model_name='journalentry',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', JOURNAL_KINDS)), name='journal_kind_valid'),
        ),
        migrations.AddField(
            model_name='journalentry',
            name='bonus',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='ledger.bonus'),
        ),
        migrations.AddField(
            model_name='journalentry',
            name='cashback_claim',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='ledger.cashbackclaim'),
        ),
        migrations.RunPython(exclude_overlaps, allow_overlaps),
    ]
