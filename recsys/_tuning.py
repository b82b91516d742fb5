"""Hyper-parameter search for ``FusionConfig`` on a validation split made from TRAINING data.

Design decisions:

* The validation split re-applies the evaluation protocol to the training histories (each
  user's last training event, or last training event of the target type, becomes the
  validation target), so test targets never influence a choice.
* Coordinate descent over a small documented grid (``SEARCH_SPACE``): one parameter at a time,
  every value tried with the others fixed, the best kept; two rounds. It needs a few dozen
  evaluations where a full grid needs millions, and every trial is recorded for the docs.
* A change must beat the incumbent by ``MIN_GAIN`` to be kept, so noise on a few hundred
  validation users does not walk the configuration around.
* Component scores are cached per (component, its parameters): a weight change only re-sums
  cached blocks; a profile change (decay, event weights) rescores one component without
  refitting it; a structural change refits it. Validation users are subsampled (fixed seed)
  so a Beauty-sized search costs well under a minute of CPU.
"""

from __future__ import annotations

import copy
import time
from dataclasses import asdict, dataclass, replace

import numpy as np

from ._collab import COMPONENTS, FusionConfig, build_component
from ._components import REFERENCE_EVENT_WEIGHTS, Scorer
from ._eval import Split, leave_last_out, rank_metrics

MIN_GAIN = 1e-4
CHUNK = 500
EVENT_WEIGHT_PRESETS: tuple[tuple[float, ...], ...] = (
    # view, click, favorite, add_to_cart, purchase
    REFERENCE_EVENT_WEIGHTS,
    (1.0, 1.0, 2.0, 5.0, 1.0),  # intent to buy: cart high, already-bought low
    (1.0, 1.0, 3.0, 6.0, 2.0),
    (1.0, 1.0, 1.0, 1.0, 1.0),
)
SEARCH_SPACE: dict[str, tuple] = {
    "trans_weight": (0.0, 0.25, 0.5, 1.0, 2.0),
    "knn_weight": (0.0, 0.1, 0.25, 0.5, 1.0),
    "history_weight": (0.0, 0.25, 0.5, 1.0, 2.0),
    "popularity_weight": (0.0, 0.005, 0.02, 0.1),
    "event_weights": EVENT_WEIGHT_PRESETS,
    "knn_half_life": (0.0, 1.0, 2.0, 5.0, 20.0),
    "knn_shrink": (0.0, 10.0, 50.0),
    "knn_alpha": (0.5, 0.7, 0.9),
    "trans_window": (1, 3, 5),
    "trans_alpha": (0.5, 0.75, 1.0),
    "trans_backward": (0.0, 0.25, 0.5, 1.0),
    "trans_half_life": (0.5, 1.0, 2.0, 5.0),
    "history_half_life": (0.0, 2.0, 5.0, 10.0, 20.0),
    "popularity_half_life_s": (0.0, 86_400.0, 604_800.0),
}


@dataclass(frozen=True)
class Trial:
    param: str
    value: object
    ndcg: float


@dataclass(frozen=True)
class TuneReport:
    config: FusionConfig
    ndcg: float  # validation NDCG@10 of ``config``
    users: int
    seconds: float  # wall clock
    cpu_seconds: float
    trials: tuple[Trial, ...]


def validation_split(split: Split, target_event: str | None = None) -> Split:
    """The protocol applied again to ``split.train``: each user's last training target held out."""
    return leave_last_out(split.train, split.n_items, target_event)


def _owner(param: str) -> str | None:
    return next((c for c in COMPONENTS if param.startswith(c + "_")), None)


def _relevant(space: dict[str, tuple], split: Split, keep_seen: bool) -> list[str]:
    """Parameters that can change the ranking on this data (skip the rest: pure cost)."""
    skip = set()
    if not keep_seen:  # seen items are excluded, so a history-only score has nothing to rank
        skip |= {p for p in space if p.startswith("history_")}
    if len(np.unique(split.train.event)) < 2:
        skip.add("event_weights")
    ts = split.train.timestamp
    if len(ts) == 0 or ts.max() - ts.min() < 86_400:  # positions, not seconds: no real time
        skip.add("popularity_half_life_s")
    return [p for p in space if p not in skip]


class _Objective:
    """Validation NDCG@10 of a configuration, with component blocks cached by parameters."""

    def __init__(self, val: Split, keep_seen: bool, max_users: int, seed: int):
        rows = np.arange(len(val.users))
        if len(rows) > max_users:
            rows = np.sort(np.random.default_rng(seed).choice(rows, max_users, replace=False))
        self.val, self.keep_seen = val, keep_seen
        self.batch = val.train.take(val.users[rows])
        self.targets = val.targets[rows]
        self.cache: dict[tuple, np.ndarray] = {}
        self.fits: dict[tuple, Scorer] = {}

    def _block(self, config: FusionConfig, name: str) -> np.ndarray:
        params = {k: v for k, v in asdict(config).items() if _owner(k) == name and not k.endswith("_weight")}
        key = (name, tuple(sorted(params.items())), config.event_weights)
        if key not in self.cache:
            mine = [k for k in self.cache if k[0] == name]
            if len(mine) >= 2:  # keep the incumbent and the latest candidate of each component
                del self.cache[mine[0]]
            self.cache[key] = self._fitted(config, name).score_batch(self.batch)
        else:
            self.cache[key] = self.cache.pop(key)  # most recently used goes last
        return self.cache[key]

    def _fitted(self, config: FusionConfig, name: str) -> Scorer:
        """The fitted component; a change of ``profile`` alone (decay, event weights) reuses the fit."""
        fresh = build_component(config, name)
        fields = vars(fresh)
        key = (name, tuple((k, v) for k, v in fields.items() if k != "profile"))
        if key not in self.fits:
            self.fits[key] = fresh.fit(self.val.train, self.val.n_items)
        part = copy.copy(self.fits[key])
        if "profile" in fields:
            part.profile = fields["profile"]  # type: ignore[attr-defined]
        return part

    def __call__(self, config: FusionConfig) -> float:
        weights = {name: np.float32(w) for name, w in config.weights().items() if w}
        blocks = {name: self._block(config, name) for name in weights}
        indptr, items = self.batch.indptr, self.batch.item
        ndcg = []
        # Row chunks keep the temporaries small enough to be reused instead of re-mapped.
        for lo in range(0, self.batch.n_users, CHUNK):
            hi = min(lo + CHUNK, self.batch.n_users)
            total = np.zeros((hi - lo, self.val.n_items), np.float32)
            for name, w in weights.items():
                total += w * blocks[name][lo:hi]
            if not self.keep_seen:
                rows = np.repeat(np.arange(hi - lo), np.diff(indptr[lo : hi + 1]))
                total[rows, items[indptr[lo] : indptr[hi]]] = -np.inf
            ndcg.append(rank_metrics(total, self.targets[lo:hi])[1])
        return float(np.concatenate(ndcg).mean()) if ndcg else 0.0


def tune(
    val: Split,
    keep_seen: bool = False,
    start: FusionConfig | None = None,
    space: dict[str, tuple] | None = None,
    rounds: int = 2,
    max_users: int = 6000,
    seed: int = 0,
) -> TuneReport:
    """Coordinate descent from ``start`` over ``space`` maximising validation NDCG@10."""
    t0, c0 = time.perf_counter(), time.process_time()
    space = SEARCH_SPACE if space is None else space
    config = start or (FusionConfig(history_weight=1.0) if keep_seen else FusionConfig())
    objective = _Objective(val, keep_seen, max_users, seed)
    best = objective(config)
    trials = [Trial("start", None, best)]
    for _ in range(rounds):
        improved = False
        for param in _relevant(space, val, keep_seen):
            owner = _owner(param)
            if owner and not param.endswith("_weight") and not getattr(config, f"{owner}_weight"):
                continue  # tuning a switched-off component is wasted work
            for value in space[param]:
                if value == getattr(config, param):
                    continue
                candidate = replace(config, **{param: value})
                score = objective(candidate)
                trials.append(Trial(param, value, score))
                if score > best + MIN_GAIN:
                    config, best, improved = candidate, score, True
        if not improved:
            break
    return TuneReport(
        config,
        best,
        len(objective.targets),
        time.perf_counter() - t0,
        time.process_time() - c0,
        tuple(trials),
    )
