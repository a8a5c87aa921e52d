"""The bot's delivery bookkeeping: the feed cursor cannot be silenced, message references are real."""
import pytest

from delivery import selectors, services
from ledger import services as ledger_services
from delivery.models import AdminMessage, EventCursor
from ledger.errors import Invalid, NotFound
from ledger.models import Event
from tests.conftest import ADMIN_ID, PLAYER_ID, deposit_for


def test_event_feed_resumes_after_the_acknowledged_position(player):
    deposit_for(PLAYER_ID)
    ids = list(Event.objects.values_list("id", flat=True))
    assert [e.id for e in selectors.events_after()] == ids
    assert services.events_ack(up_to=ids[0]) == 1
    assert [e.id for e in selectors.events_after()] == ids[1:]
    assert services.events_ack(up_to=ids[0]) == 0  # a late ack never moves the cursor back
    assert [e.id for e in selectors.events_after(after=0)] == ids


@pytest.mark.parametrize("up_to", ["9223372036854775807", "999999"])
def test_an_ack_past_the_newest_event_is_refused_and_later_events_stay_visible(player, up_to):
    deposit_for(PLAYER_ID)
    newest = Event.objects.order_by("-id").first().id
    with pytest.raises(Invalid) as refused:
        services.events_ack(up_to=up_to)
    assert refused.value.field == "upTo"
    assert not EventCursor.objects.exists() or EventCursor.objects.get().position == 0
    assert selectors.events_after().last().id == newest


@pytest.mark.parametrize("up_to", ["abc", "", "1.5", "-1", "99999999999999999999999", "١٢"])
def test_an_ack_that_is_no_event_id_is_invalid(player, up_to):
    with pytest.raises(Invalid):
        services.events_ack(up_to=up_to)


@pytest.mark.parametrize("after", ["abc", "", "1.5", "-3", "1" * 30, "١"])
def test_events_after_something_that_is_no_position_is_invalid(after):
    with pytest.raises(Invalid) as refused:
        selectors.events_after(after=after)
    assert refused.value.field == "after"


def test_admin_messages_for_a_missing_request_are_not_found_and_write_nothing(db):
    with pytest.raises(NotFound):
        services.admin_messages_record(request_kind="deposit", request_id=424242, messages=[(ADMIN_ID, 7)])
    assert not AdminMessage.objects.exists()


def test_admin_messages_are_bounded_per_call(player):
    deposit = deposit_for(PLAYER_ID)
    too_many = [(ADMIN_ID + i, i + 1) for i in range(services.MAX_MESSAGES_PER_CALL + 1)]
    with pytest.raises(Invalid) as refused:
        services.admin_messages_record(request_kind="deposit", request_id=deposit.pk, messages=too_many)
    assert refused.value.field == "messages"
    assert not AdminMessage.objects.exists()


def test_a_repeated_admin_message_replaces_the_old_one(player):
    deposit = deposit_for(PLAYER_ID)
    services.admin_messages_record(request_kind="deposit", request_id=deposit.pk, messages=[(ADMIN_ID, 7)])
    services.admin_messages_record(request_kind="deposit", request_id=deposit.pk, messages=[(ADMIN_ID, 9)])
    assert list(selectors.admin_messages(request_kind="deposit", request_id=deposit.pk)
                .values_list("chat_id", "message_id")) == [(ADMIN_ID, 9)]


def test_whom_the_daily_report_reached_is_recorded_under_its_row(player):
    report = ledger_services.daily_report_make()
    services.admin_messages_record(request_kind="report", request_id=report.pk, messages=[(ADMIN_ID, 11)])
    assert list(selectors.admin_messages(request_kind="report", request_id=report.pk)
                .values_list("chat_id", "message_id")) == [(ADMIN_ID, 11)]
    with pytest.raises(NotFound):
        services.admin_messages_record(request_kind="report", request_id=report.pk + 1, messages=[(ADMIN_ID, 12)])
