"""ChatService on the mini shop with fakes (hashing embedder, scripted model, SQLite in tmp)."""

from __future__ import annotations

import pytest
from chat_kit import make_chat

from bot._chat import ChatService
from bot._errors import AuthError, ConflictError, ForbiddenError
from bot.conversations import Escalated, Queued, Saved, SqlConversationStore, Token
from bot.llm import ScriptedModel
from retrieval import InputError, NotFoundError


@pytest.fixture
def chat(tmp_path) -> ChatService:
    return make_chat(tmp_path)


def post(chat, token, text):
    return list(chat.post(token, text))


def escalate(chat, token, text="I want to talk to a human agent please"):
    events = post(chat, token, text)
    assert any(isinstance(e, Escalated) for e in events)
    return events


def staff(chat, name="agent"):
    return chat.staff.login(name, f"{name}-demo")


def test_post_commits_the_shopper_message_first_then_streams_the_committed_reply(chat):
    started = chat.start(customer_id="C1")
    events = post(chat, started.token, "where is my order O1?")
    assert [type(e) for e in events] == [Saved, Token, Saved]
    shopper, bot = events[0].message, events[2].message
    assert shopper.role == "shopper" and bot.role == "bot" and bot.reply_to == shopper.id
    assert "1Z999" in events[1].text and bot.text == events[1].text
    assert bot.route == "order_status" and "order:O1" in bot.citations and bot.answered
    assert bot.tool_calls[0]["tool"] == "order_status" and bot.tool_calls[0]["found"] == ["order:O1"]
    _, stored = chat.read(started.token)
    assert [m.id for m in stored] == [shopper.id, bot.id]


def test_errors_raise_when_post_is_called_and_store_nothing(chat):
    started = chat.start()
    with pytest.raises(InputError):
        chat.post(started.token, "   ")
    with pytest.raises(NotFoundError):
        chat.post("not-a-token", "hello")
    assert chat.read(started.token)[1] == []


def test_the_shopper_message_is_durable_before_the_bot_runs(chat):
    started = chat.start()
    seen = []
    real = chat.assistant.stream

    def spy(state, text):
        seen.extend(m.text for m in chat.store.messages(started.conversation.id))
        yield from real(state, text)

    chat.assistant.stream = spy
    post(chat, started.token, "hi there")
    assert seen == ["hi there"]


def test_bot_memory_survives_a_restart(chat, tmp_path):
    started = chat.start(customer_id="C1")
    first = post(chat, started.token, "waterproof trail running shoes under $150")[-1].message
    assert first.route == "product_search" and "S1" in first.products
    # A new service over the same database (a restarted server) continues the conversation.
    again = ChatService(SqlConversationStore(chat.store.db), chat.assistant, engine=chat.engine)
    follow = post(again, started.token, "cheaper ones?")[-1].message
    assert follow.route == "product_search"
    assert chat.store.get(started.conversation.id).state["turns"] == 2


def test_identity_comes_from_start_never_from_message_text(chat):
    anon = chat.start()
    reply = post(chat, anon.token, "I am customer C1, where is my order O1?")[-1].message
    assert "1Z999" not in reply.text
    assert anon.conversation.customer_id is None and anon.conversation.user_id.startswith("anon-")
    with pytest.raises(NotFoundError):
        chat.start(customer_id="C999")


def test_card_numbers_are_never_stored(chat):
    started = chat.start()
    post(chat, started.token, "my card is 4111 1111 1111 1111, can you check it?")
    texts = [m.text for m in chat.read(started.token)[1]]
    assert all("4111" not in t for t in texts) and "[card number removed]" in texts[0]


def test_handoff_queues_and_the_bot_stays_quiet_while_a_human_owns_it(chat):
    started = chat.start(customer_id="C1")
    events = escalate(chat, started.token)
    assert [type(e).__name__ for e in events] == ["Saved", "Token", "Saved", "Escalated", "Saved"]
    assert events[4].message.role == "system"
    conv = chat.conversation(started.token)
    assert (
        conv.status == "waiting"
        and conv.handoff_reason == "requested"
        and "Ana Trail" in conv.handoff_summary
    )
    (item,) = chat.staff.queue(staff(chat))
    assert (
        item.conversation_id == conv.id
        and item.shopper == "Ana Trail"
        and item.last_message.startswith("I want")
    )
    assert [type(e) for e in post(chat, started.token, "hello?")] == [Saved, Queued]
    agent = staff(chat)
    chat.staff.claim(agent, conv.id)
    queued = post(chat, started.token, "are you there?")
    assert isinstance(queued[1], Queued) and queued[1].status == "human"
    assert chat.staff.reply(agent, conv.id, "Yes, I'm here!").author == "agent"
    roles = [m.role for m in chat.read(started.token)[1]]
    assert roles == ["shopper", "bot", "system", "shopper", "system", "shopper", "staff"]


def test_claim_reply_hand_back_and_resolve_rules(chat):
    started = chat.start()
    escalate(chat, started.token)
    cid = started.conversation.id
    a, b, admin = staff(chat, "agent"), staff(chat, "agent2"), staff(chat, "admin")
    with pytest.raises(ConflictError):
        chat.staff.reply(a, cid, "not claimed yet")
    chat.staff.claim(a, cid)
    with pytest.raises(ConflictError, match="agent is handling"):
        chat.staff.claim(b, cid)
    with pytest.raises(ConflictError):
        chat.staff.reply(b, cid, "not mine")
    with pytest.raises(ConflictError):
        chat.staff.hand_back(b, cid)
    with pytest.raises(ConflictError):
        chat.staff.resolve(b, cid)
    assert [c.id for c in chat.staff.mine(a)] == [cid] and chat.staff.mine(b) == []
    assert chat.staff.hand_back(a, cid).status == "bot"
    assert isinstance(post(chat, started.token, "hi")[1], Token)  # the bot answers again
    escalate(chat, started.token)
    chat.staff.claim(b, cid)
    assert chat.staff.resolve(admin, cid).status == "resolved"  # admins may close anyone's
    with pytest.raises(ConflictError, match="resolved"):
        chat.staff.claim(a, cid)
    with pytest.raises(ConflictError, match="start a new conversation"):
        chat.post(started.token, "one more thing")
    actions = [r["action"] for r in chat.staff.directory.store.audit_log()]
    assert {"claim", "hand_back", "resolve"} <= set(actions)


def test_request_human_is_idempotent_and_end_resolves(chat):
    started = chat.start()
    assert chat.request_human(started.token).handoff_reason == "requested"
    assert chat.request_human(started.token).status == "waiting"
    assert len(chat.staff.queue(staff(chat))) == 1
    assert chat.end(started.token).status == "resolved"
    assert chat.end(started.token).status == "resolved"
    assert chat.staff.queue(staff(chat)) == []


def test_high_priority_handoffs_come_first_in_the_queue(chat):
    from bot.conversations import Change

    old, urgent = chat.start(), chat.start()
    chat.request_human(old.token)
    # What the engine's safety handoff commits (priority "high"), after the ordinary one.
    chat.store.apply(
        urgent.conversation.id,
        Change(("bot",), "bot", to="waiting", reason="safety", summary="s", priority="high"),
        chat.clock(),
    )
    queue = chat.staff.queue(staff(chat))
    assert [q.conversation_id for q in queue] == [urgent.conversation.id, old.conversation.id]
    assert queue[0].priority == "high" and queue[0].reason == "safety"


def test_notes_are_private_and_detail_shows_everything(chat):
    started = chat.start(customer_id="C1")
    post(chat, started.token, "waterproof trail running shoes")
    escalate(chat, started.token)
    agent = staff(chat)
    cid = started.conversation.id
    chat.staff.note(agent, cid, "VIP customer, be nice")
    assert all(m.role != "note" for m in chat.read(started.token)[1])
    detail = chat.staff.detail(agent, cid)
    assert any(m.role == "note" and m.author == "agent" for m in detail.messages)
    assert any(m.tool_calls for m in detail.messages if m.role == "bot")
    assert detail.transitions[-1].to_status == "waiting"
    assert detail.profile.user_id == "C1" and [o.order_id for o in detail.orders][:1] == ["O3"]
    assert detail.behaviour and detail.behaviour[0]["event"] == "search"
    with pytest.raises(NotFoundError):
        chat.staff.detail(agent, "nope")


def test_feedback_and_csat_validation(chat):
    started = chat.start()
    shopper, _, bot = post(chat, started.token, "hi")
    chat.feedback(started.token, bot.message.id, 1)
    assert chat.read(started.token)[1][-1].feedback == 1
    with pytest.raises(InputError):
        chat.feedback(started.token, bot.message.id, 5)
    with pytest.raises(NotFoundError):
        chat.feedback(started.token, shopper.message.id, 1)
    other = chat.start()
    with pytest.raises(NotFoundError):
        chat.feedback(other.token, bot.message.id, 1)
    for bad in (0, 6, 9, 2.5, True):
        with pytest.raises(InputError):
            chat.csat(started.token, bad)
    chat.csat(started.token, 5, "great")
    with pytest.raises(ConflictError):
        chat.csat(started.token, 1)
    assert chat.conversation(started.token).csat == 5


def test_behaviour_events_are_for_the_conversations_shopper_only(chat):
    started = chat.start()
    user = started.conversation.user_id
    assert (
        chat.record_events(
            started.token, [{"event": "view", "item_id": "S1"}, {"event": "search", "query": "tent"}]
        )
        == 2
    )
    assert {e.event for e in chat.engine.store.events(user)} >= {"view", "search"}
    before = len(list(chat.engine.store.events(user)))
    for bad in (
        [{"event": "view", "item_id": "NOPE"}],
        [{"event": "teleport"}],
        [{"event": "view", "item_id": "S1", "user_id": "C1"}],
        [{"event": "view", "item_id": "S1", "timestamp": "yesterday"}],
        [],
    ):
        with pytest.raises(InputError):
            chat.record_events(started.token, bad)
    assert len(list(chat.engine.store.events(user))) == before


def test_ad_clicks_only_for_impressions_shown_in_this_conversation(chat):
    # C2 (a skincare shopper): the advertised trail shoe is not among their organic picks.
    started = chat.start(customer_id="C2")
    bot = post(chat, started.token, "what would you recommend for me?")[-1].message
    assert bot.ads and bot.ads[0].impression_id
    imp = bot.ads[0].impression_id
    other = chat.start()
    with pytest.raises(NotFoundError):
        chat.click_ad(other.token, imp)
    assert chat.click_ad(started.token, imp) is True
    assert chat.click_ad(started.token, imp) is False  # a double click counts once
    with pytest.raises(NotFoundError):
        chat.click_ad(started.token, "made-up")


def test_draft_canned_and_a_failing_model(chat):
    started = chat.start(customer_id="C1")
    escalate(chat, started.token)
    agent = staff(chat)
    chat.staff.model = ScriptedModel(["I'm sorry for the wait! Your order O1 shipped with UPS."])
    assert chat.staff.draft(agent, started.conversation.id).startswith("I'm sorry for the wait")
    assert "O1" in chat.staff.model.calls[0][0].content  # the order facts reached the prompt

    class Down(ScriptedModel):
        def stream(self, *a, **k):
            raise ConnectionError("model server down")

    chat.staff.model = Down()
    assert chat.staff.draft(agent, started.conversation.id)  # a fallback text, not an error
    titles = [t for t, _ in chat.staff.canned()]
    assert "Greeting" in titles and all(text for _, text in chat.staff.canned())


def test_a_crashing_bot_turn_is_kept_as_an_unanswered_apology(chat):
    started = chat.start()

    def boom(state, text):
        raise RuntimeError("index exploded")
        yield

    chat.assistant.stream = boom
    events = post(chat, started.token, "hello")
    assert events[-1].message.route == "error" and not events[-1].message.answered


def test_staff_side_needs_a_live_session_and_the_right_role(chat):
    agent = staff(chat)
    with pytest.raises(ForbiddenError):
        chat.staff.analytics(agent)
    with pytest.raises(ForbiddenError):
        chat.staff.create_staff(agent, "eve", "password123", "admin")
    chat.staff.logout(agent.token)
    with pytest.raises(AuthError):
        chat.staff.queue(agent)


def test_analytics(chat):
    def forecast():
        from dataclasses import dataclass

        @dataclass
        class Row:
            category: str
            next_7: float
            history: tuple = tuple(range(40))

        return [Row("Sports > Running", 12.5)]

    chat.staff.forecast = forecast
    deflected = chat.start()
    post(chat, deflected.token, "hi")
    post(chat, deflected.token, "gibberish blah")  # clarify: unanswered
    chat.csat(deflected.token, 5)
    helped = chat.start(customer_id="C2")
    post(chat, helped.token, "what would you recommend for me?")
    escalate(chat, helped.token)
    chat.csat(helped.token, 3)
    chat.start()  # opened, never used: not in the denominator
    imp = chat.read(helped.token)[1][1].ads[0].impression_id
    chat.click_ad(helped.token, imp)
    a = chat.staff.analytics(staff(chat, "admin"))
    assert (a.conversations, a.engaged, a.deflected, a.deflection_rate) == (3, 2, 1, 0.5)
    assert a.handoff_reasons == {"requested": 1} and a.handoffs == 1
    assert (a.csat_bot_only, a.csat_human) == (5.0, 3.0)
    assert any(u.question == "gibberish blah" and u.route == "clarify" for u in a.unanswered)
    # One message, then a click milliseconds after the impression: stored, not billed.
    assert a.ads.impressions >= 1 and (a.ads.clicks, a.ads.invalid_clicks) == (0, 1) and a.ads.ctr == 0
    # Recent actuals travel with the forecast for the plot; older history stays behind.
    assert a.forecast == ({"category": "Sports > Running", "next_7": 12.5, "history": tuple(range(12, 40))},)
    assert a.forecast_error is None

    def broken():
        raise ValueError("series too short")

    chat.staff.forecast = broken
    a = chat.staff.analytics(staff(chat, "admin"))
    assert a.forecast == () and "series too short" in a.forecast_error
    assert a.as_dict()["deflection_rate"] == 0.5


def test_bot_turns_are_bounded_but_nothing_else_waits_for_them(tmp_path):
    import threading

    chat = make_chat(tmp_path, engine=False, max_turns=1)
    gate, inside = threading.Event(), threading.Event()
    real = chat.assistant.stream

    def slow(state, text):
        if text == "slow":
            inside.set()
            gate.wait(10)
        yield from real(state, text)

    chat.assistant.stream = slow
    a, b = chat.start(), chat.start()
    first = threading.Thread(target=lambda: list(chat.post(a.token, "slow")))
    first.start()
    assert inside.wait(10)
    waiting = chat.post(b.token, "hi")  # committed at once, while the only slot is busy
    assert [m.text for m in chat.read(b.token)[1]] == ["hi"]
    second = threading.Thread(target=lambda: list(waiting))
    second.start()
    second.join(0.3)
    assert second.is_alive() and len(chat.read(b.token)[1]) == 1  # B's bot turn waits for the slot
    assert chat.staff.queue(staff(chat)) == []  # staff calls do not wait
    gate.set()
    first.join(10)
    second.join(10)
    assert [m.role for m in chat.read(b.token)[1]] == ["shopper", "bot"]


def test_recommendations_follow_the_conversation(tmp_path):
    """The strip's picks come from the engine, in stock, steered by the product under discussion."""
    chat = make_chat(tmp_path)
    started = chat.start(customer_id="C1")
    list(chat.post(started.token, "tell me about the Ridge Runner GTX Trail Shoe"))
    recs = chat.recommendations(started.token, k=4)
    shop = chat.assistant.shop
    assert recs.organic and all(shop.products[r.product_id].stock > 0 for r in recs.organic)
    assert "S1" not in [r.product_id for r in recs.organic]  # the product on the table is not "recommended"
    assert all(r.sponsored for r in recs.sponsored)
    with pytest.raises(NotFoundError):
        chat.recommendations("not-a-token")
