"""Shopper profiles for customers with orders and for anonymous shoppers with events only."""

import json

import pytest

from recsys._db import Database
from recsys._engine import RecommendationEngine, load_shop_events
from recsys._events import Event, MemoryEventStore, shop_events
from recsys._profile import build_profile
from retrieval import load_shop

NOW = 1_763_000_000.0 + 10 * 86_400  # ten days after the mini shop's first event


def events_of(shop, user):
    return [e for e in shop_events(shop) if e.user_id == user]


def test_customer_profile(mini_shop):
    p = build_profile("C1", events_of(mini_shop, "C1"), mini_shop, now=NOW)
    assert p.kind == "customer" and p.name == "Ana Trail"
    assert p.top_categories[0][0] == "Trail Running Shoes"
    assert p.top_brands == (("Summit", 1.0),)
    assert p.lifetime_value == pytest.approx(89.99 + 199.0)  # shipped + processing
    assert p.orders == 2 and p.purchases == 1 and p.events == 5
    lo, hi = p.price_band
    assert 89.99 <= lo <= hi <= 199.0
    assert p.days_since_last_active == pytest.approx(0.0)  # the O1/O3 orders are in the future of NOW
    assert p.events_per_30d == 5.0  # active for less than 30 days: the rate is per month, not scaled up


def test_anonymous_profile_from_events_only(mini_shop):
    p = build_profile("U9", events_of(mini_shop, "U9"), mini_shop, now=NOW)
    assert p.kind == "anonymous" and p.name is None
    assert p.lifetime_value == 0 and p.orders == 0 and p.orders_per_30d == 0
    assert p.favourites == 1 and p.cart_adds == 0
    assert {c for c, _ in p.top_categories} == {"Dumbbells", "Road Running Shoes"}
    assert p.top_categories[0] == ("Dumbbells", 0.8)  # view 1 + favourite 3 vs one view
    assert p.price_band == (124.0, 149.0)  # 25th-75th percentile of 99, 149, 149
    assert p.days_since_last_active == pytest.approx((NOW - 1_763_006_600) / 86_400, abs=0.01)


def test_cancelled_and_returned_orders_do_not_count(mini_shop_dir):
    extra = [
        {
            "order_id": "O8",
            "customer_id": "C2",
            "status": "cancelled",
            "placed_at": "2026-11-02T09:00:00",
            "items": [{"product_id": "B5", "quantity": 1, "unit_price": 79.0}],
        },
        {
            "order_id": "O9",
            "customer_id": "C2",
            "status": "returned",
            "placed_at": "2026-11-03T09:00:00",
            "items": [{"product_id": "B6", "quantity": 1, "unit_price": 12.0}],
        },
    ]
    with open(mini_shop_dir / "orders.jsonl", "a") as fh:
        fh.writelines(json.dumps(o) + "\n" for o in extra)
    shop = load_shop(mini_shop_dir)
    p = build_profile("C2", events_of(shop, "C2"), shop, now=NOW)
    assert p.lifetime_value == 48.0  # only the delivered O2 (2 x 24.0)
    assert p.orders == 2  # delivered + returned; a cancelled order never happened


def test_engine_profile_includes_new_events_and_searches(mini_shop, hashing_embedder):
    store = MemoryEventStore()
    load_shop_events(store, mini_shop)
    engine = RecommendationEngine(
        mini_shop, hashing_embedder, store, Database("sqlite://"), clock=lambda: NOW
    )
    store.register_users(["S-anon"])
    engine.record(
        [
            Event("S-anon", "search", NOW - 60, query="red lipstick"),
            Event("S-anon", "add_to_cart", NOW - 30, "B6"),
        ]
    )
    p = engine.profile("S-anon")
    assert p.recent_searches == ("red lipstick",) and p.cart_adds == 1
    assert p.top_categories == (("Lipstick", 1.0),) and p.price_band == (12.0, 12.0)
    assert p.as_dict()["user_id"] == "S-anon"
