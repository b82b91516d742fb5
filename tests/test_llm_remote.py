"""The OpenAI-compatible backend against a fake server on loopback.

The fake speaks just enough of ``/v1/chat/completions`` (plain JSON and SSE streaming,
tool calls when tools are offered) to show what our client sends and how it copes. Like
some real servers, it ignores ``stop``, so the client-side cut is what the tests see.
"""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from server_kit import free_port, serve_app
from test_llm import LanguageModelContract

from bot._settings import Settings
from bot.llm import Message, ModelUnavailableError, build_model
from bot.llm._remote import OpenAICompatibleModel
from retrieval import ConfigError

pytestmark = pytest.mark.server

MODEL = "fake-model"
EMAIL = "alice@example.com"


def _reply_for(body: dict[str, Any]) -> tuple[str, list[dict] | None]:
    """Text and tool calls the fake answers with: deterministic, a function of the request."""
    last = body["messages"][-1]
    if last["role"] == "tool":
        return f"Tool said: {last['content']}", None
    if body.get("tools"):
        fn = body["tools"][0]["function"]
        required = fn.get("parameters", {}).get("required", [])
        args = {name: "A1" for name in required}
        return "", [
            {
                "id": "call_1",
                "type": "function",
                "function": {"name": fn["name"], "arguments": json.dumps(args)},
            }
        ]
    return f"You said: {last['content']}\nAnything else?", None


def fake_openai_app(received: list[dict]) -> FastAPI:
    app = FastAPI()

    @app.get("/v1/models")
    def models():
        return {"object": "list", "data": [{"id": MODEL, "object": "model", "owned_by": "test"}]}

    @app.post("/v1/chat/completions")
    async def chat(request: Request):
        body = await request.json()
        received.append(body)
        if body["messages"][-1]["content"] == "take your time":
            await asyncio.sleep(3)
        if request.headers.get("authorization") == "Bearer bad-key":
            return JSONResponse({"error": {"message": "invalid api key"}}, status_code=401)
        if body["model"] != MODEL:
            return JSONResponse({"error": {"message": f"model {body['model']} not found"}}, status_code=404)
        text, tool_calls = _reply_for(body)
        words = re.findall(r"\S+\s*|\s+", text)[: body.get("max_tokens")]
        finish = "tool_calls" if tool_calls else "stop"
        common = {"id": "chatcmpl-1", "created": 0, "model": MODEL}
        if not body.get("stream"):
            message = {"role": "assistant", "content": "".join(words) or None}
            if tool_calls:
                message["tool_calls"] = tool_calls
            return {
                **common,
                "object": "chat.completion",
                "choices": [{"index": 0, "message": message, "finish_reason": finish}],
                "usage": {
                    "prompt_tokens": 10,
                    "completion_tokens": len(words),
                    "total_tokens": 10 + len(words),
                },
            }

        def chunk(delta: dict, finish_reason: str | None = None) -> str:
            data = {
                **common,
                "object": "chat.completion.chunk",
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
            }
            return f"data: {json.dumps(data)}\n\n"

        def events():
            yield chunk({"role": "assistant", "content": ""})
            for word in words:
                yield chunk({"content": word})
            if tool_calls:
                yield chunk({"tool_calls": [{**call, "index": i} for i, call in enumerate(tool_calls)]})
            yield chunk({}, finish)
            yield "data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    return app


@pytest.fixture(scope="module")
def server():
    """(base_url, received request bodies); the list is cleared before each test."""
    received: list[dict] = []
    with serve_app(fake_openai_app(received)) as base:
        yield f"{base}/v1", received


@pytest.fixture
def base_url(server):
    url, received = server
    received.clear()
    return url


@pytest.fixture
def received(server):
    return server[1]


class TestRemoteContract(LanguageModelContract):
    @pytest.fixture
    def model(self, base_url):
        return OpenAICompatibleModel(base_url, MODEL)


def test_streams_several_pieces_over_sse(base_url, received):
    model = OpenAICompatibleModel(base_url, MODEL)
    pieces = list(model.stream([Message("user", "hello there")], max_new_tokens=50))
    assert len(pieces) > 3
    assert "".join(pieces) == "You said: hello there\nAnything else?"
    assert received[-1]["stream"] is True and received[-1]["model"] == MODEL


def test_sends_roles_max_tokens_and_stop(base_url, received):
    model = OpenAICompatibleModel(base_url, MODEL)
    text = model.generate(
        [Message("system", "Be brief."), Message("user", "hi")], max_new_tokens=3, stop=["\n"]
    )
    assert text == "You said: hi"  # the fake ignores stop; the client cut at the newline
    body = received[-1]
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    # max_tokens, not max_completion_tokens: many self-hosted servers ignore the latter
    assert body["max_tokens"] == 3 and "max_completion_tokens" not in body
    assert body["stop"] == ["\n"]
    assert body["temperature"] == 0


def test_stop_spanning_streamed_chunks_is_cut(base_url):
    model = OpenAICompatibleModel(base_url, MODEL)
    assert model.generate([Message("user", "one two three")], stop=["two three"]) == "You said: one "


def test_redaction_applies_to_what_the_server_receives(base_url, received):
    model = OpenAICompatibleModel(base_url, MODEL, redact=lambda s: s.replace(EMAIL, "[email]"))
    text = model.generate([Message("system", f"Customer: {EMAIL}"), Message("user", f"mail me at {EMAIL}")])
    assert EMAIL not in json.dumps(received[-1])
    assert received[-1]["messages"][1]["content"] == "mail me at [email]"
    assert text == "You said: mail me at [email]\nAnything else?"


def test_model_name_is_discovered_when_not_given(base_url):
    model = OpenAICompatibleModel(base_url)
    assert model.model == MODEL and model.name == f"openai:{MODEL}"
    assert model.kind == "chat" and model.supports_tools


def test_build_model_wires_settings_and_redactor(base_url, received):
    settings = Settings(llm_backend="openai", llm_base_url=base_url, llm_api_key="sk-test")
    model = build_model(settings, redact=lambda s: s.replace(EMAIL, "[email]"))
    assert isinstance(model, OpenAICompatibleModel)
    model.generate([Message("user", EMAIL)])
    assert EMAIL not in json.dumps(received[-1])


def test_agent_calls_a_tool_through_the_chat_model(base_url, received):
    from langchain.agents import create_agent
    from langchain_core.tools import tool

    calls = []

    @tool
    def order_status(order_id: str) -> str:
        """Where an order is."""
        calls.append(order_id)
        return f"order {order_id} shipped to {EMAIL}"

    model = OpenAICompatibleModel(base_url, MODEL, redact=lambda s: s.replace(EMAIL, "[email]"))
    agent = create_agent(model.chat_model, [order_status])
    result = agent.invoke({"messages": [{"role": "user", "content": f"Where is my order? I am {EMAIL}"}]})

    assert calls == ["A1"]
    assert result["messages"][-1].content == "Tool said: order A1 shipped to [email]"
    first, second = received
    assert first["tools"][0]["function"]["name"] == "order_status"
    assert second["messages"][-1]["role"] == "tool"
    # Redaction covers the agent path too, tool results included.
    assert EMAIL not in json.dumps(received)


def test_server_down_is_a_clear_error():
    url = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    model = OpenAICompatibleModel(url, MODEL, max_retries=0)
    with pytest.raises(
        ModelUnavailableError,
        match=rf"could not reach the model server at {re.escape(url)}"
        r".*is vLLM/llama.cpp/Ollama running\?",
    ):
        model.generate([Message("user", "hi")])


def test_a_server_too_slow_to_answer_times_out_clearly(base_url):
    model = OpenAICompatibleModel(base_url, MODEL, timeout=0.5, max_retries=0)
    with pytest.raises(ModelUnavailableError, match=r"did not answer within 0.5 s"):
        model.generate([Message("user", "take your time")])


def test_server_down_at_discovery_is_a_clear_error():
    url = f"http://127.0.0.1:{free_port()}/v1"
    with pytest.raises(ModelUnavailableError, match="could not reach the model server"):
        OpenAICompatibleModel(url)


def test_unknown_model_and_bad_key_are_config_errors(base_url):
    with pytest.raises(ConfigError, match="does not serve 'other-model'.*SHOPTALK_LLM_MODEL"):
        OpenAICompatibleModel(base_url, "other-model").generate([Message("user", "hi")])
    with pytest.raises(ConfigError, match="rejected the API key"):
        OpenAICompatibleModel(base_url, MODEL, api_key="bad-key").generate([Message("user", "hi")])


def test_base_url_must_be_http():
    with pytest.raises(ConfigError, match="not an http"):
        OpenAICompatibleModel("127.0.0.1:8000/v1", MODEL)
