"""Grounding: check a drafted reply against the facts its tools returned.

A small base model gets numbers mostly right and polarity often wrong ("Yes, you can pay with
bitcoin" when the policy says cryptocurrency is not accepted; see MODELS.md). So the
validator checks more than numbers:

* every money amount, percentage and "N days/weeks/years" figure appears in the facts;
* every catalogue product or brand the reply names is among the tool results;
* stock claims agree with the stock of the product they are about;
* promises (discounts, coupons, free gifts, guarantees, price matching) appear in the facts;
* each reply sentence has the same polarity (negated or not) as the fact sentence closest
  to it in meaning, and a leading "Yes"/"No" agrees with that fact;
* each reply sentence says nothing the facts do not: most of its content words come from one
  fact sentence (or the product records) and the question. A base model rewords a clause
  into its opposite ("we only accept *unopened* skincare that is defective") or copies the
  prompt's worked examples ("the Trailblazer Pro is waterproof"), and neither keeps the words
  of the facts;
* no prompt scaffolding ("Facts:", "Question:") or system-prompt text leaks through.

A failing draft is replaced by a deterministic answer composed from the same facts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from retrieval import Order, PolicySection, Product, sentences, tokenize, words

Similarity = Callable[[Sequence[str], Sequence[str]], np.ndarray]  # (a, b) -> |a| x |b| cosine

_MONEY = re.compile(r"\$\s?(\d[\d,]*(?:\.\d{1,2})?)|\b(\d[\d,]*(?:\.\d{1,2})?)\s?(?:dollars|usd)\b", re.I)
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s?(?:%|percent)", re.I)
_DURATION = re.compile(
    r"(\d+)(?:\s?(?:-|to)\s?(\d+))?[\s-]?(business days?|days?|weeks?|months?|years?|hours?)\b", re.I
)
_NEGATION = re.compile(
    r"\b(not|no|never|cannot|can't|don't|doesn't|isn't|aren't|won't|unable|neither|nor|"
    r"without|excluded?|only if|unless)\b|n't\b",
    re.I,
)
_OUT_OF_STOCK = re.compile(r"\b(out of stock|sold out|unavailable|not available|not in stock)\b", re.I)
_IN_STOCK = re.compile(r"\b(in stock|available now|available to order|ready to ship)\b", re.I)
_PROMISES = {
    "discount": re.compile(r"\b(discount|% off|percent off|coupon|promo(?:tion)? code|voucher)\b", re.I),
    "free gift": re.compile(r"\bfree (gift|sample)s?\b", re.I),
    "guarantee": re.compile(r"\bguarantee[ds]?\b", re.I),
    "price match": re.compile(r"\bprice[- ]match", re.I),
    "free shipping": re.compile(r"\bfree (shipping|delivery)\b", re.I),
}
_SCAFFOLD = re.compile(r"\b(Facts?|Question|Answer|Context|System|Instructions?)\s*:|system prompt|<\|", re.I)
_YES_NO = re.compile(r"^\s*(yes|no)\b", re.I)


def _amounts(text: str) -> list[float]:
    return [float((a or b).replace(",", "")) for a, b in _MONEY.findall(text)]


def _unit(u: str) -> str:
    u = u.lower()
    return "business day" if u.startswith("business") else u.rstrip("s")


def _durations(text: str) -> set[tuple[int, str]]:
    out = set()
    for lo, hi, unit in _DURATION.findall(text):
        out.add((int(lo), _unit(unit)))
        if hi:
            out.add((int(hi), _unit(unit)))
    return out


_CLAUSE = re.compile(r";\s+|,\s+(?=[A-Z])")  # facts: keep "..., and you tell us within 14 days" whole
_REPLY_CLAUSE = re.compile(r";\s+|,\s+(?=[A-Z])|,?\s+(?:and|but|while|whereas)\s+(?=\w+\s+\w+)")


def _figures(text: str) -> list[tuple[str, str]]:
    """(kind, normalised figure) pairs: money, percentages and durations by unit."""
    out = [("money", f"{a:.2f}") for a in _amounts(text)]
    out += [("percent", p) for p in _PERCENT.findall(text)]
    out += [(f"duration:{u}", str(n)) for n, u in _durations(text)]
    return out


def _topic(text: str) -> set[str]:
    """Words that say what a clause is about; figures are left out (they are what is checked)."""
    return {t for t in tokenize(text) if not any(ch.isdigit() for ch in t)}


# Words any reply may use that no fact needs to contain: talk, not claims.
_CONVERSATIONAL = frozenset(
    tokenize(
        "yes no sure happy glad help here there they them we us these those great good nice "
        "recommend suggest option options choice pick look like also just about get got one ones "
        "offer available item items product products price prices shop store sorry unfortunately "
        "afraid right now currently still news welcome thanks thank please feel free ask let know "
        "check "
        # connectives of a written answer, which state nothing themselves
        "followed next then other shown listed so but and "
        # saying the record is silent is not a claim about the product
        "details detail don't doesn't say says anything confirm can't cannot mention mentions "
        "information record"
    )
)


_NUMBER = re.compile(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)")


def _numbers(text: str) -> set[str]:
    """Every figure in a text, normalised ("1,633" -> "1633", "55.0" -> "55")."""
    out = set()
    for raw in _NUMBER.findall(text):
        n = raw.replace(",", "").rstrip(".")
        try:
            value = float(n)
        except ValueError:
            continue
        out.add(f"{value:g}")
    return out


def _unknown_figures(text: str, facts: Facts) -> list[str]:
    """Any figure (a weight, a capacity, a count) must appear in the facts or the records."""
    known = _numbers(" ".join(facts.texts()) + " " + facts.records())
    for p in facts.products:
        known |= _numbers(f"{p.price:.2f} {p.rating or ''} {p.review_count} {p.stock}")
        if p.rating is not None:
            known.add(f"{p.rating:.1f}".rstrip("0").rstrip("."))
    for o in facts.orders:
        known |= _numbers(f"{o.placed_at} {o.eta or ''} {o.total:.2f} {o.tracking_number or ''} {o.order_id}")
        known |= _numbers(
            " ".join(f"{i.quantity} {i.unit_price:.2f} {i.unit_price * i.quantity:.2f}" for i in o.items)
        )
    known |= {"1", "5"}  # "one of", "/5" in a rating read back
    problems = [f"figure {n} is not in the facts" for n in sorted(_numbers(text) - known)]
    # A measurement must match a measurement: "2 kg" is not vouched for by "Alpine Dome 2 Tent".
    measured = _measures(" ".join(facts.texts()))
    for p in facts.products:
        for key, value in p.attributes.items():
            unit = key.rsplit("_", 1)[-1].lower() if "_" in key else ""
            if unit in _UNIT_WORDS and isinstance(value, int | float) and not isinstance(value, bool):
                measured.add((f"{float(value):g}", _UNIT_WORDS[unit]))
    problems += [
        f"figure {n} {u} is not in the facts"
        for n, u in sorted(_measures(text) - measured)
        if f"figure {n} is not in the facts" not in problems
    ]
    return problems


_UNIT_WORDS = {
    "g": "g", "grams": "g", "gram": "g", "kg": "kg", "kilos": "kg", "lb": "lb", "lbs": "lb", "pounds": "lb",
    "oz": "oz", "ml": "ml", "l": "l", "litres": "l", "liters": "l", "mm": "mm", "cm": "cm", "m": "m",
    "in": "in", "inch": "in", "inches": "in", "ft": "ft", "feet": "ft", "w": "w", "watts": "w",
    "min": "min", "minutes": "min", "h": "h", "hours": "h", "db": "db", "lumens": "lumens",
}  # fmt: skip
_MEASURE = re.compile(
    r"(?<![\w.])(-?\d[\d,]*(?:\.\d+)?)\s?(kg|kilos|grams?|g|lbs?|pounds|oz|ml|litres|liters|l|mm|cm|m|"
    r"inch(?:es)?|in|ft|feet|watts|w|minutes|min|hours|h|db|lumens)\b",
    re.I,
)


def _measures(text: str) -> set[tuple[str, str]]:
    out = set()
    for number, unit in _MEASURE.findall(text):
        try:
            out.add((f"{float(number.replace(',', '')):g}", _UNIT_WORDS[unit.lower()]))
        except (KeyError, ValueError):
            continue
    return out


def _repeats(text: str, facts_text: str = "") -> bool:
    """A phrase said three times ("hiking boots, hiking boots, hiking boots") more often than the
    facts say it (three titles ending in "Sleeping Bag" are not a loop): a model looping."""
    ws = words(text)
    grams = [" ".join(ws[i : i + 2]) for i in range(len(ws) - 1)]
    fw = words(facts_text)
    known = [" ".join(fw[i : i + 2]) for i in range(len(fw) - 1)]
    return any(grams.count(g) >= 3 and grams.count(g) > known.count(g) for g in set(grams))


def _claims_negative(clause: str) -> bool:
    """The clause says no: "No, ..." or a negated statement."""
    lead = _YES_NO.match(clause)
    return _negated(_YES_NO.sub("", clause)) or bool(lead and lead.group(1).lower() == "no")


def _negated(text: str) -> bool:
    return bool(_NEGATION.search(text))


@dataclass(frozen=True)
class Facts:
    """Everything the tools returned that a reply may state."""

    products: tuple[Product, ...] = ()
    sections: tuple[PolicySection, ...] = ()
    orders: tuple[Order, ...] = ()
    extra: tuple[str, ...] = ()  # other fact sentences (e.g. a shipping threshold quoted in a template)

    def texts(self) -> list[str]:
        out = [s.plain for s in self.sections] + list(self.extra)
        out += [p.description for p in self.products]
        return out

    def sentences(self) -> list[str]:
        return [
            s
            for t in [sec.plain for sec in self.sections] + list(self.extra)
            for s in sentences(t.replace("\n", " "))
        ]

    def records(self) -> str:
        """Product and order records as text: what a reply about them may repeat."""
        # The record's field names: "costs", "in stock", "rated" restate a record (the numbers and
        # stock claims themselves are checked elsewhere).
        out = (
            ["price costs stock sold out rated rating reviews sizes colours colors"] if self.products else []
        )
        if self.orders:
            out.append(
                "order placed status arrives arrival delivery estimated eta carrier tracking number items"
            )
        for p in self.products:
            attrs = " ".join(f"{k} {v}" for k, v in p.attributes.items())
            out.append(f"{p.title} {p.brand} {p.category} {attrs} {' '.join(p.tags)} {p.description}")
        for o in self.orders:
            out.append(f"order {o.order_id} {o.status} {o.carrier or ''} tracking {o.tracking_number or ''}")
        return " ".join(out)

    def money(self) -> set[float]:
        values = {round(p.price, 2) for p in self.products}
        for o in self.orders:
            values.add(round(o.total, 2))
            values.update(round(i.unit_price, 2) for i in o.items)
            values.update(round(i.unit_price * i.quantity, 2) for i in o.items)
        for t in self.texts():
            values.update(round(v, 2) for v in _amounts(t))
        return values


@dataclass(frozen=True)
class Verdict:
    ok: bool
    problems: tuple[str, ...] = ()


@dataclass
class Validator:
    catalogue: dict[str, Product]
    similarity: Similarity | None = None
    secrets: tuple[str, ...] = ()  # distinctive lines of the system prompt that must never appear
    polarity_threshold: float = 0.3
    polarity_margin: float = 0.15
    max_sentences: int = 3
    min_support: float = 0.75  # share of a sentence's content words the facts must hold
    _brands: dict[str, str] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._brands = {p.brand.lower(): p.brand for p in self.catalogue.values() if p.brand}

    def check(self, reply: str, facts: Facts, question: str | None = None) -> Verdict:
        problems: list[str] = []
        text = reply.strip()
        if len(words(text)) < 2:
            return Verdict(False, ("empty or truncated reply",))
        if _SCAFFOLD.search(text) or any(s.lower() in text.lower() for s in self.secrets):
            problems.append("prompt scaffolding or instructions leaked")
        said = [" ".join(words(x)) for x in sentences(text)]
        if (
            len(said) != len(set(said))
            or len(said) > self.max_sentences
            or _repeats(text, " ".join(facts.extra))
        ):
            problems.append("rambling: repeated or too many sentences")
        # Only the facts count, never the question: "a tent under 2 kg?" -> "it weighs 2 kg" must
        # fail when the record says 2.4 kg. A budget the shopper set reaches the facts as a
        # matched reason ("under $80") when a product really is under it.
        known_money = facts.money()
        for amount in _amounts(text):
            if not any(abs(amount - v) < 0.006 for v in known_money):
                problems.append(f"price ${amount:g} is not in the facts")
        fact_text = " ".join(facts.texts())
        for pct in _PERCENT.findall(text):
            if not re.search(rf"(?<![\d.]){re.escape(pct)}\s?(?:%|percent)", fact_text, re.I):
                problems.append(f"{pct}% is not in the facts")
        missing = _durations(text) - _durations(fact_text)
        problems += [f"'{n} {u}' is not in the facts" for n, u in sorted(missing)]
        for name, pattern in _PROMISES.items():
            if pattern.search(text) and not pattern.search(fact_text):
                problems.append(f"promises {name}, which the facts do not")
        problems += _unknown_figures(text, facts)
        problems += self._products(text, facts)
        problems += self._binding(text, facts, question)
        problems += self._support(text, facts, question)
        problems += self._polarity(text, facts, question)
        return Verdict(not problems, tuple(problems))

    def _support(self, text: str, facts: Facts, question: str | None) -> list[str]:
        """Each sentence's content words mostly come from one fact sentence (or the records) + the question."""
        asked = set(tokenize(question or "")) | _CONVERSATIONAL
        sources = [set(tokenize(s)) for s in facts.sentences()]
        headings = {w for sec in facts.sections for w in tokenize(f"{sec.policy_title} {sec.heading}")}
        records = facts.records()
        if records:
            sources.append(set(tokenize(records)))
        if facts.extra:
            # A writer task's facts were chosen for this one answer: together they are one source
            # ("the lightest is X, followed by Y and Z" draws on three lines).
            sources.append(
                set(tokenize(" ".join(facts.extra))) | (set(tokenize(records)) if records else set())
            )
        if not sources:
            return []
        problems = []
        for sent in sentences(text) or [text]:
            content = _topic(_YES_NO.sub("", sent)) - asked  # figures are checked elsewhere
            if not content:
                continue
            unsupported = min((content - src - headings for src in sources), key=len)
            if 1 - len(unsupported) / len(content) < self.min_support:
                problems.append(
                    f"says what the facts do not ({', '.join(sorted(unsupported)[:5])}): {sent[:80]}"
                )
        return problems

    def _products(self, text: str, facts: Facts) -> list[str]:
        problems = []
        allowed = {p.id for p in facts.products} | {i.product_id for o in facts.orders for i in o.items}
        lowered = text.lower()
        allowed_brands = {self.catalogue[pid].brand.lower() for pid in allowed if pid in self.catalogue}
        for low, brand in self._brands.items():
            if low not in allowed_brands and re.search(rf"(?<!\w){re.escape(low)}(?!\w)", lowered):
                problems.append(f"names brand {brand}, which is not in the results")
        for p in self.catalogue.values():
            if p.id not in allowed and len(p.title) > 8 and p.title.lower() in lowered:
                problems.append(f"names {p.title}, which is not in the results")
        # Stock claims, sentence by sentence, about the products that sentence names (or the only one).
        for sent in sentences(text) or [text]:
            named = [p for p in facts.products if p.title.lower() in sent.lower()]
            about = named or (list(facts.products) if len(facts.products) == 1 else [])
            if _OUT_OF_STOCK.search(sent) and about and all(p.stock > 0 for p in about):
                problems.append("says out of stock, but it is in stock")
            elif (
                _IN_STOCK.search(sent) and not _OUT_OF_STOCK.search(sent) and any(p.stock <= 0 for p in about)
            ):
                problems.append("says in stock, but it is out of stock")
        return problems

    def _binding(self, text: str, facts: Facts, question: str | None) -> list[str]:
        """Each figure must come from the policy clause about what was asked.

        "Card refunds take 5 to 7 business days, PayPal refunds 3 to 5" holds both figures; a
        reply of "3 to 5 business days" to a question about cards uses a real number from the
        wrong clause. Among clauses carrying a figure of the same kind, the one sharing most
        words with the question and reply must carry the reply's figure.
        """
        # A clause's topic includes its section heading: "Standard: Cost $5.95" is about shipping.
        clauses = [
            (c, _topic(c) | _topic(sec.heading))
            for sec in facts.sections
            for sent in sentences(sec.plain.replace("\n", " "))
            for c in _CLAUSE.split(sent)
            if c.strip()
        ]
        if not clauses:
            return []
        question_topic = _topic(question or "")
        df: dict[str, int] = {}
        for _, topic in clauses:
            for w in topic:
                df[w] = df.get(w, 0) + 1
        problems = []
        reply_clauses = [
            c for sent in sentences(text) or [text] for c in _REPLY_CLAUSE.split(_YES_NO.sub("", sent))
        ]
        for part in reply_clauses:
            # What this part of the reply is about, plus what was asked ("3 to 5 business days." alone
            # says nothing about cards or PayPal; the question does).
            asked = _topic(part) | question_topic
            for kind, figure in _figures(part):
                bearing = [(c, topic) for c, topic in clauses if any(k == kind for k, _ in _figures(c))]
                if len(bearing) < 2:
                    continue
                # Shared words weighted by rarity: "standard" or "card" tell clauses apart, "shipping" does not.
                overlap = [round(sum(1.0 / df[w] for w in asked & topic), 6) for _, topic in bearing]
                best = max(overlap)
                if not any(
                    o == best and figure in {f for k, f in _figures(c) if k == kind}
                    for (c, _), o in zip(bearing, overlap, strict=True)
                ):
                    problems.append(f"{figure} is a real figure from a clause about something else")
        return problems

    def _polarity(self, text: str, facts: Facts, question: str | None) -> list[str]:
        fact_sents = facts.sentences()
        # Clauses, not sentences: "X is adjustable; Y is not" holds both polarities at once.
        reply_sents = [c for sent in sentences(text) or [text] for c in re.split(r";\s+", sent) if c.strip()]
        if not fact_sents or self.similarity is None:
            return []
        negated = [_negated(f) for f in fact_sents]
        claims = [_claims_negative(sent) for sent in reply_sents]
        if len(set(negated) | set(claims)) == 1:
            # Every fact and every clause has the same polarity: neither a contradiction nor a
            # rival fact of the other polarity can exist, so the embedder need not be asked.
            return []
        sims = self.similarity(reply_sents, fact_sents)
        if question:
            # The fact that answers the question is the one to agree with: "Yes, bitcoin works"
            # may sit closer to "We accept Visa..." than to "Cryptocurrency is not accepted".
            sims = sims + self.similarity([question], fact_sents)
            sims = sims / 2
        problems = []
        titles = [p.title for p in facts.products]
        for i, sent in enumerate(reply_sents):
            # A clause naming a product is about that product's facts, not its neighbour's
            # ("X is adjustable; Y is not" against two near-identical lines).
            named = [t for t in titles if t.lower() in sent.lower()]
            if named:
                mask = np.array([any(t.lower() in f.lower() for t in named) for f in fact_sents])
                if mask.any():
                    sims[i] = np.where(mask, sims[i], -1.0)
            order = np.argsort(-sims[i])
            j = int(order[0])
            if sims[i, j] < self.polarity_threshold:
                continue
            if claims[i] != negated[j]:
                problems.append(f"contradicts the facts: {fact_sents[j]}")
                continue
            # A small embedder cannot tell which of two close facts of opposite polarity a sentence
            # is about (it barely links "bitcoin" to "cryptocurrency"); when it cannot, refuse to trust it.
            rival = next((int(k) for k in order[1:] if negated[int(k)] != negated[j]), None)
            if rival is not None and sims[i, j] - sims[i, rival] < self.polarity_margin:
                problems.append(f"polarity uncertain between: {fact_sents[j]} / {fact_sents[rival]}")
        return problems
