"""The floor: plain Django function views, hand-written dicts, JsonResponse.

Each view authenticates exactly like /graphql/ does for the bot (the same
`graphql_api.auth.authenticate`, bearer token compared in constant time), calls
the same ledger selector or service the GraphQL resolver calls, and returns the
same fields the benchmark's GraphQL documents select (snake_case keys).
"""
import json

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from graphql_api.auth import CallerKind, authenticate
from ledger import selectors, services
from ledger.actors import admin_actor
from ledger.errors import Invalid, LedgerError
from ledger.selectors import page

from bench.benchapp.common import error_body, error_status


def _forbidden() -> JsonResponse:
    return JsonResponse({"code": "FORBIDDEN", "message": "Authentication required."}, status=403)


def _is_bot(request) -> bool:
    return authenticate(request).kind is CallerKind.BOT


def _body(request) -> dict:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        raise Invalid("The body is not JSON.") from None
    if not isinstance(data, dict):
        raise Invalid("The body must be a JSON object.")
    return data


def _int(value, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Invalid(f"{name} must be an integer.", field=name) from None


# --- dicts of the same fields as the GraphQL documents in bench/queries.py -------------

def spin_account_dict(account) -> dict:
    return {
        "available_spins": account.available_spins,
        "total_spins_used": account.total_spins_used,
        "total_chips_won": account.total_chips_won,
        "total_chips_approved": account.total_chips_approved,
        "total_deposit_base": account.total_deposit_base,
        "last_spin_at": account.last_spin_at,
    }


def deposit_user_dict(player) -> dict:
    return {
        "telegram_id": player.telegram_id,
        "username": player.username,
        "first_name": player.first_name,
        "last_name": player.last_name,
        "pppoker_id": player.pppoker_id,
        "account_name": player.account_name,
    }


def user_dict(player, admin_ids) -> dict:
    return {
        **deposit_user_dict(player),
        "created_at": player.created_at,
        "is_admin": player.telegram_id in admin_ids,
        "spin_account": spin_account_dict(player.spin_account),
    }


def deposit_dict(deposit) -> dict:
    return {
        "id": deposit.pk,
        "amount": deposit.amount,
        "method": deposit.method.code,
        "currency": deposit.currency,
        "amount_base": deposit.amount_base,
        "account_name": deposit.account_name,
        "proof": deposit.proof,
        "pppoker_id": deposit.pppoker_id,
        "status": deposit.status,
        "created_at": deposit.created_at,
        "decided_at": deposit.decided_at,
        "decided_by": deposit.decided_by,
        "rejection_reason": deposit.rejection_reason,
        "spins_granted": deposit.spins_granted,
        "user": deposit_user_dict(deposit.player),
    }


def spin_dict(spin) -> dict:
    return {"id": spin.pk, "prize": spin.prize, "chips": spin.chips, "status": spin.status,
            "created_at": spin.created_at}


# --- views ------------------------------------------------------------------------------

@require_GET
def user(request, telegram_id: int):
    if not _is_bot(request):
        return _forbidden()
    player = selectors.player_get(telegram_id=telegram_id)
    if player is None:
        return JsonResponse({"code": "NOT_FOUND", "message": "No such user."}, status=404)
    return JsonResponse(user_dict(player, frozenset(selectors.admin_telegram_ids())))


@require_GET
def pending_deposits(request):
    if not _is_bot(request):
        return _forbidden()
    try:
        first = _int(request.GET.get("first", 50), "first")
        offset = _int(request.GET.get("offset", 0), "offset")
    except LedgerError as error:
        return JsonResponse(error_body(error), status=error_status(error))
    rows = page(selectors.deposits_pending(), first=first, offset=offset)
    return JsonResponse([deposit_dict(deposit) for deposit in rows], safe=False)


@csrf_exempt
@require_POST
def create_deposit(request):
    if not _is_bot(request):
        return _forbidden()
    try:
        data = _body(request)
        deposit = services.deposit_create(
            telegram_id=data.get("telegram_id"), amount=data.get("amount"), method=data.get("method"),
            account_name=data.get("account_name"), proof=data.get("proof"), pppoker_id=data.get("pppoker_id"),
            idempotency_key=data.get("idempotency_key"))
    except LedgerError as error:
        return JsonResponse(error_body(error), status=error_status(error))
    return JsonResponse(deposit_dict(deposit), status=201)


@csrf_exempt
@require_POST
def approve_deposit(request, deposit_id: int):
    if not _is_bot(request):
        return _forbidden()
    try:
        data = _body(request)
        actor = admin_actor(data.get("actor_telegram_id"))
        deposit = services.deposit_approve(deposit_id=deposit_id, actor=actor, amount=data.get("amount"))
    except LedgerError as error:
        return JsonResponse(error_body(error), status=error_status(error))
    return JsonResponse(deposit_dict(deposit))


@csrf_exempt
@require_POST
def process_spin(request):
    if not _is_bot(request):
        return _forbidden()
    try:
        data = _body(request)
        count = data.get("count")
        batch = services.spins_process(telegram_id=_int(data.get("telegram_id"), "telegram_id"),
                                       count=None if count is None else _int(count, "count"),
                                       idempotency_key=data.get("idempotency_key"))
    except LedgerError as error:
        return JsonResponse(error_body(error), status=error_status(error))
    return JsonResponse({"spins": [spin_dict(spin) for spin in batch.spins], "chips_won": batch.chips_won,
                         "spins_left": batch.spins_left})
