"""``shoptalk eval conversations``: the conversation suite on a shop, scored."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import typer

from .._services import _secret_lines, build_assistant
from .._settings import REPO_ROOT
from ..assistant._evals import load_suite, run_suite
from ._app import ShopOption, eval_app, services

DEFAULT_SUITE = REPO_ROOT / "data" / "evals" / "conversations_v1.yaml"
TARGETS = {"route_accuracy": 0.95, "fact_accuracy": 0.90}


@eval_app.command("conversations")
def eval_conversations(
    suite: Path = typer.Option(DEFAULT_SUITE, "--suite", help="Versioned conversation cases (YAML)."),
    shop: Path | None = ShopOption,
    as_json: bool = typer.Option(False, "--json"),
    failures: bool = typer.Option(False, "--failures", help="Print every failed turn."),
) -> None:
    """Replay the conversation suite and report route/fact/citation/constraint/handoff/ad metrics."""
    svc = services(shop)
    data = load_suite(suite)
    today = data.get("today")
    now = datetime.fromisoformat(today).replace(tzinfo=UTC) if today else datetime.now(UTC)
    svc.shop_index.ingest()
    assistant = build_assistant(svc.shop, svc.shop_index, svc.embedder, model=svc.model, recommender=svc.engine,
                                settings=svc.settings, clock=lambda: now)
    report = run_suite(assistant, svc.shop, data, secrets=_secret_lines(),
                       register=lambda uid: svc.event_store.register_users([uid]))
    metrics = report.metrics()
    metrics["suite"] = suite.name
    metrics["model"] = getattr(svc.model, "name", svc.settings.llm_backend)
    if as_json:
        typer.echo(json.dumps(metrics))
    else:
        for key, value in metrics.items():
            target = TARGETS.get(key)
            mark = "" if target is None or value is None else ("  ok" if value >= target else f"  BELOW {target}")
            typer.echo(f"{key:26s} {value}{mark}")
    if failures or not as_json:
        bad = [t for t in report.turns if not t.ok]
        if bad:
            typer.echo(f"\n{len(bad)} turn(s) with a failed check:", err=True)
        for t in bad if failures else bad[:10]:
            failed = [k for k, v in t.checks.items() if not v] + list(t.notes)
            typer.echo(f"- {t.case}#{t.turn} '{t.say}' -> route {t.reply.route}: {', '.join(failed)}\n"
                       f"    {t.reply.text[:300]!r}", err=True)
