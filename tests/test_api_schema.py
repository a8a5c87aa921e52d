"""The exported schema.graphql is current and keeps the contract."""
import subprocess
import sys
from pathlib import Path

from graphql_api.schema import schema

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CONTRACT_CHECK = SHARED / "tools" / "contract_check.py"
# Both contract files: the first wave's and, now that all of it is in, the second's.
CONTRACTS = (SHARED / "api-contract.graphql", SHARED / "api-contract-next.graphql")


def test_schema_graphql_is_current():
    exported = (ROOT / "schema.graphql").read_text()
    assert exported.strip() == schema.as_str().strip(), (
        "schema.graphql is stale: run `python manage.py export_schema graphql_api.schema:schema --path schema.graphql`")


def test_schema_keeps_the_contract():
    if not CONTRACT_CHECK.exists():
        import pytest
        pytest.skip("../shared/tools/contract_check.py is not beside this checkout")
    result = subprocess.run([sys.executable, str(CONTRACT_CHECK), str(ROOT / "schema.graphql"), *map(str, CONTRACTS)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "0 missing" in result.stdout, result.stdout + result.stderr
