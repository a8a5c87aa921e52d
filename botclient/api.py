"""The bot's only way to the backend: GraphQL over HTTP with gql and httpx.

One persistent session per process. Two kinds of failure reach the callers:
`BackendRefusal` (the backend said no, with a contract code) and
`BackendUnavailable` (we could not get an answer; nothing is known to have
happened, so the same call with the same idempotency key may be retried).
"""
from __future__ import annotations

import io
import logging
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from gql import Client, FileVar, GraphQLRequest
from gql.transport.exceptions import TransportError, TransportQueryError
from gql.transport.httpx import HTTPXAsyncTransport
from graphql import DocumentNode, FragmentDefinitionNode, OperationDefinitionNode, parse, print_ast, visit
from graphql.language import FragmentSpreadNode, Visitor

from botclient import records
from botclient.records import (
    AccountOverview, AdminEntry, Broadcast, CashbackClaim, CashbackEligibility, CounterStatus, Credit, Deposit,
    Eligibility, Event, Fairness, JoinRequest, PaymentMethod, Prize, Promotion, Report, SeatRequest, Spin, SpinAccount,
    SpinBatch, SupportSession, User, Withdrawal,
)

logger = logging.getLogger(__name__)
OPERATIONS_FILE = Path(__file__).with_name("operations.graphql")


class BackendError(Exception):
    """Anything the backend did not do as asked."""


class BackendRefusal(BackendError):
    """The backend refused: an OperationInfo message, or a GraphQL error with a contract code."""

    def __init__(self, code: str, message: str = "", field: str | None = None):
        super().__init__(f"{code}: {message}" if message else code)
        self.code, self.message, self.field = code, message, field


class BackendUnavailable(BackendError):
    """No usable answer (connection refused, timeout, 5xx): the outcome is unknown."""


# --- documents ------------------------------------------------------------------

class _SpreadCollector(Visitor):
    def __init__(self):
        super().__init__()
        self.names: set[str] = set()

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_):
        self.names.add(node.name.value)


def _spreads(node) -> set[str]:
    collector = _SpreadCollector()
    visit(node, collector)
    return collector.names


@cache
def documents(path: Path = OPERATIONS_FILE) -> dict[str, str]:
    """Operation name -> a document holding that operation and only the fragments it needs.

    Sending the whole file every time would waste bandwidth and exceed the backend's token cap.
    """
    source = parse(path.read_text())
    fragments = {d.name.value: d for d in source.definitions if isinstance(d, FragmentDefinitionNode)}
    result = {}
    for definition in source.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        needed, todo = [], list(_spreads(definition))
        while todo:
            name = todo.pop()
            if name not in needed:
                needed.append(name)
                todo.extend(_spreads(fragments[name]))
        document = DocumentNode(definitions=(definition, *(fragments[n] for n in sorted(needed))))
        result[definition.name.value] = print_ast(document)
    return result


# --- the client -------------------------------------------------------------------

class LedgerApi:
    def __init__(self, url: str, token: str, *, timeout: float = 10.0):
        self.url, self._token, self.timeout = url, token, timeout
        self._client: Client | None = None
        self._session = None
        self._documents = documents()

    async def connect(self) -> None:
        if self._session is not None:
            return
        transport = HTTPXAsyncTransport(url=self.url, headers={"Authorization": f"Bearer {self._token}"},
                                        timeout=self.timeout)
        self._client = Client(transport=transport, fetch_schema_from_transport=False,
                              execute_timeout=self.timeout + 5)
        # httpx reconnects by itself after a failed request, so one session lasts the whole run.
        self._session = await self._client.connect_async()

    async def close(self) -> None:
        if self._client is not None and self._session is not None:
            await self._client.close_async()
        self._client = self._session = None

    async def execute(self, operation: str, **variables: Any) -> dict:
        return await self._execute(operation, variables)

    async def _execute(self, operation: str, variables: dict, *, upload_files: bool = False) -> dict:
        """`upload_files`: variables hold FileVar values, sent by the GraphQL multipart request spec."""
        if self._session is None:
            await self.connect()
        request = GraphQLRequest(self._documents[operation], variable_values=variables, operation_name=operation)
        try:
            return await self._session.execute(request, upload_files=upload_files)
        except TransportQueryError as error:
            first = (error.errors or [{}])[0]
            code = (first.get("extensions") or {}).get("code")
            if code == "UNAVAILABLE":  # the backend lost its database mid-request; a retry is safe
                raise BackendUnavailable(f"{operation}: {first.get('message', error)}") from error
            if code:
                raise BackendRefusal(code, first.get("message", ""), None) from error
            raise BackendError(f"{operation}: {first.get('message', error)}") from error
        except (TransportError, OSError, TimeoutError) as error:
            logger.debug("backend unavailable during %s: %s", operation, error)  # callers say what it cost
            raise BackendUnavailable(f"{operation}: {error}") from error

    async def mutate(self, operation: str, field: str, *, upload_files: bool = False, **variables: Any) -> dict:
        """Run a mutation whose payload is `<type> | OperationInfo`; a refusal raises."""
        payload = (await self._execute(operation, variables, upload_files=upload_files))[field]
        if payload.get("__typename") == "OperationInfo":
            messages = payload.get("messages") or [{}]
            first = next((m for m in messages if m.get("code")), messages[0])
            raise BackendRefusal(first.get("code") or "INVALID", first.get("message", ""), first.get("field"))
        return payload

    # Players.

    async def upsert_user(self, telegram_id: int, *, username: str | None = None, first_name: str | None = None,
                          last_name: str | None = None, pppoker_id: str | None = None) -> User:
        data = {"telegramId": telegram_id, "username": username, "firstName": first_name, "lastName": last_name,
                "pppokerId": pppoker_id}
        payload = await self.mutate("UpsertUser", "upsertUser",
                                    input={k: v for k, v in data.items() if v is not None})
        return User.from_json(payload)

    async def set_language(self, telegram_id: int, language: str) -> User:
        payload = await self.mutate("SetLanguage", "setLanguage",
                                    input={"telegramId": telegram_id, "language": language.upper()})
        return User.from_json(payload)

    async def language(self, telegram_id: int) -> str | None:
        """The player's language (en, dv); None for someone the backend does not know yet."""
        data = (await self.execute("Language", telegramId=telegram_id))["user"]
        return records.language_code(data["language"]) if data else None

    async def withdrawal_eligibility(self, telegram_id: int) -> Eligibility | None:
        data = (await self.execute("WithdrawalEligibility", telegramId=telegram_id))["withdrawalEligibility"]
        return Eligibility.from_json(data) if data else None

    async def user(self, telegram_id: int) -> User | None:
        data = (await self.execute("Me", telegramId=telegram_id))["user"]
        return User.from_json(data) if data else None

    async def admin_ids(self) -> list[int]:
        return [int(i) for i in (await self.execute("AdminIds"))["adminIds"]]

    async def account_overview(self, telegram_id: int, *, recent: int = 3, spins: int = 30) -> AccountOverview | None:
        data = await self.execute("MyAccount", telegramId=telegram_id, recent=recent, spins=spins)
        if not data["user"]:
            return None
        return AccountOverview(user=User.from_json(data["user"]),
                               deposits=[Deposit.from_json(d) for d in data["deposits"]],
                               withdrawals=[Withdrawal.from_json(w) for w in data["withdrawals"]],
                               spins=[Spin.from_json(s) for s in data["spinHistory"]])

    async def payment_methods(self) -> list[PaymentMethod]:
        return [PaymentMethod.from_json(m) for m in (await self.execute("PaymentMethods"))["paymentMethods"]]

    # Deposits and withdrawals.

    async def create_deposit(self, *, telegram_id: int, amount: Decimal, method: str, account_name: str,
                             proof: str, pppoker_id: str, idempotency_key: str,
                             credit_id: int | None = None) -> Deposit:
        """`credit_id`: the player's open credit this deposit pays (approving it settles the credit)."""
        fields = {"telegramId": telegram_id, "amount": str(amount), "method": method, "accountName": account_name,
                  "proof": proof, "pppokerId": pppoker_id, "idempotencyKey": idempotency_key}
        if credit_id is not None:
            fields["creditId"] = str(credit_id)
        return Deposit.from_json(await self.mutate("CreateDeposit", "createDeposit", input=fields))

    async def create_slip_deposit(self, *, telegram_id: int, amount: Decimal, method: str, account_name: str,
                                  slip: bytes, filename: str, file_id: str, pppoker_id: str, idempotency_key: str,
                                  credit_id: int | None = None) -> Deposit:
        """The deposit with its slip image; `file_id` (the same image in Telegram) stays its proof."""
        fields = {"telegramId": telegram_id, "amount": str(amount), "method": method, "accountName": account_name,
                  "pppokerId": pppoker_id, "idempotencyKey": idempotency_key, "proof": file_id,
                  "slip": FileVar(io.BytesIO(slip), filename=filename)}
        if credit_id is not None:
            fields["creditId"] = str(credit_id)
        return Deposit.from_json(await self.mutate("CreateSlipDeposit", "createSlipDeposit", upload_files=True,
                                                   input=fields))

    async def deposit(self, deposit_id: int) -> Deposit | None:
        data = (await self.execute("Deposit", id=str(deposit_id)))["deposit"]
        return Deposit.from_json(data) if data else None

    async def approve_deposit(self, deposit_id: int, actor: int) -> Deposit:
        return Deposit.from_json(await self.mutate("ApproveDeposit", "approveDeposit", id=str(deposit_id),
                                                   actor=actor))

    async def reject_deposit(self, deposit_id: int, reason: str, actor: int) -> Deposit:
        return Deposit.from_json(await self.mutate("RejectDeposit", "rejectDeposit", id=str(deposit_id),
                                                   reason=reason, actor=actor))

    async def create_withdrawal(self, *, telegram_id: int, amount: Decimal, method: str, account_number: str,
                                pppoker_id: str, idempotency_key: str) -> Withdrawal:
        payload = await self.mutate("CreateWithdrawal", "createWithdrawal", input={
            "telegramId": telegram_id, "amount": str(amount), "method": method, "accountNumber": account_number,
            "pppokerId": pppoker_id, "idempotencyKey": idempotency_key})
        return Withdrawal.from_json(payload)

    async def withdrawal(self, withdrawal_id: int) -> Withdrawal | None:
        data = (await self.execute("Withdrawal", id=str(withdrawal_id)))["withdrawal"]
        return Withdrawal.from_json(data) if data else None

    async def spin(self, spin_id: int) -> Spin | None:
        data = (await self.execute("Spin", id=str(spin_id)))["spin"]
        return Spin.from_json(data) if data else None

    async def approve_withdrawal(self, withdrawal_id: int, actor: int) -> Withdrawal:
        return Withdrawal.from_json(await self.mutate("ApproveWithdrawal", "approveWithdrawal",
                                                      id=str(withdrawal_id), actor=actor))

    async def reject_withdrawal(self, withdrawal_id: int, reason: str, actor: int) -> Withdrawal:
        return Withdrawal.from_json(await self.mutate("RejectWithdrawal", "rejectWithdrawal",
                                                      id=str(withdrawal_id), reason=reason, actor=actor))

    # Seats on credit.

    async def create_seat_request(self, *, telegram_id: int, amount: Decimal, idempotency_key: str) -> SeatRequest:
        payload = await self.mutate("CreateSeatRequest", "createSeatRequest", input={
            "telegramId": telegram_id, "amount": str(amount), "idempotencyKey": idempotency_key})
        return SeatRequest.from_json(payload)

    async def seat_request(self, seat_request_id: int) -> SeatRequest | None:
        data = (await self.execute("SeatRequest", id=str(seat_request_id)))["seatRequest"]
        return SeatRequest.from_json(data) if data else None

    async def pending_seat_requests(self, first: int = 10) -> list[SeatRequest]:
        data = await self.execute("PendingSeatRequests", first=first)
        return [SeatRequest.from_json(s) for s in data["pendingSeatRequests"]]

    async def approve_seat_request(self, seat_request_id: int, actor: int) -> SeatRequest:
        return SeatRequest.from_json(await self.mutate("ApproveSeatRequest", "approveSeatRequest",
                                                       id=str(seat_request_id), actor=actor))

    async def reject_seat_request(self, seat_request_id: int, reason: str, actor: int) -> SeatRequest:
        return SeatRequest.from_json(await self.mutate("RejectSeatRequest", "rejectSeatRequest",
                                                       id=str(seat_request_id), reason=reason, actor=actor))

    # Promotions: recovery claims and joining the club.

    async def cashback_eligibility(self, telegram_id: int) -> CashbackEligibility:
        data = await self.execute("CashbackEligibility", telegramId=telegram_id)
        return CashbackEligibility.from_json(data["cashbackEligibility"])

    async def create_cashback_claim(self, *, telegram_id: int, pppoker_id: str, idempotency_key: str
                                    ) -> CashbackClaim:
        return CashbackClaim.from_json(await self.mutate("CreateCashbackClaim", "createCashbackClaim", input={
            "telegramId": telegram_id, "pppokerId": pppoker_id, "idempotencyKey": idempotency_key}))

    async def cashback_claim(self, claim_id: int) -> CashbackClaim | None:
        data = (await self.execute("CashbackClaim", id=str(claim_id)))["cashbackClaim"]
        return CashbackClaim.from_json(data) if data else None

    async def approve_cashback_claim(self, claim_id: int, actor: int) -> CashbackClaim:
        return CashbackClaim.from_json(await self.mutate("ApproveCashbackClaim", "approveCashbackClaim",
                                                         id=str(claim_id), actor=actor))

    async def reject_cashback_claim(self, claim_id: int, reason: str, actor: int) -> CashbackClaim:
        return CashbackClaim.from_json(await self.mutate("RejectCashbackClaim", "rejectCashbackClaim",
                                                         id=str(claim_id), reason=reason, actor=actor))

    async def create_join_request(self, *, telegram_id: int, pppoker_id: str, idempotency_key: str) -> JoinRequest:
        return JoinRequest.from_json(await self.mutate("CreateJoinRequest", "createJoinRequest", input={
            "telegramId": telegram_id, "pppokerId": pppoker_id, "idempotencyKey": idempotency_key}))

    async def join_request(self, join_request_id: int) -> JoinRequest | None:
        data = (await self.execute("JoinRequest", id=str(join_request_id)))["joinRequest"]
        return JoinRequest.from_json(data) if data else None

    async def approve_join_request(self, join_request_id: int, actor: int) -> JoinRequest:
        return JoinRequest.from_json(await self.mutate("ApproveJoinRequest", "approveJoinRequest",
                                                       id=str(join_request_id), actor=actor))

    async def reject_join_request(self, join_request_id: int, reason: str, actor: int) -> JoinRequest:
        return JoinRequest.from_json(await self.mutate("RejectJoinRequest", "rejectJoinRequest",
                                                       id=str(join_request_id), reason=reason, actor=actor))

    async def promotions(self, first: int = 10) -> list[Promotion]:
        return [Promotion.from_json(p) for p in (await self.execute("Promotions", first=first))["promotions"]]

    async def create_promotion(self, kind: str, percentage: Decimal, starts_on: date, ends_on: date, actor: int
                               ) -> Promotion:
        return Promotion.from_json(await self.mutate(
            "CreatePromotion", "createPromotion", kind=kind, percentage=str(percentage),
            startsOn=starts_on.isoformat(), endsOn=ends_on.isoformat(), actor=actor))

    async def end_promotion(self, promotion_id: int, actor: int) -> Promotion:
        return Promotion.from_json(await self.mutate("EndPromotion", "endPromotion", id=str(promotion_id),
                                                     actor=actor))

    async def credit_amount_in(self, credit_id: int, method: str) -> Decimal | None:
        data = (await self.execute("CreditAmountIn", id=str(credit_id), method=method))["credit"]
        return Decimal(data["amountIn"]) if data and data["amountIn"] is not None else None

    async def credit(self, credit_id: int) -> Credit | None:
        data = (await self.execute("Credit", id=str(credit_id)))["credit"]
        return Credit.from_json(data) if data else None

    async def open_credits(self, first: int = 10) -> list[Credit]:
        return [Credit.from_json(c) for c in (await self.execute("OpenCredits", first=first))["credits"]]

    async def clear_credit(self, credit_id: int, reason: str, actor: int) -> Credit:
        return Credit.from_json(await self.mutate("ClearCredit", "clearCredit", id=str(credit_id), reason=reason,
                                                  actor=actor))

    # Spins.

    async def spin_account(self, telegram_id: int) -> SpinAccount | None:
        data = (await self.execute("SpinAccount", telegramId=telegram_id))["spinAccount"]
        return SpinAccount.from_json(data) if data else None

    async def prize_table(self) -> tuple[int, list[Prize]]:
        """The version in force and its odds."""
        (table,) = (await self.execute("PrizeTable"))["prizeTables"]
        return table["version"], [Prize(p["label"], p["chips"], p["probability"]) for p in table["prizes"]]

    async def process_spin(self, telegram_id: int, count: int | None, idempotency_key: str) -> SpinBatch:
        return SpinBatch.from_json(await self.mutate("ProcessSpin", "processSpin", telegramId=telegram_id,
                                                     count=count, idempotencyKey=idempotency_key))

    async def spin_history(self, telegram_id: int, *, first: int = 100, offset: int = 0) -> list[Spin]:
        data = await self.execute("SpinHistory", telegramId=telegram_id, first=first, offset=offset)
        return [Spin.from_json(s) for s in data["spinHistory"]]

    async def fairness(self, telegram_id: int) -> Fairness | None:
        data = (await self.execute("Fairness", telegramId=telegram_id))["user"]
        return Fairness.from_json(data["fairness"]) if data else None

    async def set_client_seed(self, telegram_id: int, client_seed: str) -> Fairness:
        return Fairness.from_json(await self.mutate("SetClientSeed", "setClientSeed", telegramId=telegram_id,
                                                    clientSeed=client_seed))

    async def rotate_server_seed(self, telegram_id: int) -> Fairness:
        return Fairness.from_json(await self.mutate("RotateServerSeed", "rotateServerSeed", telegramId=telegram_id))

    async def approve_spin_reward(self, spin_id: int, actor: int) -> Spin:
        return Spin.from_json(await self.mutate("ApproveSpinReward", "approveSpinReward", id=str(spin_id),
                                                actor=actor))

    async def reject_spin_reward(self, spin_id: int, reason: str, actor: int) -> Spin:
        return Spin.from_json(await self.mutate("RejectSpinReward", "rejectSpinReward", id=str(spin_id),
                                                reason=reason, actor=actor))

    async def approve_spin_rewards(self, telegram_id: int, actor: int) -> tuple[list[Spin], int]:
        payload = await self.mutate("ApproveSpinRewards", "approveSpinRewards", telegramId=telegram_id, actor=actor)
        return [Spin.from_json(s) for s in payload["spins"]], payload["chips"]

    async def grant_spins(self, telegram_id: int, spins: int, reason: str, actor: int) -> SpinAccount:
        return SpinAccount.from_json(await self.mutate("GrantSpins", "grantSpins", telegramId=telegram_id,
                                                       spins=spins, reason=reason, actor=actor))

    # Admin tools.

    async def pending_counts(self) -> dict[str, int]:
        """PendingCounts' field name -> how many requests of that kind wait."""
        return (await self.execute("PendingCounts"))["pendingCounts"]

    async def pending_page(self, operation: str, count_field: str, list_field: str, *, first: int,
                           offset: int) -> tuple[int, list[dict]]:
        """(how many wait, one page of them oldest first) from a queue's page query (botclient/queues.py)."""
        data = await self.execute(operation, first=first, offset=offset)
        return data["pendingCounts"][count_field], data[list_field]

    async def report(self, period: str, actor: int) -> Report:
        return Report.from_json((await self.execute("Report", period=period, actor=actor))["report"])

    async def all_payment_methods(self) -> list[PaymentMethod]:
        data = await self.execute("AllPaymentMethods")
        return [PaymentMethod.from_json(m) for m in data["paymentMethods"]]

    async def update_payment_method(self, code: str, actor: int, *, account_number: str | None = None,
                                    account_holder: str | None = None, rate_to_base: str | None = None,
                                    is_active: bool | None = None) -> PaymentMethod:
        changes = {"accountNumber": account_number, "accountHolder": account_holder, "rateToBase": rate_to_base,
                   "isActive": is_active}
        payload = await self.mutate("UpdatePaymentMethod", "updatePaymentMethod", actor=actor, input={
            "code": code, **{name: value for name, value in changes.items() if value is not None}})
        return PaymentMethod.from_json(payload)

    async def admins(self, actor: int) -> list[AdminEntry]:
        return [AdminEntry.from_json(a) for a in (await self.execute("Admins", actor=actor))["admins"]]

    async def add_admin(self, telegram_id: int, actor: int) -> AdminEntry:
        return AdminEntry.from_json(await self.mutate("AddAdmin", "addAdmin", telegramId=telegram_id, actor=actor))

    async def remove_admin(self, telegram_id: int, actor: int) -> AdminEntry:
        return AdminEntry.from_json(await self.mutate("RemoveAdmin", "removeAdmin", telegramId=telegram_id,
                                                      actor=actor))

    # The counter, live support and broadcasts.

    async def counter(self) -> CounterStatus:
        return CounterStatus.from_json((await self.execute("Counter"))["counter"])

    async def set_counter(self, state: str, actor: int, announce: str | None = None) -> CounterStatus:
        return CounterStatus.from_json(await self.mutate("SetCounter", "setCounter", state=state,
                                                         announce=announce or None, actor=actor))

    async def support_session(self, session_id: int) -> SupportSession | None:
        data = (await self.execute("SupportSession", id=str(session_id)))["supportSession"]
        return SupportSession.from_json(data) if data else None

    async def open_support_of(self, telegram_id: int) -> SupportSession | None:
        """The player's session still open (waiting or taken), if any."""
        found = (await self.execute("PlayerSupportSession", telegramId=telegram_id))["supportSessions"]
        session = SupportSession.from_json(found[0]) if found else None
        return session if session and session.is_open else None

    async def support_sessions_taken_by(self, admin: int) -> list[SupportSession]:
        found = (await self.execute("ActiveSupportSessions"))["supportSessions"]
        return [s for s in map(SupportSession.from_json, found) if s.agent_telegram_id == admin]

    async def open_support(self, telegram_id: int) -> SupportSession:
        return SupportSession.from_json(await self.mutate("OpenSupport", "openSupport", telegramId=telegram_id))

    async def post_support_message(self, session_id: int, *, text: str | None = None, photo: str | None = None,
                                   actor: int | None = None) -> int:
        payload = await self.mutate("PostSupportMessage", "postSupportMessage", sessionId=str(session_id),
                                    text=text, photo=photo, actor=actor)
        return int(payload["id"])

    async def claim_support(self, session_id: int, actor: int) -> SupportSession:
        return SupportSession.from_json(await self.mutate("ClaimSupport", "claimSupport", sessionId=str(session_id),
                                                          actor=actor))

    async def close_support(self, session_id: int, actor: int | None = None) -> SupportSession:
        return SupportSession.from_json(await self.mutate("CloseSupport", "closeSupport", sessionId=str(session_id),
                                                          actor=actor))

    async def broadcast(self, broadcast_id: int) -> Broadcast | None:
        data = (await self.execute("Broadcast", id=str(broadcast_id)))["broadcast"]
        return Broadcast.from_json(data) if data else None

    async def sending_broadcasts(self) -> list[Broadcast]:
        return [Broadcast.from_json(b) for b in (await self.execute("SendingBroadcasts"))["broadcasts"]]

    async def broadcast_recipients(self, broadcast_id: int, first: int = 100) -> list[int]:
        data = await self.execute("BroadcastRecipients", id=str(broadcast_id), first=first)
        return [int(i) for i in data["broadcastRecipients"]]

    async def create_broadcast(self, text: str, actor: int, *, photo: str | None = None,
                               idempotency_key: str | None = None) -> Broadcast:
        return Broadcast.from_json(await self.mutate("CreateBroadcast", "createBroadcast", text=text, photo=photo,
                                                     actor=actor, idempotencyKey=idempotency_key))

    async def cancel_broadcast(self, broadcast_id: int, actor: int) -> Broadcast:
        return Broadcast.from_json(await self.mutate("CancelBroadcast", "cancelBroadcast", id=str(broadcast_id),
                                                     actor=actor))

    async def record_broadcast_deliveries(self, broadcast_id: int,
                                          deliveries: list[tuple[int, str, str | None]]) -> Broadcast:
        """(chat id, SENT | BLOCKED | FAILED, Telegram's error) of each copy."""
        payload = await self.mutate("RecordBroadcastDeliveries", "recordBroadcastDeliveries", id=str(broadcast_id),
                                    deliveries=[{"chatId": c, "outcome": o, "error": e} for c, o, e in deliveries])
        return Broadcast.from_json(payload)

    async def events(self, first: int = 50) -> list[Event]:
        return [Event.from_json(e) for e in (await self.execute("Events", after=None, first=first))["events"]]

    async def ack_events(self, up_to: int) -> int:
        return (await self.execute("AckEvents", upTo=str(up_to)))["ackEvents"]

    async def admin_messages(self, kind: str, request_id: int) -> list[tuple[int, int]]:
        data = await self.execute("AdminMessages", kind=kind, requestId=str(request_id))
        return [(int(m["chatId"]), int(m["messageId"])) for m in data["adminMessages"]]

    async def record_admin_messages(self, kind: str, request_id: int, messages: list[tuple[int, int]]) -> int:
        data = await self.execute("RecordAdminMessages", kind=kind, requestId=str(request_id),
                                  messages=[{"chatId": c, "messageId": m} for c, m in messages])
        return data["recordAdminMessages"]
