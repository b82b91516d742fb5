"""Products as the assistant presents them: fact lines for prompts and comparisons, numbered
list lines, and the short reasons a product fits what the shopper asked for.

Attribute keys and values go through the shop's ``Display``, so a shopper reads "weight 1.63 kg",
never ``weight_g: 1633``, and a key the shop hides never appears. Reasons come from the
constraints a product satisfies, each checked again on its own here (a relaxed search must not
claim a fit the product lacks), and they quote the product's own values, never the shopper's
words.
"""

from __future__ import annotations

from collections.abc import Sequence

from retrieval import AttributeFilter, Constraints, Display, Order, Product
from retrieval import join_words as join_words  # re-exported: lists read the same everywhere


def money(value: float, currency: str = "USD") -> str:
    return f"${value:,.2f}" if currency == "USD" else f"{value:,.2f} {currency}"


def _round_money(value: float, currency: str = "USD") -> str:
    """A price bound as people say it: "$80", but "$79.50"."""
    text = money(value, currency)
    return text.replace(".00", "", 1)


def the(title: str, capital: bool = False) -> str:
    """ "the Everyday Tee Dress", but "The Everyday Tee Dress" for a title that brings its own
    article (never "the The Everyday Tee Dress")."""
    if title[:4].lower() == "the ":
        return title
    return f"{'The' if capital else 'the'} {title}"


def stock_phrase(p: Product) -> str:
    if p.stock <= 0:
        return "out of stock"
    return "in stock" if p.stock > 5 else f"only {p.stock} left"


def _rating(p: Product) -> str:
    if p.rating is None:
        return ""
    reviews = f"{p.review_count} review{'' if p.review_count == 1 else 's'}"
    return f"rated {p.rating:.1f}/5 ({reviews})"


def _shown_keys(p: Product, display: Display, keys: Sequence[str] | None) -> list[str]:
    order = list(p.attributes) if keys is None else list(keys)
    return [k for k in dict.fromkeys(order) if k in p.attributes and not display.hidden(k)]


def fact_line(p: Product, display: Display, keys: Sequence[str] | None = None, *, max_attrs: int = 8) -> str:
    """One product as a facts line, for a model prompt and for comparisons:
    "Halfdome 55L Hiking Backpack | Peakline | $129.00 | in stock | rated 4.5/5 (23 reviews) |
    capacity 55 L | weight 1.63 kg". ``keys``: the attributes to show, in that order (those
    asked about first); None: the product's own first ones. At most ``max_attrs`` of them."""
    parts = [p.title, p.brand, money(p.price, p.currency), stock_phrase(p), _rating(p)]
    shown = _shown_keys(p, display, keys)[:max_attrs]
    parts += [display.fact(k, p.attributes[k]) for k in shown]
    return " | ".join(x for x in parts if x)


def list_line(i: int, p: Product, reasons: Sequence[str]) -> str:
    """ "1. Halfdome 55L Hiking Backpack - $129.00, in stock, rated 4.5/5 (waterproof, under $150)"."""
    line = f"{i}. {p.title} - {money(p.price, p.currency)}, {stock_phrase(p)}"
    if p.rating is not None:
        line += f", rated {p.rating:.1f}/5"
    # the line already says stock and rating; a reason repeating them is noise
    extra = [r for r in dict.fromkeys(reasons) if r and r != stock_phrase(p) and not r.startswith("rated ")]
    return line + (f" ({', '.join(extra)})" if extra else "")


def _price_reasons(p: Product, c: Constraints) -> list[str]:
    cur = p.currency
    out = []
    low, high = c.price_min, c.price_max
    if Constraints(price_min=low, price_max=high).matches(p):
        if low is not None and high is not None:
            out.append(f"{_round_money(low, cur)}-{_round_money(high, cur)}")
        elif high is not None:
            out.append(f"under {_round_money(high, cur)}")
        elif low is not None:
            out.append(f"over {_round_money(low, cur)}")
    # A refinement carries both "under $800" and "cheaper than what was shown": say the tighter one.
    if (
        c.cheaper_than is not None
        and (high is None or c.cheaper_than < high)
        and Constraints(cheaper_than=c.cheaper_than).matches(p)
    ):
        out = [r for r in out if not r.startswith("under ")]
        out.append(f"under {_round_money(c.cheaper_than, cur)}")
    if c.pricier_than is not None and Constraints(pricier_than=c.pricier_than).matches(p):
        out.append(f"over {_round_money(c.pricier_than, cur)}")
    return out


def _attribute_reason(p: Product, f: AttributeFilter, display: Display) -> str:
    """The product's own value that satisfies the filter, as a phrase ("comes in navy blue")."""
    for name in f.names:
        if display.hidden(name) or not AttributeFilter((name,), f.value, f.op).matches(p):
            continue
        value = p.attributes[name]
        if not isinstance(value, list):
            return display.phrase(name, value)
        # of a list, only the items that matched: "comes in size 10", not every size
        hits = [v for v in value if f.matches(p.model_copy(update={"attributes": {name: v}}))]
        return display.phrase(name, hits[0] if len(hits) == 1 else hits or value)
    return ""


def _asked_reason(p: Product, name: str, display: Display) -> str:
    if name == "price":
        return money(p.price, p.currency)
    if name == "stock":
        return stock_phrase(p)
    if name == "rating":
        return f"rated {p.rating:.1f}/5" if p.rating is not None else ""
    if name in p.attributes and not display.hidden(name):
        return display.phrase(name, p.attributes[name])
    return ""


def matched_reasons(
    p: Product, constraints: Constraints, display: Display, *, asked: Sequence[str] = ()
) -> list[str]:
    """Why ``p`` fits: ["waterproof", "under $80", "comes in size 10", "in stock", "rated 4.6"].
    Only constraints it satisfies count; ``asked`` adds the attributes the shopper asked about."""
    c = constraints
    reasons = _price_reasons(p, c)
    if c.brands and Constraints(brands=c.brands).matches(p):
        reasons.append(f"by {p.brand}")
    if len(c.categories) > 1 and Constraints(categories=c.categories).matches(p):
        # only informative when there were alternatives; the product's own category, not the ask
        reasons.append(p.category_path[-1].lower() if p.category_path else "")
    reasons += [_attribute_reason(p, f, display) for f in c.attributes]
    if c.in_stock and p.in_stock:
        reasons.append(stock_phrase(p))
    if c.min_rating is not None and Constraints(min_rating=c.min_rating).matches(p):
        reasons.append(f"rated {p.rating:.1f}")
    covered = {name for f in c.attributes for name in f.names}
    reasons += [_asked_reason(p, name, display) for name in asked if name not in covered]
    return [r for r in dict.fromkeys(reasons) if r]


_STATUS = {
    "processing": "is being prepared and hasn't shipped yet",
    "shipped": "has shipped",
    "delivered": "was delivered",
    "cancelled": "was cancelled",
    "returned": "was returned",
}


# Words a written order answer must use for each status ("hasn't shipped" for processing).
STATUS_WORDS = {
    "processing": ("hasn't shipped", "has not shipped", "not shipped", "being prepared", "processing"),
    "shipped": ("shipped", "on its way", "on the way"),
    "delivered": ("delivered",),
    "cancelled": ("cancelled", "canceled"),
    "returned": ("returned",),
}


def order_line(o: Order) -> str:
    """One order as the shop states it: number, date, total, status, carrier, tracking, dates."""
    return f"Order {o.order_id} (placed {o.placed_at[:10]}, {money(o.total)}) {order_status(o)}."


def order_status(o: Order) -> str:
    """What happened to the order, without its number: "has shipped with UPS, tracking number
    1Z999; expected delivery 2026-11-30"."""
    text = _STATUS[o.status]
    if o.status == "shipped":
        if o.carrier:
            text += f" with {o.carrier}"
        if o.tracking_number:
            text += f", tracking number {o.tracking_number}"
        if o.eta:
            text += f"; expected delivery {o.eta[:10]}"
    elif o.status == "delivered" and (delivered := (o.model_extra or {}).get("delivered_at") or o.eta):
        text += f" on {str(delivered)[:10]}"
    elif o.status == "processing" and o.eta:
        text += f"; expected delivery {o.eta[:10]}"
    return text
