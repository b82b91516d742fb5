"""Sponsored results: campaign dates, budgets, frequency caps, stock, labelling, click logging."""

from datetime import UTC, datetime

import numpy as np
import pytest
from sqlalchemy import select

from recsys._ads import (
    AdConfig,
    AdServer,
    ClickOutcome,
    ad_vectors,
    campaign_active,
    clicks_table,
    impressions_table,
)
from recsys._db import Database
from recsys._engine import EngineConfig, RecommendationEngine, load_shop_events
from recsys._events import MemoryEventStore
from retrieval import Ad, InputError


def ts(day: str, hour: int = 12) -> float:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC).timestamp()


class Clock:
    def __init__(self, t: float):
        self.t = t

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock():
    return Clock(ts("2026-01-15"))


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, mini_shop, hashing_embedder, clock, database_url):
    """Impressions, clicks and budgets in SQLite and, when the test server runs, PostgreSQL."""
    store = MemoryEventStore()
    load_shop_events(store, mini_shop)
    config = EngineConfig(ads=AdConfig(slots=3, max_impressions_per_day=3))
    return RecommendationEngine(
        mini_shop, hashing_embedder, store, Database(database_url(request.param)), config=config, clock=clock
    )


def shown(engine, user="C2"):
    return [r.product_id for r in engine.recommend(user, k=3).sponsored]


def make_ad(ad_id="X", start="2026-03-01", end="2026-03-31", **kw) -> Ad:
    return Ad(
        ad_id=ad_id,
        advertiser="Acme",
        product_id=kw.pop("product_id", "S1"),
        headline="Buy it",
        bid_cpc=kw.pop("bid_cpc", 1.0),
        daily_budget=kw.pop("daily_budget", 10.0),
        start=start,
        end=end,
        **kw,
    )


def test_campaign_dates_are_inclusive_utc_days():
    ad = make_ad()
    assert campaign_active(ad, "2026-03-01") and campaign_active(ad, "2026-03-31")
    assert not campaign_active(ad, "2026-02-28") and not campaign_active(ad, "2026-04-01")
    assert campaign_active(make_ad(start="2026-03-01T00:00:00Z", end="2026-03-02T23:00:00Z"), "2026-03-02")
    assert not campaign_active(make_ad(start="soon"), "2026-03-02")  # unreadable dates never run


def test_sponsored_results_are_labelled_and_separate(engine):
    recs = engine.recommend("C2", k=5)
    assert recs.sponsored and all(
        r.sponsored and r.source == "sponsored" and r.impression_id and r.reason.startswith("Sponsored by ")
        for r in recs.sponsored
    )
    assert not any(r.sponsored for r in recs.organic)


def test_dates_and_stock_decide_eligibility(engine, clock):
    assert shown(engine) == [
        "B1",
        "S2",
    ]  # AD3 (near a skincare shopper) and AD1 run; AD2's product B4 is out of stock
    clock.t = ts("2026-02-01", 23)
    assert "B1" in shown(engine)  # AD3's last day, late in the evening (UTC)
    clock.t = ts("2026-02-02", 0)
    assert shown(engine) == ["S2"]
    clock.t = ts("2028-01-01")
    assert shown(engine) == []


def test_frequency_cap_per_shopper_per_day(engine, clock):
    for _ in range(3):
        assert "S2" in shown(engine, "C2")
    assert "S2" not in shown(engine, "C2")  # fourth impression today
    assert "S2" in shown(engine, "u-other")  # another shopper is not capped
    clock.t += 86_400
    assert "S2" in shown(engine, "C2")


def test_daily_budget_stops_the_ad_and_double_clicks_count_once(engine, clock):
    ad1 = engine.shop.ads["AD1"]  # bid 1.2, budget 50: 41 clicks spend 49.2, the 42nd cannot be paid
    clock.t = ts("2026-01-16", 8)
    users = [f"u{i}" for i in range(60)]
    clicks = 0
    for user in users:
        recs = engine.recommend(user, k=1).sponsored
        imp = next((r.impression_id for r in recs if r.product_id == ad1.product_id), None)
        if imp is None:
            break
        clock.t += 5  # a person reads before clicking: a click within a second is not billed
        assert engine.record_click(imp) == ClickOutcome(new=True, billed=True, invalid=None)
        assert engine.record_click(imp) == ClickOutcome(
            new=False, billed=False
        )  # a double click is stored once
        clicks += 1
    assert clicks == 41
    assert engine.ads.spend_today("2026-01-16")["AD1"] == pytest.approx(41 * 1.2)
    clock.t = ts("2026-01-17", 8)
    assert "S2" in shown(engine, "u0")  # a new day, a new budget


def test_click_on_unknown_impression_is_an_input_error(engine):
    with pytest.raises(InputError, match="Unknown impression id"):
        engine.record_click("nope")


def test_impressions_are_stored_with_position_and_expected_ctr(engine, clock):
    recs = engine.recommend("C2", k=3).sponsored
    with engine.ads.db.engine.connect() as conn:
        rows = conn.execute(select(impressions_table).order_by(impressions_table.c.position)).all()
    assert [r.impression_id for r in rows] == [r.impression_id for r in recs]
    assert [r.position for r in rows] == list(range(len(recs)))
    assert all(r.user_id == "C2" and 0 < r.expected_ctr < 1 and r.day == "2026-01-15" for r in rows)
    clock.t += 3
    assert engine.record_click(recs[0].impression_id, client="c0ffee", activity=4).billed
    with engine.ads.db.engine.connect() as conn:
        click = conn.execute(select(clicks_table)).one()
    assert click.cost == engine.shop.ads[rows[0].ad_id].bid_cpc
    assert (click.client, click.invalid, click.clicked_at) == ("c0ffee", None, clock.t)


class ConstantCTR:
    def predict(self, user, ad, ad_ids):
        return np.full(len(user), 0.1)


def test_slots_go_by_expected_value(mini_shop, hashing_embedder, engine):
    ads = {
        a.ad_id: a
        for a in [
            make_ad("cheap", product_id="S1", bid_cpc=0.5),
            make_ad("rich", product_id="S4", bid_cpc=2.0),
            make_ad("same-product", product_id="S4", bid_cpc=1.9),
        ]
    }
    server = AdServer(
        ads,
        mini_shop.products,
        Database("sqlite://"),
        engine.vectors,
        hashing_embedder,
        ConstantCTR(),
        AdConfig(slots=3),
    )
    assert set(ad_vectors(ads.values(), engine.vectors, hashing_embedder)) == set(ads)
    user = engine.vectors.vector("B1")  # far from both ads: distance does not decide here
    got = server.serve("C1", user, ts("2026-03-10"))
    assert [r.product_id for r in got] == ["S4", "S1"]  # by bid x p(click); one slot per product


def test_demo_campaign_cases_never_serve(clock):
    """Expired, not yet started and sold-out campaigns of the demo shop never get an impression."""
    import json

    from conftest import DEMO_SHOP

    from retrieval import HashingEmbedder, load_shop

    if not (DEMO_SHOP / "ads.jsonl").exists():
        pytest.skip("the demo shop is not generated")
    shop = load_shop(DEMO_SHOP)
    facts = json.loads((DEMO_SHOP / "demo_facts.json").read_text())
    banned = {ad for case in facts["ads"].values() for ad in case}
    clock.t = ts(facts["today"])
    store = MemoryEventStore()
    load_shop_events(store, shop)
    engine = RecommendationEngine(
        shop,
        HashingEmbedder(),
        store,
        Database("sqlite://"),
        clock=clock,
        config=EngineConfig(ads=AdConfig(slots=5, candidates=30)),
    )
    for user in sorted(shop.customers)[:40]:
        engine.recommend(user, k=3)
    with engine.ads.db.engine.connect() as conn:
        served = {r.ad_id for r in conn.execute(select(impressions_table.c.ad_id))}
    assert len(served) >= 10 and not served & banned


def test_an_ad_never_repeats_an_organic_pick(mini_shop, hashing_embedder, clock):
    """S2 is advertised (AD1); when the organic list already holds S2, its ad yields the slot."""
    store = MemoryEventStore()
    load_shop_events(store, mini_shop)
    config = EngineConfig(ads=AdConfig(slots=3, max_impressions_per_day=10))
    engine = RecommendationEngine(
        mini_shop, hashing_embedder, store, Database("sqlite://"), config=config, clock=clock
    )
    for user in ("C1", "C2", "U9"):
        recs = engine.recommend(user, k=len(mini_shop.products))
        organic = {r.product_id for r in recs.organic}
        assert not organic & {r.product_id for r in recs.sponsored}
    recs = engine.recommend("C1", k=len(mini_shop.products))
    assert "S2" in {r.product_id for r in recs.organic}  # shown organically, so its ad is not
