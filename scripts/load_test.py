"""Load test: N simulated shoppers chatting over the HTTP API at once, on loopback only.

    python scripts/load_test.py --base-url http://127.0.0.1:7860 --shoppers 1,10,30 --turns 3
    python scripts/load_test.py --shop data/demo_shop --llm fake --shoppers 1,10,30 --turns 3

Without ``--base-url`` it starts ``shoptalk serve --api-only`` itself on a free port, with
``SHOPTALK_HOME`` in a temporary directory (or ``--home``), and stops it at the end.

Each shopper opens a conversation and sends ``--turns`` messages, one after the other, over
the SSE endpoint; for every turn it measures the time to the first ``token`` event (what the
shopper waits before text appears) and to ``done`` (the full turn, committed); a bystander polls
its own conversation meanwhile, to show reads do not queue behind the bot. All shoppers of
one level start together (a barrier), so N = 30 means 30 requests in flight. Prints a table
and, with ``--json``, writes the figures as one JSON object. Time is bounded by
``--timeout`` per request and ``--max-seconds`` per level.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import ServerProcess, capacity_env  # noqa: E402

QUESTIONS = [
    "waterproof trail running shoes under $100",
    "do you have a headlamp for running?",
    "what is your return policy?",
    "how long does shipping take?",
    "what would you recommend for me?",
    "moisturizer for sensitive skin",
    "cheaper ones?",
    "a tent for two people",
    "do you ship internationally?",
    "yoga mat that is not slippery",
]


@dataclass
class Turn:
    first_token_s: float | None
    full_s: float
    ok: bool
    error: str = ""


@dataclass
class Level:
    shoppers: int
    turns: list[Turn] = field(default_factory=list)
    reads: list[float] = field(default_factory=list)  # a bystander's polling latency meanwhile
    wall_s: float = 0.0

    def summary(self) -> dict:
        ok = [t for t in self.turns if t.ok]
        full = sorted(t.full_s for t in ok)
        first = sorted(t.first_token_s for t in ok if t.first_token_s is not None)
        errors: dict[str, int] = {}
        for t in self.turns:
            if not t.ok:
                errors[t.error] = errors.get(t.error, 0) + 1
        return {
            "shoppers": self.shoppers,
            "turns": len(self.turns),
            "ok": len(ok),
            "errors": sum(errors.values()),
            "error_kinds": errors,
            "p50_full_s": pct(full, 50),
            "p95_full_s": pct(full, 95),
            "p50_first_token_s": pct(first, 50),
            "p95_first_token_s": pct(first, 95),
            "turns_per_s": round(len(ok) / self.wall_s, 2) if self.wall_s else None,
            "p50_read_s": pct(sorted(self.reads), 50),
            "p95_read_s": pct(sorted(self.reads), 95),
            "wall_s": round(self.wall_s, 2),
        }


def pct(values: list[float], p: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 3)
    return round(statistics.quantiles(values, n=100, method="inclusive")[p - 1], 3)


def one_turn(client: httpx.Client, url: str, headers: dict, text: str) -> Turn:
    t0 = time.perf_counter()
    first = None
    try:
        with client.stream("POST", url, json={"text": text}, headers=headers) as r:
            if r.status_code != 200:
                r.read()
                return Turn(None, time.perf_counter() - t0, False, f"http {r.status_code}")
            event = None
            for line in r.iter_lines():
                if line.startswith("event: "):
                    event = line[7:]
                    if event in ("token", "queued") and first is None:
                        first = time.perf_counter() - t0
                    if event == "error":
                        return Turn(first, time.perf_counter() - t0, False, "stream error")
                    if event == "done":
                        return Turn(first, time.perf_counter() - t0, True)
        return Turn(first, time.perf_counter() - t0, False, "no done event")
    except httpx.HTTPError as exc:
        return Turn(first, time.perf_counter() - t0, False, type(exc).__name__)


def shopper(
    base: str, turns: int, seed: int, barrier: threading.Barrier, out: list, deadline: float, timeout: float
) -> None:
    rng = random.Random(seed)
    with httpx.Client(base_url=base, timeout=timeout) as client:
        barrier.wait()
        try:
            r = client.post("/api/conversations")
            r.raise_for_status()
            started = r.json()
        except httpx.HTTPError as exc:
            out.extend(Turn(None, 0.0, False, f"start: {type(exc).__name__}") for _ in range(turns))
            return
        headers = {"Authorization": f"Bearer {started['token']}"}
        url = f"/api/conversations/{started['conversation_id']}/messages"
        for _ in range(turns):
            if time.monotonic() > deadline:
                out.append(Turn(None, 0.0, False, "level time limit"))
                continue
            out.append(one_turn(client, url, headers, rng.choice(QUESTIONS)))


def bystander(base: str, stop: threading.Event, out: list[float]) -> None:
    """Polls its own conversation while the others chat: reads must not queue behind the bot."""
    with httpx.Client(base_url=base, timeout=30) as client:
        started = client.post("/api/conversations").json()
        headers = {"Authorization": f"Bearer {started['token']}"}
        while not stop.wait(0.5):
            t0 = time.perf_counter()
            try:
                client.get(
                    f"/api/conversations/{started['conversation_id']}", headers=headers
                ).raise_for_status()
            except httpx.HTTPError:
                continue
            out.append(time.perf_counter() - t0)


def run_level(base: str, n: int, turns: int, max_seconds: float, timeout: float) -> Level:
    level, barrier = Level(n), threading.Barrier(n)
    results: list[Turn] = []
    stop = threading.Event()
    probe = threading.Thread(target=bystander, args=(base, stop, level.reads))
    probe.start()
    deadline = time.monotonic() + max_seconds
    threads = [
        threading.Thread(
            target=shopper, args=(base, turns, 1000 * n + i, barrier, results, deadline, timeout)
        )
        for i in range(n)
    ]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    level.wall_s = time.perf_counter() - t0
    stop.set()
    probe.join()
    level.turns = results
    return level


def table(rows: list[dict]) -> str:
    head = (
        "shoppers",
        "turns",
        "errors",
        "p50 full s",
        "p95 full s",
        "p50 first s",
        "p95 first s",
        "turns/s",
        "p50 read s",
        "p95 read s",
    )
    keys = (
        "shoppers",
        "turns",
        "errors",
        "p50_full_s",
        "p95_full_s",
        "p50_first_token_s",
        "p95_first_token_s",
        "turns_per_s",
        "p50_read_s",
        "p95_read_s",
    )
    lines = [" | ".join(f"{h:>11}" for h in head), "-" * (14 * len(head))]
    lines += [" | ".join(f"{'-' if r[k] is None else r[k]:>11}" for k in keys) for r in rows]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base-url", help="a running server; otherwise one is started")
    ap.add_argument("--shop", default=None, help="shop directory for the started server (default: demo shop)")
    ap.add_argument("--home", default=None, help="SHOPTALK_HOME for the started server (default: a temp dir)")
    ap.add_argument("--llm", default=None, help="SHOPTALK_LLM for the started server (bundled, fake...)")
    ap.add_argument("--shoppers", default="1,10,30", help="comma-separated concurrency levels")
    ap.add_argument("--turns", type=int, default=3, help="messages per shopper")
    ap.add_argument("--timeout", type=float, default=180.0, help="seconds per request")
    ap.add_argument("--max-seconds", type=float, default=600.0, help="per level: later turns are skipped")
    ap.add_argument("--startup-timeout", type=float, default=900.0)
    ap.add_argument("--json", dest="json_out", help="write the figures here as JSON")
    args = ap.parse_args()
    levels = [int(x) for x in args.shoppers.split(",") if x.strip()]

    server = None
    base = args.base_url
    if base is None:
        home = args.home or tempfile.mkdtemp(prefix="shoptalk-load-")
        env = {"SHOPTALK_HOME": home, **capacity_env(), **({"SHOPTALK_LLM": args.llm} if args.llm else {})}
        if args.shop:
            env["SHOPTALK_SHOP"] = str(Path(args.shop).resolve())
        server = ServerProcess(env, log_path=Path(home) / "server.log")
        print(f"starting server (home {home}) ...", file=sys.stderr)
        base = server.start(timeout=args.startup_timeout)
        print(f"server ready at {base} after {server.startup_s:.1f}s", file=sys.stderr)
    rows = []
    try:
        for n in levels:
            level = run_level(base, n, args.turns, args.max_seconds, args.timeout)
            rows.append(level.summary())
            print(f"N={n}: {rows[-1]}", file=sys.stderr)
    finally:
        if server is not None:
            server.stop()
    print(table(rows))
    report = {
        "base_url": base,
        "turns_per_shopper": args.turns,
        "levels": rows,
        "llm": args.llm or os.environ.get("SHOPTALK_LLM"),
        "startup_s": round(server.startup_s, 1) if server else None,
    }
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(report, indent=2))
    print(json.dumps(report))
    return 0 if all(r["errors"] == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
