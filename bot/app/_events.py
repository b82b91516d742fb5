"""What every event handler of the pages shares: private endpoints and the caller's address.

Design decisions:

* Every event is ``api_visibility="private"``: the Gradio endpoints are the pages' internals,
  not an API (the programmatic door is ``/api``, with its own contract). Private endpoints are
  left out of ``/gradio_api/info`` and the API page, and Gradio records no run of them. Gradio
  still resolves ``/gradio_api/call/<name>`` for a private event, so ``bot.app.mount`` refuses
  that route, and the queue is not ``api_open`` (no skipping it through ``/run/<name>``).
  The browser calls events by index through the queue, which cannot be switched off; what an
  event can do therefore never rests on who can call it: staff events act only on a session
  kept in server-side ``gr.State``, and the shopper's start handler cannot name a customer.
* Handlers that the core rate-limits take a ``gr.Request`` and pass ``client=`` the address
  ``chat.clients`` resolves (the socket peer, or a trusted proxy's header), the same one the
  HTTP API passes, so the pages and the API share one set of limits.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

PRIVATE: dict[str, Any] = {"api_visibility": "private"}


def client_address(chat, request: gr.Request | None) -> str | None:
    """The address the core counts this request against (None outside a request, e.g. in tests)."""
    if request is None:
        return None
    client = getattr(request, "client", None)
    peer = getattr(client, "host", None)
    headers = getattr(request, "headers", None) or {}
    resolver = getattr(chat, "clients", None)
    return resolver.resolve(peer, headers) if resolver is not None else peer
