"""Staff accounts: hashing, lockout, sessions, roles and the audit trail (memory and SQL stores)."""

from __future__ import annotations

import pytest
from chat_kit import FAST_HASH

from bot._conversations import AuthError, ForbiddenError
from bot._conversations_memory import MemoryConversationStore
from bot._conversations_sql import SqlConversationStore
from bot._staff import LOCK_SECONDS, MAX_FAILURES, SESSION_SECONDS, Hasher, StaffDirectory
from retrieval import InputError


class Clock:
    def __init__(self, now: float = 1_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def setup(request, database_url):
    if request.param == "memory":
        store = MemoryConversationStore()
    else:
        from recsys import Database

        store = SqlConversationStore(Database(database_url(request.param)))
    clock = Clock()
    directory = StaffDirectory(store, hasher=FAST_HASH, clock=clock)
    directory.create("ann", "correct-horse", "agent")
    directory.create("root", "admin-pass-1", "admin")
    return directory, store, clock


def test_passwords_are_salted_scrypt_hashes(setup):
    directory, store, _ = setup
    directory.create("bob", "correct-horse", "agent")  # same password as ann
    ann, bob = store.staff_account("ann"), store.staff_account("bob")
    assert ann.salt != bob.salt and ann.password_hash != bob.password_hash
    assert "correct-horse" not in ann.password_hash and len(bytes.fromhex(ann.password_hash)) == 32
    assert FAST_HASH.verify("correct-horse", ann) and not FAST_HASH.verify("wrong", ann)


def test_default_cost_is_the_production_one():
    assert Hasher().n == 2**14 and Hasher().r == 8


def test_login_logout_and_session_expiry(setup):
    directory, store, clock = setup
    s = directory.login("Ann", "correct-horse")  # usernames are case-insensitive
    assert (s.username, s.role, s.expires_at) == ("ann", "agent", clock.now + SESSION_SECONDS)
    assert directory.session(s.token).username == "ann"
    assert store.session(s.token) is None  # only the token's hash is stored
    clock.now += SESSION_SECONDS + 1
    with pytest.raises(AuthError, match="expired"):
        directory.session(s.token)
    s2 = directory.login("ann", "correct-horse")
    directory.logout(s2.token)
    with pytest.raises(AuthError):
        directory.session(s2.token)
    with pytest.raises(AuthError):
        directory.session("")


def test_unknown_user_and_wrong_password_look_the_same(setup):
    directory, _, _ = setup
    with pytest.raises(AuthError) as unknown:
        directory.login("nobody", "whatever1")
    with pytest.raises(AuthError) as wrong:
        directory.login("ann", "whatever1")
    assert str(unknown.value) == str(wrong.value) == "Wrong username or password"


def test_five_failures_lock_the_account_for_fifteen_minutes(setup):
    directory, store, clock = setup
    for _ in range(MAX_FAILURES):
        with pytest.raises(AuthError, match="Wrong"):
            directory.login("ann", "guess")
    with pytest.raises(AuthError, match="locked"):
        directory.login("ann", "correct-horse")  # even the right password while locked
    clock.now += LOCK_SECONDS - 10
    with pytest.raises(AuthError, match="locked"):
        directory.login("ann", "correct-horse")
    clock.now += 11
    assert directory.login("ann", "correct-horse").username == "ann"
    assert store.staff_account("ann").failed_logins == 0
    actions = [r["action"] for r in store.audit_log()]
    assert actions.count("login_failed") == MAX_FAILURES and "login_locked" in actions and "login" in actions


def test_a_success_resets_the_failure_count(setup):
    directory, store, _ = setup
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(AuthError):
            directory.login("ann", "guess")
    directory.login("ann", "correct-horse")
    with pytest.raises(AuthError, match="Wrong"):
        directory.login("ann", "guess")
    assert store.staff_account("ann").locked_until is None


def test_account_validation(setup):
    directory, _, _ = setup
    for username, password, role in (("a", "long-enough", "agent"), ("Bad Name", "long-enough", "agent"),
                                     ("carl", "short", "agent"), ("carl", "long-enough", "boss"),
                                     ("ann", "long-enough", "agent")):
        with pytest.raises(InputError):
            directory.create(username, password, role)


def test_roles_and_defaults(setup):
    directory, store, _ = setup
    with pytest.raises(ForbiddenError):
        directory.require_admin(directory.login("ann", "correct-horse"))
    directory.require_admin(directory.login("root", "admin-pass-1"))
    assert directory.ensure_defaults([("admin", "admin-demo", "admin")]) == 0  # staff exist: nothing created
    empty = StaffDirectory(MemoryConversationStore(), hasher=FAST_HASH)
    assert empty.ensure_defaults([("admin", "admin-demo", "admin"), ("agent", "agent-demo", "agent")]) == 2
    assert empty.login("agent", "agent-demo").role == "agent"
