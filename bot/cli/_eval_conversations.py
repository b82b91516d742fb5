"""``shoptalk eval conversations``: the conversation suite on a shop, scored."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import typer

from .._services import _secret_lines, build_assistant
from .._settings import REPO_ROOT
from ..assistant import load_suite, run_suite
from . import _targets
from ._app import ShopOption, eval_app, services

DEFAULT_SUITE = REPO_ROOT / "data" / "evals" / "conversations_v1.yaml"
# README "The assistant": the figures this project promises on the suite, and the hard failures
# (a made-up price, an ad passed off as a recommendation, a quoted system prompt) at zero.
TARGETS = (
    _targets.Target("route_accuracy", ">=", 0.95),
    _targets.Target("fact_accuracy", ">=", 0.90),
    _targets.Target("ungrounded_prices", "<=", 0),
    _targets.Target("undisclosed_ads", "<=", 0),
    _targets.Target("leaked_prompt", "<=", 0),
)


def suite_targets(data: dict) -> tuple[_targets.Target, ...]:
    """Targets a suite file declares for itself (``targets: {turn_pass_rate: ">= 0.90"}``)."""
    out = []
    for metric, spec in (data.get("targets") or {}).items():
        op, _, value = str(spec).partition(" ")
        if op not in (">=", "<=") or not value:
            raise typer.BadParameter(f"target for {metric}: expected '>= N' or '<= N', got {spec!r}")
        out.append(_targets.Target(metric, op, float(value)))  # type: ignore[arg-type]
    return tuple(out)


@eval_app.command("conversations")
def eval_conversations(
    suite: Path = typer.Option(DEFAULT_SUITE, "--suite", help="Versioned conversation cases (YAML)."),
    shop: Path | None = ShopOption,
    as_json: bool = typer.Option(False, "--json"),
    failures: bool = typer.Option(False, "--failures", help="Print every failed turn."),
) -> None:
    """Replay the conversation suite and report route/fact/citation/constraint/handoff/ad metrics.

    Exits 1 when a target is missed, 2 when the suite file does not exist."""
    if not suite.is_file():
        typer.echo(
            f"error: --suite file {suite} not found (a YAML file with a 'cases' list, "
            f"like {DEFAULT_SUITE.relative_to(REPO_ROOT)})",
            err=True,
        )
        raise typer.Exit(_targets.EXIT_MISSING_INPUT)
    data = load_suite(suite)
    if shop is None and data.get("shop"):
        shop = REPO_ROOT / str(data["shop"])  # the suite names the shop it was written for
    svc = services(shop)
    today = data.get("today")
    now = datetime.fromisoformat(today).replace(tzinfo=UTC) if today else datetime.now(UTC)
    svc.shop_index.ingest()
    assistant = build_assistant(
        svc.shop,
        svc.shop_index,
        svc.embedder,
        model=svc.model,
        recommender=svc.engine,
        settings=svc.settings,
        clock=lambda: now,
    )
    report = run_suite(
        assistant,
        svc.shop,
        data,
        secrets=_secret_lines(),
        register=lambda uid: svc.event_store.register_users([uid]),
    )
    metrics = report.metrics()
    metrics["suite"] = suite.name
    metrics["model"] = getattr(svc.model, "name", svc.settings.llm_backend)
    outcomes = _targets.check(TARGETS + suite_targets(data), metrics)
    if as_json:
        typer.echo(json.dumps(metrics | _targets.as_json(outcomes)))
    else:
        by_metric = {o.target.metric: o for o in outcomes}
        for key, value in metrics.items():
            o = by_metric.get(key)
            typer.echo(f"{key:26s} {value}" + (f" (target {o.target.describe()}) {o.verdict}" if o else ""))
    if failures or not as_json:
        bad = [t for t in report.turns if not t.ok]
        if bad:
            typer.echo(f"\n{len(bad)} turn(s) with a failed check:", err=True)
        for t in bad if failures else bad[:10]:
            failed = [k for k, v in t.checks.items() if not v] + list(t.notes)
            typer.echo(
                f"- {t.case}#{t.turn} '{t.say}' -> route {t.reply.route}: {', '.join(failed)}\n"
                f"    {t.reply.text[:300]!r}",
                err=True,
            )
    _targets.finish(outcomes)
