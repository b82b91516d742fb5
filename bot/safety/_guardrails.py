"""Guardrails: PII redaction, and keeping shop data from acting as instructions.

PII patterns are deliberately precise: a card number must pass the Luhn check (so order ids,
tracking numbers and SKUs survive), a phone number needs 9+ digits (so prices and dates
survive). Card numbers are redacted before anything is stored or logged; emails, phones and
addresses are redacted from logs always and from text sent to remote model endpoints when
``redact_remote_pii`` is on (the default).

Product descriptions, reviews and tool output are data. The structural defence is that the
planner, not the model, decides every action and the validator checks every fact; on top of
that, ``neutralize`` drops instruction-like sentences from data before it reaches a prompt.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass

_CARD = re.compile(r"(?<![\w-])(?:\d[ -]?){12,18}\d(?![\w-])")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_PHONE = re.compile(
    r"(?<![\w$.])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)\s?|\d{2,4}[\s.-])\d{3,4}[\s.-]?\d{3,5}(?![\w.])"
)
_STREET = re.compile(
    r"\b\d{1,5}\s+(?:[A-Za-z][A-Za-z'.-]*\s+){1,4}"
    r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|way|court|ct|place|pl|terrace|"
    r"parkway|pkwy|highway|hwy|circle|cir|square|sq)\b\.?"
    r"(?:,?\s*(?:apt|apartment|unit|suite|ste|#)\s*\w+)?",
    re.IGNORECASE,
)


def luhn_ok(digits: str) -> bool:
    total, parity = 0, len(digits) % 2
    for i, ch in enumerate(digits):
        d = int(ch)
        if i % 2 == parity:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


@dataclass(frozen=True)
class Redaction:
    text: str
    found: dict[str, int]

    @property
    def changed(self) -> bool:
        return bool(self.found)


def redact_cards(text: str) -> Redaction:
    count = 0

    def card(m: re.Match[str]) -> str:
        nonlocal count
        digits = re.sub(r"\D", "", m.group(0))
        # A mistyped card (fails Luhn) in the classic 4-4-4-4 layout is still a card to protect.
        grouped = re.fullmatch(r"\d{4}([ -])\d{4}\1\d{4}\1\d{4}", m.group(0).strip()) is not None
        if 13 <= len(digits) <= 19 and (luhn_ok(digits) or grouped):
            count += 1
            return "[card number removed]"
        return m.group(0)

    out = _CARD.sub(card, text)
    return Redaction(out, {"card": count} if count else {})


def redact(text: str) -> Redaction:
    """Remove card numbers, emails, phone numbers and street addresses."""
    result = redact_cards(text)
    found = Counter(result.found)
    out = result.text
    for kind, pattern, label in (
        ("email", _EMAIL, "[email]"),
        ("address", _STREET, "[address]"),
        ("phone", _PHONE, "[phone]"),
    ):

        def sub(m: re.Match[str], kind=kind, label=label) -> str:
            if kind == "phone" and sum(c.isdigit() for c in m.group(0)) < 9:
                return m.group(0)
            found[kind] += 1
            return label

        out = pattern.sub(sub, out)
    return Redaction(out, dict(found))


class PiiLogFilter(logging.Filter):
    """Attach to log handlers: every record's message is redacted before it is written."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed log call must not crash the request that made it
            return True
        cleaned = redact(message).text
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install_log_redaction(logger: logging.Logger | None = None) -> None:
    target = logger or logging.getLogger()
    for handler in target.handlers:
        if not any(isinstance(f, PiiLogFilter) for f in handler.filters):
            handler.addFilter(PiiLogFilter())


# Instruction-like sentences inside shop data (descriptions, reviews, ad copy).
_INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b.{0,40}\b(?:instructions?|prompts?|rules?|above|previous)\b"
    r"|\b(?:system prompt|you are now|act as|pretend to be|new instructions?)\b"
    r"|\b(?:assistant|chatbot|ai|model)\s*(?:must|should|will)\b"
    r"|\boffer\b.{0,30}\b\d{1,3}\s?%\s*(?:off|discount)\b",
    re.IGNORECASE,
)
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+")


def looks_like_instruction(text: str) -> bool:
    return bool(_INSTRUCTION.search(text))


def neutralize(text: str) -> str:
    """Drop instruction-like sentences from shop data before it is shown to a model."""
    kept = [s for s in _SENTENCE_SPLIT.split(text) if s and not looks_like_instruction(s)]
    return " ".join(kept)


_URL = re.compile(
    r"\b(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|io|co|info|biz|ru|xyz)(?:/\S*)?\b",
    re.IGNORECASE,
)
# A line that starts like one of our prompts' own labels would let shopper text write the
# model's next turn ("Answer: ...", "Reply: ...", "Facts: ...").
_ROLE_LABEL = re.compile(r"(?im)^\s*(?:answer|reply|facts?|question|shopper|assistant|agent|system|user)\s*:")


def for_prompt(text: str, limit: int = 500) -> str:
    """Shopper text made safe to quote inside a prompt: card numbers, instruction-like
    sentences, links and prompt labels removed, whitespace folded, length capped."""
    text = redact_cards(text or "").text
    text = _URL.sub("[link]", text)
    text = _ROLE_LABEL.sub(" ", text)
    text = " ".join(text.split())
    return neutralize(text)[:limit]
