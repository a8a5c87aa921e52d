from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

from config.health import healthz
from graphql_api.schema import schema
from graphql_api.slips import signed_slip, staff_slip
from graphql_api.views import LedgerGraphQLView, miniapp_page

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index")),
    path("healthz", healthz),
    # Before the admin's catch-all: the desk's view of a deposit's slip checks the staff session.
    path("admin/slips/<int:deposit_id>/", staff_slip, name="staff-slip"),
    path("admin/", admin.site.urls),
    path("slips/<str:token>", signed_slip, name="signed-slip"),
    path("graphql/", LedgerGraphQLView.as_view(schema=schema, multipart_uploads_enabled=True)),
    path("miniapp/", miniapp_page, name="miniapp"),
]
