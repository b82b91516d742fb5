"""The model's only job with the planner: phrase one answer from facts, then prove it.

The draft is generated from a prompt file (few-shot completion for base models, a delimited
facts message for chat models), checked by the grounding validator, and either accepted or
dropped in favour of the deterministic answer. Nothing the model writes reaches the shopper
unchecked.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from ..llm import LanguageModel, Message, load_prompt
from ..safety import for_prompt, redact
from ._grounding import Facts, Validator

log = logging.getLogger(__name__)

_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class Draft:
    text: str | None  # None when rejected or no model
    raw: str
    problems: tuple[str, ...]
    generation_ms: float
    validation_ms: float
    first_token_ms: float | None


class Phraser:
    def __init__(
        self,
        model: LanguageModel | None,
        validator: Validator,
        *,
        max_new_tokens: int = 60,
        redact_pii: bool = False,
        on_token: Callable[[str], None] | None = None,
    ):
        self.model = model
        self.validator = validator
        self.max_new_tokens = max_new_tokens
        self.redact_pii = redact_pii  # for remote endpoints: shopper PII never leaves the machine
        self.on_token = on_token

    def messages(self, facts_text: str, question: str) -> list[Message]:
        question = for_prompt(question, limit=2000)  # the shopper's words are data, never instructions
        if self.redact_pii:
            question = redact(question).text
        if self.model is not None and self.model.kind == "chat":
            system = load_prompt("system").render(shop_name="the shop")
            user = load_prompt("phrase_chat").render(facts=facts_text, question=question)
            return [Message("system", system), Message("user", user)]
        # Base models continue text: keep facts on few lines so the few-shot format holds.
        prompt = load_prompt("answer").render(
            facts=_WS.sub(" ", facts_text).strip(), question=_WS.sub(" ", question)
        )
        # No trailing space: the examples' answers start with a spaced word (" Yes"); after
        # "Answer: " the model must begin mid-token, and it mostly began with digits ("100% ...").
        return [Message("user", prompt.rstrip())]

    def draft(self, facts_text: str, facts: Facts, question: str) -> Draft:
        if self.model is None:
            return Draft(None, "", ("no model",), 0.0, 0.0, None)
        t0 = time.perf_counter()
        first: float | None = None
        pieces = []
        stop = ("\n",) if self.model.kind == "completion" else ()
        for piece in self.model.stream(
            self.messages(facts_text, question), max_new_tokens=self.max_new_tokens, stop=stop
        ):
            if first is None:
                first = (time.perf_counter() - t0) * 1000
            pieces.append(piece)
            if self.on_token:
                self.on_token(piece)
        raw = "".join(pieces).strip()
        gen_ms = (time.perf_counter() - t0) * 1000
        t1 = time.perf_counter()
        verdict = self.validator.check(raw, facts, question)
        val_ms = (time.perf_counter() - t1) * 1000
        if not verdict.ok:
            log.info("draft rejected (%s): %r", "; ".join(verdict.problems), raw[:200])
        return Draft(raw if verdict.ok else None, raw, verdict.problems, gen_ms, val_ms, first)
