from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

from config.health import healthz
from graphql_api.schema import schema
from graphql_api.views import LedgerGraphQLView, miniapp_page

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index")),
    path("healthz", healthz),
    path("admin/", admin.site.urls),
    path("graphql/", LedgerGraphQLView.as_view(schema=schema)),
    path("miniapp/", miniapp_page, name="miniapp"),
]
