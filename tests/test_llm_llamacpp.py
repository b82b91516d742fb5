"""The llama.cpp backend: the writer adapter's conversion to a llama.cpp LoRA GGUF (fast, on a
fake adapter), and the bundled model run from the shipped GGUF (slow: loads the real model)."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest

from bot._settings import Settings
from bot.llm import Message, build_model, load_prompt
from bot.llm._llamacpp import adapter_gguf, bundled_gguf, export_lora_gguf, load_bundled_gguf
from bot.llm._local import DEFAULT_ADAPTER
from retrieval import ConfigError

gguf = pytest.importorskip("gguf")
safetensors_numpy = pytest.importorskip("safetensors.numpy")


def _model_gguf(path, arch="gemma3"):
    """A tensor-less model GGUF: all the converter reads from the base model is its architecture."""
    writer = gguf.GGUFWriter(str(path), arch=arch)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def _adapter(directory, tensors, alpha=32, peft_type="LORA"):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "adapter_config.json").write_text(
        json.dumps({"peft_type": peft_type, "lora_alpha": alpha, "r": 4})
    )
    safetensors_numpy.save_file(tensors, str(directory / "adapter_model.safetensors"))
    return directory


def _peft_tensors(layers=2, rank=4, d_in=8, d_out=6):
    rng = np.random.default_rng(0)
    out = {}
    for i in range(layers):
        for module in ("self_attn.q_proj", "self_attn.o_proj"):
            stem = f"base_model.model.model.layers.{i}.{module}"
            out[f"{stem}.lora_A.weight"] = rng.standard_normal((rank, d_in)).astype(np.float32)
            out[f"{stem}.lora_B.weight"] = rng.standard_normal((d_out, rank)).astype(np.float32)
    return out


def test_export_writes_llama_cpp_names_shapes_and_alpha(tmp_path):
    tensors = _peft_tensors()
    adapter = _adapter(tmp_path / "writer-lora", tensors, alpha=32)
    out = export_lora_gguf(adapter, _model_gguf(tmp_path / "base.gguf"), tmp_path / "lora.gguf")

    reader = gguf.GGUFReader(str(out))
    fields = {
        name: reader.get_field(name).contents()
        for name in ("general.architecture", "general.type", "adapter.type", "adapter.lora.alpha")
    }
    assert fields == {
        "general.architecture": "gemma3",
        "general.type": "adapter",
        "adapter.type": "lora",
        "adapter.lora.alpha": 32.0,
    }
    got = {t.name: t for t in reader.tensors}
    assert sorted(got) == sorted(
        f"blk.{i}.{m}.weight.lora_{ab}" for i in (0, 1) for m in ("attn_q", "attn_output") for ab in "ab"
    )
    # llama.cpp's layout is PEFT's: A (rank, in), B (out, rank); the values travel unchanged.
    a = got["blk.1.attn_q.weight.lora_a"]
    b = got["blk.1.attn_q.weight.lora_b"]
    assert list(a.shape) == [8, 4] and list(b.shape) == [4, 6]  # ggml lists dimensions innermost first
    np.testing.assert_array_equal(
        np.asarray(a.data).reshape(4, 8),
        tensors["base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight"],
    )


def test_an_adapter_is_converted_once_per_content(tmp_path):
    base = _model_gguf(tmp_path / "base.gguf")
    adapter = _adapter(tmp_path / "writer-lora", _peft_tensors())
    first = adapter_gguf(adapter, base, tmp_path / "cache")
    stamp = first.stat().st_mtime_ns
    assert adapter_gguf(adapter, base, tmp_path / "cache") == first and first.stat().st_mtime_ns == stamp
    _adapter(adapter, _peft_tensors(rank=2))  # retrained: a new file, the old one untouched
    second = adapter_gguf(adapter, base, tmp_path / "cache")
    assert second != first and first.is_file() and second.is_file()


@pytest.mark.parametrize(
    "tensors, peft_type, message",
    [
        (
            {"base_model.model.lm_head.lora_A.weight": np.zeros((4, 8), np.float32)},
            "LORA",
            "no llama.cpp counterpart",
        ),
        (
            {"base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight": np.zeros((4, 8), np.float32)},
            "IA3",
            "not LoRA",
        ),
    ],
)
def test_an_adapter_llama_cpp_cannot_apply_is_refused_and_writes_nothing(
    tmp_path, tensors, peft_type, message
):
    adapter = _adapter(tmp_path / "writer-lora", tensors, peft_type=peft_type)
    with pytest.raises(ConfigError, match=message):
        export_lora_gguf(adapter, _model_gguf(tmp_path / "base.gguf"), tmp_path / "lora.gguf")
    assert not list(tmp_path.glob("*lora.gguf*"))


def test_gguf_backend_needs_a_model_file(tmp_path):
    with pytest.raises(ConfigError, match="SHOPTALK_LLM=gguf needs SHOPTALK_LLM_MODEL"):
        Settings(llm_backend="gguf").validate()
    with pytest.raises(ConfigError, match="path of a local .gguf model file"):
        build_model(Settings(llm_backend="gguf", llm_model=str(tmp_path / "missing.gguf")))


# ------------------------------------------------------------------------------ the real model


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    return load_bundled_gguf(tmp_path_factory.mktemp("models"))


def _prompt(facts, question):
    return [Message("user", load_prompt("write").render(facts=facts, question=question).strip())]


@pytest.mark.slow
def test_the_bundled_model_loads_from_the_shipped_gguf_in_seconds(bundled):
    assert bundled_gguf().is_file()
    assert bundled.load_seconds is not None and bundled.load_seconds < 30  # transformers: 45-75 s cold
    assert bundled.kind == "completion"
    assert bundled.tuned == (DEFAULT_ADAPTER / "adapter_config.json").is_file()


@pytest.mark.slow
@pytest.mark.skipif(not DEFAULT_ADAPTER.is_dir(), reason="no writer adapter in data/models/writer-lora")
def test_the_tuned_model_writes_the_answer_from_the_facts(bundled):
    text = bundled.generate(
        _prompt(
            ["Halfdome 55L Hiking Backpack: capacity 55 L; weight 1.63 kg"],
            "how many litres is it and what does it weigh?",
        ),
        max_new_tokens=40,
        stop=("\n",),
    )
    assert "55 L" in text and "1.63 kg" in text and "\n" not in text


@pytest.mark.slow
def test_an_abandoned_stream_ends_generation_and_frees_the_model(bundled):
    prompt = _prompt(["Returns: unopened items can be returned within 30 days."], "can I return it?")
    stream = bundled.stream(prompt, max_new_tokens=200)
    next(stream)
    stream.close()  # the shopper left, or a sentence failed validation
    started = time.perf_counter()
    again = bundled.generate(prompt, max_new_tokens=5)
    assert again and time.perf_counter() - started < 20  # not queued behind 200 tokens forever


@pytest.mark.slow
def test_no_new_tokens_asked_means_none_written(bundled):
    assert bundled.generate(_prompt(["Returns: within 30 days."], "can I return it?"), max_new_tokens=0) == ""
