"""The ad server's invalid-click filter: clicks too soon after the impression, from idle chats,
or from one client address over its quota are stored but never billed, spent or counted."""

import threading
from datetime import UTC, datetime

import numpy as np
import pytest
from sqlalchemy import Column, Float, ForeignKey, Index, Integer, MetaData, String, Table, inspect, select

from bot.staff import AdStats
from bot.staff._analytics import ad_stats
from recsys import AdConfig, AdPerformance, AdServer, ClickOutcome, RecommendationEngine
from recsys._ads import MIGRATIONS, clicks_table
from recsys._db import Database, schema_migrations
from recsys._engine import EngineConfig, load_shop_events
from recsys._events import MemoryEventStore
from recsys._vectors import build_product_vectors
from retrieval import Ad, ConfigError, InputError

T0 = datetime(2026, 3, 10, 12, tzinfo=UTC).timestamp()
DAY = "2026-03-10"
ENGINE_T0 = datetime(2026, 1, 15, 12, tzinfo=UTC).timestamp()  # the mini shop's AD1 and AD3 both run


class ConstantCTR:
    def predict(self, user, ad, ad_ids):
        return np.full(len(user), 0.1)


class Clock:
    def __init__(self, t: float):
        self.t = t

    def __call__(self) -> float:
        return self.t


def campaign(ad_id: str, product_id: str, bid_cpc: float = 1.0, daily_budget: float = 10.0) -> Ad:
    return Ad(
        ad_id=ad_id,
        advertiser=f"Adv {ad_id}",
        product_id=product_id,
        headline="Buy it",
        bid_cpc=bid_cpc,
        daily_budget=daily_budget,
        start="2026-03-01",
        end="2026-03-31",
    )


# Four campaigns for in-stock products; each budget pays for ten clicks a day (the probe made 45).
CAMPAIGNS = {
    a.ad_id: a
    for a in [campaign("A1", "S1"), campaign("A2", "S4"), campaign("A3", "B1"), campaign("A4", "B6")]
}


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, database_url):
    database = Database(database_url(request.param))
    yield database
    database.dispose()


@pytest.fixture
def vectors(mini_shop, hashing_embedder):
    return build_product_vectors(list(mini_shop.products.values()), hashing_embedder)


@pytest.fixture
def server(db, mini_shop, vectors, hashing_embedder):
    return AdServer(
        CAMPAIGNS,
        mini_shop.products,
        db,
        vectors,
        hashing_embedder,
        ConstantCTR(),
        AdConfig(slots=4, max_impressions_per_day=100),
    )


def shopper(vectors) -> np.ndarray:
    v = vectors.matrix.mean(axis=0)
    return v / np.linalg.norm(v)


def show(server, vectors, user: str = "u1", now: float = T0, ad_id: str = "A1") -> str:
    """Serve the four ads to ``user`` at ``now``; the impression id of ``ad_id``."""
    product = CAMPAIGNS[ad_id].product_id
    return next(r.impression_id for r in server.serve(user, shopper(vectors), now) if r.product_id == product)


def stored_clicks(db) -> list:
    with db.engine.connect() as conn:
        return conn.execute(select(clicks_table).order_by(clicks_table.c.clicked_at)).all()


# ---------------------------------------------------------------------------------- configuration


def test_filter_thresholds_are_validated():
    cfg = AdConfig()
    assert (cfg.min_click_delay_s, cfg.min_activity, cfg.max_clicks_per_client) == (1.0, 2, 2)
    AdConfig(min_click_delay_s=0, min_activity=0, max_clicks_per_client=1)  # the loosest filter is allowed
    for bad in (
        dict(min_click_delay_s=-1),
        dict(min_click_delay_s=float("nan")),
        dict(min_activity=-1),
        dict(min_activity=1.5),
        dict(max_clicks_per_client=0),
        dict(max_clicks_per_client=True),
    ):
        with pytest.raises(ConfigError, match="AdConfig"):
            AdConfig(**bad)


def test_engine_takes_an_ad_config(mini_shop, hashing_embedder):
    ads = AdConfig(slots=1, min_click_delay_s=0.5, min_activity=3, max_clicks_per_client=4)
    engine = RecommendationEngine(
        mini_shop,
        hashing_embedder,
        MemoryEventStore(),
        Database("sqlite://"),
        config=EngineConfig(history_limit=50),
        ad_config=ads,
        collaborative=None,
    )
    assert engine.ads.config is ads and engine.config.ads is ads and engine.config.history_limit == 50


# ---------------------------------------------------------------------------------- each rule alone


def test_legitimate_click_is_billed(server, vectors, db):
    imp = show(server, vectors)
    got = server.record_click(imp, T0 + 2.5, user_id="u1", client="c-new", activity=3)
    assert got == ClickOutcome(new=True, billed=True, invalid=None)
    assert server.spend_today(DAY) == {"A1": pytest.approx(1.0)}
    (row,) = stored_clicks(db)
    assert (row.cost, row.client, row.invalid) == (pytest.approx(1.0), "c-new", None)


def test_too_soon_after_the_impression(server, vectors, db):
    early = show(server, vectors, "u1")
    assert server.record_click(early, T0 + 0.4) == ClickOutcome(new=True, billed=False, invalid="too_soon")
    assert server.record_click(early, T0 - 5) == ClickOutcome(new=False, billed=False)  # stored once
    on_time = show(server, vectors, "u2")
    assert server.record_click(on_time, T0 + 1.0).billed  # exactly the delay is a person's pace
    assert [(r.invalid, r.cost) for r in stored_clicks(db)] == [("too_soon", 0.0), (None, pytest.approx(1.0))]
    assert server.spend_today(DAY) == {"A1": pytest.approx(1.0)}


def test_no_activity_in_the_chat(server, vectors):
    later = T0 + 10
    assert server.record_click(show(server, vectors, "u1"), later, activity=1).invalid == "no_activity"
    assert server.record_click(show(server, vectors, "u2"), later, activity=0).invalid == "no_activity"
    assert server.record_click(show(server, vectors, "u3"), later, activity=2).billed
    assert server.record_click(
        show(server, vectors, "u4"), later
    ).billed  # unknown activity: rule not applied
    assert server.spend_today(DAY) == {"A1": pytest.approx(2.0)}


def test_repeated_address_over_its_daily_quota_per_ad(server, vectors, db):
    later = T0 + 10
    first = [
        server.record_click(show(server, vectors, f"u{i}"), later, client="tag-a", activity=5)
        for i in range(4)
    ]
    assert [c.billed for c in first] == [True, True, False, False]
    assert [c.invalid for c in first] == [None, None, "repeated_address", "repeated_address"]
    # Another ad, another address, no address at all: each has its own (or no) quota.
    assert server.record_click(show(server, vectors, "u5", ad_id="A2"), later, client="tag-a").billed
    assert server.record_click(show(server, vectors, "u6"), later, client="tag-b").billed
    assert server.record_click(show(server, vectors, "u7"), later).billed
    # Invalid clicks do not use up an address's quota: a fresh address starts at zero regardless.
    assert server.record_click(show(server, vectors, "u8"), T0 + 0.1, client="tag-c").invalid == "too_soon"
    assert server.record_click(show(server, vectors, "u8b"), later, client="tag-c").billed
    # The quota is per UTC day.
    tomorrow = T0 + 86_400
    assert server.record_click(show(server, vectors, "u9", tomorrow), tomorrow + 5, client="tag-a").billed
    assert sum(r.invalid == "repeated_address" for r in stored_clicks(db)) == 2


def test_a_double_click_is_stored_once(server, vectors, db):
    imp = show(server, vectors)
    assert server.record_click(imp, T0 + 3, client="t", activity=2) == ClickOutcome(True, True, None)
    assert server.record_click(imp, T0 + 3.2, client="t", activity=2) == ClickOutcome(False, False, None)
    assert len(stored_clicks(db)) == 1 and server.spend_today(DAY) == {"A1": pytest.approx(1.0)}


def test_unknown_or_foreign_impressions_and_bad_arguments(server, vectors):
    imp = show(server, vectors, "u1")
    with pytest.raises(InputError, match="Unknown impression id"):
        server.record_click(imp, T0 + 5, user_id="someone-else")
    with pytest.raises(InputError, match="client"):
        server.record_click(imp, T0 + 5, client="x" * 33)
    with pytest.raises(InputError, match="activity"):
        server.record_click(imp, T0 + 5, activity="3")  # type: ignore[arg-type]
    assert server.record_click(imp, T0 + 5, user_id="u1").new  # nothing was stored by the refusals


# ---------------------------------------------------------------------------------- the probe


def test_a_click_fraud_burst_bills_nothing_and_spends_no_budget(server, vectors, db):
    """The probe: 45 anonymous chats in about a second, each one message, clicking every
    sponsored result 0.1 s after it is shown, all from one address."""
    before = {a.ad_id for a in server.eligible("anon-x", T0)}
    assert before == set(CAMPAIGNS)
    outcomes = []
    for i in range(45):
        now = T0 + i * 0.02
        for r in server.serve(f"anon-{i:02d}", shopper(vectors), now):
            outcomes.append(
                server.record_click(
                    r.impression_id, now + 0.1, user_id=f"anon-{i:02d}", client="probe-tag", activity=1
                )
            )
    assert len(outcomes) == 45 * 4
    assert all(o.new and not o.billed and o.invalid == "too_soon" for o in outcomes)
    assert sum(server.spend_today(DAY).values()) == 0.0  # every campaign's budget untouched
    assert {a.ad_id for a in server.eligible("anon-new", T0 + 2)} == before
    assert len(stored_clicks(db)) == 180  # everything kept for the audit
    stats = {s.ad_id: s for s in server.stats()}
    assert all(
        s.clicks == 0 and s.invalid_clicks == 45 and s.spend == 0 and s.ctr == 0 for s in stats.values()
    )


def test_a_slower_burst_is_still_caught(server, vectors):
    """A script that waits past the delay is caught by its idle chats, and one that also chats
    is held to the per-address quota: at most 2 billed clicks per ad however many chats."""
    idle = [
        server.record_click(r.impression_id, T0 + 3, client="probe-tag", activity=1)
        for i in range(10)
        for r in server.serve(f"idle-{i}", shopper(vectors), T0)
    ]
    assert {o.invalid for o in idle} == {"no_activity"}
    chatty = [
        server.record_click(r.impression_id, T0 + 3, client="probe-tag", activity=4)
        for i in range(10)
        for r in server.serve(f"chatty-{i}", shopper(vectors), T0)
    ]
    assert sum(o.billed for o in chatty) == 2 * len(CAMPAIGNS)
    assert {o.invalid for o in chatty if not o.billed} == {"repeated_address"}
    assert server.spend_today(DAY) == {a: pytest.approx(2.0) for a in CAMPAIGNS}  # quota, not the budget


def test_concurrent_clicks_from_one_address_cannot_all_pass_the_quota(server, vectors):
    """The quota check and the insert are one locked transaction: 12 threads, 2 billed."""
    imps = [show(server, vectors, f"t{i}") for i in range(12)]
    barrier = threading.Barrier(len(imps))
    results: list[ClickOutcome] = []
    errors: list[BaseException] = []

    def click(imp: str) -> None:
        try:
            barrier.wait()
            results.append(server.record_click(imp, T0 + 5, client="racer", activity=3))
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=click, args=(imp,)) for imp in imps]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 12 and sum(r.billed for r in results) == 2
    assert server.spend_today(DAY) == {"A1": pytest.approx(2.0)}


def test_the_engine_passes_client_and_activity_through(mini_shop, hashing_embedder):
    clock = Clock(ENGINE_T0)
    store = MemoryEventStore()
    load_shop_events(store, mini_shop)
    engine = RecommendationEngine(
        mini_shop,
        hashing_embedder,
        store,
        Database("sqlite://"),
        clock=clock,
        ad_config=AdConfig(slots=3, min_click_delay_s=2.0),
    )
    imp = engine.recommend("e1", k=1).sponsored[0].impression_id
    clock.t += 1.5
    assert engine.record_click(imp, "e1", client="t1", activity=5).invalid == "too_soon"  # the engine's 2 s
    imp = engine.recommend("e2", k=1).sponsored[0].impression_id
    clock.t += 3
    assert engine.record_click(imp, "e2", client="t1", activity=1).invalid == "no_activity"
    imp = engine.recommend("e3", k=1).sponsored[0].impression_id
    clock.t += 3
    assert engine.record_click(imp, "e3", client="t1", activity=2) == ClickOutcome(True, True, None)
    with pytest.raises(InputError, match="Unknown impression id"):  # shown to e3, not e1
        engine.record_click(imp, "e1")


# ---------------------------------------------------------------------------------- storage


def v1_tables() -> tuple[MetaData, Table, Table]:
    """The ad tables as migration 1 first created them (no ``client``/``invalid``)."""
    meta = MetaData()
    imps = Table(
        "ad_impressions",
        meta,
        Column("impression_id", String(40), primary_key=True),
        Column("user_id", String(120), nullable=False),
        Column("ad_id", String(120), nullable=False),
        Column("product_id", String(200), nullable=False),
        Column("shown_at", Float, nullable=False),
        Column("day", String(10), nullable=False),
        Column("position", Integer, nullable=False),
        Column("expected_ctr", Float, nullable=False),
        Column("bid_cpc", Float, nullable=False),
        Index("ix_impressions_user_day", "user_id", "day"),
    )
    clicks = Table(
        "ad_clicks",
        meta,
        Column("impression_id", String(40), ForeignKey("ad_impressions.impression_id"), primary_key=True),
        Column("ad_id", String(120), nullable=False),
        Column("clicked_at", Float, nullable=False),
        Column("day", String(10), nullable=False),
        Column("cost", Float, nullable=False),
        Index("ix_clicks_ad_day", "ad_id", "day"),
    )
    return meta, imps, clicks


def test_migration_upgrades_a_version_1_database_keeping_its_rows(db, mini_shop, vectors, hashing_embedder):
    meta, imps, clicks = v1_tables()
    with db.engine.begin() as conn:
        meta.create_all(conn)
        conn.execute(schema_migrations.insert().values(namespace="recsys_ads", version=1))
        conn.execute(
            imps.insert(),
            [
                dict(
                    impression_id=f"old{i}",
                    user_id="C1",
                    ad_id="A1",
                    product_id="S1",
                    shown_at=T0 - 60,
                    day=DAY,
                    position=0,
                    expected_ctr=0.1,
                    bid_cpc=1.0,
                )
                for i in range(2)
            ],
        )
        conn.execute(
            clicks.insert().values(impression_id="old0", ad_id="A1", clicked_at=T0 - 30, day=DAY, cost=1.0)
        )
    assert db.applied("recsys_ads") == 1
    server = AdServer(
        CAMPAIGNS, mini_shop.products, db, vectors, hashing_embedder, ConstantCTR(), AdConfig(slots=4)
    )
    assert db.applied("recsys_ads") == len(MIGRATIONS) == 2
    cols = {c["name"]: c for c in inspect(db.engine).get_columns("ad_clicks")}
    assert cols["client"]["nullable"] and cols["invalid"]["nullable"]
    (old,) = stored_clicks(db)
    assert (old.impression_id, old.cost, old.client, old.invalid) == ("old0", 1.0, None, None)
    assert server.spend_today(DAY) == {"A1": pytest.approx(1.0)}  # a pre-filter click is a billed click
    assert server.record_click("old0", T0) == ClickOutcome(False, False, None)
    assert server.record_click("old1", T0, client="tag", activity=2) == ClickOutcome(True, True, None)
    assert server.record_click(show(server, vectors), T0 + 0.2).invalid == "too_soon"
    assert {s.ad_id: (s.impressions, s.clicks, s.invalid_clicks) for s in server.stats()}["A1"] == (3, 2, 1)


def test_migration_is_a_no_op_on_a_fresh_database(db, mini_shop, vectors, hashing_embedder):
    AdServer(CAMPAIGNS, mini_shop.products, db, vectors, hashing_embedder)
    AdServer(CAMPAIGNS, mini_shop.products, db, vectors, hashing_embedder)  # a restart migrates nothing
    assert db.applied("recsys_ads") == 2
    assert {"client", "invalid"} <= {c["name"] for c in inspect(db.engine).get_columns("ad_clicks")}


# ---------------------------------------------------------------------------------- statistics


def test_stats_separate_billed_from_invalid_clicks(server, vectors):
    for i in range(4):  # A1: 4 impressions, 1 billed, 1 too soon, 1 idle
        imp = show(server, vectors, f"u{i}")
        if i == 0:
            server.record_click(imp, T0 + 5, activity=2)
        elif i == 1:
            server.record_click(imp, T0 + 0.5)
        elif i == 2:
            server.record_click(imp, T0 + 5, activity=0)
    tomorrow = T0 + 86_400
    server.record_click(show(server, vectors, "u9", tomorrow, ad_id="A2"), tomorrow + 5)
    stats = {s.ad_id: s for s in server.stats()}
    assert stats["A1"] == AdPerformance("A1", 5, 1, 2, pytest.approx(1.0))
    assert stats["A1"].ctr == pytest.approx(0.2)
    assert stats["A2"] == AdPerformance("A2", 5, 1, 0, pytest.approx(1.0))
    assert [s.ad_id for s in server.stats()] == ["A1", "A2", "A3", "A4"]  # most shown first, then by id
    today = {s.ad_id: s for s in server.stats(DAY)}
    assert (today["A1"].impressions, today["A2"].clicks, today["A2"].spend) == (4, 0, 0.0)
    assert len(server.valid_click_ids()) == 2 and server.valid_click_ids() == _billed_ids(server)


def _billed_ids(server) -> set[str]:
    with server.db.engine.connect() as conn:
        return {r.impression_id for r in conn.execute(select(clicks_table).where(clicks_table.c.cost > 0))}


class FakeEngine:
    def __init__(self, rows):
        self.rows = rows

    def ad_stats(self):
        if isinstance(self.rows, Exception):
            raise self.rows
        return self.rows


def test_analytics_ad_stats_count_billed_clicks_and_report_invalid_ones():
    assert ad_stats(None) == AdStats()
    got = ad_stats(FakeEngine((AdPerformance("A1", 10, 1, 6, 1.2), AdPerformance("A2", 5, 0, 3, 0.0))))
    assert (got.impressions, got.clicks, got.ctr, got.invalid_clicks) == (15, 1, round(1 / 15, 4), 9)
    assert got.by_ad[0] == {
        "ad_id": "A1",
        "impressions": 10,
        "clicks": 1,
        "ctr": 0.1,
        "invalid_clicks": 6,
        "spend": 1.2,
    }
    with pytest.raises(RuntimeError, match="schema changed"):  # an error is an error, not "no ads"
        ad_stats(FakeEngine(RuntimeError("schema changed")))


def test_analytics_over_a_real_engine(mini_shop, hashing_embedder):
    clock = Clock(ENGINE_T0)
    store = MemoryEventStore()
    load_shop_events(store, mini_shop)
    engine = RecommendationEngine(
        mini_shop, hashing_embedder, store, Database("sqlite://"), clock=clock, ad_config=AdConfig(slots=3)
    )
    assert ad_stats(engine) == AdStats()  # a fresh engine: tables exist, nothing shown yet
    recs = engine.recommend("C2", k=3).sponsored
    engine.record_click(recs[0].impression_id, "C2", client="probe", activity=1)  # too soon, idle
    clock.t += 5
    engine.record_click(recs[1].impression_id, "C2", client="me", activity=3)
    got = ad_stats(engine)
    assert (got.impressions, got.clicks, got.invalid_clicks) == (len(recs), 1, 1)
    assert got.ctr == round(1 / len(recs), 4)


def test_invalid_clicks_are_not_click_model_positives(mini_shop, hashing_embedder):
    from recsys._clicktrain import logged_click_logs

    clock = Clock(ENGINE_T0)
    store = MemoryEventStore()
    load_shop_events(store, mini_shop)
    engine = RecommendationEngine(
        mini_shop, hashing_embedder, store, Database("sqlite://"), clock=clock, ad_config=AdConfig(slots=3)
    )
    recs = engine.recommend("C2", k=3).sponsored
    clock.t += 0.2
    assert engine.record_click(recs[0].impression_id, "C2").invalid == "too_soon"
    logs, _ = logged_click_logs(engine)
    assert len(logs) and logs.clicked.sum() == 0
