"""The handoff state machine under random interleavings, sequential and with real threads.

A fast fake assistant stands in for the engine (the state machine does not depend on what the
bot says). Each run drives shopper messages, claims by two agents, staff replies, hand-backs,
resolves and "talk to a person" presses, then checks the invariants on what the store kept:

* no bot message while the conversation was waiting/human (or resolved);
* staff messages only from the assignee while status was human; no two assignees per claim;
* the transition history is one consistent chain and nothing leaves resolved;
* every message an actor was shown as committed is in the log, in order.
"""

from __future__ import annotations

import itertools
import random
import threading
import time

import pytest
from chat_kit import FAST_HASH, STAFF

from bot._chat import ChatService
from bot._errors import ConflictError
from bot.assistant import ConversationState, Delta, HandoffDecision, Reply, Routed
from bot.conversations import MemoryConversationStore, Saved, SqlConversationStore
from bot.safety import Limits
from retrieval import InputError, Shop


class _Routes:
    def staff_summary(self, state, text, reason, detail):
        return f"{reason}: {text}"


class FakeAssistant:
    """Answers instantly; 'human' in the text escalates; can pause mid-turn to open a race window."""

    def __init__(self, pause: float = 0.0):
        self.shop = Shop(root="fake")
        self.routes = _Routes()
        self.pause = pause

    def new_state(self, session):
        return ConversationState(session)

    def stream(self, state, text):
        state.turns += 1
        if self.pause:
            time.sleep(self.pause)
        if "human" in text:
            yield Routed("handoff", 1.0)
            yield Delta("Connecting you.")
            yield Reply(
                "Connecting you.",
                "handoff",
                escalated=True,
                handoff=HandoffDecision("requested", f"requested: {text}"),
            )
            return
        yield Routed("greeting", 1.0)
        yield Delta(f"echo {state.turns}")
        yield Reply(f"echo {state.turns}", "greeting")


class Clock:
    """Strictly increasing time shared by all threads: every store write has its own instant."""

    def __init__(self):
        self._next = itertools.count(1)
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return 1_000_000.0 + next(self._next) / 1000


def make(kind, database_url, pause=0.0) -> ChatService:
    from bot.staff import MemoryStaffStore, SqlStaffStore, StaffDirectory

    if kind == "memory":
        store, staff_store = MemoryConversationStore(), MemoryStaffStore()
    else:
        from recsys import Database

        db = Database(database_url(kind))
        store, staff_store = SqlConversationStore(db), SqlStaffStore(db)
    clock = Clock()
    # Unlimited: the racing threads are one "client" posting far faster than a person would.
    chat = ChatService(
        store,
        FakeAssistant(pause),
        directory=StaffDirectory(staff_store, hasher=FAST_HASH, clock=clock),
        clock=clock,
        limits=Limits.unlimited(),
    )
    chat.staff.directory.ensure_defaults(STAFF)
    return chat


ACTIONS = (
    "say",
    "say",
    "say",
    "say_human",
    "press_human",
    "claim",
    "claim",
    "reply",
    "reply",
    "hand_back",
    "resolve",
    "end",
)


def act(chat, token, cid, sessions, action, agent, seen, rng):
    """One action; records every message the caller was shown as committed."""
    s = sessions[agent]
    try:
        if action in ("say", "say_human"):
            text = f"{'human ' if action == 'say_human' else ''}msg {rng.random():.6f}"
            for ev in chat.post(token, text):
                if isinstance(ev, Saved):
                    seen.append(ev.message)
        elif action == "press_human":
            chat.request_human(token)
        elif action == "claim":
            chat.staff.claim(s, cid)
        elif action == "reply":
            seen.append(chat.staff.reply(s, cid, f"staff {agent} {rng.random():.6f}"))
        elif action == "hand_back":
            chat.staff.hand_back(s, cid)
        elif action == "resolve":
            chat.staff.resolve(s, cid)
        elif action == "end":
            chat.end(token)
    except ConflictError:
        pass  # refused by the state machine: allowed, and checked by the invariants below
    except InputError as exc:
        raise AssertionError(f"unexpected input error for {action}: {exc}") from exc


def check_invariants(chat, cid, seen_by_actor):
    log = chat.store.messages(cid)
    assert [m.id for m in log] == sorted(m.id for m in log)
    # Replay in commit order. Every write is one atomic change with its own instant (the test
    # clock), and every transition writes at least one message in its change, so message ids
    # order the changes; a change's messages were written under the status it found.
    pending = {t.at: t for t in chat.store.transitions(cid)}
    status, assignee = "bot", None
    for _, group in itertools.groupby(log, key=lambda m: m.created_at):
        group = list(group)
        for m in group:
            if m.role == "bot":
                assert status == "bot", f"bot message {m.id} while {status}"
            if m.role == "staff":
                assert status == "human" and m.author == assignee, (
                    f"staff message {m.id} by {m.author} while {status} (assignee {assignee})"
                )
            if m.role == "shopper":
                assert status != "resolved", f"shopper message {m.id} after resolve"
        t = pending.pop(group[0].created_at, None)
        if t is not None:
            status, assignee = _step(status, assignee, t)
    assert not pending, f"transitions without their change's messages: {list(pending.values())}"
    assert status == chat.store.get(cid).status
    kept = {m.id: m for m in log}
    for seen in seen_by_actor:
        assert [m.id for m in seen] == sorted(m.id for m in seen)  # each actor saw them in order
        for m in seen:
            assert m.id in kept and kept[m.id].text == m.text and kept[m.id].role == m.role


def _step(status, assignee, t):
    assert t.from_status == status, f"history jumps from {status} but records {t.from_status}"
    assert status != "resolved", "transition out of resolved"
    allowed = {
        ("bot", "waiting"),
        ("waiting", "human"),
        ("human", "bot"),
        ("bot", "resolved"),
        ("waiting", "resolved"),
        ("human", "resolved"),
    }
    assert (t.from_status, t.to_status) in allowed, f"illegal {t.from_status} -> {t.to_status}"
    if t.to_status == "human":
        assert assignee is None, "claimed while someone held it"
        return "human", t.actor
    if status == "human" and t.to_status == "bot":
        assert t.actor == assignee, "hand-back by someone else"
    return t.to_status, None


@pytest.mark.parametrize("kind", ["memory", "sqlite", "postgresql"])
def test_300_seeded_random_sequences_keep_the_invariants(kind, database_url):
    chat = make(kind, database_url)
    sessions = {name: chat.staff.login(name, pw) for name, pw, _ in STAFF}
    agents = ("agent", "agent2", "admin")
    for seed in range(300):
        rng = random.Random(seed)
        started = chat.start()
        seen: list = []
        for _ in range(rng.randint(4, 16)):
            act(
                chat,
                started.token,
                started.conversation.id,
                sessions,
                rng.choice(ACTIONS),
                rng.choice(agents),
                seen,
                rng,
            )
        check_invariants(chat, started.conversation.id, [seen])


@pytest.mark.parametrize("kind", ["memory", "sqlite", "postgresql"])
def test_real_threads_racing_on_shared_conversations(kind, database_url):
    chat = make(kind, database_url, pause=0.002)  # a slow bot turn widens the claim-vs-reply window
    sessions = {name: chat.staff.login(name, pw) for name, pw, _ in STAFF}
    for seed in range(12):
        started = chat.start()
        cid, token = started.conversation.id, started.token
        barrier = threading.Barrier(4)
        seen_by: dict[str, list] = {}
        errors: list = []

        def run(
            actor, actions, seed=seed, token=token, cid=cid, barrier=barrier, seen_by=seen_by, errors=errors
        ):
            rng = random.Random(f"{seed}-{actor}")
            seen = seen_by.setdefault(actor, [])
            barrier.wait()
            try:
                for _ in range(15):
                    act(
                        chat,
                        token,
                        cid,
                        sessions,
                        rng.choice(actions),
                        actor if actor in sessions else "agent",
                        seen,
                        rng,
                    )
            except BaseException as exc:  # surfaced in the main thread below
                errors.append(exc)

        shopper_actions = ("say", "say", "say", "say_human", "press_human")
        staff_actions = ("claim", "reply", "reply", "hand_back", "resolve", "claim")
        threads = [
            threading.Thread(target=run, args=("shopper", shopper_actions)),
            threading.Thread(target=run, args=("shopper2", ("say", "say_human"))),
            threading.Thread(target=run, args=("agent", staff_actions)),
            threading.Thread(target=run, args=("agent2", staff_actions)),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert not errors, errors
        check_invariants(chat, cid, list(seen_by.values()))


@pytest.mark.parametrize("kind", ["memory", "sqlite", "postgresql"])
def test_a_claim_during_a_bot_turn_discards_the_bot_reply(kind, database_url):
    chat = make(kind, database_url)
    agent = chat.staff.login("agent", "agent-demo")
    started = chat.start()
    cid = started.conversation.id
    list(chat.post(started.token, "human please"))  # -> waiting
    chat.staff.hand_back(chat.staff.claim(agent, cid) and agent, cid)  # -> bot again
    gate, release = threading.Event(), threading.Event()
    real = chat.assistant.stream

    def slow(state, text):
        gate.set()
        release.wait(5)
        yield from real(state, text)

    chat.assistant.stream = slow
    events: list = []
    worker = threading.Thread(target=lambda: events.extend(chat.post(started.token, "hello?")))
    worker.start()
    gate.wait(5)
    chat.request_human(started.token)
    chat.staff.claim(agent, cid)
    release.set()
    worker.join(10)
    assert [type(e).__name__ for e in events] == ["Saved", "Queued"] and events[1].status == "human"
    assert [m.role for m in chat.store.messages(cid)][-1] != "bot"
    assert all(m.text != "echo 3" for m in chat.store.messages(cid))
