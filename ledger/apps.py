from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class LedgerConfig(AppConfig):
    name = "ledger"
    verbose_name = "Club ledger"
    default = True


class ClubAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the club's site (see ledger.admin_site)."""

    default = False  # the ledger app's own config is LedgerConfig
    default_site = "ledger.admin_site.ClubAdminSite"
