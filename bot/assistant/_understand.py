"""What a turn asks, in the shopper's own words: spelling, fields, orderings, exclusions.

The intent classifier says what kind of turn it is; this module reads the parts a reply must
answer, all of them:

* chat spelling and typos are normalised first ("whats ur cheapest" -> "what is your
  cheapest"; "waterprof" -> "waterproof" when the shop's vocabulary has the word);
* every field asked about, mapped onto *this shop's* attribute keys by the words a shopper
  uses for them ("how many litres ... what does it weigh" -> capacity_l and weight_g;
  "how loud" -> noise_db), through the dimension a key measures (``Display.dimension``) and
  the words of the key itself, so a shop with other attribute names works unchanged;
* a superlative or comparative ("lightest", "the cheaper one", "best rated", "quietest") as
  an ordering over a field, and whether it is over what was just shown or a whole category;
* exclusions ("not electric", "without fragrance", "no plastic");
* "what do you sell?".
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from retrieval import ConfigError, Display, Embedder, Product, default_model_path, sentences, tokenize, words

from ..safety import neutralize

# Chat spelling a shopper types and the word it stands for. Only unambiguous forms: "n" or "r"
# alone are common in product names ("R" sizes), so "r" is only read as "are" between words.
_CHAT = {
    "ur": "your",
    "u": "you",
    "ya": "you",
    "yr": "your",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
    "ty": "thanks",
    "whats": "what is",
    "wats": "what is",
    "wat": "what",
    "hw": "how",
    "dat": "that",
    "dis": "this",
    "im": "i am",
    "dont": "don't",
    "doesnt": "doesn't",
    "isnt": "isn't",
    "cant": "can't",
    "wont": "won't",
    "didnt": "didn't",
    "wanna": "want to",
    "gonna": "going to",
    "gimme": "give me",
    "lemme": "let me",
    "abt": "about",
    "b4": "before",
    "smth": "something",
    "sth": "something",
    "w/o": "without",
    "w/": "with",
    "cuz": "because",
    "coz": "because",
    "prob": "probably",
    "rly": "really",
    "hv": "have",
    "shd": "should",
    "wud": "would",
    "cud": "could",
    "thnx": "thanks",
    "lite": "light",
    "litre": "litres",
    "liter": "litres",
    "liters": "litres",
    "womens": "women's",
    "mens": "men's",
}
_W_WITH = re.compile(r"(?<![\d.])\bw (?=(?:a|an|the|my|no|some)\b)", re.I)
_TOKEN = re.compile(r"w/o|w/|[A-Za-z][A-Za-z']*|\d[\d.,]*\d|\d|\S")


def normalise(
    text: str,
    vocabulary: set[str] | None = None,
    known: frozenset[str] = frozenset(),
    names: frozenset[str] = frozenset(),
) -> str:
    """Chat spelling expanded and unknown long words corrected to a close shop word; a word in
    ``known`` (real English words) is never "corrected" ("house" is not a typo of "hose"), and a
    word of a product name (``names``) is never respelled."""
    out: list[str] = []
    for m in _TOKEN.finditer(text):
        tok = m.group(0)
        low = tok.lower()
        # A word of a product's name stays as it is: "Lite" in "Ridgeline Lite GTX".
        if low in _CHAT and low not in names:
            out.append((" " if out else "") + _CHAT[low])
            continue
        if (
            vocabulary
            and tok.isalpha()
            and len(low) >= 5
            and low not in vocabulary
            and low not in known
            and (close := difflib.get_close_matches(low, _candidates(vocabulary, low), n=1, cutoff=0.84))
        ):
            tok = close[0]
        # Keep the original spacing: "$100", "55L", "size 10" must survive as they were typed.
        needs_space = bool(out) and m.start() > 0 and text[m.start() - 1].isspace()
        out.append((" " if needs_space else "") + tok)
    # "a microwave w a child lock": a lone "w" before an article is "with", never watts
    return _W_WITH.sub("with ", "".join(out).strip())


def _candidates(vocabulary: set[str], word: str) -> list[str]:
    # Words of similar length sharing the first letter: typos rarely hit the first letter, and
    # it keeps difflib off most of a 10k-word vocabulary.
    return [w for w in vocabulary if w[:1] == word[:1] and abs(len(w) - len(word)) <= 2]


# Which dimension or key words each shopper word asks about. Dimensions come from
# ``Display.dimension`` (unit suffixes); key words match the key's own name.
_FIELD_WORDS: list[tuple[re.Pattern[str], tuple[str, ...]]] = [
    (
        re.compile(r"\b(rain|rainy|shower|wet|splash\w*|waterproof|water[- ]resistant|submerge\w*)\b", re.I),
        ("waterproof", "water_res", "ip_rating", "ipx"),
    ),
    (
        re.compile(
            r"\b(weigh\w*|weight|heavy(?! rain| duty| use)|heavier|heaviest|light(?!s)|lighter|lightest|grams?"
            r"|kilos?|kg|lbs?|pounds?)\b",
            re.I,
        ),
        ("dim:mass", "weight"),
    ),
    (
        re.compile(
            r"\b(litres?|liters?|ml|capacity|volume|hold|holds|how big|how much does it hold|cu\.? ?ft|cubic|quarts?|cups?)\b",
            re.I,
        ),
        ("dim:volume", "capacity", "volume"),
    ),
    (re.compile(r"\b(how long is|length|long(?! does| will| do)|longer|longest)\b", re.I), ("length",)),
    (
        re.compile(r"\b(measurements?|dimensions?|how big is it)\b", re.I),
        ("width", "height", "depth", "dimension"),
    ),
    (re.compile(r"\b(tall|height|taller|tallest|high)\b", re.I), ("height",)),
    (re.compile(r"\b(wide|width|wider|widest)\b", re.I), ("width",)),
    (re.compile(r"\b(deep|depth|deeper|deepest)\b", re.I), ("depth",)),
    (re.compile(r"\b(thick|thickness|thicker|thickest|thin|thinner|thinnest)\b", re.I), ("thickness",)),
    (
        re.compile(r"\b(warm|warmth|warmer|warmest|degrees?|temperature|cold|how low|how hot|heat)\b", re.I),
        ("dim:temperature", "temperature"),
    ),
    (re.compile(r"\b(watts?|wattage|power|powerful)\b", re.I), ("dim:power", "watt", "power")),
    (re.compile(r"\b(bright|brightness|brighter|brightest|lumens?)\b", re.I), ("lumen",)),
    (
        re.compile(r"\b(loud|louder|loudest|quiet|quieter|quietest|noise|noisy|decibels?|db)\b", re.I),
        ("noise", "db"),
    ),
    (
        re.compile(r"\b(how many (?:people|persons)|sleeps|person|people)\b", re.I),
        ("persons", "people", "capacity_p"),
    ),
    (
        re.compile(
            r"\b(how long does (?:\w+ ){0,3}last|battery life|runtime|run time|burn time|lasts? for)\b", re.I
        ),
        ("dim:time", "runtime", "burn_time", "battery_life"),
    ),
    (re.compile(r"\b(battery|batteries|rechargeable)\b", re.I), ("battery",)),
    (re.compile(r"\b(colou?rs?|come in|shades?|finish)\b", re.I), ("color", "colour", "finish", "shade")),
    (re.compile(r"\b(sizes?|fit)\b", re.I), ("size",)),
    (re.compile(r"\b(materials?|made of|made from|fabric)\b", re.I), ("material", "fabric")),
    # where a thing is made: the record's origin or country field, whatever the shop calls it
    (
        re.compile(
            r"\b(where (?:is|are|was|were) (?:\w+ ){0,4}made|made in|country of origin|origin)\b", re.I
        ),
        ("origin", "country", "made_in"),
    ),
    (re.compile(r"\b(ingredients?|contains?)\b", re.I), ("ingredient",)),
    (re.compile(r"\b(skin types?|oily|dry skin|sensitive|combination)\b", re.I), ("skin",)),
    (re.compile(r"\b(warranty|guarantee)\b", re.I), ("warranty",)),
    (re.compile(r"\b(drop|heel[- ]to[- ]toe)\b", re.I), ("drop",)),
    (re.compile(r"\b(horsepower|hp)\b", re.I), ("horsepower", "hp")),
    (re.compile(r"\b(voltage|volts?)\b", re.I), ("volt",)),
    (re.compile(r"\b(cord|cable)\b", re.I), ("cord_", "cable")),
    (re.compile(r"\b(how often|change the filter|filter life)\b", re.I), ("life", "replace")),
    # what a filter or purifier takes out: "does it filter out lead" -> reduces / removes
    (
        re.compile(
            r"\b(filter(?:s)? out|remove[sd]?|reduce[sd]?|get rid of|gets rid of|take[s]? out)\b", re.I
        ),
        ("reduce", "remov", "contaminant"),
    ),
    (re.compile(r"\bspf\b", re.I), ("spf",)),
    # "how much does it weigh" asks the weight, not the price
    (re.compile(r"\b(price|cost|how much(?!\s+(?:\w+\s+){1,3}(?:weigh|hold|fit|take)))\b", re.I), ("price",)),
    (re.compile(r"\b(in stock|available|availability|sold out|out of stock|any left)\b", re.I), ("stock",)),
    (re.compile(r"\b(rating|rated|reviews?|\d stars?|stars? rating|how many stars)\b", re.I), ("rating",)),
]

Direction = Literal["min", "max"]
# Superlative/comparative words: the field hints (as in _FIELD_WORDS) and which end is "best".
_ORDER_WORDS: list[tuple[re.Pattern[str], tuple[str, ...], Direction, str]] = [
    (
        re.compile(
            r"\b(lightest|lighter|least heavy|as light as possible|ultra ?light|weighs? (?:the )?least|least weight)\b",
            re.I,
        ),
        ("dim:mass", "weight"),
        "min",
        "lightest",
    ),
    (
        re.compile(r"\b(heaviest|heavier|weighs? (?:the )?most)\b", re.I),
        ("dim:mass", "weight"),
        "max",
        "heaviest",
    ),
    (
        re.compile(
            r"\b(cheapest|cheaper|least expensive|less expensive|lowest price|lowest priced|most affordable|more affordable"
            r"|cheap|inexpensive|affordable)\b",
            re.I,
        ),
        ("price",),
        "min",
        "cheapest",
    ),
    (
        re.compile(r"\b(most expensive|more expensive|priciest|pricier|highest price)\b", re.I),
        ("price",),
        "max",
        "most expensive",
    ),
    (
        re.compile(
            r"\b(best rated|highest rated|top rated|best reviewed|better rated|best reviews|highest rating)\b",
            re.I,
        ),
        ("rating",),
        "max",
        "best rated",
    ),
    (
        re.compile(r"\b(biggest|largest|bigger|larger|roomiest|most capacity|most space)\b", re.I),
        ("dim:volume", "capacity", "persons", "volume"),
        "max",
        "largest",
    ),
    (
        re.compile(r"\b(smallest|smaller|most compact|more compact)\b", re.I),
        ("dim:volume", "capacity", "volume"),
        "min",
        "smallest",
    ),
    (
        re.compile(r"\b(longest|longer)\b", re.I),
        ("length", "battery", "runtime", "burn_time"),
        "max",
        "longest",
    ),
    (re.compile(r"\b(shortest|shorter)\b", re.I), ("length",), "min", "shortest"),
    # faster = less time: "which one boils water the fastest" ranks boil_time_min
    (re.compile(r"\b(fastest|faster|quickest|quicker)\b", re.I), ("dim:time",), "min", "fastest"),
    (
        re.compile(r"\b(warmest|warmer)\b", re.I),
        ("temperature",),
        "min",
        "warmest",
    ),  # lower comfort rating = warmer
    (re.compile(r"\b(brightest|brighter)\b", re.I), ("lumen",), "max", "brightest"),
    (
        re.compile(r"\b(most powerful|more powerful|strongest)\b", re.I),
        ("dim:power", "watt", "power", "horsepower"),
        "max",
        "most powerful",
    ),
    (re.compile(r"\b(quietest|quieter|least noisy|less noisy)\b", re.I), ("noise", "db"), "min", "quietest"),
    (re.compile(r"\b(loudest|louder)\b", re.I), ("noise", "db"), "max", "loudest"),
    (re.compile(r"\b(thinnest|thinner)\b", re.I), ("thickness",), "min", "thinnest"),
    (re.compile(r"\b(thickest|thicker)\b", re.I), ("thickness",), "max", "thickest"),
    (re.compile(r"\b(tallest|taller)\b", re.I), ("height",), "max", "tallest"),
    (re.compile(r"\b(widest|wider)\b", re.I), ("width",), "max", "widest"),
    (re.compile(r"\b(highest spf|most protection|strongest spf)\b", re.I), ("spf",), "max", "highest SPF"),
    (re.compile(r"\b(newest|latest|most recent)\b", re.I), ("released", "year", "date"), "max", "newest"),
]
_SHOWN = re.compile(
    r"\b(th(?:ose|ese|em)|of (?:the|those|these) (?:\w+ )?(?:ones?|options|shown|two|three|four|five)|which one|the one|"
    r"you (?:just )?showed|above|listed|out of (?:those|these|them))\b",
    re.I,
)
_BRANDS = re.compile(r"\b(?:what|which) brands?\b|\bbrands? (?:do|does) (?:you|u)\b", re.I)
_OVERVIEW = re.compile(
    r"\bwhat (?:do|does|can) (?:you|u|your shop|the shop|this shop|y'?all) (?:sell|carry|have|offer|stock)\b"
    r"|\bwhat (?:kind|sort|type)s? of (?:things|stuff|products|items) (?:do|does|can)\b"
    r"|\bwhat (?:products|categories|departments) (?:do|are)\b|\bwhat(?:'s| is) in (?:your|the) (?:shop|store|catalog)",
    re.I,
)
_EXCLUDE = re.compile(
    r"\b(?:not|non|no|without|except|excluding|free of|nothing|(?:do ?n[o']?t|never) (?:have|want|need|like)(?: an?| any)?)"
    r"[- ](\w+(?:[- ]\w+)?)",
    re.I,
)
_STOP_AFTER_NEG = frozenset(
    {
        "too",
        "more",
        "a",
        "an",
        "the",
        "very",
        "so",
        "that",
        "sure",
        "one",
        "ones",
        "longer",
        "over",
        "under",
        "than",
        "in",
        "available",
    }
)


# Fit talk: "do they run true to size?", "im usually between sizes, should i go up or down".
_FIT_TALK = re.compile(
    r"\b(?:runs?|running|fits?|fitting|sized?) (?:big|small|large|true|narrow|wide|short|long)\b|true to size"
    r"|\bsize (?:up|down)\b|\bwhat size\b|\bbetween sizes\b|\bgo up or down\b",
    re.I,
)
# A clause that asks ("where are they made", "should i go up"), as opposed to one that tells.
QUESTION_START = re.compile(
    r"(?:\w+ )?(?:how|what|whats|which|where|when|who|why|does|do|is|are|can|could|will|would|should|has|have)\b",
    re.I,
)


def asked_part(text: str) -> str:
    """The sentences that ask, when the message also says other things: "can i pay monthly?
    the dryer is kinda expensive" looks up paying, not dryers."""
    asking = [m.group(0) for m in re.finditer(r"[^?.!]*\?", text) if m.group(0).strip(" ?")]
    return " ".join(a.strip() for a in asking) if asking and len(" ".join(asking)) < len(text) else text


def asks_about_fit(text: str) -> bool:
    """How a product fits compared with its size, not which sizes it comes in."""
    return bool(_FIT_TALK.search(text))


_YES_NO = re.compile(r"^\s*(?:does|do|is|are|can|could|will|would|has|have|did)\b", re.I)


_HAS = re.compile(r"\b(has|have|contains?|comes? with|fits?|works? with|includes?)\b", re.I)


def asks_which_has(text: str) -> bool:
    """A question about what a product has or fits ("which one has a rock plate", "which of
    those fits kelvara"), as opposed to "show me more of those"."""
    return bool(_HAS.search(text))


def asks_yes_no(text: str) -> bool:
    """A yes/no question, or one part of the message is: "does it fold?", "how much is it and
    does it come in wide?"."""
    return any(_YES_NO.match(part) for part in re.split(r"\band\b|[,;?]", text))


@dataclass(frozen=True)
class Ordering:
    hints: tuple[str, ...]  # field hints (see _FIELD_WORDS)
    direction: Direction
    word: str  # how a person says it: "lightest"
    comparative: bool  # "the cheaper one" (pick one of the shown) vs "lightest"
    soft: bool = False  # "cheap": the relevant matches low end first, not the category's extreme


@dataclass(frozen=True)
class Reading:
    """What one turn asks, beyond its intent."""

    text: str  # normalised
    fields: tuple[tuple[str, ...], ...]  # hints per field asked about, in the order asked
    ordering: Ordering | None
    about_shown: bool  # "of those", "which one": the last results are the scope
    excluded: tuple[str, ...]  # words a product must not have ("electric", "plastic")
    negated_flags: tuple[str, ...]  # words right after a negation ("not waterproof")
    overview: bool  # "what do you sell?"
    brands: bool = False  # "what brands do you carry?"


def read(text: str) -> Reading:
    fields = []
    taken: list[tuple[int, int]] = []
    ordering = None
    for pattern, hints, direction, word in _ORDER_WORDS:
        if m := pattern.search(text):
            comparative = m.group(1).lower().endswith("er") or m.group(1).lower().startswith(
                ("more", "less", "better")
            )
            # "cheap" or "affordable" prefers the low end among what fits; it does not ask for
            # the single cheapest of a whole category the way "cheapest" does.
            soft = m.group(1).lower() in ("cheap", "inexpensive", "affordable")
            ordering = Ordering(hints, direction, word, comparative, soft)
            taken.append(m.span())
            break
    found: list[tuple[int, tuple[str, ...]]] = []
    for pattern, hints in _FIELD_WORDS:
        for m in pattern.finditer(text):
            if any(a <= m.start() < b for a, b in taken):
                continue
            if ordering is not None and hints == ordering.hints:
                continue
            found.append((m.start(), hints))
            taken.append(m.span())  # "how long does the battery last" is about time, not the battery
            break
    fields = [h for _, h in sorted(found)]
    excluded, negated = [], []
    for m in _EXCLUDE.finditer(text):
        phrase = m.group(1).lower().replace("-", " ")
        head = phrase.split()[0]
        if head in _STOP_AFTER_NEG:
            continue
        negated.append(head)
        excluded.append(head)
    return Reading(
        text=text,
        fields=tuple(dict.fromkeys(fields)),
        ordering=ordering,
        about_shown=bool(_SHOWN.search(text)),
        excluded=tuple(dict.fromkeys(excluded)),
        negated_flags=tuple(dict.fromkeys(negated)),
        overview=bool(_OVERVIEW.search(text)) or bool(_BRANDS.search(text)),
        brands=bool(_BRANDS.search(text)),
    )


def without_field_words(text: str) -> str:
    """The text less every word that names a field or an ordering ("how many watts and what are
    the measurements" -> "and what are the"): what is left may ask something else."""
    for pattern in [f[0] for f in _FIELD_WORDS] + [o[0] for o in _ORDER_WORDS]:
        text = pattern.sub(" ", text)
    return text


# ----------------------------------------------------------------------------- keys


def keys_for(hints: tuple[str, ...], products: Iterable[Product], display: Display) -> list[str]:
    """This shop's fields matching a hint, most common first ("dim:mass" -> weight_g, weight_kg)."""
    counts: dict[str, int] = {}
    for p in products:
        for key in ("price", "rating", "stock", *p.attributes):
            if _key_matches(key, hints, display):
                counts[key] = counts.get(key, 0) + 1
    return sorted(counts, key=lambda k: -counts[k])


def _key_matches(key: str, hints: tuple[str, ...], display: Display) -> bool:
    low = key.lower()
    for hint in hints:
        if hint.startswith("dim:"):
            if key not in ("price", "rating", "stock") and display.dimension(key) == hint[4:]:
                return True
        elif hint in ("price", "rating", "stock"):
            if low == hint:
                return True
        elif hint in low:
            return True
    return False


# Cosine (MiniLM) between a question, less the product's name, and a field's label, above which
# the question asks that field in other words: "does it turn off by itself" / "auto shutoff"
# 0.64, "can i wash it" / "machine washable" 0.72, "where is it made" / "origin" 0.54, "how hot
# does it get" / "max temp" 0.52; unrelated fields stay under 0.4.
MEANING_SIMILARITY = 0.48
_MEANING_MARGIN = 0.06  # fields this close to the best are asked too ("max temp", "heat settings")


class FieldMeaning:
    """Which of a product's fields a question asks about when no shopper word names one: the
    embedder compares the question with each field's label. Labels are embedded once per shop."""

    def __init__(self, embedder: Embedder, display: Display):
        self.embedder = embedder
        self.display = display
        self._labels: dict[str, np.ndarray] = {}
        self._sentences: dict[str, np.ndarray] = {}

    def keys(self, question: str, product: Product, most: int = 2) -> list[str]:
        title = {w.lower() for w in words(f"{product.title} {product.brand}")}
        asked = " ".join(w for w in words(question) if w.lower() not in title)
        keys = [k for k in product.attributes if len(self.display.label(k)) > 2]
        if not asked or not keys:
            return []
        missing = [k for k in keys if k not in self._labels]
        if missing:
            for k, v in zip(
                missing, self.embedder.embed_batch([self.display.label(k) for k in missing]), strict=True
            ):
                self._labels[k] = v
        sims = np.stack([self._labels[k] for k in keys]) @ self.embedder.embed(asked)
        best = float(sims.max())
        if best < MEANING_SIMILARITY:
            return []
        order = np.argsort(-sims)[:most]
        return [keys[i] for i in order if sims[i] >= best - _MEANING_MARGIN]

    def similarity(self, question: str, candidates: list[str]) -> np.ndarray:
        """Cosine of each candidate sentence with the question (sentences embedded once)."""
        missing = [c for c in dict.fromkeys(candidates) if c not in self._sentences]
        if missing:
            for c, v in zip(missing, self.embedder.embed_batch(missing), strict=True):
                self._sentences[c] = v
        return np.stack([self._sentences[c] for c in candidates]) @ self.embedder.embed(question)

    def evidence(self, question: str, product: Product, candidates: list[str]) -> str | None:
        """The description sentence that answers the question in other words ("does it turn off
        by itself" -> "It switches off automatically after 30 minutes idle"), or None."""
        return sentence_evidence(self.embedder, question, candidates, self._sentences)


# Cosine between a question and a description sentence above which the sentence answers it:
# "does it turn off by itself" / "It switches off automatically after 30 minutes idle" 0.56,
# "how much essence is on each sheet" / "Each sheet is soaked in 25 ml of essence" 0.75; for
# questions the record does not answer ("is it made in the usa", "does it need a water line")
# the best sentence stays under 0.25.
EVIDENCE_SIMILARITY = 0.45


def sentence_evidence(
    embedder: Embedder, question: str, candidates: list[str], cache: dict[str, np.ndarray]
) -> str | None:
    """The one sentence that answers the question in other words, or None."""
    if not candidates or not question.strip():
        return None
    missing = [c for c in candidates if c not in cache]
    if missing:
        for c, v in zip(missing, embedder.embed_batch(missing), strict=True):
            cache[c] = v
    sims = np.stack([cache[c] for c in candidates]) @ embedder.embed(question)
    best = int(sims.argmax())
    return candidates[best] if sims[best] >= EVIDENCE_SIMILARITY else None


def ranked_by(
    products: Iterable[Product], hints: tuple[str, ...], direction: Direction, display: Display
) -> tuple[str, list[tuple[Product, float]]]:
    """Products that have the field, best first, with the key compared (units reconciled)."""
    pool = list(products)
    keys = keys_for(hints, pool, display)
    if not keys:
        return "", []
    values: list[tuple[Product, float]] = []
    for p in pool:
        amount = _amount(p, keys, display)
        if amount is not None:
            values.append((p, amount))
    values.sort(key=lambda pv: pv[1], reverse=direction == "max")
    return keys[0], values


def _amount(p: Product, keys: list[str], display: Display) -> float | None:
    for key in keys:
        if key == "price":
            return p.price
        if key == "rating":
            return p.rating
        if key in p.attributes:
            q = display.quantity(key, p.attributes[key])
            if q is not None:
                return q[1]
    return None


def key_of(p: Product, keys: list[str]) -> str | None:
    """The first of ``keys`` this product has a value for."""
    for key in keys:
        if key in ("price", "rating") or key in p.attributes:
            return key
    return None


def mentions(p: Product, word: str) -> bool:
    """The product's title, category, tags or attribute values use the word (for exclusions)."""
    text = " ".join(
        [p.title, p.category, " ".join(p.tags)]
        # Boolean flags are left out: "fragrance_free" holds the very word it excludes.
        + [f"{k} {v}" for k, v in p.attributes.items() if not isinstance(v, bool)]
    )
    have = set(words(text.replace("_", " ")))
    return word.lower() in have or word.lower().rstrip("s") in have


@functools.lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Whole words of the bundled embedder's WordPiece vocabulary: ~20k common English words,
    enough to tell a real word from a typo. Empty when the file is not there."""
    try:
        path = Path(default_model_path()) / "vocab.txt"
        return frozenset(w for w in path.read_text(encoding="utf-8").split() if w.isalpha() and len(w) >= 4)
    except (OSError, ConfigError):
        return frozenset()


def protected_words() -> set[str]:
    """Words this module reads, so typo correction never "corrects" them into shop words."""
    out: set[str] = set()
    patterns = [p for p, _ in _FIELD_WORDS] + [p for p, _, _, _ in _ORDER_WORDS]
    patterns += [_SHOWN, _OVERVIEW, _EXCLUDE, _BRANDS, _BOUND, _PEOPLE]
    for pattern in patterns:
        out.update(re.findall(r"[a-z]{3,}", pattern.pattern))
    out.update(w for v in _CHAT.values() for w in v.split())
    return out


def flag_filters(
    negated: Iterable[str], flags: dict[tuple[str, ...], str]
) -> tuple[list[tuple[str, bool]], list[str]]:
    """Negated words as boolean filters where the shop has a flag for them ("not waterproof" ->
    waterproof False; "without fragrance" -> fragrance_free True); the rest stay exclusions."""
    by_word: dict[str, str] = {}
    for _stems, name in flags.items():
        by_word.setdefault(name.lower(), name)
    filters: list[tuple[str, bool]] = []
    rest: list[str] = []
    for word in negated:
        w = word.lower()
        free = next(
            (n for k, n in by_word.items() if k in (f"{w}_free", f"{w}free", f"{w.rstrip('s')}_free")), None
        )
        if free:
            filters.append((free, True))
        elif (same := by_word.get(w)) is not None:
            filters.append((same, False))
        else:
            rest.append(w)
    return filters, rest


# "under 3kg", "at least 55 litres", "sleeps 2": a bound on a measured field, in the shopper's unit.
_UNITS: dict[str, tuple[str, float]] = {
    "g": ("mass", 1.0),
    "grams": ("mass", 1.0),
    "gram": ("mass", 1.0),
    "kg": ("mass", 1000.0),
    "kilo": ("mass", 1000.0),
    "kilos": ("mass", 1000.0),
    "lb": ("mass", 453.592),
    "lbs": ("mass", 453.592),
    "pounds": ("mass", 453.592),
    "oz": ("mass", 28.3495),
    "ml": ("volume", 1.0),
    "l": ("volume", 1000.0),
    "litre": ("volume", 1000.0),
    "litres": ("volume", 1000.0),
    "liter": ("volume", 1000.0),
    "liters": ("volume", 1000.0),
    "mm": ("length", 1.0),
    "cm": ("length", 10.0),
    "in": ("length", 25.4),
    "inch": ("length", 25.4),
    "inches": ("length", 25.4),
    "ft": ("length", 304.8),
    "feet": ("length", 304.8),
    "w": ("power", 1.0),
    "watts": ("power", 1.0),
    "watt": ("power", 1.0),
}
_BOUND = re.compile(
    r"\b(under|below|less than|lighter than|at most|max(?:imum)?|up to|no more than|over|above|more than|"
    r"at least|min(?:imum)?|bigger than|heavier than)\s*(\d+(?:\.\d+)?)\s*-?\s*"
    r"(kg|kilos?|grams?|g|lbs?|pounds|oz|ml|litres?|liters?|l|mm|cm|inch(?:es)?|in|ft|feet|watts?|w)\b",
    re.I,
)
_PEOPLE = re.compile(
    r"\b(?:sleeps|for|fits|seats)\s+(\d{1,2}|one|two|three|four|five|six)(?:\s*(?:people|persons?|adults?))?\b",
    re.I,
)
_N_PERSON = re.compile(r"\b(\d{1,2}|one|two|three|four|five|six|solo)[- ]?(?:person|people|man)\b", re.I)
_COUNT_WORDS = {"one": 1, "solo": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_SIZE = re.compile(
    r"(?<![\d.$])(\d{1,3}(?:\.\d)?)[- ]?(inch|inches|in|cm)\b(?! clearance| deep| tall| high)", re.I
)
_UPPER = ("under", "below", "less than", "lighter than", "at most", "max", "maximum", "up to", "no more than")


@dataclass(frozen=True)
class Bound:
    dimension: str  # "mass", "volume", "length", "power", or "persons"
    amount: float  # in the dimension's base unit (g, ml, mm, W) or a count
    op: Literal["lte", "gte", "eq"]


def bounds(text: str) -> list[Bound]:
    out = []
    for m in _BOUND.finditer(text):
        dim, factor = _UNITS[m.group(3).lower()]
        op: Literal["lte", "gte"] = "lte" if m.group(1).lower() in _UPPER else "gte"
        out.append(Bound(dim, float(m.group(2)) * factor, op))
    for m in _SIZE.finditer(text):  # "an 18 inch dishwasher": that size
        if not any(b.dimension == "length" for b in out) and float(m.group(1)) >= 5:
            dim, factor = _UNITS[m.group(2).lower()]
            out.append(Bound(dim, float(m.group(1)) * factor, "eq"))
    for m in _PEOPLE.finditer(text):
        n = _count(m.group(1))
        if 1 <= n <= 12:
            out.append(Bound("persons", float(n), "gte"))
    for m in _N_PERSON.finditer(text):  # "a one person tent", "2-person": that size exactly
        n = _count(m.group(1))
        if 1 <= n <= 12 and not any(b.dimension == "persons" for b in out):
            out.append(Bound("persons", float(n), "eq"))
    return out


def _count(word: str) -> int:
    return _COUNT_WORDS.get(word.lower(), 0) if not word.isdigit() else int(word)


# ----------------------------------------------------------------------------- what a record says

_NEGATION = re.compile(
    r"\b(not|no|never|without|isn't|aren't|doesn't|don't|cannot|can't|sold separately|free of)\b|\w-free\b",
    re.I,
)


def record_says(p: Product, wanted: list[set[str]]) -> bool:
    """The record says the product has every wanted thing: in its title, tags or a true flag,
    or in one description sentence that does not deny it ("the drain hose is not included")."""
    flags = " ".join(
        k.replace("_", " ") for k, v in p.attributes.items() if v is True or not isinstance(v, bool)
    )
    values = " ".join(str(v) for v in p.attributes.values() if not isinstance(v, bool))
    said = f"{p.title} {' '.join(p.tags)} {flags} {values}"
    said = re.sub(r"\b[\w]+-free\b|\b(?:no|non|free of)[- ]\w+", " ", said, flags=re.I)  # "latex-free"
    plain = set(tokenize(said))
    if all(stems <= plain for stems in wanted):
        return True
    for sent in sentences(neutralize(p.description)):
        have = set(tokenize(sent)) | plain
        if all(stems <= have for stems in wanted) and not _NEGATION.search(sent):
            return True
    return False
