"""The staff and admin routes of the HTTP API (login, queue, claim, reply, accounts, audit).

Split from ``bot.api`` so the shopper routes and the staff routes each fit on a screen; the
error mapping, middleware and dependencies stay in ``bot.api``.
"""

from __future__ import annotations

from dataclasses import asdict, is_dataclass

from fastapi import Depends, FastAPI, Query

from .._chat import ChatService
from ..staff import StaffSession
from . import _models as m


def _plain(value):
    if hasattr(value, "model_dump"):  # shop records are pydantic models
        return {**value.model_dump(), **({"total": value.total} if hasattr(value, "total") else {})}
    return asdict(value) if is_dataclass(value) and not isinstance(value, type) else value


def staff_routes(app: FastAPI, chat: ChatService, *, staff, bearer, client) -> None:
    """``staff``: dependency giving the caller's StaffSession; ``bearer``: the raw bearer token;
    ``client``: the caller's resolved address (for login throttling and the audit log)."""

    @app.post(
        "/api/staff/login",
        response_model=m.LoginOut,
        tags=["staff"],
        responses={429: {"model": m.ErrorOut, "description": "Too many failed logins; see Retry-After"}},
    )
    def login(body: m.LoginRequest, address: str = Depends(client)):
        s = chat.staff.login(body.username, body.password, client=address)
        return m.LoginOut(token=s.token, username=s.username, role=s.role, expires_at=s.expires_at)

    @app.post("/api/staff/password", response_model=m.SessionsEndedOut, tags=["staff"])
    def change_password(
        body: m.ChangePasswordRequest, s: StaffSession = Depends(staff), address: str = Depends(client)
    ):
        """Change your own password; your other sessions end (this one stays)."""
        ended = chat.staff.change_password(s, body.current_password, body.new_password, client=address)
        return m.SessionsEndedOut(sessions_ended=ended)

    @app.post("/api/staff/logout", response_model=m.OkOut, tags=["staff"])
    def logout(token: str = Depends(bearer)):
        chat.staff.logout(token)
        return m.OkOut()

    @app.get("/api/staff/queue", response_model=list[m.QueueItemOut], tags=["staff"])
    def queue(s: StaffSession = Depends(staff)):
        return [m.QueueItemOut(**asdict(q)) for q in chat.staff.queue(s)]

    @app.get("/api/staff/mine", response_model=list[m.StaffConversationOut], tags=["staff"])
    def mine(s: StaffSession = Depends(staff)):
        return [m.StaffConversationOut.of(c) for c in chat.staff.mine(s)]

    @app.get("/api/staff/canned", response_model=list[m.CannedOut], tags=["staff"])
    def canned(s: StaffSession = Depends(staff)):
        return [m.CannedOut(title=t, text=x) for t, x in chat.staff.canned()]

    @app.get("/api/staff/conversations/{conversation_id}", response_model=m.DetailOut, tags=["staff"])
    def detail(conversation_id: str, s: StaffSession = Depends(staff)):
        d = chat.staff.detail(s, conversation_id)
        return m.DetailOut(
            conversation=m.StaffConversationOut.of(d.conversation),
            messages=[m.StaffMessageOut.of(x) for x in d.messages],
            transitions=[
                m.TransitionOut(**{k: v for k, v in asdict(t).items() if k != "conversation_id"})
                for t in d.transitions
            ],
            profile=_plain(d.profile),
            orders=[_plain(o) for o in d.orders],
            behaviour=list(d.behaviour),
        )

    @app.post(
        "/api/staff/conversations/{conversation_id}/claim",
        response_model=m.StaffConversationOut,
        tags=["staff"],
    )
    def claim(conversation_id: str, s: StaffSession = Depends(staff)):
        return m.StaffConversationOut.of(chat.staff.claim(s, conversation_id))

    @app.post(
        "/api/staff/conversations/{conversation_id}/reply", response_model=m.StaffMessageOut, tags=["staff"]
    )
    def reply(conversation_id: str, body: m.StaffText, s: StaffSession = Depends(staff)):
        return m.StaffMessageOut.of(chat.staff.reply(s, conversation_id, body.text))

    @app.post(
        "/api/staff/conversations/{conversation_id}/note", response_model=m.StaffMessageOut, tags=["staff"]
    )
    def note(conversation_id: str, body: m.StaffText, s: StaffSession = Depends(staff)):
        return m.StaffMessageOut.of(chat.staff.note(s, conversation_id, body.text))

    @app.post(
        "/api/staff/conversations/{conversation_id}/hand-back",
        response_model=m.StaffConversationOut,
        tags=["staff"],
    )
    def hand_back(conversation_id: str, s: StaffSession = Depends(staff)):
        return m.StaffConversationOut.of(chat.staff.hand_back(s, conversation_id))

    @app.post(
        "/api/staff/conversations/{conversation_id}/resolve",
        response_model=m.StaffConversationOut,
        tags=["staff"],
    )
    def resolve(conversation_id: str, s: StaffSession = Depends(staff)):
        return m.StaffConversationOut.of(chat.staff.resolve(s, conversation_id))

    @app.get("/api/staff/conversations/{conversation_id}/draft", response_model=m.DraftOut, tags=["staff"])
    def draft(conversation_id: str, s: StaffSession = Depends(staff)):
        return m.DraftOut(text=chat.staff.draft(s, conversation_id))

    @app.get("/api/admin/analytics", response_model=m.AnalyticsOut, tags=["admin"])
    def analytics(s: StaffSession = Depends(staff)):
        return m.AnalyticsOut(**chat.staff.analytics(s).as_dict())

    @app.post("/api/admin/staff", response_model=m.OkOut, status_code=201, tags=["admin"])
    def create_staff(body: m.CreateStaffRequest, s: StaffSession = Depends(staff)):
        chat.staff.create_staff(s, body.username, body.password, body.role)
        return m.OkOut()

    @app.get("/api/admin/staff", response_model=list[m.StaffAccountOut], tags=["admin"])
    def list_staff(s: StaffSession = Depends(staff)):
        return [
            m.StaffAccountOut(
                username=a.username,
                role=a.role,
                disabled=a.disabled,
                created_at=a.created_at,
                last_login=a.last_login,
            )
            for a in chat.staff.staff_accounts(s)
        ]

    @app.post("/api/admin/staff/{username}/password", response_model=m.SessionsEndedOut, tags=["admin"])
    def set_password(username: str, body: m.SetPasswordRequest, s: StaffSession = Depends(staff)):
        """Set another account's password; its sessions end."""
        return m.SessionsEndedOut(sessions_ended=chat.staff.set_staff_password(s, username, body.password))

    @app.post("/api/admin/staff/{username}/disable", response_model=m.SessionsEndedOut, tags=["admin"])
    def disable(username: str, s: StaffSession = Depends(staff)):
        """The account can no longer log in; its sessions end at once."""
        return m.SessionsEndedOut(sessions_ended=chat.staff.disable_staff(s, username))

    @app.post("/api/admin/staff/{username}/enable", response_model=m.OkOut, tags=["admin"])
    def enable(username: str, s: StaffSession = Depends(staff)):
        chat.staff.enable_staff(s, username)
        return m.OkOut()

    @app.post(
        "/api/admin/staff/{username}/revoke-sessions", response_model=m.SessionsEndedOut, tags=["admin"]
    )
    def revoke_sessions(username: str, s: StaffSession = Depends(staff)):
        """Log the account out everywhere (it stays enabled)."""
        return m.SessionsEndedOut(sessions_ended=chat.staff.revoke_staff_sessions(s, username))

    @app.get("/api/admin/audit", response_model=list[dict], tags=["admin"])
    def audit(limit: int = Query(100, ge=1, le=1000), s: StaffSession = Depends(staff)):
        return chat.staff.audit_log(s, limit)
