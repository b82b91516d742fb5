"""Leave-last-out evaluation, exactly the protocol of ``datasets/README.md``.

Per user, events sorted by time (stable: ties keep file order). The target is the last event
(with ``target_event``, the last event of that type); users whose target is their first event
are skipped. History is everything before the target. Every model is fitted on histories only:
targets and anything after them never reach ``fit`` (users without a target contribute their
whole log, since none of it is evaluated). ALL items are ranked; history items are excluded
unless ``keep_seen``. HR@10 and NDCG@10 are averaged over evaluated users.

Ties: the protocol does not say, and on sparse data it decides the baselines' figures (on
Taobao most items seen by one shopper only share one kNN score). The default rule is the
*expected* rank under a random tie-break, so neither item order nor a constant score earns
credit; "optimistic" (target first among equals) reproduces the reference Beauty figures to
the fourth decimal, "pessimistic" is the lower bound. Scoring runs in batches of users (dense
``batch x n_items`` blocks), which keeps 22k users x 12k items in a few seconds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Literal

import numpy as np

from ._components import Scorer
from ._interactions import EVENT_CODE, EventLog, Histories

K = 10
Ties = Literal["expected", "pessimistic", "optimistic"]
TIE_RULES: tuple[str, ...] = ("expected", "pessimistic", "optimistic")


@dataclass(frozen=True)
class Split:
    """Training histories for every user, plus the evaluated rows and their target items."""

    train: Histories
    n_items: int
    users: np.ndarray  # user rows evaluated
    targets: np.ndarray  # target item per evaluated user


@dataclass(frozen=True)
class Result:
    name: str
    hr: float
    ndcg: float
    users: int
    fit_s: float  # wall clock
    eval_s: float
    fit_cpu_s: float = 0.0  # process CPU time: the honest figure on a shared, busy machine

    def as_dict(self) -> dict[str, float | int]:
        return {
            "hr@10": round(self.hr, 4),
            "ndcg@10": round(self.ndcg, 4),
            "fit_s": round(self.fit_s, 2),
            "fit_cpu_s": round(self.fit_cpu_s, 2),
            "eval_s": round(self.eval_s, 2),
        }


def leave_last_out(histories: Histories, n_items: int, target_event: str | None = None) -> Split:
    """Cut each user's history before its target (see module docstring)."""
    n = histories.n_users
    starts, ends = histories.indptr[:-1], histories.indptr[1:]
    flat = np.arange(len(histories.item))
    if target_event is None:
        target = np.where(ends > starts, ends - 1, -1)
    else:
        code = EVENT_CODE.get(target_event)
        if code is None:
            from retrieval import InputError

            raise InputError(f"Unknown target event {target_event!r}; choose one of: {', '.join(EVENT_CODE)}")
        hit = np.where(histories.event == code, flat, -1)
        target = np.full(n, -1, np.int64)
        nonempty = ends > starts
        # last matching flat index per user (reduceat needs non-empty segments)
        target[nonempty] = np.maximum.reduceat(hit, starts[nonempty]) if hit.size else -1
    has_target = target >= 0
    cut = np.where(has_target, target, ends)  # users without a target keep everything
    keep = flat < np.repeat(cut, ends - starts)
    lengths = np.bincount(histories.row_ids()[keep], minlength=n)
    indptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    train = Histories(indptr, histories.item[keep], histories.event[keep], histories.timestamp[keep])
    users = np.flatnonzero(has_target & (target > starts))  # skip: target is the first event
    return Split(train, n_items, users, histories.item[target[users]])


def split_log(log: EventLog, target_event: str | None = None) -> Split:
    return leave_last_out(log.histories(), len(log.item_ids), target_event)


def rank_metrics(
    scores: np.ndarray, targets: np.ndarray, k: int = K, ties: Ties = "expected"
) -> tuple[np.ndarray, np.ndarray]:
    """Per-row hit and NDCG at ``k`` for a dense score block, under a tie rule.

    With ``g`` items scored above the target and ``e`` others equal to it, the target's 0-based
    rank is ``g`` (optimistic), ``g + e`` (pessimistic) or uniform on ``[g, g + e]`` (expected:
    the mean over random tie-breaks, computed exactly from cumulative discounts).
    """
    if ties not in TIE_RULES:
        raise ValueError(f"Unknown tie rule {ties!r}; choose one of: {', '.join(TIE_RULES)}")
    target_scores = scores[np.arange(len(targets)), targets][:, None]
    greater = (scores > target_scores).sum(axis=1)
    equal = (scores == target_scores).sum(axis=1) - 1
    lo = greater if ties != "pessimistic" else greater + equal
    hi = greater + equal if ties != "optimistic" else greater
    # cum[r] = sum of discounts of ranks 0..r-1, so ranks lo..hi inside the top k sum to
    # cum[min(hi, k-1) + 1] - cum[lo]
    cum = np.concatenate(([0.0], np.cumsum(1.0 / np.log2(np.arange(k) + 2.0))))
    inside = lo < k
    top = np.minimum(hi, k - 1) + 1
    span = (hi - lo + 1).astype(np.float64)
    hit = np.where(inside, (top - lo) / span, 0.0)
    ndcg = np.where(inside, (cum[np.minimum(top, k)] - cum[np.minimum(lo, k)]) / span, 0.0)
    excluded = ~np.isfinite(target_scores[:, 0])  # target removed from the ranking (seen item)
    hit[excluded] = 0.0
    ndcg[excluded] = 0.0
    return hit, ndcg


def evaluate(
    name: str,
    scorer: Scorer,
    split: Split,
    keep_seen: bool = False,
    ties: Ties = "expected",
    k: int = K,
    batch_size: int = 500,
    fitted: bool = False,
) -> Result:
    """Fit (unless ``fitted``) on ``split.train`` and measure HR@k / NDCG@k on the targets."""
    t0, c0 = time.perf_counter(), time.process_time()
    if not fitted:
        scorer.fit(split.train, split.n_items)
    t1, c1 = time.perf_counter(), time.process_time()
    hits, ndcgs = [], []
    for lo in range(0, len(split.users), batch_size):
        rows = split.users[lo : lo + batch_size]
        batch = split.train.take(rows)
        scores = np.asarray(scorer.score_batch(batch), dtype=np.float32)
        if not keep_seen:
            scores[batch.row_ids(), batch.item] = -np.inf
        hit, ndcg = rank_metrics(scores, split.targets[lo : lo + batch_size], k, ties)
        hits.append(hit)
        ndcgs.append(ndcg)
    t2 = time.perf_counter()
    n = len(split.users)
    hr = float(np.concatenate(hits).mean()) if n else 0.0
    nd = float(np.concatenate(ndcgs).mean()) if n else 0.0
    return Result(name, hr, nd, n, t1 - t0, t2 - t1, c1 - c0)
