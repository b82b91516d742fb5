"""Pure functions from core values to what the staff console shows: queue, transcript, profile.

Design decisions:

* The transcript is HTML rather than a second ``gr.Chatbot``: staff need what the shopper
  never sees (private notes, the bot's sources and tool calls, the route), laid out per
  message. Every string from a shopper, the bot or the shop is escaped here.
* The queue is rows for a ``gr.Dataframe`` plus (label, id) choices for the picker, built from
  the same ``QueueItem``s so the two never disagree.
* The conversation header, profile, orders and behaviour are markdown in which every string a
  shopper, the bot or a colleague wrote (handoff reason and summary, names, searches, CSAT
  comments) goes through ``escape_md``: plain text, so a URL a shopper typed is not a link
  under the agent's cursor and markup shows as typed. The queue table is a ``gr.Dataframe``
  of ``str`` cells, which Gradio shows as text. Numbers are rounded for people (shares as
  percentages, money with two decimals).
"""

from __future__ import annotations

import html
import time
from collections.abc import Mapping, Sequence

from ._render import escape_md, format_price

QUEUE_HEADERS = ["Conversation", "Waiting", "Priority", "Reason", "Shopper", "Last message"]
ROLE_LABELS = {
    "shopper": "Shopper",
    "bot": "Bot",
    "staff": "Staff",
    "system": "System",
    "note": "Private note",
}


def format_wait(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min"


def _clock(at: float) -> str:
    return time.strftime("%H:%M", time.localtime(at))


def short_id(conversation_id: str) -> str:
    return conversation_id[:8]


def queue_rows(items: Sequence) -> list[list[str]]:
    """``QueueItem``s (oldest/high priority first, as the service orders them) as table rows."""
    return [
        [
            short_id(q.conversation_id),
            format_wait(q.waited_s),
            q.priority,
            q.reason or "-",
            q.shopper,
            (q.last_message or "")[:120],
        ]
        for q in items
    ]


def conversation_choices(
    queue: Sequence, mine: Sequence, names: Mapping[str, str] | None = None
) -> list[tuple[str, str]]:
    """Picker entries: the waiting queue first, then conversations this agent is handling.

    ``names`` maps customer ids to display names (anonymous shoppers show their id).
    """
    names = names or {}
    out = [
        (
            f"waiting · {short_id(q.conversation_id)} · {q.shopper} · {q.reason or 'handoff'} · "
            f"waiting {format_wait(q.waited_s)}",
            q.conversation_id,
        )
        for q in queue
    ]
    out += [(f"yours · {short_id(c.id)} · {names.get(c.customer_id or '', c.user_id)}", c.id) for c in mine]
    return out


def _text_html(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _tool_call(call: Mapping) -> str:
    name = call.get("tool") or call.get("name") or "tool"
    args = (
        call.get("args")
        or call.get("arguments")
        or {k: v for k, v in call.items() if k not in ("tool", "name")}
    )
    if isinstance(args, Mapping):
        args = ", ".join(f"{k}={v!r}" for k, v in args.items())
    return f"<code>{html.escape(str(name))}({html.escape(str(args))})</code>"


def transcript_html(messages: Sequence) -> str:
    """All messages of a conversation for staff, notes included, with the bot's evidence."""
    if not messages:
        return '<div class="st-transcript st-empty">No messages yet.</div>'
    rows = []
    for m in messages:
        who = ROLE_LABELS.get(m.role, m.role)
        if m.author and m.role in ("staff", "note"):
            who += f" · {m.author}"
        extra = []
        if m.role == "bot":
            if m.route:
                extra.append(f"route: <code>{html.escape(m.route)}</code>")
            if m.citations:
                extra.append("sources: " + ", ".join(f"<code>{html.escape(c)}</code>" for c in m.citations))
            if m.tool_calls:
                extra.append("looked up: " + "; ".join(_tool_call(c) for c in m.tool_calls))
            if getattr(m, "feedback", None):
                extra.append("shopper: " + ("liked" if m.feedback > 0 else "disliked"))
            if not getattr(m, "answered", True):
                extra.append("<b>not answered</b>")
        meta = "".join(f'<div class="st-meta">{x}</div>' for x in extra)
        rows.append(
            f'<div class="st-msg st-role-{html.escape(m.role)}"><div class="st-who">{html.escape(who)}'
            f'<span class="st-time">{_clock(m.created_at)}</span></div>'
            f'<div class="st-text">{_text_html(m.text)}</div>{meta}</div>'
        )
    # The outer box is column-reverse around one inner column: it opens scrolled to the newest message.
    return f'<div class="st-transcript"><div class="st-transcript-body">{"".join(rows)}</div></div>'


def conversation_markdown(conversation, shopper: str | None = None) -> str:
    """Header of the open conversation: status, owner, and why the bot handed it off."""
    c = conversation
    lines = [
        f"**Conversation** `{short_id(c.id)}` · status **{c.status}**"
        + (f" · with **{escape_md(c.assigned_to)}**" if c.assigned_to else "")
    ]
    lines.append(f"**Shopper:** {escape_md(shopper or c.customer_id or c.user_id)}")
    if c.handoff_reason:
        priority = " (high priority)" if getattr(c, "handoff_priority", "normal") == "high" else ""
        lines.append(f"**Handoff reason:** {escape_md(c.handoff_reason)}{priority}")
    if c.handoff_summary:
        lines.append(f"**Summary:** {escape_md(c.handoff_summary)}")
    if c.csat is not None:
        lines.append(f"**CSAT:** {c.csat}/5" + (f" ({escape_md(c.csat_comment)})" if c.csat_comment else ""))
    return "  \n".join(lines)


def _shares(pairs: Sequence[tuple[str, float]]) -> str:
    return ", ".join(f"{escape_md(name)} {share:.0%}" for name, share in pairs) or "-"


def profile_markdown(profile) -> str:
    """A ``recsys.ShopperProfile`` for staff (None: no recommendation engine configured)."""
    if profile is None:
        return "_No profile available._"
    p = profile
    who = escape_md(p.name) if p.name else f"anonymous ({escape_md(p.user_id)})"
    band = f"{format_price(p.price_band[0])} - {format_price(p.price_band[1])}" if p.price_band else "-"
    recency = "-" if p.days_since_last_active is None else f"{p.days_since_last_active:.0f} days ago"
    lines = [
        f"**{who}** · {p.kind}",
        f"**Top categories:** {_shares(p.top_categories)}",
        f"**Top brands:** {_shares(p.top_brands)}",
        f"**Price band:** {band}",
        f"**Last active:** {recency} · **Frequency:** {p.events_per_30d:g} events, {p.orders_per_30d:g} orders / 30 days",
        f"**Lifetime value:** {format_price(p.lifetime_value)} over {p.orders} orders",
    ]
    if p.recent_searches:
        lines.append("**Recent searches:** " + ", ".join(f"“{escape_md(s)}”" for s in p.recent_searches))
    return "  \n".join(lines)


def orders_markdown(orders: Sequence, products: Mapping[str, object] | None = None, limit: int = 5) -> str:
    """Recent orders (``retrieval.Order``), newest first."""
    if not orders:
        return "_No orders._"
    products = products or {}
    lines = []
    for o in list(orders)[:limit]:
        items = ", ".join(
            f"{i.quantity}× {escape_md(getattr(products.get(i.product_id), 'title', i.product_id))}"
            for i in o.items
        )
        track = f" · {escape_md(o.carrier)} {escape_md(o.tracking_number or '')}" if o.carrier else ""
        eta = f" · ETA {escape_md(o.eta)}" if o.eta else ""
        lines.append(
            f"- **{escape_md(o.order_id)}** · {o.status} · {escape_md(o.placed_at[:10])} · "
            f"{format_price(o.total)}{track}{eta}  \n  {items}"
        )
    return "\n".join(lines)


def behaviour_markdown(
    events: Sequence[Mapping], products: Mapping[str, object] | None = None, limit: int = 8
) -> str:
    """The latest behaviour events ({event, item_id, query, at}) and a count per kind."""
    if not events:
        return "_No recent activity._"
    products = products or {}
    counts: dict[str, int] = {}
    for e in events:
        counts[e.get("event", "?")] = counts.get(e.get("event", "?"), 0) + 1
    summary = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items(), key=lambda kv: -kv[1]))
    lines = [f"**Recent activity:** {summary}"]
    for e in list(events)[:limit]:
        item = e.get("item_id")
        what = getattr(products.get(item), "title", item) if item else None
        detail = f"“{escape_md(e['query'])}”" if e.get("query") else escape_md(str(what or ""))
        when = f" · {_clock(e['at'])}" if e.get("at") else ""
        lines.append(f"- {escape_md(str(e.get('event', '?')))} {detail}{when}")
    return "\n".join(lines)
