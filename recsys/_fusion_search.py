"""The hyper-parameter search behind the default fusion weights (results: docs/recs_engine.md).

Protocol (leave-last-out on training data, so the test targets never choose the weights):

* Per shopper, events sorted by time. **Test**: the last event is the target, everything
  before it is training data (``_eval.leave_last_out``, the project's protocol). **Validation**:
  the same cut applied again to the training data, so the target is the second-to-last event
  and the model sees everything before it.
* Every signal is computed exactly as the engine computes it (behaviour vectors with the same
  weights and decay, popularity/trending counts, the collaborative ``Fusion`` preset), and
  each candidate setting ranks through the engine's own ``rank`` function, so what is tuned
  is what runs. The whole catalogue is ranked, and the best validation NDCG@10 wins.
* Two exclusion variants, searched separately: ``purchased`` (the engine's default rule: items
  already bought are not offered again; most next events in shop logs return to a product
  already seen) and ``seen`` (every history item excluded: the protocol of ``eval recs``,
  i.e. "what new product comes next").
* The grid is the simplex of the four behaviour weights in steps of 0.1, for each fusion
  method and each collaborative preset. Settings below the ``floors`` (content >= 0.1,
  popular >= 0.1) are not eligible to win, because two duties of the engine are invisible
  to this metric (every evaluated shopper has a history, every target has events): a product
  nobody has touched is reachable only through content, and a shopper nobody knows gets only
  popularity. The unconstrained winner is reported too, so the price of the floors is visible.
  The winner is reported on the test targets next to each signal alone and the engine's
  current defaults.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from retrieval import Embedder, Shop

from ._behaviour import BehaviourConfig
from ._collab import PRESETS, Fusion
from ._eval import K, Split, leave_last_out
from ._events import Event
from ._interactions import EVENTS, EventLog, Histories, Interaction
from ._recommend import FUSIONS, FusionWeights, rank
from ._rules import cap_seen
from ._signals import ItemStats, SignalConfig
from ._vectors import ProductVectors, build_product_vectors

BEHAVIOUR_SIGNALS = ("content", "collaborative", "popular", "trending")
FLOORS: Mapping[str, float] = {"content": 0.1, "popular": 0.1}


@dataclass(frozen=True)
class Scored:
    weights: FusionWeights
    hr: float
    ndcg: float
    users: int

    def as_dict(self) -> dict:
        w = {s: self.weights.of(s) for s in BEHAVIOUR_SIGNALS}
        return {
            "weights": w,
            "method": self.weights.method,
            "hr@10": round(self.hr, 4),
            "ndcg@10": round(self.ndcg, 4),
            "users": self.users,
        }


class SignalBlock:
    """The four behaviour signals for a split's evaluated shoppers, one dense row each."""

    def __init__(
        self,
        split: Split,
        vectors: ProductVectors,
        ids: Sequence[str],
        shop: Shop,
        behaviour: BehaviourConfig,
        signals: SignalConfig,
        preset: str = "sequential",
        exclude: str = "purchased",
    ):
        train, n = split.train, split.n_items
        h = train.take(split.users)
        matrix = vectors.matrix[vectors.rows(ids)]
        # Behaviour vectors: the engine's weighted, decayed sum at each shopper's latest event.
        ew = np.array([behaviour.weight(e) for e in EVENTS])[h.event]
        latest = np.repeat(h.timestamp[h.indptr[1:] - 1], h.lengths()) if len(h.item) else h.timestamp
        user = h.matrix(n, ew * np.exp2(-(latest - h.timestamp) / behaviour.half_life_s)) @ matrix
        user /= np.maximum(np.linalg.norm(user, axis=1, keepdims=True), 1e-12)
        self.content = user @ matrix.T
        self.collaborative = Fusion(PRESETS[preset]).fit(train, n).score_batch(h)
        stats = ItemStats([shop.products[i] for i in ids], signals, behaviour.weights)
        stats.add(
            Event("", EVENTS[e], float(t), ids[i])
            for i, e, t in sorted(
                zip(train.item, train.event, train.timestamp, strict=True), key=lambda r: r[2]
            )
        )
        z = stats.trending()
        self.popular = np.log1p(stats.popular())
        self.trending = np.where(z >= signals.min_trending_z, z, 0.0)
        drop = h.event == EVENTS.index("purchase") if exclude == "purchased" else np.ones(len(h.item), bool)
        self.seen = [
            set(h.item[h.indptr[u] : h.indptr[u + 1]][drop[h.indptr[u] : h.indptr[u + 1]]].tolist())
            for u in range(h.n_users)
        ]
        self.engaged = [set(h.item[h.indptr[u] : h.indptr[u + 1]].tolist()) for u in range(h.n_users)]
        self.targets = split.targets

    def evaluate(self, weights: FusionWeights, max_seen: int | None = None) -> Scored:
        """HR@10 and NDCG@10 of one setting; ``max_seen`` applies the engine's ``Rules.max_seen``."""
        hits, ndcgs = [], []
        for u, target in enumerate(self.targets):
            eligible = np.ones(len(self.popular), dtype=bool)
            eligible[list(self.seen[u])] = False
            signals = {
                "content": self.content[u],
                "collaborative": self.collaborative[u],
                "popular": self.popular,
                "trending": self.trending,
            }
            engaged = self.engaged[u]

            def cap(rows: list[int], scores: np.ndarray, n: int, engaged: set[int] = engaged) -> list[int]:
                return cap_seen(rows, scores, engaged, max_seen)[0][:n]

            rows = [
                r.row
                for r in rank(signals, weights, eligible, K, diversify=cap if max_seen is not None else None)
            ]
            pos = rows.index(target) if target in rows else -1
            hits.append(pos >= 0)
            ndcgs.append(1.0 / np.log2(pos + 2.0) if pos >= 0 else 0.0)
        n = len(self.targets)
        return Scored(weights, float(np.mean(hits)) if n else 0.0, float(np.mean(ndcgs)) if n else 0.0, n)


def shop_histories(shop: Shop) -> tuple[Histories, list[str]]:
    """The shop's events as histories over catalogue rows (products with no events included)."""
    ids = list(shop.products)
    log = EventLog.from_interactions(
        Interaction(e.user_id, e.item_id, e.event, float(e.timestamp))
        for e in shop.events
        if e.item_id in shop.products
    )
    catalogue = {pid: i for i, pid in enumerate(ids)}
    remap = np.array([catalogue[i] for i in log.item_ids], dtype=np.int64)
    h = log.histories()
    return Histories(h.indptr, remap[h.item], h.event, h.timestamp), ids


def weights_of(combo: Sequence[float], method: str) -> FusionWeights:
    content, collaborative, popular, trending = combo
    return FusionWeights(
        content=content, collaborative=collaborative, popular=popular, trending=trending, method=method
    )


def grid(step: float = 0.1) -> list[tuple[float, ...]]:
    n = round(1 / step)
    return [
        tuple(round(c * step, 3) for c in combo)
        for combo in itertools.product(range(n + 1), repeat=4)
        if sum(combo) == n
    ]


def search(
    shop: Shop,
    embedder: Embedder,
    *,
    step: float = 0.1,
    cache_dir=None,
    exclude: str = "purchased",
    presets: Sequence[str] = ("sequential", "repeat"),
    floors: Mapping[str, float] = FLOORS,
    behaviour: BehaviourConfig | None = None,
    signals: SignalConfig | None = None,
) -> dict:
    """Run the search for one exclusion variant; returns a JSON-able report."""
    behaviour, signals = behaviour or BehaviourConfig(), signals or SignalConfig()
    t0 = time.perf_counter()
    histories, ids = shop_histories(shop)
    vectors = build_product_vectors([shop.products[i] for i in ids], embedder, cache_dir)
    test = leave_last_out(histories, len(ids))
    val = leave_last_out(test.train, len(ids))
    results: list[tuple[Scored, str]] = []
    for preset in presets:
        block = SignalBlock(val, vectors, ids, shop, behaviour, signals, preset, exclude)
        for method in FUSIONS:
            for combo in grid(step):
                w = weights_of(combo, method)
                results.append((block.evaluate(w), preset))
    results.sort(key=lambda r: (-r[0].ndcg, -r[0].hr))
    allowed = [r for r in results if all(r[0].weights.of(k) >= v - 1e-9 for k, v in floors.items())]
    best, preset = allowed[0][0].weights, allowed[0][1]
    test_block = SignalBlock(test, vectors, ids, shop, behaviour, signals, preset, exclude)
    alone = {
        s: test_block.evaluate(weights_of([float(o == s) for o in BEHAVIOUR_SIGNALS], best.method))
        for s in BEHAVIOUR_SIGNALS
    }
    return {
        "protocol": f"leave-last-out; validation = second-to-last event, test = last event; {exclude} excluded",
        "embedder": embedder.name,
        "products": len(ids),
        "users": histories.n_users,
        "validation_users": len(val.users),
        "test_users": len(test.users),
        "settings_tried": len(results),
        "floors": dict(floors),
        "best": {**allowed[0][0].as_dict(), "collaborative_preset": preset},
        "top5_validation": [{**r.as_dict(), "collaborative_preset": p} for r, p in allowed[:5]],
        "unconstrained_best_validation": {**results[0][0].as_dict(), "collaborative_preset": results[0][1]},
        "test": {
            "best": test_block.evaluate(best).as_dict(),
            "best_with_max_seen_3": test_block.evaluate(best, max_seen=3).as_dict(),
            "unconstrained_best": (
                test_block
                if results[0][1] == preset
                else SignalBlock(test, vectors, ids, shop, behaviour, signals, results[0][1], exclude)
            )
            .evaluate(results[0][0].weights)
            .as_dict(),
            "engine_default": test_block.evaluate(FusionWeights()).as_dict(),
            **{f"{s}_only": r.as_dict() for s, r in alone.items()},
        },
        "seconds": round(time.perf_counter() - t0, 1),
    }
