"""ChatService: the core the Gradio app, the HTTP API and the CLI adapt (docs/chat_service_api.md).

Design decisions:

* Durability before display: every message is committed before any event about it is
  yielded, and the bot's reply text is streamed only after its row is committed. The engine
  validates whole replies before releasing text anyway, so this costs no first-token time,
  and a crash can never lose something a shopper or agent has already seen.
* ``post`` is an ordinary function returning an iterator: it validates the token and the
  text and commits the shopper message when called, so adapters get errors (4xx) before they
  start a stream; only the bot's turn runs lazily.
* One bot turn per conversation at a time (a keyed lock): the bot's memory is read, updated
  and written back by one turn, and two quick messages are answered in order. Across
  conversations at most ``max_turns`` bot turns run at once (a semaphore); the bundled model
  also serialises generation with its own lock. Nothing else (reads, polling, staff actions,
  committing shopper messages) waits for either, so one long generation delays only bot turns.
* Abuse limits (``_security``): every shopper entry point takes the caller's ``client``
  address and counts it in its rate-limit bucket before doing work; a bot turn is admitted
  to a bounded queue (``Busy`` when full) before the shopper message is stored. Purchases
  are accepted only from the shop's backend (``trusted``), CSAT only after an answer, and a
  token stops opening its conversation after ``idle_seconds`` without activity.
* Identity is the conversation's: the token names the conversation, the conversation names
  ``user_id``/``customer_id`` (set by the trusted caller at ``start``), and the bot's session
  is rebuilt from that row on every turn, never from message text or stored memory.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from retrieval import ITEM_EVENTS, MAX_USER_ID, InputError, NotFoundError

from ._errors import ConflictError, ForbiddenError
from .assistant import Assistant, ConversationState, Delta, Reply, Session, check_message
from .conversations import (
    OPEN,
    AdSlot,
    Change,
    ChatEvent,
    Conversation,
    ConversationStore,
    Escalated,
    NewMessage,
    Queued,
    Saved,
    Started,
    StoredMessage,
    Token,
    explain_refusal,
    token_hash,
)
from .llm import LanguageModel
from .safety import ClientResolver, Limits, Throttle, TurnQueue, client_tag, redact_cards
from .staff import MemoryStaffStore, StaffDirectory, StaffOps, StaffStore

if TYPE_CHECKING:  # recsys loads numpy, SQLAlchemy and the ad tables: only when an engine is used
    from recsys import RecommendationEngine

log = logging.getLogger(__name__)

MAX_EVENTS = 100  # behaviour events per call
TRUSTED_EVENTS = frozenset({"purchase"})  # only the shop's backend knows what was bought
SITE_EVENTS = tuple(e for e in ITEM_EVENTS if e not in TRUSTED_EVENTS)  # product events a shop's pages report
MAX_REPEATS = 3  # events of one kind on one product per shopper, unless the shop's backend sends them
IDLE_SECONDS = 24 * 3600
# Bot turns running at once, across conversations. Turns are CPU-bound (classifier, embedding,
# search, generation); more than a few on a small machine only slows every one of them, and
# the bundled model runs one generation at a time anyway. Reads, polling and staff actions
# never take a slot, so they stay fast while shoppers queue for the bot.
MAX_CONCURRENT_TURNS = max(2, min(8, (os.cpu_count() or 2) // 2))
ROUTE_TOOLS = {
    "product_search": "search_products",
    "product_question": "product_details",
    "compare": "compare_products",
    "recommend": "recommend",
    "order_status": "order_status",
    "order_change": "order_status",
    "policy": "policy_lookup",
}
QUEUED_TEXT = "You're in the queue; a member of our team will reply here shortly."
ENDED_TEXT = "The shopper ended this conversation."
ERROR_TEXT = "Sorry, something went wrong on our side. Please ask again, or ask for a person."


class _KeyedLocks:
    """One lock per key, dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, list] = {}

    @contextmanager
    def hold(self, key: str) -> Iterator[None]:
        with self._guard:
            entry = self._locks.setdefault(key, [threading.Lock(), 0])
            entry[1] += 1
        try:
            with entry[0]:
                yield
        finally:
            with self._guard:
                entry[1] -= 1
                if not entry[1]:
                    del self._locks[key]


@dataclass(frozen=True)
class _Turn:
    reply: Reply | None
    pieces: tuple[str, ...]
    state: ConversationState
    failed: bool


class ChatService:
    """The shopper side here; the staff side is ``self.staff`` (a ``StaffOps``: login, queue,
    claim, reply, analytics, accounts), composed over the same stores and clock."""

    def __init__(
        self,
        store: ConversationStore,
        assistant: Assistant,
        *,
        staff_store: StaffStore | None = None,
        directory: StaffDirectory | None = None,
        engine: RecommendationEngine | None = None,
        model: LanguageModel | None = None,
        canned_path: Path | None = None,
        forecast: Callable[[], object] | None = None,
        clock: Callable[[], float] = time.time,
        max_turns: int = MAX_CONCURRENT_TURNS,
        limits: Limits | None = None,
        clients: ClientResolver | None = None,
        idle_seconds: float = IDLE_SECONDS,
        production: bool = False,
    ):
        """``directory`` (accounts and sessions) defaults to one over ``staff_store`` (in memory
        when neither is given) that shares this service's clock and login throttle."""
        limits = limits or Limits()
        self.store, self.shop, self.engine, self.clock = store, assistant.shop, engine, clock
        self.throttle = Throttle(limits)
        self.clients = clients or ClientResolver()
        directory = directory or StaffDirectory(
            staff_store or MemoryStaffStore(), clock=clock, throttle=self.throttle, production=production
        )
        self.staff = StaffOps(
            store,
            directory,
            assistant.shop,
            engine=engine,
            model=model,
            canned_path=canned_path,
            forecast=forecast,
            clock=clock,
        )
        self.assistant = assistant
        self.idle_seconds = idle_seconds
        self._turns = _KeyedLocks()
        self._queue = TurnQueue(max_turns, limits.turn_queue)

    # -- shopper side -------------------------------------------------------------------------
    def start(
        self, customer_id: str | None = None, user_id: str | None = None, *, client: str | None = None
    ) -> Started:
        """Open a conversation. Only a trusted caller (shop backend, demo selector) passes ids."""
        self.throttle.hit("start", client or "")
        if customer_id is not None and customer_id not in self.shop.customers:
            raise NotFoundError(f"Unknown customer id {customer_id!r}")
        user_id = customer_id or user_id or f"anon-{uuid.uuid4().hex[:12]}"
        if len(user_id) > MAX_USER_ID:
            raise InputError(f"user_id is longer than {MAX_USER_ID} characters")
        if self.engine is not None:  # behaviour events are accepted only for known shoppers
            self.engine.store.register_users([user_id], kind="customer" if customer_id else "anonymous")
        now = self.clock()
        state = self.assistant.new_state(Session(user_id, customer_id)).to_dict()
        conv = Conversation(uuid.uuid4().hex, user_id, customer_id, "bot", now, now, state=state)
        token = secrets.token_urlsafe(32)
        self.store.create(conv, token_hash(token))
        return Started(conv, token)

    def conversation(self, token: str, conversation_id: str | None = None) -> Conversation:
        """The token's conversation; NotFoundError (never a hint) if it is not ``conversation_id``."""
        conv = self.store.by_token(token_hash(token or ""))
        if conv is None or (conversation_id is not None and conv.id != conversation_id):
            raise NotFoundError("Unknown conversation (or this token does not open it)")
        if self.clock() - conv.updated_at > self.idle_seconds:  # same answer: an old token is no key
            raise NotFoundError(
                "Unknown conversation (or this token does not open it); start a new conversation"
            )
        return conv

    def post(self, token: str, text: str, *, client: str | None = None) -> Iterator[ChatEvent]:
        conv = self.conversation(token)
        self.throttle.hit("message", client or "")
        self.throttle.hit("message_conversation", conv.id)
        clean = check_message(text)
        admitted = conv.status == "bot"
        if admitted:
            self._queue.admit()  # Busy (503) before anything is stored: the shopper can simply resend
        try:
            applied = self.store.apply(
                conv.id, Change(OPEN, "shopper", messages=(NewMessage("shopper", clean),)), self.clock()
            )
        except BaseException:
            if admitted:
                self._queue.release()
            raise
        if applied is None:
            if admitted:
                self._queue.release()
            raise ConflictError("This conversation has ended; start a new conversation to keep chatting")
        return self._respond(applied.conversation, applied.messages[0], admitted)

    def _respond(
        self, conv: Conversation, asked: StoredMessage, admitted: bool = False
    ) -> Iterator[ChatEvent]:
        try:
            yield Saved(asked)
            if conv.status != "bot":
                yield Queued(conv.status)
                return
            streamed: list[str] = []
            with self._turns.hold(conv.id), self._queue.slots:
                current = self.store.get(conv.id)
                turn = None
                if current and current.status == "bot":
                    # Validated text reaches the shopper as it is produced (sentence by sentence);
                    # the reply is stored once whole.
                    turn = yield from self._run(current, asked.text, streamed)
                saved = self._commit(current, asked, turn) if turn and current else None
        finally:
            if admitted:
                self._queue.release()
        if saved is None:  # a person took over (or it ended) while the bot was thinking
            latest = self.store.get(conv.id)
            yield Queued(latest.status if latest else "resolved")
            return
        if not streamed:  # a failed turn's apology was not streamed
            yield from (Token(p) for p in turn.pieces)  # type: ignore[union-attr]
        yield Saved(saved[0])
        if len(saved) > 1 and turn.reply and turn.reply.handoff:  # type: ignore[union-attr]
            yield Escalated(turn.reply.handoff.reason, turn.reply.handoff.summary)  # type: ignore[union-attr]
            yield Saved(saved[1])

    def _run(self, conv: Conversation, text: str, streamed: list[str]) -> Generator[ChatEvent, None, _Turn]:
        """Run the bot's turn, yielding each validated piece as a Token; returns the ``_Turn``."""
        # Identity from the conversation row; memory from the stored state.
        state = ConversationState.from_dict(
            {**conv.state, "user_id": conv.user_id, "customer_id": conv.customer_id}
        )
        before = state.failures
        reply, pieces = None, []
        live = True
        try:
            for event in self.assistant.stream(state, text):
                if isinstance(event, Delta):
                    pieces.append(event.text)
                    # A person who took over mid-turn owns the conversation: nothing more from the bot.
                    if live and (latest := self.store.get(conv.id)) is not None and latest.status == "bot":
                        streamed.append(event.text)
                        yield Token(event.text)
                    else:
                        live = False
                elif isinstance(event, Reply):
                    reply = event
        except Exception:  # logged with traceback; the shopper gets an apology, the turn is kept
            log.exception("bot turn failed in conversation %s", conv.id)
            if streamed:  # part of the reply was shown: the apology follows it
                streamed.append(ERROR_TEXT)
                yield Token("\n" + ERROR_TEXT)
            return _Turn(None, (ERROR_TEXT,), state, True)
        failed = state.failures > before
        return _Turn(reply, tuple(pieces) or ((reply.text,) if reply else ()), state, failed)

    def _commit(
        self, conv: Conversation, asked: StoredMessage, turn: _Turn
    ) -> tuple[StoredMessage, ...] | None:
        reply = turn.reply
        if reply is None:
            message = NewMessage("bot", ERROR_TEXT, route="error", answered=False, reply_to=asked.id)
            applied = self.store.apply(conv.id, Change(("bot",), "bot", messages=(message,)), self.clock())
            return None if applied is None else applied.messages
        handoff = reply.handoff
        answered = not (
            turn.failed
            or reply.route == "clarify"
            or (handoff is not None and handoff.reason == "repeated_failure")
        )
        message = NewMessage(
            "bot",
            reply.text,
            route=reply.route,
            citations=reply.citations,
            products=reply.products,
            sponsored=reply.sponsored,
            ads=tuple(AdSlot(*a) for a in reply.ads),
            tool_calls=self._tool_calls(reply, turn.state, asked.text),
            answered=answered,
            fallback=reply.fallback,
            reply_to=asked.id,
        )
        change = Change(("bot",), "bot", messages=(message,), state=turn.state.to_dict())
        if handoff is not None:
            change = Change(
                ("bot",),
                "bot",
                to="waiting",
                reason=handoff.reason,
                summary=handoff.summary,
                priority=handoff.priority,
                state=turn.state.to_dict(),
                messages=(message, NewMessage("system", QUEUED_TEXT)),
            )
        applied = self.store.apply(conv.id, change, self.clock())
        return None if applied is None else applied.messages

    @staticmethod
    def _tool_calls(reply: Reply, state: ConversationState, text: str) -> tuple[dict, ...]:
        """What the bot looked up this turn, for the staff console (route + arguments + results)."""
        tool = ROUTE_TOOLS.get(reply.route)
        if tool is None:
            return ()
        args: dict = {"query": state.query} if reply.route == "product_search" else {"question": text[:200]}
        if reply.route in ("product_question", "compare") and reply.products:
            args = {"product_ids": list(reply.products)}
        return (
            {
                "tool": tool,
                "route": reply.route,
                "args": args,
                "found": list(reply.citations),
                "sponsored": list(reply.sponsored),
            },
        )

    def _summary(self, conv: Conversation, text: str, reason: str, detail: str) -> str:
        state = ConversationState.from_dict(
            {**conv.state, "user_id": conv.user_id, "customer_id": conv.customer_id}
        )
        return self.assistant.routes.staff_summary(state, text, reason, detail)

    def request_human(self, token: str) -> Conversation:
        """The "talk to a person" button: bot -> waiting (reason "requested"); idempotent while queued."""
        conv = self.conversation(token)
        if conv.status in ("waiting", "human"):
            return conv
        asked = [m.text for m in self.store.messages(conv.id, notes=False) if m.role == "shopper"]
        summary = self._summary(
            conv,
            asked[-1] if asked else "(no message yet)",
            "requested",
            "shopper pressed the talk-to-a-person button",
        )
        applied = self.store.apply(
            conv.id,
            Change(
                ("bot",),
                "shopper",
                to="waiting",
                reason="requested",
                summary=summary,
                messages=(NewMessage("system", QUEUED_TEXT),),
            ),
            self.clock(),
        )
        if applied is None:
            explain_refusal(self.conversation(token), "ask for a person")
        return applied.conversation

    def read(self, token: str, after_id: int = 0) -> tuple[Conversation, list[StoredMessage]]:
        conv = self.conversation(token)
        return conv, self.store.messages(conv.id, max(0, int(after_id)), notes=False)

    def feedback(self, token: str, message_id: int, value: int, *, client: str | None = None) -> None:
        conv = self.conversation(token)
        self.throttle.hit("csat", client or "")
        if value not in (1, -1):
            raise InputError(f"Feedback must be 1 (helpful) or -1 (not helpful), not {value!r}")
        if not self.store.set_feedback(conv.id, int(message_id), value):
            raise NotFoundError(f"No bot message {message_id} in this conversation")

    def csat(self, token: str, score: int, comment: str = "", *, client: str | None = None) -> None:
        conv = self.conversation(token)
        self.throttle.hit("csat", client or "")
        if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
            raise InputError(f"CSAT score must be a whole number from 1 to 5, not {score!r}")
        if len(comment or "") > 1000:
            raise InputError("CSAT comment is longer than 1000 characters")
        if not any(
            m.role in ("bot", "staff") and m.answered for m in self.store.messages(conv.id, notes=False)
        ):
            raise ConflictError("There is nothing to rate yet; rate the conversation after you get an answer")
        statuses = (*OPEN, "resolved")
        if (
            self.store.apply(conv.id, Change(statuses, "shopper", csat=(score, comment or "")), self.clock())
            is None
        ):
            raise ConflictError("This conversation has already been rated")

    def end(self, token: str) -> Conversation:
        conv = self.conversation(token)
        if conv.status == "resolved":
            return conv
        ended = (NewMessage("system", ENDED_TEXT),)
        applied = self.store.apply(
            conv.id,
            Change(OPEN, "shopper", to="resolved", reason="ended by shopper", messages=ended),
            self.clock(),
        )
        return applied.conversation if applied else self.conversation(token)

    def record_events(
        self, token: str, events: list[dict], *, client: str | None = None, trusted: bool = False
    ) -> int:
        """Behaviour events for this conversation's shopper (the user id is never the caller's).

        ``trusted``: the shop's backend sent them (X-Shop-Key); only it may report purchases,
        which weigh most in the behaviour vector and the popularity counts.
        """
        from recsys import Event

        conv = self.conversation(token)
        if self.engine is None:
            raise InputError("This deployment does not record behaviour events")
        if not isinstance(events, list) or not events or len(events) > MAX_EVENTS:
            raise InputError(f"Send a list of 1 to {MAX_EVENTS} events")
        batch = []
        for i, e in enumerate(events):
            extra = set(e) - {"event", "item_id", "query", "timestamp"} if isinstance(e, dict) else {"?"}
            if extra:
                raise InputError(
                    f"event {i}: unknown field(s) {sorted(extra)}; use event, item_id, query, timestamp"
                )
            ts, item, query = e.get("timestamp"), e.get("item_id"), e.get("query")
            if not (ts is None or (isinstance(ts, int | float) and not isinstance(ts, bool))):
                raise InputError(f"event {i}: timestamp must be unix seconds (a number), not {ts!r}")
            if not all(v is None or isinstance(v, str) for v in (item, query)):
                raise InputError(f"event {i}: item_id and query must be strings")
            kind = str(e.get("event", ""))
            if kind in TRUSTED_EVENTS and not trusted:
                raise ForbiddenError(
                    f"event {i}: {kind!r} events are accepted only from the shop's backend "
                    "(a valid X-Shop-Key header)"
                )
            if query is not None:
                query = redact_cards(query).text  # a search box is where shoppers paste card numbers
            batch.append(Event(conv.user_id, kind, self.clock() if ts is None else float(ts), item, query))
        self.throttle.hit("events", client or "", cost=len(batch))
        if not trusted:
            batch = self._within_repeat_cap(self.engine, conv.user_id, batch)
        return self.engine.record(batch) if batch else 0

    @staticmethod
    def _within_repeat_cap(engine: RecommendationEngine, user_id: str, batch: list) -> list:
        """At most ``MAX_REPEATS`` events of one kind on one product per shopper: a real shopper
        views a product a few times; a script reporting hundreds of carts for one product is
        trying to move it up everyone's list. The extra events are dropped, not stored."""
        seen: dict[tuple[str, str | None], int] = {}
        for e in engine.store.events(user_id):
            seen[(e.event, e.item_id)] = seen.get((e.event, e.item_id), 0) + 1
        kept = []
        for e in batch:
            key = (e.event, e.item_id)
            if e.item_id is None or seen.get(key, 0) < MAX_REPEATS:
                seen[key] = seen.get(key, 0) + 1
                kept.append(e)
        return kept

    def _activity(self, conv: Conversation) -> int:
        """What this chat's shopper did besides asking for ads: messages, and product events the
        site reported (views, clicks, favourites, carts) since the chat began."""
        said = sum(1 for m in self.store.messages(conv.id, notes=False) if m.role == "shopper")
        seen = 0
        if self.engine is not None:
            seen = sum(
                1
                for e in self.engine.store.events(conv.user_id)
                if e.timestamp >= conv.created_at and e.event in SITE_EVENTS
            )
        return said + seen

    def recommendations(self, token: str, k: int = 6):
        """Personal picks for this conversation's shopper: organic and, apart, sponsored.

        The conversation steers them: the product under discussion, the last search's hard
        constraints and its words (the same context the assistant's recommend route uses).
        """
        from recsys import RecommendContext
        from retrieval import Constraints

        conv = self.conversation(token)
        if self.engine is None:
            raise InputError("This deployment has no recommendation engine")
        state = ConversationState.from_dict(
            {**conv.state, "user_id": conv.user_id, "customer_id": conv.customer_id}
        )
        constraints = state.constraints.merged(Constraints(in_stock=True))
        about = state.focus if state.focus in self.assistant.shop.products else None
        hint = state.query
        k = max(1, min(k, 12))
        recs = self.engine.recommend(conv.user_id, k, RecommendContext(constraints, about, hint))
        if not recs.organic and constraints.categories:
            # Nothing else of that exact kind (the only tent was just shown): widen to its
            # department ("Sports & Outdoors > Camping"), then its top level, still following
            # the conversation rather than falling back to the shopper's old habits.
            shop = self.assistant.shop
            anchor = shop.products.get(about or "") or next(
                (shop.products[p] for p in state.results if p in shop.products), None
            )
            for depth in (2, 1):
                if anchor is None or recs.organic or len(anchor.category_path) <= depth:
                    continue
                wider = replace(constraints, categories=(" > ".join(anchor.category_path[:depth]),))
                recs = self.engine.recommend(conv.user_id, k, RecommendContext(wider, about, hint))
        return recs

    def click_ad(self, token: str, impression_id: str, *, client: str | None = None) -> bool:
        """Count a click on a sponsored result shown to this conversation's shopper (in a reply or in
        the recommendations strip); True if new. Another shopper's impression reads as unknown.

        Whether the click is billed is the ad server's decision (its invalid-click filter); it
        gets the client's tag and how active this chat has been, and the caller learns nothing
        about the verdict, so a script cannot tune itself against the filter.
        """
        conv = self.conversation(token)
        self.throttle.hit("click", client or "")
        if not impression_id or self.engine is None:
            raise NotFoundError(
                f"No sponsored result with impression id {impression_id!r} in this conversation"
            )
        try:
            return self.engine.record_click(
                impression_id, user_id=conv.user_id, client=client_tag(client), activity=self._activity(conv)
            ).new
        except NotFoundError:
            raise NotFoundError(
                f"No sponsored result with impression id {impression_id!r} in this conversation"
            ) from None
