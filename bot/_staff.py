"""Staff accounts: hashed passwords, roles, lockout, expiring sessions, and the audit log.

Design decisions:

* Passwords are hashed with ``hashlib.scrypt`` (memory-hard, in the standard library) and a
  random 16-byte salt per user; verification uses ``hmac.compare_digest``. The cost is a
  parameter so tests can run quickly; production uses ``SCRYPT_N`` (16 MiB, ~50 ms).
* An unknown username costs the same hash as a known one and gets the same message, so the
  login form does not reveal which usernames exist.
* Five consecutive failures lock the account for 15 minutes; while locked even the right
  password is refused (otherwise the lock would not slow down guessing). The store counts
  failures in one UPDATE, so parallel guesses cannot slip past the limit.
* Session tokens are ``secrets.token_urlsafe(32)``; only their sha256 is stored, with an
  expiry checked on every use.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from retrieval import InputError

from ._conversations import (
    ROLES,
    AuthError,
    ConversationStore,
    ForbiddenError,
    StaffAccount,
    StaffSession,
    token_hash,
)

SCRYPT_N = 2**14  # r=8: 16 MiB per hash
MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60
SESSION_SECONDS = 12 * 3600  # one shift
MIN_PASSWORD = 8
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{1,39}$")


@dataclass(frozen=True)
class Hasher:
    n: int = SCRYPT_N
    r: int = 8
    p: int = 1

    def hash(self, password: str, salt: bytes) -> str:
        return hashlib.scrypt(password.encode(), salt=salt, n=self.n, r=self.r, p=self.p,
                              maxmem=128 * self.n * self.r * 2, dklen=32).hex()

    def verify(self, password: str, account: StaffAccount) -> bool:
        return hmac.compare_digest(self.hash(password, bytes.fromhex(account.salt)), account.password_hash)


class StaffDirectory:
    """Accounts and sessions over a ``ConversationStore``; every action can be audited."""

    def __init__(self, store: ConversationStore, *, hasher: Hasher | None = None,
                 clock: Callable[[], float] = time.time, session_seconds: float = SESSION_SECONDS):
        self.store = store
        self.hasher = hasher or Hasher()
        self.clock = clock
        self.session_seconds = session_seconds
        self._dummy = StaffAccount("-", "agent", self.hasher.hash("-", b"0" * 16), (b"0" * 16).hex(), 0.0)

    def create(self, username: str, password: str, role: str, *, actor: str = "system") -> StaffAccount:
        username = (username or "").strip().lower()
        if not _USERNAME.match(username):
            raise InputError(f"Username {username!r} is not valid; use 2-40 characters: a-z, 0-9, '.', '_', '-'")
        if role not in ROLES:
            raise InputError(f"Unknown role {role!r}; choose one of: {', '.join(ROLES)}")
        if len(password or "") < MIN_PASSWORD:
            raise InputError(f"Password is too short; use at least {MIN_PASSWORD} characters")
        salt = secrets.token_bytes(16)
        account = StaffAccount(username, role, self.hasher.hash(password, salt), salt.hex(), self.clock())  # type: ignore[arg-type]
        if not self.store.put_staff(account):
            raise InputError(f"Staff account {username!r} already exists; choose another username")
        self.store.audit(actor, "create_staff", None, f"{username} ({role})", self.clock())
        return account

    def login(self, username: str, password: str) -> StaffSession:
        username = (username or "").strip().lower()
        now = self.clock()
        account = self.store.staff_account(username)
        if account is not None and account.locked_until is not None and account.locked_until > now:
            minutes = max(1, round((account.locked_until - now) / 60))
            self.store.audit(username, "login_locked", None, "", now)
            raise AuthError(f"Too many failed logins; this account is locked for {minutes} more minute(s)")
        ok = self.hasher.verify(password or "", account or self._dummy) and account is not None
        if not ok:
            if account is not None:
                self.store.login_failed(username, now, MAX_FAILURES, LOCK_SECONDS)
                self.store.audit(username, "login_failed", None, "", now)
            raise AuthError("Wrong username or password")
        self.store.login_ok(username)
        token = secrets.token_urlsafe(32)
        expires = now + self.session_seconds
        self.store.put_session(token_hash(token), username, now, expires)
        self.store.audit(username, "login", None, "", now)
        return StaffSession(token, username, account.role, expires)  # type: ignore[union-attr]

    def logout(self, session_token: str) -> None:
        found = self.store.session(token_hash(session_token or ""))
        self.store.drop_session(token_hash(session_token or ""))
        if found is not None:
            self.store.audit(found[0], "logout", None, "", self.clock())

    def session(self, session_token: str) -> StaffSession:
        """The live session for a token; AuthError if unknown or expired."""
        found = self.store.session(token_hash(session_token or ""))
        if found is None:
            raise AuthError("Unknown staff session; log in again")
        username, expires = found
        if expires <= self.clock():
            self.store.drop_session(token_hash(session_token))
            raise AuthError("Your staff session has expired; log in again")
        account = self.store.staff_account(username)
        if account is None:
            raise AuthError("This staff account no longer exists")
        return StaffSession(session_token, username, account.role, expires)

    def require_admin(self, session: StaffSession) -> None:
        if not session.is_admin:
            raise ForbiddenError(f"{session.username} is an agent; this needs an admin")

    def ensure_defaults(self, accounts: list[tuple[str, str, str]]) -> int:
        """Create demo accounts only when there are no staff at all (first start)."""
        if self.store.staff_count():
            return 0
        for username, password, role in accounts:
            self.create(username, password, role)
        return len(accounts)
