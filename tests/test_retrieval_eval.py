"""Known-answer tests for the retrieval evaluation, the tuned hybrid index and the tune command."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from retrieval import Chunk, Fusion, HashingEmbedder, HybridIndex, MemoryIndex, RecordError
from retrieval._eval import (
    EvalProduct,
    EvalQuery,
    PlainBM25,
    corpus_chunks,
    evaluate_retrieval,
    load_corpus,
    load_queries,
    score_rankings,
)
from retrieval._tune import (
    QAPair,
    add_hard_negatives,
    distinct_product_batches,
    load_pairs,
    training_examples,
)


def _product(pid: str, chunks: tuple[str, ...]) -> EvalProduct:
    return EvalProduct(pid, "", "\n".join(chunks), chunks)  # like the real corpus: text = all chunks


PRODUCTS = [
    _product(
        "KETTLE",
        (
            "Q: Does the kettle whistle when the water boils?\nA: Yes, a loud whistle.",
            "Q: Is the kettle stainless steel?\nA: Stainless steel body, plastic handle.",
        ),
    ),
    _product(
        "FRIDGE",
        (
            "Q: What is the freezer capacity of this refrigerator?\nA: About 100 litres.",
            "Q: Does the fridge have an ice maker?\nA: No ice maker.",
        ),
    ),
    _product(
        "DRYER",
        (
            "Q: Does this dryer vent outside or is it ventless?\nA: It needs a vent hose.",
            "Q: Can the dryer run on 110 volts?\nA: It needs a 240 volt outlet.",
        ),
    ),
    _product("FILTER", ("Q: How often should I replace the water filter cartridge?\nA: Every six months.",)),
]
QUERIES = [
    EvalQuery("does the kettle whistle loudly", ("KETTLE",)),
    EvalQuery("freezer capacity of the refrigerator", ("FRIDGE",)),
    EvalQuery("dryer vent hose", ("DRYER",)),
    EvalQuery("replace the water filter cartridge", ("FILTER",)),
]


def _write(path: Path, rows: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))
    return path


# ------------------------------------------------------------------------------------ metrics


def test_metrics_match_hand_computed_values():
    queries = [EvalQuery("a", ("X",)), EvalQuery("b", ("Y",)), EvalQuery("c", ("Z", "W"))]
    rankings = [
        ["X", "A", "B"],  # hit at 1: R@1 1, R@10 1, RR 1
        ["A", "B", "Y"],  # hit at 3: R@1 0, R@10 1, RR 1/3
        ["A"] * 10 + ["Z"],  # Z at 11, W absent: all zero
    ]
    m = score_rankings(rankings, queries)
    assert m.queries == 3
    assert m.recall_at_1 == pytest.approx(1 / 3)
    assert m.recall_at_10 == pytest.approx(2 / 3)
    assert m.mrr_at_10 == pytest.approx((1 + 1 / 3) / 3)


def test_recall_counts_each_relevant_id_and_mrr_the_first():
    m = score_rankings([["W", "A", "Z"]], [EvalQuery("q", ("Z", "W"))])
    assert (m.recall_at_1, m.recall_at_10, m.mrr_at_10) == (0.5, 1.0, 1.0)


def test_rankings_and_queries_must_pair_up():
    with pytest.raises(ValueError):
        score_rankings([["X"]], [])


# ------------------------------------------------------------------------------------ loaders


def test_loaders_read_well_formed_files(tmp_path):
    corpus = _write(
        tmp_path / "corpus.jsonl",
        [
            {"id": "P1", "title": "", "text": "Q: a\nA: b", "chunks": ["Q: a\nA: b"]},
            "",
            {"id": "P2", "text": "whole text only", "chunks": []},
        ],
    )
    products = load_corpus(corpus)
    assert [p.id for p in products] == ["P1", "P2"]
    chunks = corpus_chunks(products)
    assert [(c.id, c.parent_id, c.metadata) for c in chunks] == [
        ("P1::0", "P1", {"parent_id": "P1"}),
        ("P2::0", "P2", {"parent_id": "P2"}),
    ]
    assert chunks[1].text == "whole text only"
    queries = _write(tmp_path / "q.jsonl", [{"query": "a?", "relevant": ["P1"]}])
    assert load_queries(queries, {"P1", "P2"}) == [EvalQuery("a?", ("P1",))]


@pytest.mark.parametrize(
    "bad, message",
    [
        ('{"id": "P2", "text": "x", "chunks": ', "invalid JSON"),
        ('["not", "an", "object"]', "expected a JSON object"),
        ('{"id": "P2", "text": "x"}', "'chunks'"),
        ('{"id": "P1", "text": "x", "chunks": []}', "duplicate product id"),
    ],
)
def test_corpus_loader_rejects_a_malformed_line_with_file_and_line(tmp_path, bad, message):
    path = _write(tmp_path / "corpus.jsonl", [{"id": "P1", "text": "x", "chunks": ["x"]}, bad])
    with pytest.raises(RecordError) as info:
        load_corpus(path)
    assert info.value.line == 2 and info.value.file == str(path)
    assert message in str(info.value) and str(info.value).startswith(f"{path}:2:")


def test_query_loader_rejects_unknown_or_missing_relevant_ids(tmp_path):
    path = _write(
        tmp_path / "q.jsonl", [{"query": "a", "relevant": ["P1"]}, {"query": "b", "relevant": ["NOPE"]}]
    )
    with pytest.raises(RecordError, match=r"q\.jsonl:2: relevant id 'NOPE'"):
        load_queries(path, {"P1"})
    empty = _write(tmp_path / "e.jsonl", [{"query": "a", "relevant": []}])
    with pytest.raises(RecordError, match=r"e\.jsonl:1: 'relevant' must be a non-empty list"):
        load_queries(empty)


# ----------------------------------------------------------------------------------- systems


def test_plain_bm25_ranks_the_obvious_product_first():
    bm25 = PlainBM25(PRODUCTS)
    assert bm25.rank("kettle whistle")[0] == "KETTLE"
    assert bm25.rank("ice maker in the fridge")[0] == "FRIDGE"
    assert len(bm25.rank("anything", k=2)) == 2


def test_evaluation_scores_every_system_on_an_obvious_corpus():
    indexes: dict[str, MemoryIndex] = {}
    report = evaluate_retrieval(
        PRODUCTS, QUERIES, HashingEmbedder(), index_for=lambda name: indexes.setdefault(name, MemoryIndex())
    )
    assert [s.name for s in report.systems] == ["shoptalk", "bm25", "dense_only", "lexical_only"]
    assert (report.products, report.chunks, report.queries) == (4, 7, 4)
    assert indexes["eval-products"].count() == 7  # the production ingest path filled the index
    for name in ("shoptalk", "bm25", "lexical_only"):
        assert report.system(name).metrics.recall_at_1 == 1.0, name
    data = report.as_dict()
    assert set(data) == {"shoptalk", "bm25", "dense_only", "lexical_only", "run"}
    assert set(data["bm25"]) == {"recall_at_1", "recall_at_10", "mrr_at_10", "seconds", "ms_per_query"}


def test_ablation_scores_each_variant_over_the_same_index():
    report = evaluate_retrieval(
        PRODUCTS, QUERIES, HashingEmbedder(), index_for=lambda name: MemoryIndex(), ablation=True
    )
    names = [s.name for s in report.ablation]
    assert names == [
        "fusion_before_eval",
        "bm25_per_chunk",
        "dense_best_chunk_only",
        "rrf_instead_of_scores",
        "rrf_k60_equal_weights",
    ]
    assert report.system("bm25_per_chunk").metrics.queries == 4
    assert set(report.as_dict()["ablation"]) == set(names)


def test_evaluation_runs_on_chroma_in_a_temporary_directory():
    report = evaluate_retrieval(PRODUCTS, QUERIES[:2], HashingEmbedder())
    assert report.system("shoptalk").metrics.recall_at_10 == 1.0


# ------------------------------------------------------------------------- the hybrid index


def _hybrid(chunks: list[Chunk], fusion: Fusion | None = None) -> HybridIndex:
    emb = HashingEmbedder()
    index = MemoryIndex()
    index.upsert(
        [c.id for c in chunks], emb.embed_batch([c.text for c in chunks]), [c.metadata for c in chunks]
    )
    return HybridIndex(chunks, index, emb, fusion)


def test_parent_scope_bm25_matches_terms_spread_over_chunks():
    # P1 has both query words, each in a different chunk; P2 has one word in one short chunk.
    chunks = [
        Chunk("P1::0", "P1", "quiet motor", {"parent_id": "P1"}),
        Chunk("P1::1", "P1", "stainless drum", {"parent_id": "P1"}),
        Chunk("P2::0", "P2", "quiet", {"parent_id": "P2"}),
        Chunk("P3::0", "P3", "loud fan", {"parent_id": "P3"}),
    ]
    parent = _hybrid(chunks).lexical_ranking("quiet stainless")
    assert parent[0][0] == "P1" and parent[0][2] in {"P1::0", "P1::1"}
    by_chunk = _hybrid(chunks, Fusion(lexical_scope="chunk")).lexical_ranking("quiet stainless")
    assert {p for p, _, _ in by_chunk} == {"P1", "P2"}
    assert _hybrid(chunks).lexical_ranking("quiet stainless", allowed={"P2"})[0][0] == "P2"


def test_dense_pooling_prefers_a_parent_whose_chunks_are_all_on_topic():
    # ON has two chunks about espresso; ONE_LUCKY has one espresso chunk and two unrelated ones.
    texts = {
        "ON::0": "espresso machine steam wand",
        "ON::1": "espresso machine milk frother",
        "ONE_LUCKY::0": "espresso machine steam wand frother",
        "ONE_LUCKY::1": "garden hose reel",
        "ONE_LUCKY::2": "lawn mower blade",
    }
    chunks = [
        Chunk(cid, cid.split("::")[0], t, {"parent_id": cid.split("::")[0]}) for cid, t in texts.items()
    ]
    pooled = [p for p, _, _ in _hybrid(chunks).dense_ranking("espresso machine steam wand milk frother")]
    assert pooled[0] == "ON"
    best_cosine = _hybrid(chunks, Fusion(dense_mean_weight=0)).dense_ranking(
        "espresso machine steam wand frother"
    )
    assert best_cosine[0][0] == "ONE_LUCKY" and best_cosine[0][1] == pytest.approx(1.0, abs=1e-5)


def test_score_fusion_adds_scaled_bm25_to_the_dense_score():
    chunks = [
        Chunk("A::0", "A", "cordless stick vacuum cleaner", {"parent_id": "A"}),
        Chunk("B::0", "B", "robot vacuum with mapping", {"parent_id": "B"}),
        Chunk("C::0", "C", "espresso grinder burr", {"parent_id": "C"}),
    ]
    dense_only = _hybrid(chunks, Fusion(lexical_weight=0, dense_mean_weight=0)).rank("cordless vacuum", 3)
    fused = _hybrid(chunks, Fusion(lexical_weight=0.5, dense_mean_weight=0)).rank("cordless vacuum", 3)
    assert fused[0].parent_id == dense_only[0].parent_id == "A"
    # A has the best BM25, so it gains the full lexical weight on top of its cosine.
    assert fused[0].score == pytest.approx(dense_only[0].score + 0.5, abs=1e-5)
    assert fused[0].dense == pytest.approx(dense_only[0].dense) and fused[0].lexical > 0
    rrf = _hybrid(chunks, Fusion(method="rrf", rrf_k=10, lexical_weight=1.0)).rank("cordless vacuum", 3)
    assert rrf[0].parent_id == "A" and rrf[0].score == pytest.approx(2 / 11)


@pytest.mark.parametrize("bad", [{"lexical_scope": "words"}, {"method": "borda"}])
def test_unknown_fusion_settings_are_config_errors(bad):
    from retrieval import ConfigError

    with pytest.raises(ConfigError, match=next(iter(bad))):
        _hybrid([Chunk("a", "A", "x", {"parent_id": "A"})], Fusion(**bad))


# --------------------------------------------------------------------------------- tuning


def test_training_examples_pair_a_question_with_another_pair_of_its_product():
    pairs = [QAPair("A", "q1", "a1"), QAPair("A", "q2", "a2"), QAPair("B", "q3", "a3")]
    examples = training_examples(pairs, random.Random(0))
    by_anchor = {e.anchor: e for e in examples}
    assert by_anchor["q1"].positive == "Q: q2\nA: a2" and by_anchor["q2"].positive == "Q: q1\nA: a1"
    assert by_anchor["q3"].positive == "A: a3"  # no other pair: its own answer


def test_hard_negatives_come_from_other_products_that_share_words():
    pairs = [
        QAPair("A", "does the water filter fit a GE fridge", "yes"),
        QAPair("A", "how long does it last", "6 months"),
        QAPair("B", "is this water filter NSF certified", "yes"),
        QAPair("C", "is the kettle loud", "no"),
    ]
    examples = add_hard_negatives(training_examples(pairs, random.Random(0)), pairs, random.Random(0))
    first = next(e for e in examples if e.anchor.startswith("does the water filter"))
    assert first.negative == "Q: is this water filter NSF certified\nA: yes"
    assert all(e.negative and not e.negative.startswith("Q: " + e.anchor) for e in examples)


def test_batches_never_hold_two_examples_of_one_product():
    pairs = [QAPair(f"P{i % 7}", f"q{i}", f"a{i}") for i in range(60)]
    examples = training_examples(pairs, random.Random(1))
    batches = distinct_product_batches(examples, 5, random.Random(1))
    assert sorted(e.anchor for b in batches for e in b) == sorted(e.anchor for e in examples)
    for batch in batches:
        assert len({e.product_id for e in batch}) == len(batch) <= 5


def test_pairs_loader_rejects_a_malformed_line(tmp_path):
    path = _write(
        tmp_path / "pairs.jsonl", [{"id": "A", "question": "q", "answer": "a"}, {"id": "A", "question": 3}]
    )
    with pytest.raises(RecordError, match=r"pairs\.jsonl:2: field 'question'"):
        load_pairs(path)


# ------------------------------------------------------------------------------------- CLI


def test_cli_refuses_a_missing_named_file_and_tune_fails_on_a_missing_file(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["eval", "retrieval", "--corpus", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 2 and "not found" in result.stderr
    result = runner.invoke(app, ["tune-embedder", "--pairs", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 2 and "not found" in result.output  # named explicitly: an error


def test_format_report_prints_one_row_per_system():
    from bot.cli._eval_retrieval import format_report

    report = evaluate_retrieval(PRODUCTS, QUERIES, HashingEmbedder(), index_for=lambda name: MemoryIndex())
    lines = format_report(report).splitlines()
    assert lines[1].split()[:4] == ["system", "R@1", "R@10", "MRR@10"]
    assert [line.split()[0] for line in lines[2:]] == ["shoptalk", "bm25", "dense_only", "lexical_only"]


@pytest.mark.slow
def test_tune_command_runs_a_few_steps_and_the_model_loads(tmp_path):
    from retrieval import SentenceTransformerEmbedder

    rows = [
        {"id": p.id, "question": c.split("\n")[0][3:], "answer": c.split("\n")[1][3:]}
        for p in PRODUCTS
        for c in p.chunks
    ]
    pairs = _write(tmp_path / "pairs.jsonl", rows)
    out = tmp_path / "tuned"
    result = CliRunner().invoke(
        app,
        ["tune-embedder", "--pairs", str(pairs), "--out", str(out), "--batch-size", "4", "--max-steps", "2"],
    )
    assert result.exit_code == 0, result.output
    assert "SHOPTALK_EMBEDDER=" in result.output
    emb = SentenceTransformerEmbedder(str(out))
    assert emb.embed("kettle").shape == (384,)
