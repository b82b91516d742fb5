"""Check the dev pool (data/evals/dev_pool/*_dev2.yaml) against the data of its shops.

    .venv/bin/python scripts/check_dev_pool.py

A dev-only pool of multi-turn cases in the format of ``data/evals/understanding_v2/``. It reuses,
by importing them, the checks of ``scripts/check_understanding_suite.py`` (format, references,
constraints, policy answers word for word, ``name``/``fig``/``desc``/``not_stated``/``matches``/
``policy_has``/``order_check``...) and of ``scripts/check_understanding_v2.py`` (the stricter
``name``, ``extremes_where``, ``not_carried``, ``order_delivered``, ``within_window``,
``customer_is``, ``stated_origin``, the suite's shape, ``run_checks``, the data-set texts and its
freshness check) and adds:

1. its own side table ``FACTS`` ("case-id#turn" -> checks): every turn with an ``answer`` must be
   covered by it or, on a ``route: policy`` turn, by the policy-answer check;
2. freshness against every earlier suite: no ``say`` repeats, or closely paraphrases (difflib
   ratio >= 0.8 on normalised text), a ``say`` of ``data/evals/understanding_v1/*.yaml``,
   ``data/evals/understanding_v2/*.yaml`` or ``data/evals/conversations_v1.yaml``, or another
   pool turn;
3. no paste from the public data sets the phrasing was drawn from (``../shared/datasets``,
   skipped with a note where absent): no ``say`` equal to a data-set text, no run of six or more
   words found verbatim in one, and under 80% word overlap (Jaccard) with a short one.

There is no split: the whole pool is dev. Exits 1 with one line per problem.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import check_understanding_suite as v1  # noqa: E402  (also puts the repo root on sys.path)
import check_understanding_v2 as v2  # noqa: E402
from check_understanding_suite import (  # noqa: E402
    NOT_STATED,
    Check,
    Ctx,
    attr,
    best,
    desc,
    fig,
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
from check_understanding_v2 import (  # noqa: E402
    best_of,
    customer_is,
    extremes_where,
    in_desc,
    name,
    not_carried,
    order_delivered,
    pair,
    price,
    sex,
    stated_origin,
    where,
    within_window,
    years,
)

from retrieval import Product, load_shop  # noqa: E402

REPO = v1.REPO
POOL = REPO / "data" / "evals" / "dev_pool"
EARLIER = [
    *sorted((REPO / "data" / "evals" / "understanding_v1").glob("*.yaml")),
    *sorted((REPO / "data" / "evals" / "understanding_v2").glob("*.yaml")),
    REPO / "data" / "evals" / "conversations_v1.yaml",
]
NEAR_EARLIER = 0.8  # difflib ratio of two normalised says at or above which the pool repeats one
RUN_WORDS = 6  # a run of this many words found verbatim in a data-set text is a paste


class PoolFile(NamedTuple):
    file: str  # the file name under data/evals/dev_pool/
    directory: str  # the shop directory, relative to the repo root (the yaml's ``shop:``)
    case_prefix: str  # every case id of the file starts with it


FILES: dict[str, PoolFile] = {
    "demo": PoolFile("demo_dev2.yaml", "data/demo_shop", "d3-"),
    "appliance": PoolFile("appliance_dev2.yaml", "data/appliance_shop", "a3-"),
    "clothing": PoolFile("clothing_dev2.yaml", "data/clothing_shop", "c3-"),
}


# ---------------------------------------------------------------- predicates of the search turns

# demo shop


def dual_voltage_dryer(p: Product) -> bool:
    return leaf(p) == "Hair Dryers" and attr(p, "dual_voltage") is True


def desk_roller(p: Product) -> bool:
    return leaf(p) == "Foam Rollers" and in_desc("desk-worker back tension")(p)


def vibrating_roller(p: Product) -> bool:
    return leaf(p) == "Foam Rollers" and (attr(p, "vibration_speeds") or 0) > 0


def vegan_waterproof_mascara(p: Product) -> bool:
    return leaf(p) == "Mascara" and attr(p, "waterproof") is True and attr(p, "vegan") is True


def dry_skin_moisturizer(p: Product) -> bool:
    """Fragrance-free, no SPF, for dry skin (or all skin: those may be shown, not required)."""
    return (
        leaf(p) == "Moisturizers"
        and attr(p, "fragrance_free") is True
        and "spf" not in p.attributes
        and bool({"dry", "all"} & set(attr(p, "skin_type")))
    )


def women_pitzip_jacket_80(p: Product) -> bool:
    return (
        leaf(p) == "Rain Jackets"
        and attr(p, "gender") == "women"
        and in_desc("pit zips")(p)
        and p.price <= 80
        and p.stock > 0
    )


def women_boot_8(p: Product) -> bool:
    return (
        leaf(p) == "Hiking Boots"
        and attr(p, "gender") == "women"
        and attr(p, "waterproof") is True
        and "8" in attr(p, "sizes")
    )


# appliance shop


def septic_safe_disposal(p: Product) -> bool:
    return leaf(p) == "Garbage Disposals" and in_desc("safe for homes with septic tanks")(p)


def faucet_dishwasher(p: Product) -> bool:
    return leaf(p) == "Dishwashers" and in_desc("kitchen faucet")(p)


def fan_after_hood(p: Product) -> bool:
    return leaf(p) == "Range Hoods" and in_desc("delayed shut-off")(p)


def air_fry_microwave(p: Product) -> bool:
    return leaf(p) == "Microwaves" and in_desc("air-fry mode")(p)


def patio_nugget(p: Product) -> bool:
    return (
        leaf(p) == "Ice Makers"
        and attr(p, "ice_type") == "nugget"
        and in_desc("rated for outdoor use on a covered patio")(p)
    )


def garage_lock_fridge(p: Product) -> bool:
    return (
        leaf(p) == "Mini Fridges"
        and in_desc("rated for use in a garage")(p)
        and in_desc("comes with a lock")(p)
    )


def pump_dehumidifier(p: Product) -> bool:
    return leaf(p) == "Dehumidifiers" and attr(p, "built_in_pump") is True


# clothing shop


def men_cardigan_jacket(p: Product) -> bool:
    return leaf(p) == "Knitwear" and sex(p) == "Men" and in_desc("as a jacket")(p)


def waterproof_boot(p: Product) -> bool:
    return leaf(p) == "Boots" and attr(p, "waterproof") is True


def men_washable_merino_100(p: Product) -> bool:
    return (
        leaf(p) == "Knitwear"
        and sex(p) == "Men"
        and "merino" in attr(p, "fabric")
        and attr(p, "machine_washable") is True
        and p.price <= 100
    )


def velvet(p: Product) -> bool:
    return "velvet" in p.title.lower()


def opaque_white_tee(p: Product) -> bool:
    return (
        leaf(p) == "Tops"
        and sex(p) == "Women"
        and "white" in attr(p, "colors")
        and in_desc("white is not see-through")(p)
    )


def women_jeans(p: Product) -> bool:
    return leaf(p) == "Jeans" and sex(p) == "Women"


# ---------------------------------------------------------------- the side table: "case-id#turn" -> checks

FACTS: dict[str, list[Check]] = {
    # ------------------------------------------------ demo shop
    "d3-blowdryer-europe#0": [matches(dual_voltage_dryer, key="products_all")],
    "d3-blowdryer-europe#1": [
        name(best_of(where(dual_voltage_dryer), price)),
        fig(lambda s: v1.grams(attr(best(products(s, where=dual_voltage_dryer), price), "weight_g"))),
    ],
    "d3-blowdryer-europe#2": [not_stated("P1249", "diffuser", "attachment", "nozzle")],
    "d3-roller-desk-back#0": [matches(desk_roller)],
    "d3-roller-desk-back#1": [
        name(best_of(where(desk_roller), lambda p: attr(p, "length_cm"), "max")),
        fig(lambda s: f"{num(max(attr(p, 'length_cm') for p in products(s, where=desk_roller)))} cm"),
        holds(
            "P1078 comes in teal and navy blue",
            lambda s: attr(s.products["P1078"], "colors") == ["teal", "navy blue"],
        ),
    ],
    "d3-roller-desk-back#2": [
        holds("P1078 is a foam roller", lambda s: leaf(s.products["P1078"]) == "Foam Rollers"),
        policy_has("warranty", "Resistance bands, yoga mats, foam rollers | 90 days"),
    ],
    "d3-roller-vibrating#0": [
        matches(vibrating_roller, key="products_all"),
        name("P1219"),
        desc("P1219", "a charge lasts 2 hours"),
    ],
    "d3-roller-vibrating#1": [policy_has("warranty", "1 year on vibrating foam roller motors")],
    "d3-mascara-vegan-waterproof#0": [
        name(best_of(where(vegan_waterproof_mascara), price)),
        fig(lambda s: money(best(products(s, where=vegan_waterproof_mascara), price).price)),
    ],
    "d3-mascara-vegan-waterproof#1": [desc("P1095", "comes off with an oil-based remover")],
    "d3-mascara-vegan-waterproof#2": [not_stated("P1095", "contact", "ophthalmolog", "lens")],
    "d3-moisturizer-flaky#0": [
        matches(dry_skin_moisturizer, exact=False),
        holds(
            "the listed ones are those made for dry skin",
            lambda s: (
                {p.id for p in products(s, where=dry_skin_moisturizer) if "dry" in attr(p, "skin_type")}
                == {"P1284", "P1313", "P1318"}
            ),
        ),
    ],
    "d3-moisturizer-flaky#1": [
        name("P1313"),
        holds("P1313 is non-comedogenic", lambda s: attr(s.products["P1313"], "non_comedogenic") is True),
        desc("P1313", "non-comedogenic"),
    ],
    "d3-moisturizer-flaky#2": [
        fig(lambda s: f"{num(attr(s.products['P1313'], 'volume_ml'))} ml"),
        fig(lambda s: money(s.products["P1313"].price)),
    ],
    "d3-headlamp-two#0": [
        fig(lambda s: money(s.products["P1291"].price)),
        fig(lambda s: money(s.products["P1086"].price)),
    ],
    "d3-headlamp-two#1": [
        holds(
            "the 2nd named (P1086) is IPX7 and waterproof",
            lambda s: (
                attr(s.products["P1086"], "ip_rating") == "IPX7" and attr(s.products["P1086"], "waterproof")
            ),
        )
    ],
    "d3-headlamp-two#2": [
        name(best_of(pair("P1291", "P1086"), lambda p: attr(p, "weight_g"))),
        fig(
            lambda s: v1.grams(
                attr(best(pair("P1291", "P1086")(s), lambda p: attr(p, "weight_g")), "weight_g")
            )
        ),
    ],
    "d3-rainjacket-women-pitzips#0": [matches(women_pitzip_jacket_80, key="products_all")],
    "d3-rainjacket-women-pitzips#1": [
        name(best_of(where(women_pitzip_jacket_80), lambda p: attr(p, "waterproof_rating_mm"), "max")),
        holds(
            "P1166 is rated 15000 mm", lambda s: attr(s.products["P1166"], "waterproof_rating_mm") == 15000
        ),
    ],
    "d3-rainjacket-women-pitzips#2": [not_stated("P1166", "wash", "machine", "tumble")],
    "d3-boots-women-8#0": [
        extremes_where(women_boot_8, "weight_g", "min"),
        name(best_of(where(women_boot_8), lambda p: attr(p, "weight_g"))),
        fig(
            lambda s: v1.grams(
                attr(best(products(s, where=women_boot_8), lambda p: attr(p, "weight_g")), "weight_g")
            )
        ),
    ],
    "d3-boots-women-8#1": [
        desc("P1155", "Only boots tried on indoors can be returned"),
        policy_has("returns", "they are returnable only unworn, tried on indoors"),
    ],
    "d3-order-boots-headlamp#0": [
        order_check(
            "O50725", "C0082", "shipped", eta="2026-11-26", tracking="388818910726", leaf_name="Hiking Boots"
        ),
        fig("O50725"),
        fig("2026-11-26"),
    ],
    "d3-order-boots-headlamp#1": [
        order_delivered("O48831", "C0082", "Headlamps", delivered_in="2026-09"),
        within_window("O48831", 365),
        policy_has(
            "warranty",
            "Rechargeable batteries in headlamps, cordless straighteners and cleansing devices are covered for 1 year",
        ),
    ],
    "d3-order-cancel-headlamp#0": [
        order_check("O51093", "C0097", "processing", leaf_name="Headlamps"),
        fig("O51093"),
        policy_has("returns", 'You can cancel an order while its status is "processing"'),
    ],
    "d3-order-cancel-headlamp#1": [
        order_check("O51093", "C0097", "processing"),
        policy_has(
            "payments", "the authorization is released within 3 to 5 business days and nothing is charged"
        ),
    ],
    "d3-hello-goggles#1": [not_carried("goggle")],
    # ------------------------------------------------ appliance shop
    "a3-disposal-septic#0": [matches(septic_safe_disposal, key="products_all"), name("AP1009")],
    "a3-disposal-septic#1": [
        holds("AP1009 comes without a cord", lambda s: attr(s.products["AP1009"], "cord_included") is False)
    ],
    "a3-disposal-septic#2": [fig(lambda s: years(attr(s.products["AP1009"], "warranty_years")))],
    "a3-dishwasher-renter#0": [
        matches(faucet_dishwasher),
        name("AP1011"),
        holds("AP1011 is out of stock", lambda s: s.products["AP1011"].stock == 0),
    ],
    "a3-dishwasher-renter#1": [
        holds(
            "AP1012 is the other portable one",
            lambda s: (
                [p.id for p in products(s, "Dishwashers") if attr(p, "mount_type") == "portable"]
                == ["AP1011", "AP1012"]
            ),
        ),
        fig(lambda s: f"{num(attr(s.products['AP1012'], 'noise_db'))} dB"),
    ],
    "a3-hood-fan-after#0": [
        matches(fan_after_hood, key="products_all"),
        desc("AP1019", "runs the fan for 10 minutes"),
        desc("AP1023", "runs the fan for 10 minutes"),
    ],
    "a3-hood-fan-after#1": [
        name(best_of(where(fan_after_hood), lambda p: attr(p, "noise_db"))),
        fig(
            lambda s: (
                f"{num(best(products(s, where=fan_after_hood), lambda p: attr(p, 'noise_db')).attributes['noise_db'])} dB"
            )
        ),
    ],
    "a3-hood-fan-after#2": [desc("AP1023", "Two LED lights are built in")],
    "a3-microwave-airfry#1": [
        name(best_of(where(air_fry_microwave), price)),
        fig(lambda s: money(best(products(s, where=air_fry_microwave), price).price)),
        desc("AP1032", "mesh basket included"),
    ],
    "a3-microwave-airfry#2": [fig(lambda s: f"{num(attr(s.products['AP1032'], 'power_w'))} W")],
    "a3-nugget-patio#0": [
        matches(patio_nugget, key="products_all"),
        name("AP1040"),
        desc("AP1036", "Not suitable for outdoor use"),
    ],
    "a3-nugget-patio#1": [not_stated("AP1040", "water line", "by hand", "plumb")],
    "a3-fridge-lock-garage#0": [matches(garage_lock_fridge, key="products_all")],
    "a3-fridge-lock-garage#1": [
        name(best_of(where(garage_lock_fridge), price)),
        desc("AP1044", "between 50 °F and 100 °F"),
    ],
    "a3-fridge-lock-garage#2": [desc("AP1044", "The door is reversible")],
    "a3-purifier-halo-clarity#0": [
        fig(lambda s: money(s.products["AP1072"].price)),
        fig(lambda s: money(s.products["AP1074"].price)),
    ],
    "a3-purifier-halo-clarity#1": [
        name(best_of(pair("AP1072", "AP1074"), lambda p: attr(p, "filter_life_months"), "max")),
        fig(lambda s: f"{num(attr(s.products['AP1072'], 'filter_life_months'))} months"),
    ],
    "a3-purifier-halo-clarity#2": [desc("AP1072", "Does not produce ozone")],
    "a3-dehumidifier-crawlspace#0": [
        extremes_where(pump_dehumidifier, "pints_per_day", "max"),
        name(best_of(where(pump_dehumidifier), lambda p: attr(p, "pints_per_day"), "max")),
        fig(
            lambda s: (
                f"{num(max(attr(p, 'pints_per_day') for p in products(s, where=pump_dehumidifier)))} pints"
            )
        ),
    ],
    "a3-dehumidifier-crawlspace#1": [fig(lambda s: f"{num(attr(s.products['AP1082'], 'weight_lb'))} lb")],
    "a3-dehumidifier-crawlspace#2": [
        not_stated("AP1082", "restart", "power outage", "blackout", "auto-restart")
    ],
    "a3-order-dehumidifier-disposal#0": [
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
    "a3-order-dehumidifier-disposal#1": [
        order_delivered("AO7001", "AC101", "Garbage Disposals", delivered_in="2026-11"),
        holds(
            "the disposal is still under warranty",
            lambda s: attr(s.products["AP1009"], "warranty_years") >= 1,
        ),
        policy_has("warranty", "We answer within 2 business days"),
        policy_has("warranty", "with your order number"),
    ],
    "a3-order-cancel-icemaker#0": [
        order_check("AO7007", "AC104", "processing", leaf_name="Ice Makers"),
        fig("AO7007"),
        policy_has("returns", 'Orders can be cancelled free of charge while they are still "processing"'),
    ],
    "a3-order-cancel-icemaker#1": [
        order_check("AO7007", "AC104", "processing"),
        policy_has("payments", "Your card is charged when the order ships"),
    ],
    "a3-hello-washer-allergies#1": [
        not_carried("washing machine", "front load", "washer-dryer", "washer dryer")
    ],
    # ------------------------------------------------ clothing shop
    "c3-hoodie-cardigan#0": [not_carried("hoodie", "hooded sweatshirt", "sweatshirt")],
    "c3-hoodie-cardigan#1": [matches(men_cardigan_jacket), name("CL1047")],
    "c3-hoodie-cardigan#2": [desc("CL1047", "two patch pockets")],
    "c3-boots-cold-wet-feet#0": [matches(waterproof_boot, key="products_all"), name("CL1080")],
    "c3-boots-cold-wet-feet#1": [desc("CL1080", "Wide fit: narrow feet may want an extra insole")],
    "c3-boots-cold-wet-feet#2": [
        holds("CL1080 colours", lambda s: attr(s.products["CL1080"], "colors") == ["dark brown", "black"])
    ],
    "c3-jeans-taper-carpenter#0": [
        fig(lambda s: money(s.products["CL1053"].price)),
        fig(lambda s: money(s.products["CL1054"].price)),
    ],
    "c3-jeans-taper-carpenter#1": [
        name("CL1053"),
        holds(
            "of the two only CL1053 stretches",
            lambda s: (
                attr(s.products["CL1053"], "stretch") is True
                and attr(s.products["CL1054"], "stretch") is False
            ),
        ),
    ],
    "c3-jeans-taper-carpenter#2": [fig(lambda s: f"{num(attr(s.products['CL1054'], 'denim_oz'))} oz")],
    "c3-merino-men-under-100#0": [matches(men_washable_merino_100, key="products_all")],
    "c3-merino-men-under-100#1": [
        holds("CL1044 is the zip one", lambda s: "zip" in s.products["CL1044"].title.lower()),
        holds("CL1044 colours", lambda s: attr(s.products["CL1044"], "colors") == ["navy", "charcoal"]),
    ],
    "c3-merino-men-under-100#2": [
        fig(lambda s: f"{num(attr(s.products['CL1044'], 'weight_oz'))} oz"),
        fig(lambda s: f"{num(attr(s.products['CL1043'], 'weight_oz'))} oz"),
    ],
    "c3-velvet-wedding#0": [matches(velvet, key="products_all"), name("CL1008")],
    "c3-velvet-wedding#1": [
        desc("CL1008", "Final sale: this dress cannot be returned or exchanged"),
        policy_has(
            "returns", 'Items marked "Final sale" on the product page cannot be returned or exchanged'
        ),
    ],
    "c3-velvet-wedding#2": [desc("CL1008", "hidden zip at the back")],
    "c3-tee-white-opaque#0": [matches(opaque_white_tee, key="products_all"), name("CL1010")],
    "c3-tee-white-opaque#1": [desc("CL1010", "Pre-shrunk, so it keeps its length after washing")],
    "c3-tee-white-opaque#2": [not_stated("CL1010", "made in", "'origin'", "country")],
    "c3-jeans-heaviest-women#0": [
        extremes_where(women_jeans, "denim_oz", "max"),
        name(best_of(where(women_jeans), lambda p: attr(p, "denim_oz"), "max")),
        fig(lambda s: f"{num(max(attr(p, 'denim_oz') for p in products(s, where=women_jeans)))} oz"),
    ],
    "c3-jeans-heaviest-women#1": [desc("CL1029", "bleeds indigo")],
    "c3-jeans-heaviest-women#2": [
        holds(
            "CL1029 does not stretch",
            lambda s: (
                attr(s.products["CL1029"], "stretch") is False
                and attr(s.products["CL1029"], "fabric") == "100% cotton selvedge denim"
            ),
        )
    ],
    "c3-ankle-boot-heel#0": [
        desc("CL1081", "true to size"),
        holds("CL1081 comes in 8.5", lambda s: "8.5" in attr(s.products["CL1081"], "sizes")),
    ],
    "c3-ankle-boot-heel#1": [fig(lambda s: f"{num(attr(s.products['CL1081'], 'heel_in'))} in")],
    "c3-ankle-boot-heel#2": [stated_origin("CL1081", "Spain")],
    "c3-order-return-scarf#0": [
        order_check("CO5005", "CC303", "delivered", leaf_name="Scarves"),
        holds(
            "of CC303's orders only CO5005 holds a silk scarf",
            lambda s: (
                [
                    o.order_id
                    for o in s.orders.values()
                    if o.customer_id == "CC303"
                    for i in o.items
                    if leaf(s.products[i.product_id]) == "Scarves"
                    and "silk" in attr(s.products[i.product_id], "fabric")
                ]
                == ["CO5005"]
            ),
        ),
        holds("CO5005 was placed in September", lambda s: str(s.orders["CO5005"].placed_at)[:7] == "2026-09"),
        within_window("CO5005", 60),
        holds("the order went abroad", lambda s: s.orders["CO5005"].shipping_method == "international"),
        customer_is("CC303", "country", "CA"),
        policy_has("returns", "within 60 days of delivery"),
        policy_has("returns", "International returns are sent back at your own cost"),
    ],
    "c3-order-insider-label#0": [
        order_delivered("CO5001", "CC301", "Dresses", delivered_in="2026-10"),
        within_window("CO5001", 60),
        customer_is("CC301", "tier", "insider"),
        policy_has("returns", "It is free for Insider members"),
    ],
    "c3-order-insider-label#1": [
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
}


# ---------------------------------------------------------------- freshness


def says_of(file: Path) -> list[str]:
    data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    return [t.get("say", "") for c in data.get("cases", []) for t in c.get("turns", [])]


def check_fresh(says: list[tuple[str, str]], problems: list[str]) -> str:
    """Not a repeat of an earlier suite or of another pool turn; not pasted from the data sets."""
    earlier = [
        (f.relative_to(REPO).as_posix(), s, v2.norm(s)) for f in EARLIER if f.is_file() for s in says_of(f)
    ]
    seen: dict[str, str] = {}
    for where_, say in says:
        n = v2.norm(say)
        if n in seen:
            problems.append(f"{where_}: repeats the say of {seen[n]}")
        seen.setdefault(n, where_)
        for other, o, on in earlier:
            if difflib.SequenceMatcher(None, n, on).ratio() >= NEAR_EARLIER:
                problems.append(f"{where_}: {say!r} is too close to {other}'s {o!r}")
    texts = v2.dataset_texts()
    if texts is None:
        return f"data sets not found at {v2.DATASETS}: paste check skipped"
    corpus = "".join(f"| {v2.norm(t)} |" for t in texts)
    by_size: dict[int, list[set[str]]] = {}
    for t in texts:
        if len(t) < 300:
            ts = set(v2.norm(t).split())
            by_size.setdefault(len(ts), []).append(ts)
    for where_, say in says:
        n = v2.norm(say)
        words = n.split()
        if f"| {n} |" in corpus:
            problems.append(f"{where_}: {say!r} is a data-set text")
            continue
        runs = {" ".join(words[i : i + RUN_WORDS]) for i in range(len(words) - RUN_WORDS + 1)}
        pasted = sorted(r for r in runs if f" {r} " in corpus)
        if pasted:
            problems.append(
                f"{where_}: {say!r} has a run of {RUN_WORDS}+ words from the data sets: {pasted[0]!r}"
            )
            continue
        ws = set(words)
        if len(ws) < 5:
            continue
        sizes = range(int(len(ws) * v2.NEAR_DATASET), int(len(ws) / v2.NEAR_DATASET) + 1)
        if any(
            len(ws & ts) / len(ws | ts) >= v2.NEAR_DATASET for size in sizes for ts in by_size.get(size, [])
        ):
            problems.append(f"{where_}: {say!r} is nearly word for word a data-set text")
    return f"paste check against {len(texts)} data-set texts"


# ---------------------------------------------------------------- the driver


def has_not_stated(turn: dict) -> bool:
    return any(isinstance(g, list) and NOT_STATED in [a.lower() for a in g] for g in turn.get("answer", []))


def is_not_stated_check(check: Callable) -> bool:
    return getattr(check, "__qualname__", "").startswith("not_stated")


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--pool", type=Path, default=POOL, help="the pool folder (default: %(default)s)")
    args.add_argument(
        "--shops", default=",".join(FILES), help="comma-separated shops to check (default: %(default)s)"
    )
    opts = args.parse_args(argv)
    wanted = [s for s in opts.shops.split(",") if s]
    unknown = [s for s in wanted if s not in FILES]
    if unknown:
        print(f"unknown shop(s) {unknown}; known: {sorted(FILES)}")
        return 2
    problems: list[str] = []
    covered: set[str] = set()
    seen_ids: set[str] = set()
    totals: dict[str, tuple[int, int, int, int]] = {}
    says: list[tuple[str, str]] = []
    for key_ in wanted:
        spec = FILES[key_]
        file = opts.pool / spec.file
        if not file.is_file():
            problems.append(f"{spec.file}: missing")
            continue
        shop = load_shop(REPO / spec.directory)
        if shop.errors:
            problems.append(f"{spec.directory}: loads with errors {shop.errors[:3]}")
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        v1.check_format(file.name, data, shop, problems)
        if not isinstance(data, dict) or "cases" not in data:
            continue
        v2.check_shape(file.name, data, problems)
        if data.get("shop") != spec.directory:
            problems.append(f"{file.name}: shop must be {spec.directory}")
        turns = [t for c in data["cases"] for t in c["turns"]]
        totals[file.name] = (
            len(data["cases"]),
            len(turns),
            sum(1 for t in turns if "answer" in t),
            sum(1 for t in turns if has_not_stated(t)),
        )
        for case in data["cases"]:
            if not case["id"].startswith(spec.case_prefix):
                problems.append(f"{file.name}: case id {case['id']} does not start with {spec.case_prefix}")
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
                    v2.run_checks(Ctx(shop, case, i, turn, where_, problems), checks)
                elif "answer" in turn and not by_policy:
                    problems.append(f"{where_}: has an answer but no FACTS entry checks it")
                if has_not_stated(turn) and not any(is_not_stated_check(c) for c in checks or []):
                    problems.append(f"{where_}: a 'not stated' answer needs a not_stated() check")
    prefixes = tuple(FILES[s].case_prefix for s in wanted)
    for key in sorted(set(FACTS) - covered):
        if key.startswith(prefixes):
            problems.append(f"FACTS entry {key} matches no turn of the pool")
    note = check_fresh(says, problems)
    for file_name, (cases, turns, answered, unstated) in totals.items():
        print(
            f"{file_name:22s} {cases:3d} cases {turns:4d} turns {answered:4d} with an answer"
            f" {unstated:3d} 'not stated'"
        )
    print(
        f"{'total':22s} {sum(t[0] for t in totals.values()):3d} cases {sum(t[1] for t in totals.values()):4d} turns"
        f" {sum(t[2] for t in totals.values()):4d} with an answer {sum(t[3] for t in totals.values()):3d} 'not stated'"
    )
    print(note)
    for line in problems:
        print("PROBLEM", line)
    print("ok" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
