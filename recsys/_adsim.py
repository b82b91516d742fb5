"""A click simulator, so the click model can be trained and judged before a shop has real logs.

Ground truth for one impression of ad ``a`` shown to shopper ``u`` in slot ``pos``:

    logit = base + affinity_coef * affinity(u, category(a)) - distance_coef * ||u - a|| + noise
    p     = position_bias[pos] * sigmoid(logit)

* ``affinity`` is what the shopper's persona wants, independent of their events: with persona
  definitions (``personas.json`` lists each persona's categories) 1 for a listed category, 0.5
  for a sibling category (same top two levels), else 0; without them, the persona's (or the
  shopper's own) share of weighted events in the ad product's top-two-level category.
* The distance term uses the same unit behaviour and ad vectors the server uses; the noise
  (Gaussian in the logit) and the position bias are what no model can explain, so the
  oracle's AUC on the simulated clicks is the ceiling reported next to the models.
* Impressions are logged by a uniformly random policy (random ads in random slots), which is
  what makes the logs an unbiased training set; shoppers are the event log's users.
* The split is by shopper (held-out shoppers never seen in training), the honest test for a
  model that must score shoppers it has never served.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from retrieval import ITEM_EVENTS, Ad, Embedder, Product, Shop

from ._ads import ad_vectors
from ._behaviour import DEFAULT_WEIGHTS, BehaviourModel
from ._clickmodel import ClickLogs, DistanceLogistic, MLPClickModel, click_metrics
from ._events import Event
from ._vectors import ProductVectors


@dataclass(frozen=True)
class SimConfig:
    impressions: int = 40_000
    slots: int = 3
    base_logit: float = -1.0
    affinity_coef: float = 4.0
    distance_coef: float = 2.0
    position_bias: tuple[float, ...] = (1.0, 0.75, 0.55)
    noise_sd: float = 0.5
    category_depth: int = 2
    seed: int = 0


def top_category(product: Product, depth: int) -> str:
    return " > ".join(product.category_path[:depth])


def category_affinity(
    events: Sequence[Event],
    products: Mapping[str, Product],
    depth: int = 2,
    personas: Mapping[str, str] | None = None,
) -> dict[str, dict[str, float]]:
    """Per shopper: share of (persona-pooled) weighted events in each top-level category."""
    group = {u: f"persona:{p}" for u, p in (personas or {}).items()}
    mass: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    users = set()
    for e in events:
        product = products.get(e.item_id or "")
        if e.event in ITEM_EVENTS and product is not None:
            users.add(e.user_id)
            mass[group.get(e.user_id, e.user_id)][top_category(product, depth)] += DEFAULT_WEIGHTS.get(
                e.event, 1.0
            )
    out = {}
    for u in users:
        m = mass[group.get(u, u)]
        total = sum(m.values())
        out[u] = {c: w / total for c, w in m.items()}
    return out


def load_personas(path: Path) -> tuple[dict[str, str], dict[str, list[str]]]:
    """``personas.json`` as (shopper -> persona, persona -> categories); a flat map works too."""
    if not Path(path).exists():
        return {}, {}
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if "users" in data:
        defs = {name: list(p.get("categories", [])) for name, p in data.get("personas", {}).items()}
        return {u: str(p) for u, p in data["users"].items()}, defs
    return {u: str(p if isinstance(p, str) else p.get("persona")) for u, p in data.items()}, {}


def persona_affinity(
    personas: Mapping[str, str], definitions: Mapping[str, Sequence[str]], products: Mapping[str, Product]
) -> dict[str, dict[str, float]]:
    """Per shopper, affinity to every leaf category path: 1 listed, 0.5 sibling, 0 otherwise."""
    leaves = sorted({" > ".join(p.category_path) for p in products.values()})
    by_persona = {}
    for name, cats in definitions.items():
        listed = set(cats)
        groups = {" > ".join(c.split(" > ")[:2]) for c in cats}
        by_persona[name] = {
            leaf: 1.0 if leaf in listed else 0.5 if " > ".join(leaf.split(" > ")[:2]) in groups else 0.0
            for leaf in leaves
        }
    return {u: by_persona[p] for u, p in personas.items() if p in by_persona}


@dataclass(frozen=True)
class SimulatedLogs:
    logs: ClickLogs
    user_ids: tuple[str, ...]  # per row
    true_p: np.ndarray  # the probability each click was drawn from


def simulate_clicks(
    users: Mapping[str, np.ndarray],
    affinity: Mapping[str, Mapping[str, float]],
    ads: Sequence[Ad],
    ad_vecs: Mapping[str, np.ndarray],
    ad_category: Mapping[str, str],
    config: SimConfig = SimConfig(),
) -> SimulatedLogs:
    rng = np.random.default_rng(config.seed)
    user_ids = sorted(users)
    ads = [a for a in ads if a.ad_id in ad_vecs]
    slots = min(config.slots, len(ads), len(config.position_bias))
    n_req = config.impressions // slots
    who = rng.integers(0, len(user_ids), n_req).repeat(slots)
    which = np.concatenate([rng.choice(len(ads), slots, replace=False) for _ in range(n_req)])
    pos = np.tile(np.arange(slots), n_req)
    u = np.stack([users[user_ids[i]] for i in who]).astype(np.float32)
    a = np.stack([ad_vecs[ads[j].ad_id] for j in which]).astype(np.float32)
    aff = np.array(
        [
            affinity.get(user_ids[i], {}).get(ad_category[ads[j].ad_id], 0.0)
            for i, j in zip(who, which, strict=True)
        ]
    )
    logit = (
        config.base_logit
        + config.affinity_coef * aff
        - config.distance_coef * np.linalg.norm(u - a, axis=1)
        + rng.normal(0.0, config.noise_sd, len(who))
    )
    p = np.asarray(config.position_bias)[pos] / (1.0 + np.exp(-logit))
    clicked = (rng.random(len(p)) < p).astype(np.float32)
    logs = ClickLogs(u, a, tuple(ads[j].ad_id for j in which), clicked, pos)
    return SimulatedLogs(logs, tuple(user_ids[i] for i in who), p)


@dataclass(frozen=True)
class ClickReport:
    impressions: int
    clicks: int
    train_rows: int
    test_rows: int
    test_users: int
    model: dict[str, float]  # MLP: auc, log_loss
    baseline: dict[str, float]  # distance-only logistic regression
    oracle_auc: float  # the simulator's own probabilities: the ceiling
    fit_s: float
    extra: dict[str, float] = field(default_factory=dict)


def evaluate_click_models(
    sim: SimulatedLogs, *, test_fraction: float = 0.2, seed: int = 0, **mlp_options
) -> tuple[ClickReport, MLPClickModel]:
    """Train the MLP and the baseline on the same shoppers; score both on held-out shoppers."""
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(seed)
    users = np.array(sorted(set(sim.user_ids)))
    test_users = set(rng.choice(users, max(1, int(len(users) * test_fraction)), replace=False).tolist())
    is_test = np.array([u in test_users for u in sim.user_ids])
    train, test = sim.logs.take(np.flatnonzero(~is_test)), sim.logs.take(np.flatnonzero(is_test))
    t0 = time.perf_counter()
    mlp = MLPClickModel(train.user.shape[1], seed=seed, **mlp_options).fit(train)
    fit_s = time.perf_counter() - t0
    baseline = DistanceLogistic().fit(train)
    report = ClickReport(
        impressions=len(sim.logs),
        clicks=int(sim.logs.clicked.sum()),
        train_rows=len(train),
        test_rows=len(test),
        test_users=len(test_users),
        model=click_metrics(mlp, test),
        baseline=click_metrics(baseline, test),
        oracle_auc=float(roc_auc_score(test.clicked.astype(int), sim.true_p[is_test])),
        fit_s=round(fit_s, 2),
    )
    return report, mlp


def simulate_shop(
    shop: Shop,
    events: Sequence[Event],
    vectors: ProductVectors,
    embedder: Embedder,
    config: SimConfig = SimConfig(),
) -> SimulatedLogs:
    """Simulated logs for a shop directory: its shoppers, its ads, its personas."""
    personas, definitions = load_personas(Path(shop.root) / "personas.json")
    model = BehaviourModel(vectors, embedder)
    users = {u: unit for u, s in model.compute(events).items() if (unit := s.unit()) is not None}
    if definitions:
        affinity = persona_affinity(personas, definitions, shop.products)
        depth = 99  # leaf paths, as the persona definitions name them
    else:
        affinity, depth = (
            category_affinity(events, shop.products, config.category_depth, personas),
            config.category_depth,
        )
    ads = [a for a in shop.ads.values() if a.product_id in shop.products]
    ad_vecs = ad_vectors(ads, vectors, embedder)
    ad_category = {a.ad_id: top_category(shop.products[a.product_id], depth) for a in ads}
    return simulate_clicks(
        {u: v for u, v in users.items() if u in affinity}, affinity, ads, ad_vecs, ad_category, config
    )
