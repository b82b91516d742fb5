"""Retrieval evaluation: how well does the shop's own retriever find the product a question is about?

Data (see ``docs/retrieval_eval.md``): a corpus of products, one JSON object per line
(``{"id", "title", "text", "chunks": [...]}``), and queries (``{"query", "relevant": [ids]}``).

Design decisions:

* The system under test is the production retriever, built the production way: the corpus
  becomes ``Chunk`` objects, ``sync_index`` embeds them into a Chroma collection (in a temporary
  directory) and ``HybridIndex`` ranks them with the shop's ``Fusion``. Improving search means
  improving those classes, and this evaluation then measures the improvement.
* The dense-only and lexical-only figures are the two halves of that same ``HybridIndex``, so
  the table shows what fusion adds.
* ``bm25`` is a fixed external yardstick, deliberately *not* our lexical index: rank-bm25's
  ``BM25Okapi`` over the whole product text with lower-cased alphanumeric tokens, as the
  dataset README describes, so our numbers can be compared with its reference figure.
* Loading is strict: a malformed line raises ``RecordError`` (file:line) instead of being
  skipped, because a silently shorter query set changes the figures.
"""

from __future__ import annotations

import json
import logging
import re
import tempfile
import time
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from ._embedder import Embedder
from ._errors import ConfigError, RecordError
from ._hybrid import Chunk, Fusion, HybridIndex
from ._index import Metadata, VectorIndex

log = logging.getLogger(__name__)

CUTOFF = 10  # Recall@10 and MRR@10


# ------------------------------------------------------------------------------------ data


def read_jsonl(path: str | Path, fields: Mapping[str, type]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, record) per non-blank line; a malformed line raises ``RecordError``."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"File {str(path)!r} does not exist")
    with path.open(encoding="utf-8") as fh:
        for lineno, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                data = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise RecordError(
                    str(path), lineno, f"invalid JSON ({exc.msg} at column {exc.colno})"
                ) from None
            if not isinstance(data, dict):
                raise RecordError(str(path), lineno, f"expected a JSON object, got {type(data).__name__}")
            for key, kind in fields.items():
                if not isinstance(data.get(key), kind):
                    got = "missing" if key not in data else type(data[key]).__name__
                    raise RecordError(
                        str(path), lineno, f"field {key!r} must be a {kind.__name__} (got {got})"
                    )
            yield lineno, data


@dataclass(frozen=True)
class EvalProduct:
    id: str
    title: str
    text: str
    chunks: tuple[str, ...]


@dataclass(frozen=True)
class EvalQuery:
    query: str
    relevant: tuple[str, ...]


def load_corpus(path: str | Path) -> list[EvalProduct]:
    out: list[EvalProduct] = []
    seen: set[str] = set()
    for lineno, d in read_jsonl(path, {"id": str, "text": str, "chunks": list}):
        if d["id"] in seen:
            raise RecordError(str(path), lineno, f"duplicate product id {d['id']!r}")
        if not all(isinstance(c, str) for c in d["chunks"]):
            raise RecordError(str(path), lineno, "every entry of 'chunks' must be a string")
        title = d.get("title") or ""
        if not isinstance(title, str):
            raise RecordError(str(path), lineno, "field 'title' must be a string")
        seen.add(d["id"])
        out.append(EvalProduct(d["id"], title, d["text"], tuple(c for c in d["chunks"] if c.strip())))
    return out


def load_queries(path: str | Path, known_ids: Collection[str] | None = None) -> list[EvalQuery]:
    """Queries; with ``known_ids``, a relevant id missing from the corpus is an error too."""
    out: list[EvalQuery] = []
    for lineno, d in read_jsonl(path, {"query": str, "relevant": list}):
        relevant = d["relevant"]
        if not relevant or not all(isinstance(r, str) for r in relevant):
            raise RecordError(str(path), lineno, "'relevant' must be a non-empty list of product ids")
        if known_ids is not None:
            unknown = [r for r in relevant if r not in known_ids]
            if unknown:
                raise RecordError(str(path), lineno, f"relevant id {unknown[0]!r} is not in the corpus")
        out.append(EvalQuery(d["query"], tuple(dict.fromkeys(relevant))))
    return out


def corpus_chunks(products: Sequence[EvalProduct]) -> list[Chunk]:
    """One chunk per given chunk string (a product without any: its title and text)."""
    out = []
    for p in products:
        texts = list(p.chunks) or [f"{p.title}\n{p.text}".strip()]
        meta: Metadata = {"parent_id": p.id}
        out += [Chunk(f"{p.id}::{i}", p.id, t, meta) for i, t in enumerate(texts)]
    return out


# --------------------------------------------------------------------------------- metrics


@dataclass(frozen=True)
class Metrics:
    recall_at_1: float
    recall_at_10: float
    mrr_at_10: float
    queries: int


def score_rankings(rankings: Sequence[Sequence[str]], queries: Sequence[EvalQuery]) -> Metrics:
    """Recall@1, Recall@10 (share of relevant ids in the top k) and MRR@10, averaged over queries."""
    if len(rankings) != len(queries):
        raise ValueError(f"{len(rankings)} rankings for {len(queries)} queries")
    r1 = r10 = mrr = 0.0
    for ranked, q in zip(rankings, queries, strict=True):
        relevant = set(q.relevant)
        top = list(ranked[:CUTOFF])
        r1 += len(relevant.intersection(top[:1])) / len(relevant)
        r10 += len(relevant.intersection(top)) / len(relevant)
        first = next((i for i, pid in enumerate(top) if pid in relevant), None)
        mrr += 0.0 if first is None else 1.0 / (first + 1)
    n = max(1, len(queries))
    return Metrics(r1 / n, r10 / n, mrr / n, len(queries))


# -------------------------------------------------------------------------------- baseline

_ALNUM = re.compile(r"[a-z0-9]+")


def alnum_tokens(text: str) -> list[str]:
    return _ALNUM.findall(text.lower())


class PlainBM25:
    """The yardstick: rank-bm25 Okapi (its defaults) over each product's whole text."""

    def __init__(self, products: Sequence[EvalProduct]):
        from rank_bm25 import BM25Okapi

        self.ids = [p.id for p in products]
        self._bm25 = BM25Okapi([alnum_tokens(f"{p.title}\n{p.text}") or ["\u2205"] for p in products])

    def rank(self, query: str, k: int = CUTOFF) -> list[str]:
        scores = np.asarray(self._bm25.get_scores(alnum_tokens(query)))
        order = np.argsort(-scores, kind="stable")[:k]  # ties: corpus order
        return [self.ids[i] for i in order]


# ----------------------------------------------------------------------------------- runs


@dataclass(frozen=True)
class SystemResult:
    name: str
    metrics: Metrics
    seconds: float  # ranking every query, query embedding included

    @property
    def ms_per_query(self) -> float:
        return 1000.0 * self.seconds / max(1, self.metrics.queries)


@dataclass(frozen=True)
class RetrievalReport:
    systems: tuple[SystemResult, ...]
    products: int
    chunks: int
    queries: int
    embedder: str
    index_seconds: float  # embedding and storing every chunk (the shop's ingest)
    build_seconds: float  # lexical indexes and the baseline
    ablation: tuple[SystemResult, ...] = ()  # variants of the shop's retriever (see ``ablations``)

    def system(self, name: str) -> SystemResult:
        for s in self.systems + self.ablation:
            if s.name == name:
                return s
        have = ", ".join(s.name for s in self.systems + self.ablation)
        raise KeyError(f"Unknown system {name!r}; have: {have}")

    def as_dict(self) -> dict[str, Any]:
        """``{system: {metric: value}}`` plus ``run`` (sizes, timings) and ``ablation`` if measured."""

        def row(s: SystemResult) -> dict[str, float]:
            return {
                **{k: round(v, 4) for k, v in asdict(s.metrics).items() if k != "queries"},
                "seconds": round(s.seconds, 2),
                "ms_per_query": round(s.ms_per_query, 1),
            }

        out: dict[str, Any] = {s.name: row(s) for s in self.systems}
        if self.ablation:
            out["ablation"] = {s.name: row(s) for s in self.ablation}
        out["run"] = {
            "products": self.products,
            "chunks": self.chunks,
            "queries": self.queries,
            "embedder": self.embedder,
            "index_seconds": round(self.index_seconds, 1),
            "build_seconds": round(self.build_seconds, 1),
        }
        return out


Ranker = Callable[[str], list[str]]
IndexFactory = Callable[[str], VectorIndex]


def _ranker(hybrid: HybridIndex, vectors: Mapping[str, np.ndarray]) -> Ranker:
    return lambda q: [r.parent_id for r in hybrid.rank(q, CUTOFF, query_vector=vectors[q])]


def _run(name: str, ranker: Ranker, queries: Sequence[EvalQuery]) -> SystemResult:
    t0 = time.perf_counter()
    rankings = [ranker(q.query) for q in queries]
    seconds = time.perf_counter() - t0
    result = SystemResult(name, score_rankings(rankings, queries), seconds)
    log.info("%s: %s in %.1fs", name, result.metrics, seconds)
    return result


def ablations(base: Fusion) -> dict[str, Fusion]:
    """One idea switched off at a time, plus the fusion this project shipped before measuring."""
    return {
        "fusion_before_eval": Fusion(
            method="rrf",
            rrf_k=60.0,
            lexical_weight=1.0,
            dense_candidates=200,
            dense_mean_weight=0.0,
            lexical_scope="chunk",
        ),
        "bm25_per_chunk": replace(base, lexical_scope="chunk"),
        "dense_best_chunk_only": replace(base, dense_mean_weight=0.0),
        "rrf_instead_of_scores": replace(base, method="rrf", rrf_k=10.0, lexical_weight=0.75),
        "rrf_k60_equal_weights": replace(base, method="rrf", rrf_k=60.0, lexical_weight=1.0),
    }


def evaluate_retrieval(
    products: Sequence[EvalProduct],
    queries: Sequence[EvalQuery],
    embedder: Embedder,
    *,
    index_for: IndexFactory | None = None,
    fusion: Fusion | None = None,
    ablation: bool = False,
    progress: bool = False,
) -> RetrievalReport:
    """Build the shop's retriever over ``products`` and score it and the baselines on ``queries``.

    ``index_for(name)`` makes the vector index (default: Chroma in a temporary directory).
    ``ablation`` also scores the variants of ``ablations()`` over the same index; they share
    precomputed query vectors, so their seconds exclude query embedding.
    """
    from ._ingest import sync_index

    with tempfile.TemporaryDirectory(prefix="shoptalk-eval-", ignore_cleanup_errors=True) as tmp:
        if index_for is None:
            from ._index import ChromaIndex, chroma_client

            client = chroma_client(tmp)
            index_for = lambda name: ChromaIndex(client, name)  # noqa: E731
        chunks = corpus_chunks(products)
        index = index_for("eval-products")
        t0 = time.perf_counter()
        sync_index(chunks, index, embedder, progress=progress, label="corpus")
        index_seconds = time.perf_counter() - t0

        t0 = time.perf_counter()
        hybrid = HybridIndex(chunks, index, embedder, fusion)
        baseline = PlainBM25(products)
        build_seconds = time.perf_counter() - t0

        # Each system embeds its own queries (no shared cache), so its seconds are its full cost.
        systems = (
            _run("shoptalk", lambda q: [r.parent_id for r in hybrid.rank(q, CUTOFF)], queries),
            _run("bm25", lambda q: baseline.rank(q, CUTOFF), queries),
            _run("dense_only", lambda q: [p for p, _, _ in hybrid.dense_ranking(q)], queries),
            _run("lexical_only", lambda q: [p for p, _, _ in hybrid.lexical_ranking(q)], queries),
        )
        variants: tuple[SystemResult, ...] = ()
        if ablation:
            texts = [q.query for q in queries]
            vectors = dict(zip(texts, embedder.embed_batch(texts), strict=True))
            for name, variant in ablations(hybrid.fusion).items():
                variants += (
                    _run(name, _ranker(HybridIndex(chunks, index, embedder, variant), vectors), queries),
                )
    return RetrievalReport(
        systems,
        len(products),
        len(chunks),
        len(queries),
        embedder.name,
        index_seconds,
        build_seconds,
        variants,
    )
