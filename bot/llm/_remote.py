"""Any OpenAI-compatible chat endpoint (vLLM, llama.cpp server, Ollama, TGI, a hosted API).

Design decisions:

* **LangChain's ``ChatOpenAI`` does the talking**, and is exposed as ``.chat_model`` so the
  agent can bind tools to the very same client under ``langchain.agents.create_agent``.
  Our ``stream`` is a thin adapter over ``chat_model.stream``.
* **Redaction lives inside the chat model**, in the one place every request is built
  (``_get_request_payload``, shared by invoke/stream, sync/async). So text leaves the
  process redacted whether it comes from ``stream``, from the agent, or from tool results
  fed back to the model; a wrapper around ``stream`` alone would miss the agent path. The
  redactor is injected (the guardrails module owns it), never written here.
* **``max_tokens``, not ``max_completion_tokens``.** ChatOpenAI renames it for OpenAI's own
  API, but self-hosted servers are the point of this backend and several (Ollama,
  llama-cpp-python, older llama.cpp) silently ignore the new name, i.e. generate unbounded.
* **Stops twice.** The server gets ``stop`` (so it stops computing), and ``StopFilter`` trims
  again, because some servers ignore ``stop`` or return the stop text itself.
* **Failing loudly and early.** Short connect timeout, one retry; connection failures
  become ``ModelUnavailableError`` naming the URL and the likely fix. Without a model name
  the first one the server lists at ``/models`` is used (vLLM, llama.cpp and Ollama list
  theirs), which doubles as a start-up health check.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import httpx
from langchain_openai import ChatOpenAI
from pydantic import Field, SecretStr

from retrieval import ConfigError

from ._model import LanguageModel, Message, ModelUnavailableError, register_backend, stream_with_stops

log = logging.getLogger(__name__)

Redactor = Callable[[str], str]
DEFAULT_API_KEY = "not-needed"  # local servers ignore it, but the OpenAI client insists on one
DEFAULT_TIMEOUT_S = 120.0  # between streamed chunks; a CPU server can take this long on a long prompt
CONNECT_TIMEOUT_S = 5.0
_HINT = "is vLLM/llama.cpp/Ollama running?"


class RedactingChatOpenAI(ChatOpenAI):
    """``ChatOpenAI`` that redacts outgoing message text and sends ``max_tokens``."""

    redact: Redactor | None = Field(default=None, exclude=True)

    def _get_request_payload(self, input_: Any, *, stop: list[str] | None = None, **kwargs: Any) -> dict:
        payload = super()._get_request_payload(input_, stop=stop, **kwargs)
        if "max_completion_tokens" in payload:
            payload["max_tokens"] = payload.pop("max_completion_tokens")
        if self.redact is not None:
            for message in payload.get("messages", []):
                message["content"] = _redact_content(message.get("content"), self.redact)
        return payload


def _redact_content(content: Any, redact: Redactor) -> Any:
    if isinstance(content, str):
        return redact(content)
    if isinstance(content, list):  # multi-part content: redact the text parts only
        return [
            {**part, "text": redact(part["text"])}
            if isinstance(part, dict) and isinstance(part.get("text"), str)
            else part
            for part in content
        ]
    return content  # None: an assistant turn that only calls tools


def _to_langchain(messages: Sequence[Message]) -> list[dict[str, str]]:
    return [{"role": m.role, "content": m.content} for m in messages]


def discover_model(base_url: str, api_key: str = DEFAULT_API_KEY, timeout: float = CONNECT_TIMEOUT_S) -> str:
    """The first model the server lists at ``GET {base_url}/models``."""
    url = base_url.rstrip("/") + "/models"
    try:
        response = httpx.get(url, headers={"Authorization": f"Bearer {api_key}"}, timeout=timeout)
        response.raise_for_status()
        models = response.json().get("data") or []
    except httpx.HTTPStatusError as exc:
        raise ModelUnavailableError(
            f"The model server at {base_url} answered {exc.response.status_code} to GET /models; "
            "set SHOPTALK_LLM_MODEL to the served model's name"
        ) from exc
    except httpx.HTTPError as exc:
        raise ModelUnavailableError(
            f"could not reach the model server at {base_url}: {exc}; {_HINT}"
        ) from exc
    except ValueError as exc:
        raise ModelUnavailableError(
            f"{url} did not return JSON; is {base_url} an OpenAI-compatible base URL (usually ending in /v1)?"
        ) from exc
    if not models:
        raise ConfigError(f"The model server at {base_url} lists no models; set SHOPTALK_LLM_MODEL")
    return str(models[0]["id"])


class OpenAICompatibleModel(LanguageModel):
    """A chat model behind an OpenAI-compatible ``/chat/completions`` endpoint."""

    kind = "chat"
    supports_tools = True

    def __init__(
        self,
        base_url: str,
        model: str | None = None,
        *,
        api_key: str | None = None,
        max_tokens: int | None = None,
        temperature: float = 0.0,
        timeout: float = DEFAULT_TIMEOUT_S,
        max_retries: int = 1,
        redact: Redactor | None = None,
    ):
        if not base_url.startswith(("http://", "https://")):
            raise ConfigError(
                f"SHOPTALK_LLM_BASE_URL={base_url!r} is not an http(s) URL; use e.g. http://127.0.0.1:8000/v1"
            )
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        api_key = api_key or DEFAULT_API_KEY
        self.model = model or discover_model(self.base_url, api_key)
        self.name = f"openai:{self.model}"
        self.chat_model = RedactingChatOpenAI(
            model=self.model,
            base_url=self.base_url,
            api_key=SecretStr(api_key),
            max_completion_tokens=max_tokens,  # the field's alias; sent as max_tokens (see above)
            temperature=temperature,  # 0: reproducible answers, like the local greedy default
            timeout=httpx.Timeout(timeout, connect=CONNECT_TIMEOUT_S),
            max_retries=max_retries,
            redact=redact,
        )

    def stream(
        self, messages: Sequence[Message], *, max_new_tokens: int = 128, stop: Sequence[str] = ()
    ) -> Iterator[str]:
        import openai

        if max_new_tokens <= 0:  # servers reject max_tokens=0 (or read it as "no limit")
            return
        pieces = self.chat_model.stream(
            _to_langchain(messages), stop=list(stop) or None, max_tokens=max_new_tokens
        )
        try:
            yield from stream_with_stops((chunk.text for chunk in pieces), stop)
        except openai.OpenAIError as exc:
            raise self.error_for(exc) from exc

    def error_for(self, exc: Exception) -> Exception:
        """Our error for a failure of the OpenAI client, naming the server and the fix.

        Public so that code driving ``chat_model`` directly (the tool-calling agent) can
        translate the same way: ``except openai.OpenAIError as e: raise model.error_for(e) from e``.
        """
        import openai

        url = self.base_url
        if isinstance(exc, openai.APITimeoutError):
            return ModelUnavailableError(
                f"the model server at {url} did not answer within {self.timeout:g} s; "
                "is it overloaded, or is the prompt too long for it?"
            )
        if isinstance(exc, openai.APIConnectionError):
            return ModelUnavailableError(f"could not reach the model server at {url}: {exc}; {_HINT}")
        if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
            return ConfigError(f"The model server at {url} rejected the API key; set SHOPTALK_LLM_API_KEY")
        if isinstance(exc, openai.NotFoundError):
            return ConfigError(
                f"The model server at {url} does not serve {self.model!r} ({exc.message}); "
                "set SHOPTALK_LLM_MODEL to a served model"
            )
        if isinstance(exc, openai.APIStatusError):
            return ModelUnavailableError(
                f"The model server at {url} answered {exc.status_code}: {exc.message}"
            )
        return exc


@register_backend("openai")
def _openai_backend(settings: Any, redact: Redactor | None = None) -> LanguageModel:
    if not settings.llm_base_url:
        raise ConfigError("SHOPTALK_LLM=openai needs SHOPTALK_LLM_BASE_URL (e.g. http://127.0.0.1:8000/v1)")
    if redact is None and settings.redact_remote_pii:
        # Fail closed: the operator asked for redaction, so a missing redactor is a wiring bug.
        raise ConfigError(
            "SHOPTALK_REDACT_REMOTE_PII is on but no redactor was given; build the "
            "model with build_model(settings, redact=...) or set SHOPTALK_REDACT_REMOTE_PII=0"
        )
    return OpenAICompatibleModel(
        settings.llm_base_url,
        settings.llm_model,
        api_key=settings.llm_api_key,
        redact=redact if settings.redact_remote_pii else None,
    )
