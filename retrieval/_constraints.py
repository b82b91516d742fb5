"""Hard constraints on product search, and their extraction from a shopper's words.

A ``Constraints`` value is applied twice: pushed into the vector index as a Chroma ``where``
(for the scalar fields it can express) and checked exactly on every result (``matches``), so
an over-budget or out-of-stock product can never slip through an approximate index.

Extraction is catalogue-driven: brand names, category names, colours, skin types and boolean
attributes come from the shop's own products, so it works on any shop directory.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Literal

from ._model import Product
from ._text import tokenize, words

AttrOp = Literal["eq", "gte", "lte"]
_WILDCARDS = frozenset({"all", "any", "universal", "all skin types"})


def _num(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return None


@dataclass(frozen=True)
class AttributeFilter:
    """``names`` are alternatives (``size``/``sizes``); the product must satisfy one of them."""

    names: tuple[str, ...]
    value: str | float | bool
    op: AttrOp = "eq"

    def _value_ok(self, have: object) -> bool:
        want = self.value
        if isinstance(want, bool):
            return isinstance(have, bool) and have == want
        if self.op != "eq":
            h, w = _num(have), _num(want)
            if h is None or w is None:
                return False
            return h >= w if self.op == "gte" else h <= w
        hn, wn = _num(have), _num(want)
        if hn is not None and wn is not None:
            return hn == wn
        if isinstance(have, str) and have.strip().lower() in _WILDCARDS:
            return True  # skin_type "all" suits sensitive skin too
        if isinstance(have, bool):
            return False
        # "blue" matches "navy blue": every asked word appears in the value
        asked, value = set(words(str(want))), set(words(str(have)))
        return bool(asked) and asked <= value

    def matches(self, product: Product) -> bool:
        return any(self._value_ok(v) for name in self.names for v in product.attribute_values(name))

    def describe(self) -> str:
        label = self.names[0].replace("_", " ")
        if isinstance(self.value, bool):
            return label if self.value else f"not {label}"
        sym = {"eq": "", "gte": ">= ", "lte": "<= "}[self.op]
        return f"{label} {sym}{self.value}"


def category_matches(category: str, product: Product) -> bool:
    """A category constraint matches a path segment containing its (stemmed) words in order,
    so "running shoes" covers "Trail Running Shoes", or it matches a path prefix."""
    want = tokenize(category)
    if not want:
        return True
    if ">" in category:
        prefix = [tokenize(s) for s in category.split(">") if s.strip()]
        return [tokenize(s) for s in product.category_path[: len(prefix)]] == prefix
    for segment in product.category_path:
        seg = tokenize(segment)
        for i in range(len(seg) - len(want) + 1):
            if seg[i : i + len(want)] == want:
                return True
    return False


PRICE_FIELDS = ("price_min", "price_max", "cheaper_than", "pricier_than")


@dataclass(frozen=True)
class Constraints:
    price_min: float | None = None
    price_max: float | None = None
    cheaper_than: float | None = None  # strict bounds, for "cheaper ones?" after a list was shown
    pricier_than: float | None = None
    brands: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()  # alternatives
    in_stock: bool = False  # True: only products with stock > 0
    attributes: tuple[AttributeFilter, ...] = ()
    min_rating: float | None = None
    exclude_ids: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return self == Constraints()

    def matches(self, p: Product) -> bool:
        if self.price_min is not None and p.price < self.price_min:
            return False
        if self.price_max is not None and p.price > self.price_max:
            return False
        if self.cheaper_than is not None and p.price >= self.cheaper_than:
            return False
        if self.pricier_than is not None and p.price <= self.pricier_than:
            return False
        if self.brands and p.brand.casefold() not in {b.casefold() for b in self.brands}:
            return False
        if self.categories and not any(category_matches(c, p) for c in self.categories):
            return False
        if self.in_stock and p.stock <= 0:
            return False
        if self.min_rating is not None and (p.rating is None or p.rating < self.min_rating):
            return False
        if p.id in self.exclude_ids:
            return False
        return all(a.matches(p) for a in self.attributes)

    def where(self) -> dict | None:
        """The part Chroma can evaluate itself (scalar metadata written by ``product_metadata``)."""
        clauses: list[dict] = []
        if self.price_min is not None:
            clauses.append({"price": {"$gte": float(self.price_min)}})
        if self.price_max is not None:
            clauses.append({"price": {"$lte": float(self.price_max)}})
        if self.cheaper_than is not None:
            clauses.append({"price": {"$lt": float(self.cheaper_than)}})
        if self.pricier_than is not None:
            clauses.append({"price": {"$gt": float(self.pricier_than)}})
        if self.brands:
            clauses.append({"brand": {"$in": [b.lower() for b in self.brands]}})
        if self.in_stock:
            clauses.append({"in_stock": True})
        if self.min_rating is not None:
            clauses.append({"rating": {"$gte": float(self.min_rating)}})
        for a in self.attributes:
            if isinstance(a.value, bool) and len(a.names) == 1:
                clauses.append({f"a_{a.names[0]}": a.value})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def merged(self, newer: Constraints) -> Constraints:
        """``newer`` wins field by field where it says something (multi-turn carry-over)."""
        names = {a.names for a in newer.attributes}
        return Constraints(
            price_min=newer.price_min if newer.price_min is not None else self.price_min,
            price_max=newer.price_max if newer.price_max is not None else self.price_max,
            cheaper_than=newer.cheaper_than if newer.cheaper_than is not None else self.cheaper_than,
            pricier_than=newer.pricier_than if newer.pricier_than is not None else self.pricier_than,
            brands=newer.brands or self.brands,
            categories=newer.categories or self.categories,
            in_stock=newer.in_stock or self.in_stock,
            attributes=tuple(a for a in self.attributes if a.names not in names) + newer.attributes,
            min_rating=newer.min_rating if newer.min_rating is not None else self.min_rating,
            exclude_ids=tuple(dict.fromkeys(self.exclude_ids + newer.exclude_ids)),
        )

    def without(self, *fields: str) -> Constraints:
        """A relaxed copy (for "nothing matched, here is the closest"); "price" drops every price bound."""
        if "price" in fields:
            fields = tuple(f for f in fields if f != "price") + PRICE_FIELDS
        defaults = Constraints()
        return replace(self, **{f: getattr(defaults, f) for f in fields})

    def describe(self) -> list[str]:
        out = []
        if self.price_min is not None and self.price_max is not None:
            out.append(f"price ${self.price_min:g}-${self.price_max:g}")
        elif self.price_max is not None:
            out.append(f"price <= ${self.price_max:g}")
        elif self.price_min is not None:
            out.append(f"price >= ${self.price_min:g}")
        if self.cheaper_than is not None:
            out.append(f"cheaper than ${self.cheaper_than:,.2f}")
        if self.pricier_than is not None:
            out.append(f"pricier than ${self.pricier_than:,.2f}")
        if self.brands:
            out.append("brand " + " or ".join(self.brands))
        if self.categories:
            out.append("category " + " or ".join(self.categories))
        if self.in_stock:
            out.append("in stock")
        if self.min_rating is not None:
            out.append(f"rating >= {self.min_rating:g}")
        out += [a.describe() for a in self.attributes]
        return out


# ------------------------------------------------------------------------- extraction

# A number followed by a unit is a measurement, never a price: "at least 1000 watts", "under 40 db".
_MONEY = (
    r"\$?\s*(\d{1,6}(?:[.,]\d{1,2})?)\s*(?:\$|usd|dollars?|bucks)?"
    r"(?![\d.]*\s*(?:(?:g|kg|ml|oz|l|mm|cm|m|lbs?|inch(?:es)?|w|watts?|kw|v|volts?|db|decibels?|cfm|hp|rpm"
    r"|degrees?|ft|feet|foot|sq|square|pints?|gal(?:lons?)?|quarts?|qt|cups?|lumens?|lm|mah|hours?|hrs?|h"
    r"|min(?:ute)?s?|days?|years?|months?|mic(?:ron)?s?|people|persons?|pieces?|pcs|pack|settings?|psi|gb|tb|mp)\b"
    r"|[%\"°]))"
)
_PRICE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # "dont wanna spend more than 60" is an upper bound, not a lower one
    (
        re.compile(
            rf"\b(?:not|dont|don't|do not|wont|won't|never|can't|cannot)\s+(?:\w+\s+){{0,3}}?(?:more than|over|above)\s*{_MONEY}",
            re.I,
        ),
        "max",
    ),
    (re.compile(rf"\bbetween\s+{_MONEY}\s+(?:and|to|-)\s+{_MONEY}", re.I), "range"),
    (re.compile(rf"\bfrom\s+{_MONEY}\s+(?:to|-)\s+{_MONEY}", re.I), "range"),
    (re.compile(r"\$\s*(\d{1,6}(?:\.\d{1,2})?)\s*(?:-|to)\s*\$?\s*(\d{1,6}(?:\.\d{1,2})?)", re.I), "range"),
    (
        re.compile(
            rf"\b(?:under|below|less than|cheaper than|at most|max(?:imum)?|up to|no more than|within|budget(?: of| is)?|<=?)\s*{_MONEY}",
            re.I,
        ),
        "max",
    ),
    (re.compile(rf"\b(?:over|above|more than|at least|min(?:imum)?|>=?)\s*{_MONEY}", re.I), "min"),
    (re.compile(rf"\b(?:around|about|roughly|approximately|~)\s*{_MONEY}", re.I), "around"),
    (re.compile(rf"{_MONEY}\s*(?:or less|or under|or below|max)\b", re.I), "max"),
]
_IN_STOCK = re.compile(
    r"\b(in[- ]stock|available (?:now|today)|ships? (?:now|today)|can buy (?:now|today))\b", re.I
)
_RATING = re.compile(
    r"\b(?:rated|rating(?: of)?|at least)\s*(\d(?:\.\d)?)\s*(?:\+|stars?|or (?:more|higher|better)|and up)|\b(\d(?:\.\d)?)\s*(?:\+\s*)?stars?\s*(?:and up|or (?:more|higher|better)|\+)",
    re.I,
)
_SIZE = re.compile(
    r"\bsize\s*:?\s*(\d{1,2}(?:\.5)?|xxs|xs|s|m|l|xl|xxl|xxxl|small|medium|large|x-large|one size)\b", re.I
)
_SPF = re.compile(r"\bspf\s*(\d{1,3})\s*(\+|or (?:more|higher|above)|and up)?", re.I)
_SIZE_WORDS = {"small": "S", "medium": "M", "large": "L", "x-large": "XL"}
# Letter sizes that mean nothing else, said without the word "size": "a dress in xs".
_BARE_SIZE = re.compile(r"\b(xxs|xs|xl|xxl|xxxl)\b", re.I)
# Who it is for: "a jacket for a guy" is a men's jacket, "for my gf" a women's one.
_MEN = re.compile(
    r"\b(men|mens|men's|man|guy|guys|him|his|husband|boyfriend|bf|dad|father|son|brother|male)\b", re.I
)
_WOMEN = re.compile(
    r"\b(women|womens|women's|woman|lady|ladies|her|hers|wife|girlfriend|gf|mom|mum|mother|daughter|sister|female)\b",
    re.I,
)


def _path_has(segs: list[list[str]], want: list) -> bool:
    """``category_matches`` on a tokenized path: a prefix of segments, or words in one segment."""
    if want and isinstance(want[0], list):
        return segs[: len(want)] == want
    return bool(want) and any(
        seg[i : i + len(want)] == want for seg in segs for i in range(len(seg) - len(want) + 1)
    )


def _gender(text: str) -> str | None:
    men, women = bool(_MEN.search(text)), bool(_WOMEN.search(text))
    return "men" if men and not women else "women" if women and not men else None


_COLOUR_ATTRS = ("color", "colour", "colors", "colours")


# Values too generic to be a shopper's requirement when they appear in a sentence.
_VAGUE = frozenset(
    [
        "yes",
        "no",
        "none",
        "all",
        "any",
        "other",
        "standard",
        "regular",
        "medium",
        "max",
        "min",
        "high",
        "low",
        "light",
        "soft",
        "plain",
        "basic",
        "classic",
        "one",
        "two",
        "small",
        "large",
        "unisex",
    ]
)


def _choices(products: list[Product], taken: set[str], size_names: set[str]) -> dict[str, tuple[str, ...]]:
    """Categorical values: text attributes with a handful of distinct short values per key."""
    values: dict[str, set[str]] = {}
    for p in products:
        for name, value in p.attributes.items():
            if isinstance(value, bool) or name in size_names or name.lower() in _COLOUR_ATTRS:
                continue
            for v in p.attribute_values(name):
                if isinstance(v, str):
                    values.setdefault(name, set()).add(" ".join(words(v)))
    out: dict[str, set[str]] = {}
    for name, seen in values.items():
        if not 2 <= len(seen) <= 15:
            continue  # one value tells nothing apart; many are free text (materials, ingredients)
        for v in seen:
            if 3 <= len(v) <= 24 and len(v.split()) <= 3 and v not in _VAGUE and v not in taken:
                out.setdefault(v, set()).add(name)
    return {v: tuple(sorted(n)) for v, n in out.items()}


def _money(text: str) -> float:
    return float(text.replace(",", "."))


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # the query with price/stock phrases removed (they confuse dense retrieval)
    constraints: Constraints


@dataclass
class QueryParser:
    """Extracts constraints from text, with vocabularies taken from the shop's catalogue."""

    brands: dict[str, str] = field(default_factory=dict)  # lower -> display
    categories: dict[tuple[str, ...], tuple[str, int]] = field(
        default_factory=dict
    )  # stems -> (display, depth)
    heads: dict[str, str] = field(default_factory=dict)  # a leaf's last word, when unique -> leaf
    colours: dict[str, tuple[str, ...]] = field(default_factory=dict)  # value -> attribute names
    skin_types: dict[str, tuple[str, ...]] = field(default_factory=dict)
    flags: dict[tuple[str, ...], str] = field(default_factory=dict)  # stems -> boolean attribute
    size_names: tuple[str, ...] = ()
    spf_names: tuple[str, ...] = ()
    # Values of a shop's categorical attributes ("electric" of fuel_type, "white" of finish) ->
    # the attributes that take them: a shopper naming one means products with it.
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # every category path (for "men's jeans" in a shop split by gender) and its attribute names
    paths: tuple[tuple[str, ...], ...] = ()
    keys: dict[tuple[str, ...], frozenset[str]] = field(default_factory=dict)
    _kind_keys: dict[tuple[str, ...], frozenset[str]] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_products(cls, products: Iterable[Product]) -> QueryParser:
        parser = cls()
        products_list = list(products)
        colours: dict[str, set[str]] = {}
        skins: dict[str, set[str]] = {}
        size_names: set[str] = set()
        spf_names: set[str] = set()
        for p in products_list:
            if p.brand:
                parser.brands[p.brand.lower()] = p.brand
            for depth, seg in enumerate(p.category_path):
                stems = tuple(tokenize(seg))
                if stems:
                    parser.categories.setdefault(stems, (seg, depth))
            for name, value in p.attributes.items():
                lname = name.lower()
                if isinstance(value, bool):
                    parser.flags.setdefault(tuple(tokenize(name.replace("_", " "))), name)
                    continue
                if "size" in lname:
                    size_names.add(name)
                if "spf" in lname:
                    spf_names.add(name)
                target = colours if lname in _COLOUR_ATTRS else skins if "skin" in lname else None
                if target is not None:
                    for v in p.attribute_values(name):
                        if isinstance(v, str):
                            target.setdefault(v.lower(), set()).add(name)
        # "straightener" names the leaf "Hair Straighteners" when no other leaf ends in that word.
        heads: dict[str, set[str]] = {}
        for p in products_list:
            if p.category_path and (leaf_stems := tokenize(p.category_path[-1])):
                heads.setdefault(leaf_stems[-1], set()).add(p.category_path[-1])
        parser.heads = {h: next(iter(leaves)) for h, leaves in heads.items() if len(leaves) == 1}
        parser.paths = tuple(sorted({tuple(p.category_path) for p in products_list if p.category_path}))
        keys: dict[tuple[str, ...], set[str]] = {}
        for p in products_list:
            keys.setdefault(tuple(p.category_path), set()).update(p.attributes)
        parser.keys = {path: frozenset(names) for path, names in keys.items()}
        parser.colours = {k: tuple(sorted(v)) for k, v in colours.items()}
        parser.skin_types = {k: tuple(sorted(v)) for k, v in skins.items()}
        parser.size_names = tuple(sorted(size_names))
        parser.spf_names = tuple(sorted(spf_names))
        # A value that is also a category word ("sleeping" mask vs "Sleeping Bags") names the kind.
        category_words = {w for p in products_list for seg in p.category_path for w in words(seg)}
        parser.choices = _choices(
            products_list, set(parser.colours) | set(parser.skin_types) | category_words, size_names
        )
        return parser

    def _keys_of(self, categories: tuple[str, ...]) -> frozenset[str]:
        """The attribute names products of these categories have (once per set of categories)."""
        if categories not in self._kind_keys:
            found: set[str] = set()
            wanted = [
                [tokenize(seg) for seg in c.split(">") if seg.strip()] if ">" in c else tokenize(c)
                for c in categories
            ]
            for path, names in self.keys.items():
                segs = [tokenize(seg) for seg in path]
                if any(_path_has(segs, w) for w in wanted):
                    found |= names
            self._kind_keys[categories] = frozenset(found)
        return self._kind_keys[categories]

    def _for_gender(self, category: str, gender: str) -> tuple[str, ...]:
        """ "men's jeans" where the shop files jeans under Men and Women: the Men paths only."""
        want = tokenize(category)
        found = []
        for path in self.paths:
            segs = [tokenize(seg) for seg in path]
            if [gender] in segs and any(
                seg[i : i + len(want)] == want for seg in segs for i in range(len(seg) - len(want) + 1)
            ):
                found.append(" > ".join(path))
        return tuple(found)

    def parse(self, query: str) -> ParsedQuery:
        text = query
        price_min = price_max = None
        for pattern, kind in _PRICE_PATTERNS:
            m = pattern.search(text)
            if not m:
                continue
            if kind == "range":
                lo, hi = sorted((_money(m.group(1)), _money(m.group(2))))
                price_min, price_max = lo, hi
            elif kind == "max":
                price_max = _money(m.group(1))
            elif kind == "min":
                price_min = _money(m.group(1))
            else:
                v = _money(m.group(1))
                price_min, price_max = round(v * 0.8, 2), round(v * 1.2, 2)
            text = text[: m.start()] + " " + text[m.end() :]
        in_stock = bool(_IN_STOCK.search(text))
        text = _IN_STOCK.sub(" ", text)
        min_rating = None
        if m := _RATING.search(text):
            min_rating = float(m.group(1) or m.group(2))
            text = text[: m.start()] + " " + text[m.end() :]

        lowered = f" {' '.join(words(text))} "
        attrs: list[AttributeFilter] = []
        if self.size_names and (m := _SIZE.search(text) or _BARE_SIZE.search(text)):
            raw = m.group(1).lower()
            attrs.append(
                AttributeFilter(self.size_names, _SIZE_WORDS.get(raw, raw.upper() if raw.isalpha() else raw))
            )
        if self.spf_names and (m := _SPF.search(text)):
            attrs.append(AttributeFilter(self.spf_names, float(m.group(1)), "gte"))
        for colour, names in sorted(self.colours.items(), key=lambda kv: -len(kv[0])):
            if f" {colour} " in lowered:
                attrs.append(AttributeFilter(names, colour))
                break
        named = {n for a in attrs for n in a.names}
        plain = re.sub(r"(\w)'s\b", r"\1", lowered)  # "women's" is the value "women"
        gender = _gender(text)
        if gender and f" {gender} " not in plain:
            plain += f"{gender} "  # "for a guy": the value "men", where products have one
        for value, names in sorted(self.choices.items(), key=lambda kv: -len(kv[0])):
            if (
                f" {value} " in plain
                and not set(names) & named
                # "nothing too short" and "not too long" rule the value out; "how long is it" asks
                # a length, it does not name the value "long".
                and not re.search(
                    rf"\b(?:not|non|no|nothing|never|without|don'?t (?:have|want|need)(?: an?)?)"
                    rf"(?:[- ](?:too|so|very|overly|that|super))?[- ]{re.escape(value)}\b"
                    rf"|\bhow {re.escape(value)}\b",
                    text,
                    re.I,
                )
            ):
                attrs.append(AttributeFilter(names, value))
                named |= set(names)
        for skin, names in self.skin_types.items():
            if re.search(
                rf"\b{re.escape(skin)}(?:[- ]prone)? skin\b|\bskin type:? {re.escape(skin)}\b", text, re.I
            ):
                attrs.append(AttributeFilter(names, skin))
        stems = tokenize(text)
        stem_text = f" {' '.join(stems)} "
        for flag_stems, name in self.flags.items():
            if (
                flag_stems
                and f" {' '.join(flag_stems)} " in stem_text
                and not re.search(
                    rf"\b(?:not|non)[- ]{re.escape(name.replace('_', ' ').split()[0])}", text, re.I
                )
            ):
                attrs.append(AttributeFilter((name,), True))

        # "with a freezer": a flag named by its first word ("freezer_compartment"), never a
        # "..._free" flag (a "fragrance" is not "fragrance-free").
        named_flags = {a.names[0] for a in attrs if isinstance(a.value, bool)}
        for m in re.finditer(r"\b(?:with|has|have|having) (?:an? |built[- ]in )?(\w+)", text, re.I):
            stem = tokenize(m.group(1))
            for flag_stems, name in self.flags.items():
                if (
                    stem
                    and len(flag_stems) > 1
                    and flag_stems[0] == stem[0]
                    and not name.lower().endswith(("_free", "free", "less"))
                    and name not in named_flags
                ):
                    attrs.append(AttributeFilter((name,), True))
                    named_flags.add(name)
        brands = tuple(
            display
            for low, display in self.brands.items()
            if re.search(rf"(?<![\w]){re.escape(low)}(?![\w])", text, re.I)
        )
        categories: tuple[str, ...] = ()
        best = (0, -1, -1)
        for cat_stems, (display, depth) in self.categories.items():
            phrase = f" {' '.join(cat_stems)} "
            # The longest name wins; on a tie the deeper level ("Tents" over "Camping").
            if phrase in stem_text and (rank := (len(cat_stems), depth, stem_text.rindex(phrase))) > best:
                categories, best = (display,), rank
        heads = [(i, leaf) for i, stem in enumerate(stems) if (leaf := self.heads.get(stem))]
        if not categories:  # the head noun comes last: "fridge filters" are filters
            categories = tuple(dict.fromkeys(leaf for _, leaf in heads))[-1:]
        elif heads and categories[0] != heads[-1][1]:
            # English puts the head noun last: "backpacking stove" is a stove, not a backpack.
            at = stem_text.rindex(f" {' '.join(tokenize(categories[0]))} ")
            if len(" ".join(stems[: heads[-1][0]])) + 1 > at:
                categories = (heads[-1][1],)
        if gender and len(categories) == 1:
            categories = self._for_gender(categories[0], gender) or categories
        if categories:
            # A value of another kind's field names nothing here: "my door frame is 75 cm wide"
            # is not the shoe width "wide" when the shopper asks for pull-up bars; "for my mom"
            # is no gender filter on kettlebells.
            have = self._keys_of(categories)
            attrs = [a for a in attrs if not have or set(a.names) & have]
        cleaned = " ".join(text.split())
        return ParsedQuery(
            cleaned or query,
            Constraints(
                price_min=price_min,
                price_max=price_max,
                brands=brands,
                categories=categories,
                in_stock=in_stock,
                attributes=tuple(attrs),
                min_rating=min_rating,
            ),
        )
