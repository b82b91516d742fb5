"""Check the understanding suite v2 (data/evals/understanding_v2/) against the data of its shops.

    .venv/bin/python scripts/check_understanding_v2.py

The held-out successor of v1 (data/evals/understanding_v1/). It reuses the checks of
``scripts/check_understanding_suite.py`` (imported, not copied: ``name``, ``fig``, ``desc``,
``not_stated``, ``matches``, ``extremes``, ``policy_has``, ``order_check``, the format, reference,
constraint and policy-answer checks) and adds:

1. its own side table ``FACTS`` ("case-id#turn" -> checks): every turn with an ``answer`` must be
   covered by it or, on a ``route: policy`` turn, by the policy-answer check;
2. its own seeded split: per shop, the sorted case ids shuffled with ``SPLIT_SEED``, the first
   half (rounded up) is dev, the rest test;
3. the suite's shape: 2 to 4 turns a case;
4. freshness: no ``say`` repeats, or closely paraphrases, a ``say`` of v1 or another v2 turn;
   and, where the public data sets the phrasing came from are on disk
   (``../shared/datasets``), no ``say`` is pasted from them (skipped with a note otherwise).

Shops are listed in ``SHOPS`` (file prefix -> shop directory and case-id prefix). Adding one
(e.g. ``"clothing": ShopSpec("data/clothing_shop", "c2-")``) takes that entry, its
``<prefix>_dev.yaml`` / ``<prefix>_test.yaml`` and its ``FACTS`` entries; ``--shops`` checks a
subset while a shop is being written.

Exits 1 with one line per problem.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import difflib
import json
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NamedTuple

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import check_understanding_suite as v1  # noqa: E402  (also puts the repo root on sys.path)
from check_understanding_suite import (  # noqa: E402
    NOT_STATED,
    Check,
    Ctx,
    attr,
    best,
    desc,
    extremes,
    fig,
    grams,
    has,
    holds,
    leaf,
    matches,
    money,
    not_stated,
    num,
    order_check,
    policy_has,
    products,
)

from retrieval import Product, Shop, load_shop  # noqa: E402

REPO = v1.REPO
SUITE = REPO / "data" / "evals" / "understanding_v2"
V1_SUITE = v1.SUITE
DATASETS = REPO.parent / "shared" / "datasets"
SPLIT_SEED = 20261201  # README: shuffle the sorted case ids of a shop with this seed, first half is dev
TODAY = dt.date(2026, 11, 25)


class ShopSpec(NamedTuple):
    directory: str  # the shop directory, relative to the repo root (the yaml's ``shop:``)
    case_prefix: str  # every case id of the shop starts with it (so FACTS keys say their shop)


# file prefix -> shop. A new shop: add it here (e.g. "clothing": ShopSpec("data/clothing_shop",
# "c2-")), write <prefix>_dev.yaml and <prefix>_test.yaml (split with SPLIT_SEED) and add its
# FACTS entries.
SHOPS: dict[str, ShopSpec] = {
    "demo": ShopSpec("data/demo_shop", "d2-"),
    "appliance": ShopSpec("data/appliance_shop", "a2-"),
    "clothing": ShopSpec("data/clothing_shop", "c2-"),
    "electronics": ShopSpec("data/electronics_shop", "e2-"),
}
MIN_TURNS, MAX_TURNS = 2, 4
NEAR_V1 = 0.8  # difflib ratio of two normalised says at or above which v2 repeats a question
NEAR_DATASET = 0.8  # token Jaccard at or above which a say is taken as pasted from a data set


# ---------------------------------------------------------------- checks v1 does not have


def extremes_where(
    pred: Callable[[Product], bool],
    key: str | Callable[[Product], float],
    mode: str,
    field: str = "products_any",
) -> Check:
    """A tie for the best value among the products meeting ``pred``: the turn expects all the tied."""

    def value(p: Product) -> float:
        return key(p) if callable(key) else attr(p, key)

    def check(c: Ctx) -> None:
        pool = [p for p in c.shop.products.values() if pred(p)]
        if not pool:
            c.fail("no product meets the request")
            return
        values = [value(p) for p in pool]
        target = min(values) if mode == "min" else max(values)
        want = {p.id for p in pool if value(p) == target}
        if set(c.turn.get(field, [])) != want:
            c.fail(
                f"{field} {sorted(c.turn.get(field, []))} != the products with the {mode} value {sorted(want)}"
            )

    return check


def name(pid_or_fn: str | Callable[[Shop], Product], item: int = 0) -> Check:
    """v1's ``name`` (some answer alternative names the product, and no other), made stricter: the
    answer item at ``item`` (the first by default) must be the one that names it, so a figure such
    as "2 °C" that happens to occur in a single title cannot stand in for a wrong product name."""
    loose = v1.name(pid_or_fn)

    def check(c: Ctx) -> None:
        loose(c)
        pid = pid_or_fn if isinstance(pid_or_fn, str) else pid_or_fn(c.shop).id
        items = c.alternatives()
        first = items[item] if item < len(items) else []
        title = c.p(pid).title.lower()
        others = [p.title.lower() for p in c.shop.products.values() if p.id != pid]
        if not any(a.lower() in title and not any(a.lower() in o for o in others) for a in first):
            c.fail(f"answer item {item} {first} does not name {pid} ({c.p(pid).title!r}) unambiguously")

    return check


def brands_of(*leaves: str) -> Check:
    """The plain-string answer items are exactly the brands of the given categories."""

    def check(c: Ctx) -> None:
        want = {p.brand for p in c.shop.products.values() if leaf(p) in leaves}
        listed = {i for i in c.turn.get("answer", []) if isinstance(i, str)}
        if listed != want:
            c.fail(f"answer brands {sorted(listed)} != the brands of {list(leaves)} {sorted(want)}")

    return check


def not_carried(*words: str) -> Check:
    """No product title or category names it, so "we don't carry it" is the true answer."""

    def check(c: Ctx) -> None:
        for p in c.shop.products.values():
            text = f"{p.title} {p.category}".lower()
            for w in words:
                if w.lower() in text:
                    c.fail(f"{p.id} ({p.title!r}) is a {w!r}, so the shop does carry it")

    return check


def in_desc(phrase: str) -> Callable[[Product], bool]:
    return lambda p: phrase.lower() in p.description.lower()


def order_delivered(
    oid: str,
    customer: str,
    leaf_name: str,
    *,
    delivered_in: str | None = None,
    window_days_passed: int | None = None,
) -> Check:
    """A delivered order of the signed-in customer holding a product of ``leaf_name``; optionally
    delivered in a given month (``"2026-11"``) or with its return window of N days already over."""

    def check(c: Ctx) -> None:
        o = c.shop.orders.get(oid)
        if o is None:
            c.fail(f"order {oid} does not exist")
            return
        if c.case.get("user") != customer or o.customer_id != customer:
            c.fail(f"order {oid} is {o.customer_id}'s, the case's user is {c.case.get('user')}")
        if o.status != "delivered":
            c.fail(f"order {oid} is {o.status}, not delivered")
        if not any(leaf(c.p(i.product_id)) == leaf_name for i in o.items):
            c.fail(f"order {oid} holds no {leaf_name}")
        mine = [
            x
            for x in c.shop.orders.values()
            if x.customer_id == customer and any(leaf(c.p(i.product_id)) == leaf_name for i in x.items)
        ]
        if len(mine) != 1:
            c.fail(f"{customer} has {len(mine)} orders with {leaf_name}, so 'my order' is ambiguous")
        delivered = _delivered_at(o)
        if delivered_in and (delivered is None or not delivered.isoformat().startswith(delivered_in)):
            c.fail(f"order {oid} was delivered {delivered}, not in {delivered_in}")
        if window_days_passed is not None and (
            delivered is None or delivered + dt.timedelta(days=window_days_passed) >= TODAY
        ):
            c.fail(f"order {oid} (delivered {delivered}) is still within {window_days_passed} days")

    return check


def _delivered_at(order: Any) -> dt.date | None:
    """``delivered_at`` is an extra field of the order record (the loader keeps unknown fields)."""
    value = getattr(order, "delivered_at", None) or (getattr(order, "model_extra", None) or {}).get(
        "delivered_at"
    )
    return dt.date.fromisoformat(str(value)[:10]) if value else None


def within_window(oid: str, days: int) -> Check:
    """The delivered order is still inside a window of N days from delivery (counted to TODAY)."""

    def check(c: Ctx) -> None:
        delivered = _delivered_at(c.shop.orders[oid])
        if delivered is None or delivered + dt.timedelta(days=days) < TODAY:
            c.fail(f"order {oid} (delivered {delivered}) is past {days} days")

    return check


def customer_is(cid: str, field: str, value: Any) -> Check:
    """A field of the signed-in customer (``tier``, or an extra one such as ``country``)."""

    def check(c: Ctx) -> None:
        if c.case.get("user") != cid:
            c.fail(f"the case's user is {c.case.get('user')}, not {cid}")
        got = getattr(c.shop.customers[cid], field, None)
        if got != value:
            c.fail(f"customer {cid} {field} is {got!r}, not {value!r}")

    return check


def stated_origin(pid: str, country: str) -> Check:
    """Where it is made, from ``origin`` or, failing that, the description."""
    return holds(
        f"{pid} is made in {country}",
        lambda s: (
            s.products[pid].attributes.get("origin") == country
            or f"in {country.lower()}" in s.products[pid].description.lower()
        ),
    )


def years(n: int) -> str:
    return f"{n} year" if n == 1 else f"{n} years"


# ---------------------------------------------------------------- predicates of the search turns

# demo shop


def cleanser_oily(p: Product) -> bool:
    return (
        leaf(p) == "Cleansers"
        and bool({"oily", "all"} & set(attr(p, "skin_type")))
        and attr(p, "non_comedogenic")
        and attr(p, "fragrance_free")
    )


def concealer_deep(p: Product) -> bool:
    return leaf(p) == "Concealer" and "520 Deep Ebony" in attr(p, "shade") and attr(p, "coverage") == "full"


def dumbbell_30(p: Product) -> bool:
    return leaf(p) == "Dumbbells" and attr(p, "adjustable") and attr(p, "weight_kg") >= 30


def straightener_travel(p: Product) -> bool:
    return leaf(p) == "Hair Straighteners" and attr(p, "dual_voltage") and p.price <= 90 and p.stock > 0


def doorway_bar(p: Product) -> bool:
    return leaf(p) == "Pull-Up Bars" and attr(p, "mount") == "doorway"


def latex_free(p: Product) -> bool:
    return leaf(p) == "Resistance Bands" and "latex-free" in attr(p, "material")


def women_xs_shorts(p: Product) -> bool:
    return leaf(p) == "Running Shorts" and attr(p, "gender") == "women" and "XS" in attr(p, "sizes")


def sensitive_toner(p: Product) -> bool:
    return (
        leaf(p) == "Toners"
        and attr(p, "alcohol_free")
        and bool({"sensitive", "all"} & set(attr(p, "skin_type")))
    )


def sheet_mask(p: Product) -> bool:
    return leaf(p) == "Face Masks" and attr(p, "mask_type") == "sheet"


def family_tent(p: Product) -> bool:
    return leaf(p) == "Tents" and attr(p, "capacity_persons") >= 5 and p.price <= 200 and p.stock > 0


def synthetic_bag(p: Product) -> bool:
    return leaf(p) == "Sleeping Bags" and attr(p, "fill") == "synthetic"


def zero_drop_w9(p: Product) -> bool:
    return (
        leaf(p) == "Road Running Shoes"
        and attr(p, "drop_mm") == 0
        and attr(p, "gender") == "women"
        and "9" in attr(p, "sizes")
    )


def folding_bench(p: Product) -> bool:
    return leaf(p) == "Weight Benches" and attr(p, "adjustable") and attr(p, "foldable") and p.stock > 0


def swim_sunscreen(p: Product) -> bool:
    return leaf(p) == "Sunscreens" and attr(p, "spf") >= 50 and attr(p, "water_resistant_min") >= 80


def spf_moisturizer_oily(p: Product) -> bool:
    return (
        leaf(p) == "Moisturizers"
        and "spf" in p.attributes
        and bool({"oily", "all"} & set(attr(p, "skin_type")))
    )


def curly_vegan_brush(p: Product) -> bool:
    return leaf(p) == "Hair Brushes" and "curly" in attr(p, "hair_type") and attr(p, "vegan")


def simmer_stove(p: Product) -> bool:
    return leaf(p) == "Camping Stoves" and in_desc("simmer control")(p) and p.price <= 100


# appliance shop


def half_hp_cord(p: Product) -> bool:
    return (
        leaf(p) == "Garbage Disposals"
        and attr(p, "horsepower") == 0.5
        and attr(p, "cord_included")
        and p.stock > 0
    )


def disposal_250(p: Product) -> bool:
    return leaf(p) == "Garbage Disposals" and p.price <= 250


def star_third_rack(p: Product) -> bool:
    return leaf(p) == "Dishwashers" and attr(p, "energy_star") and attr(p, "third_rack")


def plug_in_hood_30(p: Product) -> bool:
    return leaf(p) == "Range Hoods" and attr(p, "width_in") == 30 and in_desc("plugs into an outlet")(p)


def child_lock_1000(p: Product) -> bool:
    return (
        leaf(p) == "Microwaves"
        and attr(p, "mount_type") == "countertop"
        and attr(p, "power_w") >= 1000
        and in_desc("child lock")(p)
    )


def garage_fridge(p: Product) -> bool:
    return leaf(p) == "Mini Fridges" and in_desc("rated for use in a garage")(p)


def freezer_fridge(p: Product) -> bool:
    return leaf(p) == "Mini Fridges" and attr(p, "freezer_compartment")


def fridge_two_pack(p: Product) -> bool:
    return has(p, "filter_type", "refrigerator") and attr(p, "pack_count") == 2


def gas_steam(p: Product) -> bool:
    return leaf(p) == "Dryers" and attr(p, "fuel_type") == "gas" and attr(p, "steam")


def pet_purifier(p: Product) -> bool:
    return (
        leaf(p) == "Air Purifiers" and attr(p, "coverage_sq_ft") >= 200 and in_desc("washable pre-filter")(p)
    )


def restarts(p: Product) -> bool:
    return leaf(p) == "Dehumidifiers" and in_desc("restarts automatically")(p)


# clothing shop


def sex(p: Product) -> str:
    """ "Women" or "Men" for garments (the second level of the category path), else the section."""
    return p.category_path[1]


def in_tags(tag: str) -> Callable[[Product], bool]:
    return lambda p: tag in p.tags


def opaque_pocket_dress(p: Product) -> bool:
    return (
        leaf(p) == "Dresses"
        and (in_desc("not see-through")(p) or in_desc("is opaque")(p))
        and in_desc("pockets")(p)
    )


def men_jeans_32_34(p: Product) -> bool:
    return (
        leaf(p) == "Jeans"
        and sex(p) == "Men"
        and "32" in attr(p, "sizes")
        and 34 in (attr(p, "inseam_in") or [])
        and p.price <= 80
        and attr(p, "leg") != "skinny"
    )


def soft_wool_women(p: Product) -> bool:
    return leaf(p) == "Knitwear" and sex(p) == "Women" and in_desc("without itching")(p)


def men_knit(p: Product) -> bool:
    return leaf(p) == "Knitwear" and sex(p) == "Men"


def men_waterproof_jacket(p: Product) -> bool:
    return leaf(p) == "Jackets" and sex(p) == "Men" and attr(p, "waterproof") is True


def velvet_8(p: Product) -> bool:
    return leaf(p) == "Dresses" and "velvet" in attr(p, "fabric") and "8" in attr(p, "sizes")


def washable_trouser_34(p: Product) -> bool:
    inseam = attr(p, "inseam_in")
    inseams = inseam if isinstance(inseam, list) else [inseam]
    return (
        leaf(p) == "Trousers"
        and 34 in inseams
        and attr(p, "machine_washable") is True
        and "wool" not in attr(p, "fabric")
    )


def oxford_shirt(p: Product) -> bool:
    return leaf(p) == "Shirts" and "oxford" in p.title.lower()


def wool_coat_400(p: Product) -> bool:
    return (
        leaf(p) == "Coats & Jackets" and sex(p) == "Women" and "wool" in attr(p, "fabric") and p.price <= 400
    )


def midi_dress(p: Product) -> bool:
    return leaf(p) == "Dresses" and "midi" in p.tags


def pocket_cardigan_not_cropped(p: Product) -> bool:
    return (
        leaf(p) == "Knitwear"
        and sex(p) == "Women"
        and "cardigan" in p.tags
        and "cropped" not in p.tags
        and in_desc("pockets")(p)
    )


def dress_xs(p: Product) -> bool:
    return leaf(p) == "Dresses" and "XS" in attr(p, "sizes")


def scarf_72(p: Product) -> bool:
    return leaf(p) == "Scarves" and attr(p, "length_in") == 72


# electronics shop


def anc_headphones_200(p: Product) -> bool:
    return leaf(p) == "Headphones" and attr(p, "anc") is True and p.price <= 200


def pool_speaker(p: Product) -> bool:
    return leaf(p) == "Bluetooth Speakers" and attr(p, "ip_rating") in ("IPX7", "IP67") and p.price <= 100


def usb_c_cable_6ft(p: Product) -> bool:
    return leaf(p) == "Cables" and attr(p, "connector") == "USB-C to USB-C" and attr(p, "cable_ft") >= 6


def power_bank_10k(p: Product) -> bool:
    return leaf(p) == "Power Banks" and attr(p, "capacity_mah") == 10000


def magsafe_16_pro(p: Product) -> bool:
    return (
        leaf(p) == "Phone Cases" and attr(p, "magsafe") is True and has(p, "compatible_with", "iPhone 16 Pro")
    )


def quiet_wired_mechanical(p: Product) -> bool:
    return (
        leaf(p) == "Keyboards"
        and "mechanical keyboard" in p.tags
        and attr(p, "wireless") is False
        and "clicky" not in attr(p, "switch_type")
    )


def left_hand_wireless(p: Product) -> bool:
    return leaf(p) == "Mice" and attr(p, "wireless") is True and attr(p, "hand") in ("left", "ambidextrous")


def monitor_27(p: Product) -> bool:
    return leaf(p) == "Monitors" and attr(p, "screen_in") == 27


def shutter_webcam(p: Product) -> bool:
    return leaf(p) == "Webcams" and attr(p, "privacy_shutter") is True


def android_gps_watch(p: Product) -> bool:
    return (
        leaf(p) == "Smartwatches"
        and attr(p, "gps") is True
        and has(p, "compatible_with", "Android")
        and p.price <= 250
    )


def mesh6_4000(p: Product) -> bool:
    return (
        leaf(p) == "Wi-Fi Routers"
        and attr(p, "mesh") is True
        and attr(p, "wifi_standard") == "Wi-Fi 6"
        and attr(p, "coverage_sq_ft") >= 4000
    )


def microsd_256(p: Product) -> bool:
    return leaf(p) == "Memory Cards" and attr(p, "storage_gb") == 256 and attr(p, "card_type") == "microSDXC"


def pair(*ids: str) -> Callable[[Shop], list[Product]]:
    return lambda s: [s.products[i] for i in ids]


def best_of(
    pool: Callable[[Shop], Iterable[Product]], key: Callable[[Product], float], mode: str = "min"
) -> Callable[[Shop], Product]:
    return lambda s: best(pool(s), key, mode)


def where(pred: Callable[[Product], bool]) -> Callable[[Shop], list[Product]]:
    return lambda s: products(s, where=pred)


def in_leaf(leaf_name: str, pred: Callable[[Product], bool] | None = None) -> Callable[[Shop], list[Product]]:
    return lambda s: products(s, leaf_name, pred)


def price(p: Product) -> float:
    return p.price


def by(key: str) -> Callable[[Product], float]:
    return lambda p: attr(p, key)


# ---------------------------------------------------------------- the side table: "case-id#turn" -> checks

FACTS: dict[str, list[Check]] = {
    # ---------------- demo shop
    "d2-cleanser-oily#0": [matches(cleanser_oily)],
    "d2-cleanser-oily#1": [
        name(best_of(where(cleanser_oily), by("volume_ml"), "max")),
        fig(
            lambda s: (
                f"{best(products(s, where=cleanser_oily), by('volume_ml'), 'max').attributes['volume_ml']} ml"
            )
        ),
    ],
    "d2-cleanser-oily#2": [
        holds("P1072 is not vegan", lambda s: s.products["P1072"].attributes["vegan"] is False)
    ],
    "d2-concealer-deep#0": [matches(concealer_deep)],
    "d2-concealer-deep#1": [
        name(best_of(where(concealer_deep), price)),
        fig(lambda s: money(best(products(s, where=concealer_deep), price).price)),
    ],
    "d2-concealer-deep#2": [desc("P1171", "does not crease under the eyes, even after 12 hours")],
    "d2-dumbbells-adjustable#0": [matches(dumbbell_30)],
    "d2-dumbbells-adjustable#1": [
        fig(lambda s: money(s.products["P1117"].price)),
        fig(lambda s: money(s.products["P1121"].price)),
    ],
    "d2-dumbbells-adjustable#2": [
        policy_has("shipping", "adjustable dumbbell sets"),
        policy_has("shipping", "oversized items cannot be delivered to PO boxes"),
    ],
    "d2-roller-freezer#0": [
        matches(
            lambda p: leaf(p) == "Facial Rollers" and in_desc("chilled in the freezer")(p), key="products_all"
        ),
        name("P1128"),
        name("P1225", item=1),
    ],
    "d2-roller-freezer#1": [
        name(best_of(in_leaf("Facial Rollers"), by("weight_g"))),
        fig(lambda s: f"{best(products(s, 'Facial Rollers'), by('weight_g')).attributes['weight_g']} g"),
    ],
    "d2-straightener-travel#0": [matches(straightener_travel)],
    "d2-straightener-travel#1": [
        name(best_of(where(straightener_travel), price)),
        fig(lambda s: f"{best(products(s, where=straightener_travel), price).attributes['max_temp_c']} °C"),
    ],
    "d2-straightener-travel#2": [desc("P1267", "switches off automatically after 30 minutes idle")],
    "d2-pullup-doorway#0": [
        matches(doorway_bar),
        holds(
            "every doorway bar fits frames 61 to 81 cm wide",
            lambda s: all(
                in_desc("fits door frames 61 to 81 cm wide")(p) for p in products(s, where=doorway_bar)
            ),
        ),
    ],
    "d2-pullup-doorway#1": [
        name(best_of(where(doorway_bar), price)),
        fig(lambda s: money(best(products(s, where=doorway_bar), price).price)),
    ],
    "d2-pullup-doorway#2": [fig(lambda s: f"{s.products['P1274'].attributes['max_load_kg']} kg")],
    "d2-bands-latex-free#0": [matches(latex_free)],
    "d2-bands-latex-free#1": [
        name(best_of(where(latex_free), by("max_resistance_kg"), "max")),
        fig(
            lambda s: (
                f"{best(products(s, where=latex_free), by('max_resistance_kg'), 'max').attributes['max_resistance_kg']} kg"
            )
        ),
    ],
    "d2-bands-latex-free#2": [not_stated("P1032", "bag", "carry", "pouch")],
    "d2-shorts-women-xs#0": [
        matches(lambda p: women_xs_shorts(p) and in_desc("zipped back pocket")(p), key="products_all"),
        holds(
            "P1286 is the only women's short in XS",
            lambda s: [p.id for p in products(s, where=women_xs_shorts)] == ["P1286"],
        ),
        name("P1286"),
    ],
    "d2-shorts-women-xs#1": [
        fig(lambda s: f"{num(s.products['P1286'].attributes['inseam_in'])} in"),
        holds(
            "P1286 comes in olive green and red",
            lambda s: s.products["P1286"].attributes["colors"] == ["olive green", "red"],
        ),
    ],
    "d2-shorts-women-xs#2": [
        desc("P1286", "between sizes, size down for a race fit"),
        policy_has("sizing", "between two sizes, size down for a snug race fit"),
    ],
    "d2-toner-sensitive#0": [matches(sensitive_toner, key="products_all"), name("P1178")],
    "d2-toner-sensitive#1": [
        fig(lambda s: f"{s.products['P1178'].attributes['volume_ml']} ml"),
        holds("P1178 is fragrance-free", lambda s: s.products["P1178"].attributes["fragrance_free"] is True),
    ],
    "d2-sheet-masks#0": [
        name(best_of(where(sheet_mask), by("count"), "max")),
        fig(
            lambda s: f"{best(products(s, where=sheet_mask), by('count'), 'max').attributes['count']} sheets"
        ),
    ],
    "d2-sheet-masks#1": [desc("P1278", "Each sheet is soaked in 25 ml of essence")],
    "d2-sheet-masks#2": [
        holds(
            "the only 5-pack of sheet masks is P1308, and it is vegan",
            lambda s: (
                [p.id for p in products(s, where=lambda p: sheet_mask(p) and attr(p, "count") == 5)]
                == ["P1308"]
                and s.products["P1308"].attributes["vegan"] is True
            ),
        )
    ],
    "d2-headlamp-aaa#0": [
        matches(
            lambda p: leaf(p) == "Headlamps" and attr(p, "battery") != "rechargeable", key="products_all"
        ),
        name("P1325"),
    ],
    "d2-headlamp-aaa#1": [
        fig(lambda s: f"{s.products['P1325'].attributes['lumens']} lumens"),
        fig(lambda s: s.products["P1325"].attributes["ip_rating"]),
    ],
    "d2-tent-family#0": [matches(family_tent)],
    "d2-tent-family#1": [
        name(best_of(where(family_tent), by("waterproof_rating_mm"), "max")),
        fig(
            lambda s: (
                f"{best(products(s, where=family_tent), by('waterproof_rating_mm'), 'max').attributes['waterproof_rating_mm']} mm"
            )
        ),
    ],
    "d2-tent-family#2": [not_stated("P1288", "footprint", "ground sheet", "groundsheet")],
    "d2-sleepingbag-synthetic#0": [
        name(best_of(where(synthetic_bag), by("temperature_rating_c"))),
        fig(
            lambda s: (
                f"{best(products(s, where=synthetic_bag), by('temperature_rating_c')).attributes['temperature_rating_c']} °C"
            )
        ),
    ],
    "d2-sleepingbag-synthetic#1": [fig(lambda s: grams(s.products["P1222"].attributes["weight_g"]))],
    "d2-sleepingbag-synthetic#2": [not_stated("P1222", "wash", "machine", "laund")],
    "d2-road-zero-drop#0": [matches(zero_drop_w9)],
    "d2-road-zero-drop#1": [
        extremes_where(zero_drop_w9, "weight_g", "min"),
        fig(lambda s: f"{min(attr(p, 'weight_g') for p in products(s, where=zero_drop_w9))} g"),
    ],
    "d2-road-zero-drop#2": [
        holds(
            "P1329 is the only waterproof one of them",
            lambda s: [p.id for p in products(s, where=zero_drop_w9) if attr(p, "waterproof")] == ["P1329"],
        ),
        name("P1329"),
        fig(lambda s: money(s.products["P1329"].price)),
    ],
    "d2-road-zero-drop#3": [
        holds("P1329 is a Kestrel Run shoe", lambda s: s.products["P1329"].brand == "Kestrel Run"),
        policy_has("sizing", "Kestrel Run running shoes fit true to size"),
    ],
    "d2-kettlebell-light#0": [
        name(best_of(in_leaf("Kettlebells"), by("weight_kg"))),
        fig(lambda s: f"{num(best(products(s, 'Kettlebells'), by('weight_kg')).attributes['weight_kg'])} kg"),
    ],
    "d2-kettlebell-light#1": [
        holds("P1149 is pink", lambda s: s.products["P1149"].attributes["colors"] == ["pink"]),
        holds("P1149 is vinyl-coated", lambda s: "vinyl" in s.products["P1149"].attributes["material"]),
    ],
    "d2-bench-freight#0": [matches(folding_bench)],
    "d2-bench-freight#1": [
        policy_has("shipping", "Weight benches"),
        policy_has("shipping", "Ground freight (oversized items) | $19.95"),
        holds(
            "both benches are oversized items",
            lambda s: all(in_desc("Oversized item")(s.products[i]) for i in ("P1053", "P1109")),
        ),
    ],
    "d2-bench-freight#2": [
        policy_has(
            "returns",
            "Weight benches and pull-up bars are returnable unassembled in their box; once assembled, only if defective",
        )
    ],
    "d2-yogamat-compare#0": [
        fig(lambda s: money(s.products["P1073"].price)),
        fig(lambda s: money(s.products["P1259"].price)),
    ],
    "d2-yogamat-compare#1": [
        holds(
            "P1259 comes in navy blue only",
            lambda s: s.products["P1259"].attributes["colors"] == ["navy blue"],
        )
    ],
    "d2-yogamat-compare#2": [
        name(best_of(pair("P1073", "P1259"), by("weight_g"))),
        fig(lambda s: grams(s.products["P1259"].attributes["weight_g"])),
    ],
    "d2-sunscreen-swim#0": [matches(swim_sunscreen)],
    "d2-sunscreen-swim#1": [
        not_stated("P1111", "reef", "oxybenzone", "octinoxate"),
        not_stated("P1122", "reef", "oxybenzone", "octinoxate"),
    ],
    "d2-sunscreen-swim#2": [name(best_of(where(swim_sunscreen), price)), desc("P1111", "30 ml stick")],
    "d2-moisturizer-spf-oily#0": [matches(spf_moisturizer_oily)],
    "d2-moisturizer-spf-oily#1": [
        name(best_of(where(spf_moisturizer_oily), by("spf"), "max")),
        fig(
            lambda s: (
                f"SPF {best(products(s, where=spf_moisturizer_oily), by('spf'), 'max').attributes['spf']}"
            )
        ),
        holds("P1162 is tinted", lambda s: s.products["P1162"].attributes["tinted"] is True),
    ],
    "d2-brush-curly#0": [matches(curly_vegan_brush)],
    "d2-brush-curly#1": [
        name(best_of(where(curly_vegan_brush), price)),
        holds(
            "P1311 handle is recycled plastic",
            lambda s: s.products["P1311"].attributes["material"] == "recycled plastic",
        ),
    ],
    "d2-lipstick-velvet-kiss#0": [
        fig(lambda s: f"{len(s.products['P1138'].attributes['shade'])} shades"),
        holds("P1138 has Pink Nude", lambda s: "Pink Nude" in s.products["P1138"].attributes["shade"]),
    ],
    "d2-lipstick-velvet-kiss#1": [desc("P1138", "wears 8 hours")],
    "d2-skin-tint-spf#0": [not_stated("P1036", "spf", "sun protection", "uv")],
    "d2-skin-tint-spf#1": [desc("P1036", "suitable for acne-prone skin")],
    "d2-stove-simmer#0": [matches(simmer_stove)],
    "d2-stove-simmer#1": [
        name(best_of(where(simmer_stove), by("weight_g"))),
        fig(lambda s: f"{best(products(s, where=simmer_stove), by('weight_g')).attributes['weight_g']} g"),
    ],
    "d2-stove-simmer#2": [
        holds("P1022 burns wood", lambda s: s.products["P1022"].attributes["fuel"] == "wood and biomass")
    ],
    "d2-order-cancel-bag#0": [
        order_check("O51105", "C0089", "processing", leaf_name="Sleeping Bags"),
        fig("O51105"),
    ],
    "d2-order-cancel-bag#1": [
        order_check("O51105", "C0089", "processing"),
        policy_has("returns", 'You can cancel an order while its status is "processing"'),
        policy_has("returns", "the payment authorization is released within 3 to 5 business days"),
    ],
    "d2-order-dumbbells#0": [
        order_check(
            "O50403", "C0219", "shipped", eta="2026-11-30", tracking="258948615751", leaf_name="Dumbbells"
        ),
        fig("O50403"),
        fig("2026-11-30"),
    ],
    "d2-order-dumbbells#1": [
        order_delivered("O49465", "C0219", "Weight Benches", delivered_in="2026-10"),
        policy_has("returns", "once assembled, only if defective"),
    ],
    "d2-hello-bikes#1": [not_carried("bike", "bicycle", "helmet")],
    "d2-hello-bikes#2": [brands_of("Road Running Shoes", "Trail Running Shoes")],
    # ---------------- appliance shop
    "a2-disposal-cord#0": [matches(half_hp_cord, key="products_all"), name("AP1003")],
    "a2-disposal-cord#1": [desc("AP1003", "fits standard 3.5-inch sink openings")],
    "a2-disposal-cord#2": [desc("AP1003", "Comes with a hex wrench for clearing jams")],
    "a2-disposal-stages#0": [
        extremes_where(disposal_250, "grind_stages", "max"),
        fig(lambda s: f"{max(attr(p, 'grind_stages') for p in products(s, where=disposal_250))} stages"),
    ],
    "a2-disposal-stages#1": [
        name(best_of(pair("AP1004", "AP1007"), by("noise_db"))),
        fig(lambda s: f"{best(pair('AP1004', 'AP1007')(s), by('noise_db')).attributes['noise_db']} dB"),
    ],
    "a2-dishwasher-third-rack#0": [
        name(best_of(where(star_third_rack), price)),
        fig(lambda s: money(best(products(s, where=star_third_rack), price).price)),
    ],
    "a2-dishwasher-third-rack#1": [
        desc("AP1014", "The door panel cannot be replaced with a custom cabinet panel")
    ],
    "a2-dishwasher-third-rack#2": [not_stated("AP1014", "delay", "timer")],
    "a2-dishwasher-portable#0": [
        matches(lambda p: has(p, "mount_type", "portable") and leaf(p) == "Dishwashers")
    ],
    "a2-dishwasher-portable#1": [
        holds("AP1012 is the only portable SilentWash", lambda s: "SilentWash" in s.products["AP1012"].title),
        not_stated("AP1012", "faucet", "quick-connect", "adapter", "plumbing"),
    ],
    "a2-dishwasher-portable#2": [
        holds("AP1011 (CleanArc S, portable) is out of stock", lambda s: s.products["AP1011"].stock == 0)
    ],
    "a2-hood-plug-in#0": [
        matches(plug_in_hood_30),
        holds("AP1019 is hard-wired", lambda s: in_desc("no power cord is included")(s.products["AP1019"])),
    ],
    "a2-hood-plug-in#1": [
        matches(lambda p: plug_in_hood_30(p) and in_desc("LED lights are built in")(p)),
        name("AP1023"),
    ],
    "a2-hood-plug-in#2": [fig(lambda s: f"{s.products['AP1023'].attributes['noise_db']} dB")],
    "a2-hood-chefline-max#0": [desc("AP1022", "Charcoal filters for ductless use are sold separately")],
    "a2-hood-chefline-max#1": [
        fig(lambda s: f"{num(s.products['AP1022'].attributes['duct_diameter_in'])} in")
    ],
    "a2-hood-chefline-max#2": [policy_has("installation", "range hood installation $199.00")],
    "a2-microwave-child-lock#0": [matches(child_lock_1000)],
    "a2-microwave-child-lock#1": [
        name(best_of(where(child_lock_1000), by("width_in"))),
        fig(
            lambda s: (
                f"{num(best(products(s, where=child_lock_1000), by('width_in')).attributes['width_in'])} in"
            )
        ),
    ],
    "a2-microwave-child-lock#2": [not_stated("AP1028", "dishwasher", "turntable")],
    "a2-microwave-trim-kit#0": [desc("AP1029", "A trim kit for built-in installation is sold separately")],
    "a2-microwave-trim-kit#1": [
        policy_has("installation", "countertop microwaves"),
        holds(
            "AP1029 is a countertop microwave",
            lambda s: s.products["AP1029"].attributes["mount_type"] == "countertop",
        ),
    ],
    "a2-ice-maker-melt#0": [
        desc("AP1037", "The ice basket is not insulated, so ice slowly melts back into the reservoir")
    ],
    "a2-ice-maker-melt#1": [desc("AP1037", "An ice scoop is included")],
    "a2-ice-maker-melt#2": [
        holds(
            "AP1037 finishes",
            lambda s: s.products["AP1037"].attributes["finish"] == ["white", "black", "red"],
        )
    ],
    "a2-ice-maker-quiet#0": [
        extremes("Ice Makers", "noise_db", "min"),
        fig(lambda s: f"{min(attr(p, 'noise_db') for p in products(s, 'Ice Makers'))} dB"),
    ],
    "a2-ice-maker-quiet#1": [
        name(best_of(pair("AP1040", "AP1041", "AP1042"), price)),
        fig(lambda s: money(best(pair("AP1040", "AP1041", "AP1042")(s), price).price)),
    ],
    "a2-ice-maker-quiet#2": [
        holds("AP1041 makes bullet ice", lambda s: s.products["AP1041"].attributes["ice_type"] == "bullet")
    ],
    "a2-fridge-garage#0": [
        matches(garage_fridge),
        holds(
            "AP1043 is not for garages", lambda s: in_desc("Not suitable for garages")(s.products["AP1043"])
        ),
    ],
    "a2-fridge-garage#1": [
        name(best_of(where(garage_fridge), price)),
        fig(lambda s: money(best(products(s, where=garage_fridge), price).price)),
    ],
    "a2-fridge-garage#2": [desc("AP1044", "Comes with a lock and two keys")],
    "a2-fridge-freezer-biggest#0": [
        name(best_of(where(freezer_fridge), by("capacity_cu_ft"), "max")),
        fig(
            lambda s: (
                f"{num(best(products(s, where=freezer_fridge), by('capacity_cu_ft'), 'max').attributes['capacity_cu_ft'])} cu ft"
            )
        ),
    ],
    "a2-fridge-freezer-biggest#1": [fig(lambda s: f"{num(s.products['AP1050'].attributes['depth_in'])} in")],
    "a2-fridge-freezer-biggest#2": [fig(lambda s: f"{num(s.products['AP1050'].attributes['weight_lb'])} lb")],
    "a2-filter-pfas#0": [matches(lambda p: has(p, "reduces", "PFOA/PFOS"))],
    "a2-filter-pfas#1": [
        holds(
            "AP1060 is the only pitcher filter among them",
            lambda s: (
                [
                    p.id
                    for p in products(
                        s, where=lambda p: has(p, "reduces", "PFOA/PFOS") and has(p, "filter_type", "pitcher")
                    )
                ]
                == ["AP1060"]
            ),
        ),
        fig(lambda s: f"{s.products['AP1060'].attributes['filter_life_months']} months"),
        fig(lambda s: f"{s.products['AP1060'].attributes['capacity_gal']} gallons"),
    ],
    "a2-filter-pfas#2": [not_stated("AP1060", "brita", "fits", "compatible")],
    "a2-filter-two-pack#0": [
        name(best_of(where(fridge_two_pack), price)),
        fig(lambda s: money(best(products(s, where=fridge_two_pack), price).price)),
    ],
    "a2-filter-two-pack#1": [
        holds(
            "AP1052 reduces chlorine only",
            lambda s: s.products["AP1052"].attributes["reduces"] == ["chlorine taste and odor"],
        )
    ],
    "a2-filter-two-pack#2": [
        policy_has("returns", "Water filters can be returned only unopened, in their sealed pouch")
    ],
    "a2-dryer-steam#0": [matches(gas_steam)],
    "a2-dryer-steam#1": [
        name(best_of(where(gas_steam), by("noise_db"))),
        fig(lambda s: f"{best(products(s, where=gas_steam), by('noise_db')).attributes['noise_db']} dB"),
    ],
    "a2-dryer-steam#2": [
        desc("AP1066", "Ships set for natural gas; an LP conversion kit is sold separately")
    ],
    "a2-dryer-steam#3": [
        holds("AP1066 is a gas dryer", lambda s: s.products["AP1066"].attributes["fuel_type"] == "gas"),
        policy_has("installation", "Our gas dryer hookup costs $149.00"),
    ],
    "a2-purifier-pets#0": [
        name(best_of(where(pet_purifier), price)),
        fig(lambda s: money(best(products(s, where=pet_purifier), price).price)),
        holds(
            "it is also the cheapest purifier for 200 sq ft or more",
            lambda s: (
                best(products(s, "Air Purifiers", lambda p: attr(p, "coverage_sq_ft") >= 200), price).id
                == best(products(s, where=pet_purifier), price).id
            ),
        ),
    ],
    "a2-purifier-pets#1": [fig(lambda s: f"{s.products['AP1068'].attributes['filter_life_months']} months")],
    "a2-purifier-pets#2": [desc("AP1068", "air quality sensor that adjusts the fan speed automatically")],
    "a2-purifier-ionizer#0": [
        holds(
            "AP1073 is the only AeroPure for 600 sq ft",
            lambda s: (
                [p.id for p in s.products.values() if "AeroPure" in p.title and "600 sq ft" in p.title]
                == ["AP1073"]
            ),
        ),
        desc("AP1073", "Has an ionizer that can be switched off"),
    ],
    "a2-purifier-ionizer#1": [desc("AP1073", "Sleep mode turns off the display lights")],
    "a2-dehumidifier-outage#0": [matches(restarts)],
    "a2-dehumidifier-outage#1": [
        name(best_of(where(restarts), price)),
        fig(lambda s: money(best(products(s, where=restarts), price).price)),
    ],
    "a2-dehumidifier-outage#2": [
        desc("AP1076", "The drain hose is not included; it takes a standard garden hose")
    ],
    "a2-dehumidifier-hose#0": [
        matches(
            lambda p: leaf(p) == "Dehumidifiers" and in_desc("Comes with a 6-foot drain hose")(p),
            key="products_all",
        ),
        name("AP1079"),
    ],
    "a2-dehumidifier-hose#1": [
        holds("AP1079 is Energy Star", lambda s: s.products["AP1079"].attributes["energy_star"] is True),
        fig(lambda s: years(s.products["AP1079"].attributes["warranty_years"])),
    ],
    "a2-order-fridge#0": [
        order_check(
            "AO7005",
            "AC103",
            "shipped",
            eta="2026-11-26",
            tracking="1Z3233895123925551",
            leaf_name="Mini Fridges",
        ),
        fig("AO7005"),
        fig("2026-11-26"),
    ],
    "a2-order-fridge#2": [
        order_delivered("AO7006", "AC103", "Water Filters", window_days_passed=45),
        policy_has("returns", "Most items can be returned within 45 days of delivery"),
    ],
    "a2-order-cancel-hood#0": [
        order_check("AO7004", "AC102", "processing", leaf_name="Range Hoods"),
        fig("AO7004"),
    ],
    "a2-order-cancel-hood#1": [
        order_check("AO7004", "AC102", "processing"),
        policy_has("returns", 'Orders can be cancelled free of charge while they are still "processing"'),
        policy_has("payments", "Your card is charged when the order ships"),
    ],
    "a2-order-cancel-hood#2": [
        order_delivered("AO7003", "AC102", "Dishwashers", delivered_in="2026-11"),
        holds(
            "the dishwasher (AP1017) has a 2-year warranty",
            lambda s: s.products["AP1017"].attributes["warranty_years"] == 2,
        ),
        fig(lambda s: years(s.products["AP1017"].attributes["warranty_years"])),
    ],
    "a2-shipping-alaska#0": [
        policy_has("shipping", "dehumidifiers and garbage disposals) also ship to Alaska")
    ],
    "a2-shipping-alaska#1": [
        policy_has("shipping", "Standard parcel shipping is free on orders of $99 or more"),
        holds(
            "every dehumidifier costs $99 or more",
            lambda s: all(p.price >= 99 for p in products(s, "Dehumidifiers")),
        ),
    ],
    "a2-hello-air-conditioner#1": [not_carried("air condition", "window unit", "a/c")],
    "a2-hello-air-conditioner#2": [matches(lambda p: leaf(p) == "Dehumidifiers")],
    "a2-purifier-compare#0": [
        fig(lambda s: money(s.products["AP1070"].price)),
        fig(lambda s: money(s.products["AP1071"].price)),
    ],
    "a2-purifier-compare#1": [
        name(best_of(pair("AP1070", "AP1071"), by("noise_db"))),
        fig(lambda s: f"{s.products['AP1071'].attributes['noise_db']} dB"),
    ],
    "a2-purifier-compare#2": [
        fig(lambda s: years(s.products["AP1070"].attributes["warranty_years"])),
        fig(lambda s: years(s.products["AP1071"].attributes["warranty_years"])),
    ],
    # ---------------- clothing shop
    "c2-dress-opaque-pockets#0": [
        matches(opaque_pocket_dress, key="products_all"),
        desc("CL1002", "slightly sheer in bright light"),
    ],
    "c2-dress-opaque-pockets#1": [
        name(best_of(pair("CL1003", "CL1006"), by("length_in"), "max")),
        fig(lambda s: f"{num(s.products['CL1006'].attributes['length_in'])} in"),
    ],
    "c2-dress-opaque-pockets#2": [
        stated_origin("CL1006", "India"),
        holds("CL1006 is machine washable", lambda s: s.products["CL1006"].attributes["machine_washable"]),
    ],
    "c2-jeans-men-34#0": [matches(men_jeans_32_34)],
    "c2-jeans-men-34#1": [
        name(best_of(where(men_jeans_32_34), by("denim_oz"), "max")),
        fig(
            lambda s: (
                f"{num(best(products(s, where=men_jeans_32_34), by('denim_oz'), 'max').attributes['denim_oz'])} oz"
            )
        ),
    ],
    "c2-jeans-men-34#2": [
        holds("CL1054 has no stretch", lambda s: s.products["CL1054"].attributes["stretch"] is False),
        holds("CL1054 is 100% cotton", lambda s: s.products["CL1054"].attributes["fabric"] == "100% cotton"),
    ],
    "c2-jeans-compare-slim#0": [
        fig(lambda s: money(s.products["CL1051"].price)),
        fig(lambda s: money(s.products["CL1050"].price)),
    ],
    "c2-jeans-compare-slim#1": [
        name(best_of(pair("CL1051", "CL1050"), price)),
        holds("CL1051 has a zip fly", lambda s: s.products["CL1051"].attributes["closure"] == "zip fly"),
    ],
    "c2-jeans-compare-slim#2": [desc("CL1050", "shrinks about 5% in length on the first soak")],
    "c2-sweater-not-itchy#0": [matches(soft_wool_women), name("CL1018")],
    "c2-sweater-not-itchy#1": [
        holds(
            "CL1018 colours",
            lambda s: (
                s.products["CL1018"].attributes["colors"]
                == ["camel", "black", "navy", "heather grey", "cherry"]
            ),
        ),
        holds("CL1018 is machine washable", lambda s: s.products["CL1018"].attributes["machine_washable"]),
        desc("CL1018", "Machine washable on a wool cycle"),
    ],
    "c2-sweater-not-itchy#2": [not_stated("CL1018", "pill", "bobbl", "fuzz")],
    "c2-sweater-warmest-men#0": [
        name(best_of(where(men_knit), by("weight_oz"), "max")),
        fig(
            lambda s: (
                f"{best(products(s, where=men_knit), by('weight_oz'), 'max').attributes['weight_oz']} oz"
            )
        ),
    ],
    "c2-sweater-warmest-men#1": [desc("CL1045", "Feels scratchy against bare skin: wear it over a shirt")],
    "c2-sweater-warmest-men#2": [desc("CL1045", "so it sheds light rain")],
    "c2-rain-shell-pit-zips#0": [
        name(best_of(where(men_waterproof_jacket), by("weight_oz"))),
        fig(
            lambda s: (
                f"{best(products(s, where=men_waterproof_jacket), by('weight_oz')).attributes['weight_oz']} oz"
            )
        ),
    ],
    "c2-rain-shell-pit-zips#1": [desc("CL1057", "pit zips")],
    "c2-rain-shell-pit-zips#2": [
        holds(
            "the women's and men's rain shells cost the same",
            lambda s: s.products["CL1033"].price == s.products["CL1057"].price,
        ),
        fig(lambda s: money(s.products["CL1033"].price)),
    ],
    "c2-rain-shell-pit-zips#3": [not_stated("CL1033", "pit zip", "pit-zip", "underarm", "vent")],
    "c2-scarf-longest#0": [
        name(best_of(in_leaf("Scarves"), by("length_in"), "max")),
        fig(
            lambda s: (
                f"{num(best(products(s, 'Scarves'), by('length_in'), 'max').attributes['length_in'])} in"
            )
        ),
    ],
    "c2-scarf-longest#1": [desc("CL1066", "Hand-woven in Nepal")],
    "c2-scarf-longest#2": [
        holds("two scarves are 72 in long", lambda s: len(products(s, where=scarf_72)) == 2),
        name(best_of(where(scarf_72), price)),
        fig(lambda s: money(best(products(s, where=scarf_72), price).price)),
    ],
    "c2-velvet-final-sale#0": [
        matches(lambda p: leaf(p) == "Dresses" and "velvet" in attr(p, "fabric"), key="products_all"),
        holds("CL1008 comes in a size 8", lambda s: velvet_8(s.products["CL1008"])),
        name("CL1008"),
    ],
    "c2-velvet-final-sale#1": [desc("CL1008", "Final sale: this dress cannot be returned or exchanged")],
    "c2-velvet-final-sale#2": [
        holds("CL1008 is lined", lambda s: s.products["CL1008"].attributes["lined"] is True),
        desc("CL1008", "Lined in soft jersey"),
    ],
    "c2-silk-shell-fit#0": [desc("CL1012", "Runs small: size up if you are between sizes")],
    "c2-silk-shell-fit#1": [
        desc("CL1012", "Dry clean only"),
        holds(
            "CL1012 is not machine washable",
            lambda s: s.products["CL1012"].attributes["machine_washable"] is False,
        ),
    ],
    "c2-silk-shell-fit#2": [
        holds("CL1012 comes in ivory", lambda s: "ivory" in s.products["CL1012"].attributes["colors"]),
        not_stated(
            "CL1012", "see-through", "see through", "sheer", "opaque", "transparent", "lined", "lining"
        ),
    ],
    "c2-trousers-not-wool#0": [matches(washable_trouser_34)],
    "c2-trousers-not-wool#1": [
        name(best_of(where(washable_trouser_34), price)),
        fig(lambda s: money(best(products(s, where=washable_trouser_34), price).price)),
    ],
    "c2-trousers-not-wool#2": [
        policy_has("exchanges", "We hem jeans and trousers bought from us for $12 per pair before they ship")
    ],
    "c2-oxford-cheapest#0": [
        extremes_where(oxford_shirt, price, "min"),
        fig(lambda s: money(min(p.price for p in products(s, where=oxford_shirt)))),
    ],
    "c2-oxford-cheapest#1": [
        name("CL1037"),
        desc("CL1037", "Has a chest pocket"),
        desc("CL1036", "No chest pocket"),
    ],
    "c2-oxford-cheapest#2": [desc("CL1036", "Runs small in the neck: size up")],
    "c2-sneaker-court-size#0": [
        desc("CL1076", "sizes are US men's, so women order 1.5 sizes down"),
        policy_has("exchanges", "a women's 8.5 is a men's 7"),
        holds("CL1076 comes in a 7", lambda s: "7" in s.products["CL1076"].attributes["sizes"]),
    ],
    "c2-sneaker-court-size#1": [desc("CL1076", "Has a removable cushioned insole")],
    "c2-sneaker-court-size#2": [
        policy_has("returns", "only been tried on indoors"),
        holds("CL1076 is a shoe", lambda s: s.products["CL1076"].category_path[1] == "Shoes"),
    ],
    "c2-sneaker-origin#0": [
        stated_origin("CL1077", "Portugal"),
        desc("CL1077", "made in Portugal"),
        desc("CL1077", "Runs half a size large"),
    ],
    "c2-sneaker-origin#1": [
        not_stated(
            "CL1078",
            "made in",
            "origin",
            "portugal",
            "italy",
            "spain",
            "china",
            "vietnam",
            "usa",
            "made by hand",
        )
    ],
    "c2-sneaker-origin#2": [desc("CL1078", "for walking, not running")],
    "c2-coat-wool#0": [matches(wool_coat_400, key="products_all"), name("CL1031")],
    "c2-coat-wool#1": [
        desc("CL1031", "Has in-seam pockets"),
        holds("CL1031 is unlined", lambda s: s.products["CL1031"].attributes["lined"] is False),
    ],
    "c2-midi-longest#0": [
        extremes_where(midi_dress, "length_in", "max"),
        fig(lambda s: f"{num(max(attr(p, 'length_in') for p in products(s, where=midi_dress)))} in"),
    ],
    "c2-midi-longest#1": [
        holds(
            "of the two, only CL1002 is in stock",
            lambda s: s.products["CL1002"].stock > 0 and s.products["CL1004"].stock == 0,
        ),
        name("CL1002"),
    ],
    "c2-midi-longest#2": [
        desc("CL1002", "the natural shade is slightly sheer in bright light"),
        holds("CL1002 comes in natural", lambda s: "natural" in s.products["CL1002"].attributes["colors"]),
    ],
    "c2-cardigan-not-cropped#0": [matches(pocket_cardigan_not_cropped)],
    "c2-cardigan-not-cropped#1": [
        holds(
            "of the two, only CL1019 is in stock",
            lambda s: s.products["CL1019"].stock > 0 and s.products["CL1024"].stock == 0,
        ),
        name("CL1019"),
        holds(
            "CL1019 is 70% wool, 30% alpaca",
            lambda s: s.products["CL1019"].attributes["fabric"] == "70% wool, 30% alpaca",
        ),
    ],
    "c2-cardigan-not-cropped#2": [
        holds("CL1019 sizes", lambda s: s.products["CL1019"].attributes["sizes"] == ["XS/S", "M/L", "XL"])
    ],
    "c2-order-cancel-jeans#0": [
        order_check("CO5003", "CC302", "processing", leaf_name="Jeans"),
        fig("CO5003"),
        policy_has("returns", 'You can cancel an order while its status is "processing"'),
    ],
    "c2-order-cancel-jeans#1": [
        order_check("CO5003", "CC302", "processing"),
        policy_has("payments", "charged when the order ships"),
        policy_has("payments", "A cancelled order's authorisation is released within 3 business days"),
    ],
    "c2-order-puffer-exchange#0": [
        order_check(
            "CO5002",
            "CC301",
            "shipped",
            eta="2026-11-27",
            tracking="1ZADK79A87UZCAD4H6",
            leaf_name="Coats & Jackets",
        ),
        fig("CO5002"),
        fig("2026-11-27"),
    ],
    "c2-order-puffer-exchange#1": [
        order_delivered("CO5001", "CC301", "Knitwear", delivered_in="2026-10"),
        within_window("CO5001", 60),
        fig((dt.date(2026, 10, 29) + dt.timedelta(days=60)).isoformat()),
        holds(
            "the sweater was bought at full price and comes in S",
            lambda s: (
                s.products["CL1018"].price == 98.0
                and any(i.product_id == "CL1018" and i.unit_price == 98.0 for i in s.orders["CO5001"].items)
                and "S" in s.products["CL1018"].attributes["sizes"]
            ),
        ),
        policy_has(
            "exchanges",
            "Exchange any full-price item for another size or colour of the same product within 60 days of delivery",
        ),
    ],
    "c2-order-puffer-exchange#2": [
        holds("CO5001 shipped within the US", lambda s: s.orders["CO5001"].shipping_method == "standard"),
        policy_has("exchanges", "Exchanges are free both ways within the US"),
    ],
    "c2-order-canada#0": [
        order_check(
            "CO5006", "CC303", "shipped", eta="2026-11-28", tracking="5132567328", leaf_name="Knitwear"
        ),
        fig("CO5006"),
        fig("2026-11-28"),
    ],
    "c2-order-canada#1": [
        customer_is("CC303", "country", "CA"),
        policy_has(
            "shipping",
            "For Canada, the UK and the EU, duties and taxes are calculated and charged at checkout",
        ),
    ],
    "c2-order-shipped-cancel#0": [
        order_check("CO5007", "CC304", "shipped", leaf_name="Knitwear"),
        fig("CO5007"),
        policy_has("returns", "Once it has shipped it cannot be cancelled"),
    ],
    "c2-order-shipped-cancel#1": [
        customer_is("CC304", "tier", "standard"),
        policy_has("returns", "A return label costs $5.95"),
    ],
    "c2-order-shipped-cancel#2": [
        order_delivered("CO5008", "CC304", "Jeans", delivered_in="2026-10"),
        within_window("CO5008", 60),
        policy_has("returns", "as long as they are unworn, unwashed and have the original tags attached"),
    ],
    "c2-hello-swimwear#1": [not_carried("swim", "bikini")],
    "c2-hello-swimwear#2": [brands_of("Jeans")],
    "c2-dress-cheap-xs#0": [
        name(best_of(where(dress_xs), price)),
        fig(lambda s: money(best(products(s, where=dress_xs), price).price)),
        holds(
            "it is the only XS dress within $60",
            lambda s: [p.id for p in products(s, where=dress_xs) if p.price <= 60] == ["CL1007"],
        ),
    ],
    "c2-dress-cheap-xs#1": [desc("CL1007", "Runs large: size down")],
    "c2-dress-cheap-xs#2": [
        not_stated("CL1007", "see-through", "see through", "sheer", "opaque", "transparent", "lined")
    ],
    "c2-mohair-not-stated#0": [not_stated("CL1022", "itch", "scratch", "prickl")],
    "c2-mohair-not-stated#1": [desc("CL1022", "It sheds a little at first")],
    "c2-mohair-not-stated#2": [desc("CL1022", "Hand wash only")],
    "c2-belt-size#0": [
        name("CL1070"),
        desc("CL1070", "Order one size above your jeans waist size"),
        holds(
            "36 is the size after 34",
            lambda s: (lambda z: z[z.index("34") + 1] == "36")(s.products["CL1070"].attributes["sizes"]),
        ),
    ],
    "c2-belt-size#1": [stated_origin("CL1070", "USA")],
    # ---------------- electronics shop
    "e2-earbuds-longest-battery#0": [
        extremes("Earbuds", "battery_hours", "max"),
        fig(lambda s: f"{num(max(attr(p, 'battery_hours') for p in products(s, 'Earbuds')))} h"),
    ],
    "e2-earbuds-longest-battery#1": [
        name(best_of(pair("EL1009", "EL1010"), price)),
        fig(lambda s: money(s.products["EL1010"].price)),
    ],
    "e2-earbuds-longest-battery#2": [
        desc("EL1010", "The only ear tips in the box are the medium ones already fitted")
    ],
    "e2-headphones-anc-under-200#0": [matches(anc_headphones_200)],
    "e2-headphones-anc-under-200#1": [
        name(best_of(where(anc_headphones_200), by("weight_g"))),
        fig(
            lambda s: (
                f"{num(best(products(s, where=anc_headphones_200), by('weight_g')).attributes['weight_g'])} g"
            )
        ),
    ],
    "e2-headphones-anc-under-200#2": [desc("EL1002", "The carrying case is sold separately")],
    "e2-headphones-compare-hush#0": [
        fig(lambda s: money(s.products["EL1001"].price)),
        fig(lambda s: money(s.products["EL1007"].price)),
        holds(
            "both last 30 h",
            lambda s: (
                s.products["EL1001"].attributes["battery_hours"]
                == s.products["EL1007"].attributes["battery_hours"]
                == 30
            ),
        ),
        fig("30 h"),
    ],
    "e2-headphones-compare-hush#1": [
        name(best_of(pair("EL1001", "EL1007"), by("charge_time_min"))),
        fig(lambda s: f"{num(s.products['EL1007'].attributes['charge_time_min'])} min"),
    ],
    "e2-headphones-compare-hush#2": [desc("EL1007", "Includes a hard carrying case")],
    "e2-speaker-pool-loudest#0": [matches(pool_speaker)],
    "e2-speaker-pool-loudest#1": [
        name(best_of(where(pool_speaker), by("output_w"), "max")),
        fig(
            lambda s: (
                f"{num(best(products(s, where=pool_speaker), by('output_w'), 'max').attributes['output_w'])} W"
            )
        ),
    ],
    "e2-speaker-pool-loudest#2": [desc("EL1015", "Pair two Boom Go speakers for left and right stereo")],
    "e2-speaker-boom-mini#0": [desc("EL1014", "turns itself off after 20 minutes without audio")],
    "e2-speaker-boom-mini#1": [
        fig(lambda s: f"{num(s.products['EL1014'].attributes['battery_hours'])} h"),
        fig(lambda s: f"{num(s.products['EL1014'].attributes['weight_oz'])} oz"),
    ],
    "e2-speaker-boom-mini#2": [
        not_stated("EL1014", "call", "microphone", "mic ", "speakerphone", "hands-free")
    ],
    "e2-lightning-iphone15#0": [
        desc("EL1032", "Not compatible with the iPhone 15 or later"),
        desc("EL1032", "without an adapter"),
    ],
    "e2-lightning-iphone15#1": [matches(usb_c_cable_6ft)],
    "e2-lightning-iphone15#2": [
        name(best_of(where(usb_c_cable_6ft), price)),
        fig(lambda s: money(best(products(s, where=usb_c_cable_6ft), price).price)),
    ],
    "e2-charger-65w-box#0": [desc("EL1020", "No cable in the box")],
    "e2-charger-65w-box#1": [
        holds(
            "EL1020 has two USB-C ports and one USB-A",
            lambda s: s.products["EL1020"].attributes["ports"] == ["USB-C", "USB-C", "USB-A"],
        ),
        desc("EL1020", "can charge a 13-inch laptop at full speed"),
    ],
    "e2-charger-65w-box#2": [not_stated("EL1020", "hot", "heat", "warm", "temperature", "cool")],
    "e2-powerbank-flight#0": [desc("EL1029", "allowed in carry-on bags on flights")],
    "e2-powerbank-flight#1": [
        fig(lambda s: f"{num(s.products['EL1029'].attributes['charge_time_min'])} min")
    ],
    "e2-powerbank-flight#2": [
        policy_has("shipping", "Power banks and spare batteries ship by ground within the contiguous US only")
    ],
    "e2-powerbank-cheapest-10k#0": [
        extremes_where(power_bank_10k, price, "min"),
        fig(lambda s: money(min(p.price for p in products(s, where=power_bank_10k)))),
    ],
    "e2-powerbank-cheapest-10k#1": [
        name("EL1028"),
        desc("EL1028", "a USB-C cable built into its side"),
        holds("EL1026 has no built-in cable", lambda s: "built" not in s.products["EL1026"].description),
    ],
    "e2-powerbank-cheapest-10k#2": [fig(lambda s: f"{num(s.products['EL1028'].attributes['weight_g'])} g")],
    "e2-case-magsafe-16pro#0": [matches(magsafe_16_pro)],
    "e2-case-magsafe-16pro#1": [
        name(best_of(where(magsafe_16_pro), by("drop_ft"), "max")),
        fig(
            lambda s: (
                f"{num(best(products(s, where=magsafe_16_pro), by('drop_ft'), 'max').attributes['drop_ft'])} ft"
            )
        ),
    ],
    "e2-case-magsafe-16pro#2": [desc("EL1038", "Includes a screen protector")],
    "e2-keyboard-wired-quiet#0": [matches(quiet_wired_mechanical)],
    "e2-keyboard-wired-quiet#1": [desc("EL1044", "Hot-swappable switches")],
    "e2-keyboard-wired-quiet#2": [
        holds(
            "EL1044 works with macOS", lambda s: "macOS" in s.products["EL1044"].attributes["compatible_with"]
        )
    ],
    "e2-mouse-lefty#0": [matches(left_hand_wireless)],
    "e2-mouse-lefty#2": [not_stated("EL1051", "silent", "quiet", "hush", "noise", "click")],
    "e2-mouse-lefty#1": [
        name(best_of(where(left_hand_wireless), price)),
        holds("EL1051 is 1600 dpi", lambda s: s.products["EL1051"].attributes["dpi"] == 1600),
        holds("EL1051 takes one AA", lambda s: s.products["EL1051"].attributes["battery"] == "1 AA"),
    ],
    "e2-monitor-27-cheapest#0": [
        extremes_where(monitor_27, price, "min"),
        fig(lambda s: money(min(p.price for p in products(s, where=monitor_27)))),
    ],
    "e2-monitor-27-cheapest#1": [
        name(best_of(pair("EL1055", "EL1056"), by("refresh_hz"), "max")),
        fig(lambda s: f"{num(s.products['EL1056'].attributes['refresh_hz'])} Hz"),
    ],
    "e2-monitor-27-cheapest#2": [not_stated("EL1056", "speaker", "audio", "sound")],
    "e2-monitor-compare-32#0": [
        fig(lambda s: money(s.products["EL1058"].price)),
        fig(lambda s: money(s.products["EL1059"].price)),
        fig(lambda s: f"{num(s.products['EL1058'].attributes['refresh_hz'])} Hz"),
        fig(lambda s: f"{num(s.products['EL1059'].attributes['refresh_hz'])} Hz"),
    ],
    "e2-monitor-compare-32#1": [
        name("EL1059"),
        holds(
            "only EL1059 of the two has USB-C",
            lambda s: (
                "USB-C" in s.products["EL1059"].attributes["ports"]
                and "USB-C" not in s.products["EL1058"].attributes["ports"]
            ),
        ),
    ],
    "e2-monitor-compare-32#2": [desc("EL1058", "The stand tilts only")],
    "e2-webcam-shutter#0": [matches(shutter_webcam)],
    "e2-webcam-shutter#1": [
        name(best_of(where(shutter_webcam), price)),
        fig(lambda s: f"{num(s.products['EL1061'].attributes['field_of_view_deg'])}°"),
    ],
    "e2-webcam-shutter#2": [not_stated("EL1061", "tv", "television")],
    "e2-watch-android-gps#0": [matches(android_gps_watch)],
    "e2-watch-android-gps#1": [
        fig(lambda s: f"{num(s.products['EL1065'].attributes['battery_days'])} days"),
    ],
    "e2-watch-android-gps#2": [
        desc("EL1065", "On an iPhone you can read notifications but not reply to them")
    ],
    "e2-router-mesh#0": [matches(mesh6_4000)],
    "e2-router-mesh#1": [
        fig(lambda s: money(s.products["EL1071"].price)),
        fig(lambda s: money(s.products["EL1070"].price)),
        fig(lambda s: money(s.products["EL1070"].price - s.products["EL1071"].price)),
    ],
    "e2-router-mesh#2": [
        desc("EL1070", "There is no modem built in"),
        desc("EL1071", "There is no modem built in"),
    ],
    "e2-microsd-switch#0": [
        matches(microsd_256),
        name("EL1075"),
        desc("EL1075", "Nintendo Switch"),
        fig(lambda s: money(s.products["EL1075"].price)),
    ],
    "e2-microsd-switch#1": [desc("EL1075", "SD adapter included")],
    "e2-ssd-fastest#0": [
        name(best_of(in_leaf("Portable SSDs"), by("read_mb_s"), "max")),
        fig(
            lambda s: (
                f"{best(products(s, 'Portable SSDs'), by('read_mb_s'), 'max').attributes['read_mb_s']} MB/s"
            )
        ),
    ],
    "e2-ssd-fastest#1": [desc("EL1081", "a USB-A adapter is sold separately")],
    "e2-ssd-fastest#2": [fig(lambda s: years(s.products["EL1081"].attributes["warranty_years"]))],
    "e2-hello-not-carried#1": [not_carried("tablet", "ipad")],
    "e2-hello-not-carried#2": [brands_of("Headphones")],
    "e2-order-cancel-keyboard#0": [
        order_check("EO6003", "EC402", "processing", leaf_name="Keyboards"),
        fig("EO6003"),
        policy_has("returns", 'You can cancel an order while its status is "processing"'),
    ],
    "e2-order-cancel-keyboard#1": [
        order_check("EO6003", "EC402", "processing"),
        policy_has("payments", "charged when the order ships"),
        policy_has("payments", "A cancelled order's authorisation is released within 3 to 5 business days"),
    ],
    "e2-order-monitor-track#0": [
        order_check(
            "EO6002",
            "EC401",
            "shipped",
            eta="2026-11-27",
            tracking="1ZLFFXNTUAG0FD196H",
            leaf_name="Monitors",
        ),
        fig("EO6002"),
        fig("2026-11-27"),
    ],
    "e2-order-monitor-track#1": [
        holds(
            "EO6002 holds a monitor",
            lambda s: leaf(s.products[s.orders["EO6002"].items[0].product_id]) == "Monitors",
        ),
        policy_has("shipping", "tell us within 7 days of delivery"),
    ],
    "e2-order-monitor-track#2": [
        order_delivered("EO6001", "EC401", "Earbuds", delivered_in="2026-11"),
        within_window("EO6001", 365),
        holds(
            "the earbuds carry a 1-year warranty, past the 15-day dead-on-arrival window",
            lambda s: (
                s.products["EL1008"].attributes["warranty_years"] == 1
                and _delivered_at(s.orders["EO6001"]) + dt.timedelta(days=15) < TODAY
            ),
        ),
        fig(years(1)),
        policy_has("warranty", "including batteries that hold less than 80% of their rated capacity"),
    ],
    "e2-order-uk-warranty#0": [
        order_delivered("EO6005", "EC403", "Headphones", delivered_in="2026-10"),
        holds(
            "EL1001 has a 2-year warranty", lambda s: s.products["EL1001"].attributes["warranty_years"] == 2
        ),
        within_window("EO6005", 2 * 365),
        fig(years(2)),
    ],
    "e2-order-late-return#0": [
        order_delivered("EO6008", "EC404", "Power Banks", delivered_in="2026-10", window_days_passed=30),
        policy_has("returns", "You can return most items within 30 days of delivery"),
        policy_has("returns", "items delivered between 1 November and 24 December 2026"),
    ],
    "e2-order-late-return#1": [
        order_check("EO6007", "EC404", "shipped", leaf_name="Bluetooth Speakers"),
        fig("EO6007"),
        policy_has("returns", "Once it has shipped it cannot be cancelled"),
    ],
    "e2-order-late-return#2": [
        order_check("EO6007", "EC404", "shipped", eta="2026-11-26"),
        fig("2026-11-26"),
    ],
}


# ---------------------------------------------------------------- freshness: not v1's questions, not pasted


def norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def v1_says(suite: Path = V1_SUITE) -> list[str]:
    out = []
    for file in sorted(suite.glob("*.yaml")):
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        out += [t["say"] for c in data.get("cases", []) for t in c["turns"]]
    return out


def dataset_texts(root: Path = DATASETS) -> list[str] | None:
    """The shopper texts the phrasing was paraphrased from; None where the data sets are absent."""
    if not root.is_dir():
        return None
    texts: list[str] = []
    qa = root / "amazon_qa_appliances" / "qa_pairs.jsonl"
    if qa.is_file():
        texts += [
            json.loads(line)["question"]
            for line in qa.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
    bitext = root / "bitext_intents" / "train.csv"
    if bitext.is_file():
        with bitext.open(encoding="utf-8", newline="") as f:
            texts += [r["utterance"] for r in csv.DictReader(f)]
    tau = root / "tau2_retail" / "tasks_train.json"
    if tau.is_file():
        for t in json.loads(tau.read_text(encoding="utf-8")):
            texts.append(
                ((t.get("user_scenario") or {}).get("instructions") or {}).get("reason_for_call") or ""
            )
    reviews = root / "womens_clothing_reviews" / "reviews.csv"
    if reviews.is_file():
        with reviews.open(encoding="utf-8", newline="") as f:
            texts += [r["review_text"] for r in csv.DictReader(f) if r.get("review_text")]
    return [t for t in texts if t]


def check_fresh(says: list[tuple[str, str]], problems: list[str]) -> str:
    """No say repeats a v1 say or another v2 say, or is pasted from the source data sets."""
    old = [(s, norm(s)) for s in v1_says()]
    seen: dict[str, str] = {}
    for where_, say in says:
        n = norm(say)
        if n in seen:
            problems.append(f"{where_}: repeats the say of {seen[n]}")
        seen.setdefault(n, where_)
        for o, on in old:
            if difflib.SequenceMatcher(None, n, on).ratio() >= NEAR_V1:
                problems.append(f"{where_}: {say!r} is too close to v1's {o!r}")
    texts = dataset_texts()
    if texts is None:
        return f"data sets not found at {DATASETS}: paste check skipped"
    corpus = "".join(f"| {norm(t)} |" for t in texts)
    by_size: dict[int, list[set[str]]] = {}  # token sets of the short texts, by their size
    for t in texts:
        if len(t) < 300:
            ts = set(norm(t).split())
            by_size.setdefault(len(ts), []).append(ts)
    for where_, say in says:
        n = norm(say)
        words = set(n.split())
        if f"| {n} |" in corpus or (len(words) >= 6 and f" {n} " in corpus):
            problems.append(f"{where_}: {say!r} is pasted from the data sets")
            continue
        if len(words) < 5:
            continue
        # Jaccard >= J needs J*|a| <= |b| <= |a|/J, so only those sizes are compared
        sizes = range(int(len(words) * NEAR_DATASET), int(len(words) / NEAR_DATASET) + 1)
        if any(
            len(words & ts) / len(words | ts) >= NEAR_DATASET
            for size in sizes
            for ts in by_size.get(size, [])
        ):
            problems.append(f"{where_}: {say!r} is nearly word for word a data-set question")
    return f"paste check against {len(texts)} data-set texts"


# ---------------------------------------------------------------- the driver


def check_shape(name_: str, data: dict, problems: list[str]) -> None:
    for case in data.get("cases", []):
        n = len(case.get("turns", []))
        if not MIN_TURNS <= n <= MAX_TURNS:
            problems.append(
                f"{name_} {case.get('id')}: {n} turns, the suite's cases have {MIN_TURNS} to {MAX_TURNS}"
            )


def run_checks(c: Ctx, checks: list[Check]) -> None:
    for check in checks:
        try:
            check(c)
        except (AssertionError, KeyError, TypeError, ValueError) as exc:
            c.fail(f"check raised: {exc!r}")


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--suite", type=Path, default=SUITE, help="the suite folder (default: %(default)s)")
    args.add_argument(
        "--shops",
        default=",".join(SHOPS),
        help="comma-separated file prefixes to check (default: %(default)s)",
    )
    opts = args.parse_args(argv)
    wanted = [s for s in opts.shops.split(",") if s]
    unknown = [s for s in wanted if s not in SHOPS]
    if unknown:
        print(f"unknown shop prefix(es) {unknown}; known: {sorted(SHOPS)}")
        return 2
    problems: list[str] = []
    covered: set[str] = set()
    seen_ids: set[str] = set()
    totals: dict[str, tuple[int, int, int]] = {}
    says: list[tuple[str, str]] = []
    for prefix in wanted:
        shop_dir, case_prefix = SHOPS[prefix]
        shop = load_shop(REPO / shop_dir)
        if shop.errors:
            problems.append(f"{shop_dir}: loads with errors {shop.errors[:3]}")
        by_part: dict[str, set[str]] = {}
        for part in ("dev", "test"):
            file = opts.suite / f"{prefix}_{part}.yaml"
            if not file.is_file():
                problems.append(f"{file.name}: missing")
                by_part[part] = set()
                continue
            data = yaml.safe_load(file.read_text(encoding="utf-8"))
            v1.check_format(file.name, data, shop, problems)
            if not isinstance(data, dict) or "cases" not in data:
                by_part[part] = set()
                continue
            check_shape(file.name, data, problems)
            if data.get("shop") != shop_dir:
                problems.append(f"{file.name}: shop must be {shop_dir}")
            ids = [c["id"] for c in data["cases"]]
            by_part[part] = set(ids)
            answered = sum(1 for c in data["cases"] for t in c["turns"] if "answer" in t)
            totals[file.name] = (len(ids), sum(len(c["turns"]) for c in data["cases"]), answered)
            for case in data["cases"]:
                if not case["id"].startswith(case_prefix):
                    problems.append(f"{file.name}: case id {case['id']} does not start with {case_prefix}")
                if case["id"] in seen_ids:
                    problems.append(f"{file.name}: duplicate case id {case['id']}")
                seen_ids.add(case["id"])
                for i, turn in enumerate(case["turns"]):
                    key = f"{case['id']}#{i}"
                    where_ = f"{file.name} {key}"
                    says.append((where_, turn.get("say", "")))
                    v1.check_references(where_, case, turn, shop, problems)
                    v1.check_constraints(where_, turn, shop, problems)
                    by_policy = v1.check_policy_answer(where_, turn, shop, problems)
                    checks = FACTS.get(key)
                    if checks is not None:
                        covered.add(key)
                        run_checks(Ctx(shop, case, i, turn, where_, problems), checks)
                    elif "answer" in turn and not by_policy:
                        problems.append(f"{where_}: has an answer but no FACTS entry checks it")
                    has_not_stated = any(
                        isinstance(g, list) and NOT_STATED in [a.lower() for a in g]
                        for g in turn.get("answer", [])
                    )
                    if has_not_stated and not any(
                        getattr(c, "__qualname__", "").startswith("not_stated") for c in (checks or [])
                    ):
                        problems.append(f"{where_}: a 'not stated' answer needs a not_stated() check")
        dev, test = v1.split_ids(list(by_part["dev"] | by_part["test"]), seed=SPLIT_SEED)
        if by_part["dev"] != dev or by_part["test"] != test:
            problems.append(
                f"{prefix}: dev/test files are not the seeded split (seed {SPLIT_SEED}); "
                f"dev should be {sorted(dev)}"
            )
        if by_part["dev"] & by_part["test"]:
            problems.append(
                f"{prefix}: cases in both dev and test: {sorted(by_part['dev'] & by_part['test'])}"
            )
    checked_prefixes = tuple(SHOPS[p].case_prefix for p in wanted)
    for key in sorted(set(FACTS) - covered):
        if key.startswith(checked_prefixes):
            problems.append(f"FACTS entry {key} matches no turn of the suite")
    note = check_fresh(says, problems)
    for file, (cases, turns, answered) in totals.items():
        print(f"{file:22s} {cases:3d} cases {turns:4d} turns {answered:4d} with an answer")
    print(
        f"{'total':22s} {sum(c for c, _, _ in totals.values()):3d} cases"
        f" {sum(t for _, t, _ in totals.values()):4d} turns {sum(a for _, _, a in totals.values()):4d} with an answer"
    )
    print(note)
    for line in problems:
        print("PROBLEM", line)
    print("ok" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
