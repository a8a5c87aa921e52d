"""Promotions, bonuses, recovery claims and join requests at the desk. Claims and join requests are decided
here through the same services as in the bot; promotions are read here and ended through their service."""
from django.contrib import admin, messages

from ledger import selectors, services
from ledger.actors import staff_actor
from ledger.admin import DecisionAdmin, Decisions, ReadOnlyAdmin, club_time, money
from ledger.errors import LedgerError
from ledger.models import Bonus, CashbackClaim, JoinRequest, Promotion


@admin.register(Promotion)
class PromotionAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "percentage_shown", "starts_on", "ends_on", "active", "created_by", "ended")
    list_filter = ("kind",)
    actions = ["end_selected"]
    fields = ("kind", "percentage_shown", "starts_on", "ends_on", "active", "created_by", "created", "ended",
              "ended_by")
    readonly_fields = fields

    @admin.display(description="Percentage", ordering="percentage")
    def percentage_shown(self, obj):
        return f"{obj.percentage}%"

    @admin.display(description="Active today", boolean=True)
    def active(self, obj):
        return selectors.promotion_is_active(obj)

    @admin.display(description="Created", ordering="created_at")
    def created(self, obj):
        return club_time(obj.created_at)

    @admin.display(description="Ended early", ordering="ended_at")
    def ended(self, obj):
        return club_time(obj.ended_at)

    @admin.action(description="End the selected promotions now", permissions=["view"])
    def end_selected(self, request, queryset):
        for promotion in queryset:
            try:
                services.promotion_end(promotion_id=promotion.pk, actor=staff_actor(request.user))
                self.message_user(request, f"Promotion #{promotion.pk} ended.", messages.SUCCESS)
            except LedgerError as error:
                self.message_user(request, f"Promotion #{promotion.pk} not ended: {error.message}", messages.WARNING)


@admin.register(Bonus)
class BonusAdmin(ReadOnlyAdmin):
    list_display = ("id", "player", "deposit", "promotion", "percentage", "amount_shown", "granted")
    list_select_related = ("player", "deposit", "promotion")
    search_fields = ("player__telegram_id", "player__username")

    @admin.display(description="Bonus", ordering="amount")
    def amount_shown(self, obj):
        return money(obj.amount, "MVR")

    @admin.display(description="Granted", ordering="created_at")
    def granted(self, obj):
        return club_time(obj.created_at)


@admin.register(CashbackClaim)
class CashbackClaimAdmin(DecisionAdmin):
    list_display = ("id", "created", "who", "pppoker_id", "deposits_shown", "percentage", "amount_shown", "outcome")
    list_filter = ("status",)
    list_select_related = ("player", "promotion")
    search_fields = ("player__telegram_id", "player__username", "pppoker_id")
    fields = ("player", "promotion", "pppoker_id", "deposits_shown", "since", "percentage", "amount_shown", "status",
              "created_exactly", "decided", "decided_by", "rejection_reason")
    readonly_fields = fields
    decisions = Decisions(
        approve=lambda pk, actor: services.cashback_claim_approve(claim_id=pk, actor=actor),
        reject=lambda pk, actor, reason: services.cashback_claim_reject(claim_id=pk, actor=actor, reason=reason),
        approved=lambda claim: f"load {money(claim.amount, 'MVR')} of recovery to PPPoker {claim.pppoker_id}",
    )

    def label(self, obj) -> str:
        return f"Recovery claim #{obj.pk}"

    @admin.display(description="Deposits since reset (D)", ordering="deposits_base")
    def deposits_shown(self, obj):
        return money(obj.deposits_base, "MVR")

    @admin.display(description="Counted since")
    def since(self, obj):
        return club_time(obj.deposits_since) if obj.deposits_since else "the first deposit"

    @admin.display(description="Recovery", ordering="amount")
    def amount_shown(self, obj):
        return money(obj.amount, "MVR")

    def pending_summary(self, obj) -> str:
        return (f"{obj.percentage}% of {money(obj.deposits_base, 'MVR')}: approving records "
                f"{money(obj.amount, 'MVR')} of recovery to load to PPPoker {obj.pppoker_id}.")


@admin.register(JoinRequest)
class JoinRequestAdmin(DecisionAdmin):
    list_display = ("id", "created", "who", "pppoker_id", "outcome")
    list_filter = ("status",)
    list_select_related = ("player",)
    search_fields = ("player__telegram_id", "player__username", "pppoker_id")
    fields = ("player", "pppoker_id", "status", "created_exactly", "decided", "decided_by", "rejection_reason")
    readonly_fields = fields
    decisions = Decisions(
        approve=lambda pk, actor: services.join_request_approve(join_request_id=pk, actor=actor),
        reject=lambda pk, actor, reason: services.join_request_reject(join_request_id=pk, actor=actor, reason=reason),
        approved=lambda join: f"the player is sent the club's id and link; accept PPPoker {join.pppoker_id} in "
                              "the game",
    )

    def pending_summary(self, obj) -> str:
        return f"Approving sends the player the club's id and link; then accept PPPoker {obj.pppoker_id} in the game."
