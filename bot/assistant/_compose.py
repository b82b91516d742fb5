"""Deterministic answers composed from tool results, and the fact blocks shown to models.

These are the ground truth of what the assistant says: product lists, order status and
comparisons are always composed here, and when a model's sentence fails validation the
answer composed here replaces it. Every number in them is copied from a record.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from retrieval import Constraints, Display, PolicyHit, Product, sentences, tokenize, words

from ..safety import neutralize
from ._present import money, order_line, stock_phrase, the
from ._tools import Sponsored, ToolResult


def _value(v: object) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, list):
        return ", ".join(str(x) for x in v)
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def product_line(p: Product, *, attrs: int = 3, display: Display | None = None) -> str:
    """One line per product, the format of both fact blocks and shopper-facing lists; values
    as the shop writes them ("weight 1.63 kg"), never a raw key."""
    display = display or Display()
    parts = [p.title, f"brand {p.brand}" if p.brand else "", money(p.price, p.currency), stock_phrase(p)]
    if p.rating is not None:
        parts.append(f"rated {p.rating:.1f}/5 ({p.review_count} reviews)")
    keys = [k for k in p.attributes if not display.hidden(k)][:attrs]
    shown = [display.fact(k, p.attributes[k]) for k in keys]
    return " | ".join(x for x in parts + shown if x)


def facts_block(
    result: ToolResult, question: str = "", max_sentences: int = 4, display: Display | None = None
) -> str:
    """Compact facts for a prompt: products one per line, policy text trimmed to what matters."""
    lines = [product_line(p, attrs=8, display=display) for p in result.products]
    for hit in result.sections:
        lines.append(" ".join(relevant_sentences(hit, question, max_sentences)))
    lines += [order_line(o) for o in result.orders]
    return "\n".join(neutralize(line) for line in lines if line)


# Scores sentences by meaning against a question (cosine), e.g. ``FieldMeaning.similarity``.
Similarity = Callable[[str, list[str]], np.ndarray]

# Per shared content word (stemmed), added to the cosine: a tie-break between sentences of like
# meaning. On the dev parts' policy turns the right sentence came first for 28 of 42 by word
# overlap, 31 by meaning, 32 by both.
_WORD_WEIGHT = 0.03
# A section this short is quoted whole: its rows answer together ("how much is shipping?" is the
# whole table of options, not the two rows most like the question).
_SHORT_SECTION_WORDS = 70


def relevant_sentences(
    hit: PolicyHit,
    question: str,
    limit: int = 3,
    *,
    best_first: bool = False,
    similarity: Similarity | None = None,
) -> list[str]:
    """The section's sentences most about the question, in their original order (``best_first``:
    the most relevant first, for a writer that leads with its first fact); a short section is
    kept whole so a qualifying sentence ("not accepted") is never cut. Relevance is meaning
    (``similarity``) plus shared content words, or shared words alone without an embedder."""
    sents = sentences(hit.section.plain.replace("\n", " "))
    if not sents:
        return []
    if not best_first and len(words(" ".join(sents))) <= _SHORT_SECTION_WORDS:
        return sents  # a price table, a short rule: quoted whole
    asked = set(tokenize(question))
    overlap = np.array([len(asked & set(tokenize(s))) for s in sents], dtype=float)
    scores = similarity(question, sents) + _WORD_WEIGHT * overlap if similarity else overlap
    order = np.argsort(-scores, kind="stable")
    keep = list(order[:limit]) if best_first else sorted(order[:limit])
    return [sents[i] for i in keep]


# ------------------------------------------------------------------------ per route


def search_answer(result: ToolResult, constraints: Constraints | None) -> str:
    described = ", ".join((constraints or Constraints()).describe())
    if not result.products:
        if result.note == "out_of_catalogue" and result.departments:
            names = [d.lower() for d in result.departments[:8]]
            listing = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]
            return f"Sorry, we don't carry that. We sell {listing}."
        if described:
            return f"Sorry, I couldn't find anything matching {described}. Try widening the price range or another size."
        return "Sorry, we don't carry anything like that."
    if result.note == "out_of_catalogue":
        head = "Sorry, we don't carry that. The closest things we have are:"
    elif result.relaxed:
        dropped = {
            "attributes": "the size/colour/feature filters",
            "price": "the price range",
            "brands": "the brand",
            "categories": "the category",
            "min_rating": "the rating",
        }
        what = ", ".join(dict.fromkeys(dropped[r] for r in result.relaxed))
        head = f"Nothing matches all of that ({described}). Without {what}, the closest options are:"
    else:
        head = (
            f"Here {'is' if len(result.products) == 1 else 'are'} {len(result.products)} "
            f"option{'s' if len(result.products) != 1 else ''}"
            + (f" ({described})" if described else "")
            + ":"
        )
    return head + "\n" + numbered(result.products)


def numbered(products: tuple[Product, ...] | list[Product], reasons: dict[str, str] | None = None) -> str:
    out = []
    for i, p in enumerate(products, 1):
        line = f"{i}. {p.title} - {money(p.price, p.currency)}, {stock_phrase(p)}"
        if p.rating is not None:
            line += f", rated {p.rating:.1f}/5"
        if reasons and reasons.get(p.id):
            line += f" ({reasons[p.id]})"
        out.append(line)
    return "\n".join(out)


def sponsored_lines(items: tuple[Sponsored, ...]) -> str:
    return "\n".join(
        f"Sponsored: {s.product.title} - {money(s.product.price, s.product.currency)}"
        + (f" ({s.label})" if s.label else "")
        for s in items
    )


def recommend_answer(result: ToolResult) -> str:
    if not result.products and not result.sponsored:
        return (
            "I don't have recommendations right now; tell me what you're shopping for and I'll search for it."
        )
    text = (
        "Here are some picks for you:\n" + numbered(result.products, result.reasons)
        if result.products
        else ""
    )
    if result.sponsored:
        text += ("\n" if text else "") + sponsored_lines(result.sponsored)
    return text


def product_answer(p: Product, fields: list[str], asked_value: str | None = None) -> str:
    """Answer a question about one product from its record."""
    parts = []
    for name in fields:
        if name == "price":
            parts.append(f"{the(p.title, True)} costs {money(p.price, p.currency)}.")
        elif name == "stock":
            parts.append(
                f"{the(p.title, True)} is {stock_phrase(p)}."
                if p.stock > 0
                else f"Sorry, {the(p.title)} is out of stock right now."
            )
        elif name == "rating":
            parts.append(
                f"{the(p.title, True)} is rated {p.rating:.1f}/5 from {p.review_count} reviews."
                if p.rating is not None
                else f"{the(p.title, True)} has no reviews yet."
            )
        elif name in p.attributes:
            value = p.attributes[name]
            label = name.replace("_", " ")
            if isinstance(value, bool):
                parts.append(
                    f"{'Yes' if value else 'No'}, {the(p.title)} is {'' if value else 'not '}{label}."
                )
            elif asked_value is not None and isinstance(value, list):
                has = any(asked_value.lower() in str(v).lower() for v in value)
                parts.append(
                    f"{'Yes' if has else 'No'}, {the(p.title)} {'comes' if has else 'does not come'} in "
                    f"{asked_value}; {label}: {_value(value)}."
                )
            else:
                parts.append(f"{the(p.title, True)} {label}: {_value(value)}.")
        else:
            parts.append(f"I don't have {name.replace('_', ' ')} information for {the(p.title)}.")
    if not parts:
        first = sentences(neutralize(p.description))[:2]
        parts.append(
            f"{p.title} by {p.brand}: {money(p.price, p.currency)}, {stock_phrase(p)}. " + " ".join(first)
        )
    return " ".join(parts)


def compare_answer(products: tuple[Product, ...], display: Display | None = None) -> str:
    if len(products) < 2:
        return 'Tell me which two products to compare (for example "compare the first two").'
    lines = [f"- {product_line(p, attrs=5, display=display)}" for p in products]
    cheapest = min(products, key=lambda p: p.price)
    rated = [p for p in products if p.rating is not None]
    summary = (
        f"{the(cheapest.title, True)} is the least expensive at {money(cheapest.price, cheapest.currency)}."
    )
    if rated:
        best = max(rated, key=lambda p: (p.rating, p.review_count))
        summary += f" {the(best.title, True)} has the best rating ({best.rating:.1f}/5)."
    return "Here's how they compare:\n" + "\n".join(lines) + "\n" + summary


def order_answer(result: ToolResult) -> str:
    if result.note == "not_signed_in":
        return "Please sign in so I can look up your orders; for your security I can only show orders on your own account."
    if result.note == "order_not_found":
        return "I couldn't find that order on your account. Please check the order number (it's in your confirmation email)."
    if result.note == "no_orders" or not result.orders:
        return "I don't see any orders on your account yet."
    return "\n".join(order_line(o) for o in result.orders)


def policy_answer(
    result: ToolResult, question: str, max_sections: int = 2, similarity: Similarity | None = None
) -> str:
    if not result.sections:
        return "I couldn't find a policy that covers that. Would you like me to connect you with our team?"
    parts = []
    for i, hit in enumerate(result.sections[:max_sections]):
        quoted = " ".join(relevant_sentences(hit, question, 3 if i == 0 else 2, similarity=similarity))
        title = hit.section.policy_title
        if not title.lower().endswith(
            "policy"
        ):  # "Shipping Policy", but "Returns and Refunds" -> "... policy"
            title += " policy"
        parts.append(f"From our {title} ({hit.section.heading}): {quoted}")
    return "\n".join(parts)
