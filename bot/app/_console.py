"""The staff console (``/console``): live queue, claim, transcript with sources, shopper profile,
drafted and canned replies, private notes, hand back and resolve.

Design decisions:

* The timer refreshes the queue and the open conversation every ``REFRESH_SECONDS``, but only
  pushes what changed (``gr.skip()`` otherwise), so an open dropdown or a half-typed reply is
  not reset under the agent's cursor.
* The open conversation is re-read (``ChatService.detail``, which writes an audit row) only
  when its fingerprint in the queue or in "mine" moved: new activity, a status change. A
  quiet conversation costs no detail call and no audit row per tick.
* Every action re-reads the staff session from the tab's token (server-side ``gr.State``,
  see ``_login``); an expired session shows the login form again, and clears the token,
  instead of an error per click. A fresh tab is always signed out: there is nothing to
  restore on load.
* Every event is private (``_events.PRIVATE``); each acts only on the session in this tab's
  State, so calling one by index without logging in does nothing.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from retrieval import ShopTalkError

from ._events import PRIVATE
from ._login import current_session, login_form, staff_state, try_login
from ._render import escape_md
from ._render_staff import (
    QUEUE_HEADERS,
    behaviour_markdown,
    conversation_choices,
    conversation_markdown,
    orders_markdown,
    profile_markdown,
    queue_rows,
    short_id,
    transcript_html,
)

REFRESH_SECONDS = 2.0
MODEL_LIMIT = 2  # drafting runs the model, like a bot turn
LIGHT_LIMIT = 16
CONSOLE: dict[str, Any] = {"concurrency_id": "console", "concurrency_limit": LIGHT_LIMIT, **PRIVATE}


def _fingerprint(conversation_id: str | None, queue, mine) -> tuple:
    if not conversation_id:
        return ()
    for q in queue:
        if q.conversation_id == conversation_id:
            return ("waiting", q.last_message)
    for c in mine:
        if c.id == conversation_id:
            return ("human", c.updated_at)
    return ("elsewhere",)


def build_console_page(demo: gr.Blocks, chat) -> None:
    products = chat.shop.products
    names = {cid: c.name for cid, c in chat.shop.customers.items()}
    token = staff_state()
    selected = gr.State(None)  # conversation id on screen
    seen = gr.State({})  # what the screen shows: rows, choices, fingerprint

    gr.Markdown("## Staff console")
    login = login_form("Staff login")
    with gr.Column(visible=False, elem_id="st-desk") as desk:
        with gr.Row():
            who = gr.Markdown(elem_id="st-who")
            logout = gr.Button("Log out", size="sm", scale=0, min_width=100)
        gr.Markdown("#### Waiting for a person")
        # datatype "str": cells are text (a shopper's last message is never rendered as markdown or HTML).
        table = gr.Dataframe(
            headers=QUEUE_HEADERS,
            value=[],
            interactive=False,
            wrap=True,
            elem_id="st-queue",
            datatype="str",
            column_widths=["10%", "10%", "8%", "14%", "18%", "40%"],
        )
        with gr.Row(equal_height=False):
            picker = gr.Dropdown(
                [], label="Open a conversation", elem_id="st-pick", interactive=True, scale=4
            )
            claim = gr.Button(
                "Claim",
                variant="primary",
                elem_id="st-claim",
                interactive=False,
                scale=1,
                elem_classes="st-align-end",
            )
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                header = gr.Markdown("_Pick a conversation from the queue._", elem_id="st-conv")
                transcript = gr.HTML(elem_id="st-transcript")
                with gr.Row(equal_height=False):
                    draft = gr.Button(
                        "Draft reply", size="sm", elem_id="st-draft", scale=1, elem_classes="st-align-end"
                    )
                    canned = gr.Dropdown(
                        label="Canned responses",
                        choices=_canned(chat),
                        value=None,
                        elem_id="st-canned",
                        scale=3,
                    )
                reply_box = gr.Textbox(label="Reply to the shopper", lines=3, elem_id="st-reply")
                send = gr.Button("Send reply", variant="primary", elem_id="st-send-reply")
                with gr.Row(equal_height=False):
                    note_box = gr.Textbox(
                        label="Private note (staff only)", lines=1, scale=3, elem_id="st-note"
                    )
                    add_note = gr.Button(
                        "Add note", size="sm", scale=1, elem_id="st-add-note", elem_classes="st-align-end"
                    )
                with gr.Row():
                    hand_back = gr.Button("Hand back to the bot", size="sm", elem_id="st-hand-back")
                    resolve = gr.Button("Resolve", size="sm", variant="stop", elem_id="st-resolve")
            with gr.Column(scale=2):
                gr.Markdown("#### Shopper")
                profile = gr.Markdown(elem_id="st-profile")
                gr.Markdown("#### Recent orders")
                orders = gr.Markdown(elem_id="st-orders")
                gr.Markdown("#### Behaviour")
                behaviour = gr.Markdown(elem_id="st-behaviour")
    timer = gr.Timer(REFRESH_SECONDS, active=False)

    detail_outputs = [header, transcript, profile, orders, behaviour, claim]

    def detail_values(tok: str | None, conversation_id: str | None) -> list:
        s = current_session(chat, tok)
        if s is None or not conversation_id:
            return ["_Pick a conversation from the queue._", "", "", "", "", gr.Button(interactive=False)]
        try:
            d = chat.staff.detail(s, conversation_id)
        except ShopTalkError as exc:
            return [f"**{escape_md(str(exc))}**", "", "", "", "", gr.Button(interactive=False)]
        customer = chat.shop.customers.get(d.conversation.customer_id or "")
        return [
            conversation_markdown(d.conversation, customer.name if customer else None),
            transcript_html(d.messages),
            profile_markdown(d.profile),
            orders_markdown(d.orders, products),
            behaviour_markdown(d.behaviour, products),
            gr.Button(interactive=d.conversation.status == "waiting"),
        ]

    # -- session: login, logout --------------------------------------------------------------
    def signed_in(s) -> list:
        return [
            gr.Column(visible=False),
            gr.Column(visible=True),
            f"Signed in as **{escape_md(s.username)}** ({s.role})",
            gr.Timer(active=True),
        ]

    def signed_out(message: str = "") -> list:
        return [gr.Column(visible=True), gr.Column(visible=False), "", gr.Timer(active=False), message]

    session_outputs = [login.box, desk, who, timer]

    def do_login(username: str, password: str, request: gr.Request):
        s, error = try_login(chat, username, password, request)
        if s is None:
            return [gr.skip(), *signed_out(error), ""]
        return [s.token, *signed_in(s), "", ""]

    login_outputs = [token, *session_outputs, login.message, login.password]
    login.button.click(do_login, [login.username, login.password], login_outputs, **CONSOLE)
    login.password.submit(do_login, [login.username, login.password], login_outputs, **CONSOLE)

    def do_logout(tok: str | None):
        if tok:
            chat.staff.logout(tok)
        return [None, *signed_out("You are logged out."), None, {}]

    logout.click(do_logout, token, [token, *session_outputs, login.message, selected, seen], **CONSOLE)

    # -- live refresh -----------------------------------------------------------------------
    def refresh(tok: str | None, conversation_id: str | None, shown: dict):
        s = current_session(chat, tok)
        if s is None:
            return [
                None,
                gr.skip(),
                gr.skip(),
                gr.skip(),
                *[gr.skip()] * len(detail_outputs),
                *signed_out("Your session has ended; log in again."),
            ]
        queue, mine = chat.staff.queue(s), chat.staff.mine(s)
        rows, choices = queue_rows(queue), conversation_choices(queue, mine, names)
        if conversation_id and conversation_id not in {value for _, value in choices}:
            choices.append((f"{short_id(conversation_id)} · not waiting or yours", conversation_id))
        fingerprint = _fingerprint(conversation_id, queue, mine)
        now = {"rows": rows, "choices": choices, "conversation": (conversation_id, fingerprint)}
        out = [
            gr.skip(),
            now,
            rows if rows != shown.get("rows") else gr.skip(),
            gr.Dropdown(choices=choices, value=conversation_id)
            if choices != shown.get("choices")
            else gr.skip(),
        ]
        if now["conversation"] != shown.get("conversation"):
            out += detail_values(tok, conversation_id)
        else:
            out += [gr.skip()] * len(detail_outputs)
        return out + [gr.skip()] * 5

    timer.tick(
        refresh,
        [token, selected, seen],
        [token, seen, table, picker, *detail_outputs, login.box, desk, who, timer, login.message],
        concurrency_id="console-poll",
        concurrency_limit=None,
        show_progress="hidden",
        **PRIVATE,
    )

    # -- opening and acting on a conversation ----------------------------------------------
    def open_conversation(tok: str | None, conversation_id: str | None, shown: dict):
        shown = {**shown, "conversation": None}  # the next tick re-fingerprints it
        return [conversation_id, shown, *detail_values(tok, conversation_id)]

    picker.input(open_conversation, [token, picker, seen], [selected, seen, *detail_outputs], **CONSOLE)

    def pick_row(tok: str | None, shown: dict, event: gr.SelectData):
        row = event.index[0] if isinstance(event.index, (list, tuple)) else event.index
        rows = shown.get("rows") or []
        choices = [value for _, value in shown.get("choices") or []]
        if not isinstance(row, int) or row >= len(rows) or row >= len(choices):
            return [gr.skip()] * (3 + len(detail_outputs))
        conversation_id = choices[row]  # the queue is listed first in the choices, in table order
        return [
            conversation_id,
            gr.Dropdown(value=conversation_id),
            {**shown, "conversation": None},
            *detail_values(tok, conversation_id),
        ]

    table.select(pick_row, [token, seen], [selected, picker, seen, *detail_outputs], **CONSOLE)

    def act(action):
        """Run a staff action on the open conversation, then show the conversation again."""

        def handler(tok: str | None, conversation_id: str | None, shown: dict):
            s = current_session(chat, tok)
            if s is None:
                gr.Warning("Your session has ended; log in again.")
                return [gr.skip(), *[gr.skip()] * len(detail_outputs)]
            if not conversation_id:
                gr.Warning("Pick a conversation first.")
                return [gr.skip(), *[gr.skip()] * len(detail_outputs)]
            try:
                action(s, conversation_id)
            except ShopTalkError as exc:
                gr.Warning(str(exc))
            return [{**shown, "conversation": None}, *detail_values(tok, conversation_id)]

        return handler

    for button, action in (
        (claim, lambda s, cid: chat.staff.claim(s, cid)),
        (hand_back, lambda s, cid: chat.staff.hand_back(s, cid)),
        (resolve, lambda s, cid: chat.staff.resolve(s, cid)),
    ):
        button.click(act(action), [token, selected, seen], [seen, *detail_outputs], **CONSOLE)

    def send_text(method):
        def handler(tok: str | None, conversation_id: str | None, shown: dict, text: str):
            s = current_session(chat, tok)
            if s is None or not conversation_id:
                gr.Warning("Log in and pick a conversation first.")
                return [gr.skip(), gr.skip(), *[gr.skip()] * len(detail_outputs)]
            try:
                method(s, conversation_id, text)
            except ShopTalkError as exc:
                gr.Warning(str(exc))
                return [gr.skip(), gr.skip(), *[gr.skip()] * len(detail_outputs)]
            return ["", {**shown, "conversation": None}, *detail_values(tok, conversation_id)]

        return handler

    send.click(
        send_text(lambda s, cid, text: chat.staff.reply(s, cid, text)),
        [token, selected, seen, reply_box],
        [reply_box, seen, *detail_outputs],
        **CONSOLE,
    )
    add_note.click(
        send_text(lambda s, cid, text: chat.staff.note(s, cid, text)),
        [token, selected, seen, note_box],
        [note_box, seen, *detail_outputs],
        **CONSOLE,
    )

    def make_draft(tok: str | None, conversation_id: str | None):
        s = current_session(chat, tok)
        if s is None or not conversation_id:
            gr.Warning("Log in and pick a conversation first.")
            return gr.skip()
        try:
            return chat.staff.draft(s, conversation_id)
        except ShopTalkError as exc:
            gr.Warning(str(exc))
            return gr.skip()

    draft.click(
        make_draft,
        [token, selected],
        reply_box,
        concurrency_id="model",
        concurrency_limit=MODEL_LIMIT,
        **PRIVATE,
    )
    canned.input(lambda text: text or gr.skip(), canned, reply_box, queue=False, **PRIVATE)


def _canned(chat) -> list[tuple[str, str]]:
    try:
        return list(chat.staff.canned())
    except ShopTalkError:  # a broken canned file must not take the console down
        return []
