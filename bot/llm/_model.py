"""Language models behind one small interface: ``stream(messages, max_new_tokens, stop)``.

Two kinds exist. A *completion* model (the bundled Gemma 3 270M base model) continues plain
text: it receives the messages' contents joined with blank lines, and the caller's prompt file
is written for it (a strict few-shot format). A *chat* model (any OpenAI-compatible endpoint,
an instruction-tuned local model) receives role-tagged messages and may call tools.
Everything else (``generate``) is derived from ``stream``.

Backends register in ``BACKENDS`` by name; ``build_model`` resolves settings to one.
A model server that cannot be reached raises ``ModelUnavailableError`` (a ``ConfigError``:
the operator must start or fix it), so callers can catch it to fall back or hand off.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib import import_module
from typing import Literal

from retrieval import ConfigError

Role = Literal["system", "user", "assistant"]
ModelKind = Literal["completion", "chat"]


class ModelUnavailableError(ConfigError):
    """The model server is down, unreachable or refused the request; the message names the URL."""


@dataclass(frozen=True)
class Message:
    role: Role
    content: str


class LanguageModel(ABC):
    name: str = "model"
    kind: ModelKind = "completion"
    supports_tools: bool = False

    @abstractmethod
    def stream(
        self, messages: Sequence[Message], *, max_new_tokens: int = 128, stop: Sequence[str] = ()
    ) -> Iterator[str]:
        """Yield text pieces as they are generated; never yields past a stop sequence."""

    def generate(
        self, messages: Sequence[Message], *, max_new_tokens: int = 128, stop: Sequence[str] = ()
    ) -> str:
        return "".join(self.stream(messages, max_new_tokens=max_new_tokens, stop=stop))


def as_plain_text(messages: Sequence[Message]) -> str:
    """How a completion model sees a conversation: the contents, in order."""
    return "\n\n".join(m.content for m in messages)


class StopFilter:
    """Cuts a token stream at the first stop sequence, even when it spans several pieces.

    Holds back at most ``max(len(stop)) - 1`` characters, so streaming stays smooth.
    """

    def __init__(self, stop: Sequence[str]):
        self.stop = [s for s in stop if s]
        self.keep = max((len(s) for s in self.stop), default=1) - 1
        self.buffer = ""
        self.done = False

    def feed(self, piece: str) -> str:
        if self.done:
            return ""
        self.buffer += piece
        cut = min((i for i in (self.buffer.find(s) for s in self.stop) if i >= 0), default=-1)
        if cut >= 0:
            out, self.buffer, self.done = self.buffer[:cut], "", True
            return out
        if len(self.buffer) <= self.keep:
            return ""
        out = self.buffer[: len(self.buffer) - self.keep] if self.keep else self.buffer
        self.buffer = self.buffer[len(out) :]
        return out

    def flush(self) -> str:
        out, self.buffer = ("" if self.done else self.buffer), ""
        return out


def stream_with_stops(pieces: Iterator[str], stop: Sequence[str]) -> Iterator[str]:
    f = StopFilter(stop)
    for piece in pieces:
        out = f.feed(piece)
        if out:
            yield out
        if f.done:
            return
    tail = f.flush()
    if tail:
        yield tail


class ScriptedModel(LanguageModel):
    """In-memory fake: replies from a list (in turn) or a function of the prompt text.

    Streams word by word and honours stop sequences and token limits like a real backend,
    so tests exercise the same streaming paths. ``calls`` records every prompt.
    """

    name = "scripted"

    def __init__(
        self, replies: Sequence[str] | Callable[[str], str] = ("OK.",), *, kind: ModelKind = "completion"
    ):
        self.replies = replies
        self.kind = kind
        self.calls: list[list[Message]] = []

    def _reply(self, prompt: str) -> str:
        if callable(self.replies):
            return self.replies(prompt)
        return self.replies[min(len(self.calls) - 1, len(self.replies) - 1)]

    def stream(self, messages, *, max_new_tokens=128, stop=()):
        self.calls.append(list(messages))
        text = self._reply(as_plain_text(messages))
        pieces = re.findall(r"\S+\s*|\s+", text)[:max_new_tokens]
        yield from stream_with_stops(iter(pieces), stop)


ModelFactory = Callable[..., LanguageModel]
BACKENDS: dict[str, ModelFactory] = {"fake": lambda settings, **options: ScriptedModel()}
# The built-in backends register when their module is imported, and those modules load torch,
# transformers or LangChain. Settings are checked at start-up, so the registry also knows which
# module registers each built-in, and imports it only when that backend is built.
BUILTIN_BACKENDS: dict[str, str] = {
    "bundled": "_llamacpp",  # Gemma 3 270M as shipped (GGUF), run by llama.cpp: the default
    "bundled-hf": "_local",  # the same model through transformers (what tune-writer trains)
    "gguf": "_llamacpp",
    "hf": "_local",
    "openai": "_remote",
}


def register_backend(name: str) -> Callable[[ModelFactory], ModelFactory]:
    def deco(factory: ModelFactory) -> ModelFactory:
        BACKENDS[name] = factory
        return factory

    return deco


def backend_names() -> list[str]:
    """Every name ``SHOPTALK_LLM`` may take: the built-ins and whatever has registered."""
    return sorted(BACKENDS.keys() | BUILTIN_BACKENDS.keys())


def check_backend(name: str) -> None:
    """``ConfigError`` unless ``name`` is a backend; imports nothing, so settings can call it."""
    if name not in BACKENDS and name not in BUILTIN_BACKENDS:
        raise ConfigError(f"Unknown LLM backend {name!r}; choose one of: {', '.join(backend_names())}")


def backend(name: str) -> ModelFactory:
    """The factory registered as ``name``, importing its module first if it is a built-in."""
    check_backend(name)
    if name not in BACKENDS:
        import_module(f"{__package__}.{BUILTIN_BACKENDS[name]}")  # registers it
    return BACKENDS[name]


def build_model(settings, *, redact: Callable[[str], str] | None = None) -> LanguageModel:
    """The model the settings ask for (``SHOPTALK_LLM``: see ``backend_names``).

    ``redact`` cleans message text before it leaves the process (the remote backend needs
    it when ``settings.redact_remote_pii`` is on); factories are called as
    ``factory(settings, redact=...)`` and local ones ignore it.
    """
    return backend(settings.llm_backend)(settings, redact=redact)
