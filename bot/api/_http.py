"""What every route module of the API shares: the error shape, the bearer token, SSE framing,
and running a bot turn detached from its client."""

from __future__ import annotations

import json
import logging
import queue
import threading
from collections.abc import Iterator

from fastapi import Header
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from retrieval import ConfigError, InputError, NotFoundError, ShopTalkError

from .._errors import AuthError, ConflictError, ForbiddenError
from ..safety import Busy, RateLimited

log = logging.getLogger(__name__)

MAX_ID = 2**53  # ids and counters in query strings: larger ones are nobody's (and overflow SQL integers)


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
