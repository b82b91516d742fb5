"""Shared builders for the chat tests: a ChatService over the mini shop with fakes only.

The classifiers are trained once per test process (the slow part, ~10 s with the hashing
embedder); each test gets its own store, engine and database so tests never share state.
"""

from __future__ import annotations

import functools
from pathlib import Path

from conftest import MINI_SHOP

from bot._chat import ChatService
from bot._services import build_assistant
from bot.conversations import MemoryConversationStore, SqlConversationStore
from bot.llm import ScriptedModel
from bot.safety import Limits
from bot.staff import Hasher, MemoryStaffStore, SqlStaffStore, StaffDirectory

FAST_HASH = Hasher(n=2**8)  # scrypt with a test-sized cost; production uses SCRYPT_N
STAFF = [
    ("admin", "admin-demo", "admin"),
    ("agent", "agent-demo", "agent"),
    ("agent2", "agent2-demo", "agent"),
]


@functools.lru_cache(maxsize=1)
def parts():
    from bot.assistant import DEFAULT_INTENTS_CSV, HandoffPolicy, IntentClassifier
    from retrieval import HashingEmbedder, MemoryIndex, ShopIndex, load_shop

    embedder = HashingEmbedder()
    shop = load_shop(MINI_SHOP)
    indexes: dict = {}
    index = ShopIndex(shop, embedder, lambda n: indexes.setdefault(n, MemoryIndex()))
    index.ingest()
    return (
        shop,
        index,
        embedder,
        IntentClassifier.train_from_csv(DEFAULT_INTENTS_CSV, embedder),
        HandoffPolicy.train(embedder),
    )


def make_engine(db):
    from recsys import RecommendationEngine, SqlEventStore, Validator, load_shop_events

    shop, _, embedder, _, _ = parts()
    events = SqlEventStore(db)
    events.validator = Validator(products=lambda pid: pid in shop.products, users=events.has_user)
    load_shop_events(events, shop)
    return RecommendationEngine(shop, embedder, events, db)


def make_chat(
    tmp_path: Path, *, sql: bool = True, engine: bool = True, model=None, clock=None, forecast=None, **options
) -> ChatService:
    from recsys import Database

    shop, index, embedder, classifier, handoff = parts()
    db = Database(f"sqlite:///{tmp_path / 'chat.db'}") if (sql or engine) else None
    eng = make_engine(db) if engine else None
    record = None
    if eng is not None:

        def record(user_id, kind, item_id=None, query=None):
            import time

            from recsys import Event

            eng.record([Event(user_id, kind, time.time(), item_id, query)])

    model = model if model is not None else ScriptedModel(["Happy to help with that."])
    assistant = build_assistant(
        shop,
        index,
        embedder,
        model=None,
        recommender=eng,
        classifier=classifier,
        handoff=handoff,
        record=record,
    )
    store = SqlConversationStore(db) if sql else MemoryConversationStore()
    kwargs = {"clock": clock} if clock else {}
    # Tests drive one service hard from one "address"; the limits have their own tests.
    options.setdefault("limits", Limits.unlimited())
    staff_store = SqlStaffStore(db) if sql else MemoryStaffStore()
    chat = ChatService(
        store,
        assistant,
        engine=eng,
        model=model,
        forecast=forecast,
        directory=StaffDirectory(staff_store, hasher=FAST_HASH, **kwargs),
        **kwargs,
        **options,
    )
    chat.staff.directory.ensure_defaults(STAFF)
    return chat
