"""Mutations: each resolver is one ledger service call. Refusals come back as
OperationInfo with the contract's code (graphql_api.errors)."""
from datetime import date
from decimal import Decimal

import strawberry
import strawberry_django
from strawberry.file_uploads import Upload

from graphql_api.permissions import declared, player_or_admin
from graphql_api.scalars import BigInt
from graphql_api.types import (
    AdminType, BroadcastType, CashbackClaimType, CounterState, CounterType, CreditType, DeliveryOutcome, DepositType,
    FairnessType, JoinRequestType, Language, PaymentMethodType, PrizeTableType, PromotionKind, PromotionType,
    SeatRequestType, SpinAccountType, SpinBatch, SpinRewards, SpinTierTableType, SpinType, SupportMessageType,
    SupportSessionType, UserType, WithdrawalType,
)
from delivery import services as delivery_services
from ledger import selectors, services


def mutation(*, admin: bool = False, description: str | None = None):
    """A mutation answering its payload or OperationInfo; `admin=True` declares it admins-only."""
    return strawberry_django.mutation(handle_django_errors=True, **declared(admin=admin, description=description))


@strawberry.input
class UserInput:
    telegram_id: BigInt
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    pppoker_id: str | None = None
    language: Language | None = None


@strawberry.input
class UserLanguageInput:
    telegram_id: BigInt
    language: Language


@strawberry.input
class DepositInput:
    telegram_id: BigInt
    amount: Decimal
    method: str
    account_name: str
    proof: str
    pppoker_id: str
    idempotency_key: str | None = None
    credit_id: strawberry.ID | None = strawberry.field(default=None, description="Settles this credit when approved.")


@strawberry.input(description="createDeposit with the slip image itself (the GraphQL multipart request spec).")
class SlipDepositInput:
    telegram_id: BigInt
    amount: Decimal
    method: str
    account_name: str
    pppoker_id: str
    slip: Upload = strawberry.field(description="A JPEG, PNG or WebP, at most 10 MB and 40 megapixels.")
    credit_id: strawberry.ID | None = strawberry.field(default=None, description="Settles this credit when approved.")
    idempotency_key: str | None = None
    proof: str | None = strawberry.field(default=None, description="The Telegram file id of the same image, kept "
                                         "as the deposit's proof.")


@strawberry.input
class WithdrawalInput:
    telegram_id: BigInt
    amount: Decimal
    method: str
    account_number: str
    pppoker_id: str
    idempotency_key: str | None = None


@strawberry.input
class SeatRequestInput:
    telegram_id: BigInt
    amount: Decimal = strawberry.field(description="Chips wanted, in MVR.")
    idempotency_key: str | None = None


@strawberry.input
class SpinTierInput:
    min_amount: Decimal
    spins: int


@strawberry.input
class PrizeInput:
    label: str
    chips: int
    weight: int


@strawberry.input
class CashbackClaimInput:
    telegram_id: BigInt
    pppoker_id: str = strawberry.field(description="The PPPoker account the recovery is loaded to.")
    idempotency_key: str | None = None


@strawberry.input
class JoinRequestInput:
    telegram_id: BigInt
    pppoker_id: str
    idempotency_key: str | None = None


@strawberry.input
class AdminMessageInput:
    chat_id: BigInt
    message_id: BigInt


@strawberry.input
class PaymentMethodInput:
    code: str
    account_number: str | None = None
    account_holder: str | None = None
    rate_to_base: Decimal | None = None
    is_active: bool | None = None


@strawberry.input(description="What became of the copy sent to one chat.")
class BroadcastDeliveryInput:
    chat_id: BigInt = strawberry.field(description="The player's telegramId (their private chat with the bot).")
    outcome: DeliveryOutcome
    error: str | None = strawberry.field(default=None, description="What Telegram answered, for a failure.")


@strawberry.type
class Mutation:
    @mutation()
    def upsert_user(self, input: UserInput) -> UserType:
        return services.user_upsert(telegram_id=input.telegram_id, username=input.username,
                                    first_name=input.first_name, last_name=input.last_name,
                                    pppoker_id=input.pppoker_id, language=input.language)

    @mutation(description="The language the player reads the bot in, from now on.")
    def set_language(self, input: UserLanguageInput) -> UserType:
        return services.user_language_set(telegram_id=input.telegram_id, language=input.language)

    @mutation()
    def create_deposit(self, input: DepositInput) -> DepositType:
        return services.deposit_create(telegram_id=input.telegram_id, amount=input.amount, method=input.method,
                                       account_name=input.account_name, proof=input.proof,
                                       pppoker_id=input.pppoker_id, credit_id=input.credit_id,
                                       idempotency_key=input.idempotency_key)

    @mutation(description="A deposit with its slip image; the worker reads the slip after it is stored.")
    def create_slip_deposit(self, input: SlipDepositInput) -> DepositType:
        return services.slip_deposit_create(telegram_id=input.telegram_id, amount=input.amount, method=input.method,
                                            account_name=input.account_name, pppoker_id=input.pppoker_id,
                                            slip=input.slip, telegram_file_id=input.proof,
                                            credit_id=input.credit_id, idempotency_key=input.idempotency_key)

    @mutation(admin=True, description="`amount` corrects the deposited amount.")
    def approve_deposit(self, info: strawberry.Info, id: strawberry.ID, amount: Decimal | None = None,
                        actor_telegram_id: BigInt | None = None) -> DepositType:
        return services.deposit_approve(deposit_id=id, actor=info.context.actor, amount=amount)

    @mutation(admin=True)
    def reject_deposit(self, info: strawberry.Info, id: strawberry.ID, reason: str,
                       actor_telegram_id: BigInt | None = None) -> DepositType:
        return services.deposit_reject(deposit_id=id, actor=info.context.actor, reason=reason)

    @mutation()
    def create_withdrawal(self, input: WithdrawalInput) -> WithdrawalType:
        return services.withdrawal_create(telegram_id=input.telegram_id, amount=input.amount, method=input.method,
                                          account_number=input.account_number, pppoker_id=input.pppoker_id,
                                          idempotency_key=input.idempotency_key)

    @mutation(admin=True)
    def approve_withdrawal(self, info: strawberry.Info, id: strawberry.ID,
                           actor_telegram_id: BigInt | None = None) -> WithdrawalType:
        return services.withdrawal_approve(withdrawal_id=id, actor=info.context.actor)

    @mutation(admin=True)
    def reject_withdrawal(self, info: strawberry.Info, id: strawberry.ID, reason: str,
                          actor_telegram_id: BigInt | None = None) -> WithdrawalType:
        return services.withdrawal_reject(withdrawal_id=id, actor=info.context.actor, reason=reason)

    @mutation(description="A seat on credit: chips now, pay later (CREDIT_OPEN while one is owed).")
    def create_seat_request(self, input: SeatRequestInput) -> SeatRequestType:
        return services.seat_request_create(telegram_id=input.telegram_id, amount=input.amount,
                                            idempotency_key=input.idempotency_key)

    @mutation(admin=True, description="Opens the credit.")
    def approve_seat_request(self, info: strawberry.Info, id: strawberry.ID,
                             actor_telegram_id: BigInt | None = None) -> SeatRequestType:
        return services.seat_request_approve(seat_request_id=id, actor=info.context.actor)

    @mutation(admin=True)
    def reject_seat_request(self, info: strawberry.Info, id: strawberry.ID, reason: str,
                            actor_telegram_id: BigInt | None = None) -> SeatRequestType:
        return services.seat_request_reject(seat_request_id=id, actor=info.context.actor, reason=reason)

    @mutation(admin=True, description="Closes an open credit by hand: paid another way, or written off.")
    def clear_credit(self, info: strawberry.Info, id: strawberry.ID, reason: str,
                     actor_telegram_id: BigInt | None = None) -> CreditType:
        return services.credit_clear(credit_id=id, actor=info.context.actor, reason=reason)

    @mutation(admin=True, description="Dates are club-local and inclusive; refused (INVALID) if another promotion "
                                      "of the kind that was not ended shares a day with it.")
    def create_promotion(self, info: strawberry.Info, kind: PromotionKind, percentage: Decimal, starts_on: date,
                         ends_on: date, actor_telegram_id: BigInt | None = None) -> PromotionType:
        return services.promotion_create(kind=kind, percentage=percentage, starts_on=starts_on, ends_on=ends_on,
                                         actor=info.context.actor)

    @mutation(admin=True, description="Ends it now (or calls it off before it starts).")
    def end_promotion(self, info: strawberry.Info, id: strawberry.ID,
                      actor_telegram_id: BigInt | None = None) -> PromotionType:
        return services.promotion_end(promotion_id=id, actor=info.context.actor)

    @mutation(description="A recovery claim on the figures of cashbackEligibility now; NOT_ELIGIBLE says why not.")
    def create_cashback_claim(self, input: CashbackClaimInput) -> CashbackClaimType:
        return services.cashback_claim_create(telegram_id=input.telegram_id, pppoker_id=input.pppoker_id,
                                              idempotency_key=input.idempotency_key)

    @mutation(admin=True, description="NOT_ELIGIBLE if a withdrawal was approved since the claim was made or a "
                                      "credit is open.")
    def approve_cashback_claim(self, info: strawberry.Info, id: strawberry.ID,
                               actor_telegram_id: BigInt | None = None) -> CashbackClaimType:
        return services.cashback_claim_approve(claim_id=id, actor=info.context.actor)

    @mutation(admin=True)
    def reject_cashback_claim(self, info: strawberry.Info, id: strawberry.ID, reason: str,
                              actor_telegram_id: BigInt | None = None) -> CashbackClaimType:
        return services.cashback_claim_reject(claim_id=id, actor=info.context.actor, reason=reason)

    @mutation(description="One pending per player (DUPLICATE_PENDING).")
    def create_join_request(self, input: JoinRequestInput) -> JoinRequestType:
        return services.join_request_create(telegram_id=input.telegram_id, pppoker_id=input.pppoker_id,
                                            idempotency_key=input.idempotency_key)

    @mutation(admin=True, description="The player's event (join.approved) carries the club's id and link.")
    def approve_join_request(self, info: strawberry.Info, id: strawberry.ID,
                             actor_telegram_id: BigInt | None = None) -> JoinRequestType:
        return services.join_request_approve(join_request_id=id, actor=info.context.actor)

    @mutation(admin=True)
    def reject_join_request(self, info: strawberry.Info, id: strawberry.ID, reason: str,
                            actor_telegram_id: BigInt | None = None) -> JoinRequestType:
        return services.join_request_reject(join_request_id=id, actor=info.context.actor, reason=reason)

    @mutation(description=f"Spends `count` spins (null: all available, at most {services.MAX_SPINS_PER_CALL} a "
                          "call); the server draws every outcome.")
    def process_spin(self, telegram_id: BigInt, count: int | None = None,
                     idempotency_key: str | None = None) -> SpinBatch:
        batch = services.spins_process(telegram_id=telegram_id, count=count, idempotency_key=idempotency_key)
        return SpinBatch.from_batch(batch)

    @mutation(description="The player's own input to their next draws; spins already drawn keep theirs.")
    def set_client_seed(self, telegram_id: BigInt, client_seed: str) -> FairnessType:
        account = services.fairness_client_seed_set(telegram_id=telegram_id, client_seed=client_seed)
        return FairnessType.of(selectors.fairness(account))

    @mutation(description="Reveals the current server seed, so every spin drawn on it can be recomputed, and "
                          "starts a new secret one at nonce 0.")
    def rotate_server_seed(self, telegram_id: BigInt) -> FairnessType:
        account = services.fairness_server_seed_rotate(telegram_id=telegram_id)
        return FairnessType.of(selectors.fairness(account))

    @mutation(admin=True, description="A new version of the spin tiers, in force from now; approved deposits "
                                      "keep the version their spins came from.")
    def set_spin_tiers(self, info: strawberry.Info, tiers: list[SpinTierInput],
                       actor_telegram_id: BigInt | None = None) -> SpinTierTableType:
        table = services.spin_tiers_set(tiers=[(t.min_amount, t.spins) for t in tiers], actor=info.context.actor)
        return SpinTierTableType.of(selectors.tiers_of(table))

    @mutation(admin=True, description="A new version of the prize table, in force from now; the published odds "
                                      "follow at once and spins drawn before keep their version.")
    def set_prize_table(self, info: strawberry.Info, prizes: list[PrizeInput],
                        actor_telegram_id: BigInt | None = None) -> PrizeTableType:
        table = services.prize_table_set(prizes=[(p.label, p.chips, p.weight) for p in prizes],
                                         actor=info.context.actor)
        return PrizeTableType.of(selectors.prizes_of(table))

    @mutation(admin=True)
    def approve_spin_reward(self, info: strawberry.Info, id: strawberry.ID,
                            actor_telegram_id: BigInt | None = None) -> SpinType:
        return services.spin_reward_approve(spin_id=id, actor=info.context.actor)

    @mutation(admin=True)
    def reject_spin_reward(self, info: strawberry.Info, id: strawberry.ID, reason: str,
                           actor_telegram_id: BigInt | None = None) -> SpinType:
        return services.spin_reward_reject(spin_id=id, actor=info.context.actor, reason=reason)

    @mutation(admin=True, description="Approves every pending win of one player.")
    def approve_spin_rewards(self, info: strawberry.Info, telegram_id: BigInt,
                             actor_telegram_id: BigInt | None = None) -> SpinRewards:
        spins = services.spin_rewards_approve_all(telegram_id=telegram_id, actor=info.context.actor)
        return SpinRewards(spins=spins, chips=sum(spin.chips for spin in spins))

    @mutation(admin=True, description="Gives spins by hand, with a reason.")
    def grant_spins(self, info: strawberry.Info, telegram_id: BigInt, spins: int, reason: str,
                    actor_telegram_id: BigInt | None = None) -> SpinAccountType:
        return services.spins_grant(telegram_id=telegram_id, spins=spins, reason=reason, actor=info.context.actor)

    @mutation(admin=True, description="Changes the fields given; each change is recorded in configChanges.")
    def update_payment_method(self, info: strawberry.Info, input: PaymentMethodInput,
                              actor_telegram_id: BigInt | None = None) -> PaymentMethodType:
        return services.payment_method_update(code=input.code, account_number=input.account_number,
                                              account_holder=input.account_holder, rate_to_base=input.rate_to_base,
                                              is_active=input.is_active, actor=info.context.actor)

    @mutation(admin=True)
    def add_admin(self, info: strawberry.Info, telegram_id: BigInt,
                  actor_telegram_id: BigInt | None = None) -> AdminType:
        return _admin(services.admin_add(telegram_id=telegram_id, actor=info.context.actor))

    @mutation(admin=True, description="The super admin and ADMIN_USER_ID's admins cannot be removed here.")
    def remove_admin(self, info: strawberry.Info, telegram_id: BigInt,
                     actor_telegram_id: BigInt | None = None) -> AdminType:
        return _admin(services.admin_remove(telegram_id=telegram_id, actor=info.context.actor))

    @mutation(admin=True, description="Opens or closes the counter, recording who and when; `announce` goes to "
                                      "every player as a broadcast. The state it already has changes nothing.")
    def set_counter(self, info: strawberry.Info, state: CounterState, announce: str | None = None,
                    actor_telegram_id: BigInt | None = None) -> CounterType:
        return services.counter_set(state=state, announce=announce, actor=info.context.actor)

    @mutation(description="The player's open session, or a new one (COUNTER_CLOSED while the counter is closed).")
    def open_support(self, telegram_id: BigInt) -> SupportSessionType:
        return services.support_open(telegram_id=telegram_id)

    @mutation(description="A text or a photo's file id (with its caption in `text`). Without actorTelegramId the "
                          "player's; with it, the admin's who took the session (ALREADY_DECIDED for another).")
    def post_support_message(self, info: strawberry.Info, session_id: strawberry.ID, text: str | None = None,
                             photo: str | None = None, actor_telegram_id: BigInt | None = None) -> SupportMessageType:
        return services.support_message_post(session_id=session_id, text=text, photo=photo,
                                             actor=player_or_admin(info, actor_telegram_id))

    @mutation(admin=True, description="Takes a waiting session: the first admin wins; the others get "
                                      "ALREADY_DECIDED saying who took it.")
    def claim_support(self, info: strawberry.Info, session_id: strawberry.ID,
                      actor_telegram_id: BigInt | None = None) -> SupportSessionType:
        return services.support_claim(session_id=session_id, actor=info.context.actor)

    @mutation(description="Ends an open session: the player's doing without actorTelegramId, else the admin's.")
    def close_support(self, info: strawberry.Info, session_id: strawberry.ID,
                      actor_telegram_id: BigInt | None = None) -> SupportSessionType:
        return services.support_close(session_id=session_id, actor=player_or_admin(info, actor_telegram_id))

    @mutation(admin=True, description="To every player not marked blocked, fixed now; `photo` is a Telegram file "
                                      "id, `text` then its caption. A retry with the same idempotencyKey makes one.")
    def create_broadcast(self, info: strawberry.Info, text: str, photo: str | None = None,
                         actor_telegram_id: BigInt | None = None,
                         idempotency_key: str | None = None) -> BroadcastType:
        return services.broadcast_create(text=text, photo=photo, actor=info.context.actor,
                                         idempotency_key=idempotency_key)

    @mutation(admin=True, description="Stops a sending broadcast; copies not delivered yet are not sent.")
    def cancel_broadcast(self, info: strawberry.Info, id: strawberry.ID,
                         actor_telegram_id: BigInt | None = None) -> BroadcastType:
        return services.broadcast_cancel(broadcast_id=id, actor=info.context.actor)

    @mutation(description=f"The bot records what became of up to {services.MAX_DELIVERIES_PER_CALL} copies. Only "
                          "copies not recorded yet count, so a batch sent twice counts once; BLOCKED marks the "
                          "player, whom later broadcasts skip until they write again.")
    def record_broadcast_deliveries(self, broadcast_id: strawberry.ID,
                                    deliveries: list[BroadcastDeliveryInput]) -> BroadcastType:
        return services.broadcast_deliveries_record(
            broadcast_id=broadcast_id,
            deliveries=[(d.chat_id, d.outcome.value, d.error) for d in deliveries])

    @strawberry.mutation(**declared(description="Acknowledges the event feed up to `upTo`; returns how many events "
                                                "that was. "
                                     "An id past the newest event is refused (INVALID)."))
    def ack_events(self, up_to: strawberry.ID) -> int:
        return delivery_services.events_ack(up_to=up_to)

    @strawberry.mutation(**declared(description="Records where the bot showed a request (kind: deposit, withdrawal, "
                                                "spin, seat, cashback, join, support or broadcast) or a daily "
                                                "report (kind: report); NOT_FOUND for one that does not exist."))
    def record_admin_messages(self, kind: str, request_id: strawberry.ID, messages: list[AdminMessageInput]) -> int:
        return delivery_services.admin_messages_record(request_kind=kind, request_id=request_id,
                                              messages=[(m.chat_id, m.message_id) for m in messages])


def _admin(admin) -> AdminType:
    player = selectors.player_get(telegram_id=admin.telegram_id)
    entry = selectors.admin_entry(admin.telegram_id, admin, username=player.username if player else "")
    return AdminType(**vars(entry))
