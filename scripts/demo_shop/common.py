"""The shop's clock and the one source of randomness, shared by every part of the generator."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

import numpy as np

# The shop's "now": the demo is set on this day; orders, ads and events are dated around it.
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
EVENT_DAYS = 42  # six weeks of behaviour
ORDER_DAYS = 90  # about three months of orders
TREND_DAYS = 7  # trending products rise over the last week


class Dice:
    """The one source of randomness; returns plain Python values so JSON never sees numpy types."""

    def __init__(self, seed: int):
        self.rng = np.random.default_rng(seed)

    def chance(self, p: float) -> bool:
        return bool(self.rng.random() < p)

    def uniform(self, lo: float, hi: float) -> float:
        return float(self.rng.uniform(lo, hi))

    def integer(self, lo: int, hi: int) -> int:
        """Inclusive of both ends."""
        return int(self.rng.integers(lo, hi + 1))

    def pick(self, items: list, weights: list[float] | None = None) -> Any:
        if weights is None:
            return items[int(self.rng.integers(len(items)))]
        w = np.asarray(weights, dtype=float)
        return items[int(self.rng.choice(len(items), p=w / w.sum()))]

    def sample(self, items: list, k: int) -> list:
        k = min(k, len(items))
        return [items[int(i)] for i in self.rng.choice(len(items), size=k, replace=False)]

    def shuffled(self, items: list) -> list:
        return [items[int(i)] for i in self.rng.permutation(len(items))]

    def normal(self, mean: float, sd: float) -> float:
        return float(self.rng.normal(mean, sd))

    def poisson(self, lam: float) -> int:
        return int(self.rng.poisson(lam))


def snap_price(value: float, d: Dice) -> float:
    """A shelf price: mostly x.99 (x4.99/x9.99 above $50), sometimes a round x.00."""
    if value >= 50:
        base = max(5 * round(value / 5), 10)
        return float(base) if d.chance(0.15) else base - 0.01
    if d.chance(0.12):
        return float(round(value))
    return math.floor(value) + 0.99


def join_words(values: list[Any]) -> str:
    vals = [str(v) for v in values]
    if len(vals) <= 1:
        return "".join(vals)
    return ", ".join(vals[:-1]) + " and " + vals[-1]
