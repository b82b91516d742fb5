"""The staff login form shared by ``/console`` and ``/analytics``.

The staff session token lives in a server-side, per-tab ``gr.State`` (``staff_state``): Gradio
keeps State values in the server's session store and sends ``None`` to the browser in their
place, so the token never reaches the page, its localStorage or its run history. (It used to
be a ``gr.BrowserState``: encrypted localStorage, with the key's secret shipped to the same
browser, so anyone with the browser's storage had the session.) The price is one login per
tab and page: the console and analytics each ask for their own, and a reload asks again.
Logging out ends the session in the service and clears the State.

The login and logout events are private (``PRIVATE``) like every other event, and the login
passes the client address so the core can throttle password guessing per address.
"""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from retrieval import ShopTalkError

from ._events import client_address
from ._render import escape_md


@dataclass
class LoginForm:
    box: gr.Column
    username: gr.Textbox
    password: gr.Textbox
    button: gr.Button
    message: gr.Markdown


def staff_state() -> gr.State:
    """The tab's staff session token (None: signed out); kept on the server, never in the browser."""
    return gr.State(None)


def login_form(title: str) -> LoginForm:
    with gr.Column(visible=True, elem_id="st-login") as box:
        gr.Markdown(f"### {title}\nSign in with your staff account.")
        username = gr.Textbox(label="Username", elem_id="st-username", max_lines=1)
        password = gr.Textbox(label="Password", type="password", elem_id="st-password", max_lines=1)
        button = gr.Button("Log in", variant="primary", elem_id="st-login-button")
        message = gr.Markdown(elem_id="st-login-message")
    return LoginForm(box, username, password, button, message)


def try_login(chat, username: str, password: str, request: gr.Request | None = None):
    """(session, error text): the service's own message on failure (wrong password, locked, rate limited)."""
    try:
        return chat.staff.login(username or "", password or "", client=client_address(chat, request)), ""
    except ShopTalkError as exc:
        return None, f"**{escape_md(str(exc))}**"


def current_session(chat, token: str | None):
    """The live ``StaffSession`` for a stored token, or None (missing, expired, logged out)."""
    if not token:
        return None
    try:
        return chat.staff.session(token)
    except ShopTalkError:
        return None
