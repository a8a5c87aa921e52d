"""Slips under races on a real PostgreSQL server with real threads, each on its own connection."""
from collections import Counter

import pytest

from ledger import services
from ledger.models import Deposit, Slip
from ledger.slipreading import Parsed
from tests.conftest import PLAYER_ID
from tests.slipfiles import image_bytes
from tests.test_concurrency import race, setup_player  # noqa: F401  (fixture)

pytestmark = pytest.mark.postgres


@pytest.fixture
def slip_store(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "slips": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "media"), "base_url": None}}}


def slip_deposit(telegram_id: int, data: bytes):
    return services.slip_deposit_create(telegram_id=telegram_id, amount="500", method="BML", account_name="Ali Ahmed",
                                        pppoker_id="12345", slip=data)


def test_concurrent_slip_deposits_of_one_player_create_one_with_one_slip(setup_player, slip_store):
    data = image_bytes()
    outcomes = race(8, lambda _: slip_deposit(PLAYER_ID, data), workers=8)
    assert outcomes == Counter({"ok": 1, "DUPLICATE_PENDING": 7})
    assert Deposit.objects.count() == 1 and Slip.objects.count() == 1


def test_the_same_slip_read_at_once_for_two_deposits_sees_its_reference_on_the_other(setup_player, slip_store):
    data = image_bytes(text="the very same slip")
    players = [PLAYER_ID, PLAYER_ID + 1]
    services.user_upsert(telegram_id=players[1], username="sara", pppoker_id="12345")
    slips = [Slip.objects.get(deposit=slip_deposit(telegram_id, data)) for telegram_id in players]
    reading = Parsed(bank="BML", reference="BLAZ133378629134", amount=None)
    outcomes = race(2, lambda index: services.slip_reading_record(slip_id=slips[index].pk, parsed=reading,
                                                                  text="Reference BLAZ133378629134"), workers=2)
    assert outcomes == Counter({"ok": 2})
    # The images were both stored before either reading: both see the other. The reference is known
    # only once read: the reading recorded second sees the first's.
    warned = sorted([w["code"] for w in slip.warnings] for slip in Slip.objects.all())
    assert warned == [["DUPLICATE_IMAGE"], ["DUPLICATE_REFERENCE", "DUPLICATE_IMAGE"]]
