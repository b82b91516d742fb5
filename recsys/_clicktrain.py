"""Training the ad click model: from the shop's own impression logs, or simulated for a demo.

A live shop trains on what it logged: every impression in ``ad_impressions`` with the
shopper's behaviour vector as of the moment it was shown (folded from the events before it,
so no later behaviour leaks in) and whether ``ad_clicks`` holds a click for it. A demo shop
has no traffic yet, so ``_adsim`` simulates impressions from its personas. Either way the
model is evaluated on shoppers held out of training, against the distance-only baseline.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import select

from retrieval import InputError

from ._ads import impressions_table
from ._clickmodel import ClickLogs, DistanceLogistic, MLPClickModel, click_metrics

MIN_LOGGED = 500  # fewer impressions than this cannot teach a model anything the prior does not know


@dataclass(frozen=True)
class ClickTraining:
    source: str  # "logged" or "simulated"
    impressions: int
    clicks: int
    test_users: int
    model: dict[str, float]  # held-out AUC / log-loss of the MLP
    baseline: dict[str, float]  # the same for distance-only logistic regression
    fit_s: float
    path: str


def logged_click_logs(engine) -> tuple[ClickLogs, list[str]]:
    """The engine's logged impressions as training rows (and the shopper of each row)."""
    with engine.ads.db.engine.connect() as conn:
        shown = conn.execute(select(impressions_table).order_by(impressions_table.c.shown_at)).all()
    clicked = engine.ads.valid_click_ids()  # invalid (unbilled) clicks are not evidence of interest
    users, ads, ad_ids, labels, positions, owners = [], [], [], [], [], []
    history: dict[str, list] = {}
    for imp in shown:
        vec = engine.ads.vectors.get(imp.ad_id)
        if vec is None:
            continue
        if imp.user_id not in history:
            history[imp.user_id] = list(engine.store.events(imp.user_id))
        before = [e for e in history[imp.user_id] if e.timestamp < imp.shown_at]
        state = engine.behaviour.fold_all(None, before)
        unit = state.unit() if state is not None else None
        if unit is None:
            continue  # a stranger's impression says nothing about behaviour
        users.append(unit)
        ads.append(vec)
        ad_ids.append(imp.ad_id)
        labels.append(imp.impression_id in clicked)
        positions.append(imp.position)
        owners.append(imp.user_id)
    if not users:
        dim = engine.vectors.matrix.shape[1]
        return ClickLogs(
            np.zeros((0, dim), np.float32), np.zeros((0, dim), np.float32), (), np.zeros(0), np.zeros(0)
        ), []
    return (
        ClickLogs(
            np.stack(users),
            np.stack(ads),
            tuple(ad_ids),
            np.array(labels, dtype=np.float32),
            np.array(positions),
        ),
        owners,
    )


def fit_click_model(
    logs: ClickLogs, owners: list[str], *, test_fraction: float = 0.2, seed: int = 0
) -> tuple[MLPClickModel, dict[str, float], dict[str, float], int, float]:
    """Fit on most shoppers, score on the rest; then refit on everyone for serving."""
    rng = np.random.default_rng(seed)
    people = np.array(sorted(set(owners)))
    held = set(rng.choice(people, max(1, int(len(people) * test_fraction)), replace=False).tolist())
    is_test = np.array([u in held for u in owners])
    train, test = logs.take(np.flatnonzero(~is_test)), logs.take(np.flatnonzero(is_test))
    t0 = time.perf_counter()
    model = MLPClickModel(logs.user.shape[1], seed=seed).fit(train)
    fit_s = time.perf_counter() - t0
    metrics = click_metrics(model, test)
    baseline = click_metrics(DistanceLogistic().fit(train), test)
    return MLPClickModel(logs.user.shape[1], seed=seed).fit(logs), metrics, baseline, len(held), fit_s


def train_click_model(
    engine, path: Path, *, source: str = "auto", impressions: int = 40_000, seed: int = 0
) -> ClickTraining:
    """Train and save the click model the ad server will load (``saved_click_model``)."""
    if source not in ("auto", "logged", "simulated"):
        raise InputError(f"Unknown click-log source {source!r}; use auto, logged or simulated")
    logs, owners = logged_click_logs(engine) if source in ("auto", "logged") else (None, [])
    if logs is not None and len(logs) >= MIN_LOGGED and 0 < logs.clicked.sum() < len(logs):
        used = "logged"
    elif source == "logged":
        raise InputError(
            f"Only {0 if logs is None else len(logs)} usable logged impressions (need "
            f"{MIN_LOGGED} with some clicks); serve ads for a while or use --source simulated"
        )
    else:
        from ._adsim import SimConfig, simulate_shop

        sim = simulate_shop(
            engine.shop,
            list(engine.store.events()),
            engine.vectors,
            engine.embedder,
            SimConfig(impressions=impressions, seed=seed),
        )
        logs, owners, used = sim.logs, list(sim.user_ids), "simulated"
    model, metrics, baseline, held, fit_s = fit_click_model(logs, owners, seed=seed)
    model.save(path, space=engine.behaviour.space)
    return ClickTraining(
        used, len(logs), int(logs.clicked.sum()), held, metrics, baseline, round(fit_s, 2), str(path)
    )
