"""Staff as data: accounts, sessions, what the console shows, and the store that keeps them.

Design decisions:

* Passwords are stored only as scrypt hashes with a per-account salt (``StaffDirectory``
  hashes; the store keeps strings). Session tokens are stored only as their sha256.
* The audit log lives here: every staff action and every login attempt is a row, with the
  client address where there is one.
* Two implementations, one contract suite (tests/test_staff.py, tests/test_conversations.py):
  ``SqlStaffStore`` and ``MemoryStaffStore``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Literal, get_args

from ..conversations import Conversation, StoredMessage, Transition

StaffRole = Literal["agent", "admin"]
ROLES: tuple[str, ...] = get_args(StaffRole)
KNOWN_CLIENTS = 20  # client addresses remembered per staff account (the most recent logins)


@dataclass(frozen=True)
class StaffAccount:
    username: str
    role: StaffRole
    password_hash: str  # hex scrypt digest
    salt: str  # hex, per user
    created_at: float
    disabled: bool = False  # a disabled account cannot log in, and its sessions stop working
    last_login: float | None = None


@dataclass(frozen=True)
class StaffSession:
    token: str  # give back on every staff call; only its sha256 is stored
    username: str
    role: StaffRole
    expires_at: float

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class QueueItem:
    conversation_id: str
    reason: str | None
    summary: str | None
    priority: str  # "high" first in the queue, then oldest first
    waited_s: float
    shopper: str  # customer name, or the anonymous id
    customer_id: str | None
    last_message: str  # the shopper's latest message


@dataclass(frozen=True)
class ConversationDetail:
    conversation: Conversation
    messages: tuple[StoredMessage, ...]  # including private notes
    transitions: tuple[Transition, ...]
    profile: Any  # recsys.ShopperProfile, or None without a recommendation engine
    orders: tuple[Any, ...]  # retrieval.Order of the signed-in customer, newest first
    behaviour: tuple[dict, ...]  # latest behaviour events: {event, item_id, query, at}


class StaffStore(ABC):
    """Staff accounts, their sessions and known login addresses, and the audit log."""

    @abstractmethod
    def put_staff(self, account: StaffAccount) -> bool:
        """Insert a new account; False if the username exists."""

    @abstractmethod
    def staff_account(self, username: str) -> StaffAccount | None: ...

    @abstractmethod
    def staff_count(self) -> int: ...

    @abstractmethod
    def staff_accounts(self) -> list[StaffAccount]:
        """Every account, by username."""

    @abstractmethod
    def set_password(self, username: str, password_hash: str, salt: str) -> bool:
        """Replace an account's password hash and salt; False if there is no such account."""

    @abstractmethod
    def set_disabled(self, username: str, disabled: bool) -> bool:
        """Disable or enable an account; False if there is no such account."""

    @abstractmethod
    def known_client(self, username: str, client_tag: str) -> float | None:
        """When this client (a ``client_tag``) last logged into this account, or None."""

    @abstractmethod
    def login_succeeded(self, username: str, client_tag: str | None, now: float) -> None:
        """Record a login: the account's last login, and (with a tag) the client as known for it.
        At most ``KNOWN_CLIENTS`` clients are kept per account, the most recent."""

    @abstractmethod
    def forget_clients(self, username: str) -> None:
        """Forget every known client of an account (after an admin resets its password)."""

    @abstractmethod
    def put_session(self, token_hash: str, username: str, now: float, expires_at: float) -> None: ...

    @abstractmethod
    def session(self, token_hash: str) -> tuple[str, float] | None:
        """(username, expires_at) of a session, or None."""

    @abstractmethod
    def drop_session(self, token_hash: str) -> None: ...

    @abstractmethod
    def drop_sessions(self, username: str, keep: str | None = None) -> int:
        """End every session of an account except the one whose hash is ``keep``; how many ended."""

    @abstractmethod
    def audit(
        self,
        actor: str,
        action: str,
        conversation_id: str | None,
        detail: str,
        at: float,
        client: str | None = None,
    ) -> None:
        """One audit row; ``client`` is the address the action came from (logins), when known."""

    @abstractmethod
    def audit_log(self, limit: int = 100) -> list[dict[str, Any]]:
        """Newest first: {actor, action, conversation_id, detail, at, client}."""
