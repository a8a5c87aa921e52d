"""The Django admin as the club's desk: its name in the header, the requests to
decide first, and the ledger's machinery (journal, outbox, idempotency records,
cursors) in a section of its own so nobody mistakes it for club data."""
from django.conf import settings
from django.contrib import admin

# The order of the desk: what waits for a decision first.
DESK_MODELS = ("Deposit", "Withdrawal", "Spin", "CashbackClaim", "JoinRequest", "Player", "SpinAccount", "Promotion",
               "Bonus", "PaymentMethod", "SpinTierTable", "PrizeTable", "Admin", "ConfigChange")
INTERNAL_MODELS = frozenset({"JournalEntry", "Event", "IdempotencyRecord", "DailyTotal", "DailyReport", "RevealedSeed"})


class ClubAdminSite(admin.AdminSite):
    index_title = "The desk"
    # The sidebar repeats the index and costs the lists a fifth of a 1440 px screen.
    enable_nav_sidebar = False
    site_url = None  # no public site: "/" is the admin itself

    @property
    def site_header(self) -> str:
        return settings.CLUB_NAME

    @property
    def site_title(self) -> str:
        return settings.CLUB_NAME

    def get_app_list(self, request, app_label=None):
        apps = []
        for app in super().get_app_list(request, app_label):
            if app["app_label"] != "ledger":
                apps.append(app)
                continue
            desk = [model for model in app["models"] if model["object_name"] not in INTERNAL_MODELS]
            desk.sort(key=lambda model: DESK_MODELS.index(model["object_name"])
                      if model["object_name"] in DESK_MODELS else len(DESK_MODELS))
            internals = [model for model in app["models"] if model["object_name"] in INTERNAL_MODELS]
            apps.insert(0, {**app, "models": desk})
            if internals:
                apps.append({**app, "name": "Ledger internals (read-only)", "models": internals})
        return apps
