"""ShopTalk's conversation layer: the chat service that every adapter (web pages, HTTP API,
command line) drives, and the typed object that wires its outside components.

    from bot import Services, Settings
    chat = Services(Settings.from_env()).chat   # a ChatService over the shop's data
    started = chat.start()
    for event in chat.post(started.token, "waterproof trail shoes under $100?"): ...

Sub-packages: ``assistant`` (one turn: planner, tools, phrasing, grounding), ``llm`` (model
backends, prompts), ``conversations`` and ``staff`` (data and stores), ``safety`` (PII,
abuse limits), and the adapters ``api``, ``app``, ``cli``. docs/architecture.md has the map.
Names load on first use, so ``import bot`` stays cheap for the command line.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_HOME = {
    "ChatService": "_chat",
    "Services": "_services",
    "build_assistant": "_services",
    "Settings": "_settings",
    "AuthError": "_errors",
    "ConflictError": "_errors",
    "ForbiddenError": "_errors",
}

__all__ = sorted(_HOME)


def __getattr__(name: str) -> Any:  # PEP 562: import the module that defines a name when it is asked for
    if name in _HOME:
        return getattr(import_module(f"{__name__}.{_HOME[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
