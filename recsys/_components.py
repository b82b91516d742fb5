"""The behaviour-only scoring components, each usable alone or fused (``_collab.Fusion``).

Every component has the same two methods: ``fit(train, n_items)`` learns from all shoppers'
histories, ``score_batch(histories)`` returns a dense ``users x items`` block. Nothing is
learnt per user: a shopper is represented at request time by a *profile*, a sparse vector of
their history items weighted by event type and by recency, so the next recommendation reflects
the event that just happened.

Design decisions:

* Item-item structure is a sparse matrix multiplied by the profile (``profile @ S``); that is
  the whole request-time cost, and the same product scores thousands of users in evaluation.
* ``ItemKNN`` uses asymmetric cosine ``co(i,j) / (n_i^a * n_j^(1-a) + shrink)`` on the binary
  user-item matrix, keeping the ``neighbours`` strongest entries per row: shrinkage damps pairs
  seen once, pruning drops the long tail of noise.
* ``Transitions`` counts which item follows which within a few steps, discounted by the gap,
  and scores from the *latest* items only (a sharper recency profile): it captures "after a
  shampoo, the conditioner", which co-occurrence over whole histories blurs.
* ``History`` scores the shopper's own items (repeat consumption); only useful when seen items
  stay in the ranking (``keep_seen``), where it is the strongest single signal on Taobao.
* ``Popularity`` is the cold-start fallback and a tie-breaker; with real timestamps it counts
  recent events more (``half_life_s``), i.e. trending.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import scipy.sparse as sp

from ._interactions import EVENTS, Histories

# The collaborative models' reference event weights over the offline event logs: the default
# profile, the tuner's starting point and its first preset (docs/recs_eval.md). A separate
# fact from the live behaviour vector's weights (recsys._behaviour.DEFAULT_WEIGHTS, which also
# weigh search and chat text); each is defined once.
DEFAULT_EVENT_WEIGHTS: dict[str, float] = {
    "view": 1.0,
    "click": 1.0,
    "favorite": 2.0,
    "add_to_cart": 3.0,
    "purchase": 4.0,
}
REFERENCE_EVENT_WEIGHTS: tuple[float, ...] = tuple(DEFAULT_EVENT_WEIGHTS[e] for e in EVENTS)  # in code order


class Scorer(Protocol):
    """The index-level model contract: learn from histories, score a batch of histories."""

    def fit(self, train: Histories, n_items: int) -> Scorer: ...

    def score_batch(self, histories: Histories) -> np.ndarray: ...


@dataclass(frozen=True)
class Profile:
    """How a history becomes a weighted item vector: event weights times recency decay."""

    event_weights: tuple[float, ...] = REFERENCE_EVENT_WEIGHTS
    half_life: float = 0.0  # in events from the latest; 0 = no decay
    binary: bool = False  # 1 per distinct history item (the reference item-kNN baseline)

    def matrix(self, h: Histories, n_items: int) -> sp.csr_matrix:
        w = np.asarray(self.event_weights, np.float32)[h.event]
        if self.half_life > 0:
            w = w * np.exp2(-h.position_from_end() / self.half_life).astype(np.float32)
        m = h.matrix(n_items, w)
        m.eliminate_zeros()
        if self.binary:
            m.data[:] = 1.0
        return m


def _binary(train: Histories, n_items: int) -> sp.csr_matrix:
    x = train.matrix(n_items)
    x.data[:] = 1.0
    return x


def _prune(s: sp.csr_matrix, k: int) -> sp.csr_matrix:
    """Keep the ``k`` largest entries of each row (all rows at once, no Python loop over rows)."""
    s = s.tocsr()
    s.eliminate_zeros()
    lengths = np.diff(s.indptr)
    if k <= 0 or lengths.max(initial=0) <= k:
        return s
    rows = np.repeat(np.arange(s.shape[0]), lengths)
    order = np.lexsort((-s.data, rows))  # by row, then by value descending
    rank = np.arange(len(order)) - np.repeat(s.indptr[:-1], lengths)
    keep = order[rank < k]
    return sp.csr_matrix((s.data[keep], (rows[keep], s.indices[keep])), shape=s.shape)


def _scaled(scores: sp.csr_matrix) -> np.ndarray:
    """Each user's (non-negative) scores scaled to [0, 1], so components fuse on one scale.

    Scaling the stored entries before densifying touches nnz values instead of users x items.
    """
    scores = scores.tocsr()
    lengths = np.diff(scores.indptr)
    top = np.ones(scores.shape[0], scores.dtype)
    filled = lengths > 0
    if scores.nnz:  # reduceat on the raw entries: no index sorting, unlike csr.max()
        top[filled] = np.maximum.reduceat(scores.data, scores.indptr[:-1][filled])
    scores.data /= np.repeat(np.where(top > 0, top, 1.0).astype(scores.dtype), lengths)
    return scores.toarray()


@dataclass
class ItemKNN:
    neighbours: int = 200
    shrink: float = 0.0
    alpha: float = 0.5  # 0.5 = cosine; higher favours popular neighbours
    profile: Profile = Profile()
    self_similarity: bool = False

    def fit(self, train: Histories, n_items: int) -> ItemKNN:
        x = _binary(train, n_items)
        co = (x.T @ x).tocsr().astype(np.float32)
        counts = np.asarray(x.sum(axis=0)).ravel().astype(np.float32)
        if not self.self_similarity:
            co.setdiag(0)
            co.eliminate_zeros()
        co = co.tocoo()  # every stored pair has both counts >= 1, so the denominator is > 0
        denom = counts[co.row] ** self.alpha * counts[co.col] ** (1 - self.alpha) + self.shrink
        sim = sp.csr_matrix((co.data / denom, (co.row, co.col)), shape=co.shape)
        self.similarity = _prune(sim, self.neighbours)
        self.n_items = n_items
        return self

    def score_batch(self, h: Histories) -> np.ndarray:
        return _scaled(self.profile.matrix(h, self.n_items) @ self.similarity)


@dataclass
class Transitions:
    window: int = 3  # pairs up to this many steps apart
    gap_decay: float = 0.5  # weight of a pair `gap` steps apart: gap_decay ** (gap - 1)
    backward: float = 0.0  # weight of the reverse direction (j before i)
    neighbours: int = 200
    alpha: float = 0.5
    profile: Profile = Profile(half_life=1.0)

    def fit(self, train: Histories, n_items: int) -> Transitions:
        rows, cols, vals = [], [], []
        same_user = train.row_ids()
        for gap in range(1, self.window + 1):
            a, b = np.arange(len(train.item) - gap), np.arange(gap, len(train.item))
            ok = (same_user[a] == same_user[b]) & (train.item[a] != train.item[b])
            w = np.full(int(ok.sum()), self.gap_decay ** (gap - 1), np.float32)
            rows += [train.item[a][ok], train.item[b][ok]]
            cols += [train.item[b][ok], train.item[a][ok]]
            vals += [w, w * self.backward]
        t = sp.csr_matrix(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n_items, n_items)
        )
        t.sum_duplicates()
        t.eliminate_zeros()
        out = np.asarray(t.sum(axis=1)).ravel() + 1.0
        inn = np.asarray(t.sum(axis=0)).ravel() + 1.0
        t = t.tocoo()
        # asymmetric normalisation: alpha=1 is P(next=j | i); lower alpha damps popular targets
        val = t.data / (out[t.row] ** self.alpha * inn[t.col] ** (1 - self.alpha))
        self.transition = _prune(sp.csr_matrix((val, (t.row, t.col)), shape=t.shape), self.neighbours)
        self.n_items = n_items
        return self

    def score_batch(self, h: Histories) -> np.ndarray:
        return _scaled(self.profile.matrix(h, self.n_items) @ self.transition)


@dataclass
class History:
    profile: Profile = Profile()

    def fit(self, train: Histories, n_items: int) -> History:
        self.n_items = n_items
        return self

    def score_batch(self, h: Histories) -> np.ndarray:
        return _scaled(self.profile.matrix(h, self.n_items))


@dataclass
class Popularity:
    half_life_s: float = 0.0  # 0 = plain counts

    def fit(self, train: Histories, n_items: int) -> Popularity:
        w = np.ones(len(train.item))
        if self.half_life_s > 0 and len(train.item):
            w = np.exp2(-(train.timestamp.max() - train.timestamp) / self.half_life_s)
        counts = np.bincount(train.item, weights=w, minlength=n_items)
        self.scores = (counts / max(counts.max(initial=0.0), 1e-12)).astype(np.float32)
        return self

    def score_batch(self, h: Histories) -> np.ndarray:
        return np.tile(self.scores, (h.n_users, 1))
