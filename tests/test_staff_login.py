"""Staff login throttling: no hard lock, per-address and per-account limits, known addresses,
identical answers for unknown and known usernames, throttled audit rows.

A fake clock drives both the directory and its ``Throttle``; a counting hasher and a
recording store check that unknown and known usernames cost the same work.
"""

from __future__ import annotations

import hmac

import pytest
from chat_kit import FAST_HASH

from bot._errors import AuthError
from bot.safety import DEFAULT_RATES, Limits, Rate, RateLimited, Throttle
from bot.staff import MemoryStaffStore, SqlStaffStore, StaffDirectory
from bot.staff._accounts import WRONG

PW = "correct horse battery"
HOME, ATTACKER = "192.0.2.10", "203.0.113.66"  # the admin's usual address; someone else's
PER_ADDRESS, PER_ACCOUNT = 5, 8


class Clock:
    def __init__(self, now: float = 1_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


class CountingHasher:
    """Hasher stand-in that counts scrypt hashes."""

    def __init__(self) -> None:
        self.calls = 0

    def hash(self, password: str, salt: bytes) -> str:
        self.calls += 1
        return FAST_HASH.hash(password, salt)

    def verify(self, password, account) -> bool:
        return hmac.compare_digest(self.hash(password, bytes.fromhex(account.salt)), account.password_hash)


class Recording:
    """Wraps a store and records the name of every method called on it."""

    def __init__(self, store) -> None:
        self._store, self.calls = store, []

    def __getattr__(self, name):
        attr = getattr(self._store, name)
        if not callable(attr):
            return attr

        def call(*args, **kwargs):
            self.calls.append(name)
            return attr(*args, **kwargs)

        return call


def limits(per_address: int = PER_ADDRESS, per_account: int = PER_ACCOUNT) -> Limits:
    rates = {b: Rate.parse(v) for b, v in DEFAULT_RATES.items()}
    rates.update(login=Rate(per_address, 300), login_account=Rate(per_account, 3600))
    return Limits(rates)


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def setup(request, database_url):
    if request.param == "memory":
        store = MemoryStaffStore()
    else:
        from recsys import Database

        store = SqlStaffStore(Database(database_url(request.param)))
    clock = Clock()
    hasher = CountingHasher()
    directory = StaffDirectory(store, hasher=hasher, clock=clock, throttle=Throttle(limits(), clock=clock))
    directory.create("admin", PW, "admin")
    directory.create("agent", "tulip meadow river", "agent")
    return directory, store, clock, hasher


def fail(directory, username="admin", client=ATTACKER, password="guess-guess-guess"):
    with pytest.raises(AuthError, match=WRONG):
        directory.login(username, password, client=client)


def test_failures_from_another_address_never_stop_the_admin_at_a_known_address(setup):
    directory, _, _, _ = setup
    directory.login("admin", PW, client=HOME)  # HOME is now a known address for admin
    for _ in range(PER_ADDRESS):
        fail(directory)
    with pytest.raises(RateLimited):
        directory.login("admin", "guess-again", client=ATTACKER)  # the attacker's address is throttled
    assert directory.login("admin", PW, client=HOME).username == "admin"


def test_failures_from_many_addresses_bound_guesses_per_account_but_not_the_known_address(setup):
    directory, _, _, _ = setup
    directory.login("admin", PW, client=HOME)
    for i in range(PER_ACCOUNT):  # a botnet: each address stays under its own limit
        fail(directory, client=f"198.51.100.{i}")
    with pytest.raises(RateLimited) as limited:  # ...but the account's limit holds for new addresses
        directory.login("admin", PW, client="198.51.100.200")
    assert "failed logins for this account" in str(limited.value) and limited.value.retry_after > 0
    assert directory.login("admin", PW, client=HOME).username == "admin"  # the known address still gets in
    assert directory.login("agent", "tulip meadow river", client="198.51.100.200").username == "agent"


def test_throttled_attempts_raise_rate_limited_until_the_window_passes(setup):
    directory, _, clock, hasher = setup
    for _ in range(PER_ADDRESS):
        fail(directory, username="agent")
    hasher.calls = 0
    with pytest.raises(RateLimited) as limited:
        directory.login("agent", "tulip meadow river", client=ATTACKER)  # even the right password
    assert hasher.calls == 0  # throttled before any hashing
    assert 0 < limited.value.retry_after <= 300 and "failed logins" in str(limited.value)
    clock.now += 301
    assert directory.login("agent", "tulip meadow river", client=ATTACKER).username == "agent"


def test_without_an_address_only_the_account_limit_applies(setup):
    directory, _, _, _ = setup
    for _ in range(PER_ACCOUNT):
        fail(directory, username="agent", client=None)
    with pytest.raises(RateLimited):
        directory.login("agent", "tulip meadow river")


def test_unknown_and_known_usernames_get_the_same_answer_work_and_writes(setup):
    directory, store, _, hasher = setup
    recording = Recording(store)
    directory.store = recording
    seen = {}
    for name in ("admin", "nobody-here"):
        recording.calls, hasher.calls = [], 0
        with pytest.raises(AuthError) as refused:
            directory.login(name, "guess-guess-guess", client=f"192.0.2.{len(seen) + 50}")
        seen[name] = (type(refused.value), str(refused.value), hasher.calls, list(recording.calls))
    assert seen["admin"] == seen["nobody-here"]
    assert seen["admin"][2] == 1  # exactly one scrypt hash either way
    assert seen["admin"][3] == ["known_client", "staff_account", "audit"]
    rows = [r for r in store.audit_log() if r["action"] == "login_failed"]
    assert {r["actor"] for r in rows} == {"admin", "nobody-here"}


def test_unknown_and_known_usernames_are_throttled_alike(setup):
    directory, _, _, hasher = setup
    answers = {}
    for name in ("admin", "nobody-here"):
        for i in range(PER_ACCOUNT):
            fail(directory, username=name, client=f"198.51.100.{i}")
        hasher.calls = 0
        with pytest.raises(RateLimited) as limited:
            directory.login(name, "guess-guess-guess", client="198.51.100.250")
        answers[name] = (str(limited.value), limited.value.retry_after, hasher.calls)
    assert answers["admin"] == answers["nobody-here"] and answers["admin"][2] == 0


def test_every_login_audit_row_records_the_client(setup):
    directory, store, _, _ = setup
    directory.login("admin", PW, client=HOME)
    fail(directory, client=ATTACKER)
    fail(directory, username="nobody", client="2001:db8::1")
    rows = {(r["action"], r["actor"]): r["client"] for r in store.audit_log()}
    assert rows[("login", "admin")] == HOME
    assert rows[("login_failed", "admin")] == ATTACKER
    assert rows[("login_failed", "nobody")] == "2001:db8::1"


def test_throttled_attempts_write_at_most_one_audit_row_per_address_per_minute(setup):
    directory, store, clock, _ = setup
    for _ in range(PER_ADDRESS):
        fail(directory)
    for _ in range(20):
        with pytest.raises(RateLimited):
            directory.login("admin", "guess-guess-guess", client=ATTACKER)
        clock.now += 1
    throttled = [r for r in store.audit_log(1000) if r["action"] == "login_throttled"]
    assert len(throttled) == 1 and throttled[0]["client"] == ATTACKER and throttled[0]["actor"] == "admin"
    clock.now += 60
    with pytest.raises(RateLimited):
        directory.login("admin", "guess-guess-guess", client=ATTACKER)
    assert [r["action"] for r in store.audit_log(1000)].count("login_throttled") == 2


def test_known_addresses_survive_a_restart(setup):
    """Known addresses live in the store: a new directory (a restart, another worker) still
    lets the admin in from home while the account is throttled for everyone else."""
    directory, store, clock, _ = setup
    directory.login("admin", PW, client=HOME)
    fresh_throttle = Throttle(limits(), clock=clock)
    restarted = StaffDirectory(store, hasher=FAST_HASH, clock=clock, throttle=fresh_throttle)
    for i in range(PER_ACCOUNT):
        fail(restarted, client=f"198.51.100.{i}")
    with pytest.raises(RateLimited):
        restarted.login("admin", PW, client="198.51.100.99")
    assert restarted.login("admin", PW, client=HOME).username == "admin"


def test_a_success_does_not_reset_the_address_budget(setup):
    """Logging into your own account must not buy more guesses at someone else's."""
    directory, _, _, _ = setup
    for _ in range(PER_ADDRESS - 1):
        fail(directory, username="admin")
    directory.login("agent", "tulip meadow river", client=ATTACKER)
    fail(directory, username="admin")
    with pytest.raises(RateLimited):
        directory.login("admin", "guess-guess-guess", client=ATTACKER)
