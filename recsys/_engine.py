"""The recommendation engine: one facade over behaviour vectors, signals, rules, ads and profiles.

Design decisions:

* ``record`` is the only write path for behaviour: it appends to the event store, then folds
  the new events into the stored behaviour vectors and the popularity counts, so the very
  next ``recommend`` reflects them. If a batch was partly a replay (the store reports fewer
  new events than sent) the affected shoppers' vectors are rebuilt from the store, because
  which events were new is unknown and a double count would drift from a rebuild.
* The collaborative model (default: the behaviour-only recommender's "repeat" preset, which
  the fusion search chose for the engine's exclude-purchases rule) is refitted by ``refresh``
  (at start-up, then on a schedule), not per event: its item-item structure changes slowly,
  while the shopper's own history, read per request, carries the new event into its scores
  immediately. ``collaborative=None`` switches it off.
* Cold start needs no special path: with no history the personal signals are absent and
  popular/trending items fill the list; a chat or search event moves the behaviour vector
  (which then steers with the weight of a hint, since it is only the shopper's words), and a
  ``hint`` adds its own signal; a product nobody has touched still scores on content.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

import numpy as np

from retrieval import ITEM_EVENTS, Embedder, NotFoundError, Product, Shop

from ._ads import AdConfig, AdPerformance, AdServer, ClickOutcome
from ._behaviour import BehaviourConfig, BehaviourModel, BehaviourStore
from ._clickmodel import ClickModel
from ._collab import BehaviourRecommender
from ._db import Database
from ._events import MAX_BATCH, Event, EventStore, shop_events
from ._interactions import Interaction
from ._profile import ShopperProfile, build_profile
from ._reasons import anchors, explain
from ._recommend import FusionWeights, Recommendation, Recommendations, RecommendContext, rank
from ._rules import DIVERSIFIERS, Catalogue, DiversityInputs, Rules, cap_seen
from ._signals import ItemStats, SignalConfig
from ._vectors import build_product_vectors


class Collaborative(Protocol):
    """What the engine needs from a behaviour-only model (``BehaviourRecommender`` fits)."""

    @property
    def item_ids(self) -> Sequence[str]: ...

    def fit(self, interactions: Sequence[Interaction]) -> object: ...

    def score(self, history: Sequence[Interaction]) -> np.ndarray: ...


@dataclass(frozen=True)
class EngineConfig:
    behaviour: BehaviourConfig = field(default_factory=BehaviourConfig)
    signals: SignalConfig = field(default_factory=SignalConfig)
    fusion: FusionWeights = field(default_factory=FusionWeights)
    rules: Rules = field(default_factory=Rules)
    ads: AdConfig = field(default_factory=AdConfig)
    history_limit: int = 200  # latest events per request: collaborative input and reasons


class RecommendationEngine:
    def __init__(
        self,
        shop: Shop,
        embedder: Embedder,
        event_store: EventStore,
        db: Database,
        *,
        collaborative: Collaborative | str | None = "repeat",
        click_model: ClickModel | None = None,
        config: EngineConfig | None = None,
        ad_config: AdConfig | None = None,
        cache_dir: Path | None = None,
        clock: Callable[[], float] = time.time,
    ):
        """``ad_config``, when given, replaces ``config.ads`` (the app passes its ad settings,
        such as the invalid-click filter's thresholds, without building a whole EngineConfig)."""
        if isinstance(collaborative, str):  # a preset of the behaviour-only recommender
            collaborative = BehaviourRecommender(collaborative)
        self.shop, self.store, self.collab, self.clock = shop, event_store, collaborative, clock
        self.config = config or EngineConfig()
        if ad_config is not None:
            self.config = replace(self.config, ads=ad_config)
        products = list(shop.products.values())
        self.catalogue = Catalogue(products)
        self.vectors = build_product_vectors(products, embedder, cache_dir)
        self.embedder = embedder
        self.behaviour = BehaviourModel(self.vectors, embedder, self.config.behaviour)
        self.states = BehaviourStore(db, self.behaviour.space)
        self.ads = AdServer(shop.ads, shop.products, db, self.vectors, embedder, click_model, self.config.ads)
        self._lock = threading.Lock()
        self._centroid = self._unit(self.vectors.matrix.mean(axis=0)) if len(products) else None
        self.refresh()

    # ------------------------------------------------------------------ maintenance

    def refresh(self) -> None:
        """Recount popularity from the whole store and refit the collaborative model."""
        events = list(self.store.events())
        stats = ItemStats(self.catalogue.products, self.config.signals, self.config.behaviour.weights)
        stats.add(events)
        rows = None
        if self.collab is not None:
            history = [
                Interaction(e.user_id, e.item_id or "", e.event, e.timestamp)
                for e in events
                if e.event in ITEM_EVENTS and e.item_id in self.catalogue.position
            ]
            if history:
                self.collab.fit(history)
                rows = np.array(
                    [self.catalogue.position.get(i, -1) for i in self.collab.item_ids], dtype=np.int64
                )
        with self._lock:
            self.stats, self._collab_rows, self._stats_stale = stats, rows, False

    def rebuild_vectors(self, user_ids: Sequence[str] | None = None) -> int:
        """Recompute behaviour vectors from the event store (all shoppers, or the given ones)."""
        if user_ids is None:
            states = self.behaviour.compute(self.store.events())
        else:
            states = self.behaviour.compute(e for u in user_ids for e in self.store.events(u))
        self.states.put(states)
        return len(states)

    # ------------------------------------------------------------------ writes

    def record(self, events: Sequence[Event]) -> int:
        """Append events and update vectors and counts; returns how many were new."""
        unique = list({e.event_id: e for e in (x.with_id() for x in events)}.values())
        new = self.store.append(unique)
        if new == len(unique) and new:
            self.states.apply(self.behaviour, unique, history=lambda u: self.store.events(u))
            with self._lock:
                self.stats.add(unique)
        elif new:
            self.rebuild_vectors(sorted({e.user_id for e in unique}))
            self._stats_stale = True
        return new

    def record_click(
        self,
        impression_id: str,
        user_id: str | None = None,
        *,
        client: str | None = None,
        activity: int | None = None,
    ) -> ClickOutcome:
        """Store a click on a sponsored result; whether it is billed is the ad server's
        invalid-click filter's decision (``AdServer.record_click``)."""
        return self.ads.record_click(
            impression_id, self.clock(), user_id=user_id, client=client, activity=activity
        )

    def ad_stats(self, day: str | None = None) -> tuple[AdPerformance, ...]:
        """Per-ad impressions, billed clicks, invalid clicks and spend (``AdServer.stats``)."""
        return self.ads.stats(day)

    # ------------------------------------------------------------------ reads

    @staticmethod
    def _unit(v: np.ndarray) -> np.ndarray | None:
        n = float(np.linalg.norm(v))
        return None if n < 1e-9 else (v / n).astype(np.float32)

    def behaviour_vector(self, user_id: str, history: Sequence[Event] | None = None) -> np.ndarray | None:
        state = self.states.get(user_id)
        if state is None:  # never computed, or computed with another embedder
            history = list(self.store.events(user_id)) if history is None else history
            state = self.behaviour.fold_all(None, history)
            if state is not None:
                self.states.put({user_id: state})
        return None if state is None else state.unit()

    def recommend(
        self,
        user_id: str | None,
        k: int = 10,
        context: RecommendContext | None = None,
        *,
        sponsored: int | None = None,
    ) -> Recommendations:
        """Organic results (at most ``k``) and, separately, sponsored ones (``sponsored`` slots)."""
        ctx = context or RecommendContext()
        if self._stats_stale:
            self.refresh()
        full = list(self.store.events(user_id)) if user_id else []
        history = full[-self.config.history_limit :]
        vector = self.behaviour_vector(user_id, full) if user_id else None
        about = self.shop.product(ctx.about_product_id) if ctx.about_product_id else None
        about_vec = None if about is None else self.vectors.matrix[self.vectors.position[about.id]]
        hint_vec = self.embedder.embed(ctx.hint) if ctx.hint and ctx.hint.strip() else None
        signals, trending = self._signals(vector, history, about_vec, hint_vec)

        weights = self.config.fusion
        if "collaborative" not in signals and "content" in signals:
            # No product events: the behaviour vector is only what the shopper said (search,
            # chat), so it steers like a hint does; the searched weights assume a history.
            weights = replace(weights, content=max(weights.content + weights.collaborative, weights.hint))
        rules = self.config.rules
        inputs = DiversityInputs(rules, self.catalogue.category, self.vectors.matrix)
        seen = set(self.catalogue.rows(e.item_id for e in history if e.event in ITEM_EVENTS and e.item_id))

        def diversify(rows: list[int], scores: np.ndarray, n: int) -> list[int]:
            rows, scores = cap_seen(rows, scores, seen, rules.max_seen)
            return DIVERSIFIERS[rules.diversity](rows, scores, n, inputs)

        mask = self.catalogue.mask(rules, ctx.constraints, self._excluded(user_id, full, about))
        ranked = rank(
            signals, weights, mask, k, check=self.catalogue.checker(ctx.constraints), diversify=diversify
        )
        history_anchors = anchors(self.behaviour.terms(history[-50:]), self.shop.products) if history else []
        organic = tuple(
            Recommendation(
                self.catalogue.ids[r.row],
                round(r.score, 6),
                explain(
                    r.source,
                    self.catalogue.products[r.row],
                    self.vectors.matrix[r.row],
                    history_anchors,
                    about=about,
                    hint=ctx.hint,
                    trending=bool(trending[r.row]),
                ),
                source=r.source,  # type: ignore[arg-type]
            )
            for r in ranked
        )
        # Ads need a point in the space even for a stranger: their words, the product on the
        # table, or the catalogue's centre ("the average shopper").
        ad_vector = next((v for v in (vector, hint_vec, about_vec, self._centroid) if v is not None), None)
        shown = frozenset(r.product_id for r in organic)
        ads = (
            self.ads.serve(user_id or "anonymous", ad_vector, self.clock(), sponsored, exclude_products=shown)
            if ad_vector is not None
            else ()
        )
        return Recommendations(organic, ads)

    def _signals(
        self,
        vector: np.ndarray | None,
        history: list[Event],
        about_vec: np.ndarray | None,
        hint_vec: np.ndarray | None,
    ) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """Every available signal over the catalogue, and which rows are significantly trending."""
        z = self.stats.trending()
        # Below the significance threshold a z-score is noise, and min-max scaling would amplify it.
        trending = z >= self.config.signals.min_trending_z
        signals = {"popular": np.log1p(self.stats.popular()), "trending": np.where(trending, z, 0.0)}
        if vector is not None:
            signals["content"] = self.vectors.scores(vector)
        items = [
            Interaction(e.user_id, e.item_id or "", e.event, e.timestamp)
            for e in history
            if e.event in ITEM_EVENTS
        ]
        if self.collab is not None and self._collab_rows is not None and items:
            signals["collaborative"] = self._collaborative(self.collab, self._collab_rows, items)
        if about_vec is not None:
            signals["similar"] = self.vectors.scores(about_vec)
        if hint_vec is not None:
            signals["hint"] = self.vectors.scores(hint_vec)
        return signals, trending

    def _excluded(self, user_id: str | None, history: list[Event], about: Product | None) -> set[str]:
        """Products this request must not show: the one on the table, bought ones, seen ones."""
        rules = self.config.rules
        out = {about.id} if about is not None else set()
        if rules.exclude_purchased and user_id:
            out |= {e.item_id for e in history if e.event == "purchase" and e.item_id}
            out |= {
                i.product_id for o in self.shop.orders_of(user_id) if o.status != "cancelled" for i in o.items
            }
        if rules.exclude_seen:
            out |= {e.item_id for e in history if e.event in ITEM_EVENTS and e.item_id}
        return out

    def _collaborative(self, model: Collaborative, rows: np.ndarray, items: list[Interaction]) -> np.ndarray:
        """The model's scores moved from its item order to catalogue rows."""
        raw = np.asarray(model.score(items), dtype=np.float64)
        out = np.zeros(len(self.catalogue), dtype=np.float64)
        known = rows >= 0
        out[rows[known]] = raw[known]
        return out

    def similar(self, product_id: str, k: int = 5) -> tuple[Recommendation, ...]:
        """Products like this one, for a product page or "more like this"."""
        if product_id not in self.shop.products:
            raise NotFoundError(f"Unknown product id {product_id!r}")
        return self.recommend(None, k, RecommendContext(about_product_id=product_id), sponsored=0).organic

    def profile(self, user_id: str) -> ShopperProfile:
        return build_profile(user_id, list(self.store.events(user_id)), self.shop, now=self.clock())


def load_shop_events(store: EventStore, shop: Shop) -> int:
    """Register the shop's customers and event users, and append ``events.csv`` (idempotent)."""
    store.register_users(shop.customers, kind="customer")
    events = shop_events(shop)
    store.register_users(sorted({e.user_id for e in events} - set(shop.customers)))
    return sum(store.append(events[i : i + MAX_BATCH]) for i in range(0, len(events), MAX_BATCH))
