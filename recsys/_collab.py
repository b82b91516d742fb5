"""The project's behaviour-only recommender: a weighted fusion of the ``_components`` scorers,
and the id-level wrapper the product recommender calls at request time.

Design decisions:

* One flat, frozen ``FusionConfig`` holds every hyper-parameter, so a configuration is a value:
  printed by ``eval recs --json``, changed with ``dataclasses.replace`` by the tuner
  (``_tuning``), compared in tests. A component whose weight is 0 is not even fitted.
* Each component's scores are scaled to [0, 1] per shopper before the weighted sum; weights
  are then comparable across datasets and the tuner searches one small grid for all.
* ``BehaviourRecommender`` owns the item id <-> index map and converts typed ``Interaction``
  histories; below it everything is indices and sparse matrices. ``score`` returns scores for
  ALL items (``item_ids`` order) so a caller can fuse them with content similarity before any
  cut-off; ``components`` exposes the per-component scores for the same purpose.
* Models are looked up by name in ``MODELS`` (project fusion, its presets and the reference
  baselines); an unknown name raises a ``ConfigError`` listing the choices.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from retrieval import ConfigError

from ._baselines import ItemKNNBaseline, PopularityBaseline, WeightedHistoryKNN
from ._components import REFERENCE_EVENT_WEIGHTS, History, ItemKNN, Popularity, Profile, Scorer, Transitions
from ._interactions import EventLog, Histories, IdIndex, Interaction

COMPONENTS: tuple[str, ...] = ("knn", "trans", "history", "popularity")


@dataclass(frozen=True)
class FusionConfig:
    """Every knob of the fusion; ``<component>_weight = 0`` switches a component off.

    The defaults are the tuner's starting point (hand-set), not a recommendation: use a preset.
    """

    event_weights: tuple[float, ...] = REFERENCE_EVENT_WEIGHTS
    knn_weight: float = 0.5
    knn_half_life: float = 2.0
    knn_shrink: float = 10.0
    knn_alpha: float = 0.7
    knn_neighbours: int = 200
    trans_weight: float = 1.0
    trans_window: int = 3
    trans_alpha: float = 1.0
    trans_backward: float = 0.0
    trans_half_life: float = 1.0
    history_weight: float = 0.0
    history_half_life: float = 5.0
    popularity_weight: float = 0.02
    popularity_half_life_s: float = 0.0

    def weights(self) -> dict[str, float]:
        return {c: getattr(self, f"{c}_weight") for c in COMPONENTS}

    def only(self, component: str) -> FusionConfig:
        """This configuration with every other component switched off (ablation)."""
        weights = {f"{c}_weight": float(c == component) for c in COMPONENTS}
        return replace(self, **weights)  # type: ignore[arg-type]

    def without(self, component: str) -> FusionConfig:
        return replace(self, **{f"{component}_weight": 0.0})  # type: ignore[arg-type]


def build_component(config: FusionConfig, name: str) -> Scorer:
    """The (unfitted) component ``name`` as ``config`` describes it."""
    ew = tuple(config.event_weights)
    if name == "knn":
        return ItemKNN(
            config.knn_neighbours, config.knn_shrink, config.knn_alpha, Profile(ew, config.knn_half_life)
        )
    if name == "trans":
        return Transitions(
            config.trans_window,
            0.5,
            config.trans_backward,
            200,
            config.trans_alpha,
            Profile(ew, config.trans_half_life),
        )
    if name == "history":
        return History(Profile(ew, config.history_half_life))
    if name == "popularity":
        return Popularity(config.popularity_half_life_s)
    raise ConfigError(f"Unknown component {name!r}; choose one of: {', '.join(COMPONENTS)}")


class Fusion:
    """Weighted sum of per-shopper [0, 1]-scaled component scores (index level)."""

    def __init__(self, config: FusionConfig = FusionConfig()):
        self.config = config
        self.parts = {name: build_component(config, name) for name, w in config.weights().items() if w}

    def fit(self, train: Histories, n_items: int) -> Fusion:
        for part in self.parts.values():
            part.fit(train, n_items)
        self.n_items = n_items
        return self

    def component_scores(self, histories: Histories) -> dict[str, np.ndarray]:
        return {name: part.score_batch(histories) for name, part in self.parts.items()}

    def score_batch(self, histories: Histories) -> np.ndarray:
        total = np.zeros((histories.n_users, self.n_items), np.float32)
        weights = self.config.weights()
        for name, part in self.parts.items():
            total += np.float32(weights[name]) * part.score_batch(histories)
        return total


# Presets = the configurations the documented validation search (``_tuning.tune``, training
# data only) chose: "sequential" on Amazon Beauty (seen items excluded), "repeat" on Taobao with
# purchase targets (seen items kept). See docs/recs_eval.md for the runs that produced them.
PRESETS: dict[str, FusionConfig] = {
    "sequential": FusionConfig(
        knn_weight=0.5,
        knn_half_life=1.0,
        knn_shrink=50.0,
        knn_alpha=0.5,
        trans_weight=0.5,
        trans_window=5,
        trans_alpha=0.75,
        popularity_weight=0.005,
    ),
    "repeat": FusionConfig(
        event_weights=(1.0, 1.0, 2.0, 5.0, 1.0),
        knn_weight=0.25,
        knn_half_life=1.0,
        knn_shrink=50.0,
        trans_weight=1.0,
        trans_window=1,
        trans_alpha=0.5,
        trans_backward=1.0,
        trans_half_life=0.5,
        history_weight=1.0,
        history_half_life=20.0,
        popularity_weight=0.1,
    ),
}


class BehaviourRecommender:
    """Item-item structure learnt from all shoppers; one shopper scored from their raw events."""

    def __init__(self, config: FusionConfig | str = "sequential"):
        if isinstance(config, str):
            if config not in PRESETS:
                raise ConfigError(f"Unknown preset {config!r}; choose one of: {', '.join(PRESETS)}")
            config = PRESETS[config]
        self.model = Fusion(config)
        self.items = IdIndex()

    @property
    def item_ids(self) -> list[str]:
        return self.items.ids

    def fit(self, interactions: EventLog | Iterable[Interaction]) -> BehaviourRecommender:
        log = interactions if isinstance(interactions, EventLog) else EventLog.from_interactions(interactions)
        self.items = IdIndex(log.item_ids)
        self.model.fit(log.histories(), len(self.items))
        return self

    def score(self, history: Sequence[Interaction]) -> np.ndarray:
        """Scores of ALL items (``item_ids`` order) for one shopper's events, oldest or newest first."""
        return self.model.score_batch(Histories.single(history, self.items))[0]

    def components(self, history: Sequence[Interaction]) -> dict[str, np.ndarray]:
        """Each enabled component's [0, 1] scores for the shopper, for fusion with other signals."""
        return {
            k: v[0] for k, v in self.model.component_scores(Histories.single(history, self.items)).items()
        }

    def recommend(
        self, history: Sequence[Interaction], k: int = 10, exclude_seen: bool = True
    ) -> list[tuple[str, float]]:
        """Up to ``k`` (item_id, score) pairs with a positive score, best first; seen items excluded
        unless asked otherwise."""
        scores = self.score(history).astype(np.float64)
        if exclude_seen:
            seen = [self.items.get(x.item_id) for x in history]
            scores[[i for i in seen if i >= 0]] = -np.inf
        k = min(k, int((scores > 0).sum()))  # an item nothing points to is no recommendation
        top = np.argsort(-scores, kind="stable")[:k]  # stable: equal scores keep item order
        return [(self.items.ids[i], float(scores[i])) for i in top]


MODELS: dict[str, Callable[[], Scorer]] = {
    "shoptalk": lambda: Fusion(PRESETS["sequential"]),
    "shoptalk_repeat": lambda: Fusion(PRESETS["repeat"]),
    "popularity": PopularityBaseline,
    "item_knn": ItemKNNBaseline,
    "weighted_history_knn": WeightedHistoryKNN,
}


def make_model(name: str) -> Scorer:
    """An unfitted index-level model by registry name (one of ``MODELS``)."""
    if name not in MODELS:
        raise ConfigError(f"Unknown recommender {name!r}; choose one of: {', '.join(MODELS)}")
    return MODELS[name]()
