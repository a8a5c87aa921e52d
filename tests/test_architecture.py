"""Rules about where code may do what, checked on the source so no new path can forget them."""
import ast
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


def test_each_module_reaching_into_library_internals_names_the_versions_it_was_checked_against():
    """A bump of strawberry, strawberry-django or graphql-core must send someone back to the
    equivalence tests and the internals benchmark (bash bench/run.sh --internals), and to the docstring."""
    pins = dict(re.findall(r"^([\w-]+)==(\S+)$", (ROOT / "requirements.txt").read_text(), re.MULTILINE))
    named = [f"{package} {pins[package]}" for package in ("strawberry-graphql", "strawberry-graphql-django",
                                                          "graphql-core")]
    for module in ("execution", "fields", "optimizer"):
        docstring = ast.get_docstring(ast.parse((ROOT / "graphql_api" / f"{module}.py").read_text()))
        flat = " ".join(docstring.split())
        assert all(version in flat for version in named), (module, named)
