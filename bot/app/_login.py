"""The staff login form shared by ``/console`` and ``/analytics``.

The staff session token is kept in a ``gr.BrowserState`` (encrypted localStorage) with one
storage key and secret for both pages, so logging in on the console also opens analytics.
The secret is made per process: a restarted server cannot read old entries, and those
sessions ask for a new login (the service expires them anyway).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import gradio as gr

from retrieval import ShopTalkError

from ._render import escape_md

STAFF_STORAGE_KEY = "shoptalk-staff-session"


@dataclass
class LoginForm:
    box: gr.Column
    username: gr.Textbox
    password: gr.Textbox
    button: gr.Button
    message: gr.Markdown


def new_secret() -> str:
    return secrets.token_urlsafe(24)


def staff_state(secret: str) -> gr.BrowserState:
    return gr.BrowserState(None, storage_key=STAFF_STORAGE_KEY, secret=secret)


def login_form(title: str) -> LoginForm:
    with gr.Column(visible=True, elem_id="st-login") as box:
        gr.Markdown(f"### {title}\nSign in with your staff account.")
        username = gr.Textbox(label="Username", elem_id="st-username", max_lines=1)
        password = gr.Textbox(label="Password", type="password", elem_id="st-password", max_lines=1)
        button = gr.Button("Log in", variant="primary", elem_id="st-login-button")
        message = gr.Markdown(elem_id="st-login-message")
    return LoginForm(box, username, password, button, message)


def try_login(chat, username: str, password: str):
    """(session, error text): the service's own message on failure (wrong password, locked)."""
    try:
        return chat.login(username or "", password or ""), ""
    except ShopTalkError as exc:
        return None, f"**{escape_md(str(exc))}**"


def current_session(chat, token: str | None):
    """The live ``StaffSession`` for a stored token, or None (missing, expired, logged out)."""
    if not token:
        return None
    try:
        return chat.staff(token)
    except ShopTalkError:
        return None
