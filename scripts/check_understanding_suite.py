"""Check the understanding suite (data/evals/understanding_v1/) against the data of its shops.

    .venv/bin/python scripts/check_understanding_suite.py

Every expectation in the suite must be TRUE of the shop it names, so a failed turn is the
assistant's fault, never the suite's. This script recomputes the facts from the shop files:

1. format: top-level keys, known turn keys, string-or-list values, unique case ids, signed-in
   customers that exist;
2. references: every product id, cited order and cited policy section exists;
3. constraints: the products a turn expects satisfy the turn's constraints, and the constraints
   are not vacuous (some product of the shop meets them);
4. facts: the side table ``FACTS`` below recomputes, per turn, the superlatives ("the lightest
   tent"), the sets a search must return, the figures in the answer (formatted the way the
   suite writes them), the facts stated only in a description, and for "not stated" answers
   that the record really says nothing about it. Every turn with an ``answer`` must be covered
   by ``FACTS`` or, on a policy turn, by check 5;
5. policy answers: on a ``route: policy`` turn each answer item has an alternative that appears
   word for word in the shop's policy text;
6. the dev/test split is the seeded split of whole cases that the suite's README records.

Exits 1 with one line per problem.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from retrieval import AttributeFilter, Constraints, Product, Shop, load_shop  # noqa: E402

SUITE = REPO / "data" / "evals" / "understanding_v1"
SPLIT_SEED = 20261125  # README: shuffle the sorted case ids of a shop with this seed, first half is dev
SHOPS = {"demo": "data/demo_shop", "appliance": "data/appliance_shop"}
TURN_KEYS = {
    "say",
    "route",
    "products_any",
    "products_all",
    "products_none",
    "constraints",
    "includes",
    "excludes",
    "answer",
    "citations_any",
    "escalated",
    "handoff_reason",
    "cheaper_than_previous",
}
NOT_STATED = "not stated"  # the marker alternative of a "the record does not say" answer


# ---------------------------------------------------------------- formatting, as the suite writes figures


def money(x: float) -> str:
    return f"${x:,.2f}"


def grams(g: float) -> str:
    """Weights of 1000 g and more as kg with up to 2 decimals ("1.02 kg"), lighter ones in g."""
    if g >= 1000:
        return f"{math.floor(g / 10 + 0.5) / 100:g} kg"
    return f"{g:g} g"


def num(x: float) -> str:
    return f"{x:g}"


# ---------------------------------------------------------------- the checks a FACTS entry can make


class Ctx:
    """One turn under check: its shop, case, expectations, and where to report problems."""

    def __init__(self, shop: Shop, case: dict, index: int, turn: dict, where: str, problems: list[str]):
        self.shop, self.case, self.index, self.turn = shop, case, index, turn
        self.where, self.problems = where, problems

    def fail(self, msg: str) -> None:
        self.problems.append(f"{self.where}: {msg}")

    def p(self, pid: str) -> Product:
        return self.shop.products[pid]

    def alternatives(self, key: str = "answer") -> list[list[str]]:
        return [[i] if isinstance(i, str) else list(i) for i in self.turn.get(key, [])]


Check = Callable[[Ctx], None]


def products(
    shop: Shop, leaf: str | None = None, where: Callable[[Product], bool] | None = None
) -> list[Product]:
    out = [p for p in shop.products.values() if leaf is None or p.category_path[-1] == leaf]
    return [p for p in out if where is None or where(p)]


def attr(p: Product, name: str) -> Any:
    return p.attributes.get(name)


def best(pool: Iterable[Product], key: Callable[[Product], float], mode: str = "min") -> Product:
    """The unique best product; a tie would make "which is the lightest?" ambiguous."""
    pool = list(pool)
    values = [key(p) for p in pool]
    target = min(values) if mode == "min" else max(values)
    winners = [p for p, v in zip(pool, values, strict=True) if v == target]
    if len(winners) != 1:
        raise AssertionError(f"tie for the {mode}: {[p.id for p in winners]}")
    return winners[0]


def name(pid_or_fn: str | Callable[[Shop], Product]) -> Check:
    """An answer alternative names the product: a substring of its title and of no other title."""

    def check(c: Ctx) -> None:
        pid = pid_or_fn if isinstance(pid_or_fn, str) else pid_or_fn(c.shop).id
        title = c.p(pid).title.lower()
        others = [p.title.lower() for p in c.shop.products.values() if p.id != pid]
        ok = [
            a
            for group in c.alternatives()
            for a in group
            if a.lower() in title and not any(a.lower() in o for o in others)
        ]
        if not ok:
            c.fail(f"no answer alternative names {pid} ({c.p(pid).title!r}) unambiguously")
        shown = set(c.turn.get("products_all", [])) | set(c.turn.get("products_any", []))
        if shown and pid not in shown:
            c.fail(f"{pid} is the answer but not among products_all/products_any")

    return check


def fig(value: str | Callable[[Shop], str], key: str = "answer") -> Check:
    """The figure, formatted the suite's way, is one of the answer alternatives."""

    def check(c: Ctx) -> None:
        want = value if isinstance(value, str) else value(c.shop)
        if not any(want.lower() == a.lower() for group in c.alternatives(key) for a in group):
            c.fail(f"figure {want!r} (from the data) is not among the {key} alternatives")

    return check


def holds(label: str, fn: Callable[[Shop], bool]) -> Check:
    def check(c: Ctx) -> None:
        try:
            ok = fn(c.shop)
        except (AssertionError, KeyError) as exc:
            c.fail(f"{label}: {exc}")
            return
        if not ok:
            c.fail(f"not true of the data: {label}")

    return check


def desc(pid: str, phrase: str) -> Check:
    """A yes/no fact that only the description states."""
    return holds(
        f"{pid} description says {phrase!r}", lambda s: phrase.lower() in s.products[pid].description.lower()
    )


def not_stated(pid: str, *words: str) -> Check:
    """The record says nothing about it, and the turn expects "not stated"."""

    def check(c: Ctx) -> None:
        p = c.p(pid)
        text = " ".join([p.title, p.description, " ".join(p.tags), repr(p.attributes)]).lower()
        for w in words:
            if w.lower() in text:
                c.fail(f"{pid} mentions {w!r}, so the answer is not 'not stated'")
        if not any(NOT_STATED in [a.lower() for a in g] for g in c.alternatives()):
            c.fail("a not-stated fact needs the not-stated alternatives in answer")

    return check


def not_stated_in(leaf_name: str, *phrases: str) -> Check:
    """No product of the category says it (for "which one fits X?" when none does)."""

    def check(c: Ctx) -> None:
        for p in products(c.shop, leaf_name):
            text = " ".join([p.title, p.description, repr(p.attributes)]).lower()
            for phrase in phrases:
                if phrase.lower() in text:
                    c.fail(f"{p.id} says {phrase!r}, so the answer is not 'none'")
        if not any(NOT_STATED in [a.lower() for a in g] for g in c.alternatives()):
            c.fail("a not-stated fact needs the not-stated alternatives in answer")

    return check


def matches(pred: Callable[[Product], bool], key: str = "products_any", exact: bool = True) -> Check:
    """The ids a search turn expects are the products meeting the request (all of them if exact)."""

    def check(c: Ctx) -> None:
        want = {p.id for p in c.shop.products.values() if pred(p)}
        have = set(c.turn.get(key, []))
        if exact and have != want:
            c.fail(f"{key} {sorted(have)} != the products meeting the request {sorted(want)}")
        elif not have <= want:
            c.fail(f"{key} has {sorted(have - want)} that do not meet the request")
        for pid in c.turn.get("products_none", []):
            if pred(c.p(pid)):
                c.fail(f"products_none has {pid}, which meets the request")

    return check


def extremes(leaf_name: str, key: str, mode: str, field: str = "products_any") -> Check:
    """A tie for the best value: the turn expects any of the tied products, and all of them."""

    def check(c: Ctx) -> None:
        pool = products(c.shop, leaf_name)
        values = [attr(p, key) for p in pool]
        target = min(values) if mode == "min" else max(values)
        want = {p.id for p in pool if attr(p, key) == target}
        if set(c.turn.get(field, [])) != want:
            c.fail(
                f"{field} {sorted(c.turn.get(field, []))} != the products with the {mode} {key} {sorted(want)}"
            )

    return check


def policy_has(stem: str, phrase: str) -> Check:
    return holds(
        f"policy {stem} says {phrase!r}",
        lambda s: any(phrase.lower() in sec.text.lower() for sec in s.policies if sec.policy == stem),
    )


# ---------------------------------------------------------------- predicates over the two catalogues


def leaf(p: Product) -> str:
    return p.category_path[-1]


def has(p: Product, name: str, value: Any) -> bool:
    v = attr(p, name)
    return value in v if isinstance(v, list) else v == value


def sensitive_ok(p: Product) -> bool:
    return bool({"sensitive", "all"} & set(attr(p, "skin_type") or []))


# demo shop: the requests of the search turns, as predicates over one product


def tent_2p_light(p: Product) -> bool:
    return leaf(p) == "Tents" and attr(p, "capacity_persons") >= 2 and attr(p, "weight_g") <= 3000


def wp_pack_40(p: Product) -> bool:
    return leaf(p) == "Backpacks" and attr(p, "waterproof") and attr(p, "capacity_l") >= 40


def women_jacket(p: Product) -> bool:
    return (
        leaf(p) == "Rain Jackets"
        and attr(p, "gender") == "women"
        and "XS" in attr(p, "sizes")
        and p.price <= 80
    )


def sensitive_moist(p: Product) -> bool:
    return (
        leaf(p) == "Moisturizers"
        and sensitive_ok(p)
        and attr(p, "fragrance_free")
        and p.price <= 30
        and "spf" not in p.attributes
    )


def women_boot_8(p: Product) -> bool:
    return leaf(p) == "Hiking Boots" and attr(p, "gender") == "women" and "8" in attr(p, "sizes")


def dark_spot_serum(p: Product) -> bool:
    return leaf(p) == "Serums" and attr(p, "fragrance_free") and "dark spots" in attr(p, "concerns")


def matte_foundation(p: Product) -> bool:
    return (
        leaf(p) == "Foundation"
        and attr(p, "vegan")
        and attr(p, "finish") == "matte"
        and "oily" in attr(p, "skin_type")
        and (attr(p, "spf") or 0) > 0
    )


def red_lipstick(p: Product) -> bool:
    return (
        leaf(p) == "Lipstick"
        and attr(p, "vegan")
        and attr(p, "fragrance_free")
        and "red" in attr(p, "colors")
        and attr(p, "finish") != "matte"
    )


def soft_mascara(p: Product) -> bool:
    return leaf(p) == "Mascara" and attr(p, "waterproof") is False


def trail_11_wide(p: Product) -> bool:
    return (
        leaf(p) == "Trail Running Shoes"
        and attr(p, "rock_plate")
        and "wide" in attr(p, "widths")
        and "11" in attr(p, "sizes")
        and attr(p, "gender") in ("men", "unisex")
        and p.stock > 0
    )


# appliance shop


def hp34(p: Product) -> bool:
    return leaf(p) == "Garbage Disposals" and attr(p, "horsepower") == 0.75


def removable_guard(p: Product) -> bool:
    return hp34(p) and "includes a removable splash guard" in p.description.lower()


def dw18_800(p: Product) -> bool:
    return leaf(p) == "Dishwashers" and attr(p, "width_in") == 18 and p.price <= 800


def hood30_ductless(p: Product) -> bool:
    return (
        leaf(p) == "Range Hoods"
        and attr(p, "width_in") == 30
        and attr(p, "mount_type") == "under-cabinet"
        and attr(p, "ductless_convertible")
    )


def charcoal_included(p: Product) -> bool:
    return hood30_ductless(p) and "charcoal filters for ductless use are included" in p.description.lower()


def fridge_lead(p: Product) -> bool:
    return has(p, "filter_type", "refrigerator") and "lead" in attr(p, "reduces")


def pump_400(p: Product) -> bool:
    return leaf(p) == "Dehumidifiers" and attr(p, "built_in_pump") and p.price <= 400


def order_check(
    oid: str,
    customer: str,
    status: str,
    eta: str | None = None,
    tracking: str | None = None,
    leaf_name: str | None = None,
) -> Check:
    def check(c: Ctx) -> None:
        o = c.shop.orders.get(oid)
        if o is None:
            c.fail(f"order {oid} does not exist")
            return
        if c.case.get("user") != customer or o.customer_id != customer:
            c.fail(f"order {oid} is {o.customer_id}'s, the case's user is {c.case.get('user')}")
        if o.status != status:
            c.fail(f"order {oid} is {o.status}, not {status}")
        if eta and o.eta != eta:
            c.fail(f"order {oid} ETA is {o.eta}, not {eta}")
        if tracking and o.tracking_number != tracking:
            c.fail(f"order {oid} tracking is {o.tracking_number}")
        if leaf_name and not any(leaf(c.p(i.product_id)) == leaf_name for i in o.items):
            c.fail(f"order {oid} holds no {leaf_name}")
        mine = [x for x in c.shop.orders.values() if x.customer_id == customer and x.status == status]
        if len(mine) != 1:
            c.fail(f"{customer} has {len(mine)} {status} orders, so 'my order' is ambiguous")

    return check


# ---------------------------------------------------------------- the side table: "case-id#turn" -> checks

FACTS: dict[str, list[Check]] = {
    # ---------------- demo shop
    "d-tent-lightest#0": [
        name(lambda s: best(products(s, "Tents"), lambda p: attr(p, "weight_g"))),
        fig(
            lambda s: grams(best(products(s, "Tents"), lambda p: attr(p, "weight_g")).attributes["weight_g"])
        ),
    ],
    "d-tent-lightest#1": [
        fig(lambda s: money(s.products["P1018"].price)),
        holds("P1018 freestanding", lambda s: s.products["P1018"].attributes["freestanding"] is True),
    ],
    "d-tent-lightest#2": [matches(tent_2p_light)],
    "d-tent-lightest#3": [
        name(lambda s: best(products(s, where=tent_2p_light), lambda p: p.price)),
        fig(lambda s: money(best(products(s, where=tent_2p_light), lambda p: p.price).price)),
    ],
    "d-tent-stock#0": [holds("P1079 out of stock", lambda s: s.products["P1079"].stock == 0)],
    "d-tent-stock#1": [
        matches(lambda p: leaf(p) == "Tents" and attr(p, "capacity_persons") == 1 and p.stock > 0)
    ],
    "d-tent-stock#2": [not_stated("P1290", "made in", "manufactur", "usa", "china", "origin")],
    "d-sleepingbag-warmest#0": [
        name(lambda s: best(products(s, "Sleeping Bags"), lambda p: attr(p, "temperature_rating_c"))),
        fig(
            lambda s: (
                f"{best(products(s, 'Sleeping Bags'), lambda p: attr(p, 'temperature_rating_c')).attributes['temperature_rating_c']} °C"
            )
        ),
    ],
    "d-sleepingbag-warmest#1": [fig(lambda s: grams(s.products["P1296"].attributes["weight_g"]))],
    "d-sleepingbag-warmest#2": [not_stated("P1296", "ethic", "responsibl", "sourced", "rds")],
    "d-sleepingbag-compare#0": [
        name(
            lambda s: best(
                [s.products["P1183"], s.products["P1273"]], lambda p: attr(p, "temperature_rating_c")
            )
        ),
        fig(lambda s: f"{s.products['P1273'].attributes['temperature_rating_c']} °C"),
    ],
    "d-sleepingbag-compare#1": [
        fig(lambda s: money(s.products["P1183"].price)),
        fig(lambda s: money(s.products["P1273"].price)),
    ],
    "d-stove-fastest#0": [matches(lambda p: leaf(p) == "Camping Stoves", exact=False)],
    "d-stove-fastest#1": [
        name(lambda s: best(products(s, "Camping Stoves"), lambda p: attr(p, "boil_time_min"))),
        fig(
            lambda s: (
                f"{num(best(products(s, 'Camping Stoves'), lambda p: attr(p, 'boil_time_min')).attributes['boil_time_min'])} min"
            )
        ),
    ],
    "d-stove-fastest#2": [
        policy_has("shipping", "Camping stoves ship without fuel"),
        holds(
            "P1127 does not claim fuel is included",
            lambda s: "fuel is included" not in s.products["P1127"].description.lower(),
        ),
    ],
    "d-headlamp-two-part#0": [
        fig(lambda s: f"{s.products['P1322'].attributes['lumens']} lumens"),
        fig(lambda s: f"{s.products['P1322'].attributes['burn_time_h']} hours"),
    ],
    "d-headlamp-two-part#1": [fig(lambda s: s.products["P1322"].attributes["ip_rating"])],
    "d-backpack-waterproof#0": [matches(wp_pack_40)],
    "d-backpack-waterproof#1": [
        name(lambda s: best(products(s, where=wp_pack_40), lambda p: attr(p, "weight_g"))),
        fig(
            lambda s: grams(
                best(products(s, where=wp_pack_40), lambda p: attr(p, "weight_g")).attributes["weight_g"]
            )
        ),
    ],
    "d-backpack-waterproof#2": [not_stated("P1258", "hip belt", "hipbelt", "hip-belt")],
    "d-backpack-voyager#0": [
        fig(lambda s: f"{s.products['P1064'].attributes['capacity_l']} L"),
        fig(lambda s: grams(s.products["P1064"].attributes["weight_g"])),
    ],
    "d-backpack-voyager#1": [desc("P1064", "holds a hydration reservoir up to 3 litres")],
    "d-rainjacket-women#0": [
        matches(women_jacket, exact=False),
        holds("P1243 has no XS", lambda s: "XS" not in s.products["P1243"].attributes["sizes"]),
    ],
    "d-rainjacket-women#1": [
        name(
            lambda s: best(products(s, where=women_jacket), lambda p: attr(p, "waterproof_rating_mm"), "max")
        ),
        fig(
            lambda s: (
                f"{best(products(s, where=women_jacket), lambda p: attr(p, 'waterproof_rating_mm'), 'max').attributes['waterproof_rating_mm']} mm"
            )
        ),
    ],
    "d-rainjacket-women#2": [
        holds("P1166 comes in orange", lambda s: "orange" in s.products["P1166"].attributes["colors"])
    ],
    "d-hairdryer-travel#0": [
        matches(lambda p: leaf(p) == "Hair Dryers" and attr(p, "dual_voltage"), key="products_all"),
        name("P1249"),
        name("P1283"),
    ],
    "d-hairdryer-travel#1": [
        fig(lambda s: grams(s.products["P1249"].attributes["weight_g"])),
        fig(lambda s: grams(s.products["P1283"].attributes["weight_g"])),
    ],
    "d-hairdryer-travel#2": [
        name(lambda s: best([s.products["P1249"], s.products["P1283"]], lambda p: p.price)),
        fig(lambda s: f"{s.products['P1249'].attributes['wattage']} W"),
    ],
    "d-yogamat-thick#0": [
        extremes("Yoga Mats", "thickness_mm", "max"),
        fig(lambda s: f"{num(max(attr(q, 'thickness_mm') for q in products(s, 'Yoga Mats')))} mm"),
    ],
    "d-yogamat-thick#1": [
        holds(
            "P1218 is cork over natural rubber",
            lambda s: s.products["P1218"].attributes["material"] == "cork over natural rubber",
        )
    ],
    "d-yogamat-thick#2": [desc("P1218", "A carry strap is included")],
    "d-sunscreen-fragrance-free#0": [
        name(
            lambda s: best(
                products(s, "Sunscreens", lambda p: attr(p, "fragrance_free") and attr(p, "spf") >= 50),
                lambda p: p.price,
            )
        ),
        fig(
            lambda s: money(
                best(
                    products(s, "Sunscreens", lambda p: attr(p, "fragrance_free") and attr(p, "spf") >= 50),
                    lambda p: p.price,
                ).price
            )
        ),
    ],
    "d-sunscreen-fragrance-free#1": [
        fig(lambda s: f"{s.products['P1050'].attributes['water_resistant_min']} minutes")
    ],
    "d-sunscreen-fragrance-free#2": [
        holds(
            "P1133 is the only SPF 100 sunscreen",
            lambda s: [p.id for p in products(s, "Sunscreens", lambda p: attr(p, "spf") == 100)] == ["P1133"],
        ),
        holds("P1133 is not vegan", lambda s: s.products["P1133"].attributes["vegan"] is False),
    ],
    "d-moisturizer-sensitive#0": [
        matches(sensitive_moist),
        holds(
            "products_none have SPF",
            lambda s: all("spf" in s.products[i].attributes for i in ("P1180", "P1094")),
        ),
    ],
    "d-moisturizer-sensitive#1": [
        name(
            lambda s: best(
                products(
                    s, where=lambda p: sensitive_moist(p) and "hyaluronic acid" in attr(p, "ingredients")
                ),
                lambda p: 0,
            )
        ),
    ],
    "d-moisturizer-sensitive#2": [
        fig(lambda s: f"{s.products['P1284'].attributes['volume_ml']} ml"),
        holds("P1284 non-comedogenic", lambda s: s.products["P1284"].attributes["non_comedogenic"] is True),
    ],
    "d-kettlebell#0": [
        name(
            lambda s: best(
                products(s, "Kettlebells", lambda p: p.stock > 0), lambda p: attr(p, "weight_kg"), "max"
            )
        ),
        fig(
            lambda s: (
                f"{num(best(products(s, 'Kettlebells', lambda p: p.stock > 0), lambda p: attr(p, 'weight_kg'), 'max').attributes['weight_kg'])} kg"
            )
        ),
    ],
    "d-kettlebell#1": [matches(lambda p: leaf(p) == "Kettlebells" and attr(p, "adjustable")), name("P1101")],
    "d-bench-compare#0": [
        fig(lambda s: money(s.products["P1302"].price)),
        fig(lambda s: money(s.products["P1053"].price)),
    ],
    "d-bench-compare#1": [
        name(
            lambda s: best(
                [s.products["P1302"], s.products["P1053"]], lambda p: attr(p, "max_load_kg"), "max"
            )
        ),
        fig(lambda s: f"{s.products['P1302'].attributes['max_load_kg']} kg"),
    ],
    "d-bench-compare#2": [
        holds(
            "both benches fold",
            lambda s: (
                s.products["P1302"].attributes["foldable"] and s.products["P1053"].attributes["foldable"]
            ),
        )
    ],
    "d-cleansing-device#0": [
        holds("P1163 waterproof", lambda s: s.products["P1163"].attributes["waterproof"] is True)
    ],
    "d-cleansing-device#1": [not_stated("P1163", "stand", "dock", "cable", "charger")],
    "d-boots-women#0": [
        name(lambda s: best(products(s, where=women_boot_8), lambda p: attr(p, "weight_g"))),
        fig(
            lambda s: grams(
                best(products(s, where=women_boot_8), lambda p: attr(p, "weight_g")).attributes["weight_g"]
            )
        ),
    ],
    "d-boots-women#1": [matches(lambda p: women_boot_8(p) and attr(p, "waterproof") and p.price < 264.99)],
    "d-order-yoga-mat#0": [
        order_check(
            "O50481",
            "C0199",
            "shipped",
            eta="2026-11-28",
            tracking="9400022108167304140195",
            leaf_name="Yoga Mats",
        ),
        fig("2026-11-28"),
        fig("O50481"),
    ],
    "d-order-yoga-mat#1": [
        order_check("O50481", "C0199", "shipped"),
        policy_has("returns", 'Once an order is "shipped" it can no longer be cancelled'),
    ],
    "d-hello-catalogue#1": [
        holds(
            "the shop sells sports & outdoors and beauty",
            lambda s: {p.category_path[0] for p in s.products.values()} == {"Sports & Outdoors", "Beauty"},
        )
    ],
    "d-hello-catalogue#2": [
        holds(
            "no goggles in the catalogue",
            lambda s: (
                not any(
                    "goggle" in (p.title + p.description + p.category).lower() for p in s.products.values()
                )
            ),
        )
    ],
    "d-road-carbon#0": [
        matches(lambda p: leaf(p) == "Road Running Shoes" and attr(p, "carbon_plate"), key="products_all"),
        name("P1105"),
    ],
    "d-road-carbon#1": [
        fig(lambda s: money(s.products["P1105"].price)),
        holds("P1105 comes in wide", lambda s: "wide" in s.products["P1105"].attributes["widths"]),
    ],
    "d-road-carbon#2": [
        matches(
            lambda p: (
                leaf(p) == "Road Running Shoes"
                and attr(p, "weight_g") <= 240
                and p.price < 200
                and p.stock > 0
            )
        )
    ],
    "d-serum-dark-spots#0": [matches(dark_spot_serum)],
    "d-serum-dark-spots#1": [
        name(
            lambda s: best(products(s, where=lambda p: dark_spot_serum(p) and attr(p, "vegan")), lambda p: 0)
        )
    ],
    "d-serum-dark-spots#2": [
        holds(
            "P1304 is for sensitive and dry skin",
            lambda s: s.products["P1304"].attributes["skin_type"] == ["sensitive", "dry"],
        )
    ],
    "d-foundation-oily#0": [
        matches(lambda p: matte_foundation(p) and p.stock > 0),
        holds("P1052 is not vegan", lambda s: s.products["P1052"].attributes["vegan"] is False),
    ],
    "d-foundation-oily#1": [
        name(
            lambda s: best(
                products(s, where=lambda p: matte_foundation(p) and "520 Deep Ebony" in attr(p, "shade")),
                lambda p: 0,
            )
        )
    ],
    "d-foundation-oily#2": [
        fig(lambda s: money(s.products["P1231"].price)),
        fig(lambda s: f"{s.products['P1231'].attributes['volume_ml']} ml"),
    ],
    "d-lipstick-red#0": [
        matches(red_lipstick),
        holds("P1138 is matte", lambda s: s.products["P1138"].attributes["finish"] == "matte"),
    ],
    "d-lipstick-red#1": [
        name(lambda s: best(products(s, where=red_lipstick), lambda p: p.price)),
        holds(
            "Lip Crayon has the shade Cherry", lambda s: "Cherry" in s.products["P1113"].attributes["shade"]
        ),
    ],
    "d-mascara-not-waterproof#0": [matches(soft_mascara)],
    "d-mascara-not-waterproof#1": [
        name(
            lambda s: best(
                products(s, where=lambda p: soft_mascara(p) and attr(p, "vegan")), lambda p: p.price
            )
        ),
        fig(
            lambda s: money(
                best(
                    products(s, where=lambda p: soft_mascara(p) and attr(p, "vegan")), lambda p: p.price
                ).price
            )
        ),
    ],
    "d-mascara-not-waterproof#2": [not_stated("P1159", "contact lens", "ophthalmolog")],
    "d-trail-rock-plate#0": [matches(trail_11_wide)],
    "d-trail-rock-plate#1": [
        fig(lambda s: f"{s.products['P1088'].attributes['drop_mm']} mm"),
        fig(lambda s: grams(s.products["P1088"].attributes["weight_g"])),
    ],
    "d-foam-roller-vibrating#0": [
        matches(lambda p: leaf(p) == "Foam Rollers" and attr(p, "vibration_speeds") > 0, key="products_all"),
        name("P1219"),
    ],
    "d-foam-roller-vibrating#1": [desc("P1219", "a charge lasts 2 hours")],
    "d-foam-roller-vibrating#2": [not_stated("P1219", "quiet", "loud", "noise", "db")],
    # ---------------- appliance shop
    "a-disposal-quietest#0": [
        name(lambda s: best(products(s, "Garbage Disposals"), lambda p: attr(p, "noise_db"))),
        fig(
            lambda s: (
                f"{best(products(s, 'Garbage Disposals'), lambda p: attr(p, 'noise_db')).attributes['noise_db']} dB"
            )
        ),
    ],
    "a-disposal-quietest#1": [
        fig(lambda s: f"{num(s.products['AP1009'].attributes['horsepower'])} hp"),
        fig(lambda s: f"{s.products['AP1009'].attributes['warranty_years']} years"),
    ],
    "a-disposal-quietest#2": [
        holds(
            "AP1009 comes without a cord", lambda s: s.products["AP1009"].attributes["cord_included"] is False
        )
    ],
    "a-disposal-quietest#3": [desc("AP1009", "Safe for homes with septic tanks")],
    "a-disposal-splash-guard#0": [
        name(lambda s: best(products(s, where=hp34), lambda p: p.price)),
        fig(lambda s: money(best(products(s, where=hp34), lambda p: p.price).price)),
    ],
    "a-disposal-splash-guard#1": [desc("AP1005", "The splash guard is built in and cannot be removed")],
    "a-disposal-splash-guard#2": [matches(removable_guard), name("AP1004"), name("AP1007")],
    "a-dishwasher-18-quiet#0": [
        name(
            lambda s: best(
                products(s, "Dishwashers", lambda p: attr(p, "width_in") == 18), lambda p: attr(p, "noise_db")
            )
        ),
        fig(
            lambda s: (
                f"{best(products(s, 'Dishwashers', lambda p: attr(p, 'width_in') == 18), lambda p: attr(p, 'noise_db')).attributes['noise_db']} dB"
            )
        ),
    ],
    "a-dishwasher-18-quiet#1": [
        fig(lambda s: f"{s.products['AP1017'].attributes['place_settings']} place settings"),
        holds("AP1017 energy star", lambda s: s.products["AP1017"].attributes["energy_star"] is True),
    ],
    "a-dishwasher-18-quiet#2": [matches(lambda p: dw18_800(p) and p.stock > 0)],
    "a-dishwasher-18-quiet#3": [
        name(lambda s: best(products(s, where=dw18_800), lambda p: attr(p, "noise_db"))),
        fig(
            lambda s: (
                f"{best(products(s, where=dw18_800), lambda p: attr(p, 'noise_db')).attributes['noise_db']} dB"
            )
        ),
    ],
    "a-hood-ductless#0": [
        matches(hood30_ductless),
        holds(
            "AP1019 cannot run ductless",
            lambda s: s.products["AP1019"].attributes["ductless_convertible"] is False,
        ),
    ],
    "a-hood-ductless#1": [
        matches(charcoal_included),
        name("AP1018"),
        name("AP1020"),
        desc("AP1023", "Charcoal filters for ductless use are sold separately"),
    ],
    "a-hood-ductless#2": [
        name(lambda s: best(products(s, where=charcoal_included), lambda p: p.price)),
        fig(lambda s: f"{s.products['AP1018'].attributes['airflow_cfm']} CFM"),
        fig(lambda s: f"{s.products['AP1018'].attributes['noise_db']} dB"),
    ],
    "a-hood-ductless#3": [
        holds(
            "AP1018 filters dishwasher safe",
            lambda s: s.products["AP1018"].attributes["dishwasher_safe"] is True,
        )
    ],
    "a-hood-strongest#0": [
        name(lambda s: best(products(s, "Range Hoods"), lambda p: attr(p, "airflow_cfm"), "max")),
        fig(
            lambda s: (
                f"{best(products(s, 'Range Hoods'), lambda p: attr(p, 'airflow_cfm'), 'max').attributes['airflow_cfm']} CFM"
            )
        ),
    ],
    "a-hood-strongest#1": [
        desc("AP1025", "fit ceilings from 8 to 9 feet"),
        holds("AP1025 has 3 in stock", lambda s: s.products["AP1025"].stock == 3),
    ],
    "a-microwave-dorm#0": [
        name(
            lambda s: best(
                products(s, "Microwaves", lambda p: attr(p, "mount_type") == "countertop"), lambda p: p.price
            )
        ),
        fig(
            lambda s: money(
                best(
                    products(s, "Microwaves", lambda p: attr(p, "mount_type") == "countertop"),
                    lambda p: p.price,
                ).price
            )
        ),
    ],
    "a-microwave-dorm#1": [
        fig(lambda s: f"{s.products['AP1026'].attributes['power_w']} W"),
        fig(lambda s: f"{num(s.products['AP1026'].attributes['width_in'])} in"),
    ],
    "a-microwave-dorm#2": [fig(lambda s: f"{num(s.products['AP1026'].attributes['cord_length_ft'])} ft")],
    "a-microwave-biggest-countertop#0": [
        name(
            lambda s: best(
                products(s, "Microwaves", lambda p: attr(p, "mount_type") == "countertop"),
                lambda p: attr(p, "capacity_cu_ft"),
                "max",
            )
        ),
        fig(
            lambda s: (
                f"{num(best(products(s, 'Microwaves', lambda p: attr(p, 'mount_type') == 'countertop'), lambda p: attr(p, 'capacity_cu_ft'), 'max').attributes['capacity_cu_ft'])} cu ft"
            )
        ),
    ],
    "a-microwave-biggest-countertop#1": [desc("AP1034", "air-fry mode with a mesh basket included")],
    "a-microwave-biggest-countertop#2": [
        not_stated("AP1034", "trim kit", "built-in installation", "installation kit", "cabinet")
    ],
    "a-ice-maker-most#0": [
        name(lambda s: best(products(s, "Ice Makers"), lambda p: attr(p, "ice_per_day_lb"), "max")),
        fig(
            lambda s: (
                f"{best(products(s, 'Ice Makers'), lambda p: attr(p, 'ice_per_day_lb'), 'max').attributes['ice_per_day_lb']} lb"
            )
        ),
    ],
    "a-ice-maker-most#1": [not_stated("AP1042", "water line", "by hand", "plumb")],
    "a-ice-maker-most#2": [desc("AP1042", "Not suitable for outdoor use")],
    "a-ice-maker-nugget#0": [matches(lambda p: has(p, "ice_type", "nugget"), key="products_all")],
    "a-ice-maker-nugget#1": [
        fig(lambda s: money(s.products["AP1036"].price)),
        fig(lambda s: money(s.products["AP1040"].price)),
        fig(lambda s: f"{s.products['AP1036'].attributes['ice_per_day_lb']} lb"),
        fig(lambda s: f"{s.products['AP1040'].attributes['ice_per_day_lb']} lb"),
    ],
    "a-ice-maker-nugget#2": [
        holds(
            "AP1040 is the bigger nugget maker",
            lambda s: (
                best(
                    [s.products["AP1036"], s.products["AP1040"]], lambda p: attr(p, "ice_per_day_lb"), "max"
                ).id
                == "AP1040"
            ),
        ),
        holds("AP1040 self-cleaning", lambda s: s.products["AP1040"].attributes["self_cleaning"] is True),
        fig(lambda s: f"{s.products['AP1040'].attributes['noise_db']} dB"),
    ],
    "a-minifridge-dorm#0": [
        name(
            lambda s: best(
                products(s, "Mini Fridges", lambda p: attr(p, "freezer_compartment")), lambda p: p.price
            )
        ),
        fig(
            lambda s: money(
                best(
                    products(s, "Mini Fridges", lambda p: attr(p, "freezer_compartment")), lambda p: p.price
                ).price
            )
        ),
    ],
    "a-minifridge-dorm#1": [fig(lambda s: f"{num(s.products['AP1047'].attributes['height_in'])} in")],
    "a-minifridge-dorm#2": [not_stated("AP1047", "revers", "hinge")],
    "a-minifridge-dorm#3": [desc("AP1047", "needs manual defrosting")],
    "a-fridge-quietest#0": [
        name(lambda s: best(products(s, "Mini Fridges"), lambda p: attr(p, "noise_db"))),
        fig(
            lambda s: (
                f"{best(products(s, 'Mini Fridges'), lambda p: attr(p, 'noise_db')).attributes['noise_db']} dB"
            )
        ),
    ],
    "a-fridge-quietest#1": [
        holds("AP1051 energy star", lambda s: s.products["AP1051"].attributes["energy_star"] is True),
        fig(lambda s: f"{num(s.products['AP1051'].attributes['weight_lb'])} lb"),
    ],
    "a-fridge-quietest#2": [desc("AP1051", "Rated for use in a garage between 50 °F and 100 °F")],
    "a-fridge-energy-star#0": [
        name(
            lambda s: best(products(s, "Mini Fridges", lambda p: attr(p, "energy_star")), lambda p: p.price)
        ),
        fig(
            lambda s: money(
                best(products(s, "Mini Fridges", lambda p: attr(p, "energy_star")), lambda p: p.price).price
            )
        ),
    ],
    "a-fridge-energy-star#1": [
        holds(
            "AP1049 finishes are silver and stainless steel",
            lambda s: s.products["AP1049"].attributes["finish"] == ["silver", "stainless steel"],
        )
    ],
    "a-water-filter-fit#0": [
        name(lambda s: best(products(s, where=fridge_lead), lambda p: p.price)),
        fig(lambda s: money(best(products(s, where=fridge_lead), lambda p: p.price).price)),
    ],
    "a-water-filter-fit#1": [desc("AP1055", "Fits Corvell side-by-side and French-door refrigerators")],
    "a-water-filter-fit#2": [
        not_stated_in("Water Filters", "fits kelvara", "kelvara refrigerator", "kelvara fridge")
    ],
    "a-water-filter-under-sink#0": [
        matches(lambda p: has(p, "filter_type", "under-sink")),
        holds(
            "every under-sink filter lasts 12 months / 750 gal",
            lambda s: (
                {
                    (attr(p, "filter_life_months"), attr(p, "capacity_gal"))
                    for p in products(s, where=lambda p: has(p, "filter_type", "under-sink"))
                }
                == {(12, 750)}
            ),
        ),
    ],
    "a-water-filter-under-sink#1": [
        desc("AP1053", "Does not remove fluoride"),
        desc("AP1054", "Does not remove fluoride"),
    ],
    "a-dryer-electric#0": [
        name(
            lambda s: best(
                products(s, "Dryers", lambda p: attr(p, "fuel_type") == "electric"),
                lambda p: attr(p, "capacity_cu_ft"),
                "max",
            )
        ),
        fig(
            lambda s: (
                f"{num(best(products(s, 'Dryers', lambda p: attr(p, 'fuel_type') == 'electric'), lambda p: attr(p, 'capacity_cu_ft'), 'max').attributes['capacity_cu_ft'])} cu ft"
            )
        ),
    ],
    "a-dryer-electric#1": [fig(lambda s: f"{s.products['AP1065'].attributes['voltage_v']} V")],
    "a-dryer-electric#2": [not_stated("AP1065", "cord", "plug")],
    "a-dryer-ventless#0": [matches(lambda p: has(p, "vent_type", "ventless"))],
    "a-dryer-ventless#1": [
        name(
            lambda s: best(
                products(s, where=lambda p: has(p, "vent_type", "ventless")), lambda p: attr(p, "noise_db")
            )
        ),
        fig(
            lambda s: (
                f"{best(products(s, where=lambda p: has(p, 'vent_type', 'ventless')), lambda p: attr(p, 'noise_db')).attributes['noise_db']} dB"
            )
        ),
    ],
    "a-dryer-ventless#2": [desc("AP1062", "The door is reversible")],
    "a-purifier-bedroom#0": [
        matches(lambda p: leaf(p) == "Air Purifiers" and attr(p, "coverage_sq_ft") >= 400)
    ],
    "a-purifier-bedroom#1": [
        name(lambda s: best(products(s, "Air Purifiers"), lambda p: attr(p, "noise_db"))),
        fig(
            lambda s: (
                f"{best(products(s, 'Air Purifiers'), lambda p: attr(p, 'noise_db')).attributes['noise_db']} dB"
            )
        ),
    ],
    "a-purifier-bedroom#2": [
        holds("AP1075 is True HEPA", lambda s: s.products["AP1075"].attributes["filter_type"] == "True HEPA"),
        not_stated("AP1075", "ozone", "ionizer", "ionic"),
    ],
    "a-purifier-bedroom#3": [
        fig(lambda s: f"{s.products['AP1075'].attributes['filter_life_months']} months"),
        fig(lambda s: f"{s.products['AP1075'].attributes['warranty_years']} years"),
    ],
    "a-purifier-energy-star#0": [
        name(
            lambda s: best(products(s, "Air Purifiers", lambda p: attr(p, "energy_star")), lambda p: p.price)
        ),
        fig(
            lambda s: money(
                best(products(s, "Air Purifiers", lambda p: attr(p, "energy_star")), lambda p: p.price).price
            )
        ),
    ],
    "a-purifier-energy-star#1": [not_stated("AP1072", "ionizer", "ionic", "ion ")],
    "a-dehumidifier-pump#0": [
        matches(pump_400),
        holds(
            "AP1082 has a pump but costs over $400",
            lambda s: s.products["AP1082"].attributes["built_in_pump"] and s.products["AP1082"].price > 400,
        ),
    ],
    "a-dehumidifier-pump#1": [
        name(lambda s: best(products(s, where=pump_400), lambda p: attr(p, "noise_db"))),
        fig(
            lambda s: (
                f"{best(products(s, where=pump_400), lambda p: attr(p, 'noise_db')).attributes['noise_db']} dB"
            )
        ),
    ],
    "a-dehumidifier-pump#2": [not_stated("AP1081", "hose")],
    "a-dehumidifier-pump#3": [fig(lambda s: f"{s.products['AP1081'].attributes['min_temp_f']} °F")],
    "a-dehumidifier-lightest#0": [
        name(lambda s: best(products(s, "Dehumidifiers"), lambda p: attr(p, "weight_lb"))),
        fig(
            lambda s: (
                f"{num(best(products(s, 'Dehumidifiers'), lambda p: attr(p, 'weight_lb')).attributes['weight_lb'])} lb"
            )
        ),
    ],
    "a-dehumidifier-lightest#1": [desc("AP1077", "Has wheels and a pull-out handle")],
    "a-microwave-compare#0": [
        fig(lambda s: money(s.products["AP1030"].price)),
        fig(lambda s: money(s.products["AP1033"].price)),
    ],
    "a-microwave-compare#1": [
        name(
            lambda s: best([s.products["AP1030"], s.products["AP1033"]], lambda p: attr(p, "power_w"), "max")
        ),
        fig(lambda s: f"{s.products['AP1033'].attributes['power_w']} W"),
    ],
    "a-microwave-compare#2": [
        desc("AP1033", "The installation kit is included"),
        desc("AP1030", "The installation kit is included"),
    ],
    "a-order-dehumidifier#0": [
        order_check(
            "AO7002",
            "AC101",
            "shipped",
            eta="2026-11-27",
            tracking="6336918268767132",
            leaf_name="Dehumidifiers",
        ),
        fig("AO7002"),
        fig("2026-11-27"),
    ],
    "a-order-dehumidifier#1": [
        order_check("AO7002", "AC101", "shipped"),
        policy_has("returns", "Once shipped, refuse the delivery"),
    ],
    "a-order-processing#0": [
        order_check("AO7007", "AC104", "processing", leaf_name="Ice Makers"),
        fig("AO7007"),
    ],
    "a-order-processing#1": [policy_has("shipping", "leave our warehouse the same business day")],
    "a-hello-catalogue#0": [
        holds(
            "every product is a home appliance",
            lambda s: {p.category_path[0] for p in s.products.values()} == {"Home Appliances"},
        )
    ],
    "a-hello-catalogue#1": [
        holds(
            "no washing machines",
            lambda s: (
                not any(
                    "washing machine" in (p.title + p.category).lower() or p.category_path[-1] == "Washers"
                    for p in s.products.values()
                )
            ),
        )
    ],
    "a-hello-catalogue#2": [
        holds("answer lists exactly the shop's brands", lambda s: True)
    ],  # see brands_check
    "a-fridge-not-stated#0": [not_stated("AP1043", "amp")],
    "a-fridge-not-stated#1": [not_stated("AP1043", "made in", "manufactur", "usa", "china", "origin")],
    "a-hood-island-white#0": [
        matches(lambda p: has(p, "mount_type", "island") and "white" in attr(p, "finish"))
    ],
    "a-hood-island-white#1": [
        fig(lambda s: money(s.products["AP1021"].price)),
        fig(lambda s: f"{s.products['AP1021'].attributes['fan_speeds']} speeds"),
    ],
    "a-ice-maker-warranty#0": [
        holds(
            "AP1042 has a 1-year warranty", lambda s: s.products["AP1042"].attributes["warranty_years"] == 1
        ),
        holds("AP1042 costs over $150 (protection plans)", lambda s: s.products["AP1042"].price > 150),
        policy_has("warranty", "3 years for $49.99 or 5 years for $89.99"),
    ],
    "a-ice-maker-two-part#0": [
        fig(lambda s: f"{s.products['AP1039'].attributes['ice_per_day_lb']} lb"),
        fig(lambda s: f"{num(s.products['AP1039'].attributes['ice_storage_lb'])} lb"),
    ],
    "a-ice-maker-two-part#1": [desc("AP1039", "Rated for outdoor use on a covered patio")],
    "a-ice-maker-two-part#2": [desc("AP1039", "Needs no water line: fill the reservoir by hand")],
    "a-disposal-batch#0": [matches(lambda p: has(p, "feed_type", "batch"), key="products_all")],
    "a-disposal-batch#1": [
        fig(lambda s: f"{num(s.products['AP1007'].attributes['weight_lb'])} lb"),
        holds(
            "AP1007 chamber stainless",
            lambda s: s.products["AP1007"].attributes["grind_chamber"] == "stainless steel",
        ),
    ],
}

# ---------------------------------------------------------------- the generic checks


def check_format(name_: str, data: Any, shop: Shop, problems: list[str]) -> None:
    if not isinstance(data, dict) or not {"shop", "today", "cases"} <= set(data) <= {
        "shop",
        "today",
        "cases",
        "targets",
    }:
        problems.append(f"{name_}: top-level keys must be shop, today, cases (and optionally targets)")
        return
    if data["today"] != "2026-11-25":
        problems.append(f"{name_}: today must be 2026-11-25")
    for case in data["cases"]:
        user = case.get("user")
        if user is not None and user not in shop.customers:
            problems.append(f"{name_} {case['id']}: user {user} is not a customer of {data['shop']}")
        if set(case) - {"id", "user", "turns"}:
            problems.append(f"{name_} {case['id']}: unknown case keys {set(case) - {'id', 'user', 'turns'}}")
        for i, turn in enumerate(case["turns"]):
            where = f"{name_} {case['id']}#{i}"
            if not isinstance(turn.get("say"), str) or not turn["say"].strip():
                problems.append(f"{where}: say must be a non-empty string")
            if set(turn) - TURN_KEYS:
                problems.append(f"{where}: unknown keys {sorted(set(turn) - TURN_KEYS)}")
            for key in ("answer", "includes", "excludes"):
                for item in turn.get(key, []):
                    ok = isinstance(item, str) or (
                        key != "excludes"
                        and isinstance(item, list)
                        and item
                        and all(isinstance(a, str) for a in item)
                    )
                    if not ok:
                        problems.append(
                            f"{where}: {key} items must be strings (or lists of strings): {item!r}"
                        )
            if turn.get("escalated") and i != len(case["turns"]) - 1:
                problems.append(f"{where}: a handoff ends the conversation, so it must be the last turn")


def check_references(where: str, case: dict, turn: dict, shop: Shop, problems: list[str]) -> None:
    for key in ("products_any", "products_all", "products_none"):
        for pid in turn.get(key, []):
            if pid not in shop.products:
                problems.append(f"{where}: {key} names unknown product {pid}")
    citations = {f"policy:{s.citation}" for s in shop.policies} | {f"order:{o}" for o in shop.orders}
    for want in turn.get("citations_any", []):
        if not any(c.startswith(want) for c in citations):
            problems.append(f"{where}: no citation starts with {want!r}")
        order = shop.orders.get(want[6:]) if want.startswith("order:") else None
        if order is not None and order.customer_id != case.get("user"):
            problems.append(f"{where}: cites another customer's order {want}")


def constraints_from(spec: dict[str, Any]) -> Constraints:
    """The ``constraints`` key read the way the conversation scorer reads it."""
    attrs = tuple(
        AttributeFilter(tuple(a["names"]), a["value"], a.get("op", "eq")) for a in spec.get("attributes", [])
    )
    return Constraints(
        price_min=spec.get("price_min"),
        price_max=spec.get("price_max"),
        brands=tuple(spec.get("brands", ())),
        categories=tuple(spec.get("categories", ())),
        in_stock=bool(spec.get("in_stock", False)),
        attributes=attrs,
    )


def check_constraints(where: str, turn: dict, shop: Shop, problems: list[str]) -> None:
    if "constraints" not in turn:
        return
    c = constraints_from(turn["constraints"])
    meeting = [p.id for p in shop.products.values() if c.matches(p)]
    if not meeting:
        problems.append(f"{where}: no product meets the constraints (vacuous)")
    for key in ("products_any", "products_all"):
        for pid in turn.get(key, []):
            if pid in shop.products and not c.matches(shop.products[pid]):
                problems.append(f"{where}: {key} {pid} does not meet the turn's constraints")


def check_policy_answer(where: str, turn: dict, shop: Shop, problems: list[str]) -> bool:
    """On a policy turn each answer item must appear word for word in the policy text."""
    if turn.get("route") != "policy" or "answer" not in turn:
        return False
    text = (
        " ".join(s.text for s in shop.policies).lower()
        + " "
        + " ".join(s.heading for s in shop.policies).lower()
    )
    for item in turn["answer"]:
        group = [item] if isinstance(item, str) else item
        if not any(a.lower() in text for a in group):
            problems.append(f"{where}: no alternative of {group} appears in the policies")
    return True


def brands_check(where: str, turn: dict, shop: Shop, problems: list[str]) -> None:
    brands = {p.brand for p in shop.products.values()}
    listed = {i for i in turn.get("answer", []) if isinstance(i, str)}
    if listed != brands:
        problems.append(f"{where}: answer brands {sorted(listed)} != the shop's brands {sorted(brands)}")


def split_ids(ids: list[str], seed: int = SPLIT_SEED) -> tuple[set[str], set[str]]:
    """The recorded split: sorted ids shuffled with the seed; the first half (rounded up) is dev."""
    order = sorted(ids)
    random.Random(seed).shuffle(order)
    cut = (len(order) + 1) // 2
    return set(order[:cut]), set(order[cut:])


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--suite", type=Path, default=SUITE, help="the suite folder (default: %(default)s)")
    suite = args.parse_args(argv).suite
    problems: list[str] = []
    covered: set[str] = set()
    seen_ids: set[str] = set()
    totals = {}
    for prefix, shop_dir in SHOPS.items():
        shop = load_shop(REPO / shop_dir)
        if shop.errors:
            problems.append(f"{shop_dir}: loads with errors {shop.errors[:3]}")
        by_part: dict[str, set[str]] = {}
        for part in ("dev", "test"):
            file = suite / f"{prefix}_{part}.yaml"
            data = yaml.safe_load(file.read_text(encoding="utf-8"))
            check_format(file.name, data, shop, problems)
            if data.get("shop") != shop_dir:
                problems.append(f"{file.name}: shop must be {shop_dir}")
            ids = [c["id"] for c in data["cases"]]
            by_part[part] = set(ids)
            totals[file.name] = (len(ids), sum(len(c["turns"]) for c in data["cases"]))
            for case in data["cases"]:
                if case["id"] in seen_ids:
                    problems.append(f"{file.name}: duplicate case id {case['id']}")
                seen_ids.add(case["id"])
                for i, turn in enumerate(case["turns"]):
                    key = f"{case['id']}#{i}"
                    where = f"{file.name} {key}"
                    check_references(where, case, turn, shop, problems)
                    check_constraints(where, turn, shop, problems)
                    by_policy = check_policy_answer(where, turn, shop, problems)
                    if key == "a-hello-catalogue#2":
                        brands_check(where, turn, shop, problems)
                    checks = FACTS.get(key)
                    if checks is not None:
                        covered.add(key)
                        ctx = Ctx(shop, case, i, turn, where, problems)
                        for check in checks:
                            try:
                                check(ctx)
                            except (AssertionError, KeyError) as exc:
                                ctx.fail(f"check raised: {exc}")
                    elif "answer" in turn and not by_policy:
                        problems.append(f"{where}: has an answer but no FACTS entry checks it")
                    has_not_stated = any(
                        isinstance(g, list) and NOT_STATED in [a.lower() for a in g]
                        for g in turn.get("answer", [])
                    )
                    if has_not_stated and not any(
                        getattr(c, "__qualname__", "").startswith("not_stated") for c in (checks or [])
                    ):
                        problems.append(f"{where}: a 'not stated' answer needs a not_stated() check")
        dev, test = split_ids(list(by_part["dev"] | by_part["test"]))
        if by_part["dev"] != dev or by_part["test"] != test:
            problems.append(f"{prefix}: dev/test files are not the seeded split (seed {SPLIT_SEED})")
        if by_part["dev"] & by_part["test"]:
            problems.append(
                f"{prefix}: cases in both dev and test: {sorted(by_part['dev'] & by_part['test'])}"
            )
    for key in sorted(set(FACTS) - covered):
        problems.append(f"FACTS entry {key} matches no turn of the suite")
    for file, (cases, turns) in totals.items():
        print(f"{file:22s} {cases:3d} cases {turns:4d} turns")
    print(
        f"{'total':22s} {sum(c for c, _ in totals.values()):3d} cases {sum(t for _, t in totals.values()):4d} turns"
    )
    for line in problems:
        print("PROBLEM", line)
    print("ok" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
