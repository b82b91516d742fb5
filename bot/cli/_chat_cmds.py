"""Conversation commands: ``shoptalk ask`` (one question, optionally JSON) and ``shoptalk chat``."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import typer

from retrieval import InputError

from ..assistant import Delta, Reply, Routed, Session
from ._app import ShopOption, app, services

UserOption = typer.Option(
    None,
    "--user",
    help="Shopper id: a customer id signs that customer in; anything else is an anonymous shopper.",
)


def _session(svc, user: str | None) -> Session:
    if user and user in svc.shop.customers:
        return Session(user, user)
    user_id = user or "anonymous-cli"
    svc.event_store.register_users([user_id])
    return Session(user_id)


@app.command()
def ask(
    question: str = typer.Argument(..., help="The shopper's question."),
    shop: Path | None = ShopOption,
    user: str | None = UserOption,
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object (DESIGN.md contract 2)."),
) -> None:
    """Ask the assistant one question."""
    t0 = time.perf_counter()
    svc = services(shop)
    assistant = svc.assistant
    startup_ms = (time.perf_counter() - t0) * 1000
    state = assistant.new_state(_session(svc, user))
    reply = assistant.respond(state, question)
    if as_json:
        out = reply.as_json()
        out["latency_ms"]["startup"] = round(startup_ms, 1)
        typer.echo(json.dumps(out, ensure_ascii=False))
        return
    typer.echo(reply.text)
    if reply.citations:
        typer.secho("sources: " + ", ".join(reply.citations), fg=typer.colors.BRIGHT_BLACK)


@app.command()
def chat(shop: Path | None = ShopOption, user: str | None = UserOption) -> None:
    """A conversation in the terminal (type 'quit' to leave)."""
    svc = services(shop)
    typer.secho("loading the assistant...", fg=typer.colors.BRIGHT_BLACK, err=True)
    assistant = svc.assistant
    state = assistant.new_state(_session(svc, user))
    who = svc.shop.customers[user].name if user in svc.shop.customers else "anonymous shopper"
    typer.secho(f"Chatting with {svc.shop.name} as {who}. Type 'quit' to leave.", fg=typer.colors.GREEN)
    while True:
        try:
            text = input("you> ").strip()
        except (EOFError, KeyboardInterrupt):
            typer.echo()
            return
        if text.lower() in ("quit", "exit", "bye!"):
            return
        if not text:
            continue
        try:
            for event in assistant.stream(state, text):
                if isinstance(event, Routed):
                    typer.secho(f"[{event.route}]", fg=typer.colors.BRIGHT_BLACK)
                elif isinstance(event, Delta):
                    sys.stdout.write(event.text)
                    sys.stdout.flush()
                elif isinstance(event, Reply):
                    typer.echo()
                    if event.citations:
                        typer.secho("sources: " + ", ".join(event.citations), fg=typer.colors.BRIGHT_BLACK)
                    if event.escalated:
                        reason = event.handoff.reason if event.handoff else "requested"
                        typer.secho(f"(handed off to staff: {reason})", fg=typer.colors.YELLOW)
                        return
        except InputError as exc:
            typer.secho(f"error: {exc}", fg=typer.colors.RED)
