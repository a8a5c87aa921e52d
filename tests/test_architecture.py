"""Rules about where code may do what, checked on the source so no new path can forget them."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ["ledger", "delivery", "graphql_api", "sync", "botclient", "config"]


def product_sources():
    for package in PRODUCT:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path, path.read_text()


def test_journal_entries_are_written_only_through_the_journal_service():
    """ledger.services.journal.record keeps the day totals; a direct write would skip them."""
    direct = re.compile(r"JournalEntry\.objects\.(create|bulk_create|get_or_create|update_or_create)\b")
    offenders = [str(path.relative_to(ROOT)) for path, text in product_sources() if direct.search(text)]
    assert offenders == ["ledger/services/journal.py"]


def test_settings_change_only_in_the_config_services():
    """Payment methods, admins and their audit trail change in ledger/services/config.py alone."""
    writes = re.compile(r"(PaymentMethod|Admin|ConfigChange)\.objects\.(create|update|get_or_create|"
                        r"update_or_create|bulk_create|filter\([^)]*\)\.update)\b")
    allowed = {"ledger/services/config.py", "ledger/management/commands/seed_demo.py"}
    offenders = [str(path.relative_to(ROOT)) for path, text in product_sources()
                 if writes.search(text) and str(path.relative_to(ROOT)) not in allowed]
    assert offenders == []
