"""Load a shop directory (see DESIGN.md, contract 1) into a ``Shop``.

A bad record is reported as a ``RecordError`` (file and line) and skipped; it never stops the
rest of the file. Loading only reads: nothing is written, so a half-loaded shop cannot exist
on disk. Cross-references (an order naming an unknown product) are checked after every file
is read, because the files may arrive in any order.
"""

from __future__ import annotations

import csv
import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ._display import DISPLAY_FILE, Display, read_display
from ._errors import ConfigError, RecordError
from ._model import Ad, Customer, Order, PolicySection, Product, Shop, ShopEvent

log = logging.getLogger(__name__)

MAX_LINE_BYTES = 1_000_000  # one product is a few KB; a megabyte line is a broken export
MAX_REPORTED_PER_FILE = 200  # keep reports readable when a whole events.csv is broken

R = TypeVar("R", bound=BaseModel)


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        loc = ".".join(str(p) for p in err["loc"]) or "record"
        parts.append(f"{loc}: {err['msg']}")
    return "; ".join(parts)


class _Report:
    def __init__(self, shop: Shop):
        self.shop = shop
        self.counts: dict[str, int] = {}

    def add(self, file: str, line: int, message: str) -> None:
        n = self.counts.get(file, 0) + 1
        self.counts[file] = n
        if n <= MAX_REPORTED_PER_FILE:
            self.shop.errors.append(RecordError(file, line, message))
        elif n == MAX_REPORTED_PER_FILE + 1:
            self.shop.errors.append(RecordError(file, line, "further errors in this file not listed"))


def _jsonl(path: Path, model: type[R], report: _Report) -> Iterator[tuple[int, R]]:
    name = path.name
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            if len(raw) > MAX_LINE_BYTES:
                report.add(name, lineno, f"line is {len(raw)} bytes, over the {MAX_LINE_BYTES} limit")
                continue
            text = raw.decode("utf-8", errors="replace").strip()
            if not text:
                continue
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                report.add(name, lineno, f"invalid JSON ({exc.msg} at column {exc.colno})")
                continue
            if not isinstance(data, dict):
                report.add(name, lineno, f"expected a JSON object, got {type(data).__name__}")
                continue
            try:
                yield lineno, model.model_validate(data)
            except ValidationError as exc:
                report.add(name, lineno, _describe(exc))


def _keyed(path: Path, model: type[R], key: str, report: _Report) -> dict[str, R]:
    out: dict[str, R] = {}
    first_line: dict[str, int] = {}
    if not path.exists():
        return out
    for lineno, record in _jsonl(path, model, report):
        rid = getattr(record, key)
        if rid in out:
            report.add(path.name, lineno, f"duplicate {key} {rid!r} (first at line {first_line[rid]})")
            continue
        out[rid] = record
        first_line[rid] = lineno
    return out


def _events(path: Path, report: _Report) -> list[ShopEvent]:
    if not path.exists():
        return []
    events: list[ShopEvent] = []
    with path.open(newline="", encoding="utf-8", errors="replace") as fh:
        reader = csv.DictReader(fh)
        missing = {"user_id", "item_id", "event", "timestamp"} - set(reader.fieldnames or [])
        if missing:
            report.add(path.name, 1, f"header lacks column(s) {sorted(missing)}")
            return []
        for row in reader:
            lineno = reader.line_num
            try:
                events.append(ShopEvent.model_validate({k: v for k, v in row.items() if k is not None}))
            except ValidationError as exc:
                report.add(path.name, lineno, _describe(exc))
    return events


_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$")
_H2 = re.compile(r"^##\s+(.+?)\s*#*\s*$")


def parse_policy(text: str, stem: str, file: str = "") -> list[PolicySection]:
    """Split a policy markdown file into its ``## `` sections (text before the first is an overview)."""
    title = stem.replace("_", " ").replace("-", " ").title()
    sections: list[PolicySection] = []
    heading, start = "Overview", 1
    body: list[str] = []

    def flush() -> None:
        content = "\n".join(body).strip()
        if content:
            sections.append(PolicySection(stem, title, heading, content, file, start))

    for lineno, line in enumerate(text.splitlines(), start=1):
        if m := _H2.match(line):
            flush()
            heading, start, body = m.group(1), lineno, []
        elif (m := _H1.match(line)) and not sections and not body:
            title = m.group(1)
        else:
            body.append(line)
    flush()
    return sections


def _policies(folder: Path, report: _Report) -> list[PolicySection]:
    if not folder.is_dir():
        return []
    sections: list[PolicySection] = []
    for path in sorted(folder.glob("*.md")):
        rel = f"policies/{path.name}"
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            report.add(rel, 1, f"cannot read policy file: {exc}")
            continue
        found = parse_policy(text, path.stem, rel)
        if not found:
            report.add(rel, 1, "policy file has no text")
        sections.extend(found)
    return sections


def _display(path: Path, report: _Report) -> Display:
    display, problems = read_display(path)
    for line, message in problems:
        report.add(path.name, line, message)
    return display


def _drop_dangling(shop: Shop, report: _Report) -> None:
    """Remove records that name products that do not exist (reported, never silently kept)."""
    known = shop.products
    for oid, order in list(shop.orders.items()):
        bad = [i.product_id for i in order.items if i.product_id not in known]
        if bad:
            report.add("orders.jsonl", 0, f"order {oid!r} names unknown product(s) {bad}")
            del shop.orders[oid]
    for aid, ad in list(shop.ads.items()):
        if ad.product_id not in known:
            report.add("ads.jsonl", 0, f"ad {aid!r} names unknown product {ad.product_id!r}")
            del shop.ads[aid]
    kept = []
    for ev in shop.events:
        if ev.item_id in known:
            kept.append(ev)
        else:
            report.add("events.csv", 0, f"event names unknown product {ev.item_id!r}")
    shop.events = kept


def load_shop(root: str | Path, *, with_events: bool = True) -> Shop:
    """Load every file of a shop directory; bad records land in ``shop.errors``."""
    path = Path(root).expanduser()
    if not path.is_dir():
        raise ConfigError(
            f"Shop directory {str(path)!r} does not exist; pass --shop DIR or set SHOPTALK_SHOP"
        )
    if not (path / "products.jsonl").exists():
        raise ConfigError(f"{str(path)!r} is not a shop directory: it has no products.jsonl")
    shop = Shop(root=str(path.resolve()))
    report = _Report(shop)
    shop.products = _keyed(path / "products.jsonl", Product, "id", report)
    shop.customers = _keyed(path / "customers.jsonl", Customer, "customer_id", report)
    shop.orders = _keyed(path / "orders.jsonl", Order, "order_id", report)
    shop.ads = _keyed(path / "ads.jsonl", Ad, "ad_id", report)
    shop.policies = _policies(path / "policies", report)
    shop.display = _display(path / DISPLAY_FILE, report)
    if with_events:
        shop.events = _events(path / "events.csv", report)
    _drop_dangling(shop, report)
    for err in shop.errors[:20]:
        log.warning("skipped bad record %s", err)
    return shop


def dump_record(record: BaseModel) -> dict[str, Any]:
    """A record as its JSON object, unknown extra fields included."""
    return record.model_dump(mode="json")
