"""The one typed object that carries every outside component, built once at an entry point.

Business logic receives what it needs from here; nothing reaches for a module-level
singleton. Heavy parts (embedder, LLM, indexes) are built on first use, so a command that
only needs the shop files starts instantly.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from retrieval import (
    CachedEmbedder,
    ChromaIndex,
    Embedder,
    SentenceTransformerEmbedder,
    Shop,
    ShopIndex,
    chroma_client,
    configure_torch_threads,
    load_shop,
)

from ._settings import Settings

if TYPE_CHECKING:  # typed for every adapter, without loading recsys, the model or the app at import time
    from recsys import Database, RecommendationEngine, SqlEventStore

    from ._chat import ChatService
    from .assistant import Assistant
    from .llm import LanguageModel

log = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    embedder_override: Embedder | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        configure_torch_threads(self.settings.torch_threads)  # process-wide, so decided at the entry point

    @cached_property
    def shop(self) -> Shop:
        return load_shop(self.settings.shop_dir)

    @cached_property
    def embedder(self) -> Embedder:
        if self.embedder_override is not None:
            return self.embedder_override
        return CachedEmbedder(SentenceTransformerEmbedder(self.settings.embedder_path))

    @cached_property
    def chroma(self) -> Any:  # a chromadb client (embedded or HTTP)
        return chroma_client(self.settings.chroma_location)

    @cached_property
    def db(self) -> Database:
        from recsys import Database

        return Database(self.settings.db_url)

    @cached_property
    def event_store(self) -> SqlEventStore:
        from recsys import SqlEventStore, Validator

        store = SqlEventStore(self.db)
        store.validator = Validator(products=lambda pid: pid in self.shop.products, users=store.has_user)
        return store

    @cached_property
    def engine(self) -> RecommendationEngine:
        """The recommendation engine, with the shop's events.csv loaded into the event store once,
        and the click model trained by ``shoptalk train-click-model`` when there is one."""
        from recsys import AdConfig, EngineConfig, RecommendationEngine, load_shop_events, saved_click_model

        load_shop_events(self.event_store, self.shop)
        space = f"{self.embedder.name}/{self.embedder.dim}"
        s = self.settings  # the invalid-click filter's thresholds are the operator's (SHOPTALK_CLICK_*)
        ads = AdConfig(
            min_click_delay_s=s.click_min_delay_s,
            min_activity=s.click_min_activity,
            max_clicks_per_client=s.click_max_per_address,
        )
        return RecommendationEngine(
            self.shop,
            self.embedder,
            self.event_store,
            self.db,
            click_model=saved_click_model(self.click_model_path, space),
            config=EngineConfig(ads=ads),
            cache_dir=self.settings.state_dir / "vectors",
        )

    @property
    def click_model_path(self) -> Path:
        return self.settings.state_dir / "click_model.pt"

    @cached_property
    def model(self) -> LanguageModel:
        from .llm import build_model
        from .safety import redact

        return build_model(self.settings, redact=lambda text: redact(text).text)

    @cached_property
    def assistant(self) -> Assistant:
        from recsys import Event

        engine = self.engine

        def record(user_id: str, kind: str, item_id: str | None = None, query: str | None = None) -> None:
            import time

            from .safety import redact_cards

            query = None if query is None else redact_cards(query).text  # stored, and shown to staff
            engine.record([Event(user_id, kind, time.time(), item_id, query)])

        self.shop_index.ingest()
        return build_assistant(
            self.shop,
            self.shop_index,
            self.embedder,
            model=self.model,
            recommender=engine,
            settings=self.settings,
            record=record,
        )

    @cached_property
    def chat(self) -> ChatService:
        """The ChatService over the project database (one per process; adapters share it).

        On first start (no staff accounts at all) it creates the staff accounts from
        SHOPTALK_ADMIN_USER / SHOPTALK_ADMIN_PASSWORD (default admin / admin-demo) and
        SHOPTALK_AGENT_USER / SHOPTALK_AGENT_PASSWORD (default agent / agent-demo); under
        production rules (``Settings.is_production``) demo passwords are refused.
        """
        from recsys import market_forecast

        from ._chat import ChatService
        from .conversations import SqlConversationStore
        from .staff import SqlStaffStore, cached_for

        engine = self.engine

        def forecast():
            return market_forecast(list(engine.store.events()), self.shop.products)

        s = self.settings
        chat = ChatService(
            SqlConversationStore(self.db),
            self.assistant,
            staff_store=SqlStaffStore(self.db),
            engine=engine,
            model=self.model,
            forecast=cached_for(forecast, seconds=3600),
            limits=s.limits,
            clients=s.client_resolver,
            idle_seconds=s.shopper_idle_minutes * 60,
            production=bool(s.production),
        )
        chat.staff.directory.ensure_defaults(self._staff_seed())
        return chat

    def _staff_seed(self) -> list[tuple[str, str, str]]:
        """The first start's accounts: configured passwords; an unset one is the demo password
        outside production, and no account at all under production rules (an admin adds one
        with ``shoptalk staff add``)."""
        from ._settings import DEMO_STAFF

        demo = {role: password for _, password, role in DEMO_STAFF}
        seed = []
        for username, password, role in self.settings.staff_defaults:
            if password is None and self.settings.production:
                log.warning(
                    "no %s account created: set SHOPTALK_%s_PASSWORD, or run `shoptalk staff add`",
                    role,
                    role.upper(),
                )
                continue
            seed.append((username, password or demo[role], role))
        return seed

    @cached_property
    def shop_index(self) -> ShopIndex:
        return ShopIndex(
            self.shop,
            self.embedder,
            lambda name: ChromaIndex(self.chroma, name),
            prefix=self.settings.state_name,
        )


def build_assistant(
    shop: Shop,
    shop_index: ShopIndex,
    embedder: Embedder,
    *,
    model=None,
    recommender=None,
    classifier=None,
    handoff=None,
    settings: Settings | None = None,
    record=None,
    clock=None,
):
    """Wire an ``Assistant`` from its parts (tests pass fakes for any of them)."""
    from retrieval import QueryParser

    from .assistant import (
        DEFAULT_INTENTS_CSV,
        Assistant,
        HandoffPolicy,
        IntentClassifier,
        Phraser,
        Planner,
        Toolbox,
        Validator,
    )

    settings = settings or Settings()
    # Cached under the models folder, keyed by fingerprint: restarts skip training unless the
    # labelled data, the config or the embedder changed.
    cache = settings.models_dir / "classifiers"
    classifier = classifier or IntentClassifier.train_from_csv(
        DEFAULT_INTENTS_CSV, embedder, cache=cache / "intents.npz"
    )
    handoff = handoff or HandoffPolicy.train(
        embedder, max_failures=settings.handoff_after_failures, cache=cache / "handoff_signals.npz"
    )

    def similarity(a, b):
        return embedder.embed_batch(list(a)) @ embedder.embed_batch(list(b)).T

    validator = Validator(shop.products, similarity, secrets=_secret_lines())
    remote = model is not None and getattr(model, "kind", "") == "chat"
    phraser = Phraser(
        model,
        validator,
        max_new_tokens=settings.llm_max_new_tokens,
        redact_pii=remote and settings.redact_remote_pii,
    )
    planner = Planner(shop, classifier, QueryParser.from_products(shop.products.values()))
    toolbox = Toolbox(shop, shop_index, recommender)
    agent = None
    if model is not None and getattr(model, "supports_tools", False) and hasattr(model, "chat_model"):
        from .assistant import ToolCallingAgent

        agent = ToolCallingAgent(model, _shop_name(shop))
    return Assistant(
        shop,
        toolbox,
        planner,
        handoff,
        phraser,
        shop_name=_shop_name(shop),
        record=record,
        clock=clock,
        agent=agent,
    )


def _secret_lines() -> tuple[str, ...]:
    """Distinctive lines of the system prompt: a reply quoting one is a leak."""
    from .llm import load_prompt

    text = load_prompt("system").render(shop_name="the shop")
    return tuple(line.strip("- ").strip() for line in text.splitlines() if len(line) > 40)


def _shop_name(shop: Shop) -> str:
    return shop.name.replace("_", " ").replace("-", " ").title()
