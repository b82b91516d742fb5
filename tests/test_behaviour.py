"""Behaviour vectors: the O(dimension) update equals a rebuild, persists, and moves rankings."""

import numpy as np
import pytest

from recsys._behaviour import BehaviourConfig, fold
from recsys._db import Database
from recsys._engine import RecommendationEngine, load_shop_events
from recsys._events import Event, MemoryEventStore, SqlEventStore, Validator
from retrieval import ConfigError, HashingEmbedder

T0 = 1_763_000_000.0
DAY = 86_400.0


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def engine(request, tmp_path, mini_shop, hashing_embedder, database_url):
    db = Database(database_url("sqlite" if request.param == "memory" else request.param))
    store = MemoryEventStore() if request.param == "memory" else SqlEventStore(db)
    store.validator = Validator(products=lambda p: p in mini_shop.products, users=store.has_user)
    load_shop_events(store, mini_shop)
    store.register_users(["NEW"])
    return RecommendationEngine(mini_shop, hashing_embedder, store, db, cache_dir=tmp_path / "cache")


def test_fold_decays_by_half_life():
    h = 10.0
    a, b = np.eye(2)[0], np.eye(2)[1]
    s = fold(fold(None, a, 1.0, 0.0, h), b, 1.0, 10.0, h)
    np.testing.assert_allclose(s.total, [0.5, 1.0])
    late = fold(fold(None, b, 1.0, 10.0, h), a, 1.0, 0.0, h)  # same events, arriving out of order
    np.testing.assert_allclose(late.total, s.total)
    assert late.as_of == s.as_of == 10.0 and late.weight == pytest.approx(1.5)


def test_incremental_equals_rebuild(engine):
    rng = np.random.default_rng(0)
    ids = list(engine.shop.products)
    kinds = ["view", "click", "favorite", "add_to_cart", "purchase"]
    for step in range(6):  # several batches, timestamps deliberately shuffled within and across
        batch = [
            Event("NEW", str(rng.choice(kinds)), T0 + float(rng.uniform(0, 30 * DAY)), str(rng.choice(ids)))
            for _ in range(5)
        ]
        batch.append(Event("NEW", "search", T0 + step * DAY, query=f"waterproof trail {step}"))
        engine.record(batch)
    incremental = engine.states.get("NEW")
    engine.rebuild_vectors(["NEW"])
    rebuilt = engine.states.get("NEW")
    assert incremental.events == rebuilt.events == 36
    np.testing.assert_allclose(incremental.total, rebuilt.total, rtol=1e-5, atol=1e-6)
    assert incremental.as_of == rebuilt.as_of


def test_replayed_events_are_not_counted_twice(engine):
    batch = [Event("NEW", "view", T0, "S1"), Event("NEW", "purchase", T0 + 60, "S4")]
    assert engine.record(batch) == 2
    first = engine.states.get("NEW")
    assert engine.record(batch) == 0
    assert engine.record(batch + [Event("NEW", "view", T0 + 120, "B1")]) == 1  # partly a replay
    state = engine.states.get("NEW")
    # By hand: view 1, purchase 5, view 1, each decayed to the newest event (T0 + 120) by
    # 2 ** (-age / half_life). A replay counted twice would double S1's and S4's share.
    h = 14 * DAY
    d60, d120 = 0.5 ** (60 / h), 0.5 ** (120 / h)
    v = engine.vectors.vector
    assert first.events == 2 and first.weight == pytest.approx(d60 + 5)
    assert state.events == 3 and state.as_of == T0 + 120
    assert state.weight == pytest.approx(d120 + 5 * d60 + 1)
    np.testing.assert_allclose(
        state.total, d120 * v("S1") + 5 * d60 * v("S4") + v("B1"), rtol=1e-5, atol=1e-6
    )


def test_next_recommendation_reflects_a_new_event(engine):
    def rank_of(pid):
        return [r.product_id for r in engine.recommend("C2", k=12).organic].index(pid)

    before = rank_of("S5")
    assert engine.recommend("C2", k=1).organic[0].product_id == "B3"  # in the skincare shopper's cart
    engine.record([Event("C2", "add_to_cart", T0 + 10 * DAY, "S5")])
    after = {r.product_id: r for r in engine.recommend("C2", k=3).organic}
    assert rank_of("S5") < before
    assert after["S5"].reason == "Still in your cart"


def test_vector_persists_as_float32_and_survives_restart(engine, tmp_path, mini_shop, hashing_embedder):
    engine.record([Event("NEW", "view", T0, "S6")])
    again = RecommendationEngine(
        mini_shop, hashing_embedder, engine.store, engine.states.db, cache_dir=tmp_path / "cache"
    )
    state = again.states.get("NEW")
    assert state.total.dtype == np.float32 and state.events == 1
    np.testing.assert_allclose(state.unit(), again.vectors.vector("S6"), atol=1e-6)


def test_another_embedders_vector_is_rebuilt_not_reused(engine, tmp_path, mini_shop):
    assert engine.behaviour_vector("C1") is not None
    assert engine.states.get("C1") is not None  # C1's row, in the 384-d hashing space
    other = HashingEmbedder(dim=64)
    other.name = "other-model"
    again = RecommendationEngine(
        mini_shop, other, engine.store, engine.states.db, cache_dir=tmp_path / "other"
    )
    assert again.states.get("C1") is None  # the row exists, but in another space: not read
    rebuilt = again.behaviour_vector("C1")

    # Rebuilt from C1's five events (fixture events.csv) in the new space, by the closed form
    # sum(weight * 2 ** (-age / half_life) * embedding), ages counted from the newest event.
    def age(t: float) -> float:
        return (1_763_002_400 - t) / (14 * DAY)

    v = again.vectors.vector
    expected = (
        (1 * 0.5 ** age(1_763_000_000) + 2 * 0.5 ** age(1_763_000_600) + 5 * 0.5 ** age(1_763_001_800))
        * v("S1")
        + 0.5 ** age(1_763_001_200) * v("S2")
        + v("S5")
    )
    assert rebuilt is not None and rebuilt.shape == (64,)
    np.testing.assert_allclose(rebuilt, expected / np.linalg.norm(expected), rtol=1e-5, atol=1e-6)
    assert again.states.get("C1").events == 5
    assert engine.states.get("C1") is None  # one row per shopper: now in the other space


def test_text_events_shift_the_vector(engine):
    engine.record([Event("NEW", "chat", T0, query="a tent for two people, waterproof, for backpacking")])
    top = engine.recommend("NEW", k=1).organic[0]
    assert top.product_id == "S5" and "asked about" in top.reason


def test_bad_config_names_the_problem():
    with pytest.raises(ConfigError, match="half_life"):
        BehaviourConfig(half_life_days=0)
    with pytest.raises(ConfigError, match="positive"):
        BehaviourConfig(weights={"view": -1.0})
