"""Abuse limits shared by every adapter: rate limits per client address and per conversation,
a bounded bot-turn queue, and the client address itself.

Design decisions:

* Limits live in the core, not in the HTTP layer, because the Gradio pages and the HTTP API
  are two doors into the same ``ChatService``: a limit only one of them checks is no limit.
  Adapters say who is asking (the client address they resolved) and which bucket the action
  belongs to; ``Throttle.hit`` answers by raising ``RateLimited`` with a retry time, which the
  API turns into 429 + ``Retry-After`` and the pages into a warning.
* Sliding windows kept in memory, per process. That is what one ShopTalk process needs and
  costs nothing per request; several workers behind a load balancer each keep their own
  counts, so a client gets at most ``workers x`` the limit (docs/security.md says so). Memory
  is bounded: keys whose windows are empty are pruned, and past ``max_keys`` the oldest keys
  are dropped (an attacker cycling addresses only forgets their own old counts).
* Every limit is a setting (``SHOPTALK_RATE_*``, read by ``Settings``) in the form
  ``COUNT/SECONDS``, so an operator or a load test can raise it; ``0/...`` turns one off.
* Client addresses are kept only as a keyed hash (``client_tag``) wherever they are stored
  (audit rows keep the address itself: staff logins are the staff's own data).
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from retrieval import ConfigError, InputError, ShopTalkError


class RateLimited(InputError):
    """Too many requests of one kind from one client (HTTP 429, with ``retry_after`` seconds)."""

    def __init__(self, message: str, retry_after: float):
        super().__init__(message)
        self.retry_after = max(1, math.ceil(retry_after))


class Busy(ShopTalkError):
    """The service is at capacity right now (HTTP 503, with ``retry_after`` seconds)."""

    def __init__(self, message: str, retry_after: float = 5):
        super().__init__(message)
        self.retry_after = max(1, math.ceil(retry_after))


@dataclass(frozen=True)
class Rate:
    """At most ``count`` events per ``seconds``; ``count == 0`` means unlimited."""

    count: int
    seconds: float

    @classmethod
    def parse(cls, text: str, name: str = "rate") -> Rate:
        raw = str(text).strip().lower().replace(" ", "")
        count, sep, per = raw.partition("/")
        units = {
            "s": 1,
            "sec": 1,
            "second": 1,
            "m": 60,
            "min": 60,
            "minute": 60,
            "h": 3600,
            "hour": 3600,
            "d": 86400,
            "day": 86400,
        }
        try:
            seconds = float(units[per]) if per in units else float(per)
            rate = cls(int(count), seconds)
        except (ValueError, KeyError):
            raise ConfigError(
                f"{name}={text!r} is not a rate; write COUNT/SECONDS, e.g. 20/60 or 20/min"
            ) from None
        if not sep or rate.count < 0 or rate.seconds <= 0:
            raise ConfigError(f"{name}={text!r} is not a rate; write COUNT/SECONDS, e.g. 20/60 or 20/min")
        return rate

    @property
    def unlimited(self) -> bool:
        return self.count == 0

    def __str__(self) -> str:
        return f"{self.count}/{self.seconds:g}"


# What each bucket protects, and its default: generous for a person, tight for a script.
DEFAULT_RATES: dict[str, str] = {
    "start": "20/60",  # new conversations per address (each page load of the chat starts one)
    "message": "30/60",  # shopper messages per address
    "message_conversation": "12/60",  # shopper messages per conversation
    "events": "120/60",  # behaviour events per address (a request of 100 counts 100)
    "click": "30/60",  # ad clicks per address
    "csat": "10/60",  # ratings and like/dislike per address
    "login": "10/300",  # failed staff logins per address before backoff
    "login_account": "30/3600",  # failed logins per account (all addresses) before backoff
}
RATE_ENV = {bucket: f"SHOPTALK_RATE_{bucket.upper()}" for bucket in DEFAULT_RATES}


@dataclass(frozen=True)
class Limits:
    """Every abuse limit, resolved once by ``Settings``."""

    rates: Mapping[str, Rate] = field(
        default_factory=lambda: {k: Rate.parse(v) for k, v in DEFAULT_RATES.items()}
    )
    turn_queue: int = 32  # bot turns allowed to wait for a turn slot before new ones get 503

    @classmethod
    def from_env(cls, env: Callable[[str], str | None], turn_queue: int = 32) -> Limits:
        rates = {
            b: Rate.parse(env(RATE_ENV[b]) or default, RATE_ENV[b]) for b, default in DEFAULT_RATES.items()
        }
        if turn_queue < 1:
            raise ConfigError(f"SHOPTALK_TURN_QUEUE={turn_queue} must be at least 1")
        return cls(rates, turn_queue)

    @classmethod
    def unlimited(cls, turn_queue: int = 10_000) -> Limits:
        """No rate limits (tests and benchmarks that drive one service hard from one process)."""
        return cls({b: Rate(0, 60) for b in DEFAULT_RATES}, turn_queue)


_ACTIONS = {
    "start": "new chats",
    "message": "messages",
    "message_conversation": "messages in this chat",
    "events": "behaviour events",
    "click": "ad clicks",
    "csat": "ratings",
    "login": "failed logins",
    "login_account": "failed logins for this account",
}


def _limited(bucket: str, wait: float) -> RateLimited:
    return RateLimited(
        f"Too many {_ACTIONS.get(bucket, bucket)} from you; try again in {math.ceil(wait)} s", wait
    )


class Throttle:
    """Sliding-window counters per (bucket, key); thread-safe; bounded memory."""

    def __init__(
        self,
        limits: Limits | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
    ):
        self.limits = limits or Limits()
        self.clock = clock
        self.max_keys = max_keys
        self._hits: OrderedDict[tuple[str, str], deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _rate(self, bucket: str) -> Rate:
        try:
            return self.limits.rates[bucket]
        except KeyError:
            raise ConfigError(
                f"Unknown rate-limit bucket {bucket!r}; choose one of: {', '.join(sorted(self.limits.rates))}"
            ) from None

    def _window(self, bucket: str, key: str, now: float, rate: Rate) -> deque[float]:
        window = self._hits.get((bucket, key))
        if window is None:
            window = self._hits[(bucket, key)] = deque()
            if len(self._hits) > self.max_keys:
                self._hits.popitem(last=False)
        else:
            self._hits.move_to_end((bucket, key))
        while window and window[0] <= now - rate.seconds:
            window.popleft()
        return window

    def wait(self, bucket: str, key: str) -> float:
        """Seconds until ``key`` may act again in ``bucket`` (0 if now)."""
        rate = self._rate(bucket)
        if rate.unlimited or not key:
            return 0.0
        now = self.clock()
        with self._lock:
            window = self._window(bucket, key, now, rate)
            return 0.0 if len(window) < rate.count else window[0] + rate.seconds - now

    def check(self, bucket: str, key: str) -> None:
        """Raise ``RateLimited`` if ``key`` is over the limit, without counting anything."""
        if (wait := self.wait(bucket, key)) > 0:
            raise _limited(bucket, wait)

    def count(self, bucket: str, key: str) -> None:
        """Count one event for ``key`` (used after the fact, e.g. a failed login)."""
        rate = self._rate(bucket)
        if rate.unlimited or not key:
            return
        now = self.clock()
        with self._lock:
            self._window(bucket, key, now, rate).append(now)

    def hit(self, bucket: str, *keys: str, cost: int = 1) -> None:
        """Check every key against ``bucket`` and count ``cost`` events for all of them, or raise
        (counting nothing)."""
        rate = self._rate(bucket)
        if rate.unlimited or cost <= 0:
            return
        now = self.clock()
        with self._lock:
            windows = [self._window(bucket, k, now, rate) for k in keys if k]
            full = [w for w in windows if len(w) + cost > rate.count]
            if full:
                # Wait until enough of the oldest entries leave the window to make room for ``cost``.
                wait = max(
                    (w[len(w) + cost - rate.count - 1] if cost <= rate.count else now) + rate.seconds - now
                    for w in full
                )
                raise _limited(bucket, wait)
            for w in windows:
                w.extend([now] * cost)

    def reset(self, bucket: str, keys: Iterable[str]) -> None:
        with self._lock:
            for k in keys:
                self._hits.pop((bucket, k), None)


class TurnQueue:
    """Admission for bot turns: ``running`` may run, ``waiting`` more may queue, the rest get ``Busy``.

    A full queue answers at once instead of parking one more request thread on a semaphore,
    so a burst from one client cannot hold the server's threads for minutes.
    """

    def __init__(self, running: int, waiting: int):
        self.slots = threading.BoundedSemaphore(max(1, running))
        self.capacity = max(1, running) + max(0, waiting)
        self._admitted = 0
        self._lock = threading.Lock()

    def admit(self) -> None:
        with self._lock:
            if self._admitted >= self.capacity:
                raise Busy(
                    "The assistant is busy with other shoppers right now; please try again in a moment",
                    retry_after=10,
                )
            self._admitted += 1

    def release(self) -> None:
        with self._lock:
            self._admitted = max(0, self._admitted - 1)

    @property
    def admitted(self) -> int:
        return self._admitted


def client_tag(address: str | None) -> str | None:
    """A short, stable, non-reversible tag for a client address (what stores keep)."""
    if not address:
        return None
    return hashlib.sha256(f"shoptalk-client:{address}".encode()).hexdigest()[:16]


LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


def is_loopback(host: str) -> bool:
    """True for an interface only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class ClientResolver:
    """The client's address: the socket peer, or a trusted reverse proxy's header.

    The header (``SHOPTALK_TRUSTED_PROXY_HEADER``, e.g. ``X-Forwarded-For``) is honoured only
    when the direct peer is one of ``proxies`` (``SHOPTALK_TRUSTED_PROXIES``, default loopback),
    and its right-most entry is taken: the one the trusted proxy itself appended. Without a
    configured header, a client cannot choose its own address by sending one.
    """

    header: str | None = None
    proxies: tuple[str, ...] = ("127.0.0.1", "::1")

    def resolve(self, peer: str | None, headers: Mapping[str, str]) -> str:
        peer = peer or "unknown"
        if not self.header or not self._trusted(peer):
            return peer
        value = headers.get(self.header.lower()) or headers.get(self.header)
        if not value:
            return peer
        last = value.split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(last))
        except ValueError:
            return peer

    def _trusted(self, peer: str) -> bool:
        try:
            address = ipaddress.ip_address(peer)
        except ValueError:
            return peer in self.proxies
        for entry in self.proxies:
            try:
                if address in ipaddress.ip_network(entry, strict=False):
                    return True
            except ValueError:
                continue
        return False
