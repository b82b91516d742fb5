"""The conversation evaluation: versioned cases in, scored metrics out.

Each case is replayed turn by turn through a fresh conversation and every turn is checked
against what the case says must hold. Metrics:

* route accuracy           - turns with an expected route that got it;
* fact accuracy            - turns with required facts (strings, products) that had all of them;
* citation correctness     - turns whose citations include the expected source and whose
                             cited products were really shown;
* constraint adherence     - turns where every product shown satisfies the hard constraints;
* handoff precision/recall - over all turns (a turn expects no handoff unless it says so);
* ungrounded prices        - dollar amounts in answers matching no price in the turn's facts;
* undisclosed ads          - sponsored products named in an answer line without "Sponsored",
                             or sponsored products mixed into the organic list;
* leaked prompt            - answers quoting the system prompt.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from retrieval import AttributeFilter, Constraints, InputError, Shop

from ._assistant import Assistant, Reply
from ._grounding import _amounts
from ._tools import Session


@dataclass(frozen=True)
class TurnResult:
    case: str
    turn: int
    say: str
    reply: Reply
    expected_escalation: bool
    checks: dict[str, bool]  # metric -> passed, only for metrics this turn is scored on
    notes: tuple[str, ...] = ()  # hard failures: ungrounded price, undisclosed ad, leak
    model_answered: bool | None = None  # turns with an ``answer``: the model's text carried it

    @property
    def ok(self) -> bool:
        return all(self.checks.values()) and not self.notes


@dataclass
class Report:
    turns: list[TurnResult] = field(default_factory=list)
    seconds: float = 0.0

    def rate(self, name: str) -> float | None:
        scored = [t.checks[name] for t in self.turns if name in t.checks]
        return round(sum(scored) / len(scored), 4) if scored else None

    def count(self, prefix: str) -> int:
        return sum(1 for t in self.turns for n in t.notes if n.startswith(prefix))

    def metrics(self) -> dict[str, Any]:
        tp = sum(1 for t in self.turns if t.reply.escalated and t.expected_escalation)
        fp = sum(1 for t in self.turns if t.reply.escalated and not t.expected_escalation)
        fn = sum(1 for t in self.turns if not t.reply.escalated and t.expected_escalation)
        return {
            "cases": len({t.case for t in self.turns}),
            "turns": len(self.turns),
            "route_accuracy": self.rate("route"),
            "fact_accuracy": self.rate("facts"),
            "citation_correctness": self.rate("citations"),
            "constraint_adherence": self.rate("constraints"),
            "handoff_precision": round(tp / (tp + fp), 4) if tp + fp else None,
            "handoff_recall": round(tp / (tp + fn), 4) if tp + fn else None,
            "handoff_reason_accuracy": self.rate("handoff_reason"),
            "ungrounded_prices": self.count("ungrounded price"),
            "undisclosed_ads": self.count("undisclosed ad"),
            "leaked_prompt": self.count("leaked"),
            "answer_turns": len(answered := [t for t in self.turns if t.model_answered is not None]),
            "model_text_share": round(sum(bool(t.model_answered) for t in answered) / len(answered), 4)
            if answered
            else None,
            "raw_keys_shown": self.count("raw attribute key"),
            "model_sentences_used": sum(1 for t in self.turns if t.reply.generated),
            "model_drafts_rejected": sum(1 for t in self.turns if t.reply.fallback),
            "turns_passed": sum(1 for t in self.turns if t.ok),
            "turn_pass_rate": round(sum(1 for t in self.turns if t.ok) / len(self.turns), 4)
            if self.turns
            else None,
            "seconds": round(self.seconds, 1),
        }


def _holds(text: str, expected: str | list[str]) -> bool:
    """An expected fact is in the text; a list is alternatives ("1.63 kg" or "1,633 g")."""
    options = expected if isinstance(expected, list) else [expected]
    return any(str(o).lower() in text for o in options)


def load_suite(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    if not path.is_file():
        raise InputError(f"Conversation suite {path} not found")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise InputError(f"{path}: expected a mapping with a 'cases' list")
    return data


def constraints_from(spec: dict[str, Any]) -> Constraints:
    attrs = tuple(
        AttributeFilter(tuple(a["names"]), a["value"], a.get("op", "eq")) for a in spec.get("attributes", [])
    )
    return Constraints(
        price_min=spec.get("price_min"),
        price_max=spec.get("price_max"),
        brands=tuple(spec.get("brands", ())),
        categories=tuple(spec.get("categories", ())),
        in_stock=bool(spec.get("in_stock", False)),
        attributes=attrs,
    )


class Scorer:
    def __init__(self, shop: Shop, secrets: tuple[str, ...] = ()):
        self.shop = shop
        self.secrets = secrets
        # A key like "weight_g" in an answer is a record leaking, not a phrase a person writes.
        self._raw_keys = sorted(
            {k.lower() for p in shop.products.values() for k in p.attributes if "_" in k},
            key=len,
            reverse=True,
        )

    def _known_prices(self, reply: Reply) -> set[float]:
        values: set[float] = set()
        for cite in reply.citations:
            kind, _, ref = cite.partition(":")
            if kind == "product" and ref in self.shop.products:
                values.add(round(self.shop.products[ref].price, 2))
            elif kind == "order" and ref in self.shop.orders:
                o = self.shop.orders[ref]
                values.add(round(o.total, 2))
                values.update(round(i.unit_price * q, 2) for i in o.items for q in (1, i.quantity))
            elif kind == "policy":
                for s in self.shop.policies:
                    if s.citation == ref:
                        values.update(round(v, 2) for v in _amounts(s.text))
        values.update(
            round(self.shop.products[p].price, 2) for p in reply.sponsored if p in self.shop.products
        )
        return values

    def score(
        self, case: str, index: int, turn: dict[str, Any], reply: Reply, previous: Reply | None
    ) -> TurnResult:
        checks: dict[str, bool] = {}
        notes: list[str] = []
        text = reply.text.lower()
        shown = list(reply.products)
        if "route" in turn:
            allowed = turn["route"] if isinstance(turn["route"], list) else [turn["route"]]
            checks["route"] = reply.route in allowed
        fact_ok = []
        if "includes" in turn:
            fact_ok += [_holds(text, s) for s in turn["includes"]]
        if "answer" in turn:
            fact_ok += [_holds(text, s) for s in turn["answer"]]
            # The model's own sentences carry the answer (not a lead-in before a template).
            checks_model = all(_holds(reply.model_text.lower(), s) for s in turn["answer"]) and bool(
                reply.model_text
            )
            notes_model = checks_model
        else:
            notes_model = None
        if "excludes" in turn:
            fact_ok += [str(s).lower() not in text for s in turn["excludes"]]
        if "products_any" in turn:
            fact_ok.append(any(p in shown for p in turn["products_any"]))
        if "products_all" in turn:
            fact_ok.append(all(p in shown for p in turn["products_all"]))
        if "products_none" in turn:
            fact_ok.append(not any(p in shown for p in turn["products_none"]))
        if fact_ok:
            checks["facts"] = all(fact_ok)
        if "citations_any" in turn:
            cited_products = [c.split(":", 1)[1] for c in reply.citations if c.startswith("product:")]
            checks["citations"] = any(
                c.startswith(want) for c in reply.citations for want in turn["citations_any"]
            ) and all(p in shown for p in cited_products)
        if "constraints" in turn or turn.get("cheaper_than_previous"):
            c = constraints_from(turn.get("constraints", {}))
            ok = all(c.matches(self.shop.products[p]) for p in shown)
            if turn.get("cheaper_than_previous") and previous is not None and previous.products:
                floor = min(self.shop.products[p].price for p in previous.products)
                ok = ok and bool(shown) and all(self.shop.products[p].price < floor for p in shown)
            checks["constraints"] = ok
        if "handoff_reason" in turn:
            checks["handoff_reason"] = (
                reply.handoff is not None and reply.handoff.reason == turn["handoff_reason"]
            )
        # Every turn is checked for a handoff: one the turn did not ask for (no "escalated: true")
        # fails it, as a missed one does, not only the suite's handoff precision.
        if "escalated" in turn or reply.escalated:
            checks["handoff"] = reply.escalated == bool(turn.get("escalated", False))
        # Hard failures, checked on every turn.
        # Amounts the shopper said themselves ("under $100") may be echoed back.
        # A budget typed without a "$" ("anything under 800?") is still the shopper's own figure.
        said = {round(float(n.replace(",", "")), 2) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", turn["say"])}
        known = self._known_prices(reply) | said
        if previous is not None:
            known |= self._known_prices(previous)  # "cheaper than $84.99" refers to the last list
        for amount in _amounts(reply.text):
            if not any(abs(amount - v) < 0.006 for v in known):
                notes.append(f"ungrounded price ${amount:g}")
        for pid in reply.sponsored:
            if pid in shown:
                notes.append(f"undisclosed ad: {pid} listed as organic")
            title = self.shop.products[pid].title.lower() if pid in self.shop.products else ""
            for line in text.splitlines():
                if title and title in line and "sponsored" not in line:
                    notes.append(f"undisclosed ad: {pid} named without the label")
        if any(s.lower() in text for s in self.secrets):
            notes.append("leaked system prompt")
        for key in self._raw_keys:
            if key in text:
                notes.append(f"raw attribute key {key!r} shown")
                break
        return TurnResult(
            case,
            index,
            turn["say"],
            reply,
            bool(turn.get("escalated", False)),
            checks,
            tuple(notes),
            model_answered=notes_model,
        )


def run_suite(
    assistant: Assistant,
    shop: Shop,
    suite: dict[str, Any],
    *,
    secrets: tuple[str, ...] = (),
    register: Callable[[str], None] | None = None,
    progress: Callable[[TurnResult], None] | None = None,
) -> Report:
    """Replay every case in a fresh conversation; ``register`` makes anonymous ids known shoppers."""
    scorer = Scorer(shop, secrets)
    report = Report()
    t0 = time.perf_counter()
    for n, case in enumerate(suite["cases"]):
        user = case.get("user")
        session = Session(user, user) if user in shop.customers else Session(user or f"eval-anon-{n}")
        if register and session.customer_id is None:
            register(session.user_id)
        state = assistant.new_state(session)
        previous = None
        for i, turn in enumerate(case["turns"]):
            reply = assistant.respond(state, turn["say"])
            result = scorer.score(case["id"], i, turn, reply, previous)
            report.turns.append(result)
            if progress:
                progress(result)
            previous = reply
            if reply.escalated:
                break  # a human owns the conversation now; later turns would not reach the bot
    report.seconds = time.perf_counter() - t0
    return report
