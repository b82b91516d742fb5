"""Retrieval: the shop model, loading and validation, embedders, vector and lexical indexes,
hybrid product and policy search under hard constraints, ingestion and its evaluation.

This is the bottom layer: it imports neither ``recsys`` nor ``bot``.
"""

from ._constraints import AttributeFilter, Constraints, ParsedQuery, QueryParser
from ._display import Display, join_words
from ._documents import policy_chunks, product_chunks, product_metadata, product_summary
from ._embedder import (
    CachedEmbedder,
    Embedder,
    HashingEmbedder,
    SentenceTransformerEmbedder,
    configure_torch_threads,
    default_model_path,
    default_threads,
    normalize_rows,
)
from ._errors import ConfigError, InputError, NotFoundError, RecordError, ShopTalkError
from ._eval import RetrievalReport, evaluate_retrieval, load_corpus, load_queries
from ._hybrid import Chunk, Fusion, HybridIndex, RankedParent
from ._index import ChromaIndex, MemoryIndex, VectorHit, VectorIndex, chroma_client
from ._ingest import IngestReport, ShopIndex, SyncReport, collection_names, shop_chunks, sync_index
from ._lexical import LexicalIndex
from ._loader import dump_record, load_shop, parse_policy
from ._model import (
    EVENT_TYPES,
    ITEM_EVENTS,
    MAX_USER_ID,
    TEXT_EVENTS,
    Ad,
    Customer,
    EventType,
    ItemEventType,
    Order,
    OrderItem,
    PolicySection,
    Product,
    Shop,
    ShopEvent,
    slugify,
)
from ._search import PolicyHit, PolicySearch, ProductSearch, SearchHit, SearchResult
from ._text import ABBREVIATION, chunk_text, sentences, tokenize, words
from ._tune import load_pairs, tune_embedder

__all__ = [
    "RetrievalReport",
    "evaluate_retrieval",
    "load_corpus",
    "load_queries",
    "load_pairs",
    "tune_embedder",
    "EVENT_TYPES",
    "ITEM_EVENTS",
    "MAX_USER_ID",
    "TEXT_EVENTS",
    "Ad",
    "AttributeFilter",
    "CachedEmbedder",
    "ChromaIndex",
    "Chunk",
    "ConfigError",
    "Constraints",
    "Customer",
    "Display",
    "Embedder",
    "EventType",
    "Fusion",
    "HashingEmbedder",
    "HybridIndex",
    "IngestReport",
    "InputError",
    "ItemEventType",
    "LexicalIndex",
    "MemoryIndex",
    "NotFoundError",
    "Order",
    "OrderItem",
    "ParsedQuery",
    "PolicyHit",
    "PolicySearch",
    "PolicySection",
    "Product",
    "ProductSearch",
    "QueryParser",
    "RankedParent",
    "RecordError",
    "SearchHit",
    "SearchResult",
    "SentenceTransformerEmbedder",
    "Shop",
    "ShopEvent",
    "ShopIndex",
    "ShopTalkError",
    "SyncReport",
    "VectorHit",
    "VectorIndex",
    "chroma_client",
    "chunk_text",
    "collection_names",
    "configure_torch_threads",
    "default_model_path",
    "default_threads",
    "dump_record",
    "join_words",
    "load_shop",
    "normalize_rows",
    "parse_policy",
    "policy_chunks",
    "product_chunks",
    "product_metadata",
    "product_summary",
    "sentences",
    "ABBREVIATION",
    "shop_chunks",
    "slugify",
    "sync_index",
    "tokenize",
    "words",
]
