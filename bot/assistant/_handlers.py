"""What each route does: call its tools, compose the deterministic answer, decide escalation.

Kept apart from the engine so each route reads as one short function; the engine handles
timing, phrasing, memory and handoff mechanics around them.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from retrieval import Constraints, NotFoundError, Order, Shop

from ..llm import load_prompt
from ._compose import (
    compare_answer,
    money,
    order_answer,
    order_line,
    policy_answer,
    product_answer,
    recommend_answer,
    search_answer,
)
from ._planner import Plan
from ._slots import attribute_answer_field
from ._state import ConversationState
from ._tools import Toolbox, ToolResult

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


class RouteRunner:
    def __init__(
        self,
        shop: Shop,
        toolbox: Toolbox,
        shop_name: str,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self.shop = shop
        self.tools = toolbox
        self.shop_name = shop_name
        self.clock = clock  # return windows depend on today; tests and evals pin it

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
        result = self.tools.search_products(plan.query, plan.constraints, k=5)
        return RouteOutcome(
            search_answer(result, result.constraints),
            result,
            phrase=bool(result.products) and not result.relaxed and result.note == "",
            failed=not result.products,
        )

    def _product_question(self, plan: Plan, state: ConversationState) -> RouteOutcome:
        product = self.shop.product(plan.targets[0])
        fields = attribute_answer_field(product, plan.slots.asks_about)
        result = ToolResult("product_details", (product,))
        known = [f for f in fields if f in ("price", "stock", "rating") or f in product.attributes]
        if known:  # a precise field question: the record answers it exactly
            return RouteOutcome(product_answer(product, known, plan.asked_value), result)
        return RouteOutcome(product_answer(product, []), result, phrase=True)

    def _compare(self, plan: Plan, state: ConversationState) -> RouteOutcome:
        ids = list(plan.targets)
        if len(ids) < 2 and plan.query:
            found = self.tools.search_products(plan.query, None, k=2)
            ids += [p.id for p in found.products if p.id not in ids]
        try:
            result = self.tools.compare_products(ids[:4])
        except NotFoundError:
            result = ToolResult("compare_products")
        return RouteOutcome(compare_answer(result.products), result, failed=len(result.products) < 2)

    def _recommend(self, plan: Plan, state: ConversationState) -> RouteOutcome:
        constraints = plan.constraints.merged(Constraints(in_stock=True))
        result = self.tools.recommend(
            state.session,
            k=4,
            constraints=constraints,
            about_product_id=plan.targets[0] if plan.targets else None,
            hint=plan.query or None,
        )
        return RouteOutcome(recommend_answer(result), result, failed=not result.products)

    # -- orders -----------------------------------------------------------------------------

    def _order_status(self, plan: Plan, state: ConversationState) -> RouteOutcome:
        result = self.tools.order_status(state.session, plan.order_id)
        return RouteOutcome(order_answer(result), result, failed=result.note == "order_not_found")

    def _order_change(self, plan: Plan, state: ConversationState) -> RouteOutcome:
        """Explain what policy allows; anything a person must do (or decide) is handed off."""
        result = self.tools.order_status(state.session, plan.order_id)
        if result.note or not result.orders:
            return RouteOutcome(order_answer(result), result, failed=True)
        order = result.orders[0]
        text = state.recent[-1] if state.recent else ""
        wants_return = bool(_RETURN.search(text))
        if _CANCEL.search(text) and not wants_return:
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
                        f"returned. " + policy_answer(steps, "how do I start a return")
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

    def _quote(self, result: ToolResult, order: Order, question: str) -> RouteOutcome:
        policy = self.tools.policy_lookup(question, k=1)
        answer = order_line(order) + " " + policy_answer(policy, question)
        return RouteOutcome(answer, replace(result, sections=policy.sections))

    @staticmethod
    def _handoff(result: ToolResult, reason: str, detail: str) -> RouteOutcome:
        return RouteOutcome("", result, handoff_reason=reason, handoff_detail=detail)

    # -- policies ---------------------------------------------------------------------------

    def _policy(self, plan: Plan, state: ConversationState) -> RouteOutcome:
        question = state.recent[-1].split(": ", 1)[-1] if state.recent else ""
        result = self.tools.policy_lookup(question)
        if (
            len(result.sections) > 1
            and result.sections[1].section.policy != result.sections[0].section.policy
        ):
            # Two sections of one policy often share an answer ("Free shipping" and "Shipping
            # options and costs"); a second section from another policy is noise.
            result = replace(result, sections=result.sections[:1])
        return RouteOutcome(
            policy_answer(result, question), result, phrase=bool(result.sections), failed=not result.sections
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
