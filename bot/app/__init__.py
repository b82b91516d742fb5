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
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import gradio as gr

from ._analytics import build_analytics_page
from ._console import build_console_page
from ._login import new_secret
from ._shopper import build_shopper_page, demo_shoppers
from ._theme import CSS, THEME

__all__ = ["CSS", "DEFAULT_CONCURRENCY", "THEME", "build_app", "demo_shoppers", "mount"]

DEFAULT_CONCURRENCY = 8  # events without their own limit; model-bound ones are limited to 2


def build_app(chat, *, shoppers: Sequence[tuple[str, str | None]] | None = None) -> gr.Blocks:
    """The three-page app over a ``ChatService``.

    ``shoppers`` are the selector's (label, customer id or None) entries; the default is one
    anonymous shopper. ``demo_shoppers(shop_dir)`` builds them from a demo shop's personas.
    """
    entries = list(shoppers) if shoppers else [("Anonymous shopper", None)]
    secret = new_secret()  # one per process: encrypts the staff session in the browser
    with gr.Blocks(title="ShopTalk") as demo:
        build_shopper_page(demo, chat, entries)
    with demo.route("Staff console", "/console"):
        build_console_page(demo, chat, secret)
    with demo.route("Analytics", "/analytics"):
        build_analytics_page(demo, chat, secret)
    demo.queue(default_concurrency_limit=DEFAULT_CONCURRENCY)
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
        return gr.mount_gradio_app(app, demo, path=path, theme=THEME, css=CSS, footer_links=["api", "settings"],
                                   ssr_mode=False, show_error=True)
