"""What keeps shoppers, staff and the shop safe, whatever the adapter: PII redaction and
prompt-neutralising (``_guardrails``), and the abuse limits with the client address they are
counted against (``_limits``). docs/security.md is the threat model."""

from ._guardrails import (
    PiiLogFilter,
    Redaction,
    for_prompt,
    install_log_redaction,
    looks_like_instruction,
    luhn_ok,
    neutralize,
    redact,
    redact_cards,
)
from ._limits import (
    DEFAULT_RATES,
    RATE_ENV,
    Busy,
    ClientResolver,
    Limits,
    Rate,
    RateLimited,
    Throttle,
    TurnQueue,
    client_tag,
    is_loopback,
)

__all__ = [
    "DEFAULT_RATES",
    "RATE_ENV",
    "Busy",
    "ClientResolver",
    "Limits",
    "PiiLogFilter",
    "Rate",
    "RateLimited",
    "Redaction",
    "Throttle",
    "TurnQueue",
    "client_tag",
    "for_prompt",
    "install_log_redaction",
    "is_loopback",
    "looks_like_instruction",
    "luhn_ok",
    "neutralize",
    "redact",
    "redact_cards",
]
