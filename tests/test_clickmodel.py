"""Click model: trains on simulated logs, beats random and the constant-CTR log-loss, saves/loads."""

import numpy as np
import pytest

from recsys._adsim import SimConfig, category_affinity, evaluate_click_models, simulate_clicks
from recsys._clickmodel import ClickLogs, DistanceLogistic, MLPClickModel, saved_click_model
from recsys._events import Event
from retrieval import Ad, ConfigError, normalize_rows

DIM, CATS = 16, 4


@pytest.fixture(scope="module")
def world():
    """Four tastes; each shopper leans to one; each ad belongs to one taste."""
    rng = np.random.default_rng(0)
    centres = normalize_rows(rng.normal(size=(CATS, DIM)))
    users, affinity = {}, {}
    for i in range(240):
        c = i % CATS
        users[f"u{i}"] = normalize_rows(centres[c] + 0.9 * rng.normal(size=DIM) / np.sqrt(DIM))
        affinity[f"u{i}"] = {f"c{k}": (0.7 if k == c else 0.1) for k in range(CATS)}
    ads = [
        Ad(
            ad_id=f"a{j}",
            advertiser="Acme",
            product_id=f"p{j}",
            headline="h",
            bid_cpc=1.0,
            daily_budget=10,
            start="2026-01-01",
            end="2026-12-31",
        )
        for j in range(12)
    ]
    vecs = {
        a.ad_id: normalize_rows(centres[j % CATS] + 0.6 * rng.normal(size=DIM) / np.sqrt(DIM))
        for j, a in enumerate(ads)
    }
    cats = {a.ad_id: f"c{j % CATS}" for j, a in enumerate(ads)}
    return users, affinity, ads, vecs, cats


@pytest.fixture(scope="module")
def sim(world):
    return simulate_clicks(*world, SimConfig(impressions=6000, seed=1))


def test_simulator_is_deterministic_and_position_biased(world, sim):
    logs = sim.logs
    assert len(logs) == 6000 and 0.05 < logs.clicked.mean() < 0.6
    ctr = [logs.clicked[logs.position == p].mean() for p in range(3)]
    assert ctr[0] > ctr[2]  # the top slot gets more clicks for the same ads
    again = simulate_clicks(*world, SimConfig(impressions=6000, seed=1))
    assert again.logs.ad_ids == logs.ad_ids and np.array_equal(again.logs.clicked, logs.clicked)


def test_click_model_beats_random_and_constant(sim):
    report, _ = evaluate_click_models(sim, epochs=10)
    assert report.model["auc"] > 0.65  # random is 0.5
    assert report.model["auc"] <= report.oracle_auc + 0.02
    assert report.model["auc"] >= report.baseline["auc"] - 0.01
    base_rate = sim.logs.clicked.mean()
    constant_loss = -(base_rate * np.log(base_rate) + (1 - base_rate) * np.log(1 - base_rate))
    assert report.model["log_loss"] < constant_loss


def test_save_and_load_give_the_same_predictions(sim, tmp_path):
    model = MLPClickModel(DIM, epochs=2).fit(sim.logs.take(np.arange(2000)))
    path = tmp_path / "state" / "click_model.pt"
    model.save(path, space="hashing/16")
    again = MLPClickModel.load(path, space="hashing/16")
    with pytest.raises(ConfigError, match="retrain"):
        MLPClickModel.load(path, space="all-MiniLM-L6-v2/16")
    rows = sim.logs.take(np.arange(50))
    np.testing.assert_allclose(
        model.predict(rows.user, rows.ad, rows.ad_ids),
        again.predict(rows.user, rows.ad, rows.ad_ids),
        rtol=1e-6,
    )
    with pytest.raises(ConfigError, match="No click model"):
        MLPClickModel.load(tmp_path / "missing.pt")
    assert saved_click_model(tmp_path / "missing.pt", "hashing/16") is None
    assert saved_click_model(path, "other/16") is None  # another embedder's weights: ads fall back
    assert isinstance(saved_click_model(path, "hashing/16"), MLPClickModel)
    with pytest.raises(ConfigError, match="16-dim"):
        again.predict(np.zeros((1, 8)), np.zeros((1, 8)), ["a0"])


def test_baseline_learns_that_nearer_ads_get_more_clicks():
    rng = np.random.default_rng(0)
    d = rng.uniform(0, 2, 4000)
    user = np.zeros((4000, 2), np.float32)
    ad = np.stack([d, np.zeros_like(d)], axis=1).astype(np.float32)
    clicked = (rng.random(4000) < 1 / (1 + np.exp(-(1 - 3 * d)))).astype(np.float32)
    model = DistanceLogistic().fit(ClickLogs(user, ad, ("a",) * 4000, clicked, np.zeros(4000)))
    assert model.slope == pytest.approx(-3, abs=0.4)


def test_affinity_pools_by_persona(mini_shop):
    events = [Event("C1", "view", 1.0, "S1"), Event("C2", "purchase", 2.0, "B1")]
    own = category_affinity(events, mini_shop.products)
    assert own["C1"] == {"Sports & Outdoors > Running": 1.0}
    pooled = category_affinity(events, mini_shop.products, personas={"C1": "mixed", "C2": "mixed"})
    assert pooled["C1"] == pooled["C2"] and pooled["C1"]["Beauty > Skincare"] == pytest.approx(5 / 6)
