"""Ranking: fusion, business rules, context, cold start (shoppers and products), reasons, tool."""

import dataclasses
import json

import numpy as np
import pytest
from conftest import DEMO_SHOP as DEMO

from recsys._db import Database
from recsys._engine import EngineConfig, RecommendationEngine, load_shop_events
from recsys._events import Event, MemoryEventStore, Validator
from recsys._langchain import make_recommend_tool
from recsys._recommend import FusionWeights, Recommendation, RecommendContext, rank
from recsys._rules import Rules
from retrieval import ConfigError, Constraints, HashingEmbedder, NotFoundError, load_shop

T0 = 1_763_000_000.0


def build(shop, embedder, config=None, collaborative=None):
    store = MemoryEventStore()
    store.validator = Validator(products=lambda p: p in shop.products, users=store.has_user)
    load_shop_events(store, shop)
    store.register_users(["NEW"])
    return RecommendationEngine(
        shop, embedder, store, Database("sqlite://"), config=config, collaborative=collaborative
    )


@pytest.fixture
def engine(mini_shop, hashing_embedder):
    return build(mini_shop, hashing_embedder)


def ids(recs):
    return [r.product_id for r in recs]


def test_fusion_known_answer():
    signals = {"content": np.array([0.9, 0.1, 0.5, 0.0]), "popular": np.array([0.0, 1.0, 0.5, 2.0])}
    eligible = np.array([True, True, True, False])
    content_first = rank(
        signals, FusionWeights(content=1, collaborative=0, popular=0.1, trending=0), eligible, 3
    )
    assert [r.row for r in content_first] == [0, 2, 1] and content_first[0].source == "content"
    popular_first = rank(
        signals, FusionWeights(content=0.1, collaborative=0, popular=1, trending=0), eligible, 3
    )
    assert [r.row for r in popular_first] == [1, 2, 0] and popular_first[0].source == "popular"
    rrf = rank(signals, FusionWeights(content=1, popular=0.1, method="rrf"), eligible, 3)
    assert rrf[0].row == 0  # row 3 has the best popularity but is not eligible


def test_unknown_names_list_the_choices():
    with pytest.raises(ConfigError, match="minmax"):
        FusionWeights(method="magic")
    with pytest.raises(ConfigError, match="category_cap"):
        Rules(diversity="random")


def test_recommendations_are_typed_frozen_and_json_able(engine):
    recs = engine.recommend("C1", k=3)
    r = recs.organic[0]
    assert isinstance(r, Recommendation) and r.sponsored is False and r.reason
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.score = 1.0  # type: ignore[misc]
    json.dumps(recs.as_dict())


def test_never_out_of_stock_and_purchases_excluded(engine, mini_shop):
    for user in ("C1", "C2", "U9", "NEW", None):
        got = ids(engine.recommend(user, k=12).organic)
        assert not {"S3", "B4"} & set(got)  # stock 0
    c1 = ids(engine.recommend("C1", k=12).organic)
    assert "S1" not in c1 and "S5" not in c1  # bought (events) and ordered (orders.jsonl)
    keep = build(mini_shop, engine.embedder, EngineConfig(rules=Rules(exclude_purchased=False)))
    assert "S1" in ids(keep.recommend("C1", k=12).organic)


def test_context_constraints_are_hard(engine):
    cheap = engine.recommend("C1", k=10, context=RecommendContext(Constraints(price_max=50))).organic
    assert cheap and all(engine.shop.products[r.product_id].price <= 50 for r in cheap)
    sun = engine.recommend(
        "C1", k=5, context=RecommendContext(Constraints(categories=("Sunscreens",)))
    ).organic
    assert ids(sun) == ["B3"]  # the only in-stock sunscreen, though C1 is a trail runner
    assert sun[0].reason == "Popular in Sunscreens"


def test_product_under_discussion_gives_similar_items(engine):
    recs = engine.recommend("C2", k=3, context=RecommendContext(about_product_id="S4")).organic
    assert recs[0].product_id in {"S1", "S2"} and recs[0].source == "similar"
    assert recs[0].reason == "Similar to Tempo Road Running Shoe"
    assert "S4" not in ids(recs)
    assert ids(engine.similar("B1", k=1)) == ["B2"]  # the other moisturizer
    with pytest.raises(NotFoundError):
        engine.recommend("C1", context=RecommendContext(about_product_id="NOPE"))


def test_diversity_caps_categories(mini_shop, hashing_embedder):
    capped = build(mini_shop, hashing_embedder, EngineConfig(rules=Rules(max_per_category=1)))
    cats = [mini_shop.products[p].category for p in ids(capped.recommend("C1", k=5).organic)]
    assert len(cats) == len(set(cats)) == 5
    mmr = build(mini_shop, hashing_embedder, EngineConfig(rules=Rules(diversity="mmr", mmr_lambda=0.3)))
    assert len(set(ids(mmr.recommend("C1", k=6).organic))) == 6


def test_already_seen_products_are_capped(mini_shop, hashing_embedder):
    def seen_in_top(max_seen):
        engine = build(mini_shop, hashing_embedder, EngineConfig(rules=Rules(max_seen=max_seen)))
        return {"S6", "S4"} & set(ids(engine.recommend("U9", k=5).organic))  # U9 viewed both

    assert seen_in_top(None) == {"S6", "S4"}
    assert len(seen_in_top(1)) == 1
    assert seen_in_top(0) == set()
    with pytest.raises(ConfigError, match="max_seen"):
        Rules(max_seen=-1)


def test_cold_shopper_gets_popular_and_trending(engine):
    recs = engine.recommend("NEW", k=4).organic
    assert len(recs) == 4 and {r.source for r in recs} <= {"popular", "trending"}
    assert recs[0].product_id == "S1"  # the most engaged-with product in the mini shop
    assert all(r.reason.startswith(("Popular in", "Trending")) for r in recs)


def test_cold_shopper_is_steered_by_words(engine):
    hinted = engine.recommend(
        "NEW", k=2, context=RecommendContext(hint="a waterproof tent for camping")
    ).organic
    assert hinted[0].product_id == "S5" and hinted[0].reason == 'Matches "a waterproof tent for camping"'
    engine.record([Event("NEW", "search", T0, query="lipstick")])
    top = engine.recommend("NEW", k=1).organic[0]
    assert top.product_id == "B6" and top.reason == 'Matches your search "lipstick"'


def test_product_without_events_is_reachable_by_content(mini_shop_dir, hashing_embedder):
    new = {
        "id": "S7",
        "title": "Ridge Runner GTX Mid Trail Shoe",
        "brand": "Summit",
        "category": "Sports & Outdoors > Running > Trail Running Shoes",
        "price": 139.0,
        "stock": 4,
        "description": "A waterproof mid-cut trail running shoe with a Gore-Tex membrane and lug outsole.",
        "attributes": {"waterproof": True},
        "tags": ["trail", "waterproof"],
    }
    with open(mini_shop_dir / "products.jsonl", "a") as fh:
        fh.write(json.dumps(new) + "\n")
    shop = load_shop(mini_shop_dir)
    engine = build(shop, hashing_embedder)
    assert engine.stats.popular()[engine.catalogue.position["S7"]] == 0  # no events at all
    recs = engine.recommend("C1", k=3).organic
    hit = next(r for r in recs if r.product_id == "S7")
    assert hit.source == "content" and hit.reason.startswith("Because you")


class FixedCollaborative:
    """A fake collaborative model with an obvious answer: everyone who shops also likes B6."""

    def __init__(self):
        self.item_ids = ["B6", "S1"]
        self.fitted = 0

    def fit(self, interactions):
        self.fitted = len(interactions)

    def score(self, history):
        return np.array([1.0, 0.0])


def test_collaborative_signal_plugs_in(mini_shop, hashing_embedder):
    collab = FixedCollaborative()
    engine = build(mini_shop, hashing_embedder, EngineConfig(fusion=FusionWeights(collaborative=1.0)), collab)
    assert collab.fitted == 12
    top = engine.recommend("U9", k=1).organic[0]
    assert top.product_id == "B6" and top.source == "collaborative"
    assert top.reason == "Popular with shoppers who like what you like"


def test_behaviour_recommender_from_the_collab_module_runs(mini_shop, hashing_embedder):
    from recsys._collab import BehaviourRecommender

    engine = build(mini_shop, hashing_embedder, collaborative=BehaviourRecommender())
    assert len(engine.recommend("C1", k=5).organic) == 5


def test_tool_binds_the_shopper_from_context_not_from_the_model(engine):
    tool = make_recommend_tool(engine, get_user_id=lambda: "C2", sponsored_slots=0)
    assert "user_id" not in tool.args
    mine = tool.invoke({"k": 3})
    forged = tool.invoke({"k": 3, "user_id": "C1"})  # a prompt-injected identity
    assert [r["product_id"] for r in forged["organic"]] == [r["product_id"] for r in mine["organic"]]
    assert [r["product_id"] for r in mine["organic"]] == ids(engine.recommend("C2", k=3).organic)
    assert ids(engine.recommend("C1", k=3).organic) != [r["product_id"] for r in mine["organic"]]
    json.dumps(mine)


def test_tool_filters_and_reports_caller_errors(engine):
    tool = make_recommend_tool(engine, get_user_id=lambda: "C1")
    out = tool.invoke({"max_price": 30, "k": 5})
    assert out["organic"] and all(r["price"] <= 30 for r in out["organic"])
    assert all(r["sponsored"] and "impression_id" in r for r in out["sponsored"])
    assert "Unknown product" in tool.invoke({"about_product_id": "NOPE"})["error"]


# ----------------------------------------------------------------------------- the demo shop


@pytest.fixture(scope="module")
def demo():
    if not (DEMO / "events.csv").exists():
        pytest.skip("the demo shop is not generated")
    return build(load_shop(DEMO), HashingEmbedder())


def test_demo_trending_finds_the_planted_trends(demo):
    facts = json.loads((DEMO / "demo_facts.json").read_text())
    z = demo.stats.trending()
    top10 = {demo.catalogue.ids[i] for i in np.argsort(-z)[:10]}
    assert set(facts["trending_last_week"]) <= top10


def test_demo_recommendations_follow_personas(demo):
    data = json.loads((DEMO / "personas.json").read_text())
    hits = total = 0
    for user, persona in list(data["users"].items())[:40]:
        if persona in ("gift_shopper", "bargain_hunter"):  # these browse everywhere by design
            continue
        wanted = {c.split(" > ")[1] for c in data["personas"][persona]["categories"]}
        for r in demo.recommend(user, k=10, sponsored=0).organic:
            hits += demo.shop.products[r.product_id].category_path[1] in wanted
            total += 1
    assert hits / total > 0.8


@pytest.mark.slow
def test_real_embedder_understands_words_without_shared_vocabulary(mini_shop, real_embedder):
    engine = build(mini_shop, real_embedder)
    top = engine.recommend("NEW", k=1, context=RecommendContext(hint="protect my face from the sun")).organic[
        0
    ]
    assert top.product_id == "B3" and top.source == "hint"  # the in-stock sunscreen
