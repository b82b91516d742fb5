"""HTTP hardening for every page and route: one ASGI middleware in front of the whole app.

Design decisions:

* One outermost layer, so it covers what FastAPI serves *and* what the mounted Gradio app
  serves (Gradio adds its own CORS middleware inside its sub-app; we cannot configure that one,
  so we filter what it sends out).
* CORS is an explicit allow-list (``SHOPTALK_CORS_ORIGINS``). For any other origin every
  ``Access-Control-*`` header is removed from the response, and a preflight gets 403, so a
  foreign page cannot read a response with the visitor's browser. ShopTalk uses bearer tokens,
  never cookies, so ``Allow-Credentials`` is never sent.
* Security headers on every response: a CSP whose ``frame-ancestors 'none'`` stops the console
  being framed and whose ``img-src`` keeps remote images (tracking pixels, phishing art) out;
  ``nosniff``; ``Referrer-Policy: no-referrer``; staff and admin API answers are ``no-store``.
  Gradio's front end needs inline styles and scripts, so the CSP allows those, but every
  source is this origin.
* Uploads are refused: the app has no file inputs, and Gradio's upload route would otherwise
  accept anonymous files of any size into the temp folder.
* Bodies are bounded in size (413) and in time (408 when a client trickles its body slower
  than ``request_timeout_s``), before any route or Gradio handler runs.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable

MAX_API_BODY = 64 * 1024  # /api: the largest legitimate body is a 4,000-character staff reply
MAX_PAGE_BODY = 256 * 1024  # Gradio's queue and config posts
UPLOAD_PATHS = ("/gradio_api/upload", "/upload")

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",  # Gradio's bundle compiles templates at run time
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "media-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
# FastAPI's /docs and /redoc pages load Swagger UI / ReDoc from this CDN in the reader's browser.
DOCS_CDN = "https://cdn.jsdelivr.net"
DOCS_CSP = (
    CSP.replace("script-src 'self'", f"script-src 'self' {DOCS_CDN}")
    .replace("style-src 'self'", f"style-src 'self' {DOCS_CDN}")
    .replace("img-src 'self'", "img-src 'self' https://fastapi.tiangolo.com")
)
DOCS_PATHS = ("/docs", "/redoc")
HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
_OURS = frozenset(k for k, _ in HEADERS) | {b"content-security-policy"}
ALLOW_METHODS = b"GET, POST, OPTIONS"
ALLOW_HEADERS = b"authorization, content-type, x-shop-key"


def _json(
    status: int, kind: str, message: str, extra: Iterable[tuple[bytes, bytes]] = ()
) -> tuple[dict, dict]:
    body = json.dumps({"error": {"type": kind, "message": message}}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *extra]
    return (
        {"type": "http.response.start", "status": status, "headers": headers},
        {"type": "http.response.body", "body": body},
    )


class Hardening:
    """ASGI middleware: CORS allow-list, security headers, no uploads, body size and time limits."""

    def __init__(
        self,
        app,
        *,
        cors_origins: Iterable[str] = (),
        request_timeout_s: float = 30.0,
        api_limit: int = MAX_API_BODY,
        page_limit: int = MAX_PAGE_BODY,
    ):
        self.app = app
        self.origins = frozenset(o.rstrip("/") for o in cors_origins)
        self.timeout = request_timeout_s
        self.api_limit, self.page_limit = api_limit, page_limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path: str = scope["path"]
        headers = dict(scope.get("headers") or [])
        origin = headers.get(b"origin", b"").decode("latin-1").rstrip("/")
        allowed = bool(origin) and origin in self.origins

        async def reply(status: int, kind: str, message: str, extra: Iterable[tuple[bytes, bytes]] = ()):
            start, body = _json(status, kind, message, extra)
            await secured(start)
            await send(body)

        async def secured(message):
            if message["type"] == "http.response.start":
                kept = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if not k.lower().startswith(b"access-control-") and k.lower() not in _OURS
                ]
                kept += HEADERS
                kept.append(
                    (b"content-security-policy", (DOCS_CSP if path.startswith(DOCS_PATHS) else CSP).encode())
                )
                if allowed:
                    kept += [(b"access-control-allow-origin", origin.encode()), (b"vary", b"Origin")]
                if path.startswith(("/api/staff", "/api/admin")):
                    kept.append((b"cache-control", b"no-store"))
                message = {**message, "headers": kept}
            await send(message)

        if scope["method"] == "OPTIONS" and b"access-control-request-method" in headers:
            if not allowed:
                return await reply(
                    403,
                    "cors_refused",
                    "This origin may not call the ShopTalk API; "
                    "an operator can allow it with SHOPTALK_CORS_ORIGINS",
                )
            await secured(
                {
                    "type": "http.response.start",
                    "status": 204,
                    "headers": [
                        (b"access-control-allow-methods", ALLOW_METHODS),
                        (b"access-control-allow-headers", ALLOW_HEADERS),
                        (b"access-control-max-age", b"600"),
                    ],
                }
            )
            return await send({"type": "http.response.body", "body": b""})

        if path.rstrip("/").endswith(UPLOAD_PATHS):
            return await reply(403, "uploads_disabled", "This server accepts no file uploads")

        if scope["method"] in ("GET", "HEAD"):
            return await self.app(scope, receive, secured)
        limit = self.api_limit if path.startswith("/api/") else self.page_limit
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            return await reply(413, "too_large", f"Request body is over {limit // 1024} KB")
        body, more = b"", True
        try:
            async with asyncio.timeout(self.timeout):
                while more:  # chunked bodies have no length header: read at most limit + 1 bytes
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return
                    body += message.get("body", b"")
                    more = message.get("more_body", False)
                    if len(body) > limit:
                        return await reply(413, "too_large", f"Request body is over {limit // 1024} KB")
        except TimeoutError:
            return await reply(
                408,
                "request_timeout",
                f"The request body did not arrive within {self.timeout:g} s",
                [(b"connection", b"close")],
            )
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return await self.app(scope, replay, secured)


def header_timeout_protocol(seconds: float):
    """uvicorn's h11 protocol with a deadline for the request head.

    uvicorn times out idle keep-alive connections but not a client that opens a connection
    and trickles its request line and headers (slowloris): each such connection would be held
    for ever. This closes a connection whose request head has not arrived ``seconds`` after
    the connection opened, or after the previous response on it finished.
    """
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class HeaderDeadline(H11Protocol):
        _head_timer = None

        def _arm(self) -> None:
            self._disarm()
            self._head_timer = self.loop.call_later(seconds, self._expire)

        def _disarm(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def _expire(self) -> None:
            waiting_for_head = self.cycle is None or self.cycle.response_complete
            if waiting_for_head and not self.transport.is_closing():
                self.transport.close()

        def connection_made(self, transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def handle_events(self) -> None:
            before = self.cycle
            super().handle_events()
            if self.cycle is not before and self.cycle is not None:  # a request head arrived
                self._disarm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._arm()

    return HeaderDeadline
