"""``shoptalk train-click-model``: fit the ad click model the ad server loads at start-up.
``shoptalk tune-writer``: LoRA-tune the bundled model to write answers from facts."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from .._settings import DEFAULT_SHOP, Settings
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


@app.command("tune-writer")
def tune_writer_cmd(
    shops: list[Path] | None = typer.Option(
        None,
        "--shop",
        help="Shop directory to draw questions from (repeatable; default: the demo shop).",
        file_okay=False,
    ),
    tau2: Path | None = typer.Option(
        None, "--tau2", help="tau2-bench retail db.json: its products (other attribute names) join the data."
    ),
    out: Path | None = typer.Option(
        None, "--out", help="Adapter directory (default: data/models/writer-lora)."
    ),
    examples: int = typer.Option(2000, "--examples", min=8, help="Generated (prompt, answer) examples."),
    steps: int | None = typer.Option(None, "--steps", min=1, help="Optimiser steps (default: one epoch)."),
    minutes: float | None = typer.Option(
        None, "--minutes", min=0.1, help="Time budget: stop cleanly and save when it is spent."
    ),
    batch_size: int | None = typer.Option(None, "--batch-size", min=1, help="Default: 4 on CPU, 16 on CUDA."),
    lr: float = typer.Option(3e-4, "--lr", min=0),
    rank: int = typer.Option(8, "--rank", min=1, help="LoRA rank."),
    dtype: str = typer.Option(
        "bfloat16", "--dtype", help="Training dtype: bfloat16 (faster on this CPU class) or float32."
    ),
    seed: int = typer.Option(0, "--seed"),
) -> None:
    """Adapt the bundled model to writing answers from facts (LoRA); it is merged at the next load."""
    import os

    from ..llm import (
        DEFAULT_ADAPTER,
        bundled_cache_dir,
        convert_bundled,
        training_shops,
        tune_writer,
        writer_examples,
    )

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    settings = Settings.from_env()
    shop_list, notes = training_shops(shops or [DEFAULT_SHOP], tau2)
    for note in notes:
        typer.echo(note, err=True)
    pairs = writer_examples(shop_list, examples, seed)
    base = bundled_cache_dir(settings.models_dir)
    if not base.is_dir():
        typer.echo("converting the bundled model first (once, about a minute)", err=True)
        base = convert_bundled(settings.models_dir)
    names = [s.name for s in shop_list]
    typer.echo(f"{len(pairs)} examples from {', '.join(names)}; base {base.name}", err=True)
    report = tune_writer(
        base,
        pairs,
        out or DEFAULT_ADAPTER,
        steps=steps,
        batch_size=batch_size,
        lr=lr,
        rank=rank,
        minutes=minutes,
        seed=seed,
        shops=names,
        dtype=dtype,
    )
    stopped = " (time budget spent)" if report.stopped_by_time else ""
    typer.echo(
        f"tuned on {report.examples} examples: {report.steps}/{report.planned_steps} steps of {report.batch_size}"
        f"{stopped}, {report.s_per_step:.2f} s/step, {report.seconds / 60:.1f} min on {report.device} "
        f"({report.dtype}, torch threads {report.threads})"
    )
    typer.echo(f"loss {report.first_loss:.3f} -> {report.final_loss:.3f} (mean {report.mean_loss:.3f})")
    typer.echo(
        f"saved to {report.out_dir} ({report.adapter_bytes / 1e6:.1f} MB); the bundled model merges it at "
        "load (SHOPTALK_LLM_ADAPTER=none for the base model); measure it with `shoptalk eval writer`"
    )
