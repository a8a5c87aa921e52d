from django.contrib import admin

from delivery.models import AdminMessage, EventCursor
from ledger.admin import ReadOnlyAdmin

# The bot's bookkeeping: shown for diagnosis, never edited by hand.
admin.site.register(EventCursor, ReadOnlyAdmin)
admin.site.register(AdminMessage, ReadOnlyAdmin)
