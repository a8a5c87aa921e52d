"""Every change of the ledger's state goes through here.

Each service is one transaction: it locks what it decides on, refuses with a
typed `LedgerError`, and writes its journal entries and outbox events in that
same transaction, so a change is never recorded without its trail or the
reverse. Locks are always taken in the order request -> spin account -> spin
rows, so two services never wait on each other in a cycle.
"""
import hashlib
import json
import secrets
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ledger.actors import Actor
from ledger.checks import amount_in_base, clean_amount, clean_pppoker_id, clean_telegram_id, clean_text
from ledger.errors import (
    AccountNameMismatch, AlreadyDecided, BelowMinimum, DuplicatePending, IdempotencyConflict,
    InsufficientSpins, Invalid, NotFound,
)
from ledger.models import (
    MAX_BIGINT, AdminMessage, Deposit, Event, EventCursor, IdempotencyRecord, JournalEntry, JournalKind, PaymentMethod, Player,
    RequestStatus, RewardStatus, Spin, SpinAccount, Withdrawal,
)
from ledger.rules import Prize, spins_for_amount, winnable_prizes
from ledger.selectors import BOT_CONSUMER
from ledger.signals import notify_changed

T = TypeVar("T")
MAX_SPINS_PER_CALL = 10_000


# --- input checks -------------------------------------------------------------

def _player(telegram_id: int) -> Player:
    player = Player.objects.filter(telegram_id=clean_telegram_id(telegram_id)).first()
    if player is None:
        raise NotFound(f"No player with Telegram id {telegram_id}; send /start first.", field="telegramId")
    return player


def _active_method(code: str) -> PaymentMethod:
    method = PaymentMethod.objects.filter(code__iexact=(code or "").strip(), is_active=True).first()
    if method is None:
        raise Invalid(f"{code!r} is not an active payment method.", field="method")
    return method


def _row_id(pk: Any, label: str) -> int:
    try:
        row_id = int(pk)
    except (TypeError, ValueError):
        row_id = 0
    if not 0 < row_id <= MAX_BIGINT:
        raise NotFound(f"No {label} with id {pk}.", field="id")
    return row_id


def _locked(model, pk: Any, label: str):
    try:
        return model.objects.select_for_update(of=("self",)).select_related("player").get(pk=_row_id(pk, label))
    except model.DoesNotExist:
        raise NotFound(f"No {label} with id {pk}.", field="id") from None


def _locked_account(player_id: int) -> SpinAccount:
    return SpinAccount.objects.select_for_update().get(player_id=player_id)


def _ensure_pending(request, label: str) -> None:
    if request.status != RequestStatus.PENDING:
        by = f" by {request.decided_by}" if request.decided_by else ""
        raise AlreadyDecided(f"This {label} was already {request.status.lower()}{by}.")


def payout_name_fix(*, player_id: int, name: str) -> bool:
    """Payouts go only to the name of the first approved deposit: set it once, never change it.

    A conditional update, so two approvals racing for one player cannot both set it.
    """
    return bool(name) and Player.objects.filter(pk=player_id, account_name="").update(
        account_name=name, version=F("version") + 1) > 0


def _decide(request, *, status: str, actor: Actor, reason: str = "") -> None:
    request.status = status
    request.decided_at = timezone.now()
    request.decided_by = actor.label
    request.rejection_reason = reason
    request.version += 1  # safe: the row is locked


def _emit(kind: str, player: Player, **payload: Any) -> Event:
    notify_changed(kind)
    return Event.objects.create(kind=kind, telegram_id=player.telegram_id, payload=payload)


# --- idempotency ----------------------------------------------------------------

def _idempotent(*, operation: str, key: str | None, request: dict, run: Callable[[], T],
                dump: Callable[[T], dict], load: Callable[[dict], T]) -> T:
    """Run `run` once per key. Must be called inside a transaction.

    The key's row is inserted before the work: a concurrent retry blocks on the
    unique index until the first commits, then reads its result.
    """
    if not key:
        return run()
    if len(key) > 128:
        raise Invalid("The idempotency key is longer than 128 characters.", field="idempotencyKey")
    fingerprint = hashlib.sha256(json.dumps(request, sort_keys=True, default=str).encode()).hexdigest()
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(operation=operation, key=key, fingerprint=fingerprint)
    except IntegrityError:
        record = IdempotencyRecord.objects.get(operation=operation, key=key)
        if record.fingerprint != fingerprint:
            raise IdempotencyConflict("This idempotency key was already used with different input.",
                                      field="idempotencyKey") from None
        return load(record.result)
    result = run()
    record.result = dump(result)
    record.save(update_fields=["result"])
    return result


# --- players ----------------------------------------------------------------------

def user_upsert(*, telegram_id: int, username: str | None = None, first_name: str | None = None,
                last_name: str | None = None, pppoker_id: str | None = None) -> Player:
    """Register a player on first contact, or update the fields given (None keeps a field)."""
    telegram_id = clean_telegram_id(telegram_id)
    changes = {name: " ".join(value.split())[:limit] for name, value, limit in (
        ("username", (username or "").lstrip("@") if username is not None else None, 64),
        ("first_name", first_name, 128),
        ("last_name", last_name, 128),
    ) if value is not None}
    if pppoker_id is not None and pppoker_id.strip():
        changes["pppoker_id"] = clean_pppoker_id(pppoker_id)
    with transaction.atomic():
        try:
            with transaction.atomic():
                player, created = Player.objects.get_or_create(telegram_id=telegram_id, defaults=changes)
        except IntegrityError:  # a concurrent first contact won the race
            player, created = Player.objects.get(telegram_id=telegram_id), False
        if created:
            SpinAccount.objects.create(player=player)
            _emit("user.registered", player, username=player.username)
            return player
        changed = {name: value for name, value in changes.items() if getattr(player, name) != value}
        if changed:
            Player.objects.filter(pk=player.pk).update(**changed, version=F("version") + 1)
            player.refresh_from_db()
            notify_changed("user.updated")
        return player


# --- deposits ---------------------------------------------------------------------

def deposit_create(*, telegram_id: int, amount: Any, method: str, account_name: str, proof: str,
                   pppoker_id: str, idempotency_key: str | None = None) -> Deposit:
    request = {"telegram_id": telegram_id, "amount": str(amount), "method": method,
               "account_name": account_name, "proof": proof, "pppoker_id": pppoker_id}
    with transaction.atomic():
        return _idempotent(
            operation="deposit_create", key=idempotency_key, request=request,
            run=lambda: _deposit_create(telegram_id=telegram_id, amount=amount, method=method,
                                        account_name=account_name, proof=proof, pppoker_id=pppoker_id),
            dump=lambda deposit: {"id": deposit.pk},
            load=lambda result: Deposit.objects.select_related("player", "method").get(pk=result["id"]),
        )


def _deposit_create(*, telegram_id, amount, method, account_name, proof, pppoker_id) -> Deposit:
    player = _player(telegram_id)
    payment_method = _active_method(method)
    deposit = Deposit(
        player=player,
        method=payment_method,
        amount=clean_amount(amount),
        currency=payment_method.currency,
        account_name=clean_text(account_name, field="accountName", max_length=128, label="The account name"),
        proof=clean_text(proof, field="proof", max_length=256, label="The slip or TXID"),
        pppoker_id=clean_pppoker_id(pppoker_id),
    )
    if Deposit.objects.filter(player=player, status=RequestStatus.PENDING).exists():
        raise DuplicatePending("You already have a pending deposit; wait for it to be decided.")
    try:
        with transaction.atomic():
            deposit.save()
    except IntegrityError:  # the partial unique index caught a concurrent second request
        raise DuplicatePending("You already have a pending deposit; wait for it to be decided.") from None
    _emit("deposit.created", player, deposit_id=deposit.pk, amount=str(deposit.amount),
          currency=deposit.currency, method=payment_method.code)
    return deposit


def deposit_approve(*, deposit_id: int, actor: Actor, amount: Any = None) -> Deposit:
    """Approve a pending deposit, optionally correcting its amount; grants its spins."""
    with transaction.atomic():
        deposit = _locked(Deposit, deposit_id, "deposit")
        _ensure_pending(deposit, "deposit")
        if amount is not None:
            deposit.amount = clean_amount(amount)
        method = deposit.method
        deposit.currency = method.currency
        deposit.rate_to_base = method.rate_to_base
        deposit.amount_base = amount_in_base(deposit.amount, method.rate_to_base)
        deposit.spins_granted = spins_for_amount(deposit.amount_base)
        _decide(deposit, status=RequestStatus.APPROVED, actor=actor)
        deposit.save()

        if payout_name_fix(player_id=deposit.player_id, name=deposit.account_name):
            deposit.player.refresh_from_db()

        account = _locked_account(deposit.player_id)
        account.available_spins += deposit.spins_granted
        account.total_deposit_base += deposit.amount_base
        account.version += 1
        account.save()
        JournalEntry.objects.create(
            kind=JournalKind.DEPOSIT_APPROVED, player_id=deposit.player_id, deposit=deposit,
            amount_base=deposit.amount_base, spins=deposit.spins_granted, actor=actor.label)
        _emit("deposit.approved", deposit.player, deposit_id=deposit.pk, amount=str(deposit.amount),
              currency=deposit.currency, amount_base=str(deposit.amount_base),
              spins_granted=deposit.spins_granted, decided_by=actor.label)
        return deposit


def deposit_reject(*, deposit_id: int, actor: Actor, reason: str) -> Deposit:
    reason = clean_text(reason, field="reason", max_length=500, label="A reason")
    with transaction.atomic():
        deposit = _locked(Deposit, deposit_id, "deposit")
        _ensure_pending(deposit, "deposit")
        _decide(deposit, status=RequestStatus.REJECTED, actor=actor, reason=reason)
        deposit.save()
        _emit("deposit.rejected", deposit.player, deposit_id=deposit.pk, amount=str(deposit.amount),
              currency=deposit.currency, reason=reason, decided_by=actor.label)
        return deposit


# --- withdrawals ------------------------------------------------------------------

def withdrawal_create(*, telegram_id: int, amount: Any, method: str, account_number: str, pppoker_id: str,
                      idempotency_key: str | None = None) -> Withdrawal:
    request = {"telegram_id": telegram_id, "amount": str(amount), "method": method,
               "account_number": account_number, "pppoker_id": pppoker_id}
    with transaction.atomic():
        return _idempotent(
            operation="withdrawal_create", key=idempotency_key, request=request,
            run=lambda: _withdrawal_create(telegram_id=telegram_id, amount=amount, method=method,
                                           account_number=account_number, pppoker_id=pppoker_id),
            dump=lambda withdrawal: {"id": withdrawal.pk},
            load=lambda result: Withdrawal.objects.select_related("player", "method").get(pk=result["id"]),
        )


def _withdrawal_create(*, telegram_id, amount, method, account_number, pppoker_id) -> Withdrawal:
    player = _player(telegram_id)
    payment_method = _active_method(method)
    withdrawal = Withdrawal(
        player=player,
        method=payment_method,
        amount=clean_amount(amount),
        currency=payment_method.currency,
        rate_to_base=payment_method.rate_to_base,
        account_number=clean_text(account_number, field="accountNumber", max_length=128,
                                   label="The account number or wallet"),
        pppoker_id=clean_pppoker_id(pppoker_id),
    )
    withdrawal.amount_base = amount_in_base(withdrawal.amount, payment_method.rate_to_base)
    minimum = settings.WITHDRAWAL_MIN_MVR
    if withdrawal.amount_base < minimum:
        raise BelowMinimum(f"The minimum withdrawal is {minimum} MVR; this is {withdrawal.amount_base} MVR.",
                           field="amount")
    if not player.account_name:
        raise AccountNameMismatch(
            "Withdrawals are paid only to the name of your first approved deposit, and you have none yet.")
    withdrawal.account_name = player.account_name
    if Withdrawal.objects.filter(player=player, status=RequestStatus.PENDING).exists():
        raise DuplicatePending("You already have a pending withdrawal; wait for it to be decided.")
    try:
        with transaction.atomic():
            withdrawal.save()
    except IntegrityError:
        raise DuplicatePending("You already have a pending withdrawal; wait for it to be decided.") from None
    _emit("withdrawal.created", player, withdrawal_id=withdrawal.pk, amount=str(withdrawal.amount),
          currency=withdrawal.currency, method=payment_method.code)
    return withdrawal


def withdrawal_approve(*, withdrawal_id: int, actor: Actor) -> Withdrawal:
    with transaction.atomic():
        withdrawal = _locked(Withdrawal, withdrawal_id, "withdrawal")
        _ensure_pending(withdrawal, "withdrawal")
        _decide(withdrawal, status=RequestStatus.APPROVED, actor=actor)
        withdrawal.save()
        account = _locked_account(withdrawal.player_id)
        account.total_withdrawn_base += withdrawal.amount_base
        account.version += 1
        account.save()
        JournalEntry.objects.create(
            kind=JournalKind.WITHDRAWAL_APPROVED, player_id=withdrawal.player_id, withdrawal=withdrawal,
            amount_base=withdrawal.amount_base, actor=actor.label)
        _emit("withdrawal.approved", withdrawal.player, withdrawal_id=withdrawal.pk,
              amount=str(withdrawal.amount), currency=withdrawal.currency, decided_by=actor.label)
        return withdrawal


def withdrawal_reject(*, withdrawal_id: int, actor: Actor, reason: str) -> Withdrawal:
    reason = clean_text(reason, field="reason", max_length=500, label="A reason")
    with transaction.atomic():
        withdrawal = _locked(Withdrawal, withdrawal_id, "withdrawal")
        _ensure_pending(withdrawal, "withdrawal")
        _decide(withdrawal, status=RequestStatus.REJECTED, actor=actor, reason=reason)
        withdrawal.save()
        _emit("withdrawal.rejected", withdrawal.player, withdrawal_id=withdrawal.pk,
              amount=str(withdrawal.amount), currency=withdrawal.currency, reason=reason,
              decided_by=actor.label)
        return withdrawal


# --- spins ------------------------------------------------------------------------

def spins_grant(*, telegram_id: int, spins: int, reason: str, actor: Actor) -> SpinAccount:
    """Give a player spins by hand (an admin's goodwill, a correction)."""
    if not isinstance(spins, int) or not 0 < spins <= MAX_SPINS_PER_CALL:
        raise Invalid(f"Spins to grant must be between 1 and {MAX_SPINS_PER_CALL}.", field="spins")
    reason = clean_text(reason, field="reason", max_length=500, label="A reason")
    with transaction.atomic():
        player = _player(telegram_id)
        account = _locked_account(player.pk)
        account.available_spins += spins
        account.version += 1
        account.save()
        JournalEntry.objects.create(kind=JournalKind.SPINS_GRANTED, player=player, spins=spins,
                                    actor=actor.label, note=reason)
        _emit("spins.granted", player, spins=spins, reason=reason, decided_by=actor.label,
              available_spins=account.available_spins)
        return account


@dataclass(frozen=True)
class SpinBatch:
    spins: list[Spin]
    chips_won: int
    spins_left: int


def draw_prize(prizes: tuple[Prize, ...] | None = None) -> Prize:
    """One outcome, drawn by the server from a cryptographic source."""
    prizes = prizes or winnable_prizes()
    bounds = list(accumulate(prize.weight for prize in prizes))
    return prizes[bisect_right(bounds, secrets.randbelow(bounds[-1]))]


def spins_process(*, telegram_id: int, count: int | None = None,
                  idempotency_key: str | None = None) -> SpinBatch:
    """Spend `count` spins (None: all available) and draw each outcome."""
    with transaction.atomic():
        return _idempotent(
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
    if count is not None and (not isinstance(count, int) or not 0 < count <= MAX_SPINS_PER_CALL):
        raise Invalid(f"Spin between 1 and {MAX_SPINS_PER_CALL} at a time.", field="count")
    player = _player(telegram_id)
    account = _locked_account(player.pk)
    wanted = account.available_spins if count is None else count
    if wanted == 0 or wanted > account.available_spins:
        raise InsufficientSpins(f"You have {account.available_spins} spins; this needs {max(wanted, 1)}.",
                                field="count")
    wanted = min(wanted, MAX_SPINS_PER_CALL)
    now = timezone.now()
    spins = Spin.objects.bulk_create([
        Spin(player=player, prize=prize.label, chips=prize.chips, created_at=now,
             status=RewardStatus.PENDING if prize.chips else RewardStatus.AUTO)
        for prize in (draw_prize() for _ in range(wanted))
    ])
    chips_won = sum(spin.chips for spin in spins)
    account.available_spins -= wanted
    account.total_spins_used += wanted
    account.total_chips_won += chips_won
    account.last_spin_at = now
    account.version += 1
    account.save()
    JournalEntry.objects.bulk_create([
        JournalEntry(kind=JournalKind.SPIN_USED, player=player, spin=spin, spins=-1, chips=spin.chips)
        for spin in spins
    ])
    notify_changed("spin.used")
    wins = [spin for spin in spins if spin.chips]
    if wins:
        _emit("spin.won", player, spin_ids=[spin.pk for spin in wins], chips=chips_won,
              prizes=[spin.prize for spin in wins])
    return SpinBatch(spins=spins, chips_won=chips_won, spins_left=account.available_spins)


def _locked_reward(spin_id: Any) -> tuple[Spin, SpinAccount]:
    spin_id = _row_id(spin_id, "spin")
    try:
        player_id = Spin.objects.values_list("player_id", flat=True).get(pk=spin_id)
    except Spin.DoesNotExist:
        raise NotFound(f"No spin with id {spin_id}.", field="id") from None
    account = _locked_account(player_id)
    spin = Spin.objects.select_for_update(of=("self",)).select_related("player").get(pk=spin_id)
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
        player = _player(telegram_id)
        account = _locked_account(player.pk)
        spins = list(Spin.objects.select_for_update(of=("self",)).select_related("player")
                     .filter(player=player, status=RewardStatus.PENDING).order_by("id"))
        _approve_rewards(spins, account, actor)
        return spins


def _approve_rewards(spins: list[Spin], account: SpinAccount, actor: Actor) -> None:
    if not spins:
        return
    for spin in spins:
        _decide(spin, status=RewardStatus.APPROVED, actor=actor)
    Spin.objects.bulk_update(spins, ["status", "decided_at", "decided_by", "rejection_reason", "version"])
    chips = sum(spin.chips for spin in spins)
    account.total_chips_approved += chips
    account.version += 1
    account.save()
    JournalEntry.objects.bulk_create([
        JournalEntry(kind=JournalKind.REWARD_APPROVED, player_id=spin.player_id, spin=spin, chips=spin.chips,
                     actor=actor.label)
        for spin in spins
    ])
    _emit("spin.approved", spins[0].player, spin_ids=[spin.pk for spin in spins], chips=chips,
          decided_by=actor.label)


def spin_reward_reject(*, spin_id: int, actor: Actor, reason: str) -> Spin:
    reason = clean_text(reason, field="reason", max_length=500, label="A reason")
    with transaction.atomic():
        spin, account = _locked_reward(spin_id)
        _decide(spin, status=RewardStatus.REJECTED, actor=actor, reason=reason)
        spin.save()
        account.total_chips_won -= spin.chips
        account.version += 1
        account.save()
        JournalEntry.objects.create(kind=JournalKind.REWARD_REJECTED, player_id=spin.player_id, spin=spin,
                                    chips=-spin.chips, actor=actor.label, note=reason)
        _emit("spin.rejected", spin.player, spin_ids=[spin.pk], chips=spin.chips, reason=reason,
              decided_by=actor.label)
        return spin


# --- event feed ---------------------------------------------------------------------

def events_ack(*, up_to: int, consumer: str = BOT_CONSUMER) -> int:
    """Move the consumer's cursor forward to `up_to`; returns how many events that acknowledged.

    The cursor never moves back, so a late or repeated ack is harmless.
    """
    try:
        up_to = int(up_to)
    except (TypeError, ValueError):
        raise Invalid(f"{up_to!r} is not an event id.", field="upTo") from None
    with transaction.atomic():
        cursor, _ = EventCursor.objects.select_for_update().get_or_create(consumer=consumer)
        if up_to <= cursor.position:
            return 0
        acknowledged = Event.objects.filter(id__gt=cursor.position, id__lte=up_to).count()
        cursor.position = up_to
        cursor.save(update_fields=["position"])
        return acknowledged


# --- where the bot showed requests to admins ----------------------------------------

REQUEST_KINDS = ("deposit", "withdrawal", "spin")


def admin_messages_record(*, request_kind: str, request_id: int, messages: list[tuple[int, int]]) -> int:
    """Remember (chat id, message id) pairs that show a request; a repeat replaces the old one."""
    if request_kind not in REQUEST_KINDS:
        raise Invalid(f"Request kind must be one of {', '.join(REQUEST_KINDS)}.", field="kind")
    request_id = _row_id(request_id, request_kind)
    with transaction.atomic():
        for chat_id, message_id in messages:
            AdminMessage.objects.update_or_create(
                request_kind=request_kind, request_id=request_id, chat_id=int(chat_id),
                defaults={"message_id": int(message_id)})
    return len(messages)
