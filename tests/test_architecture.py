"""The layering the README promises, as tests (STYLE rule 16): a rule that lives only in prose drifts.

Rules, read from the source with ``ast`` (imports inside functions count too):

1. Layers point down: ``retrieval`` imports neither ``recsys`` nor ``bot``; ``recsys`` does
   not import ``bot``.
2. The core of ``bot`` (everything but its adapters ``bot.app``, ``bot.api``, ``bot.cli``)
   imports no UI or web framework: gradio, fastapi, starlette, uvicorn.
3. Adapters do not import each other: ``bot.app`` and ``bot.api`` are mounted side by side by
   ``bot.cli``; neither imports the other.
4. Front doors: outside tests, no module imports a private module (``_name``) of another
   package or sub-package; it imports the package (``from bot.staff import StaffOps``).
5. Every package's ``__all__`` names exist, and ``from package import *`` works.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from conftest import REPO

PACKAGES = ("retrieval", "recsys", "bot")
ADAPTERS = ("bot.app", "bot.api", "bot.cli")
WEB = ("gradio", "fastapi", "starlette", "uvicorn")
FORBIDDEN_LAYERS = {"retrieval": ("recsys", "bot"), "recsys": ("bot",)}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(text: str, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, absolute module) for every import in ``text``, relative ones resolved."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            # ``from pkg import _private`` names a private module too
            found += [
                (node.lineno, f"{target}.{a.name}")
                for a in node.names
                if a.name.startswith("_") and (REPO / Path(*target.split(".")) / f"{a.name}.py").exists()
            ]
    return found


def sources() -> list[tuple[str, str, bool]]:
    """(text, module name, is a package) of every source file of the three packages."""
    return [
        (p.read_text(encoding="utf-8"), module_name(p), p.name == "__init__.py")
        for pkg in PACKAGES
        for p in sorted((REPO / pkg).rglob("*.py"))
    ]


def owner(module: str) -> str:
    """The package a module belongs to, for the front-door rule: the deepest package that is
    not private (``bot.staff._ops`` -> ``bot.staff``; ``bot._chat`` -> ``bot``)."""
    parts = module.split(".")
    keep = []
    for part in parts:
        if part.startswith("_"):
            break
        keep.append(part)
    if keep == parts and not (REPO / Path(*parts)).is_dir():  # a public module: its package owns it
        keep = keep[:-1]
    return ".".join(keep)


def violations(rule, files=None) -> list[str]:
    out = []
    for text, me, is_package in files if files is not None else sources():
        for line, target in imports(text, me, is_package):
            problem = rule(me, target)
            if problem:
                out.append(f"{me}:{line}: {problem}")
    return out


def layers(me: str, target: str) -> str | None:
    top, below = me.split(".")[0], target.split(".")[0]
    return f"{top} must not import {below} ({target})" if below in FORBIDDEN_LAYERS.get(top, ()) else None


def web_in_core(me: str, target: str) -> str | None:
    if me.startswith("bot") and not me.startswith(ADAPTERS) and target.split(".")[0] in WEB:
        return f"core module {me} imports {target}; only {', '.join(ADAPTERS)} may"
    return None


def adapter_to_adapter(me: str, target: str) -> str | None:
    for a, b in (("bot.app", "bot.api"), ("bot.api", "bot.app")):
        if me.startswith(a) and (target == b or target.startswith(b + ".")):
            return f"{me} imports the other adapter {target}"
    return None


def private_elsewhere(me: str, target: str) -> str | None:
    if not target.startswith(PACKAGES) or "._" not in f".{target}":
        return None
    home = owner(target)
    if me == home or me.startswith(home + "."):
        return None
    return f"{me} imports the private {target}; import it from {home}"


RULES = (layers, web_in_core, adapter_to_adapter, private_elsewhere)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.__name__)
def test_imports_follow_the_rules(rule):
    assert violations(rule) == []


@pytest.mark.parametrize(
    "package",
    [
        "retrieval",
        "recsys",
        "bot",
        "bot.llm",
        "bot.assistant",
        "bot.safety",
        "bot.conversations",
        "bot.staff",
        "bot.api",
        "bot.app",
        "bot.cli",
    ],
)
def test_every_exported_name_exists(package):
    module = importlib.import_module(package)
    exported = getattr(module, "__all__", None)
    assert exported, f"{package} has no __all__"
    missing = [name for name in exported if not hasattr(module, name)]
    assert missing == [], f"{package}.__all__ names what it does not define: {missing}"
    namespace: dict = {}
    exec(f"from {package} import *", namespace)  # noqa: S102  (the star import a user would write)
    assert set(exported) <= set(namespace)


@pytest.mark.parametrize(
    "module,text,rule",
    [
        ("retrieval._made_up", "from bot.staff import StaffOps\n", layers),
        ("recsys._made_up", "def f():\n    import bot\n", layers),
        ("bot.staff._made_up", "import gradio as gr\n", web_in_core),
        ("bot._made_up", "def f():\n    from fastapi import FastAPI\n", web_in_core),
        ("bot.app._made_up", "from ..api import create_api\n", adapter_to_adapter),
        ("bot.cli._made_up", "from ..staff._ops import StaffOps\n", private_elsewhere),
        ("recsys._made_up", "from retrieval._text import tokenize\n", private_elsewhere),
        ("bot.app._made_up", "from ..assistant._tools import Session\n", private_elsewhere),
    ],
)
def test_each_rule_catches_its_offender(module, text, rule):
    """The checks can fail: a made-up module breaking each rule is flagged."""
    assert violations(rule, [(text, module, False)]), f"{rule.__name__} missed {text!r} in {module}"


def test_the_owner_of_a_module():
    assert owner("bot.staff._ops") == "bot.staff" and owner("bot._chat") == "bot"
    assert owner("recsys._ads") == "recsys" and owner("bot.api") == "bot.api"
    assert owner("bot.cli._serve") == "bot.cli"
