"""The slip images over HTTP: never at a public URL. The bot follows the signed, expiring link a
`slipUrl` gives it; staff open a deposit's slip through their session (the Django admin's detail page)."""
from django.contrib.admin.views.decorators import staff_member_required
from django.http import FileResponse, Http404
from django.urls import reverse

from ledger import selectors
from ledger.models import Slip


def slip_response(slip: Slip) -> FileResponse:
    response = FileResponse(slip.image.open("rb"), content_type=slip.content_type)
    # Bank details: not kept by any cache, never sniffed into something else.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'inline; filename="slip-{slip.deposit_id}.{slip.image.name.rsplit(".", 1)[-1]}"'
    return response


def signed_slip(request, token: str):
    slip = selectors.slip_for_token(token)
    if slip is None:
        raise Http404("No such slip, or the link expired.")
    return slip_response(slip)


@staff_member_required
def staff_slip(request, deposit_id: int):
    slip = selectors.slip_of_deposit(deposit_id)
    if slip is None:
        raise Http404("This deposit has no uploaded slip.")
    return slip_response(slip)


def slip_url(request, slip: Slip, *, staff: bool) -> str:
    """Staff get the session-checked view; the bot a link that works for SLIP_URL_MAX_AGE_S."""
    path = (reverse("staff-slip", args=[slip.deposit_id]) if staff
            else reverse("signed-slip", args=[selectors.slip_token(slip.pk)]))
    return request.build_absolute_uri(path)
