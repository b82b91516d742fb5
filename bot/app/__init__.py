"""The Gradio app: a thin adapter over ``ChatService`` (STYLE rule 11).

Three pages of one ``gr.Blocks``, built by ``build_app`` and mounted on the FastAPI app by
``mount`` (what ``shoptalk serve`` calls):

* ``/``          shopper chat: streaming replies, product cards, recommendations, sponsored
                 products (labelled, in their own list), quick replies, talk to a human,
                 like/dislike, CSAT at the end, staff messages arriving live;
* ``/console``   staff console: login, live queue, claim, transcript with the bot's sources,
                 shopper profile, drafts, canned responses, notes, hand back, resolve;
* ``/analytics`` admins: deflection, handoff reasons, CSAT, unanswered questions, ads, forecast.

Decisions live in ``ChatService``; the modules here only call it and turn its values into
components through the pure functions of ``_render*`` (tested without a server).

Gradio 6 notes: ``theme`` and ``css`` go to ``launch()`` / ``gr.mount_gradio_app()`` (not to
``gr.Blocks``), pages come from ``Blocks.route``, and ``gr.Chatbot`` takes message dicts only.

Security decisions (the pages face the internet; each is a Gradio setting checked against
the installed gradio's source, 6.x):

* ``run_history=False`` (``gr.mount_gradio_app``; gradio/routes.py): Gradio 6 otherwise keeps
  every run's inputs and outputs in the browser's localStorage (``gradio:run-history:...``):
  staff passwords typed into the login, returned values, transcripts. Off, nothing is recorded,
  the ``/gradio_api/runs`` page is disabled and runs an older version saved are deleted from
  the browser. It is a mount setting, not a ``Blocks`` one, so ``mount`` is the way to serve
  these pages.
* Every event is ``api_visibility="private"`` (``_events``): out of ``/gradio_api/info`` and
  the API page (so the footer has no "api" link). Gradio still answers
  ``/gradio_api/call/<name>`` and ``/gradio_api/run/<name>`` for a private event, so ``mount``
  refuses those routes (``_refuse_named_calls``); the browser only joins the queue, or posts
  to ``/gradio_api/run/predict``, by event index. And the queue is not ``api_open``: no
  queued event can skip the queue, and its concurrency limits, through ``/run/predict``.
* ``max_file_size=0``: the pages have no file inputs, so Gradio's upload routes refuse any
  non-empty file (413); ``bot._api_security.Hardening`` refuses the upload routes outright.
* The demo shopper selector exists only when ``shoppers`` is given (``shoptalk serve --demo``);
  staff sessions live in server-side ``gr.State`` (``_login``); staff and system text is plain
  text (``_render.escape_md``).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence

import gradio as gr
from gradio.routes import App as GradioApp
from starlette.responses import JSONResponse
from starlette.routing import Mount

from ._analytics import build_analytics_page
from ._console import build_console_page
from ._shopper import build_shopper_page, demo_shoppers
from ._theme import CSS, THEME

__all__ = ["CSS", "DEFAULT_CONCURRENCY", "THEME", "build_app", "demo_shoppers", "mount"]

DEFAULT_CONCURRENCY = 8  # events without their own limit; model-bound ones are limited to 2
MAX_UPLOAD_BYTES = 0  # no file inputs: Gradio's upload routes take no non-empty file
# Gradio routes that run an event by API name: /call/<name> (queued) and /run|api/<name>
# (direct). /run/predict is how the browser runs an unqueued event, by index, and stays.
NAMED_CALLS = re.compile(r"^/gradio_api/(?:call/|(?:run|api)/(?!predict/?$))")


def build_app(chat, *, shoppers: Sequence[tuple[str, str | None]] | None = None) -> gr.Blocks:
    """The three-page app over a ``ChatService``.

    ``shoppers`` are the demo selector's (label, customer id or None) entries, and only a demo
    passes them (``demo_shoppers(shop_dir)`` builds them from a demo shop's personas): anyone
    who can reach the page can then chat as those customers without a shop key. Without them
    the page has no selector and every chat is anonymous.
    """
    with gr.Blocks(title="ShopTalk") as demo:
        build_shopper_page(demo, chat, list(shoppers) if shoppers else None)
    with demo.route("Staff console", "/console"):
        build_console_page(demo, chat)
    with demo.route("Analytics", "/analytics"):
        build_analytics_page(demo, chat)
    # api_open=False: queued events run only through the queue (no skipping it, or its limits, via /run/<name>).
    demo.queue(default_concurrency_limit=DEFAULT_CONCURRENCY, api_open=False)
    return demo


def mount(app, chat, *, path: str = "/", shoppers: Sequence[tuple[str, str | None]] | None = None):
    """Mount the app on a FastAPI ``app`` at ``path`` with the ShopTalk theme; returns ``app``.

    Mount last: a Gradio app mounted at ``/`` answers every path the FastAPI app has not
    claimed before it.
    """
    demo = build_app(chat, shoppers=shoppers)
    with warnings.catch_warnings():
        # Gradio warns on every multipage mount that SSR is off; it is off on purpose (no Node server).
        warnings.filterwarnings("ignore", message="SSR mode is not supported", category=UserWarning)
        gr.mount_gradio_app(
            app,
            demo,
            path=path,
            theme=THEME,
            css=CSS,
            footer_links=["settings"],
            run_history=False,
            max_file_size=MAX_UPLOAD_BYTES,
            ssr_mode=False,
            show_error=True,
        )
    _refuse_named_calls(app, demo)
    return app


class _NoNamedCalls:
    """ASGI wrapper of the mounted Gradio app: 404 for the routes that run an event by name.

    Gradio runs an event by its API name there even when the event is private, and the pages
    never use them: the browser joins the queue, or posts to ``/run/predict``, by event index.
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            path = scope["path"]
            root = scope.get("root_path", "")
            if root and path.startswith(root):  # the mount's prefix (e.g. /shop when mounted there)
                path = path[len(root) :]
            if NAMED_CALLS.match(path):
                response = JSONResponse({"detail": "Not Found"}, status_code=404)
                return await response(scope, receive, send)
        return await self.app(scope, receive, send)


def _refuse_named_calls(app, demo: gr.Blocks) -> None:
    """Wrap the Mount that ``gr.mount_gradio_app`` just added for ``demo``."""
    for route in reversed(app.router.routes):
        mounted = getattr(route, "app", None)
        if isinstance(route, Mount) and isinstance(mounted, GradioApp) and mounted.get_blocks() is demo:
            route.app = _NoNamedCalls(mounted)
            return
    raise RuntimeError("the Gradio app was not mounted")  # gradio changed how it mounts: fail loudly
