"""Moving the bot's delivery state to its own app loses no position and no message reference."""
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("ledger", "0004_money_request_base")]


@pytest.mark.django_db(transaction=True)
def test_the_cursor_and_admin_messages_survive_the_move():
    executor = MigrationExecutor(connection)
    executor.migrate([("delivery", None), *BEFORE])
    executor.loader.build_graph()
    old = executor.loader.project_state(BEFORE).apps
    old.get_model("ledger", "EventCursor").objects.update_or_create(consumer="bot", defaults={"position": 41})
    old.get_model("ledger", "AdminMessage").objects.create(request_kind="deposit", request_id=7, chat_id=70,
                                                           message_id=700)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from delivery.models import AdminMessage, EventCursor
    assert list(EventCursor.objects.values_list("consumer", "position")) == [("bot", 41)]
    assert list(AdminMessage.objects.values_list("request_kind", "request_id", "chat_id", "message_id")) == [
        ("deposit", 7, 70, 700)]
    assert "ledger_eventcursor" not in connection.introspection.table_names()
