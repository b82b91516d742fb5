"""The Gradio pages against the holes a security probe found, through raw HTTP where it matters.

* Nobody chats as a customer from the page unless the app was built with demo ``shoppers``,
  and then only as one of them: not by a raw queue call (``{"data": ["C2"], "fn_index": 0}``),
  not by a forged selector value.
* Nothing a page handles reaches the browser's storage: no run history, no ``BrowserState``,
  and the staff session token is never in a response.
* Every event is private: not in ``/gradio_api/info``, not callable by name.
* Every rate-limited handler passes the client address; a rate limit shows as a warning.
* No uploads.

The app is mounted on a bare FastAPI app with ``bot.app.mount`` (what ``shoptalk serve`` does,
without the HTTP hardening layer, which is tested with the API) over a ChatService of fakes;
events are called the way the browser calls them: ``/gradio_api/queue/join`` by index, then
the session's SSE stream.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import gradio as gr
import pytest
from chat_kit import make_chat
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.routing import Mount

from bot.app import build_app, mount
from bot.app._render import ChatView
from bot.safety import ClientResolver, Limits, RateLimited
from retrieval import ShopTalkError

DEMO = [("Anonymous shopper", None), ("Ana Trail", "C1")]
WATCHED = ("start", "post", "click_ad", "csat", "feedback", "staff.login")


@pytest.fixture(scope="module")
def chat(tmp_path_factory):
    # A trusted proxy header, so the tests can tell the resolved address from the socket peer;
    # no limits: the tests that need one make the service raise it.
    return make_chat(
        tmp_path_factory.mktemp("app_security"),
        sql=False,
        engine=False,
        limits=Limits.unlimited(),
        clients=ClientResolver(header="X-Forwarded-For", proxies=("127.0.0.1",)),
    )


@pytest.fixture
def calls(chat, monkeypatch):
    """Every call of a rate-limited ChatService method, as (name, args, kwargs)."""
    seen: list[tuple[str, tuple, dict]] = []
    for name in WATCHED:
        owner = chat.staff if name.startswith("staff.") else chat
        attr = name.removeprefix("staff.")
        real = getattr(owner, attr)

        def spy(*args, _real=real, _name=attr, **kwargs):
            seen.append((_name, args, kwargs))
            return _real(*args, **kwargs)

        monkeypatch.setattr(owner, attr, spy)
    return seen


def served(chat, shoppers=None):
    """(TestClient context, Blocks) of the pages mounted at / of a bare FastAPI app."""
    app = mount(FastAPI(), chat, path="/", shoppers=shoppers)
    route = next(r for r in app.routes if isinstance(r, Mount))
    return TestClient(app), route.app.app.get_blocks()


def index_of(demo: gr.Blocks, api_name: str) -> int:
    return next(i for i, fn in demo.fns.items() if fn.api_name == api_name)


def handler(demo: gr.Blocks, api_name: str):
    return demo.fns[index_of(demo, api_name)].fn


def queue_call(client, fn_index: int, data: list, session: str) -> dict:
    """Run one event as the browser does; the final ``process_completed`` message."""
    r = client.post(
        "/gradio_api/queue/join",
        json={
            "data": data,
            "fn_index": fn_index,
            "session_hash": session,
            "event_data": None,
            "trigger_id": None,
        },
    )
    assert r.status_code == 200, r.text
    done = None
    with client.stream("GET", "/gradio_api/queue/data", params={"session_hash": session}) as stream:
        for line in stream.iter_lines():
            if line.startswith("data: "):
                message = json.loads(line[len("data: ") :])
                if message.get("msg") == "process_completed":
                    done = message
    assert done is not None
    return done


def request_from(peer: str, **headers) -> SimpleNamespace:
    """What a handler reads of ``gr.Request``: the socket peer and the headers."""
    return SimpleNamespace(
        client=SimpleNamespace(host=peer), headers={k.lower(): v for k, v in headers.items()}
    )


def started_as(calls) -> list:
    return [kw.get("customer_id") for name, _, kw in calls if name == "start"]


# -- 1. who a shopper is ----------------------------------------------------------------------


def test_without_demo_shoppers_there_is_no_selector_and_start_takes_no_input(chat):
    demo = build_app(chat)
    assert not [c for c in demo.config["components"] if c.get("props", {}).get("elem_id") == "st-shopper"]
    starts = [fn for fn in demo.fns.values() if fn.name == "start"]
    assert starts and all(fn.inputs == [] for fn in starts)  # nothing a request could name a customer with
    assert not [fn for fn in demo.fns.values() if fn.name == "start_as"]


def test_a_raw_queue_call_naming_a_customer_starts_an_anonymous_chat(chat, calls):
    client, demo = served(chat)
    with client:
        done = queue_call(client, index_of(demo, "start"), ["C1"], "probe")
    assert done["success"]
    assert started_as(calls) == [None]
    assert not [kw for name, _, kw in calls if name == "start" and kw.get("customer_id")]


def test_the_demo_selector_starts_only_configured_customers(chat, calls):
    client, demo = served(chat, DEMO)
    selector = [c for c in demo.config["components"] if c.get("props", {}).get("elem_id") == "st-shopper"]
    assert len(selector) == 1
    assert [value for _, value in selector[0]["props"]["choices"]] == ["anonymous", "C1"]
    with client:
        start_as = index_of(demo, "start_as")
        assert queue_call(client, start_as, ["C1"], "demo-1")["success"]
        refused = queue_call(client, start_as, ["C2"], "demo-2")  # a real customer, not a demo one
        assert not refused["success"]
    assert started_as(calls) == ["C1"]


def test_the_start_handler_itself_maps_values_through_the_configured_entries(chat, calls):
    """Defence in depth: even past Gradio's own check of dropdown values, C2 is nobody here."""
    start_as = handler(build_app(chat, shoppers=DEMO), "start_as")
    for value in ("C2", "anonymous", None, "", "../C1", "c1"):
        start_as(value, request_from("198.51.100.5"))
    start_as("C1", request_from("198.51.100.5"))
    assert started_as(calls) == [None] * 6 + ["C1"]


def test_a_rate_limited_start_warns_and_keeps_the_page_locked(chat, monkeypatch):
    def refuse(*args, **kwargs):
        raise RateLimited("Too many new chats from your address; try again in 30 s", 30)

    monkeypatch.setattr(chat, "start", refuse)
    with pytest.warns(UserWarning, match="Too many new chats"):
        out = handler(build_app(chat), "start")(request_from("198.51.100.5"))
    assert out[0] is None  # no token
    textbox = [o for o in out if isinstance(o, gr.Textbox)]
    assert textbox and textbox[0].interactive is False


# -- 2. nothing in the browser, nothing callable by name ---------------------------------------


def test_run_history_is_off_and_nothing_is_kept_in_browser_storage(chat):
    client, demo = served(chat)
    with client:
        config = client.get("/config").json()
    assert config["run_history"] is False and demo.run_history is False
    assert "runs" not in config["footer_links"] and "api" not in config["footer_links"]
    assert not [c for c in config["components"] if c.get("type") == "browserstate"]
    assert not [c for c in config["components"] if "secret" in c.get("props", {})]


def test_every_event_is_private_and_not_callable_by_name(chat, calls):
    client, demo = served(chat)
    assert {fn.api_visibility for fn in demo.fns.values()} == {"private"}
    with client:
        info = client.get("/gradio_api/info").json()
        assert info == {"named_endpoints": {}, "unnamed_endpoints": {}}
        body = {"data": ["admin", "admin-demo"]}
        for route in (
            "/gradio_api/call/do_login",
            "/gradio_api/call/v2/do_login",
            "/gradio_api/run/do_login",
            "/gradio_api/api/do_login",
            "/gradio_api/call/start",
            "/gradio_api/run/start",
        ):
            assert client.post(route, json=body).status_code == 404, route
        # /run/predict is the browser's door for unqueued events, by index; queued ones stay in the queue.
        r = client.post("/gradio_api/run/predict", json={**body, "fn_index": index_of(demo, "do_login")})
        assert r.status_code == 404
    assert not calls


def test_the_staff_token_stays_on_the_server_per_tab_and_logout_clears_it(chat):
    client, demo = served(chat)
    login_index = index_of(demo, "do_login")
    token_state = demo.fns[login_index].outputs[0]

    def stored(session: str):
        return demo.state_holder[session][token_state._id]

    with client:
        login = queue_call(client, login_index, ["admin", "admin-demo"], "tab-1")
        assert login["success"] and login["output"]["data"][0] is None  # a State output: nothing is sent
        token = stored("tab-1")
        assert chat.staff.session(token).username == "admin"
        assert token not in json.dumps(login)

        refresh = index_of(demo, "refresh")
        mine = queue_call(client, refresh, [None, None, {}], "tab-1")
        # Another tab (another page, a reload) has no session, even when it sends the token as the State's value.
        other = queue_call(client, refresh, [token, None, {}], "tab-2")
        assert "Your session has ended" not in json.dumps(mine)
        assert "Your session has ended" in json.dumps(other)

        queue_call(client, index_of(demo, "do_logout"), [None], "tab-1")
        assert stored("tab-1") is None
    with pytest.raises(ShopTalkError):
        chat.staff.session(token)


# -- 3. client addresses ----------------------------------------------------------------------


def test_the_queue_passes_the_client_address(chat, calls):
    client, demo = served(chat)
    with client:
        queue_call(client, index_of(demo, "start"), [], "addr")
        queue_call(client, index_of(demo, "do_login"), ["agent", "wrong"], "addr")
    assert [(name, kw.get("client")) for name, _, kw in calls] == [
        ("start", "testclient"),
        ("login", "testclient"),
    ]


def test_every_rate_limited_handler_passes_the_resolved_address(chat, calls):
    demo = build_app(chat)
    behind_proxy = request_from("127.0.0.1", **{"X-Forwarded-For": "198.51.100.1, 203.0.113.9"})
    direct = request_from(
        "203.0.113.50", **{"X-Forwarded-For": "10.0.0.1"}
    )  # not a trusted proxy: header ignored

    start = handler(demo, "start")(behind_proxy)
    tok = start[0]
    view = ChatView()
    for v in handler(demo, "respond")("where is my order?", tok, view, direct):
        view = v[0]
    bot_index = next(i for i, role in enumerate(view.roles) if role == "bot")
    handler(demo, "like")(
        tok, view, gr.LikeData(None, {"index": bot_index, "value": "x", "liked": True}), direct
    )
    handler(demo, "send_rating")(tok, 5, "great", direct)
    ads = ChatView(ads=(("S2", "Sponsored", "imp-unknown"),))
    with pytest.warns(UserWarning):  # an impression this chat never saw: refused, shown as a warning
        handler(demo, "handler")(tok, ads, direct)
    handler(demo, "do_login")("agent", "agent-demo", behind_proxy)

    addresses = {name: kw.get("client") for name, _, kw in calls}
    assert addresses == {
        "start": "203.0.113.9",
        "post": "203.0.113.50",
        "feedback": "203.0.113.50",
        "csat": "203.0.113.50",
        "click_ad": "203.0.113.50",
        "login": "203.0.113.9",
    }


def test_rate_limits_on_a_message_show_as_a_warning_and_drop_the_bubble(chat, monkeypatch):
    demo = build_app(chat)

    def refuse(*args, **kwargs):
        raise RateLimited("Too many messages from your address; try again in 20 s", 20)

    monkeypatch.setattr(chat, "post", refuse)
    view = ChatView(messages=({"role": "user", "content": "hi"},), ids=(None,), roles=("shopper",))
    with pytest.warns(UserWarning, match="Too many messages"):
        outs = list(handler(demo, "respond")("hi", "tok", view, request_from("198.51.100.5")))
    assert outs[-1][0].messages == ()


# -- 5. uploads -------------------------------------------------------------------------------


def test_uploads_are_refused(chat):
    client, _ = served(chat)
    with client:
        r = client.post("/gradio_api/upload", files={"files": ("x.txt", b"hello", "text/plain")})
        assert r.status_code == 413
        assert client.get("/config").json()["max_file_size"] == 0
