"""``shoptalk eval recs``: the behaviour recommender against the reference baselines.

A thin adapter: ``recsys._benchmark.run_recs_eval`` does the work; this module resolves the
file, formats, and checks the target. Without ``--events`` it reads the Beauty dataset next to
the repository and skips cleanly (exit 0) when that is absent (a fresh machine has no
datasets); a file named with ``--events`` that does not exist is an error (exit 2).

Target (exit 1 when missed): shoptalk's NDCG@10 at least 1.15 x item-kNN's in the same run
(README, Beauty). On Taobao the README's target is against an outside reference figure; the
same-run ratio there is far above 1.15, so this one target serves both.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import typer

from recsys import EVENTS, TIE_RULES, RecsReport, read_events_csv, run_recs_eval

from .._settings import REPO_ROOT
from . import _targets
from ._app import eval_app

DEFAULT_EVENTS = REPO_ROOT.parent / "shared" / "datasets" / "amazon_beauty" / "events.csv"
TARGET_RATIO_VS_ITEM_KNN = 1.15


@eval_app.command("recs")
def eval_recs(
    events: Path | None = typer.Option(
        None,
        "--events",
        show_default=False,
        help="CSV with columns user_id,item_id,event,timestamp (category_id "
        "optional). Default: ../shared/datasets/amazon_beauty/events.csv.",
    ),
    target_event: str | None = typer.Option(
        None, "--target-event", help=f"Target = last event of this type ({', '.join(EVENTS)})."
    ),
    keep_seen: bool = typer.Option(False, "--keep-seen", help="Keep history items in the ranking (repeats)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    ablation: bool = typer.Option(False, "--ablation", help="Also measure each component removed / alone."),
    ties: str = typer.Option("expected", "--ties", help=f"Tie rule for ranks: {', '.join(TIE_RULES)}."),
    no_tune: bool = typer.Option(
        False, "--no-tune", help="Use the shipped preset instead of the validation search."
    ),
    min_ratio: float = typer.Option(
        TARGET_RATIO_VS_ITEM_KNN,
        "--min-ratio",
        min=0,
        help="Target: shoptalk NDCG@10 / item-kNN NDCG@10 of the same run; exit 1 below it.",
    ),
) -> None:
    """HR@10 / NDCG@10 (leave-last-out, all items ranked) of ShopTalk and the baselines.

    Exits 1 when the target is missed, 2 when the --events file does not exist."""
    events = _targets.input_file(
        events, DEFAULT_EVENTS, "--events", "a CSV with columns user_id,item_id,event,timestamp"
    )
    if ties not in TIE_RULES:
        raise typer.BadParameter(
            f"unknown tie rule {ties!r}; choose one of: {', '.join(TIE_RULES)}", param_hint="--ties"
        )
    log = read_events_csv(events)
    report = run_recs_eval(
        log,
        f"{events.parent.name}/{events.name}",
        target_event,
        keep_seen,
        ties=ties,  # type: ignore[arg-type]
        tuned=not no_tune,
        ablation=ablation,
    )
    outcomes = _targets.check(
        [_targets.Target("ratio_vs_item_knn", ">=", min_ratio)],
        {"ratio_vs_item_knn": report.ratio_vs_item_knn},
    )
    if as_json:
        typer.echo(json.dumps(report.as_dict() | _targets.as_json(outcomes)))
    else:
        typer.echo(format_report(report) + "\n" + "\n".join(_targets.lines(outcomes)))
    _targets.finish(outcomes)


def format_report(report: RecsReport) -> str:
    """The human-readable table (pure, so it is testable without a terminal)."""
    seen = "keep seen" if report.keep_seen else "exclude seen"
    target = f"target {report.target_event}" if report.target_event else "target last event"
    lines = [
        f"{report.dataset}: {report.events} events, {report.items} items, "
        f"{report.users_evaluated} users evaluated ({target}, {seen}, ties {report.ties})"
    ]
    if report.tuning is not None:
        t = report.tuning
        lines.append(
            f"tuned on a validation split of the training data: {len(t.trials)} trials, "
            f"{t.users} users, validation NDCG@10 {t.ndcg:.4f}, {t.seconds:.1f}s ({t.cpu_seconds:.1f}s CPU)"
        )
    lines.append("config: " + ", ".join(f"{k}={v}" for k, v in asdict(report.config).items()))
    lines.append(f"{'system':24s} {'HR@10':>7s} {'NDCG@10':>8s} {'fit s':>7s} {'fit CPU':>8s} {'eval s':>7s}")
    for r in report.systems:
        lines.append(
            f"{r.name:24s} {r.hr:7.4f} {r.ndcg:8.4f} {r.fit_s:7.2f} {r.fit_cpu_s:8.2f} {r.eval_s:7.2f}"
        )
    lines.append(f"shoptalk / item_knn NDCG@10: {report.ratio_vs_item_knn:.3f}")
    if report.ablation:
        lines.append("ablation (configuration fixed, not re-tuned):")
        for r in report.ablation:
            lines.append(f"  {r.name:22s} {r.hr:7.4f} {r.ndcg:8.4f}")
    return "\n".join(lines)
