"""Attribute builders: one small function per category turns a quality tier into the product's
attributes, title and description facts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .common import Dice, join_words

MEN_SHOE_SIZES = ["7", "7.5", "8", "8.5", "9", "9.5", "10", "10.5", "11", "11.5", "12", "12.5", "13"]
WOMEN_SHOE_SIZES = ["6", "6.5", "7", "7.5", "8", "8.5", "9", "9.5", "10", "10.5", "11"]
UNISEX_SHOE_SIZES = ["6", "6.5", *MEN_SHOE_SIZES]
APPAREL_SIZES = ["XS", "S", "M", "L", "XL", "XXL"]

# Colour values avoid common words ("clear", "natural", "charcoal", bare "gold"): the query
# parser treats any catalogue colour word in a question as a colour filter.
OUTDOOR_COLOURS = [
    "black",
    "grey",
    "navy blue",
    "blue",
    "cobalt blue",
    "red",
    "orange",
    "forest green",
    "olive green",
    "yellow",
    "teal",
    "white",
    "purple",
    "sky blue",
]
FITNESS_COLOURS = [
    "black",
    "grey",
    "blue",
    "navy blue",
    "pink",
    "purple",
    "teal",
    "red",
    "sage green",
    "lilac",
    "orange",
]
TOOL_COLOURS = ["black", "white", "rose gold", "pink", "sky blue", "lilac", "silver", "navy blue"]


# One checkable sentence per key ingredient; descriptions quote the product's first two.
INGREDIENT_NOTES = {
    "niacinamide": "Niacinamide helps even out skin tone and visibly refines pores.",
    "hyaluronic acid": "Hyaluronic acid in two molecular weights draws water into the skin's surface.",
    "ceramides": "Three essential ceramides help rebuild a weakened skin barrier.",
    "retinol": "Encapsulated retinol releases slowly overnight to smooth fine lines with less irritation.",
    "vitamin C": "Stabilised vitamin C brightens dullness and fades dark spots over about 8 weeks.",
    "salicylic acid": "Salicylic acid (2% BHA) works inside pores to clear blackheads and breakouts.",
    "glycolic acid": "Glycolic acid gently resurfaces for smoother, brighter skin.",
    "lactic acid": "Lactic acid exfoliates gently while it hydrates.",
    "zinc oxide": "Zinc oxide gives gentle mineral UVA and UVB protection that suits reactive skin.",
    "titanium dioxide": "Titanium dioxide reflects UVB rays and adds to the mineral protection.",
    "avobenzone": "Avobenzone provides long-range UVA protection in a clear, no-white-cast finish.",
    "centella asiatica": "Centella asiatica calms redness and soothes irritated skin.",
    "colloidal oatmeal": "Colloidal oatmeal relieves dry, itchy skin.",
    "squalane": "Plant-derived squalane locks in moisture without a greasy feel.",
    "peptides": "A peptide complex supports firmness and bounce.",
    "azelaic acid": "Azelaic acid calms redness and evens out post-blemish marks.",
    "green tea": "Green tea extract adds antioxidant protection.",
    "kaolin clay": "Kaolin clay absorbs excess oil and lifts impurities from pores.",
    "vitamin E": "Vitamin E conditions and protects against dryness.",
    "shea butter": "Shea butter cushions and softens.",
    "jojoba oil": "Jojoba oil adds slip and a comfortable, non-drying feel.",
    "aloe vera": "Aloe vera cools and soothes.",
    "panthenol": "Panthenol (pro-vitamin B5) soothes and conditions.",
    "bakuchiol": "Bakuchiol, a plant alternative to retinol, smooths texture without sensitising.",
    "ferulic acid": "Ferulic acid stabilises vitamin C and boosts its antioxidant effect.",
    "rose water": "Rose water refreshes and softens the skin.",
    "tea tree oil": "Tea tree oil helps purify blemish-prone skin.",
    "rice extract": "Fermented rice extract leaves skin smooth and luminous.",
    "honey": "Manuka honey soothes and helps skin hold moisture.",
    "castor oil": "Castor oil conditions lashes as you wear it.",
    "keratin": "Keratin fibres coat each lash for extra length.",
}

TECHNOLOGY_NOTES = {
    "ionic": "Ionic technology breaks up water droplets and cuts frizz for a smoother finish.",
    "ceramic": "A ceramic heater spreads heat evenly, so there are no hot spots that scorch hair.",
    "tourmaline": "Tourmaline-infused grills release negative ions for shine with less heat.",
    "digital motor": "A 110,000 rpm digital motor dries hair in about half the time of a standard dryer.",
}

BRISTLE_NOTES = {
    "boar": "Boar bristles spread natural oils from root to tip for shine.",
    "nylon": "Flexible nylon pins with ball tips detangle without pulling.",
    "mixed boar and nylon": "Mixed boar and nylon bristles detangle and polish in one pass.",
}

ROLLER_NOTES = {
    "jade": "Natural jade stays cool to the touch and helps reduce morning puffiness.",
    "rose quartz": "Rose quartz holds cold longer than most stones, for soothing, de-puffing massage.",
    "stainless steel": "Medical-grade stainless steel can be chilled in the freezer and is easy to sanitise.",
    "amethyst": "Amethyst is smooth and cool, with a dense weight that glides over skin.",
}


# --------------------------------------------------------------------------- attribute builders


@dataclass
class Draft:
    """What a builder returns: the product's attributes, title and extra description facts."""

    title: str
    attrs: dict[str, Any]
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass
class Base:
    brand: str
    model: str
    index: int  # position within the category; "plan" rows pin products by index


GENDER_SUFFIX = {"men": " - Men's", "women": " - Women's", "unisex": ""}


def version(d: Dice, model: str) -> str:
    suffix = d.pick(["", "", " 2", " 3", " 4", " Pro", " XT", " Lite"])
    return "" if suffix.strip() in model.split() else suffix


def colours(d: Dice, pool: list[str], lo: int, hi: int) -> list[str]:
    return d.sample(pool, d.integer(lo, hi))


def shoe_sizes(d: Dice, gender: str) -> list[str]:
    """The sizes still in stock: a full run minus a few sold-out sizes."""
    run = {"men": MEN_SHOE_SIZES, "women": WOMEN_SHOE_SIZES}.get(gender, UNISEX_SHOE_SIZES)
    gone = set(d.sample(run, d.pick([0, 0, 1, 2, 3])))
    return [s for s in run if s not in gone]


def apparel_sizes(d: Dice) -> list[str]:
    start, stop = d.pick([0, 0, 1]), d.pick([5, 6, 6])
    return APPAREL_SIZES[start:stop]


def skin_types(d: Dice, brand: str) -> list[str]:
    # Brands have a skin focus, so "for sensitive skin" has a believable, brand-shaped answer.
    focus = {
        "Dermaveil": ["sensitive", "dry", "normal"],
        "Clearform Labs": ["oily", "combination"],
        "Hydra Bloom": ["dry", "normal", "combination"],
        "Pure Theory": ["normal", "combination", "oily"],
        "Lumiere Botanica": ["normal", "dry", "combination"],
    }.get(brand, ["normal", "combination"])
    if d.chance(0.2):
        return ["all"]
    picked = d.sample(focus, d.integer(1, len(focus)))
    return [s for s in ["sensitive", "dry", "oily", "combination", "normal"] if s in picked]


def ingredients(d: Dice, first: list[str], rest: list[str], k: int) -> list[str]:
    lead = d.pick(first)
    others = [x for x in d.sample(rest, k) if x != lead]
    return [lead, *others][: max(k, 2)]


def clamp(x: float, lo: float, hi: float) -> float:
    return max(lo, min(hi, x))


def merge_title(model: str, kind: str) -> str:
    """``model`` + ``kind`` without repeating a word ("Deep Clay" + "Clay Mask" -> "Deep Clay Mask",
    "Wet Brush" + "Hair Brush" -> "Wet Hair Brush")."""
    model_words = model.split()
    kind_words = kind.split()
    lowered = {w.lower() for w in model_words}
    while kind_words and kind_words[0].lower() in lowered:
        kind_words = kind_words[1:]
    if len(model_words) > 1 and kind_words and model_words[-1].lower() == kind_words[-1].lower():
        model_words = model_words[:-1]
    return " ".join(model_words + kind_words)


# The products known filter queries depend on (see check_coverage and demo_facts.json).
TRAIL_PLAN = [  # (waterproof, price, has size 10, stock)
    (True, 89.99, True, 14),
    (True, 94.99, False, 9),
    (True, 79.99, True, 0),
    (True, 99.99, True, 22),
    (True, 129.99, True, 31),
    (True, 149.99, False, 6),
    (True, 174.99, True, 12),
    (False, 84.99, True, 40),
    (False, 74.99, True, 18),
]
# The first products of these categories get these quality tiers (so budget answers exist).
PINNED_Q = {"rain_jackets": [0.15, 0.3], "hiking_boots": [0.2]}
SUNSCREEN_SPF = [30, 50, 30, 50, 50, 30, 15, 50, 30, 50, 45, 30, 50, 100]


def build_trail_shoes(d: Dice, q: float, b: Base) -> Draft:
    plan = TRAIL_PLAN[b.index] if b.index < len(TRAIL_PLAN) else None
    gender = "unisex" if plan else d.pick(["men", "women", "unisex"], [0.45, 0.4, 0.15])
    wp = plan[0] if plan else d.chance(0.4)
    sizes = shoe_sizes(d, gender)
    if plan:
        sizes = [s for s in sizes if s != "10"]
        if plan[2]:
            sizes = sorted([*sizes, "10"], key=float)
    tag = " GTX" if wp and b.brand == "Trailhaven" else ""
    attrs = {
        "gender": gender,
        "sizes": sizes,
        "colors": colours(d, OUTDOOR_COLOURS, 2, 4),
        "material": d.pick(
            [
                "engineered mesh",
                "ripstop mesh with TPU overlays",
                "recycled polyester mesh",
                "knit mesh with a welded toe cap",
            ]
        ),
        "waterproof": wp,
        "weight_g": int(round(335 - 75 * q + d.normal(0, 10) + (15 if wp else 0))),
        "drop_mm": d.pick([4, 6, 6, 8, 10]),
        "lug_mm": d.pick([3.5, 4, 5, 5, 6]),
        "stack_mm": d.integer(26, 38),
        "cushioning": d.pick(["light", "moderate", "moderate", "max"]),
        "rock_plate": d.chance(0.5),
        "widths": ["standard", "wide"] if d.chance(0.35) else ["standard"],
    }
    facts = {
        "terrain": d.pick(
            [
                "rocky singletrack",
                "muddy forest trails",
                "mountain ultras",
                "mixed dirt and gravel paths",
                "steep, technical descents",
                "everyday trail loops",
            ]
        ),
        "membrane": d.pick(["HydroSeal", "StormShell", "DryCore"]),
        "outsole": d.pick(
            ["a sticky rubber compound", "Vibram-style Megagrip rubber", "a high-traction TrailGrip compound"]
        ),
    }
    title = f"{b.model}{version(d, b.model)}{tag}{' Waterproof' if wp else ''} Trail Running Shoe{GENDER_SUFFIX[gender]}"
    if plan:
        facts["_price"], facts["_stock"] = plan[1], plan[3]
    return Draft(title, attrs, facts)


def build_road_shoes(d: Dice, q: float, b: Base) -> Draft:
    gender = d.pick(["men", "women", "unisex"], [0.45, 0.45, 0.1])
    carbon = q > 0.75 and d.chance(0.6)
    wp = d.chance(0.12)
    attrs = {
        "gender": gender,
        "sizes": shoe_sizes(d, gender),
        "colors": colours(d, OUTDOOR_COLOURS, 2, 4),
        "material": d.pick(["engineered mesh", "jacquard knit", "recycled knit", "breathable mesh"]),
        "waterproof": wp,
        "weight_g": int(round(300 - 90 * q + d.normal(0, 10))),
        "drop_mm": d.pick([0, 4, 6, 8, 8, 10, 12]),
        "stack_mm": d.integer(24, 40),
        "cushioning": d.pick(["light", "moderate", "max"]),
        "carbon_plate": carbon,
        "widths": ["standard", "wide"] if d.chance(0.4) else ["standard"],
    }
    use = (
        "race day and fast tempo runs"
        if carbon
        else d.pick(
            [
                "daily training miles",
                "long runs and marathon training",
                "easy recovery runs",
                "tempo workouts",
                "new runners building up to a first 10K",
                "city commutes on foot",
            ]
        )
    )
    facts = {
        "use": use,
        "membrane": "HydroSeal",
        "foam": d.pick(
            [
                "a nitrogen-infused EVA foam",
                "a PEBA-based superfoam",
                "a dual-density EVA midsole",
                "a supercritical TPU foam",
            ]
        ),
    }
    title = f"{b.model}{version(d, b.model)}{' Waterproof' if wp else ''} Road Running Shoe{GENDER_SUFFIX[gender]}"
    return Draft(title, attrs, facts)


def build_running_shorts(d: Dice, q: float, b: Base) -> Draft:
    gender = d.pick(["men", "women"])
    inseam = d.pick([3, 5, 5, 7, 9])
    attrs = {
        "gender": gender,
        "sizes": apparel_sizes(d),
        "colors": colours(d, OUTDOOR_COLOURS, 2, 4),
        "material": d.pick(
            ["recycled polyester", "nylon-spandex stretch woven", "lightweight polyester ripstop"]
        ),
        "weight_g": int(round(140 - 40 * q + d.normal(0, 8))),
        "inseam_in": inseam,
    }
    facts = {"use": d.pick(["race day", "long runs", "hot-weather runs", "interval sessions", "trail miles"])}
    return Draft(f'{b.model} {inseam}" Running Short{GENDER_SUFFIX[gender]}', attrs, facts)


def build_hiking_boots(d: Dice, q: float, b: Base) -> Draft:
    gender = d.pick(["men", "women"])
    wp = d.chance(0.75)
    cut = d.pick(["mid", "mid", "high"])
    attrs = {
        "gender": gender,
        "sizes": shoe_sizes(d, gender),
        "colors": colours(d, ["brown", "black", "grey", "olive green", "navy blue", "red"], 1, 3),
        "material": d.pick(["full-grain leather", "nubuck leather", "suede and mesh", "synthetic mesh"]),
        "waterproof": wp,
        "weight_g": int(round(720 - 180 * q + d.normal(0, 25))),
        "cut": cut,
        "lug_mm": d.pick([4, 5, 5, 6]),
    }
    facts = {
        "use": d.pick(
            [
                "multi-day backpacking trips",
                "rocky day hikes",
                "wet spring trails",
                "fast-and-light hut treks",
                "winter hiking on snowy paths",
                "long days on rough terrain",
            ]
        ),
        "membrane": d.pick(["HydroSeal", "StormShell", "breathable"]),
        "outsole": d.pick(["deep-lug rubber", "Vibram-style", "high-friction rubber"]),
    }
    title = f"{b.model}{version(d, b.model)}{' Waterproof' if wp else ''} {cut.title()} Hiking Boot{GENDER_SUFFIX[gender]}"
    return Draft(title, attrs, facts)


def build_backpacks(d: Dice, q: float, b: Base) -> Draft:
    capacity = d.pick([18, 22, 28, 32, 40, 45, 55, 65])
    wp = d.chance(0.35)
    attrs = {
        "capacity_l": capacity,
        "colors": colours(d, OUTDOOR_COLOURS, 1, 3),
        "material": d.pick(
            [
                "210D ripstop nylon",
                "recycled 420D polyester",
                "Dyneema composite fabric",
                "500D nylon with a PU coating",
            ]
        ),
        "waterproof": wp,
        "weight_g": int(round(400 + capacity * 25 - 400 * q + d.normal(0, 40))),
    }
    use = (
        "day hikes and bike commutes"
        if capacity <= 22
        else "full-day hikes with layers and lunch"
        if capacity <= 32
        else "overnight and weekend trips"
        if capacity <= 45
        else "multi-day backpacking"
    )
    kind = "Daypack" if capacity <= 32 else "Backpack"
    title = f"{b.model} {capacity}L{' Waterproof' if wp else ''} Hiking {kind}"
    return Draft(title, attrs, {"use": use})


def build_rain_jackets(d: Dice, q: float, b: Base) -> Draft:
    gender = d.pick(["men", "women"])
    layers = "3-layer" if q > 0.6 else d.pick(["2.5-layer", "2-layer"])
    attrs = {
        "gender": gender,
        "sizes": apparel_sizes(d),
        "colors": colours(d, OUTDOOR_COLOURS, 2, 4),
        "material": f"{layers} recycled nylon with a PFC-free water-repellent finish",
        "waterproof": True,
        "waterproof_rating_mm": int(10000 + 18000 * q) // 1000 * 1000,
        "weight_g": int(round(480 - 260 * q + d.normal(0, 15))),
    }
    facts = {
        "layers": layers,
        "use": d.pick(
            [
                "wet hikes in the hills",
                "alpine days",
                "rainy commutes and weekend walks",
                "fast-packing trips",
                "year-round hiking",
            ]
        ),
    }
    return Draft(
        f"{b.model}{version(d, b.model)} Waterproof Rain Jacket{GENDER_SUFFIX[gender]}", attrs, facts
    )


def build_tents(d: Dice, q: float, b: Base) -> Draft:
    persons = d.pick([1, 2, 2, 3, 4, 6])
    season = "4-season" if q > 0.85 else "3-season"
    attrs = {
        "capacity_persons": persons,
        "season": season,
        "colors": colours(d, ["green", "orange", "grey", "yellow", "blue", "olive green"], 1, 2),
        "material": d.pick(["20D silnylon", "68D polyester", "15D nylon ripstop", "75D polyester taffeta"]),
        "waterproof": True,
        "waterproof_rating_mm": d.pick([1500, 2000, 3000, 5000]),
        "freestanding": d.chance(0.7),
        "weight_g": int(round(persons * (900 - 450 * q) + 600 + d.normal(0, 80))),
    }
    use = (
        "solo bikepacking and thru-hikes"
        if persons == 1
        else "backpacking couples"
        if persons == 2
        else "family car camping"
        if persons >= 4
        else "small groups and a dog"
    )
    facts = {
        "use": use if season == "3-season" else "winter camping and exposed alpine sites",
        "packed_cm": d.pick(["40 x 15", "45 x 18", "52 x 20", "60 x 25"]),
    }
    return Draft(f"{b.model} {persons}-Person {season.title()} Tent", attrs, facts)


def build_sleeping_bags(d: Dice, q: float, b: Base) -> Draft:
    # Warmer bags cost more: the rating follows the quality tier, with some spread.
    temp = [10, 7, 4, 2, 0, -1, -7, -9, -18][int(clamp(q + d.normal(0, 0.12), 0, 0.999) * 9)]
    down = q > 0.5
    fill = (
        d.pick(["650-fill-power responsibly sourced down", "800-fill-power hydrophobic down"])
        if down
        else "synthetic hollow-fibre insulation"
    )
    attrs = {
        "temperature_rating_c": temp,
        "fill": "down" if down else "synthetic",
        "shape": d.pick(["mummy", "mummy", "rectangular", "semi-rectangular"]),
        "material": d.pick(["20D ripstop nylon", "recycled polyester", "30D nylon taffeta"]),
        "weight_g": int(round(1900 - 900 * q - temp * 25 + d.normal(0, 60))),
        "colors": colours(d, ["blue", "orange", "red", "grey", "forest green", "navy blue"], 1, 2),
    }
    facts = {
        "fill": fill,
        "use": "winter and shoulder-season trips"
        if temp <= -5
        else "three-season backpacking"
        if temp <= 2
        else "summer camping and festivals",
        "compressed": d.pick(["a 1-litre bottle", "a loaf of bread", "a football"]),
    }
    return Draft(f"{b.model} {temp} °C {'Down' if down else 'Synthetic'} Sleeping Bag", attrs, facts)


def build_stoves(d: Dice, q: float, b: Base) -> Draft:
    fuel = d.pick(["isobutane canister", "isobutane canister", "liquid fuel", "wood and biomass"])
    attrs = {
        "fuel": fuel,
        "weight_g": int(round(420 - 330 * q + d.normal(0, 15))),
        "material": d.pick(["titanium", "hard-anodised aluminium", "stainless steel"]),
        "heat_output_btu": d.pick([7500, 9000, 10000, 11000]),
        "boil_time_min": round(4.5 - 2 * q, 1),
    }
    use = d.pick(["ultralight backpacking", "car camping", "two-person trips", "group cooking at base camp"])
    kind = "Backpacking Stove" if attrs["weight_g"] < 250 else "Camping Stove"
    return Draft(f"{b.model}{version(d, b.model)} {kind}", attrs, {"use": use})


def build_headlamps(d: Dice, q: float, b: Base) -> Draft:
    lumens = [200, 300, 400, 450, 600, 900, 1200][min(6, int(q * 7))]  # brighter costs more
    rechargeable = q > 0.35
    ipx = d.pick(["IPX4", "IPX4", "IPX7"])
    attrs = {
        "lumens": lumens,
        "battery": "rechargeable" if rechargeable else "3x AAA",
        "weight_g": int(round(60 + lumens / 20 - 15 * q + d.normal(0, 5))),
        "ip_rating": ipx,
        "waterproof": ipx == "IPX7",
        "burn_time_h": d.pick([40, 60, 100, 150]),
        "colors": colours(d, ["black", "orange", "blue", "grey", "red"], 1, 2),
    }
    facts = {
        "battery": "a USB-C rechargeable 1500 mAh battery"
        if rechargeable
        else "three AAA batteries (included)",
        "beam_m": 50 + lumens // 8,
        "use": d.pick(
            ["night trail running", "camp chores", "early alpine starts", "caving and night hikes"]
        ),
    }
    return Draft(f"{b.model} {lumens} Lumen{' Rechargeable' if rechargeable else ''} Headlamp", attrs, facts)


def build_dumbbells(d: Dice, q: float, b: Base) -> Draft:
    if b.model in ("Quickset", "Blockset", "Compact Select", "Dialtech"):
        top = d.pick([24, 32, 40])
        attrs = {
            "weight_kg": top,
            "min_weight_kg": 2.5,
            "adjustable": True,
            "sold_as": "pair",
            "material": "steel plates in a moulded cradle",
        }
        desc = f"a pair of adjustable dumbbells from 2.5 to {top} kg each"
        title = f"{b.model} Adjustable Dumbbells 2.5-{top} kg (Pair)"
    else:
        if b.model in ("Studio", "Grip Plus", "Soft Grip"):
            kg, material, kind = d.pick([1, 2, 3, 4, 5]), "neoprene-coated cast iron", "Neoprene Dumbbells"
        elif b.model == "Urethane Pro":
            kg, material, kind = d.pick([10, 12.5, 15, 20, 25]), "urethane-coated steel", "Dumbbells"
        else:
            kg, material, kind = (
                d.pick([5, 7.5, 10, 12.5, 15, 20, 25]),
                "rubber-coated cast iron",
                "Hex Dumbbells",
            )
        attrs = {"weight_kg": kg, "adjustable": False, "sold_as": "pair", "material": material}
        desc = f"a pair of {kg:g} kg {material} dumbbells"
        title = f"{merge_title(b.model, kind)} {kg:g} kg (Pair)"
    palette = (
        ["pink", "blue", "purple", "teal", "lilac"]
        if attrs["material"].startswith("neoprene")
        else ["black", "grey"]
    )
    attrs["colors"] = colours(d, palette, 1, 2)
    facts = {
        "weight_desc": desc,
        "sold_as": "pair (two dumbbells)",
        "use": d.pick(["home strength training", "apartment gyms", "beginner toning", "hypertrophy blocks"]),
    }
    return Draft(title, attrs, facts)


def build_kettlebells(d: Dice, q: float, b: Base) -> Draft:
    adjustable = b.model == "Quick Select"
    kg = 18 if adjustable else d.pick([4, 8, 12, 16, 20, 24, 28, 32])
    material = (
        "competition-grade steel" if b.model == "Competition" else "cast iron with a powder-coat finish"
    )
    if kg <= 8 and not adjustable and b.model != "Competition" or b.model == "Vinyl Grip":
        material = "vinyl-coated cast iron"
    attrs = {
        "weight_kg": kg,
        "adjustable": adjustable,
        "material": material,
        "colors": colours(
            d, ["black", "blue", "red", "pink", "teal"] if "vinyl" in material else ["black", "grey"], 1, 1
        ),
    }
    use = d.pick(
        [
            "swings and Turkish get-ups",
            "home conditioning circuits",
            "beginner strength work",
            "kettlebell sport",
        ]
    )
    kind = "Adjustable Kettlebell" if adjustable else "Kettlebell"
    return Draft(f"{merge_title(b.model, kind)} {kg} kg", attrs, {"use": use})


def build_resistance_bands(d: Dice, q: float, b: Base) -> Draft:
    pieces = d.pick([3, 5, 5, 11])
    levels = ["light", "medium", "heavy", "x-heavy", "xx-heavy"][: min(pieces, 5)]
    attrs = {
        "pieces": pieces,
        "resistance": levels,
        "material": d.pick(["natural latex", "TPE (latex-free)", "fabric-covered latex"]),
        "max_resistance_kg": d.pick([15, 20, 23, 34, 45]),
        "colors": colours(d, FITNESS_COLOURS, 2, 4),
    }
    use = d.pick(
        ["glute and leg activation", "physio and rehab", "travel workouts", "pull-up assistance", "Pilates"]
    )
    return Draft(
        f"{b.model} Resistance Band Set ({pieces} Pieces)",
        attrs,
        {"use": use, "levels_text": join_words(levels)},
    )


def build_yoga_mats(d: Dice, q: float, b: Base) -> Draft:
    thick = d.pick([1.5, 3, 4, 5, 6, 6, 8])
    material = d.pick(
        [
            "natural tree rubber",
            "TPE foam",
            "cork over natural rubber",
            "PU-topped natural rubber",
            "PVC-free foam",
        ]
    )
    length = d.pick([173, 183, 183, 190])
    palette = colours(d, FITNESS_COLOURS, 1, 3)
    if b.index < 2:  # "blue yoga mat" must have answers
        palette = list(dict.fromkeys([["blue", "navy blue"][b.index], *palette]))
    attrs = {
        "thickness_mm": thick,
        "material": material,
        "length_cm": length,
        "weight_g": int(round(thick * 300 + (400 if "rubber" in material else 0) + d.normal(0, 50))),
        "colors": palette,
    }
    use = (
        "travel and hot yoga"
        if thick <= 2
        else "Pilates and floor work"
        if thick >= 6
        else d.pick(["vinyasa flow", "hot yoga", "daily home practice", "studio classes"])
    )
    kind = "Travel Yoga Mat" if thick <= 2 else "Yoga Mat"
    return Draft(f"{b.model} {thick:g}mm {kind}", attrs, {"use": use, "fits_cm": length + 7})


def build_benches(d: Dice, q: float, b: Base) -> Draft:
    adjustable = b.model != "Flatline"
    foldable = b.model == "Compact" or d.chance(0.25)
    bench_type = "adjustable FID" if adjustable else "flat"
    attrs = {
        "adjustable": adjustable,
        "foldable": foldable,
        "max_load_kg": d.pick([250, 300, 350, 450]),
        "weight_kg": round(12 + 16 * q + d.normal(0, 1.5), 1),
        "positions": d.pick([6, 7, 9, 12]) if adjustable else 1,
        "material": d.pick(
            ["11-gauge steel with vinyl upholstery", "powder-coated steel with a 6 cm foam pad"]
        ),
        "colors": colours(d, ["black", "red", "grey", "blue"], 1, 1),
    }
    use = d.pick(
        [
            "garage gyms",
            "bench press and dumbbell rows",
            "small-apartment home gyms",
            "full-body strength programs",
        ]
    )
    kind = f"{'Adjustable' if adjustable else 'Flat'}{' Foldable' if foldable else ''} Weight Bench"
    return Draft(merge_title(b.model, kind), attrs, {"use": use, "bench_type": bench_type})


PULLUP_MOUNTS = {
    "Doorway Pro": "doorway",
    "Wallmount": "wall",
    "Chin-Up Max": "doorway",
    "Power Tower": "free-standing tower",
    "Ceiling Rig": "ceiling",
    "Multi-Grip": "doorway",
}


def build_pullup_bars(d: Dice, q: float, b: Base) -> Draft:
    mount = PULLUP_MOUNTS.get(b.model, "doorway")
    attrs = {
        "mount": mount,
        "max_load_kg": d.pick([100, 136, 150, 180]),
        "weight_kg": {"doorway": 2.4, "wall": 6.5, "ceiling": 7.0}.get(mount, 38.0),
        "material": "powder-coated steel",
        "colors": ["black"],
    }
    use = d.pick(["pull-ups and chin-ups at home", "calisthenics progressions", "hanging core work"])
    if mount == "free-standing tower":
        title = f"{b.model} Pull-Up and Dip Station"
    elif mount.split()[0] in b.model.lower() or mount in ("wall", "ceiling"):
        title = f"{b.model} Pull-Up Bar"
    else:
        title = f"{b.model} {mount.title()} Pull-Up Bar"
    return Draft(title, attrs, {"use": use})


def build_foam_rollers(d: Dice, q: float, b: Base) -> Draft:
    vib = d.pick([3, 4, 5]) if b.model == "Vibe Max" else 0
    attrs = {
        "length_cm": d.pick([30, 33, 45, 90]),
        "density": d.pick(["soft", "medium", "firm"]),
        "material": d.pick(["EVA foam", "EPP foam", "high-density EVA"]),
        "vibration_speeds": vib,
        "colors": colours(d, FITNESS_COLOURS, 1, 2),
    }
    use = d.pick(
        [
            "post-run recovery",
            "IT band and quad release",
            "warm-ups before lifting",
            "desk-worker back tension",
        ]
    )
    kind = "Vibrating Foam Roller" if vib else "Foam Roller"
    facts = {"use": use, **({"_price": 119.99} if vib else {})}  # the motor puts it above the foam-only range
    return Draft(f"{merge_title(b.model, kind)} {attrs['length_cm']} cm", attrs, facts)


def skincare_attrs(d: Dice, b: Base, skin: list[str], ingr: list[str]) -> dict[str, Any]:
    # Dermaveil's promise (and brand identity) is fragrance-free, vegan, for reactive skin.
    derma = b.brand == "Dermaveil"
    return {
        "skin_type": skin,
        "ingredients": ingr,
        "fragrance_free": derma or d.chance(0.5),
        "vegan": derma or d.chance(0.5),
        "non_comedogenic": d.chance(0.6) or "oily" in skin,
    }


def skin_facts(attrs: dict[str, Any]) -> dict[str, str]:
    skin = attrs.get("skin_type", ["all"])
    ingr = attrs.get("ingredients", [])
    return {
        "skin_text": "all" if skin == ["all"] else join_words(skin),
        "ingredient_note": INGREDIENT_NOTES.get(ingr[0], "") if ingr else "",
        "ingredient_note_2": INGREDIENT_NOTES.get(ingr[1], "") if len(ingr) > 1 else "",
    }


CLEANSER_TEXTURES = {
    "Gentle Cream": "cream",
    "Daily Foaming": "foam",
    "Balancing Gel": "gel",
    "Oat Milk": "milk",
    "Pure Micellar": "micellar water",
    "Melt Away": "balm",
}
CLEANSER_TITLES = {
    "cream": "Cream Cleanser",
    "foam": "Foaming Cleanser",
    "gel": "Gel Cleanser",
    "milk": "Cleanser",
    "micellar water": "Micellar Cleansing Water",
    "balm": "Cleansing Balm",
}


def build_cleansers(d: Dice, q: float, b: Base) -> Draft:
    skin = skin_types(d, b.brand)
    lead = (
        ["salicylic acid", "tea tree oil", "kaolin clay"]
        if "oily" in skin
        else [
            "ceramides",
            "colloidal oatmeal",
            "hyaluronic acid",
            "centella asiatica",
            "green tea",
            "rice extract",
        ]
    )
    attrs = skincare_attrs(
        d, b, skin, ingredients(d, lead, ["glycerin", "panthenol", "aloe vera", "niacinamide"], 3)
    )
    texture = CLEANSER_TEXTURES.get(b.model) or d.pick(["gel", "cream", "foam"])
    attrs |= {"volume_ml": d.pick([100, 150, 200, 236, 400]), "texture": texture}
    return Draft(
        merge_title(b.model, CLEANSER_TITLES[texture]), attrs, {"texture": f"{texture} cleanser", "ph": "5.5"}
    )


def moisturizer_texture(d: Dice, model: str) -> str:
    # The model name promises a texture ("Oil-Free Gel"); the attribute must not contradict it.
    for word, texture in (
        ("Gel", "gel-cream"),
        ("Water", "gel-cream"),
        ("Whip", "whipped cream"),
        ("Balm", "balm"),
        ("Rich", "rich cream"),
        ("Night", "rich cream"),
        ("Overnight", "rich cream"),
    ):
        if word in model:
            return texture
    return d.pick(["lightweight lotion", "cream", "gel-cream"])


def build_moisturizers(d: Dice, q: float, b: Base) -> Draft:
    skin = ["sensitive", "dry"] if b.index < 4 else skin_types(d, b.brand)
    lead = (
        ["niacinamide", "hyaluronic acid"]
        if "oily" in skin
        else [
            "ceramides",
            "hyaluronic acid",
            "squalane",
            "peptides",
            "colloidal oatmeal",
            "centella asiatica",
        ]
    )
    attrs = skincare_attrs(
        d,
        b,
        skin,
        ingredients(
            d,
            lead,
            ["ceramides", "panthenol", "squalane", "niacinamide", "vitamin E", "shea butter", "aloe vera"],
            3,
        ),
    )
    if "sensitive" in skin:
        attrs["fragrance_free"] = True  # a sensitive-skin moisturizer with perfume would not survive review
    texture = moisturizer_texture(d, b.model)
    if "Night" not in b.model and d.chance(0.3) or b.model == "Daily Defense":
        attrs["spf"] = d.pick([15, 30, 30])
    attrs["tinted"] = bool(attrs.get("spf")) and d.chance(0.4)
    attrs |= {"volume_ml": d.pick([50, 50, 75, 100]), "texture": texture}
    spf = f" SPF {attrs['spf']}" if attrs.get("spf") else ""
    tint = "Tinted " if attrs["tinted"] else ""
    return Draft(
        f"{b.model} {tint}Moisturizer{spf}",
        attrs,
        {"texture": texture, "pack": d.pick(["airless pump", "jar", "tube"])},
    )


SERUM_HERO = {
    "Bright C": ["vitamin C", "ferulic acid"],
    "Niacinamide 10": ["niacinamide", "zinc"],
    "Retinol Night": ["retinol", "squalane"],
    "Hydra Boost": ["hyaluronic acid", "panthenol"],
    "Peptide Lift": ["peptides", "hyaluronic acid"],
    "Azelaic Calm": ["azelaic acid", "centella asiatica"],
    "Clear Skin BHA": ["salicylic acid", "niacinamide"],
    "Lactic Glow": ["lactic acid", "rice extract"],
    "Ferulic C+E": ["vitamin C", "vitamin E"],
    "Barrier Repair": ["ceramides", "panthenol"],
    "Bakuchiol": ["bakuchiol", "squalane"],
    "Pure Squalane": ["squalane", "vitamin E"],
    "Even Tone": ["niacinamide", "vitamin C"],
    "Multi-Peptide": ["peptides", "niacinamide"],
}
SERUM_CONCERNS = {
    "vitamin C": ["dullness", "dark spots"],
    "niacinamide": ["enlarged pores", "uneven tone"],
    "retinol": ["fine lines", "uneven texture"],
    "hyaluronic acid": ["dehydration"],
    "peptides": ["loss of firmness"],
    "azelaic acid": ["redness", "post-blemish marks"],
    "salicylic acid": ["breakouts", "blackheads"],
    "lactic acid": ["dullness", "rough texture"],
    "ceramides": ["a damaged barrier"],
    "bakuchiol": ["fine lines"],
    "squalane": ["dryness"],
}


def build_serums(d: Dice, q: float, b: Base) -> Draft:
    hero = SERUM_HERO.get(b.model, ["hyaluronic acid", "niacinamide"])
    skin = ["oily", "combination"] if hero[0] in ("salicylic acid", "niacinamide") else skin_types(d, b.brand)
    attrs = skincare_attrs(d, b, skin, [*hero, d.pick(["glycerin", "panthenol", "allantoin"])])
    concerns = SERUM_CONCERNS.get(hero[0], ["dullness"])
    attrs |= {"volume_ml": 30, "concerns": concerns}
    return Draft(
        f"{b.model} Serum",
        attrs,
        {
            "hero": hero[0],
            "concerns_text": join_words(concerns),
            "pack": d.pick(["amber glass dropper bottle", "opaque airless pump"]),
        },
    )


def build_sunscreens(d: Dice, q: float, b: Base) -> Draft:
    spf = SUNSCREEN_SPF[b.index % len(SUNSCREEN_SPF)]
    mineral = b.model in ("Mineral Veil", "Kids Mineral", "Calm Mineral", "Sheer Tint") or d.chance(0.3)
    filt = "mineral" if mineral else d.pick(["chemical", "hybrid"])
    ingr = (
        ["zinc oxide", "titanium dioxide"]
        if mineral
        else ["avobenzone", "niacinamide" if d.chance(0.5) else "vitamin E"]
    )
    skin = ["sensitive", "dry"] if mineral and d.chance(0.6) else skin_types(d, b.brand)
    attrs = skincare_attrs(d, b, skin, ingr) | {
        "spf": spf,
        "filter_type": filt,
        "water_resistant_min": d.pick([40, 80]),
        "tinted": b.model == "Sheer Tint" or d.chance(0.15),
        "volume_ml": d.pick([30, 50, 50, 75, 100]),
    }
    texture = d.pick(["fluid", "lotion", "gel", "cream", "stick"]) if b.model != "Active Stick" else "stick"
    use = d.pick(
        [
            "daily city wear",
            "beach days and swimming",
            "runs and outdoor sports",
            "hikes at altitude",
            "kids' skin",
        ]
    )
    tint = "Tinted " if attrs["tinted"] and "Tint" not in b.model else ""
    return Draft(
        f"{b.model} {tint}{'Mineral ' if mineral and 'Mineral' not in b.model else ''}Sunscreen SPF {spf}",
        attrs,
        {"texture": f"{texture} sunscreen", "use": use, "pack": "stick" if texture == "stick" else "tube"},
    )


def build_toners(d: Dice, q: float, b: Base) -> Draft:
    skin = skin_types(d, b.brand)
    lead = (
        ["salicylic acid", "glycolic acid", "niacinamide"]
        if "oily" in skin
        else ["rose water", "hyaluronic acid", "centella asiatica", "green tea", "lactic acid"]
    )
    if b.model == "Exfoliating AHA":
        lead = ["glycolic acid", "lactic acid"]
    attrs = skincare_attrs(d, b, skin, ingredients(d, lead, ["panthenol", "aloe vera", "glycerin"], 2))
    attrs |= {"alcohol_free": d.chance(0.85), "volume_ml": d.pick([120, 150, 200, 250])}
    texture = {
        "Calming Mist": "facial mist",
        "Milky": "milky toner",
        "Hydrating Essence": "watery essence",
    }.get(b.model, "toner")
    return Draft(merge_title(b.model, "Toner"), attrs, {"texture": texture})


MASK_TYPES = {
    "Deep Clay": "clay",
    "Purifying Mud": "clay",
    "Detox": "clay",
    "Hydra Sheet": "sheet",
    "Brightening": "sheet",
    "Overnight Glow": "sleeping",
    "Rescue": "sleeping",
    "Honey Calm": "cream",
    "Cooling Gel": "gel",
    "Peel Renew": "gel",
}


def build_face_masks(d: Dice, q: float, b: Base) -> Draft:
    mask_type = MASK_TYPES.get(b.model, "cream")
    skin = skin_types(d, b.brand)
    lead = {
        "clay": ["kaolin clay"],
        "sheet": ["hyaluronic acid", "centella asiatica"],
        "sleeping": ["peptides", "squalane", "rice extract"],
    }.get(mask_type, ["aloe vera", "honey"])
    attrs = skincare_attrs(d, b, skin, ingredients(d, lead, ["niacinamide", "panthenol", "green tea"], 2))
    count = d.pick([5, 10]) if mask_type == "sheet" else 0
    attrs |= {"mask_type": mask_type}
    if count:
        attrs["count"] = count
    else:
        attrs["volume_ml"] = d.pick([50, 75, 100])
    concerns = {
        "clay": "excess oil and congested pores",
        "sheet": "dehydration",
        "sleeping": "dullness and dryness",
    }
    facts = {
        "concerns_text": concerns.get(mask_type, "redness and tired skin"),
        "frequency": "twice a week" if mask_type == "clay" else "up to three times a week",
        "count": count,
    }
    suffix = f" ({count}-Pack)" if count else ""
    return Draft(merge_title(b.model, f"{mask_type.title()} Mask") + suffix, attrs, facts)


FOUNDATION_SHADES = [
    "110 Porcelain",
    "120 Ivory",
    "130 Fair",
    "210 Light Beige",
    "220 Warm Beige",
    "230 Sand",
    "240 Natural Buff",
    "310 Honey",
    "320 Golden",
    "330 Caramel",
    "410 Almond",
    "420 Chestnut",
    "430 Espresso",
    "510 Mocha",
    "520 Deep Ebony",
]
LIP_SHADES = [
    "Ruby Red",
    "Brick",
    "Mauve Dream",
    "Pink Nude",
    "Coral Crush",
    "Berry Bold",
    "Rosewood",
    "Cherry",
    "Plum",
    "Fuchsia",
    "Terracotta",
    "Classic Red",
    "Peach Fizz",
    "Cocoa",
]
# Colour families for shades, as beauty sites filter them: "red lipstick" is a colour question,
# while foundation and concealer shades are skin tones and get no colour.
SHADE_FAMILY = {
    "Ruby Red": "red",
    "Brick": "red",
    "Mauve Dream": "pink",
    "Pink Nude": "pink",
    "Coral Crush": "orange",
    "Berry Bold": "purple",
    "Rosewood": "pink",
    "Cherry": "red",
    "Plum": "purple",
    "Fuchsia": "pink",
    "Terracotta": "orange",
    "Classic Red": "red",
    "Peach Fizz": "orange",
    "Cocoa": "brown",
    "black": "black",
    "brown-black": "brown",
    "brown": "brown",
    "navy": "navy blue",
}


def shade_colours(shades: list[str]) -> list[str]:
    return list(dict.fromkeys(SHADE_FAMILY[s] for s in shades))


def makeup_attrs(d: Dice, b: Base, shades: list[str], ingr: list[str]) -> dict[str, Any]:
    return {
        "shade": shades,
        "ingredients": ingr,
        "vegan": b.brand == "Glowmuse" or d.chance(0.4),
        "fragrance_free": d.chance(0.5),
        "skin_type": skin_types(d, ""),
    }


def shade_range(d: Dice, pool: list[str], lo: int, hi: int) -> list[str]:
    n = d.integer(lo, min(hi, len(pool)))
    start = d.integer(0, len(pool) - n)
    return pool[start : start + n]


FINISH_WORDS = {
    "matte": "matte",
    "blur": "matte",
    "velvet": "matte",
    "dewy": "dewy",
    "glow": "dewy",
    "luminous": "dewy",
    "satin": "satin",
    "silk": "satin",
    "gloss": "gloss",
    "sheer": "sheer",
    "balm": "sheer",
    "butter": "sheer",
    "cream": "cream",
    "ink": "matte",
    "stain": "matte",
    "radiant": "radiant",
}


def finish_for(d: Dice, model: str, choices: list[str]) -> str:
    for word in model.lower().split():
        if word in FINISH_WORDS:
            return FINISH_WORDS[word]
    return d.pick(choices)


def build_foundation(d: Dice, q: float, b: Base) -> Draft:
    shades = shade_range(d, FOUNDATION_SHADES, 8, 15)
    ingr = ingredients(
        d, ["hyaluronic acid", "niacinamide", "squalane", "salicylic acid"], ["vitamin E", "glycerin"], 2
    )
    attrs = makeup_attrs(d, b, shades, ingr)
    finish = finish_for(d, b.model, ["matte", "natural", "dewy", "satin"])
    coverage = {"Full Cover": "full", "Skin Tint": "light", "Weightless": "light"}.get(b.model) or d.pick(
        ["medium", "full"]
    )
    attrs |= {"finish": finish, "coverage": coverage, "volume_ml": 30, "non_comedogenic": d.chance(0.6)}
    if finish == "matte":
        attrs["skin_type"] = ["oily", "combination"]
    if d.chance(0.3):
        attrs["spf"] = d.pick([15, 20, 30])
    spf = f" SPF {attrs['spf']}" if attrs.get("spf") else ""
    facts = {
        "shade_count": len(shades),
        "shade_first": shades[0],
        "shade_last": shades[-1],
        "wear_hours": d.pick([12, 16, 24]),
    }
    return Draft(merge_title(b.model, "Foundation") + spf, attrs, facts)


def build_lipstick(d: Dice, q: float, b: Base) -> Draft:
    shades = d.sample(LIP_SHADES, d.integer(4, 10))
    attrs = makeup_attrs(
        d,
        b,
        shades,
        ingredients(
            d, ["shea butter", "jojoba oil", "vitamin E", "hyaluronic acid"], ["vitamin E", "castor oil"], 2
        ),
    )
    attrs.pop("skin_type")
    finish = finish_for(d, b.model, ["matte", "satin", "cream"])
    attrs |= {"finish": finish, "weight_g": 3.5, "colors": shade_colours(shades)}
    facts = {
        "shade_count": len(shades),
        "shades_text": join_words(shades[:4]),
        "wear_hours": d.pick([4, 6, 8, 12]),
    }
    named = finish in b.model.lower() or any(w in b.model.lower() for w in ("balm", "butter", "stain"))
    return Draft(f"{b.model} {'' if named else finish.title() + ' '}Lipstick", attrs, facts)


MASCARA_EFFECTS = {
    "Lash Lift": "curling",
    "Volume Boost": "volumizing",
    "Length Rush": "lengthening",
    "Curl Up": "curling",
    "Sky High": "lengthening",
    "Bold Lash": "volumizing",
    "Feather Light": "lengthening",
    "Night Out": "volumizing",
    "Lash Define": "lengthening",
}


def build_mascara(d: Dice, q: float, b: Base) -> Draft:
    wp = b.index % 2 == 0
    effect = MASCARA_EFFECTS.get(b.model, "volumizing")
    shades = ["black"] + d.sample(["brown-black", "brown", "navy"], d.integer(0, 2))
    attrs = makeup_attrs(
        d, b, shades, ingredients(d, ["castor oil", "keratin", "panthenol"], ["vitamin E", "panthenol"], 2)
    )
    attrs.pop("skin_type")
    attrs |= {
        "waterproof": wp,
        "effect": effect,
        "volume_ml": d.pick([8, 9, 10, 11]),
        "colors": shade_colours(shades),
    }
    facts = {
        "brush": d.pick(["hourglass fibre", "curved silicone", "tapered bristle", "spiral"]),
        "shades_text": join_words(shades),
    }
    return Draft(f"{b.model}{' Waterproof' if wp else ''} Mascara", attrs, facts)


def build_concealer(d: Dice, q: float, b: Base) -> Draft:
    shades = shade_range(d, FOUNDATION_SHADES, 6, 12)
    attrs = makeup_attrs(
        d,
        b,
        shades,
        ingredients(
            d, ["hyaluronic acid", "vitamin E", "peptides", "niacinamide"], ["squalane", "glycerin"], 2
        ),
    )
    attrs |= {
        "coverage": d.pick(["medium", "full"]),
        "finish": finish_for(d, b.model, ["natural", "matte", "radiant"]),
        "volume_ml": 6,
    }
    facts = {
        "shade_count": len(shades),
        "shade_first": shades[0],
        "shade_last": shades[-1],
        "wear_hours": d.pick([12, 16]),
    }
    return Draft(f"{b.model} Concealer", attrs, facts)


def build_hair_dryers(d: Dice, q: float, b: Base) -> Draft:
    tech = "digital motor" if q > 0.8 else d.pick(["ionic", "ceramic", "tourmaline"])
    travel = b.model == "Travel Mini"
    extra = {"_price": 44.99} if travel else {}
    watts = 1200 if travel else d.pick([1600, 1800, 1875, 2000])
    attrs = {
        "wattage": watts,
        "technology": tech,
        "weight_g": 380 if travel else int(round(720 - 250 * q + d.normal(0, 20))),
        "heat_settings": 2 if travel else d.pick([3, 4]),
        "dual_voltage": travel or d.chance(0.3),
        "cordless": False,
        "colors": colours(d, TOOL_COLOURS, 1, 3),
    }
    facts = {
        "technology_note": TECHNOLOGY_NOTES[tech],
        "speed_settings": 2 if travel else 3,
        "attachments": d.pick([2, 3, 5]),
        "cord_m": 1.8 if travel else 2.7,
        "use": "travel"
        if travel
        else d.pick(["thick, curly hair", "fine hair that needs volume", "daily blowouts"]),
        **extra,
    }
    return Draft(
        f"{b.model}{' ' + tech.title() if tech != 'digital motor' else ''} Hair Dryer {watts}W", attrs, facts
    )


def build_straighteners(d: Dice, q: float, b: Base) -> Draft:
    cordless = b.model == "Cordless Go"
    plate = d.pick(["ceramic", "titanium", "tourmaline ceramic"])
    width = 20 if b.model == "Mini Flat" else d.pick([25, 25, 32, 38])
    attrs = {
        "plate_material": plate,
        "plate_width_mm": width,
        "max_temp_c": d.pick([200, 210, 230, 235]),
        "wattage": 30 if cordless else d.pick([45, 50, 60]),
        "cordless": cordless,
        "dual_voltage": not cordless and d.chance(0.5),
        "colors": colours(d, TOOL_COLOURS, 1, 2),
    }
    facts = {
        "plate_mm": width,
        "heat_settings": d.pick([5, 6, 10]),
        "use": "thick, coarse hair"
        if width >= 32
        else "short hair, bangs and travel"
        if width <= 20
        else "everyday styling",
    }
    return Draft(f"{b.model} {plate.title()} Hair Straightener", attrs, facts)


BRUSH_TYPES = {
    "Round Blowout": "round",
    "Boar Paddle": "paddle",
    "Quick Dry": "vented",
    "Smoothing Oval": "oval",
    "Detangler": "detangling",
    "Wet Brush": "detangling",
    "Kids Detangle": "detangling",
    "Cushion": "cushion",
}


def build_hair_brushes(d: Dice, q: float, b: Base) -> Draft:
    btype = BRUSH_TYPES.get(b.model, "paddle")
    bristle = (
        "nylon"
        if btype in ("detangling", "vented")
        else "boar"
        if "Boar" in b.model
        else d.pick(["boar", "nylon", "mixed boar and nylon"])
    )
    hair = d.pick([["curly", "thick"], ["fine"], ["all"], ["thick"], ["wavy", "curly"]])
    attrs = {
        "bristle": bristle,
        "brush_type": btype,
        "hair_type": hair,
        "material": d.pick(["FSC-certified beech wood", "bamboo", "recycled plastic"]),
        "vegan": bristle == "nylon",
        "colors": colours(d, ["black", "brown", "pink", "lilac", "white"], 1, 2),
    }
    facts = {
        "hair_text": "all" if hair == ["all"] else join_words(hair),
        "bristle_note": BRISTLE_NOTES[bristle],
    }
    kind = "Hair Brush" if btype == "detangling" else f"{btype.title()} Hair Brush"
    return Draft(merge_title(b.model, kind), attrs, facts)


def build_facial_rollers(d: Dice, q: float, b: Base) -> Draft:
    material = {
        "Jade Roller": "jade",
        "Rose Quartz Roller": "rose quartz",
        "Ice Roller": "stainless steel",
        "Amethyst Roller": "amethyst",
        "Cooling Globe": "stainless steel",
    }.get(b.model, d.pick(["jade", "rose quartz"]))
    colour = {"jade": "green", "rose quartz": "pink", "stainless steel": "silver", "amethyst": "purple"}[
        material
    ]
    attrs = {"material": material, "colors": [colour], "weight_g": d.pick([60, 85, 110, 140])}
    facts = {
        "material_note": ROLLER_NOTES[material],
        "use": d.pick(
            [
                "a de-puffing morning routine",
                "lymphatic drainage massage",
                "pressing in serums",
                "a calming evening ritual",
            ]
        ),
    }
    return Draft(
        f"{b.model}" if material in b.model.lower() else f"{b.model} ({material.title()})", attrs, facts
    )


def build_cleansing_devices(d: Dice, q: float, b: Base) -> Draft:
    skin = d.pick([["all"], ["sensitive"], ["oily", "combination"], ["normal", "dry"]])
    attrs = {
        "skin_type": skin,
        "material": "medical-grade silicone",
        "cordless": True,
        "waterproof": True,
        "battery_min": d.pick([120, 200, 300]),
        "colors": colours(d, TOOL_COLOURS, 1, 3),
    }
    facts = {
        "skin_text": "all" if skin == ["all"] else join_words(skin),
        "pulsations": d.pick(["7,000", "8,000", "9,000"]),
        "uses": attrs["battery_min"] // 2,
        "speeds": d.pick([3, 8, 12]),
    }
    return Draft(f"{b.model} Facial Cleansing Device", attrs, facts)


BUILDERS: dict[str, Callable[[Dice, float, Base], Draft]] = {
    name.removeprefix("build_"): fn for name, fn in list(globals().items()) if name.startswith("build_")
}
