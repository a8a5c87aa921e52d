"""Spins: granted by hand, spent on the wheel (the server draws), and wins decided by admins."""
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from ledger.actors import Actor
from ledger.errors import AlreadyDecided, InsufficientSpins, NotFound
from ledger.models import JournalEntry, JournalKind, RewardStatus, Spin, SpinAccount
from ledger.rules import Prize, fair_draw, seed_hash, winnable_prizes
from ledger.selectors.rule_tables import prize_table_in_force
from ledger.services import journal
from ledger.services.common import decide, emit, locked_account, player_for
from ledger.services.counter import refuse_while_counter_closed
from ledger.services.idempotency import idempotent
from ledger.signals import notify_changed
from ledger.validators import clean_count, clean_reason, parse_row_id

# One call writes two rows per spin; a thousand stays well inside one quick transaction.
MAX_SPINS_PER_CALL = 1_000
MAX_SPINS_PER_GRANT = 10_000


def spins_grant(*, telegram_id: int, spins: int, reason: str, actor: Actor) -> SpinAccount:
    """Give a player spins by hand (an admin's goodwill, a correction)."""
    spins = clean_count(spins, field="spins", maximum=MAX_SPINS_PER_GRANT, label="Spins to grant")
    reason = clean_reason(reason)
    with transaction.atomic():
        player = player_for(telegram_id)
        account = locked_account(player.pk)
        account.available_spins += spins
        account.version += 1
        account.save()
        journal.record(JournalEntry(kind=JournalKind.SPINS_GRANTED, player=player, spins=spins,
                                    actor=actor.label, note=reason))
        emit("spins.granted", player, spins=spins, reason=reason, decided_by=actor.label,
             available_spins=account.available_spins)
        return account


@dataclass(frozen=True)
class SpinBatch:
    spins: list[Spin]
    chips_won: int
    spins_left: int


def draw_prize(prizes: tuple[Prize, ...] | None = None) -> Prize:
    """One outcome of a fresh secret seed: what a spin's draw is, seen from outside its account."""
    return fair_draw(prizes or winnable_prizes(), secrets.token_hex(32), secrets.token_hex(8), 0)


def spins_process(*, telegram_id: int, count: int | None = None,
                  idempotency_key: str | None = None) -> SpinBatch:
    """Spend `count` spins (None: all available, at most MAX_SPINS_PER_CALL) and draw each outcome."""
    if count is not None:
        count = clean_count(count, field="count", maximum=MAX_SPINS_PER_CALL, label="Spins at a time")
    with transaction.atomic():
        return idempotent(
            operation="spins_process", key=idempotency_key,
            request={"telegram_id": telegram_id, "count": count},
            run=lambda: _spins_process(telegram_id=telegram_id, count=count),
            dump=lambda batch: {"spin_ids": [spin.pk for spin in batch.spins], "spins_left": batch.spins_left},
            load=_spin_batch_from_record,
        )


def _spin_batch_from_record(result: dict) -> SpinBatch:
    by_id = Spin.objects.select_related("player").in_bulk(result["spin_ids"])
    spins = [by_id[pk] for pk in result["spin_ids"]]
    return SpinBatch(spins=spins, chips_won=sum(spin.chips for spin in spins), spins_left=result["spins_left"])


def _spins_process(*, telegram_id: int, count: int | None) -> SpinBatch:
    refuse_while_counter_closed()
    player = player_for(telegram_id)
    account = locked_account(player.pk)
    wanted = min(account.available_spins, MAX_SPINS_PER_CALL) if count is None else count
    if wanted == 0 or wanted > account.available_spins:
        raise InsufficientSpins(f"You have {account.available_spins} spins; this needs {max(wanted, 1)}.",
                                field="count")
    now = timezone.now()
    table = prize_table_in_force()
    prizes = winnable_prizes(table.prizes)
    # The account is locked: its nonces are handed out in order, once each, with no gap.
    server_seed, client_seed, first_nonce = account.server_seed, account.client_seed, account.nonce
    published = seed_hash(server_seed)
    spins = Spin.objects.bulk_create([
        Spin(player=player, prize=prize.label, chips=prize.chips, created_at=now,
             status=RewardStatus.PENDING if prize.chips else RewardStatus.AUTO,
             server_seed_hash=published, client_seed=client_seed, nonce=nonce, prize_table_version=table.version)
        for nonce, prize in ((nonce, fair_draw(prizes, server_seed, client_seed, nonce))
                             for nonce in range(first_nonce, first_nonce + wanted))
    ])
    account.nonce = first_nonce + wanted
    chips_won = sum(spin.chips for spin in spins)
    account.available_spins -= wanted
    account.total_spins_used += wanted
    account.total_chips_won += chips_won
    account.last_spin_at = now
    account.version += 1
    account.save()
    journal.record_spins_used(player_id=player.pk, first_spin_id=spins[0].pk, last_spin_id=spins[-1].pk, at=now)
    notify_changed("spin.used")
    wins = [spin for spin in spins if spin.chips]
    if wins:
        emit("spin.won", player, spin_ids=[spin.pk for spin in wins], chips=chips_won,
             prizes=[spin.prize for spin in wins])
    return SpinBatch(spins=spins, chips_won=chips_won, spins_left=account.available_spins)


def _locked_reward(spin_id: Any) -> tuple[Spin, SpinAccount]:
    spin_id = parse_row_id(spin_id, label="spin")
    try:
        player_id = Spin.objects.values_list("player_id", flat=True).get(pk=spin_id)
    except Spin.DoesNotExist:
        raise NotFound(f"No spin with id {spin_id}.", field="id") from None
    account = locked_account(player_id)
    spin = Spin.objects.select_for_update(of=("self",)).select_related("player__spin_account").get(pk=spin_id)
    if spin.status != RewardStatus.PENDING:
        what = "was nothing to decide" if spin.status == RewardStatus.AUTO else f"was already {spin.status.lower()}"
        raise AlreadyDecided(f"This spin {what}.")
    return spin, account


def spin_reward_approve(*, spin_id: int, actor: Actor) -> Spin:
    with transaction.atomic():
        spin, account = _locked_reward(spin_id)
        _approve_rewards([spin], account, actor)
        return spin


def spin_rewards_approve_all(*, telegram_id: int, actor: Actor) -> list[Spin]:
    """Approve every pending win of one player at once."""
    with transaction.atomic():
        player = player_for(telegram_id)
        account = locked_account(player.pk)
        spins = list(Spin.objects.select_for_update(of=("self",)).select_related("player__spin_account")
                     .filter(player=player, status=RewardStatus.PENDING).order_by("id"))
        _approve_rewards(spins, account, actor)
        return spins


def _approve_rewards(spins: list[Spin], account: SpinAccount, actor: Actor) -> None:
    if not spins:
        return
    for spin in spins:
        decide(spin, status=RewardStatus.APPROVED, actor=actor)
    Spin.objects.bulk_update(spins, ["status", "decided_at", "decided_by", "rejection_reason", "version"])
    chips = sum(spin.chips for spin in spins)
    account.total_chips_approved += chips
    account.version += 1
    account.save()
    journal.record(*[
        JournalEntry(kind=JournalKind.REWARD_APPROVED, player_id=spin.player_id, spin=spin, chips=spin.chips,
                     actor=actor.label)
        for spin in spins
    ])
    emit("spin.approved", spins[0].player, spin_ids=[spin.pk for spin in spins], chips=chips,
         decided_by=actor.label)


def spin_reward_reject(*, spin_id: int, actor: Actor, reason: str) -> Spin:
    reason = clean_reason(reason)
    with transaction.atomic():
        spin, account = _locked_reward(spin_id)
        decide(spin, status=RewardStatus.REJECTED, actor=actor, reason=reason)
        spin.save()
        account.total_chips_won -= spin.chips
        account.version += 1
        account.save()
        journal.record(JournalEntry(kind=JournalKind.REWARD_REJECTED, player_id=spin.player_id, spin=spin,
                                    chips=-spin.chips, actor=actor.label, note=reason))
        emit("spin.rejected", spin.player, spin_ids=[spin.pk], chips=spin.chips, reason=reason,
             decided_by=actor.label)
        return spin
