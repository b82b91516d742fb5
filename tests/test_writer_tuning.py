"""The writer adapter: tuning data from shop records, LoRA training, loading and its evaluation.

Training is tested on a tiny randomly initialised Gemma 3 (two layers, a 300-token vocabulary)
with a byte tokenizer, so the loop, the target-only loss, saving and merging are checked in
seconds; what loads the real 270M model is marked slow.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from conftest import DEMO_SHOP

from bot._settings import Settings
from bot.assistant import Validator
from bot.cli._eval_writer import format_scores, reference_verdicts, score_writer, within
from bot.llm import Message, ScriptedModel, load_prompt
from bot.llm._local import DEFAULT_ADAPTER, load_bundled, merge_adapter, resolve_adapter
from bot.llm._tune import target_loss, tune_writer
from bot.llm._writer_data import (
    KIND_WEIGHTS,
    render_task,
    tau2_shop,
    training_shops,
    writer_examples,
    writer_samples,
    writer_tasks,
)
from retrieval import ConfigError, load_shop


@pytest.fixture(scope="module")
def demo():
    return load_shop(DEMO_SHOP, with_events=False)


@pytest.fixture
def tau2_db(tmp_path):
    """A two-product slice in tau2-bench's db.json layout."""
    db = {
        "products": {
            "1": {
                "name": "Water Bottle",
                "product_id": "1",
                "variants": {
                    "101": {"item_id": "101", "options": {"capacity": "500ml", "color": "blue"}, "available": True, "price": 24.5},
                    "102": {"item_id": "102", "options": {"capacity": "1000ml", "color": "red"}, "available": False, "price": 31.0},
                    "103": {"item_id": "103", "options": {"capacity": "750ml", "color": "green"}, "available": True, "price": 27.25},
                },
            },
            "2": {
                "name": "Desk Lamp",
                "product_id": "2",
                "variants": {
                    "201": {"item_id": "201", "options": {"brightness": "high", "power source": "USB"}, "available": True, "price": 89.0},
                    "202": {"item_id": "202", "options": {"brightness": "low", "power source": "battery"}, "available": True, "price": 45.0},
                },
            },
        },
        "users": {},
        "orders": {},
    }  # fmt: skip
    path = tmp_path / "db.json"
    path.write_text(json.dumps(db))
    return path


# ----------------------------------------------------------------------------- data


def test_kinds_are_balanced_by_their_weights(demo):
    n = 9 * sum(KIND_WEIGHTS.values())
    counts = Counter(s.task.kind for s in writer_samples([demo], n, seed=3))
    assert counts == {k: 9 * w for k, w in KIND_WEIGHTS.items()}


def test_targets_are_the_builders_answers_in_the_serving_format(demo):
    tasks = writer_tasks([demo], 60, seed=5)
    pairs = writer_examples([demo], 60, seed=5)
    assert pairs == [(render_task(t), f" {t.answer}\n") for t in tasks]
    for (prompt, target), task in zip(pairs, tasks, strict=True):
        assert prompt == load_prompt("write").render(facts=task.facts, question=task.question).strip()
        assert prompt.endswith("Answer:") and target.startswith(" ") and target.endswith("\n")
        assert task.carried_by(task.answer), task  # the builder's answer states what it must


def test_prompts_show_labels_never_raw_keys(demo):
    raw = {k for p in demo.products.values() for k in p.attributes if "_" in k}
    assert raw, "the demo shop has keys like weight_g"
    for prompt, target in writer_examples([demo], 200, seed=7):
        leaked = [k for k in raw if re.search(rf"\b{k}\b", prompt + target)]
        assert not leaked, (leaked, prompt)


def test_the_same_seed_gives_the_same_data(demo):
    assert writer_examples([demo], 40, seed=11) == writer_examples([demo], 40, seed=11)
    assert writer_examples([demo], 40, seed=11) != writer_examples([demo], 40, seed=12)


def test_colour_questions_are_answered_yes_and_no(demo):
    answers = [
        s.task.answer
        for s in writer_samples([demo], 400, seed=2)
        if s.task.kind == "attribute" and re.search(r"come in|available in|have .* in", s.task.question, re.I)
    ]
    assert any(a.startswith("Yes,") for a in answers) and any(a.startswith("No,") for a in answers)


def test_superlatives_name_the_right_product(demo):
    checked = 0
    for s in writer_samples([demo], 180, seed=4):
        if s.task.kind != "superlative" or "price" not in s.task.facts[0]:
            continue
        prices = {p.title: p.price for p in s.products}
        cheapest = "cheapest" in s.task.answer
        best = (min if cheapest else max)(prices, key=prices.__getitem__)
        assert s.task.answer.startswith(f"The {'cheapest' if cheapest else 'most expensive'}")
        assert f"is the {best} at" in s.task.answer
        checked += 1
    assert checked >= 5


def test_tau2_products_become_a_shop(tau2_db, demo):
    shop = tau2_shop(tau2_db)
    bottle = shop.products["102"]
    assert bottle.attributes == {"capacity": "1000ml", "color": "red"}
    assert bottle.price == 31.0 and bottle.stock == 0 and bottle.category == "Water Bottle"
    assert "1000ml" in bottle.title and "red" in bottle.description
    kinds = Counter(s.shop for s in writer_samples([demo, shop], 90, seed=1))
    assert kinds[shop.name] > 10  # its attribute names are in the mix


def test_a_missing_tau2_file_is_skipped_with_a_message(tmp_path):
    missing = tmp_path / "nowhere" / "db.json"
    shops, notes = training_shops([DEMO_SHOP], missing)
    assert [s.name for s in shops] == ["demo_shop"]
    assert len(notes) == 1 and "skipped tau2" in notes[0] and str(missing) in notes[0]


# ----------------------------------------------------------------------------- training


class ByteTokenizer:
    """Bytes as tokens (3 + byte value), <bos> = 2, <pad> = 0: enough for the tuning loop."""

    pad_token_id = 0

    def __call__(self, text: str, add_special_tokens: bool = True) -> dict[str, list[int]]:
        ids = [3 + b for b in text.encode()]
        return {"input_ids": ([2] if add_special_tokens else []) + ids}


def tiny_gemma(seed: int = 0):
    import torch
    from transformers import Gemma3ForCausalLM, Gemma3TextConfig

    torch.manual_seed(seed)
    config = Gemma3TextConfig(
        vocab_size=300, hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=2,
        num_key_value_heads=1, head_dim=16, max_position_embeddings=256, sliding_window=64,
        layer_types=["sliding_attention", "full_attention"], pad_token_id=0, bos_token_id=2, eos_token_id=1,
        initializer_range=0.3,  # at 0.02 tied embeddings this small cap the logits near zero
    )  # fmt: skip
    return Gemma3ForCausalLM(config).eval()


PAIRS = [
    ("Facts:\n- Kettle | $24.99\nQuestion: price?\nAnswer:", " The Kettle costs $24.99.\n"),
    ("Facts:\n- Lamp | $9.50\nQuestion: how much?\nAnswer:", " The Lamp costs $9.50.\n"),
    ("Facts:\n- Mat | in stock\nQuestion: stock?\nAnswer:", " The Mat is in stock.\n"),
] * 4


@pytest.fixture(scope="module")
def tuned(tmp_path_factory):
    out = tmp_path_factory.mktemp("adapter") / "writer-lora"
    report = tune_writer(
        tiny_gemma(), PAIRS, out, tokenizer=ByteTokenizer(), steps=60, batch_size=4, lr=3e-2, rank=8,
        progress=False, shops=["fixture"],
    )  # fmt: skip
    return report


def test_the_loss_goes_down(tuned):
    assert tuned.steps == 60 and tuned.planned_steps == 60
    assert tuned.final_loss < 0.7 * tuned.first_loss, (tuned.first_loss, tuned.final_loss)


def test_the_adapter_and_its_figures_are_saved(tuned):
    files = {p.name for p in tuned.out_dir.iterdir()}
    assert files == {"adapter_model.safetensors", "adapter_config.json", "tuning.json"}
    figures = json.loads((tuned.out_dir / "tuning.json").read_text())
    assert figures["steps"] == 60 and figures["examples"] == len(PAIRS) and figures["shops"] == ["fixture"]
    assert figures["final_loss"] == tuned.final_loss and figures["device"] in ("cpu", "cuda")
    assert not [p for p in tuned.out_dir.parent.iterdir() if p.name.startswith(".")]  # no temp dirs left


def test_the_merged_adapter_equals_the_adapter_applied(tuned):
    import torch
    from peft import PeftModel

    ids = torch.tensor([ByteTokenizer()(PAIRS[0][0])["input_ids"]])
    base = tiny_gemma()(input_ids=ids).logits
    applied = PeftModel.from_pretrained(tiny_gemma(), tuned.out_dir).eval()(input_ids=ids).logits
    merged_model = merge_adapter(tiny_gemma(), tuned.out_dir)
    merged = merged_model(input_ids=ids).logits
    assert not any("lora" in name for name, _ in merged_model.named_parameters())  # no extra cost per token
    assert torch.allclose(applied, merged, atol=1e-4)
    assert not torch.allclose(base, merged, atol=1e-3)  # and training changed something


def test_the_same_seed_trains_the_same_adapter(tmp_path):
    runs = [
        tune_writer(tiny_gemma(), PAIRS, tmp_path / f"run{i}", tokenizer=ByteTokenizer(), steps=5, batch_size=4,
                    lr=1e-2, rank=4, progress=False, seed=9).losses
        for i in range(2)
    ]  # fmt: skip
    assert runs[0] == runs[1]


def test_a_spent_time_budget_stops_and_still_saves(tmp_path):
    report = tune_writer(
        tiny_gemma(), PAIRS, tmp_path / "out", tokenizer=ByteTokenizer(), steps=500, batch_size=2,
        minutes=0.0001, progress=False,
    )  # fmt: skip
    assert report.stopped_by_time and report.steps < 500
    assert (tmp_path / "out" / "adapter_model.safetensors").is_file()


def test_the_loss_covers_target_tokens_only():
    """Gathering target positions before lm_head gives the full-logits loss with the prompt masked."""
    import torch
    import torch.nn.functional as F

    model, tok = tiny_gemma(), ByteTokenizer()
    prompt, target = PAIRS[0]
    head, tail = tok(prompt)["input_ids"], tok(target, add_special_tokens=False)["input_ids"]
    ids = torch.tensor([head + tail])
    positions = torch.arange(len(head) - 1, len(head) + len(tail) - 1)
    with torch.no_grad():
        ours = target_loss(
            model, ids, torch.ones_like(ids), torch.zeros_like(positions), positions, ids[0, len(head) :]
        )
        logits = model(input_ids=ids).logits[0, :-1]
        labels = ids[0, 1:].clone()
        labels[: len(head) - 1] = -100
        full = F.cross_entropy(logits.float(), labels, ignore_index=-100)
    assert torch.allclose(ours, full, atol=1e-5)


# ----------------------------------------------------------------------------- loading


def test_adapter_setting(monkeypatch, tmp_path):
    import bot.llm._local as local

    assert resolve_adapter("none") is None and resolve_adapter("NONE") is None
    with pytest.raises(ConfigError, match="not a LoRA adapter directory"):
        resolve_adapter(tmp_path / "missing")
    monkeypatch.setattr(local, "DEFAULT_ADAPTER", tmp_path / "writer-lora")
    assert resolve_adapter(None) is None  # the repository has none: the base model
    (tmp_path / "writer-lora").mkdir()
    (tmp_path / "writer-lora" / "adapter_config.json").write_text("{}")
    assert resolve_adapter(None) == tmp_path / "writer-lora"
    monkeypatch.setenv("SHOPTALK_LLM_ADAPTER", "none")
    assert Settings.from_env().llm_adapter == "none"


# ----------------------------------------------------------------------------- evaluation


def test_the_writer_eval_counts_accepted_and_carried(demo):
    samples = writer_samples([demo], 27, seed=21)
    answers = {render_task(s.task): s.task.answer for s in samples}
    validator = Validator(demo.products)  # no similarity: polarity is not checked here
    reference = reference_verdicts(samples, validator)
    echo = ScriptedModel(lambda prompt: answers[prompt])
    good = score_writer(echo, samples, validator, system="echo", prompt="write")
    # The reference answers are what an echo writes: its figures are the validator's ceiling.
    assert good.tasks == 27 and good.both == good.accepted == sum(reference) > 0
    assert within(good, reference) == 1.0
    bad = score_writer(
        ScriptedModel(["I like turtles a lot."]), samples, validator, system="bad", prompt="write"
    )
    assert bad.accepted == 0 and bad.both == 0 and within(bad, reference) == 0.0
    table = format_scores([good, bad], reference)
    assert "echo" in table and "bad" in table and "accepted+carried by kind" in table


@pytest.mark.slow
@pytest.mark.skipif(not DEFAULT_ADAPTER.is_dir(), reason="no writer adapter in data/models/writer-lora")
def test_the_bundled_model_merges_the_repository_adapter(demo):
    models_dir = Settings.from_env().models_dir
    tuned, base = load_bundled(models_dir), load_bundled(models_dir, adapter="none")
    assert tuned.tuned and tuned.name == "gemma-3-270m+writer-lora"
    assert not base.tuned and base.name == "gemma-3-270m"
    # Merged, the adapter carries the answer in most of a handful of tasks, and in more of them
    # than the base model does with the same zero-shot prompt (one answer alone is too noisy).
    tasks = writer_tasks([demo], 6, seed=7)

    def carried(model) -> int:
        return sum(
            t.carried_by(model.generate([Message("user", render_task(t))], max_new_tokens=60, stop=("\n",)))
            for t in tasks
        )

    with_adapter, without = carried(tuned), carried(base)
    assert with_adapter >= 4 and with_adapter > without, (with_adapter, without)
