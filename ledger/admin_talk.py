"""The counter, live-support transcripts and broadcasts in the Django admin: to read. Changes go
through the services (from the bot or GraphQL), like every other."""
from django.contrib import admin

from ledger.admin import ReadOnlyAdmin, club_time
from ledger.models import Broadcast, Counter, SupportMessage, SupportSession


class TranscriptInline(admin.TabularInline):
    model = SupportMessage
    fields = ("at", "author", "from_admin", "text", "photo")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("id",)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="At")
    def at(self, obj):
        return club_time(obj.created_at, seconds=True)


@admin.register(SupportSession)
class SupportSessionAdmin(ReadOnlyAdmin):
    list_display = ("id", "player", "state", "agent", "opened", "closed_by")
    list_filter = ("state",)
    search_fields = ("player__telegram_id", "player__username", "agent")
    list_select_related = ("player",)
    fields = ("player", "state", "agent", "opened", "claimed_at", "closed_at", "closed_by")
    readonly_fields = ("opened",)
    inlines = [TranscriptInline]

    @admin.display(description="Opened", ordering="opened_at")
    def opened(self, obj):
        return club_time(obj.opened_at, seconds=True)


@admin.register(Broadcast)
class BroadcastAdmin(ReadOnlyAdmin):
    list_display = ("id", "created", "created_by", "state", "total", "sent", "blocked", "failed")
    list_filter = ("state",)
    fields = ("text", "photo", "state", "created_by", "created", "finished_at", "cancelled_by", "total", "sent",
              "blocked", "failed")
    readonly_fields = ("created",)

    @admin.display(description="Created", ordering="created_at")
    def created(self, obj):
        return club_time(obj.created_at, seconds=True)


@admin.register(Counter)
class CounterAdmin(ReadOnlyAdmin):
    list_display = ("state", "changed", "changed_by", "announcement")

    @admin.display(description="Changed", ordering="changed_at")
    def changed(self, obj):
        return club_time(obj.changed_at, seconds=True)
