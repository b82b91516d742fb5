"""Vector indexes: Chroma (embedded on disk, or a server by URL) and an in-memory fake.

Both speak Chroma's ``where`` filter language (``$and``, ``$or``, ``$eq``, ``$ne``, ``$gt``,
``$gte``, ``$lt``, ``$lte``, ``$in``, ``$nin``) so hard constraints run inside the index, and
both return cosine similarity (higher is better). The shared contract tests in
``tests/test_vector_index.py`` run against each.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from ._errors import ConfigError, InputError

log = logging.getLogger(__name__)

Metadata = dict[str, str | int | float | bool]
Where = Mapping[str, Any]


@dataclass(frozen=True)
class VectorHit:
    id: str
    score: float  # cosine similarity
    metadata: Metadata


class VectorIndex(ABC):
    """A collection of unit vectors with scalar metadata."""

    @abstractmethod
    def upsert(
        self,
        ids: Sequence[str],
        vectors: np.ndarray,
        metadatas: Sequence[Metadata],
        documents: Sequence[str] | None = None,
    ) -> None: ...

    @abstractmethod
    def delete(self, ids: Sequence[str]) -> None: ...

    @abstractmethod
    def query(self, vector: np.ndarray, k: int, where: Where | None = None) -> list[VectorHit]: ...

    @abstractmethod
    def metadata(self) -> dict[str, Metadata]:
        """Every stored id with its metadata (used to diff against the shop on re-ingest)."""

    def count(self) -> int:
        return len(self.metadata())


# ---------------------------------------------------------------- in-memory fake


def _match(meta: Mapping[str, Any], where: Where) -> bool:
    for key, cond in where.items():
        if key == "$and":
            if not all(_match(meta, c) for c in cond):
                return False
            continue
        if key == "$or":
            if not any(_match(meta, c) for c in cond):
                return False
            continue
        value = meta.get(key)
        ops = cond if isinstance(cond, Mapping) else {"$eq": cond}
        for op, ref in ops.items():
            if not _compare(op, value, ref):
                return False
    return True


def _compare(op: str, value: Any, ref: Any) -> bool:
    if op == "$eq":
        return value == ref
    if op == "$ne":
        return value != ref
    if op == "$in":
        return value in ref
    if op == "$nin":
        return value not in ref
    if value is None or isinstance(value, str):
        return False
    if op == "$gt":
        return value > ref
    if op == "$gte":
        return value >= ref
    if op == "$lt":
        return value < ref
    if op == "$lte":
        return value <= ref
    raise InputError(f"Unknown filter operator {op!r}; use $eq, $ne, $gt, $gte, $lt, $lte, $in or $nin")


class MemoryIndex(VectorIndex):
    """Exact cosine search over a numpy matrix; for tests and tiny shops."""

    def __init__(self) -> None:
        self._ids: list[str] = []
        self._pos: dict[str, int] = {}
        self._vectors = np.zeros((0, 0), dtype=np.float32)
        self._meta: list[Metadata] = []
        self._docs: list[str] = []

    def upsert(self, ids, vectors, metadatas, documents=None) -> None:
        vectors = np.asarray(vectors, dtype=np.float32)
        if len(ids) != len(vectors) or len(ids) != len(metadatas):
            raise InputError("ids, vectors and metadatas must have the same length")
        if self._vectors.size == 0:
            self._vectors = np.zeros((0, vectors.shape[1]), dtype=np.float32)
        new_rows = []
        for i, id_ in enumerate(ids):
            doc = documents[i] if documents is not None else ""
            if id_ in self._pos:
                p = self._pos[id_]
                self._vectors[p] = vectors[i]
                self._meta[p] = dict(metadatas[i])
                self._docs[p] = doc
            else:
                self._pos[id_] = len(self._ids)
                self._ids.append(id_)
                self._meta.append(dict(metadatas[i]))
                self._docs.append(doc)
                new_rows.append(vectors[i])
        if new_rows:
            self._vectors = np.vstack([self._vectors, np.stack(new_rows)])

    def delete(self, ids) -> None:
        drop = {self._pos[i] for i in ids if i in self._pos}
        if not drop:
            return
        keep = [p for p in range(len(self._ids)) if p not in drop]
        self._ids = [self._ids[p] for p in keep]
        self._meta = [self._meta[p] for p in keep]
        self._docs = [self._docs[p] for p in keep]
        self._vectors = self._vectors[keep]
        self._pos = {id_: p for p, id_ in enumerate(self._ids)}

    def query(self, vector, k, where=None) -> list[VectorHit]:
        if not self._ids or k <= 0:
            return []
        scores = self._vectors @ np.asarray(vector, dtype=np.float32)
        order = np.argsort(-scores)
        hits = []
        for p in order:
            if where and not _match(self._meta[p], where):
                continue
            hits.append(VectorHit(self._ids[p], float(scores[p]), dict(self._meta[p])))
            if len(hits) == k:
                break
        return hits

    def metadata(self) -> dict[str, Metadata]:
        return {id_: dict(m) for id_, m in zip(self._ids, self._meta, strict=True)}


# ---------------------------------------------------------------- Chroma


def chroma_client(location: str):
    """A Chroma client: ``http(s)://host:port`` for a server, otherwise a directory on disk."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    if location.startswith(("http://", "https://")):
        url = urlparse(location)
        if not url.hostname:
            raise ConfigError(f"Chroma URL {location!r} has no host; use e.g. http://127.0.0.1:8000")
        return chromadb.HttpClient(
            host=url.hostname,
            port=url.port or (443 if url.scheme == "https" else 8000),
            ssl=url.scheme == "https",
            settings=settings,
        )
    Path(location).mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=location, settings=settings)


class ChromaIndex(VectorIndex):
    """A Chroma collection with cosine space; vectors are computed by us, not by Chroma."""

    def __init__(self, client, name: str, *, batch_size: int = 1000):
        if len(name) < 3:
            raise ConfigError(f"Chroma collection name {name!r} is too short (3+ characters)")
        self.client = client
        self.name = name
        self.batch_size = batch_size
        self.collection = client.get_or_create_collection(
            name, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
        )

    def upsert(self, ids, vectors, metadatas, documents=None) -> None:
        vectors = np.asarray(vectors, dtype=np.float32)
        for start in range(0, len(ids), self.batch_size):
            end = start + self.batch_size
            self.collection.upsert(
                ids=list(ids[start:end]),
                embeddings=vectors[start:end],
                metadatas=[dict(m) for m in metadatas[start:end]],
                documents=list(documents[start:end]) if documents is not None else None,
            )

    def delete(self, ids) -> None:
        ids = list(ids)
        for start in range(0, len(ids), self.batch_size):
            self.collection.delete(ids=ids[start : start + self.batch_size])

    def query(self, vector, k, where=None) -> list[VectorHit]:
        if k <= 0:
            return []
        result = self.collection.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32)],
            n_results=k,
            where=dict(where) if where else None,
            include=["metadatas", "distances"],
        )
        ids = result["ids"][0]
        metas = (result.get("metadatas") or [[]])[0] or [{} for _ in ids]
        dists = (result.get("distances") or [[]])[0]
        # Chroma's cosine space returns distance = 1 - cosine similarity.
        return [
            VectorHit(i, 1.0 - float(d), dict(m or {})) for i, m, d in zip(ids, metas, dists, strict=True)
        ]

    def metadata(self) -> dict[str, Metadata]:
        out: dict[str, Metadata] = {}
        total = self.collection.count()
        for offset in range(0, total, self.batch_size):
            page = self.collection.get(include=["metadatas"], limit=self.batch_size, offset=offset)
            for id_, meta in zip(page["ids"], page["metadatas"] or [], strict=False):
                out[id_] = dict(meta or {})
        return out

    def count(self) -> int:
        return self.collection.count()
