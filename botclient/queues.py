"""The admins' pending queues, one entry per kind of request.

The panel (handlers/panel.py) pages through every entry the same way: the count and one page,
oldest first, from the entry's page query in operations.graphql, a line and an Open button per
item, and the item's own card (with its Approve / Reject buttons) when Open is pressed. A new kind
of request (recovery claims, join requests) is one more `Queue` here, its page query,
and its field in the backend's `PendingCounts`.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from botclient import texts
from botclient.api import LedgerApi
from botclient.board import Board, View
from botclient.i18n import Translator
from botclient.records import CashbackClaim, Deposit, JoinRequest, SeatRequest, Spin, Withdrawal

PAGE_SIZE = 5


@dataclass(frozen=True)
class Queue:
    key: str  # in callback data ("p:q:dep:5"): short, letters only
    button: str  # on the panel's home screen
    title: str  # heads each page
    singular: str
    plural: str
    count_field: str  # the kind's field of PendingCounts
    operation: str  # its page query: the count and `first` items from `offset`, oldest first
    list_field: str  # the page's field in that query's answer
    parse: Callable[[dict], Any]
    get: Callable[[LedgerApi, int], Awaitable[Any]]  # one item by id, for Open
    line: Callable[[Translator, Any], str]  # the item on a page
    label: Callable[[Translator, Any], str]  # its Open button
    card: Callable[[Board, Any], View]  # what Open sends: the item with its decision buttons

    def count(self, counts: dict[str, int]) -> int:
        return int(counts.get(self.count_field) or 0)

    def noun(self, count: int) -> str:
        return self.singular if count == 1 else self.plural


def _deposit_label(en: Translator, deposit: Deposit) -> str:
    return f"🔎 #{deposit.id} {en.money(deposit.amount, deposit.currency)}"


def _withdrawal_label(en: Translator, withdrawal: Withdrawal) -> str:
    return f"🔎 #{withdrawal.id} {en.money(withdrawal.amount, withdrawal.currency)}"


def _spin_label(en: Translator, spin: Spin) -> str:
    return f"🔎 #{spin.id} {spin.prize}"


def _seat_label(en: Translator, seat: SeatRequest) -> str:
    return f"🔎 #{seat.id} {en.money(seat.amount, 'MVR')}"


def _cashback_label(en: Translator, claim: CashbackClaim) -> str:
    return f"🔎 #{claim.id} {en.money(claim.amount, 'MVR')}"


def _join_label(en: Translator, join: JoinRequest) -> str:
    return f"🔎 #{join.id} {join.pppoker_id}"


QUEUES: tuple[Queue, ...] = (
    Queue(key="dep", button="💰 Deposits", title="💰 Pending deposits", singular="deposit", plural="deposits",
          count_field="deposits", operation="PendingDepositsPage", list_field="pendingDeposits",
          parse=Deposit.from_json, get=lambda api, i: api.deposit(i), line=texts.queue_deposit_line,
          label=_deposit_label, card=lambda board, deposit: board.deposit_view(deposit)),
    Queue(key="wd", button="💸 Withdrawals", title="💸 Pending withdrawals", singular="withdrawal",
          plural="withdrawals", count_field="withdrawals", operation="PendingWithdrawalsPage",
          list_field="pendingWithdrawals", parse=Withdrawal.from_json, get=lambda api, i: api.withdrawal(i),
          line=texts.queue_withdrawal_line, label=_withdrawal_label,
          card=lambda board, withdrawal: board.withdrawal_view(withdrawal)),
    Queue(key="spin", button="🎰 Spin rewards", title="🎰 Pending spin rewards", singular="spin reward",
          plural="spin rewards", count_field="spinRewards", operation="PendingSpinRewardsPage",
          list_field="pendingSpinRewards", parse=Spin.from_json, get=lambda api, i: api.spin(i),
          line=texts.queue_spin_line, label=_spin_label, card=lambda board, spin: board.spin_view(spin.user, [spin])),
    Queue(key="seat", button="🪑 Seats", title="🪑 Pending seat requests", singular="seat request",
          plural="seat requests", count_field="seatRequests", operation="PendingSeatRequestsPage",
          list_field="pendingSeatRequests", parse=SeatRequest.from_json, get=lambda api, i: api.seat_request(i),
          line=texts.queue_seat_line, label=_seat_label, card=lambda board, seat: board.seat_view(seat)),
    Queue(key="cb", button="💎 Recovery", title="💎 Pending recovery claims", singular="recovery claim",
          plural="recovery claims", count_field="cashbackClaims", operation="PendingCashbackClaimsPage",
          list_field="pendingCashbackClaims", parse=CashbackClaim.from_json, get=lambda api, i: api.cashback_claim(i),
          line=texts.queue_cashback_line, label=_cashback_label, card=lambda board, claim: board.cashback_view(claim)),
    Queue(key="join", button="🎮 Join requests", title="🎮 Pending join requests", singular="join request",
          plural="join requests", count_field="joinRequests", operation="PendingJoinRequestsPage",
          list_field="pendingJoinRequests", parse=JoinRequest.from_json, get=lambda api, i: api.join_request(i),
          line=texts.queue_join_line, label=_join_label, card=lambda board, join: board.join_view(join)),
)
BY_KEY = {queue.key: queue for queue in QUEUES}


def page_offsets(offset: int, total: int) -> tuple[int | None, int | None]:
    """(previous page's offset, next page's offset); None where there is none."""
    previous = max(0, offset - PAGE_SIZE) if offset > 0 else None
    following = offset + PAGE_SIZE if offset + PAGE_SIZE < total else None
    return previous, following


def last_page(total: int) -> int:
    return max(0, (total - 1) // PAGE_SIZE * PAGE_SIZE)
