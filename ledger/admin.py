"""Django admin: read-mostly. Decisions go through the same services as the API,
so a decision made here is journaled, evented and guarded exactly the same way."""
from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse

from ledger import services
from ledger.actors import staff_actor
from ledger.errors import LedgerError
from ledger.models import (
    Admin, Deposit, Event, IdempotencyRecord, JournalEntry, PaymentMethod, Player, Spin,
    SpinAccount, Withdrawal,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RejectForm(forms.Form):
    reason = forms.CharField(max_length=500, widget=forms.TextInput(attrs={"size": 60}))


def _decide_each(modeladmin, request, queryset, decide) -> None:
    actor = staff_actor(request.user)
    done = 0
    for obj in queryset:
        try:
            decide(obj.pk, actor)
            done += 1
        except LedgerError as error:
            modeladmin.message_user(request, f"#{obj.pk}: {error.message}", messages.WARNING)
    if done:
        modeladmin.message_user(request, f"{done} decided.", messages.SUCCESS)


def approve_action(approve):
    def action(modeladmin, request, queryset):
        _decide_each(modeladmin, request, queryset, lambda pk, actor: approve(pk, actor))
    action.short_description = "Approve selected pending requests"
    action.__name__ = "approve_selected"
    return action


def reject_action(reject):
    """Asks for the reason on an intermediate page, then rejects each selected request."""
    def action(modeladmin, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            _decide_each(modeladmin, request, queryset, lambda pk, actor: reject(pk, actor, reason))
            return None
        return TemplateResponse(request, "admin/ledger/reject.html", {
            **modeladmin.admin_site.each_context(request),
            "title": "Reject with a reason", "form": form, "queryset": queryset,
            "action": "reject_selected", "opts": modeladmin.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })
    action.short_description = "Reject selected pending requests…"
    action.__name__ = "reject_selected"
    return action


@admin.register(Player)
class PlayerAdmin(ReadOnlyAdmin):
    list_display = ("telegram_id", "username", "first_name", "pppoker_id", "account_name", "created_at")
    search_fields = ("telegram_id", "username", "first_name", "last_name", "pppoker_id", "account_name")


@admin.register(Admin)
class AdminAdmin(admin.ModelAdmin):
    list_display = ("telegram_id", "name", "is_active", "created_at")


@admin.register(PaymentMethod)
class PaymentMethodAdmin(admin.ModelAdmin):
    list_display = ("code", "label", "currency", "rate_to_base", "account_number", "account_holder", "is_active")
    list_editable = ("rate_to_base", "account_number", "account_holder", "is_active")

    def has_delete_permission(self, request, obj=None):
        return False  # deposits refer to it; deactivate instead


@admin.register(Deposit)
class DepositAdmin(ReadOnlyAdmin):
    list_display = ("id", "player", "amount", "currency", "amount_base", "status", "created_at", "decided_by")
    list_filter = ("status", "method")
    search_fields = ("player__telegram_id", "player__username", "account_name", "proof", "legacy_ref")
    list_select_related = ("player",)
    actions = [
        approve_action(lambda pk, actor: services.deposit_approve(deposit_id=pk, actor=actor)),
        reject_action(lambda pk, actor, reason: services.deposit_reject(deposit_id=pk, actor=actor, reason=reason)),
    ]


@admin.register(Withdrawal)
class WithdrawalAdmin(ReadOnlyAdmin):
    list_display = ("id", "player", "amount", "currency", "amount_base", "status", "created_at", "decided_by")
    list_filter = ("status", "method")
    search_fields = ("player__telegram_id", "player__username", "account_number", "legacy_ref")
    list_select_related = ("player",)
    actions = [
        approve_action(lambda pk, actor: services.withdrawal_approve(withdrawal_id=pk, actor=actor)),
        reject_action(lambda pk, actor, reason: services.withdrawal_reject(
            withdrawal_id=pk, actor=actor, reason=reason)),
    ]


@admin.register(Spin)
class SpinAdmin(ReadOnlyAdmin):
    list_display = ("id", "player", "prize", "chips", "status", "created_at", "decided_by")
    list_filter = ("status",)
    search_fields = ("player__telegram_id", "player__username")
    list_select_related = ("player",)
    actions = [
        approve_action(lambda pk, actor: services.spin_reward_approve(spin_id=pk, actor=actor)),
        reject_action(lambda pk, actor, reason: services.spin_reward_reject(spin_id=pk, actor=actor, reason=reason)),
    ]


@admin.register(SpinAccount)
class SpinAccountAdmin(ReadOnlyAdmin):
    list_display = ("player", "available_spins", "total_spins_used", "total_chips_won", "total_chips_approved",
                    "total_deposit_base")
    list_select_related = ("player",)
    search_fields = ("player__telegram_id", "player__username")


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "player", "amount_base", "spins", "chips", "actor", "created_at")
    list_filter = ("kind",)
    list_select_related = ("player",)


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "telegram_id", "created_at")
    list_filter = ("kind",)



admin.site.register(IdempotencyRecord, ReadOnlyAdmin)

from ledger import admin_credits  # noqa: E402,F401  registers the seat request and credit admins
