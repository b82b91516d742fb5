"""Click models: p(click | shopper, ad) from impression/click logs.

Two models behind one ``predict`` method, in a registry (``CLICK_MODELS``):

* ``MLPClickModel`` - the study's model: the shopper's unit behaviour vector, the ad vector,
  their elementwise product and their Euclidean distance, plus a learnt ad-id embedding, into
  two dense layers; binary cross-entropy, Adam, torch on CPU with a fixed seed. The product
  term lets it learn which *directions* of agreement matter (a beauty shopper near a beauty
  ad), which distance alone cannot. Training keeps the epoch with the best validation loss.
* ``DistanceLogistic`` - the baseline: logistic regression on distance only. Untrained, it
  carries hand-set coefficients (a ~5% CTR for a close ad falling with distance), so the ad
  server has a sensible order before any logs exist.

Weights are saved under the state directory (never in the repo) with their dimension and ad
vocabulary, and loaded with ``weights_only=True`` (no pickled code runs).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from retrieval import ConfigError

log = logging.getLogger(__name__)


class ClickModel(Protocol):
    def predict(self, user: np.ndarray, ad: np.ndarray, ad_ids: Sequence[str]) -> np.ndarray:
        """p(click) per row of ``user`` (n x d) and ``ad`` (n x d)."""
        ...


@dataclass(frozen=True)
class ClickLogs:
    user: np.ndarray  # n x d unit behaviour vectors at impression time
    ad: np.ndarray  # n x d ad vectors
    ad_ids: tuple[str, ...]  # per row
    clicked: np.ndarray  # n, 0/1
    position: np.ndarray  # n, slot shown in (kept for analysis; not a model input)

    def __len__(self) -> int:
        return len(self.clicked)

    def take(self, idx: np.ndarray) -> ClickLogs:
        return ClickLogs(
            self.user[idx],
            self.ad[idx],
            tuple(self.ad_ids[i] for i in idx),
            self.clicked[idx],
            self.position[idx],
        )


def distance(user: np.ndarray, ad: np.ndarray) -> np.ndarray:
    return np.linalg.norm(np.asarray(user, np.float32) - np.asarray(ad, np.float32), axis=1)


class DistanceLogistic:
    """Baseline: ``p = sigmoid(intercept + slope * distance)``."""

    def __init__(self, intercept: float = -1.5, slope: float = -1.5):
        self.intercept, self.slope = intercept, slope

    def fit(self, logs: ClickLogs) -> DistanceLogistic:
        from sklearn.linear_model import LogisticRegression

        lr = LogisticRegression().fit(distance(logs.user, logs.ad)[:, None], logs.clicked.astype(int))
        self.intercept, self.slope = float(lr.intercept_[0]), float(lr.coef_[0, 0])
        return self

    def predict(self, user, ad, ad_ids=()) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(self.intercept + self.slope * distance(user, ad))))


class MLPClickModel:
    def __init__(
        self,
        dim: int,
        ad_vocab: Sequence[str] = (),
        hidden: tuple[int, ...] = (64, 32),
        ad_embedding: int = 8,
        epochs: int = 30,
        lr: float = 1e-3,
        batch_size: int = 256,
        weight_decay: float = 1e-4,
        patience: int = 4,
        seed: int = 0,
    ):
        self.dim, self.hidden, self.ad_embedding = dim, tuple(hidden), ad_embedding
        self.epochs, self.lr, self.batch_size = epochs, lr, batch_size
        self.weight_decay, self.patience, self.seed = weight_decay, patience, seed
        self.vocab = {a: i + 1 for i, a in enumerate(dict.fromkeys(ad_vocab))}  # 0 = an ad never seen
        self.net = self._build()

    def _build(self):
        import torch
        from torch import nn

        torch.manual_seed(self.seed)
        layers: list[nn.Module] = []
        width = 3 * self.dim + 1 + self.ad_embedding
        for h in self.hidden:
            layers += [nn.Linear(width, h), nn.ReLU(), nn.Dropout(0.1)]
            width = h
        layers.append(nn.Linear(width, 1))
        return nn.ModuleDict(
            {"ads": nn.Embedding(len(self.vocab) + 1, self.ad_embedding), "mlp": nn.Sequential(*layers)}
        )

    def _logits(self, user, ad, ad_index):
        import torch

        dist = torch.linalg.vector_norm(user - ad, dim=1, keepdim=True)
        x = torch.cat([user, ad, user * ad, dist, self.net["ads"](ad_index)], dim=1)
        return self.net["mlp"](x).squeeze(1)

    def _tensors(self, user, ad, ad_ids):
        import torch

        if np.asarray(user).shape[-1] != self.dim:
            raise ConfigError(f"click model expects {self.dim}-dim vectors, got {np.asarray(user).shape[-1]}")
        idx = np.array([self.vocab.get(a, 0) for a in ad_ids], dtype=np.int64)
        return (
            torch.as_tensor(np.asarray(user, np.float32)),
            torch.as_tensor(np.asarray(ad, np.float32)),
            torch.as_tensor(idx),
        )

    def fit(self, logs: ClickLogs) -> MLPClickModel:
        import torch

        threads = torch.get_num_threads()
        # Batches of 256 through 64-wide layers: thread hand-offs cost more than the arithmetic
        # (measured 13x slower with 2 threads than 1), so train single-threaded and restore.
        torch.set_num_threads(1)
        try:
            return self._fit(logs)
        finally:
            torch.set_num_threads(threads)

    def _fit(self, logs: ClickLogs) -> MLPClickModel:
        import torch

        if not self.vocab:
            self.vocab = {a: i + 1 for i, a in enumerate(dict.fromkeys(logs.ad_ids))}
            self.net = self._build()
        rng = np.random.default_rng(self.seed)
        order = rng.permutation(len(logs))
        n_val = max(1, len(logs) // 10)  # early-stopping slice, never the caller's test set
        val, train = logs.take(order[:n_val]), logs.take(order[n_val:])
        tu, ta, ti = self._tensors(train.user, train.ad, train.ad_ids)
        ty = torch.as_tensor(train.clicked, dtype=torch.float32)
        vu, va, vi = self._tensors(val.user, val.ad, val.ad_ids)
        vy = torch.as_tensor(val.clicked, dtype=torch.float32)
        opt = torch.optim.Adam(self.net.parameters(), lr=self.lr, weight_decay=self.weight_decay)
        loss_fn = torch.nn.BCEWithLogitsLoss()
        gen = torch.Generator().manual_seed(self.seed)
        best, best_state, stale = float("inf"), None, 0
        for epoch in range(self.epochs):
            self.net.train()
            for batch in torch.randperm(len(ty), generator=gen).split(self.batch_size):
                opt.zero_grad()
                loss_fn(self._logits(tu[batch], ta[batch], ti[batch]), ty[batch]).backward()
                opt.step()
            self.net.eval()
            with torch.no_grad():
                v = float(loss_fn(self._logits(vu, va, vi), vy))
            if v < best - 1e-5:
                best, stale = v, 0
                best_state = {k: t.clone() for k, t in self.net.state_dict().items()}
            else:
                stale += 1
                if stale >= self.patience:
                    break
            log.debug("click model epoch %d validation loss %.4f", epoch, v)
        if best_state is not None:
            self.net.load_state_dict(best_state)
        self.net.eval()
        return self

    def predict(self, user, ad, ad_ids=()) -> np.ndarray:
        import torch

        ad_ids = list(ad_ids) or [""] * len(user)
        with torch.no_grad():
            return torch.sigmoid(self._logits(*self._tensors(user, ad, ad_ids))).numpy().astype(np.float64)

    def save(self, path: Path, space: str = "") -> None:
        """Write the weights; ``space`` names the embedding space (``BehaviourModel.space``)."""
        import torch

        path.parent.mkdir(parents=True, exist_ok=True)
        torch.save(
            {
                "dim": self.dim,
                "hidden": list(self.hidden),
                "ad_embedding": self.ad_embedding,
                "vocab": list(self.vocab),
                "space": space,
                "state": self.net.state_dict(),
            },
            path,
        )

    @classmethod
    def load(cls, path: Path, space: str | None = None) -> MLPClickModel:
        """Read saved weights; with ``space``, refuse weights trained in another embedding space."""
        import torch

        if not Path(path).exists():
            raise ConfigError(
                f"No click model at {path}; train one with `python benchmarks/recs_bench.py clicks`"
            )
        blob = torch.load(path, weights_only=True)
        if space is not None and blob.get("space") and blob["space"] != space:
            # Same dimension, different embedder: the numbers would load and mean nothing.
            raise ConfigError(
                f"Click model {path} was trained for embeddings {blob['space']!r}, not {space!r}; "
                "retrain it with `python benchmarks/recs_bench.py clicks`"
            )
        model = cls(blob["dim"], blob["vocab"], tuple(blob["hidden"]), blob["ad_embedding"])
        model.net.load_state_dict(blob["state"])
        model.net.eval()
        return model


CLICK_MODELS = {"mlp": MLPClickModel, "distance": DistanceLogistic}


def saved_click_model(path: Path, space: str) -> MLPClickModel | None:
    """The trained model at ``path`` for this embedding space, or None (the ad server then
    falls back to its distance prior). A model for another space is skipped with a warning:
    ads keep running while someone retrains."""
    if not Path(path).exists():
        return None
    try:
        return MLPClickModel.load(path, space=space)
    except ConfigError as exc:
        log.warning("not using the saved click model: %s", exc)
        return None


def click_metrics(model: ClickModel, logs: ClickLogs) -> dict[str, float]:
    """Held-out AUC and log-loss."""
    from sklearn.metrics import log_loss, roc_auc_score

    p = np.clip(model.predict(logs.user, logs.ad, logs.ad_ids), 1e-7, 1 - 1e-7)
    y = logs.clicked.astype(int)
    return {"auc": float(roc_auc_score(y, p)), "log_loss": float(log_loss(y, p, labels=[0, 1]))}
