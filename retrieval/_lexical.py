"""BM25 over chunks, through bm25s (a maintained, numpy-backed BM25)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

from ._text import tokenize


class LexicalIndex:
    """Okapi BM25 scores for every chunk; an empty or stop-word-only query scores zero."""

    def __init__(self, texts: Sequence[str], *, k1: float = 1.2, b: float = 0.75):
        import bm25s

        # bm25s sets its own logger to DEBUG on import, which prints "Building index from
        # tokens" through any application's root handler; its warnings still come through.
        logging.getLogger("bm25s").setLevel(logging.WARNING)
        self.size = len(texts)
        self._bm25 = bm25s.BM25(k1=k1, b=b, method="lucene")
        tokens = [tokenize(t) or ["\u2205"] for t in texts]
        if self.size:
            self._bm25.index(tokens, show_progress=False)

    def unknown_terms(self, text: str) -> list[str]:
        """Query terms that occur in no chunk at all (a shop that never mentions "laptop")."""
        vocab = self._bm25.vocab_dict if self.size else {}
        return [t for t in tokenize(text) if t not in vocab]

    def scores(self, query: str, mask: np.ndarray | None = None) -> np.ndarray:
        """BM25 score per chunk (zeros where ``mask`` is False)."""
        if not self.size:
            return np.zeros(0, dtype=np.float32)
        vocab = self._bm25.vocab_dict
        terms = [t for t in tokenize(query) if t in vocab]
        if not terms:
            return np.zeros(self.size, dtype=np.float32)
        weight_mask = None if mask is None else mask.astype(np.float32)
        return np.asarray(self._bm25.get_scores(terms, weight_mask=weight_mask), dtype=np.float32)
