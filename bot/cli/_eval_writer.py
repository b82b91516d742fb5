"""``shoptalk eval writer``: does the model write answers the validator keeps?

Held-out writer tasks are generated from a shop (by default ``data/appliance_shop``, which
tuning never sees; without it, the demo shop with a seed tuning does not use), and each is
written by the prompt-only baseline (few-shot prompt, no adapter) and by the bundled model
with the writer adapter merged (zero-shot prompt), in the same run. An answer counts when the
grounding validator accepts it *and* it carries the answer (the figure, the product): a
fluent lead-in that states nothing is not an answer. The reference answers (the builders'
own) are checked too, so a validator that would reject even them shows up as a low ceiling,
and each system is also scored on the tasks whose reference the validator accepts.

Target (exit 1 when missed): the adapter's accepted-and-carried share >= 0.70.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import typer

from retrieval import SentenceTransformerEmbedder, load_shop

from .._settings import DEFAULT_SHOP, REPO_ROOT, Settings
from ..assistant import Facts, Validator
from ..llm import LanguageModel, Message
from . import _targets
from ._app import eval_app

if TYPE_CHECKING:  # the writer data module loads the assistant: only when the command runs
    from ..llm import WriterSample

UNSEEN_SHOP = REPO_ROOT / "data" / "appliance_shop"
EVAL_SEED = 1001  # tune-writer draws with seed 0; another seed gives other questions
TARGET_ACCEPTED_CARRIED = 0.70


@dataclass
class WriterScore:
    system: str
    prompt: Literal["write", "write_fewshot"]
    tasks: int = 0
    accepted: int = 0
    carried: int = 0
    both: int = 0
    seconds: float = 0.0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [both, tasks]
    outputs: list[dict[str, Any]] = field(default_factory=list, repr=False)

    def share(self, count: int) -> float | None:
        return count / self.tasks if self.tasks else None

    @property
    def s_per_answer(self) -> float | None:
        return self.seconds / self.tasks if self.tasks else None


def score_writer(
    model: LanguageModel,
    samples: Sequence[WriterSample],
    validator: Validator,
    *,
    system: str,
    prompt: Literal["write", "write_fewshot"],
    max_new_tokens: int = 80,
    progress: bool = False,
) -> WriterScore:
    """Write every task with ``model`` (prompt file ``prompt``), validate, and count."""
    from tqdm import tqdm

    from ..llm import render_task

    score = WriterScore(system, prompt)
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for sample in tqdm(samples, desc=system, unit="answer", disable=not progress):
        task = sample.task
        t0 = time.perf_counter()
        text = model.generate(
            [Message("user", render_task(task, prompt))], max_new_tokens=max_new_tokens, stop=("\n",)
        ).strip()
        score.seconds += time.perf_counter() - t0
        verdict = validator.check(text, Facts(products=sample.products, extra=task.facts), task.question)
        carried = task.carried_by(text)
        score.tasks += 1
        score.accepted += verdict.ok
        score.carried += carried
        score.both += verdict.ok and carried
        by_kind[task.kind][0] += verdict.ok and carried
        by_kind[task.kind][1] += 1
        score.outputs.append(
            {"kind": task.kind, "question": task.question, "text": text, "ok": verdict.ok,
             "carried": carried, "problems": list(verdict.problems)}
        )  # fmt: skip
    score.by_kind = dict(by_kind)
    return score


def reference_verdicts(samples: Sequence[WriterSample], validator: Validator) -> list[bool]:
    """Whether the validator accepts each builder's own answer: the ceiling of the figures."""
    return [
        validator.check(s.task.answer, Facts(products=s.products, extra=s.task.facts), s.task.question).ok
        for s in samples
    ]


@eval_app.command("writer")
def eval_writer(
    shop: Path | None = typer.Option(
        None,
        "--shop",
        file_okay=False,
        help="Shop to ask about (default: data/appliance_shop, unseen by tuning).",
    ),
    n: int = typer.Option(60, "--n", min=1, help="Tasks (kinds balanced)."),
    adapter: str | None = typer.Option(
        None, "--adapter", help="Adapter directory, or 'none' (default: SHOPTALK_LLM_ADAPTER or the repo's)."
    ),
    seed: int = typer.Option(EVAL_SEED, "--seed"),
    baseline: bool = typer.Option(
        True, "--baseline/--no-baseline", help="Also run the prompt-only base model."
    ),
    max_new_tokens: int | None = typer.Option(
        None, "--max-new-tokens", min=1, help="Per answer (default: SHOPTALK_LLM_MAX_NEW_TOKENS, as served)."
    ),
    show: int = typer.Option(0, "--show", min=0, help="Print the first N outputs of each system."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    min_share: float = typer.Option(
        TARGET_ACCEPTED_CARRIED,
        "--min-share",
        min=0,
        max=1,
        help="Target: the adapter's accepted+carried share.",
    ),
) -> None:
    """Accepted-and-carried share and seconds per answer: prompt-only baseline vs the writer adapter.

    Exits 1 when the target is missed (or no adapter was measured), 2 when --shop does not exist."""
    from ..llm import load_bundled_gguf as load_bundled  # llama.cpp: what serves by default
    from ..llm import resolve_adapter, writer_samples

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    settings = Settings.from_env()
    if shop is not None and not shop.is_dir():
        typer.echo(f"error: --shop {shop} is not a directory", err=True)
        raise typer.Exit(_targets.EXIT_MISSING_INPUT)
    path = shop or (UNSEEN_SHOP if UNSEEN_SHOP.is_dir() else DEFAULT_SHOP)
    loaded = load_shop(path, with_events=False)
    samples = writer_samples([loaded], n, seed)
    embedder = SentenceTransformerEmbedder(settings.embedder_path)

    def similarity(a: Sequence[str], b: Sequence[str]) -> Any:
        return embedder.embed_batch(list(a)) @ embedder.embed_batch(list(b)).T

    validator = Validator(loaded.products, similarity)
    adapter_dir = resolve_adapter(adapter if adapter is not None else settings.llm_adapter)
    options: dict[str, Any] = dict(
        max_new_tokens=max_new_tokens or settings.llm_max_new_tokens, progress=not as_json
    )
    scores: list[WriterScore] = []
    if baseline:
        base = load_bundled(settings.models_dir, adapter="none")
        scores.append(
            score_writer(base, samples, validator, system=base.name, prompt="write_fewshot", **options)
        )
        del base
    tuned_score = None
    if adapter_dir is not None:
        tuned = load_bundled(settings.models_dir, adapter=adapter_dir)
        tuned_score = score_writer(tuned, samples, validator, system=tuned.name, prompt="write", **options)
        scores.append(tuned_score)
    figures = {"adapter.accepted_carried": tuned_score.share(tuned_score.both) if tuned_score else None}
    outcomes = _targets.check([_targets.Target("adapter.accepted_carried", ">=", min_share)], figures)
    reference = reference_verdicts(samples, validator)
    unseen = path.resolve() == UNSEEN_SHOP.resolve()
    if as_json:
        report = {
            "shop": loaded.name, "unseen": unseen, "tasks": len(samples), "seed": seed,
            "adapter": str(adapter_dir) if adapter_dir else None,
            "reference_accepted": sum(reference) / len(reference),
            "systems": [
                {k: v for k, v in asdict(s).items() if k != "outputs"} | {"within_ceiling": within(s, reference)}
                for s in scores
            ],
        }  # fmt: skip
        typer.echo(json.dumps(report | _targets.as_json(outcomes)))
    else:
        kinds = Counter(s.task.kind for s in samples)
        typer.echo(
            f"{loaded.name} ({'unseen by tuning' if unseen else 'seen by tuning: held-out seed only'}), "
            f"{len(samples)} tasks, seed {seed}: " + ", ".join(f"{k} {c}" for k, c in sorted(kinds.items()))
        )
        typer.echo(format_scores(scores, reference, show))
        if adapter_dir is None:
            typer.echo("no adapter: SHOPTALK_LLM_ADAPTER=none or none trained (run `shoptalk tune-writer`)")
        typer.echo("\n".join(_targets.lines(outcomes)))
    _targets.finish(outcomes)


def within(score: WriterScore, reference: Sequence[bool]) -> float | None:
    """Accepted-and-carried share on the tasks whose reference answer the validator accepts."""
    kept = [o for o, ok in zip(score.outputs, reference, strict=True) if ok]
    return sum(o["ok"] and o["carried"] for o in kept) / len(kept) if kept else None


def format_scores(scores: Sequence[WriterScore], reference: Sequence[bool], show: int = 0) -> str:
    """The human-readable table (pure, so it is testable without a terminal)."""
    ceiling = sum(reference)
    lines = [
        f"reference answers accepted by the validator: {ceiling}/{len(reference)}",
        f"{'system':26s} {'prompt':14s} {'accepted':>8s} {'carried':>8s} {'both':>6s} "
        f"{'both*':>6s} {'s/answer':>9s}",
    ]
    for s in scores:
        inside = within(s, reference)
        lines.append(
            f"{s.system:26s} {s.prompt:14s} {s.share(s.accepted) or 0:8.2f} {s.share(s.carried) or 0:8.2f} "
            f"{s.share(s.both) or 0:6.2f} {'n/a' if inside is None else f'{inside:.2f}':>6s} "
            f"{s.s_per_answer or 0:9.2f}"
        )
    lines.append(f"  both*: on the {ceiling} tasks whose reference answer the validator accepts")
    for s in scores:
        kinds = ", ".join(f"{k} {both}/{total}" for k, (both, total) in sorted(s.by_kind.items()))
        lines.append(f"  {s.system} accepted+carried by kind: {kinds}")
        for out in s.outputs[:show]:
            mark = "ok" if out["ok"] and out["carried"] else "NO"
            why = "; ".join(out["problems"][:2]) or (
                "does not carry the answer" if not out["carried"] else ""
            )
            lines.append(f"    [{mark}] {out['kind']}: {out['question']!r} -> {out['text']!r} {why}")
    return "\n".join(lines)
