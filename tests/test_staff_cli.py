"""``shoptalk staff list|add|passwd|disable|enable|revoke`` on the shop's database (in-process)."""

from __future__ import annotations

import json

import pytest
from conftest import MINI_SHOP
from typer.testing import CliRunner

from bot._errors import AuthError
from bot.cli import app
from bot.cli._app import services
from bot.staff import SqlStaffStore, StaffDirectory

SHOP = ["--shop", str(MINI_SHOP)]


@pytest.fixture
def cli():
    runner = CliRunner()

    def run(*args: str, input: str | None = None, ok: bool = True):
        result = runner.invoke(app, ["staff", *args, *SHOP], input=input)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    return run


def directory() -> StaffDirectory:
    return StaffDirectory(SqlStaffStore(services(MINI_SHOP).db))


def test_add_list_and_the_password_rules(cli):
    assert "No staff accounts yet" in cli("list").output
    assert (
        "created admin boss"
        in cli("add", "boss", "--role", "admin", "--password-stdin", input="tulip meadow river\n").output
    )
    weak = cli("add", "carl", "--password-stdin", input="password1234\n", ok=False)
    assert weak.exit_code != 0 and "common" in str(weak.exception)
    typed = cli(
        "add", "carl", input="correct horse battery\ncorrect horse battery\n"
    )  # prompted twice, hidden
    assert "created agent carl" in typed.output
    rows = json.loads(cli("list", "--json").output)
    assert [(r["username"], r["role"], r["disabled"]) for r in rows] == [
        ("boss", "admin", False),
        ("carl", "agent", False),
    ]
    assert directory().login("carl", "correct horse battery").role == "agent"


def test_passwd_disable_enable_revoke(cli):
    cli("add", "boss", "--role", "admin", "--password-stdin", input="tulip meadow river\n")
    cli("add", "carl", "--password-stdin", input="correct horse battery\n")
    d = directory()
    s = d.login("carl", "correct horse battery")
    assert (
        "1 session(s) ended" in cli("passwd", "carl", "--password-stdin", input="a brand new secret\n").output
    )
    with pytest.raises(AuthError):
        d.session(s.token)
    s = d.login("carl", "a brand new secret")
    assert "disabled carl; 1 session(s) ended" in cli("disable", "carl").output
    assert json.loads(cli("list", "--json").output)[1]["disabled"] is True
    cli("enable", "carl")
    d.login("carl", "a brand new secret")
    d.login("carl", "a brand new secret")
    assert "2 session(s) of carl ended" in cli("revoke", "carl").output
    refused = cli("disable", "boss", ok=False)
    assert "only enabled admin" in str(refused.exception)
    missing = cli("passwd", "nobody", "--password-stdin", input="a brand new secret\n", ok=False)
    assert "No staff account" in str(missing.exception)
    actions = [r["action"] for r in d.store.audit_log(100) if r["actor"].startswith("cli")]
    assert {"create_staff", "set_password", "disable_staff", "enable_staff", "revoke_sessions"} <= set(
        actions
    )
