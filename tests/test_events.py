"""Event store contract, run against the SQL store (SQLite) and the in-memory fake."""

import time

import pytest

from recsys._db import Database
from recsys._events import Event, MemoryEventStore, SqlEventStore, Validator, shop_events
from retrieval import InputError


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def store(request, database_url, mini_shop):
    if request.param == "memory":
        s = MemoryEventStore()
    else:
        s = SqlEventStore(Database(database_url(request.param)))
    s.validator = Validator(products=lambda pid: pid in mini_shop.products, users=s.has_user)
    s.register_users(["C1", "C2"], kind="customer")
    return s


def test_append_is_idempotent(store):
    now = time.time()
    evs = [Event("C1", "view", now, "S1"), Event("C1", "search", now + 1, query="trail shoes")]
    assert store.append(evs) == 2
    assert store.append(evs) == 0
    assert [e.event for e in store.events("C1")] == ["view", "search"]
    assert list(store.events("C2")) == []


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (Event("C1", "teleport", 1.0, "S1"), "Unknown event type"),
        (Event("NOBODY", "view", 1.0, "S1"), "Unknown shopper"),
        (Event("C1", "view", 1.0, "NOPE"), "Unknown product"),
        (Event("C1", "search", 1.0, query="  "), "needs its query"),
        (Event("C1", "chat", 1.0, query="x" * 5000), "limit"),
        (Event("C1", "view", time.time() + 86400 * 3, "S1"), "plausible"),
    ],
)
def test_a_bad_event_stores_nothing(store, bad, message):
    good = Event("C1", "view", 10.0, "S1")
    with pytest.raises(InputError, match=message) as info:
        store.append([good, bad])
    assert "nothing was stored" in str(info.value)
    assert list(store.events()) == []


def test_csv_events_get_stable_ids(mini_shop):
    a, b = shop_events(mini_shop), shop_events(mini_shop)
    assert [e.event_id for e in a] == [e.event_id for e in b]
    assert len({e.event_id for e in a}) == len(a)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_sql_store_survives_reopen(kind, database_url):
    url = database_url(kind)
    s = SqlEventStore(Database(url))
    s.register_users(["U1"])
    s.append([Event("U1", "view", 5.0, "X")])
    again = SqlEventStore(Database(url))
    assert again.has_user("U1") and [e.item_id for e in again.events()] == ["X"]
