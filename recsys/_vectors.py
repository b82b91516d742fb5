"""Product vectors: one unit embedding per product, in the same space as search and chat text.

Design decisions:

* The text is ``product_summary`` plus the start of the description: the summary carries what
  shoppers filter on (brand, category, attributes), the description the words they use.
* Vectors are cached on disk in one ``.npz`` per embedder, keyed by a content hash of the text
  and the embedder's name and dimension, so a catalogue edit re-embeds only the edited
  products and a different embedder never reads another's vectors. The cache is derived
  state: deleting it costs one re-embedding, never data.
* The matrix is dense float32 (``n x dim``): exact scoring of every product is one
  matrix-vector product, 1M x 384 in well under a second (see ``benchmarks/recs_bench.py``),
  which is simpler and more exact than an ANN index for catalogues of that size.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from retrieval import Embedder, Product, normalize_rows, product_summary, slugify

log = logging.getLogger(__name__)

DESCRIPTION_CHARS = 400  # about the first two sentences; the rest adds noise more than meaning
CACHE_VERSION = "1"


def product_text(p: Product) -> str:
    """What a product's vector is made of."""
    description = " ".join(p.description.split())[:DESCRIPTION_CHARS]
    return f"{product_summary(p)}. {description}" if description else product_summary(p)


def _text_hash(text: str, embedder: Embedder) -> str:
    blob = f"{CACHE_VERSION}|{embedder.name}|{embedder.dim}|{text}"
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class ProductVectors:
    """Unit vectors of a catalogue; row ``i`` belongs to ``ids[i]``."""

    ids: tuple[str, ...]
    matrix: np.ndarray  # (n, dim) float32, unit rows
    position: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.position:
            object.__setattr__(self, "position", {pid: i for i, pid in enumerate(self.ids)})

    @property
    def dim(self) -> int:
        return int(self.matrix.shape[1])

    def __len__(self) -> int:
        return len(self.ids)

    def vector(self, product_id: str) -> np.ndarray | None:
        i = self.position.get(product_id)
        return None if i is None else self.matrix[i]

    def rows(self, product_ids: Iterable[str]) -> np.ndarray:
        """Row numbers of the known ids (unknown ones are skipped)."""
        return np.array([self.position[p] for p in product_ids if p in self.position], dtype=np.int64)

    def scores(self, vector: np.ndarray) -> np.ndarray:
        """Cosine similarity of every product to a unit vector."""
        return self.matrix @ np.asarray(vector, dtype=np.float32)


def build_product_vectors(
    products: Sequence[Product], embedder: Embedder, cache_dir: Path | None = None
) -> ProductVectors:
    """Embed the catalogue, reusing cached vectors whose product text has not changed."""
    texts = [product_text(p) for p in products]
    keys = [_text_hash(t, embedder) for t in texts]
    cached = _load_cache(cache_dir, embedder) if cache_dir is not None else {}
    missing = [i for i, k in enumerate(keys) if k not in cached]
    matrix = np.zeros((len(products), embedder.dim), dtype=np.float32)
    for i, k in enumerate(keys):
        if k in cached:
            matrix[i] = cached[k]
    if missing:
        log.info(
            "embedding %d of %d products (%d cached)",
            len(missing),
            len(products),
            len(products) - len(missing),
        )
        for start in range(0, len(missing), 256):
            part = missing[start : start + 256]
            matrix[part] = embedder.embed_batch([texts[i] for i in part])
    matrix = normalize_rows(matrix)
    if cache_dir is not None and missing:
        # Only current products are written back, so deleted products do not pile up forever.
        _save_cache(cache_dir, embedder, keys, matrix)
    return ProductVectors(tuple(p.id for p in products), matrix)


def _cache_path(cache_dir: Path, embedder: Embedder) -> Path:
    return Path(cache_dir) / f"product_vectors-{slugify(embedder.name)}-{embedder.dim}.npz"


def _load_cache(cache_dir: Path, embedder: Embedder) -> dict[str, np.ndarray]:
    path = _cache_path(cache_dir, embedder)
    if not path.exists():
        return {}
    try:
        with np.load(path, allow_pickle=False) as data:
            keys, vectors = data["keys"], data["vectors"]
    except (OSError, ValueError, KeyError) as exc:
        # A torn or foreign file is only a cache miss; it is rewritten below.
        log.warning("ignoring unreadable vector cache %s (%s)", path, exc)
        return {}
    if vectors.ndim != 2 or vectors.shape[1] != embedder.dim:
        return {}
    return {str(k): v for k, v in zip(keys, vectors, strict=True)}


def _save_cache(cache_dir: Path, embedder: Embedder, keys: list[str], matrix: np.ndarray) -> None:
    path = _cache_path(cache_dir, embedder)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp.npz")
    np.savez(tmp, keys=np.array(keys), vectors=matrix)
    os.replace(tmp, path)  # atomic: a reader sees the old cache or the new one, never half
