"""Per-conversation memory the planner carries between turns, serialisable for the store.

Only what follow-ups need is kept: the last search (query and constraints, so "cheaper
ones?" and "in blue?" refine it), the products last shown (so "the second one" resolves),
the product under discussion ("does it come in blue?"), and the failure count for handoff.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from retrieval import AttributeFilter, Constraints

from ._tools import Session


def constraints_to_dict(c: Constraints) -> dict[str, Any]:
    data = asdict(c)
    data["attributes"] = [{"names": list(a.names), "value": a.value, "op": a.op} for a in c.attributes]
    return data


def constraints_from_dict(data: dict[str, Any]) -> Constraints:
    attrs = tuple(
        AttributeFilter(tuple(a["names"]), a["value"], a.get("op", "eq")) for a in data.get("attributes", [])
    )
    return Constraints(
        price_min=data.get("price_min"),
        price_max=data.get("price_max"),
        cheaper_than=data.get("cheaper_than"),
        pricier_than=data.get("pricier_than"),
        brands=tuple(data.get("brands", ())),
        categories=tuple(data.get("categories", ())),
        in_stock=bool(data.get("in_stock", False)),
        attributes=attrs,
        min_rating=data.get("min_rating"),
        exclude_ids=tuple(data.get("exclude_ids", ())),
    )


@dataclass
class ConversationState:
    session: Session
    query: str | None = None  # the last product search, for refinements
    constraints: Constraints = field(default_factory=Constraints)
    results: list[str] = field(default_factory=list)  # product ids last shown, in order
    focus: str | None = None  # product under discussion
    failures: int = 0  # consecutive turns without an answer
    turns: int = 0
    escalated: bool = False
    last_route: str | None = None
    recent: list[str] = field(default_factory=list)  # last few turns, for the staff summary

    def remember(self, who: str, text: str, keep: int = 6) -> None:
        self.recent = (self.recent + [f"{who}: {text[:300]}"])[-keep:]

    def to_dict(self) -> dict[str, Any]:
        return {
            "user_id": self.session.user_id,
            "customer_id": self.session.customer_id,
            "query": self.query,
            "constraints": constraints_to_dict(self.constraints),
            "results": list(self.results),
            "focus": self.focus,
            "failures": self.failures,
            "turns": self.turns,
            "escalated": self.escalated,
            "last_route": self.last_route,
            "recent": list(self.recent),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ConversationState:
        return cls(
            session=Session(data["user_id"], data.get("customer_id")),
            query=data.get("query"),
            constraints=constraints_from_dict(data.get("constraints") or {}),
            results=list(data.get("results", [])),
            focus=data.get("focus"),
            failures=int(data.get("failures", 0)),
            turns=int(data.get("turns", 0)),
            escalated=bool(data.get("escalated", False)),
            last_route=data.get("last_route"),
            recent=list(data.get("recent", [])),
        )
