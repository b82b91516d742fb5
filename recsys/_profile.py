"""Shopper profiles: who this shopper is, in numbers the assistant and the staff console can use.

Design decisions:

* One function over plain inputs (the shopper's events, the shop's orders and catalogue), so
  it works the same for customers with orders and anonymous shoppers with events only, and
  tests need no database.
* Category and brand affinity are weighted by event type (a purchase says more than a view)
  and reported as shares, so profiles of light and heavy shoppers compare.
* The price band is the 25th-75th percentile of the prices of products engaged with (events
  and ordered items): robust to the one gift bought far outside the usual range.
* Frequency is a rate per 30 days over the shopper's active span (first activity to now, at
  least 30 days): a first visit yesterday with 12 events reads as 12 a month, not 360.
* Recency counts the latest event or order, whichever is newer (an order placed by phone is
  activity too).
* Lifetime value counts orders that stayed sold: cancelled and returned orders are excluded.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Literal

import numpy as np

from retrieval import ITEM_EVENTS, Shop

from ._behaviour import DAY, DEFAULT_WEIGHTS
from ._events import Event

TOP_N = 5


@dataclass(frozen=True)
class ShopperProfile:
    user_id: str
    kind: Literal["customer", "anonymous"]
    name: str | None
    top_categories: tuple[tuple[str, float], ...]  # (leaf category, share of weighted events)
    top_brands: tuple[tuple[str, float], ...]
    price_band: tuple[float, float] | None  # 25th-75th percentile of engaged prices
    last_active_at: float | None  # unix seconds of the latest event or order
    days_since_last_active: float | None
    events_per_30d: float
    orders_per_30d: float
    lifetime_value: float  # non-cancelled, non-returned orders
    events: int
    orders: int
    favourites: int
    cart_adds: int
    purchases: int  # purchase events (orders are counted in ``orders``)
    recent_searches: tuple[str, ...]

    def as_dict(self) -> dict:
        return asdict(self)


def _order_time(placed_at: str) -> float | None:
    try:
        dt = datetime.fromisoformat(placed_at.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (dt if dt.tzinfo else dt.replace(tzinfo=UTC)).timestamp()  # shop time is UTC


def _shares(weights: dict[str, float]) -> tuple[tuple[str, float], ...]:
    total = sum(weights.values())
    if total <= 0:
        return ()
    top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_N]
    return tuple((name, round(w / total, 3)) for name, w in top)


def build_profile(
    user_id: str, events: Sequence[Event], shop: Shop, *, now: float | None = None
) -> ShopperProfile:
    now = time.time() if now is None else now
    customer = shop.customers.get(user_id)
    orders = [o for o in shop.orders_of(user_id) if o.status != "cancelled"]
    cats: dict[str, float] = defaultdict(float)
    brands: dict[str, float] = defaultdict(float)
    prices: list[float] = []
    counts: dict[str, int] = defaultdict(int)
    for e in events:
        counts[e.event] += 1
        product = shop.products.get(e.item_id or "") if e.event in ITEM_EVENTS else None
        if product is None:
            continue
        w = DEFAULT_WEIGHTS.get(e.event, 1.0)
        cats[product.category_path[-1] if product.category_path else product.category] += w
        if product.brand:
            brands[product.brand] += w
        prices.append(product.price)
    for o in orders:
        for item in o.items:
            product = shop.products.get(item.product_id)
            if product is not None:  # an order is the strongest signal there is
                w = DEFAULT_WEIGHTS["purchase"] * item.quantity
                cats[product.category_path[-1] if product.category_path else product.category] += w
                if product.brand:
                    brands[product.brand] += w
            prices.append(item.unit_price)
    times = [e.timestamp for e in events] + [t for o in orders if (t := _order_time(o.placed_at)) is not None]
    first, last = (min(times), max(times)) if times else (None, None)
    months = max(30.0, (now - first) / DAY) / 30.0 if first is not None else 1.0
    band = (
        (round(float(np.percentile(prices, 25)), 2), round(float(np.percentile(prices, 75)), 2))
        if prices
        else None
    )
    sold = [o for o in orders if o.status != "returned"]
    searches = [e.query for e in reversed(events) if e.event == "search" and e.query]
    return ShopperProfile(
        user_id=user_id,
        kind="customer" if customer is not None or orders else "anonymous",
        name=customer.name if customer is not None else None,
        top_categories=_shares(cats),
        top_brands=_shares(brands),
        price_band=band,
        last_active_at=last,
        days_since_last_active=round(max(0.0, now - last) / DAY, 2) if last is not None else None,
        events_per_30d=round(len(events) / months, 2),
        orders_per_30d=round(len(orders) / months, 2),
        lifetime_value=round(sum(o.total for o in sold), 2),
        events=len(events),
        orders=len(orders),
        favourites=counts["favorite"],
        cart_adds=counts["add_to_cart"],
        purchases=counts["purchase"],
        recent_searches=tuple(dict.fromkeys(searches))[:5],
    )
