"""Write a stratified train/test split of an ``utterance,intent`` CSV (for ``shoptalk eval intents``).

    python scripts/split_intents.py --in ../shared/datasets/bitext_intents/train.csv \
        --out-dir /tmp/bitext --test-frac 0.2 --seed 13

Each intent keeps the same share in both halves, so rare intents still appear in the test
set. Every input column is kept. The split is written outside the repo: evaluation data from
``shared/datasets`` must never be copied into it.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections import defaultdict
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def stratified_split(intents: list[str], test_frac: float, seed: int) -> set[int]:
    """Row indices of the test half: round(test_frac * n) of each intent, at least one where n > 1."""
    by_intent: dict[str, list[int]] = defaultdict(list)
    for i, intent in enumerate(intents):
        by_intent[intent].append(i)
    rng = random.Random(seed)
    test: set[int] = set()
    for intent in sorted(by_intent):  # sorted: the split must not depend on row order of intents
        rows = by_intent[intent]
        rng.shuffle(rows)
        n_test = min(len(rows) - 1, max(1, round(test_frac * len(rows)))) if len(rows) > 1 else 0
        test.update(rows[:n_test])
    return test


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--in", dest="src", required=True, type=Path, help="CSV with utterance,intent columns"
    )
    parser.add_argument("--out-dir", required=True, type=Path, help="folder for train.csv and test.csv")
    parser.add_argument("--test-frac", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    if not 0 < args.test_frac < 1:
        parser.error(f"--test-frac must be between 0 and 1, got {args.test_frac}")
    if not args.src.is_file():
        print(f"skipped: {args.src} not found (the shared datasets are not on this machine)", file=sys.stderr)
        return 0
    out_dir = args.out_dir.resolve()
    if out_dir.is_relative_to(REPO_ROOT):
        parser.error(f"--out-dir {out_dir} is inside the repo; write evaluation splits elsewhere (e.g. /tmp)")

    with args.src.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        fields = list(reader.fieldnames or ())
        if "intent" not in fields or "utterance" not in fields:
            parser.error(f"{args.src} needs utterance,intent columns; it has {', '.join(fields) or 'none'}")
        rows = list(reader)
    test = stratified_split([r["intent"] for r in rows], args.test_frac, args.seed)

    out_dir.mkdir(parents=True, exist_ok=True)
    for name, keep in (("train.csv", False), ("test.csv", True)):
        with (out_dir / name).open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=fields)
            writer.writeheader()
            writer.writerows(r for i, r in enumerate(rows) if (i in test) == keep)
    n_intents = len({r["intent"] for r in rows})
    print(f"{len(rows) - len(test)} train / {len(test)} test rows, {n_intents} intents -> {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
