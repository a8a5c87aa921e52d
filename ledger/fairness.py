"""Check the club's draws yourself, without the backend: python -m ledger.fairness verify ...

Once a server seed is revealed (rotateServerSeed, or the bot's Verify screen), every spin drawn on
it is fixed by three things anyone can see: that seed, the client seed and the spin's nonce. This
prints each outcome as the formula of domain.md gives it, and checks the seed against the hash
that was published before it was used. It needs only the standard library and ledger.rules.

    python -m ledger.fairness verify --server-seed <revealed seed> --client-seed <seed> --nonces 0-9
    python -m ledger.fairness verify ... --hash <published sha-256> --prizes table.json
"""
import argparse
import json
import sys
from pathlib import Path

from ledger.rules import Prize, fair_draw, fair_point, seed_hash, winnable_prizes

MAX_NONCES = 1_000_000


def parse_nonces(text: str) -> list[int]:
    """"0-9,15,20-22" -> [0, 1, ..., 9, 15, 20, 21, 22]."""
    nonces: list[int] = []
    for part in text.split(","):
        first, _, last = part.strip().partition("-")
        low, high = int(first), int(last or first)
        if low < 0 or high < low:
            raise ValueError(f"{part!r} is not a nonce or a range low-high")
        nonces.extend(range(low, high + 1))
        if len(nonces) > MAX_NONCES:
            raise ValueError(f"more than {MAX_NONCES:,} nonces")
    return nonces


def load_prizes(path: Path | None) -> tuple[Prize, ...]:
    """The prize table the spins were drawn on: a JSON list of {label, chips, weight}, in table order."""
    if path is None:
        return winnable_prizes()
    rows = json.loads(path.read_text())
    prizes = tuple(Prize(row["label"], int(row.get("chips", 0)), int(row["weight"])) for row in rows)
    return tuple(prize for prize in prizes if prize.weight > 0)


def verify(argv: list[str] | None = None, out=sys.stdout) -> int:
    parser = argparse.ArgumentParser(prog="python -m ledger.fairness verify", description=__doc__.split("\n\n")[1])
    parser.add_argument("--server-seed", required=True, help="the revealed server seed")
    parser.add_argument("--client-seed", required=True)
    parser.add_argument("--nonces", required=True, help='e.g. "0-9" or "3,7,10-12"')
    parser.add_argument("--hash", help="the SHA-256 that was published for the seed before it was used")
    parser.add_argument("--prizes", type=Path, help="the prize table as JSON (default: the current one)")
    options = parser.parse_args(argv)
    try:
        nonces = parse_nonces(options.nonces)
    except ValueError as error:
        parser.error(str(error))
    prizes = load_prizes(options.prizes)
    total = sum(prize.weight for prize in prizes)
    published = seed_hash(options.server_seed)
    print(f"server seed hash: {published}", file=out)
    if options.hash is not None:
        matches = options.hash.strip().lower() == published
        print("matches the published hash" if matches else "DOES NOT MATCH the published hash", file=out)
        if not matches:
            return 1
    print("nonce\tpoint\tprize", file=out)
    for nonce in nonces:
        point = fair_point(options.server_seed, options.client_seed, nonce, total)
        prize = fair_draw(prizes, options.server_seed, options.client_seed, nonce)
        print(f"{nonce}\t{point}/{total}\t{prize.label}", file=out)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] != "verify":
        print(__doc__, file=sys.stderr)
        return 2
    return verify(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
