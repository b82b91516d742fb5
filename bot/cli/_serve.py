"""``shoptalk serve``: the HTTP API and, when the web app is installed, the Gradio pages, in one process.

Everything heavy (embedder, indexes, model, recommendation engine) is built before the port
opens, so the first shopper does not pay for start-up and a health check that answers means
the service is ready. One uvicorn worker: the core keeps per-process caches and the bundled
model serialises generation anyway; scale out with more processes behind a load balancer
and a shared PostgreSQL (DESIGN.md, scale-out path).
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import typer

from ._app import ShopOption, app, services

log = logging.getLogger(__name__)


@app.command()
def serve(
    shop: Path | None = ShopOption,
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on (0.0.0.0 for all)."),
    port: int = typer.Option(7860, "--port", help="TCP port."),
    api_only: bool = typer.Option(False, "--api-only", help="Serve the HTTP API without the web pages."),
    demo: bool = typer.Option(
        False,
        "--demo",
        help="Demo mode (or SHOPTALK_DEMO=1): a selector to chat as the "
        "demo customers without a shop key, and the demo staff passwords. Never in "
        "production.",
    ),
) -> None:
    """Serve the shopper chat, the staff console and the HTTP API (/docs lists the routes)."""
    import uvicorn

    from ..api import create_api, header_timeout_protocol

    t0 = time.perf_counter()
    svc = services(shop, demo=demo or None)
    settings = svc.settings = svc.settings.with_(production=svc.settings.is_production(host))
    if settings.demo:
        log.warning(
            "DEMO MODE: anyone who can reach %s:%d can chat as a demo customer; never expose it", host, port
        )
    chat = svc.chat  # builds the assistant, the engine and the database now, not on the first request
    api = create_api(
        chat,
        shop_key=settings.shop_key,
        cors_origins=settings.cors_origins,
        request_timeout_s=settings.request_timeout_s,
    )
    _schedule_refresh(svc.engine, settings.refresh_minutes)
    pages = "" if api_only else _mount_pages(api, chat, settings.shop_dir if settings.demo else None)
    typer.echo(
        f"ShopTalk ready in {time.perf_counter() - t0:.1f}s: http://{host}:{port}/ "
        f"(API docs /docs{pages}){' [demo mode]' if settings.demo else ''}"
        f"{' [production rules]' if settings.production else ''}",
        err=True,
    )
    # Keep-alive connections idle longer than keepalive_s are closed; limit_concurrency answers
    # 503 past that many open connections instead of letting slow clients exhaust the process.
    uvicorn.run(
        api,
        host=host,
        port=port,
        log_level="warning",
        timeout_graceful_shutdown=5,
        timeout_keep_alive=max(1, int(settings.keepalive_s)),
        limit_concurrency=CONNECTIONS,
        server_header=False,
        http=header_timeout_protocol(settings.request_timeout_s),
    )


CONNECTIONS = 1000  # open connections per process (SSE streams and polls included)


def _mount_pages(api, chat, demo_shop: Path | None) -> str:
    """Mount the web pages; the customer selector only for a demo shop (``demo_shop``)."""
    try:
        from ..app import demo_shoppers, mount
    except ImportError as exc:  # the web pages are optional: the API stands alone
        log.warning("web app not available (%s); serving the API only", exc)
        return ""
    mount(api, chat, path="/", shoppers=demo_shoppers(demo_shop) if demo_shop is not None else None)
    return "; staff console /console; analytics /analytics"


def _schedule_refresh(engine, minutes: int) -> None:
    """Recount popularity and refit the collaborative model every few minutes, off the request
    path (each request already reads the shopper's own latest events)."""

    def loop() -> None:
        while not stop.wait(minutes * 60):
            try:
                engine.refresh()
            except Exception:  # a failed refresh must not kill the loop; the old model keeps serving
                log.exception("recommendation refresh failed; will retry in %d min", minutes)

    stop = threading.Event()
    threading.Thread(target=loop, name="recsys-refresh", daemon=True).start()
