"""``shoptalk eval recs``: the behaviour recommender against the reference baselines.

A thin adapter: ``recsys._benchmark.run_recs_eval`` does the work; this module resolves the
file, skips cleanly when the dataset is absent (a fresh machine has no datasets) and formats.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import typer

from recsys._benchmark import RecsReport, run_recs_eval
from recsys._eval import TIE_RULES
from recsys._interactions import EVENTS, read_events_csv

from .._settings import REPO_ROOT
from ._app import eval_app

DEFAULT_EVENTS = REPO_ROOT.parent / "shared" / "datasets" / "amazon_beauty" / "events.csv"


@eval_app.command("recs")
def eval_recs(
    events: Path = typer.Option(DEFAULT_EVENTS, "--events", help="CSV with columns user_id,item_id,event,timestamp (category_id optional)."),
    target_event: str | None = typer.Option(None, "--target-event",
                                            help=f"Target = last event of this type ({', '.join(EVENTS)})."),
    keep_seen: bool = typer.Option(False, "--keep-seen", help="Keep history items in the ranking (repeats)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    ablation: bool = typer.Option(False, "--ablation", help="Also measure each component removed / alone."),
    ties: str = typer.Option("expected", "--ties", help=f"Tie rule for ranks: {', '.join(TIE_RULES)}."),
    no_tune: bool = typer.Option(False, "--no-tune", help="Use the shipped preset instead of the validation search."),
) -> None:
    """HR@10 / NDCG@10 (leave-last-out, all items ranked) of ShopTalk and the baselines."""
    if not events.is_file():
        typer.echo(f"skipped: events file {events} not found (pass --events FILE; datasets are not shipped).")
        raise typer.Exit(0)
    if ties not in TIE_RULES:
        raise typer.BadParameter(f"unknown tie rule {ties!r}; choose one of: {', '.join(TIE_RULES)}",
                                 param_hint="--ties")
    log = read_events_csv(events)
    report = run_recs_eval(log, f"{events.parent.name}/{events.name}", target_event, keep_seen,
                           ties=ties, tuned=not no_tune, ablation=ablation)  # type: ignore[arg-type]
    typer.echo(json.dumps(report.as_dict()) if as_json else format_report(report))


def format_report(report: RecsReport) -> str:
    """The human-readable table (pure, so it is testable without a terminal)."""
    seen = "keep seen" if report.keep_seen else "exclude seen"
    target = f"target {report.target_event}" if report.target_event else "target last event"
    lines = [f"{report.dataset}: {report.events} events, {report.items} items, "
             f"{report.users_evaluated} users evaluated ({target}, {seen}, ties {report.ties})"]
    if report.tuning is not None:
        t = report.tuning
        lines.append(f"tuned on a validation split of the training data: {len(t.trials)} trials, "
                     f"{t.users} users, validation NDCG@10 {t.ndcg:.4f}, {t.seconds:.1f}s ({t.cpu_seconds:.1f}s CPU)")
    lines.append("config: " + ", ".join(f"{k}={v}" for k, v in asdict(report.config).items()))
    lines.append(f"{'system':24s} {'HR@10':>7s} {'NDCG@10':>8s} {'fit s':>7s} {'fit CPU':>8s} {'eval s':>7s}")
    for r in report.systems:
        lines.append(f"{r.name:24s} {r.hr:7.4f} {r.ndcg:8.4f} {r.fit_s:7.2f} {r.fit_cpu_s:8.2f} {r.eval_s:7.2f}")
    lines.append(f"shoptalk / item_knn NDCG@10: {report.ratio_vs_item_knn:.3f}")
    if report.ablation:
        lines.append("ablation (configuration fixed, not re-tuned):")
        for r in report.ablation:
            lines.append(f"  {r.name:22s} {r.hr:7.4f} {r.ndcg:8.4f}")
    return "\n".join(lines)
