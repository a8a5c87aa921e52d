"""Status words as the sheets spell them: one table the mirror writes from and the import reads."""
import pytest

from ledger.models import RequestStatus, RewardStatus
from sync.layout import REQUEST_WORDS, SPIN_WORDS, status_from_word, status_word, words_listed


@pytest.mark.parametrize("status, word", [
    (RequestStatus.PENDING, "Pending"), (RequestStatus.APPROVED, "Approved"), (RequestStatus.REJECTED, "Rejected"),
    (RewardStatus.AUTO, "Auto"),
])
def test_the_mirror_writes_each_status_in_its_legacy_word(status, word):
    assert status_word(status) == word


def test_every_status_has_a_word():
    assert {status_word(status) for status in RewardStatus.values} == {"Auto", "Pending", "Approved", "Rejected"}


@pytest.mark.parametrize("word, status", [
    ("Approved", RequestStatus.APPROVED), (" completed ", RequestStatus.APPROVED), ("REJECTED", RequestStatus.REJECTED),
    ("Auto", None), ("Cancelled", None), ("", None),
])
def test_the_import_reads_request_words_in_any_case_with_completed_as_approved(word, status):
    assert status_from_word(word, REQUEST_WORDS) == status


def test_spins_also_read_auto():
    assert status_from_word("auto", SPIN_WORDS) == RewardStatus.AUTO
    assert words_listed(REQUEST_WORDS) == "Pending, Approved, Completed or Rejected"
