"""Fault test: kill -9 the server mid-conversation, restart it, and check nothing shown was lost.

    python scripts/fault_test.py --llm fake            # demo shop, SHOPTALK_HOME in a temp dir
    python scripts/fault_test.py --shop DIR --home DIR --llm bundled

Steps (all over the HTTP API on loopback, against a real ``shoptalk serve`` subprocess):

1. conversation A chats with the bot; conversation B asks for a person (queued handoff);
   conversation C is escalated, claimed by the demo agent, who replies;
2. several shoppers keep posting in parallel, and the moment A's next shopper message is
   reported ``saved`` (committed and shown), the server gets SIGKILL, mid-traffic;
3. the server is restarted on the same home; every message any client was shown as saved is
   read back (same id, role, text, order), B is still waiting in the staff queue with its
   reason, C is still with the agent, and A accepts a new message and answers it.

Prints PASS or FAIL with the details; the exit code says which.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import ServerProcess, capacity_env  # noqa: E402


class Shopper:
    """One conversation, remembering every message the server reported as saved (shown)."""

    def __init__(self, client: httpx.Client):
        r = client.post("/api/conversations")
        r.raise_for_status()
        self.id = r.json()["conversation_id"]
        self.headers = {"Authorization": f"Bearer {r.json()['token']}"}
        self.shown: list[dict] = []
        self.lock = threading.Lock()

    def say(self, client: httpx.Client, text: str, on_saved=None) -> None:
        import json

        with client.stream(
            "POST", f"/api/conversations/{self.id}/messages", json={"text": text}, headers=self.headers
        ) as r:
            r.raise_for_status()
            event = None
            for line in r.iter_lines():
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: ") and event == "saved":
                    message = json.loads(line[6:])
                    with self.lock:
                        self.shown.append(message)
                    if on_saved:
                        on_saved(message)

    def read(self, client: httpx.Client) -> dict:
        r = client.get(f"/api/conversations/{self.id}", headers=self.headers)
        r.raise_for_status()
        return r.json()


def login(client: httpx.Client, user: str, password: str) -> dict:
    r = client.post("/api/staff/login", json={"username": user, "password": password})
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['token']}"}


def check_kept(name: str, shopper: Shopper, stored: dict, problems: list[str]) -> None:
    kept = {m["id"]: m for m in stored["messages"]}
    ids = [m["id"] for m in stored["messages"]]
    if ids != sorted(ids):
        problems.append(f"{name}: messages out of order {ids}")
    for m in shopper.shown:
        got = kept.get(m["id"])
        if got is None:
            problems.append(f"{name}: shown message {m['id']} ({m['role']}: {m['text'][:40]!r}) is missing")
        elif (got["role"], got["text"]) != (m["role"], m["text"]):
            problems.append(f"{name}: message {m['id']} changed: {got['text'][:40]!r} != {m['text'][:40]!r}")


def run(args) -> list[str]:
    home = args.home or tempfile.mkdtemp(prefix="shoptalk-fault-")
    env = {"SHOPTALK_HOME": home, **capacity_env(), **({"SHOPTALK_LLM": args.llm} if args.llm else {})}
    if args.shop:
        env["SHOPTALK_SHOP"] = str(Path(args.shop).resolve())
    server = ServerProcess(env, log_path=Path(home) / "server.log")
    base = server.start(timeout=args.startup_timeout)
    print(f"server up at {base} (home {home}) in {server.startup_s:.1f}s", file=sys.stderr)
    problems: list[str] = []
    client = httpx.Client(base_url=base, timeout=args.timeout)
    try:
        a, b, c = Shopper(client), Shopper(client), Shopper(client)
        a.say(client, "hi")
        a.say(client, "waterproof trail running shoes under $100")
        b.say(client, "do you have a tent for two people?")
        client.post(f"/api/conversations/{b.id}/human", headers=b.headers).raise_for_status()
        c.say(client, "I want to talk to a human agent please")
        agent = login(client, "agent", "agent-demo")
        client.post(f"/api/staff/conversations/{c.id}/claim", headers=agent).raise_for_status()
        reply = client.post(
            f"/api/staff/conversations/{c.id}/reply",
            json={"text": "Hi, Sam here. How can I help?"},
            headers=agent,
        )
        reply.raise_for_status()
        c.shown.append(reply.json())

        # Mid-traffic kill: background shoppers keep writing; A's next message triggers the kill
        # the moment the server reports it saved (the bot is working on the reply right then).
        crowd = [Shopper(client) for _ in range(args.crowd)]
        stop = threading.Event()

        def chatter(s: Shopper) -> None:
            with httpx.Client(base_url=base, timeout=args.timeout) as own:
                while not stop.is_set():
                    try:
                        s.say(own, "what is your return policy?")
                    except (httpx.HTTPError, httpx.StreamError):
                        return  # the server is gone: what was shown so far is what counts

        threads = [threading.Thread(target=chatter, args=(s,)) for s in crowd]
        for t in threads:
            t.start()
        time.sleep(args.warmup)
        killed = threading.Event()

        def kill_on_saved(message: dict) -> None:
            if message["role"] == "shopper" and not killed.is_set():
                killed.set()
                server.kill9()

        with contextlib.suppress(httpx.HTTPError, httpx.StreamError):  # the stream dies with the server
            a.say(client, "do you have a headlamp for running?", on_saved=kill_on_saved)
        stop.set()
        for t in threads:
            t.join(30)
        if not killed.is_set():
            problems.append("the kill was never triggered")
        print(
            f"killed -9 mid-traffic; {sum(len(s.shown) for s in (a, b, c, *crowd))} messages had been shown",
            file=sys.stderr,
        )

        server.start(timeout=args.startup_timeout)  # same home, same database
        print(f"restarted in {server.startup_s:.1f}s", file=sys.stderr)
        for name, s in (("A", a), ("B", b), ("C", c), *((f"crowd{i}", s) for i, s in enumerate(crowd))):
            check_kept(name, s, s.read(client), problems)
        admin = login(client, "admin", "admin-demo")
        queue = client.get("/api/staff/queue", headers=admin).json()
        waiting = {q["conversation_id"]: q for q in queue}
        if b.id not in waiting or waiting[b.id]["reason"] != "requested":
            problems.append(f"B's queued handoff is not in the queue: {queue}")
        detail = client.get(f"/api/staff/conversations/{c.id}", headers=admin).json()
        if (detail["conversation"]["status"], detail["conversation"]["assigned_to"]) != ("human", "agent"):
            problems.append(f"C lost its agent: {detail['conversation']}")
        before = len(a.read(client)["messages"])
        a.say(client, "thanks, and what is your return policy?")
        after = a.read(client)
        if len(after["messages"]) < before + 2 or after["messages"][-1]["role"] != "bot":
            problems.append("A does not answer after the restart")
    finally:
        client.close()
        server.stop()
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shop", default=None)
    ap.add_argument("--home", default=None)
    ap.add_argument("--llm", default=None, help="SHOPTALK_LLM for the server (fake, bundled...)")
    ap.add_argument("--crowd", type=int, default=4, help="background shoppers writing during the kill")
    ap.add_argument("--warmup", type=float, default=1.5, help="seconds of background traffic before the kill")
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--startup-timeout", type=float, default=900.0)
    args = ap.parse_args()
    t0 = time.perf_counter()
    try:
        problems = run(args)
    except (httpx.HTTPError, RuntimeError) as exc:
        problems = [f"could not run: {type(exc).__name__}: {exc}"]
    took = time.perf_counter() - t0
    if problems:
        print(f"FAIL ({took:.0f}s)")
        for p in problems:
            print(f"  - {p}")
        return 1
    print(
        f"PASS ({took:.0f}s): every shown message, the queued handoff and the claimed conversation "
        "survived kill -9; the bot answers after restart"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
