"""Popular and trending items: time-decayed event counts per product, updated per event in O(1).

Design decisions:

* Two decayed counts per product, a long one (popular, half-life 30 days) and a short one
  (trending, 3 days). They are stored relative to a fixed reference time ``t0`` (an event adds
  ``w * 2**((t - t0)/h)``), so an event touches one cell instead of rescaling every product;
  the arrays are rebased when the exponent grows large, which is rare and O(items).
* Trending is a Poisson z-score of the short count against what the long count predicts at
  a constant rate: over an observed span ``T`` a count with half-life ``h`` is
  ``rate * h * (1 - 2**(-T/h)) / ln 2``, so the expected short count is the long count times
  the ratio of those factors (``h_short / h_long`` for long histories, 1 for a new shop, where
  nothing can be trending yet). A product that always sells well is popular, not trending; a
  product rising this week is trending even if its totals are small.
* The clock is the shop's latest event, not the wall clock: replays, tests and the demo
  shop (generated around a fixed day) rank the same whenever they run. A live shop's latest
  event is seconds old, so the two agree there.
* Categories are indexed at every level of the path, so "popular in Trail Running Shoes" and
  "popular in Running" are one mask each.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from retrieval import ITEM_EVENTS, Product

from ._behaviour import DAY, DEFAULT_WEIGHTS
from ._events import Event

_REBASE_EXPONENT = 400.0  # 2**400 is far from float64 overflow (2**1024) yet rarely reached


@dataclass(frozen=True)
class SignalConfig:
    popular_half_life_days: float = 30.0
    trending_half_life_days: float = 3.0
    min_trending_z: float = 2.0  # below this, "Trending this week" would be noise


class ItemStats:
    """Decayed popularity and trending counts over a fixed catalogue."""

    def __init__(
        self,
        products: Sequence[Product],
        config: SignalConfig | None = None,
        weights: Mapping[str, float] = DEFAULT_WEIGHTS,
    ):
        self.config = config or SignalConfig()
        self.weights = dict(weights)
        self.ids = tuple(p.id for p in products)
        self.position = {pid: i for i, pid in enumerate(self.ids)}
        self._h = np.array([self.config.popular_half_life_days, self.config.trending_half_life_days]) * DAY
        self._counts = np.zeros((2, len(self.ids)), dtype=np.float64)
        self.t0: float | None = None
        self.first = float("inf")
        self.latest = 0.0
        self.categories: dict[str, np.ndarray] = {}
        by_cat: dict[str, list[int]] = {}
        for i, p in enumerate(products):
            path = p.category_path
            for depth in range(1, len(path) + 1):
                by_cat.setdefault(" > ".join(path[:depth]), []).append(i)
        self.categories = {c: np.array(rows, dtype=np.int64) for c, rows in by_cat.items()}

    def add(self, events: Iterable[Event]) -> None:
        for e in events:
            i = self.position.get(e.item_id or "")
            w = self.weights.get(e.event, 0.0)
            if i is None or e.event not in ITEM_EVENTS or w <= 0:
                continue
            if self.t0 is None:
                self.t0 = e.timestamp
            exponent = (e.timestamp - self.t0) / self._h
            if exponent.max() > _REBASE_EXPONENT:
                self._rebase(e.timestamp)
                exponent = (e.timestamp - self.t0) / self._h
            self._counts[:, i] += w * np.exp2(exponent)
            self.latest = max(self.latest, e.timestamp)
            self.first = min(self.first, e.timestamp)

    def _rebase(self, t: float) -> None:
        self._counts *= np.exp2(((self.t0 or t) - t) / self._h)[:, None]
        self.t0 = t

    def _at(self, at: float | None) -> np.ndarray:
        if self.t0 is None:
            return np.zeros_like(self._counts)
        at = self.latest if at is None else at
        return self._counts * np.exp2((self.t0 - at) / self._h)[:, None]

    def popular(self, at: float | None = None) -> np.ndarray:
        """Decayed weighted event count per product (long half-life)."""
        return self._at(at)[0]

    def trending(self, at: float | None = None) -> np.ndarray:
        """Poisson z-score of this week's activity against the long-run rate."""
        at = self.latest if at is None else at
        long, short = self._at(at)
        span = max(at - self.first, 1.0) if self.t0 is not None else 1.0
        filled = self._h * -np.expm1(-np.log(2.0) * span / self._h)  # h * (1 - 2**(-T/h))
        expected = long * (filled[1] / filled[0])
        return (short - expected) / np.sqrt(expected + 1.0)

    def category_rows(self, category: str) -> np.ndarray:
        """Rows of a category at any level: exact path prefix, or any segment equal to it."""
        rows = self.categories.get(category)
        if rows is not None:
            return rows
        want = category.strip().casefold()
        hits = [r for c, r in self.categories.items() if c.rsplit(" > ", 1)[-1].casefold() == want]
        return np.unique(np.concatenate(hits)) if hits else np.zeros(0, dtype=np.int64)

    def top(self, scores: np.ndarray, k: int, rows: np.ndarray | None = None) -> list[int]:
        """The ``k`` best rows by ``scores`` (optionally within ``rows``), ties by catalogue order."""
        pool = np.arange(len(scores)) if rows is None else rows
        if not len(pool):
            return []
        order = np.lexsort((pool, -scores[pool]))
        return [int(pool[j]) for j in order[:k]]
