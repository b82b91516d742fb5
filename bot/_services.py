"""The one typed object that carries every outside component, built once at an entry point.

Business logic receives what it needs from here; nothing reaches for a module-level
singleton. Heavy parts (embedder, LLM, indexes) are built on first use, so a command that
only needs the shop files starts instantly.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cached_property

from retrieval import (
    CachedEmbedder,
    ChromaIndex,
    Embedder,
    SentenceTransformerEmbedder,
    Shop,
    ShopIndex,
    chroma_client,
    load_shop,
)

from ._settings import Settings

log = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    embedder_override: Embedder | None = field(default=None, repr=False)

    @cached_property
    def shop(self) -> Shop:
        return load_shop(self.settings.shop_dir)

    @cached_property
    def embedder(self) -> Embedder:
        if self.embedder_override is not None:
            return self.embedder_override
        return CachedEmbedder(SentenceTransformerEmbedder(self.settings.embedder_path))

    @cached_property
    def chroma(self):
        return chroma_client(self.settings.chroma_location)

    @cached_property
    def shop_index(self) -> ShopIndex:
        return ShopIndex(
            self.shop,
            self.embedder,
            lambda name: ChromaIndex(self.chroma, name),
            prefix=self.settings.shop_key,
        )
