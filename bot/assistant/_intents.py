"""Intent classifier: the deterministic planner's router.

The bundled LLM cannot call tools, so the planner routes each shopper message by its intent.
The classifier is trained from labelled utterances kept as data (``data/intents/*.csv``), so a
shop improves routing by adding rows, not by editing keyword lists.

Design decisions:

* Features are three blocks, each L2-normalised, weighted and concatenated: the sentence
  embedding (paraphrases, word order, meaning without shared words), TF-IDF word 1-2 grams
  (exact cue words: "refund", "PayPal", "DAN") and TF-IDF character 2-5 grams inside word
  boundaries (typos, slang spellings, order ids like "O1234"). On the shop routes the
  combination beats either half alone (``shoptalk eval intents`` prints both baselines).
* Multinomial logistic regression: linear, trains in seconds on thousands of rows, and its
  probabilities are usable as a confidence for the planner's "not sure, ask" threshold.
* Persistence never unpickles: one ``.npz`` (loaded with ``allow_pickle=False``) holds the
  weights, the IDF vectors and a JSON blob with vocabularies, labels and config. Loading a
  model file therefore cannot run code from it.
* Every model carries a fingerprint over the format version, the embedder, the config and the
  training rows; ``train_from_csv(..., cache=...)`` reuses a cached model only when it matches,
  so editing the CSV or switching embedders retrains automatically.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import os
import re
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal, get_args

import numpy as np
from scipy import sparse

from retrieval import ConfigError, Embedder, InputError, RecordError

from .._settings import REPO_ROOT

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
DEFAULT_INTENTS_CSV = REPO_ROOT / "data" / "intents" / "shop_intents_v2.csv"
# The planner's routes: the labels of shop_intents_v1.csv (data/intents/README.md defines each).
ShopIntent = Literal[
    "greeting",
    "product_search",
    "product_question",
    "compare",
    "recommend",
    "order_status",
    "order_change",
    "policy",
    "human",
    "complaint",
    "off_topic",
    "abusive",
    "injection",
]
SHOP_INTENTS: tuple[str, ...] = get_args(ShopIntent)
_LABEL = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class IntentPrediction:
    """The most likely intent, its probability, and the runner-ups (best first, top excluded)."""

    intent: str
    confidence: float
    alternatives: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class IntentExample:
    utterance: str
    intent: str
    line: int = 0  # 1-based line in the source file; 0 when built in code


@dataclass(frozen=True)
class IntentConfig:
    """Feature and model settings; part of the fingerprint, so changing one retrains a cache."""

    use_embeddings: bool = True
    word_ngrams: tuple[int, int] | None = (1, 2)
    char_ngrams: tuple[int, int] | None = (2, 5)
    embedding_weight: float = 2.0  # measured: 2x beats 1x and 3x on shop-intents CV
    tfidf_weight: float = 1.0
    C: float = 10.0
    max_iter: int = 3000
    alternatives: int = 3

    def __post_init__(self) -> None:
        if not (self.use_embeddings or self.word_ngrams or self.char_ngrams):
            raise ConfigError(
                "IntentConfig needs at least one feature block: embeddings, word or char n-grams"
            )
        if self.C <= 0:
            raise ConfigError(f"IntentConfig.C must be positive, got {self.C}")

    @classmethod
    def from_dict(cls, raw: dict) -> IntentConfig:
        raw = dict(raw)
        for key in ("word_ngrams", "char_ngrams"):
            if raw.get(key) is not None:
                raw[key] = tuple(raw[key])
        return cls(**raw)


@dataclass(frozen=True)
class FitStats:
    rows: int
    intents: int
    embed_seconds: float  # wall clock, embedding the training utterances
    fit_seconds: float  # wall clock, TF-IDF + logistic regression
    cpu_seconds: float  # process CPU time of the whole fit: comparable on a busy shared machine

    @property
    def total_seconds(self) -> float:
        return self.embed_seconds + self.fit_seconds


def read_intent_csv(path: str | Path) -> list[IntentExample]:
    """Read ``utterance,intent`` rows (extra columns ignored); a bad row raises with its line."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"Intent file {path} not found; pass a CSV with utterance,intent columns")
    examples: list[IntentExample] = []
    seen: dict[str, tuple[str, int]] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = {"utterance", "intent"} - set(reader.fieldnames or ())
        if missing:
            raise RecordError(
                str(path),
                1,
                f"missing column(s) {', '.join(sorted(missing))}; the header must include utterance,intent",
            )
        line = 1
        for row in reader:
            # line_num is where the record ended; a quoted field may span lines, so the record
            # starts right after the previous one ended.
            start, line = line + 1, reader.line_num
            utterance = (row.get("utterance") or "").strip()
            intent = (row.get("intent") or "").strip()
            if not utterance or not intent:
                empty = "utterance" if not utterance else "intent"
                raise RecordError(str(path), start, f"empty {empty}; every row needs utterance,intent")
            if not _LABEL.match(intent):
                raise RecordError(
                    str(path),
                    start,
                    f"intent {intent!r} is not a label; use one token "
                    "such as order_status (letters, digits, _ . -)",
                )
            key = " ".join(utterance.lower().split())
            if key in seen and seen[key][0] != intent:
                other, other_line = seen[key]
                raise RecordError(
                    str(path),
                    start,
                    f"{utterance!r} is labelled {intent!r} here but "
                    f"{other!r} on line {other_line}; keep one label",
                )
            seen.setdefault(key, (intent, start))
            examples.append(IntentExample(utterance, intent, start))
    if not examples:
        raise RecordError(str(path), 1, "no rows; add utterance,intent examples")
    return examples


def _fingerprint(
    embedder: Embedder | None, config: IntentConfig, utterances: Sequence[str], labels: Sequence[str]
) -> str:
    h = hashlib.sha256()
    emb = [embedder.name, int(embedder.dim)] if embedder is not None and config.use_embeddings else None
    h.update(json.dumps([FORMAT_VERSION, emb, asdict(config)], sort_keys=True).encode())
    for text, label in zip(utterances, labels, strict=True):
        h.update(f"{text}\x1f{label}\x1e".encode())
    return h.hexdigest()


def _vectorizer(kind: str, ngrams: tuple[int, int], vocabulary: dict[str, int] | None = None):
    from sklearn.feature_extraction.text import TfidfVectorizer

    # sublinear tf: a repeated word ("cancel cancel cancel") should not outweigh other cues.
    analyzer = "word" if kind == "word" else "char_wb"
    token_pattern = r"(?u)\b\w+\b" if kind == "word" else None  # keep 1-letter tokens ("a", "I")
    return TfidfVectorizer(
        analyzer=analyzer,
        ngram_range=ngrams,
        sublinear_tf=True,
        lowercase=True,
        strip_accents="unicode",
        token_pattern=token_pattern,
        vocabulary=vocabulary,
        dtype=np.float32,
    )


class IntentClassifier:
    """Sentence embeddings (+ TF-IDF n-grams) and logistic regression over labelled utterances.

    >>> clf = IntentClassifier(embedder).fit(utterances, labels)
    >>> clf.predict(["where is my order O1001?"])[0].intent
    'order_status'
    """

    def __init__(self, embedder: Embedder, config: IntentConfig | None = None):
        self.embedder = embedder
        self.config = config or IntentConfig()
        self.intents: tuple[str, ...] = ()
        self.fingerprint: str = ""
        self.last_fit: FitStats | None = None
        self._vectorizers: dict[str, object] = {}
        self._coef: np.ndarray | None = None  # (intents, features)
        self._intercept: np.ndarray | None = None

    @property
    def is_fitted(self) -> bool:
        return self._coef is not None

    # -- training -------------------------------------------------------------------------

    def fit(self, utterances: Sequence[str], labels: Sequence[str]) -> IntentClassifier:
        from sklearn.linear_model import LogisticRegression

        utterances, labels = list(utterances), list(labels)
        if len(utterances) != len(labels):
            raise InputError(
                f"fit got {len(utterances)} utterances but {len(labels)} labels; pass one label each"
            )
        intents = sorted(set(labels))
        if len(intents) < 2:
            raise InputError(f"fit needs at least two intents, got {intents}; add examples of other routes")
        cfg = self.config
        cpu0 = time.process_time()
        self._vectorizers = {}
        if cfg.word_ngrams:
            self._vectorizers["word"] = _vectorizer("word", cfg.word_ngrams).fit(utterances)
        if cfg.char_ngrams:
            self._vectorizers["char"] = _vectorizer("char", cfg.char_ngrams).fit(utterances)
        t0 = time.perf_counter()
        dense = self.embedder.embed_batch(utterances) if cfg.use_embeddings else None
        embed_seconds = time.perf_counter() - t0
        t0 = time.perf_counter()
        features = self._features(utterances, dense)
        # lbfgs is deterministic; random_state only pins solvers that shuffle.
        model = LogisticRegression(C=cfg.C, max_iter=cfg.max_iter, random_state=13)
        model.fit(features, labels)
        coef, intercept = model.coef_.astype(np.float32), model.intercept_.astype(np.float32)
        if coef.shape[0] == 1:
            # Binary LR keeps one row scoring the second class; softmax over [0, z] equals its sigmoid.
            coef = np.vstack([np.zeros_like(coef), coef])
            intercept = np.concatenate([np.zeros(1, np.float32), intercept])
        self._coef, self._intercept = coef, intercept
        self.intents = tuple(str(c) for c in model.classes_)
        self.fingerprint = _fingerprint(self.embedder, cfg, utterances, labels)
        self.last_fit = FitStats(
            len(utterances), len(intents), embed_seconds, time.perf_counter() - t0, time.process_time() - cpu0
        )
        log.info(
            "intent classifier: %d rows, %d intents, embed %.1fs, fit %.1fs",
            len(utterances),
            len(intents),
            embed_seconds,
            self.last_fit.fit_seconds,
        )
        return self

    def fit_examples(self, examples: Sequence[IntentExample]) -> IntentClassifier:
        return self.fit([e.utterance for e in examples], [e.intent for e in examples])

    @classmethod
    def train_from_csv(
        cls,
        path: str | Path,
        embedder: Embedder,
        *,
        config: IntentConfig | None = None,
        cache: str | Path | None = None,
    ) -> IntentClassifier:
        """Train on a CSV; with ``cache``, reuse the model saved there unless it is stale."""
        examples = read_intent_csv(path)
        return cls.train(
            [e.utterance for e in examples],
            [e.intent for e in examples],
            embedder,
            config=config,
            cache=cache,
        )

    @classmethod
    def train(
        cls,
        utterances: Sequence[str],
        labels: Sequence[str],
        embedder: Embedder,
        *,
        config: IntentConfig | None = None,
        cache: str | Path | None = None,
    ) -> IntentClassifier:
        """Fit, or reuse the model saved at ``cache`` when its fingerprint matches these rows."""
        config = config or IntentConfig()
        if cache is not None and Path(cache).exists():
            wanted = _fingerprint(embedder, config, utterances, labels)
            try:
                model = cls.load(cache, embedder)
            except ConfigError as exc:  # unreadable or from another version: rebuild it below
                log.warning("retraining intent model: %s", exc)
            else:
                if model.fingerprint == wanted:
                    return model
                log.info("retraining intent model: %s is stale (training data or config changed)", cache)
        model = cls(embedder, config).fit(utterances, labels)
        if cache is not None:
            model.save(cache)
        return model

    # -- prediction -----------------------------------------------------------------------

    def _features(self, texts: Sequence[str], dense: np.ndarray | None) -> sparse.csr_matrix:
        cfg = self.config
        blocks = []
        if dense is not None:
            blocks.append(sparse.csr_matrix(dense * np.float32(cfg.embedding_weight)))
        for kind in ("word", "char"):
            vec = self._vectorizers.get(kind)
            if vec is not None:
                blocks.append(vec.transform(texts) * np.float32(cfg.tfidf_weight))  # type: ignore[attr-defined]
        return sparse.hstack(blocks, format="csr", dtype=np.float32)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """``(len(texts), len(intents))`` probabilities, columns in ``self.intents`` order."""
        if self._coef is None or self._intercept is None:
            raise ConfigError("IntentClassifier is not trained; call fit(), train_from_csv() or load()")
        texts = [str(t) for t in texts]
        if not texts:
            return np.zeros((0, len(self.intents)), dtype=np.float32)
        dense = self.embedder.embed_batch(texts) if self.config.use_embeddings else None
        scores = np.asarray(self._features(texts, dense) @ self._coef.T) + self._intercept
        scores -= scores.max(axis=1, keepdims=True)
        probs = np.exp(scores)
        return probs / probs.sum(axis=1, keepdims=True)

    def predict(self, texts: Sequence[str]) -> list[IntentPrediction]:
        out = []
        k = self.config.alternatives
        for row in self.predict_proba(texts):
            order = np.argsort(-row, kind="stable")
            alts = tuple((self.intents[i], float(row[i])) for i in order[1 : 1 + k])
            out.append(IntentPrediction(self.intents[order[0]], float(row[order[0]]), alts))
        return out

    def predict_one(self, text: str) -> IntentPrediction:
        return self.predict([text])[0]

    # -- persistence ----------------------------------------------------------------------

    def save(self, path: str | Path) -> Path:
        """Write one ``.npz`` (no pickles) atomically; returns the path written."""
        if self._coef is None or self._intercept is None:
            raise ConfigError("Cannot save an untrained IntentClassifier; call fit() first")
        path = Path(path)
        vocab = {
            kind: sorted(v.vocabulary_, key=v.vocabulary_.get)  # type: ignore[attr-defined]
            for kind, v in self._vectorizers.items()
        }
        meta = {
            "format_version": FORMAT_VERSION,
            "fingerprint": self.fingerprint,
            "embedder": {"name": self.embedder.name, "dim": int(self.embedder.dim)},
            "config": asdict(self.config),
            "intents": list(self.intents),
            "vocabulary": vocab,
        }
        arrays = {
            "coef": self._coef,
            "intercept": self._intercept,
            "meta": np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
        }
        for kind, v in self._vectorizers.items():
            arrays[f"idf_{kind}"] = v.idf_.astype(np.float32)  # type: ignore[attr-defined]
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write next to the target, then rename: a crash never leaves a half-written model.
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz.tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez_compressed(fh, **arrays)  # type: ignore[arg-type]
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path

    @classmethod
    def load(cls, path: str | Path, embedder: Embedder) -> IntentClassifier:
        """Load a model saved by ``save``; it must have been trained with the same embedder."""
        path = Path(path)
        try:
            with np.load(path, allow_pickle=False) as data:
                arrays = {k: data[k] for k in data.files}
            meta = json.loads(arrays.pop("meta").tobytes().decode())
        except FileNotFoundError:
            raise ConfigError(f"Intent model {path} not found; train one with train_from_csv()") from None
        except (OSError, ValueError, KeyError) as exc:
            raise ConfigError(f"Intent model {path} is unreadable ({exc}); delete it and retrain") from None
        if meta.get("format_version") != FORMAT_VERSION:
            raise ConfigError(
                f"Intent model {path} has format {meta.get('format_version')}, this code reads "
                f"{FORMAT_VERSION}; delete it and retrain"
            )
        config = IntentConfig.from_dict(meta["config"])
        saved = meta["embedder"]
        if config.use_embeddings and (saved["name"], saved["dim"]) != (embedder.name, int(embedder.dim)):
            raise ConfigError(
                f"Intent model {path} was trained with embedder {saved['name']} ({saved['dim']}-d), "
                f"not {embedder.name} ({embedder.dim}-d); retrain it with this embedder"
            )
        model = cls(embedder, config)
        for kind, terms in meta["vocabulary"].items():
            ngrams = config.word_ngrams if kind == "word" else config.char_ngrams
            vec = _vectorizer(kind, ngrams, {t: i for i, t in enumerate(terms)})  # type: ignore[arg-type]
            vec.idf_ = arrays[f"idf_{kind}"]
            model._vectorizers[kind] = vec
        model._coef, model._intercept = arrays["coef"], arrays["intercept"]
        model.intents = tuple(meta["intents"])
        model.fingerprint = meta["fingerprint"]
        return model
