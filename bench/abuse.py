"""Hostile documents against the product's limits: the worst server time before resolvers run.

    .venv/bin/python bench/abuse.py [--budget-ms 100] [--repeat 3]

Each family makes documents of growing size n (doubling) until the product refuses one with one of
its limits (length, tokens, depth, aliases, field selections), or n reaches its cap. Each document
goes through what the API does before any resolver: `graphql_api.schema.DOCUMENTS` parses and
validates it (with the bot's rules, caches bypassed: each document gets a fresh operation name, as
an attacker would send), and graphql-core coerces its variables. The time of a size is the median
of `--repeat` runs; a family's figure is its worst size. In-process and CPU-bound, no database, no
network; the whole run takes seconds and stops by itself. Exit status 1 if a family is over budget.
"""
import argparse
import itertools
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-abuse-only")

import django  # noqa: E402

django.setup()

from graphql import GraphQLError, OperationDefinitionNode, specified_rules  # noqa: E402
from graphql.execution.values import get_variable_values  # noqa: E402

from graphql_api.extensions import StaffOnlyIntrospection  # noqa: E402
from graphql_api.schema import DOCUMENTS, schema  # noqa: E402

GRAPHQL_SCHEMA = schema._schema
BOT_RULES = (*specified_rules, StaffOnlyIntrospection)
MAX_N = 1 << 17
MAX_BODY_BYTES = 2_621_440  # Django's DATA_UPLOAD_MAX_MEMORY_SIZE
_names = itertools.count()


def diamond(n: int) -> tuple[str, dict]:
    """n levels of fragments, each spreading the next twice: 2^n uses of the last one."""
    fragments = [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(n)]
    fragments.append(f"fragment F{n} on Query {{ prizeTable {{ label }} }}")
    return "{ ...F0 } " + " ".join(fragments), {}


def wide_diamond(n: int) -> tuple[str, dict]:
    """Two fragments spreading each of n leaf fragments: the overlap check compares fragment pairs."""
    leaves = " ".join(f"fragment L{i} on Query {{ a{i}: prizeTable {{ label }} }}" for i in range(n))
    spreads = " ".join(f"...L{i}" for i in range(n))
    return f"{{ ...A ...B }} fragment A on Query {{ {spreads} }} fragment B on Query {{ {spreads} }} {leaves}", {}


def repeated_fields(n: int) -> tuple[str, dict]:
    return "{ " + " ".join(["user(telegramId: 1) { username }"] * n) + " }", {}


def repeated_leaves(n: int) -> tuple[str, dict]:
    return "{ prizeTable { " + " label" * n + " } }", {}


def repeated_fragment(n: int) -> tuple[str, dict]:
    return "{ " + " ...F" * n + " } fragment F on Query { user(telegramId: 1) { username } }", {}


def aliases(n: int) -> tuple[str, dict]:
    return "{ " + " ".join(f"a{i}: prizeTable {{ label }}" for i in range(n)) + " }", {}


def conflicting_aliases(n: int) -> tuple[str, dict]:
    """One response name for different fields: every pair conflicts and is reported."""
    return "{ " + " ".join(f"x: user(telegramId: {i}) {{ username }}" for i in range(n)) + " }", {}


def deep_nesting(n: int) -> tuple[str, dict]:
    inner = "__typename"
    for field in itertools.islice(itertools.cycle(["spinAccount", "user"]), n):
        inner = f"{field} {{ {inner} }}"
    return f"{{ user(telegramId: 1) {{ {inner} }} }}", {}


def deep_unknown_nesting(n: int) -> tuple[str, dict]:
    return "{" + "a{" * n + "b" + "}" * n + "}", {}


def unique_fragments(n: int) -> tuple[str, dict]:
    spreads = " ".join(f"...U{i}" for i in range(n))
    definitions = " ".join(f"fragment U{i} on Query {{ prizeTable {{ label }} }}" for i in range(n))
    return f"{{ {spreads} }} {definitions}", {}


def long_string(n: int) -> tuple[str, dict]:
    return '{ users(search: "%s", first: 1) { username } }' % ("x" * n), {}


def long_string_variable(n: int) -> tuple[str, dict]:
    return "query($s: String) { users(search: $s, first: 1) { username } }", {"s": "x" * n}


def many_variables(n: int) -> tuple[str, dict]:
    definitions = ", ".join(f"$v{i}: BigInt" for i in range(n))
    return f"query({definitions}) {{ prizeTable {{ label }} }}", {f"v{i}": i for i in range(n)}


def nested_list_literal(n: int) -> tuple[str, dict]:
    return "{ user(telegramId: " + "[" * n + "1" + "]" * n + ") { username } }", {}


def nested_variable_value(n: int) -> tuple[str, dict]:
    value: object = 1
    for _ in range(min(n, 900)):  # deeper values cannot be built in Python, let alone sent
        value = [value]
    return "query($t: BigInt!) { user(telegramId: $t) { username } }", {"t": value}


def many_directives(n: int) -> tuple[str, dict]:
    return "{ prizeTable { label" + " @include(if: true)" * n + " } }", {}


def many_arguments(n: int) -> tuple[str, dict]:
    return "{ user(" + " ".join(["telegramId: 1"] * n) + ") { username } }", {}


def unused_fragments(n: int) -> tuple[str, dict]:
    """Fragments nobody spreads, each full of repeated fields: graphql-core still checks them."""
    body = " ".join(["user(telegramId: 1) { username }"] * 60)
    return "{ prizeTable { label } } " + " ".join(f"fragment N{i} on Query {{ {body} }}" for i in range(n)), {}


def many_operations(n: int) -> tuple[str, dict]:
    return " ".join(f"query Q{i} {{ prizeTable {{ label }} }}" for i in range(n)), {}


FAMILIES: dict[str, Callable[[int], tuple[str, dict]]] = {
    name: function for name, function in globals().items()
    if callable(function) and getattr(function, "__module__", None) == __name__
    and name not in {"measure", "run", "main"} and not name.startswith("_")
}


def measure(query: str, variables: dict, repeat: int) -> tuple[float, bool]:
    """Median CPU seconds of parse + validate + variable coercion, and whether a limit refused it."""
    times, refused = [], False
    for _ in range(repeat):
        fresh = f"# {next(_names)}\n{query}"  # a fresh text: no cache serves it
        start = time.process_time()
        try:
            document = DOCUMENTS.parse(fresh)
            errors = DOCUMENTS.validate(GRAPHQL_SCHEMA, fresh, document, BOT_RULES)
            if not errors:
                operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
                get_variable_values(GRAPHQL_SCHEMA, operation.variable_definitions or (), variables)
        except GraphQLError as error:
            errors = [error]
        except RecursionError:
            errors = []
            print("  RecursionError (would be a 500)", file=sys.stderr)
        times.append(time.process_time() - start)
        refused = any(_is_limit(error) for error in errors)
    return statistics.median(times), refused


def _is_limit(error: GraphQLError) -> bool:
    message = error.message
    return any(word in message for word in ("exceeds maximum", "exceeds the maximum", "Document contains more than",
                                            "code points", "nested too deeply"))


def run(repeat: int) -> list[tuple[str, int, int, float, bool]]:
    rows = []
    for name, family in FAMILIES.items():
        measured: dict[int, tuple[float, bool]] = {}

        def refused_at(n: int, family=family, measured=measured) -> bool:
            query, variables = family(n)
            if len(json.dumps({"query": query, "variables": variables})) > MAX_BODY_BYTES:
                return True  # Django refuses the body before the API sees it
            measured[n] = measure(query, variables, repeat)
            return measured[n][1]

        n = 1
        while n < MAX_N and not refused_at(n):
            n *= 2
        low, high = n // 2, n  # the largest accepted size lies between: find it
        while high - low > 1 and refused_at(high):
            middle = (low + high) // 2
            if refused_at(middle):
                high = middle
            else:
                low = middle
            if high - low <= 1:
                break
        worst_n = max(measured, key=lambda size: measured[size][0])
        rows.append((name, worst_n, max(measured), measured[worst_n][0], any(r for _, r in measured.values())))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget-ms", type=float, default=100.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = run(args.repeat)
    print("| family | worst at n | largest n tried | worst time (ms) | refused by a limit |")
    print("|---|---:|---:|---:|---|")
    for name, worst_n, last_n, seconds, refused in rows:
        print(f"| {name} | {worst_n} | {last_n} | {seconds * 1000:.1f} | {'yes' if refused else 'no (cap)'} |")
    over = [name for name, _, _, seconds, _ in rows if seconds * 1000 > args.budget_ms]
    print(f"\nover {args.budget_ms:.0f} ms: {', '.join(over) if over else 'none'}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
