"""The evaluation protocol on hand-made logs whose right answers are computed by hand."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from typer.testing import CliRunner

from recsys._baselines import ItemKNNBaseline, PopularityBaseline
from recsys._eval import evaluate, rank_metrics, split_log
from recsys._interactions import EventLog, Interaction, read_events_csv
from retrieval import InputError, RecordError

# Six items; a fake model gives every user the same scores A > B > C > D > E > F, so each
# target's rank can be read off by hand.
FIXED = {"A": 6.0, "B": 5.0, "C": 4.0, "D": 3.0, "E": 2.0, "F": 1.0}

LOG_CSV = """user_id,item_id,category_id,event,timestamp
u1,A,c,view,10
u1,C,c,view,20
u1,B,c,purchase,30
u2,D,c,purchase,5
u3,E,c,view,7
u3,A,c,view,7
u3,D,c,add_to_cart,7
u4,F,c,purchase,1
u4,A,c,view,2
u4,B,c,view,3
u5,C,c,view,1
u5,E,c,view,2
"""


class FixedScorer:
    """Same scores for everyone; records what ``fit`` was given."""

    def fit(self, train, n_items):
        self.train, self.n_items = train, n_items
        return self

    def score_batch(self, histories):
        row = np.array([FIXED[i] for i in self.item_ids], dtype=np.float64)
        return np.tile(row, (histories.n_users, 1))


@pytest.fixture
def log(tmp_path) -> EventLog:
    path = tmp_path / "events.csv"
    path.write_text(LOG_CSV)
    return read_events_csv(path)


def run(log, target_event=None, keep_seen=False, k=2):
    split = split_log(log, target_event)
    scorer = FixedScorer()
    scorer.item_ids = log.item_ids
    return split, scorer, evaluate("fixed", scorer, split, keep_seen, ties="pessimistic", k=k)


def test_last_event_targets_skip_rule_and_exclude_seen(log):
    split, _, result = run(log)
    # u2 has one event (target = first event): skipped. Targets: u1 B, u3 D (tie at t=7 keeps
    # file order, so D is last), u4 B, u5 E.
    targets = [log.item_ids[i] for i in split.targets]
    assert [log.user_ids[u] for u in split.users] == ["u1", "u3", "u4", "u5"]
    assert targets == ["B", "D", "B", "E"]
    # exclude seen: u1 history {A, C} -> B D E F, B rank 0; u3 {E, A} -> B C D, D rank 2 (miss
    # at k=2); u4 {F, A} -> B rank 0; u5 {C} -> A B D E, E rank 3 (miss)
    assert result.users == 4
    assert result.hr == pytest.approx(2 / 4)
    assert result.ndcg == pytest.approx((1 + 0 + 1 + 0) / 4)


def test_keep_seen_ranks_history_items_too(log):
    _, _, result = run(log, keep_seen=True, k=4)
    # full order A B C D E F: u1 B rank 1, u3 D rank 3, u4 B rank 1, u5 E rank 4 (miss at k=4)
    expected = (1 / math.log2(3) + 1 / math.log2(5) + 1 / math.log2(3) + 0) / 4
    assert result.hr == pytest.approx(3 / 4)
    assert result.ndcg == pytest.approx(expected)


def test_target_event_rule_and_fit_never_sees_targets(log):
    split, scorer, result = run(log, target_event="purchase", keep_seen=True, k=10)
    # purchases: u1 B at its 3rd event (evaluated), u2 D first event (skipped), u4 F first
    # event (skipped, though later events exist); u3, u5 have no purchase (training only).
    assert [log.user_ids[u] for u in split.users] == ["u1"]
    assert result.ndcg == pytest.approx(1 / math.log2(3))  # B behind A
    train = scorer.train
    lengths = dict(zip(log.user_ids, np.diff(train.indptr), strict=True))
    assert lengths == {"u1": 2, "u2": 0, "u3": 3, "u4": 0, "u5": 2}
    assert log.item_ids.index("B") not in train.item[train.indptr[0] : train.indptr[1]]


def test_tie_rules_by_hand():
    scores = np.array([[5.0, 3.0, 3.0, 3.0, 1.0]])
    target = np.array([2])  # tied with two others at ranks 1..3
    hit, ndcg = rank_metrics(scores, target, k=2, ties="optimistic")
    assert (hit[0], ndcg[0]) == (1.0, pytest.approx(1 / math.log2(3)))
    hit, ndcg = rank_metrics(scores, target, k=2, ties="pessimistic")
    assert (hit[0], ndcg[0]) == (0.0, 0.0)
    hit, ndcg = rank_metrics(scores, target, k=2, ties="expected")
    assert hit[0] == pytest.approx(1 / 3) and ndcg[0] == pytest.approx(1 / math.log2(3) / 3)
    constant = np.zeros((1, 50))
    assert rank_metrics(constant, np.array([0]), k=10)[0][0] == pytest.approx(10 / 50)
    with pytest.raises(ValueError, match="choose one of"):
        rank_metrics(scores, target, ties="lucky")  # type: ignore[arg-type]


def test_excluded_target_is_a_miss():
    scores = np.array([[-np.inf, 1.0, 0.5]])
    hit, ndcg = rank_metrics(scores, np.array([0]), k=10)
    assert hit[0] == 0.0 and ndcg[0] == 0.0


def test_baselines_on_a_checkerboard():
    # Two shopper groups that never mix: {A, B, C} and {D, E, F}.
    events = [
        Interaction(f"g{g}u{u}", item, "purchase", float(t))
        for g, items in enumerate(("ABC", "DEF"))
        for u in range(3)
        for t, item in enumerate(items[u:] + items[:u])
    ]
    log = EventLog.from_interactions(events)
    split = split_log(log)
    knn = evaluate("item_knn", ItemKNNBaseline(), split)
    assert knn.hr == 1.0  # the one unseen item of the right group always ranks first
    assert knn.ndcg == 1.0
    # every item is bought twice in training: four unseen items tie, two of them fit in k=2
    pop = evaluate("popularity", PopularityBaseline(), split, ties="expected", k=2)
    assert pop.hr == pytest.approx(0.5)


def test_reader_formats_and_errors(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("user_id,item_id,event,timestamp\n1,9,purchase,0\n1,8,view,1.5\n")
    log = read_events_csv(path)
    assert log.interactions() == [Interaction("1", "9", "purchase", 0.0), Interaction("1", "8", "view", 1.5)]
    path.write_text("user_id,item_id,event,timestamp\n1,9,purchase,0\n1,8,hover,1\n")
    with pytest.raises(RecordError, match=r"e\.csv:3"):
        read_events_csv(path)
    path.write_text("user,item\n")
    with pytest.raises(RecordError, match="header lacks"):
        read_events_csv(path)
    with pytest.raises(InputError, match="Unknown target event"):
        split_log(EventLog.from_interactions([Interaction("u", "i", "view", 0)]), "buy")


def test_cli_refuses_a_missing_file_and_prints_json(tmp_path, log):
    from bot.cli import app

    runner = CliRunner()
    missing = runner.invoke(app, ["eval", "recs", "--events", str(tmp_path / "absent.csv")])
    assert missing.exit_code == 2 and "not found" in missing.stderr
    path = tmp_path / "events.csv"
    path.write_text(LOG_CSV)
    out = runner.invoke(
        app, ["eval", "recs", "--events", str(path), "--json", "--no-tune", "--ablation", "--min-ratio", "0"]
    )
    assert out.exit_code == 0, out.output
    report = json.loads(out.output)
    assert report["users_evaluated"] == 4
    assert set(report["systems"]) == {"shoptalk", "popularity", "item_knn", "weighted_history_knn"}
    assert {"hr@10", "ndcg@10", "fit_s", "eval_s"} <= set(report["systems"]["shoptalk"])
    assert "only trans" in report["ablation"]
    text = runner.invoke(
        app,
        [
            "eval",
            "recs",
            "--events",
            str(path),
            "--target-event",
            "purchase",
            "--keep-seen",
            "--min-ratio",
            "0",
        ],
    )
    assert text.exit_code == 0 and "tuned on a validation split" in text.output
