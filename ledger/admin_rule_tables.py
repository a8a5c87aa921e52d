"""The club's rule tables at the desk: the history of versions, and a new version made through the
rules service after a preview of the table in force beside the new one (for prizes, each prize's
odds before and after), so nobody saves a change they have not seen."""
from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from ledger import selectors, services
from ledger.actors import staff_actor
from ledger.admin import ReadOnlyAdmin
from ledger.errors import LedgerError
from ledger.models import PrizeTable, SpinTierTable


class TableForm(forms.Form):
    rows = forms.CharField(widget=forms.Textarea(attrs={"rows": 16, "cols": 50}))


def _split(text: str, width: int) -> list[list[str]]:
    """One row per line, comma separated; a blank line is skipped. A wrong number of cells is refused
    by the caller as it is, by the rules service."""
    rows = [[cell.strip() for cell in line.split(",")] for line in text.splitlines() if line.strip()]
    for row in rows:
        if len(row) != width:
            raise forms.ValidationError(f"Each line needs {width} values separated by commas: {', '.join(row)!r}.")
    return rows


def _percent(weight: int, total: int) -> str:
    return f"{Decimal(weight * 100) / total:.3f}%" if total else "-"


class RuleTableAdmin(ReadOnlyAdmin):
    """History is read-only; "Add" is the editor."""

    change_list_template = "admin/ledger/rule_table_change_list.html"
    title = ""
    width = 0
    help = ""

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def current_rows(self) -> list[list[str]]:
        raise NotImplementedError

    def parse(self, rows: list[list[str]]):
        raise NotImplementedError

    def comparison(self, new) -> list[list[str]]:
        raise NotImplementedError

    def save_table(self, new, actor):
        raise NotImplementedError

    def add_view(self, request, form_url="", extra_context=None):
        initial = "\n".join(", ".join(row) for row in self.current_rows())
        form = TableForm(request.POST or None, initial={"rows": initial})
        comparison = None
        if request.method == "POST" and form.is_valid():
            try:
                new = self.parse(_split(form.cleaned_data["rows"], self.width))
                if "save" in request.POST:
                    table = self.save_table(new, staff_actor(request.user))
                    messages.success(request, f"{self.title} version {table.version} is in force from now.")
                    return redirect(f"admin:ledger_{self.model._meta.model_name}_changelist")
                comparison = self.comparison(new)
            except forms.ValidationError as error:
                form.add_error("rows", error)
            except LedgerError as error:
                form.add_error("rows", error.message)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                   "comparison": comparison, "title": f"New {self.title.lower()}", "help": self.help,
                   "headers": self.headers}
        return TemplateResponse(request, "admin/ledger/rule_table_form.html", context)


@admin.register(SpinTierTable)
class SpinTierTableAdmin(RuleTableAdmin):
    list_display = ("version", "created_by", "created_at", "tier_count")
    title, width = "Spin tiers", 2
    help = "One tier per line: the least MVR of a deposit, then the spins it earns. Both must increase."
    headers = ("Minimum (MVR)", "Spins now", "Spins after")

    @admin.display(description="Tiers")
    def tier_count(self, obj):
        return len(obj.tiers)

    def current_rows(self):
        return [[str(threshold), str(spins)] for threshold, spins in selectors.spin_tiers_in_force().tiers]

    def parse(self, rows):
        try:
            return [(threshold, int(spins)) for threshold, spins in rows]
        except ValueError as error:
            raise forms.ValidationError(f"Spins are whole numbers: {error}.") from None

    def comparison(self, new):
        from ledger.rules import spins_for_amount
        from ledger.validators import clean_spin_tiers
        cleaned = clean_spin_tiers(new)  # the same refusals the service gives, before the preview
        now = selectors.spin_tiers_in_force().tiers
        thresholds = sorted({threshold for threshold, _ in now} | {threshold for threshold, _ in cleaned})
        return [[str(threshold), str(spins_for_amount(threshold, now)), str(spins_for_amount(threshold, cleaned))]
                for threshold in thresholds]

    def save_table(self, new, actor):
        return services.spin_tiers_set(tiers=new, actor=actor)


@admin.register(PrizeTable)
class PrizeTableAdmin(RuleTableAdmin):
    list_display = ("version", "created_by", "created_at", "prize_count")
    title, width = "Prize table", 3
    help = ("One prize per line, in the order of the wheel: label, chips, weight. A prize's odds are its weight "
            "out of the total; every weight must be above 0.")
    headers = ("Prize", "Odds now", "Odds after")

    @admin.display(description="Prizes")
    def prize_count(self, obj):
        return len(obj.prizes)

    def current_rows(self):
        return [[p.label, str(p.chips), str(p.weight)] for p in selectors.prize_table_in_force().prizes]

    def parse(self, rows):
        try:
            return [(label, int(chips), int(weight)) for label, chips, weight in rows]
        except ValueError as error:
            raise forms.ValidationError(f"Chips and weights are whole numbers: {error}.") from None

    def comparison(self, new):
        from ledger.validators import clean_prize_table
        cleaned = clean_prize_table(new)
        now = {p.label: p.weight for p in selectors.prize_table_in_force().prizes}
        after = {label: weight for label, _, weight in cleaned}
        total_now, total_after = sum(now.values()), sum(after.values())
        labels = [*after, *(label for label in now if label not in after)]
        return [[label, _percent(now[label], total_now) if label in now else "-",
                 _percent(after[label], total_after) if label in after else "-"] for label in labels]

    def save_table(self, new, actor):
        return services.prize_table_set(prizes=new, actor=actor)
