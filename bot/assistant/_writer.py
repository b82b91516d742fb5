"""What the model is asked to write: one task per answer, facts in, one or two sentences out.

Every answer the assistant gives about the catalogue or its policies is first built here as a
``WriterTask``: the fact lines the answer may use (values formatted the way the shop writes
them, never raw keys), the shopper's question, the deterministic answer composed from the
same facts, and what a written answer must carry (the figure, the product) to count as an
answer rather than a lead-in. The model - prompt-only or with the tuned adapter - writes from
the facts; the validator checks it; the deterministic answer is the fallback. The same
builders make the tuning data (``bot.llm`` tune command), so training and serving see one format.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from retrieval import Display, Order, Product

from ._present import STATUS_WORDS, fact_line, join_words, money, order_line, order_status, the
from ._understand import asks_yes_no

Kind = Literal[
    "attribute", "superlative", "evidence", "not_stated", "policy", "search", "compare", "overview", "order"
]


@dataclass(frozen=True)
class WriterTask:
    kind: Kind
    question: str
    facts: tuple[str, ...]
    answer: str  # the deterministic answer: the fallback, and the tuning target
    carries: tuple[tuple[str, ...], ...] = ()  # each: alternatives, one of which the written text must hold
    # The start of ``answer`` a completion model is given to continue: the subject, never the
    # answer itself ("The Halfdome 55L Hiking Backpack", "The lightest of our 10 tents is the").
    lead: str = ""

    def carried_by(self, text: str) -> bool:
        """The written text states the answer (every required item, in one of its forms)."""
        low = text.lower()
        return all(any(alt.lower() in low for alt in alts) for alts in self.carries)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# ----------------------------------------------------------------------------- attributes


_HOW_MANY = re.compile(r"\bhow many\b", re.I)


def field_phrase(p: Product, key: str, display: Display) -> str | None:
    """A record field as words for a sentence about ``p``: "costs $129.00", "weighs 1.63 kg"."""
    if key == "price":
        return f"costs {money(p.price, p.currency)}"
    if key == "stock":
        return (
            "is out of stock"
            if p.stock <= 0
            else ("is in stock" if p.stock > 5 else f"has only {p.stock} left")
        )
    if key == "rating":
        return (
            f"is rated {p.rating:.1f}/5 from {p.review_count} reviews"
            if p.rating is not None
            else "has no reviews yet"
        )
    if key not in p.attributes:
        return None
    value = p.attributes[key]
    if isinstance(value, bool):
        return (
            f"is {display.phrase(key, value)}"
            if not display.phrase(key, value).startswith(("has ", "no "))
            else (display.phrase(key, value))
        )
    phrase = display.phrase(key, value)
    label = display.label(key)
    shown = display.value(key, value)
    if phrase.startswith(label + " "):  # "volume 30 ml" reads as a fragment after a title
        rest = phrase[len(label) + 1 :]
        if label.endswith("s") and rest.replace(",", "").replace(".", "").isdigit():
            return f"has {rest} {label}"  # "has 10 place settings", not "a place settings of 10"
        if isinstance(value, int | float):
            return f"has a {label} of {rest}"
        return f"has {label} {rest}" if label.endswith("s") else f"has {rest} {label}"
    if phrase == shown and isinstance(value, int | float):
        return f"has {phrase}"  # "has 600 lumens"
    return phrase


def field_value(p: Product, key: str, display: Display) -> str:
    if key == "price":
        return money(p.price, p.currency)
    if key == "rating":
        return f"{p.rating:.1f}/5" if p.rating is not None else "no reviews"
    if key == "stock":
        return "out of stock" if p.stock <= 0 else "in stock"
    return display.value(key, p.attributes[key])


def attribute_task(
    p: Product,
    keys: Sequence[str],
    display: Display,
    question: str,
    asked_value: tuple[str, tuple[str, ...]] | None = None,
) -> WriterTask:
    """One product, one or more fields asked about ("how many litres is it and what does it weigh?").
    ``asked_value`` is a value asked about and the keys it belongs to ("blue" of colors)."""
    known = [k for k in keys if k in ("price", "stock", "rating") or k in p.attributes]
    facts = (fact_line(p, display, [k for k in known if k in p.attributes]),)
    parts: list[str] = []
    carries: list[tuple[str, ...]] = []
    lead = ""
    for key in known:
        value = p.attributes.get(key)
        if asked_value is not None and key in asked_value[1] and not isinstance(value, bool | None):
            wanted = asked_value[0]
            listed = value if isinstance(value, list) else [value]
            has = any(wanted.lower() in str(v).lower() for v in listed)
            shown = display.value(key, value)
            parts.append(f"comes in {wanted}" if has else f"is listed as {shown}, not {wanted}")
            carries.append(("yes", "comes in", "available in") if has else ("not", "n't", "no "))
            if asks_yes_no(question):  # "does it come in red?", not "what red shades does it have?"
                lead = lead or ("Yes, " if has else "No, ")
            continue
        phrase = field_phrase(p, key, display)
        if not phrase:
            continue
        if isinstance(value, list) and len(value) > 1 and _HOW_MANY.search(question):
            # "how many shades does it come in": the count, then the list
            label = display.label(key).lower()
            phrase = f"comes in {len(value)} {label if label.endswith('s') else label + 's'}: {display.value(key, value)}"
            carries.append((f"{len(value)} ",))
        parts.append(phrase)
        if isinstance(value, bool):
            # "is energy star" says it as well as "has an energy star": the phrase or the label
            carries.append(
                ("not", "no ", "n't")
                if not value
                else (display.phrase(key, value), display.label(key).lower())
            )
            if not parts[:-1]:  # a yes/no question asked first: answer it first
                lead = lead or ("Yes, " if value else "No, ")
        else:
            carries.append((field_value(p, key, display),))
    if not parts:
        return not_stated_task(p, join_words([display.label(k) for k in keys]) or "that", question)
    subject = f"{the(p.title)}" if lead else f"{the(p.title, True)}"
    answer = f"{lead}{subject} {join_words(parts)}."
    return WriterTask("attribute", question, facts, answer, tuple(carries), lead=f"{lead}{subject}")


def not_stated_task(p: Product, topic: str, question: str) -> WriterTask:
    fact = f"{p.title}: the product record does not mention {topic}."
    answer = f"The details for {the(p.title)} don't say anything about {topic}, so I can't confirm it."
    return WriterTask(
        "not_stated",
        question,
        (fact,),
        answer,
        lead=f"The details for {the(p.title)}",
        carries=(
            (
                "don't say",
                "doesn't say",
                "does not say",
                "not mention",
                "doesn't mention",
                "not stated",
                "can't confirm",
            ),
        ),
    )


def _whose_description(title: str) -> str:
    """ "From the Pacer Short's description:", but never "Rain Shell, Men's's"."""
    if title.endswith(("'s", "’s", "s'")):
        return f"From the description of {the(title)}:"
    return f"From {the(title)}'s description:"


def evidence_task(p: Product, evidence: Sequence[str], question: str) -> WriterTask:
    """A question the description answers: the supporting sentences are the facts."""
    facts = tuple(f"{p.title}: {s}" for s in evidence)
    quoted = " ".join(evidence)
    whose = _whose_description(p.title)
    answer = f"{whose} {quoted}"
    # The written text must use the evidence: a word it shares with the question ("garage"),
    # or for a plain "tell me about it" one of the description's own longer words.
    said = re.findall(r"[a-z][a-z-]{3,}", quoted.lower())
    asked = set(re.findall(r"[a-z][a-z-]{3,}", question.lower()))
    carry = tuple(dict.fromkeys(w for w in said if w in asked)) or tuple(dict.fromkeys(said))[:8]
    return WriterTask(
        "evidence",
        question,
        facts,
        answer,
        (carry,) if carry else (),
        lead=whose,
    )


# ----------------------------------------------------------------------------- orderings


@dataclass(frozen=True)
class Ranked:
    product: Product
    value: str  # the compared value, formatted ("1.2 kg", "$49.99")


def comparative(word: str) -> str:
    """ "lightest" -> "lighter", "most expensive" -> "more expensive", "best rated" -> "better rated"."""
    for a, b in (
        ("most ", "more "),
        ("least ", "less "),
        ("best ", "better "),
        ("highest ", "higher "),
        ("lowest ", "lower "),
    ):
        if word.startswith(a):
            return b + word[len(a) :]
    if word.endswith("iest"):
        return word[:-4] + "ier"
    return word[:-3] + "er" if word.endswith("est") else word


def superlative_task(
    ranked: Sequence[Ranked], word: str, scope: str, key_label: str, question: str, *, pair: bool = False
) -> WriterTask:
    """``ranked`` best first; ``word`` is "lightest"/"cheapest"; ``scope`` "of the 4 shown";
    ``pair``: exactly two were compared ("the cheaper of the two")."""
    best, rest = ranked[0], list(ranked[1:3])
    tied = [r for r in ranked[1:] if r.value == best.value]
    if pair and len(ranked) == 2 and not tied:
        word, other = comparative(word), ranked[1]
        two = (
            f"{_cap(word)} {scope}: {best.product.title}, {key_label} {best.value}.",
            f"The other: {other.product.title}, {key_label} {other.value}.",
        )
        answer = f"The {word} {scope} is {the(best.product.title)} at {best.value}; {the(other.product.title)} is {other.value}."
        return WriterTask("superlative", question, two, answer, ((best.product.title,), (best.value,)))
    if tied:
        # "which weighs the least" when two weigh 233 g: both are the answer, neither is "followed by"
        names = [best.product.title, *(r.product.title for r in tied)]
        after = [r for r in ranked[1:] if r.value != best.value][:1]
        facts = [f"Tied {word} {scope} at {best.value}: {'; '.join(names)}."]
        answer = f"{join_words([the(n, True) if i == 0 else the(n) for i, n in enumerate(names)])} tie as the {word} {scope}, at {best.value}"
        if after:
            facts.append(f"Next: {after[0].product.title}, {key_label} {after[0].value}.")
            answer += f"; next is {the(after[0].product.title)} ({after[0].value})"
        return WriterTask(
            "superlative",
            question,
            tuple(facts),
            answer + ".",
            ((best.product.title,), (best.value,), ("tie",)),
        )
    facts = [f"{_cap(word)} {scope}: {best.product.title}, {key_label} {best.value}."]
    if rest:
        facts.append("Next: " + "; ".join(f"{r.product.title}, {key_label} {r.value}" for r in rest) + ".")
    answer = f"The {word} {scope} is {the(best.product.title)} at {best.value}"
    if rest:
        answer += ", followed by " + join_words([f"{the(r.product.title)} ({r.value})" for r in rest])
    answer += "."
    return WriterTask(
        "superlative",
        question,
        tuple(facts),
        answer,
        ((best.product.title,), (best.value,)),
        # the lead is the answer's own start, so the model continues it ("... is the" + title)
        lead=f"The {word} {scope} is {the(best.product.title)}".rsplit(" ", len(best.product.title.split()))[
            0
        ],
    )


def compare_task(
    products: Sequence[Product], keys: Sequence[str], display: Display, question: str
) -> WriterTask:
    facts = tuple(fact_line(p, display, [k for k in keys if k in p.attributes]) for p in products)
    flags = [k for k in keys if all(isinstance(p.attributes.get(k), bool) for p in products)]
    if flags and len(flags) == len(keys):
        # "do both of them fold up?": one yes/no over all of them
        said: list[str] = []
        for key in flags:
            values = {p.attributes[key] for p in products}
            word = display.phrase(key, True)
            if values == {True}:
                said.append(f"{'Both are' if len(products) == 2 else 'All of them are'} {word}")
            elif values == {False}:
                said.append(f"{'Neither is' if len(products) == 2 else 'None of them is'} {word}")
            else:
                yes = [p.title for p in products if p.attributes[key]]
                said.append(f"Only the {join_words(yes)} {'is' if len(yes) == 1 else 'are'} {word}")
        text = "; ".join(x if i == 0 else x[:1].lower() + x[1:] for i, x in enumerate(said))
        # The written text must give the verdict over all of them, not a line about one.
        verdict = ("both", "all of them", "neither", "none of them", "only")
        return WriterTask("compare", question, facts, text + ".", (verdict,))
    parts = []
    for p in products:
        phrases = [ph for k in keys if (ph := field_phrase(p, k, display))]
        parts.append(f"{the(p.title)} {join_words(phrases)}")
    answer = _cap("; ".join(parts)) + "."
    # The lead names the first product; the written text must reach the second one, and give
    # the first field compared for each (a comparison without the prices is not one).
    first = next(
        (
            k
            for k in keys
            if k in ("price", "rating")
            or all(k in p.attributes and not isinstance(p.attributes[k], bool) for p in products)
        ),
        None,
    )
    carries = tuple((p.title,) for p in products[1:2]) + tuple(
        (field_value(p, first, display),) for p in products if first is not None
    )
    return WriterTask("compare", question, facts, answer, carries, lead=f"{the(products[0].title, True)}")


# ----------------------------------------------------------------------------- lists, policy


def search_task(products: Sequence[Product], reasons: dict[str, list[str]], question: str) -> WriterTask:
    top = products[0]
    why = reasons.get(top.id) or []
    facts = tuple(
        f"{p.title}: {money(p.price, p.currency)}"
        + (f", {', '.join(reasons[p.id])}" if reasons.get(p.id) else "")
        for p in products[:3]
    )
    answer = f"{the(top.title, True)} ({money(top.price, top.currency)}) fits" + (
        f": {join_words(why)}." if why else "."
    )
    # The lead names the top pick; the model's words must then say why it fits (or its price).
    return WriterTask(
        "search",
        question,
        facts,
        answer,
        ((money(top.price, top.currency), *why),),
        lead=f"{the(top.title, True)}",
    )


def policy_task(sentences: Sequence[str], question: str) -> WriterTask:
    return WriterTask("policy", question, tuple(sentences), sentences[0] if sentences else "", ())


def overview_task(
    departments: Sequence[tuple[str, Sequence[str]]], shop_name: str, question: str
) -> WriterTask:
    """ "What do you sell?": departments with an example or two each."""
    facts = tuple(f"{name}: for example {join_words(list(examples)[:2])}." for name, examples in departments)
    names = [name.lower() for name, _ in departments]
    answer = f"We sell {join_words(names)}."
    return WriterTask("overview", question, facts, answer, tuple((n,) for n in names[:2]), lead="We sell")


def order_task(order: Order, titles: Sequence[str], question: str) -> WriterTask:
    """ "Where's my dehumidifier?": the order's status line and what is in it. The written text
    must give the status (and the tracking number, when there is one)."""
    line = order_line(order)
    facts = (line, f"Items in order {order.order_id}: {join_words(list(titles))}.") if titles else (line,)
    # "Your order O1 (the Alpine Dome 2 Tent) has shipped with UPS, tracking number ...": what
    # is in it rather than its date and total, which the shopper sees on the line itself.
    what = (
        f"the {titles[0]}"
        if len(titles) == 1
        else f"the {titles[0]} and {len(titles) - 1} more item{'s' if len(titles) > 2 else ''}"
    )
    answer = (
        f"Your order {order.order_id} ({what}) {order_status(order)}."
        if titles
        else "Your order " + line[len("Order ") :]
    )
    carries: tuple[tuple[str, ...], ...] = (STATUS_WORDS[order.status],)
    if order.status == "shipped" and order.tracking_number:
        carries += ((order.tracking_number,),)
    return WriterTask("order", question, facts, answer, carries, lead=f"Your order {order.order_id}")
