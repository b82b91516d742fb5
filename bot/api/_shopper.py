"""The shopper routes of the HTTP API: start a conversation, post (SSE or JSON), read, ask for a
person, feedback, CSAT, end, behaviour events, ad clicks.

Split from ``bot.api._app`` like the staff routes (``_staff``); the error mapping, middleware
and dependencies stay there.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

from fastapi import Depends, FastAPI, Header, Query
from fastapi.responses import StreamingResponse

from retrieval import ShopTalkError

from .._chat import ChatService
from .._errors import ForbiddenError
from ..conversations import Escalated, Queued, Saved, Token
from . import _models as m
from ._http import MAX_ID, _core_error, _detached, _sse, log


def shopper_routes(
    app: FastAPI, chat: ChatService, *, bearer, client, vouched: Callable[[str | None], bool]
) -> None:
    """``bearer``: dependency giving the conversation token; ``client``: the caller's resolved
    address; ``vouched(x_shop_key)``: whether the shop's backend is calling."""

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
        token: str = Depends(bearer),
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
        token: str = Depends(bearer),
        after: int = Query(0, ge=0, le=MAX_ID, description="only messages with a larger id (polling)"),
    ):
        chat.conversation(token, conversation_id)
        conv, messages = chat.read(token, after)
        return m.ConversationOut.of(conv, messages)

    @app.post("/api/conversations/{conversation_id}/human", response_model=m.StatusOut, tags=["shopper"])
    def human(conversation_id: str, token: str = Depends(bearer)):
        chat.conversation(token, conversation_id)
        return m.StatusOut.of(chat.request_human(token))

    @app.post("/api/conversations/{conversation_id}/feedback", response_model=m.OkOut, tags=["shopper"])
    def feedback(
        conversation_id: str,
        body: m.FeedbackRequest,
        token: str = Depends(bearer),
        address: str = Depends(client),
    ):
        chat.conversation(token, conversation_id)
        chat.feedback(token, body.message_id, body.value, client=address)
        return m.OkOut()

    @app.post("/api/conversations/{conversation_id}/csat", response_model=m.OkOut, tags=["shopper"])
    def csat(
        conversation_id: str,
        body: m.CsatRequest,
        token: str = Depends(bearer),
        address: str = Depends(client),
    ):
        chat.conversation(token, conversation_id)
        chat.csat(token, body.score, body.comment, client=address)
        return m.OkOut()

    @app.post("/api/conversations/{conversation_id}/end", response_model=m.StatusOut, tags=["shopper"])
    def end(conversation_id: str, token: str = Depends(bearer)):
        chat.conversation(token, conversation_id)
        return m.StatusOut.of(chat.end(token))

    @app.post("/api/conversations/{conversation_id}/events", response_model=m.RecordedOut, tags=["shopper"])
    def events(
        conversation_id: str,
        body: m.EventsRequest,
        token: str = Depends(bearer),
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
        token: str = Depends(bearer),
        address: str = Depends(client),
    ):
        chat.conversation(token, conversation_id)
        return m.ClickOut(new=chat.click_ad(token, impression_id, client=address))
