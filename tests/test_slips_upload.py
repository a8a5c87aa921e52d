"""Slip uploads: createSlipDeposit over the multipart request spec, its refusals, what is stored,
and who can see the image."""
import io
import os
import re
import socket
import subprocess
import sys
import time

import pytest
import time_machine
from django.core.files.storage import storages
from django.utils import timezone
from PIL import Image

from ledger.models import Deposit, Slip
from tests.conftest import API_TOKEN, PLAYER_ID
from tests.slipfiles import image_bytes, multipart

SLIP_INPUT = {"telegramId": PLAYER_ID, "amount": "500", "method": "BML", "accountName": "Ali Ahmed",
              "pppokerId": "12345"}
FILE_ID = "AgACAgUAAxkBAAIBslipfile"


@pytest.fixture
def slip_store(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "slips": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "media"), "base_url": None}}}
    return tmp_path / "media"


def upload(client, data: bytes, *, token=API_TOKEN, **input_extra):
    body = multipart({"input": {**SLIP_INPUT, **input_extra}}, data)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post("/graphql/", body, **headers)


def created(response) -> dict:
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    return body["data"]["createSlipDeposit"]


def test_a_slip_deposit_is_stored_reencoded_under_a_random_name(api, client, player, slip_store):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0131] = "Camera app 1.0"  # Software
    original = image_bytes("JPEG", exif=exif.tobytes())
    deposit = created(upload(client, original, proof=FILE_ID))
    assert (deposit["status"], deposit["amount"], deposit["proof"]) == ("PENDING", "500.00", FILE_ID)
    assert deposit["slipReading"]["amount"] is None or deposit["slipReading"]["done"] in (True, False)

    slip = Slip.objects.get(deposit_id=deposit["id"])
    assert re.fullmatch(r"slips/[0-9a-f]{32}\.jpg", slip.image.name)
    stored = (slip_store / slip.image.name).read_bytes()
    assert stored != original and b"PhoneMaker" not in stored and b"Camera app" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and image.size == (600, 800) and not image.getexif()
    assert (slip.content_type, slip.width, slip.height) == ("image/jpeg", 600, 800)


def test_without_a_telegram_file_id_the_proof_names_the_image(api, client, player, slip_store):
    deposit = created(upload(client, image_bytes("WEBP")))
    assert re.fullmatch(r"sha256-[0-9a-f]{40}", deposit["proof"])
    assert Slip.objects.get().content_type == "image/webp"


def test_an_idempotent_retry_keeps_one_deposit_and_one_file(api, client, player, slip_store):
    data = image_bytes()
    first = created(upload(client, data, idempotencyKey="slip-1", proof=FILE_ID))
    again = created(upload(client, data, idempotencyKey="slip-1", proof=FILE_ID))
    assert again["id"] == first["id"] and Slip.objects.count() == 1
    assert len(list((slip_store / "slips").iterdir())) == 1
    other = created(upload(client, image_bytes(text="another"), idempotencyKey="slip-1"))
    assert other["messages"][0]["code"] == "IDEMPOTENCY_CONFLICT"


@pytest.mark.parametrize("data, message", [
    (b"\xff\xd8\xff" + os.urandom(10 * 1024 * 1024), "The slip is over 10 MB."),
    (b"GIF89a" + b"\0" * 100, "The slip is not a JPEG, PNG or WebP image."),
    (b"%PDF-1.4 not an image", "The slip is not a JPEG, PNG or WebP image."),
    (image_bytes("GIF"), "The slip is not a JPEG, PNG or WebP image."),
    (image_bytes("PNG", size=(8000, 5001), mode="1"), "The slip is over 40 megapixels."),
    (image_bytes("PNG")[:200], "The slip image is damaged."),
], ids=["over-10-MB", "gif-header", "pdf", "gif", "over-40-megapixels", "truncated"])
def test_uploads_refused_as_invalid(api, client, player, slip_store, data, message):
    refused = created(upload(client, data))
    assert refused["messages"] == [{"kind": "VALIDATION", "message": message, "field": "slip", "code": "INVALID"}]
    assert not Deposit.objects.exists() and not slip_store.exists()


def test_the_name_a_client_gives_says_nothing(api, client, player, slip_store):
    body = multipart({"input": SLIP_INPUT}, b"<html>not an image</html>", filename="slip.png",
                     content_type="image/png")
    refused = client.post("/graphql/", body, HTTP_AUTHORIZATION=f"Bearer {API_TOKEN}").json()
    assert refused["data"]["createSlipDeposit"]["messages"][0]["code"] == "INVALID"


def test_anonymous_uploads_are_forbidden(api, client, player, slip_store):
    assert upload(client, image_bytes(), token=None).status_code == 403
    assert upload(client, image_bytes(), token="wrong").status_code == 403
    assert not Deposit.objects.exists()


def test_the_bot_fetches_the_slip_by_a_signed_link_that_expires(api, client, player, slip_store, settings):
    data = image_bytes()
    deposit = created(upload(client, data))
    url = deposit["slipUrl"]
    assert url.startswith("http://testserver/slips/")
    client.logout()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == (slip_store / Slip.objects.get().image.name).read_bytes()
    assert client.get(url[:-2] + ("aa" if not url.endswith("aa") else "bb")).status_code == 404
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=settings.SLIP_URL_MAX_AGE_S + 1)):
        assert client.get(url).status_code == 404


def test_staff_see_the_slip_through_their_session_only(api, client, player, slip_store, django_user_model):
    deposit = created(upload(client, image_bytes()))
    path = f"/admin/slips/{deposit['id']}/"
    assert client.get(path).status_code == 302  # to the login page
    client.force_login(django_user_model.objects.create_user("clerk"))
    assert client.get(path).status_code == 302
    client.force_login(django_user_model.objects.create_user("desk", is_staff=True))
    assert client.get(path).status_code == 200
    assert client.get(f"/admin/slips/{int(deposit['id']) + 1}/").status_code == 404
    staff_read = client.post("/graphql/", {"query": "{ deposit(id: %s) { slipUrl } }" % deposit["id"]},
                             content_type="application/json").json()
    assert staff_read["data"]["deposit"]["slipUrl"] == "http://testserver" + path


def test_a_deposit_without_an_uploaded_slip_has_no_url_or_reading(api, player):
    from tests.test_api import CREATE_DEPOSIT, DEPOSIT_INPUT
    deposit = api(CREATE_DEPOSIT, {"input": DEPOSIT_INPUT})["createDeposit"]
    read = api("{ deposit(id: %s) { slipUrl slipReading { done } } }" % deposit["id"])
    assert read["deposit"] == {"slipUrl": None, "slipReading": None}


# --- S3-compatible storage, against moto's server and the real boto3 client ---------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def moto_s3(settings, monkeypatch):
    pytest.importorskip("moto.server", reason="needs moto[server] (requirements-dev.txt)")
    boto3 = pytest.importorskip("boto3")
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    try:
        deadline = time.monotonic() + 20
        while True:  # until the server answers, not for a fixed time
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "moto's server did not start"
                time.sleep(0.05)
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
        s3.create_bucket(Bucket="club-slips")
        settings.STORAGES = {**settings.STORAGES, "slips": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            "bucket_name": "club-slips", "endpoint_url": endpoint, "region_name": "us-east-1",
            "default_acl": "private", "querystring_auth": True, "file_overwrite": False}}}
        yield s3
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_slips_go_to_s3_when_a_bucket_is_configured(api, client, player, moto_s3):
    deposit = created(upload(client, image_bytes("PNG")))
    slip = Slip.objects.get(deposit_id=deposit["id"])
    keys = [item["Key"] for item in moto_s3.list_objects_v2(Bucket="club-slips")["Contents"]]
    assert keys == [slip.image.name]
    stored = moto_s3.get_object(Bucket="club-slips", Key=slip.image.name)
    assert stored["ContentType"] == "image/png"
    with Image.open(io.BytesIO(stored["Body"].read())) as image:
        assert image.format == "PNG"
    acl = moto_s3.get_object_acl(Bucket="club-slips", Key=slip.image.name)
    assert not [g for g in acl["Grants"] if g["Grantee"].get("URI", "").endswith("AllUsers")]
    response = client.get(deposit["slipUrl"])  # the bot's link reads through the API, not a bucket URL
    assert response.status_code == 200 and b"".join(response.streaming_content) == stored_bytes(moto_s3, slip)
    assert storages["slips"].__class__.__name__ == "S3Storage"


def stored_bytes(s3, slip) -> bytes:
    return s3.get_object(Bucket="club-slips", Key=slip.image.name)["Body"].read()


# --- what it costs in SQL -------------------------------------------------------------------------

# Statements: createSlipDeposit is createDeposit's 11 plus the slip's existence check and its insert,
# in a savepoint; the reading is one locked read, the look-alike scans and its own write and event
# (on PostgreSQL after the advisory lock that records readings in turn).
PINNED = {"createSlipDeposit": {"sqlite": 14, "postgresql": 14}, "slip_reading_record": {"sqlite": 7, "postgresql": 8}}


def test_create_slip_deposit_and_its_reading_cost_pinned_statements(api, client, player, slip_store):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ledger import services
    from ledger.slipreading import Parsed

    with CaptureQueriesContext(connection) as captured:
        deposit = created(upload(client, image_bytes()))
    assert deposit["status"] == "PENDING"
    slip = Slip.objects.get()
    with CaptureQueriesContext(connection) as reading:
        services.slip_reading_record(slip_id=slip.pk, parsed=Parsed(reference="BLAZ133378629134"), text="words")
    assert (len(captured), len(reading)) == (PINNED["createSlipDeposit"][connection.vendor],
                                             PINNED["slip_reading_record"][connection.vendor])


def test_a_list_of_deposits_with_their_slips_costs_no_more_queries_per_deposit(api, client, player, slip_store,
                                                                               methods):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ledger import services
    from ledger.actors import Actor

    def listed() -> int:
        with CaptureQueriesContext(connection) as captured:
            rows = api("{ deposits(first: 50) { id slipUrl slipReading { done warnings { code } } } }")["deposits"]
        assert all(row["slipUrl"] for row in rows)
        return len(captured)

    created(upload(client, image_bytes(text="one")))
    one = listed()
    services.deposit_reject(deposit_id=Deposit.objects.get().pk, actor=Actor(label="desk"), reason="again")
    created(upload(client, image_bytes(text="two")))
    assert listed() == one


def test_a_slip_written_into_the_document_instead_of_uploaded_is_invalid(api, player, slip_store):
    from tests.slipfiles import CREATE_SLIP_DEPOSIT
    refused = api(CREATE_SLIP_DEPOSIT, {"input": {**SLIP_INPUT, "slip": "slip.png"}})["createSlipDeposit"]
    assert refused["messages"][0]["code"] == "INVALID" and refused["messages"][0]["field"] == "slip"
