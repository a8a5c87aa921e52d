"""Slips read by the worker after the upload commits: the parser on both banks' layouts, the
warnings (never a refusal), and a seeded set of synthetic slips for the parser's accuracy."""
import itertools
from decimal import Decimal

import pytest

from ledger import services
from ledger.models import PaymentMethod, Slip
from ledger.slipreading import parse_slip, tesseract_available
from tests.fakes.slips import encoded, fonts_available, random_truth, render
from tests.slipfiles import SLIP_FIELDS
from tests.test_slips_upload import SLIP_INPUT, created, slip_store, upload  # noqa: F401  (fixture)

needs_ocr = pytest.mark.skipif(not (tesseract_available() and fonts_available()),
                               reason="needs Debian's tesseract-ocr and fonts-dejavu-core (.ci/run installs them)")

BML_TEXT = """Bank of Maldives
Status SUCCESS
Message Transfer successful
Reference BLAZ133378629134
Transaction date 14/03/2025 09:41
From AHMD.FIXAL
To KUDA VELI 90103101325241000
Amount MVR 1,500.00
Remarks poker
"""
MIB_TEXT = """Maldives Islamic Bank
Transfer Successful
Reference #
759383063
Transaction Date
02 Apr 2025 18:05
From
NAZU REFI
To
KALO MINU
90103101325241000
Amount
MVR 2,250.50
Purpose
Transfer
"""


def test_the_bml_layout_keeps_values_on_their_labels_lines():
    parsed = parse_slip(BML_TEXT)
    assert (parsed.bank, parsed.reference, parsed.sender, parsed.receiver_name, parsed.receiver_account) == (
        "BML", "BLAZ133378629134", "AHMD.FIXAL", "KUDA VELI", "90103101325241000")
    assert (parsed.amount, parsed.currency, parsed.status) == (Decimal("1500.00"), "MVR", "SUCCESS")
    assert parsed.date.isoformat() == "2025-03-14T09:41:00"


def test_the_mib_layout_puts_values_below_their_labels():
    parsed = parse_slip(MIB_TEXT)
    assert (parsed.bank, parsed.reference, parsed.sender, parsed.receiver_name, parsed.receiver_account) == (
        "MIB", "759383063", "NAZU REFI", "KALO MINU", "90103101325241000")
    assert parsed.amount == Decimal("2250.50") and parsed.date.isoformat() == "2025-04-02T18:05:00"


def test_labels_and_boilerplate_are_not_names_and_look_alikes_are_mended():
    parsed = parse_slip(MIB_TEXT.replace("NAZU REFI\n", "").replace("759383063", "7S9383O63"))
    assert parsed.sender == "" and parsed.reference == "759383063"
    bml = parse_slip(BML_TEXT.replace("From AHMD.FIXAL", "From Purpose").replace("BLAZ133378629134",
                                                                                    "8LAZ1333786Z9l34"))
    assert bml.sender == "" and bml.reference == "BLAZ133378629134"
    assert parse_slip("nothing to see here") == parse_slip("")


# --- the worker's reading and its warnings ------------------------------------------------------


@pytest.fixture
def club_accounts(methods):
    PaymentMethod.objects.filter(code="BML").update(account_number="7730000123456", account_holder="Club Ltd")


@pytest.fixture
def oncommit(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def read_after_commit(api, client, data, oncommit, **input_extra) -> dict:
    """Uploaded, then read back once the commit ran the worker's job (Huey is immediate in tests)."""
    with oncommit(execute=True):
        deposit_id = created(upload(client, data, **input_extra))["id"]
    return api("{ deposit(id: %s) { %s } }" % (deposit_id, SLIP_FIELDS))["deposit"]


def slip_image(bank="BML", *, seed=7, **truth):
    import random

    rng = random.Random(seed)
    made = random_truth(rng, bank, **truth)
    return made, encoded(render(made, rng))


@needs_ocr
def test_the_reading_arrives_after_the_commit_with_its_warnings(api, client, player, admin, slip_store,
                                                                club_accounts, oncommit):
    truth, data = slip_image(receiver_name="CLUB LTD", receiver_account="7730000123456")
    with oncommit(execute=False) as pending:
        unread = created(upload(client, data, amount=str(truth.amount)))
    assert unread["slipReading"]["done"] is False and pending  # nothing read inside the request
    for callback in pending:
        callback()
    first = api("{ deposit(id: %s) { %s } }" % (unread["id"], SLIP_FIELDS))["deposit"]
    reading = first["slipReading"]
    assert reading["done"] is True and reading["warnings"] == []
    assert (reading["reference"], Decimal(reading["amount"]), reading["bank"]) == (truth.reference, truth.amount, "BML")
    assert (reading["receiverName"], reading["receiverAccount"]) == ("CLUB LTD", "7730000123456")

    services.deposit_reject(deposit_id=first["id"], actor=admin, reason="sent twice")
    again = read_after_commit(api, client, data, oncommit, amount="1")  # the same slip, another claimed amount
    codes = [warning["code"] for warning in again["slipReading"]["warnings"]]
    assert codes == ["AMOUNT_MISMATCH", "DUPLICATE_REFERENCE", "DUPLICATE_IMAGE"]
    assert f"#{first['id']}" in again["slipReading"]["warnings"][1]["message"]
    assert again["status"] == "PENDING"  # warnings, never a refusal


@needs_ocr
def test_a_slip_paid_to_someone_else_warns_receiver_mismatch(api, client, player, slip_store, club_accounts,
                                                             oncommit):
    truth, data = slip_image(receiver_name="MOVO DAKE", receiver_account="7730999888777")
    deposit = read_after_commit(api, client, data, oncommit, amount=str(truth.amount))
    assert [w["code"] for w in deposit["slipReading"]["warnings"]] == ["RECEIVER_MISMATCH"]
    assert deposit["status"] == "PENDING"  # a warning, never a refusal


def test_an_unreadable_slip_carries_no_hints(api, client, player, slip_store, club_accounts, oncommit):
    from tests.slipfiles import image_bytes
    deposit = read_after_commit(api, client, image_bytes(text=""), oncommit)
    assert deposit["slipReading"]["done"] is True and deposit["slipReading"]["warnings"] == []
    assert deposit["slipReading"]["amount"] is None and deposit["slipReading"]["reference"] is None
    assert Slip.objects.get().read_at is not None


@needs_ocr
def test_the_desk_sees_the_slip_inline_with_its_reading_and_warnings(api, client, player, admin, slip_store,
                                                                    club_accounts, oncommit, django_user_model):
    truth, data = slip_image(receiver_name="MOVO DAKE", receiver_account="7730999888777")
    deposit = read_after_commit(api, client, data, oncommit, amount="1")
    client.force_login(django_user_model.objects.create_user("desk", is_staff=True, is_superuser=True))
    page = client.get(f"/admin/ledger/deposit/{deposit['id']}/change/").content.decode()
    assert f'class="slip-image" src="/admin/slips/{deposit["id"]}/"' in page
    assert truth.reference in page and "AMOUNT_MISMATCH" in page and "RECEIVER_MISMATCH" in page
    assert client.get(f"/admin/slips/{deposit['id']}/").status_code == 200


# --- a small seeded set of synthetic slips (bench/slips.py measures hundreds) ---------------------


@needs_ocr
def test_a_seeded_set_of_synthetic_slips_is_read_exactly_and_never_called_a_duplicate():
    from ledger.slipimage import perceptual_hash, same_image
    from ledger.slipreading import read_slip
    from tests.fakes.slips import slip_set

    misses, seen = {}, []
    for bank in ("BML", "MIB"):
        for degraded in (False, True):
            for index, (truth, image) in enumerate(slip_set(2026, 4, bank, degraded=degraded)):
                text, parsed = read_slip(image)
                for field in ("amount", "reference"):
                    if getattr(parsed, field) != getattr(truth, field):
                        misses.setdefault((bank, degraded), []).append((field, getattr(truth, field),
                                                                        getattr(parsed, field)))
                seen.append(((bank, index), parsed.reference, (perceptual_hash(image), text)))
    # The goals of issue 18: >= 95 % exact on clean slips (all 8 here), >= 85 % on degraded ones (7 of 8 slips'
    # two fields, so at most 2 misses of 16).
    assert not misses.get(("BML", False)) and not misses.get(("MIB", False)), misses
    assert len(misses.get(("BML", True), [])) + len(misses.get(("MIB", True), [])) <= 2, misses
    for (slip, reference, looks), (other, other_reference, other_looks) in itertools.combinations(seen, 2):
        if slip != other:  # a slip's clean and degraded copies are the same slip
            assert not (reference and reference == other_reference), (slip, other)
            assert not same_image(looks, other_looks), (slip, other)
