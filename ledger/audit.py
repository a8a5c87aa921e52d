"""The journal is the truth: recompute every total from it and list what disagrees.

Three sources are compared per player: the journal, the cached totals on the
spin account, and the request tables themselves (approved deposits and
withdrawals, spin rows, open credits, bonuses, approved recovery claims). A
difference means something changed a total without its journal entry, or the
reverse. Each credit's state is proved from its own entries too: opened once,
and settled (by its deposit) or cleared exactly when its status says so; and so
is each bonus (one entry of its amount, naming its approved deposit) and each
recovery claim (one entry of its amount once approved, none before or after a
rejection). And each server seed's nonces were used once each, from 0,
with no gap, as many as its account (or its revealed record) says were drawn.
"""
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Max, Min, Q, Sum
from django.db.models.functions import Coalesce, TruncDate

from ledger.clubtime import club_zone
from ledger.models import (
    CREDIT_KINDS, PAID_OUT, Bonus, CashbackClaim, Credit, CreditStatus, DailyTotal, Deposit, JournalEntry, JournalKind,
    RequestStatus, RevealedSeed, RewardStatus, Spin, SpinAccount, Withdrawal,
)
from ledger.rules import seed_hash

ZERO = Decimal("0")
TOTALS = ("available_spins", "total_spins_used", "total_chips_won", "total_chips_approved",
          "total_deposit_base", "total_withdrawn_base", "deposits_approved", "withdrawals_approved",
          "open_credits", "open_credits_base", "bonuses", "bonuses_base", "recovery_claims", "recovery_base")
OPENED = Q(kind=JournalKind.CREDIT_OPENED)
CLOSED = Q(kind__in=[JournalKind.CREDIT_SETTLED, JournalKind.CREDIT_CLEARED])


def _journal_totals() -> dict[int, dict]:
    rows = JournalEntry.objects.values("player_id").annotate(
        available_spins=Coalesce(Sum("spins"), 0),
        total_spins_used=Count("id", filter=Q(kind=JournalKind.SPIN_USED)),
        total_chips_won=Coalesce(Sum("chips", filter=Q(kind__in=[JournalKind.SPIN_USED,
                                                                  JournalKind.REWARD_REJECTED])), 0),
        total_chips_approved=Coalesce(Sum("chips", filter=Q(kind=JournalKind.REWARD_APPROVED)), 0),
        total_deposit_base=Coalesce(Sum("amount_base", filter=Q(kind=JournalKind.DEPOSIT_APPROVED)), ZERO),
        total_withdrawn_base=Coalesce(Sum("amount_base", filter=Q(kind=JournalKind.WITHDRAWAL_APPROVED)), ZERO),
        deposits_approved=Count("id", filter=Q(kind=JournalKind.DEPOSIT_APPROVED)),
        withdrawals_approved=Count("id", filter=Q(kind=JournalKind.WITHDRAWAL_APPROVED)),
        open_credits=Count("id", filter=OPENED) - Count("id", filter=CLOSED),
        open_credits_base=Coalesce(Sum("amount_base", filter=Q(kind__in=CREDIT_KINDS)), ZERO),
        bonuses=Count("id", filter=Q(kind=JournalKind.BONUS_GRANTED)),
        bonuses_base=Coalesce(Sum("amount_base", filter=Q(kind=JournalKind.BONUS_GRANTED)), ZERO),
        recovery_claims=Count("id", filter=Q(kind=JournalKind.CASHBACK_APPROVED)),
        recovery_base=Coalesce(Sum("amount_base", filter=Q(kind=JournalKind.CASHBACK_APPROVED)), ZERO),
    ).order_by()
    return {row.pop("player_id"): row for row in rows}


def _recorded_totals() -> dict[int, dict]:
    """What the spin accounts and the request tables say."""
    totals: dict[int, dict] = defaultdict(dict)
    for account in SpinAccount.objects.values("player_id", *TOTALS[:6]):
        totals[account.pop("player_id")].update(account)
    for row in Deposit.objects.filter(status=RequestStatus.APPROVED).values("player_id").annotate(
            base=Sum("amount_base"), n=Count("id"), spins=Sum("spins_granted")).order_by():
        totals[row["player_id"]].update(deposits_base=row["base"], deposits_approved=row["n"])
    for row in Withdrawal.objects.filter(status=RequestStatus.APPROVED).values("player_id").annotate(
            base=Sum("amount_base"), n=Count("id")).order_by():
        totals[row["player_id"]].update(withdrawn_base=row["base"], withdrawals_approved=row["n"])
    for row in Spin.objects.values("player_id").annotate(
            used=Count("id"),
            won=Coalesce(Sum("chips", filter=~Q(status=RewardStatus.REJECTED)), 0),
            approved=Coalesce(Sum("chips", filter=Q(status=RewardStatus.APPROVED)), 0)).order_by():
        totals[row["player_id"]].update(spin_rows=row["used"], spin_chips_won=row["won"],
                                        spin_chips_approved=row["approved"])
    for row in Credit.objects.filter(status=CreditStatus.OPEN).values("player_id").annotate(
            base=Sum("amount"), n=Count("id")).order_by():
        totals[row["player_id"]].update(open_credits=row["n"], open_credits_base=row["base"])
    for row in Bonus.objects.values("player_id").annotate(base=Sum("amount"), n=Count("id")).order_by():
        totals[row["player_id"]].update(bonuses=row["n"], bonuses_base=row["base"])
    for row in CashbackClaim.objects.filter(status=RequestStatus.APPROVED).values("player_id").annotate(
            base=Sum("amount"), n=Count("id")).order_by():
        totals[row["player_id"]].update(recovery_claims=row["n"], recovery_base=row["base"])
    return totals


DAILY_FIGURES = ("deposits", "deposits_amount", "deposits_base", "withdrawals", "withdrawals_amount",
                 "withdrawals_base", "chips_approved", *PAID_OUT.values())


def _journal_days() -> dict[tuple, dict]:
    """The journal's report figures per club-local day and method, computed in SQL."""
    day = TruncDate("created_at", tzinfo=club_zone())
    figures: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(DAILY_FIGURES, 0))
    for kind, relation, prefix in ((JournalKind.DEPOSIT_APPROVED, "deposit", "deposits"),
                                   (JournalKind.WITHDRAWAL_APPROVED, "withdrawal", "withdrawals")):
        rows = (JournalEntry.objects.filter(kind=kind).annotate(day=day)
                .values("day", f"{relation}__method__code")
                .annotate(n=Count("id"), amount=Sum(f"{relation}__amount"), base=Sum("amount_base")).order_by())
        for row in rows:
            key = (row["day"], row[f"{relation}__method__code"])
            figures[key].update({prefix: row["n"], f"{prefix}_amount": row["amount"],
                                 f"{prefix}_base": row["base"]})
    for row in (JournalEntry.objects.filter(kind=JournalKind.REWARD_APPROVED).annotate(day=day).values("day")
                .annotate(chips=Sum("chips")).order_by()):
        figures[(row["day"], "")]["chips_approved"] = row["chips"]
    for kind, name in PAID_OUT.items():
        for row in (JournalEntry.objects.filter(kind=kind).annotate(day=day).values("day")
                    .annotate(base=Sum("amount_base")).order_by()):
            figures[(row["day"], "")][name] = row["base"]
    return figures


def daily_total_discrepancies() -> list[str]:
    """Days whose kept totals (DailyTotal, what reports read) differ from the journal."""
    journal = _journal_days()
    kept = {(row["day"], row["method"]): row for row in DailyTotal.objects.values("day", "method", *DAILY_FIGURES)}
    problems = []
    for key in sorted(set(journal) | set(kept), key=lambda key: (key[0], key[1])):
        expected = journal.get(key, dict.fromkeys(DAILY_FIGURES, 0))
        have = kept.get(key, dict.fromkeys(DAILY_FIGURES, 0))
        for name in DAILY_FIGURES:
            if have[name] != expected[name]:
                problems.append(f"day {key[0]} {key[1] or '(no method)'}: {name} is {have[name]} in the daily "
                                f"totals, journal says {expected[name]}")
    return problems


def ledger_discrepancies() -> list[str]:
    """Every total that does not equal the sum of the journal, as readable lines."""
    journal = _journal_totals()
    recorded = _recorded_totals()
    empty = {name: 0 for name in TOTALS}
    problems = []
    for player_id in sorted(set(journal) | set(recorded)):
        expected = journal.get(player_id, empty)
        have = recorded.get(player_id, {})
        pairs = [(name, have.get(name, 0)) for name in TOTALS[:6]] + [
            ("total_deposit_base", have.get("deposits_base") or ZERO),
            ("deposits_approved", have.get("deposits_approved", 0)),
            ("total_withdrawn_base", have.get("withdrawn_base") or ZERO),
            ("withdrawals_approved", have.get("withdrawals_approved", 0)),
            ("total_spins_used", have.get("spin_rows", 0)),
            ("total_chips_won", have.get("spin_chips_won", 0)),
            ("total_chips_approved", have.get("spin_chips_approved", 0)),
            ("open_credits", have.get("open_credits", 0)),
            ("open_credits_base", have.get("open_credits_base") or ZERO),
            ("bonuses", have.get("bonuses", 0)),
            ("bonuses_base", have.get("bonuses_base") or ZERO),
            ("recovery_claims", have.get("recovery_claims", 0)),
            ("recovery_base", have.get("recovery_base") or ZERO),
        ]
        for source_index, (name, value) in enumerate(pairs):
            source = "spin account" if source_index < 6 else "request rows"
            if value != expected[name]:
                problems.append(f"player {player_id}: {name} is {value} in the {source}, "
                                f"journal says {expected[name]}")
    return (problems + _credit_discrepancies() + _bonus_discrepancies() + _claim_discrepancies()
            + _nonce_discrepancies() + daily_total_discrepancies())


def _nonce_discrepancies() -> list[str]:
    """Nonces 0..n-1 of every seed, each once: n spins drawn, as the account or the revealed seed says."""
    drawn = {(row["player_id"], row["server_seed_hash"]): row for row in Spin.objects.filter(
        nonce__isnull=False).values("player_id", "server_seed_hash").annotate(
        spins=Count("id"), first=Min("nonce"), last=Max("nonce")).order_by()}
    declared = {(account["player_id"], seed_hash(account["server_seed"])): account["nonce"]
                for account in SpinAccount.objects.values("player_id", "server_seed", "nonce")}
    declared |= {(seed["player_id"], seed["server_seed_hash"]): seed["spins_drawn"]
                 for seed in RevealedSeed.objects.values("player_id", "server_seed_hash", "spins_drawn")}
    problems = []
    for key in sorted(set(drawn) | {key for key, count in declared.items() if count}):
        row = drawn.get(key, {"spins": 0, "first": None, "last": None})
        count = declared.get(key)
        gap_free = row["spins"] == 0 or (row["first"] == 0 and row["last"] == row["spins"] - 1)
        if count is None or row["spins"] != count or not gap_free:
            problems.append(f"player {key[0]}: seed {key[1][:12]}… drew {row['spins']} spins with nonces "
                            f"{row['first']}..{row['last']}, its record says {count}")
    return problems


def _credit_discrepancies() -> list[str]:
    """Each credit's state, as its own journal entries prove it."""
    journal = {row.pop("credit_id"): row for row in JournalEntry.objects.filter(kind__in=CREDIT_KINDS).values(
        "credit_id").annotate(
        opened=Count("id", filter=OPENED),
        settled=Count("id", filter=Q(kind=JournalKind.CREDIT_SETTLED)),
        cleared=Count("id", filter=Q(kind=JournalKind.CREDIT_CLEARED)),
        owed=Coalesce(Sum("amount_base"), ZERO),
        settled_by=Max("deposit_id"),
    ).order_by()}
    problems = []
    if None in journal:
        problems.append("credit journal entries that name no credit: %s" % journal.pop(None))
    for credit in Credit.objects.values("id", "player_id", "status", "amount", "settlement_id").order_by("id"):
        status = credit["status"]
        expected = {"opened": 1, "settled": int(status == CreditStatus.SETTLED),
                    "cleared": int(status == CreditStatus.CLEARED),
                    "owed": credit["amount"] if status == CreditStatus.OPEN else ZERO,
                    "settled_by": credit["settlement_id"]}
        entries = journal.get(credit["id"], {"opened": 0, "settled": 0, "cleared": 0, "owed": ZERO, "settled_by": None})
        if entries != expected:
            problems.append(f"player {credit['player_id']}: credit {credit['id']} is {status}, "
                            f"journal says {entries}, expected {expected}")
    return problems


def _bonus_discrepancies() -> list[str]:
    """Each bonus, as its own journal entry proves it: one entry of its amount naming its deposit, approved."""
    journal = {row.pop("bonus_id"): row for row in JournalEntry.objects.filter(
        kind=JournalKind.BONUS_GRANTED).values("bonus_id").annotate(
        entries=Count("id"), amount=Coalesce(Sum("amount_base"), ZERO), deposit=Max("deposit_id")).order_by()}
    problems = []
    if None in journal:
        problems.append("bonus journal entries that name no bonus: %s" % journal.pop(None))
    for bonus in Bonus.objects.values("id", "player_id", "amount", "deposit_id", "deposit__status").order_by("id"):
        expected = {"entries": 1, "amount": bonus["amount"], "deposit": bonus["deposit_id"]}
        entries = journal.get(bonus["id"], {"entries": 0, "amount": ZERO, "deposit": None})
        if entries != expected or bonus["deposit__status"] != RequestStatus.APPROVED:
            problems.append(f"player {bonus['player_id']}: bonus {bonus['id']} on a {bonus['deposit__status']} "
                            f"deposit, journal says {entries}, expected {expected}")
    return problems


def _claim_discrepancies() -> list[str]:
    """Each recovery claim: one entry of its amount once approved, none otherwise."""
    journal = {row.pop("cashback_claim_id"): row for row in JournalEntry.objects.filter(
        kind=JournalKind.CASHBACK_APPROVED).values("cashback_claim_id").annotate(
        entries=Count("id"), amount=Coalesce(Sum("amount_base"), ZERO)).order_by()}
    problems = []
    if None in journal:
        problems.append("recovery journal entries that name no claim: %s" % journal.pop(None))
    for claim in CashbackClaim.objects.values("id", "player_id", "status", "amount").order_by("id"):
        approved = claim["status"] == RequestStatus.APPROVED
        expected = {"entries": int(approved), "amount": claim["amount"] if approved else ZERO}
        entries = journal.get(claim["id"], {"entries": 0, "amount": ZERO})
        if entries != expected:
            problems.append(f"player {claim['player_id']}: recovery claim {claim['id']} is {claim['status']}, "
                            f"journal says {entries}, expected {expected}")
    return problems
