"""The shopper page (``/``): streaming chat, product cards, recommendations, ads, handoff, CSAT.

Every handler is a thin adapter: call ``ChatService``, fold the result into the ``ChatView``
with the pure functions of ``_render``, hand the view to the components. Per-tab state (the
conversation token and the view) lives in ``gr.State``, never in module globals.

Concurrency: the model-bound ``post`` runs under one shared ``concurrency_id`` with a small
limit, so a burst of shoppers queues for the model instead of oversubscribing the CPU, while
polling, feedback and the buttons run on their own, higher limits. The poll timer is paused
while this tab's own message is being answered, so the two never overwrite each other's view.

Who the shopper is: every chat is anonymous unless the app was built with ``shoppers`` (the
demo selector, ``shoptalk serve --demo`` only). Without it the page has no selector and its
start handler takes no input at all, so no request can name a customer. With it, the start
handler maps the selected value through the configured entries on the server: a forged
value in a raw queue call is refused by the dropdown (Gradio checks values against its
choices) and, should one reach the handler anyway, starts an anonymous chat. Signed-in chats
for a real shop come from the shop's backend through the HTTP API and its shop key, never
from here.

Every event is private (``_events.PRIVATE``), and the handlers the core rate-limits (start,
post, feedback, CSAT, ad clicks) pass the client address; a ``RateLimited`` or ``Busy`` from
the core is a ``ShopTalkError`` and shows as a warning like any other.

The chat renders the bot's markdown, but with LaTeX off (``latex_delimiters=[]``), no custom
tags let through the sanitiser (``allow_tags=False``) and sanitising on; staff and system
text arrives already made plain text by ``_render.escape_md``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import gradio as gr

from retrieval import ShopTalkError

from ._events import PRIVATE, client_address
from ._render import (
    ChatView,
    ad_cards,
    add_shopper_text,
    apply_event,
    drop_pending,
    escape_md,
    merge_messages,
    product_cards,
    recommendation_cards,
    status_notice,
    with_ads,
)

log = logging.getLogger(__name__)

ANONYMOUS = "anonymous"
CONNECTING = "Connecting…"
PROMPT = "Type your question…"
MODEL_LIMIT = 2  # concurrent bot turns; the bundled model serialises generation anyway
LIGHT_LIMIT = 16  # buttons, feedback, start: database work only
LIGHT: dict[str, Any] = {"concurrency_id": "light", "concurrency_limit": LIGHT_LIMIT, **PRIVATE}
POLL_SECONDS = 1.5
AD_SLOTS = 2
QUICK_REPLIES = (
    ("Track my order", "Where is my order?"),
    ("Return policy", "What is your return policy?"),
    ("Recommend something", "Can you recommend something for me?"),
)


def demo_shoppers(shop_dir: str | Path, per_persona: int = 1) -> list[tuple[str, str | None]]:
    """Selector entries for a demo: anonymous, then one customer per persona (name and persona).

    Reads ``personas.json`` and ``customers.jsonl`` of the shop directory; a shop without
    personas lists its first few customers by name.
    """
    root = Path(shop_dir)
    names: dict[str, str] = {}
    customers = root / "customers.jsonl"
    if customers.exists():
        for line in customers.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                names[record["customer_id"]] = record.get("name") or record["customer_id"]
    out: list[tuple[str, str | None]] = [("Anonymous shopper", None)]
    personas_file = root / "personas.json"
    if not personas_file.exists():
        return out + [(f"{name} ({cid})", cid) for cid, name in list(names.items())[:8]]
    data = json.loads(personas_file.read_text(encoding="utf-8"))
    personas, users = data.get("personas", {}), data.get("users", {})
    taken: dict[str, int] = {}
    for cid in sorted(users):
        key = users[cid]
        if cid not in names or taken.get(key, 0) >= per_persona:
            continue
        taken[key] = taken.get(key, 0) + 1
        label = personas.get(key, {}).get("label", key)
        out.append((f"{names[cid]} · {label}", cid))
    return out


def _catalogue(chat) -> dict:
    return chat.shop.products


def build_shopper_page(
    demo: gr.Blocks, chat, shoppers: Sequence[tuple[str, str | None]] | None = None
) -> None:
    """Lay out the shopper page inside the current page context of ``demo``.

    ``shoppers``: the demo selector's (label, customer id or None) entries; None or empty
    means no selector, and every chat is anonymous.
    """
    products = _catalogue(chat)
    # Not in the ChatService contract yet: without it the strip stays empty and its button hidden.
    can_recommend = hasattr(chat, "recommendations")
    choices = [(label, cid or ANONYMOUS) for label, cid in shoppers or ()]
    # The only customers a chat can start as: decided here, on the server, not by the request.
    allowed = {value: label for label, value in choices if value != ANONYMOUS}
    token = gr.State(None)
    view = gr.State(ChatView())
    pending = gr.State("")

    with gr.Row(equal_height=False):
        gr.Markdown("## ShopTalk\nAsk about products, orders, shipping and returns.")
        who = (
            gr.Dropdown(
                choices,
                value=choices[0][1],
                label="Shopping as (demo)",
                elem_id="st-shopper",
                interactive=len(choices) > 1,
                scale=0,
                min_width=320,
            )
            if choices
            else None
        )
    identity = gr.Markdown(elem_id="st-identity")
    notice = gr.Markdown(elem_id="st-notice")
    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            chatbot = gr.Chatbot(
                elem_id="st-chat",
                height=480,
                label="Chat",
                feedback_options=("Like", "Dislike"),
                group_consecutive_messages=False,
                sanitize_html=True,
                allow_tags=False,
                latex_delimiters=[],
                placeholder="**Hi! I'm the shop assistant.**<br>Ask me to find a product, "
                "compare two, track an order or explain a policy.",
            )
            with gr.Row():
                # Not editable until the page's conversation exists (``start`` below unlocks it).
                msg = gr.Textbox(
                    placeholder=CONNECTING,
                    show_label=False,
                    scale=5,
                    max_lines=4,
                    elem_id="st-input",
                    autofocus=True,
                    interactive=False,
                )
                send = gr.Button("Send", variant="primary", scale=1, min_width=80, elem_id="st-send")
            with gr.Row():
                quick = [gr.Button(label, size="sm", elem_classes="st-quick") for label, _ in QUICK_REPLIES]
                human = gr.Button("Talk to a human", size="sm", elem_id="st-human")
                end = gr.Button("End chat", size="sm", variant="stop", elem_id="st-end")
            with gr.Group(visible=False) as csat_box:
                gr.Markdown("**How did we do?** Rate this conversation from 1 (poor) to 5 (great).")
                score = gr.Radio([1, 2, 3, 4, 5], label="Your rating", elem_id="st-csat")
                comment = gr.Textbox(label="Anything we should know? (optional)", max_lines=3)
                rate = gr.Button("Send rating", variant="primary", size="sm")
            new_chat = gr.Button("Start a new chat", size="sm", visible=False, elem_id="st-new")
        with gr.Column(scale=2):
            cards = gr.HTML(elem_id="st-cards")
            recs = gr.HTML(elem_id="st-recs")
            more = gr.Button(
                "Show recommendations for me", size="sm", elem_id="st-more", visible=can_recommend
            )
            ads_html = gr.HTML(elem_id="st-ads")
            ad_buttons = [
                gr.Button(visible=False, size="sm", elem_classes="st-ad-button") for _ in range(AD_SLOTS)
            ]
            opened = gr.HTML(elem_id="st-opened")
    timer = gr.Timer(POLL_SECONDS)

    # -- pure-ish helpers: view -> component values ----------------------------------------
    def ad_updates(v: ChatView) -> list:
        buttons = []
        for i in range(AD_SLOTS):
            if i < len(v.ads) and v.ads[i][0] in products and v.ads[i][2]:
                buttons.append(gr.Button(f"Sponsored · view {products[v.ads[i][0]].title}", visible=True))
            else:
                buttons.append(gr.Button(visible=False))
        return [ad_cards(v.ads, products), *buttons]

    def shown(v: ChatView) -> list:
        title = "Products in this answer" if v.products else ""
        return [
            v,
            list(v.messages),
            status_notice(v.status, v.agent),
            product_cards(v.products, products, title=title),
            *ad_updates(v),
        ]

    ad_outputs = [ads_html, *ad_buttons]
    shown_outputs = [view, chatbot, notice, cards, *ad_outputs]
    recommend_outputs = [recs, view, *ad_outputs]

    # -- conversation lifecycle ------------------------------------------------------------
    def open_chat(customer: str | None, request: gr.Request | None):
        """Start a conversation (as ``customer``, already checked against ``allowed``) and show it."""
        try:
            started = chat.start(customer_id=customer, client=client_address(chat, request))
        except ShopTalkError as exc:  # rate limited, busy: the page stays locked, with a way to retry
            gr.Warning(str(exc))
            return [
                None,
                *shown(ChatView()),
                "",
                gr.Group(visible=False),
                gr.Button(visible=True),
                gr.Textbox(interactive=False, value="", placeholder=CONNECTING),
                "",
                "",
                gr.Timer(active=False),
            ]
        v = ChatView(status=started.conversation.status)
        if customer:
            who_text = f"Signed in as **{escape_md(allowed[customer])}**"
        else:
            who_text = "Browsing anonymously" if allowed else ""
        return [
            started.token,
            *shown(v),
            "",
            gr.Group(visible=False),
            gr.Button(visible=False),
            gr.Textbox(interactive=True, value="", placeholder=PROMPT),
            who_text,
            "",
            gr.Timer(active=True),
        ]

    def start(request: gr.Request):
        """No selector: an anonymous chat. The handler has no input that could name a customer."""
        return open_chat(None, request)

    def start_as(selected: str | None, request: gr.Request):
        """Demo selector: only a configured entry is a customer; any other value is anonymous."""
        if selected not in allowed and selected not in (None, "", ANONYMOUS):
            log.warning(
                "start refused customer %r: not a configured demo shopper; starting anonymously", selected
            )
        return open_chat(selected if selected in allowed else None, request)

    def lock():
        """Switching conversations: no typing and no polling of the old one until the new one exists."""
        return gr.Textbox(interactive=False, placeholder=CONNECTING), "", gr.Timer(active=False)

    start_outputs = [token, *shown_outputs, recs, csat_box, new_chat, msg, identity, opened, timer]
    begin_chat, start_inputs = (start_as, [who]) if who is not None else (start, [])
    demo.load(begin_chat, start_inputs, start_outputs, **LIGHT)
    for trigger in ((who.change,) if who is not None else ()) + (new_chat.click,):
        (
            trigger(lock, None, [msg, identity, timer], queue=False, **PRIVATE).then(
                begin_chat, start_inputs, start_outputs, **LIGHT
            )
        )

    # -- sending a message: optimistic bubble, then the streamed turn ----------------------
    def begin(text: str, v: ChatView):
        text = (text or "").strip()
        if not text:
            return "", "", v, gr.skip(), gr.Timer(active=True)
        v = add_shopper_text(v, text)
        return "", text, v, list(v.messages), gr.Timer(active=False)

    def respond(text: str, tok: str, v: ChatView, request: gr.Request):
        if not text:
            yield shown(v)
            return
        try:
            for event in chat.post(tok, text, client=client_address(chat, request)):
                v = apply_event(v, event)
                yield shown(v)
        except (
            ShopTalkError
        ) as exc:  # shown to the shopper as is (empty message, ended chat, rate limit, busy)
            gr.Warning(str(exc))
            yield shown(drop_pending(v))

    def recommend(tok: str | None, v: ChatView):
        """Organic picks as cards; sponsored picks join the (labelled) ad slots."""
        if not tok or not can_recommend:
            return ["", *[gr.skip()] * (1 + len(ad_outputs))]
        try:
            result = chat.recommendations(tok)
        except ShopTalkError as exc:
            log.info("no recommendations: %s", exc)
            return ["", *[gr.skip()] * (1 + len(ad_outputs))]
        v = with_ads(v, [(r.product_id, r.reason, r.impression_id) for r in result.sponsored], AD_SLOTS)
        return [recommendation_cards(result.organic, products), v, *ad_updates(v)]

    def after_turn(tok: str, v: ChatView):
        return [*recommend(tok, v), gr.Timer(active=True)]

    def wire_send(trigger, text_source):
        (
            trigger(begin, [text_source, view], [msg, pending, view, chatbot, timer], queue=False, **PRIVATE)
            .then(
                respond,
                [pending, token, view],
                shown_outputs,
                concurrency_limit=MODEL_LIMIT,
                concurrency_id="model",
                **PRIVATE,
            )
            .then(after_turn, [token, view], [*recommend_outputs, timer], **LIGHT)
        )

    wire_send(msg.submit, msg)
    wire_send(send.click, msg)
    for button, (_, text) in zip(quick, QUICK_REPLIES, strict=True):
        wire_send(button.click, gr.State(text))

    more.click(recommend, [token, view], recommend_outputs, **LIGHT)

    # -- live updates: staff joining and replying ------------------------------------------
    def poll(tok: str | None, v: ChatView):
        if not tok:
            return [gr.skip()] * len(shown_outputs)
        try:
            conversation, messages = chat.read(tok, v.last_id)
        except ShopTalkError:
            return [gr.skip()] * len(shown_outputs)
        if not messages and conversation.status == v.status and conversation.assigned_to == v.agent:
            return [gr.skip()] * len(shown_outputs)
        return shown(merge_messages(v, messages, conversation.status, conversation.assigned_to))

    timer.tick(
        poll,
        [token, view],
        shown_outputs,
        concurrency_limit=None,
        concurrency_id="poll",
        show_progress="hidden",
        **PRIVATE,
    )

    # -- buttons ---------------------------------------------------------------------------
    def ask_human(tok: str, v: ChatView):
        try:
            conversation = chat.request_human(tok)
            _, messages = chat.read(tok, v.last_id)
        except ShopTalkError as exc:
            gr.Warning(str(exc))
            return shown(v)
        return shown(merge_messages(v, messages, conversation.status, conversation.assigned_to))

    human.click(ask_human, [token, view], shown_outputs, **LIGHT)

    def end_chat(tok: str, v: ChatView):
        try:
            conversation = chat.end(tok)
            _, messages = chat.read(tok, v.last_id)
        except ShopTalkError as exc:
            gr.Warning(str(exc))
            return [*shown(v), gr.skip(), gr.skip(), gr.skip()]
        v = merge_messages(v, messages, conversation.status, conversation.assigned_to)
        return [*shown(v), gr.Group(visible=True), gr.Button(visible=True), gr.Textbox(interactive=False)]

    end.click(end_chat, [token, view], [*shown_outputs, csat_box, new_chat, msg], **LIGHT)

    def send_rating(tok: str, value: int | None, text: str, request: gr.Request):
        if value is None:
            gr.Warning("Pick a rating from 1 to 5 first")
            return gr.skip()
        try:
            chat.csat(tok, int(value), text or "", client=client_address(chat, request))
        except ShopTalkError as exc:
            gr.Warning(str(exc))
            return gr.skip()
        gr.Info("Thank you for your feedback!")
        return gr.Group(visible=False)

    rate.click(send_rating, [token, score, comment], csat_box, **LIGHT)

    def like(tok: str, v: ChatView, data: gr.LikeData, request: gr.Request):
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        message_id = v.message_id(int(index))
        if message_id is None:
            gr.Info("Feedback is for the assistant's answers")
            return
        liked = data.liked if isinstance(data.liked, bool) else data.liked == "Like"
        try:
            chat.feedback(tok, message_id, 1 if liked else -1, client=client_address(chat, request))
        except ShopTalkError as exc:
            gr.Warning(str(exc))

    chatbot.like(like, [token, view], None, **LIGHT)

    def click_ad(slot: int):
        def handler(tok: str, v: ChatView, request: gr.Request):
            if slot >= len(v.ads) or not v.ads[slot][2]:
                return gr.skip()
            product_id, _, impression = v.ads[slot]
            try:
                chat.click_ad(tok, impression, client=client_address(chat, request))
            except ShopTalkError as exc:
                gr.Warning(str(exc))
                return gr.skip()
            return product_cards([product_id], products, title="You opened this sponsored product")

        return handler

    for i, button in enumerate(ad_buttons):
        button.click(click_ad(i), [token, view], opened, **LIGHT)
