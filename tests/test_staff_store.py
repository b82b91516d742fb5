"""One contract suite for both staff stores (SQL on SQLite and PostgreSQL, and the in-memory fake):
accounts, sessions, known login addresses and the audit log."""

from __future__ import annotations

import pytest

from bot._schema import MIGRATIONS
from bot.staff import KNOWN_CLIENTS, MemoryStaffStore, SqlStaffStore, StaffAccount


@pytest.fixture(params=["sqlite", "postgresql", "memory"])
def staff_store(request, database_url):
    if request.param == "memory":
        return MemoryStaffStore()
    from recsys import Database

    return SqlStaffStore(Database(database_url(request.param)))


def _account(name="ann", role="agent"):
    return StaffAccount(name, role, "ab" * 32, "cd" * 16, 1.0)


def test_staff_accounts_and_sessions(staff_store):
    assert staff_store.staff_count() == 0
    assert staff_store.put_staff(_account()) and not staff_store.put_staff(_account())
    assert staff_store.put_staff(_account("bob", "admin"))
    assert staff_store.staff_count() == 2 and staff_store.staff_account("ann").role == "agent"
    ann = staff_store.staff_account("ann")
    assert (ann.disabled, ann.last_login, ann.created_at) == (False, None, 1.0)
    assert [a.username for a in staff_store.staff_accounts()] == ["ann", "bob"]
    staff_store.put_session("h1", "ann", 10.0, 20.0)
    assert staff_store.session("h1") == ("ann", 20.0) and staff_store.session("h2") is None
    staff_store.drop_session("h1")
    assert staff_store.session("h1") is None


def test_staff_password_and_disabled_flag(staff_store):
    staff_store.put_staff(_account())
    assert staff_store.set_password("ann", "ef" * 32, "01" * 16)
    assert (staff_store.staff_account("ann").password_hash, staff_store.staff_account("ann").salt) == (
        "ef" * 32,
        "01" * 16,
    )
    assert staff_store.set_disabled("ann", True) and staff_store.staff_account("ann").disabled
    assert staff_store.set_disabled("ann", False) and not staff_store.staff_account("ann").disabled
    assert not staff_store.set_password("nobody", "ef" * 32, "01" * 16) and not staff_store.set_disabled(
        "nobody", True
    )
    assert staff_store.staff_account("nobody") is None


def test_drop_sessions_of_one_account_keeping_one(staff_store):
    staff_store.put_staff(_account())
    staff_store.put_staff(_account("bob"))
    for h, user in (("a1", "ann"), ("a2", "ann"), ("a3", "ann"), ("b1", "bob")):
        staff_store.put_session(h, user, 10.0, 20.0)
    assert staff_store.drop_sessions("ann", keep="a2") == 2
    assert [staff_store.session(h) is not None for h in ("a1", "a2", "a3", "b1")] == [
        False,
        True,
        False,
        True,
    ]
    assert staff_store.drop_sessions("ann") == 1 and staff_store.session("a2") is None
    assert staff_store.drop_sessions("nobody") == 0 and staff_store.session("b1") == ("bob", 20.0)


def test_known_clients_and_last_login(staff_store):
    staff_store.put_staff(_account())
    staff_store.put_staff(_account("bob"))
    assert staff_store.known_client("ann", "tag-a") is None
    staff_store.login_succeeded("ann", "tag-a", 50.0)
    staff_store.login_succeeded("ann", "tag-a", 60.0)  # the same client again: one row, newer time
    staff_store.login_succeeded("ann", None, 70.0)  # no address (the CLI, a test): only the last login
    assert (
        staff_store.known_client("ann", "tag-a") == 60.0
        and staff_store.staff_account("ann").last_login == 70.0
    )
    assert (
        staff_store.known_client("bob", "tag-a") is None
        and staff_store.staff_account("bob").last_login is None
    )
    for i in range(KNOWN_CLIENTS + 5):  # only the most recent clients are kept
        staff_store.login_succeeded("ann", f"tag-{i:02d}", 100.0 + i)
    assert (
        staff_store.known_client("ann", "tag-a") is None and staff_store.known_client("ann", "tag-04") is None
    )
    assert staff_store.known_client("ann", "tag-05") == 105.0
    assert staff_store.known_client("ann", f"tag-{KNOWN_CLIENTS + 4:02d}") == 100.0 + KNOWN_CLIENTS + 4
    staff_store.login_succeeded("bob", "tag-b", 1.0)
    staff_store.forget_clients("ann")
    assert (
        staff_store.known_client("ann", "tag-05") is None and staff_store.known_client("bob", "tag-b") == 1.0
    )


def test_audit_log_is_newest_first(staff_store):
    staff_store.audit("ann", "claim", "c1", "", 1.0)
    staff_store.audit("ann", "reply", "c1", "message 3", 2.0)
    staff_store.audit("ann", "login", None, "", 3.0, "203.0.113.7")
    log = staff_store.audit_log()
    assert [r["action"] for r in log] == ["login", "reply", "claim"] and log[1]["detail"] == "message 3"
    assert log[0] == {
        "actor": "ann",
        "action": "login",
        "conversation_id": None,
        "detail": "",
        "at": 3.0,
        "client": "203.0.113.7",
    }
    assert log[1]["client"] is None
    assert len(staff_store.audit_log(limit=1)) == 1


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_migration_3_upgrades_a_database_made_by_migration_2(kind, database_url):
    """A database from before migration 3 (hard lock columns, no client on audit rows) keeps its
    accounts, sessions and audit rows, and gains the new columns and the known-clients table."""
    from sqlalchemy import text

    from recsys import Database

    url = database_url(kind)
    old = Database(url)
    assert old.migrate("bot", MIGRATIONS[:2]) == 2
    with old.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO staff_accounts (username, role, password_hash, salt, created_at, "
                "failed_logins, locked_until) VALUES ('ann', 'admin', :h, :s, 1.0, 4, 99.0)"
            ),
            {"h": "ab" * 32, "s": "cd" * 16},
        )
        conn.execute(text("INSERT INTO staff_sessions VALUES ('h1', 'ann', 1.0, 50.0)"))
        conn.execute(
            text("INSERT INTO audit_log (actor, action, detail, at) VALUES ('ann', 'login', '', 2.0)")
        )
    old.dispose()
    store = SqlStaffStore(Database(url))
    assert store.db.applied("bot") == len(MIGRATIONS) == 3
    ann = store.staff_account("ann")
    assert (ann.role, ann.disabled, ann.last_login) == ("admin", False, None)
    assert store.session("h1") == ("ann", 50.0)
    assert store.audit_log()[0]["client"] is None
    store.login_succeeded("ann", "tag", 5.0)
    store.audit("ann", "login", None, "", 5.0, "198.51.100.2")
    assert store.known_client("ann", "tag") == 5.0 and store.audit_log()[0]["client"] == "198.51.100.2"
    assert store.set_disabled("ann", True) and store.staff_account("ann").disabled
