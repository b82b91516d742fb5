"""Behaviour vectors: each shopper as one point in the product-embedding space.

The vector is a weighted, exponentially time-decayed sum of the embeddings of what the shopper
touched (products) or said (search and chat text, embedded with the same embedder):

    total(T) = sum_i  w(event_i) * 2 ** (-(T - t_i) / half_life) * embedding_i

Design decisions:

* Decay is a common factor, so the stored sum can be brought to a new time ``T'`` by one
  scalar multiply: an event costs O(dimension) (``fold``), however long the history. An event
  older than the stored time (late delivery) is decayed to the stored time instead; both
  orders give the same sum, which is why an incremental update equals a rebuild.
* Decaying to "now" scales the whole sum, so the direction (the unit vector used for ranking)
  never changes while a shopper is idle; only ``weight`` (the decayed evidence) shrinks, and
  the ranker uses it to lean on popularity for shoppers it knows little about.
* State is one row per shopper (``behaviour_vectors``, float32 bytes), tagged with the
  embedding space; a row from another embedder is treated as missing and rebuilt from events.
* Read-modify-write runs in one transaction under a process lock (``SELECT ... FOR UPDATE`` on
  PostgreSQL), so concurrent requests in one worker or several never lose an update.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import Column, Connection, Float, Integer, LargeBinary, MetaData, String, Table, select

from retrieval import MAX_USER_ID, TEXT_EVENTS, ConfigError, Embedder

from ._db import Database
from ._events import Event
from ._vectors import ProductVectors

# Ordered by intent: looking < clicking < keeping < intending to buy < buying. Text says what
# the shopper wants in their own words, worth about a click; chat is noisier than search.
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "view": 1.0,
    "click": 2.0,
    "favorite": 3.0,
    "add_to_cart": 4.0,
    "purchase": 5.0,
    "search": 2.0,
    "chat": 1.5,
}
DAY = 86_400.0


@dataclass(frozen=True)
class BehaviourConfig:
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    half_life_days: float = 14.0

    def __post_init__(self) -> None:
        if not self.half_life_days > 0:
            raise ConfigError(f"half_life_days must be positive, got {self.half_life_days!r}")
        bad = {k: v for k, v in self.weights.items() if not v > 0}
        if bad:
            raise ConfigError(f"event weights must be positive, got {bad}")

    @property
    def half_life_s(self) -> float:
        return self.half_life_days * DAY

    def weight(self, event: str) -> float:
        return float(self.weights.get(event, 0.0))


@dataclass(frozen=True)
class BehaviourState:
    total: np.ndarray  # decayed weighted sum of embeddings as of ``as_of`` (not unit)
    as_of: float
    weight: float  # decayed sum of event weights as of ``as_of``
    events: int

    def unit(self) -> np.ndarray | None:
        norm = float(np.linalg.norm(self.total))
        return None if norm < 1e-9 else (self.total / norm).astype(np.float32)

    def weight_at(self, t: float, half_life_s: float) -> float:
        return self.weight * 0.5 ** (max(0.0, t - self.as_of) / half_life_s)


def fold(
    state: BehaviourState | None, vec: np.ndarray, w: float, t: float, half_life_s: float
) -> BehaviourState:
    """Add one event to a state: the O(dimension) update."""
    vec = np.asarray(vec, dtype=np.float64)
    if state is None:
        return BehaviourState(w * vec, t, w, 1)
    total = state.total.astype(np.float64)
    if t >= state.as_of:
        k = 0.5 ** ((t - state.as_of) / half_life_s)
        return BehaviourState(total * k + w * vec, t, state.weight * k + w, state.events + 1)
    k = 0.5 ** ((state.as_of - t) / half_life_s)  # a late event: decay it to the stored time
    return BehaviourState(total + (w * k) * vec, state.as_of, state.weight + w * k, state.events + 1)


class BehaviourModel:
    """Turns events into embeddings and folds them; pure, no storage."""

    def __init__(self, vectors: ProductVectors, embedder: Embedder, config: BehaviourConfig | None = None):
        if embedder.dim != vectors.dim:
            raise ConfigError(
                f"embedder dimension {embedder.dim} differs from product vectors {vectors.dim}; "
                "rebuild the product vectors with this embedder"
            )
        self.vectors = vectors
        self.embedder = embedder
        self.config = config or BehaviourConfig()

    @property
    def space(self) -> str:
        return f"{self.embedder.name}/{self.embedder.dim}"

    def terms(self, events: Iterable[Event]) -> list[tuple[Event, np.ndarray]]:
        """Each usable event with its embedding; texts are embedded in one batch."""
        events = [e for e in events if self.config.weight(e.event) > 0]
        texts = list(dict.fromkeys(e.query for e in events if e.event in TEXT_EVENTS and e.query))
        text_vecs = dict(zip(texts, self.embedder.embed_batch(texts), strict=True)) if texts else {}
        out = []
        for e in events:
            vec = (
                text_vecs.get(e.query or "")
                if e.event in TEXT_EVENTS
                else self.vectors.vector(e.item_id or "")
            )
            if vec is not None:  # a product deleted from the catalogue no longer says anything
                out.append((e, vec))
        return out

    def fold_all(self, state: BehaviourState | None, events: Iterable[Event]) -> BehaviourState | None:
        h = self.config.half_life_s
        for e, vec in self.terms(events):
            state = fold(state, vec, self.config.weight(e.event), e.timestamp, h)
        return state

    def compute(self, events: Iterable[Event]) -> dict[str, BehaviourState]:
        """States from scratch, per shopper (events in any order; folded by time)."""
        by_user: dict[str, list[Event]] = {}
        for e in sorted(events, key=lambda e: e.timestamp):
            by_user.setdefault(e.user_id, []).append(e)
        out = {}
        for user, evs in by_user.items():
            state = self.fold_all(None, evs)
            if state is not None:
                out[user] = state
        return out


# ----------------------------------------------------------------------------- storage

metadata = MetaData()
vectors_table = Table(
    "behaviour_vectors",
    metadata,
    Column("user_id", String(MAX_USER_ID), primary_key=True),
    Column("space", String(200), nullable=False),  # embedder name/dim the vector lives in
    Column("vector", LargeBinary, nullable=False),  # float32 bytes
    Column("as_of", Float, nullable=False),
    Column("weight", Float, nullable=False),
    Column("events", Integer, nullable=False),
    Column("updated_at", Float, nullable=False),
)


def _m001_vectors(conn: Connection) -> None:
    metadata.create_all(conn, tables=[vectors_table])


MIGRATIONS = [_m001_vectors]


class BehaviourStore:
    """Persisted behaviour states in one embedding space."""

    def __init__(self, db: Database, space: str):
        self.db = db
        self.space = space
        self._lock = threading.Lock()
        db.migrate("recsys_vectors", MIGRATIONS)

    def _read(self, conn: Connection, user_ids: list[str], lock: bool = False) -> dict[str, BehaviourState]:
        out: dict[str, BehaviourState] = {}
        for start in range(0, len(user_ids), 500):
            q = select(vectors_table).where(vectors_table.c.user_id.in_(user_ids[start : start + 500]))
            if lock and self.db.dialect == "postgresql":
                q = q.with_for_update()
            for r in conn.execute(q):
                if r.space == self.space:  # another embedder's vector is meaningless here
                    out[r.user_id] = BehaviourState(
                        np.frombuffer(r.vector, dtype=np.float32).copy(), r.as_of, r.weight, r.events
                    )
        return out

    def get(self, user_id: str) -> BehaviourState | None:
        with self.db.engine.connect() as conn:
            return self._read(conn, [user_id]).get(user_id)

    def _write(self, conn: Connection, states: Mapping[str, BehaviourState]) -> None:
        now = time.time()
        rows = [
            dict(
                user_id=u,
                space=self.space,
                vector=np.asarray(s.total, np.float32).tobytes(),
                as_of=s.as_of,
                weight=s.weight,
                events=s.events,
                updated_at=now,
            )
            for u, s in states.items()
        ]
        if not rows:
            return
        stmt = self.db.insert(vectors_table)
        stmt = stmt.on_conflict_do_update(
            index_elements=["user_id"],
            set_={
                c: stmt.excluded[c] for c in ("space", "vector", "as_of", "weight", "events", "updated_at")
            },
        )
        conn.execute(stmt, rows)

    def put(self, states: Mapping[str, BehaviourState]) -> None:
        with self._lock, self.db.engine.begin() as conn:
            self._write(conn, states)

    def apply(
        self,
        model: BehaviourModel,
        events: Iterable[Event],
        history: Callable[[str], Iterable[Event]] | None = None,
    ) -> dict[str, BehaviourState]:
        """Fold new events into the stored states (one transaction); returns the new states.

        A shopper without a stored state starts from ``history(user)`` (their whole log, which
        already holds the new events) when given, so a missing row never drops old events.
        """
        by_user: dict[str, list[Event]] = {}
        for e in sorted(events, key=lambda e: e.timestamp):
            by_user.setdefault(e.user_id, []).append(e)
        if not by_user:
            return {}
        with self._lock, self.db.engine.begin() as conn:
            current = self._read(conn, list(by_user), lock=True)
            new = {}
            for user, evs in by_user.items():
                if user in current:
                    state = model.fold_all(current[user], evs)
                else:
                    state = model.fold_all(None, history(user) if history is not None else evs)
                if state is not None:
                    new[user] = state
            self._write(conn, new)
        return new
