"""Ingestion: keep the vector index in step with the shop files, embedding only what changed.

The shop files are the source of truth. For each parent (product or policy section) we know
the chunk ids and content hash it should have; a parent is up to date only when the index
holds exactly those chunks, all carrying that hash. Everything else is re-embedded; parents
no longer in the shop are deleted. Upserts go in batches, so an interrupted ingest leaves
every finished parent valid and the next run resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from tqdm import tqdm

from ._documents import policy_chunks, product_chunks
from ._embedder import Embedder
from ._errors import RecordError
from ._hybrid import Chunk, Fusion, HybridIndex
from ._index import VectorIndex
from ._model import Shop
from ._search import PolicySearch, ProductSearch

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncReport:
    parents: int
    chunks_embedded: int
    parents_updated: int
    parents_deleted: int
    parents_unchanged: int


@dataclass(frozen=True)
class IngestReport:
    products: SyncReport
    policies: SyncReport
    seconds: float
    errors: list[RecordError] = field(default_factory=list)

    @property
    def chunks_embedded(self) -> int:
        return self.products.chunks_embedded + self.policies.chunks_embedded


def sync_index(
    chunks: Sequence[Chunk],
    index: VectorIndex,
    embedder: Embedder,
    *,
    batch_size: int = 128,
    progress: bool = False,
    label: str = "chunks",
) -> SyncReport:
    """Make ``index`` hold exactly ``chunks`` (see module docstring)."""
    wanted: dict[str, list[Chunk]] = defaultdict(list)
    for c in chunks:
        wanted[c.parent_id].append(c)
    stored: dict[str, dict[str, str]] = defaultdict(dict)  # parent -> chunk id -> hash
    for cid, meta in index.metadata().items():
        stored[str(meta.get("parent_id", cid))][cid] = str(meta.get("hash", ""))

    stale: list[Chunk] = []
    orphan_ids: list[str] = []
    updated = unchanged = 0
    for parent, parts in wanted.items():
        have = stored.get(parent, {})
        want = {c.id: str(c.metadata.get("hash", "")) for c in parts}
        if have == want:
            unchanged += 1
            continue
        updated += 1
        stale.extend(parts)
        orphan_ids.extend(cid for cid in have if cid not in want)
    deleted = [p for p in stored if p not in wanted]
    for parent in deleted:
        orphan_ids.extend(stored[parent])

    if orphan_ids:
        index.delete(orphan_ids)
    bar = tqdm(total=len(stale), desc=f"embedding {label}", unit="chunk", disable=not progress or not stale)
    # Pipelined: the next batch is embedded while the previous one is written, so the index's
    # write time hides behind the model's compute (both release the GIL). One writer thread
    # keeps writes in order; an error in either surfaces here and stops the run.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-writer") as writer:
        pending: Future | None = None
        for start in range(0, len(stale), batch_size):
            batch = stale[start : start + batch_size]
            vectors = embedder.embed_batch([c.text for c in batch])
            if pending is not None:
                pending.result()
            pending = writer.submit(
                index.upsert,
                [c.id for c in batch],
                vectors,
                [c.metadata for c in batch],
                [c.text for c in batch],
            )
            bar.update(len(batch))
        if pending is not None:
            pending.result()
    bar.close()
    return SyncReport(len(wanted), len(stale), updated, len(deleted), unchanged)


def shop_chunks(shop: Shop, embedder_name: str) -> tuple[list[Chunk], list[Chunk]]:
    products = [c for p in shop.products.values() for c in product_chunks(p, embedder_name)]
    policies = [c for s in shop.policies for c in policy_chunks(s, embedder_name)]
    return products, policies


IndexFactory = Callable[[str], VectorIndex]


def collection_names(prefix: str, embedder: Embedder) -> tuple[str, str]:
    """Collection names per shop and embedder, so switching models never mixes dimensions."""
    tag = hashlib.sha1(f"{embedder.name}:{embedder.dim}".encode()).hexdigest()[:8]
    return f"{prefix}-products-{tag}", f"{prefix}-policies-{tag}"


class ShopIndex:
    """The searchable side of one shop: both collections plus the hybrid searchers over them."""

    def __init__(
        self,
        shop: Shop,
        embedder: Embedder,
        index_for: IndexFactory,
        *,
        prefix: str = "shop",
        fusion: Fusion | None = None,
    ):
        self.shop = shop
        self.embedder = embedder
        names = collection_names(prefix, embedder)
        self.product_index = index_for(names[0])
        self.policy_index = index_for(names[1])
        self.product_chunks, self.policy_chunks = shop_chunks(shop, embedder.name)
        self.fusion = fusion
        self._products: ProductSearch | None = None
        self._policies: PolicySearch | None = None

    def ingest(self, *, progress: bool = False) -> IngestReport:
        t0 = time.perf_counter()
        products = sync_index(
            self.product_chunks, self.product_index, self.embedder, progress=progress, label="products"
        )
        policies = sync_index(
            self.policy_chunks, self.policy_index, self.embedder, progress=progress, label="policies"
        )
        log.info("ingest: %s; %s", products, policies)
        return IngestReport(products, policies, time.perf_counter() - t0, list(self.shop.errors))

    @property
    def products(self) -> ProductSearch:
        if self._products is None:
            hybrid = HybridIndex(self.product_chunks, self.product_index, self.embedder, self.fusion)
            self._products = ProductSearch(self.shop.products.values(), hybrid)
        return self._products

    @property
    def policies(self) -> PolicySearch:
        if self._policies is None:
            hybrid = HybridIndex(self.policy_chunks, self.policy_index, self.embedder, self.fusion)
            self._policies = PolicySearch(self.shop.policies, hybrid)
        return self._policies
