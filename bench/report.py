"""The benchmark's tables: medians and ranges over rounds, ratios per round, RESULTS.md's runs.

bench/RESULTS.md keeps its hand-written sections ("Method", "Profile and findings"); a full run
inserts its own block at the top of the "Runs" section and leaves the earlier runs below it, so
two runs can be read side by side. Each block ends with a comment holding its ratios as JSON: the
next run of the same mode and rows prints how far its medians are from those.
"""
import json
import re
import statistics
from dataclasses import dataclass

from bench import queries

RUNS_HEADING = "## Runs"
RUN_DATA = re.compile(r"<!-- bench-run (\{.*?\}) -->")
AGREEMENT = 0.03  # issue 21: two runs' GraphQL/plain medians within this of each other
AA_GOAL = 0.03  # issue 21: the A/A ratio within 1.00 +- this
GAIN_TO_KEEP = 0.10  # issue 11, item 9: an internals module stays if it gains more than this on some row
GOALS = {("lookup", 8): 0.8, ("list", 8): 0.7}  # GraphQL req/s as a fraction of the plain view's (issue 6)
P99_GOAL_MS = 50.0
OP_LABEL = {
    "lookup": "user(telegramId) + spinAccount",
    "list": f"pendingDeposits(first: {queries.LIST_SIZE}) + user",
    "deposit": "createDeposit + approveDeposit (pairs/s = req/s / 2)",
    "spin": f"processSpin(count: {queries.SPIN_COUNT})",
}


@dataclass(frozen=True)
class Slot:
    key: str  # unique within a round; several slots may load the same target (the A/A twin)
    target: str
    label: str


@dataclass(frozen=True)
class Ratio:
    numerator: str
    denominator: str
    label: str
    kind: str = "peer"  # "peer", "aa" (noise floor), "gain" (internals on / off), "compare"


def row_name(row: tuple[str, int]) -> str:
    return f"{row[0]} c{row[1]}"


def spread(values: list[float]) -> tuple[float, float, float]:
    return statistics.median(values), min(values), max(values)


def fmt(values: list[float], pattern: str) -> str:
    if not values:
        return "-"
    median, low, high = spread(values)
    return f"{pattern.format(median)} [{pattern.format(low)}–{pattern.format(high)}]"


class Measurements:
    """Results by round, row and slot."""

    def __init__(self):
        self.by_round: list[dict] = []

    def new_round(self) -> None:
        self.by_round.append({})

    def add(self, row, slot: Slot, result) -> None:
        self.by_round[-1][(row, slot.key)] = result

    def of(self, row, key: str) -> list:
        return [results[(row, key)] for results in self.by_round if (row, key) in results]

    def ratios(self, row, ratio: Ratio, metric: str) -> list[float]:
        """Per round: req/s of the numerator over the denominator's; for CPU per request the
        denominator's over the numerator's, so that below 1 means the numerator costs more in both."""
        values = []
        for results in self.by_round:
            num, den = results.get((row, ratio.numerator)), results.get((row, ratio.denominator))
            if not (num and den and num.requests and den.requests):
                continue
            if metric == "rps":
                values.append(num.rps / den.rps)
            elif num.server_cpu_ms:
                values.append(den.server_cpu_ms / num.server_cpu_ms)
        return values

    def all_results(self) -> list:
        return [result for results in self.by_round for result in results.values()]


def slot_table(measurements: Measurements, rows: list, slots: list[Slot]) -> list[str]:
    lines = ["| operation | conns | implementation | req/s median [min–max] | server CPU ms/req median [min–max] | "
             "p50 ms | p99 ms | errors |",
             "|---|---:|---|---:|---:|---:|---:|---:|"]
    for row in rows:
        for slot in slots:
            results = measurements.of(row, slot.key)
            if not results:
                continue
            errors = sum(result.errors for result in results)
            exhausted = sum(result.exhausted for result in results)
            lines.append(
                f"| {OP_LABEL[row[0]]} | {row[1]} | {slot.label} | {fmt([r.rps for r in results], '{:,.0f}')} | "
                f"{fmt([r.server_cpu_ms for r in results], '{:.2f}')} | "
                f"{statistics.median(r.p50_ms for r in results):.1f} | "
                f"{statistics.median(r.p99_ms for r in results):.1f} | "
                f"{f'**{errors}**' if errors else 0}{f' (players exhausted {exhausted})' if exhausted else ''} |")
    return lines


def ratio_table(measurements: Measurements, rows: list, ratios: list[Ratio]) -> list[str]:
    lines = ["| operation | conns | ratio | req/s ratio median [min–max] | CPU/req ratio median [min–max] | "
             "goal or noise floor |",
             "|---|---:|---|---:|---:|---|"]
    for row in rows:
        aa = next((measurements.ratios(row, ratio, "rps") for ratio in ratios if ratio.kind == "aa"), [])
        for ratio in ratios:
            rps = measurements.ratios(row, ratio, "rps")
            if not rps:
                continue
            note = ""
            if ratio.kind == "aa":
                note = f"A/A: goal 1.00 ± {AA_GOAL:.2f}"
            elif (row in GOALS and ratio.denominator == "plain" and ratio.numerator == "gql"):
                note = f"goal ≥ {GOALS[row]}; A/A {fmt(aa, '{:.3f}')}"
            elif ratio.kind in ("gain", "compare") and aa:
                note = f"A/A {fmt(aa, '{:.3f}')}"
            lines.append(f"| {OP_LABEL[row[0]]} | {row[1]} | {ratio.label} | {fmt(rps, '{:.3f}')}× | "
                         f"{fmt(measurements.ratios(row, ratio, 'cpu'), '{:.3f}')}× | {note} |")
    return lines


def aa_summary(measurements: Measurements, rows: list, ratios: list[Ratio]) -> list[str]:
    aa = next((ratio for ratio in ratios if ratio.kind == "aa"), None)
    if aa is None:
        return []
    lines = []
    worst = 0.0
    for row in rows:
        values = measurements.ratios(row, aa, "rps")
        if values:
            median = statistics.median(values)
            worst = max(worst, abs(median - 1))
            lines.append(f"  - {row_name(row)}: req/s {fmt(values, '{:.3f}')}, CPU/req "
                         f"{fmt(measurements.ratios(row, aa, 'cpu'), '{:.3f}')}")
    verdict = "MET" if worst <= AA_GOAL else "NOT MET"
    return [f"- A/A (the plain view against itself, interleaved like the others; the noise floor of this run): "
            f"largest |median − 1| over the rows {worst:.3f} (goal ≤ {AA_GOAL}: {verdict})", *lines]


def goal_lines(measurements: Measurements, ratios: list[Ratio]) -> list[str]:
    lines = []
    ours = next((ratio for ratio in ratios if (ratio.numerator, ratio.denominator) == ("gql", "plain")), None)
    if ours is None:
        return lines
    for row, minimum in GOALS.items():
        values = measurements.ratios(row, ours, "rps")
        if values:
            median, low, high = spread(values)
            verdict = "MET" if median >= minimum else "NOT MET"
            if low < minimum <= high:
                verdict += " (the goal lies inside the rounds' range)"
            lines.append(f"- {row_name(row)}: GraphQL {fmt(values, '{:.3f}')}× plain (goal ≥ {minimum}×): "
                         f"{verdict}")
    for row in ((op, 64) for op in ("lookup", "list")):
        results = measurements.of(row, "gql")
        if results:
            p99 = statistics.median(r.p99_ms for r in results)
            lines.append(f"- {row_name(row)}: GraphQL p99 {p99:.1f} ms, median of the rounds "
                         f"(goal ≤ {P99_GOAL_MS:.0f} ms): {'MET' if p99 <= P99_GOAL_MS else 'NOT MET'}")
    errors = sum(result.errors for result in measurements.all_results())
    lines.append(f"- errors over all timed runs: {errors} ({'MET' if errors == 0 else 'NOT MET'}: goal zero)")
    return lines


def gain_lines(measurements: Measurements, rows: list, ratios: list[Ratio]) -> list[str]:
    """Issue 11, item 9: for each module, its largest median gain over the rows, and the verdict."""
    lines = []
    aa = next((ratio for ratio in ratios if ratio.kind == "aa"), None)
    for ratio in (ratio for ratio in ratios if ratio.kind == "gain"):
        gains = {}
        for row in rows:
            for metric in ("rps", "cpu"):
                values = measurements.ratios(row, ratio, metric)
                if values:
                    gains[(row, metric)] = statistics.median(values) - 1
        if not gains:
            continue
        (row, metric), best = max(gains.items(), key=lambda item: item[1])
        verdict = "gains more than 10 %: keep" if best > GAIN_TO_KEEP else "gains 10 % or less on every row"
        detail = ", ".join(f"{row_name(r)} {gains[(r, 'rps')]:+.1%} req/s / {gains.get((r, 'cpu'), 0):+.1%} CPU"
                           for r in rows if (r, "rps") in gains)
        noise = fmt(measurements.ratios(row, aa, metric), "{:.3f}") if aa else "-"
        lines.append(f"- {ratio.label}: largest {best:+.1%} ({row_name(row)}, "
                     f"{'req/s' if metric == 'rps' else 'CPU/req'}; that row's A/A {noise}): {verdict}. "
                     f"Per row: {detail}")
    return lines


def noise_lines(measurements: Measurements) -> list[str]:
    results = measurements.all_results()
    foreign = [r.foreign_cpu for r in results if r.foreign_cpu is not None]
    steal = [r.steal for r in results]
    lines = []
    if foreign:
        busy = sum(1 for value in foreign if value > 0.05)
        lines.append(f"- CPU used by processes not of this benchmark during the timed slots: median "
                     f"{statistics.median(foreign):.1%}, max {max(foreign):.1%} of the machine; "
                     f"{busy} of {len(foreign)} slots above 5 %"
                     + (" (the machine was not quiet: run again when it is)" if busy > len(foreign) // 10 else ""))
    else:
        lines.append("- CPU of other processes: unknown (the database's processes are not visible from here)")
    if steal and max(steal) > 0.01:
        lines.append(f"- hypervisor steal: median {statistics.median(steal):.1%}, max {max(steal):.1%}")
    return lines


def per_round_lines(measurements: Measurements, rows: list, ratios: list[Ratio]) -> list[str]:
    lines = []
    for row in rows:
        for ratio in ratios:
            values = measurements.ratios(row, ratio, "rps")
            if values:
                lines.append(f"- {row_name(row)}, {ratio.label}: " + " ".join(f"{value:.3f}" for value in values))
    return lines


def run_data(measurements: Measurements, rows: list, ratios: list[Ratio], mode: str) -> dict:
    data = {"mode": mode, "ratios": {}}
    for row in rows:
        for ratio in ratios:
            values = measurements.ratios(row, ratio, "rps")
            if values:
                data["ratios"][f"{row_name(row)} {ratio.numerator}/{ratio.denominator}"] = round(
                    statistics.median(values), 4)
    return data


def previous_run(text: str, mode: str) -> dict | None:
    for match in RUN_DATA.finditer(text):  # newest first
        data = json.loads(match.group(1))
        if data.get("mode") == mode:
            return data
    return None


def agreement_lines(current: dict, previous: dict | None) -> list[str]:
    if previous is None:
        return ["- no earlier run of this mode in RESULTS.md to compare with"]
    lines, worst = [], 0.0
    for key, value in current["ratios"].items():
        if key in previous["ratios"]:
            delta = value - previous["ratios"][key]
            worst = max(worst, abs(delta)) if key.endswith("gql/plain") else worst
            lines.append(f"  - {key}: {value:.3f} now, {previous['ratios'][key]:.3f} then ({delta:+.3f})")
    verdict = "MET" if worst <= AGREEMENT else "NOT MET"
    return [f"- against the previous run of this mode ({previous.get('when', '?')}): largest GraphQL/plain difference "
            f"{worst:.3f} (goal ≤ {AGREEMENT}: {verdict})", *lines]


def insert_run(previous_text: str, block: str, header: str) -> str:
    """The file with `block` as the newest run; a file without a Runs section gets one."""
    if RUNS_HEADING not in previous_text:
        return f"{header}\n\n{RUNS_HEADING}\n\n{block}\n"
    head, rest = previous_text.split(RUNS_HEADING, 1)
    return f"{head}{RUNS_HEADING}\n\n{block}\n{rest.lstrip(chr(10))}"
