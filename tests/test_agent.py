"""The tool-calling path (create_agent) against a scripted OpenAI-compatible server on loopback."""

from __future__ import annotations

import json

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse
from server_kit import serve_app

from bot._services import build_assistant
from bot.assistant import Session
from bot.llm._remote import OpenAICompatibleModel

pytestmark = pytest.mark.server


class Script:
    """Replies in order; each is text or a tool call. Records every request body."""

    def __init__(self):
        self.replies: list[dict] = []
        self.received: list[dict] = []

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/v1/models")
        def models():
            return {"object": "list", "data": [{"id": "scripted", "object": "model", "owned_by": "t"}]}

        @app.post("/v1/chat/completions")
        async def chat(request: Request):
            body = await request.json()
            self.received.append(body)
            reply = self.replies.pop(0) if self.replies else {"text": "Sorry."}
            message = {"role": "assistant", "content": reply.get("text")}
            if "tool" in reply:
                message["tool_calls"] = [
                    {
                        "id": f"call_{len(self.received)}",
                        "type": "function",
                        "function": {"name": reply["tool"], "arguments": json.dumps(reply["args"])},
                    }
                ]
            finish = "tool_calls" if "tool" in reply else "stop"
            if not body.get("stream"):
                return {
                    "id": "x",
                    "object": "chat.completion",
                    "created": 0,
                    "model": "scripted",
                    "choices": [{"index": 0, "message": message, "finish_reason": finish}],
                }

            def events():
                def chunk(delta, reason=None):
                    data = {
                        "id": "x",
                        "object": "chat.completion.chunk",
                        "created": 0,
                        "model": "scripted",
                        "choices": [{"index": 0, "delta": delta, "finish_reason": reason}],
                    }
                    return f"data: {json.dumps(data)}\n\n"

                yield chunk({"role": "assistant", "content": message["content"] or ""})
                if "tool_calls" in message:
                    yield chunk({"tool_calls": [{**c, "index": 0} for c in message["tool_calls"]]})
                yield chunk({}, finish)
                yield "data: [DONE]\n\n"

            return StreamingResponse(events(), media_type="text/event-stream")

        return app


@pytest.fixture(scope="module")
def server():
    script = Script()
    with serve_app(script.app()) as base:
        yield script, f"{base}/v1"


@pytest.fixture
def bot(server):
    script, url = server
    script.replies.clear()
    script.received.clear()
    from conftest import MINI_SHOP

    from bot.assistant import DEFAULT_INTENTS_CSV, HandoffPolicy, IntentClassifier
    from retrieval import HashingEmbedder, MemoryIndex, ShopIndex, load_shop

    embedder = HashingEmbedder()
    shop = load_shop(MINI_SHOP)
    indexes: dict = {}
    index = ShopIndex(shop, embedder, lambda n: indexes.setdefault(n, MemoryIndex()))
    index.ingest()
    model = OpenAICompatibleModel(url, "scripted")
    assistant = build_assistant(
        shop,
        index,
        embedder,
        model=model,
        classifier=IntentClassifier.train_from_csv(DEFAULT_INTENTS_CSV, embedder),
        handoff=HandoffPolicy.train(embedder),
    )
    return script, assistant


def test_agent_calls_a_tool_and_its_grounded_answer_is_kept(bot):
    script, assistant = bot
    script.replies += [
        {"tool": "search_products", "args": {"query": "waterproof trail shoe", "max_price": 100}},
        {"text": "The Ridge Runner GTX Trail Shoe is waterproof and costs $89.99."},
    ]
    reply = assistant.respond(assistant.new_state(Session("C1", "C1")), "waterproof trail shoes under $100?")
    assert reply.route == "product_search" and reply.generated and not reply.fallback
    assert "S1" in reply.products and "$89.99" in reply.text
    tool_names = [t["function"]["name"] for t in script.received[0]["tools"]]
    assert "order_status" in tool_names and "hand_off_to_human" in tool_names


def test_agent_answer_with_a_wrong_price_falls_back_to_the_planner(bot):
    script, assistant = bot
    script.replies += [
        {"tool": "search_products", "args": {"query": "waterproof trail shoe"}},
        {"text": "The Ridge Runner GTX Trail Shoe is on sale for $9.99 today!"},
    ]
    reply = assistant.respond(assistant.new_state(Session("C1", "C1")), "waterproof trail shoes under $100?")
    assert reply.fallback and "$9.99" not in reply.text and "$89.99" in reply.text


def test_a_fallback_leaves_the_shared_agent_in_place(bot):
    """The assistant serves every conversation at once: while one turn falls back to the planner,
    another turn that starts meanwhile must still get the agent."""
    script, assistant = bot
    agent = assistant.agent
    seen = []
    planned = assistant._planned

    def watching(*args, **kwargs):
        seen.append(assistant.agent)  # what a concurrent turn would see right now
        yield from planned(*args, **kwargs)

    assistant._planned = watching
    script.replies += [
        {"tool": "search_products", "args": {"query": "waterproof trail shoe"}},
        {"text": "The Ridge Runner GTX Trail Shoe is on sale for $9.99 today!"},
    ]
    reply = assistant.respond(assistant.new_state(Session("C1", "C1")), "waterproof trail shoes under $100?")
    assert reply.fallback and seen == [agent] and assistant.agent is agent


def test_identity_comes_from_the_session_not_the_model(bot):
    script, assistant = bot
    # The order tool has no user argument; a model trying to pass one cannot widen access.
    script.replies += [
        {"tool": "order_status", "args": {"order_id": "O1", "customer_id": "C1"}},
        {"text": "I couldn't find that order on your account."},
    ]
    reply = assistant.respond(assistant.new_state(Session("C2", "C2")), "where is my order O1?")
    assert "1Z999" not in reply.text
    tool_msg = next(m for m in script.received[-1]["messages"] if m["role"] == "tool")
    assert "order_not_found" in tool_msg["content"] and "1Z999" not in tool_msg["content"]


def test_handoff_triggers_run_before_the_model(bot):
    script, assistant = bot
    reply = assistant.respond(assistant.new_state(Session("C1", "C1")), "I want to speak to a human")
    assert reply.escalated and script.received == []
