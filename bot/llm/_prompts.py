"""Prompt files: ``prompts/<name>_v<N>.jinja``, loaded by name, rendered strictly.

A new wording is a new file (``answer_v2.jinja``), so evaluations can pin a version and
compare. ``load_prompt("answer")`` takes the highest version unless one is asked for.
Rendering uses ``StrictUndefined``: a missing variable raises instead of silently producing
a prompt with a hole in it. Dynamic context is formatted by code into delimited blocks
before it reaches a template (see ``_context.py``), never concatenated ad hoc.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, StrictUndefined, TemplateError, UndefinedError

from retrieval import ConfigError

from .._settings import REPO_ROOT

PROMPTS_DIR = REPO_ROOT / "prompts"
_FILE = re.compile(r"^(?P<name>[a-z0-9_]+?)_v(?P<version>\d+)\.jinja$")
_env = Environment(
    undefined=StrictUndefined,
    keep_trailing_newline=False,
    autoescape=False,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class Prompt:
    name: str
    version: int
    path: Path
    source: str

    def render(self, **variables) -> str:
        try:
            return _env.from_string(self.source).render(**variables).strip() + "\n"
        except UndefinedError as exc:
            raise ConfigError(
                f"Prompt {self.name} v{self.version} needs a variable that was not given: {exc}"
            ) from exc
        except TemplateError as exc:
            raise ConfigError(f"Prompt {self.path.name} is malformed: {exc}") from exc


def available(directory: Path = PROMPTS_DIR) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for path in directory.glob("*.jinja"):
        if m := _FILE.match(path.name):
            found.setdefault(m["name"], []).append(int(m["version"]))
    return {k: sorted(v) for k, v in sorted(found.items())}


@lru_cache(maxsize=64)
def load_prompt(name: str, version: int | None = None, directory: Path = PROMPTS_DIR) -> Prompt:
    versions = available(directory).get(name)
    if not versions:
        raise ConfigError(f"No prompt named {name!r} in {directory}; have: {', '.join(available(directory))}")
    chosen = versions[-1] if version is None else version
    if chosen not in versions:
        raise ConfigError(f"Prompt {name!r} has no version {chosen}; have {versions}")
    path = directory / f"{name}_v{chosen}.jinja"
    return Prompt(name, chosen, path, path.read_text(encoding="utf-8"))
