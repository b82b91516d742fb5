"""The abuse limits in the core (bot._security) and the HTTP hardening layer, without a server.

Known-answer tests with a hand-turned clock: a limit of N lets exactly N through, answers the
N+1-th with the time left, and forgets after its window; a full turn queue answers at once.
"""

from __future__ import annotations

import threading

import pytest
from chat_kit import make_chat
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot._settings import Settings
from bot.api._hardening import CSP, Hardening
from bot.safety import (
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
from retrieval import ConfigError, NotFoundError


class Clock:
    def __init__(self, now: float = 1000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    "text,expected",
    [("20/60", Rate(20, 60)), ("5/min", Rate(5, 60)), ("100 / hour", Rate(100, 3600)), ("0/60", Rate(0, 60))],
)
def test_rates_parse(text, expected):
    assert Rate.parse(text) == expected


@pytest.mark.parametrize("text", ["20", "x/60", "5/0", "-1/60", "5/fortnight"])
def test_bad_rates_name_the_setting(text):
    with pytest.raises(ConfigError, match="SHOPTALK_RATE_START"):
        Rate.parse(text, "SHOPTALK_RATE_START")


def test_a_limit_lets_n_through_then_says_how_long_to_wait():
    clock = Clock()
    throttle = Throttle(Limits({**Limits().rates, "start": Rate(3, 60)}), clock=clock)
    for _ in range(3):
        throttle.hit("start", "1.2.3.4")
        clock.now += 1
    with pytest.raises(RateLimited) as refused:
        throttle.hit("start", "1.2.3.4")
    assert refused.value.retry_after == 57  # the oldest hit leaves the window 60 s after it came
    throttle.hit("start", "5.6.7.8")  # another client is not affected
    clock.now += 57
    throttle.hit("start", "1.2.3.4")  # the window slid past the first hit


def test_hit_counts_nothing_when_any_key_is_over():
    throttle = Throttle(Limits({**Limits().rates, "message": Rate(1, 60)}), clock=Clock())
    throttle.hit("message", "a")
    with pytest.raises(RateLimited):
        throttle.hit("message", "b", "a")
    throttle.hit("message", "b")  # b was not counted by the refused call


def test_a_batch_costs_what_it_carries():
    clock = Clock()
    throttle = Throttle(Limits({**Limits().rates, "events": Rate(10, 60)}), clock=clock)
    throttle.hit("events", "a", cost=6)
    clock.now += 5
    with pytest.raises(RateLimited) as refused:
        throttle.hit("events", "a", cost=6)  # 12 > 10: nothing counted...
    assert refused.value.retry_after == 55  # ...and room comes when the first six leave
    throttle.hit("events", "a", cost=4)  # exactly the rest
    with pytest.raises(RateLimited):
        throttle.hit("events", "b", cost=11)  # more than the whole window can ever hold


def test_zero_means_unlimited_and_memory_is_bounded():
    throttle = Throttle(Limits.unlimited(), clock=Clock())
    for _ in range(1000):
        throttle.hit("start", "a")
    bounded = Throttle(Limits(), clock=Clock(), max_keys=50)
    for i in range(500):
        bounded.hit("start", f"10.0.{i // 250}.{i % 250}")
    assert len(bounded._hits) <= 51


def test_an_unknown_bucket_is_a_configuration_error():
    with pytest.raises(ConfigError, match="choose one of"):
        Throttle().hit("nope", "a")


def test_a_full_turn_queue_answers_busy_at_once():
    queue = TurnQueue(running=1, waiting=1)
    queue.admit()
    queue.admit()
    with pytest.raises(Busy) as busy:
        queue.admit()
    assert busy.value.retry_after >= 1
    queue.release()
    queue.admit()


def test_client_address_from_a_trusted_proxy_only():
    plain = ClientResolver()
    assert (
        plain.resolve("203.0.113.9", {"x-forwarded-for": "1.1.1.1"}) == "203.0.113.9"
    )  # no header configured
    proxied = ClientResolver("X-Forwarded-For", ("127.0.0.1", "10.0.0.0/8"))
    assert proxied.resolve("127.0.0.1", {"x-forwarded-for": "6.6.6.6, 198.51.100.7"}) == "198.51.100.7"
    assert proxied.resolve("10.1.2.3", {"x-forwarded-for": "198.51.100.8"}) == "198.51.100.8"
    assert proxied.resolve("203.0.113.9", {"x-forwarded-for": "198.51.100.7"}) == "203.0.113.9"  # not a proxy
    assert proxied.resolve("127.0.0.1", {"x-forwarded-for": "not-an-ip"}) == "127.0.0.1"


def test_client_tags_are_stable_and_hide_the_address():
    assert client_tag("198.51.100.7") == client_tag("198.51.100.7") != client_tag("198.51.100.8")
    assert "198" not in (client_tag("198.51.100.7") or "") and client_tag(None) is None


@pytest.mark.parametrize(
    "host,loop",
    [
        ("127.0.0.1", True),
        ("127.8.8.8", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("192.0.2.4", False),
    ],
)
def test_loopback(host, loop):
    assert is_loopback(host) is loop


def test_production_rules_follow_the_interface_the_proxy_and_demo_mode():
    base = Settings()
    assert not base.is_production("127.0.0.1") and base.is_production("0.0.0.0")
    assert base.with_(trusted_proxy_header="X-Forwarded-For").is_production("127.0.0.1")
    assert not base.with_(demo=True).is_production("0.0.0.0")
    assert base.with_(production=True).is_production("127.0.0.1")


def test_settings_read_every_limit_from_the_environment(monkeypatch):
    monkeypatch.setenv("SHOPTALK_RATE_START", "7/30")
    monkeypatch.setenv("SHOPTALK_TURN_QUEUE", "5")
    monkeypatch.setenv("SHOPTALK_CORS_ORIGINS", "https://a.example, https://b.example")
    settings = Settings.from_env()
    assert settings.limits.rates["start"] == Rate(7, 30) and settings.limits.turn_queue == 5
    assert settings.cors_origins == ("https://a.example", "https://b.example")
    monkeypatch.setenv("SHOPTALK_CORS_ORIGINS", "*")
    with pytest.raises(ConfigError, match="exact origins"):
        Settings.from_env()


# -- the HTTP layer ---------------------------------------------------------------------------
@pytest.fixture
def hardened():
    app = FastAPI()

    @app.get("/thing")
    def thing():
        return {"ok": True}

    @app.post("/api/echo")
    def echo(body: dict):
        return body

    app.add_middleware(Hardening, cors_origins=("https://shop.example",), request_timeout_s=2)
    return TestClient(app)


def test_security_headers_on_every_answer(hardened):
    for r in (hardened.get("/thing"), hardened.get("/missing"), hardened.post("/api/echo", json={"a": 1})):
        assert r.headers["content-security-policy"] == CSP
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"


def test_cors_for_listed_origins_only(hardened):
    assert (
        hardened.get("/thing", headers={"Origin": "https://shop.example"}).headers[
            "access-control-allow-origin"
        ]
        == "https://shop.example"
    )
    assert (
        "access-control-allow-origin"
        not in hardened.get("/thing", headers={"Origin": "https://x.example"}).headers
    )
    refused = hardened.options(
        "/api/echo", headers={"Origin": "https://x.example", "Access-Control-Request-Method": "POST"}
    )
    assert refused.status_code == 403


def test_uploads_and_oversized_bodies_are_refused(hardened):
    assert hardened.post("/gradio_api/upload", files={"files": ("a", b"x")}).status_code == 403
    assert (
        hardened.post(
            "/api/echo", content=b"{" + b" " * 70_000 + b"}", headers={"content-type": "application/json"}
        ).status_code
        == 413
    )


# -- the chat service --------------------------------------------------------------------------
def test_an_idle_token_stops_opening_its_conversation(tmp_path):
    clock = Clock(1_000_000.0)
    chat = make_chat(tmp_path, clock=clock, idle_seconds=600)
    started = chat.start()
    clock.now += 599
    chat.conversation(started.token)
    clock.now += 2
    with pytest.raises(NotFoundError):
        chat.conversation(started.token)


def test_a_full_turn_queue_refuses_before_storing_the_message(tmp_path):
    chat = make_chat(tmp_path, max_turns=1, limits=Limits.unlimited(turn_queue=0))
    first, second = chat.start(), chat.start()
    chat._queue.admit()  # a turn already running holds the only place
    with pytest.raises(Busy):
        chat.post(second.token, "hello")
    assert chat.read(second.token)[1] == []  # nothing stored: the shopper just resends
    chat._queue.release()
    events = list(chat.post(first.token, "hello"))
    assert events and chat._queue.admitted == 0


def test_a_chat_cannot_pile_events_on_one_product(tmp_path):
    chat = make_chat(tmp_path)
    started = chat.start()
    carts = [{"event": "add_to_cart", "item_id": "S2"}] * 100
    assert chat.record_events(started.token, carts) == 3
    assert chat.record_events(started.token, carts[:5]) == 0
    assert (
        chat.record_events(started.token, [{"event": "view", "item_id": "S2"}]) == 1
    )  # other kinds count apart
    backend = chat.start()
    assert (
        chat.record_events(backend.token, carts[:10], trusted=True) == 10
    )  # the shop's own data is not capped


def test_turn_places_are_returned_even_when_the_turn_fails(tmp_path):
    chat = make_chat(tmp_path, limits=Limits.unlimited())
    started = chat.start()
    done = threading.Event()

    def boom(*_a, **_k):
        done.set()
        raise RuntimeError("model crashed")

    chat.assistant.stream = boom
    list(chat.post(started.token, "hello"))
    assert done.is_set() and chat._queue.admitted == 0
