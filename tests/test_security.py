"""Each finding of the security probe, reproduced against a real ``shoptalk serve`` process.

A test here fails if its hole comes back. The server runs the mini shop with the scripted
model, behind a (simulated) trusted reverse proxy: ``X-Forwarded-For`` is honoured from
loopback, which lets one test machine speak from many client addresses, and which also puts
the server under production rules (no demo passwords). Limits are the shipped defaults
except where a test needs a small one to reach it quickly; those are named in ``ENV``.
See docs/security.md for the threat model these tests stand for.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import statistics
import threading
import time
from pathlib import Path

import httpx
import pytest
from conftest import MINI_SHOP
from server_kit import start_server

pytestmark = pytest.mark.server

SHOP_KEY = "backend-secret-for-tests"
ADMIN, ADMIN_PASSWORD = "root", "Tall-Granite-Ridge-42"
AGENT, AGENT_PASSWORD = "alex", "Quiet-River-Stone-17"
ALLOWED_ORIGIN = "https://shop.example"
ENV = {
    "SHOPTALK_LLM": "fake",
    "SHOPTALK_SHOP_KEY": SHOP_KEY,
    "SHOPTALK_TRUSTED_PROXY_HEADER": "X-Forwarded-For",
    "SHOPTALK_CORS_ORIGINS": ALLOWED_ORIGIN,
    "SHOPTALK_REQUEST_TIMEOUT_S": "2",
    "SHOPTALK_ADMIN_USER": ADMIN,
    "SHOPTALK_ADMIN_PASSWORD": ADMIN_PASSWORD,
    "SHOPTALK_AGENT_USER": AGENT,
    "SHOPTALK_AGENT_PASSWORD": AGENT_PASSWORD,
}
_next = iter(range(1, 250))


def fresh_ip() -> str:
    """A client address no other test has used (each test gets clean rate-limit windows)."""
    return f"198.51.100.{next(_next)}"


def ip(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = start_server(tmp_path_factory.mktemp("security_home"), MINI_SHOP, ENV)
    yield s
    s.stop()


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server.base, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def admin(http) -> dict[str, str]:
    home = fresh_ip()
    r = http.post("/api/staff/login", json={"username": ADMIN, "password": ADMIN_PASSWORD}, headers=ip(home))
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}", **ip(home)}


def start_chat(http, address: str) -> tuple[str, dict[str, str]]:
    r = http.post("/api/conversations", headers=ip(address))
    assert r.status_code == 201, r.text
    body = r.json()
    return body["conversation_id"], {"Authorization": f"Bearer {body['token']}", **ip(address)}


def say(http, cid: str, auth: dict, text: str) -> httpx.Response:
    return http.post(f"/api/conversations/{cid}/messages?stream=false", json={"text": text}, headers=auth)


def database(server) -> Path:
    found = list(server.home.glob("shops/*/shoptalk.db"))
    assert len(found) == 1, found
    return found[0]


def rows(server, sql: str) -> list[tuple]:
    with sqlite3.connect(f"file:{database(server)}?mode=ro", uri=True) as conn:
        return conn.execute(sql).fetchall()


# -- critical: chatting as a real customer -----------------------------------------------------
def test_pages_offer_no_customer_to_impersonate(http):
    config = http.get("/config").text
    for who in ("C1", "C2", "Ana Trail", "Ben Skin"):
        assert f'"{who}"' not in config and who not in config.replace('"C1"', ""), who


def test_a_raw_queue_call_cannot_start_a_signed_in_chat(http, server):
    session = "probe-session-1"
    joined = http.post(
        "/gradio_api/queue/join",
        json={"data": ["C1"], "fn_index": 0, "session_hash": session, "event_data": None, "trigger_id": None},
    )
    if joined.status_code == 200:  # drain the event's stream so the handler has run
        with http.stream("GET", f"/gradio_api/queue/data?session_hash={session}", timeout=60) as stream:
            for line in stream.iter_lines():
                if "process_completed" in line or "close_stream" in line:
                    break
    signed_in = rows(server, "SELECT id, customer_id FROM conversations WHERE customer_id IS NOT NULL")
    assert signed_in == []


def test_the_api_starts_signed_in_chats_only_for_the_shop_backend(http):
    address = fresh_ip()
    refused = http.post("/api/conversations", json={"customer_id": "C1"}, headers=ip(address))
    assert refused.status_code == 403
    vouched = http.post(
        "/api/conversations", json={"customer_id": "C1"}, headers={"X-Shop-Key": SHOP_KEY, **ip(address)}
    )
    assert vouched.status_code == 201


# -- high: nothing for the staff in browser storage -----------------------------------------
def test_staff_pages_keep_no_credentials_in_the_browser(http):
    for page in ("/console", "/analytics", "/"):
        config = http.get("/config", params={"page": page}).text
        assert "browser_state" not in config.lower() and "browserstate" not in config.lower()
        assert "shoptalk-staff-session" not in config
    info = http.get("/gradio_api/info").text.lower()
    for private in ("login", "logout", "claim", "reply", "analytics", "audit"):
        assert private not in info, f"staff event {private!r} is listed in the public API info"


# -- high: staff lockout and username probing -----------------------------------------------
def _login(http, username: str, password: str, address: str) -> httpx.Response:
    return http.post(
        "/api/staff/login", json={"username": username, "password": password}, headers=ip(address)
    )


def test_failed_logins_from_elsewhere_never_lock_out_the_real_agent(http):
    usual = fresh_ip()
    assert _login(http, AGENT, AGENT_PASSWORD, usual).status_code == 200  # the agent's own address
    attacker = fresh_ip()
    answers = [_login(http, AGENT, f"guess-{i}", attacker).status_code for i in range(15)]
    assert set(answers) <= {401, 429} and answers[-1] == 429, answers  # the attacker is slowed down
    throttled = _login(http, AGENT, f"guess-{99}", attacker)
    assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) >= 1
    # ...many addresses at once exhaust the account's own budget for unknown addresses...
    for i in range(40):
        _login(http, AGENT, f"spray-{i}", fresh_ip())
    assert _login(http, AGENT, "spray-last", fresh_ip()).status_code == 429
    # ...and still the agent, from the usual address, logs straight in.
    assert _login(http, AGENT, AGENT_PASSWORD, usual).status_code == 200


def test_unknown_and_known_usernames_answer_alike(http):
    known, unknown = [], []
    for _ in range(4):
        for name, bucket in ((ADMIN, known), ("no-such-user", unknown)):
            t0 = time.perf_counter()
            r = _login(http, name, "not-the-password", fresh_ip())
            bucket.append((time.perf_counter() - t0, r.status_code, r.json()["error"]["message"]))
    assert {(s, m) for _, s, m in known} == {(s, m) for _, s, m in unknown}
    fast_known = statistics.median(t for t, _, _ in known)
    fast_unknown = statistics.median(t for t, _, _ in unknown)
    assert 0.5 < fast_known / fast_unknown < 2.0, (fast_known, fast_unknown)  # both pay for one hash


def test_login_audit_rows_name_the_client_and_are_throttled(http, admin):
    attacker = fresh_ip()
    for i in range(25):
        _login(http, "root", f"wrong-{i}", attacker)
    log = http.get("/api/admin/audit", params={"limit": 1000}, headers=admin).json()
    mine = [row for row in log if attacker in json.dumps(row)]
    assert mine, "failed logins must be audited with the client address"
    assert len(mine) <= 12, (
        f"{len(mine)} audit rows for 25 attempts: throttled attempts must not flood the log"
    )


def test_demo_passwords_are_refused_under_production_rules(http, admin):
    r = http.post(
        "/api/admin/staff",
        json={"username": "demo2", "password": "agent-demo", "role": "agent"},
        headers=admin,
    )
    assert r.status_code == 400
    weak = http.post(
        "/api/admin/staff", json={"username": "weak1", "password": "aaaaaaaa", "role": "agent"}, headers=admin
    )
    assert weak.status_code == 400


def test_an_admin_can_disable_an_account_and_end_its_sessions(http, admin):
    created = http.post(
        "/api/admin/staff",
        json={"username": "temp1", "password": "Copper-Lantern-Mist-88", "role": "agent"},
        headers=admin,
    )
    assert created.status_code == 201, created.text
    login = _login(http, "temp1", "Copper-Lantern-Mist-88", fresh_ip())
    token = {"Authorization": f"Bearer {login.json()['token']}"}
    assert http.get("/api/staff/queue", headers=token).status_code == 200
    assert http.post("/api/admin/staff/temp1/disable", headers=admin).status_code == 200
    assert http.get("/api/staff/queue", headers=token).status_code == 401
    assert _login(http, "temp1", "Copper-Lantern-Mist-88", fresh_ip()).status_code in (401, 403)


# -- high: click fraud ------------------------------------------------------------------------
def test_a_click_burst_bills_nothing(http, admin, server):
    before = http.get("/api/admin/analytics", headers=admin).json()["ads"]
    attacker, clicks = fresh_ip(), 0
    for _ in range(8):
        cid, auth = start_chat(http, attacker)
        reply = say(http, cid, auth, "Can you recommend something for me?")
        assert reply.status_code == 200, reply.text
        for message in reply.json()["messages"]:
            for ad in message.get("ads") or []:
                r = http.post(f"/api/conversations/{cid}/ads/{ad['impression_id']}/click", headers=auth)
                clicks += r.status_code == 200
    assert clicks >= 4, "the probe needs sponsored results to click"
    after = http.get("/api/admin/analytics", headers=admin).json()["ads"]
    assert after["clicks"] == before["clicks"], "invalid clicks were billed"
    spent = rows(server, "SELECT COALESCE(SUM(cost), 0) FROM ad_clicks")[0][0]
    assert spent == 0


# -- medium: rate limits, a bounded turn queue ---------------------------------------------
def test_starting_chats_is_rate_limited_per_address(http):
    address = fresh_ip()
    codes = [http.post("/api/conversations", headers=ip(address)).status_code for _ in range(25)]
    assert codes.count(201) == 20 and codes[-1] == 429, codes
    r = http.post("/api/conversations", headers=ip(address))
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    assert http.post("/api/conversations", headers=ip(fresh_ip())).status_code == 201  # others unaffected


def test_messages_are_rate_limited_per_conversation(http):
    cid, auth = start_chat(http, fresh_ip())
    codes = [say(http, cid, auth, f"hello {i}").status_code for i in range(14)]
    assert codes[:12] == [200] * 12 and codes[-1] == 429, codes


def test_a_burst_of_questions_leaves_health_and_staff_responsive(http, admin):
    chats = [start_chat(http, fresh_ip()) for _ in range(40)]
    results: list[int] = []

    def ask(cid, auth):
        results.append(say(http, cid, auth, "waterproof trail shoes?").status_code)

    threads = [threading.Thread(target=ask, args=c) for c in chats]
    for t in threads:
        t.start()
    t0 = time.perf_counter()
    assert http.get("/healthz", timeout=10).status_code == 200
    assert http.get("/api/staff/queue", headers=admin, timeout=10).status_code == 200
    responsive = time.perf_counter() - t0
    for t in threads:
        t.join(timeout=120)
    assert set(results) <= {200, 503}, results  # a full turn queue says so at once (503), never hangs
    assert responsive < 10


# -- medium: poisoning recommendations and analytics -----------------------------------------
def test_purchases_come_only_from_the_shop_backend(http):
    cid, auth = start_chat(http, fresh_ip())
    event = {"events": [{"event": "purchase", "item_id": "S2"}]}
    assert http.post(f"/api/conversations/{cid}/events", json=event, headers=auth).status_code == 403
    vouched = http.post(
        f"/api/conversations/{cid}/events", json=event, headers={**auth, "X-Shop-Key": SHOP_KEY}
    )
    assert vouched.status_code == 200 and vouched.json()["recorded"] == 1


def test_one_chat_cannot_pile_carts_on_a_product(http):
    address = fresh_ip()
    cid, auth = start_chat(http, address)
    carts = {"events": [{"event": "add_to_cart", "item_id": "B4"}] * 100}
    first = http.post(f"/api/conversations/{cid}/events", json=carts, headers=auth)
    assert first.status_code == 200 and first.json()["recorded"] == 3  # the rest are dropped
    again = http.post(f"/api/conversations/{cid}/events", json=carts, headers=auth)
    assert again.status_code == 429  # 200 events in a minute from one address


def test_csat_only_after_an_answer(http):
    cid, auth = start_chat(http, fresh_ip())
    assert http.post(f"/api/conversations/{cid}/csat", json={"score": 1}, headers=auth).status_code == 409
    assert say(http, cid, auth, "what is your return policy?").status_code == 200
    assert http.post(f"/api/conversations/{cid}/csat", json={"score": 5}, headers=auth).status_code == 200


# -- medium: card numbers, uploads --------------------------------------------------------------
def test_card_numbers_never_reach_stored_events(http, admin, server):
    cid, auth = start_chat(http, fresh_ip())
    event = {"events": [{"event": "search", "query": "gift card 4111 1111 1111 1111"}]}
    assert http.post(f"/api/conversations/{cid}/events", json=event, headers=auth).status_code == 200
    detail = http.get(f"/api/staff/conversations/{cid}", headers=admin).json()
    # "4111 1111", not "4111": a stored timestamp such as 1764...079.411194 holds "4111" by chance
    assert "4111 1111" not in json.dumps(detail["behaviour"]) and "4111 1111" not in json.dumps(
        detail["profile"]
    )
    assert not rows(server, "SELECT * FROM events WHERE query LIKE '%4111 1111%'")


def test_uploads_are_refused(http):
    r = http.post("/gradio_api/upload", files={"files": ("big.bin", b"\0" * 2_000_000)})
    assert r.status_code in (403, 413)
    assert http.post("/upload", files={"files": ("x.txt", b"x")}).status_code in (403, 404, 405)


# -- low: bounds, CORS, headers, slow clients ------------------------------------------------
def test_numeric_parameters_are_bounded(http):
    cid, auth = start_chat(http, fresh_ip())
    r = http.get(f"/api/conversations/{cid}", params={"after": "1" * 23}, headers=auth)
    assert r.status_code == 422
    r = http.post(f"/api/conversations/{cid}/feedback", json={"message_id": 10**30, "value": 1}, headers=auth)
    assert r.status_code in (404, 422)


def test_cors_allows_only_the_listed_origins(http):
    evil = http.get("/healthz", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in evil.headers
    assert "access-control-allow-credentials" not in evil.headers
    preflight = http.options(
        "/api/conversations",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 403 and "access-control-allow-origin" not in preflight.headers
    good = http.options(
        "/api/conversations", headers={"Origin": ALLOWED_ORIGIN, "Access-Control-Request-Method": "POST"}
    )
    assert good.status_code == 204 and good.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    page = http.get("/config", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in page.headers


@pytest.mark.parametrize("path", ["/", "/console", "/analytics", "/docs", "/healthz", "/api/nothing-here"])
def test_every_page_sends_security_headers(http, path):
    headers = http.get(path).headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def test_a_slow_client_is_cut_off(server):
    port = int(server.base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=15) as s:
        s.sendall(
            b"POST /api/conversations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 100\r\n\r\n{"
        )
        t0 = time.monotonic()
        answer = s.recv(4096)
        waited = time.monotonic() - t0
    assert b" 408 " in answer.split(b"\r\n", 1)[0] and waited < 10


def test_a_client_trickling_its_headers_is_cut_off(server):
    port = int(server.base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=15) as s:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # ...and the rest never comes
        t0 = time.monotonic()
        closed = s.recv(4096) == b""
        waited = time.monotonic() - t0
    assert closed and waited < 10


def test_shopper_tokens_from_another_conversation_still_get_404(http):
    cid, _ = start_chat(http, fresh_ip())
    _, other = start_chat(http, fresh_ip())
    assert http.get(f"/api/conversations/{cid}", headers=other).status_code == 404


# -- a server with production rules and no configured passwords --------------------------------
def test_a_production_server_creates_no_demo_accounts(tmp_path):
    s = start_server(tmp_path, MINI_SHOP, {"SHOPTALK_LLM": "fake", "SHOPTALK_PRODUCTION": "1"}, "--api-only")
    try:
        with httpx.Client(base_url=s.base, timeout=30) as client:
            for user, password in (("admin", "admin-demo"), ("agent", "agent-demo")):
                r = client.post("/api/staff/login", json={"username": user, "password": password})
                assert r.status_code == 401, r.text
    finally:
        s.stop()
