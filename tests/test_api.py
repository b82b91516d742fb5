"""The HTTP API through FastAPI's TestClient over a ChatService built from fakes.

Every endpoint once, the SSE stream parsed, and bad input of every kind: each gets the right
4xx in the one error shape, and stores nothing.
"""

from __future__ import annotations

import json

import pytest
from chat_kit import make_chat
from fastapi.testclient import TestClient

from bot.api import MAX_BODY_BYTES, create_api

SHOP_KEY = "test-shop-key"


@pytest.fixture(scope="module")
def chat(tmp_path_factory):
    return make_chat(tmp_path_factory.mktemp("api"))


@pytest.fixture(scope="module")
def client(chat):
    return TestClient(create_api(chat, shop_key=SHOP_KEY), raise_server_exceptions=False)


def sse(text: str) -> list[tuple[str, dict]]:
    out = []
    for block in text.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        out.append((fields["event"], json.loads(fields["data"])))
    return out


def start(client, **body):
    r = client.post("/api/conversations", json=body or None, headers={"X-Shop-Key": SHOP_KEY} if body else {})
    assert r.status_code == 201, r.text
    data = r.json()
    return data["conversation_id"], {"Authorization": f"Bearer {data['token']}"}


def count(chat, cid):
    return len(chat.store.messages(cid))


def error_of(r, status, kind):
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"} and body["error"]["type"] == kind and body["error"]["message"]
    return body["error"]["message"]


def staff_headers(client, name="agent"):
    r = client.post("/api/staff/login", json={"username": name, "password": f"{name}-demo"})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


# -- shopper ----------------------------------------------------------------------------------


def test_stream_a_reply_as_server_sent_events(client, chat):
    cid, auth = start(client)
    r = client.post(
        f"/api/conversations/{cid}/messages", json={"text": "what is your return policy?"}, headers=auth
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    events = sse(r.text)
    assert [e for e, _ in events] == ["saved", "token", "saved", "done"]
    assert events[0][1]["role"] == "shopper" and events[2][1]["role"] == "bot"
    assert events[1][1]["text"] == events[2][1]["text"] and events[3][1] == {"status": "bot"}
    assert "tool_calls" not in events[2][1]  # staff-only detail stays on the staff side


def test_json_mode_and_escalation(client):
    cid, auth = start(client)
    r = client.post(
        f"/api/conversations/{cid}/messages?stream=false",
        json={"text": "I want to talk to a human agent please"},
        headers=auth,
    )
    body = r.json()
    assert (
        r.status_code == 200 and body["status"] == "waiting" and body["escalated"] == {"reason": "requested"}
    )
    assert [m["role"] for m in body["messages"]] == ["shopper", "bot", "system"]
    r = client.post(f"/api/conversations/{cid}/messages", json={"text": "hello?"}, headers=auth)
    assert [e for e, _ in sse(r.text)] == ["saved", "queued", "done"]


def test_read_with_polling_cursor_hides_staff_only_fields(client, chat):
    cid, auth = start(client)
    client.post(f"/api/conversations/{cid}/messages?stream=false", json={"text": "hi"}, headers=auth)
    full = client.get(f"/api/conversations/{cid}", headers=auth).json()
    assert full["status"] == "bot" and len(full["messages"]) == 2
    assert "state" not in full and "handoff_summary" not in full and "user_id" not in full
    later = client.get(f"/api/conversations/{cid}?after={full['messages'][0]['id']}", headers=auth).json()
    assert [m["role"] for m in later["messages"]] == ["bot"]


def test_signed_in_start_needs_the_shop_key(client, chat):
    cid, _ = start(client, customer_id="C1")
    assert chat.store.get(cid).customer_id == "C1"
    error_of(client.post("/api/conversations", json={"customer_id": "C1"}), 403, "forbidden")
    error_of(
        client.post("/api/conversations", json={"customer_id": "C1"}, headers={"X-Shop-Key": "guess"}),
        403,
        "forbidden",
    )
    error_of(
        client.post("/api/conversations", json={"customer_id": "C404"}, headers={"X-Shop-Key": SHOP_KEY}),
        404,
        "not_found",
    )


def test_human_feedback_csat_events_click_and_end(client, chat):
    # C2 shops skincare: the advertised trail shoe is not already among their organic picks.
    cid, auth = start(client, customer_id="C2")
    r = client.post(
        f"/api/conversations/{cid}/messages?stream=false",
        json={"text": "what would you recommend for me?"},
        headers=auth,
    )
    bot = r.json()["messages"][1]
    assert bot["ads"] and bot["ads"][0]["impression_id"]
    ok = client.post(
        f"/api/conversations/{cid}/feedback", json={"message_id": bot["id"], "value": -1}, headers=auth
    )
    assert ok.json() == {"ok": True}
    imp = bot["ads"][0]["impression_id"]
    assert client.post(f"/api/conversations/{cid}/ads/{imp}/click", headers=auth).json() == {"new": True}
    assert client.post(f"/api/conversations/{cid}/ads/{imp}/click", headers=auth).json() == {"new": False}
    events = {"events": [{"event": "view", "item_id": "S1"}, {"event": "search", "query": "tent"}]}
    assert client.post(f"/api/conversations/{cid}/events", json=events, headers=auth).json() == {
        "recorded": 2
    }
    assert client.post(f"/api/conversations/{cid}/human", headers=auth).json()["status"] == "waiting"
    assert client.post(
        f"/api/conversations/{cid}/csat", json={"score": 4, "comment": "ok"}, headers=auth
    ).json() == {"ok": True}
    assert client.post(f"/api/conversations/{cid}/end", headers=auth).json()["status"] == "resolved"
    error_of(
        client.post(f"/api/conversations/{cid}/messages", json={"text": "more"}, headers=auth),
        409,
        "conflict",
    )


# -- bad input: the right 4xx, and nothing stored ------------------------------------------------


def test_bad_message_requests_store_nothing(client, chat):
    cid, auth = start(client)
    url = f"/api/conversations/{cid}/messages"
    json_headers = {**auth, "Content-Type": "application/json"}
    error_of(client.post(url, content=b'{"text": "hi"', headers=json_headers), 400, "invalid_json")
    error_of(client.post(url, json={}, headers=auth), 422, "validation_error")
    error_of(client.post(url, json={"text": ""}, headers=auth), 422, "validation_error")
    error_of(client.post(url, json={"text": "hi", "role": "staff"}, headers=auth), 422, "validation_error")
    error_of(client.post(url, json={"text": "x" * 2001}, headers=auth), 422, "validation_error")
    error_of(client.post(url, json={"text": "   "}, headers=auth), 400, "invalid_input")
    huge = json.dumps({"text": "x" * (MAX_BODY_BYTES + 10)}).encode()
    error_of(client.post(url, content=huge, headers=json_headers), 413, "too_large")

    def chunks():  # no Content-Length: the limit is counted, not trusted
        for _ in range(20):
            yield b"x" * 8192

    error_of(client.post(url, content=chunks(), headers=json_headers), 413, "too_large")
    assert count(chat, cid) == 0


def test_tokens_open_only_their_own_conversation(client, chat):
    a, auth_a = start(client)
    b, auth_b = start(client)
    error_of(client.get(f"/api/conversations/{b}", headers=auth_a), 404, "not_found")
    error_of(
        client.post(f"/api/conversations/{b}/messages", json={"text": "hi"}, headers=auth_a), 404, "not_found"
    )
    error_of(client.post(f"/api/conversations/{b}/end", headers=auth_a), 404, "not_found")
    error_of(client.get("/api/conversations/nope", headers=auth_a), 404, "not_found")
    error_of(
        client.get(f"/api/conversations/{a}", headers={"Authorization": "Bearer wrong"}), 404, "not_found"
    )
    r = client.get(f"/api/conversations/{a}")
    error_of(r, 401, "unauthorized")
    assert r.headers["www-authenticate"] == "Bearer"
    error_of(
        client.get(f"/api/conversations/{a}", headers={"Authorization": "Basic abc"}), 401, "unauthorized"
    )
    assert count(chat, a) == count(chat, b) == 0 and chat.store.get(b).status == "bot"


def test_bad_feedback_csat_events_and_clicks_store_nothing(client, chat):
    cid, auth = start(client)
    bot = client.post(
        f"/api/conversations/{cid}/messages?stream=false", json={"text": "hi"}, headers=auth
    ).json()["messages"][1]
    base = f"/api/conversations/{cid}"
    error_of(client.post(f"{base}/csat", json={"score": 9}, headers=auth), 422, "validation_error")
    error_of(client.post(f"{base}/csat", json={"score": "five"}, headers=auth), 422, "validation_error")
    error_of(
        client.post(f"{base}/feedback", json={"message_id": bot["id"], "value": 3}, headers=auth),
        422,
        "validation_error",
    )
    error_of(
        client.post(f"{base}/feedback", json={"message_id": bot["id"] - 1, "value": 1}, headers=auth),
        404,
        "not_found",
    )
    error_of(
        client.post(f"{base}/events", json={"events": [{"event": "teleport"}]}, headers=auth),
        422,
        "validation_error",
    )
    message = error_of(
        client.post(f"{base}/events", json={"events": [{"event": "view", "item_id": "NOPE"}]}, headers=auth),
        400,
        "invalid_input",
    )
    assert "NOPE" in message
    error_of(client.post(f"{base}/events", json={"events": []}, headers=auth), 422, "validation_error")
    error_of(client.post(f"{base}/ads/made-up/click", headers=auth), 404, "not_found")
    conv = chat.store.get(cid)
    assert conv.csat is None and all(m.feedback is None for m in chat.store.messages(cid))
    assert not list(chat.engine.store.events(conv.user_id))


# -- staff ----------------------------------------------------------------------------------------


def test_staff_workflow_over_http(client, chat):
    cid, auth = start(client, customer_id="C1")
    client.post(
        f"/api/conversations/{cid}/messages?stream=false",
        json={"text": "I want to talk to a human agent please"},
        headers=auth,
    )
    agent, other = staff_headers(client, "agent"), staff_headers(client, "agent2")
    queue = client.get("/api/staff/queue", headers=agent).json()
    assert cid in [q["conversation_id"] for q in queue]
    base = f"/api/staff/conversations/{cid}"
    assert client.post(f"{base}/claim", headers=agent).json()["assigned_to"] == "agent"
    error_of(client.post(f"{base}/claim", headers=other), 409, "conflict")
    error_of(client.post(f"{base}/reply", json={"text": "mine now"}, headers=other), 409, "conflict")
    reply = client.post(f"{base}/reply", json={"text": "Hi Ana, happy to help."}, headers=agent).json()
    assert reply["role"] == "staff" and reply["author"] == "agent"
    assert client.post(f"{base}/note", json={"text": "gold tier"}, headers=agent).json()["role"] == "note"
    assert client.get(f"{base}/draft", headers=agent).json()["text"]
    detail = client.get(base, headers=agent).json()
    assert detail["conversation"]["handoff_reason"] == "requested" and detail["profile"]["user_id"] == "C1"
    assert any(m["role"] == "note" for m in detail["messages"]) and detail["orders"][0]["order_id"] == "O3"
    assert [t["to_status"] for t in detail["transitions"]] == ["waiting", "human"]
    shopper_view = client.get(f"/api/conversations/{cid}", headers=auth).json()
    assert [m["role"] for m in shopper_view["messages"]][-1] == "staff"  # the note is not shown
    assert [c["id"] for c in client.get("/api/staff/mine", headers=agent).json()] == [cid]
    assert client.get("/api/staff/canned", headers=agent).json()[0]["title"]
    assert client.post(f"{base}/hand-back", headers=agent).json()["status"] == "bot"
    client.post(f"/api/conversations/{cid}/human", headers=auth)
    assert client.post(f"{base}/resolve", headers=other).json()["status"] == "resolved"
    error_of(client.post(f"{base}/claim", headers=agent), 409, "conflict")
    error_of(client.get("/api/staff/conversations/nope", headers=agent), 404, "not_found")
    client.post("/api/staff/logout", headers=agent)
    error_of(client.get("/api/staff/queue", headers=agent), 401, "unauthorized")


def test_staff_auth_roles_and_admin_endpoints(client, chat):
    error_of(
        client.post("/api/staff/login", json={"username": "agent", "password": "nope"}), 401, "unauthorized"
    )
    error_of(client.post("/api/staff/login", json={"username": "agent"}), 422, "validation_error")
    error_of(client.get("/api/staff/queue"), 401, "unauthorized")
    agent, admin = staff_headers(client, "agent"), staff_headers(client, "admin")
    error_of(client.get("/api/admin/analytics", headers=agent), 403, "forbidden")
    error_of(
        client.post(
            "/api/admin/staff",
            json={"username": "eve", "password": "tulip meadow river", "role": "admin"},
            headers=agent,
        ),
        403,
        "forbidden",
    )
    a = client.get("/api/admin/analytics", headers=admin).json()
    assert {
        "deflection_rate",
        "handoff_reasons",
        "csat_bot_only",
        "csat_human",
        "unanswered",
        "ads",
        "forecast",
    } <= set(a)
    created = client.post(
        "/api/admin/staff",
        json={"username": "eve", "password": "tulip meadow river", "role": "agent"},
        headers=admin,
    )
    assert created.status_code == 201
    error_of(
        client.post(
            "/api/admin/staff",
            json={"username": "eve", "password": "tulip meadow river", "role": "agent"},
            headers=admin,
        ),
        400,
        "invalid_input",
    )
    error_of(
        client.post(
            "/api/admin/staff", json={"username": "eve2", "password": "pw", "role": "agent"}, headers=admin
        ),
        422,
        "validation_error",
    )
    audit = client.get("/api/admin/audit?limit=5", headers=admin).json()
    assert audit[0]["action"] == "create_staff" and len(audit) <= 5


# -- operations -----------------------------------------------------------------------------------


def test_health_openapi_unknown_routes_and_internal_errors(client, chat, monkeypatch):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}
    schema = client.get("/openapi.json").json()
    for path in (
        "/api/conversations",
        "/api/conversations/{conversation_id}/messages",
        "/api/staff/conversations/{conversation_id}/hand-back",
        "/api/admin/analytics",
        "/healthz",
    ):
        assert path in schema["paths"]
    assert {"CsatRequest", "MessageOut", "ErrorOut", "AnalyticsOut"} <= set(schema["components"]["schemas"])
    error_of(client.get("/api/nothing/here"), 404, "not_found")
    error_of(client.delete("/api/conversations"), 405, "method_not_allowed")
    cid, auth = start(client)

    def crash(*a, **k):
        raise RuntimeError("secret internal detail /etc/shoptalk")

    monkeypatch.setattr(chat, "read", crash)
    r = client.get(f"/api/conversations/{cid}", headers=auth)
    message = error_of(r, 500, "internal_error")
    assert "secret" not in r.text and "RuntimeError" not in message


def test_a_streamed_turn_completes_even_if_the_client_leaves(chat):
    import time

    from bot.api._http import _detached

    started = chat.start()
    events = _detached(chat.post(started.token, "what is your return policy?"))
    next(events)  # the shopper's message, committed; then the client goes away
    events.close()
    deadline = time.monotonic() + 10
    while len(chat.read(started.token)[1]) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [m.role for m in chat.read(started.token)[1]] == ["shopper", "bot"]


def test_the_web_app_mounts_at_root_without_shadowing_the_api(chat):
    app_module = pytest.importorskip("bot.app")
    api = create_api(chat, shop_key=SHOP_KEY)
    app_module.mount(api, chat, path="/")
    with TestClient(api, raise_server_exceptions=False) as web:  # runs the lifespans (ours and gradio's)
        assert web.get("/healthz").json()["status"] == "ok"
        assert web.get("/").headers["content-type"].startswith("text/html")
        error_of(web.get("/api/nothing/here"), 404, "not_found")
        r = web.post("/api/conversations")
        assert r.status_code == 201 and r.json()["token"]
        import anyio.to_thread

        from bot.api._app import THREADS

        limit = web.portal.call(lambda: anyio.to_thread.current_default_thread_limiter().total_tokens)
        assert limit == THREADS
