"""Products: a spec row plus its builder becomes a priced, described, tagged record."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from .attributes import BUILDERS, PINNED_Q, TRAIL_PLAN, Base, Draft, clamp, skin_facts
from .catalogue import SPECS, If, Spec
from .common import Dice, join_words, snap_price


@dataclass(eq=False)  # identity, not field equality: items are compared in hot loops
class Item:
    """A generated product plus the hidden signals behaviour is drawn from."""

    record: dict[str, Any]
    spec: Spec
    pop: float  # latent popularity (drives reviews, views and sales)
    new: bool  # a new arrival: no reviews yet
    pinned: bool = False  # a TRAIL_PLAN row: its stock is part of a known answer, leave it alone


def shelf_price(spec: Spec, draft: Draft, q: float, d: Dice) -> float:
    """Price from the category range and the quality tier; weight-priced gear follows its weight."""
    if "_price" in draft.facts:
        return float(draft.facts["_price"])
    lo, hi = spec.price
    a = draft.attrs
    if spec.key == "dumbbells":
        raw = 249 + 100 * q if a["adjustable"] else 5 + a["weight_kg"] * d.uniform(4.2, 6.0)
    elif spec.key == "kettlebells":
        raw = 119 if a["adjustable"] else 14 + a["weight_kg"] * d.uniform(2.2, 3.2)
    elif spec.key == "pullup_bars":  # a steel tower costs several doorway bars
        raw = {"doorway": 30, "wall": 70, "ceiling": 80}.get(a["mount"], 150) * d.uniform(0.85, 1.25)
    else:
        raw = lo * (hi / lo) ** clamp(q + d.normal(0, 0.07), 0, 1)
    return snap_price(clamp(raw, lo, hi), d)


def fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return join_words(value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def description_facts(base: Base, draft: Draft) -> dict[str, Any]:
    a = draft.attrs
    facts: dict[str, Any] = {k: fmt(v) for k, v in a.items()}
    facts |= {"model": base.model, "brand": base.brand, "colors_text": join_words(a.get("colors", []))}
    sizes = a.get("sizes", [])
    if sizes:
        facts["sizes_text"] = f"{sizes[0]} to {sizes[-1]}"
    facts["widths_text"] = join_words(a.get("widths", ["standard"]))
    if "skin_type" in a or "ingredients" in a:
        facts |= skin_facts(a)
    facts |= {k: v for k, v in draft.facts.items() if not k.startswith("_")}
    return facts


def render(template: str | If, attrs: dict[str, Any], facts: dict[str, Any]) -> str | None:
    if isinstance(template, If):
        if not template.when(attrs):
            return None
        template = template.text
    try:
        text = template.format_map(facts).strip()
    except KeyError as exc:  # a template names a fact its builder does not provide: a bug here
        raise KeyError(f"template {template!r} needs {exc}") from None
    return text[:1].upper() + text[1:] if text else None


def describe(spec: Spec, base: Base, draft: Draft, d: Dice) -> str:
    """3-6 sentences: one opener, 2-4 details in catalogue order, 0-1 closer."""
    attrs = draft.attrs | {"_brand": base.brand}
    facts = description_facts(base, draft)
    # Render every applicable template (so a broken one fails every run, not by chance), then sample.
    details = [t for t in (render(x, attrs, facts) for x in spec.details) if t]
    closers = [t for t in (render(x, attrs, facts) for x in spec.closers) if t]
    opener = render(d.pick(spec.openers), attrs, facts) or ""
    k = d.integer(min(2, len(details)), min(4, len(details)))
    picked = sorted(d.sample(list(range(len(details))), k))
    sentences = [opener, *(details[i] for i in picked)]
    brand_notes = [c for c in closers if base.brand in c]  # brand-specific fit notes always make it in
    if brand_notes:
        sentences.append(brand_notes[0])
    elif closers and d.chance(0.75):
        sentences.append(d.pick(closers))
    text = " ".join(s if s.endswith((".", "!", "?")) else s + "." for s in sentences)
    return re.sub(
        r"\b([Aa]) (?=[aeioAEIO])", r"\1n ", text
    )  # templates say "a {x}"; x may start with a vowel


def tags_for(spec: Spec, attrs: dict[str, Any], new: bool) -> list[str]:
    tags = list(spec.tags)
    for flag, tag in (
        ("waterproof", "waterproof"),
        ("vegan", "vegan"),
        ("fragrance_free", "fragrance-free"),
        ("adjustable", "adjustable"),
        ("cordless", "cordless"),
        ("non_comedogenic", "non-comedogenic"),
    ):
        if attrs.get(flag) is True:
            tags.append(tag)
    if "spf" in attrs:
        tags.append(f"spf {attrs['spf']}")
    if attrs.get("gender") in ("men", "women"):
        tags.append(f"{attrs['gender']}'s")
    if "sensitive" in attrs.get("skin_type", []):
        tags.append("sensitive skin")
    if new:
        tags.append("new arrival")
    return list(dict.fromkeys(tags))


def pick_brand(spec: Spec, i: int, d: Dice) -> str:
    # Every listed brand gets two products; after that the first-listed (category leader) sells more.
    if i < 2 * len(spec.brands):
        return spec.brands[i % len(spec.brands)]
    return d.pick(spec.brands, [2.0] + [1.0] * (len(spec.brands) - 1))


def make_item(spec: Spec, i: int, model: str, d: Dice) -> Item:
    base = Base(pick_brand(spec, i, d), model, i)
    q = float(d.rng.beta(1.6, 1.6))
    if i < len(PINNED_Q.get(spec.key, [])):
        q = PINNED_Q[spec.key][i]
    draft = BUILDERS[spec.key](d, q, base)
    price = shelf_price(spec, draft, q, d)
    new = d.chance(0.035)
    # Popular products are the affordable, well-made middle; the latent score also shapes reviews.
    pop = math.exp(d.normal(0, 0.9)) * (1.25 - 0.5 * abs(q - 0.45))
    reviews = 0 if new else max(1, int(pop * d.uniform(25, 70)))
    rating = None if new else round(clamp(d.normal(3.85 + 0.75 * q, 0.25), 3.0, 5.0), 1)
    stock = (
        int(draft.facts["_stock"])
        if "_stock" in draft.facts
        else int(clamp(math.exp(d.normal(3.2, 0.9)), 1, 400))
    )
    record = {
        "id": "",
        "title": draft.title,
        "brand": base.brand,
        "category": spec.path,
        "price": price,
        "currency": "USD",
        "stock": stock,
        "rating": rating,
        "review_count": reviews,
        "description": describe(spec, base, draft, d),
        "attributes": draft.attrs,
        "tags": tags_for(spec, draft.attrs, new),
    }
    return Item(record, spec, pop, new)


def generate_products(d: Dice) -> list[Item]:
    items: list[Item] = []
    for spec in SPECS:
        if len(spec.models) < spec.count:
            raise ValueError(f"spec {spec.key!r} lists {len(spec.models)} models for {spec.count} products")
        models = (
            spec.models[:1] + d.shuffled(spec.models[1:])
            if spec.key == "trail_shoes"
            else d.shuffled(spec.models)
        )
        for i in range(spec.count):
            item = make_item(spec, i, models[i], d)
            item.pinned = spec.key == "trail_shoes" and i < len(TRAIL_PLAN)
            items.append(item)
    set_out_of_stock(items, d)
    add_price_tags(items)
    items = d.shuffled(items)  # ids follow "date added", not category blocks
    for n, item in enumerate(items):
        item.record["id"] = f"P{1001 + n}"
    check_unique_titles(items)
    return items


def set_out_of_stock(items: list[Item], d: Dice, share: float = 0.09) -> None:
    """Exactly ~9% sold out: the pinned ones plus a random draw from the rest."""
    target = round(share * len(items))
    zero = [it for it in items if it.record["stock"] == 0]
    free = [it for it in items if it.record["stock"] > 0 and not it.pinned]
    for it in d.sample(free, max(0, target - len(zero))):
        it.record["stock"] = 0


def add_price_tags(items: list[Item]) -> None:
    """ "budget" and "premium" mark the cheapest and dearest ~15% of each category."""
    for spec in SPECS:
        group = sorted((it for it in items if it.spec is spec), key=lambda it: it.record["price"])
        cut = max(1, round(0.15 * len(group)))
        for it in group[:cut]:
            it.record["tags"].append("budget")
        for it in group[-cut:]:
            it.record["tags"].append("premium")


def check_unique_titles(items: list[Item]) -> None:
    seen: dict[str, str] = {}
    for it in items:
        title = it.record["title"]
        if title in seen:
            raise ValueError(f"duplicate title {title!r} ({seen[title]}, {it.record['id']})")
        seen[title] = it.record["id"]
