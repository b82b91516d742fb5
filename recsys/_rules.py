"""Business rules on recommendations: what may be shown, and how varied the list must be.

Design decisions:

* Cheap rules (in stock, price range, already purchased, seen) are vectorised masks over the
  catalogue; the full ``Constraints.matches`` (brands, categories, attributes) runs exactly on
  the candidate pool only, as in product search: nothing that breaks a hard filter slips
  through, and a million-product catalogue is never checked row by row.
* Diversity strategies are a registry (``DIVERSIFIERS``): a per-category cap (the default:
  easy to explain, "at most 4 trail shoes in 10") or MMR over product vectors.
* "Already purchased" is excluded by default (a second tent is rarely wanted) but is a
  switch, because consumables are bought again; items only viewed stay eligible unless
  ``exclude_seen``, since returning to a product is the most common next step in shop logs.
  The offline optimum would fill whole lists with them, though, and a list of ten things the
  shopper has already seen discovers nothing: ``max_seen`` (3 of a list by default) keeps the
  best of them and leaves the rest of the list for new products (its measured cost is in
  docs/recs_engine.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from retrieval import ConfigError, Constraints, Product


@dataclass(frozen=True)
class Rules:
    in_stock_only: bool = True
    exclude_purchased: bool = True
    exclude_seen: bool = False  # every item event, not only purchases
    max_seen: int | None = 3  # at most this many already-engaged products per list; None = no cap
    diversity: str = "category_cap"
    max_per_category: int = 4
    mmr_lambda: float = 0.7  # 1 = relevance only, 0 = novelty only

    def __post_init__(self) -> None:
        if self.diversity not in DIVERSIFIERS:
            raise ConfigError(
                f"Unknown diversity rule {self.diversity!r}; choose one of: {', '.join(DIVERSIFIERS)}"
            )
        if self.max_seen is not None and self.max_seen < 0:
            raise ConfigError("max_seen must be >= 0, or None for no cap")
        if self.max_per_category < 1:
            raise ConfigError("max_per_category must be at least 1")
        if not 0.0 <= self.mmr_lambda <= 1.0:
            raise ConfigError(f"mmr_lambda must be in [0, 1], got {self.mmr_lambda}")


class Catalogue:
    """Column arrays of the products, for vectorised rules."""

    def __init__(self, products: Sequence[Product]):
        self.products = list(products)
        self.ids = tuple(p.id for p in products)
        self.position = {pid: i for i, pid in enumerate(self.ids)}
        self.price = np.array([p.price for p in products], dtype=np.float64)
        self.stock = np.array([p.stock for p in products], dtype=np.int64)
        leaf = [" > ".join(p.category_path) for p in products]
        names = sorted(set(leaf))
        code = {c: i for i, c in enumerate(names)}
        self.category = np.array([code[c] for c in leaf], dtype=np.int64)

    def __len__(self) -> int:
        return len(self.ids)

    def rows(self, ids: Iterable[str]) -> list[int]:
        return [self.position[i] for i in ids if i in self.position]

    def mask(self, rules: Rules, constraints: Constraints, exclude: Iterable[str] = ()) -> np.ndarray:
        ok = np.ones(len(self), dtype=bool)
        if rules.in_stock_only or constraints.in_stock:
            ok &= self.stock > 0
        if constraints.price_min is not None:
            ok &= self.price >= constraints.price_min
        if constraints.price_max is not None:
            ok &= self.price <= constraints.price_max
        ok[self.rows(exclude)] = False
        ok[self.rows(constraints.exclude_ids)] = False
        return ok

    def checker(self, constraints: Constraints) -> Callable[[int], bool] | None:
        if constraints.is_empty():
            return None
        return lambda row: constraints.matches(self.products[row])


def cap_seen(
    rows: list[int], scores: np.ndarray, seen: set[int], limit: int | None
) -> tuple[list[int], np.ndarray]:
    """Keep at most ``limit`` seen rows in the head; the others move to the end (filler only)."""
    if limit is None or not seen:
        return rows, scores
    head: list[int] = []
    tail: list[int] = []
    shown = 0
    for i, r in enumerate(rows):
        if r in seen:
            shown += 1
            (head if shown <= limit else tail).append(i)
        else:
            head.append(i)
    order = head + tail
    return [rows[i] for i in order], np.asarray(scores)[order]


# ----------------------------------------------------------------------------- diversity

Diversifier = Callable[[list[int], np.ndarray, int, "DiversityInputs"], list[int]]


@dataclass(frozen=True)
class DiversityInputs:
    rules: Rules
    category: np.ndarray  # category code per catalogue row
    vectors: np.ndarray | None  # unit product vectors per row (MMR)


def _none(rows: list[int], scores: np.ndarray, k: int, inputs: DiversityInputs) -> list[int]:
    return rows[:k]


def _category_cap(rows: list[int], scores: np.ndarray, k: int, inputs: DiversityInputs) -> list[int]:
    taken: dict[int, int] = {}
    out, spill = [], []
    for r in rows:
        c = int(inputs.category[r])
        if taken.get(c, 0) < inputs.rules.max_per_category:
            taken[c] = taken.get(c, 0) + 1
            out.append(r)
            if len(out) == k:
                return out
        else:
            spill.append(r)
    # A narrow request (one category) would otherwise return too few; fill in score order.
    return out + spill[: k - len(out)]


def _mmr(rows: list[int], scores: np.ndarray, k: int, inputs: DiversityInputs) -> list[int]:
    if inputs.vectors is None or not rows:
        return rows[:k]
    lam = inputs.rules.mmr_lambda
    cand = rows[: max(k * 5, 50)]  # MMR beyond the head only reshuffles the tail
    rel = np.asarray(scores[: len(cand)], dtype=np.float64)
    rel = (rel - rel.min()) / (rel.max() - rel.min()) if rel.max() > rel.min() else np.ones_like(rel)
    vecs = inputs.vectors[cand]
    max_sim = np.full(len(cand), -1.0)
    chosen: list[int] = []
    free = np.ones(len(cand), dtype=bool)
    for _ in range(min(k, len(cand))):
        value = np.where(free, lam * rel - (1 - lam) * np.maximum(max_sim, 0.0), -np.inf)
        j = int(np.argmax(value))
        chosen.append(cand[j])
        free[j] = False
        max_sim = np.maximum(max_sim, vecs @ vecs[j])
    return chosen


DIVERSIFIERS: dict[str, Diversifier] = {"category_cap": _category_cap, "mmr": _mmr, "none": _none}
