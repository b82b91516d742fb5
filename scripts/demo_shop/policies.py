"""The shop's policies and the shop directory's README, as prose files under ``prose/``.

``prose/policies/<name>.md`` is copied verbatim to ``policies/<name>.md``. ``prose/README.md`` is
a template: ``{products}``, ``{events}``... are filled from the generated shop's numbers.

The numbers in the policies are the shop's facts; they agree across files and with product
descriptions and ad copy: free standard shipping from $75 (Silver $50, Gold always), 30-day
returns (Gold 45), the Run Happy trial for running shoes, 14-day rule for opened beauty,
warranty terms per product type. Edit the prose, then regenerate the shop.
"""

from __future__ import annotations

from pathlib import Path

PROSE = Path(__file__).resolve().parent / "prose"


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


POLICIES: dict[str, str] = {p.stem: _read(p) for p in sorted((PROSE / "policies").glob("*.md"))}
README = _read(PROSE / "README.md")
