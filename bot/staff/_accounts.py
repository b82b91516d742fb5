"""Staff accounts: hashed passwords, password rules, login throttling, sessions, and the audit log.

Design decisions:

* Passwords are hashed with ``hashlib.scrypt`` (memory-hard, in the standard library) and a
  random 16-byte salt per user; verification uses ``hmac.compare_digest``. The cost is a
  parameter so tests can run quickly; production uses ``SCRYPT_N`` (16 MiB, ~50 ms).
* No hard lock. A lock that anyone can trigger with five wrong passwords is a way to shut
  every staff member out (and, answering "locked" at once, to learn which usernames exist).
  Guessing is bounded by two sliding windows of ``_security.Throttle`` instead, checked before
  the password and counted after a failure: per client address (``login``) and per typed
  username (``login_account``). The per-account limit is skipped for an address that has
  logged into that account before ("known clients", kept in the store as ``client_tag``
  hashes, so they survive restarts and are shared by every worker on one database): an
  attacker failing from elsewhere never blocks the real person at their usual address, while
  each address, and each account from new addresses, still gets only so many guesses.
* Unknown and known usernames take the same path: the same throttle keys (the typed string,
  whether it exists or not), the same store reads and writes (a ``login_failed`` audit row for
  both), exactly one scrypt hash (a dummy account stands in), and the same message. Only a
  caller who typed the right password learns more: "disabled", or "still has its demo
  password" (production), which is checked on the plaintext after the hash matched, so it
  costs no extra time either way.
* Throttled attempts raise ``RateLimited`` (HTTP 429 + Retry-After) and write at most one
  ``login_throttled`` audit row per address per minute, so a flood cannot fill the audit log.
  Every login audit row records the client address.
* Password rules for every new or changed password (``password_problem``): at least 12
  characters, at least 5 different ones, not containing the username, not a common password
  (also with digits or symbols stuck on either end). Demo passwords (``DEMO_STAFF``) are on
  that list; ``ensure_defaults`` creates the demo accounts without the rules only outside
  production (a demo, or a server only this machine can reach).
* Session tokens are ``secrets.token_urlsafe(32)``; only their sha256 is stored, with an
  expiry checked on every use, and the account is re-read each time: disabling it, or
  revoking its sessions, takes effect on the next request.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from retrieval import ConfigError, InputError, NotFoundError

from .._errors import AuthError, ForbiddenError
from .._settings import DEMO_STAFF
from ..conversations import token_hash
from ..safety import Limits, Rate, RateLimited, Throttle, client_tag
from ._model import ROLES, StaffAccount, StaffSession, StaffStore

log = logging.getLogger(__name__)

SCRYPT_N = 2**14  # r=8: 16 MiB per hash
SESSION_SECONDS = 12 * 3600  # one shift
MIN_PASSWORD = 12
MIN_DISTINCT = 5
MAX_PASSWORD = 256
THROTTLED_AUDIT_SECONDS = 60  # at most one "login_throttled" audit row per address per minute
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{1,39}$")

WRONG = "Wrong username or password"
DISABLED = "This account is disabled"
DEMO_LOGIN = (
    "This account still has its demo password; an admin must set a new one: shoptalk staff passwd {username}"
)
CLI_HINT = "shoptalk staff add NAME --role admin"

DEMO_PASSWORDS = frozenset(password for _, password, _ in DEMO_STAFF)
# The most common passwords and their shapes; compared in lower case, also with the digits and
# symbols at either end removed ("Password123!" is "password").
COMMON_PASSWORDS = frozenset(
    {
        *DEMO_PASSWORDS,
        "admin-demo",
        "agent-demo",
        "demo",
        "password",
        "passw0rd",
        "p@ssw0rd",
        "p@ssword",
        "password123",
        "admin",
        "admin123",
        "administrator",
        "root",
        "toor",
        "changeme",
        "change-me",
        "changeme123",
        "letmein",
        "welcome",
        "qwerty",
        "qwertyuiop",
        "asdfghjkl",
        "asdfghjkl;'",
        "zxcvbnm",
        "qwertyuiopasdfghjkl",
        "iloveyou",
        "monkey",
        "dragon",
        "football",
        "baseball",
        "sunshine",
        "princess",
        "trustno",
        "trustno1",
        "abc",
        "abcdef",
        "abcdefg",
        "abcdefgh",
        "abcdefghijkl",
        "secret",
        "master",
        "login",
        "hello",
        "default",
        "guest",
        "test",
        "testing",
        "support",
        "helpdesk",
        "service",
        "customer",
        "staff",
        "agent",
        "shop",
        "shoptalk",
        "shoptalk-admin",
        "summer",
        "winter",
        "spring",
        "autumn",
        "company",
        "123456789012",
        "1234567890123",
        "012345678901",
        "1234567890ab",
        "1q2w3e4r5t6y",
        "1qaz2wsx3edc",
        "qwerty123456",
        "password1234",
        "aaaaaaaaaaaa",
        "abcd1234abcd",
    }
)
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")


def password_problem(password: str | None, username: str = "") -> str | None:
    """Why ``password`` is not acceptable for ``username`` (a sentence saying what to do), or None."""
    password = password or ""
    username = (username or "").strip().lower()
    if len(password) < MIN_PASSWORD:
        return (
            f"Password is too short ({len(password)} characters); use at least {MIN_PASSWORD} "
            "(three or four unrelated words are long and easy to remember)"
        )
    if len(password) > MAX_PASSWORD:
        return f"Password is too long; use at most {MAX_PASSWORD} characters"
    if len(set(password)) < MIN_DISTINCT:
        return f"Password repeats too few characters; use at least {MIN_DISTINCT} different characters"
    lowered = password.lower()
    if username and (lowered == username or (len(username) >= 3 and username in lowered)):
        return "Password contains the username; choose one that does not"
    if lowered in COMMON_PASSWORDS or _EDGES.sub("", lowered) in COMMON_PASSWORDS:
        return (
            "That is one of the most common passwords (or a demo password), perhaps with digits or "
            "symbols added; choose another"
        )
    return None


def check_password(password: str | None, username: str = "") -> None:
    """Raise InputError saying what to do when ``password`` breaks the rules."""
    if (problem := password_problem(password, username)) is not None:
        raise InputError(problem)


@dataclass(frozen=True)
class Hasher:
    n: int = SCRYPT_N
    r: int = 8
    p: int = 1

    def hash(self, password: str, salt: bytes) -> str:
        return hashlib.scrypt(
            password.encode(),
            salt=salt,
            n=self.n,
            r=self.r,
            p=self.p,
            maxmem=128 * self.n * self.r * 2,
            dklen=32,
        ).hex()

    def verify(self, password: str, account: StaffAccount) -> bool:
        return hmac.compare_digest(self.hash(password, bytes.fromhex(account.salt)), account.password_hash)


class StaffDirectory:
    """Accounts and sessions over a ``StaffStore``; every action is audited.

    ``throttle``: the service's shared ``Throttle`` (buckets ``login`` and ``login_account``);
    a private one with the default limits when not given. ``production``: demo passwords are
    refused (creating, logging in) and ``ensure_defaults`` applies the password rules.
    """

    def __init__(
        self,
        store: StaffStore,
        *,
        hasher: Hasher | None = None,
        clock: Callable[[], float] = time.time,
        session_seconds: float = SESSION_SECONDS,
        throttle: Throttle | None = None,
        production: bool = False,
    ):
        self.store = store
        self.hasher = hasher or Hasher()
        self.clock = clock
        self.session_seconds = session_seconds
        self.throttle = throttle or Throttle(clock=clock)
        self.production = production
        self._dummy = StaffAccount("-", "agent", self.hasher.hash("-", b"0" * 16), (b"0" * 16).hex(), 0.0)
        # One "login_throttled" audit row per address per window: the same sliding-window counter
        # as the rate limits, private to this directory (not an operator setting).
        self._audits = Throttle(Limits({"audit": Rate(1, THROTTLED_AUDIT_SECONDS)}), clock=clock)

    # -- accounts -----------------------------------------------------------------------------
    def create(
        self, username: str, password: str, role: str, *, actor: str = "system", check: bool = True
    ) -> StaffAccount:
        """A new account. ``check=False`` (demo accounts outside production only) skips the rules."""
        username = (username or "").strip().lower()
        if not _USERNAME.match(username):
            raise InputError(
                f"Username {username!r} is not valid; use 2-40 characters: a-z, 0-9, '.', '_', '-'"
            )
        if role not in ROLES:
            raise InputError(f"Unknown role {role!r}; choose one of: {', '.join(ROLES)}")
        if self.production and password in DEMO_PASSWORDS:
            raise InputError("Demo passwords are refused outside demo mode; choose another password")
        if check:
            check_password(password, username)
        elif not password:
            raise InputError("Password is empty; choose one")
        salt = secrets.token_bytes(16)
        account = StaffAccount(username, role, self.hasher.hash(password, salt), salt.hex(), self.clock())  # type: ignore[arg-type]
        if not self.store.put_staff(account):
            raise InputError(f"Staff account {username!r} already exists; choose another username")
        self.store.audit(actor, "create_staff", None, f"{username} ({role})", self.clock())
        return account

    def account(self, username: str) -> StaffAccount:
        found = self.store.staff_account((username or "").strip().lower())
        if found is None:
            raise NotFoundError(f"No staff account {username!r}; `shoptalk staff list` shows them")
        return found

    def accounts(self) -> list[StaffAccount]:
        return self.store.staff_accounts()

    def _store_password(self, username: str, password: str) -> None:
        salt = secrets.token_bytes(16)
        if not self.store.set_password(username, self.hasher.hash(password, salt), salt.hex()):
            raise NotFoundError(f"No staff account {username!r}; `shoptalk staff list` shows them")

    def set_password(self, username: str, password: str, *, actor: str = "system") -> int:
        """An admin (or the CLI) sets an account's password: every session of that account ends
        and its known addresses are forgotten. Returns how many sessions ended."""
        account = self.account(username)
        check_password(password, account.username)
        self._store_password(account.username, password)
        ended = self.store.drop_sessions(account.username)
        self.store.forget_clients(account.username)
        self.store.audit(
            actor, "set_password", None, f"{account.username}; {ended} session(s) ended", self.clock()
        )
        return ended

    def change_password(
        self, username: str, current: str, new: str, *, keep: str | None = None, client: str | None = None
    ) -> int:
        """The account's owner changes their password (needs the current one); every other
        session of the account ends (``keep``: the hash of the session to keep). Wrong current
        passwords count like failed logins."""
        account = self.account(username)
        now = self.clock()
        self.throttle.check("login", client or "")
        if not self.hasher.verify(current or "", account):
            self.throttle.count("login", client or "")
            self.throttle.count("login_account", account.username)
            self.store.audit(account.username, "change_password_failed", None, "", now, client)
            raise InputError("Your current password is not right; type it again")
        if new == current:
            raise InputError("The new password is the same as the current one; choose a new one")
        check_password(new, account.username)
        self._store_password(account.username, new)
        ended = self.store.drop_sessions(account.username, keep=keep)
        self.store.audit(
            account.username, "change_password", None, f"{ended} other session(s) ended", now, client
        )
        return ended

    def set_disabled(self, username: str, disabled: bool, *, actor: str = "system") -> int:
        """Disable (its sessions end at once) or enable an account. An admin cannot disable their
        own account, nor the last enabled admin. Returns how many sessions ended."""
        account = self.account(username)
        if disabled and account.username == actor:
            raise InputError("You cannot disable your own account; ask another admin")
        if disabled and account.role == "admin" and not account.disabled:
            admins = [a for a in self.store.staff_accounts() if a.role == "admin" and not a.disabled]
            if len(admins) <= 1:
                raise InputError(
                    f"{account.username} is the only enabled admin; create or enable another admin first"
                )
        self.store.set_disabled(account.username, disabled)
        ended = self.store.drop_sessions(account.username) if disabled else 0
        detail = f"{account.username}; {ended} session(s) ended" if disabled else account.username
        self.store.audit(actor, "disable_staff" if disabled else "enable_staff", None, detail, self.clock())
        return ended

    def revoke_sessions(self, username: str, *, actor: str = "system") -> int:
        """End every session of an account (it stays enabled); returns how many ended."""
        account = self.account(username)
        ended = self.store.drop_sessions(account.username)
        self.store.audit(
            actor, "revoke_sessions", None, f"{account.username}; {ended} session(s) ended", self.clock()
        )
        return ended

    # -- logging in ---------------------------------------------------------------------------
    def login(self, username: str, password: str, *, client: str | None = None) -> StaffSession:
        """A new session, or AuthError (wrong / disabled / demo password) or RateLimited.

        ``client``: the caller's address as the adapter resolved it (None: unknown, e.g. the CLI);
        it keys the per-address limit, makes an address "known" for the account, and is recorded
        on the audit rows.
        """
        name = (username or "").strip().lower()[:80]
        now = self.clock()
        tag = client_tag(client)
        try:
            self.throttle.check("login", client or "")
            known = tag is not None and self.store.known_client(name, tag) is not None
            if not known:
                self.throttle.check("login_account", name)
        except RateLimited as exc:
            self._audit_throttled(name, client, now, exc)
            raise
        account = self.store.staff_account(name)
        ok = self.hasher.verify(password or "", account or self._dummy) and account is not None
        if not ok:
            self.throttle.count("login", client or "")
            self.throttle.count("login_account", name)
            self.store.audit(name, "login_failed", None, "", now, client)
            raise AuthError(WRONG)
        assert account is not None
        if account.disabled:
            self.store.audit(name, "login_disabled", None, "", now, client)
            raise AuthError(DISABLED)
        if self.production and password in DEMO_PASSWORDS:  # the hash matched: no timing left to leak
            self.store.audit(name, "login_demo_password", None, "", now, client)
            raise AuthError(DEMO_LOGIN.format(username=name))
        token = secrets.token_urlsafe(32)
        expires = now + self.session_seconds
        self.store.put_session(token_hash(token), name, now, expires)
        self.store.login_succeeded(name, tag, now)
        self.store.audit(name, "login", None, "", now, client)
        return StaffSession(token, name, account.role, expires)

    def _audit_throttled(self, name: str, client: str | None, now: float, exc: RateLimited) -> None:
        try:
            self._audits.hit("audit", client or "-")
        except RateLimited:
            return  # this address was audited as throttled within the minute
        self.store.audit(name, "login_throttled", None, f"retry after {exc.retry_after} s", now, client)

    def logout(self, session_token: str) -> None:
        found = self.store.session(token_hash(session_token or ""))
        self.store.drop_session(token_hash(session_token or ""))
        if found is not None:
            self.store.audit(found[0], "logout", None, "", self.clock())

    def session(self, session_token: str) -> StaffSession:
        """The live session for a token; AuthError if unknown, expired or its account is disabled."""
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
        if account.disabled:
            raise AuthError(DISABLED)
        return StaffSession(session_token, username, account.role, expires)

    def require_admin(self, session: StaffSession) -> None:
        if not session.is_admin:
            raise ForbiddenError(f"{session.username} is an agent; this needs an admin")

    # -- first start --------------------------------------------------------------------------
    def ensure_defaults(self, accounts: Iterable[tuple[str, str | None, str]]) -> int:
        """Create the configured first accounts when there are no staff at all (first start).

        In production only passwords that pass the rules (an operator sets
        SHOPTALK_ADMIN_PASSWORD); a demo or weak one is a ConfigError, and an account without a
        password (None) is not created (a warning names the CLI command). Outside production
        (a demo, or a server only this machine can reach) the demo accounts are created as they
        are, with a warning that demo passwords are in use.
        """
        if self.store.staff_count():
            return 0
        wanted = [(u, p, r) for u, p, r in accounts if p]
        for username, password, _ in accounts:
            if not password:
                log.warning(
                    "No password configured for staff account %r; it was not created. Create staff with: %s",
                    username,
                    CLI_HINT,
                )
        if self.production:
            for username, password, _ in wanted:
                if password in DEMO_PASSWORDS:
                    raise ConfigError(
                        f"The password configured for staff account {username!r} is a demo password, which is "
                        "refused in production. Set SHOPTALK_ADMIN_PASSWORD / SHOPTALK_AGENT_PASSWORD to a password "
                        f"of at least {MIN_PASSWORD} characters, or leave them unset and run: {CLI_HINT}"
                    )
                if (problem := password_problem(password, username)) is not None:
                    raise ConfigError(
                        f"The password configured for staff account {username!r} is refused: "
                        f"{problem}. Set SHOPTALK_ADMIN_PASSWORD / SHOPTALK_AGENT_PASSWORD, or "
                        f"run: {CLI_HINT}"
                    )
        for username, password, role in wanted:
            self.create(username, password or "", role, check=self.production)
        demo = [u for u, p, _ in wanted if p in DEMO_PASSWORDS]
        if demo:
            log.warning(
                "Staff account(s) %s use demo passwords: fine for a demo on this machine, refused in "
                "production. Set real ones with: shoptalk staff passwd NAME",
                ", ".join(demo),
            )
        if not wanted:
            log.warning("There are no staff accounts; create the first admin with: %s", CLI_HINT)
        return len(wanted)
