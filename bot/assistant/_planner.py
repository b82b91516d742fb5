"""The deterministic planner: intent + slots + conversation memory -> one route with its targets.

Used with models that cannot call tools (the bundled base model): the planner decides every
tool call, the model only phrases. Routing is learned (``IntentClassifier`` over sentence
embeddings, trained from ``data/intents``); slots are read with the catalogue's vocabulary;
follow-ups resolve against ``ConversationState`` ("cheaper ones?", "the second one", "does it
come in blue?").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from typing import Literal, cast

from retrieval import (
    AttributeFilter,
    Constraints,
    ParsedQuery,
    Product,
    QueryParser,
    Shop,
    sentences,
    tokenize,
    words,
)

from ._intents import DEFAULT_INTENTS_CSV, IntentClassifier, IntentPrediction, read_intent_csv
from ._slots import SlotExtractor, Slots, pick
from ._state import ConversationState
from ._understand import (
    QUESTION_START,
    Direction,
    FieldMeaning,
    Ordering,
    Reading,
    asked_part,
    asks_about_fit,
    asks_which_has,
    asks_yes_no,
    bounds,
    english_words,
    flag_filters,
    keys_for,
    normalise,
    protected_words,
    ranked_by,
    read,
    record_says,
)

Route = Literal[
    "greeting",
    "product_search",
    "product_question",
    "compare",
    "recommend",
    "order_status",
    "order_change",
    "policy",
    "handoff",
    "off_topic",
    "abusive",
    "injection",
    "clarify",
]
ROUTES: tuple[str, ...] = Route.__args__  # type: ignore[attr-defined]


def route_of(intent: str) -> Route:
    """The route an intent label leads to: asking for a person or complaining is a handoff; a
    label that is no route (a custom classifier's) asks the shopper to rephrase."""
    if intent in ("human", "complaint"):
        return "handoff"
    return cast(Route, intent) if intent in ROUTES else "clarify"


_ABOUT_IT = re.compile(r"\b(it|its|it's|this one|that one|this|that)\b", re.I)
_POLICY_WORDS = re.compile(
    r"\b(return|refund|ship|shipping|deliver|delivery|warranty|pay|payment|exchange|policy|order)\w*", re.I
)
_IT = re.compile(r"\b(it|its|it's|this one|that one)\b", re.I)
# A question rather than a noun phrase: "how many lumens is it" asks; "waterproof shoes in size 10" searches.
_ASKS = re.compile(r"\b(how|what|what's|whats|which|does|do|is|are|can|will)\b", re.I)
_SERVICE = re.compile(
    r"\b(install\w*|hook(?:ed)? (?:it |them )?up|(?:mount|put|set) (?:it|them) (?:in |up )?for (?:me|us)|haul away|shipping|ship|deliver\w*|financ\w*|monthly|"
    r"pay (?:in|over|monthly)|instal+ments?|warranty|return\w*|refund\w*)\b",
    re.I,
)
_KEY_SUPERLATIVE = re.compile(
    r"\b(best|highest|most|max(?:imum)?|lowest|least|fewest|min(?:imum)?)\s+(\w+(?:[ -]\w+){0,2})", re.I
)
_REFINES = re.compile(
    r"\b(what about|how about|something|anything|any other|other ones?|ones? that|one with|ones with)\b", re.I
)
_PICK_ONE = re.compile(r"\bwhich\b|\bthe \w+(?:er)? one\b|\bone is\b", re.I)
_CANNED = {"greeting", "off_topic", "abusive", "injection"}
# Cosine (MiniLM) above which a shopper's word is the shop's word for the same thing:
# fridge/refrigerator 0.96, sneakers/shoes 0.86, sofa/couch 0.86; laptop/computer 0.71.
SYNONYM_SIMILARITY = 0.85
# Off-topic confidence above which a catalogue word does not make the message a search: "write
# me a poem about my fridge" is 0.97 with shop_intents_v2; "a fridge water filter that takes out
# lead" is read as a search by the classifier itself.
SURE_OFF_TOPIC = 0.85
_THE_DESCRIBED_ONE = re.compile(r"\bthe ((?:[\w'-]+ ){0,2}[\w'-]+) one\b", re.I)
_NOT_DESCRIPTIONS = frozenset(
    [
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "last",
        "other",
        "same",
        "next",
        "that",
        "this",
        "previous",
        "top",
        "bottom",
        "1st",
        "2nd",
        "3rd",
        "4th",
    ]
)
_NUMBER_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "eight": 8,
    "ten": 10,
}
# Words in front of a kind that order or judge rather than name a type of it.
_ORDERING_WORDS = frozenset(
    {
        "best",
        "cheapest",
        "cheap",
        "cheaper",
        "good",
        "great",
        "nice",
        "new",
        "newest",
        "longest",
        "shortest",
        "lightest",
        "heaviest",
        "biggest",
        "smallest",
        "largest",
        "warmest",
        "quietest",
        "loudest",
        "top",
        "highest",
        "lowest",
        "most",
        "least",
        "your",
        "you",
        "any",
        "some",
        "the",
    }
)
_PRONOUN = re.compile(r"\b(it|its|they|them|these|this one|that one)\b", re.I)
# "with a child lock", "that has a zip pocket": up to two words, up to a comma or a bound
_WITH_FEATURE = re.compile(
    r"\b(?:with|w/|has|have|that has|having)\s+(?:an?\s+|built[- ]in\s+)?((?:(?!under|over|at|and|in|for)\w+)(?:\s+(?!under|over|at|and|in|for)\w+)?)",
    re.I,
)
# "the lightest roller overall": the whole kind, not the list on screen
_WHOLE_KIND = re.compile(r"\b(overall|of all|in the (?:shop|store)|you (?:have|sell|carry)|of your)\b", re.I)
_EACH = re.compile(r"\b(each|both|those|these|them|they|all of them|every one)\b", re.I)
_THEY = re.compile(r"\b(?:they|all of them|each of them|all (?:three|four))\b", re.I)
_THE_ONE = re.compile(r"\bthe \w+er one\b|\bthe (?:more|less) \w+ one\b", re.I)  # "the cheaper one"
_STARTS_REFINEMENT = re.compile(
    r"^\s*(?:(?:forget|never ?mind|drop|skip)\b[^,.;]*[,.;]\s*)?"  # "forget waterproof, anything in 9?"
    r"(what about|how about|and|any|anything|only|but|also|in|with|without|cheaper|"
    r"something|show me (?:some|more|other)|more)\b",
    re.I,
)


@dataclass(frozen=True)
class Plan:
    route: Route
    intent: IntentPrediction
    slots: Slots
    query: str = ""  # what to search for (may be the previous query, refined)
    constraints: Constraints = field(default_factory=Constraints)
    targets: tuple[str, ...] = ()  # product ids the turn is about
    asked_value: tuple[str, tuple[str, ...]] | None = None  # ("blue", colour keys): "does it come in blue?"
    order_id: str | None = None
    reading: Reading | None = None  # fields, ordering, exclusions asked about (``_understand``)
    scope: tuple[str, ...] = ()  # the products an ordering ranks ("lightest of those"), when shown
    forgot: bool = (
        False  # a filter was taken back ("forget the carbon plate"): search by ``constraints`` only
    )


class Planner:
    def __init__(
        self,
        shop: Shop,
        classifier: IntentClassifier,
        parser: QueryParser,
        *,
        min_confidence: float = 0.40,
        vocabulary: set[str] | None = None,
    ):
        self.shop = shop
        self.classifier = classifier
        self.parser = parser
        self.slots = SlotExtractor(shop)
        self.min_confidence = min_confidence
        self.vocabulary = vocabulary if vocabulary is not None else shop_vocabulary(shop)
        self.vocabulary |= protected_words()
        self._numeric_keys = sorted(
            {
                k
                for p in shop.products.values()
                for k, v in p.attributes.items()
                if isinstance(v, int | float) and not isinstance(v, bool)
            }
        )
        self._leaves = {p.category_path[-1] for p in shop.products.values() if p.category_path}
        self._name_words = frozenset(w for p in shop.products.values() for w in words(f"{p.title} {p.brand}"))
        embedder = getattr(classifier, "embedder", None)
        # Fields asked in other words ("and washing machine ok?" -> machine_washable)
        self.meaning = FieldMeaning(embedder, shop.display) if embedder is not None else None

    def understood(self, text: str) -> bool:
        """False for gibberish: most words appear nowhere in the shop or the training utterances."""
        said = words(text)
        if len(said) < 2:
            return True
        return sum(w in self.vocabulary for w in said) / len(said) >= 0.34

    def normalise(self, text: str) -> str:
        """Chat spelling and typos fixed against the shop's words ("whats ur cheapest")."""
        return normalise(text, self.vocabulary, english_words(), self._name_words)

    def prepare(self, said: str, raw: str) -> None:
        """Embed in one batch what this turn will look up one by one (the message for the intent,
        the raw text for the handoff triggers, the query for search): the embedder's cache then
        answers those calls, and one call costs less than three on a busy core."""
        embedder = getattr(self.classifier, "embedder", None)
        if embedder is not None:
            embedder.embed_batch(list(dict.fromkeys([said, raw, self.parser.parse(said).text or said])))

    def plan(self, text: str, state: ConversationState, intent: IntentPrediction | None = None) -> Plan:
        intent = intent or self.classifier.predict_one(text)
        parsed = self.parser.parse(text)
        asking = asked_part(text)
        if asking != text:
            story = self.parser.parse(asking)
            leads = text.strip().lower().startswith(asking.strip().lower()[:20])  # the story comes after it
            if story.constraints.categories != parsed.constraints.categories and (
                story.constraints.categories or leads
            ):
                # "whats the lightest roller overall? for my travel bag": the question names the
                # kind (or none), not the story after it; it is also what to search for
                kind = story.constraints.categories
                parsed = replace(
                    parsed, text=story.text, constraints=replace(parsed.constraints, categories=kind)
                )
        slots = self.slots.extract(text, parsed.text)
        reading = read(text)
        if reading.ordering is None and (ordering := self._key_ordering(text)) is not None:
            reading = replace(reading, ordering=ordering)
        plan = self._plan(text, state, intent, parsed, slots, reading)
        return replace(plan, reading=reading)

    def _plan(
        self,
        text: str,
        state: ConversationState,
        intent: IntentPrediction,
        parsed: ParsedQuery,
        slots: Slots,
        reading: Reading,
    ) -> Plan:
        # Asking for a person or complaining: the handoff policy normally catches these first;
        # never answer them as search.
        route = route_of(intent.intent)
        if not self.understood(text):
            return Plan("clarify", intent, slots)
        if reading.overview and route not in ("handoff", "injection", "abusive"):
            return Plan("product_search", intent, slots, query=parsed.text)
        if reading.ordering is not None and route not in (
            "handoff",
            "injection",
            "abusive",
            "policy",
            "order_status",
            "order_change",
        ):
            ordered = self._ordering(text, parsed, slots, state, reading, intent)
            if ordered is not None:
                return ordered
        # "what about in blue?", "only in size 13": a refinement of the last search, whatever the
        # classifier makes of such short fragments.
        if (
            state.query
            and not parsed.constraints.is_empty()
            and not slots.named
            and (slots.content_words <= 2 or _FORGET.match(text))  # the taken-back words add none
            and _STARTS_REFINEMENT.match(text)
            and route not in ("handoff", "injection", "abusive")
        ):
            route = "product_search"
        # An open "recommend" that names a kind of product is a search with the shopper's words as filters.
        if route == "recommend" and any(c in self._leaves for c in parsed.constraints.categories):
            route = "product_search"

        # "does it come with spare laces?" about the product under discussion is not a policy
        # question, whatever the classifier makes of "come with".
        discussed = state.focus or (state.results[0] if state.results else None)
        before = route
        if (
            route in ("policy", "off_topic", "clarify", "product_search", "recommend", "product_question")
            and discussed
            and (_ABOUT_IT.search(text) if route != "product_search" else _IT.search(text))
            and not _POLICY_WORDS.search(text)
            and (route != "product_search" or (reading.fields or asks_yes_no(text)) and not reading.ordering)
            # "will it fit my kelvara fridge?" names a kind of product, yet asks about this one
            and (not parsed.constraints.categories or (asks_yes_no(text) and _IT.search(text)))
        ):
            route = "product_question"  # "how tall is it", "does it defrost on its own"
        elif (
            route in ("off_topic", "clarify")
            and discussed
            and (reading.fields or self._meant(text, discussed))
            and not parsed.constraints.categories
        ):
            route = "product_question"  # "how long is the cord" right after talking about a product
        # The catalogue's own kinds of product are never off-topic ("a fridge water filter that
        # takes out lead"); a search that finds nothing says what the shop does sell.
        # A sure off-topic request stays one, whatever it mentions ("write me a poem about my fridge").
        sure_off_topic = route == "off_topic" and intent.confidence >= SURE_OFF_TOPIC
        if (
            route in ("off_topic", "clarify")
            and (parsed.constraints.categories or slots.named)
            and not sure_off_topic
        ):
            route = (
                "product_question" if slots.named and not parsed.constraints.categories else "product_search"
            )
        # Services around a product (installation, shipping, financing) are the shop's policies.
        if (
            route in ("product_question", "product_search")
            and _SERVICE.search(text)
            and all(f == ("price",) or "warranty" in f for f in reading.fields)
        ):
            route = "policy"
        # "is it energy star and whats the warranty", "and the warranty on each?": a field the
        # products under discussion have is answered from their records, not the policy page.
        if (
            route == "policy"
            and reading.fields
            and not all(h == ("price",) for h in reading.fields)  # "how much is that" prices a service
            and not asks_about_fit(text)  # "do they run true to size?" is about fit, not size lists
            and not slots.named
            and discussed
        ):
            about = (
                tuple(state.results[:4])
                if _EACH.search(text) and state.results
                else (discussed,)
                if _IT.search(text)
                else ()
            )
            pool = [self.shop.products[p] for p in about if p in self.shop.products]
            if pool and all(keys_for(hints, pool, self.shop.display) for hints in reading.fields):
                if len(pool) > 1:
                    return Plan("compare", intent, slots, query=parsed.text, targets=about)
                return Plan("product_question", intent, slots, targets=about)
        # A named product and a field asked about: a question about it, not a search.
        if (
            route == "product_search"
            and slots.named
            and reading.fields
            and not reading.ordering
            and _ASKS.search(text)
        ):
            route = "product_question"
        # "how often do I change the under sink filter": the words pick out one product, or a few.
        if (
            route in ("policy", "product_question", "product_search")
            and reading.fields
            and not slots.named
            and _ASKS.search(text)
            # a question, not a request with a remark in it ("pull up bar ... my door frame is 75 cm wide")
            and (text.rstrip().endswith("?") or QUESTION_START.match(text.strip()))
        ):
            few = self._few_matches(parsed.constraints)
            if few and not _SERVICE.search(text):  # several: the same question about each
                return Plan(
                    "product_question", intent, slots, targets=few, asked_value=self._asked_value(parsed)
                )
        # "what about a microwave?" right after a policy answer: the same question about that.
        if state.last_route == "policy" and _STARTS_REFINEMENT.match(text) and route != "handoff":
            previous = next(
                (r.split(": ", 1)[1] for r in reversed(state.recent[:-1]) if r.startswith("shopper: ")), ""
            )
            return Plan("policy", intent, slots, query=f"{previous} {text}".strip())
        # "im usually in between sizes, should i go up or down", "do they run true to size?" about
        # the product being discussed: its fit, not a comparison of size lists
        if (
            asks_about_fit(text)
            and discussed
            and not slots.named
            and route in ("compare", "product_search", "recommend", "policy", "product_question")
            and (route != "policy" or _PRONOUN.search(text))
            and state.focus
        ):
            return Plan("product_question", intent, slots, targets=(state.focus,))
        # "do both of them fold up?": one yes/no over the products shown.
        # "they" after a list is the list; after talking about one product it is that product
        # ("are they stretchy" about a pair of jeans).
        # "does it come with a bag to keep them in": "it" is the subject, "them" its parts.
        plural = (slots.refers_to_results and not (state.focus and _IT.search(text))) or bool(
            _THEY.search(text) and state.focus is None
        )
        both = bool(plural and state.results and asks_yes_no(text) and not parsed.constraints.categories)
        if both:
            route = "compare"
        # The conversation decided it (a follow-up about the product being discussed): the
        # classifier's doubt about a short fragment no longer matters.
        decided = both or (route != before and route in ("product_question", "compare"))
        if intent.confidence < self.min_confidence and route not in _CANNED and not decided:
            # Unsure: let concrete slots decide, otherwise ask.
            if slots.order_id and slots.order_id in self.shop.orders:
                route = "order_status"
            elif slots.named:
                route = "product_question"
            elif parsed.constraints.categories:
                route = "product_search"  # "cleanser without fragrance": a kind of product is a search
            elif state.results and reading.about_shown and not _POLICY_WORDS.search(text):
                route = "product_search"  # "ok which one does fit kelvara then": about what was shown
            elif state.results and (slots.ordinals or slots.cheaper or slots.pricier):
                route = "product_search" if (slots.cheaper or slots.pricier) else "product_question"
            elif discussed and self._meant(text, discussed):
                route = "product_question"  # "and washing machine ok?" about the product discussed
            else:
                return Plan("clarify", intent, slots)

        if route == "product_question":
            targets = self._targets(slots, state, want=1)
            if not slots.named and not slots.ordinals and (described := self._described_one(text, state)):
                targets = (described,)  # "the waterproof one, how much is it"
            if plural and state.results and not slots.named and not slots.ordinals:
                targets = tuple(state.results[:4])  # "whats the rise on those": each one shown
            if not targets:
                route = "product_search"
            else:
                return Plan(
                    "product_question",
                    intent,
                    slots,
                    targets=targets if len(targets) > 1 and plural else targets[:1],
                    asked_value=self._asked_value(parsed),
                )
        if (
            route == "compare"
            and reading.about_shown
            and state.results
            and not reading.ordering
            and not slots.named
            and asks_which_has(text)
        ):
            route = "product_search"  # "which one has a vibram sole": a filter over what was shown
        if route == "compare":
            targets = self._targets(slots, state, want=2)
            return Plan("compare", intent, slots, query=parsed.text, targets=targets)
        if route == "product_search":
            query, constraints = self._search(text, parsed, slots, state)
            forgot = bool(_FORGET.search(text))
            return Plan("product_search", intent, slots, query=query, constraints=constraints, forgot=forgot)
        if route == "recommend":
            return Plan(
                "recommend",
                intent,
                slots,
                query=parsed.text,
                constraints=parsed.constraints,
                targets=self._targets(slots, state, want=1, use_results=False),
            )
        if route in ("order_status", "order_change"):
            return Plan(route, intent, slots, order_id=slots.order_id)  # type: ignore[arg-type]
        return Plan(route if route in ROUTES else "clarify", intent, slots)  # type: ignore[arg-type]

    # -- helpers ---------------------------------------------------------------------------

    def _measured(self, text: str, constraints: Constraints, previous: Constraints | None) -> Constraints:
        """ "under 3kg", "sleeps 2": bounds on this shop's measured fields, converted to the unit of
        the key the products in scope use (tents weigh in weight_g, dumbbells in weight_kg)."""
        constraints = self._counted(text, constraints)
        found = bounds(text)
        if not found:
            return constraints
        scope = constraints.merged(Constraints()) if previous is None else previous.merged(constraints)
        pool = [p for p in self.shop.products.values() if Constraints(categories=scope.categories).matches(p)]
        display = self.shop.display
        added = []
        for b in found:
            hints = (
                ("persons", "people", "capacity_p") if b.dimension == "persons" else (f"dim:{b.dimension}",)
            )
            keys = keys_for(hints, pool, display)
            if not keys:
                continue
            key = keys[0]
            sample = next(p.attributes[key] for p in pool if key in p.attributes)
            q = display.quantity(key, sample)
            if q is None or not isinstance(sample, int | float) or not q[1]:
                continue
            per_unit = q[1] / float(sample)  # base units per unit of this key
            amount = round(b.amount / per_unit, 4)
            if b.op == "eq" and b.dimension != "persons":
                # "an 18 inch dishwasher" is 17.6 in wide: a size said is nominal, within 5%
                added.append(AttributeFilter((key,), round(amount * 0.95, 4), "gte"))
                added.append(AttributeFilter((key,), round(amount * 1.05, 4), "lte"))
            else:
                added.append(AttributeFilter((key,), amount, b.op))
        names = {a.names for a in added}
        kept = tuple(a for a in constraints.attributes if a.names not in names)
        # Both bounds on one key are kept: "merged" would keep only the last of them.
        return replace(constraints, attributes=kept + tuple(added))

    def _counted(self, text: str, constraints: Constraints) -> Constraints:
        """ "zero drop", "4 season", "2 burner": a number said right before a numeric field's
        name is that field's value."""
        if not constraints.categories:
            return constraints
        added = []
        named = {n for a in constraints.attributes for n in a.names}
        for key in self._numeric_keys:
            if key in named:
                continue
            label = self.shop.display.label(key).lower()
            if not label or len(label) < 3:
                continue
            # "2 pack" names pack_count as well as "2 pack count" does
            names = "|".join(re.escape(n) for n in dict.fromkeys((label, label.split()[0])) if len(n) >= 4)
            if not names:
                continue
            m = re.search(rf"\b(\d+(?:\.\d+)?|{'|'.join(_NUMBER_WORDS)})[- ](?:{names})s?\b", text, re.I)
            if m:
                raw = m.group(1).lower()
                added.append(AttributeFilter((key,), float(_NUMBER_WORDS.get(raw, raw)), "eq"))
        if not added:
            return constraints
        scope = Constraints(categories=constraints.categories)
        if not any(
            scope.matches(p) and key in p.attributes
            for p in self.shop.products.values()
            for key in (added[0].names[0],)
        ):
            return constraints
        return replace(constraints, attributes=constraints.attributes + tuple(added))

    def _modifier_value(self, text: str, constraints: Constraints) -> Constraints:
        """ "a fridge water filter": the word before the kind names one of its types in other
        words (filter_type "refrigerator"). The embedder decides synonyms (fridge/refrigerator
        0.96 with MiniLM; unrelated words stay under 0.7), only for the one or two words in front
        of the kind, and only against the values products of that kind have."""
        embedder = getattr(self.classifier, "embedder", None)
        if embedder is None or not constraints.categories or len(constraints.categories) != 1:
            return constraints
        said = words(text)
        kind = set(tokenize(constraints.categories[0]))
        at = next((i for i, w in enumerate(said) if set(tokenize(w)) & kind), None)
        named = {n for a in constraints.attributes for n in a.names}
        mods = [w for w in said[max(0, (at or 0) - 2) : at or 0] if len(w) >= 4 and w.isalpha()]
        if not mods:
            return constraints
        values = {
            v: names
            for v, names in self._kind_values(constraints.categories[0]).items()
            if not set(names) & named
        }
        if not values or any(m in values for m in mods):
            return constraints
        choices = list(values)
        sims = embedder.embed_batch(mods) @ embedder.embed_batch(choices).T
        i, j = divmod(int(sims.argmax()), len(choices))
        if sims[i, j] < SYNONYM_SIMILARITY:
            return constraints
        return replace(
            constraints,
            attributes=constraints.attributes + (AttributeFilter(values[choices[j]], choices[j]),),
        )

    def _with_feature(self, text: str, constraints: Constraints) -> Constraints:
        """ "a countertop microwave w a child lock": a feature no field holds, kept to the
        products of the kind whose record says they have it (when some do, and not all)."""
        m = _WITH_FEATURE.search(text)
        if not m or len(constraints.categories) != 1:
            return constraints
        taken = {w for a in constraints.attributes for n in a.names for w in tokenize(f"{n} {a.value}")}
        wanted = [set(tokenize(w)) for w in words(m.group(1)) if len(w) > 2]
        if not wanted or any(stems <= taken for stems in wanted):
            return constraints  # a field already says it ("with a freezer" -> freezer_compartment)
        pool = self._kind_pool(constraints.categories)
        having = {p.id for p in pool if record_says(p, wanted)}
        if not having or len(having) == len(pool):
            return constraints
        others = tuple(p.id for p in pool if p.id not in having)
        return replace(constraints, exclude_ids=tuple(dict.fromkeys(constraints.exclude_ids + others)))

    def _title_modifier(self, text: str, constraints: Constraints) -> Constraints:
        """ "longest midi dress": a word in front of the kind that some of its titles carry (and
        not all) narrows the kind to those, when no field says it."""
        if len(constraints.categories) != 1:
            return constraints
        said = words(text)
        kind = set(tokenize(constraints.categories[0].rsplit(">", 1)[-1]))
        at = next((i for i, w in enumerate(said) if set(tokenize(w)) & kind), None)
        if not at:
            return constraints
        taken = {w for a in constraints.attributes for n in a.names for w in tokenize(f"{n} {a.value}")}
        pool = self._kind_pool(constraints.categories)
        for word in said[max(0, at - 2) : at]:
            stems = tokenize(word)
            if (
                len(word) < 3
                or not word.isalpha()
                or not stems
                or stems[0] in taken
                or word in _ORDERING_WORDS
            ):
                continue
            having = [p for p in pool if stems[0] in tokenize(p.title)]
            if having and len(having) < len(pool):
                others = tuple(p.id for p in pool if p not in having)
                return replace(
                    constraints, exclude_ids=tuple(dict.fromkeys(constraints.exclude_ids + others))
                )
        return constraints

    @functools.lru_cache(maxsize=256)  # noqa: B019 - one planner per shop, lives as long as it
    def _kind_pool(self, categories: tuple[str, ...]) -> tuple[Product, ...]:
        """The products of a kind, once per kind rather than a catalogue scan per turn."""
        return tuple(p for p in self.shop.products.values() if Constraints(categories=categories).matches(p))

    @functools.lru_cache(maxsize=256)  # noqa: B019 - one planner per shop, lives as long as it
    def _kind_values(self, category: str) -> dict[str, tuple[str, ...]]:
        """The categorical values products of one kind have ("refrigerator" of filter_type), once
        per kind rather than a catalogue scan on every search turn."""
        pool = [p for p in self.shop.products.values() if Constraints(categories=(category,)).matches(p)]
        return {
            v: names
            for v, names in self.parser.choices.items()
            if any(str(p.attributes.get(n, "")).lower() == v for p in pool for n in names)
        }

    def _few_matches(self, constraints: Constraints, most: int = 3) -> tuple[str, ...]:
        """The few products a description fits ("the under sink filter"), best rated first; empty
        when it fits none or more than ``most`` (then it is a search, not a question)."""
        if not constraints.categories or not constraints.attributes:
            return ()
        found = [p for p in self.shop.products.values() if constraints.matches(p)]
        found.sort(key=lambda p: -(p.rating or 0.0))
        return tuple(p.id for p in found) if len(found) <= most else ()

    def _key_ordering(self, text: str) -> Ordering | None:
        """ "the best waterproof rating", "most fan speeds": an ordering over a field this shop
        names, for the fields no superlative word covers."""
        m = _KEY_SUPERLATIVE.search(text)
        if not m:
            return None
        said = " ".join(words(m.group(2)))
        for key in self._numeric_keys:
            label = " ".join(words(self.shop.display.label(key)))
            if label and (label in said or said in label) and len(said) > 2:
                direction: Direction = (
                    "min" if m.group(1).lower() in ("lowest", "least", "fewest", "min", "minimum") else "max"
                )
                return Ordering(
                    (key,), direction, f"{m.group(1).lower()} {self.shop.display.label(key)}", False
                )
        return None

    def _ordering(
        self,
        text: str,
        parsed: ParsedQuery,
        slots: Slots,
        state: ConversationState,
        reading: Reading,
        intent: IntentPrediction,
    ) -> Plan | None:
        """ "Which of those is the lightest?" ranks what was shown; "which of your tents is the
        lightest?" ranks the category; "the cheaper one" picks one of the shown."""
        assert reading.ordering is not None
        if reading.ordering.comparative and not _PICK_ONE.search(text):
            return None  # "cheaper ones?", "anything lighter?": a refined search, not a pick
        picked = self._picked_and_asked(text, parsed, state, reading, intent, slots)
        if picked is not None:
            return picked
        named = list(slots.named)
        names_kind = bool(parsed.constraints.categories) and not reading.about_shown
        if len(named) >= 2:
            return Plan("compare", intent, slots, query=parsed.text, targets=tuple(named), scope=tuple(named))
        # "which set gives the most resistance" right after a list, with no new kind or filter:
        # the list the shopper is looking at (its exclusions included), not the whole category
        if (
            state.results
            and not names_kind
            and (reading.about_shown or slots.content_words <= 3 or parsed.constraints.is_empty())
            and not (_WHOLE_KIND.search(text) and not reading.about_shown)
        ):
            return Plan(
                "compare",
                intent,
                slots,
                query=parsed.text,
                targets=tuple(state.results),
                scope=tuple(state.results),
            )
        query, constraints = self._search(text, parsed, slots, state)
        if constraints.is_empty() and slots.content_words == 0 and not state.query:
            return None
        return Plan("product_search", intent, slots, query=query, constraints=constraints)

    def _picked_and_asked(
        self,
        text: str,
        parsed: ParsedQuery,
        state: ConversationState,
        reading: Reading,
        intent: IntentPrediction,
        slots: Slots,
    ) -> Plan | None:
        """ "The cheaper one, what red shades does it have?": the pick names the product, and
        the rest of the message is the question about it."""
        assert reading.ordering is not None
        one = _THE_ONE.search(text)
        if not (reading.ordering.comparative and one and state.results):
            return None
        rest = (text[: one.start()] + " " + text[one.end() :]).strip(" ,.?!")
        if not (_ASKS.search(rest) and len([w for w in words(rest) if len(w) > 3]) >= 1):
            return None
        shown = [self.shop.products[p] for p in state.results if p in self.shop.products]
        _, ranked = ranked_by(shown, reading.ordering.hints, reading.ordering.direction, self.shop.display)
        if not ranked:
            return None
        return Plan(
            "product_question",
            intent,
            slots,
            targets=(ranked[0][0].id,),
            asked_value=self._asked_value(parsed),
        )

    def _targets(
        self, slots: Slots, state: ConversationState, *, want: int, use_results: bool = True
    ) -> tuple[str, ...]:
        chosen: list[str] = list(slots.named)
        chosen += [p for p in pick(state.results, slots.ordinals) if p not in chosen]
        if len(chosen) < want and slots.refers_to_results and use_results:
            chosen += [p for p in state.results if p not in chosen]
        if len(chosen) < want and state.focus and state.focus not in chosen:
            chosen.insert(0, state.focus) if want > 1 else chosen.append(state.focus)
        if len(chosen) < want and use_results:
            chosen += [p for p in state.results if p not in chosen]
        return tuple(chosen[: max(want, len(slots.named), len(slots.ordinals))])

    def _described_one(self, text: str, state: ConversationState) -> str | None:
        """ "the waterproof one", "the blue one", "the pitcher one": the shown product that the
        words describe, by a field value or by its title."""
        m = _THE_DESCRIBED_ONE.search(text)
        if not m or not state.results:
            return None
        said = m.group(1).lower()
        if said.split()[-1] in _NOT_DESCRIPTIONS or said.endswith("er"):
            return None  # "the other one", "the cheaper one" (an ordering)
        shown = [self.shop.products[p] for p in state.results if p in self.shop.products]
        wanted = self.parser.parse(said).constraints
        if wanted.attributes:
            fits = [p for p in shown if all(a.matches(p) for a in wanted.attributes)]
        else:
            stems = set(tokenize(said))
            fits = [p for p in shown if stems and stems <= set(tokenize(f"{p.title} {' '.join(p.tags)}"))]
        return fits[0].id if len(fits) == 1 or (fits and len(fits) < len(shown)) else None

    def _meant(self, text: str, pid: str) -> bool:
        """The message asks a field of the product under discussion in other words."""
        product = self.shop.products.get(pid)
        if product is None or self.meaning is None:
            return False
        if self.meaning.keys(text, product):
            return True
        # "and washing machine ok?": the description answers it ("Hand wash cold")
        return self.meaning.evidence(text, product, sentences(product.description)) is not None

    def _asked_value(self, parsed: ParsedQuery) -> tuple[str, tuple[str, ...]] | None:
        """ "does it come in blue?": the value asked about and the attributes it belongs to."""
        for a in parsed.constraints.attributes:
            if isinstance(a.value, str):
                return a.value, a.names
        return None

    def _search(
        self, text: str, parsed: ParsedQuery, slots: Slots, state: ConversationState
    ) -> tuple[str, Constraints]:
        constraints = parsed.constraints
        refinement = bool(state.query) and (
            slots.content_words == 0
            or slots.cheaper
            or slots.pricier
            or bool(_STARTS_REFINEMENT.match(text))
            and slots.content_words <= 2
            # "what about something that sleeps 2": no new kind of product, only new conditions
            or bool(_REFINES.search(text))
            and not parsed.constraints.categories
            and not slots.named
        )
        query = parsed.text
        constraints = self._measured(text, constraints, state.constraints if refinement else None)
        constraints = self._modifier_value(text, constraints)
        constraints = self._title_modifier(text, constraints)
        constraints = self._with_feature(text, constraints)
        # "not waterproof", "without fragrance": the parser only reads flags positively.
        filters, _rest = flag_filters(read(text).negated_flags, self.parser.flags)
        if filters:
            names = {f for f, _ in filters}
            kept = tuple(a for a in constraints.attributes if a.names[0] not in names)
            constraints = replace(
                constraints, attributes=kept + tuple(AttributeFilter((f,), v) for f, v in filters)
            )
        if refinement:
            # Forgotten filters go from the earlier ones and from this very message, which names them.
            constraints = _forget(text, _forget(text, state.constraints).merged(constraints))
            query = state.query or parsed.text
            shown = [self.shop.products[p] for p in state.results if p in self.shop.products]
            if slots.cheaper and shown and parsed.constraints.price_max is None:
                constraints = replace(
                    constraints, cheaper_than=min(p.price for p in shown), price_min=None, pricier_than=None
                )
            elif slots.pricier and shown:
                constraints = replace(
                    constraints, pricier_than=max(p.price for p in shown), price_max=None, cheaper_than=None
                )
        return query or text, constraints


_FORGET = re.compile(
    r"\b(?:forget|never ?mind|drop|skip|no need for|don'?t need|doesn'?t need to be|doesn'?t have to be)"
    r"\s+(?:about\s+)?(?:the\s+|a\s+|an\s+)?(\w+(?:[ -]\w+)?)",
    re.I,
)


def _forget(text: str, constraints: Constraints) -> Constraints:
    """ "forget the carbon plate": the earlier filter it names no longer applies."""
    dropped = {w for m in _FORGET.finditer(text) for w in words(m.group(1))}
    if not dropped:
        return constraints
    kept = tuple(
        a
        for a in constraints.attributes
        if not dropped & ({w for n in a.names for w in words(n.replace("_", " "))} | set(words(str(a.value))))
    )
    return replace(constraints, attributes=kept)


def shop_vocabulary(shop: Shop) -> set[str]:
    """Every word the shop's data or the routing examples use (gibberish detection)."""
    vocab: set[str] = set()
    for p in shop.products.values():
        vocab.update(words(f"{p.title} {p.brand} {p.category} {p.description} {' '.join(p.tags)}"))
        vocab.update(words(" ".join(f"{k} {v}" for k, v in p.attributes.items())))
    for section in shop.policies:
        vocab.update(words(f"{section.heading} {section.text}"))
    if DEFAULT_INTENTS_CSV.exists():
        for example in read_intent_csv(DEFAULT_INTENTS_CSV):
            vocab.update(words(example.utterance))
    return vocab
