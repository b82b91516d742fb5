"""Slot extraction: the concrete values a plan needs, read from the shopper's words.

The intent classifier decides *what* the shopper wants; slots say *which*: an order id, "the
second one", a product named by title, which attribute a question is about ("does it come in
blue?" asks about colours, value blue), and relative price words ("cheaper"). Vocabularies
come from the shop's catalogue and orders, so extraction works on any shop directory.
Price, brand, category, size and colour constraints come from ``retrieval.QueryParser``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval import Product, Shop, tokenize, words

_ORDINALS = {
    "first": 0,
    "1st": 0,
    "second": 1,
    "2nd": 1,
    "third": 2,
    "3rd": 2,
    "fourth": 3,
    "4th": 3,
    "fifth": 4,
    "5th": 4,
    "last": -1,
    "top": 0,
}
_ORDINAL = re.compile(
    r"\b(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last|top)\b(?:\s+(?:one|option|pick|item|product|two|three))?"
    r"|\b(?:number|no\.?|#|option)\s*([1-5])\b",
    re.I,
)
_ALTERNATIVES = re.compile(r"\b(?:or|vs\.?|versus|and)\b|,", re.I)
_FUNCTION_WORDS = frozenset(
    {"all", "any", "each", "every", "in", "on", "at", "to", "of", "for", "with", "and", "or", "the", "a", "an",
     "my", "your", "it", "is", "up", "out", "off", "so", "no", "not", "by", "from", "day", "time"}
)  # fmt: skip
_BOTH = re.compile(r"\b(?:both|them|these|those|the two|first two|top two|2 of them)\b", re.I)
_CHEAPER = re.compile(
    r"\b(cheaper|less expensive|more affordable|lower price|budget|under that|less than that)\b", re.I
)
_PRICIER = re.compile(r"\b(more expensive|pricier|premium|higher[- ]end|better quality|fancier)\b", re.I)
_ORDER_HINT = re.compile(
    r"\border\s*(?:number|no\.?|#|id)?\s*:?\s*#?([A-Za-z]*-?\d{3,}[A-Za-z0-9-]*)\b|#([A-Za-z]*-?\d{3,})\b",
    re.I,
)

# Which product field a question is about, by the words that ask for it.
_QUESTION_FIELDS: list[tuple[str, re.Pattern[str]]] = [
    ("price", re.compile(r"\b(price|cost|how much|expensive|cheap)\b", re.I)),
    ("stock", re.compile(r"\b(in stock|available|availability|sold out|out of stock|have any left)\b", re.I)),
    ("rating", re.compile(r"\b(rating|rated|reviews?|stars?)\b", re.I)),
    ("colors", re.compile(r"\b(colou?rs?|come in|shades?)\b", re.I)),
    ("sizes", re.compile(r"\b(sizes?|fit|run (?:small|large|big))\b", re.I)),
    ("weight", re.compile(r"\b(weigh|weight|heavy|light(?:weight)?)\b", re.I)),
    ("waterproof", re.compile(r"\b(waterproof|water[- ]resistant|rain)\b", re.I)),
    (
        "ingredients",
        re.compile(
            r"\b(ingredients?|contain|made with|fragrance|paraben|retinol|niacinamide|vitamin)\b", re.I
        ),
    ),
    ("spf", re.compile(r"\bspf\b", re.I)),
    ("skin_type", re.compile(r"\b(skin type|sensitive|oily|dry skin|combination)\b", re.I)),
    ("material", re.compile(r"\b(material|made of|fabric|leather|mesh|cotton)\b", re.I)),
]

_FILLER = frozenset(
    [
        "show",
        "me",
        "any",
        "ones",
        "one",
        "something",
        "options",
        "option",
        "what",
        "about",
        "how",
        "do",
        "you",
        "have",
        "got",
        "those",
        "them",
        "instead",
        "please",
        "only",
        "also",
        "in",
        "with",
        "and",
        "but",
        "or",
        "the",
        "a",
        "an",
        "some",
        "for",
        "just",
        "same",
        "other",
        "else",
        "more",
    ]
)


@dataclass(frozen=True)
class Slots:
    order_id: str | None = None
    ordinals: tuple[int, ...] = ()  # indexes into the last results (-1 = last)
    refers_to_results: bool = False  # "both", "them", "these"
    named: tuple[str, ...] = ()  # product ids named by title
    asks_about: tuple[str, ...] = ()  # product fields the question concerns
    cheaper: bool = False
    pricier: bool = False
    content_words: int = 0  # words left once filler and constraint phrases are removed


class SlotExtractor:
    def __init__(self, shop: Shop):
        self.shop = shop
        self._orders = {oid.upper(): oid for oid in shop.orders}
        # Title words that identify a product; generic words ("shoe", "cream") are dropped so a
        # product is only "named" by what distinguishes it.
        counts: dict[str, int] = {}
        self._titles: dict[str, set[str]] = {}
        for p in shop.products.values():
            ws = {w for w in words(p.title) if len(w) > 2}
            self._titles[p.id] = ws
            for w in ws:
                counts[w] = counts.get(w, 0) + 1
        limit = max(3, len(shop.products) // 40)
        self._distinct = {
            pid: {w for w in ws if counts[w] <= limit and w not in _FUNCTION_WORDS}
            for pid, ws in self._titles.items()
        }
        # Title words whose stem no other product's record uses: names ("trailglow"), not
        # vocabulary ("fold" is also in "folding" elsewhere).
        records: dict[str, int] = {}
        for p in shop.products.values():
            for w in set(tokenize(f"{p.title} {p.description} {' '.join(p.tags)}")):
                records[w] = records.get(w, 0) + 1
        self._own = {
            pid: {
                w
                for w in ws
                if len(w) > 4 and not w.isdigit() and all(records.get(t, 0) == 1 for t in tokenize(w))
            }
            for pid, ws in self._titles.items()
        }
        # Two title words in a row that only one title has name it ("glacier max"), even when
        # each word alone is shared ("max" is in many titles, "glacier" in two).
        pairs: dict[tuple[str, str], set[str]] = {}
        for p in shop.products.values():
            seq = words(p.title)
            for pair in zip(seq, seq[1:], strict=False):
                if not set(pair) & _FUNCTION_WORDS:  # "all day" in "Stay All Day" is everyday talk
                    pairs.setdefault(pair, set()).add(p.id)
        self._pairs = {pair: next(iter(ids)) for pair, ids in pairs.items() if len(ids) == 1}

    def order_id(self, text: str) -> str | None:
        for token in re.findall(r"[A-Za-z0-9-]{2,}", text):
            if token.upper() in self._orders:
                return self._orders[token.upper()]
        m = _ORDER_HINT.search(text)
        return (m.group(1) or m.group(2)).upper() if m else None

    def named_products(self, text: str) -> tuple[str, ...]:
        said_words = words(text)
        said = set(said_words)
        paired = {
            pid for pair in zip(said_words, said_words[1:], strict=False) if (pid := self._pairs.get(pair))
        }
        scored = []
        for pid, distinct in self._distinct.items():
            if not distinct:
                continue
            hit = len(distinct & said)
            full = self._titles[pid]
            # Two distinctive words, or all of a short distinctive name, or a word only this
            # product's record uses (a model name: "trailglow"), or most of the title.
            if (
                hit >= 2
                or pid in paired
                or (hit == len(distinct) and hit >= 1)
                or bool(self._own.get(pid, set()) & said)
                or len(full & said) >= max(3, int(0.7 * len(full)))
            ):
                scored.append((hit + len(full & said) / max(len(full), 1), pid))
        scored.sort(reverse=True)
        if not scored:
            return ()
        best = scored[0][0]
        top = [pid for s, pid in scored if s >= best - 0.5]
        if len(top) >= 3 and not any(self._own.get(pid, set()) & said for pid in top):
            # Words that three or more titles share name a kind ("a backpacking stove"), not a product.
            return ()
        return tuple(top)[:4]

    def named_with_alternatives(self, text: str) -> tuple[str, ...]:
        """Products named in the message; "the GTX trail shoe and the mudlark" names both, though
        the longer name alone outscores the shorter one."""
        named = list(self.named_products(text))
        if len(named) < 2 and _ALTERNATIVES.search(text):
            for part in _ALTERNATIVES.split(text):
                found = self.named_products(part)
                if len(found) == 1 and found[0] not in named:
                    named.append(found[0])
        return tuple(named)

    def extract(self, text: str, constraint_free_text: str) -> Slots:
        ordinals: list[int] = []
        for m in _ORDINAL.finditer(text):
            if m.group(1):
                ordinals.append(_ORDINALS[m.group(1).lower()])
            elif m.group(2):
                ordinals.append(int(m.group(2)) - 1)
        if re.search(r"\b(first|top) two\b", text, re.I):
            ordinals = [0, 1]
        asks = tuple(name for name, pattern in _QUESTION_FIELDS if pattern.search(text))
        content = [w for w in words(constraint_free_text) if w not in _FILLER and not w.isdigit()]
        return Slots(
            order_id=self.order_id(text),
            ordinals=tuple(dict.fromkeys(ordinals)),
            refers_to_results=bool(_BOTH.search(text)),
            named=self.named_with_alternatives(text),
            asks_about=asks,
            cheaper=bool(_CHEAPER.search(text)),
            pricier=bool(_PRICIER.search(text)),
            content_words=len(content),
        )


def pick(results: list[str], ordinals: tuple[int, ...]) -> list[str]:
    out = []
    for i in ordinals:
        if -len(results) <= i < len(results):
            out.append(results[i])
    return out


def attribute_answer_field(product: Product, asks: tuple[str, ...]) -> list[str]:
    """The product fields to answer from, preferring attributes the product really has."""
    fields = []
    for name in asks:
        if name in ("price", "stock", "rating"):
            fields.append(name)
            continue
        candidates = [k for k in product.attributes if k == name or k.startswith(name) or name in k]
        fields.extend(candidates or [name])
    return list(dict.fromkeys(fields))
