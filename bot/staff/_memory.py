"""The in-memory staff store: the fake for tests and the no-database demo (one lock for all)."""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

from ._model import KNOWN_CLIENTS, StaffAccount, StaffStore


class MemoryStaffStore(StaffStore):
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._staff: dict[str, StaffAccount] = {}
        self._sessions: dict[str, tuple[str, float]] = {}
        self._known: dict[str, dict[str, float]] = {}  # username -> {client tag: last successful login}
        self._audit: list[dict[str, Any]] = []

    def put_staff(self, account: StaffAccount) -> bool:
        with self._lock:
            if account.username in self._staff:
                return False
            self._staff[account.username] = replace(account, last_login=None)
            return True

    def staff_account(self, username: str) -> StaffAccount | None:
        return self._staff.get(username)

    def staff_count(self) -> int:
        return len(self._staff)

    def staff_accounts(self) -> list[StaffAccount]:
        with self._lock:
            return [self._staff[u] for u in sorted(self._staff)]

    def _update(self, username: str, **values: Any) -> bool:
        with self._lock:
            if username not in self._staff:
                return False
            self._staff[username] = replace(self._staff[username], **values)
            return True

    def set_password(self, username: str, password_hash: str, salt: str) -> bool:
        return self._update(username, password_hash=password_hash, salt=salt)

    def set_disabled(self, username: str, disabled: bool) -> bool:
        return self._update(username, disabled=bool(disabled))

    def known_client(self, username: str, client_tag: str) -> float | None:
        return self._known.get(username, {}).get(client_tag)

    def login_succeeded(self, username: str, client_tag: str | None, now: float) -> None:
        self._update(username, last_login=now)
        if not client_tag or username not in self._staff:
            return
        with self._lock:
            known = self._known.setdefault(username, {})
            known[client_tag] = now
            newest = sorted(known.items(), key=lambda kv: (-kv[1], kv[0]))[:KNOWN_CLIENTS]
            self._known[username] = dict(newest)

    def forget_clients(self, username: str) -> None:
        with self._lock:
            self._known.pop(username, None)

    def put_session(self, token_hash: str, username: str, now: float, expires_at: float) -> None:
        with self._lock:
            self._sessions[token_hash] = (username, expires_at)

    def session(self, token_hash: str) -> tuple[str, float] | None:
        return self._sessions.get(token_hash)

    def drop_session(self, token_hash: str) -> None:
        with self._lock:
            self._sessions.pop(token_hash, None)

    def drop_sessions(self, username: str, keep: str | None = None) -> int:
        with self._lock:
            ended = [h for h, (u, _) in self._sessions.items() if u == username and h != keep]
            for h in ended:
                del self._sessions[h]
            return len(ended)

    def audit(
        self,
        actor: str,
        action: str,
        conversation_id: str | None,
        detail: str,
        at: float,
        client: str | None = None,
    ) -> None:
        with self._lock:
            self._audit.append(
                dict(
                    actor=actor[:80],
                    action=action,
                    conversation_id=conversation_id,
                    detail=detail,
                    at=at,
                    client=client[:64] if client else None,
                )
            )

    def audit_log(self, limit: int = 100) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(r) for r in reversed(self._audit[-limit:])]
