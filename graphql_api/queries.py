"""Queries: each resolver is one selector call. Authentication happened in the view."""
from datetime import datetime
from typing import Annotated

import strawberry
import strawberry_django

from graphql_api.errors import ErrorCode
from graphql_api.permissions import declared
from graphql_api.scalars import BigInt
from graphql_api.types import (
    AdminMessageType, AdminType, BonusType, BroadcastState, BroadcastType, CashbackClaimType, CashbackEligibilityType,
    ConfigChangeType, CounterType, CreditStatus, CreditType, DepositType, EventType, JoinRequestType, PaymentMethodType,
    PendingCountsType, Prize, PrizeTableType, PromotionKind, PromotionType, ReportType, RequestStatus, RewardStatus,
    SeatRequestType, SpinAccountType, SpinTierTableType, SpinType, Stats, StatsPeriod, SupportSessionType, SupportState,
    UserType, WithdrawalEligibility, WithdrawalType,
)
from delivery import selectors as delivery_selectors
from ledger import selectors
from ledger.selectors import page


@strawberry.type
class Query:
    @strawberry_django.field
    def user(self, telegram_id: BigInt) -> UserType | None:
        return selectors.player_get(telegram_id=telegram_id)

    @strawberry_django.field(**declared())
    def users(self, first: int = 50, offset: int = 0, search: str | None = None) -> list[UserType]:
        return page(selectors.player_list(search=search), first=first, offset=offset)

    @strawberry_django.field(description="The active methods, or every method with `includeInactive`.")
    def payment_methods(self, include_inactive: bool = False) -> list[PaymentMethodType]:
        return selectors.payment_methods_all() if include_inactive else selectors.payment_methods_active()

    @strawberry_django.field
    def deposit(self, id: strawberry.ID) -> DepositType | None:
        return selectors.by_id(selectors.deposit_list(), id)

    @strawberry_django.field
    def deposits(self, status: RequestStatus | None = None, telegram_id: BigInt | None = None,
                 first: int = 50, offset: int = 0) -> list[DepositType]:
        return page(selectors.deposit_list(status=status, telegram_id=telegram_id), first=first, offset=offset)

    @strawberry_django.field(description="Oldest first: the admins' queue.")
    def pending_deposits(self, first: int = 50, offset: int = 0) -> list[DepositType]:
        return page(selectors.deposits_pending(), first=first, offset=offset)

    @strawberry_django.field
    def withdrawal(self, id: strawberry.ID) -> WithdrawalType | None:
        return selectors.by_id(selectors.withdrawal_list(), id)

    @strawberry_django.field
    def withdrawals(self, status: RequestStatus | None = None, telegram_id: BigInt | None = None,
                    first: int = 50, offset: int = 0) -> list[WithdrawalType]:
        return page(selectors.withdrawal_list(status=status, telegram_id=telegram_id), first=first, offset=offset)

    @strawberry_django.field(description="Oldest first: the admins' queue.")
    def pending_withdrawals(self, first: int = 50, offset: int = 0) -> list[WithdrawalType]:
        return page(selectors.withdrawals_pending(), first=first, offset=offset)

    @strawberry.field(**declared(description="Whether and how the player may withdraw, before they start; "
                                             "null for an unknown player."))
    def withdrawal_eligibility(self, telegram_id: BigInt) -> WithdrawalEligibility | None:
        return selectors.withdrawal_eligibility(telegram_id=telegram_id)

    @strawberry_django.field
    def seat_request(self, id: strawberry.ID) -> SeatRequestType | None:
        return selectors.by_id(selectors.seat_request_list(), id)

    @strawberry_django.field(description="Oldest first: the admins' queue.")
    def pending_seat_requests(self, first: int = 50, offset: int = 0) -> list[SeatRequestType]:
        return page(selectors.seat_requests_pending(), first=first, offset=offset)

    @strawberry_django.field
    def credit(self, id: strawberry.ID) -> CreditType | None:
        return selectors.by_id(selectors.credit_list(), id)

    @strawberry_django.field(description="Newest first.")
    def credits(self, status: CreditStatus | None = None, telegram_id: BigInt | None = None,
                first: int = 50, offset: int = 0) -> list[CreditType]:
        return page(selectors.credit_list(status=status, telegram_id=telegram_id), first=first, offset=offset)

    @strawberry.field(**declared(description="How many requests of each kind wait, for the admins' queues."))
    def pending_counts(self) -> PendingCountsType:
        return PendingCountsType()

    @strawberry_django.field(description="Newest first by their first day.")
    def promotions(self, kind: PromotionKind | None = None, active_only: bool = False, first: int = 50,
                   offset: int = 0) -> list[PromotionType]:
        return page(selectors.promotion_list(kind=kind, active_only=active_only), first=first, offset=offset)

    @strawberry_django.field
    def promotion(self, id: strawberry.ID) -> PromotionType | None:
        return selectors.by_id(selectors.promotion_list(), id)

    @strawberry_django.field(description="Newest first.")
    def bonuses(self, telegram_id: BigInt | None = None, promotion_id: strawberry.ID | None = None,
                first: int = 50, offset: int = 0) -> list[BonusType]:
        return page(selectors.bonus_list(telegram_id=telegram_id, promotion_id=promotion_id), first=first,
                    offset=offset)

    @strawberry.field(**declared(description="Whether the player may claim recovery now, with the figures and, if "
                                             "not, the rule that fails; NOT_FOUND for an unknown player."))
    def cashback_eligibility(self, telegram_id: BigInt) -> CashbackEligibilityType:
        return selectors.cashback_eligibility_of(telegram_id=telegram_id)

    @strawberry_django.field
    def cashback_claim(self, id: strawberry.ID) -> CashbackClaimType | None:
        return selectors.by_id(selectors.cashback_claim_list(), id)

    @strawberry_django.field(description="Newest first.")
    def cashback_claims(self, status: RequestStatus | None = None, telegram_id: BigInt | None = None,
                        first: int = 50, offset: int = 0) -> list[CashbackClaimType]:
        return page(selectors.cashback_claim_list(status=status, telegram_id=telegram_id), first=first,
                    offset=offset)

    @strawberry_django.field(description="Oldest first: the admins' queue.")
    def pending_cashback_claims(self, first: int = 50, offset: int = 0) -> list[CashbackClaimType]:
        return page(selectors.cashback_claims_pending(), first=first, offset=offset)

    @strawberry_django.field
    def join_request(self, id: strawberry.ID) -> JoinRequestType | None:
        return selectors.by_id(selectors.join_request_list(), id)

    @strawberry_django.field(description="Newest first.")
    def join_requests(self, status: RequestStatus | None = None, telegram_id: BigInt | None = None,
                      first: int = 50, offset: int = 0) -> list[JoinRequestType]:
        return page(selectors.join_request_list(status=status, telegram_id=telegram_id), first=first, offset=offset)

    @strawberry_django.field(description="Oldest first: the admins' queue.")
    def pending_join_requests(self, first: int = 50, offset: int = 0) -> list[JoinRequestType]:
        return page(selectors.join_requests_pending(), first=first, offset=offset)

    @strawberry_django.field
    def spin_account(self, telegram_id: BigInt) -> SpinAccountType | None:
        return selectors.spin_account_get(telegram_id=telegram_id)

    @strawberry_django.field
    def spin(self, id: strawberry.ID) -> SpinType | None:
        return selectors.by_id(selectors.spin_history(), id)

    @strawberry_django.field(description="Newest first.")
    def spin_history(self, telegram_id: BigInt | None = None, status: RewardStatus | None = None,
                     first: int = 50, offset: int = 0) -> list[SpinType]:
        return page(selectors.spin_history(telegram_id=telegram_id, status=status), first=first, offset=offset)

    @strawberry_django.field(description="Oldest first: wins waiting for an admin.")
    def pending_spin_rewards(self, first: int = 50, offset: int = 0) -> list[SpinType]:
        return page(selectors.spin_rewards_pending(), first=first, offset=offset)

    @strawberry.field(description="The real odds of the wheel; no prize is listed that cannot be won.")
    def prize_table(self) -> list[Prize]:
        return [Prize(label=row.label, chips=row.chips, probability=row.probability, weight=row.weight)
                for row in selectors.prize_table()]

    @strawberry.field(description="The spin tier table in force.")
    def spin_tiers(self) -> SpinTierTableType:
        return SpinTierTableType.of(selectors.spin_tiers_in_force())

    @strawberry.field(description="Newest first; the first is in force.")
    def prize_tables(self, first: int = 10) -> list[PrizeTableType]:
        return [PrizeTableType.of(table) for table in selectors.prize_tables(first=max(1, min(first, 100)))]

    @strawberry.field(**declared(admin=True, description="Totals of [from, to); amounts in MVR."))
    def stats(self, from_: Annotated[datetime | None, strawberry.argument(name="from")] = None,
              to: datetime | None = None, actor_telegram_id: BigInt | None = None) -> Stats:
        return selectors.stats(start=from_, end=to)

    @strawberry_django.field(**declared(description="The bot's notification feed: events after `after`, or after "
                                                     "the acknowledged position when `after` is null."))
    def events(self, after: strawberry.ID | None = None, first: int = 100) -> list[EventType]:
        return page(delivery_selectors.events_after(after=after), first=first)

    @strawberry.field(**declared(admin=True, description="Every admin; environment admins first, the first of "
                                                         "them the super admin."))
    def admins(self, actor_telegram_id: BigInt | None = None) -> list[AdminType]:
        return selectors.admin_list()

    @strawberry_django.field(**declared(admin=True, description="The settings' audit trail, newest first."))
    def config_changes(self, first: int = 50, offset: int = 0,
                       actor_telegram_id: BigInt | None = None) -> list[ConfigChangeType]:
        return page(selectors.config_changes(), first=first, offset=offset)

    @strawberry.field(**declared(admin=True, description="The club's figures for a period, or for [from, to)."))
    def report(self, period: StatsPeriod | None = None,
               from_: Annotated[datetime | None, strawberry.argument(name="from")] = None,
               to: datetime | None = None, actor_telegram_id: BigInt | None = None) -> ReportType:
        return selectors.report(period=period, start=from_, end=to)

    @strawberry.field(description="Every code the API can answer, for clients to check theirs against.")
    def error_codes(self) -> list[ErrorCode]:
        return list(ErrorCode)

    @strawberry.field(description="Telegram ids of every active admin; the first is the super admin.")
    def admin_ids(self) -> list[BigInt]:
        return selectors.admin_telegram_ids()

    @strawberry.field(description="The cashier desk: OPEN, or CLOSED (players' requests answer COUNTER_CLOSED).")
    def counter(self) -> CounterType:
        return selectors.counter_get()

    @strawberry_django.field
    def support_session(self, id: strawberry.ID) -> SupportSessionType | None:
        return selectors.by_id(selectors.support_session_list(), id)

    @strawberry_django.field(description="Newest first; each with its transcript (`messages`).")
    def support_sessions(self, state: SupportState | None = None, telegram_id: BigInt | None = None,
                         first: int = 50, offset: int = 0) -> list[SupportSessionType]:
        return page(selectors.support_session_list(state=state, telegram_id=telegram_id), first=first,
                    offset=offset)

    @strawberry_django.field
    def broadcast(self, id: strawberry.ID) -> BroadcastType | None:
        return selectors.by_id(selectors.broadcast_list(), id)

    @strawberry_django.field(description="Newest first; `state: SENDING` lists what a restarted bot goes on with.")
    def broadcasts(self, state: BroadcastState | None = None, first: int = 20, offset: int = 0) -> list[BroadcastType]:
        return page(selectors.broadcast_list(state=state), first=first, offset=offset)

    @strawberry.field(description="Telegram ids of the next `first` players (at most "
                                  f"{selectors.MAX_RECIPIENTS}) a SENDING broadcast has not reached, in a fixed "
                                  "order; each recorded delivery leaves the list. Empty once done or cancelled.")
    def broadcast_recipients(self, id: strawberry.ID, first: int = 100) -> list[BigInt]:
        return selectors.broadcast_recipients_pending(broadcast_id=id, first=first)

    @strawberry_django.field(description="Where the bot showed request `requestId` of `kind` to admins.")
    def admin_messages(self, kind: str, request_id: strawberry.ID) -> list[AdminMessageType]:
        return delivery_selectors.admin_messages(request_kind=kind, request_id=request_id)
