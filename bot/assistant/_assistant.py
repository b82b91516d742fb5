"""The conversation engine: one shopper turn in, one grounded reply out.

Order of work for a turn (each stage timed for ``latency_ms``):

1. *guard*      - size limits; card numbers removed before anything is kept.
2. *planning*   - intent, handoff triggers (rules and classifiers, never the model), plan.
3. *search* / *ranking* - the plan's tool calls.
4. *generation* / *validation* - the model phrases from the tool results; the validator
   accepts the draft or it is dropped for the deterministic answer (``_compose``).

The engine yields ``TurnEvent``s so adapters can stream: ``Routed`` as soon as the route is
known, ``Delta`` text only once it is validated, and the final ``Reply``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from retrieval import InputError, Shop

from ..llm import load_prompt
from ..safety import redact_cards
from ._grounding import Facts
from ._handlers import RouteOutcome, RouteRunner
from ._handoff import HandoffDecision, HandoffPolicy, decision
from ._phrasing import Phraser, Written, write_stream
from ._planner import Plan, Planner, Route
from ._state import ConversationState
from ._tools import Session, Toolbox

log = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 2000
EventHook = Callable[..., None]


@dataclass(frozen=True)
class Reply:
    text: str
    route: Route  # "error" never comes from the assistant: ChatService writes it for a failed turn
    products: tuple[str, ...] = ()
    sponsored: tuple[str, ...] = ()
    citations: tuple[str, ...] = ()
    escalated: bool = False
    handoff: HandoffDecision | None = None
    latency_ms: dict[str, float] = field(default_factory=dict)
    generated: bool = False  # a model-written sentence is part of the text
    fallback: bool = False  # the model's draft was rejected
    problems: tuple[str, ...] = ()
    confidence: float = 1.0
    ads: tuple[tuple[str, str, str | None], ...] = ()  # (product id, label, impression id)
    model_text: str = ""  # the validated model-written sentences, when they carry the answer

    def as_json(self) -> dict:
        return {
            "answer": self.text,
            "route": self.route,
            "products": list(self.products),
            "sponsored": list(self.sponsored),
            "citations": list(self.citations),
            "escalated": self.escalated,
            "latency_ms": {k: round(v, 1) for k, v in self.latency_ms.items()},
        }


@dataclass(frozen=True)
class Routed:
    route: Route
    confidence: float


@dataclass(frozen=True)
class Delta:
    text: str


TurnEvent = Routed | Delta | Reply


def check_message(message: str) -> str:
    text = (message or "").strip()
    if not text:
        raise InputError("Message is empty; type a question")
    if len(text) > MAX_MESSAGE_CHARS:
        raise InputError(f"Message is {len(text)} characters; the limit is {MAX_MESSAGE_CHARS}")
    return redact_cards(text).text


class Assistant:
    def __init__(
        self,
        shop: Shop,
        toolbox: Toolbox,
        planner: Planner,
        handoff: HandoffPolicy,
        phraser: Phraser,
        *,
        shop_name: str = "our shop",
        record: EventHook | None = None,
        agent=None,
        clock: Callable[[], datetime] | None = None,
    ):
        self.shop = shop
        self.toolbox = toolbox
        self.planner = planner
        self.handoff = handoff
        self.phraser = phraser
        self.shop_name = shop_name
        self.routes = RouteRunner(
            shop, toolbox, shop_name, clock or (lambda: datetime.now(UTC)), meaning=planner.meaning
        )
        self.record = record
        self.agent = agent  # a tool-calling agent (endpoint models); None: deterministic planner

    def new_state(self, session: Session) -> ConversationState:
        return ConversationState(session)

    def respond(self, state: ConversationState, message: str) -> Reply:
        reply = None
        for event in self.stream(state, message):
            if isinstance(event, Reply):
                reply = event
        assert reply is not None  # stream always ends with a Reply
        return reply

    def stream(self, state: ConversationState, message: str) -> Iterator[TurnEvent]:
        timings: dict[str, float] = {}
        t = time.perf_counter()
        text = check_message(message)
        state.turns += 1
        state.remember("shopper", text)

        # Chat spelling and typos fixed once for everything downstream; memory keeps the original.
        said = self.planner.normalise(text)
        self.planner.prepare(said, text)
        intent = self.planner.classifier.predict_one(said)
        trigger = self.handoff.check(text, intent, state.failures)
        timings["planning"] = (time.perf_counter() - t) * 1000
        if trigger is not None:
            yield Routed("handoff", intent.confidence)
            yield from self._handoff(state, text, trigger[0], trigger[1], timings, intent.confidence)
            return
        if self.agent is not None and intent.intent not in ("greeting", "off_topic", "abusive", "injection"):
            yield from self.agent.stream(self, state, text, intent, timings)
            return
        yield from self._planned(state, said, intent, timings, t)

    def _planned(
        self, state: ConversationState, text: str, intent, timings: dict[str, float], t0: float
    ) -> Iterator[TurnEvent]:
        """The deterministic planner's turn: plan, run the route's tools, phrase, validate."""
        t = time.perf_counter()
        plan = self.planner.plan(text, state, intent)
        timings["planning"] += (time.perf_counter() - t) * 1000
        yield Routed(plan.route, intent.confidence)
        if plan.route == "handoff":
            yield from self._handoff(
                state,
                text,
                "complaint" if intent.intent == "complaint" else "requested",
                f"intent {intent.intent}",
                timings,
                intent.confidence,
            )
            return

        outcome = self.routes.run(plan, state, timings)
        if outcome.failed and state.failures + 1 >= self.handoff.max_failures:
            # The Nth turn in a row the bot cannot answer: a person takes over instead.
            yield from self._handoff(
                state,
                text,
                "repeated_failure",
                f"{state.failures + 1} turns in a row without an answer",
                timings,
                intent.confidence,
                outcome,
            )
            return
        if outcome.handoff_reason is not None:
            yield from self._handoff(
                state,
                text,
                outcome.handoff_reason,
                outcome.handoff_detail,
                timings,
                intent.confidence,
                outcome,
            )
            return
        facts = Facts(
            products=outcome.result.products,
            sections=tuple(h.section for h in outcome.result.sections),
            orders=outcome.result.orders,
        )
        written: Written | None = None
        shown: list[str] = []
        written_lead = False
        if outcome.phrase and outcome.task is not None and self.phraser.model is not None:
            t_gen = time.perf_counter()
            for item in write_stream(self.phraser, outcome.task, facts):
                if isinstance(item, Written):
                    written = item
                    continue
                if not shown:
                    timings["first_text"] = (time.perf_counter() - t0) * 1000
                # the lead and the model's continuation join without a space of our own
                joiner = "" if not shown or (written_lead and len(shown) == 1) else " "
                yield Delta(joiner + item)
                shown.append(item)
                if item != outcome.task.lead and "first_sentence" not in timings:
                    timings["first_sentence"] = (time.perf_counter() - t0) * 1000
                if len(shown) == 1 and outcome.task.lead and item == outcome.task.lead:
                    written_lead = True
            timings["generation"] = (time.perf_counter() - t_gen) * 1000 - (
                written.validation_ms if written else 0
            )
            if written is not None:
                timings["validation"] = written.validation_ms
                if written.first_token_ms is not None:
                    timings["first_token"] = written.first_token_ms
        model_text = written.text if written is not None else ""
        lead = written.lead if written is not None else ""
        task = outcome.task
        rest = outcome.rest if task is not None else ""
        if model_text:
            tail = ""  # the model's sentences (validated, carrying the answer) were shown
        elif lead and task is not None and task.answer.startswith(lead):
            # The lead was shown and the model's continuation failed: finish the sentence from
            # the record, so the shopper reads one sentence, not a fragment and a restart.
            tail = task.answer[len(lead) :]
        else:
            tail = task.answer if task is not None else outcome.text
        if tail and lead and not model_text:
            yield Delta(tail)  # continues the lead on the same line
            timings.setdefault("first_sentence", (time.perf_counter() - t0) * 1000)
            text_head, tail = lead + tail, ""
        else:
            text_head = model_text
        remainder = "\n".join(x for x in (tail, rest) if x)
        if remainder:
            if not shown and not lead:
                timings["first_text"] = (time.perf_counter() - t0) * 1000
            yield Delta(("\n" if shown or text_head else "") + remainder)
        text_out = "\n".join(x for x in (text_head, remainder) if x)
        generated = bool(model_text)
        fallback = written is not None and not (written.text and written.carries)
        problems = written.problems if written is not None else ()
        self._record(state, plan, outcome, text)
        self._update_state(state, plan, outcome)
        state.remember("assistant", text_out)
        yield Reply(
            text_out,
            plan.route,
            tuple(p.id for p in outcome.result.products),
            tuple(s.product.id for s in outcome.result.sponsored),
            tuple(outcome.result.citations),
            False,
            None,
            timings,
            generated,
            fallback,
            problems,
            intent.confidence,
            tuple((s.product.id, s.label, s.impression_id) for s in outcome.result.sponsored),
            model_text=model_text if written is not None and written.carries else "",
        )

    # -- stages -----------------------------------------------------------------------------

    def _handoff(
        self,
        state: ConversationState,
        text: str,
        reason,
        detail: str,
        timings: dict[str, float],
        confidence: float,
        outcome: RouteOutcome | None = None,
    ) -> Iterator[TurnEvent]:
        summary = self.routes.staff_summary(state, text, reason, detail)
        handoff = decision(reason, summary, detail)
        state.escalated = True
        state.failures = 0
        state.last_route = "handoff"
        answer = load_prompt("reply_handoff").render(reason=reason, detail=detail).strip()
        state.remember("assistant", answer)
        cites = tuple(outcome.result.citations) if outcome else ()
        yield Delta(answer)
        yield Reply(
            answer,
            "handoff",
            citations=cites,
            escalated=True,
            handoff=handoff,
            latency_ms=timings,
            confidence=confidence,
        )

    def _record(self, state: ConversationState, plan: Plan, outcome: RouteOutcome, text: str) -> None:
        """Feed the behaviour vector: what the shopper searched for or talked about."""
        if self.record is None:
            return
        try:
            if plan.route == "product_search":
                self.record(state.session.user_id, "search", query=plan.query[:500])
            elif plan.route in ("product_question", "compare") and plan.targets:
                for pid in plan.targets[:2]:
                    self.record(state.session.user_id, "view", item_id=pid)
            elif plan.route == "recommend" and plan.query:
                self.record(state.session.user_id, "chat", query=text[:500])
        except InputError as exc:  # an unregistered shopper must not break the conversation
            log.warning("behaviour event not recorded: %s", exc)

    def _update_state(self, state: ConversationState, plan: Plan, outcome: RouteOutcome) -> None:
        ids = [p.id for p in outcome.result.products]
        if plan.route == "product_search":
            state.query, state.constraints = plan.query, plan.constraints
        if ids and plan.route in ("product_search", "recommend", "compare"):
            state.results = ids
            # A new list: "it" now means its first product (the winner of a ranking), not a
            # product discussed before it.
            state.focus = ids[0] if outcome.result.tool == "rank_products" or len(ids) == 1 else None
        if plan.route == "product_question" and plan.targets:
            state.focus = plan.targets[0]
        state.failures = state.failures + 1 if outcome.failed else 0
        state.last_route = plan.route
