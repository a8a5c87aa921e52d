"""The /graphql/ endpoint: authentication and CSRF before Strawberry runs anything."""
import json

from csp.decorators import csp_replace
from cross_web import DjangoHTTPRequestAdapter, HTTPException
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from strawberry.django.views import GraphQLView

from graphql_api import throttle
from graphql_api.auth import Caller, CallerKind, authenticate, presents_credentials
from graphql_api.context import LedgerContext


def refusal_response(status: int, message: str, code: str = "INVALID") -> JsonResponse:
    """A request refused before GraphQL runs, in the shape of a GraphQL answer."""
    return JsonResponse({"data": None, "errors": [{"message": message, "extensions": {"code": code}}]},
                        status=status)


def forbidden() -> JsonResponse:
    return refusal_response(403, "Authentication required: a bot token, Mini App init data or a staff session.",
                            "FORBIDDEN")


# Telegram's web client shows a Mini App in a frame of its own page; its apps use a web view.
MINIAPP_FRAME_ANCESTORS = ["https://web.telegram.org"]


@require_safe
@xframe_options_exempt
@csp_replace({"frame-ancestors": MINIAPP_FRAME_ANCESTORS})
def miniapp_page(request):
    """The wheel's page: static, the same for everyone. Who the player is comes with each API call
    (Authorization: tma <initData>), never from this request."""
    return render(request, "miniapp/wheel.html")


class Utf8RequestAdapter(DjangoHTTPRequestAdapter):
    @property
    def body(self) -> str:
        try:
            return self.request.body.decode()
        except UnicodeDecodeError as error:  # e.g. UTF-16, which json.loads would have guessed
            raise HTTPException(400, "The body must be UTF-8.") from error


class LedgerGraphQLView(GraphQLView):
    request_adapter_class = Utf8RequestAdapter

    @classmethod
    def as_view(cls, **initkwargs):
        # CSRF is enforced in dispatch, for cookie sessions only. Exempted here, once, rather than
        # with method_decorator, which wraps dispatch again on every request.
        return csrf_exempt(super().as_view(**initkwargs))

    def dispatch(self, request, *args, **kwargs):
        caller = authenticate(request)
        request.caller = caller
        if self._wants_ide(request):
            # Even with DEBUG on: without a staff login every query in GraphiQL would answer FORBIDDEN.
            if caller.kind is CallerKind.STAFF:
                return self.answer(request)
            return redirect_to_login(request.get_full_path())
        if not caller.is_authenticated:
            # Guessing tokens is slowed per client address.
            refusal = throttle.bad_token(request) if presents_credentials(request) else None
            if refusal is not None:
                response = refusal_response(429, refusal.error().message, "RATE_LIMITED")
                response["Retry-After"] = str(refusal.retry_after)
                return response
            return forbidden()
        # A bearer token or signed init data is not ambient authority: no CSRF.
        if caller.kind in (CallerKind.BOT, CallerKind.MINIAPP):
            return self.answer(request)
        return csrf_protect(self.answer)(request)

    def answer(self, request):
        """Strawberry's dispatch, with its refusals of a request as JSON with a code, not bare text."""
        try:
            return self.run(request=request)
        except HTTPException as error:
            return refusal_response(error.status_code, error.reason)
        except RequestDataTooBig:
            return refusal_response(413, f"The request body is over {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes.")

    def decode_json(self, data: str | bytes) -> object:
        """Only a JSON object is a request (batching is off); json.loads alone overflows the stack
        on deeply nested values."""
        try:
            decoded = json.loads(data)
        except (ValueError, RecursionError) as error:
            raise HTTPException(400, "The body must be JSON, nested at most a few hundred levels, with "
                                     "integers of at most 4,300 digits.") from error
        if not isinstance(decoded, dict):
            raise HTTPException(400, "The body must be a JSON object: {\"query\": ..., \"variables\": {...}}.")
        return decoded

    @staticmethod
    def _wants_ide(request) -> bool:
        return request.method == "GET" and "query" not in request.GET and "text/html" in request.headers.get(
            "Accept", "")

    def get_context(self, request, response) -> LedgerContext:
        return LedgerContext(request=request, response=response, caller=getattr(request, "caller", Caller(
            CallerKind.ANONYMOUS)))
