"""Adapt the bundled model to one task with LoRA: write a one/two-sentence answer from facts.

Design decisions:

* **LoRA on the attention projections** (q/k/v/o, rank 8-16): about a million trainable
  parameters next to 268 M frozen ones, so the adapter is a few MB and one CPU step only
  pays for the backward pass through activations, not for optimiser state of the model.
* **Loss on the target tokens only, and logits only where they are needed.** The vocabulary
  is 262k words: full logits for a batch of 8 x 150 tokens are 300 M floats (1.2 GB) and most
  of the step's time. The decoder body runs once, the hidden states at the positions that
  predict a target token are gathered, and only those go through ``lm_head``.
* **Prompt and target are tokenised apart**, exactly as serving sees them: the prompt (with
  ``<bos>``) ends at "Answer:", and the model continues with " <sentence>\n". Tokenising the
  joined text could merge tokens across the seam and teach a split serving never produces.
* **A time budget, not only a step count.** After a few steps the s/step is measured; when
  the planned steps would not fit in ``minutes``, the learning-rate schedule is shortened to
  what fits (so the run still ends at a low rate), and the loop stops when time is spent.
  The adapter is always saved, atomically (temporary sibling, then rename).
* **Deterministic given the seed**: example order, LoRA initialisation and dropout are seeded;
  batches are grouped by length (less padding) in a seeded order.
"""

from __future__ import annotations

import json
import logging
import math
import random
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from retrieval import ConfigError

log = logging.getLogger(__name__)

TARGET_MODULES = ("q_proj", "k_proj", "v_proj", "o_proj")
WARMUP_STEPS = 10
MIN_LR_SHARE = 0.1  # the schedule decays linearly to this share of the peak rate
REPORT_FILE = "tuning.json"


@dataclass(frozen=True)
class TuneReport:
    out_dir: Path
    steps: int
    planned_steps: int
    examples: int
    batch_size: int
    shops: tuple[str, ...]
    seed: int
    lr: float
    rank: int
    first_loss: float  # mean of the first 10 steps
    final_loss: float  # mean of the last 10 steps
    mean_loss: float
    seconds: float
    s_per_step: float
    device: str
    dtype: str
    threads: int
    stopped_by_time: bool
    adapter_bytes: int
    losses: tuple[float, ...] = field(default=(), repr=False)

    def as_dict(self) -> dict[str, Any]:
        """The figures for ``tuning.json`` (not where it was written: that is this machine's path)."""
        out = asdict(self)
        out["shops"] = list(self.shops)
        out.pop("out_dir")
        out.pop("losses")
        return out


@dataclass(frozen=True)
class _Encoded:
    ids: list[int]
    prompt_len: int  # ids[prompt_len:] are the target


def _encode(tokenizer: Any, prompt: str, target: str) -> _Encoded:
    head = list(tokenizer(prompt, add_special_tokens=True)["input_ids"])
    tail = list(tokenizer(target, add_special_tokens=False)["input_ids"])
    if not tail:
        raise ConfigError(f"Empty training target for prompt ending {prompt[-60:]!r}")
    return _Encoded(head + tail, len(head))


def _plan(encoded: Sequence[_Encoded], batch_size: int, steps: int, rng: random.Random) -> list[list[int]]:
    """``steps`` batches of example indices: seeded epochs, batches of similar length."""
    batches: list[list[int]] = []
    while len(batches) < steps:
        order = list(range(len(encoded)))
        rng.shuffle(order)
        # Sort within windows of 16 batches: little padding, and the order stays random.
        window = batch_size * 16
        epoch: list[list[int]] = []
        for start in range(0, len(order), window):
            part = sorted(order[start : start + window], key=lambda i: len(encoded[i].ids))
            epoch += [part[i : i + batch_size] for i in range(0, len(part), batch_size)]
        rng.shuffle(epoch)
        batches += epoch
    return batches[:steps]


def _collate(torch: Any, rows: Sequence[_Encoded], pad_id: int, device: Any) -> tuple[Any, ...]:
    width = max(len(r.ids) for r in rows)
    ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    row_idx, pos_idx, labels = [], [], []
    for i, r in enumerate(rows):
        ids[i, : len(r.ids)] = torch.tensor(r.ids)
        mask[i, : len(r.ids)] = 1
        for t in range(r.prompt_len, len(r.ids)):
            row_idx.append(i)
            pos_idx.append(t - 1)  # the hidden state at t-1 predicts token t
            labels.append(r.ids[t])
    as_long = [torch.tensor(x, dtype=torch.long, device=device) for x in (row_idx, pos_idx, labels)]
    return (ids.to(device), mask.to(device), *as_long)


def target_loss(model: Any, ids: Any, mask: Any, rows: Any, positions: Any, labels: Any) -> Any:
    """Mean cross-entropy of the target tokens; ``lm_head`` runs on their positions only."""
    import torch
    import torch.nn.functional as F

    hidden = model.model(input_ids=ids, attention_mask=mask, use_cache=False).last_hidden_state
    logits = model.lm_head(hidden[rows, positions]).float()
    cap = getattr(model.config, "final_logit_softcapping", None)
    if cap:  # Gemma 2 style models squash logits; keep training and serving identical
        logits = torch.tanh(logits / cap) * cap
    return F.cross_entropy(logits, labels)


def _lr_at(step: int, peak: float, horizon: int) -> float:
    """Linear warm-up, then linear decay to ``MIN_LR_SHARE`` of the peak at ``horizon``."""
    warm = min(WARMUP_STEPS, max(1, horizon // 10))
    if step < warm:
        return peak * (step + 1) / warm
    left = max(0.0, (horizon - step) / max(1, horizon - warm))
    return peak * (MIN_LR_SHARE + (1 - MIN_LR_SHARE) * left)


def _load_base(base: str | Path | Any, tokenizer: Any, dtype: Any, device: Any) -> tuple[Any, Any, str]:
    if not isinstance(base, str | Path):
        if tokenizer is None:
            raise ConfigError("tune_writer: pass tokenizer= with a model object")
        return (
            base.to(device=device, dtype=dtype),
            tokenizer,
            getattr(base.config, "name_or_path", "") or "model",
        )
    from transformers import AutoModelForCausalLM, AutoTokenizer

    directory = Path(base).expanduser()
    if not (directory / "config.json").is_file():
        raise ConfigError(f"{str(base)!r} is not a Hugging Face model directory (no config.json)")
    tok = tokenizer or AutoTokenizer.from_pretrained(directory, local_files_only=True)
    model = AutoModelForCausalLM.from_pretrained(directory, local_files_only=True, dtype=dtype)
    return model.to(device), tok, directory.name


def tune_writer(
    base: str | Path | Any,
    examples: Sequence[tuple[str, str]],
    out_dir: str | Path,
    *,
    tokenizer: Any = None,
    steps: int | None = None,
    batch_size: int | None = None,
    lr: float = 3e-4,
    rank: int = 8,
    minutes: float | None = None,
    seed: int = 0,
    shops: Sequence[str] = (),
    dtype: str = "float32",
    progress: bool = True,
    on_step: Callable[[int, int, float], None] | None = None,
) -> TuneReport:
    """Train a LoRA adapter on ``(prompt, target)`` pairs and save it to ``out_dir``.

    ``base`` is a Hugging Face directory (the converted bundled model) or a causal-LM object
    (then ``tokenizer`` is required; tests pass a tiny one). ``steps`` defaults to one epoch.
    ``on_step(step, total, loss)`` reports progress. Writes ``adapter_model.safetensors``,
    ``adapter_config.json`` and ``tuning.json`` (the figures of this run).
    """
    import torch
    from peft import LoraConfig, get_peft_model
    from tqdm import tqdm

    if not examples:
        raise ConfigError("tune_writer: no training examples")
    if rank < 1 or lr <= 0:
        raise ConfigError(f"tune_writer: rank={rank} and lr={lr} must be positive")
    started = time.perf_counter()
    cuda = torch.cuda.is_available()
    device = torch.device("cuda" if cuda else "cpu")
    batch_size = batch_size or (16 if cuda else 4)
    torch_dtype = getattr(torch, dtype, None)
    if not isinstance(torch_dtype, torch.dtype):
        raise ConfigError(f"Unknown dtype {dtype!r}; use float32 or bfloat16")
    rng = random.Random(seed)
    torch.manual_seed(seed)

    model, tok, base_name = _load_base(base, tokenizer, torch_dtype, device)
    pad_id = tok.pad_token_id if tok.pad_token_id is not None else 0
    encoded = [_encode(tok, p, t) for p, t in examples]
    total = steps or math.ceil(len(encoded) / batch_size)
    plan = _plan(encoded, batch_size, total, rng)

    torch.manual_seed(seed)  # LoRA's initialisation does not depend on the data above
    config = LoraConfig(
        r=rank, lora_alpha=2 * rank, lora_dropout=0.05, target_modules=list(TARGET_MODULES), bias="none"
    )
    peft_model = get_peft_model(model, config)
    lm = peft_model.get_base_model()  # the causal LM, with the LoRA layers inside it
    trainable = [p for p in peft_model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(trainable, lr=lr, weight_decay=0.0)
    peft_model.train()

    budget = minutes * 60 if minutes else None
    horizon = total
    losses: list[float] = []
    stopped_by_time = False
    loop_start = time.perf_counter()
    bar = tqdm(total=total, desc="tuning writer", unit="step", disable=not progress, dynamic_ncols=True)
    try:
        for step, batch in enumerate(plan):
            elapsed = time.perf_counter() - loop_start
            if budget is not None and step > 0 and elapsed + elapsed / step > budget:
                stopped_by_time = True  # the next step would overrun the budget
                break
            if budget is not None and step == 5:
                # Shorten the schedule to what fits, so the run ends at a low rate either way.
                horizon = min(total, max(step + 1, int(budget / (elapsed / step))))
            for group in optimiser.param_groups:
                group["lr"] = _lr_at(step, lr, horizon)
            ids, mask, rows, positions, labels = _collate(torch, [encoded[i] for i in batch], pad_id, device)
            loss = target_loss(lm, ids, mask, rows, positions, labels)
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trainable, 1.0)
            optimiser.step()
            value = float(loss.detach())
            if not math.isfinite(value):
                raise ConfigError(f"tune_writer: loss became {value} at step {step + 1}; lower lr={lr}")
            losses.append(value)
            per_step = (time.perf_counter() - loop_start) / (step + 1)
            bar.set_postfix(loss=f"{value:.3f}", s_step=f"{per_step:.2f}")
            bar.update(1)
            if on_step:
                on_step(step + 1, total, value)
    finally:
        bar.close()
    train_seconds = time.perf_counter() - loop_start
    if not losses:
        raise ConfigError(f"tune_writer: the time budget ({minutes} min) ended before the first step")

    out = Path(out_dir)
    peft_model.eval()
    adapter_bytes = _save(peft_model, out, base_name)
    report = TuneReport(
        out_dir=out,
        steps=len(losses),
        planned_steps=total,
        examples=len(encoded),
        batch_size=batch_size,
        shops=tuple(shops),
        seed=seed,
        lr=lr,
        rank=rank,
        first_loss=round(sum(losses[:10]) / len(losses[:10]), 4),
        final_loss=round(sum(losses[-10:]) / len(losses[-10:]), 4),
        mean_loss=round(sum(losses) / len(losses), 4),
        seconds=round(time.perf_counter() - started, 1),
        s_per_step=round(train_seconds / len(losses), 3),
        device=device.type,
        dtype=dtype,
        threads=torch.get_num_threads(),
        stopped_by_time=stopped_by_time,
        adapter_bytes=adapter_bytes,
        losses=tuple(losses),
    )
    (out / REPORT_FILE).write_text(json.dumps(report.as_dict(), indent=2) + "\n")
    log.info(
        "writer adapter saved to %s (%d steps, loss %.3f -> %.3f)",
        out,
        report.steps,
        report.first_loss,
        report.final_loss,
    )
    return report


def _save(peft_model: Any, out: Path, base_name: str) -> int:
    """Save the adapter into a temporary sibling, then swap it in: never a half-written adapter."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}-"))
    try:
        peft_model.save_pretrained(tmp, safe_serialization=True)
        (tmp / "README.md").unlink(missing_ok=True)  # peft's empty model-card template
        config_path = tmp / "adapter_config.json"
        config = json.loads(config_path.read_text())
        config["base_model_name_or_path"] = base_name  # not this machine's cache path
        config_path.write_text(json.dumps(config, indent=2) + "\n")
        # mkdtemp makes a private directory; the adapter is an ordinary, shareable file set
        tmp.chmod(0o755)
        for f in tmp.iterdir():
            f.chmod(0o644)
        size = sum(f.stat().st_size for f in tmp.iterdir() if f.is_file())
        old = out.with_name(f".{out.name}-old")
        if out.exists():
            shutil.rmtree(old, ignore_errors=True)
            out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old, ignore_errors=True)
        return size
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
