"""What each route does: call its tools, compose the deterministic answer, decide escalation.

Kept apart from the engine so each route reads as one short function; the engine handles
timing, phrasing, memory and handoff mechanics around them.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from retrieval import Constraints, Display, NotFoundError, Order, Product, Shop, sentences, tokenize, words

from ..llm import load_prompt
from ..safety import neutralize
from ._compose import (
    compare_answer,
    money,
    order_answer,
    order_line,
    policy_answer,
    recommend_answer,
    relevant_sentences,
    search_answer,
    stock_phrase,
)
from ._planner import Plan
from ._present import join_words, list_line, matched_reasons
from ._slots import attribute_answer_field
from ._state import ConversationState
from ._tools import Toolbox, ToolResult
from ._understand import (
    QUESTION_START,
    FieldMeaning,
    Reading,
    asked_part,
    asks_about_fit,
    asks_which_has,
    asks_yes_no,
    key_of,
    keys_for,
    mentions,
    ranked_by,
    read,
    record_says,
    without_field_words,
)
from ._writer import (
    Ranked,
    WriterTask,
    attribute_task,
    compare_task,
    evidence_task,
    field_value,
    not_stated_task,
    order_task,
    overview_task,
    policy_task,
    search_task,
    superlative_task,
)

_THANKS = re.compile(r"\b(thanks?|thank you|thx|cheers|appreciate)\b", re.I)
_CANCEL = re.compile(r"\b(cancel|stop the order|don'?t want (?:it|the order))\b", re.I)
_RETURN = re.compile(r"\b(return|refund|send (?:it )?back|exchange)\b", re.I)
_DAYS = re.compile(r"(\d+)\s+days?", re.I)


@dataclass(frozen=True)
class RouteOutcome:
    text: str  # the deterministic answer
    result: ToolResult
    phrase: bool = False  # let the model phrase a sentence from the result
    failed: bool = False  # the bot could not answer (counts toward repeated-failure handoff)
    handoff_reason: str | None = None
    handoff_detail: str = ""
    task: WriterTask | None = None  # what the model may write; ``text`` starts with ``task.answer``
    rest: str = ""  # what follows the written answer (a list, the quoted policy): always deterministic

    @staticmethod
    def written(task: WriterTask, result: ToolResult, rest: str = "") -> RouteOutcome:
        text = "\n".join(x for x in (task.answer, rest) if x)
        return RouteOutcome(text, result, phrase=True, task=task, rest=rest)


class RouteRunner:
    def __init__(
        self,
        shop: Shop,
        toolbox: Toolbox,
        shop_name: str,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        meaning: FieldMeaning | None = None,
    ):
        self.shop = shop
        self.tools = toolbox
        self.shop_name = shop_name
        self.clock = clock  # return windows depend on today; tests and evals pin it
        self.meaning = meaning  # fields asked in other words ("does it turn off by itself")
        # Policy sentences ranked by meaning too ("promo code ... gift card" -> "Codes do not apply
        # to gift cards"), when there is an embedder.
        self._similarity = meaning.similarity if meaning is not None else None

    def run(self, plan: Plan, state: ConversationState, timings: dict[str, float]) -> RouteOutcome:
        t = time.perf_counter()
        handler = getattr(self, f"_{plan.route}", None)
        outcome = handler(plan, state) if handler else self._canned(plan)
        stage = "ranking" if plan.route == "recommend" else "search"
        timings[stage] = timings.get(stage, 0.0) + (time.perf_counter() - t) * 1000
        return outcome

    # -- conversational -------------------------------------------------------------------

    def _canned(self, plan: Plan) -> RouteOutcome:
        name = {
            "greeting": "reply_greeting",
            "off_topic": "reply_off_topic",
            "abusive": "reply_abusive",
            "injection": "reply_injection",
            "clarify": "reply_clarify",
        }.get(plan.route, "reply_clarify")
        text = load_prompt(name).render(shop_name=self.shop_name).strip()
        return RouteOutcome(text, ToolResult(plan.route), failed=plan.route == "clarify")

    def _greeting(self, plan: Plan, state: ConversationState) -> RouteOutcome:
        last = state.recent[-1] if state.recent else ""
        name = "reply_thanks" if _THANKS.search(last) and state.turns > 1 else "reply_greeting"
        return RouteOutcome(
            load_prompt(name).render(shop_name=self.shop_name).strip(), ToolResult("greeting")
        )

    # -- catalogue --------------------------------------------------------------------------

    def _product_search(self, plan: Plan, state: ConversationState) -> RouteOutcome:
        reading = plan.reading
        if reading is not None and reading.overview:
            return self._overview(plan, state)
        # Words a filter already handles ("without fragrance" -> fragrance_free) are not exclusions.
        flagged = {a.names[0].split("_")[0] for a in plan.constraints.attributes if isinstance(a.value, bool)}
        excluded = tuple(w for w in (reading.excluded if reading is not None else ()) if w not in flagged)
        shown_fit, asked_words = self._shown_fitting(plan, state)
        kind_fit = None if shown_fit or asked_words else self._kind_fitting(plan)
        if kind_fit is not None and kind_fit[0]:
            shown_fit = tuple(kind_fit[0])
        elif kind_fit is not None:
            kind = _kind(plan.constraints.categories[0], 2)
            answer = (
                f"None of our {kind} lists {' '.join(kind_fit[1])}, so I can't point you to one that has it."
            )
            return RouteOutcome(answer, ToolResult("search_products", constraints=plan.constraints))
        if shown_fit:  # "which of those has hyaluronic acid": the ones shown, not a new search
            result = ToolResult("search_products", shown_fit, constraints=plan.constraints)
        elif asked_words:  # "which one does fit kelvara then": none of them says so
            n = len(state.results)
            answer = (
                f"None of the {n} I showed mention {' '.join(asked_words)}, so I can't say any of "
                f"them {'is' if n == 1 else 'are'} right for that."
            )
            return RouteOutcome(answer, ToolResult("search_products", constraints=plan.constraints))
        else:
            # Exclusions ("not matte") are applied after the search: look further down the ranking.
            result = self.tools.search_products(
                plan.query, plan.constraints, k=24 if excluded else 8, extract=not plan.forgot
            )
        if excluded and result.products:
            kept = tuple(
                p for p in result.products if not any(record_says(p, [set(tokenize(w))]) for w in excluded)
            )
            result = replace(result, products=kept or result.products)
        question = _last_question(state)
        if reading is not None and reading.ordering is not None and reading.ordering.soft:
            # "a fridge water filter that takes out lead, cheap": the relevant matches, cheapest first
            _, ranked_hits = ranked_by(
                result.products[:6], reading.ordering.hints, reading.ordering.direction, self.shop.display
            )
            result = replace(result, products=tuple(p for p, _ in ranked_hits) or result.products)
        elif reading is not None and reading.ordering is not None:
            ranked = self._rank_catalogue(plan, result)
            if ranked is not None:
                return ranked
        if not result.products or result.relaxed or result.note:
            return RouteOutcome(
                search_answer(replace(result, products=result.products[:5]), result.constraints),
                replace(result, products=result.products[:5]),
                failed=not result.products,
            )
        shown = result.products[:4]
        constraints = result.constraints or plan.constraints
        # Fields asked about join the reasons; price, stock and rating are on every line already.
        asked = [k for k in self._asked_keys(reading, shown) if k not in ("price", "stock", "rating")]
        reasons = {p.id: matched_reasons(p, constraints, self.shop.display, asked=asked) for p in shown}
        if kind_fit is not None:  # "which one comes with a drain hose": the sentence that says so
            for p in shown:
                reasons[p.id] = [*reasons[p.id], *description_evidence(p, " ".join(kind_fit[1]), limit=1)]
        task = search_task(shown, reasons, question)
        rest = "\n".join(list_line(i, p, reasons[p.id]) for i, p in enumerate(shown, 1))
        return RouteOutcome.written(task, replace(result, products=shown), rest)

    def _shown_fitting(self, plan: Plan, state: ConversationState) -> tuple[tuple[Product, ...], list[str]]:
        """The products shown last that meet a new filter, when the turn asks about them, and the
        words the filter was made of when there was no attribute filter for them."""
        if plan.reading is None or not plan.reading.about_shown or not state.results:
            return (), []
        shown = [self.shop.products[i] for i in state.results if i in self.shop.products]
        if plan.constraints.attributes:
            return tuple(p for p in shown if plan.constraints.matches(p)), []
        # No filter for it ("hyaluronic acid" is one of many ingredients, "fits kelvara" is in
        # the description): the words themselves, anywhere in the record.
        said = [w for w in words(plan.reading.text) if len(w) > 2 and w not in _SHOWN_WORDS]
        if not said or not asks_which_has(plan.reading.text):  # "show me more of those" filters nothing
            return (), []
        wanted = [set(tokenize(w)) for w in said]
        fits = tuple(p for p in shown if record_says(p, wanted))
        return fits, said

    def _kind_fitting(self, plan: Plan) -> tuple[list[Product], list[str]] | None:
        """ "which dehumidifier comes with a drain hose in the box": every product of the kind
        whose record says it has the thing (a description that says "not included" does not)."""
        reading = plan.reading
        if (
            reading is None
            or reading.about_shown
            or reading.ordering is not None
            or not plan.constraints.categories
            or not _WHICH_KIND.match(reading.text)
            or not asks_which_has(reading.text)
        ):
            return None
        pool = [p for p in self.shop.products.values() if plan.constraints.matches(p)]
        kind = set(tokenize(" ".join(plan.constraints.categories)))
        flags = {n for a in plan.constraints.attributes for n in a.names}
        said = [
            w
            for w in words(reading.text)
            if len(w) > 2
            and w not in _SHOWN_WORDS
            and w not in _BOX_WORDS
            and not w.isdigit()
            and not set(tokenize(w)) <= kind
            and not any(set(tokenize(w)) <= set(tokenize(f.replace("_", " "))) for f in flags)
        ]
        if not pool or not said:
            return None
        wanted = [set(tokenize(w)) for w in said]
        return [p for p in pool if record_says(p, wanted)], said

    def _rank_catalogue(self, plan: Plan, result: ToolResult) -> RouteOutcome | None:
        """ "Which of your tents is the lightest?": every product of the kind, not a search page."""
        reading = plan.reading
        assert reading is not None and reading.ordering is not None
        constraints = result.constraints or plan.constraints
        if constraints.categories:
            pool = [p for p in self.shop.products.values() if constraints.matches(p)]
            scope = f"of our {len(pool)} {_kind(constraints.categories[0], len(pool))}"
        else:
            pool = list(result.products)
            scope = f"of the {len(pool)} matches"
        if reading.excluded:
            pool = [p for p in pool if not any(mentions(p, w) for w in reading.excluded)]
        if not pool:
            return None
        return self._ranked_answer(plan, pool, scope, result)

    def _ranked_answer(
        self, plan: Plan, pool: list[Product], scope: str, result: ToolResult
    ) -> RouteOutcome | None:
        reading = plan.reading
        assert reading is not None and reading.ordering is not None
        order = reading.ordering
        key, ranked = ranked_by(pool, order.hints, order.direction, self.shop.display)
        question = reading.text
        if not ranked:
            return None
        label = "price" if key == "price" else "rating" if key == "rating" else self.shop.display.label(key)
        keys = [key, *keys_for(order.hints, pool, self.shop.display)]
        entries = [Ranked(p, _field_value(p, keys, self.shop.display)) for p, _ in ranked]
        task = superlative_task(entries, order.word, scope, label, question, pair=len(pool) == 2)
        shown = tuple(p for p, _ in ranked[:4])
        rest = "\n".join(
            list_line(i, r.product, [f"{label} {r.value}"]) for i, r in enumerate(entries[:4], 1)
        )
        return RouteOutcome.written(task, replace(result, tool="rank_products", products=shown), rest)

    def _overview(self, plan: Plan, state: ConversationState) -> RouteOutcome:
        """ "What do you sell?": departments with an example or two of what each has."""
        if plan.reading is not None and plan.reading.brands:
            return self._brands(state)
        departments: dict[str, list[str]] = {}
        for p in sorted(self.shop.products.values(), key=lambda p: -(p.review_count or 0)):
            path = p.category_path
            if not path:
                continue
            dept = path[1] if len(path) > 1 else path[0]
            kinds = departments.setdefault(dept, [])
            leaf = path[-1].lower()
            if leaf != dept.lower() and leaf not in kinds:
                kinds.append(leaf)
        names = sorted(departments, key=lambda d: -len(departments[d]))[:8]
        task = overview_task([(d, departments[d][:2]) for d in names], self.shop_name, _last_question(state))
        rest = "\n".join(f"- {d}: {', '.join(departments[d][:4])}" for d in names)
        return RouteOutcome.written(task, ToolResult("departments", departments=tuple(names)), rest)

    def _brands(self, state: ConversationState) -> RouteOutcome:
        """ "What brands do you carry?": every brand, with what it makes here."""
        made: dict[str, list[str]] = {}
        for p in self.shop.products.values():
            if p.brand and p.category_path:
                kinds = made.setdefault(p.brand, [])
                if p.category_path[-1].lower() not in kinds:
                    kinds.append(p.category_path[-1].lower())
        names = sorted(made, key=lambda b: -len(made[b]))
        facts = tuple(f"{b}: {join_words(made[b][:3])}." for b in names)
        answer = f"We carry {len(names)} brands: {join_words(names)}."
        task = WriterTask("overview", _last_question(state), facts, answer, tuple((b,) for b in names[:2]))
        rest = "\n".join(f"- {b}: {', '.join(made[b][:4])}" for b in names)
        return RouteOutcome.written(task, ToolResult("brands"), rest)

    def _asked_keys(
        self, reading: Reading | None, products: tuple[Product, ...] | list[Product]
    ) -> list[str]:
        keys: list[str] = []
        for hints in reading.fields if reading else ():
            found = keys_for(hints, products, self.shop.display)
            # "what are the measurements": every dimension the record has, not only the first.
            keys.extend(found[:3] if "dimension" in hints else found[:1])
        return list(dict.fromkeys(keys))

    def _product_question(self, plan: Plan, state: ConversationState) -> RouteOutcome:
        if len(plan.targets) > 1:  # "how often do I change the under sink filter?" fits two
            return self._compare(plan, state)
        product = self.shop.product(plan.targets[0])
        result = ToolResult("product_details", (product,))
        question = plan.reading.text if plan.reading else _last_question(state)
        # The product's own name asks nothing: "is the nightfall 1 person tent in stock?" is about
        # stock, not about how many it sleeps.
        # one question (however much story comes with it): "im usually in between sizes, should i go up or down"
        # one question, however much story comes with it ("im usually in between sizes, should i go up or down")
        asking = [c for c in re.split(r"[,;?.]|\band\b", question) if QUESTION_START.match(c.strip())]
        if len(asking) <= 1 and asks_about_fit(question):
            # "does it run big or small": how the maker says it fits, not the list of sizes; else
            # the shop's own fit notes for the brand
            said = [t for t in sentences(neutralize(product.description)) if _SIZING_SENTENCE.search(t)][:1]
            if said:
                return RouteOutcome.written(evidence_task(product, said, question), result)
            notes = self.tools.policy_lookup(f"{question} {product.brand} fit sizing", k=1)
            brand = product.brand.lower()
            about = (
                [t for t in sentences(notes.sections[0].section.plain) if brand in t.lower()]
                if notes.sections
                else []
            )
            if about:
                hit = notes.sections[0]
                title = hit.section.policy_title
                title += "" if title.lower().endswith("policy") else " policy"
                both = replace(notes, products=(product,))
                return RouteOutcome(f"From our {title} ({hit.section.heading}): {about[0]}", both)
        reading = read(_without_title(question, product))
        asked = reading.fields
        keys = self._asked_keys(reading, [product])
        if not keys:
            # "does it filter out lead": the title's own words can be the asking verb; only what
            # the title alone does not already say counts
            titled = set(read(product.title).fields)
            whole = read(question)
            keys = self._asked_keys(
                replace(whole, fields=tuple(h for h in whole.fields if h not in titled)), [product]
            )
        field_keys = list(keys)  # fields the question's words ask, before names and values add theirs
        keys += [k for k in named_keys(product, question, self.shop.display) if k not in keys]
        if not keys and not asked:
            keys = [
                f for f in attribute_answer_field(product, plan.slots.asks_about) if f in product.attributes
            ]
        if not keys and asks_yes_no(question):  # "is it coated?": a value of a field says it
            keys = valued_keys(product, asked_part(question), self.shop.display)
        if not keys and self.meaning is not None:
            # Asked in other words ("does it turn off by itself"), or a field this product
            # calls otherwise ("what size duct" -> duct_diameter_in).
            keys = self.meaning.keys(asked_part(question), product)
        # "does it come with fuel?" asks what is in the box, not what fuel it takes.
        if _INCLUDED.search(question):
            keys = [k for k in keys if "includ" in k or k in ("price", "stock", "rating")]
            asked = tuple(h for h in asked if h in (("price",), ("stock",)))
        # "does it come in wide?": the value asked about decides the field, not "come in" (colours)
        if plan.asked_value is not None:
            names = [n for n in plan.asked_value[1] if n in product.attributes]
            if names and asks_yes_no(question):
                keys = [k for k in keys if k in ("price", "stock", "rating")] + names
            elif names:  # "what red shades does it have?": the value asked, and the field named
                keys = names + [k for k in keys if k not in names]
        if keys and _ASKS_SOMETHING.search(question) and not _INCLUDED.search(question):
            # Something else is asked as well as the fields found: "how much essence is on each
            # sheet" is not the price, though it says "how much".
            rest = without_field_words(asked_part(question))
            unasked = [
                w
                for w in _uncovered(rest, product, keys, self.shop.display)
                if not any(c.isdigit() for c in w)
            ]
            evidence = self._evidence(product, question) if unasked else []
            if evidence and set(unasked) & set(tokenize(" ".join(evidence))):
                return RouteOutcome.written(evidence_task(product, evidence, question), result)
        # (a field word this product has no field for, "made in", does not answer it either)
        if keys and not field_keys and plan.asked_value is not None:
            # A value named in passing is not the question: "is the down ethically sourced?"
            # names the fill, but asks what only the description could say.
            unasked = _uncovered(question, product, keys, self.shop.display)
            if unasked:
                evidence = description_evidence(product, question)
                if evidence:
                    return RouteOutcome.written(evidence_task(product, evidence, question), result)
                topic = _topic(question, product) or " ".join(unasked)
                return RouteOutcome.written(not_stated_task(product, topic, question), result)
        if keys:  # a field question: the record answers it exactly
            return RouteOutcome.written(
                attribute_task(product, keys, self.shop.display, question, plan.asked_value),
                result,
                rest=self._other_parts(question, product, keys),
            )
        evidence = self._evidence(product, question)
        if evidence:
            # "where are they made, and do they run big?": the description answers the first
            # part; the other parts get their own answer
            more, others = self._other_evidence(question, product, evidence)
            return RouteOutcome.written(
                evidence_task(product, evidence + more, question), result, rest=others
            )
        if asked or asks_yes_no(question):
            topic = _topic(question, product)
            if topic:
                return RouteOutcome.written(not_stated_task(product, topic, question), result)
        about = sentences(neutralize(product.description))[:2]
        summary = f"{product.title} by {product.brand}: {money(product.price, product.currency)}, {stock_phrase(product)}."
        return RouteOutcome.written(evidence_task(product, about, question), result, rest=summary)

    def _evidence(self, product: Product, question: str, limit: int = 2) -> list[str]:
        """Description sentences that answer: the question's own words first, then a sentence
        that says it in other words (the embedder)."""
        found = description_evidence(product, question, limit)
        clauses = [c for c in re.split(r"[,;?]|\band\b", question) if len(c.split()) >= 2]
        for clause in clauses if not found and len(clauses) > 1 else ():
            # "does it have pit zips, i sweat alot": the asking clause alone
            found = [s for s in description_evidence(product, clause, limit) if s not in found]
            if found:
                break
        if found or self.meaning is None or not _ASKS_SOMETHING.search(question):
            return found  # "tell me about it" asks for no one sentence
        said = sentences(neutralize(product.description))
        best = self.meaning.evidence(asked_part(question), product, said)
        return [best] if best else []

    def _other_evidence(self, question: str, product: Product, evidence: list[str]) -> tuple[list[str], str]:
        """The other parts of a question the description answers: their sentences join the
        evidence the model writes from ("made in Portugal" and "runs half a size large"); what
        the description does not answer is said after it."""
        others = self._other_parts(question, product, [], answered=" ".join(evidence))
        more, rest = [], []
        for line in others.split("\n") if others else []:
            if (
                line.startswith(_DESCRIPTION_SAYS)
                and (said := line[len(_DESCRIPTION_SAYS) :]) not in evidence
            ):
                more.append(said)
            else:
                rest.append(line)
        return more, "\n".join(rest)

    def _other_parts(self, question: str, product: Product, keys: list[str], answered: str = "") -> str:
        """Answers to the yes/no parts no field covers: "what is it made of and is it itchy?"
        gets the fabric, and what the description says about itching, or that it does not say."""
        parts = [part for part in re.split(r"\band\b|\balso\b|[,;?]", question) if part.strip()]
        if len(parts) < 2:
            return ""
        display = self.shop.display
        covered = set(
            tokenize(
                " ".join(
                    f"{k} {display.label(k)} {display.value(k, product.attributes[k])}"
                    for k in keys
                    if k in product.attributes
                )
                + f" {answered}"
            )
        )
        out = []
        for part in parts:
            if not asks_yes_no(part) or read(part).fields or named_keys(product, part, display):
                continue
            if not [w for w in _content(part, product) if w not in covered]:
                continue  # "is there a nude?" is answered by the shades listed
            if asks_about_fit(part) and (fit := self._evidence(product, part, limit=1)):
                out.append(f"{_DESCRIPTION_SAYS}{fit[0]}")  # "do they run big?": not the size list
                continue
            meant = [k for k in valued_keys(product, part, display) if k not in keys]
            if not meant and self.meaning is not None:
                meant = [k for k in self.meaning.keys(part, product) if k not in keys]
            if meant:  # "is it coated?" asks the coating
                out.append(attribute_task(product, meant, display, part, None).answer)
                continue
            evidence = self._evidence(product, part, limit=1)
            if evidence:
                out.append(f"{_DESCRIPTION_SAYS}{evidence[0]}")
            elif topic := _topic(part, product):
                out.append(f"The details don't say anything about {topic}.")
        return "\n".join(out)

    def _compare(self, plan: Plan, state: ConversationState) -> RouteOutcome:
        reading = plan.reading
        if reading is not None and reading.ordering is not None and plan.scope:
            pool = [self.shop.products[p] for p in plan.scope if p in self.shop.products]
            scope = "of the two" if len(pool) == 2 else f"of the {len(pool)} shown"
            ranked = self._ranked_answer(plan, pool, scope, ToolResult("compare_products"))
            if ranked is not None:
                return ranked
            return RouteOutcome.written(
                not_stated_task(
                    pool[0], reading.ordering.word.replace("est", "").strip() or "that", reading.text
                )
                if len(pool) == 1
                else _unranked(pool, reading),
                ToolResult("compare_products", tuple(pool)),
            )
        ids = list(plan.targets)
        if len(ids) < 2 and plan.query:
            found = self.tools.search_products(plan.query, None, k=2)
            ids += [p.id for p in found.products if p.id not in ids]
        try:
            result = self.tools.compare_products(ids[:4])
        except NotFoundError:
            result = ToolResult("compare_products")
        keys = self._asked_keys(reading, list(result.products))
        question = reading.text if reading else _last_question(state)
        # Words of any compared product's name ask nothing ("the compact adjustable foldable one").
        unnamed = question
        for p in result.products:
            unnamed = _without_title(unnamed, p)
        for p in result.products:
            keys += [k for k in named_keys(p, unnamed, self.shop.display) if k not in keys]
        if keys and len(result.products) >= 2:
            question = reading.text if reading else _last_question(state)
            task = compare_task(result.products, keys, self.shop.display, question)
            return RouteOutcome.written(task, result)
        table = compare_answer(result.products, self.shop.display)
        if len(result.products) >= 2:
            # "compare X and Y": the price and what tells them apart in a sentence, the table after.
            summary = ["price", *_differences(list(result.products), self.shop.display)[:2]]
            task = compare_task(result.products, summary, self.shop.display, question)
            return RouteOutcome.written(task, result, table)
        return RouteOutcome(table, result, failed=True)

    def _recommend(self, plan: Plan, state: ConversationState) -> RouteOutcome:
        constraints = plan.constraints.merged(Constraints(in_stock=True))
        result = self.tools.recommend(
            state.session,
            k=4,
            constraints=constraints,
            about_product_id=plan.targets[0] if plan.targets else None,
            hint=plan.query or None,
        )
        # Why each pick fits, from what it matches; the recommender's "Matches <your words>" is an
        # echo of the message, not a reason.
        reasons = dict(result.reasons)
        for p in result.products:
            own = matched_reasons(p, constraints, self.shop.display)
            if own or reasons.get(p.id, "").startswith("Matches"):
                reasons[p.id] = ", ".join(own)
        result = replace(result, reasons=reasons)
        return RouteOutcome(recommend_answer(result), result, failed=not result.products)

    # -- orders -----------------------------------------------------------------------------

    def _order_status(self, plan: Plan, state: ConversationState) -> RouteOutcome:
        result = self.tools.order_status(state.session, plan.order_id)
        if result.note or not result.orders:
            return RouteOutcome(order_answer(result), result, failed=result.note == "order_not_found")
        asked = _last_question(state)
        order = self._asked_order(result.orders, asked)
        titles = [
            self.shop.products[i.product_id].title for i in order.items if i.product_id in self.shop.products
        ]
        rest = [order_line(o) for o in result.orders if o is not order]
        if order.status == "processing" and _WHEN.search(asked):
            # "ok when will it go out": the shop's dispatch times answer it, quoted.
            question = "how soon do orders ship after they are placed"
            policy = self.tools.policy_lookup(question, k=1)
            rest.insert(0, policy_answer(policy, question, similarity=self._similarity))
            result = replace(result, sections=policy.sections)
        return RouteOutcome.written(order_task(order, titles, asked), result, "\n".join(rest))

    def _asked_order(self, orders: tuple[Order, ...], question: str) -> Order:
        """The order the question is about: the one whose items it names ("where's my
        dehumidifier"), else the first listed."""
        said = set(tokenize(question))
        for order in orders:
            for item in order.items:
                product = self.shop.products.get(item.product_id)
                if product is not None and said & set(
                    tokenize(f"{product.title} {product.category_path[-1] if product.category_path else ''}")
                ):
                    return order
        return orders[0]

    def _order_change(self, plan: Plan, state: ConversationState) -> RouteOutcome:
        """Explain what policy allows; anything a person must do (or decide) is handed off."""
        result = self.tools.order_status(state.session, plan.order_id)
        if result.note or not result.orders:
            return RouteOutcome(order_answer(result), result, failed=True)
        order = result.orders[0]
        text = state.recent[-1] if state.recent else ""
        wants_return = bool(_RETURN.search(text))
        if _CANCEL.search(text) and not wants_return:
            if order.status == "processing" and _ASKS_IF_CANCEL.search(text):
                # "is it too late to cancel?" asks; it does not yet tell us to cancel
                return self._quote(
                    result,
                    order,
                    "cancel an order before it ships",
                    lead=f"{order_line(order)} So it can still be cancelled: say "
                    '"cancel it" and I\'ll pass it to our team.',
                )
            if order.status == "processing":
                return self._handoff(
                    result, "order_action", f"cancellation requested for {order.order_id} (processing)"
                )
            if order.status in ("cancelled", "returned"):
                return RouteOutcome(order_line(order), result)
            return self._quote(result, order, "can I cancel an order after it has shipped")
        if wants_return:
            if order.status == "delivered":
                window, policy = self._return_window()
                delivered = _date(_delivered_at(order))
                if window and delivered and (self.clock() - delivered).days <= window:
                    merged = replace(result, sections=policy.sections)
                    steps = self.tools.policy_lookup("how to start a return", k=1)
                    answer = (
                        f"{order_line(order)} That is within our {window}-day return window, so it can be "
                        f"returned. "
                        + policy_answer(steps, "how do I start a return", similarity=self._similarity)
                    )
                    return RouteOutcome(answer, replace(merged, sections=policy.sections + steps.sections))
                return self._handoff(
                    replace(result, sections=policy.sections),
                    "order_problem",
                    f"return requested for {order.order_id}, delivered "
                    f"{(_delivered_at(order) or '?')[:10]}, outside the {window or '?'}-day window",
                )
            if order.status in ("processing", "shipped"):
                return self._quote(
                    result, order, "cancel an order before it ships or return it after delivery"
                )
            return self._quote(result, order, "when will my refund arrive")
        return self._handoff(
            result, "order_action", f"change requested for {order.order_id} ({order.status})"
        )

    def _return_window(self) -> tuple[int | None, ToolResult]:
        """The shop's return window in days, read from its own returns policy."""
        policy = self.tools.policy_lookup("return window days for unused items", k=1)
        for hit in policy.sections:
            if m := _DAYS.search(hit.section.text):
                return int(m.group(1)), policy
        return None, policy

    def _quote(self, result: ToolResult, order: Order, question: str, lead: str = "") -> RouteOutcome:
        policy = self.tools.policy_lookup(question, k=1)
        answer = (
            (lead or order_line(order)) + " " + policy_answer(policy, question, similarity=self._similarity)
        )
        return RouteOutcome(answer, replace(result, sections=policy.sections))

    @staticmethod
    def _handoff(result: ToolResult, reason: str, detail: str) -> RouteOutcome:
        return RouteOutcome("", result, handoff_reason=reason, handoff_detail=detail)

    # -- policies ---------------------------------------------------------------------------

    def _policy(self, plan: Plan, state: ConversationState) -> RouteOutcome:
        question = plan.query or _last_question(state)
        asked = asked_part(question)
        result = self.tools.policy_lookup(asked)
        if asked != question:
            # The story around the question can be what decides it ("i got a dress on sale, 40%
            # off. can i still return it?"): the whole message wins when it matches clearly better.
            whole = self.tools.policy_lookup(question)
            if whole.sections and (
                not result.sections or whole.sections[0].score >= result.sections[0].score + _CONTEXT_MARGIN
            ):
                result = whole
        if (
            len(result.sections) > 1
            and result.sections[1].section.policy != result.sections[0].section.policy
        ):
            # Two sections of one policy often share an answer ("Free shipping" and "Shipping
            # options and costs"); a second section from another policy is noise.
            result = replace(result, sections=result.sections[:1])
        if not result.sections:
            return RouteOutcome(
                policy_answer(result, question, similarity=self._similarity), result, failed=True
            )
        named = [self.shop.products[p] for p in plan.slots.named[:1] if p in self.shop.products]
        keys = self._asked_keys(plan.reading, named) if named else []
        if keys:  # every field it names: "is it energy star and whats the warranty"
            keys += [k for k in named_keys(named[0], question, self.shop.display) if k not in keys]
            # "what's the warranty on the glacier max and can I get longer coverage": the product's
            # own record answers the first part, the policy the second.
            task = attribute_task(named[0], keys, self.shop.display, question)
            both = replace(result, products=(named[0],))
            return RouteOutcome.written(
                task, both, policy_answer(result, question, similarity=self._similarity)
            )
        # The model's sentence answers; the rule it paraphrases follows, quoted, so the shopper
        # always sees the exact terms (the validator checks truth, not completeness).
        task = policy_task(
            relevant_sentences(result.sections[0], question, 3, best_first=True, similarity=self._similarity),
            question,
        )
        return RouteOutcome.written(
            replace(task, answer=""), result, policy_answer(result, question, similarity=self._similarity)
        )

    # -- staff ------------------------------------------------------------------------------

    def staff_summary(self, state: ConversationState, text: str, reason: str, detail: str) -> str:
        session = state.session
        customer = self.shop.customers.get(session.customer_id or "")
        shopper = (
            f"{customer.name} ({customer.customer_id}, {customer.tier} tier)"
            if customer
            else f"anonymous shopper {session.user_id}"
        )
        orders: list[Order] = self.shop.orders_of(session.customer_id) if session.customer_id else []
        focus = self.shop.products.get(state.focus or "")
        return (
            load_prompt("staff_summary")
            .render(
                reason=reason,
                detail=detail,
                shopper=shopper,
                last_message=text[:500],
                orders="; ".join(f"{o.order_id} {o.status} {money(o.total)}" for o in orders[:3]),
                focus=f"{focus.title} ({focus.id})" if focus else "",
                history=state.recent[-6:-1],
            )
            .strip()
        )


def valued_keys(product: Product, question: str, display: Display) -> list[str]:
    """Fields whose value says what a yes/no question asks: "is it coated?" is answered by the
    material "vinyl-coated cast iron"."""
    asked = {w for w in _content(question, product) if len(w) >= 4}
    if not asked:
        return []
    found = []
    for key, value in product.attributes.items():
        if isinstance(value, bool | int | float):
            continue
        if asked & set(tokenize(display.value(key, value))):
            found.append(key)
    return found[:2]


def named_keys(product: Product, question: str, display: Display) -> list[str]:
    """Attributes the question names in the shop's own words ("is it freestanding", "non
    comedogenic", "does it fold" for foldable)."""
    # Words of the product's own title name the product, not a field ("compare the ... Adjustable Dumbbells").
    title = set(words(product.title.replace("-", " ")))
    asked = [w for w in words(question.replace("-", " ")) if w not in title]
    said = f" {' '.join(asked)} "
    stems = tokenize(" ".join(asked))
    found = []
    for key in product.attributes:
        label = " ".join(words(display.label(key).replace("-", " ")))
        at = max(said.find(f" {label} "), said.find(f" {label}s "))  # "shades" names shade
        if label and len(label) > 2 and at >= 0:
            found.append((at, key))
            continue
        # one-word flags by their stem: "fold" -> foldable, "adjust" -> adjustable
        label_stems = tokenize(label)
        if isinstance(product.attributes[key], bool) and len(label_stems) == 1:
            hit = next((i for i, w in enumerate(stems) if len(w) >= 4 and label_stems[0].startswith(w)), None)
            if hit is not None:
                found.append((1000 + hit, key))
    return [k for _, k in sorted(found)]


def _last_question(state: ConversationState) -> str:
    return state.recent[-1].split(": ", 1)[-1] if state.recent else ""


def _kind(category: str, n: int) -> str:
    """ "dresses" for several, "dress" for one; a full path ("Clothing > Men > Jackets") by its leaf."""
    low = category.rsplit(">", 1)[-1].strip().lower()
    if n != 1:
        return low
    return low[:-2] if low.endswith(("sses", "shes", "ches", "xes")) else low.rstrip("s")


def _field_value(p: Product, keys: list[str], display: Display) -> str:
    """The compared value of a ranked product: the first of ``keys`` it has (weight_g or weight_kg)."""
    key = key_of(p, keys)
    return field_value(p, key, display) if key is not None else "not listed"


def _unranked(pool: list[Product], reading: Reading) -> WriterTask:
    word = reading.ordering.word if reading.ordering else "that"
    titles = ", ".join(p.title for p in pool[:4])
    return WriterTask(
        "not_stated",
        reading.text,
        (f"None of these lists the figure needed to tell which is {word}: {titles}.",),
        f"The product details don't list what I'd need to tell which is {word}, so I can't say.",
        (("don't list", "doesn't list", "not listed", "can't say", "don't say"),),
    )


# Words that ask without saying what about: dropped when looking for the question's subject.
_ASKING = (
    "have has come comes use used using work works good ok okay fine it this that one product item "
    "does do can could would will is are there any you your tell me about also please question really "
    # light verbs carry no topic: "can it go in the garage" asks about the garage
    "go goes put keep take make let rid "
    # chat filler asks nothing: "can i go running in them tho"
    "tho though tbh lol btw actually just really anyway kinda sorta pls plz please ok okay them they"
)
_GENERIC = frozenset(tokenize(_ASKING + " own need buy get separately included come with"))
_INCLUDED = re.compile(
    r"\b(come with|comes with|included|include|includes|in the box|buy (?:that|it|them) separately)\b", re.I
)


def _content(question: str, product: Product) -> list[str]:
    title = set(tokenize(f"{product.title} {product.brand}"))
    return [w for w in tokenize(question) if w not in _GENERIC and w not in title]


def _uncovered(question: str, product: Product, keys: list[str], display: Display) -> list[str]:
    """The question's content words that the named fields' labels and values do not cover."""
    first = re.split(r"[?.!]\s", question, maxsplit=1)[0]  # "...sourced? thats important to me"
    line = " ".join(
        f"{display.label(k)} {display.value(k, product.attributes[k])}"
        for k in keys
        if k in product.attributes
    )
    covered = set(tokenize(f"{line} {' '.join(keys)}"))
    return [w for w in _content(first, product) if w not in covered]


def description_evidence(product: Product, question: str, limit: int = 2) -> list[str]:
    """The description's sentences that support an answer: most of the question's own content
    words, in order. Empty when none does (then the answer is "not stated", never a guess)."""
    # The asking sentence, not the story around it: "does it come with the charcoal filters?
    # theres no duct in my kitchen" is answered by a sentence about charcoal filters.
    asked = set(_content(asked_part(question), product)) or set(_content(question, product))
    if not asked:
        return []
    scored = []
    for i, sent in enumerate(sentences(neutralize(product.description))):
        shared = asked & set(tokenize(sent))
        # Short questions need every content word ("is the door reversible" is not answered by
        # "a can dispenser in the door"); longer ones most of them.
        need = len(asked) if len(asked) <= 2 else math.ceil(0.6 * len(asked))
        if shared and len(shared) >= need:
            scored.append((len(shared), -i, sent))
    scored.sort(reverse=True)
    return [s for _, _, s in scored[:limit]]


# Policy-search score by which the whole message must beat its asking sentence to be used:
# "...on sale, 40% off. can i still return it" 1.49 against 1.07; "can i pay monthly? the dryer
# is kinda expensive" 1.09 against 1.16 (the asking sentence wins).
_CONTEXT_MARGIN = 0.3
_DESCRIPTION_SAYS = "The description says: "
_ASKS_IF_CANCEL = re.compile(
    r"\b(?:can|could|may) (?:i|we|u|you) (?:still )?cancel|\b(?:is it|am i) (?:too late|still able|able|possible) to cancel"
    r"|\bcancel\w*\b[^.!]*\?",
    re.I,
)
# A description sentence about fit: "Runs half a size large", "between sizes, size down".
_SIZING_SENTENCE = re.compile(
    r"\b(?:runs?|fits?) (?:\w+ ){0,3}(?:small|large|big|true|narrow|wide|snug|loose)\b|true to size"
    r"|\bsize (?:up|down)\b|\bbetween sizes\b|\border (?:a |one |half a )?size",
    re.I,
)
_ASKS_SOMETHING = re.compile(r"\b(how|what|which|does|do|is|are|can|will|would|has)\b", re.I)
_WHICH_KIND = re.compile(r"^\s*(?:which|what|do any|does any|are there any|is there an?)\b", re.I)
_BOX_WORDS = frozenset({"box", "included", "include", "includes", "separately", "pack", "packed"})


def _differences(products: list[Product], display: Display) -> list[str]:
    """Fields every product has and not all share, measured ones first ("weight", "max load")."""
    shared = [k for k in products[0].attributes if all(k in p.attributes for p in products[1:])]
    differing = [k for k in shared if len({display.value(k, p.attributes[k]) for p in products}) > 1]
    return sorted(differing, key=lambda k: display.quantity(k, products[0].attributes[k]) is None)


def _without_title(question: str, product: Product) -> str:
    title = {w for w in words(product.title) if len(w) > 1}
    kept = [w for w in re.findall(r"\S+", question) if not (set(words(w)) and set(words(w)) <= title)]
    return " ".join(kept)


_WHEN = re.compile(r"\b(when|how (?:long|soon)|go out|ship|dispatch)\w*", re.I)
_WITH_WHAT = re.compile(
    r"\b(?:comes? with|includes?|included with) (?:a |an |the |any |its own )?([\w -]+?)(?=\s+(?:or|and|too)\b|[?.!,]|$)",
    re.I,
)


def _topic(question: str, product: Product) -> str:
    included = _WITH_WHAT.search(question)  # "does it come with fuel or do i buy that separately"
    if included:
        return f"{included.group(1).strip()} being included"
    if re.search(r"\bwhere (?:is|are|was|were) (?:\w+ ){0,4}made\b", question, re.I):
        return "where it is made"
    first = re.split(r"[?.!]\s", question, maxsplit=1)[0]  # "is the down ethically sourced? thats important"
    said = [
        w
        for w in words(first)
        if w not in _GENERIC_WORDS and w not in {x.lower() for x in words(product.title)}
    ]
    return " ".join(said[-3:])


_SHOWN_WORDS = frozenset(
    (
        "those these them which one ones has have with contain contains any of the then ok okay so well "
        + _ASKING
    ).split()
)
_GENERIC_WORDS = frozenset((_ASKING + " a an the with for of in on to i my me if be").split())


def _delivered_at(order: Order) -> str | None:
    """Delivery date: a ``delivered_at`` field when the shop exports one, else the ETA."""
    extra = order.model_extra or {}
    return str(extra.get("delivered_at") or order.eta or "") or None


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
