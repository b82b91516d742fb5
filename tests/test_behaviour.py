"""Behaviour vectors: the O(dimension) update equals a rebuild, persists, and moves rankings."""

import numpy as np
import pytest

from recsys._behaviour import BehaviourConfig, BehaviourModel, BehaviourStore, fold
from recsys._db import Database
from recsys._engine import RecommendationEngine, load_shop_events
from recsys._events import Event, MemoryEventStore, SqlEventStore, Validator
from recsys._vectors import build_product_vectors
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
        batch = [Event("NEW", str(rng.choice(kinds)), T0 + float(rng.uniform(0, 30 * DAY)), str(rng.choice(ids)))
                 for _ in range(5)]
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
    engine_state = engine.states.get("NEW")
    engine.rebuild_vectors(["NEW"])
    np.testing.assert_allclose(engine_state.total, engine.states.get("NEW").total, rtol=1e-6)
    assert engine_state.events == first.events + 1


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
    again = RecommendationEngine(mini_shop, hashing_embedder, engine.store, engine.states.db,
                                 cache_dir=tmp_path / "cache")
    state = again.states.get("NEW")
    assert state.total.dtype == np.float32 and state.events == 1
    np.testing.assert_allclose(state.unit(), again.vectors.vector("S6"), atol=1e-6)


def test_another_embedders_vector_is_rebuilt_not_reused(engine, tmp_path, mini_shop):
    other = HashingEmbedder(dim=384)
    other.name = "other-model"
    vectors = build_product_vectors(list(mini_shop.products.values()), other)
    store = BehaviourStore(engine.states.db, BehaviourModel(vectors, other).space)
    assert store.get("C1") is None  # the row exists, but in the hashing space
    assert engine.states.get("C1") is not None or engine.behaviour_vector("C1") is not None


def test_text_events_shift_the_vector(engine):
    engine.record([Event("NEW", "chat", T0, query="a tent for two people, waterproof, for backpacking")])
    top = engine.recommend("NEW", k=1).organic[0]
    assert top.product_id == "S5" and "asked about" in top.reason


def test_bad_config_names_the_problem():
    with pytest.raises(ConfigError, match="half_life"):
        BehaviourConfig(half_life_days=0)
    with pytest.raises(ConfigError, match="positive"):
        BehaviourConfig(weights={"view": -1.0})
