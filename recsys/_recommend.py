"""Recommendation values and the fusion ranker: several signals in, one ranked list out.

Design decisions:

* Every signal is a score per catalogue row (content similarity, collaborative, popular,
  trending, and the request's own: similar to the product under discussion, the shopper's
  hint). Full arrays keep the ranker exact and simple; candidate generation is "the top-C
  eligible rows of each weighted signal", fused over their union.
* Fusion methods are a registry (``FUSIONS``): min-max normalised weighted sum, or weighted
  reciprocal-rank fusion. Which one, and the weights of the behaviour signals, come from the
  leave-last-out search in ``_tuning.py`` (results in ``docs/recs_engine.md``); the context
  weights cannot be learnt from event logs and are set so the conversation steers strongly.
* Constraints are checked exactly on the pool; when too few candidates survive, the pool
  widens (x4) until it covers every eligible row, so a narrow filter never returns less than
  it could.
* The dominant weighted contribution names the ``source`` of each result, which picks the
  reason a shopper reads.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Literal

import numpy as np

from retrieval import ConfigError, Constraints

Source = Literal["content", "collaborative", "popular", "trending", "similar", "hint", "sponsored"]
SIGNALS: tuple[str, ...] = ("content", "collaborative", "popular", "trending", "similar", "hint")


@dataclass(frozen=True)
class Recommendation:
    product_id: str
    score: float
    reason: str  # shown to the shopper as is
    sponsored: bool = False
    source: Source = "content"
    impression_id: str | None = None  # sponsored results only: what ``record_click`` takes

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Recommendations:
    organic: tuple[Recommendation, ...] = ()
    sponsored: tuple[Recommendation, ...] = ()  # always separate, always labelled

    def as_dict(self) -> dict:
        return {
            "organic": [r.as_dict() for r in self.organic],
            "sponsored": [r.as_dict() for r in self.sponsored],
        }


@dataclass(frozen=True)
class RecommendContext:
    """What the conversation knows: hard filters, the product on the table, the shopper's words."""

    constraints: Constraints = field(default_factory=Constraints)
    about_product_id: str | None = None
    hint: str | None = None


@dataclass(frozen=True)
class FusionWeights:
    # Defaults: the validation winner of the search in docs/recs_engine.md (demo shop,
    # leave-last-out, purchases excluded, collaborative preset "repeat"). Re-run the search
    # (benchmarks/recs_bench.py fusion) when the collaborative presets or the shop change.
    content: float = 0.3
    collaborative: float = 0.2
    popular: float = 0.4
    trending: float = 0.1
    similar: float = 2.0  # context signals: the conversation outranks history
    hint: float = 1.5
    method: str = "minmax"

    def __post_init__(self) -> None:
        if self.method not in FUSIONS:
            raise ConfigError(f"Unknown fusion method {self.method!r}; choose one of: {', '.join(FUSIONS)}")
        if any(getattr(self, s) < 0 for s in SIGNALS):
            raise ConfigError("fusion weights must be >= 0")

    def of(self, signal: str) -> float:
        return float(getattr(self, signal))


def _minmax(values: np.ndarray) -> np.ndarray:
    lo, hi = float(values.min()), float(values.max())
    return (values - lo) / (hi - lo) if hi > lo else np.zeros_like(values)


def _fuse_minmax(block: np.ndarray) -> np.ndarray:
    """``block`` is signals x pool; each row scaled to [0, 1] over the pool."""
    return np.stack([_minmax(row) for row in block]) if len(block) else block


def _fuse_rrf(block: np.ndarray, k: float = 60.0) -> np.ndarray:
    out = np.zeros_like(block)
    for s, row in enumerate(block):
        if row.max() > row.min():  # a constant signal ranks nothing
            ranks = np.empty(len(row))
            ranks[np.argsort(-row, kind="stable")] = np.arange(len(row))
            out[s] = (k + 1.0) / (k + 1.0 + ranks)  # 1 for the first, decaying like RRF
    return out


FUSIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {"minmax": _fuse_minmax, "rrf": _fuse_rrf}


@dataclass(frozen=True)
class Ranked:
    row: int
    score: float
    source: str


def rank(
    signals: Mapping[str, np.ndarray],
    weights: FusionWeights,
    eligible: np.ndarray,
    k: int,
    check: Callable[[int], bool] | None = None,
    diversify: Callable[[list[int], np.ndarray, int], list[int]] | None = None,
    pool_size: int = 0,
) -> list[Ranked]:
    """Fuse the weighted signals over the pooled candidates; at most ``k`` results."""
    active = [
        (name, np.asarray(values, dtype=np.float64))
        for name, values in signals.items()
        if weights.of(name) > 0 and values is not None and len(values)
    ]
    rows = np.flatnonzero(eligible)
    if k <= 0 or not len(rows):
        return []
    if not active:  # nothing known at all: catalogue order, still filtered
        active = [("popular", np.zeros(len(eligible)))]
    size = pool_size or max(50, 5 * k)
    while True:
        pool_set: set[int] = set()
        for _, values in active:
            part = rows if size >= len(rows) else rows[np.argpartition(-values[rows], size)[:size]]
            pool_set.update(int(r) for r in part)
        pool = sorted(pool_set)
        survivors = [r for r in pool if check is None or check(r)]
        if len(survivors) >= 2 * k or size >= len(rows):
            break
        size *= 4
    if not survivors:
        return []
    idx = np.array(survivors, dtype=np.int64)
    block = FUSIONS[weights.method](np.stack([values[idx] for _, values in active]))
    w = np.array([weights.of(name) for name, _ in active])[:, None]
    contrib = block * w
    fused = contrib.sum(axis=0)
    order = np.lexsort((idx, -fused))  # ties by catalogue order: deterministic
    ranked_rows = [int(idx[j]) for j in order]
    by_row = {int(r): j for j, r in enumerate(idx)}
    chosen = diversify(ranked_rows, fused[order], k) if diversify else ranked_rows[:k]
    out = []
    for r in chosen[:k]:
        j = by_row[r]
        out.append(Ranked(r, float(fused[j]), active[int(np.argmax(contrib[:, j]))][0]))
    return out
