"""The `shoptalk` command line of DESIGN.md (contract 2), on a shop that is not the demo shop.

Runs the installed console script in a subprocess, as outside checks do: ``ingest`` then
``ask --json`` on the small fixture shop, with the scripted model so answers come from the
planner and the shop's records. Slow: the real embedder is loaded in each process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

pytestmark = pytest.mark.slow

SHOP = REPO / "tests" / "fixtures" / "mini_shop"
SHOPTALK = str(Path(sys.executable).with_name("shoptalk"))


def run(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SHOPTALK_HOME": str(home), "SHOPTALK_LLM": "fake", "HF_HUB_OFFLINE": "1"}
    return subprocess.run([SHOPTALK, *args], env=env, capture_output=True, text=True, timeout=300)


def test_ingest_then_ask_json_on_another_shop(tmp_path):
    done = run(tmp_path, "ingest", "--shop", str(SHOP))
    assert done.returncode == 0, done.stderr
    assert "products: 12" in done.stdout
    again = run(tmp_path, "ingest", "--shop", str(SHOP))
    assert "chunks embedded: 0" in again.stdout  # idempotent by content hash

    out = run(
        tmp_path, "ask", "--shop", str(SHOP), "--user", "C1", "--json", "waterproof trail shoes under $100"
    )
    assert out.returncode == 0, out.stderr
    answer = json.loads(out.stdout.strip().splitlines()[-1])
    assert set(answer) == {"answer", "route", "products", "sponsored", "citations", "escalated", "latency_ms"}
    assert answer["route"] == "product_search" and answer["escalated"] is False
    assert answer["products"] and set(answer["products"]) <= {f"S{i}" for i in range(1, 13)}
    assert all(isinstance(v, (int, float)) for v in answer["latency_ms"].values())

    policy = json.loads(
        run(tmp_path, "ask", "--shop", str(SHOP), "--json", "can I return opened skincare?")
        .stdout.strip()
        .splitlines()[-1]
    )
    assert policy["route"] == "policy"
    assert any(c.startswith("policy:returns#") for c in policy["citations"])

    human = json.loads(
        run(tmp_path, "ask", "--shop", str(SHOP), "--json", "I want to talk to a human")
        .stdout.strip()
        .splitlines()[-1]
    )
    assert human["escalated"] is True and human["route"] == "handoff"


def test_a_missing_shop_is_a_clear_error(tmp_path):
    out = run(tmp_path, "ask", "--shop", str(tmp_path / "nowhere"), "--json", "hello")
    assert out.returncode != 0
    assert "nowhere" in out.stderr and "Traceback" not in out.stderr


def test_train_click_model_keeps_a_trained_model_when_asked(tmp_path):
    first = run(tmp_path, "train-click-model", "--shop", str(SHOP), "--impressions", "1000")
    assert first.returncode == 0, first.stderr
    assert "saved to" in first.stdout
    saved = next(tmp_path.glob("shops/*/click_model.pt"))
    stamp = saved.stat().st_mtime_ns
    kept = run(tmp_path, "train-click-model", "--shop", str(SHOP), "--if-missing")
    assert kept.returncode == 0 and "already trained" in kept.stdout
    assert saved.stat().st_mtime_ns == stamp  # `make demo` restarts do not retrain
