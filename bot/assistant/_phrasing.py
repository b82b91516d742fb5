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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from retrieval import ABBREVIATION

from ..llm import LanguageModel, Message, load_prompt
from ..safety import for_prompt, neutralize, redact
from ._grounding import Facts, Validator
from ._writer import WriterTask

log = logging.getLogger(__name__)

_WS = re.compile(r"\s+")
# A sentence ends at . ! ? followed by a space and a capital (figures like "$129.00" or
# "1.63 kg" carry no space after their point).
_SENTENCE_END = re.compile(r"(?<=[.!?])" + ABBREVIATION + r"\s+(?=[A-Z\"'(])")


@dataclass(frozen=True)
class Draft:
    text: str | None  # None when rejected or no model
    raw: str
    problems: tuple[str, ...]
    generation_ms: float
    validation_ms: float
    first_token_ms: float | None
    lead: str = ""  # the task's lead, shown before the model wrote anything (see WriterTask.lead)


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


@dataclass(frozen=True)
class Written:
    """The outcome of one writer task: the validated model text (may be empty) and why not more."""

    text: str  # accepted sentences, in order (the lead included); "" when nothing usable was written
    carries: bool  # the model's own words state the answer (not only a lead-in)
    raw: str
    problems: tuple[str, ...]
    generation_ms: float
    validation_ms: float
    first_token_ms: float | None
    lead: str = ""  # the task's lead, shown before the model wrote anything (see WriterTask.lead)


def write_prompt(model: LanguageModel, task: WriterTask, redact_pii: bool = False) -> list[Message]:
    """The writer prompt: zero-shot for a tuned model, few-shot for the prompt-only baseline."""
    question = for_prompt(task.question, limit=500)
    if redact_pii:
        question = redact(question).text
    facts = [_WS.sub(" ", neutralize(f)).strip() for f in task.facts]
    if model.kind == "chat":
        system = load_prompt("system").render(shop_name="the shop")
        user = load_prompt("phrase_chat").render(facts="\n".join(facts), question=question)
        return [Message("system", system), Message("user", user)]
    asked = _WS.sub(" ", question)
    if getattr(model, "tuned", False):  # the tuned adapter was trained on the zero-shot format
        prompt = load_prompt("write").render(facts=facts, question=asked)
    else:
        prompt = load_prompt("write_fewshot").render(facts=facts, question=asked)
    return [Message("user", prompt.strip())]


def write_stream(phraser: Phraser, task: WriterTask, facts: Facts) -> Iterator[str | Written]:
    """Stream the model's answer sentence by sentence, each shown only once it is validated.

    Yields each accepted sentence as soon as it is complete and checked, then one ``Written``.
    The first sentence that fails ends generation: what was accepted stands, nothing after it.
    """
    model = phraser.model
    if model is None:
        yield Written("", False, "", ("no model",), 0.0, 0.0, None)
        return
    facts = replace(facts, extra=facts.extra + task.facts)
    # A completion model continues the task's lead ("The Halfdome 55L Hiking Backpack"): the
    # shopper sees it at once, and the model only writes what follows (fewer tokens to wait for).
    lead = task.lead if model.kind == "completion" else ""
    if lead:
        yield lead
    t0 = time.perf_counter()
    first: float | None = None
    val_ms = 0.0
    accepted: list[str] = []
    problems: tuple[str, ...] = ()
    raw = ""
    # The lead stays out of the sentence splitter: a title such as "CoolCube 3.9 Cu. Ft."
    # would otherwise end a "sentence" inside the lead. It heads the first sentence instead.
    buffer = ""
    shown: list[str] = []

    def written(text: str) -> bool:  # the model's own words carry the answer
        return task.carried_by(text[len(lead) :] if lead and text.startswith(lead) else text)

    def fresh(sentences: list[str]) -> list[str]:  # what the shopper has not seen yet
        out = list(sentences)
        if lead and out and not shown:
            out[0] = out[0][len(lead) :]
        return out

    def check(sentence: str) -> bool:
        nonlocal val_ms, problems
        t = time.perf_counter()
        verdict = phraser.validator.check(" ".join([*accepted, sentence]), facts, task.question)
        val_ms += (time.perf_counter() - t) * 1000
        if not verdict.ok:
            problems = verdict.problems
            log.info("sentence rejected (%s): %r", "; ".join(verdict.problems), sentence[:200])
        return verdict.ok

    stop = ("\n",) if model.kind == "completion" else ()
    messages = write_prompt(model, task, phraser.redact_pii)
    if lead:
        messages = [Message(messages[-1].role, f"{messages[-1].content} {lead}")]
    stream = model.stream(messages, max_new_tokens=phraser.max_new_tokens, stop=stop)
    failed = False
    try:
        for piece in stream:
            if first is None:
                first = (time.perf_counter() - t0) * 1000
            raw += piece
            buffer += piece
            parts = _SENTENCE_END.split(buffer)
            for part in parts[:-1]:
                sentence = (part if accepted or not lead else lead + part).strip()
                if not check(sentence):
                    failed = True
                    break
                accepted.append(sentence)
                # Shown once the text so far states the answer: a lead-in alone ("Sure!") is
                # held back, since a draft that never gets to the answer is replaced whole.
                if written(" ".join(accepted)):
                    yield from fresh(accepted[len(shown) :])
                    shown.extend(accepted[len(shown) :])
            if failed:
                break
            buffer = parts[-1]
    finally:
        close = getattr(stream, "close", None)
        if close:
            close()  # ends generation early when a sentence failed
    tail = (buffer if accepted or not lead else lead + buffer).strip()
    if not failed and tail and len(accepted) < 3 and check(tail):
        accepted.append(tail)
    if accepted and written(" ".join(accepted)):
        yield from fresh(accepted[len(shown) :])
        shown.extend(accepted[len(shown) :])
    text = " ".join(shown)
    if not text and raw.strip() and not problems:  # valid, but never got to the answer
        log.info("draft does not carry the answer (%s): %r", task.kind, raw.strip()[:200])
    gen_ms = (time.perf_counter() - t0) * 1000 - val_ms
    yield Written(text, bool(text) and written(text), raw.strip(), problems, gen_ms, val_ms, first, lead)
