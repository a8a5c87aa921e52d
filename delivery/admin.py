from django.contrib import admin

from delivery.models import AdminMessage, EventCursor


@admin.register(EventCursor, AdminMessage)
class DeliveryStateAdmin(admin.ModelAdmin):
    """The bot's bookkeeping: shown for diagnosis, never edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
