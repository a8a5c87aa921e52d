"""DRF plumbing a DRF user would write for our API: the bot's bearer token as a
DRF authentication class (no database table: one shared secret, like /graphql/)
and ledger refusals mapped to HTTP statuses in the exception handler."""
import hmac

from django.conf import settings
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication

from graphql_api.auth import bearer_token
from ledger.errors import LedgerError

from bench.benchapp.common import error_body, error_status


class BotUser:
    """request.user of an authenticated bot call."""
    is_authenticated = True
    is_active = True
    is_staff = False
    pk = None

    def __str__(self) -> str:
        return "bot"


BOT = BotUser()


class BearerTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <API_TOKEN>`, compared in constant time (as graphql_api.auth)."""

    keyword = "Bearer"

    def authenticate(self, request):
        token = bearer_token(request._request)
        if token is None:
            return None
        expected = settings.API_TOKEN
        if expected and hmac.compare_digest(token.encode(), expected.encode()):
            return BOT, token
        raise exceptions.AuthenticationFailed("Invalid token.")

    def authenticate_header(self, request) -> str:
        return self.keyword


def exception_handler(exc, context):
    # Imported here: rest_framework.views imports the authentication classes of the settings.
    from rest_framework.response import Response
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, LedgerError):
        return Response(error_body(exc), status=error_status(exc))
    return drf_exception_handler(exc, context)
