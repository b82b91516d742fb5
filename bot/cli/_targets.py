"""What every ``eval`` command shares: targets next to figures, exit codes, input files.

DESIGN.md contract 2: an ``eval`` command exits non-zero when a target is missed or when an
input file it was given does not exist. Exit codes:

* 0 - every target met, or the *default* dataset is absent (a fresh machine has none of
  ``../shared/datasets``), which is said plainly and skipped;
* 1 - a target missed (STYLE.md rule 17: printing "BELOW target" and exiting 0 hides the
  regression the evaluation exists to catch);
* 2 - an input file named on the command line does not exist (as ``main`` does for any
  ``ShopTalkError``).

A figure that was not measured (``None``: no turn of the suite scored it) misses its target:
a target nobody measured is not met.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import typer

EXIT_TARGET_MISSED = 1
EXIT_MISSING_INPUT = 2


@dataclass(frozen=True)
class Target:
    metric: str  # the key of the figure in the command's figures
    op: Literal[">=", "<="]
    threshold: float

    def met(self, value: float | None) -> bool:
        if value is None:
            return False
        return value >= self.threshold if self.op == ">=" else value <= self.threshold

    def describe(self) -> str:
        return f"{self.op} {self.threshold:g}"


@dataclass(frozen=True)
class Outcome:
    target: Target
    value: float | None

    @property
    def met(self) -> bool:
        return self.target.met(self.value)

    @property
    def verdict(self) -> str:
        if self.met:
            return "ok"
        if self.value is None:
            return "NOT MEASURED"
        return "BELOW target" if self.target.op == ">=" else "ABOVE target"

    def line(self, width: int = 0) -> str:
        """``route_accuracy 0.98 (target >= 0.95) ok``"""
        return f"{self.target.metric:{width}s} {_figure(self.value)} (target {self.target.describe()}) {self.verdict}"


def _figure(value: float | None) -> str:
    return "n/a" if value is None else f"{round(value, 4):g}"


def check(targets: Iterable[Target], figures: Mapping[str, float | None]) -> list[Outcome]:
    return [Outcome(t, figures.get(t.metric)) for t in targets]


def as_json(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    """``{"targets": {metric: {"value", "target", "met"}}, "passed": bool}`` for a ``--json`` report."""
    return {
        "targets": {
            o.target.metric: {"value": _json_number(o.value), "target": o.target.describe(), "met": o.met}
            for o in outcomes
        },
        "passed": all(o.met for o in outcomes),
    }


def _json_number(value: float | None) -> float | str | None:
    return value if value is None or math.isfinite(value) else str(value)  # JSON has no Infinity


def lines(outcomes: Sequence[Outcome]) -> list[str]:
    width = max((len(o.target.metric) for o in outcomes), default=0)
    return ["targets:"] + [f"  {o.line(width)}" for o in outcomes]


def finish(outcomes: Sequence[Outcome]) -> None:
    """Exit 1, naming what was missed, unless every target was met."""
    missed = [o for o in outcomes if not o.met]
    if missed:
        typer.echo(
            f"FAIL: {len(missed)} of {len(outcomes)} target(s) missed: "
            + "; ".join(o.line() for o in missed),
            err=True,
        )
        raise typer.Exit(EXIT_TARGET_MISSED)


def input_file(given: Path | None, default: Path, option: str, hint: str, *, skip: bool = True) -> Path:
    """The file to read: ``given`` must exist (exit 2 otherwise); an absent default skips (exit 0),
    or with ``skip=False`` (another input was named explicitly) is an error too."""
    if given is not None or not skip:
        path = default if given is None else given
        if not path.is_file():
            typer.echo(f"error: {option} file {path} not found ({hint})", err=True)
            raise typer.Exit(EXIT_MISSING_INPUT)
        return path
    if not default.is_file():
        typer.echo(
            f"skipped: the default {option} file {default} is not here (datasets are not shipped; "
            f"pass {option} FILE). {hint}",
            err=True,
        )
        raise typer.Exit(0)
    return default
