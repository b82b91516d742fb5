"""Exit codes of every ``shoptalk eval`` command (DESIGN.md contract 2), on tiny generated inputs.

0: every target met, or the default dataset absent (skipped, said plainly); 1: a target missed,
named on stderr; 2: a file named on the command line does not exist. Text output shows each
target next to its figure; ``--json`` carries ``targets`` and ``passed``. Fakes keep it fast: the
hashing embedder for every model, the fake LLM, in-memory indexes for the retrieval corpus.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from conftest import MINI_SHOP
from typer.testing import CliRunner

from bot.cli import app
from retrieval import HashingEmbedder, MemoryIndex


def invoke(*args: str):
    return CliRunner().invoke(app, ["eval", *args])


def json_of(result) -> dict:
    return json.loads(result.stdout)


# ------------------------------------------------------------------------------ intents

INTENTS = {
    "greeting": ["hi there", "hello", "hey hello", "good morning", "hi friend", "hello again"],
    "order_status": [
        "where is my order",
        "track my order",
        "order status please",
        "where is my package",
        "track package",
        "status of my order",
    ],
    "policy": [
        "what is your return policy",
        "return policy please",
        "shipping policy",
        "policy on returns",
        "warranty policy",
        "tell me the policy",
    ],
}


def write_intents(path: Path, rows) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["utterance", "intent"])
        w.writerows(rows)
    return path


@pytest.fixture
def intent_files(tmp_path):
    train = write_intents(tmp_path / "train.csv", [(u, i) for i, us in INTENTS.items() for u in us])
    test = write_intents(
        tmp_path / "test.csv",
        [("hello hello", "greeting"), ("track my parcel", "order_status"), ("return policy?", "policy")],
    )
    wrong = write_intents(
        tmp_path / "wrong.csv",
        [("hello hello", "policy"), ("track my order", "greeting"), ("return policy?", "order_status")],
    )
    return train, test, wrong


def intents(*args: str):
    return invoke("intents", "--embedder", "hashing", *args)


def test_intents_target_met_exits_0_and_prints_it(intent_files):
    train, test, _ = intent_files
    result = intents("--train", str(train), "--test", str(test))
    assert result.exit_code == 0, result.output
    assert "accuracy      1 (target >= 0.97) ok" in result.stdout
    assert "train_seconds" in result.stdout and "(target <= 60) ok" in result.stdout


def test_intents_target_missed_exits_1_in_text_and_json(intent_files):
    train, _, wrong = intent_files
    result = intents("--train", str(train), "--test", str(wrong))
    assert result.exit_code == 1
    assert "accuracy      0 (target >= 0.97) BELOW target" in result.stdout
    assert "FAIL: 1 of 2 target(s) missed: accuracy 0 (target >= 0.97) BELOW target" in result.stderr
    as_json = intents("--train", str(train), "--test", str(wrong), "--json")
    assert as_json.exit_code == 1
    report = json_of(as_json)
    assert report["passed"] is False and report["accuracy"] == 0.0
    assert report["targets"]["accuracy"] == {"value": 0.0, "target": ">= 0.97", "met": False}
    assert report["targets"]["train_seconds"]["met"] is True


def test_intents_min_accuracy_replaces_the_target(intent_files):
    train, _, wrong = intent_files
    result = intents("--train", str(train), "--test", str(wrong), "--min-accuracy", "0", "--json")
    assert result.exit_code == 0, result.output
    assert json_of(result)["targets"]["accuracy"]["target"] == ">= 0"


@pytest.mark.parametrize("option", ["--train", "--test"])
def test_intents_missing_named_file_exits_2_naming_it(intent_files, tmp_path, option):
    train, test, _ = intent_files
    files = {"--train": str(train), "--test": str(test), option: str(tmp_path / "absent.csv")}
    result = intents(*[x for kv in files.items() for x in kv])
    assert result.exit_code == 2
    assert f"{option} file {tmp_path / 'absent.csv'} not found" in result.stderr


# --------------------------------------------------------------------------------- recs

# Eight two-event shoppers over six items: the whole protocol runs in milliseconds.
RECS_CSV = "user_id,item_id,event,timestamp\n" + "".join(
    f"u{u},{a},view,{10 * u + 1}\nu{u},{b},view,{10 * u + 2}\n"
    for u, (a, b) in enumerate(
        [("A", "B"), ("A", "B"), ("C", "D"), ("A", "B"), ("C", "D"), ("E", "F"), ("A", "B"), ("C", "D")]
    )
)


@pytest.fixture
def events_file(tmp_path) -> Path:
    path = tmp_path / "events.csv"
    path.write_text(RECS_CSV)
    return path


def test_recs_target_is_printed_and_decides_the_exit_code(events_file):
    met = invoke("recs", "--events", str(events_file), "--no-tune", "--min-ratio", "0")
    assert met.exit_code == 0, met.output
    assert "ratio_vs_item_knn" in met.stdout and "(target >= 0) ok" in met.stdout
    missed = invoke("recs", "--events", str(events_file), "--no-tune", "--min-ratio", "1000")
    assert missed.exit_code == 1
    assert "(target >= 1000) BELOW target" in missed.stdout and "FAIL: 1 of 1" in missed.stderr


def test_recs_json_carries_targets_and_the_verdict(events_file):
    missed = invoke("recs", "--events", str(events_file), "--no-tune", "--min-ratio", "1000", "--json")
    assert missed.exit_code == 1
    report = json_of(missed)
    assert report["passed"] is False and set(report["systems"]) >= {"shoptalk", "item_knn", "popularity"}
    target = report["targets"]["ratio_vs_item_knn"]
    assert target["target"] == ">= 1000" and target["met"] is False
    assert target["value"] == pytest.approx(report["ratio_vs_item_knn"], abs=1e-3)
    met = json_of(invoke("recs", "--events", str(events_file), "--no-tune", "--min-ratio", "0", "--json"))
    assert met["passed"] is True and met["targets"]["ratio_vs_item_knn"]["met"] is True


def test_recs_default_target_is_the_readmes():
    from bot.cli._eval_recs import TARGET_RATIO_VS_ITEM_KNN

    assert TARGET_RATIO_VS_ITEM_KNN == 1.15


def test_recs_missing_named_file_exits_2_and_missing_default_skips(tmp_path, monkeypatch):
    named = invoke("recs", "--events", str(tmp_path / "absent.csv"))
    assert named.exit_code == 2 and f"--events file {tmp_path / 'absent.csv'} not found" in named.stderr
    monkeypatch.setattr("bot.cli._eval_recs.DEFAULT_EVENTS", tmp_path / "no_datasets" / "events.csv")
    default = invoke("recs")
    assert default.exit_code == 0 and "skipped" in default.stderr and "no_datasets" in default.stderr


# ---------------------------------------------------------------------------- retrieval

CORPUS = [
    {
        "id": "K1",
        "title": "Electric kettle",
        "text": "A 1.7 litre electric kettle that boils water fast.",
        "chunks": ["Q: does the kettle boil water fast?\nA: yes, in three minutes."],
    },
    {
        "id": "T1",
        "title": "Two slice toaster",
        "text": "A toaster with wide slots for bagels and bread.",
        "chunks": ["Q: can the toaster fit bagels?\nA: yes, the slots are wide."],
    },
    {
        "id": "B1",
        "title": "Countertop blender",
        "text": "A blender that crushes ice for smoothies.",
        "chunks": ["Q: does the blender crush ice?\nA: yes, for smoothies."],
    },
] + [
    {"id": f"I{n}", "title": f"Steam iron {n}", "text": f"Steam iron number {n} for shirts.", "chunks": []}
    for n in range(12)
]  # twelve near-twins: a query about irons fills the top 10 with them
QUERIES = [
    {"query": "kettle that boils water", "relevant": ["K1"]},
    {"query": "toaster for bagels", "relevant": ["T1"]},
    {"query": "blender to crush ice for smoothies", "relevant": ["B1"]},
]


def write_jsonl(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def retrieval_files(tmp_path, monkeypatch):
    import retrieval._eval as ev

    real = ev.evaluate_retrieval
    # The hashing embedder for the model and in-memory indexes for Chroma: the command's own code
    # (files, targets, exit codes, formatting) is what runs.
    monkeypatch.setattr(
        "bot.cli._eval_retrieval.SentenceTransformerEmbedder", lambda path=None: HashingEmbedder()
    )
    monkeypatch.setattr(
        "bot.cli._eval_retrieval.evaluate_retrieval",
        lambda *a, **kw: real(*a, index_for=lambda name: MemoryIndex(), **kw),
    )
    return write_jsonl(tmp_path / "corpus.jsonl", CORPUS), write_jsonl(tmp_path / "queries.jsonl", QUERIES)


def test_retrieval_target_met_and_missed(retrieval_files):
    corpus, queries = retrieval_files
    met = invoke("retrieval", "--corpus", str(corpus), "--queries", str(queries))
    assert met.exit_code == 0, met.output
    assert "shoptalk.recall_at_10 1 (target >= 0.42) ok" in met.stdout
    assert [line.split()[0] for line in met.stdout.splitlines()[2:6]] == [
        "shoptalk",
        "bm25",
        "dense_only",
        "lexical_only",
    ]  # the baseline too
    report = json_of(invoke("retrieval", "--corpus", str(corpus), "--queries", str(queries), "--json"))
    assert report["passed"] is True
    assert report["targets"]["shoptalk.recall_at_10"] == {"value": 1.0, "target": ">= 0.42", "met": True}


def test_retrieval_target_missed_exits_1(retrieval_files, tmp_path):
    corpus, _ = retrieval_files
    # A query about steam irons whose labelled answer is the kettle: twelve irons outrank it.
    queries = write_jsonl(tmp_path / "hard.jsonl", [{"query": "steam iron for shirts", "relevant": ["K1"]}])
    result = invoke("retrieval", "--corpus", str(corpus), "--queries", str(queries), "--json")
    assert result.exit_code == 1
    report = json_of(result)
    assert report["passed"] is False and set(report) >= {"shoptalk", "bm25", "targets", "run"}
    assert report["targets"]["shoptalk.recall_at_10"] == {"value": 0.0, "target": ">= 0.42", "met": False}
    assert "BELOW target" in result.stderr
    relaxed = invoke("retrieval", "--corpus", str(corpus), "--queries", str(queries), "--min-recall", "0")
    assert relaxed.exit_code == 0 and "shoptalk.recall_at_10 0 (target >= 0) ok" in relaxed.stdout


@pytest.mark.parametrize("option", ["--corpus", "--queries"])
def test_retrieval_missing_named_file_exits_2(retrieval_files, tmp_path, option):
    corpus, queries = retrieval_files
    files = {"--corpus": str(corpus), "--queries": str(queries), option: str(tmp_path / "absent.jsonl")}
    result = invoke("retrieval", *[x for kv in files.items() for x in kv])
    assert result.exit_code == 2 and f"{option} file {tmp_path / 'absent.jsonl'} not found" in result.stderr


def test_retrieval_named_corpus_needs_its_queries_too(retrieval_files, tmp_path, monkeypatch):
    corpus, _ = retrieval_files
    monkeypatch.setattr("bot.cli._eval_retrieval.DEFAULT_QUERIES", tmp_path / "absent" / "queries_dev.jsonl")
    result = invoke("retrieval", "--corpus", str(corpus))
    assert result.exit_code == 2 and "--queries file" in result.stderr  # not a silent skip


def test_retrieval_missing_default_dataset_skips(tmp_path, monkeypatch):
    monkeypatch.setattr("bot.cli._eval_retrieval.DEFAULT_CORPUS", tmp_path / "no_datasets" / "corpus.jsonl")
    result = invoke("retrieval")
    assert result.exit_code == 0 and "skipped" in result.stderr and "no_datasets" in result.stderr


# ------------------------------------------------------------------------- conversations

SUITE_OK = """
today: "2026-11-28"
cases:
- id: human
  user: C1
  turns:
  - say: "I want to talk to a human agent please"
    route: handoff
    includes: ["a member of our team"]
    escalated: true
    handoff_reason: requested
- id: hello
  turns:
  - say: "hello"
    route: greeting
    includes: ["shopping assistant"]
"""
# The same turns with the wrong expectations: route and fact accuracy fall to 0.
SUITE_WRONG = (
    SUITE_OK.replace("route: handoff", "route: policy")
    .replace("route: greeting", "route: policy")
    .replace('["shopping assistant"]', '["free shipping"]')
    .replace('["a member of our team"]', '["a refund"]')
)


@pytest.fixture
def conversations(tmp_path, monkeypatch):
    from bot import _services
    from bot._settings import Settings

    monkeypatch.setenv("SHOPTALK_LLM", "fake")

    def services(shop=None, **overrides):
        return _services.Services(
            Settings.from_env(shop_dir=shop or MINI_SHOP, **overrides), embedder_override=HashingEmbedder()
        )

    monkeypatch.setattr("bot.cli._eval_conversations.services", services)

    def run(suite_text: str, *args: str):
        suite = tmp_path / "suite_v1.yaml"
        suite.write_text(suite_text, encoding="utf-8")
        return invoke("conversations", "--suite", str(suite), "--shop", str(MINI_SHOP), *args)

    return run


def test_conversations_targets_met_and_missed(conversations):
    met = conversations(SUITE_OK)
    assert met.exit_code == 0, met.output
    assert "route_accuracy" in met.stdout and "1.0 (target >= 0.95) ok" in met.stdout
    assert "ungrounded_prices          0 (target <= 0) ok" in met.stdout

    missed = conversations(SUITE_WRONG, "--json")
    assert missed.exit_code == 1
    report = json_of(missed)
    assert report["route_accuracy"] == 0.0 and report["fact_accuracy"] == 0.0 and report["passed"] is False
    assert report["targets"]["route_accuracy"] == {"value": 0.0, "target": ">= 0.95", "met": False}
    assert report["targets"]["undisclosed_ads"]["met"] is True
    assert "FAIL: 2 of 5 target(s) missed: route_accuracy 0 (target >= 0.95) BELOW target" in missed.stderr


def test_an_unmeasured_figure_misses_its_target():
    # A suite where no turn states a fact cannot measure fact accuracy: its target is not met.
    from bot.cli._eval_conversations import TARGETS
    from bot.cli._targets import check

    outcomes = {o.target.metric: o for o in check(TARGETS, {"route_accuracy": 1.0, "fact_accuracy": None})}
    assert outcomes["route_accuracy"].met and not outcomes["fact_accuracy"].met
    assert outcomes["fact_accuracy"].line() == "fact_accuracy n/a (target >= 0.9) NOT MEASURED"
    assert [t.describe() for t in TARGETS] == [">= 0.95", ">= 0.9", "<= 0", "<= 0", "<= 0"]  # README's


def test_conversations_missing_suite_exits_2(tmp_path):
    result = invoke("conversations", "--suite", str(tmp_path / "absent.yaml"))
    assert result.exit_code == 2 and f"--suite file {tmp_path / 'absent.yaml'} not found" in result.stderr
