"""Every prompt under prompts/ renders with the variables its callers pass, and strictly.

``CALLERS`` lists, per prompt, the variables the code passes to ``render`` (found with
``grep -rn 'load_prompt(' bot``) and a value for each that reaches every branch of the
template. Three checks keep it honest: the table names exactly the prompt files there are; each
``load_prompt("name").render(...)`` call in the code passes exactly the table's variables; and a
template that uses a variable nobody passes, or loses one, fails to render here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from jinja2 import Environment, meta

from bot.llm import load_prompt
from retrieval import ConfigError

REPO = Path(__file__).resolve().parents[1]

# prompt name -> the variables its callers pass, with values that exercise every variable.
SHOP = {"shop_name": "Marker Shop"}
CALLERS: dict[str, dict[str, object]] = {
    # bot/assistant/_phrasing.py (completion models) and bot/staff/_ops.py (staff draft)
    "answer": {"facts": "FACTS-MARKER", "question": "QUESTION-MARKER"},
    "draft_reply": {"facts": "FACTS-MARKER", "message": "MESSAGE-MARKER"},
    # bot/assistant/_phrasing.py write_prompt (tuned model / prompt-only baseline) and the tuning data
    "write": {"facts": ["FACT-ONE-MARKER", "FACT-TWO-MARKER"], "question": "QUESTION-MARKER"},
    "write_fewshot": {"facts": ["FACT-ONE-MARKER", "FACT-TWO-MARKER"], "question": "QUESTION-MARKER"},
    # bot/assistant/_phrasing.py (chat models)
    "phrase_chat": {"facts": "FACTS-MARKER", "question": "QUESTION-MARKER"},
    # bot/_services.py, bot/assistant/_agent.py, bot/assistant/_phrasing.py
    "system": SHOP,
    # bot/assistant/_handlers.py: the canned replies, all rendered with shop_name
    "reply_abusive": SHOP,
    "reply_clarify": SHOP,
    "reply_greeting": SHOP,
    "reply_injection": SHOP,
    "reply_off_topic": SHOP,
    "reply_thanks": SHOP,
    # bot/assistant/_assistant.py (order_action is the branch that shows the detail)
    "reply_handoff": {"reason": "order_action", "detail": "DETAIL-MARKER"},
    # bot/assistant/_handlers.py
    "staff_summary": {
        "reason": "REASON-MARKER",
        "detail": "DETAIL-MARKER",
        "shopper": "SHOPPER-MARKER",
        "last_message": "LAST-MARKER",
        "orders": "ORDERS-MARKER",
        "focus": "FOCUS-MARKER",
        "history": ["HISTORY-MARKER-1", "HISTORY-MARKER-2"],
    },
}
# Variables that only steer a branch and never appear in the text.
CONTROL_ONLY = {("reply_handoff", "reason")}


def template_variables(name: str) -> set[str]:
    source = load_prompt(name).source
    return set(meta.find_undeclared_variables(Environment().parse(source)))


def test_the_table_names_every_prompt_file():
    names = {re.sub(r"_v\d+$", "", p.stem) for p in (REPO / "prompts").glob("*.jinja")}
    assert names == set(CALLERS)


@pytest.mark.parametrize("name", sorted(CALLERS))
def test_every_prompt_renders_with_its_callers_variables(name):
    variables = CALLERS[name]
    text = load_prompt(name).render(**variables)
    assert text.strip() and "{{" not in text and "{%" not in text and "{#" not in text
    for var, value in variables.items():
        if (name, var) in CONTROL_ONLY or var not in template_variables(name):
            continue
        for part in value if isinstance(value, list) else [value]:
            assert str(part) in text, f"{name}: {var} is passed but does not reach the text"


@pytest.mark.parametrize("name", sorted(CALLERS))
def test_a_template_uses_only_what_its_callers_pass(name):
    # A template variable renamed (or added) without its callers fails here and at render time.
    assert template_variables(name) <= set(CALLERS[name])


@pytest.mark.parametrize(("name", "var"), sorted((n, v) for n in CALLERS for v in template_variables(n)))
def test_a_missing_variable_raises(name, var):
    variables = {k: v for k, v in CALLERS[name].items() if k != var}
    with pytest.raises(ConfigError, match="needs a variable"):
        load_prompt(name).render(**variables)


def test_the_renders_in_the_code_pass_the_tables_variables():
    """Each ``load_prompt("name").render(k=...)`` call passes exactly ``CALLERS[name]``'s keys."""
    calls: list[tuple[str, set[str], str]] = []
    for path in sorted((REPO / "bot").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "render"
                and isinstance(node.func.value, ast.Call)
            ):
                continue
            inner = node.func.value
            if getattr(inner.func, "id", None) != "load_prompt":
                continue
            where = f"{path.relative_to(REPO)}:{node.lineno}"
            if inner.args and isinstance(inner.args[0], ast.Constant):
                calls.append((inner.args[0].value, {k.arg for k in node.keywords if k.arg}, where))
            else:  # a name chosen at run time: the canned replies, rendered with the shop name only
                calls.append(("<canned>", {k.arg for k in node.keywords if k.arg}, where))
    assert calls, "no load_prompt(...).render(...) call found: has the loader moved?"
    named = {name for name, _, _ in calls if name != "<canned>"}
    assert named >= {"answer", "draft_reply", "phrase_chat", "system", "reply_handoff", "staff_summary"}
    for name, passed, where in calls:
        expected = set(SHOP) if name == "<canned>" else set(CALLERS[name])
        assert passed == expected, f"{where}: load_prompt({name!r}) renders with {sorted(passed)}"


def test_render_is_strict_not_silent(tmp_path):
    (tmp_path / "probe_v1.jinja").write_text("Hello {{ name }}, from {{ shop_name }}.")
    prompt = load_prompt("probe", directory=tmp_path)
    assert prompt.render(name="Ana", shop_name="X") == "Hello Ana, from X.\n"
    with pytest.raises(ConfigError, match="probe v1 needs a variable"):
        prompt.render(name="Ana")
