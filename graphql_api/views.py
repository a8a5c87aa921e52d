"""The /graphql/ endpoint: authentication and CSRF before Strawberry runs anything."""
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from strawberry.django.views import GraphQLView

from graphql_api.auth import Caller, CallerKind, authenticate
from graphql_api.context import LedgerContext


def forbidden() -> JsonResponse:
    return JsonResponse({"data": None, "errors": [{
        "message": "Authentication required: a bot token or a staff session.",
        "extensions": {"code": "FORBIDDEN"},
    }]}, status=403)


class LedgerGraphQLView(GraphQLView):
    @classmethod
    def as_view(cls, **initkwargs):
        # CSRF is enforced in dispatch, for cookie sessions only. Exempted here, once, rather than
        # with method_decorator, which wraps dispatch again on every request.
        return csrf_exempt(super().as_view(**initkwargs))

    def dispatch(self, request, *args, **kwargs):
        caller = authenticate(request)
        request.caller = caller
        if self._wants_ide(request):
            if caller.kind is CallerKind.STAFF or settings.DEBUG:
                return super().dispatch(request, *args, **kwargs)
            return redirect_to_login(request.get_full_path())
        if not caller.is_authenticated:
            return forbidden()
        if caller.kind is CallerKind.BOT:  # a bearer token is not ambient authority: no CSRF
            return super().dispatch(request, *args, **kwargs)
        return csrf_protect(super().dispatch)(request, *args, **kwargs)

    @staticmethod
    def _wants_ide(request) -> bool:
        return request.method == "GET" and "query" not in request.GET and "text/html" in request.headers.get(
            "Accept", "")

    def get_context(self, request, response) -> LedgerContext:
        return LedgerContext(request=request, response=response, caller=getattr(request, "caller", Caller(
            CallerKind.ANONYMOUS)))
