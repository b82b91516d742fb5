"""Handoff to a human, decided by rules and classifiers, never by the model choosing it.

Triggers, checked on every shopper turn before any answer is generated:

* ``requested``         - the intent classifier says the shopper asked for a person;
* ``complaint``         - the intent classifier says it is a complaint;
* ``negative_sentiment``, ``payment_dispute``, ``fraud``, ``safety``, ``legal`` - a second
  classifier over the same features, trained on ``data/handoff/signals_v1.csv``; safety and
  legal have lower thresholds because a miss costs more than a needless handoff;
* ``repeated_failure``  - N consecutive turns the bot could not answer (low intent
  confidence, nothing found), N from settings;
* ``order_problem``     - the order tools found a request outside policy (set by the planner);
* ``order_action``      - a request within policy that only a person can carry out (cancel a
  processing order, change an address): the assistant has no write access to orders.

The decision carries a summary written for staff from the conversation state, not by the
model, so it is always accurate and never empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from retrieval import Embedder

from .._settings import REPO_ROOT
from ._intents import DEFAULT_INTENTS_CSV, IntentClassifier, IntentPrediction, read_intent_csv

HandoffReason = Literal[
    "requested",
    "complaint",
    "negative_sentiment",
    "payment_dispute",
    "fraud",
    "safety",
    "legal",
    "repeated_failure",
    "order_problem",
    "order_action",
]
SIGNALS_CSV = REPO_ROOT / "data" / "handoff" / "signals_v1.csv"
_NOT_CALM = frozenset({"complaint", "abusive", "human", "injection"})
HIGH_PRIORITY: frozenset[str] = frozenset({"safety", "fraud", "legal", "payment_dispute"})

# Probability a signal needs before it triggers; lower where a miss is worse than a false alarm.
DEFAULT_THRESHOLDS: dict[str, float] = {
    "negative_sentiment": 0.60,
    "payment_dispute": 0.50,
    "fraud": 0.45,
    "safety": 0.40,
    "legal": 0.45,
}


@dataclass(frozen=True)
class HandoffDecision:
    reason: HandoffReason
    summary: str  # for staff
    detail: str = ""  # what triggered it (signal and probability, failure count...)
    priority: Literal["normal", "high"] = "normal"


@dataclass(frozen=True)
class Signal:
    name: str
    probability: float


@dataclass
class HandoffPolicy:
    signals: IntentClassifier
    max_failures: int = 2
    thresholds: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))

    @classmethod
    def train(
        cls,
        embedder: Embedder,
        *,
        max_failures: int = 2,
        routes_csv: Path = DEFAULT_INTENTS_CSV,
        cache: Path | None = None,
    ) -> HandoffPolicy:
        """Train the signal classifier; ordinary shop requests from the route data are added as
        ``none`` so everyday messages calibrate the probabilities (far more of them than signals)."""
        examples = read_intent_csv(SIGNALS_CSV)
        calm = [e for e in read_intent_csv(routes_csv) if e.intent not in _NOT_CALM]
        texts = [e.utterance for e in examples] + [e.utterance for e in calm]
        labels = [e.intent for e in examples] + ["none"] * len(calm)
        return cls(IntentClassifier.train(texts, labels, embedder, cache=cache), max_failures)

    def strongest_signal(self, text: str) -> Signal | None:
        pred = self.signals.predict_one(text)
        ranked = [(pred.intent, pred.confidence), *pred.alternatives]
        for name, prob in ranked:
            if name in self.thresholds and prob >= self.thresholds[name]:
                return Signal(name, prob)
        return None

    def check(self, text: str, intent: IntentPrediction, failures: int) -> tuple[HandoffReason, str] | None:
        """The reason to hand off this turn (and what triggered it), or None.

        Sensitive signals come first: "I'll sue, get me a human" is a legal matter for staff
        triage, not just a request for a person.
        """
        signal = self.strongest_signal(text)
        if signal is not None and signal.name != "negative_sentiment":
            return signal.name, f"signal {signal.name} ({signal.probability:.2f})"  # type: ignore[return-value]
        if intent.intent == "human":
            return "requested", f"intent human ({intent.confidence:.2f})"
        if intent.intent == "complaint":
            return "complaint", f"intent complaint ({intent.confidence:.2f})"
        if signal is not None:
            return "negative_sentiment", f"signal negative_sentiment ({signal.probability:.2f})"
        if failures >= self.max_failures:
            return "repeated_failure", f"{failures} turns in a row without an answer"
        return None


def decision(reason: HandoffReason, summary: str, detail: str = "") -> HandoffDecision:
    return HandoffDecision(reason, summary, detail, "high" if reason in HIGH_PRIORITY else "normal")
