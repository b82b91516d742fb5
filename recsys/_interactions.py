"""Shopper events as typed values, a fast CSV reader, and the id <-> index bookkeeping.

Design decisions:

* ``Interaction`` is the value that crosses boundaries (the product recommender hands a
  shopper's recent events to ``score``). Bulk data stays columnar: ``EventLog`` holds parallel
  numpy arrays in file order, because 200k Python objects cost more than the model fit.
* ``Histories`` is the one shape every model consumes: users' events grouped per user and
  sorted by time (stable, so ties keep file order, as the evaluation protocol requires), in a
  CSR-like layout (``indptr`` + flat arrays). A single request-time history is the same type
  with one row, so training, batch evaluation and live scoring share one code path.
* Item ids are mapped through an ``IdIndex`` fixed at fit time; events on items the model
  has never seen are dropped at scoring time (nothing to say about them).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from retrieval import ITEM_EVENTS, InputError, RecordError

EVENTS: tuple[str, ...] = ITEM_EVENTS  # an event's int8 code is its index here
EVENT_CODE: dict[str, int] = {name: code for code, name in enumerate(EVENTS)}


@dataclass(frozen=True, slots=True)
class Interaction:
    user_id: str
    item_id: str
    event: str
    timestamp: float


class IdIndex:
    """Contiguous indices for string ids, in first-seen order."""

    def __init__(self, ids: Iterable[str] = ()):
        self._index: dict[str, int] = {}
        self.ids: list[str] = []
        for i in ids:
            self.add(i)

    def add(self, key: str) -> int:
        idx = self._index.get(key)
        if idx is None:
            idx = self._index[key] = len(self.ids)
            self.ids.append(key)
        return idx

    def get(self, key: str, default: int = -1) -> int:
        return self._index.get(key, default)

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class EventLog:
    """A columnar event log in file order; ``user``/``item`` index ``user_ids``/``item_ids``."""

    user: np.ndarray  # int64
    item: np.ndarray  # int64
    event: np.ndarray  # int8 code into EVENTS
    timestamp: np.ndarray  # float64
    user_ids: tuple[str, ...]
    item_ids: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.user)

    @classmethod
    def from_interactions(cls, interactions: Iterable[Interaction]) -> EventLog:
        users, items = IdIndex(), IdIndex()
        rows = [
            (users.add(x.user_id), items.add(x.item_id), _event_code(x.event), x.timestamp)
            for x in interactions
        ]
        u, i, e, t = zip(*rows, strict=True) if rows else ((), (), (), ())
        return cls(
            np.asarray(u, np.int64),
            np.asarray(i, np.int64),
            np.asarray(e, np.int8),
            np.asarray(t, np.float64),
            tuple(users.ids),
            tuple(items.ids),
        )

    def interactions(self) -> list[Interaction]:
        return [
            Interaction(self.user_ids[u], self.item_ids[i], EVENTS[e], float(t))
            for u, i, e, t in zip(self.user, self.item, self.event, self.timestamp, strict=True)
        ]

    def histories(self) -> Histories:
        """Group per user (rows in ``user_ids`` order), each sorted by time, ties in file order."""
        order = np.lexsort((self.timestamp, self.user))  # lexsort is stable: ties keep file order
        counts = np.bincount(self.user, minlength=len(self.user_ids))
        indptr = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        return Histories(indptr, self.item[order], self.event[order], self.timestamp[order])


@dataclass(frozen=True)
class Histories:
    """Per-user time-ordered events in CSR layout: user ``u`` owns ``[indptr[u], indptr[u+1])``."""

    indptr: np.ndarray
    item: np.ndarray
    event: np.ndarray
    timestamp: np.ndarray

    @property
    def n_users(self) -> int:
        return len(self.indptr) - 1

    def lengths(self) -> np.ndarray:
        return np.diff(self.indptr)

    def row_ids(self) -> np.ndarray:
        """The user row of every flat event."""
        return np.repeat(np.arange(self.n_users), self.lengths())

    def position_from_end(self) -> np.ndarray:
        """0 for each user's latest event, 1 for the one before, ..."""
        return np.repeat(self.indptr[1:], self.lengths()) - 1 - np.arange(len(self.item))

    def take(self, rows: np.ndarray) -> Histories:
        """The sub-batch of the given user rows (in that order)."""
        starts = self.indptr[rows]
        lengths = self.indptr[rows + 1] - starts
        indptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        # flat index = row start + offset within the row
        flat = np.repeat(starts - indptr[:-1], lengths) + np.arange(indptr[-1])
        return Histories(indptr, self.item[flat], self.event[flat], self.timestamp[flat])

    def matrix(self, n_items: int, weights: np.ndarray | None = None) -> sp.csr_matrix:
        """User x item matrix; duplicate events on an item add up (``weights`` per flat event)."""
        data = np.ones(len(self.item), np.float32) if weights is None else weights.astype(np.float32)
        m = sp.csr_matrix((data, (self.row_ids(), self.item)), shape=(self.n_users, n_items))
        m.sum_duplicates()
        return m

    @classmethod
    def single(cls, history: Sequence[Interaction], items: IdIndex) -> Histories:
        """One request-time history; events on unknown items are dropped, order kept by time."""
        known = [(x.timestamp, items.get(x.item_id), _event_code(x.event)) for x in history]
        known = sorted((k for k in known if k[1] >= 0), key=lambda k: k[0])  # sorted() is stable
        n = len(known)
        return cls(
            np.array([0, n], np.int64),
            np.array([k[1] for k in known], np.int64),
            np.array([k[2] for k in known], np.int8),
            np.array([k[0] for k in known], np.float64),
        )


def _event_code(event: str) -> int:
    code = EVENT_CODE.get(event)
    if code is None:
        raise InputError(f"Unknown event type {event!r}; choose one of: {', '.join(EVENTS)}")
    return code


def read_events_csv(path: str | Path) -> EventLog:
    """Read ``user_id,item_id,[category_id,]event,timestamp`` (header required, extra columns ignored)."""
    path = Path(path)
    users, items = IdIndex(), IdIndex()
    u_col: list[int] = []
    i_col: list[int] = []
    e_col: list[int] = []
    t_col: list[float] = []
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader, None) or []
        missing = {"user_id", "item_id", "event", "timestamp"} - set(header)
        if missing:
            raise RecordError(
                str(path),
                1,
                f"header lacks column(s) {sorted(missing)}; "
                "expected user_id,item_id,[category_id,]event,timestamp",
            )
        cu, ci, ce, ct = (header.index(c) for c in ("user_id", "item_id", "event", "timestamp"))
        # Local bindings: this loop is the whole cost of loading 200k rows.
        add_u, add_i, codes = users.add, items.add, EVENT_CODE
        for line, row in enumerate(reader, start=2):
            try:
                e = codes[row[ce]]
                t = float(row[ct])
            except (KeyError, ValueError, IndexError) as exc:
                raise RecordError(
                    str(path),
                    line,
                    f"bad event row {row!r} ({exc!r}); event must be one of "
                    f"{', '.join(EVENTS)} and timestamp a number",
                ) from None
            u_col.append(add_u(row[cu]))
            i_col.append(add_i(row[ci]))
            e_col.append(e)
            t_col.append(t)
    return EventLog(
        np.asarray(u_col, np.int64),
        np.asarray(i_col, np.int64),
        np.asarray(e_col, np.int8),
        np.asarray(t_col, np.float64),
        tuple(users.ids),
        tuple(items.ids),
    )
