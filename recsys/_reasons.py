"""Reasons a shopper can read, one per recommendation, from the signal that placed it.

Design decisions:

* The reason follows the dominant weighted signal, so it is true of the ranking, not a
  decoration: "Because you viewed X" only when content similarity to the shopper's history
  placed the item, and X is the history item (or search text) most similar to it.
* The anchor's verb is the strongest thing the shopper did with it (bought > added to cart >
  saved > viewed), which is both more informative and more honest.
* Reasons never mention other shoppers by name or count, and sponsored reasons are built by
  the ad server with the advertiser's name, so the two can never be confused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from retrieval import TEXT_EVENTS, Product

from ._behaviour import DEFAULT_WEIGHTS
from ._events import Event

MAX_QUOTE = 40


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return f'"{text}"' if len(text) <= MAX_QUOTE else f'"{text[: MAX_QUOTE - 3].rstrip()}..."'


@dataclass(frozen=True)
class Anchor:
    """Something the shopper did that can explain a recommendation."""

    event: str
    label: str  # product title or the shopper's words
    vector: np.ndarray
    product_id: str | None = None

    def because(self) -> str:
        if self.event == "search":
            return f"Matches your search {_quote(self.label)}"
        if self.event == "chat":
            return f"Based on what you asked about: {_quote(self.label)}"
        verb = {"purchase": "bought", "favorite": "saved", "click": "looked at"}.get(self.event, "viewed")
        if self.event == "add_to_cart":
            return f"Because you added {self.label} to your cart"
        return f"Because you {verb} {self.label}"

    def itself(self) -> str:
        """The reason when the recommendation is the anchor product itself."""
        return {
            "add_to_cart": "Still in your cart",
            "favorite": "In your favourites",
            "purchase": "You bought this before",
        }.get(self.event, "You looked at this recently")


def anchors(
    terms: Sequence[tuple[Event, np.ndarray]], products: dict[str, Product], limit: int = 20
) -> list[Anchor]:
    """The latest distinct products and texts of a history, each with its strongest event."""
    best: dict[str, tuple[str, np.ndarray]] = {}
    for e, vec in reversed(terms):  # newest first
        key = f"q:{e.query}" if e.event in TEXT_EVENTS else f"p:{e.item_id}"
        if key in best:
            if DEFAULT_WEIGHTS.get(e.event, 0) > DEFAULT_WEIGHTS.get(best[key][0], 0):  # the stronger intent
                best[key] = (e.event, best[key][1])
            continue
        if len(best) < limit:
            best[key] = (e.event, vec)
    out = []
    for key, (event, vec) in best.items():
        if key.startswith("q:"):
            out.append(Anchor(event, key[2:], vec))
        else:
            product = products.get(key[2:])
            if product is not None:
                out.append(Anchor(event, product.title, vec, product.id))
    return out


def explain(
    source: str,
    product: Product,
    vector: np.ndarray | None,
    history: Sequence[Anchor],
    *,
    about: Product | None = None,
    hint: str | None = None,
    trending: bool = False,
) -> str:
    if source == "similar" and about is not None:
        return f"Similar to {about.title}"
    if source == "hint" and hint:
        return f"Matches {_quote(hint)}"
    for a in history:  # a product the shopper already knows: say so, whatever placed it
        if a.product_id == product.id:
            return a.itself()
    if source in ("content", "collaborative") and history and vector is not None:
        if source == "collaborative":
            return "Popular with shoppers who like what you like"
        return max(history, key=lambda a: float(a.vector @ vector)).because()
    if source == "trending" and trending:
        return "Trending this week"
    leaf = product.category_path[-1] if product.category_path else product.category
    return f"Popular in {leaf}"
