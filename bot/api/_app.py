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
  the Gradio pages and this API share them. ``bot._api_security.Hardening`` wraps the whole
  app: CORS allow-list, security headers, no uploads, body size and time limits.
* The core never imports FastAPI; this module and its ``_api_*`` siblings are the adapter.
  Gradio is not imported here at all: ``bot.app.mount`` adds the pages.
"""

from __future__ import annotations

import hmac
import json
import logging
import queue
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

from retrieval import ConfigError, InputError, NotFoundError, ShopTalkError

from .._chat import ChatService
from .._errors import AuthError, ConflictError, ForbiddenError
from ..conversations import Escalated, Queued, Saved, Token
from ..safety import Busy, RateLimited
from ..staff import StaffSession
from . import _models as m
from ._hardening import MAX_API_BODY, Hardening
from ._staff import staff_routes

log = logging.getLogger(__name__)

MAX_BODY_BYTES = MAX_API_BODY
MAX_ID = 2**53  # ids and counters in query strings: larger ones are nobody's (and overflow SQL integers)
# Worker threads for sync routes and streams. A streaming bot turn holds one while it waits for
# a turn slot or the model; the default 40 would let 40 queued turns starve every cheap read.
THREADS = 128
_ERRORS: dict[int | str, dict] = {
    code: {"model": m.ErrorOut} for code in (400, 401, 403, 404, 408, 409, 413, 422, 429, 503)
}


def error(status: int, kind: str, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": {"type": kind, "message": message}}, status_code=status, headers=headers)


def _core_error(exc: ShopTalkError) -> JSONResponse:
    if isinstance(exc, RateLimited):
        return error(429, "rate_limited", str(exc), {"Retry-After": str(exc.retry_after)})
    if isinstance(exc, Busy):
        return error(503, "busy", str(exc), {"Retry-After": str(exc.retry_after)})
    if isinstance(exc, NotFoundError):
        return error(404, "not_found", str(exc))
    if isinstance(exc, ForbiddenError):
        return error(403, "forbidden", str(exc))
    if isinstance(exc, AuthError):
        return error(401, "unauthorized", str(exc), {"WWW-Authenticate": "Bearer"})
    if isinstance(exc, ConflictError):
        return error(409, "conflict", str(exc))
    if isinstance(exc, InputError):
        return error(400, "invalid_input", str(exc))
    log.error("service error: %s", exc)  # ConfigError and friends are for the operator's log
    return error(
        503 if isinstance(exc, ConfigError) else 500,
        "unavailable",
        "The service is unavailable right now; please try again later",
    )


def _validation_error(exc: RequestValidationError) -> JSONResponse:
    problems = exc.errors()
    if any(p.get("type") == "json_invalid" for p in problems):
        return error(400, "invalid_json", "The request body is not valid JSON")
    parts = []
    for p in problems[:5]:
        where = ".".join(str(x) for x in p.get("loc", ()) if x != "body") or "body"
        parts.append(f"{where}: {p.get('msg', 'invalid')}")
    return error(422, "validation_error", "; ".join(parts))


def _bearer(authorization: str | None = Header(None, description="Bearer <token>")) -> str:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError("Send 'Authorization: Bearer <token>'")
    return token.strip()


def _sse(kind: str, data: dict) -> str:
    return f"event: {kind}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


def _detached(events: Iterator) -> Iterator:
    """Run a bot turn to completion in its own thread whatever the client does: a shopper who
    closes the tab mid-turn still finds the reply, committed, when they come back."""
    box: queue.Queue = queue.Queue()
    end = object()

    def pump() -> None:
        try:
            for event in events:
                box.put(event)
        except BaseException as exc:  # handed to the reader, which reports it in-band
            box.put(exc)
        finally:
            box.put(end)

    threading.Thread(target=pump, name="bot-turn", daemon=True).start()
    while (item := box.get()) is not end:
        if isinstance(item, BaseException):
            raise item
        yield item


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

    # -- shopper ------------------------------------------------------------------------------
    @app.post("/api/conversations", response_model=m.StartResponse, status_code=201, tags=["shopper"])
    def start(
        body: m.StartRequest | None = None,
        x_shop_key: str | None = Header(None),
        address: str = Depends(client),
    ):
        body = body or m.StartRequest.model_validate({})
        if (body.customer_id is not None or body.user_id is not None) and not vouched(x_shop_key):
            raise ForbiddenError(
                "customer_id/user_id are accepted only from the shop's backend (a valid X-Shop-Key header)"
            )
        # The shop's backend starts chats for all its shoppers from one address: not rate-limited.
        started = chat.start(
            customer_id=body.customer_id,
            user_id=body.user_id,
            client=None if vouched(x_shop_key) else address,
        )
        return m.StartResponse(conversation_id=started.conversation.id, token=started.token, status="bot")

    @app.post(
        "/api/conversations/{conversation_id}/messages",
        tags=["shopper"],
        responses={200: {"model": m.PostResponse, "content": {"text/event-stream": {}}}},
    )
    def post(
        conversation_id: str,
        body: m.PostMessage,
        token: str = Depends(_bearer),
        stream: bool = Query(True, description="SSE (default) or one JSON response"),
        address: str = Depends(client),
    ):
        chat.conversation(token, conversation_id)
        events = chat.post(token, body.text, client=address)  # commits the shopper message, or raises (4xx)
        if stream:
            return StreamingResponse(
                _stream(_detached(events), token),
                media_type="text/event-stream",
                headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
            )
        saved, queued, escalated = [], False, None
        for ev in events:
            if isinstance(ev, Saved):
                saved.append(m.MessageOut.of(ev.message))
            elif isinstance(ev, Queued):
                queued = True
            elif isinstance(ev, Escalated):
                escalated = m.EscalationOut(reason=ev.reason)
        status = chat.conversation(token).status
        return m.PostResponse(messages=saved, status=status, queued=queued, escalated=escalated)

    def _stream(events: Iterator, token: str) -> Iterator[str]:
        try:
            for ev in events:
                if isinstance(ev, Saved):
                    yield _sse("saved", m.MessageOut.of(ev.message).model_dump())
                elif isinstance(ev, Token):
                    yield _sse("token", {"text": ev.text})
                elif isinstance(ev, Queued):
                    yield _sse("queued", {"status": ev.status})
                elif isinstance(ev, Escalated):
                    yield _sse("escalated", {"reason": ev.reason})
            yield _sse("done", {"status": chat.conversation(token).status})
        except ShopTalkError as exc:  # the response has started: report in-band
            body = json.loads(bytes(_core_error(exc).body))
            yield _sse("error", body)
        except Exception:
            log.exception("stream failed")
            yield _sse("error", {"error": {"type": "internal_error", "message": "Something went wrong"}})

    @app.get("/api/conversations/{conversation_id}", response_model=m.ConversationOut, tags=["shopper"])
    def read(
        conversation_id: str,
        token: str = Depends(_bearer),
        after: int = Query(0, ge=0, le=MAX_ID, description="only messages with a larger id (polling)"),
    ):
        chat.conversation(token, conversation_id)
        conv, messages = chat.read(token, after)
        return m.ConversationOut.of(conv, messages)

    @app.post("/api/conversations/{conversation_id}/human", response_model=m.StatusOut, tags=["shopper"])
    def human(conversation_id: str, token: str = Depends(_bearer)):
        chat.conversation(token, conversation_id)
        return m.StatusOut.of(chat.request_human(token))

    @app.post("/api/conversations/{conversation_id}/feedback", response_model=m.OkOut, tags=["shopper"])
    def feedback(
        conversation_id: str,
        body: m.FeedbackRequest,
        token: str = Depends(_bearer),
        address: str = Depends(client),
    ):
        chat.conversation(token, conversation_id)
        chat.feedback(token, body.message_id, body.value, client=address)
        return m.OkOut()

    @app.post("/api/conversations/{conversation_id}/csat", response_model=m.OkOut, tags=["shopper"])
    def csat(
        conversation_id: str,
        body: m.CsatRequest,
        token: str = Depends(_bearer),
        address: str = Depends(client),
    ):
        chat.conversation(token, conversation_id)
        chat.csat(token, body.score, body.comment, client=address)
        return m.OkOut()

    @app.post("/api/conversations/{conversation_id}/end", response_model=m.StatusOut, tags=["shopper"])
    def end(conversation_id: str, token: str = Depends(_bearer)):
        chat.conversation(token, conversation_id)
        return m.StatusOut.of(chat.end(token))

    @app.post("/api/conversations/{conversation_id}/events", response_model=m.RecordedOut, tags=["shopper"])
    def events(
        conversation_id: str,
        body: m.EventsRequest,
        token: str = Depends(_bearer),
        x_shop_key: str | None = Header(None),
        address: str = Depends(client),
    ):
        chat.conversation(token, conversation_id)
        batch = [e.model_dump(exclude_none=True) for e in body.events]
        trusted = vouched(x_shop_key)
        return m.RecordedOut(
            recorded=chat.record_events(token, batch, client=None if trusted else address, trusted=trusted)
        )

    @app.post(
        "/api/conversations/{conversation_id}/ads/{impression_id}/click",
        response_model=m.ClickOut,
        tags=["shopper"],
    )
    def click(
        conversation_id: str,
        impression_id: str,
        token: str = Depends(_bearer),
        address: str = Depends(client),
    ):
        chat.conversation(token, conversation_id)
        return m.ClickOut(new=chat.click_ad(token, impression_id, client=address))

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
