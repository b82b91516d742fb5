"""The tool-calling path: LangChain's ``create_agent`` for models that can call tools.

With an OpenAI-compatible endpoint (vLLM, llama.cpp server, Ollama, TGI serving an
instruction-tuned model) the model chooses the tools itself. What does not change:

* handoff triggers still run first, in the engine, before the model sees the turn;
* tools are bound to the conversation's ``Session``: the schemas have no user argument;
* every tool result is collected, and the final answer is validated against those facts;
  a failing answer is replaced by the deterministic planner's answer for the same turn.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

from ..llm import load_prompt
from ._compose import sponsored_lines
from ._grounding import Facts
from ._intents import IntentPrediction
from ._planner import Route, route_of
from ._state import ConversationState
from ._tools import ToolResult, langchain_tools

log = logging.getLogger(__name__)

_ROUTE_OF_TOOL: dict[str, Route] = {
    "search_products": "product_search",
    "product_details": "product_question",
    "compare_products": "compare",
    "recommend": "recommend",
    "order_status": "order_status",
    "policy_lookup": "policy",
    "hand_off_to_human": "handoff",
}
MAX_HISTORY = 8


def _merge(results: list[ToolResult]) -> ToolResult:
    products, seen = [], set()
    for r in results:
        for p in r.products:
            if p.id not in seen:
                seen.add(p.id)
                products.append(p)
    return ToolResult(
        results[-1].tool if results else "none",
        tuple(products),
        tuple(s for r in results for s in r.sponsored),
        tuple(h for r in results for h in r.sections),
        tuple(o for r in results for o in r.orders),
        reasons={k: v for r in results for k, v in r.reasons.items()},
    )


class ToolCallingAgent:
    """Runs one turn through ``create_agent``; the engine calls ``stream`` in place of the planner."""

    def __init__(self, model, shop_name: str, *, recursion_limit: int = 8, max_tokens: int = 300):
        self.model = model  # an OpenAICompatibleModel (exposes .chat_model)
        self.max_tokens = max_tokens  # the chat model has no limit of its own on this path
        self.system = load_prompt("system").render(shop_name=shop_name)
        self.recursion_limit = recursion_limit

    def stream(
        self,
        assistant,
        state: ConversationState,
        text: str,
        intent: IntentPrediction,
        timings: dict[str, float],
    ) -> Iterator[Any]:
        from langchain.agents import create_agent

        from ._assistant import Delta, Reply, Routed

        sink: list[ToolResult] = []
        tools = langchain_tools(assistant.toolbox, state.session, sink)
        chat_model = self.model.chat_model.bind(max_tokens=self.max_tokens)
        agent = create_agent(chat_model, tools, system_prompt=self.system)
        history = [
            {
                "role": "user" if line.startswith("shopper:") else "assistant",
                "content": line.split(": ", 1)[-1],
            }
            for line in state.recent[-MAX_HISTORY:]
        ]
        t = time.perf_counter()
        import openai

        try:
            result = agent.invoke(
                {"messages": history},  # type: ignore[call-overload]  # plain dicts
                {"recursion_limit": self.recursion_limit},
            )
        except openai.OpenAIError as exc:  # the endpoint's failures, named with the server and the fix
            raise self.model.error_for(exc) from exc
        timings["generation"] = (time.perf_counter() - t) * 1000
        answer = str(result["messages"][-1].content).strip()
        route = _ROUTE_OF_TOOL.get(sink[-1].tool, "product_search") if sink else route_of(intent.intent)
        yield Routed(route, intent.confidence)

        if any(r.tool == "hand_off_to_human" for r in sink):
            yield from assistant._handoff(
                state, text, "requested", "the model asked for a person", timings, intent.confidence
            )
            return
        merged = _merge(sink)
        t = time.perf_counter()
        facts = Facts(
            products=merged.products, sections=tuple(h.section for h in merged.sections), orders=merged.orders
        )
        verdict = assistant.phraser.validator.check(answer, facts, text)
        undisclosed = [
            s.product.title
            for s in merged.sponsored
            if any(
                s.product.title.lower() in line.lower() and "sponsored" not in line.lower()
                for line in answer.splitlines()
            )
        ]
        if undisclosed:
            verdict = type(verdict)(
                False, verdict.problems + tuple(f"ad without label: {t}" for t in undisclosed)
            )
        timings["validation"] = (time.perf_counter() - t) * 1000
        if not verdict.ok:
            # Fall back to the deterministic planner for this very turn. ``_planned`` never consults
            # ``assistant.agent``, so nothing shared is switched off: concurrent turns keep their agent.
            log.info("agent answer rejected (%s); planner answer used", "; ".join(verdict.problems))
            for event in assistant._planned(state, text, intent, timings, time.perf_counter()):
                if isinstance(event, Reply):
                    event = Reply(**{**event.__dict__, "fallback": True, "problems": verdict.problems})
                yield event
            return
        if merged.sponsored:  # ads are always listed apart, labelled, whatever the model wrote
            answer += "\n" + sponsored_lines(merged.sponsored)
        state.remember("assistant", answer)
        state.results = [p.id for p in merged.products] or state.results
        yield Delta(answer)
        yield Reply(
            answer,
            route,
            tuple(p.id for p in merged.products),
            tuple(s.product.id for s in merged.sponsored),
            tuple(merged.citations),
            False,
            None,
            timings,
            True,
            False,
            (),
            intent.confidence,
            tuple((s.product.id, s.label, s.impression_id) for s in merged.sponsored),
        )
