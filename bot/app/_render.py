"""Pure functions from core values to what the shopper page shows: chat messages, cards, notices.

Design decisions:

* The chat view is one immutable value (``ChatView``) and every core event or poll result is
  folded into it by a pure reducer (``apply_event``, ``merge_messages``). The Gradio handlers
  only call the service, fold and hand ``view.messages`` to the ``gr.Chatbot``; tests drive
  the reducer with plain events, no server.
* Messages are keyed by their stored id, so a streamed reply and a poll that races it never
  show the same message twice; the optimistic shopper bubble (no id yet) is matched to its
  ``Saved`` event instead of being duplicated.
* Gradio 6 hides ``role: "system"`` messages in ``gr.Chatbot``, so staff messages and system
  notices are assistant bubbles with a visible prefix; ``roles`` keeps the core role of each
  bubble so only bot replies take a like/dislike.
* Everything shop-supplied (titles, brands, ad labels) is HTML-escaped before it reaches an
  ``gr.HTML``; chat text goes to the Chatbot's own sanitising markdown renderer.
* Text written by people other than the reader (staff replies, their names, system notices,
  anything a shopper typed that staff read) is *plain text*: ``escape_md`` turns every ASCII
  punctuation character into a numeric character reference (``&#60;``), which markdown shows
  as the character and never reads as syntax. So ``<form>``, ``[x](url)``, ``![](img)``, a
  bare ``https://...`` (GFM autolinks need a literal ``://`` or ``www.``), ``$$`` (LaTeX) and
  ``` fences all display as typed, in the shopper's chat (``gr.Chatbot``) and in the
  console's ``gr.Markdown`` alike. Backslash escapes were not enough: GFM still autolinks a
  URL whose dots are backslash-escaped. Only the bot's own replies are rendered as markdown.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from ..conversations import Escalated, Queued, Saved, StoredMessage, Token

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CAD": "CA$", "AUD": "A$"}
STATUS_NOTICES = {
    "bot": "",
    "waiting": "A member of our team has been asked to join. You can keep typing; they will see everything.",
    "human": "You are chatting with {agent} from our team.",
    "resolved": "This conversation has ended. Start a new chat to ask something else.",
}
_MD_SPECIAL = re.compile(r"[!-/:-@\[-`{-~]")  # every ASCII punctuation character
_LEADING_SPACE = re.compile(r"^[ \t]+", re.MULTILINE)


@dataclass(frozen=True)
class ChatView:
    """What the shopper's chat shows; ``ids[i]``/``roles[i]`` describe ``messages[i]``."""

    messages: tuple[dict, ...] = ()
    ids: tuple[int | None, ...] = ()
    roles: tuple[str, ...] = ()
    last_id: int = 0  # highest stored message id folded in (the poll's ``after_id``)
    status: str = "bot"
    agent: str | None = None
    products: tuple[str, ...] = ()  # product ids of the latest reply that showed products
    ads: tuple[tuple[str, str, str | None], ...] = ()  # (product id, label, impression id)

    def message_id(self, index: int) -> int | None:
        """The stored id of the bot reply at ``index`` (None for anything else)."""
        if 0 <= index < len(self.ids) and self.roles[index] == "bot":
            return self.ids[index]
        return None


def _reference(match: re.Match) -> str:
    return "".join(f"&#{ord(c)};" for c in match.group())


def escape_md(text: str) -> str:
    """``text`` as markdown that shows exactly ``text``: no markup, links, images, HTML or maths.

    Punctuation becomes character references; so does the indentation at the start of each
    line (four spaces would open a code block). Line breaks stay line breaks.
    """
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return _LEADING_SPACE.sub(_reference, _MD_SPECIAL.sub(_reference, text))


def to_chat_message(message: StoredMessage) -> dict | None:
    """One stored message as a Gradio message dict; private notes are never shown (None)."""
    if message.role == "shopper":
        return {"role": "user", "content": message.text}
    if message.role == "bot":
        return {"role": "assistant", "content": message.text}
    if (
        message.role == "staff"
    ):  # plain text: a staff account must not put links or forms in front of shoppers
        who = escape_md(message.author or "our team")
        return {"role": "assistant", "content": f"**{who} (ShopTalk team):** {escape_md(message.text)}"}
    if message.role == "system":
        return {"role": "assistant", "content": f"*{escape_md(message.text)}*"}
    return None


def _append(view: ChatView, message: StoredMessage) -> ChatView:
    rendered = to_chat_message(message)
    last_id = max(view.last_id, message.id)
    if rendered is None or message.id in view.ids:
        return replace(view, last_id=last_id)
    view = replace(
        view,
        messages=view.messages + (rendered,),
        ids=view.ids + (message.id,),
        roles=view.roles + (message.role,),
        last_id=last_id,
    )
    if message.role == "bot" and (message.products or message.ads):
        view = replace(
            view,
            products=tuple(message.products),
            ads=tuple((a.product_id, a.label, a.impression_id) for a in message.ads),
        )
    return view


def _pending(view: ChatView, role: str) -> int | None:
    """Index of the newest not-yet-saved bubble of this core role, if it is the last of its kind."""
    for i in range(len(view.ids) - 1, -1, -1):
        if view.ids[i] is None and view.roles[i] == role:
            return i
        if view.roles[i] == role:
            return None
    return None


def _set(view: ChatView, index: int, message: StoredMessage) -> ChatView:
    rendered = to_chat_message(message) or {"role": "assistant", "content": message.text}
    messages, ids = list(view.messages), list(view.ids)
    messages[index], ids[index] = rendered, message.id
    view = replace(view, messages=tuple(messages), ids=tuple(ids), last_id=max(view.last_id, message.id))
    if message.role == "bot" and (message.products or message.ads):
        view = replace(
            view,
            products=tuple(message.products),
            ads=tuple((a.product_id, a.label, a.impression_id) for a in message.ads),
        )
    return view


def add_shopper_text(view: ChatView, text: str) -> ChatView:
    """The shopper's bubble, shown at once while the service commits it."""
    return replace(
        view,
        messages=view.messages + ({"role": "user", "content": text},),
        ids=view.ids + (None,),
        roles=view.roles + ("shopper",),
    )


def drop_pending(view: ChatView) -> ChatView:
    """Remove unsaved bubbles (the service refused the message)."""
    keep = [i for i, mid in enumerate(view.ids) if mid is not None]
    return replace(
        view,
        messages=tuple(view.messages[i] for i in keep),
        ids=tuple(view.ids[i] for i in keep),
        roles=tuple(view.roles[i] for i in keep),
    )


def apply_event(view: ChatView, event: object) -> ChatView:
    """Fold one event of ``ChatService.post`` into the view."""
    if isinstance(event, Saved):
        message = event.message
        if message.id in view.ids:
            return view
        index = _pending(view, message.role) if message.role in ("shopper", "bot") else None
        return _set(view, index, message) if index is not None else _append(view, message)
    if isinstance(event, Token):
        index = _pending(view, "bot")
        if index is None:  # first token: open the streaming bubble
            return replace(
                view,
                messages=view.messages + ({"role": "assistant", "content": event.text},),
                ids=view.ids + (None,),
                roles=view.roles + ("bot",),
            )
        messages = list(view.messages)
        messages[index] = {"role": "assistant", "content": messages[index]["content"] + event.text}
        return replace(view, messages=tuple(messages))
    if isinstance(event, Queued):
        return replace(view, status=event.status)
    if isinstance(event, Escalated):
        return replace(view, status="waiting")
    return view


def merge_messages(
    view: ChatView, messages: Iterable[StoredMessage], status: str | None = None, agent: str | None = None
) -> ChatView:
    """Fold a ``ChatService.read`` result (new messages and the conversation's status) into the view."""
    for message in messages:
        view = apply_event(view, Saved(message))
    if status is not None:
        view = replace(view, status=status, agent=agent)
    return view


def with_ads(view: ChatView, ads: Iterable[tuple[str, str, str | None]], slots: int = 2) -> ChatView:
    """The reply's sponsored slots first, then these (e.g. from the recommendations strip), one per product."""
    merged: dict[str, tuple[str, str, str | None]] = {}
    for ad in (*view.ads, *ads):
        merged.setdefault(ad[0], ad)
    return replace(view, ads=tuple(merged.values())[:slots])


def status_notice(status: str, agent: str | None = None) -> str:
    """Markdown banner for the conversation's handoff state ("" while the bot is answering)."""
    template = STATUS_NOTICES.get(status, "")
    return template.format(agent=escape_md(agent or "a team member"))


# -- cards ----------------------------------------------------------------------------------


def format_price(amount: float, currency: str = "USD") -> str:
    symbol = CURRENCY_SYMBOLS.get(currency.upper())
    return f"{symbol}{amount:,.2f}" if symbol else f"{amount:,.2f} {html.escape(currency)}"


def _stock(stock: int) -> str:
    if stock <= 0:
        return '<span class="st-stock st-out">Out of stock</span>'
    if stock < 5:
        return f'<span class="st-stock st-low">Only {stock} left</span>'
    return '<span class="st-stock st-in">In stock</span>'


def _rating(rating: float | None, reviews: int) -> str:
    if rating is None:
        return '<span class="st-rating">No ratings yet</span>'
    return f'<span class="st-rating" title="{rating:.1f} out of 5">★ {rating:.1f} <small>({reviews})</small></span>'


def product_card(product, *, note: str | None = None, sponsored_label: str | None = None) -> str:
    """One product as an HTML card; every shop-supplied string is escaped."""
    e = html.escape
    badge = ""
    classes = "st-card"
    if sponsored_label is not None:
        classes += " st-sponsored"
        badge = f'<div class="st-badge">Sponsored</div><div class="st-ad-label">{e(sponsored_label)}</div>'
    brand = f'<div class="st-brand">{e(product.brand)}</div>' if product.brand else ""
    note_html = f'<div class="st-note">{e(note)}</div>' if note else ""
    return (
        f'<div class="{classes}" data-product-id="{e(product.id)}">{badge}'
        f'<div class="st-title">{e(product.title)}</div>{brand}'
        f'<div class="st-facts"><span class="st-price">{format_price(product.price, product.currency)}</span>'
        f"{_stock(product.stock)}{_rating(product.rating, product.review_count)}</div>{note_html}</div>"
    )


def product_cards(product_ids: Sequence[str], products: Mapping[str, object], *, title: str = "") -> str:
    """Cards for the products a reply cited, in the reply's order (unknown ids are skipped)."""
    cards = [product_card(products[pid]) for pid in product_ids if pid in products]
    if not cards:
        return ""
    head = f'<div class="st-strip-title">{html.escape(title)}</div>' if title else ""
    return f'{head}<div class="st-cards">{"".join(cards)}</div>'


def recommendation_cards(
    recommendations: Sequence, products: Mapping[str, object], *, title: str = "Recommended for you"
) -> str:
    """Organic recommendations (``recsys.Recommendation``) with the reason the shopper reads."""
    cards = [
        product_card(products[r.product_id], note=r.reason)
        for r in recommendations
        if not r.sponsored and r.product_id in products
    ]
    if not cards:
        return ""
    return (
        f'<div class="st-strip-title">{html.escape(title)}</div><div class="st-cards">{"".join(cards)}</div>'
    )


def ad_cards(ads: Sequence[tuple[str, str, str | None]], products: Mapping[str, object]) -> str:
    """Sponsored products, always in their own list and always labelled "Sponsored"."""
    cards = [product_card(products[pid], sponsored_label=label) for pid, label, _ in ads if pid in products]
    if not cards:
        return ""
    return f'<div class="st-strip-title">Sponsored</div><div class="st-cards">{"".join(cards)}</div>'
