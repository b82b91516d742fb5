"""The conversation engine: one shopper turn from text to a validated reply.

``Assistant.stream(state, text)`` runs the turn: guardrails and handoff triggers, then either
the deterministic planner (intent classifier + slots -> a route handler -> tools -> composed
answer, phrased by the model and checked by the grounding validator) or, for a tool-calling
model, the LangChain agent with the same tools and the same validator. ``_evals`` scores
whole conversations against a versioned suite.
"""

from ._agent import ToolCallingAgent
from ._assistant import MAX_MESSAGE_CHARS, Assistant, Delta, Reply, Routed, TurnEvent, check_message
from ._compose import search_answer
from ._evals import Report, Scorer, load_suite, run_suite
from ._grounding import Facts, Validator, Verdict
from ._handoff import HandoffDecision, HandoffPolicy, HandoffReason
from ._intents import (
    DEFAULT_INTENTS_CSV,
    SHOP_INTENTS,
    IntentClassifier,
    IntentConfig,
    IntentExample,
    IntentPrediction,
    read_intent_csv,
)
from ._phrasing import Draft, Phraser
from ._planner import Plan, Planner, Route
from ._present import order_line
from ._state import ConversationState
from ._tools import RELATED_DENSE, Session, Sponsored, Toolbox, ToolResult, langchain_tools
from ._writer import (
    Kind,
    Ranked,
    WriterTask,
    attribute_task,
    compare_task,
    evidence_task,
    not_stated_task,
    order_task,
    overview_task,
    policy_task,
    search_task,
    superlative_task,
)

__all__ = [
    "Kind",
    "Ranked",
    "WriterTask",
    "attribute_task",
    "compare_task",
    "evidence_task",
    "not_stated_task",
    "order_task",
    "overview_task",
    "policy_task",
    "search_task",
    "superlative_task",
    "DEFAULT_INTENTS_CSV",
    "MAX_MESSAGE_CHARS",
    "RELATED_DENSE",
    "SHOP_INTENTS",
    "Assistant",
    "ConversationState",
    "Delta",
    "Draft",
    "Facts",
    "HandoffDecision",
    "HandoffPolicy",
    "HandoffReason",
    "IntentClassifier",
    "IntentConfig",
    "IntentExample",
    "IntentPrediction",
    "Phraser",
    "Plan",
    "Planner",
    "Reply",
    "Report",
    "Route",
    "Routed",
    "Scorer",
    "Session",
    "Sponsored",
    "ToolCallingAgent",
    "ToolResult",
    "Toolbox",
    "TurnEvent",
    "Validator",
    "Verdict",
    "check_message",
    "langchain_tools",
    "load_suite",
    "order_line",
    "read_intent_csv",
    "run_suite",
    "search_answer",
]
