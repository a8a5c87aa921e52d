from django.db import migrations

from ledger.rules import DEFAULT_PAYMENT_METHODS

# The journal is append-only; on PostgreSQL the database itself refuses edits,
# so not even a manual UPDATE in psql can rewrite history silently.
GUARD_SQL = """
CREATE OR REPLACE FUNCTION ledger_journal_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'ledger_journalentry is append-only: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER ledger_journal_append_only
    BEFORE UPDATE OR DELETE ON ledger_journalentry
    FOR EACH ROW EXECUTE FUNCTION ledger_journal_append_only();
"""
UNGUARD_SQL = """
DROP TRIGGER IF EXISTS ledger_journal_append_only ON ledger_journalentry;
DROP FUNCTION IF EXISTS ledger_journal_append_only();
"""


def seed(apps, schema_editor):
    PaymentMethod = apps.get_model("ledger", "PaymentMethod")
    for method in DEFAULT_PAYMENT_METHODS:
        PaymentMethod.objects.get_or_create(code=method["code"], defaults=method)
    apps.get_model("ledger", "EventCursor").objects.get_or_create(consumer="bot")


def guard_journal(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARD_SQL)


def unguard_journal(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNGUARD_SQL)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(guard_journal, unguard_journal),
    ]
