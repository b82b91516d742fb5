"""Commands over a shop directory: ingest, search."""

from __future__ import annotations

import json
import time
from pathlib import Path

import typer

from retrieval import Constraints

from ._app import ShopOption, app, services


@app.command()
def ingest(shop: Path | None = ShopOption, quiet: bool = typer.Option(False, "--quiet", "-q")) -> None:
    """Embed the shop's products and policy sections into its Chroma collections (idempotent)."""
    svc = services(shop)
    report = svc.shop_index.ingest(progress=not quiet)
    for err in report.errors:
        typer.secho(f"skipped: {err}", fg=typer.colors.YELLOW, err=True)
    p, q = report.products, report.policies
    typer.echo(
        f"products: {p.parents} ({p.parents_updated} updated, {p.parents_unchanged} unchanged, "
        f"{p.parents_deleted} deleted); policy sections: {q.parents} ({q.parents_updated} updated, "
        f"{q.parents_deleted} deleted); chunks embedded: {report.chunks_embedded}; "
        f"{len(report.errors)} bad record(s) skipped; {report.seconds:.1f}s"
    )


@app.command()
def search(
    query: str = typer.Argument(None, help="Query; omit it for an interactive prompt."),
    shop: Path | None = ShopOption,
    k: int = typer.Option(5, "-k", min=1, max=100),
    price_max: float | None = typer.Option(None, "--max-price", min=0),
    in_stock: bool = typer.Option(False, "--in-stock"),
    policies: bool = typer.Option(False, "--policies", help="Search policy sections instead."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Hybrid search over the shop (the terminal REPL when no query is given)."""
    svc = services(shop)
    svc.shop_index.ingest()
    explicit = Constraints(price_max=price_max, in_stock=in_stock)

    def run(q: str) -> None:
        t0 = time.perf_counter()
        if policies:
            hits = svc.shop_index.policies.search(q, k)
            rows = [
                {"citation": h.citation, "heading": h.section.heading, "score": round(h.score, 4)}
                for h in hits
            ]
        else:
            result = svc.shop_index.products.search(q, explicit, k)
            rows = [
                {
                    "id": h.product.id,
                    "title": h.product.title,
                    "price": h.product.price,
                    "stock": h.product.stock,
                    "score": round(h.score, 4),
                }
                for h in result.hits
            ]
            if not as_json:
                typer.echo(f"constraints: {', '.join(result.constraints.describe()) or 'none'}")
        ms = (time.perf_counter() - t0) * 1000
        if as_json:
            typer.echo(json.dumps({"query": q, "results": rows, "ms": round(ms, 1)}))
            return
        for i, row in enumerate(rows, 1):
            typer.echo(f"{i:2d}. " + "  ".join(f"{v}" for v in row.values()))
        typer.echo(f"({ms:.0f} ms)")

    if query:
        run(query)
        return
    while True:
        try:
            q = input("search> ").strip()
        except (EOFError, KeyboardInterrupt):
            typer.echo()
            return
        if q:
            run(q)
