"""One contract suite for both conversation stores (SQL on SQLite and PostgreSQL, and the in-memory fake).

The staff store has its own: tests/test_staff_store.py."""

from __future__ import annotations

import threading

import pytest

from bot._schema import MIGRATIONS
from bot.conversations import (
    AdSlot,
    Change,
    Conversation,
    MemoryConversationStore,
    NewMessage,
    SqlConversationStore,
    token_hash,
)
from retrieval import InputError

CARD = "4111 1111 1111 1111"


@pytest.fixture(params=["sqlite", "postgresql", "memory"])
def store(request, database_url):
    if request.param == "memory":
        return MemoryConversationStore()
    from recsys import Database

    return SqlConversationStore(Database(database_url(request.param)))


def new(store, cid="c1", status="bot", at=100.0, token="t-"):
    conv = Conversation(cid, f"user-{cid}", None, status, at, at, state={"turns": 0})
    store.create(conv, token_hash(token + cid))
    return conv


def say(role, text="hello", **kw):
    return NewMessage(role, text, **kw)


def test_create_get_and_lookup_by_token_hash(store):
    conv = new(store)
    assert store.get("c1") == conv
    assert store.by_token(token_hash("t-c1")) == conv
    assert store.get("nope") is None and store.by_token(token_hash("nope")) is None


def test_apply_inserts_messages_and_state_only_when_the_condition_holds(store):
    new(store)
    done = store.apply(
        "c1",
        Change(
            ("bot",), "bot", messages=(say("shopper"), say("bot", "hi", route="greeting")), state={"turns": 1}
        ),
        101.0,
    )
    assert done is not None and [m.role for m in done.messages] == ["shopper", "bot"]
    assert done.messages[0].id < done.messages[1].id and done.previous == "bot"
    assert store.get("c1").state == {"turns": 1} and store.get("c1").updated_at == 101.0
    refused = store.apply(
        "c1", Change(("human",), "bot", messages=(say("bot", "late"),), state={"turns": 9}), 102.0
    )
    assert refused is None
    assert [m.text for m in store.messages("c1")] == ["hello", "hi"]
    assert store.get("c1").state == {"turns": 1} and store.get("c1").updated_at == 101.0
    assert store.apply("missing", Change(("bot",), "bot", messages=(say("shopper"),)), 103.0) is None


def test_message_fields_round_trip(store):
    new(store)
    msg = NewMessage(
        "bot",
        "answer",
        route="recommend",
        citations=("product:S1",),
        products=("S1",),
        sponsored=("S2",),
        ads=(AdSlot("S2", "Sponsored by X: y", "imp1"),),
        tool_calls=({"tool": "recommend", "args": {"q": "x"}},),
        answered=False,
        fallback=True,
        reply_to=7,
    )
    stored = store.apply("c1", Change(("bot",), "bot", messages=(msg,)), 101.0).messages[0]
    (read,) = store.messages("c1")
    assert read == stored
    assert read.ads[0].impression_id == "imp1" and read.tool_calls[0]["args"] == {"q": "x"}
    assert not read.answered and read.fallback and read.reply_to == 7 and read.feedback is None


def test_transitions_are_compare_and_set_with_history(store):
    new(store)
    assert (
        store.apply(
            "c1",
            Change(("bot",), "bot", to="waiting", reason="requested", summary="S", priority="high"),
            101.0,
        ).conversation.status
        == "waiting"
    )
    conv = store.get("c1")
    assert (conv.handoff_reason, conv.handoff_summary, conv.handoff_priority, conv.handoff_at) == (
        "requested",
        "S",
        "high",
        101.0,
    )
    claim = Change(("waiting",), "ann", to="human", assign="ann")
    assert store.apply("c1", claim, 102.0).conversation.assigned_to == "ann"
    assert store.apply("c1", Change(("waiting",), "bob", to="human", assign="bob"), 103.0) is None
    # Only the assignee passes an assignee-conditioned change.
    assert (
        store.apply("c1", Change(("human",), "bob", assignee="bob", messages=(say("staff"),)), 104.0) is None
    )
    assert store.apply("c1", Change(("human",), "ann", assignee="ann", messages=(say("staff"),)), 104.0)
    assert (
        store.apply("c1", Change(("human",), "ann", assignee="ann", to="bot"), 105.0).conversation.assigned_to
        is None
    )
    assert store.apply("c1", Change(("bot", "waiting", "human"), "x", to="resolved"), 106.0)
    assert store.apply("c1", Change(("bot", "waiting", "human"), "x", to="bot"), 107.0) is None
    hist = [(t.from_status, t.to_status, t.actor) for t in store.transitions("c1")]
    assert hist == [
        ("bot", "waiting", "bot"),
        ("waiting", "human", "ann"),
        ("human", "bot", "ann"),
        ("bot", "resolved", "x"),
    ]


def test_csat_is_set_once(store):
    new(store)
    every = ("bot", "waiting", "human", "resolved")
    assert store.apply("c1", Change(every, "shopper", csat=(4, "nice")), 101.0)
    assert store.apply("c1", Change(every, "shopper", csat=(1, "again")), 102.0) is None
    assert (store.get("c1").csat, store.get("c1").csat_comment) == (4, "nice")


def test_card_numbers_never_reach_the_store_for_any_role(store):
    new(store)
    roles = ("shopper", "bot", "staff", "system", "note")
    store.apply(
        "c1",
        Change(
            ("bot",),
            "x",
            messages=tuple(say(r, f"card {CARD} ok") for r in roles),
            csat=(5, f"my card {CARD}"),
        ),
        101.0,
    )
    texts = [m.text for m in store.messages("c1")] + [store.get("c1").csat_comment]
    assert all("4111" not in t and "[card number removed]" in t for t in texts)


def test_overlong_messages_are_refused_before_anything_is_written(store):
    new(store)
    with pytest.raises(InputError):
        store.apply("c1", Change(("bot",), "x", messages=(say("staff", "x" * 5000),)), 101.0)
    assert store.messages("c1") == [] and store.get("c1").updated_at == 100.0


def test_messages_after_id_and_private_notes(store):
    new(store)
    ids = [
        m.id
        for m in store.apply(
            "c1",
            Change(
                ("bot",),
                "x",
                messages=(say("shopper", "a"), say("note", "private", author="ann"), say("bot", "b")),
            ),
            101.0,
        ).messages
    ]
    assert [m.text for m in store.messages("c1", notes=False)] == ["a", "b"]
    assert [m.text for m in store.messages("c1", ids[0])] == ["private", "b"]
    assert store.messages("c1", ids[-1]) == []


def test_feedback_only_on_this_conversations_bot_messages(store):
    new(store, "c1")
    new(store, "c2")
    shopper, bot = store.apply(
        "c1", Change(("bot",), "x", messages=(say("shopper"), say("bot"))), 101.0
    ).messages
    assert store.set_feedback("c1", bot.id, -1)
    assert not store.set_feedback("c1", shopper.id, 1)
    assert not store.set_feedback("c2", bot.id, 1)
    assert not store.set_feedback("c1", 999, 1)
    assert [m.feedback for m in store.messages("c1")] == [None, -1]


def test_listing_by_status_oldest_handoff_first(store):
    for cid, at in (("a", 100.0), ("b", 101.0), ("c", 102.0)):
        new(store, cid, at=at)
    store.apply("c", Change(("bot",), "bot", to="waiting", reason="requested"), 110.0)
    store.apply("a", Change(("bot",), "bot", to="waiting", reason="requested"), 120.0)
    assert [c.id for c in store.conversations(("waiting",))] == ["c", "a"]
    store.apply("a", Change(("waiting",), "ann", to="human", assign="ann"), 121.0)
    assert [c.id for c in store.conversations(("human",), assigned_to="ann")] == ["a"]
    assert store.conversations(("human",), assigned_to="bob") == []
    assert [c.id for c in store.conversations(("bot",))] == ["b"]


def test_summaries_and_unanswered_questions(store):
    new(store, "a", at=100.0)
    new(store, "b", at=101.0)
    new(store, "c", at=102.0)  # opened, never used
    q = store.apply("a", Change(("bot",), "x", messages=(say("shopper", "what is zorb?"),)), 103.0).messages[
        0
    ]
    store.apply(
        "a",
        Change(
            ("bot",), "bot", messages=(say("bot", "Sorry?", route="clarify", answered=False, reply_to=q.id),)
        ),
        104.0,
    )
    q2 = store.apply("b", Change(("bot",), "x", messages=(say("shopper", "shoes"),)), 105.0).messages[0]
    store.apply(
        "b", Change(("bot",), "bot", messages=(say("bot", "Here", fallback=True, reply_to=q2.id),)), 106.0
    )
    store.apply("b", Change(("bot",), "bot", to="waiting", reason="complaint"), 107.0)
    store.apply("b", Change(("waiting",), "ann", to="human", assign="ann"), 108.0)
    store.apply("b", Change(("human",), "ann", to="bot"), 109.0)
    store.apply("b", Change(("bot",), "bot", to="waiting", reason="requested"), 110.0)
    store.apply("b", Change(("waiting", "human", "bot", "resolved"), "s", csat=(2, "")), 111.0)
    got = {s.id: s for s in store.summaries()}
    assert (got["a"].shopper_messages, got["a"].escalated, got["a"].reasons) == (1, False, ())
    assert (got["b"].escalated, got["b"].reasons, got["b"].csat) == (True, ("complaint", "requested"), 2)
    assert got["c"].shopper_messages == 0
    un = store.unanswered()
    assert [(u.conversation_id, u.question, u.route, u.fallback) for u in un] == [
        ("b", "shoes", None, True),
        ("a", "what is zorb?", "clarify", False),
    ]


def test_concurrent_claims_have_exactly_one_winner(store):
    new(store)
    store.apply("c1", Change(("bot",), "bot", to="waiting", reason="requested"), 101.0)
    barrier, wins = threading.Barrier(8), []

    def claim(name):
        barrier.wait()
        if store.apply("c1", Change(("waiting",), name, to="human", assign=name), 102.0):
            wins.append(name)

    threads = [threading.Thread(target=claim, args=(f"agent{i}",)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(wins) == 1 and store.get("c1").assigned_to == wins[0]
    assert [t.to_status for t in store.transitions("c1")] == ["waiting", "human"]


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_sql_store_survives_reopening_and_migrations_are_numbered(kind, database_url):
    from recsys import Database

    url = database_url(kind)
    first = SqlConversationStore(Database(url))
    new(first)
    first.apply("c1", Change(("bot",), "x", messages=(say("shopper", "kept"),)), 101.0)
    db = Database(url)
    assert db.applied("bot") == len(MIGRATIONS)
    assert db.migrate("bot", MIGRATIONS) == 0
    again = SqlConversationStore(db)
    assert [m.text for m in again.messages("c1")] == ["kept"]
