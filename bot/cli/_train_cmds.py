"""``shoptalk train-click-model``: fit the ad click model the ad server loads at start-up."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from ._app import ShopOption, app, services


@app.command("train-click-model")
def train_click_model_cmd(
    shop: Path | None = ShopOption,
    source: str = typer.Option(
        "auto",
        help="logged: the shop's own impressions and clicks; simulated: "
        "a persona simulator (demo shops); auto: logged when there are enough.",
    ),
    impressions: int = typer.Option(40_000, min=1000, help="Simulated impressions."),
    as_json: bool = typer.Option(False, "--json"),
    if_missing: bool = typer.Option(
        False, "--if-missing", help="Keep a model already trained for this shop."
    ),
) -> None:
    """Train the click model (embeddings + dense layers, BCE, Adam) and report held-out AUC/log-loss."""
    from recsys import train_click_model

    svc = services(shop)
    if if_missing and svc.click_model_path.exists():
        # `make demo` on a second start: the saved model is kept (retrain to learn from new clicks).
        typer.echo(
            f"click model already trained: {svc.click_model_path} (run without --if-missing to retrain)"
        )
        return
    report = train_click_model(svc.engine, svc.click_model_path, source=source, impressions=impressions)
    if as_json:
        typer.echo(json.dumps(report.__dict__))
        return
    typer.echo(
        f"{report.source} logs: {report.impressions:,} impressions, {report.clicks:,} clicks; "
        f"{report.test_users} shoppers held out; fit {report.fit_s}s"
    )
    typer.echo(f"{'model':34s} {'AUC':>7s} {'log-loss':>9s}")
    typer.echo(f"{'MLP click model':34s} {report.model['auc']:7.4f} {report.model['log_loss']:9.4f}")
    typer.echo(
        f"{'distance-only logistic regression':34s} {report.baseline['auc']:7.4f} {report.baseline['log_loss']:9.4f}"
    )
    typer.echo(f"saved to {report.path} (the ad server loads it at the next start)")
