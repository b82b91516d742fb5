"""The Gradio app's pure render functions: core values in, Gradio values out, no server."""

from __future__ import annotations

import re

import pytest

from bot.app._render import (
    ChatView,
    ad_cards,
    add_shopper_text,
    apply_event,
    drop_pending,
    escape_md,
    format_price,
    merge_messages,
    product_card,
    product_cards,
    recommendation_cards,
    status_notice,
    to_chat_message,
    with_ads,
)
from bot.app._render_analytics import (
    ads_frame,
    csat_frame,
    forecast_frame,
    forecast_note,
    forecast_table,
    handoff_frame,
    kpi_markdown,
    unanswered_frame,
)
from bot.app._render_staff import (
    behaviour_markdown,
    conversation_choices,
    conversation_markdown,
    format_wait,
    orders_markdown,
    profile_markdown,
    queue_rows,
    transcript_html,
)
from bot.conversations import AdSlot, Conversation, Escalated, Queued, Saved, StoredMessage, Token
from bot.staff import AdStats, Analytics, QueueItem
from recsys import Recommendation, ShopperProfile
from retrieval import Product


def msg(id, role, text, **kw) -> StoredMessage:
    return StoredMessage(id, "c1", role, text, 1_700_000_000.0 + id, **kw)


def conv(**kw) -> Conversation:
    base = dict(id="c1" * 16, user_id="C1", customer_id="C1", status="bot", created_at=1.0, updated_at=2.0)
    return Conversation(**{**base, **kw})


@pytest.fixture
def products(mini_shop):
    return mini_shop.products


# -- chat messages ----------------------------------------------------------------------------


def test_each_role_becomes_a_gradio_message_and_notes_stay_private():
    assert to_chat_message(msg(1, "shopper", "hi")) == {"role": "user", "content": "hi"}
    assert to_chat_message(msg(2, "bot", "hello")) == {"role": "assistant", "content": "hello"}
    staff = to_chat_message(msg(3, "staff", "I can help", author="alex"))
    assert staff["role"] == "assistant" and "alex" in staff["content"] and "I can help" in staff["content"]
    # Gradio 6 hides role "system" in gr.Chatbot, so notices are visible assistant bubbles.
    assert to_chat_message(msg(4, "system", "Alex joined"))["role"] == "assistant"
    assert to_chat_message(msg(5, "note", "customer is angry", author="alex")) is None


HOSTILE = (
    '<form action="https://evil.example/steal"><input name="card"><button>Verify</button></form>\n'
    "[Track your parcel](https://evil.example/login) ![](https://evil.example/pixel.png)\n"
    "https://evil.example/a www.evil.example mail@evil.example <https://evil.example>\n"
    "    indented code\n# Heading\n> quote\n1. list **bold** _em_ `code` $$x^2$$ &amp; ```js\n|a|b|"
)


def rendered(markdown: str) -> str:
    """CommonMark with raw HTML allowed: what a markdown renderer makes of the text."""
    markdown_it = pytest.importorskip("markdown_it")
    return markdown_it.MarkdownIt("commonmark", {"html": True}).render(markdown)


def test_escape_md_makes_any_text_plain():
    import html

    out = escape_md(HOSTILE)
    assert html.unescape(out) == HOSTILE  # shows exactly what was written...
    bare = re.sub(r"&#\d+;", " ", out)  # what is left outside the character references
    for syntax in ("<", ">", "[", "]", "(", "*", "_", "`", "$", "#", "://", "www.", "@", "|", "&"):
        assert syntax not in bare, (
            syntax
        )  # ...with nothing a renderer (or a GFM autolinker) would read as markup
    assert not re.search(r"^\s", out, re.MULTILINE)  # no indentation: four spaces would open a code block
    page = rendered(out)
    for tag in (
        "<form",
        "<input",
        "<a ",
        "<img",
        "<h1",
        "<blockquote",
        "<ol",
        "<strong",
        "<em",
        "<code",
        "<pre",
    ):
        assert tag not in page, tag
    assert "&lt;form" in page or "&#60;form" in page
    assert escape_md("Ana Trail 2") == "Ana Trail 2" and escape_md("a\r\nb") == "a\nb"


def test_staff_and_system_text_is_plain_in_the_shoppers_chat():
    staff = to_chat_message(msg(3, "staff", HOSTILE, author="[x](http://evil)"))["content"]
    system = to_chat_message(msg(4, "system", HOSTILE))["content"]
    for content in (staff, system):
        page = rendered(content)
        assert "<form" not in page and "<a " not in page and "<img" not in page and "://" not in content
    assert (
        staff.startswith("**&#91;x&#93;") and "(ShopTalk team):**" in staff
    )  # only our own markup is markup
    assert "<strong>" in rendered(staff)
    # The bot's own replies keep their markdown (bold product names, lists).
    assert to_chat_message(msg(5, "bot", "**Ridge Runner**"))["content"] == "**Ridge Runner**"


def test_a_streamed_turn_folds_into_one_bubble_per_message():
    view = add_shopper_text(ChatView(), "trail shoes?")
    assert view.ids == (None,) and view.messages[-1] == {"role": "user", "content": "trail shoes?"}
    view = apply_event(view, Saved(msg(1, "shopper", "trail shoes?")))
    assert view.ids == (1,) and len(view.messages) == 1  # the optimistic bubble got its id, no duplicate
    view = apply_event(view, Token("Here are "))
    view = apply_event(view, Token("2 options"))
    assert (
        view.messages[-1] == {"role": "assistant", "content": "Here are 2 options"} and view.ids[-1] is None
    )
    ad = AdSlot("S2", "Sponsored by Summit: Go light", "imp-1")
    view = apply_event(view, Saved(msg(2, "bot", "Here are 2 options", products=("S1", "S3"), ads=(ad,))))
    assert view.ids == (1, 2) and view.roles == ("shopper", "bot") and view.last_id == 2
    assert view.messages[-1]["content"] == "Here are 2 options"
    assert view.products == ("S1", "S3") and view.ads == (("S2", "Sponsored by Summit: Go light", "imp-1"),)
    assert view.message_id(1) == 2 and view.message_id(0) is None  # like/dislike: bot replies only


def test_a_handoff_turn_adds_the_system_notice_and_waits():
    view = apply_event(ChatView(), Saved(msg(1, "shopper", "human please")))
    for event in (
        Token("Connecting you."),
        Saved(msg(2, "bot", "Connecting you.")),
        Escalated("requested", "wants a person"),
        Saved(msg(3, "system", "You're in the queue")),
    ):
        view = apply_event(view, event)
    assert view.status == "waiting" and view.roles == ("shopper", "bot", "system")
    assert view.message_id(2) is None


def test_queued_turn_shows_no_bot_bubble():
    view = apply_event(
        add_shopper_text(ChatView(status="human"), "hello?"), Saved(msg(7, "shopper", "hello?"))
    )
    view = apply_event(view, Queued("human"))
    assert view.roles == ("shopper",) and view.status == "human"


def test_poll_racing_the_stream_never_duplicates_and_tracks_status():
    view = apply_event(ChatView(), Saved(msg(1, "shopper", "hi")))
    view = apply_event(view, Saved(msg(2, "bot", "hello")))
    polled = [
        msg(2, "bot", "hello"),
        msg(3, "system", "alex joined"),
        msg(4, "staff", "Hi!", author="alex"),
        msg(5, "note", "private", author="alex"),
    ]
    view = merge_messages(view, polled, "human", "alex")
    assert view.ids == (1, 2, 3, 4) and view.last_id == 5  # the note is skipped but read past
    assert view.status == "human" and view.agent == "alex"
    assert merge_messages(view, polled, "human", "alex") == view  # idempotent


def test_refused_message_is_removed():
    view = add_shopper_text(apply_event(ChatView(), Saved(msg(1, "shopper", "hi"))), "again")
    assert drop_pending(view).ids == (1,)


def test_recommended_ads_join_the_reply_ads_once_per_product():
    view = ChatView(ads=(("S2", "Sponsored by Summit", "i1"),))
    view = with_ads(view, [("S2", "again", "i9"), ("B4", "Sponsored by Solace", "i2"), ("S3", "x", "i3")], 2)
    assert view.ads == (("S2", "Sponsored by Summit", "i1"), ("B4", "Sponsored by Solace", "i2"))


def test_status_notice():
    assert status_notice("bot") == ""
    assert "team" in status_notice("waiting")
    assert "alex" in status_notice("human", "alex")
    assert "_" not in status_notice("human", "a_b").replace("\\_", "")
    assert "ended" in status_notice("resolved")


# -- cards ------------------------------------------------------------------------------------


def test_product_card_shows_title_price_stock_rating(products):
    html = product_card(products["S1"])
    assert "Ridge Runner GTX Trail Shoe" in html and "$89.99" in html and "In stock" in html and "4.6" in html


def test_product_text_is_escaped():
    evil = Product(
        id="X<1>", title="<script>alert(1)</script>", brand="A&B", category="C", price=1.5, stock=0
    )
    html = product_card(evil)
    assert "<script>" not in html and "&lt;script&gt;" in html and "A&amp;B" in html and "X&lt;1&gt;" in html
    assert "Out of stock" in html and "No ratings yet" in html


def test_stock_and_price_labels():
    low = Product(id="L", title="t", category="c", price=1234.5, currency="EUR", stock=2)
    assert "Only 2 left" in product_card(low) and "€1,234.50" in product_card(low)
    assert format_price(3, "XYZ") == "3.00 XYZ"


def test_cards_follow_the_reply_order_and_skip_unknown_ids(products):
    html = product_cards(["S3", "nope", "S1"], products, title="Products in this answer")
    assert html.index('data-product-id="S3"') < html.index('data-product-id="S1"')
    assert "nope" not in html and "Products in this answer" in html
    assert product_cards([], products) == ""


def test_ads_are_labelled_and_kept_apart_from_organic_picks(products):
    recs = [
        Recommendation("S1", 0.9, "Because you viewed trail shoes"),
        Recommendation("S2", 0.8, "ad", sponsored=True, source="sponsored", impression_id="i1"),
    ]
    organic = recommendation_cards(recs, products)
    assert 'data-product-id="S1"' in organic and 'data-product-id="S2"' not in organic
    assert "Because you viewed trail shoes" in organic and "Sponsored" not in organic
    ads = ad_cards([("S2", "Sponsored by Summit: <b>Go</b>", "i1")], products)
    assert ads.count('class="st-badge">Sponsored<') == 1 and "&lt;b&gt;Go&lt;/b&gt;" in ads
    assert ad_cards([], products) == ""


# -- staff console ----------------------------------------------------------------------------


def test_queue_rows_and_choices():
    items = [
        QueueItem("a" * 32, "safety", "hurt by a product", "high", 75.0, "Ana Trail", "C1", "it broke"),
        QueueItem("b" * 32, None, None, "normal", 3700.0, "anon-1", None, ""),
    ]
    rows = queue_rows(items)
    assert rows[0] == ["aaaaaaaa", "1 min", "high", "safety", "Ana Trail", "it broke"]
    assert rows[1][1] == "1 h 1 min" and rows[1][3] == "-"
    choices = conversation_choices(
        items, [conv(id="c" * 32, status="human", assigned_to="alex")], {"C1": "Ana"}
    )
    assert [value for _, value in choices] == ["a" * 32, "b" * 32, "c" * 32]
    assert "Ana Trail" in choices[0][0] and "yours" in choices[2][0] and "Ana" in choices[2][0]
    assert format_wait(5) == "5 s" and format_wait(-1) == "0 s"


def test_transcript_shows_sources_tool_calls_and_notes_escaped():
    messages = [
        msg(1, "shopper", "<img src=x onerror=alert(1)>"),
        msg(
            2,
            "bot",
            "Try S1",
            route="product_search",
            citations=("product:S1",),
            tool_calls=({"tool": "search_products", "args": {"query": "trail"}},),
            feedback=-1,
        ),
        msg(3, "note", "VIP customer", author="alex"),
        msg(4, "staff", "Hello", author="alex"),
    ]
    html = transcript_html(messages)
    assert "<img" not in html and "&lt;img" in html
    assert "product:S1" in html and "search_products" in html and "product_search" in html
    assert "Private note" in html and "VIP customer" in html and "disliked" in html
    assert "Staff · alex" in html
    assert "No messages" in transcript_html([])


def test_conversation_header():
    text = conversation_markdown(
        conv(status="waiting", handoff_reason="safety", handoff_summary="hurt", handoff_priority="high"),
        "Ana Trail",
    )
    assert "waiting" in text and "safety" in text and "high priority" in text and "Ana Trail" in text


def test_what_shoppers_wrote_is_inert_in_the_console():
    """A URL or markup in a handoff summary, a name or a CSAT comment is text for the agent, not a link."""
    text = conversation_markdown(
        conv(
            status="waiting",
            handoff_reason="[urgent](https://evil.example)",
            handoff_summary="Shopper says: log in at https://evil.example/x <img src=x>",
            csat=1,
            csat_comment="www.evil.example",
        ),
        "<b>Eve</b>",
    )
    page = rendered(text)
    assert "<a " not in page and "<img" not in page and "<b>" not in page and "://" not in text
    assert "Handoff reason:" in page and "Summary:" in page  # the header's own markup still renders
    profile = ShopperProfile(
        "C1",
        "customer",
        "Ana",
        (),
        (),
        None,
        None,
        0.0,
        0.0,
        0.0,
        0.0,
        0,
        0,
        0,
        0,
        0,
        ("https://evil.example/deal",),
    )
    assert "<a " not in rendered(profile_markdown(profile))
    behaviour = behaviour_markdown(
        [{"event": "search", "item_id": None, "query": "[x](https://evil.example)"}]
    )
    assert "<a " not in rendered(behaviour)


def test_profile_orders_and_behaviour(mini_shop, products):
    profile = ShopperProfile(
        "C1",
        "customer",
        "Ana Trail",
        (("Trail Running Shoes", 0.6),),
        (("Summit", 0.7),),
        (80.0, 130.0),
        1.0,
        2.0,
        12.0,
        1.0,
        289.0,
        20,
        2,
        1,
        1,
        0,
        ("waterproof shoes",),
    )
    text = profile_markdown(profile)
    assert "Ana Trail" in text and "Trail Running Shoes 60%" in text and "Summit 70%" in text
    assert "$80.00 - $130.00" in text and "$289.00" in text and "waterproof shoes" in text
    assert profile_markdown(None) == "_No profile available._"
    orders = orders_markdown(mini_shop.orders_of("C1"), products)
    assert "O3" in orders and "O1" in orders and "UPS" in orders and "Ridge Runner GTX Trail Shoe" in orders
    assert orders_markdown([]) == "_No orders._"
    activity = behaviour_markdown(
        [
            {"event": "view", "item_id": "S1", "query": None, "at": 1.0},
            {"event": "search", "item_id": None, "query": "tent", "at": 2.0},
            {"event": "view", "item_id": "S2", "query": None, "at": 3.0},
        ],
        products,
    )
    assert "2 view" in activity and "“tent”" in activity and "Ridge Runner GTX" in activity


# -- analytics --------------------------------------------------------------------------------


def analytics(**kw) -> Analytics:
    from bot.conversations import Unanswered

    base = dict(
        generated_at=0.0,
        conversations=4,
        engaged=3,
        deflected=2,
        deflection_rate=2 / 3,
        status_counts={"resolved": 3, "bot": 1},
        handoffs=1,
        handoff_reasons={"requested": 1, "safety": 2},
        csat_bot_only=4.5,
        csat_bot_only_n=2,
        csat_human=3.0,
        csat_human_n=1,
        unanswered=(Unanswered("c1", "do you sell kayaks?", "clarify", False, 1.0),),
        ads=AdStats(10, 1, 0.1, ({"ad_id": "AD1", "impressions": 10, "clicks": 1, "ctr": 0.1},)),
        forecast=(
            {
                "category": "Sports > Running",
                "metric": "purchases",
                "history_dates": ("2026-11-24", "2026-11-25"),
                "history": (1.0, 4.0),
                "forecast_dates": ("2026-11-26", "2026-11-27"),
                "forecast": (2.0, 3.0),
                "next_7": 14.0,
                "next_14": 28.0,
                "mase": 0.8,
                "mase_naive": 1.1,
            },
            {
                "category": "Beauty > Skincare",
                "metric": "events",
                "forecast_dates": ("2026-11-26",),
                "forecast": (9.0,),
                "next_7": 60.0,
                "next_14": 120.0,
                "mase": None,
                "mase_naive": None,
            },
        ),
    )
    return Analytics(**{**base, **kw})


def test_analytics_numbers_and_frames():
    a = analytics()
    text = kpi_markdown(a)
    assert (
        "67%" in text
        and "4.50 / 5" in text
        and "3.00 / 5" in text
        and "10 impressions" in text
        and "10.0%" in text
    )
    assert handoff_frame(a)["reason"].tolist() == ["safety", "requested"]
    assert csat_frame(a)["rated"].tolist() == [2, 1]
    assert unanswered_frame(a)["question"].tolist() == ["do you sell kayaks?"]
    assert ads_frame(a).iloc[0].tolist() == ["AD1", 10, 1, "10.0%"]
    frame = forecast_frame(a, "purchases")
    assert len(frame) == 4 and set(frame["category"]) == {"Sports > Running"}
    assert frame["kind"].tolist() == ["actual", "actual", "forecast", "forecast"]
    assert frame["demand"].tolist() == [1.0, 4.0, 2.0, 3.0]
    assert str(frame["date"].dtype).startswith("datetime64")
    assert forecast_table(a, "events")["MASE (model)"].tolist() == ["-"]
    assert "2026-11-26" in forecast_note(a)


def test_empty_analytics_give_empty_frames():
    a = analytics(
        deflection_rate=None,
        handoff_reasons={},
        csat_bot_only=None,
        csat_bot_only_n=0,
        csat_human=None,
        csat_human_n=0,
        unanswered=(),
        ads=AdStats(),
        forecast=(),
        forecast_error="ValueError: too short",
    )
    assert "Deflection rate:** -" in kpi_markdown(a)
    assert handoff_frame(a).empty and unanswered_frame(a).empty and ads_frame(a).empty
    assert forecast_frame(a).empty and list(forecast_frame(a).columns) == [
        "date",
        "demand",
        "category",
        "kind",
    ]
    assert "too short" in forecast_note(a)


# -- the app itself ---------------------------------------------------------------------------


def test_demo_shoppers_list_one_customer_per_persona():
    from conftest import DEMO_SHOP, MINI_SHOP

    from bot.app import demo_shoppers

    entries = demo_shoppers(DEMO_SHOP)
    assert entries[0] == ("Anonymous shopper", None)
    assert len(entries) == 12 and all(cid and cid.startswith("C") for _, cid in entries[1:])
    assert any("Trail runner" in label for label, _ in entries)
    assert ("Ana Trail (C1)", "C1") in demo_shoppers(MINI_SHOP)  # no personas.json: customers by name


class _BuildOnlyStaff:
    def canned(self):
        return [("Greeting", "Hi, I'm here to help.")]


class _BuildOnlyChat:
    """Enough of ChatService for building the pages (no handler runs without a server)."""

    def __init__(self, shop):
        self.shop = shop
        self.staff = _BuildOnlyStaff()


def test_build_app_has_the_three_pages(mini_shop):
    from bot.app import build_app

    demo = build_app(_BuildOnlyChat(mini_shop), shoppers=[("Anonymous shopper", None), ("Ana Trail", "C1")])
    assert {path for path, _, _ in demo.pages} >= {"", "console", "analytics"}


def test_the_chat_renders_no_latex_and_no_custom_tags(mini_shop):
    from bot.app import build_app

    demo = build_app(_BuildOnlyChat(mini_shop))
    chat = next(c["props"] for c in demo.config["components"] if c["props"].get("elem_id") == "st-chat")
    assert chat["sanitize_html"] is True and chat["allow_tags"] is False and chat["latex_delimiters"] == []
    queue = next(c["props"] for c in demo.config["components"] if c["props"].get("elem_id") == "st-queue")
    assert queue["datatype"] == "str"  # the console's queue shows shoppers' last messages as text


def test_model_work_is_limited_and_polling_is_not(mini_shop):
    """One long generation must not hold up polling, buttons or other pages."""
    from bot.app import build_app

    fns = {}
    for fn in build_app(_BuildOnlyChat(mini_shop)).fns.values():
        fns.setdefault(fn.name, set()).add((fn.concurrency_id, fn.concurrency_limit))
    assert fns["respond"] == {("model", 2)} and fns["make_draft"] == {("model", 2)}
    assert fns["poll"] == {("poll", None)} and fns["refresh"] == {("console-poll", None)}
    assert all(
        limit is None or limit >= 16
        for name in ("start", "ask_human", "like", "open_conversation")
        for _, limit in fns[name]
    )


def test_front_door_exports():
    import bot.app

    assert sorted(bot.app.__all__) == [
        "CSS",
        "DEFAULT_CONCURRENCY",
        "THEME",
        "build_app",
        "demo_shoppers",
        "mount",
    ]
    assert all(hasattr(bot.app, name) for name in bot.app.__all__)
