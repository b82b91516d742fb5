"""``shoptalk eval retrieval`` and ``shoptalk tune-embedder``: thin adapters over
``retrieval._eval`` and ``retrieval._tune``.

Defaults point at the amazon_qa_appliances files next to the repository; a fresh machine does
not have them, so their absence is a clean skip (exit 0). A file named with ``--corpus`` or
``--queries`` that does not exist is an error (exit 2).

Target (exit 1 when missed): shoptalk's Recall@10 >= 0.42 (README; on amazon_qa_appliances it
is met only with the embedder tuned by ``shoptalk tune-embedder``).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import typer

from retrieval import (
    RetrievalReport,
    SentenceTransformerEmbedder,
    evaluate_retrieval,
    load_corpus,
    load_pairs,
    load_queries,
    tune_embedder,
)

from .._settings import REPO_ROOT, Settings
from . import _targets
from ._app import app, eval_app

DATA_DIR = REPO_ROOT.parent / "shared" / "datasets" / "amazon_qa_appliances"
DEFAULT_CORPUS = DATA_DIR / "corpus.jsonl"
DEFAULT_QUERIES = DATA_DIR / "queries_dev.jsonl"
TARGET_RECALL_AT_10 = 0.42

EmbedderOption = typer.Option(
    None,
    "--embedder",
    help="Sentence-transformers directory (default: SHOPTALK_EMBEDDER or the bundled MiniLM).",
)


@eval_app.command("retrieval")
def eval_retrieval(
    corpus: Path | None = typer.Option(
        None,
        "--corpus",
        show_default=False,
        help='JSONL: {"id", "title", "text", "chunks"}. '
        "Default: ../shared/datasets/amazon_qa_appliances/corpus.jsonl.",
    ),
    queries: Path | None = typer.Option(
        None,
        "--queries",
        show_default=False,
        help='JSONL: {"query", "relevant": [ids]}. Default: queries_dev.jsonl next to the default corpus.',
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    embedder: str | None = EmbedderOption,
    limit: int | None = typer.Option(None, "--limit", min=1, help="Only the first N queries (smoke runs)."),
    ablation: bool = typer.Option(
        False, "--ablation", help="Also score the retriever with one idea switched off at a time."
    ),
    min_recall: float = typer.Option(
        TARGET_RECALL_AT_10,
        "--min-recall",
        min=0,
        max=1,
        help="Target: shoptalk's Recall@10; exit 1 below it.",
    ),
) -> None:
    """Recall@1, Recall@10, MRR@10 of the shop's retriever, its two halves and plain BM25.

    Exits 1 when the target is missed, 2 when a file named with --corpus/--queries does not exist."""
    named = corpus is not None or queries is not None  # then both must exist: no silent skip
    corpus = _targets.input_file(
        corpus, DEFAULT_CORPUS, "--corpus", 'JSONL with "id", "text", "chunks"', skip=not named
    )
    queries = _targets.input_file(
        queries, DEFAULT_QUERIES, "--queries", 'JSONL with "query", "relevant"', skip=not named
    )
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    products = load_corpus(corpus)
    qs = load_queries(queries, {p.id for p in products})[:limit]
    path = embedder or Settings.from_env().embedder_path
    model = SentenceTransformerEmbedder(path)  # no query cache: each system pays its own embedding
    report = evaluate_retrieval(products, qs, model, ablation=ablation, progress=not as_json)
    recall = report.system("shoptalk").metrics.recall_at_10
    outcomes = _targets.check(
        [_targets.Target("shoptalk.recall_at_10", ">=", min_recall)], {"shoptalk.recall_at_10": recall}
    )
    if as_json:
        typer.echo(json.dumps(report.as_dict() | _targets.as_json(outcomes)))
    else:
        typer.echo(format_report(report) + "\n" + "\n".join(_targets.lines(outcomes)))
    _targets.finish(outcomes)


def format_report(report: RetrievalReport) -> str:
    """The human-readable table (pure, so it is testable without a terminal)."""
    lines = [
        f"{report.products} products, {report.chunks} chunks, {report.queries} queries; "
        f"embedder {report.embedder}; indexing {report.index_seconds:.1f}s, "
        f"lexical + baseline build {report.build_seconds:.1f}s",
        f"{'system':14s} {'R@1':>7s} {'R@10':>7s} {'MRR@10':>7s} {'seconds':>8s} {'ms/query':>9s}",
    ]
    for s in report.systems:
        m = s.metrics
        lines.append(
            f"{s.name:14s} {m.recall_at_1:7.4f} {m.recall_at_10:7.4f} {m.mrr_at_10:7.4f} "
            f"{s.seconds:8.1f} {s.ms_per_query:9.1f}"
        )
    if report.ablation:
        lines.append("ablation: shoptalk with one idea switched off (query vectors precomputed)")
        for s in report.ablation:
            m = s.metrics
            lines.append(
                f"  {s.name:22s} {m.recall_at_1:7.4f} {m.recall_at_10:7.4f} {m.mrr_at_10:7.4f} "
                f"{s.seconds:8.1f}"
            )
    return "\n".join(lines)


@app.command("tune-embedder")
def tune_embedder_cmd(
    pairs: Path = typer.Option(
        ..., "--pairs", help='JSONL: {"id": product id, "question", "answer"} per line.'
    ),
    out: Path | None = typer.Option(
        None, "--out", help="Output directory (default: $SHOPTALK_HOME/models/embedder-<pairs file>)."
    ),
    epochs: int = typer.Option(1, "--epochs", min=1),
    batch_size: int = typer.Option(32, "--batch-size", min=2),
    max_seq_length: int = typer.Option(
        64, "--max-seq-length", min=8, help="Token limit while training (speed)."
    ),
    base: str | None = typer.Option(
        None, "--base", help="Model to start from (default: SHOPTALK_EMBEDDER or the bundled MiniLM)."
    ),
    seed: int = typer.Option(0, "--seed"),
    hard_negatives: bool = typer.Option(
        False, "--hard-negatives", help="Add a BM25-mined pair of another product to each example."
    ),
    max_steps: int | None = typer.Option(None, "--max-steps", min=1, help="Stop early (smoke runs)."),
) -> None:
    """Fine-tune the embedder on your own question/answer pairs; use it with SHOPTALK_EMBEDDER=DIR."""
    if not pairs.is_file():
        typer.echo(f"error: pairs file {pairs} not found", err=True)
        raise typer.Exit(2)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    settings = Settings.from_env()
    target = out or settings.models_dir / f"embedder-{pairs.stem}"
    qa = load_pairs(pairs)
    t0 = time.perf_counter()

    def on_step(step: int, total: int, loss: float) -> None:
        if step == 1 or step % 20 == 0 or step == total:
            typer.echo(f"step {step}/{total} loss {loss:.3f} ({time.perf_counter() - t0:.0f}s)", err=True)

    report = tune_embedder(
        qa,
        target,
        base_model=base or settings.embedder_path,
        epochs=epochs,
        batch_size=batch_size,
        max_seq_length=max_seq_length,
        seed=seed,
        hard_negatives=hard_negatives,
        max_steps=max_steps,
        on_step=on_step,
    )
    typer.echo(
        f"tuned on {report.examples} examples from {report.pairs} pairs: {report.steps} steps, "
        f"loss {report.first_loss:.3f} -> {report.last_loss:.3f}, {report.seconds:.0f}s"
    )
    typer.echo(f"saved to {report.out_dir}; use it with SHOPTALK_EMBEDDER={report.out_dir} or --embedder")
