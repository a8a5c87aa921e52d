"""The Django admin: the club's desk. Data is read-only here; decisions go
through the same services as the API, so a decision made here is journaled,
evented and guarded exactly the same way (ALREADY_DECIDED included)."""
from collections.abc import Callable
from dataclasses import dataclass
from contextvars import ContextVar
from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from ledger import selectors, services
from ledger.actors import Actor, staff_actor
from ledger.validators import clean_optional_text, clean_rate
from ledger.errors import LedgerError
from ledger.models import (
    Admin, Bonus, ConfigChange, DailyReport, DailyTotal, Deposit, Event, IdempotencyRecord, JournalEntry, PaymentMethod,
    Player, RequestStatus, RevealedSeed, RewardStatus, Slip, Spin, SpinAccount, Withdrawal,
)
from ledger.rules import seed_hash, spins_for_amount

PENDING = RequestStatus.PENDING  # the same value for spins' RewardStatus.PENDING


# --- how the desk shows numbers and times --------------------------------------------------

def money(amount: Decimal | None, currency: str) -> str:
    return "-" if amount is None else f"{amount:,.2f} {currency}"


def rate(value: Decimal) -> str:
    """15.4000 as 15.40, 15.4125 as it is."""
    cents = value.quantize(Decimal("0.01"))
    return f"{cents:,}" if cents == value else f"{value.normalize():,}"


def club_time(value, *, seconds: bool = False) -> str:
    """A stored (UTC) time in the club's zone, with the zone, so nobody has to guess which clock."""
    if value is None:
        return "-"
    local = timezone.localtime(value)
    return local.strftime("%Y-%m-%d %H:%M:%S %Z" if seconds else "%Y-%m-%d %H:%M %Z")


# The tier table in force, read once per page of the desk rather than once per row of a list.
_tiers_of_this_page: ContextVar[selectors.Tiers | None] = ContextVar("tiers_of_this_page", default=None)


def pending_value(deposit: Deposit) -> tuple[Decimal, int]:
    """What a deposit is worth in MVR and the spins it earns: recorded once approved, at today's rate
    and tiers before."""
    amount_base = selectors.deposit_value_base(deposit)
    if deposit.amount_base is not None:
        return amount_base, deposit.spins_granted
    tiers = _tiers_of_this_page.get() or selectors.spin_tiers_in_force()
    return amount_base, spins_for_amount(amount_base, tiers.tiers)


# --- deciding --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Decisions:
    """The services that decide one kind of request, and how the desk words their outcome."""

    approve: Callable[..., models.Model]  # (pk, actor, **corrections)
    reject: Callable[[int, Actor, str], models.Model]
    approved: Callable[[models.Model], str]  # what the approval did, e.g. "1,500.00 MVR, 5 spins"


class RejectForm(forms.Form):
    reason = forms.CharField(max_length=500, widget=forms.TextInput(attrs={"size": 60}),
                             help_text="The player sees this reason.")


class ApproveDepositForm(forms.Form):
    amount = forms.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"),
                                help_text="Correct it if the slip shows another amount.")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DecisionAdmin(ReadOnlyAdmin):
    """A request an admin decides once: Approve / Reject on its page and as bulk actions."""

    decisions: Decisions
    change_form_template = "admin/ledger/decision_change_form.html"
    actions = ["approve_selected", "reject_selected"]
    approve_form: type[forms.Form] | None = None  # corrections an approval may carry

    class Media:
        css = {"all": ["ledger/admin.css"]}

    def label(self, obj) -> str:
        return f"{self.model._meta.verbose_name.capitalize()} #{obj.pk}"

    def decide(self, request, obj, outcome: str, decision: Callable[[Actor], models.Model]) -> bool:
        """Run one decision and tell the admin what happened to which request."""
        try:
            decided = decision(staff_actor(request.user))
        except LedgerError as error:
            self.message_user(request, f"{self.label(obj)} not {outcome}: {error.message}", messages.WARNING)
            return False
        detail = self.decisions.approved(decided) if outcome == "approved" else decided.rejection_reason
        self.message_user(request, f"{self.label(obj)} {outcome}: {detail}", messages.SUCCESS)
        return True

    # bulk actions

    @admin.action(description="Approve selected pending requests", permissions=["view"])
    def approve_selected(self, request, queryset):
        for obj in queryset:
            self.decide(request, obj, "approved", lambda actor, pk=obj.pk: self.decisions.approve(pk, actor))

    @admin.action(description="Reject selected pending requests…", permissions=["view"])
    def reject_selected(self, request, queryset):
        """Asks for the reason on an intermediate page, then rejects each selected request."""
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            for obj in queryset:
                self.decide(request, obj, "rejected",
                            lambda actor, pk=obj.pk: self.decisions.reject(pk, actor, reason))
            return None
        return self.reason_page(request, form, list(queryset), cancel_url=request.get_full_path())

    # the request's own page

    def get_urls(self):
        return [
            path("<int:object_id>/approve/", self.admin_site.admin_view(self.approve_view),
                 name=self.url_name("approve")),
            path("<int:object_id>/reject/", self.admin_site.admin_view(self.reject_view), name=self.url_name("reject")),
            *super().get_urls(),
        ]

    def url_name(self, view: str) -> str:
        return f"{self.model._meta.app_label}_{self.model._meta.model_name}_{view}"

    def change_url(self, obj) -> str:
        return reverse(f"admin:{self.url_name('change')}", args=[obj.pk])

    def requested_object(self, request, object_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=object_id)

    def approve_view(self, request, object_id):
        obj = self.requested_object(request, object_id)
        if request.method != "POST":
            return HttpResponseRedirect(self.change_url(obj))
        form = self.approve_form(request.POST) if self.approve_form else None
        if form is not None and not form.is_valid():
            for errors in form.errors.values():
                self.message_user(request, f"{self.label(obj)} not approved: {' '.join(errors)}", messages.ERROR)
            return HttpResponseRedirect(self.change_url(obj))
        corrections = form.cleaned_data if form is not None else {}
        self.decide(request, obj, "approved", lambda actor: self.decisions.approve(obj.pk, actor, **corrections))
        return HttpResponseRedirect(self.change_url(obj))

    def reject_view(self, request, object_id):
        obj = self.requested_object(request, object_id)
        form = RejectForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            self.decide(request, obj, "rejected", lambda actor: self.decisions.reject(obj.pk, actor, reason))
            return HttpResponseRedirect(self.change_url(obj))
        return self.reason_page(request, form, [obj], cancel_url=self.change_url(obj))

    def reason_page(self, request, form, objects, *, cancel_url: str):
        opts = self.model._meta
        return TemplateResponse(request, "admin/ledger/reject.html", {
            **self.admin_site.each_context(request),
            "title": f"Reject {self.label(objects[0])}" if len(objects) == 1
                     else f"Reject {len(objects)} {opts.verbose_name_plural}",
            "form": form, "objects": objects, "opts": opts, "cancel_url": cancel_url,
            "from_list": "action" in request.POST,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        context = {"decision": None}
        if obj is not None and obj.status == PENDING:
            context["decision"] = {
                "approve_url": reverse(f"admin:{self.url_name('approve')}", args=[obj.pk]),
                "reject_url": reverse(f"admin:{self.url_name('reject')}", args=[obj.pk]),
                "form": self.approve_form(initial=self.approve_initial(obj)) if self.approve_form else None,
                "summary": self.pending_summary(obj),
            }
        return super().change_view(request, object_id, form_url, {**context, **(extra_context or {})})

    def approve_initial(self, obj) -> dict:
        return {}

    def pending_summary(self, obj) -> str:
        """What approving would do, shown beside the buttons."""
        return ""

    # columns shared by every kind of request

    @admin.display(description="Created", ordering="created_at")
    def created(self, obj):
        return club_time(obj.created_at)

    @admin.display(description="Created", ordering="created_at")
    def created_exactly(self, obj):
        return club_time(obj.created_at, seconds=True)

    @admin.display(description="Decided at", ordering="decided_at")
    def decided(self, obj):
        return club_time(obj.decided_at, seconds=True)

    @admin.display(description="Status", ordering="status")
    def outcome(self, obj):
        if not obj.decided_by:
            return obj.get_status_display()
        return format_html("{}<br><small>by {}</small>", obj.get_status_display(), obj.decided_by)

    @admin.display(description="Player", ordering="player__telegram_id")
    def who(self, obj):
        return f"@{obj.player.username}" if obj.player.username else obj.player.first_name or obj.player.telegram_id


class MoneyRequestAdmin(DecisionAdmin):
    list_filter = ("status", "method")
    list_select_related = ("player", "method")
    date_hierarchy = "created_at"
    request_fields = ("player", "method", "amount_display", "pppoker", "account_name")
    decision_fields = ("status", "created_exactly", "decided", "decided_by", "rejection_reason")

    @admin.display(description="Amount", ordering="amount")
    def amount_display(self, obj):
        return money(obj.amount, obj.currency)

    @admin.display(description="PPPoker ID", ordering="pppoker_id")
    def pppoker(self, obj):
        return obj.pppoker_id

    @admin.display(description="Rate")
    def rate_display(self, obj):
        if obj.rate_to_base is not None:
            return f"{rate(obj.rate_to_base)} MVR per {obj.currency}"
        return f"{rate(obj.method.rate_to_base)} MVR per {obj.currency} (today's; fixed when approved)"

    def get_fieldsets(self, request, obj=None):
        return [(None, {"fields": self.fields_shown}),
                ("Internal", {"fields": ("version", "legacy_ref"), "classes": ["collapse"]})]

    def get_readonly_fields(self, request, obj=None):
        return [*self.fields_shown, "version", "legacy_ref"]


def _deposit_approved(deposit: Deposit) -> str:
    bonus = Bonus.objects.filter(deposit=deposit).first()
    earned = f", and a bonus of {money(bonus.amount, 'MVR')} to load with it" if bonus else ""
    return f"{money(deposit.amount_base, 'MVR')}, {deposit.spins_granted} spins{earned}"


@admin.register(Deposit)
class DepositAdmin(MoneyRequestAdmin):
    list_display = ("id", "created", "who", "pppoker", "account_name", "method", "amount_display", "in_mvr",
                    "spins", "outcome")
    search_fields = ("player__telegram_id", "player__username", "account_name", "pppoker_id", "proof", "legacy_ref")
    fields_shown = (*MoneyRequestAdmin.request_fields, "in_mvr", "spins", "rate_display", "slip_shown", "proof_display",
                    *MoneyRequestAdmin.decision_fields)
    approve_form = ApproveDepositForm
    decisions = Decisions(
        approve=lambda pk, actor, amount=None: services.deposit_approve(deposit_id=pk, actor=actor, amount=amount),
        reject=lambda pk, actor, reason: services.deposit_reject(deposit_id=pk, actor=actor, reason=reason),
        approved=_deposit_approved,
    )

    def changelist_view(self, request, extra_context=None):
        token = _tiers_of_this_page.set(selectors.spin_tiers_in_force())
        try:
            return super().changelist_view(request, extra_context)
        finally:
            _tiers_of_this_page.reset(token)

    @admin.display(description="In MVR")
    def in_mvr(self, obj):
        return money(pending_value(obj)[0], "MVR")

    @admin.display(description="Spins")
    def spins(self, obj):
        spins = pending_value(obj)[1]
        return spins if obj.status != PENDING else format_html("<span title='{}'>{} if approved</span>",
                                                               "At today's rate", spins)

    @admin.display(description="Slip")
    def slip_shown(self, obj):
        """The stored image (served by a view that checks the staff session) with what the worker read
        on it and its warnings; older deposits' slips exist only in Telegram, under the proof's file id."""
        if obj.method.code == "USDT":
            return "No slip: a USDT deposit is proven by its transaction id (below)."
        stored = Slip.objects.filter(deposit=obj).first()
        if stored is None:
            return "Not stored here: the slip is the photo the player sent the bot (its file id is below)."
        url = reverse("staff-slip", args=[obj.pk])
        # Sized by ledger/admin.css: the desk's Content-Security-Policy refuses inline styles.
        image = format_html('<a href="{}" target="_blank" rel="noopener"><img class="slip-image" src="{}" '
                            'alt="Slip of deposit #{}"></a>', url, url, obj.pk)
        if stored.read_at is None:
            return format_html("{}<p>Not read yet: the worker reads it shortly.</p>", image)
        read = [("Bank", stored.bank), ("Amount", f"{stored.amount} {stored.currency}".strip()
                                        if stored.amount is not None else ""),
                ("Reference", stored.reference), ("Sender", stored.sender),
                ("Receiver", " ".join(p for p in (stored.receiver_name, stored.receiver_account) if p))]
        rows = format_html_join("", "<tr><th>{}</th><td>{}</td></tr>",
                                ((label, value or "—") for label, value in read))
        warnings = format_html_join("", '<li><strong>{}</strong>: {}</li>',
                                    ((w["code"], w["message"]) for w in stored.warnings))
        return format_html("{}<table>{}</table>{}", image, rows,
                           format_html("<ul>{}</ul>", warnings) if stored.warnings else
                           format_html("<p>No warnings.</p>"))

    @admin.display(description="Proof")
    def proof_display(self, obj):
        kind = "Transaction id (TXID)" if obj.method.code == "USDT" else "Telegram file id of the slip"
        return format_html("{}: <code>{}</code>", kind, obj.proof)

    def approve_initial(self, obj) -> dict:
        return {"amount": obj.amount}

    def pending_summary(self, obj) -> str:
        amount_base, spins = pending_value(obj)
        at = "" if obj.method.rate_to_base == 1 else f" at {rate(obj.method.rate_to_base)} MVR per {obj.currency}"
        due = selectors.bonus_due(player_id=obj.player_id, amount_base=amount_base)
        bonus = f" and a bonus of {money(due[1], 'MVR')} (promotion #{due[0].pk}, {due[0].percentage}%)" if due else ""
        return f"Worth {money(amount_base, 'MVR')}{at}; approving grants {spins} spins{bonus}."


@admin.register(Withdrawal)
class WithdrawalAdmin(MoneyRequestAdmin):
    list_display = ("id", "created", "who", "pppoker", "account_name", "method", "account_number",
                    "amount_display", "in_mvr", "outcome")
    search_fields = ("player__telegram_id", "player__username", "account_name", "account_number", "legacy_ref")
    fields_shown = (*MoneyRequestAdmin.request_fields, "account_number", "in_mvr", "rate_display",
                    *MoneyRequestAdmin.decision_fields)
    decisions = Decisions(
        approve=lambda pk, actor: services.withdrawal_approve(withdrawal_id=pk, actor=actor),
        reject=lambda pk, actor, reason: services.withdrawal_reject(withdrawal_id=pk, actor=actor, reason=reason),
        approved=lambda withdrawal: f"pay {money(withdrawal.amount, withdrawal.currency)} to "
                                    f"{withdrawal.account_number} ({withdrawal.account_name})",
    )

    @admin.display(description="In MVR", ordering="amount_base")
    def in_mvr(self, obj):
        return money(obj.amount_base, "MVR")

    def pending_summary(self, obj) -> str:
        return (f"Approving records the payout of {money(obj.amount, obj.currency)} to {obj.account_number} "
                f"({obj.account_name}); pay it first.")


class SpinResultFilter(admin.SimpleListFilter):
    """Wins by default: "Try Again!" spins (AUTO) have nothing to decide and would bury them."""

    title = "result"
    parameter_name = "result"

    def lookups(self, request, model_admin):
        return [("wins", "Wins"), ("all", "Every spin")]

    def queryset(self, request, queryset):
        return queryset if self.value() == "all" else queryset.exclude(status=RewardStatus.AUTO)

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {"selected": (self.value() or "wins") == lookup, "display": title,
                   "query_string": changelist.get_query_string({self.parameter_name: lookup})}


@admin.register(Spin)
class SpinAdmin(DecisionAdmin):
    list_display = ("id", "created", "who", "prize", "chips_display", "outcome")
    list_filter = (SpinResultFilter, "status")
    search_fields = ("player__telegram_id", "player__username")
    list_select_related = ("player",)
    fields = ("player", "prize", "chips_display", "status", "created_exactly", "decided", "decided_by",
              "rejection_reason")
    readonly_fields = fields
    decisions = Decisions(
        approve=lambda pk, actor: services.spin_reward_approve(spin_id=pk, actor=actor),
        reject=lambda pk, actor, reason: services.spin_reward_reject(spin_id=pk, actor=actor, reason=reason),
        approved=lambda spin: f"{spin.chips:,} chips to hand out",
    )

    def label(self, obj) -> str:
        return f"Spin win #{obj.pk}"

    @admin.display(description="Chips", ordering="chips")
    def chips_display(self, obj):
        return f"{obj.chips:,}"

    def pending_summary(self, obj) -> str:
        return f"Approving records {obj.chips:,} chips as handed out to the player's PPPoker account."


# --- the club's other data ------------------------------------------------------------------

@admin.register(Player)
class PlayerAdmin(ReadOnlyAdmin):
    list_display = ("telegram_id", "username", "first_name", "pppoker_id", "account_name", "joined")
    search_fields = ("telegram_id", "username", "first_name", "last_name", "pppoker_id", "account_name")
    exclude = ("version",)
    readonly_fields = ("joined",)

    @admin.display(description="Joined", ordering="created_at")
    def joined(self, obj):
        return club_time(obj.created_at)


@admin.register(SpinAccount)
class SpinAccountAdmin(ReadOnlyAdmin):
    list_display = ("player", "available_spins", "total_spins_used", "total_chips_won", "total_chips_approved",
                    "deposited")
    list_select_related = ("player",)
    search_fields = ("player__telegram_id", "player__username")
    # The server seed is the one secret of a fair draw: whoever reads it can foretell the player's spins.
    exclude = ("version", "server_seed")
    readonly_fields = ("server_seed_hash",)

    @admin.display(description="Server seed hash (the seed itself is revealed by a rotation)")
    def server_seed_hash(self, obj):
        return seed_hash(obj.server_seed)

    @admin.display(description="Deposited", ordering="total_deposit_base")
    def deposited(self, obj):
        return money(obj.total_deposit_base, "MVR")


class AddAdminForm(forms.ModelForm):
    class Meta:
        model = Admin
        fields = ("telegram_id",)
        help_texts = {"telegram_id": "The Telegram id of the person to make an admin."}

    def validate_unique(self):
        """A removed admin's row stays; adding them again is the service's to do, not a duplicate."""

    def clean_telegram_id(self):
        telegram_id = self.cleaned_data["telegram_id"]
        if selectors.is_admin(telegram_id):
            raise forms.ValidationError(f"{telegram_id} is an admin already.")
        return telegram_id


@admin.register(Admin)
class AdminAdmin(admin.ModelAdmin):
    """Admins are added and removed through the settings services (recorded in configChanges):
    add one here, remove with the action; nothing is edited in place."""

    list_display = ("telegram_id", "name", "is_active", "added_by", "added")
    list_filter = ("is_active",)
    actions = ["remove_selected"]
    form = AddAdminForm

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        added = services.admin_add(telegram_id=obj.telegram_id, actor=staff_actor(request.user))
        obj.pk, obj.name, obj.added_by, obj.created_at = added.pk, added.name, added.added_by, added.created_at

    @admin.action(description="Remove the selected admins")
    def remove_selected(self, request, queryset):
        for row in queryset:
            try:
                services.admin_remove(telegram_id=row.telegram_id, actor=staff_actor(request.user))
                self.message_user(request, f"{row.telegram_id} is no longer an admin.", messages.SUCCESS)
            except LedgerError as error:
                self.message_user(request, f"{row.telegram_id}: {error.message}", messages.WARNING)

    @admin.display(description="Added", ordering="created_at")
    def added(self, obj):
        return club_time(obj.created_at)


SERVICE_FIELDS = ("rate_to_base", "account_number", "account_holder", "is_active")


class PaymentMethodForm(forms.ModelForm):
    """What the settings service changes, checked by the ledger's own rules before it runs."""

    class Meta:
        model = PaymentMethod
        fields = SERVICE_FIELDS
        help_texts = {
            "rate_to_base": "MVR for one unit of the method's currency. Decided requests keep their own rate.",
            "account_number": "Players see it when they deposit; empty, they see \"-\".",
        }

    def _checked(self, check, name: str, **kwargs):
        try:
            return check(self.cleaned_data.get(name), **kwargs)
        except LedgerError as error:
            raise forms.ValidationError(error.message) from None

    def clean_rate_to_base(self):
        return self._checked(clean_rate, "rate_to_base")

    def clean_account_number(self):
        return self._checked(clean_optional_text, "account_number", field="accountNumber", max_length=128,
                             label="The account number")

    def clean_account_holder(self):
        return self._checked(clean_optional_text, "account_holder", field="accountHolder", max_length=128,
                             label="The account holder")


@admin.register(PaymentMethod)
class PaymentMethodAdmin(admin.ModelAdmin):
    form = PaymentMethodForm
    list_display = ("code", "label", "currency", "rate_shown", "account_shown", "account_holder", "is_active")
    readonly_fields = ("code", "label", "currency")
    fields = ("code", "label", "currency", *SERVICE_FIELDS)

    @admin.display(description="MVR per unit", ordering="rate_to_base")
    def rate_shown(self, obj):
        return rate(obj.rate_to_base)

    @admin.display(description="Account number")
    def account_shown(self, obj):
        return obj.account_number or format_html("<em>{}</em>", "not set: players see \"-\"")

    def has_add_permission(self, request):
        return False  # the methods come with the database (a data migration); codes are fixed

    def has_delete_permission(self, request, obj=None):
        return False  # deposits refer to it; deactivate instead

    def save_model(self, request, obj, form, change):
        """Through the settings service, so the change is recorded (configChanges) like any other."""
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in SERVICE_FIELDS}
        services.payment_method_update(code=obj.code, actor=staff_actor(request.user), **changes)


# --- the ledger's machinery: read-only, in a section of its own (ledger.admin_site) ------------

@admin.register(RevealedSeed)
class RevealedSeedAdmin(ReadOnlyAdmin):
    list_display = ("server_seed_hash", "player", "spins_drawn", "revealed_at")
    list_select_related = ("player",)
    search_fields = ("player__telegram_id", "server_seed_hash")


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "player", "amount_base", "spins", "chips", "actor", "at")
    list_filter = ("kind",)
    list_select_related = ("player",)

    @admin.display(description="At", ordering="created_at")
    def at(self, obj):
        return club_time(obj.created_at, seconds=True)


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "telegram_id", "created_at")
    list_filter = ("kind",)


for internal in (IdempotencyRecord, DailyTotal, DailyReport):
    admin.site.register(internal, ReadOnlyAdmin)


@admin.register(ConfigChange)
class ConfigChangeAdmin(ReadOnlyAdmin):
    """The audit trail of settings, whoever changed them (bot, GraphQL or this desk)."""

    list_display = ("changed", "what", "before", "after", "changed_by")
    search_fields = ("what", "changed_by")

    @admin.display(description="When", ordering="changed_at")
    def changed(self, obj):
        return club_time(obj.changed_at)


from ledger import admin_credits  # noqa: E402,F401  registers the seat request and credit admins
from ledger import admin_talk  # noqa: E402,F401  registers the counter, support and broadcast admins
from ledger import admin_promotions  # noqa: E402,F401  promotions, bonuses, recovery claims, join requests
from ledger import admin_rule_tables  # noqa: E402,F401  the spin tiers and the prize table, versioned
