"""Conversations as data: the types every adapter shows, and the store that keeps them.

Design decisions:

* Every write to a conversation goes through one atomic primitive, ``ConversationStore.apply``:
  a ``Change`` says which statuses (and which assignee) it requires, what the status becomes,
  which messages it inserts and which bot memory it saves. The store checks the condition and
  writes everything in one transaction (in SQL: ``UPDATE conversations ... WHERE id = ? AND
  status IN (...)``, rowcount checked, then the inserts), or writes nothing and returns None.
  That single compare-and-set is what makes the handoff state machine safe across threads
  and processes: a bot reply is inserted only while the status is still ``bot``; two agents
  cannot both claim; nothing leaves ``resolved``. Policy (who may do what) lives in
  ``ChatService``; the store only guarantees atomicity.
* Card numbers are removed in ``apply`` before either implementation sees the text, so no
  role's message (shopper, bot, staff, note), CSAT comment or handoff summary can put one in
  the database.
* Tokens are never stored, only their sha256: a leaked database does not open conversations.
* Two implementations, one contract suite (tests/test_conversations.py): the SQL store
  (``_conversations_sql``) and the in-memory fake (``_conversations_memory``).
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from typing import Literal, NoReturn, get_args

from retrieval import InputError

from .._errors import ConflictError
from ..safety import redact_cards

ConversationStatus = Literal["bot", "waiting", "human", "resolved"]
MessageRole = Literal["shopper", "bot", "staff", "system", "note"]  # note = private staff note
STATUSES: tuple[str, ...] = get_args(ConversationStatus)
OPEN: tuple[ConversationStatus, ...] = ("bot", "waiting", "human")
MAX_TEXT_CHARS = 4000  # staff replies may be longer than a shopper's 2,000-character message


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Conversation:
    id: str  # public id (uuid4 hex); NOT a credential
    user_id: str  # behaviour-tracking id (customer id or anonymous id)
    customer_id: str | None  # signed-in customer, if any
    status: ConversationStatus
    created_at: float
    updated_at: float
    assigned_to: str | None = None  # staff username while status == "human"
    handoff_reason: str | None = None
    handoff_summary: str | None = None
    handoff_at: float | None = None
    csat: int | None = None
    csat_comment: str | None = None
    state: dict = field(default_factory=dict)  # bot memory (ConversationState.to_dict())
    handoff_priority: str = "normal"  # "high" for safety, fraud, legal, payment disputes


@dataclass(frozen=True)
class AdSlot:
    product_id: str
    label: str  # "Sponsored by <advertiser>: <headline>", shown as is
    impression_id: str | None  # pass to ChatService.click_ad


@dataclass(frozen=True)
class NewMessage:
    role: MessageRole
    text: str
    author: str | None = None  # staff username for staff/note
    route: str | None = None
    citations: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    sponsored: tuple[str, ...] = ()
    ads: tuple[AdSlot, ...] = ()
    tool_calls: tuple[dict, ...] = ()
    answered: bool = True  # False: clarify, failed lookup, repeated-failure handoff, error
    fallback: bool = False  # the model's draft was rejected for the deterministic answer
    reply_to: int | None = None  # the shopper message a bot message answers


@dataclass(frozen=True)
class StoredMessage:
    id: int
    conversation_id: str
    role: MessageRole
    text: str
    created_at: float
    author: str | None = None
    route: str | None = None
    citations: tuple[str, ...] = ()  # "product:P1001", "policy:returns#return-window", "order:O1002"
    products: tuple[str, ...] = ()
    sponsored: tuple[str, ...] = ()
    tool_calls: tuple[dict, ...] = ()
    feedback: int | None = None  # +1 / -1 from the shopper (bot messages)
    ads: tuple[AdSlot, ...] = ()
    answered: bool = True
    fallback: bool = False
    reply_to: int | None = None

    @classmethod
    def of(cls, new: NewMessage, id: int, conversation_id: str, created_at: float) -> StoredMessage:
        return cls(
            id,
            conversation_id,
            new.role,
            new.text,
            created_at,
            new.author,
            new.route,
            new.citations,
            new.products,
            new.sponsored,
            new.tool_calls,
            None,
            new.ads,
            new.answered,
            new.fallback,
            new.reply_to,
        )


@dataclass(frozen=True)
class Transition:
    conversation_id: str
    from_status: ConversationStatus
    to_status: ConversationStatus
    reason: str | None
    summary: str | None
    actor: str  # "shopper", "bot" or a staff username
    at: float


@dataclass(frozen=True)
class Started:
    conversation: Conversation
    token: str  # secrets.token_urlsafe(32); only its sha256 is stored


# -- what ChatService.post streams, in this order: Saved(shopper), then either Queued, or
# Token..., Saved(bot), and on a handoff Escalated + Saved(system).
@dataclass(frozen=True)
class Saved:
    message: StoredMessage  # committed to the database before it is yielded


@dataclass(frozen=True)
class Token:
    text: str  # validated reply text (yielded once the reply is committed)


@dataclass(frozen=True)
class Queued:
    status: ConversationStatus  # the bot will not answer: waiting for / talking to a human (or resolved)


@dataclass(frozen=True)
class Escalated:
    reason: str
    summary: str


ChatEvent = Saved | Token | Queued | Escalated


@dataclass(frozen=True)
class Change:
    """One atomic write: applied only if the conversation is in ``when`` (and owned by ``assignee``)."""

    when: tuple[ConversationStatus, ...]
    actor: str
    assignee: str | None = None  # require assigned_to == assignee
    to: ConversationStatus | None = None  # new status; None keeps it
    assign: str | None = None  # assigned_to after a transition (None clears it)
    reason: str | None = None  # handoff reason/summary, recorded on -> waiting and in the history
    summary: str | None = None
    priority: str = "normal"
    messages: tuple[NewMessage, ...] = ()
    state: dict | None = None  # bot memory to save
    csat: tuple[int, str] | None = None  # (score, comment); also requires no CSAT yet


@dataclass(frozen=True)
class Applied:
    conversation: Conversation
    messages: tuple[StoredMessage, ...]
    previous: ConversationStatus  # the status the change found


@dataclass(frozen=True)
class ConversationSummary:
    """What analytics needs per conversation, computed by the store (SQL aggregates)."""

    id: str
    status: ConversationStatus
    shopper_messages: int
    escalated: bool  # ever reached waiting or human
    reasons: tuple[str, ...]  # handoff reasons, in order
    csat: int | None


@dataclass(frozen=True)
class Unanswered:
    conversation_id: str
    question: str  # the shopper message the bot could not answer
    route: str | None
    fallback: bool
    at: float


class ConversationStore(ABC):
    """Conversations, their messages and handoff history, and what analytics reads of them."""

    # -- conversations ------------------------------------------------------------------------
    @abstractmethod
    def create(self, conversation: Conversation, token_hash: str) -> None: ...

    @abstractmethod
    def get(self, conversation_id: str) -> Conversation | None: ...

    @abstractmethod
    def by_token(self, token_hash: str) -> Conversation | None: ...

    @abstractmethod
    def conversations(
        self, statuses: Collection[str], assigned_to: str | None = None, limit: int = 200
    ) -> list[Conversation]:
        """Conversations in these statuses, oldest handoff (or creation) first."""

    @abstractmethod
    def _apply(self, conversation_id: str, change: Change, now: float) -> Applied | None: ...

    def apply(self, conversation_id: str, change: Change, now: float) -> Applied | None:
        """Write ``change`` atomically, or nothing (None) if its condition does not hold."""
        clean = tuple(_clean(m) for m in change.messages)
        csat = None if change.csat is None else (change.csat[0], redact_cards(change.csat[1]).text)
        # Handoff summaries quote the shopper: they are stored text like any message.
        summary = None if change.summary is None else redact_cards(change.summary).text
        return self._apply(conversation_id, replace(change, messages=clean, csat=csat, summary=summary), now)

    @abstractmethod
    def messages(
        self, conversation_id: str, after_id: int = 0, *, notes: bool = True
    ) -> list[StoredMessage]: ...

    @abstractmethod
    def set_feedback(self, conversation_id: str, message_id: int, value: int) -> bool:
        """Feedback on a bot message of this conversation; False if there is no such message."""

    @abstractmethod
    def transitions(self, conversation_id: str) -> list[Transition]: ...

    # -- analytics ----------------------------------------------------------------------------
    @abstractmethod
    def summaries(self) -> list[ConversationSummary]: ...

    @abstractmethod
    def unanswered(self, limit: int = 50) -> list[Unanswered]:
        """Bot turns that did not answer (or fell back), newest first, with the question."""


def explain_refusal(conv: Conversation, action: str, username: str | None = None) -> NoReturn:
    """Raise the ``ConflictError`` that says why ``action`` was refused on ``conv`` (read once,
    after the store's compare-and-set found the condition false)."""
    if conv.status == "resolved":
        raise ConflictError(f"Cannot {action}: this conversation is resolved")
    if conv.status == "human" and conv.assigned_to == username and action == "claim":
        raise ConflictError("You are already handling this conversation")
    if conv.status == "human" and conv.assigned_to != username:
        raise ConflictError(f"Cannot {action}: {conv.assigned_to} is handling this conversation")
    raise ConflictError(f"Cannot {action} while the conversation is {conv.status!r}")


def _clean(message: NewMessage) -> NewMessage:
    text = redact_cards(message.text).text
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(f"Message is {len(text)} characters; the limit is {MAX_TEXT_CHARS}")
    return message if text == message.text else replace(message, text=text)
