"""Recommendations and ads: behaviour events, behaviour vectors, collaborative and content
signals, the fused ranker with business rules, sponsored ads with a click model, shopper
profiles, demand forecasts and the offline evaluation.

Imports ``retrieval`` (shop model, embedders), never ``bot``.
"""

from retrieval import EVENT_TYPES, ITEM_EVENTS  # defined in retrieval; re-exported for recsys users

from ._ads import AdConfig, AdPerformance, AdServer, ClickOutcome
from ._behaviour import BehaviourConfig, BehaviourModel, BehaviourStore
from ._benchmark import RecsReport, run_recs_eval
from ._clickmodel import (
    CLICK_MODELS,
    ClickLogs,
    ClickModel,
    DistanceLogistic,
    MLPClickModel,
    click_metrics,
    saved_click_model,
)
from ._clicktrain import ClickTraining, train_click_model
from ._collab import BehaviourRecommender, FusionConfig
from ._db import Database, add_columns
from ._engine import Collaborative, EngineConfig, RecommendationEngine, load_shop_events
from ._eval import TIE_RULES
from ._events import (
    Event,
    EventStore,
    MemoryEventStore,
    SqlEventStore,
    Validator,
    shop_events,
)
from ._forecast import FORECASTERS, CategoryForecast, MarketForecast, market_forecast
from ._interactions import EVENTS, EventLog, Interaction, read_events_csv
from ._langchain import make_recommend_tool
from ._profile import ShopperProfile, build_profile
from ._recommend import FUSIONS, FusionWeights, Recommendation, Recommendations, RecommendContext
from ._rules import DIVERSIFIERS, Rules
from ._signals import SignalConfig
from ._vectors import ProductVectors, build_product_vectors

__all__ = [
    "add_columns",
    "EVENTS",
    "TIE_RULES",
    "RecsReport",
    "run_recs_eval",
    "CLICK_MODELS",
    "DIVERSIFIERS",
    "EVENT_TYPES",
    "FORECASTERS",
    "FUSIONS",
    "ITEM_EVENTS",
    "AdConfig",
    "AdPerformance",
    "AdServer",
    "BehaviourConfig",
    "BehaviourModel",
    "BehaviourRecommender",
    "BehaviourStore",
    "CategoryForecast",
    "ClickLogs",
    "ClickModel",
    "ClickOutcome",
    "ClickTraining",
    "Collaborative",
    "Database",
    "DistanceLogistic",
    "EngineConfig",
    "Event",
    "EventLog",
    "EventStore",
    "FusionConfig",
    "FusionWeights",
    "Interaction",
    "MLPClickModel",
    "MarketForecast",
    "MemoryEventStore",
    "ProductVectors",
    "RecommendContext",
    "Recommendation",
    "RecommendationEngine",
    "Recommendations",
    "Rules",
    "ShopperProfile",
    "SignalConfig",
    "SqlEventStore",
    "Validator",
    "build_product_vectors",
    "build_profile",
    "click_metrics",
    "load_shop_events",
    "make_recommend_tool",
    "market_forecast",
    "read_events_csv",
    "saved_click_model",
    "shop_events",
    "train_click_model",
]
