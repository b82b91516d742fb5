"""One ``eval recs`` run: baselines, the tuned project model and its ablation, on one split.

Design decisions:

* Everything is measured in the same run on the same split, so the ratio to item-kNN never
  mixes figures from different code or data.
* The project model's configuration comes from ``_tuning`` on a validation split cut from the
  training histories (or a named preset with ``tune=False``); the test targets are used once,
  for the final figures. Ablation rows reuse that configuration without re-tuning, so each row
  shows what a component contributes to *this* model.
* The report is a frozen value; the CLI only formats it (text or JSON).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace

from ._collab import COMPONENTS, PRESETS, Fusion, FusionConfig, make_model
from ._eval import Result, Split, Ties, evaluate, split_log
from ._interactions import EventLog
from ._tuning import TuneReport, tune, validation_split

BASELINES: tuple[str, ...] = ("popularity", "item_knn", "weighted_history_knn")


@dataclass(frozen=True)
class RecsReport:
    dataset: str
    target_event: str | None
    keep_seen: bool
    ties: str
    events: int
    items: int
    users_evaluated: int
    systems: tuple[Result, ...]  # the project model first, then the baselines
    config: FusionConfig
    tuning: TuneReport | None
    ablation: tuple[Result, ...] = ()

    def system(self, name: str) -> Result:
        return next(r for r in self.systems if r.name == name)

    @property
    def ratio_vs_item_knn(self) -> float:
        knn, ours = self.system("item_knn").ndcg, self.system("shoptalk").ndcg
        if knn:
            return ours / knn
        return float("inf") if ours else float("nan")  # 0 / 0 beats nothing: no target is met by it

    def as_dict(self) -> dict:
        out = {
            "dataset": self.dataset,
            "target_event": self.target_event,
            "keep_seen": self.keep_seen,
            "ties": self.ties,
            "events": self.events,
            "items": self.items,
            "users_evaluated": self.users_evaluated,
            "systems": {r.name: r.as_dict() for r in self.systems},
            # None when item-kNN scored 0 (the ratio is not finite; JSON has no Infinity or NaN)
            "ratio_vs_item_knn": round(ratio, 3) if math.isfinite(ratio := self.ratio_vs_item_knn) else None,
            "config": asdict(self.config),
        }
        if self.tuning is not None:
            out["tuning"] = {
                "seconds": round(self.tuning.seconds, 1),
                "cpu_seconds": round(self.tuning.cpu_seconds, 1),
                "validation_users": self.tuning.users,
                "validation_ndcg@10": round(self.tuning.ndcg, 4),
                "trials": len(self.tuning.trials),
            }
        if self.ablation:
            out["ablation"] = {r.name: r.as_dict() for r in self.ablation}
        return out


def ablation_configs(config: FusionConfig, multi_event: bool) -> dict[str, FusionConfig]:
    """Each enabled component removed and alone, plus the profile features switched off."""
    enabled = [c for c in COMPONENTS if config.weights()[c]]
    rows = {f"without {c}": config.without(c) for c in enabled if len(enabled) > 1}
    rows |= {f"only {c}": config.only(c) for c in enabled}
    rows["no recency decay"] = replace(config, knn_half_life=0.0, trans_half_life=0.0, history_half_life=0.0)
    if multi_event:
        rows["uniform event weights"] = replace(config, event_weights=(1.0,) * len(config.event_weights))
    return rows


def run_recs_eval(
    log: EventLog,
    dataset: str,
    target_event: str | None = None,
    keep_seen: bool = False,
    ties: Ties = "expected",
    tuned: bool = True,
    ablation: bool = False,
    seed: int = 0,
) -> RecsReport:
    """Split ``log`` by the protocol, tune (on training data only), measure everything."""
    split: Split = split_log(log, target_event)
    tuning = None
    if tuned:
        tuning = tune(validation_split(split, target_event), keep_seen=keep_seen, seed=seed)
        config = tuning.config
    else:
        config = PRESETS["repeat" if keep_seen else "sequential"]
    systems = [evaluate("shoptalk", Fusion(config), split, keep_seen, ties)]
    systems += [evaluate(name, make_model(name), split, keep_seen, ties) for name in BASELINES]
    rows: list[Result] = []
    if ablation:
        multi_event = len(set(log.event.tolist())) > 1
        rows = [
            evaluate(name, Fusion(cfg), split, keep_seen, ties)
            for name, cfg in ablation_configs(config, multi_event).items()
        ]
    return RecsReport(
        dataset,
        target_event,
        keep_seen,
        ties,
        len(log),
        len(log.item_ids),
        len(split.users),
        tuple(systems),
        config,
        tuning,
        tuple(rows),
    )
