"""Hybrid retrieval over chunks: dense (vector index) + lexical (BM25), fused per parent.

Documents are split into chunks (a product's title/attributes chunk plus description windows;
a policy section; a Q&A pair). Each side ranks *parents* by their best chunk, then weighted
reciprocal-rank fusion combines the two rankings. RRF needs no score calibration between
cosine and BM25, which is why it is the default; weights are tuned in ``eval retrieval``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import numpy as np

from ._embedder import Embedder
from ._index import Metadata, VectorIndex, Where
from ._lexical import LexicalIndex


@dataclass(frozen=True)
class Chunk:
    id: str
    parent_id: str
    text: str
    metadata: Metadata = field(default_factory=dict)


@dataclass(frozen=True)
class Fusion:
    """How the two rankings are combined (see module docstring)."""

    rrf_k: float = 60.0
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    dense_candidates: int = 200  # chunks fetched from the vector index per query
    depth: int = 100  # parents kept from each side before fusing


@dataclass(frozen=True)
class RankedParent:
    parent_id: str
    score: float  # fused
    dense: float | None  # best chunk cosine, if the dense side saw it
    lexical: float | None  # best chunk BM25, if the lexical side saw it
    chunk_id: str  # the chunk that matched best (dense side first)


class HybridIndex:
    """Fused parent ranking over a fixed set of chunks whose vectors live in ``index``."""

    def __init__(self, chunks: Sequence[Chunk], index: VectorIndex, embedder: Embedder,
                 fusion: Fusion | None = None):
        self.chunks = list(chunks)
        self.index = index
        self.embedder = embedder
        self.fusion = fusion or Fusion()
        self.lexical = LexicalIndex([c.text for c in self.chunks])
        self.parent_ids = sorted({c.parent_id for c in self.chunks})
        self._parent_pos = {p: i for i, p in enumerate(self.parent_ids)}
        self._chunk_parent = np.array([self._parent_pos[c.parent_id] for c in self.chunks], dtype=np.int64)

    # -- each side ---------------------------------------------------------------------------

    def dense_ranking(self, query: str | np.ndarray, allowed: Collection[str] | None = None,
                      where: Where | None = None) -> list[tuple[str, float, str]]:
        """(parent, best cosine, chunk id) ordered best first."""
        vector = self.embedder.embed(query) if isinstance(query, str) else query
        clauses = [dict(where)] if where else []
        if allowed is not None:
            if not allowed:
                return []
            if len(allowed) <= 5000:  # a narrow filter runs inside the index, wide ones after it
                clauses.append({"parent_id": {"$in": sorted(allowed)}})
        flt = clauses[0] if len(clauses) == 1 else ({"$and": clauses} if clauses else None)
        best: dict[str, tuple[float, str]] = {}
        for hit in self.index.query(vector, self.fusion.dense_candidates, where=flt):
            parent = str(hit.metadata.get("parent_id", hit.id))
            if allowed is not None and parent not in allowed:
                continue
            if parent not in best or hit.score > best[parent][0]:
                best[parent] = (hit.score, hit.id)
        ranked = sorted(best.items(), key=lambda kv: -kv[1][0])[: self.fusion.depth]
        return [(p, s, c) for p, (s, c) in ranked]

    def lexical_ranking(self, query: str, allowed: Collection[str] | None = None) -> list[tuple[str, float, str]]:
        if not self.chunks:
            return []
        mask = None
        if allowed is not None:
            allowed_pos = np.zeros(len(self.parent_ids), dtype=bool)
            for p in allowed:
                if p in self._parent_pos:
                    allowed_pos[self._parent_pos[p]] = True
            mask = allowed_pos[self._chunk_parent]
        scores = self.lexical.scores(query, mask)
        if not scores.any():
            return []
        per_parent = np.full(len(self.parent_ids), -1.0, dtype=np.float32)
        np.maximum.at(per_parent, self._chunk_parent, scores)
        order = np.argsort(-per_parent)[: self.fusion.depth]
        out = []
        for pos in order:
            if per_parent[pos] <= 0:
                break
            chunk_rows = np.flatnonzero(self._chunk_parent == pos)
            best_chunk = chunk_rows[np.argmax(scores[chunk_rows])]
            out.append((self.parent_ids[pos], float(per_parent[pos]), self.chunks[best_chunk].id))
        return out

    # -- fused -----------------------------------------------------------------------------

    def rank(self, query: str, k: int = 10, allowed: Collection[str] | None = None,
             where: Where | None = None, query_vector: np.ndarray | None = None) -> list[RankedParent]:
        """Top ``k`` parents. ``allowed`` is the exact filter (both sides honour it); ``where`` only
        pushes the same constraints into the vector index so it spends its candidates well."""
        f = self.fusion
        dense = self.dense_ranking(query if query_vector is None else query_vector, allowed, where) \
            if f.dense_weight > 0 else []
        lexical = self.lexical_ranking(query, allowed) if f.lexical_weight > 0 else []
        fused: dict[str, list] = {}
        for rank, (parent, score, chunk) in enumerate(dense):
            fused[parent] = [f.dense_weight / (f.rrf_k + rank + 1), score, None, chunk]
        for rank, (parent, score, chunk) in enumerate(lexical):
            row = fused.setdefault(parent, [0.0, None, None, chunk])
            row[0] += f.lexical_weight / (f.rrf_k + rank + 1)
            row[2] = score
        ranked = sorted(fused.items(), key=lambda kv: -kv[1][0])[:k]
        return [RankedParent(p, s, d, lx, c) for p, (s, d, lx, c) in ranked]
