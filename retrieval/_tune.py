"""Fine-tune the embedder on a shop's own question/answer pairs (``shoptalk tune-embedder``).

The task we train for is the one product search faces: a shopper asks a *new* question and the
index holds the product's *existing* Q&A chunks. So each training example is one question of
a product (anchor) and a different Q&A pair of the same product (positive), formatted exactly
like the indexed chunks. A product with a single pair has no other pair; its own answer is used.

Loss: MultipleNegativesRankingLoss (in-batch negatives). Two anchors of the same product in
one batch would make each other's positive a false negative, so batches are built with at
most one example per product. The loop is a few lines of plain torch around the
sentence-transformers model and loss: the Trainer API would add the ``datasets`` dependency
for no gain at this size. Everything is seeded; on 2 CPU cores one epoch over ~8k pairs
takes minutes, not hours.
"""

from __future__ import annotations

import logging
import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ._embedder import default_model_path
from ._errors import ConfigError
from ._eval import read_jsonl

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class QAPair:
    product_id: str
    question: str
    answer: str

    @property
    def text(self) -> str:
        """The pair as the index stores it (one chunk per pair)."""
        return qa_chunk_text(self.question, self.answer)


def qa_chunk_text(question: str, answer: str) -> str:
    return f"Q: {question}\nA: {answer}"


def load_pairs(path: str | Path) -> list[QAPair]:
    """``{"id", "question", "answer"}`` per line (extra keys are ignored)."""
    out = []
    for _, data in read_jsonl(path, {"id": str, "question": str, "answer": str}):
        out.append(QAPair(data["id"], data["question"].strip(), data["answer"].strip()))
    return out


@dataclass(frozen=True)
class Example:
    product_id: str
    anchor: str
    positive: str
    negative: str | None = None  # a pair of another product that shares the anchor's words


def training_examples(pairs: Sequence[QAPair], rng: random.Random) -> list[Example]:
    """One example per pair with a non-empty question: question -> another pair of its product."""
    by_product: dict[str, list[QAPair]] = defaultdict(list)
    for p in pairs:
        by_product[p.product_id].append(p)
    out = []
    for product, group in by_product.items():
        for i, pair in enumerate(group):
            if not pair.question:
                continue
            others = [g for j, g in enumerate(group) if j != i]
            positive = rng.choice(others).text if others else f"A: {pair.answer}"
            out.append(Example(product, pair.question, positive))
    return out


def add_hard_negatives(
    examples: Sequence[Example], pairs: Sequence[QAPair], rng: random.Random, *, pool: int = 10
) -> list[Example]:
    """Give each example a negative: one of the ``pool`` pairs of *other* products that BM25
    ranks highest for its question (or any other product's pair when none shares a word).

    In-batch negatives are mostly easy (a fridge question against a kettle's pairs); these are
    the look-alikes the retriever actually confuses, such as two filters of the same brand.
    """
    from ._lexical import LexicalIndex

    texts = [p.text for p in pairs]
    owners = np.array([p.product_id for p in pairs], dtype=object)
    lexical = LexicalIndex(texts)
    out = []
    for ex in examples:
        scores = lexical.scores(ex.anchor)
        scores[owners == ex.product_id] = 0.0
        top = np.argpartition(-scores, min(pool, len(scores) - 1))[:pool]
        top = top[scores[top] > 0]
        if len(top):
            pick = int(rng.choice(sorted(top.tolist())))
        else:
            others = np.flatnonzero(owners != ex.product_id)
            pick = int(others[rng.randrange(len(others))])
        out.append(replace(ex, negative=texts[pick]))
    return out


def distinct_product_batches(
    examples: Sequence[Example], batch_size: int, rng: random.Random
) -> list[list[Example]]:
    """Shuffled batches in which no product appears twice (see module docstring).

    Greedy: each batch takes the next example of the products with the most examples left,
    so a product with many pairs is spread over many batches instead of piling up at the end.
    """
    queues: dict[str, list[Example]] = defaultdict(list)
    for ex in examples:
        queues[ex.product_id].append(ex)
    for q in queues.values():
        rng.shuffle(q)
    batches: list[list[Example]] = []
    while queues:
        products = list(queues)
        rng.shuffle(products)  # random order among equals, then most-remaining first
        products.sort(key=lambda p: -len(queues[p]))
        batch = [queues[p].pop() for p in products[:batch_size]]
        for p in products[:batch_size]:
            if not queues[p]:
                del queues[p]
        batches.append(batch)
    rng.shuffle(batches)
    return batches


@dataclass(frozen=True)
class TuneReport:
    pairs: int
    examples: int
    epochs: int
    steps: int
    batch_size: int
    seconds: float
    first_loss: float  # mean over the first 10% of steps
    last_loss: float  # mean over the last 10% of steps
    out_dir: Path


def tune_embedder(
    pairs: Sequence[QAPair],
    out_dir: str | Path,
    *,
    base_model: str | None = None,
    epochs: int = 1,
    batch_size: int = 32,
    learning_rate: float = 5e-5,
    warmup_ratio: float = 0.1,
    max_seq_length: int = 128,
    seed: int = 0,
    max_steps: int | None = None,
    train_layers: int | None = None,
    hard_negatives: bool = False,
    on_step: Callable[[int, int, float], None] | None = None,
) -> TuneReport:
    """Fine-tune ``base_model`` (default: the bundled MiniLM) and save it to ``out_dir``.

    ``on_step(step, total, loss)`` reports progress; ``max_steps`` cuts training short (tests).
    ``train_layers`` trains only the top N transformer blocks: backward then stops there, which
    makes a step cheaper on a CPU.
    """
    if epochs < 1 or batch_size < 2:
        raise ConfigError(
            f"epochs={epochs} and batch_size={batch_size}: need epochs >= 1 and batch size >= 2"
        )
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss

    t0 = time.perf_counter()
    rng = random.Random(seed)
    torch.manual_seed(seed)
    examples = training_examples(pairs, rng)
    if len({e.product_id for e in examples}) < 2:
        raise ConfigError("Fine-tuning needs question/answer pairs of at least two products")
    if hard_negatives:
        examples = add_hard_negatives(examples, pairs, rng)
    path = base_model or default_model_path()
    if not Path(path).exists():
        raise ConfigError(f"Base model {path!r} does not exist; pass a local sentence-transformers directory")
    model = SentenceTransformer(path, device="cpu", local_files_only=True)
    serving_length = int(model.max_seq_length or max_seq_length)
    model.max_seq_length = min(max_seq_length, serving_length)  # training only: shorter is faster
    if train_layers is not None:
        _freeze_below(model, train_layers)
    loss_fn = MultipleNegativesRankingLoss(model)

    plan = [distinct_product_batches(examples, batch_size, rng) for _ in range(epochs)]
    steps = sum(len(b) for b in plan)
    if max_steps is not None:
        steps = min(steps, max_steps)
    optimizer = torch.optim.AdamW(
        [p for p in model.parameters() if p.requires_grad], lr=learning_rate, weight_decay=0.01
    )
    warmup = max(1, int(steps * warmup_ratio))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / max(1, steps - warmup)))
    )

    model.train()
    losses: list[float] = []
    batches = (b for epoch in plan for b in epoch)
    for step in range(steps):
        batch = next(batches)
        features = [
            model.preprocess([e.anchor for e in batch]),
            model.preprocess([e.positive for e in batch]),
        ]
        if hard_negatives:
            features.append(model.preprocess([e.negative or "" for e in batch]))
        loss = loss_fn(features, None)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
        losses.append(float(loss.detach()))
        if on_step:
            on_step(step + 1, steps, losses[-1])
    model.eval()
    model.max_seq_length = serving_length  # the saved model embeds as much text as its base did

    out = Path(out_dir).expanduser()
    out.mkdir(parents=True, exist_ok=True)
    model.save(str(out))
    tenth = max(1, len(losses) // 10)
    return TuneReport(
        pairs=len(pairs),
        examples=len(examples),
        epochs=epochs,
        steps=steps,
        batch_size=batch_size,
        seconds=time.perf_counter() - t0,
        first_loss=sum(losses[:tenth]) / tenth,
        last_loss=sum(losses[-tenth:]) / tenth,
        out_dir=out,
    )


def _freeze_below(model, train_layers: int) -> None:
    """Freeze everything but the top ``train_layers`` transformer blocks."""
    import torch

    blocks = next(
        (
            m
            for name, m in model.named_modules()
            if isinstance(m, torch.nn.ModuleList) and name.rsplit(".", 1)[-1] in ("layer", "layers")
        ),
        None,
    )
    if blocks is None or not 1 <= train_layers <= len(blocks):
        have = 0 if blocks is None else len(blocks)
        raise ConfigError(f"train_layers={train_layers}, but the model has {have} transformer blocks")
    for p in model.parameters():
        p.requires_grad = False
    for block in list(blocks)[-train_layers:]:
        for p in block.parameters():
            p.requires_grad = True
