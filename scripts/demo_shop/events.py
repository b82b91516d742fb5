"""Behaviour: shoppers' sessions become view -> click -> favorite / add_to_cart -> purchase events."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np

from retrieval import ITEM_EVENTS

from .catalogue import SPECS
from .common import EVENT_DAYS, NOW, TREND_DAYS, Dice
from .products import Item
from .shoppers import Persona, Shopper

# Local (US Eastern) shopping hours: lunch and evening peaks, quiet nights. Shifted to UTC below.
LOCAL_HOUR_WEIGHTS = [
    0.3,
    0.15,
    0.08,
    0.05,
    0.05,
    0.1,
    0.3,
    0.6,
    0.8,
    0.8,
    0.9,
    1.0,
    1.3,
    1.2,
    1.0,
    0.9,
    0.9,
    1.0,
    1.3,
    1.7,
    1.9,
    1.8,
    1.3,
    0.7,
]
UTC_OFFSET_H = 5
EVENT_RANK = {name: rank for rank, name in enumerate(ITEM_EVENTS)}  # the funnel order breaks ties


def unix(dt: datetime) -> int:
    return int(dt.timestamp())


def random_moment(d: Dice, day: date) -> datetime:
    local_hour = d.pick(list(range(24)), LOCAL_HOUR_WEIGHTS)
    start = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(hours=local_hour + UTC_OFFSET_H)
    return start + timedelta(seconds=d.integer(0, 3599))


def session_days(d: Dice, persona: Persona, n: int) -> list[date]:
    first = (NOW - timedelta(days=EVENT_DAYS)).date()
    days = [first + timedelta(days=i) for i in range(EVENT_DAYS)]
    # Weekends are busier; gift shoppers ramp up towards Black Friday (2026-11-27).
    w = [
        (1.3 if day.weekday() >= 5 else 1.0)
        * (1 + 2.5 * i / EVENT_DAYS if persona.name == "gift_shopper" else 1.0)
        for i, day in enumerate(days)
    ]
    return sorted(d.pick(days, w) for _ in range(n))


def pick_trending(items: list[Item], d: Dice) -> list[Item]:
    """Products that rise in the last week: seasonal winter gear and viral gifts, in stock, not already top sellers."""
    keys = ["headlamps", "sleeping_bags", "facial_rollers", "lipstick", "dumbbells", "cleansing_devices"]
    chosen = []
    for key in keys:
        group = sorted(
            (it for it in items if it.spec.key == key and it.record["stock"] > 0), key=lambda it: it.pop
        )
        chosen.append(
            d.pick(group[len(group) // 4 : 3 * len(group) // 4])
        )  # mid-popularity, so the rise shows
    return chosen


class Simulator:
    """Turns shoppers into events: sessions of views, clicks, favourites, carts and purchases."""

    def __init__(self, items: list[Item], trending: list[Item], d: Dice):
        self.items, self.trending, self.d = items, trending, d
        self.trend_start = NOW - timedelta(days=TREND_DAYS)
        self.rows: list[tuple[int, str, str, str]] = []
        self.all_keys = [spec.key for spec in SPECS]

    def emit(self, t: datetime, user: str, item: Item, event: str) -> None:
        if t < NOW:  # a session started just before "now" must not spill into the future
            self.rows.append((unix(t), user, item.record["id"], event))

    def trend_boost(self, t: datetime) -> float:
        if t < self.trend_start:
            return 1.0
        return 1.0 + 9.0 * (t - self.trend_start) / timedelta(days=TREND_DAYS)

    def draw(self, s: Shopper, key: str, t: datetime) -> Item:
        group, w = s.weights[key]
        boost = self.trend_boost(t)
        if boost > 1.0:
            w = w * np.asarray([boost if it in self.trending else 1.0 for it in group])
        return group[int(self.d.rng.choice(len(group), p=w / w.sum()))]

    def shopper(self, s: Shopper) -> None:
        d, p = self.d, s.persona
        activity = math.exp(d.normal(0, 0.45))
        n_sessions = max(1, d.poisson(p.sessions * activity))
        pending: list[Item] = []  # carted, not bought: shoppers come back for these
        for day in session_days(d, p, n_sessions):
            t = random_moment(d, day)
            pending = self.session(s, t, pending)

    def session(self, s: Shopper, t: datetime, pending: list[Item]) -> list[Item]:
        d, p = self.d, s.persona
        keys, aff = list(p.affinity), list(p.affinity.values())
        mission = (
            d.pick(self.all_keys) if d.chance(0.08) and p.name != "bargain_hunter" else d.pick(keys, aff)
        )
        viewed: list[Item] = []
        revisit = pending.pop(0) if pending and d.chance(0.4) else None
        if revisit is not None:
            viewed.append(revisit)
        if t >= self.trend_start and d.chance(0.25):  # the "trending now" strip on the home page
            viewed.append(d.pick(self.trending))
        for _ in range(d.integer(*p.views)):
            key = mission if d.chance(0.8) else d.pick(keys, aff)
            if key not in s.weights:
                continue
            item = self.draw(s, key, t)
            if item not in viewed:
                viewed.append(item)
        cart: list[Item] = []
        for item in viewed:
            t += timedelta(seconds=d.integer(15, 150))
            self.emit(t, s.id, item, "view")
            if not d.chance(p.click * (1.25 if (item.record["rating"] or 0) >= 4.5 else 1.0)):
                continue
            t += timedelta(seconds=d.integer(3, 25))
            self.emit(t, s.id, item, "click")
            if d.chance(p.favorite):
                self.emit(t + timedelta(seconds=d.integer(10, 90)), s.id, item, "favorite")
            if item.record["stock"] > 0 and d.chance(p.cart * (2.0 if item is revisit else 1.0)):
                t += timedelta(seconds=d.integer(20, 120))
                self.emit(t, s.id, item, "add_to_cart")
                cart.append(item)
        t += timedelta(seconds=d.integer(60, 400))
        for item in cart:
            if d.chance(p.buy):
                self.emit(t, s.id, item, "purchase")
            elif item not in pending:
                pending.append(item)
        return pending[-5:]

    def order(self, order: dict[str, Any], by_id: dict[str, Item]) -> None:
        """An order placed inside the window leaves its own trail: view, click, cart, purchase."""
        placed = datetime.fromisoformat(order["placed_at"].replace("Z", "+00:00"))
        if placed < NOW - timedelta(days=EVENT_DAYS):
            return
        for k, line in enumerate(order["items"]):
            item = by_id[line["product_id"]]
            t = placed - timedelta(minutes=12 - 2 * k)
            self.emit(t, order["customer_id"], item, "view")
            self.emit(t + timedelta(seconds=20), order["customer_id"], item, "click")
            self.emit(t + timedelta(seconds=90), order["customer_id"], item, "add_to_cart")
            self.emit(placed, order["customer_id"], item, "purchase")

    def sorted_rows(self) -> list[tuple[int, str, str, str]]:
        return sorted(set(self.rows), key=lambda r: (r[0], r[1], EVENT_RANK[r[3]], r[2]))
