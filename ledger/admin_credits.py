"""Seat requests and credits in the Django admin: to read. Decisions go through the API, like every other."""
from django.contrib import admin

from ledger.admin import ReadOnlyAdmin
from ledger.models import Credit, SeatRequest


@admin.register(SeatRequest)
class SeatRequestAdmin(ReadOnlyAdmin):
    list_display = ("id", "player", "amount", "status", "created_at", "decided_by")
    list_filter = ("status",)
    search_fields = ("player__telegram_id", "player__username", "pppoker_id")
    list_select_related = ("player",)


@admin.register(Credit)
class CreditAdmin(ReadOnlyAdmin):
    list_display = ("id", "player", "amount", "status", "created_at", "reminders_sent", "closed_by")
    list_filter = ("status",)
    search_fields = ("player__telegram_id", "player__username")
    list_select_related = ("player",)
