"""The counter's state, and the one rule that a closed counter refuses players' requests."""
from ledger.errors import CounterClosed
from ledger.models import COUNTER_ID, Counter, CounterState

CLOSED = "The counter is closed right now; requests open again when an admin opens it."


def counter_get() -> Counter:
    """The counter as it stands; OPEN, changed by nobody, on a fresh install."""
    return Counter.objects.select_related("announcement").filter(pk=COUNTER_ID).first() or Counter()


def counter_closed_refusal() -> CounterClosed | None:
    """Why no player request is taken now (the counter is closed), or None while it is open."""
    state = Counter.objects.filter(pk=COUNTER_ID).values_list("state", flat=True).first()
    return CounterClosed(CLOSED) if state == CounterState.CLOSED else None
