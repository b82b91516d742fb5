"""Behaviour events: what shoppers do, stored durably and validated before anything is written.

A batch is all-or-nothing: every event is checked (known shopper, known product, known event
type, sane timestamp and query) before the transaction starts, so one bad event stores
nothing and names itself in the error. Events are idempotent by ``event_id``: replaying a
file or a retried HTTP post never double counts. Events from ``events.csv`` get a
deterministic id from their content and position.
"""

from __future__ import annotations

import hashlib
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Column, Connection, Float, Index, MetaData, String, Table, Text, select

from retrieval import EVENT_TYPES, ITEM_EVENTS, MAX_USER_ID, InputError, Shop

from ._db import Database

MAX_QUERY_CHARS = 500
MAX_BATCH = 10_000


@dataclass(frozen=True)
class Event:
    user_id: str
    event: str
    timestamp: float
    item_id: str | None = None
    query: str | None = None  # search and chat events carry text instead of a product
    event_id: str = ""

    def with_id(self) -> Event:
        if self.event_id:
            return self
        digest = hashlib.sha1(
            f"{self.user_id}|{self.event}|{self.item_id}|{self.query}|{self.timestamp}".encode()
        ).hexdigest()[:24]
        return Event(self.user_id, self.event, self.timestamp, self.item_id, self.query, f"e-{digest}")


@dataclass
class Validator:
    """Checks events against the shop's known shoppers and products."""

    products: Callable[[str], bool]
    users: Callable[[str], bool]
    max_future_s: float = 300.0  # clocks drift; a day-ahead event is a bug

    def check(self, ev: Event) -> None:
        if ev.event not in EVENT_TYPES:
            raise InputError(f"Unknown event type {ev.event!r}; use one of: {', '.join(EVENT_TYPES)}")
        if not ev.user_id or not self.users(ev.user_id):
            raise InputError(f"Unknown shopper {ev.user_id!r}; start a session or use a customer id")
        if ev.event in ITEM_EVENTS:
            if not ev.item_id or not self.products(ev.item_id):
                raise InputError(f"Unknown product {ev.item_id!r} in {ev.event} event")
        else:
            if not ev.query or not ev.query.strip():
                raise InputError(f"A {ev.event} event needs its query text")
            if len(ev.query) > MAX_QUERY_CHARS:
                raise InputError(
                    f"{ev.event} text is {len(ev.query)} characters; the limit is {MAX_QUERY_CHARS}"
                )
        if not (0 <= ev.timestamp <= time.time() + self.max_future_s):
            raise InputError(f"Event timestamp {ev.timestamp!r} is not a plausible unix time in seconds")


class EventStore(ABC):
    """Append-only, idempotent event log."""

    @abstractmethod
    def _insert(self, events: Sequence[Event]) -> int:
        """Store already-validated events; return how many were new."""

    @abstractmethod
    def events(self, user_id: str | None = None, *, since: float | None = None) -> Iterator[Event]:
        """Events in timestamp order, for one shopper or everybody."""

    @abstractmethod
    def users(self) -> set[str]:
        """Every registered shopper id."""

    @abstractmethod
    def register_users(self, user_ids: Iterable[str], kind: str = "anonymous") -> None: ...

    validator: Validator | None = None

    def append(self, events: Sequence[Event]) -> int:
        if len(events) > MAX_BATCH:
            raise InputError(f"{len(events)} events in one batch; send at most {MAX_BATCH}")
        events = [e.with_id() for e in events]
        if self.validator is not None:
            for i, ev in enumerate(events):
                try:
                    self.validator.check(ev)
                except InputError as exc:
                    raise InputError(f"event {i} ({ev.event_id}): {exc}; nothing was stored") from None
        return self._insert(events)

    def has_user(self, user_id: str) -> bool:
        return user_id in self.users()


def shop_events(shop: Shop) -> list[Event]:
    """The shop's ``events.csv`` as events with content-derived ids (stable across reloads)."""
    seen: dict[tuple, int] = {}
    out = []
    for row in shop.events:
        key = (row.user_id, row.item_id, row.event, row.timestamp)
        n = seen[key] = seen.get(key, 0) + 1  # identical rows are distinct events, by occurrence
        digest = hashlib.sha1(f"{key}|{n}".encode()).hexdigest()[:24]
        out.append(Event(row.user_id, row.event, float(row.timestamp), row.item_id, None, f"csv-{digest}"))
    return out


# ----------------------------------------------------------------------------- memory


@dataclass
class MemoryEventStore(EventStore):
    validator: Validator | None = None
    _events: dict[str, Event] = field(default_factory=dict)
    _users: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _insert(self, events):
        with self._lock:
            new = [e for e in events if e.event_id not in self._events]
            for e in new:
                self._events[e.event_id] = e
        return len(new)

    def events(self, user_id=None, *, since=None):
        rows = [
            e
            for e in self._events.values()
            if (user_id is None or e.user_id == user_id) and (since is None or e.timestamp >= since)
        ]
        return iter(sorted(rows, key=lambda e: e.timestamp))

    def users(self):
        return set(self._users)

    def register_users(self, user_ids, kind="anonymous"):
        self._users.update(user_ids)

    def has_user(self, user_id):
        return user_id in self._users


# ----------------------------------------------------------------------------- SQL

metadata = MetaData()
users_table = Table(
    "shoppers",
    metadata,
    Column("user_id", String(MAX_USER_ID), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("created_at", Float, nullable=False),
)
events_table = Table(
    "events",
    metadata,
    Column("event_id", String(64), primary_key=True),
    Column("user_id", String(MAX_USER_ID), nullable=False),
    Column("event", String(20), nullable=False),
    Column("item_id", String(200)),
    Column("query", Text),
    Column("timestamp", Float, nullable=False),
    Index("ix_events_user_time", "user_id", "timestamp"),
    Index("ix_events_time", "timestamp"),
)


def _m001_events(conn: Connection) -> None:
    metadata.create_all(conn, tables=[users_table, events_table])


MIGRATIONS = [_m001_events]


class SqlEventStore(EventStore):
    def __init__(self, db: Database, validator: Validator | None = None):
        self.db = db
        self.validator = validator
        db.migrate("recsys_events", MIGRATIONS)
        self._user_cache: set[str] | None = None
        self._known: set[str] = set()

    def _insert(self, events):
        rows = {
            e.event_id: dict(
                event_id=e.event_id,
                user_id=e.user_id,
                event=e.event,
                item_id=e.item_id,
                query=e.query,
                timestamp=e.timestamp,
            )
            for e in events
        }
        if not rows:
            return 0
        ids = list(rows)
        stmt = self.db.insert(events_table).on_conflict_do_nothing(index_elements=["event_id"])
        with self.db.engine.begin() as conn:
            for start in range(0, len(ids), 500):  # stay under every backend's bound-parameter limit
                part = ids[start : start + 500]
                for (eid,) in conn.execute(
                    select(events_table.c.event_id).where(events_table.c.event_id.in_(part))
                ):
                    rows.pop(eid, None)
            if rows:
                conn.execute(stmt, list(rows.values()))
        return len(rows)

    def events(self, user_id=None, *, since=None):
        q = select(events_table).order_by(events_table.c.timestamp, events_table.c.event_id)
        if user_id is not None:
            q = q.where(events_table.c.user_id == user_id)
        if since is not None:
            q = q.where(events_table.c.timestamp >= since)
        with self.db.engine.connect() as conn:
            for r in conn.execute(q):
                yield Event(r.user_id, r.event, r.timestamp, r.item_id, r.query, r.event_id)

    def users(self):
        if self._user_cache is None:
            with self.db.engine.connect() as conn:
                self._user_cache = {r[0] for r in conn.execute(select(users_table.c.user_id))}
        return set(self._user_cache)

    def has_user(self, user_id):
        # Shoppers are never deleted, so a positive answer can be remembered; misses ask again
        # (another process may register them meanwhile).
        if user_id in self._known:
            return True
        with self.db.engine.connect() as conn:
            found = conn.execute(
                select(users_table.c.user_id).where(users_table.c.user_id == user_id)
            ).first()
        if found is not None:
            self._known.add(user_id)
        return found is not None

    def register_users(self, user_ids, kind="anonymous"):
        rows = [dict(user_id=u, kind=kind, created_at=time.time()) for u in dict.fromkeys(user_ids)]
        if not rows:
            return
        stmt = self.db.insert(users_table).on_conflict_do_nothing(index_elements=["user_id"])
        with self.db.engine.begin() as conn:
            conn.execute(stmt, rows)
        if self._user_cache is not None:
            self._user_cache.update(r["user_id"] for r in rows)
        self._known.update(r["user_id"] for r in rows)
