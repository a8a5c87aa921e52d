"""The ledger's services for taking in history from the legacy spreadsheet.

The one-time import (`sync/importer/`) reads the legacy tabs, decides which
rows to take and calls these; they are the only way history enters the ledger.
Like every service, each is one transaction that writes its rows, keeps the
totals on the spin account in step with the journal (what `ledger.audit` and
`check_ledger` verify), writes its journal entries in that same transaction and
refuses with a typed `LedgerError`. Unlike the live services they take the
legacy times and decisions as they were, check no minimum or payout name (that
is history, not a request), and write **no outbox events**: the bot must not
announce history to players.

How history is journaled, so that `check_ledger` holds after an import:

* Spin Users' *Available Spins* becomes one SPINS_OPENING entry per player
  (spins = the legacy balance). It is the only source of legacy spins; a
  second opening balance for a player is refused.
* An approved ("Approved" or "Completed") deposit gets its DEPOSIT_APPROVED
  entry with its `amount_base` and **0 spins**, and `spins_granted = 0`: the
  spins it earned were granted by the legacy bot and are already either in the
  opening balance or spent. Like a live approval, it fixes the player's payout
  name if none is set yet.
* An approved withdrawal gets its WITHDRAWAL_APPROVED entry.
* Every legacy spin gets a SPIN_USED entry with its chips and **0 spins**, for
  the same reason: the spin it used was granted before the journal existed, so
  spending it must not come out of the opening balance. An approved win also
  gets REWARD_APPROVED, a rejected one REWARD_REJECTED, exactly as live.
* Pending and rejected requests have no entry, as live, and a player can have
  only one pending deposit and one pending withdrawal (DuplicatePending).
* A legacy seat request has no entry (it moves nothing); an open legacy credit gets its CREDIT_OPENED
  entry, so what it owes is in the journal and check_ledger proves it like a live credit.
* Amounts in MVR use each method's current rate (the legacy sheet kept none).
* Journal entries are append-only and dated when written, so they carry the
  import's time; their note (given by the caller, required) names the legacy
  row and its original time. The rows themselves get their legacy creation
  time (`created_at` is set after the insert, as it is auto_now_add).
"""
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction

from ledger.actors import Actor
from ledger.errors import CreditOpen, DuplicatePending, Invalid
from ledger.services import journal, payout_name_set_once
from ledger.validators import amount_in_base, check_amount, clean_pppoker_id, clean_tally, clean_telegram_id
from ledger.models import (
    Credit, CreditStatus, Deposit, JournalEntry, JournalKind, PaymentMethod, Player, RequestStatus, RewardStatus,
    SeatRequest, Spin, SpinAccount, Withdrawal,
)
from ledger.services.credits import REMINDERS


# --- checks ---------------------------------------------------------------------------

def _check_length(value: str, *, label: str, max_length: int, required: bool = False) -> str:
    if not isinstance(value, str):
        raise Invalid(f"{label} must be text.")
    if required and not value:
        raise Invalid(f"{label} is required.")
    if len(value) > max_length:
        raise Invalid(f"{label} {value!r} is longer than {max_length} characters.")
    return value


def _check_pppoker_id(pppoker_id: str) -> str:
    return clean_pppoker_id(pppoker_id) if pppoker_id else ""  # legacy rows may lack one


def _check_time(value: datetime | None, label: str) -> None:
    if value is not None and (not isinstance(value, datetime) or value.tzinfo is None):
        raise Invalid(f"{label} {value!r} is not an aware datetime")


def _check_decision(*, decided: bool, rejected: bool, decided_at: datetime | None, decided_by: str,
                    rejection_reason: str) -> None:
    """A decided row says when and by whom; a rejected one why; an undecided one none of it."""
    _check_time(decided_at, "decided_at")
    _check_length(decided_by, label="decided_by", max_length=128)
    _check_length(rejection_reason, label="rejection_reason", max_length=500)
    if decided and (decided_at is None or not decided_by):
        raise Invalid("a decided row needs decided_at and decided_by")
    if not decided and (decided_at is not None or decided_by):
        raise Invalid("an undecided row has no decided_at or decided_by")
    if rejected != bool(rejection_reason):
        raise Invalid("a rejection reason is required for a rejected row and only there")


def _check_note(note: str) -> str:
    return _check_length(note, label="note", max_length=500, required=True)


def _ensure_one_pending(model, *, player: Player, label: str) -> None:
    pending = model.objects.filter(player=player, status=RequestStatus.PENDING).first()
    if pending is not None:
        ref = pending.legacy_ref or f"{label[0].upper()}{pending.pk}"
        raise DuplicatePending(f"player {player.telegram_id} already has a pending {label} ({ref}); "
                               "only one can be pending")


def _check_request(*, amount: Decimal, status: str, created_at: datetime, decided_at: datetime | None,
                   decided_by: str, rejection_reason: str, legacy_ref: str, account_name: str, pppoker_id: str,
                   note: str) -> Decimal:
    if status not in RequestStatus.values:
        raise Invalid(f"status {status!r} is not one of {', '.join(RequestStatus.values)}")
    if created_at is None:
        raise Invalid("created_at is required")
    _check_time(created_at, "created_at")
    _check_decision(decided=status != RequestStatus.PENDING, rejected=status == RequestStatus.REJECTED,
                    decided_at=decided_at, decided_by=decided_by, rejection_reason=rejection_reason)
    _check_length(legacy_ref, label="legacy_ref", max_length=32, required=True)
    _check_length(account_name, label="account_name", max_length=128)
    _check_pppoker_id(pppoker_id)
    _check_note(note)
    return check_amount(amount, label="amount")


def _create_request(model, *, player: Player, status: str, label: str, **fields):
    """Insert a legacy request (refusing a second pending one) and give it its legacy time."""
    if status == RequestStatus.PENDING:
        _ensure_one_pending(model, player=player, label=label)
    created_at = fields.pop("created_at")
    try:
        with transaction.atomic():
            row = model.objects.create(player=player, status=status, **fields)
    except IntegrityError as exc:
        if status == RequestStatus.PENDING:  # a pending one created concurrently, e.g. through the bot
            _ensure_one_pending(model, player=player, label=label)
        raise Invalid(f"the database refused it: {exc}") from None
    model.objects.filter(pk=row.pk).update(created_at=created_at)
    row.created_at = created_at
    return row


# --- players ----------------------------------------------------------------------------

def legacy_player_create(*, telegram_id: int, username: str = "", first_name: str = "", last_name: str = "",
                         pppoker_id: str = "", account_name: str = "",
                         registered_at: datetime | None = None) -> Player:
    """A legacy player and their empty spin account, registered when the legacy sheet says."""
    telegram_id = clean_telegram_id(telegram_id, field="telegram_id")
    _check_length(username, label="username", max_length=64)
    _check_length(first_name, label="first name", max_length=128)
    _check_length(last_name, label="last name", max_length=128)
    _check_length(account_name, label="account name", max_length=128)
    _check_pppoker_id(pppoker_id)
    _check_time(registered_at, "registered_at")
    with transaction.atomic():
        if Player.objects.filter(telegram_id=telegram_id).exists():
            raise Invalid(f"player {telegram_id} already exists")
        try:
            with transaction.atomic():
                player = Player.objects.create(
                    telegram_id=telegram_id, username=username, first_name=first_name, last_name=last_name,
                    pppoker_id=pppoker_id, account_name=account_name)
        except IntegrityError:  # registered concurrently through the bot
            raise Invalid(f"player {telegram_id} already exists") from None
        account = SpinAccount.objects.create(player=player)
        if registered_at:
            # created_at is auto_now_add: the legacy registration time is set after the insert.
            Player.objects.filter(pk=player.pk).update(created_at=registered_at)
            SpinAccount.objects.filter(pk=account.pk).update(created_at=registered_at)
            player.created_at = registered_at
        return player


def legacy_opening_balance(*, player: Player, spins: int, actor: Actor, note: str,
                           last_spin_at: datetime | None = None) -> SpinAccount:
    """The player's legacy balance of spins, once: one SPINS_OPENING entry (none for 0 spins)."""
    spins = clean_tally(spins, label="opening balance")
    _check_note(note)
    _check_time(last_spin_at, "last_spin_at")
    with transaction.atomic():
        account = SpinAccount.objects.select_for_update().get(player=player)
        if JournalEntry.objects.filter(player=player, kind=JournalKind.SPINS_OPENING).exists():
            raise Invalid(f"player {player.telegram_id} already has an opening balance")
        if spins:
            journal.record(JournalEntry(kind=JournalKind.SPINS_OPENING, player=player, spins=spins,
                                        actor=actor.label, note=note))
            account.available_spins += spins
        if last_spin_at and (account.last_spin_at is None or last_spin_at > account.last_spin_at):
            account.last_spin_at = last_spin_at
        account.version += 1
        account.save()
        return account


# --- deposits and withdrawals -----------------------------------------------------------

def legacy_deposit_create(*, player: Player, method: PaymentMethod, amount: Decimal, account_name: str, proof: str,
                          pppoker_id: str, status: str, created_at: datetime, decided_at: datetime | None = None,
                          decided_by: str = "", rejection_reason: str = "", legacy_ref: str, actor: Actor,
                          note: str) -> Deposit:
    """A legacy deposit. Approved: journaled with its amount in MVR and 0 spins (none granted again).

    An empty account_name takes the player's payout name.
    """
    amount = _check_request(amount=amount, status=status, created_at=created_at, decided_at=decided_at,
                            decided_by=decided_by, rejection_reason=rejection_reason, legacy_ref=legacy_ref,
                            account_name=account_name, pppoker_id=pppoker_id, note=note)
    _check_length(proof, label="proof", max_length=256)
    approved = status == RequestStatus.APPROVED
    with transaction.atomic():
        player.refresh_from_db(fields=["account_name"])  # an earlier deposit may have fixed it
        amount_base = amount_in_base(amount, method.rate_to_base) if approved else None
        deposit = _create_request(
            Deposit, player=player, status=status, label="deposit", method=method, amount=amount,
            currency=method.currency, rate_to_base=method.rate_to_base if approved else None,
            amount_base=amount_base, account_name=account_name or player.account_name, proof=proof,
            pppoker_id=pppoker_id, spins_granted=0, legacy_ref=legacy_ref, created_at=created_at,
            decided_at=decided_at, decided_by=decided_by, rejection_reason=rejection_reason)
        if approved:
            account = SpinAccount.objects.select_for_update().get(player=player)
            account.total_deposit_base += amount_base
            account.version += 1
            account.save()
            journal.record(JournalEntry(kind=JournalKind.DEPOSIT_APPROVED, player=player, deposit=deposit,
                                        amount_base=amount_base, spins=0, actor=actor.label, note=note))
            payout_name_set_once(player_id=player.pk, name=account_name)
        return deposit


def legacy_withdrawal_create(*, player: Player, method: PaymentMethod, amount: Decimal, account_name: str,
                             account_number: str, pppoker_id: str, status: str, created_at: datetime,
                             decided_at: datetime | None = None, decided_by: str = "", rejection_reason: str = "",
                             legacy_ref: str, actor: Actor, note: str) -> Withdrawal:
    """A legacy withdrawal; approved, it is journaled. An empty account_name takes the player's payout name."""
    amount = _check_request(amount=amount, status=status, created_at=created_at, decided_at=decided_at,
                            decided_by=decided_by, rejection_reason=rejection_reason, legacy_ref=legacy_ref,
                            account_name=account_name, pppoker_id=pppoker_id, note=note)
    _check_length(account_number, label="account number", max_length=128)
    with transaction.atomic():
        player.refresh_from_db(fields=["account_name"])
        withdrawal = _create_request(
            Withdrawal, player=player, status=status, label="withdrawal", method=method, amount=amount,
            currency=method.currency, rate_to_base=method.rate_to_base,
            amount_base=amount_in_base(amount, method.rate_to_base),
            account_name=account_name or player.account_name, account_number=account_number,
            pppoker_id=pppoker_id, legacy_ref=legacy_ref, created_at=created_at, decided_at=decided_at,
            decided_by=decided_by, rejection_reason=rejection_reason)
        if status == RequestStatus.APPROVED:
            account = SpinAccount.objects.select_for_update().get(player=player)
            account.total_withdrawn_base += withdrawal.amount_base
            account.version += 1
            account.save()
            journal.record(JournalEntry(kind=JournalKind.WITHDRAWAL_APPROVED, player=player, withdrawal=withdrawal,
                                        amount_base=withdrawal.amount_base, actor=actor.label, note=note))
        return withdrawal


# --- spins ------------------------------------------------------------------------------

def legacy_spin_create(*, player: Player, prize: str, chips: int, status: str, created_at: datetime,
                       decided_at: datetime | None = None, decided_by: str = "", rejection_reason: str = "",
                       actor: Actor, note: str) -> Spin:
    """A legacy spin: SPIN_USED with 0 spins (the spin was granted before the journal), plus
    REWARD_APPROVED or REWARD_REJECTED for a decided win."""
    _check_length(prize, label="prize", max_length=32, required=True)
    chips = clean_tally(chips, label="chips")
    if status not in RewardStatus.values:
        raise Invalid(f"status {status!r} is not one of {', '.join(RewardStatus.values)}")
    if (chips == 0) != (status == RewardStatus.AUTO):
        raise Invalid(f"a spin of {chips} chips cannot have status {status}: only a spin that won nothing is AUTO")
    if created_at is None:
        raise Invalid("created_at is required")
    _check_time(created_at, "created_at")
    _check_decision(decided=status in (RewardStatus.APPROVED, RewardStatus.REJECTED),
                    rejected=status == RewardStatus.REJECTED, decided_at=decided_at, decided_by=decided_by,
                    rejection_reason=rejection_reason)
    _check_note(note)
    with transaction.atomic():
        account = SpinAccount.objects.select_for_update().get(player=player)
        spin = Spin.objects.create(player=player, prize=prize, chips=chips, status=status, decided_at=decided_at,
                                   decided_by=decided_by, rejection_reason=rejection_reason)
        Spin.objects.filter(pk=spin.pk).update(created_at=created_at)
        spin.created_at = created_at
        entries = [JournalEntry(kind=JournalKind.SPIN_USED, player=player, spin=spin, spins=0, chips=chips,
                                actor=actor.label, note=note)]
        if status == RewardStatus.APPROVED:
            entries.append(JournalEntry(kind=JournalKind.REWARD_APPROVED, player=player, spin=spin, chips=chips,
                                        actor=actor.label, note=note))
            account.total_chips_approved += chips
        elif status == RewardStatus.REJECTED:
            entries.append(JournalEntry(kind=JournalKind.REWARD_REJECTED, player=player, spin=spin, chips=-chips,
                                        actor=actor.label, note=note))
        journal.record(*entries)
        account.total_spins_used += 1
        account.total_chips_won += 0 if status == RewardStatus.REJECTED else chips
        if account.last_spin_at is None or created_at > account.last_spin_at:
            account.last_spin_at = created_at
        account.version += 1
        account.save()
        return spin


# --- seats on credit --------------------------------------------------------------------

def legacy_seat_request_create(*, player: Player, amount: Decimal, pppoker_id: str, status: str,
                               created_at: datetime, decided_at: datetime | None = None, decided_by: str = "",
                               rejection_reason: str = "", legacy_ref: str) -> SeatRequest:
    """A legacy seat request, as the sheet has it. No entry: what is owed is the credit's, not the request's."""
    if status not in RequestStatus.values:
        raise Invalid(f"status {status!r} is not one of {', '.join(RequestStatus.values)}")
    if created_at is None:
        raise Invalid("created_at is required")
    _check_time(created_at, "created_at")
    _check_decision(decided=status != RequestStatus.PENDING, rejected=status == RequestStatus.REJECTED,
                    decided_at=decided_at, decided_by=decided_by, rejection_reason=rejection_reason)
    _check_length(legacy_ref, label="legacy_ref", max_length=32, required=True)
    amount = check_amount(amount, label="amount")
    with transaction.atomic():
        return _create_request(
            SeatRequest, player=player, status=status, label="seat request", amount=amount,
            pppoker_id=_check_pppoker_id(pppoker_id), legacy_ref=legacy_ref, created_at=created_at,
            decided_at=decided_at, decided_by=decided_by, rejection_reason=rejection_reason)


def legacy_credit_open(*, seat_request: SeatRequest, amount: Decimal, created_at: datetime, reminders_sent: int,
                       actor: Actor, note: str) -> Credit:
    """The open credit of an approved legacy seat: CREDIT_OPENED with what it owes (the sheet's figure,
    which may differ from the seat's amount), opened when the sheet says.

    Reminders the legacy bot already sent count (at most the live number), so none is sent twice.
    """
    amount = check_amount(amount, label="credit amount")
    if created_at is None:
        raise Invalid("created_at is required")
    _check_time(created_at, "created_at")
    reminders_sent = min(clean_tally(reminders_sent, label="reminder count"), REMINDERS)
    _check_note(note)
    with transaction.atomic():
        seat = SeatRequest.objects.select_for_update().get(pk=seat_request.pk)
        if seat.status != RequestStatus.APPROVED:
            raise Invalid(f"seat request {seat.legacy_ref or seat.pk} is {seat.status.lower()}, not approved")
        if Credit.objects.filter(seat_request=seat).exists():
            raise Invalid(f"seat request {seat.legacy_ref or seat.pk} already has its credit")
        SpinAccount.objects.select_for_update().get(player_id=seat.player_id)  # the player's lock, as live
        open_credit = Credit.objects.filter(player_id=seat.player_id, status=CreditStatus.OPEN).first()
        if open_credit is not None:
            raise CreditOpen(f"player {seat.player.telegram_id} already has an open credit "
                             f"({open_credit.seat_request.legacy_ref or open_credit.pk}); only one can be open")
        credit = Credit.objects.create(player_id=seat.player_id, seat_request=seat, amount=amount,
                                       reminders_sent=reminders_sent)
        Credit.objects.filter(pk=credit.pk).update(created_at=created_at)
        credit.created_at = created_at
        journal.record(JournalEntry(kind=JournalKind.CREDIT_OPENED, player_id=seat.player_id, credit=credit,
                                    amount_base=credit.amount, actor=actor.label, note=note))
        return credit
