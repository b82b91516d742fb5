"""The reference baselines of ``datasets/README.md``, measured in every ``eval recs`` run.

They are deliberately plain (no pruning, shrinkage or decay) so that their figures can be
compared with the reference table: popularity counts; item-kNN = binary user-item matrix,
cosine item-item similarity (self-similarity included, as a full cosine matrix has it), user
score = sum of similarities to the distinct history items; weighted history + kNN = the sum of
event weights per history item (view 1, favorite 2, cart 3, purchase 4) plus the kNN scores of
that weighted history scaled to [0, 1] per user, so kNN mostly orders what history leaves tied
(the reading of the reference that reproduces its figure most closely, see docs/recs_eval.md).
"""

from __future__ import annotations

import numpy as np

from ._components import ItemKNN, Popularity, Profile
from ._interactions import Histories

PopularityBaseline = Popularity


class ItemKNNBaseline(ItemKNN):
    def __init__(self) -> None:
        super().__init__(
            neighbours=0, shrink=0.0, alpha=0.5, profile=Profile(binary=True), self_similarity=True
        )


class WeightedHistoryKNN:
    def __init__(self) -> None:
        self.knn = ItemKNN(neighbours=0, shrink=0.0, alpha=0.5, profile=Profile(), self_similarity=True)

    def fit(self, train: Histories, n_items: int) -> WeightedHistoryKNN:
        self.knn.fit(train, n_items)
        self.n_items = n_items
        return self

    def score_batch(self, h: Histories) -> np.ndarray:
        return self.knn.profile.matrix(h, self.n_items).toarray() + self.knn.score_batch(h)
