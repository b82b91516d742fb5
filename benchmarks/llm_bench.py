"""Benchmark the bundled LLM the way the assistant uses it.

Measures, on this machine:

* load time cold (GGUF -> converted cache), in a child process so its peak memory (the
  float32 dequantisation) is reported apart from serving memory;
* load time from the cache, in this process;
* time to first streamed piece and to the full reply, p50/p95, over representative prompts:
  a ~300-token strict few-shot prompt (three Facts/Question/Answer examples, then real
  facts and a question), a one-sentence answer, stop at the first newline;
* decode speed (new tokens per second after the first) and peak RSS while serving.

Usage::

    python benchmarks/llm_bench.py                    # cold + cache + 10 prompts
    python benchmarks/llm_bench.py --models-dir ~/.shoptalk/models --skip-cold
    python benchmarks/llm_bench.py --compare-dtypes   # float32 vs bfloat16, interleaved
    python benchmarks/llm_bench.py --json results.json

The machines are shared: the load average is printed with the figures; re-run before
trusting a number.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

HEADER = """Answer the question in one sentence using only the facts.

Facts: Standard shipping costs $5.95 and takes 3-5 business days. Orders over $75 ship free.
Question: How much is shipping?
Answer: Standard shipping costs $5.95, and orders over $75 ship free.

Facts: Ridge Runner GTX Trail Shoe by Summit, $89.99, waterproof Gore-Tex, sizes 9, 10 and 11, in stock.
Question: Does the Ridge Runner GTX come in size 10?
Answer: Yes, the Ridge Runner GTX Trail Shoe comes in size 10 and is in stock.

Facts: Mudlark Trail Shoe by Fellwalk, $74.50, waterproof, out of stock.
Question: Can I buy the Mudlark Trail Shoe today?
Answer: No, the Mudlark Trail Shoe is out of stock right now.

"""

CASES: list[tuple[str, str]] = [
    (
        "Unused items can be returned within 30 days of delivery for a full refund. Opened skincare can be "
        "returned only if defective, within 14 days.",
        "How long do I have to return unused items?",
    ),
    (
        "Express shipping costs $14.95 and arrives in 2 business days. Standard shipping takes 3-5 business days.",
        "How fast is express shipping?",
    ),
    (
        "We accept Visa, Mastercard, American Express and PayPal. Cryptocurrency is not accepted.",
        "Can I pay with bitcoin?",
    ),
    (
        "Alpine Dome 2 Tent by Summit, $199.00, two person waterproof dome tent, packs down small, 3 in stock.",
        "How many people fit in the Alpine Dome 2 Tent?",
    ),
    (
        "Iron Grip Adjustable Dumbbell by Forge, $149.00, adjustable from 2 to 24 kg with a quick dial, in stock.",
        "Is there a dumbbell under $150?",
    ),
    (
        "Calm Skin Gentle Moisturizer by Dewdrop, $24.00, fragrance free, for sensitive skin, with ceramides.",
        "Which moisturizer is good for sensitive skin?",
    ),
    (
        "City Glow Sunscreen SPF 30 by Solace, $15.00, out of stock. Daily Shield Sunscreen SPF 50, $18.00, in stock.",
        "Is the City Glow sunscreen available?",
    ),
    (
        "Ionic Pro Hair Dryer by Breeze, $79.00, 1875 watt, three heat settings, reduces frizz, 9 in stock.",
        "How many heat settings does the Ionic Pro have?",
    ),
    (
        "Tempo Road Running Shoe by Fellwalk, $99.00, cushioned, breathable mesh upper, sizes 8 to 12.",
        "Is the Tempo shoe good for trail running?",
    ),
    (
        "Orders over $75 ship free. Standard shipping costs $5.95 otherwise.",
        "Will my $90 order ship for free?",
    ),
]


def prompts() -> list[str]:
    return [f"{HEADER}Facts: {facts}\nQuestion: {question}\nAnswer:" for facts, question in CASES]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def cold_load(models_dir: Path) -> dict[str, Any]:
    """Convert in a child process: its wall time and peak RSS, isolated from ours."""
    code = (
        "import sys, time; from pathlib import Path; from bot._llm_local import load_bundled; "
        "import transformers; transformers.utils.logging.disable_progress_bar(); "
        "t = time.perf_counter(); load_bundled(Path(sys.argv[1])); print(time.perf_counter() - t)"
    )
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code, str(models_dir)], check=True, capture_output=True, text=True
    )
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "cold_load_s": float(out.stdout.strip().splitlines()[-1]),
        "cold_process_wall_s": wall,
        "cold_peak_rss_mb": peak,
    }


def run_prompts(model: Any, texts: list[str], max_new_tokens: int) -> list[dict[str, Any]]:
    from bot.llm import Message

    counts: list[int] = []
    real = model.model.generate

    def counting(**kwargs: Any) -> Any:  # exact number of generated tokens, stop included
        out = real(**kwargs)
        counts.append(out.shape[1] - kwargs["input_ids"].shape[1])
        return out

    model.model.generate = counting
    rows = []
    try:
        for text in texts:
            started = time.perf_counter()
            first = None
            pieces = []
            for piece in model.stream([Message("user", text)], max_new_tokens=max_new_tokens, stop=["\n"]):
                first = first if first is not None else time.perf_counter() - started
                pieces.append(piece)
            total = time.perf_counter() - started
            new = counts[-1]
            rows.append(
                {
                    "prompt_tokens": model.count_tokens(text) + 1,
                    "new_tokens": new,
                    "ttft_s": first if first is not None else total,
                    "total_s": total,
                    "answer": "".join(pieces).strip(),
                }
            )
    finally:
        del model.model.generate  # back to the class method
    for row in rows:
        decode = row["total_s"] - row["ttft_s"]
        row["decode_tok_s"] = (
            (row["new_tokens"] - 1) / decode if decode > 0 and row["new_tokens"] > 1 else None
        )
    return rows


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    ttft = [r["ttft_s"] for r in rows]
    total = [r["total_s"] for r in rows]
    speeds = [r["decode_tok_s"] for r in rows if r["decode_tok_s"]]
    return {
        "prompts": len(rows),
        "prompt_tokens_mean": statistics.mean(r["prompt_tokens"] for r in rows),
        "new_tokens_mean": statistics.mean(r["new_tokens"] for r in rows),
        "ttft_p50_s": pct(ttft, 0.5),
        "ttft_p95_s": pct(ttft, 0.95),
        "total_p50_s": pct(total, 0.5),
        "total_p95_s": pct(total, 0.95),
        "decode_tok_s_median": statistics.median(speeds) if speeds else None,
        "overall_tok_s": sum(r["new_tokens"] for r in rows) / sum(total),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models-dir", type=Path, help="models directory (default: a fresh temporary one)")
    parser.add_argument("--skip-cold", action="store_true", help="reuse the cache in --models-dir")
    parser.add_argument("--max-new-tokens", type=int, default=48)
    parser.add_argument("--threads", type=int, help="torch threads (default: the CPUs we may use, minus one)")
    parser.add_argument("--compare-dtypes", action="store_true", help="also time float32 vs bfloat16")
    parser.add_argument("--json", dest="json_path", help="write the results as JSON here ('-' for stdout)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING)
    import transformers

    transformers.utils.logging.disable_progress_bar()

    models_dir = args.models_dir or Path(tempfile.mkdtemp(prefix="llm-bench-"))
    results: dict[str, Any] = {"cpus": os.cpu_count(), "loadavg_start": os.getloadavg()[0]}
    if not args.skip_cold:
        from bot.llm._local import bundled_cache_dir

        cache = bundled_cache_dir(models_dir)
        if cache.exists():
            sys.exit(f"{cache} exists; use --skip-cold or another --models-dir to measure a cold start")
        results.update(cold_load(models_dir))

    import torch

    from bot.llm._local import TransformersModel, bundled_cache_dir, load_bundled

    model = load_bundled(models_dir, num_threads=args.threads)
    results.update(
        cache_load_s=model.load_seconds,
        load_source=model.load_source,
        cache_dir=str(bundled_cache_dir(models_dir)),
        threads=torch.get_num_threads(),
        dtype=str(model.model.dtype),
        rss_after_load_mb=rss_mb(),
    )
    texts = prompts()
    run_prompts(model, texts[:1], args.max_new_tokens)  # warm-up: first call pays one-off costs
    rows = run_prompts(model, texts, args.max_new_tokens)
    results["bundled"] = summarise(rows)
    results["answers"] = [r["answer"] for r in rows]
    # Peak includes the load transient (safetensors mmap + materialised copy); the RSS after
    # the prompts is what a serving process holds.
    results["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results["rss_after_prompts_mb"] = rss_mb()

    if args.compare_dtypes:
        variants = {
            "bfloat16": model,
            "float32": TransformersModel(
                model.model.__class__.from_pretrained(bundled_cache_dir(models_dir), dtype=torch.float32),
                model.tokenizer,
                name="f32",
            ),
        }
        per: dict[str, list[dict[str, Any]]] = {k: [] for k in variants}
        for text in texts:  # interleaved, so machine noise hits both alike
            for key, m in variants.items():
                per[key] += run_prompts(m, [text], args.max_new_tokens)
        results["dtypes"] = {k: summarise(v) for k, v in per.items()}
        del variants
        gc.collect()

    results["loadavg_end"] = os.getloadavg()[0]
    report(results)
    if args.json_path:
        text = json.dumps(results, indent=2)
        if args.json_path == "-":
            print(text)
        else:
            Path(args.json_path).write_text(text + "\n")
    return 0


def report(r: dict[str, Any]) -> None:
    b = r["bundled"]
    lines = [
        f"machine: {r['cpus']} CPUs, load average {r['loadavg_start']:.1f} -> {r['loadavg_end']:.1f}; "
        f"torch threads {r['threads']}, weights {r['dtype']}",
    ]
    if "cold_load_s" in r:
        lines.append(
            f"load cold (GGUF -> cache): {r['cold_load_s']:.1f} s, peak RSS {r['cold_peak_rss_mb']:.0f} MB"
        )
    lines += [
        f"load from cache:           {r['cache_load_s']:.1f} s ({r['load_source']}), RSS {r['rss_after_load_mb']:.0f} MB",
        f"prompts: {b['prompts']}, mean {b['prompt_tokens_mean']:.0f} prompt tokens, "
        f"mean {b['new_tokens_mean']:.1f} new tokens (stop at newline)",
        f"first piece:  p50 {b['ttft_p50_s']:.2f} s   p95 {b['ttft_p95_s']:.2f} s",
        f"full reply:   p50 {b['total_p50_s']:.2f} s   p95 {b['total_p95_s']:.2f} s",
        f"decode speed: {b['decode_tok_s_median'] or float('nan'):.1f} tokens/s (median), "
        f"{b['overall_tok_s']:.1f} tokens/s overall",
        f"RSS after the prompts: {r['rss_after_prompts_mb']:.0f} MB; peak RSS {r['peak_rss_mb']:.0f} MB "
        "(includes the load transient)",
    ]
    for key, s in r.get("dtypes", {}).items():
        lines.append(
            f"  {key:9s} first piece p50 {s['ttft_p50_s']:.2f} s, reply p50 {s['total_p50_s']:.2f} s, "
            f"p95 {s['total_p95_s']:.2f} s, decode {s['decode_tok_s_median'] or float('nan'):.1f} tok/s"
        )
    lines.append("answers:")
    lines += [f"  {i + 1:2d}. {a}" for i, a in enumerate(r["answers"])]
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
