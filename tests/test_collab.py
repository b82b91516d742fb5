"""Known-answer tests for the behaviour recommender, its components, registry and tuner."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from recsys._collab import PRESETS, BehaviourRecommender, Fusion, FusionConfig, make_model
from recsys._components import History, ItemKNN, Popularity, Profile, Transitions, _prune
from recsys._eval import evaluate, split_log
from recsys._interactions import EventLog, Histories, IdIndex, Interaction
from recsys._tuning import tune, validation_split
from retrieval import ConfigError


def seq(user: str, items: str, event: str = "purchase", start: int = 0) -> list[Interaction]:
    return [Interaction(user, item, event, float(start + t)) for t, item in enumerate(items)]


# Everyone walks the same path A -> B -> C -> D; a second crowd shops X, Y, Z in any order.
SHOPPERS = [x for u in range(6) for x in seq(f"p{u}", "ABCD")] + [
    x for u, order in enumerate(("XYZ", "ZXY", "YZX")) for x in seq(f"q{u}", order)
]


def top(model: BehaviourRecommender, history: list[Interaction], k: int = 1) -> list[str]:
    return [item for item, _ in model.recommend(history, k)]


def fit(config: FusionConfig | str = "sequential") -> BehaviourRecommender:
    return BehaviourRecommender(config).fit(SHOPPERS)


def test_transitions_follow_the_path_and_the_latest_event_wins():
    model = fit(FusionConfig(knn_weight=0, popularity_weight=0))
    assert top(model, seq("new", "A")) == ["B"]
    assert top(model, seq("new", "AB")) == ["C"]
    # the very next recommendation reflects a new event: no refit, no per-user state
    assert top(model, seq("new", "ABC")) == ["D"]


def test_item_knn_stays_inside_the_crowd():
    model = fit(FusionConfig(trans_weight=0, popularity_weight=0))
    ranked = top(model, seq("new", "X"), k=2)
    assert sorted(ranked) == ["Y", "Z"]
    scores = dict(zip(model.item_ids, model.score(seq("new", "X")), strict=True))
    assert scores["A"] == scores["D"] == 0.0


def test_cold_shopper_gets_popular_items_and_unknown_items_are_ignored():
    model = fit()
    cold = model.score([])
    assert cold.shape == (len(model.item_ids),) and cold.max() > 0
    assert np.allclose(model.score(seq("new", "?")), cold)  # an item the model never saw
    assert top(model, [], k=4) == ["A", "B", "C", "D"]  # six shoppers each, ties in id order


def test_history_component_prefers_cart_and_recency_for_keep_seen():
    model = BehaviourRecommender(
        FusionConfig(history_weight=1, knn_weight=0, trans_weight=0, popularity_weight=0, history_half_life=0)
    ).fit(SHOPPERS)
    history = [
        Interaction("s", "X", "view", 1),
        Interaction("s", "Y", "add_to_cart", 2),
        Interaction("s", "X", "view", 3),
    ]
    assert top(model, history, k=1) == []  # everything it knows is already seen
    assert [i for i, _ in model.recommend(history, 2, exclude_seen=False)] == ["Y", "X"]  # 3 > 1 + 1


def test_profile_weights_decay_and_binary():
    h = Histories(np.array([0, 3]), np.array([0, 1, 0]), np.array([0, 3, 0], np.int8), np.zeros(3))
    dense = Profile().matrix(h, 2).toarray()[0]
    assert dense.tolist() == [2.0, 3.0]  # two views of item 0, one cart of item 1
    halved = Profile(half_life=1.0).matrix(h, 2).toarray()[0]
    assert halved.tolist() == [1.0 + 0.25, 1.5]  # positions from the end: 0 and 2 for item 0
    assert Profile(binary=True).matrix(h, 2).toarray()[0].tolist() == [1.0, 1.0]


def test_histories_take_and_single_keep_time_order():
    log = EventLog.from_interactions(seq("a", "PQ") + seq("b", "RST"))
    h = log.histories()
    sub = h.take(np.array([1, 0]))
    assert [log.item_ids[i] for i in sub.item] == ["R", "S", "T", "P", "Q"]
    assert sub.position_from_end().tolist() == [2, 1, 0, 1, 0]
    items = IdIndex(log.item_ids)
    one = Histories.single([Interaction("x", "Q", "view", 5), Interaction("x", "P", "view", 1)], items)
    assert [log.item_ids[i] for i in one.item] == ["P", "Q"]


def test_prune_keeps_the_strongest_neighbours_per_row():
    s = sp.csr_matrix(np.array([[0, 3, 1, 2], [5, 0, 0, 1], [0, 0, 0, 0], [1, 1, 1, 0]], dtype=np.float32))
    pruned = _prune(s, 2).toarray()
    assert pruned[:3].tolist() == [[0, 3, 0, 2], [5, 0, 0, 1], [0, 0, 0, 0]]
    assert (pruned[3] > 0).sum() == 2  # a three-way tie still keeps exactly k


def test_components_share_the_scorer_contract():
    train = EventLog.from_interactions(SHOPPERS).histories()
    n = int(train.item.max()) + 1
    for part in (ItemKNN(), Transitions(), History(), Popularity(half_life_s=3600)):
        scores = part.fit(train, n).score_batch(train)
        assert scores.shape == (train.n_users, n)
        assert scores.min() >= 0 and scores.max() <= 1 + 1e-6


def test_registry_presets_and_ablation_configs():
    with pytest.raises(ConfigError, match="choose one of: shoptalk"):
        make_model("svd")
    with pytest.raises(ConfigError, match="sequential"):
        BehaviourRecommender("fancy")
    cfg = PRESETS["repeat"]
    assert cfg.only("trans").weights() == {"knn": 0, "trans": 1, "history": 0, "popularity": 0}
    assert cfg.without("history").history_weight == 0 and cfg.without("history").knn_weight == cfg.knn_weight
    assert set(Fusion(cfg.only("knn")).parts) == {"knn"}  # switched-off components are not fitted


def test_fusion_beats_popularity_and_tuning_is_deterministic():
    # paths of different lengths: every step a target needs is seen in someone else's history
    events = [x for u in range(16) for x in seq(f"p{u}", "ABCDEF"[: 3 + u % 4])]
    events += [x for u in range(30) for x in seq(f"q{u}", "PQR")]  # popular, but another crowd
    split = split_log(EventLog.from_interactions(events))
    fused = evaluate("shoptalk", Fusion(PRESETS["sequential"]), split)
    pop = evaluate("popularity", make_model("popularity"), split)
    assert fused.ndcg > pop.ndcg
    val = validation_split(split)
    space = {"trans_weight": (0.0, 1.0), "knn_half_life": (0.0, 1.0)}
    first, second = tune(val, space=space), tune(val, space=space)
    assert first.config == second.config and first.ndcg == second.ndcg
    assert first.ndcg >= first.trials[0].ndcg and len(first.trials) >= 3


def test_empty_shop_fits_and_recommends_nothing():
    model = BehaviourRecommender().fit([])
    assert model.score([]).shape == (0,)
    assert model.recommend([Interaction("u", "x", "view", 1.0)]) == []
