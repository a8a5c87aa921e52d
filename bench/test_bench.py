"""The harness's own checks: `.venv/bin/python -m pytest bench/test_bench.py -q` (bench deps needed).

Not in the project's suite (pytest.ini collects tests/ only): bench/ is not the product.
"""
import itertools
import json
from collections import Counter
import os
import subprocess
import sys
from pathlib import Path

from bench import report
from bench.harness import Result
from bench.report import Measurements
from bench.run import DEFAULT_ROWS, Plan, parse_rows

ROOT = Path(__file__).resolve().parent.parent
ROW = ("lookup", 8)


def result(rps: float, cpu_ms: float) -> Result:
    return Result("lookup", "x", 8, rps=rps, server_cpu_ms=cpu_ms, requests=int(rps * 3))


def test_the_rotation_puts_every_slot_in_every_place_and_after_each_neighbour_as_often_as_before_it():
    plan = Plan("default")
    places = {slot.key: set() for slot in plan.slots}
    follows = Counter()
    for round_index in range(2 * len(plan.slots)):
        order = [slot.key for slot in plan.order(round_index)]
        for place, key in enumerate(order):
            places[key].add(place)
        follows.update(itertools.pairwise(order))
    assert all(seen == set(range(len(plan.slots))) for seen in places.values()), places
    assert all(follows[(a, b)] == follows[(b, a)] for a, b in follows), follows


def test_ratios_are_taken_within_each_round_and_cpu_reads_the_same_way_as_throughput():
    plan = Plan("default")
    plain, gql = (next(slot for slot in plan.slots if slot.key == key) for key in ("plain", "gql"))
    ours = next(ratio for ratio in plan.ratios if (ratio.numerator, ratio.denominator) == ("gql", "plain"))
    measurements = Measurements()
    for plain_rps, gql_rps in ((100, 80), (60, 30), (80, 72)):
        measurements.new_round()
        measurements.add(ROW, plain, result(plain_rps, 1000 / plain_rps))
        measurements.add(ROW, gql, result(gql_rps, 1000 / gql_rps))
    assert [round(value, 3) for value in measurements.ratios(ROW, ours, "rps")] == [0.8, 0.5, 0.9]
    # The medians' ratio would be 72 / 80 = 0.9; the per-round median is 0.8.
    assert report.spread(measurements.ratios(ROW, ours, "rps"))[0] == 0.8
    # GraphQL costs more CPU per request: below 1, like its req/s ratio.
    assert [round(value, 3) for value in measurements.ratios(ROW, ours, "cpu")] == [0.8, 0.5, 0.9]


def test_a_run_block_goes_first_and_the_next_run_compares_with_the_newest_of_its_mode():
    text = "# Title\n\n## Method\n\nkept\n\n## Runs\n\n### old\n\nold table\n\n## Profile and findings\n\nkept too\n"
    for when, value in (("first", 0.70), ("second", 0.75)):
        data = {"mode": "default", "when": when, "ratios": {"lookup c8 gql/plain": value}}
        text = report.insert_run(text, f"### {when}\n\n<!-- bench-run {json.dumps(data)} -->\n", "# Title")
    assert text.index("### second") < text.index("### first") < text.index("### old")
    assert "kept\n" in text and text.endswith("kept too\n")
    assert report.previous_run(text, "default")["when"] == "second"
    assert report.previous_run(text, "internals") is None
    lines = report.agreement_lines({"ratios": {"lookup c8 gql/plain": 0.80}}, report.previous_run(text, "default"))
    assert "0.050" in lines[0] and "NOT MET" in lines[0]


def test_rows_by_operation_or_by_operation_and_connections():
    assert parse_rows("lookup") == [row for row in DEFAULT_ROWS if row[0] == "lookup"]
    assert parse_rows("list:64,spin") == [("list", 64), ("spin", 8)]


def _inspect_schema(off: str) -> dict:
    """The product schema as a server with BENCH_INTERNALS_OFF=off builds it."""
    probe = """
import json, django
django.setup()
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext as LibraryContext
from strawberry_django.optimizer import DjangoOptimizerExtension
from graphql_api.schema import schema
username = schema._schema.type_map["User"].fields["username"]
from graphql_api.optimizer import PlannedOptimizer as optimizer
print(json.dumps({
    # Strawberry's fast path for basic fields (strawberry/schema/schema_converter.py); its
    # `_is_default` mark is no sign of it: every field without a resolver of its own has that.
    "basic_columns": username.resolve.__name__ == "_get_basic_result",
    "own_execute_fields": schema.execution_context_class.execute_fields is not LibraryContext.execute_fields,
    "optimizer_resolve_hook": optimizer.resolve is DjangoOptimizerExtension.resolve,
    # A server builds each extension per request, factories included: each must still construct.
    "extensions_build": all(extension() is not None for extension in schema.extensions if callable(extension)
                            and not isinstance(extension, type)),
}))
"""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "SECRET_KEY": "x", "DEBUG": "1",
           "BENCH_INTERNALS_OFF": off, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_each_internals_module_switched_off_gives_the_library_behaviour_and_only_that():
    product = {"basic_columns": True, "own_execute_fields": True, "optimizer_resolve_hook": False,
               "extensions_build": True}
    assert _inspect_schema("") == product
    assert _inspect_schema("fields") == {**product, "basic_columns": False}
    assert _inspect_schema("execution") == {**product, "own_execute_fields": False}
    assert _inspect_schema("optimizer") == {**product, "optimizer_resolve_hook": True}
