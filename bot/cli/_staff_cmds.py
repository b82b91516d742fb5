"""``shoptalk staff``: staff accounts on the shop's database (list, add, passwd, disable, enable, revoke).

For the operator at the server: no staff session is needed, so these are how the first admin
is made in production and how a locked-out or compromised account is recovered. Every action
is written to the audit log with the actor ``cli:<os user>``. Only the database is opened (no model, no
indexes), so the commands start instantly.
"""

from __future__ import annotations

import getpass
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import typer

from retrieval import InputError

from ..staff import MIN_PASSWORD, SqlStaffStore, StaffDirectory, password_problem
from ._app import ShopOption, app, services

staff_app = typer.Typer(
    no_args_is_help=True, help="Staff accounts: list, add, set passwords, disable/enable, end sessions."
)
app.add_typer(staff_app, name="staff")


def _actor() -> str:
    """Who the audit log names: ``cli:<os user>`` (':' is not allowed in usernames, so no account
    can be mistaken for it)."""
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no user name in this environment (some containers)
        return "cli"


ACTOR = _actor()
PasswordStdin = typer.Option(
    False, "--password-stdin", help="Read the password from the first line of standard input (scripts)."
)


def _directory(shop: Path | None) -> StaffDirectory:
    svc = services(shop)
    # production=True: the strictest rules (the CLI never logs in, so this only refuses demo passwords).
    return StaffDirectory(SqlStaffStore(svc.db), production=True)


def _password(username: str, from_stdin: bool) -> str:
    """The new password: one line of stdin, or typed twice without echo; checked before any hashing."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        typer.echo(
            f"Passwords need at least {MIN_PASSWORD} characters, at least 5 different ones, not the "
            "username and not a common password.",
            err=True,
        )
        password = typer.prompt(f"New password for {username}", hide_input=True, confirmation_prompt=True)
    if (problem := password_problem(password, username)) is not None:
        raise InputError(problem)
    return password


def _when(at: float | None) -> str:
    return "-" if at is None else datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%d %H:%M UTC")


@staff_app.command("list")
def list_staff(shop: Path | None = ShopOption, as_json: bool = typer.Option(False, "--json")) -> None:
    """Every staff account: role, disabled, created, last login."""
    accounts = _directory(shop).accounts()
    if as_json:
        typer.echo(
            json.dumps(
                [
                    {
                        "username": a.username,
                        "role": a.role,
                        "disabled": a.disabled,
                        "created_at": a.created_at,
                        "last_login": a.last_login,
                    }
                    for a in accounts
                ]
            )
        )
        return
    if not accounts:
        typer.echo("No staff accounts yet; create the first admin: shoptalk staff add NAME --role admin")
        return
    typer.echo(f"{'username':20s} {'role':6s} {'status':9s} {'created':21s} last login")
    for a in accounts:
        typer.echo(
            f"{a.username:20s} {a.role:6s} {'disabled' if a.disabled else 'enabled':9s} "
            f"{_when(a.created_at):21s} {_when(a.last_login)}"
        )


@staff_app.command("add")
def add(
    username: str = typer.Argument(..., help="2-40 characters: a-z, 0-9, '.', '_', '-'."),
    role: Literal["agent", "admin"] = typer.Option("agent", "--role"),
    shop: Path | None = ShopOption,
    password_stdin: bool = PasswordStdin,
) -> None:
    """Create a staff account (the password is asked for twice, hidden)."""
    directory = _directory(shop)
    password = _password(username.strip().lower(), password_stdin)
    account = directory.create(username, password, role, actor=ACTOR)
    typer.echo(f"created {account.role} {account.username}")


@staff_app.command("passwd")
def passwd(
    username: str = typer.Argument(...), shop: Path | None = ShopOption, password_stdin: bool = PasswordStdin
) -> None:
    """Set an account's password; its sessions end and it must log in again."""
    directory = _directory(shop)
    account = directory.account(username)
    ended = directory.set_password(account.username, _password(account.username, password_stdin), actor=ACTOR)
    typer.echo(f"password set for {account.username}; {ended} session(s) ended")


@staff_app.command("disable")
def disable(username: str = typer.Argument(...), shop: Path | None = ShopOption) -> None:
    """Refuse the account's logins and end its sessions at once."""
    directory = _directory(shop)
    ended = directory.set_disabled(username, True, actor=ACTOR)
    typer.echo(f"disabled {directory.account(username).username}; {ended} session(s) ended")


@staff_app.command("enable")
def enable(username: str = typer.Argument(...), shop: Path | None = ShopOption) -> None:
    """Let a disabled account log in again."""
    directory = _directory(shop)
    directory.set_disabled(username, False, actor=ACTOR)
    typer.echo(f"enabled {directory.account(username).username}")


@staff_app.command("revoke")
def revoke(username: str = typer.Argument(...), shop: Path | None = ShopOption) -> None:
    """End every session of the account (it stays enabled)."""
    directory = _directory(shop)
    ended = directory.revoke_sessions(username, actor=ACTOR)
    typer.echo(f"{ended} session(s) of {directory.account(username).username} ended")
