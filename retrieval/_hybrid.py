"""Hybrid retrieval over chunks: dense (vector index) + lexical (BM25), fused per parent.

Documents are split into chunks (a product's title/attributes chunk plus description windows;
a policy section; a Q&A pair). Each side ranks *parents*, then the two are fused per parent.

Measured on real shopper questions (``shoptalk eval retrieval``, docs/retrieval_eval.md):

* Lexical side: BM25 over the parent's whole text beats the best single chunk by a wide margin
  (a product is described by all of its chunks; one short chunk rarely holds every query term).
  ``Fusion.lexical_scope`` keeps the per-chunk variant available.
* Dense side: the best chunk plus a share of the parent's *mean* chunk cosine beats the best
  chunk alone (a product whose chunks are all on topic is a better bet than one lucky chunk).
  The mean is estimated from the candidates the vector index returns; chunks it did not return
  count at the lowest returned cosine (an upper bound for them). ``RankedParent.dense`` stays
  the best chunk's cosine, so callers can still read it as "how close is the closest text".
* Fusion: the pooled dense score plus a quarter of the BM25 score, scaled by the query's best
  BM25 (so it lies in [0, 1] whatever the query length), beat reciprocal-rank fusion on R@1 and
  MRR@10 with every embedder tried: ranks throw away *how much* better the top hit is. RRF
  stays available (``method="rrf"``); there a small ``rrf_k`` (10) beat the customary 60.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from ._embedder import Embedder
from ._errors import ConfigError
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
    """How the two sides are combined (see module docstring).

    ``method="score"``: ``dense_weight * pooled dense score + lexical_weight * BM25 / the query's
    best BM25``. ``method="rrf"``: ``sum of weight / (rrf_k + rank)``; there 0.75 suits
    ``lexical_weight``. A weight of 0 switches that side off in either method.
    """

    method: Literal["score", "rrf"] = "score"
    rrf_k: float = 10.0
    dense_weight: float = 1.0
    lexical_weight: float = 0.25
    dense_candidates: int = 300  # chunks fetched from the vector index per query
    depth: int = 100  # parents kept from each side before fusing
    dense_mean_weight: float = 1.0  # dense parent score = best cosine + this * mean chunk cosine
    lexical_scope: Literal["parent", "chunk"] = "parent"  # BM25 document: whole parent or best chunk


@dataclass(frozen=True)
class RankedParent:
    parent_id: str
    score: float  # fused
    dense: float | None  # best chunk cosine, if the dense side saw it
    lexical: float | None  # BM25 (parent or best chunk, per lexical_scope), if the lexical side saw it
    chunk_id: str  # the chunk that matched best (dense side first)


class HybridIndex:
    """Fused parent ranking over a fixed set of chunks whose vectors live in ``index``."""

    def __init__(
        self, chunks: Sequence[Chunk], index: VectorIndex, embedder: Embedder, fusion: Fusion | None = None
    ):
        self.chunks = list(chunks)
        self.index = index
        self.embedder = embedder
        self.fusion = fusion or Fusion()
        if self.fusion.lexical_scope not in ("parent", "chunk"):
            raise ConfigError(
                f"Unknown lexical_scope {self.fusion.lexical_scope!r}; choose 'parent' or 'chunk'"
            )
        if self.fusion.method not in ("score", "rrf"):
            raise ConfigError(f"Unknown fusion method {self.fusion.method!r}; choose 'score' or 'rrf'")
        self.lexical = LexicalIndex([c.text for c in self.chunks])
        self.parent_ids = sorted({c.parent_id for c in self.chunks})
        self._parent_pos = {p: i for i, p in enumerate(self.parent_ids)}
        self._chunk_parent = np.array([self._parent_pos[c.parent_id] for c in self.chunks], dtype=np.int64)
        counts = np.bincount(self._chunk_parent, minlength=len(self.parent_ids))
        by_parent = np.argsort(self._chunk_parent, kind="stable")
        self._parent_chunks = np.split(by_parent, np.cumsum(counts)[:-1]) if self.chunks else []
        self._chunks_per_parent = dict(zip(self.parent_ids, counts.tolist(), strict=True))
        self.parent_lexical: LexicalIndex | None = None
        if self.fusion.lexical_scope == "parent":
            texts: dict[str, list[str]] = {p: [] for p in self.parent_ids}
            for c in self.chunks:
                texts[c.parent_id].append(c.text)
            self.parent_lexical = LexicalIndex(["\n".join(texts[p]) for p in self.parent_ids])

    # -- each side ---------------------------------------------------------------------------

    def dense_ranking(
        self, query: str | np.ndarray, allowed: Collection[str] | None = None, where: Where | None = None
    ) -> list[tuple[str, float, str]]:
        """(parent, best cosine, chunk id), ordered by the pooled score (module docstring)."""
        return [(p, best, chunk) for p, _, best, chunk in self._dense(query, allowed, where)]

    def _dense(
        self, query: str | np.ndarray, allowed: Collection[str] | None, where: Where | None
    ) -> list[tuple[str, float, float, str]]:
        """(parent, pooled score, best cosine, best chunk id), best pooled first."""
        vector = self.embedder.embed(query) if isinstance(query, str) else query
        candidates = self.fusion.dense_candidates
        flt = dict(where) if where else None
        if allowed is not None:
            # ``allowed`` is exact, so ``where`` adds nothing but cost: Chroma evaluates scalar
            # metadata ranges by scanning (0.4-0.9 s at 200k chunks) where a parent-id list
            # takes ~80 ms. A narrow set runs inside the index; a wide one (most of the
            # catalogue) is cheaper unfiltered, with candidates scaled so about ``n`` survive.
            if not allowed:
                return []
            if len(allowed) <= 5000:
                flt = {"parent_id": {"$in": sorted(allowed)}}
            else:
                flt = None
                share = len(allowed) / max(1, len(self.parent_ids))
                candidates = min(4 * candidates, int(np.ceil(candidates / max(share, 1e-9))))
        hits = self.index.query(vector, candidates, where=flt)
        floor = min((h.score for h in hits), default=0.0)
        best: dict[str, tuple[float, str]] = {}
        total: dict[str, float] = {}
        seen: dict[str, int] = {}
        for hit in hits:
            parent = str(hit.metadata.get("parent_id", hit.id))
            if allowed is not None and parent not in allowed:
                continue
            if parent not in best or hit.score > best[parent][0]:
                best[parent] = (hit.score, hit.id)
            total[parent] = total.get(parent, 0.0) + hit.score
            seen[parent] = seen.get(parent, 0) + 1
        w = self.fusion.dense_mean_weight
        rows = []
        for parent, (top, chunk) in best.items():
            n = max(self._chunks_per_parent.get(parent, 0), seen[parent])
            mean = (total[parent] + (n - seen[parent]) * floor) / n  # unseen chunks at the floor
            rows.append((parent, top + w * mean if w else top, top, chunk))
        rows.sort(key=lambda r: -r[1])
        return rows[: self.fusion.depth]

    def lexical_ranking(
        self, query: str, allowed: Collection[str] | None = None
    ) -> list[tuple[str, float, str]]:
        """(parent, BM25 score, best chunk id) ordered best first; see ``Fusion.lexical_scope``."""
        if not self.chunks:
            return []
        allowed_pos = None
        if allowed is not None:
            allowed_pos = np.zeros(len(self.parent_ids), dtype=bool)
            for p in allowed:
                if p in self._parent_pos:
                    allowed_pos[self._parent_pos[p]] = True
        chunk_mask = None if allowed_pos is None else allowed_pos[self._chunk_parent]
        chunk_scores = self.lexical.scores(query, chunk_mask)
        if not chunk_scores.any():
            return []
        if self.parent_lexical is not None:
            per_parent = self.parent_lexical.scores(query, allowed_pos)
        else:
            per_parent = np.full(len(self.parent_ids), -1.0, dtype=np.float32)
            np.maximum.at(per_parent, self._chunk_parent, chunk_scores)
        order = np.argsort(-per_parent, kind="stable")[: self.fusion.depth]
        out = []
        for pos in order:
            if per_parent[pos] <= 0:
                break
            chunk_rows = self._parent_chunks[pos]
            best_chunk = chunk_rows[np.argmax(chunk_scores[chunk_rows])]
            out.append((self.parent_ids[pos], float(per_parent[pos]), self.chunks[best_chunk].id))
        return out

    # -- fused -----------------------------------------------------------------------------

    def rank(
        self,
        query: str,
        k: int = 10,
        allowed: Collection[str] | None = None,
        where: Where | None = None,
        query_vector: np.ndarray | None = None,
    ) -> list[RankedParent]:
        """Top ``k`` parents. ``allowed`` is the exact filter (both sides honour it); ``where`` is
        passed to the vector index only when there is no ``allowed`` set (see ``_dense``)."""
        f = self.fusion
        dense = (
            self._dense(query if query_vector is None else query_vector, allowed, where)
            if f.dense_weight > 0
            else []
        )
        lexical = self.lexical_ranking(query, allowed) if f.lexical_weight > 0 else []
        if f.method == "rrf":
            dense_part = {p: f.dense_weight / (f.rrf_k + i + 1) for i, (p, *_) in enumerate(dense)}
            lexical_part = {p: f.lexical_weight / (f.rrf_k + i + 1) for i, (p, *_) in enumerate(lexical)}
            dense_missing = lexical_missing = 0.0
        else:
            # A parent one side did not return scores at that side's lowest returned value:
            # it ranked below all of them there.
            dense_part = {p: f.dense_weight * pooled for p, pooled, _, _ in dense}
            dense_missing = min(dense_part.values(), default=0.0)
            top_bm25 = lexical[0][1] if lexical else 1.0
            lexical_part = {p: f.lexical_weight * s / top_bm25 for p, s, _ in lexical}
            lexical_missing = min(lexical_part.values(), default=0.0)
        cosine = {p: (top, chunk) for p, _, top, chunk in dense}
        bm25 = {p: (s, chunk) for p, s, chunk in lexical}
        fused = {
            p: dense_part.get(p, dense_missing) + lexical_part.get(p, lexical_missing)
            for p in {**dense_part, **lexical_part}
        }
        ranked = sorted(fused.items(), key=lambda kv: -kv[1])[:k]  # ties: dense order first
        return [
            RankedParent(
                p,
                score,
                cosine[p][0] if p in cosine else None,
                bm25[p][0] if p in bm25 else None,
                cosine[p][1] if p in cosine else bm25[p][1],
            )
            for p, score in ranked
        ]
