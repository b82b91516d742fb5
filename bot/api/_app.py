"""The HTTP API: a thin FastAPI adapter over ``ChatService`` for a shop's own site widget and tools.

Design decisions:

* Routes are plain ``def`` functions: FastAPI runs them in its thread pool, which is what the
  synchronous core wants; the SSE stream is a sync iterator Starlette also drives in a thread.
* A conversation token opens exactly one conversation: the URL id must be the token's, and
  anything else is 404 (not 403), so ids cannot be probed.
* ``customer_id``/``user_id`` at start are honoured only with ``X-Shop-Key`` (env
  ``SHOPTALK_SHOP_KEY``): the shop's backend vouches for its signed-in customer; a browser
  cannot claim to be someone.
* Errors are one JSON shape, ``{"error": {"type", "message"}}``: core errors map by class
  (404/401/403/409/429/400/503), validation to 422 (malformed JSON to 400), and anything
  unexpected to a 500 that names nothing internal. Rate limits (429) and a full bot-turn queue
  (503) carry ``Retry-After``.
* Every route that a shopper can call passes the client address (``chat.clients`` resolves it:
  the socket peer, or a trusted proxy's header) to the core, which owns the rate limits, so
  the Gradio pages and this API share them. ``Hardening`` (``_hardening``) wraps the whole
  app: CORS allow-list, security headers, no uploads, body size and time limits.
* The core never imports FastAPI; ``bot.api`` is the adapter: this module builds the app, the
  routes live in ``_shopper`` and ``_staff``, shared helpers in ``_http``.
  Gradio is not imported here at all: ``bot.app.mount`` adds the pages.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

from retrieval import NotFoundError, ShopTalkError

from .._chat import ChatService
from ..staff import StaffSession
from . import _models as m
from ._hardening import MAX_API_BODY, Hardening
from ._http import _bearer, _core_error, _validation_error, error
from ._shopper import shopper_routes
from ._staff import staff_routes

log = logging.getLogger(__name__)

MAX_BODY_BYTES = MAX_API_BODY
# Worker threads for sync routes and streams. A streaming bot turn holds one while it waits for
# a turn slot or the model; the default 40 would let 40 queued turns starve every cheap read.
THREADS = 128
_ERRORS: dict[int | str, dict] = {
    code: {"model": m.ErrorOut} for code in (400, 401, 403, 404, 408, 409, 413, 422, 429, 503)
}


@asynccontextmanager
async def _lifespan(_app: FastAPI) -> AsyncIterator[None]:
    import anyio.to_thread

    anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS
    yield


def create_api(
    chat: ChatService,
    *,
    shop_key: str | None = None,
    cors_origins: tuple[str, ...] = (),
    request_timeout_s: float = 30.0,
) -> FastAPI:
    """The FastAPI app over ``chat``. The web pages are mounted on it afterwards by
    ``bot.app.mount`` (what ``shoptalk serve`` does), which also hardens Gradio's own routes."""
    shop_key = shop_key or None  # from Settings (SHOPTALK_SHOP_KEY), resolved by the caller
    app = FastAPI(title="ShopTalk API", version="1", responses=_ERRORS, lifespan=_lifespan)
    app.add_middleware(Hardening, cors_origins=cors_origins, request_timeout_s=request_timeout_s)

    def vouched(x_shop_key: str | None) -> bool:
        """The shop's backend is calling: it sent the shared secret."""
        return bool(shop_key and x_shop_key and hmac.compare_digest(shop_key.encode(), x_shop_key.encode()))

    @app.exception_handler(ShopTalkError)
    async def _on_core(_request: Request, exc: ShopTalkError):
        return _core_error(exc)

    @app.exception_handler(RequestValidationError)
    async def _on_validation(_request: Request, exc: RequestValidationError):
        return _validation_error(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _on_http(_request: Request, exc: StarletteHTTPException):
        kind = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return error(exc.status_code, kind, str(exc.detail))

    @app.exception_handler(Exception)
    async def _on_crash(_request: Request, exc: Exception):
        log.exception("unhandled error", exc_info=exc)
        return error(500, "internal_error", "Something went wrong on our side; please try again")

    def staff(token: str = Depends(_bearer)) -> StaffSession:
        return chat.staff.session(token)

    def client(request: Request) -> str:
        return chat.clients.resolve(request.client.host if request.client else None, request.headers)

    shopper_routes(app, chat, bearer=_bearer, client=client, vouched=vouched)
    staff_routes(app, chat, staff=staff, bearer=_bearer, client=client)

    @app.get("/healthz", response_model=m.HealthOut, tags=["ops"])
    def healthz():
        chat.store.get("healthz")  # a real query: the database answers
        return m.HealthOut(status="ok", database="ok")

    @app.api_route(
        "/api/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False
    )
    def _unknown(rest: str, request: Request):  # JSON 404/405 for /api typos, even with a web app at /
        path = f"/api/{rest}"
        allowed = sorted(
            {
                method
                for r in app.routes
                if isinstance(r, APIRoute) and r.name != "_unknown" and r.path_regex.match(path)
                for method in r.methods or ()
            }
        )
        if allowed:
            return error(
                405,
                "method_not_allowed",
                f"{request.method} is not allowed on {path}; use {', '.join(allowed)}",
                {"Allow": ", ".join(allowed)},
            )
        raise NotFoundError(f"No API route {path}; see /docs")

    return app
