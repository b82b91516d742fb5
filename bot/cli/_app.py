"""Typer application objects and options shared by every command module."""

from __future__ import annotations

from pathlib import Path

import typer

from .._services import Services
from .._settings import Settings

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="ShopTalk: a self-hosted shopping assistant over your shop's own data.",
)
eval_app = typer.Typer(no_args_is_help=True, help="Evaluate retrieval, recommendations and intents.")
app.add_typer(eval_app, name="eval")

ShopOption = typer.Option(
    None, "--shop", help="Shop directory (default: SHOPTALK_SHOP or the demo shop).", file_okay=False
)


def services(shop: Path | None = None, **overrides) -> Services:
    return Services(Settings.from_env(shop_dir=shop, **overrides))
