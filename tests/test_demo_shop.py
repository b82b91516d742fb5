"""The committed demo shop: loads cleanly, covers every case the demo and the engines rely on,
and is exactly what the generator produces (so nobody hand-edits it into drift)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from retrieval import ITEM_EVENTS, Shop, load_shop

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "data" / "demo_shop"
GENERATOR = REPO / "scripts" / "make_demo_shop.py"
TODAY = "2026-11-25"  # the shop's "now" (demo_facts.json says the same)
REQUIRED_POLICIES = ("shipping", "returns", "warranty", "payments", "price_matching", "privacy", "sizing")


@pytest.fixture(scope="module")
def shop() -> Shop:
    return load_shop(DEMO)


def leaf(p) -> str:
    return p.category_path[-1]


def test_loads_without_errors(shop):
    assert shop.errors == []


def test_catalogue_is_large_with_some_out_of_stock(shop):
    products = list(shop.products.values())
    assert len(products) >= 300
    sold_out = sum(not p.in_stock for p in products)
    assert 0.08 <= sold_out / len(products) <= 0.10
    assert len({leaf(p) for p in products}) >= 28
    assert {p.category_path[0] for p in products} == {"Sports & Outdoors", "Beauty"}
    new = [p for p in products if p.rating is None]
    assert new and all(p.review_count == 0 for p in new)


def test_filters_have_non_trivial_answers(shop):
    products = list(shop.products.values())
    trail_wp = [
        p for p in products if leaf(p) == "Trail Running Shoes" and p.attributes["waterproof"] is True
    ]
    cheap = [p for p in trail_wp if p.price <= 100]
    assert sum("10" in p.attributes["sizes"] for p in cheap) >= 2
    assert any("10" not in p.attributes["sizes"] for p in cheap)
    assert sum(p.price > 100 for p in trail_wp) >= 2
    sensitive = [
        p for p in products if leaf(p) == "Moisturizers" and "sensitive" in p.attributes["skin_type"]
    ]
    assert len(sensitive) >= 3
    spfs = Counter(p.attributes["spf"] for p in products if leaf(p) == "Sunscreens")
    assert spfs[30] >= 3 and spfs[50] >= 3
    blue_leaves = {
        leaf(p) for p in products if any("blue" in c.split() for c in p.attribute_values("colors"))
    }
    assert len(blue_leaves) >= 5


def test_every_order_status_present_and_shipped_orders_are_tracked(shop):
    statuses = Counter(o.status for o in shop.orders.values())
    assert set(statuses) == {"processing", "shipped", "delivered", "cancelled", "returned"}
    assert min(statuses.values()) >= 10
    for order in shop.orders.values():
        assert order.customer_id in shop.customers
        assert order.placed_at < TODAY + "T12:00:00Z"
        if order.status == "shipped":
            assert order.carrier in {"UPS", "FedEx", "USPS"} and order.tracking_number
            assert order.eta is not None and order.eta >= TODAY
        if order.status in ("processing", "cancelled"):
            assert order.carrier is None and order.tracking_number is None and order.eta is None


@pytest.mark.parametrize("name", REQUIRED_POLICIES)
def test_required_policy_present_with_sections(shop, name):
    text = (DEMO / "policies" / f"{name}.md").read_text(encoding="utf-8")
    assert text.startswith("# ")
    sections = [s for s in shop.policies if s.policy == name]
    assert len(sections) >= 3
    assert all(s.heading != "Overview" for s in sections)  # everything sits under a '## ' heading


def test_policies_agree_on_key_numbers(shop):
    text = {s.policy: "" for s in shop.policies}
    for s in shop.policies:
        text[s.policy] += s.text + "\n"
    assert "$5.95" in text["shipping"] and "$75" in text["shipping"]
    assert "30 days" in text["returns"] and "45 days" in text["returns"] and "14 days" in text["returns"]
    assert "cryptocurrency" in text["payments"] and "14 days" in text["price_matching"]
    assert "within 30 days" in text["privacy"]


def test_events_cover_many_shoppers_with_a_realistic_funnel(shop):
    events = shop.events
    assert len({e.user_id for e in events}) >= 200
    assert 25_000 <= len(events) <= 60_000
    assert [e.timestamp for e in events] == sorted(e.timestamp for e in events)
    counts = Counter(e.event for e in events)
    assert set(counts) == set(ITEM_EVENTS)  # a shop file holds product events only
    assert 0.02 <= counts["purchase"] / counts["view"] <= 0.08
    last = datetime.fromtimestamp(events[-1].timestamp, UTC).date().isoformat()
    assert last <= TODAY


def test_personas_are_distinct_and_cover_every_shopper(shop):
    doc = json.loads((DEMO / "personas.json").read_text(encoding="utf-8"))
    assert len(doc["personas"]) >= 8
    assert all(p["description"] for p in doc["personas"].values())
    assert {e.user_id for e in shop.events} <= set(doc["users"])
    assert set(doc["users"].values()) == set(doc["personas"])


def test_ads_include_expired_future_and_out_of_stock_cases(shop):
    ads = list(shop.ads.values())
    assert len(ads) >= 25
    assert sum(a.end < TODAY for a in ads) >= 2
    assert sum(a.start > TODAY for a in ads) >= 2
    live = [a for a in ads if a.start <= TODAY <= a.end]
    assert sum(shop.products[a.product_id].stock == 0 for a in live) >= 2
    assert all(a.advertiser == shop.products[a.product_id].brand for a in ads)
    assert {shop.products[a.product_id].category_path[0] for a in live} == {"Sports & Outdoors", "Beauty"}


def test_generator_is_deterministic(tmp_path):
    out = tmp_path / "shop"
    subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(out), "--seed", "7"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    committed = sorted(p.relative_to(DEMO) for p in DEMO.rglob("*") if p.is_file())
    generated = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert generated == committed
    for rel in committed:
        assert (out / rel).read_bytes() == (DEMO / rel).read_bytes(), (
            f"{rel} differs: regenerate the demo shop"
        )
