"""The language-model interface: stop handling, the scripted fake, the backend registry.

``LanguageModelContract`` is the shared contract every backend must pass; the remote and
local test modules subclass it with their own ``model`` fixture.
"""

from __future__ import annotations

import pytest

from bot._settings import Settings
from bot.llm import (
    BACKENDS,
    LanguageModel,
    Message,
    ScriptedModel,
    StopFilter,
    build_model,
    register_backend,
    stream_with_stops,
)
from bot.llm._model import BUILTIN_BACKENDS
from retrieval import ConfigError

PROMPT = [Message("user", "Facts: Standard shipping costs $5.95.\nQuestion: How much is shipping?\nAnswer:")]


class LanguageModelContract:
    """What the conversation engine relies on, for any backend with deterministic output.

    Subclasses provide a ``model`` fixture and may override ``messages`` with a prompt that
    makes their model write at least a dozen characters.
    """

    messages = PROMPT

    def test_identity(self, model: LanguageModel):
        assert model.kind in ("completion", "chat")
        assert isinstance(model.name, str) and model.name

    def test_generate_is_the_joined_stream(self, model):
        pieces = list(model.stream(self.messages, max_new_tokens=12))
        assert pieces and all(isinstance(p, str) and p for p in pieces)
        assert "".join(pieces) == model.generate(self.messages, max_new_tokens=12)

    def test_deterministic(self, model):
        assert model.generate(self.messages, max_new_tokens=12) == model.generate(
            self.messages, max_new_tokens=12
        )

    def test_fewer_tokens_give_a_prefix(self, model):
        short = model.generate(self.messages, max_new_tokens=2)
        long = model.generate(self.messages, max_new_tokens=12)
        assert short and len(short) < len(long) and long.startswith(short)

    def test_stop_cuts_before_the_stop_text(self, model):
        full = model.generate(self.messages, max_new_tokens=12)
        assert len(full) >= 8, f"prompt too weak for this contract: {full!r}"
        stop = full[5:8]  # something the model is known to write, mid-answer
        cut = model.generate(self.messages, max_new_tokens=12, stop=[stop])
        assert cut == full[: full.index(stop)]

    def test_closing_a_stream_early_leaves_the_model_usable(self, model):
        stream = model.stream(self.messages, max_new_tokens=12)
        next(stream)
        stream.close()
        assert model.generate(self.messages, max_new_tokens=12)

    def test_zero_tokens_is_empty(self, model):
        assert model.generate(self.messages, max_new_tokens=0) == ""


class TestScriptedModelContract(LanguageModelContract):
    @pytest.fixture
    def model(self):
        return ScriptedModel(lambda prompt: "Standard shipping costs $5.95 and takes 3-5 business days.")


# -- StopFilter -------------------------------------------------------------------------------


def _run(pieces, stop):
    return list(stream_with_stops(iter(pieces), stop))


def test_stop_spanning_pieces_is_cut():
    assert "".join(_run(["Yes.", "<", "/an", "swer> more"], ["</answer>"])) == "Yes."


def test_first_of_several_stops_wins():
    assert "".join(_run(["a b\nc ###"], ["###", "\n"])) == "a b"


def test_stop_at_the_very_start_yields_nothing():
    assert _run(["\nanything"], ["\n"]) == []


def test_without_stops_everything_passes_unchanged():
    assert _run(["a", "b ", "c"], []) == ["a", "b ", "c"]


def test_text_that_only_looks_like_a_stop_prefix_is_released_at_the_end():
    assert "".join(_run(["price: $5 </", "ans"], ["</answer>"])) == "price: $5 </ans"


def test_holds_back_no_more_than_the_longest_stop_minus_one():
    f = StopFilter(["STOP"])
    assert f.feed("abcdef") == "abc"  # "def" is kept: it might begin a stop
    assert f.feed("ST") == "de"
    assert f.feed("OP and more") == "f"
    assert f.done and f.flush() == ""


def test_empty_stop_strings_are_ignored():
    assert "".join(_run(["hello"], ["", "\n"])) == "hello"


# -- ScriptedModel ----------------------------------------------------------------------------


def test_scripted_replies_in_turn_then_repeats_the_last():
    model = ScriptedModel(["one", "two"])
    assert [model.generate(PROMPT) for _ in range(3)] == ["one", "two", "two"]
    assert len(model.calls) == 3 and model.calls[0] == PROMPT


def test_scripted_token_limit_counts_words():
    model = ScriptedModel(["alpha beta gamma delta"])
    assert model.generate(PROMPT, max_new_tokens=2) == "alpha beta "


def test_scripted_stop_and_kind():
    model = ScriptedModel(["Yes, 45 days.\nQuestion: next"], kind="chat")
    assert model.generate(PROMPT, stop=["\n"]) == "Yes, 45 days."
    assert model.kind == "chat"


def test_scripted_sees_the_plain_text_prompt():
    model = ScriptedModel(lambda prompt: prompt.upper())
    assert model.generate([Message("system", "a"), Message("user", "b")]) == "A\n\nB"


# -- registry ---------------------------------------------------------------------------------


def test_unknown_backend_names_the_choices():
    with pytest.raises(
        ConfigError, match=r"Unknown LLM backend 'nope'; choose one of: .*bundled.*fake.*hf.*openai"
    ):
        build_model(Settings(llm_backend="nope"))


def test_fake_backend_builds_the_scripted_model():
    assert isinstance(build_model(Settings(llm_backend="fake")), ScriptedModel)


def test_registered_backends_receive_settings_and_redactor(monkeypatch):
    seen = {}

    @register_backend("test-echo")
    def factory(settings, redact=None):
        seen.update(settings=settings, redact=redact)
        return ScriptedModel(["hi"])

    try:
        # The way an operator picks it: SHOPTALK_LLM, validated by Settings against the registry.
        monkeypatch.setenv("SHOPTALK_LLM", "test-echo")
        settings = Settings.from_env()
        model = build_model(settings, redact=str.upper)
        assert model.generate(PROMPT) == "hi"
        assert seen == {"settings": settings, "redact": str.upper}
    finally:
        BACKENDS.pop("test-echo")


def test_settings_refuse_a_backend_nobody_registered(monkeypatch):
    monkeypatch.setenv("SHOPTALK_LLM", "test-echo")
    with pytest.raises(
        ConfigError,
        match=r"Unknown LLM backend 'test-echo'; choose one of: bundled, bundled-hf, fake, gguf, hf, openai",
    ):
        Settings.from_env()


@pytest.mark.parametrize("name", sorted(BUILTIN_BACKENDS))
def test_each_builtin_backend_is_registered_by_its_module(name):
    import importlib

    importlib.import_module(f"bot.llm.{BUILTIN_BACKENDS[name]}")
    assert name in BACKENDS


def test_checking_the_backend_setting_loads_no_backend():
    """Settings are checked at every start; the backends' modules (torch, LangChain) load only
    when a model is built."""
    import subprocess
    import sys

    code = (
        "import sys; from bot._settings import Settings; "
        "[Settings.from_env(llm_backend=b, llm_base_url='http://127.0.0.1:9/v1', llm_model='m') "
        " for b in ('bundled', 'bundled-hf', 'gguf', 'hf', 'openai', 'fake')]; "
        "print(sorted(m for m in ('torch', 'transformers', 'langchain_openai', 'llama_cpp', "
        "'bot.llm._local', 'bot.llm._remote', 'bot.llm._llamacpp') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.strip() == "[]"


def test_hf_backend_without_a_directory_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="not a Hugging Face model directory"):
        build_model(Settings(llm_backend="hf", llm_model=str(tmp_path / "missing")))


def test_openai_backend_needs_a_url():
    with pytest.raises(ConfigError, match="SHOPTALK_LLM_BASE_URL"):
        build_model(Settings(llm_backend="openai"))


def test_openai_backend_refuses_to_run_unredacted_when_redaction_is_on():
    settings = Settings(llm_backend="openai", llm_base_url="http://127.0.0.1:9/v1", llm_model="m")
    with pytest.raises(ConfigError, match="no redactor"):
        build_model(settings)
