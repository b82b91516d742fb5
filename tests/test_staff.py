"""Staff accounts: hashing, password rules, sessions, roles, account management, first-start
defaults and the audit trail (memory, SQLite and PostgreSQL stores).

Login throttling (no hard lock, known addresses, identical answers) is in test_staff_login.py.
"""

from __future__ import annotations

import logging

import pytest
from chat_kit import FAST_HASH

from bot._errors import AuthError, ForbiddenError
from bot._settings import DEMO_STAFF
from bot.staff import (
    SESSION_SECONDS,
    Hasher,
    MemoryStaffStore,
    SqlStaffStore,
    StaffDirectory,
    password_problem,
)
from bot.staff._accounts import DEMO_LOGIN
from retrieval import ConfigError, InputError, NotFoundError

ANN_PW = "correct horse battery"
ROOT_PW = "staple tulip meadow 9"


class Clock:
    def __init__(self, now: float = 1_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def make_store(kind: str, database_url):
    if kind == "memory":
        return MemoryStaffStore()
    from recsys import Database

    return SqlStaffStore(Database(database_url(kind)))


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def setup(request, database_url):
    store = make_store(request.param, database_url)
    clock = Clock()
    directory = StaffDirectory(store, hasher=FAST_HASH, clock=clock)
    directory.create("ann", ANN_PW, "agent")
    directory.create("root", ROOT_PW, "admin")
    return directory, store, clock


def actions(store) -> list[str]:
    return [r["action"] for r in reversed(store.audit_log(1000))]


def test_passwords_are_salted_scrypt_hashes(setup):
    directory, store, _ = setup
    directory.create("bob", ANN_PW, "agent")  # same password as ann
    ann, bob = store.staff_account("ann"), store.staff_account("bob")
    assert ann.salt != bob.salt and ann.password_hash != bob.password_hash
    assert ANN_PW not in ann.password_hash and len(bytes.fromhex(ann.password_hash)) == 32
    assert FAST_HASH.verify(ANN_PW, ann) and not FAST_HASH.verify("wrong", ann)


def test_default_cost_is_the_production_one():
    assert Hasher().n == 2**14 and Hasher().r == 8


def test_login_logout_and_session_expiry(setup):
    directory, store, clock = setup
    s = directory.login("Ann", ANN_PW)  # usernames are case-insensitive
    assert (s.username, s.role, s.expires_at) == ("ann", "agent", clock.now + SESSION_SECONDS)
    assert directory.session(s.token).username == "ann"
    assert store.session(s.token) is None  # only the token's hash is stored
    clock.now += SESSION_SECONDS + 1
    with pytest.raises(AuthError, match="expired"):
        directory.session(s.token)
    s2 = directory.login("ann", ANN_PW)
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
    assert type(unknown.value) is type(wrong.value)


def test_there_is_no_hard_lock(setup):
    directory, store, _ = setup
    for _ in range(8):  # more than the old five-failure lock, fewer than the per-address limit
        with pytest.raises(AuthError, match="Wrong"):
            directory.login("ann", "guess", client="198.51.100.1")
    assert directory.login("ann", ANN_PW, client="198.51.100.1").username == "ann"
    assert "login_locked" not in actions(store) and actions(store).count("login_failed") == 8


# -- password rules ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "password, problem",
    [
        ("short-pw", "too short"),
        ("a" * 11, "too short"),
        ("aaaaaaaaaaaaaaaa", "too few"),
        ("abababcabcabcab", "too few"),
        ("x" * 300, "too long"),
        ("carl-is-my-name", "username"),
        ("CARLcarl-secret", "username"),
        ("Password123!", "common"),
        ("password1234", "common"),
        ("changeme-2024", "common"),
        ("!!changeme!!", "common"),
        ("admin-demo", "too short"),
        ("admin-demo2024", "common"),
        ("123456789012", "common"),
        ("qwertyuiop12", "common"),
    ],
)
def test_weak_passwords_are_refused_with_what_to_do(password, problem):
    found = password_problem(password, "carl")
    assert found is not None and problem in found.lower()
    assert any(word in found for word in ("use", "choose"))  # says what to do


@pytest.mark.parametrize("password", ["correct horse battery", "tulip-meadow-river", "Zebra7!quiet#lamp"])
def test_good_passwords_pass(password):
    assert password_problem(password, "carl") is None


def test_account_validation(setup):
    directory, _, _ = setup
    for username, password, role in (
        ("a", "long-enough-pw", "agent"),
        ("Bad Name", "long-enough-pw", "agent"),
        ("carl", "short", "agent"),
        ("carl", "long-enough-pw", "boss"),
        ("ann", "long-enough-pw", "agent"),
        ("carl", "carl-the-agent", "agent"),
        ("carl", "password1234", "agent"),
        ("carl", "long-enough", "agent"),
    ):
        with pytest.raises(InputError):
            directory.create(username, password, role)


# -- demo passwords and first start -----------------------------------------------------------------
def test_production_refuses_demo_passwords_for_new_accounts_and_logins(setup):
    directory, store, clock = setup
    demo_pw = DEMO_STAFF[1][1]
    directory.create("demo-agent", demo_pw, "agent", check=False)  # made by a demo, before going live
    prod = StaffDirectory(store, hasher=FAST_HASH, clock=clock, production=True)
    with pytest.raises(InputError, match="[Dd]emo"):
        prod.create("carl", demo_pw, "agent", check=False)
    with pytest.raises(AuthError) as refused:
        prod.login("demo-agent", demo_pw)
    assert str(refused.value) == DEMO_LOGIN.format(username="demo-agent")
    assert "shoptalk staff passwd demo-agent" in str(refused.value)
    with pytest.raises(AuthError, match="Wrong username or password"):  # a wrong password learns nothing
        prod.login("demo-agent", "not-the-demo-one")
    assert actions(store)[-2:] == ["login_demo_password", "login_failed"]
    prod.set_password("demo-agent", "a brand new secret", actor="root")
    assert prod.login("demo-agent", "a brand new secret").username == "demo-agent"
    # Outside production the demo password still logs in (a demo, or a server on loopback).
    directory.create("demo-admin", DEMO_STAFF[0][1], "admin", check=False)
    assert directory.login("demo-admin", DEMO_STAFF[0][1]).role == "admin"


def test_demo_password_check_costs_no_extra_hash(setup):
    _, store, clock = setup
    counting = CountingHasher()
    prod = StaffDirectory(store, hasher=counting, clock=clock, production=True)
    StaffDirectory(store, hasher=FAST_HASH, clock=clock).create(
        "demo-agent", DEMO_STAFF[1][1], "agent", check=False
    )  # from a demo
    counting.calls = 0
    with pytest.raises(AuthError, match="demo password"):
        prod.login("demo-agent", DEMO_STAFF[1][1])
    assert counting.calls == 1


class CountingHasher:
    """A Hasher that counts how many scrypt hashes it computes."""

    def __init__(self) -> None:
        self.inner, self.calls = FAST_HASH, 0

    def hash(self, password: str, salt: bytes) -> str:
        self.calls += 1
        return self.inner.hash(password, salt)

    def verify(self, password, account) -> bool:
        import hmac

        return hmac.compare_digest(self.hash(password, bytes.fromhex(account.salt)), account.password_hash)


def test_defaults_outside_production_are_the_demo_accounts_with_a_warning(caplog):
    directory = StaffDirectory(MemoryStaffStore(), hasher=FAST_HASH)
    with caplog.at_level(logging.WARNING, logger="bot.staff._accounts"):
        assert directory.ensure_defaults(list(DEMO_STAFF)) == 2
    assert "demo passwords" in caplog.text and "shoptalk staff passwd" in caplog.text
    assert directory.login("agent", "agent-demo").role == "agent"
    assert directory.ensure_defaults(list(DEMO_STAFF)) == 0  # staff exist: nothing created


def test_defaults_in_production_refuse_demo_and_weak_passwords():
    for accounts, match in (
        ([("admin", "admin-demo", "admin")], "demo password"),
        ([("admin", "hunter2", "admin")], "too short"),
        ([("admin", "a strong one here", "admin"), ("agent", "agent-demo", "agent")], "demo password"),
    ):
        store = MemoryStaffStore()
        with pytest.raises(ConfigError, match=match) as refused:
            StaffDirectory(store, hasher=FAST_HASH, production=True).ensure_defaults(accounts)
        assert "SHOPTALK_ADMIN_PASSWORD" in str(refused.value) and "shoptalk staff add" in str(refused.value)
        assert store.staff_count() == 0  # nothing half-created


def test_defaults_in_production_without_a_password_create_nothing_and_say_how(caplog):
    store = MemoryStaffStore()
    directory = StaffDirectory(store, hasher=FAST_HASH, production=True)
    with caplog.at_level(logging.WARNING, logger="bot.staff._accounts"):
        assert directory.ensure_defaults([("admin", None, "admin"), ("agent", "", "agent")]) == 0
    assert store.staff_count() == 0 and "shoptalk staff add NAME --role admin" in caplog.text
    assert directory.ensure_defaults([("boss", "a strong one here", "admin"), ("agent", None, "agent")]) == 1
    assert directory.login("boss", "a strong one here").role == "admin"


# -- account management -----------------------------------------------------------------------------
def test_change_own_password_needs_the_current_one_and_ends_other_sessions(setup):
    directory, store, _ = setup
    here, elsewhere = directory.login("ann", ANN_PW), directory.login("ann", ANN_PW)
    with pytest.raises(InputError, match="current password"):
        directory.change_password("ann", "not it", "a brand new secret")
    with pytest.raises(InputError, match="too short"):
        directory.change_password("ann", ANN_PW, "tiny")
    with pytest.raises(InputError, match="same"):
        directory.change_password("ann", ANN_PW, ANN_PW)
    from bot.conversations import token_hash

    assert directory.change_password("ann", ANN_PW, "a brand new secret", keep=token_hash(here.token)) == 1
    assert directory.session(here.token).username == "ann"
    with pytest.raises(AuthError):
        directory.session(elsewhere.token)
    with pytest.raises(AuthError, match="Wrong"):
        directory.login("ann", ANN_PW)
    assert directory.login("ann", "a brand new secret").username == "ann"
    assert {"change_password_failed", "change_password"} <= set(actions(store))


def test_admin_sets_a_password_and_every_session_of_that_account_ends(setup):
    directory, store, _ = setup
    s = directory.login("ann", ANN_PW, client="203.0.113.5")
    assert store.known_client("ann", _tag("203.0.113.5")) is not None
    with pytest.raises(InputError, match="common"):
        directory.set_password("ann", "password1234", actor="root")
    assert directory.set_password("ann", "reset by the admin", actor="root") == 1
    with pytest.raises(AuthError):
        directory.session(s.token)
    assert store.known_client("ann", _tag("203.0.113.5")) is None  # a reset forgets its addresses
    assert directory.login("ann", "reset by the admin").username == "ann"
    row = next(r for r in store.audit_log() if r["action"] == "set_password")
    assert row["actor"] == "root" and row["detail"].startswith("ann")
    with pytest.raises(NotFoundError):
        directory.set_password("nobody", "reset by the admin", actor="root")


def _tag(address):
    from bot.safety import client_tag

    return client_tag(address)


def test_a_disabled_account_cannot_log_in_and_its_sessions_stop_at_once(setup):
    directory, store, _ = setup
    s = directory.login("ann", ANN_PW)
    store.put_session("extra", "ann", 0.0, 2e9)  # a session the disable does not know about
    assert directory.set_disabled("ann", True, actor="root") == 2  # disabling ends its sessions
    with pytest.raises(AuthError):
        directory.session(s.token)
    with pytest.raises(AuthError, match="This account is disabled"):
        directory.login("ann", ANN_PW)
    with pytest.raises(AuthError) as wrong:  # a wrong password still gets the generic answer
        directory.login("ann", "not the password")
    assert str(wrong.value) == "Wrong username or password"
    s2 = directory.login("root", ROOT_PW)
    store.set_disabled("root", True)  # even a session the directory did not end stops working
    with pytest.raises(AuthError, match="disabled"):
        directory.session(s2.token)
    store.set_disabled("root", False)
    directory.set_disabled("ann", False, actor="root")
    assert directory.login("ann", ANN_PW).username == "ann"
    assert {"disable_staff", "enable_staff", "login_disabled"} <= set(actions(store))


def test_no_one_disables_themselves_or_the_last_admin(setup):
    directory, _, _ = setup
    with pytest.raises(InputError, match="your own"):
        directory.set_disabled("root", True, actor="root")
    with pytest.raises(InputError, match="only enabled admin"):
        directory.set_disabled("root", True, actor="cli")
    directory.create("root2", "another admin pw", "admin")
    assert directory.set_disabled("root", True, actor="root2") == 0
    with pytest.raises(NotFoundError):
        directory.set_disabled("nobody", True, actor="root2")


def test_revoke_ends_every_session_and_keeps_the_account(setup):
    directory, store, _ = setup
    sessions = [directory.login("ann", ANN_PW) for _ in range(3)]
    other = directory.login("root", ROOT_PW)
    assert directory.revoke_sessions("ann", actor="root") == 3
    for s in sessions:
        with pytest.raises(AuthError):
            directory.session(s.token)
    assert directory.session(other.token).username == "root"
    assert directory.login("ann", ANN_PW).username == "ann"
    assert "revoke_sessions" in actions(store)


def test_accounts_list_with_last_login(setup):
    directory, _, clock = setup
    assert [(a.username, a.role, a.disabled, a.last_login) for a in directory.accounts()] == [
        ("ann", "agent", False, None),
        ("root", "admin", False, None),
    ]
    clock.now += 60
    directory.login("ann", ANN_PW)
    assert directory.account("ann").last_login == clock.now
    assert directory.account("ANN").created_at == clock.now - 60


def test_roles(setup):
    directory, _, _ = setup
    with pytest.raises(ForbiddenError):
        directory.require_admin(directory.login("ann", ANN_PW))
    directory.require_admin(directory.login("root", ROOT_PW))
