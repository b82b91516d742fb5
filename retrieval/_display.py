"""Attribute keys and values as a shopper reads them: ``weight_g: 1633`` -> "weight 1.63 kg".

Shops name attributes the way spreadsheets do, with the unit as the key's last word
(``weight_g``, ``capacity_l``, ``cord_length_ft``). ``Display`` reads that convention for any
shop: a known unit suffix becomes the unit of the value and leaves the label; a few keys name
their unit outright (``wattage``, ``lumens``, ``spf``). Suffixes that are also ordinary words
(``in``, ``c``, ``f``) count only next to a word that measures (``inseam_in``, ``max_temp_c``),
so ``built_in`` and ``vitamin_c`` keep their meaning.

A shop overrides any key in an optional ``display.yaml`` (docs/shop_display.md). Reading it
never raises: a bad entry or field is returned as a problem with its line, and everything else
(the other fields, the other keys, the inference) still applies.

Values are written the way a person writes them: metric mass and volume switch unit at 1000
(1633 g -> "1.63 kg"), numbers with a unit get thousands separators and at most two decimals,
floats lose a trailing ".0". A bare number (no unit) is left as written, so a model year stays
"2024".
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

DISPLAY_FILE = "display.yaml"


def join_words(items: Sequence[str]) -> str:
    """``"a"``, ``"a and b"``, ``"a, b and c"``."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


@dataclass(frozen=True)
class Unit:
    """How a number of one unit is written, and how it converts to its dimension's base unit
    (mass g, volume ml, length mm, area m², temperature °C, time s, power W; see the doc)."""

    dimension: str
    text: str
    factor: float = 1.0  # base amount = value * factor + offset (the offset is for °F)
    offset: float = 0.0
    plural: str | None = None  # word units: "1 person", "2 people"
    before: bool = False  # "SPF 50"
    gap: str = " "  # "15%" has none
    needs: frozenset[str] = frozenset()  # an ambiguous suffix is a unit only next to one of these

    def show(self, number: str, amount: float) -> str:
        text = self.plural if self.plural and amount != 1 else self.text
        if not text:
            return number
        return f"{text}{self.gap}{number}" if self.before else f"{number}{self.gap}{text}"


_TEMPERATURE_WORDS = frozenset({"temp", "temperature", "heat", "comfort"})
_SIZE_WORDS = frozenset(
    {"length", "width", "height", "depth", "diameter", "thickness", "size", "screen", "inseam", "waist"}
    | {"chest", "hip", "sleeve", "rise"}
)


def _word_unit(dimension: str, one: str, many: str, factor: float = 1.0) -> Unit:
    return Unit(dimension, one, factor, plural=many)


# Suffix aliases -> unit. The key's last word (or last two, "cu_ft") is looked up here.
_SUFFIX_UNITS: tuple[tuple[tuple[str, ...], Unit], ...] = (
    (("mg",), Unit("mass", "mg", 0.001)),
    (("g", "grams"), Unit("mass", "g")),
    (("kg", "kilograms"), Unit("mass", "kg", 1000)),
    (("lb", "lbs", "pounds"), Unit("mass", "lb", 453.59237)),
    (("oz", "ounces"), Unit("mass", "oz", 28.349523125)),
    (("ml",), Unit("volume", "ml")),
    (("cl",), Unit("volume", "cl", 10)),
    (("l", "liters", "litres"), Unit("volume", "L", 1000)),
    (("fl_oz", "floz"), Unit("volume", "fl oz", 29.5735295625)),
    (("pt", "pints"), Unit("volume", "pt", 473.176473)),
    (("qt", "quarts"), Unit("volume", "qt", 946.352946)),
    (("gal", "gallons"), Unit("volume", "gal", 3785.411784)),
    (("cu_ft",), Unit("volume", "cu ft", 28316.846592)),
    (("mm",), Unit("length", "mm")),
    (("cm",), Unit("length", "cm", 10)),
    (("m",), Unit("length", "m", 1000)),
    (("km",), Unit("length", "km", 1_000_000)),
    (("in", "inches"), Unit("length", "in", 25.4, needs=_SIZE_WORDS)),
    (("ft", "feet"), Unit("length", "ft", 304.8)),
    (("sq_m", "m2"), Unit("area", "m²")),
    (("sq_ft", "ft2"), Unit("area", "sq ft", 0.09290304)),
    (("c", "celsius"), Unit("temperature", "°C", needs=_TEMPERATURE_WORDS)),
    (("f", "fahrenheit"), Unit("temperature", "°F", 5 / 9, -160 / 9, needs=_TEMPERATURE_WORDS)),
    (("s", "sec", "seconds"), Unit("time", "s")),
    (("min", "mins", "minutes"), Unit("time", "min", 60)),
    (("h", "hr", "hrs"), Unit("time", "h", 3600)),
    (("hours",), _word_unit("time", "hour", "hours", 3600)),
    (("days",), _word_unit("time", "day", "days", 86_400)),
    (("weeks",), _word_unit("time", "week", "weeks", 604_800)),
    (("months",), _word_unit("time", "month", "months", 2_629_746)),  # a mean Gregorian month
    (("years", "yrs"), _word_unit("time", "year", "years", 31_556_952)),
    (("w", "watts"), Unit("power", "W")),
    (("kw",), Unit("power", "kW", 1000)),
    (("btu",), Unit("power", "BTU", 0.29307107)),  # listings mean BTU per hour
    (("v", "volts"), Unit("voltage", "V")),
    (("mah",), Unit("charge", "mAh")),
    (("wh",), Unit("energy", "Wh")),
    (("db",), Unit("sound level", "dB")),
    (("hz",), Unit("frequency", "Hz")),
    (("cfm",), Unit("airflow", "CFM")),
    (("mph",), Unit("speed", "mph", 1.609344)),
    (("kmh", "kph"), Unit("speed", "km/h")),
    (("mb",), Unit("data", "MB")),
    (("gb",), Unit("data", "GB", 1000)),
    (("tb",), Unit("data", "TB", 1_000_000)),
    (("pct", "percent"), Unit("percent", "%", gap="")),
    (("persons", "people"), _word_unit("count", "person", "people")),
)
_SUFFIXES = {alias: unit for aliases, unit in _SUFFIX_UNITS for alias in aliases}

# Keys whose own name is the measure; the word stays in the label ("wattage 1,875 W").
_NAMED = {
    "wattage": Unit("power", "W"),
    "voltage": Unit("voltage", "V"),
    "horsepower": Unit("power", "hp", 745.69987),
    "lumens": _word_unit("light output", "lumen", "lumens"),
    "rpm": Unit("rotation speed", "rpm"),
    "spf": Unit("sun protection", "SPF", before=True),
}

_QUALIFIERS = frozenset({"max", "min", "rated", "peak", "total", "average", "avg"})

# A unit named in display.yaml by suffix alias or by its written form ("kg", "°C").
_BY_NAME = {**_SUFFIXES, **{u.text.lower(): u for _, u in _SUFFIX_UNITS}}

# Metric units people switch between at 1000; the rungs are (text, size in the base unit).
_LADDERS: dict[str, tuple[tuple[str, float], ...]] = {
    "mass": (("g", 1.0), ("kg", 1000.0)),
    "volume": (("ml", 1.0), ("L", 1000.0)),
}

_ACRONYMS = frozenset(
    {"ip", "spf", "upf", "uv", "usb", "led", "lcd", "bpa", "ph", "ac", "dc", "hdmi", "gps"}
    | {"pvc", "hepa", "cadr", "cfm", "rpm", "nsf", "ansi"}
)
_COMPOUND_TAILS = frozenset({"free", "safe", "proof", "friendly", "resistant", "ready"})
_COMPOUND_HEADS = frozenset({"non", "self", "anti", "pre", "multi", "built"})
_ADJECTIVE_ENDINGS = ("proof", "able", "ible", "less", "ive", "ic", "ed", "ing", "ous", "ful")
_ADJECTIVES = frozenset({"vegan", "organic", "unisex", "natural", "compact", "lightweight"})
_POSTPOSED = frozenset({"included", "required"})  # "cord included" / "cord not included"
_MASS_ENDINGS = ("age", "ion", "ity", "ness", "ware")  # no article: "has dual voltage"
_MASS_NOUNS = frozenset({"steam", "wifi", "bluetooth", "storage", "lighting", "insulation"})
_VERBS = {"weight": "weighs", "capacity": "holds"}
_COLOURS = frozenset({"color", "colors", "colour", "colours"})
_VARIANTS = frozenset({"sizes", "widths", "lengths", "shades", "scents", "flavors", "flavours", "styles"})

_TOKEN = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Override:
    """One key's entry in display.yaml; ``None`` leaves the inferred behaviour."""

    label: str | None = None
    unit: str | None = None
    scale: float = 1.0
    decimals: int | None = None
    dimension: str | None = None
    true: str | None = None
    false: str | None = None
    phrase: str | None = None
    hide: bool = False


@dataclass(frozen=True)
class _Rule:
    label: str
    unit: Unit | None
    dimension: str | None
    override: Override


def _number(value: object) -> float | None:
    """A number, from a number or a numeric string; booleans and lists are not numbers."""
    if isinstance(value, bool | list):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    try:
        n = float(str(value).strip().replace(",", ""))
    except ValueError:
        return None
    return n if math.isfinite(n) else None


def _digits(n: float, decimals: int | None, *, grouped: bool) -> str:
    text = f"{n:{',' if grouped else ''}.{2 if decimals is None else decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _as_written(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _climb(unit: Unit, amount: float) -> tuple[Unit, float]:
    """The ladder rung a person would use: the largest one the amount reaches (1633 g -> kg)."""
    rungs = _LADDERS.get(unit.dimension, ())
    if unit.text not in {text for text, _ in rungs}:
        return unit, amount
    base = amount * unit.factor
    text, size = rungs[0]
    for rung_text, rung_size in rungs:
        if abs(base) >= rung_size:
            text, size = rung_text, rung_size
    return replace(unit, text=text, factor=size), base / size


def _infer_unit(tokens: list[str]) -> tuple[Unit | None, list[str]]:
    """(unit, the words left for the label) from a key's words."""
    for n in (2, 1):
        if len(tokens) > n:
            unit = _SUFFIXES.get("_".join(tokens[-n:]))
            if unit and (not unit.needs or unit.needs & set(tokens[:-n])):
                return unit, tokens[:-n]
    # "max_wattage" names its measure, "dual_voltage" (a yes/no feature) does not
    named = bool(tokens) and all(t in _QUALIFIERS for t in tokens[:-1])
    return (_NAMED.get(tokens[-1]) if named else None), tokens


def _infer_label(tokens: list[str]) -> str:
    words = [w.upper() if w in _ACRONYMS or len(w) == 1 else w for w in tokens]  # "USB C"
    if len(words) >= 2 and words[-1] in _COMPOUND_TAILS:
        words[-2:] = [f"{words[-2]}-{words[-1]}"]  # "fragrance-free"
    if len(words) >= 2 and words[0] in _COMPOUND_HEADS:
        words[:2] = [f"{words[0]}-{words[1]}"]  # "non-comedogenic", "built-in"
    return " ".join(words)


def _singular(word: str) -> str:
    if word.endswith(("shes", "ches", "xes", "sses")):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _yes_no(label: str, value: bool) -> str:
    """A boolean as words: adjectives negate ("not waterproof"), nouns take has/no."""
    words = label.split()
    last = words[-1].lower() if words else ""
    if last in _POSTPOSED and len(words) > 1:
        return label if value else " ".join(words[:-1] + ["not", words[-1]])
    if label.lower().startswith("non-") and len(words) == 1:
        return label if value else label[4:]  # "comedogenic", not "not non-comedogenic"
    if "-" in last or last in _ADJECTIVES or last.endswith(_ADJECTIVE_ENDINGS):
        return label if value else f"not {label}"
    if not value:
        return f"no {label}"
    if last in _MASS_NOUNS or last.endswith(_MASS_ENDINGS):
        return f"has {label}"
    return f"has {'an' if label[:1].lower() in 'aeio' else 'a'} {label}"


@dataclass(frozen=True)
class Display:
    """Labels, values and phrases for a shop's attribute keys (see the module docstring)."""

    overrides: Mapping[str, Override] = field(default_factory=dict)

    @classmethod
    def load(cls, shop_dir: str | Path) -> tuple[Display, list[str]]:
        """The shop's display.yaml if it has one; problems as ``display.yaml:LINE: message``."""
        display, problems = read_display(Path(shop_dir) / DISPLAY_FILE)
        return display, [f"{DISPLAY_FILE}:{line}: {message}" for line, message in problems]

    def _rule(self, key: str) -> _Rule:
        override = self.overrides.get(key) or Override()
        unit, stem = _infer_unit(_TOKEN.findall(key.lower()))
        if override.unit is not None:
            known = _BY_NAME.get(override.unit.strip().lower())
            # a new spelling of the inferred unit keeps its dimension and conversion
            unit = known or replace(unit or Unit("", ""), text=override.unit, plural=None, before=False)
        label = override.label or _infer_label(stem) or key
        dimension = override.dimension or (unit.dimension if unit else None) or None
        return _Rule(label, unit, dimension, override)

    def hidden(self, key: str) -> bool:
        """True when the shop never shows this key to shoppers."""
        override = self.overrides.get(key)
        return bool(override and override.hide)

    def label(self, key: str) -> str:
        """The key as words: ``weight_g`` -> "weight", ``fragrance_free`` -> "fragrance-free"."""
        return self._rule(key).label

    def dimension(self, key: str) -> str | None:
        """What the key measures ("mass", "volume", "power"...), or None when nothing is known."""
        return self._rule(key).dimension

    def value(self, key: str, value: object) -> str:
        """The value as a shop writes it: 1633 under ``weight_g`` -> "1.63 kg"."""
        rule = self._rule(key)
        if isinstance(value, list):
            return join_words([self._one(rule, v) for v in value])
        return self._one(rule, value)

    def _one(self, rule: _Rule, value: object) -> str:
        if isinstance(value, bool):
            return "yes" if value else "no"
        override = rule.override
        n = _number(value)
        if n is None or (rule.unit is None and override.scale == 1 and override.decimals is None):
            return _as_written(value)
        n *= override.scale
        if rule.unit is None:
            return _digits(n, override.decimals, grouped=False)
        unit, n = _climb(rule.unit, n)
        return unit.show(_digits(n, override.decimals, grouped=True), n)

    def quantity(self, key: str, value: object) -> tuple[str, float] | None:
        """(dimension, amount in its base unit), so ``weight_g`` and ``weight_kg`` compare;
        a number whose key names no dimension is a "count". None when the value is no number."""
        n = _number(value)
        if n is None:
            return None
        rule = self._rule(key)
        n *= rule.override.scale
        if rule.unit is not None:
            n = n * rule.unit.factor + rule.unit.offset
        return rule.dimension or "count", n

    def fact(self, key: str, value: object) -> str:
        """Key and value as a compact fact: "weight 1.63 kg", "waterproof", "no rock plate"."""
        if isinstance(value, bool):
            return self.phrase(key, value)
        label, shown = self.label(key), self.value(key, value)
        # "SPF 50" and "300 lumens" already say what they are
        said = shown.lower().startswith(label.lower()) or shown.lower().endswith(label.lower())
        return shown if said else f"{label} {shown}"

    def phrase(self, key: str, value: object) -> str:
        """Key and value as words in a sentence: "weighs 1.63 kg", "comes in red and teal"."""
        rule = self._rule(key)
        override = rule.override
        if isinstance(value, bool):
            custom = override.true if value else override.false
            if custom is not None:
                return custom
            if override.phrase is None:
                return _yes_no(rule.label, value)
        shown = self.value(key, value)
        if override.phrase is not None:
            return override.phrase.format(value=shown, label=rule.label)
        if rule.label in _VERBS:
            return f"{_VERBS[rule.label]} {shown}"
        name = key.lower()
        if name in _COLOURS:
            return f"comes in {shown}"
        if name in _VARIANTS:
            many = isinstance(value, list) and len(value) > 1
            return f"comes in {rule.label if many else _singular(rule.label)} {shown}"
        return self.fact(key, value)


# ------------------------------------------------------------------------- display.yaml


def _is_text(v: object) -> bool:
    return isinstance(v, str) and bool(v.strip())


def _is_scale(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) and v != 0


def _is_decimals(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 6


def _is_template(v: object) -> bool:
    if not isinstance(v, str):
        return False
    try:
        v.format(value="", label="")
    except (KeyError, IndexError, ValueError):
        return False
    return True


_FIELDS: dict[str, tuple[Callable[[object], bool], str]] = {
    "label": (_is_text, "a non-empty string"),
    "unit": (lambda v: isinstance(v, str), 'a string ("" for no unit)'),
    "scale": (_is_scale, "a number other than 0"),
    "decimals": (_is_decimals, "a whole number from 0 to 6"),
    "dimension": (_is_text, 'a non-empty string, e.g. "mass"'),
    "true": (_is_text, "a non-empty string"),
    "false": (_is_text, "a non-empty string"),
    "phrase": (_is_template, "a string whose only placeholders are {value} and {label}"),
    "hide": (lambda v: isinstance(v, bool), "true or false"),
}


def _key_lines(node: yaml.Node | None, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], int]:
    """1-based line of every mapping key, by its path, so a problem can name its line."""
    lines: dict[tuple[str, ...], int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            here = (*path, str(key_node.value))
            lines[here] = key_node.start_mark.line + 1
            lines.update(_key_lines(value_node, here))
    return lines


def _line(lines: dict[tuple[str, ...], int], *path: str) -> int:
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 0)


def _field_name(key: object) -> str:
    # YAML 1.1 reads a bare ``true:`` key as the boolean True
    return str(key).lower() if isinstance(key, bool) else str(key)


def _override(
    key: str, entry: object, lines: dict[tuple[str, ...], int], problems: list[tuple[int, str]]
) -> Override | None:
    where = f"attributes.{key}"
    if not isinstance(entry, dict):
        problems.append(
            (_line(lines, "attributes", key), f"{where}: expected a mapping of fields, got {entry!r}")
        )
        return None
    good: dict[str, Any] = {}
    for raw, value in entry.items():
        name = _field_name(raw)
        line = _line(lines, "attributes", key, name)
        if name not in _FIELDS:
            problems.append((line, f"{where}: unknown field {name!r}; use one of: {', '.join(_FIELDS)}"))
            continue
        valid, expected = _FIELDS[name]
        if not valid(value):
            problems.append((line, f"{where}.{name}: expected {expected}, got {value!r}"))
            continue
        good[name] = float(value) if name == "scale" else value
    return Override(**good)


def parse_display(text: str) -> tuple[Display, list[tuple[int, str]]]:
    """display.yaml text -> (display, [(line, problem)]); a bad part is skipped, never raised."""
    try:
        data = yaml.safe_load(text)
        lines = _key_lines(yaml.compose(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        return Display(), [(mark.line + 1 if mark else 0, f"not valid YAML: {reason}")]
    if data is None:
        return Display(), []
    if not isinstance(data, dict):
        return Display(), [(1, "expected a mapping with an 'attributes' section")]
    problems: list[tuple[int, str]] = []
    for section in data:
        if section != "attributes":
            problems.append((_line(lines, str(section)), f"unknown section {section!r}; use 'attributes'"))
    attributes = data.get("attributes") or {}
    if not isinstance(attributes, dict):
        problems.append((_line(lines, "attributes"), "'attributes' must map attribute keys to fields"))
        attributes = {}
    overrides: dict[str, Override] = {}
    for key, entry in attributes.items():
        if (override := _override(str(key), entry, lines, problems)) is not None:
            overrides[str(key)] = override
    return Display(overrides), sorted(problems)  # in the file's order


def read_display(path: Path) -> tuple[Display, list[tuple[int, str]]]:
    """A display.yaml file (absent: the defaults, no problem)."""
    if not path.exists():
        return Display(), []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return Display(), [(0, f"cannot read the file: {exc}")]
    return parse_display(text)
