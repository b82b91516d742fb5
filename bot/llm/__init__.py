"""Chat and completion models behind one small interface, and the prompt files they are given.

``LanguageModel`` has one abstract method (``stream``); ``generate`` is built on it. Backends
register by name (``register_backend``): the bundled Gemma 3 270M run from its shipped GGUF by
llama.cpp, and any local GGUF (``_llamacpp``); the same model and any local Hugging Face model
through transformers (``_local``); any OpenAI-compatible server (``_remote``); the scripted fake.
``build_model(settings)`` picks one. The local and remote backends load torch or LangChain, so
they are imported only when a model is built, or when their classes are asked for here.
``tune_writer`` (``_tune``) adapts the bundled model to the writer task with LoRA, on data
made from shop records (``_writer_data``); llama.cpp applies the adapter (converted to a LoRA GGUF),
``bundled-hf`` merges it at load.
"""

from __future__ import annotations

from typing import Any

from ._model import (
    BACKENDS,
    LanguageModel,
    Message,
    ModelUnavailableError,
    ScriptedModel,
    StopFilter,
    backend_names,
    build_model,
    check_backend,
    register_backend,
    stream_with_stops,
)
from ._prompts import load_prompt

_LAZY = {
    "TransformersModel": "_local",
    "load_bundled": "_local",
    "convert_bundled": "_local",
    "bundled_cache_dir": "_local",
    "OpenAICompatibleModel": "_remote",
    "LlamaCppModel": "_llamacpp",
    "load_bundled_gguf": "_llamacpp",
    "export_lora_gguf": "_llamacpp",
    "DEFAULT_ADAPTER": "_local",
    "merge_adapter": "_local",
    "resolve_adapter": "_local",
    "TuneReport": "_tune",
    "tune_writer": "_tune",
    "WriterSample": "_writer_data",
    "render_task": "_writer_data",
    "tau2_shop": "_writer_data",
    "training_shops": "_writer_data",
    "writer_examples": "_writer_data",
    "writer_samples": "_writer_data",
    "writer_tasks": "_writer_data",
}

__all__ = [
    "BACKENDS",
    "LanguageModel",
    "Message",
    "ModelUnavailableError",
    "ScriptedModel",
    "StopFilter",
    "backend_names",
    "build_model",
    "check_backend",
    "load_prompt",
    "register_backend",
    "stream_with_stops",
    *_LAZY,
]


def __getattr__(name: str) -> Any:  # PEP 562: the heavy backends load on first use
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
