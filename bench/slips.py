"""Slip reading over synthetic slips (tests/fakes/slips.py): exact-match rate per field and time per
slip, clean and degraded, for both banks' layouts; and whether any two different slips would be
called duplicates (reference or perceptual hash). Prints a Markdown table for bench/RESULTS.md.

    .venv/bin/python bench/slips.py --count 200 --seed 18
"""
import argparse
import itertools
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
import django  # noqa: E402

django.setup()  # ledger.slipimage reads the ledger's validators, which read its models

from ledger.slipimage import perceptual_hash, same_image  # noqa: E402
from ledger.slipreading import read_slip  # noqa: E402
from tests.fakes.slips import slip_set  # noqa: E402

FIELDS = ("amount", "reference", "sender", "receiver_name", "receiver_account")


def expected(truth, field: str):
    value = getattr(truth, field)
    return value.upper() if field in ("sender", "receiver_name") else value


def measure(count: int, seed: int) -> tuple[list[dict], list[str]]:
    rows, seen = [], []  # seen: (bank, index, degraded, reference read, phash)
    for bank, degraded in itertools.product(("BML", "MIB"), (False, True)):
        hits, times = dict.fromkeys(FIELDS, 0), []
        for index, (truth, image) in enumerate(slip_set(seed, count, bank, degraded=degraded)):
            started = time.perf_counter()
            text, parsed = read_slip(image)
            times.append(time.perf_counter() - started)
            for field in FIELDS:
                hits[field] += getattr(parsed, field) == expected(truth, field)
            seen.append((bank, index, degraded, parsed.reference, (perceptual_hash(image), text)))
            if index % 50 == 49:
                print(f"{bank} {'degraded' if degraded else 'clean'}: {index + 1} read", file=sys.stderr, flush=True)
        times.sort()
        rows.append({"bank": bank, "set": "degraded" if degraded else "clean", "n": count,
                     **{field: hits[field] / count for field in FIELDS},
                     "p50": statistics.median(times), "p95": times[int(0.95 * (len(times) - 1))]})
    false_duplicates = []
    for first, second in itertools.combinations(seen, 2):
        if first[:2] == second[:2]:  # the clean and degraded copies of one slip are the same slip
            continue
        if first[3] and first[3] == second[3]:
            false_duplicates.append(f"DUPLICATE_REFERENCE {first[:3]} {second[:3]}")
        if same_image(first[4], second[4]):
            false_duplicates.append(f"DUPLICATE_IMAGE {first[:3]} {second[:3]}")
    return rows, false_duplicates


def table(rows: list[dict]) -> str:
    head = "| bank | set | slips | amount | reference | sender | receiver name | receiver account | p50 s | p95 s |"
    lines = [head, "|" + "---|" * 10]
    for row in rows:
        lines.append(f"| {row['bank']} | {row['set']} | {row['n']} | "
                     + " | ".join(f"{row[field]:.1%}" for field in FIELDS)
                     + f" | {row['p50']:.2f} | {row['p95']:.2f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="slips per bank, each clean and degraded")
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    rows, false_duplicates = measure(args.count, args.seed)
    print(table(rows))
    print(f"\nFalse DUPLICATE_* warnings between different slips: {len(false_duplicates)}")
    for line in false_duplicates[:20]:
        print("  " + line)


if __name__ == "__main__":
    main()
