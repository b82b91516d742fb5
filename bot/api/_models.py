"""Request and response bodies of the HTTP API (pydantic), kept apart from the routes.

Requests forbid unknown fields, so a typo ("scroe") is a 422 naming the field instead of a
silently ignored value. Responses are built from the core's dataclasses by ``of`` helpers;
the shopper's view of a conversation leaves out what only staff see (handoff summary, bot
memory, private notes).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from retrieval import MAX_USER_ID, EventType

from ..conversations import Conversation, StoredMessage

Status = Literal["bot", "waiting", "human", "resolved"]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StartRequest(_Request):
    customer_id: str | None = Field(
        None, max_length=MAX_USER_ID, description="Signed-in customer; needs X-Shop-Key"
    )
    user_id: str | None = Field(
        None, max_length=MAX_USER_ID, description="Shop's own anonymous id; needs X-Shop-Key"
    )


class PostMessage(_Request):
    text: str = Field(..., min_length=1, max_length=2000)


class FeedbackRequest(_Request):
    message_id: int = Field(..., ge=1, le=2**53)
    value: Literal[1, -1]


class CsatRequest(_Request):
    score: int = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=1000)


class BehaviourEvent(_Request):
    event: EventType
    item_id: str | None = Field(None, max_length=200)
    query: str | None = Field(None, max_length=500)
    timestamp: float | None = Field(
        None, ge=0, le=4_102_444_800, description="unix seconds (before 2100); default now"
    )


class EventsRequest(_Request):
    events: list[BehaviourEvent] = Field(..., min_length=1, max_length=100)


class LoginRequest(_Request):
    username: str = Field(..., min_length=1, max_length=80)
    password: str = Field(..., min_length=1, max_length=256)


class StaffText(_Request):
    text: str = Field(..., min_length=1, max_length=4000)


class CreateStaffRequest(_Request):
    username: str = Field(..., min_length=2, max_length=40)
    password: str = Field(..., min_length=8, max_length=256)
    role: Literal["agent", "admin"]


class ErrorBody(BaseModel):
    type: str
    message: str


class ErrorOut(BaseModel):
    error: ErrorBody


class AdOut(BaseModel):
    product_id: str
    label: str
    impression_id: str | None


class MessageOut(BaseModel):
    id: int
    role: Literal["shopper", "bot", "staff", "system", "note"]
    text: str
    created_at: float
    author: str | None = None
    route: str | None = None
    citations: list[str] = []
    products: list[str] = []
    sponsored: list[str] = []
    ads: list[AdOut] = []
    feedback: int | None = None

    @classmethod
    def of(cls, m: StoredMessage) -> MessageOut:
        return cls(
            id=m.id,
            role=m.role,
            text=m.text,
            created_at=m.created_at,
            author=m.author,
            route=m.route,
            citations=list(m.citations),
            products=list(m.products),
            sponsored=list(m.sponsored),
            ads=[AdOut(**asdict(a)) for a in m.ads],
            feedback=m.feedback,
        )


class StaffMessageOut(MessageOut):
    tool_calls: list[dict[str, Any]] = []
    answered: bool = True
    fallback: bool = False
    reply_to: int | None = None

    @classmethod
    def of(cls, m: StoredMessage) -> StaffMessageOut:
        return cls(
            **MessageOut.of(m).model_dump(),
            tool_calls=list(m.tool_calls),
            answered=m.answered,
            fallback=m.fallback,
            reply_to=m.reply_to,
        )


class StartResponse(BaseModel):
    conversation_id: str
    token: str = Field(..., description="Send as 'Authorization: Bearer <token>'; shown once")
    status: Status


class ConversationOut(BaseModel):
    id: str
    status: Status
    assigned_to: str | None
    created_at: float
    updated_at: float
    csat: int | None
    messages: list[MessageOut]

    @classmethod
    def of(cls, c: Conversation, messages: list[StoredMessage]) -> ConversationOut:
        return cls(
            id=c.id,
            status=c.status,
            assigned_to=c.assigned_to,
            created_at=c.created_at,
            updated_at=c.updated_at,
            csat=c.csat,
            messages=[MessageOut.of(m) for m in messages],
        )


class StatusOut(BaseModel):
    id: str
    status: Status
    assigned_to: str | None = None

    @classmethod
    def of(cls, c: Conversation) -> StatusOut:
        return cls(id=c.id, status=c.status, assigned_to=c.assigned_to)


class EscalationOut(BaseModel):
    reason: str  # the staff summary stays on the staff side


class PostResponse(BaseModel):
    messages: list[MessageOut]  # committed this turn: the shopper's, then the bot's / system's
    status: Status
    queued: bool  # the bot did not answer (a person has, or will)
    escalated: EscalationOut | None = None


class OkOut(BaseModel):
    ok: bool = True


class RecordedOut(BaseModel):
    recorded: int


class ClickOut(BaseModel):
    new: bool


class LoginOut(BaseModel):
    token: str
    username: str
    role: Literal["agent", "admin"]
    expires_at: float


class QueueItemOut(BaseModel):
    conversation_id: str
    reason: str | None
    summary: str | None
    priority: str
    waited_s: float
    shopper: str
    customer_id: str | None
    last_message: str


class StaffConversationOut(BaseModel):
    id: str
    user_id: str
    customer_id: str | None
    status: Status
    created_at: float
    updated_at: float
    assigned_to: str | None
    handoff_reason: str | None
    handoff_summary: str | None
    handoff_priority: str
    handoff_at: float | None
    csat: int | None
    csat_comment: str | None

    @classmethod
    def of(cls, c: Conversation) -> StaffConversationOut:
        return cls(**{k: v for k, v in asdict(c).items() if k != "state"})


class TransitionOut(BaseModel):
    from_status: Status
    to_status: Status
    reason: str | None
    summary: str | None
    actor: str
    at: float


class DetailOut(BaseModel):
    conversation: StaffConversationOut
    messages: list[StaffMessageOut]
    transitions: list[TransitionOut]
    profile: dict[str, Any] | None
    orders: list[dict[str, Any]]
    behaviour: list[dict[str, Any]]


class DraftOut(BaseModel):
    text: str


class CannedOut(BaseModel):
    title: str
    text: str


class AnalyticsOut(BaseModel):
    generated_at: float
    conversations: int
    engaged: int
    deflected: int
    deflection_rate: float | None
    status_counts: dict[str, int]
    handoffs: int
    handoff_reasons: dict[str, int]
    csat_bot_only: float | None
    csat_bot_only_n: int
    csat_human: float | None
    csat_human_n: int
    unanswered: list[dict[str, Any]]
    ads: dict[str, Any]
    forecast: list[dict[str, Any]]
    forecast_error: str | None


class HealthOut(BaseModel):
    status: Literal["ok"]
    database: Literal["ok"]


# -- staff accounts (appended: password changes, admin account management) ------------------------
class ChangePasswordRequest(_Request):
    current_password: str = Field(..., min_length=1, max_length=256)
    new_password: str = Field(
        ..., min_length=1, max_length=256, description="At least 12 characters; see the rules"
    )


class SetPasswordRequest(_Request):
    password: str = Field(
        ..., min_length=1, max_length=256, description="At least 12 characters; see the rules"
    )


class SessionsEndedOut(BaseModel):
    ok: bool = True
    sessions_ended: int


class StaffAccountOut(BaseModel):
    username: str
    role: Literal["agent", "admin"]
    disabled: bool
    created_at: float
    last_login: float | None
