"""Generate the appliance shop: a home-appliances store, the second shop the evaluations use.

    python scripts/make_appliance_shop.py --out data/appliance_shop --seed 11

Why a second shop: the demo shop (sports & outdoors, beauty) is the one the assistant was built
on. This one has another domain and its OWN attribute names and units (``horsepower``,
``capacity_cu_ft``, ``noise_db``, ``width_in``, ``weight_lb``, ``finish``, ``energy_star``...),
so an evaluation on it shows whether the assistant understands a shop it was not tuned on
(data/evals/understanding_v1/appliance_*.yaml).

Design decisions:

- Deterministic: one ``random.Random(seed)`` drives every choice, in a fixed order, and JSON
  is written with a fixed key order, so the same seed gives byte-identical files.
- Catalogue as data: one builder per leaf category returns the attributes, title words and
  the price of one model; a hidden quality score ``q`` ties price to specs (a quieter, bigger
  or stronger model costs more), so rankings have believable answers.
- Descriptions carry facts that are NOT in the attributes (a splash guard included, a
  reversible door, not for outdoor use...), drawn from per-category pools of mutually
  exclusive choices, so some shopper questions can only be answered from the text. Nothing
  ever states the country of manufacture, so "where is it made?" is never answerable.
- No attribute name contains "size", "color", "skin" or "spf": those words mean something
  specific in the demo shop and this shop has its own vocabulary (``finish``, ``coverage_sq_ft``,
  ``pack_count``).
- Policies are written here (prose with figures that differ from the demo shop's: free
  shipping from $99, a 45-day return window, Affirm financing, Canada for small appliances).
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

BRANDS = ["Kelvara", "Brightwell", "Corvell", "Ridgeway Home", "Aurelle", "Tamsin", "Frostmark"]
ROOT = "Home Appliances"

# ---------------------------------------------------------------- small helpers


def _price(base: float) -> float:
    """A shop price: whole dollars ending in .99, or a round .00 for big tickets."""
    dollars = int(base)
    return float(dollars) if dollars >= 400 and dollars % 50 == 0 else dollars + 0.99


def _a(number: float) -> str:
    """The article before a spoken number: "an 18-inch", "a 24-inch"."""
    return "An" if str(number).startswith(("8", "11", "18")) else "A"


def _pick(rng: random.Random, pool: list, k: int) -> list:
    return rng.sample(pool, k)


# Each pool entry is a list of mutually exclusive sentences: a product takes at most one of them.
# ---------------------------------------------------------------- category builders
# A builder gets (rng, q in [0, 1], series name, index in its category) and returns (title words, attributes, price, intro, facts).


def disposal(rng: random.Random, q: float, series: str, i: int):
    hp = [0.33, 0.5, 0.75, 1.0][min(3, int(q * 4))]
    hp_label = {0.33: "1/3 HP", 0.5: "1/2 HP", 0.75: "3/4 HP", 1.0: "1 HP"}[hp]
    feed = "batch" if rng.random() < 0.2 else "continuous"
    attrs = {
        "horsepower": hp,
        "feed_type": feed,
        "rpm": int(1800 + hp * 1000 + rng.choice([0, 100, 200])),
        "grind_stages": 1 if hp < 0.75 else rng.choice([2, 3]),
        "grind_chamber": "stainless steel" if q > 0.45 else "galvanized steel",
        "noise_db": int(round(70 - q * 18 + rng.choice([-1, 0, 1]))),
        "cord_included": rng.random() < 0.6,
        "weight_lb": round(9 + hp * 10 + rng.random() * 2, 1),
        "warranty_years": [2, 4, 6, 8, 10][min(4, int(q * 5))],
    }
    title = f"{series} {int(hp * 100)} {feed.title()} Feed Garbage Disposal, {hp_label}"
    price = 79 + q * 270 + rng.random() * 15
    intro = (
        f"The {series} {int(hp * 100)} grinds food waste with a {hp_label.lower()} motor at "
        f"{attrs['rpm']} rpm."
    )
    facts = [
        [
            "Includes a removable splash guard and a sink stopper.",
            "The splash guard is built in and cannot be removed.",
        ],
        ["Safe for homes with septic tanks.", "Not recommended for homes with a septic tank."],
        ["A dishwasher inlet is built in: knock out the plug before connecting a dishwasher."],
        ["Comes with a hex wrench for clearing jams from under the sink."],
        ["Mounts with a quick-lock flange that fits standard 3.5-inch sink openings."],
    ]
    return title, attrs, price, intro, facts


def dishwasher(rng: random.Random, q: float, series: str, i: int):
    mount = rng.choice(["built-in", "built-in", "built-in", "portable", "countertop"])
    width = {"built-in": 24 if rng.random() < 0.75 else 18, "portable": 18, "countertop": 22}[mount]
    settings = {24: 14 if q < 0.6 else 16, 18: 8 if q < 0.5 else 10, 22: 6}[width]
    attrs = {
        "mount_type": mount,
        "width_in": width,
        "height_in": {24: 34, 18: 35 if mount == "portable" else 34, 22: 17.5}[width],
        "place_settings": settings,
        "noise_db": int(round(54 - q * 14 + rng.choice([-1, 0, 1]))),
        "wash_cycles": rng.choice([4, 5, 6, 7]),
        "tub_material": "stainless steel" if q > 0.35 else "plastic",
        "third_rack": mount == "built-in" and q > 0.5,
        "energy_star": q > 0.45,
        "finish": _pick(
            rng, ["stainless steel", "black stainless", "white", "black"], rng.choice([1, 2, 2, 3])
        ),
        "warranty_years": 1 if q < 0.7 else 2,
    }
    kind = {"built-in": "Built-In", "portable": "Portable", "countertop": "Countertop"}[mount]
    title = f"{series} {width}-Inch {kind} Dishwasher"
    price = {"built-in": 499, "portable": 429, "countertop": 259}[mount] + q * 600 + rng.random() * 40
    intro = f"{_a(width)} {width}-inch {mount} dishwasher that holds {settings} place settings."
    facts = [
        [
            "Connects to a kitchen faucet with the included quick-connect adapter, so no permanent plumbing is needed."
        ]
        if mount != "built-in"
        else ["Installation is hard-wired: a power cord is not included."],
        ["Has a built-in water softener for hard-water areas."],
        ["The cutlery basket splits into two halves that can be used separately."],
        ["A delay-start timer lets you start a cycle up to 24 hours later."],
        ["The door panel cannot be replaced with a custom cabinet panel."],
    ]
    return title, attrs, price, intro, facts


def range_hood(rng: random.Random, q: float, series: str, i: int):
    mount = rng.choice(["under-cabinet", "under-cabinet", "wall", "island"])
    width = rng.choice([30, 30, 36]) if mount != "island" else 36
    attrs = {
        "mount_type": mount,
        "width_in": width,
        "airflow_cfm": int(250 + q * 500 + rng.choice([0, 20, 40])) // 10 * 10,
        "noise_db": int(round(68 - q * 14 + rng.choice([-1, 0, 1]))),
        "fan_speeds": rng.choice([2, 3, 3, 4]),
        "ductless_convertible": rng.random() < 0.7,
        "dishwasher_safe": q > 0.3,
        "finish": _pick(rng, ["stainless steel", "black", "white"], 1 if q > 0.5 else rng.choice([1, 2])),
        "duct_diameter_in": 6 if width == 30 else rng.choice([6, 8]),
        "warranty_years": rng.choice([1, 2, 3]),
    }
    kind = {"under-cabinet": "Under-Cabinet", "wall": "Wall-Mount Chimney", "island": "Island"}[mount]
    title = f"{series} {width}-Inch {kind} Range Hood"
    price = 119 + q * 600 + (150 if mount == "island" else 0) + rng.random() * 30
    intro = (
        f"{_a(width)} {width}-inch {mount} range hood that moves {attrs['airflow_cfm']} CFM on its top speed."
    )
    facts = [
        [
            "Charcoal filters for ductless use are included.",
            "Charcoal filters for ductless use are sold separately.",
        ]
        if attrs["ductless_convertible"]
        else ["Must be vented to the outside: it cannot run ductless."],
        ["Two LED lights are built in.", "Uses two standard GU10 bulbs, included."],
        ["A delayed shut-off runs the fan for 10 minutes after you finish cooking."],
        [
            "Plugs into an outlet with the included 3-foot power cord.",
            "Hard-wired installation; no power cord is included.",
        ],
        ["The chimney extends to fit ceilings from 8 to 9 feet."] if mount != "under-cabinet" else [],
    ]
    return title, attrs, price, intro, facts


def microwave(rng: random.Random, q: float, series: str, i: int):
    mount = rng.choice(["countertop", "countertop", "countertop", "over-the-range", "built-in"])
    cap = round(0.7 + q * 1.5 + rng.choice([0, 0.1]), 1) if mount == "countertop" else round(1.7 + q * 0.5, 1)
    attrs = {
        "mount_type": mount,
        "capacity_cu_ft": cap,
        "power_w": int(700 + cap * 250) // 50 * 50,
        "width_in": {"countertop": round(17 + cap * 3.5, 1), "over-the-range": 30, "built-in": 24}[mount],
        "sensor_cooking": q > 0.4,
        "weight_lb": round(22 + cap * 12 + rng.random() * 3, 1),
        "finish": _pick(rng, ["stainless steel", "black", "white"], rng.choice([1, 2])),
        "cord_length_ft": rng.choice([3, 3.5, 4]),
        "warranty_years": 1,
    }
    kind = {"countertop": "Countertop", "over-the-range": "Over-the-Range", "built-in": "Built-In"}[mount]
    title = f"{series} {cap} Cu. Ft. {kind} Microwave"
    price = 69 + cap * 60 + q * 120 + (180 if mount != "countertop" else 0) + rng.random() * 20
    intro = f"A {cap} cu. ft. {mount} microwave with {attrs['power_w']} watts of cooking power."
    facts = [
        ["The turntable can be switched off to fit large dishes.", "The glass turntable is dishwasher safe."],
        ["Has a child lock on the control panel."],
        ["A trim kit for built-in installation is sold separately."]
        if mount == "countertop"
        else ["The installation kit is included."],
        ["Has an air-fry mode with a mesh basket included."]
        if q > 0.6
        else ["Has a one-touch popcorn button."],
        ["The exhaust fan has two speeds and a charcoal filter for recirculating installs."]
        if mount == "over-the-range"
        else [],
    ]
    return title, attrs, price, intro, facts


def ice_maker(rng: random.Random, q: float, series: str, i: int):
    mount = "undercounter" if q > 0.8 and rng.random() < 0.7 else "countertop"
    ice_type = ["bullet", "nugget", "bullet", "clear cube"][i % 4] if mount == "countertop" else "clear cube"
    per_day = int(26 + q * 22 + rng.choice([0, 1, 2])) if mount == "countertop" else int(50 + q * 30)
    attrs = {
        "mount_type": mount,
        "ice_type": ice_type,
        "ice_per_day_lb": per_day,
        "ice_storage_lb": round(per_day / 18 + rng.random(), 1) if mount == "countertop" else 25,
        "cycle_time_min": rng.choice([6, 7, 8, 9, 10, 12])
        if ice_type == "bullet"
        else rng.choice([12, 15, 18]),
        "self_cleaning": q > 0.35,
        "noise_db": int(round(48 - q * 10 + rng.choice([-1, 0, 1]))),
        "weight_lb": round(18 + per_day * 0.35 + rng.random() * 2, 1) if mount == "countertop" else 78,
        "width_in": round(9 + q * 4, 1) if mount == "countertop" else 15,
        "height_in": round(12.5 + q * 3, 1) if mount == "countertop" else 34,
        "power_w": 110 + int(q * 100) // 10 * 10 if mount == "countertop" else 200,
        "finish": _pick(rng, ["stainless steel", "black", "white", "silver", "red"], rng.choice([1, 2, 3])),
        "warranty_years": 1 if mount == "countertop" else 2,
    }
    kind = {"bullet": "Bullet", "nugget": "Nugget", "clear cube": "Clear Cube"}[ice_type]
    where = "Countertop" if mount == "countertop" else "Undercounter"
    title = f"{series} {where} {kind} Ice Maker, {per_day} lb/Day"
    price = (
        (89 if ice_type == "bullet" else 229)
        + q * 250
        + (900 if mount == "undercounter" else 0)
        + rng.random() * 30
    )
    intro = f"Makes up to {per_day} lb of {ice_type} ice a day and stores about {attrs['ice_storage_lb']} lb in its basket."
    facts = [
        [
            "Needs no water line: fill the reservoir by hand.",
            "Can be connected to a water line or filled by hand.",
        ]
        if mount == "countertop"
        else ["Requires a water line and a floor drain or drain pump."],
        ["An ice scoop is included."],
        ["Not suitable for outdoor use.", "Rated for outdoor use on a covered patio."],
        ["After moving it, let it stand upright for 24 hours before switching it on."],
        ["The ice basket is not insulated, so ice slowly melts back into the reservoir and is remade."]
        if mount == "countertop"
        else [],
    ]
    return title, attrs, price, intro, facts


def mini_fridge(rng: random.Random, q: float, series: str, i: int):
    cap = round(1.6 + q * 2.9 + rng.choice([0, 0.1, 0.2]), 1)
    freezer = cap > 2.5 and rng.random() < 0.7
    attrs = {
        "capacity_cu_ft": cap,
        "freezer_compartment": freezer,
        "noise_db": int(round(44 - q * 9 + rng.choice([-1, 0, 1]))),
        "energy_star": q > 0.4,
        "width_in": round(17 + cap * 0.8, 1),
        "height_in": round(19 + cap * 3.2, 1),
        "depth_in": round(18 + cap * 0.9, 1),
        "weight_lb": round(30 + cap * 11 + rng.random() * 4, 1),
        "voltage_v": 115,
        "finish": _pick(
            rng, ["black", "stainless steel", "white", "red", "silver"], rng.choice([1, 2, 2, 3])
        ),
        "warranty_years": rng.choice([1, 1, 2]),
    }
    title = f"{series} {cap} Cu. Ft. Compact Refrigerator" + (" with Freezer" if freezer else "")
    price = 119 + cap * 45 + q * 90 + rng.random() * 20
    intro = f"A {cap} cu. ft. compact refrigerator for a dorm, office or bedroom."
    facts = [
        ["The door is reversible.", "The door hinges on the right and cannot be reversed."],
        ["Includes a can dispenser in the door."],
        ["Not suitable for garages or outdoor use.", "Rated for use in a garage between 50 °F and 100 °F."],
        ["Comes with a lock and two keys."],
        ["The freezer compartment needs manual defrosting."] if freezer else ["Defrosts automatically."],
    ]
    return title, attrs, price, intro, facts


def water_filter(rng: random.Random, q: float, series: str, i: int):
    ftype = rng.choice(
        ["refrigerator", "refrigerator", "refrigerator", "under-sink", "faucet-mount", "pitcher"]
    )
    life = {"refrigerator": 6, "under-sink": 12, "faucet-mount": 3, "pitcher": 2}[ftype]
    reduces = (
        ["chlorine taste and odor"]
        + (["lead", "cysts"] if q > 0.4 else [])
        + (["PFOA/PFOS"] if q > 0.75 else [])
    )
    packs = [1, 2, 3] if ftype == "refrigerator" else [1, 2]
    pack = rng.choice(packs)
    attrs = {
        "filter_type": ftype,
        "filter_life_months": life,
        "capacity_gal": {
            "refrigerator": 200 if q < 0.6 else 300,
            "under-sink": 750,
            "faucet-mount": 100,
            "pitcher": 40,
        }[ftype],
        "certification": "NSF/ANSI 42 and 53" if q > 0.4 else "NSF/ANSI 42",
        "reduces": reduces,
        "pack_count": pack,
    }
    names = {
        "refrigerator": "Refrigerator Water Filter",
        "under-sink": "Under-Sink Water Filter System",
        "faucet-mount": "Faucet-Mount Water Filter",
        "pitcher": "Pitcher Replacement Filter",
    }
    title = f"{series} {names[ftype]}" + (f", {pack}-Pack" if pack > 1 else "")
    price = (
        {"refrigerator": 24, "under-sink": 89, "faucet-mount": 29, "pitcher": 12}[ftype]
        * (1 + 0.8 * (pack - 1))
        + q * 25
        + rng.random() * 5
    )
    intro = f"Replace it every {life} months or after {attrs['capacity_gal']} gallons, whichever comes first."
    facts = [
        [f"Fits {rng.choice(BRANDS)} side-by-side and French-door refrigerators made since 2018."]
        if ftype == "refrigerator"
        else ["Installs without tools."]
        if ftype != "under-sink"
        else ["Comes with a dedicated faucet and all fittings for a 3/8-inch cold water line."],
        ["Does not remove fluoride."],
        ["Flush 2 gallons of water through a new filter before drinking."],
        ["Each filter ships in a sealed pouch."],
    ]
    return title, attrs, price, intro, facts


def dryer(rng: random.Random, q: float, series: str, i: int):
    fuel = "gas" if rng.random() < 0.35 else "electric"
    vent = "ventless" if fuel == "electric" and rng.random() < 0.3 else "vented"
    width = 24 if vent == "ventless" else 27
    cap = round((4.0 if width == 24 else 6.7) + q * (0.6 if width == 24 else 1.3), 1)
    attrs = {
        "fuel_type": fuel,
        "vent_type": vent,
        "capacity_cu_ft": cap,
        "voltage_v": 240 if fuel == "electric" else 120,
        "width_in": width,
        "dry_cycles": rng.choice([8, 10, 12, 14]),
        "steam": q > 0.55,
        "sensor_dry": q > 0.25,
        "energy_star": vent == "ventless" or q > 0.7,
        "noise_db": int(round(62 - q * 10 + rng.choice([-1, 0, 1]))),
        "finish": _pick(rng, ["white", "graphite", "black stainless"], rng.choice([1, 2])),
        "warranty_years": 1 if q < 0.6 else 2,
    }
    kind = ("Ventless Heat Pump " if vent == "ventless" else "") + ("Gas" if fuel == "gas" else "Electric")
    title = f"{series} {cap} Cu. Ft. {kind} Dryer"
    price = (699 if width == 27 else 999) + q * 500 + (100 if fuel == "gas" else 0) + rng.random() * 40
    intro = f"{_a(width)} {width}-inch {fuel} dryer with a {cap} cu. ft. drum and {attrs['dry_cycles']} drying cycles."
    facts = [
        ["The door is reversible."],
        ["A 4-prong power cord is not included."]
        if fuel == "electric" and vent == "vented"
        else ["Ships set for natural gas; an LP conversion kit is sold separately."]
        if fuel == "gas"
        else ["Plugs into a standard 240 V outlet and needs no outside vent."],
        ["Stackable on the matching washer with a stacking kit sold separately."],
        ["Includes a drying rack for shoes and sweaters."],
    ]
    return title, attrs, price, intro, facts


def air_purifier(rng: random.Random, q: float, series: str, i: int):
    room = int(150 + q * 900) // 50 * 50
    attrs = {
        "coverage_sq_ft": room,
        "cadr_cfm": int(room / 1.55) // 5 * 5,
        "filter_type": "True HEPA" if q > 0.2 else "HEPA-type",
        "filter_life_months": rng.choice([6, 6, 8, 12]),
        "noise_db": int(round(36 - q * 12 + rng.choice([-2, -1, 0, 1, 2]))),
        "fan_speeds": rng.choice([3, 3, 4, 5]),
        "power_w": int(25 + q * 45),
        "weight_lb": round(6 + q * 12 + rng.random() * 2, 1),
        "energy_star": q > 0.35,
        "finish": _pick(rng, ["white", "black", "grey"], rng.choice([1, 1, 2])),
        "cord_length_ft": rng.choice([5, 6, 6.5]),
        "warranty_years": rng.choice([1, 2, 3, 5]),
    }
    title = f"{series} {attrs['filter_type']} Air Purifier for {room} sq ft"
    price = 59 + q * 380 + rng.random() * 20
    intro = f"Cleans the air of a room up to {room} sq ft with a {attrs['filter_type']} filter."
    facts = [
        ["Does not produce ozone.", "Has an ionizer that can be switched off."],
        ["A washable pre-filter catches pet hair and large dust."],
        ["Sleep mode turns off the display lights."],
        ["Has an air quality sensor that adjusts the fan speed automatically."]
        if attrs["fan_speeds"] >= 4
        else [],
        ["A carrying handle is built into the top."],
    ]
    return title, attrs, price, intro, facts


def dehumidifier(rng: random.Random, q: float, series: str, i: int):
    pints = [22, 35, 35, 50, 50, 70][min(5, int(q * 6))]
    attrs = {
        "pints_per_day": pints,
        "tank_capacity_pints": round(pints * 0.3 + rng.choice([0, 1, 2]), 1),
        "coverage_sq_ft": {22: 1500, 35: 3000, 50: 4500, 70: 5000}[pints],
        "continuous_drain": pints >= 35,
        "built_in_pump": pints >= 50 and q > 0.6,
        "noise_db": int(round(56 - q * 10 + rng.choice([-1, 0, 1]))),
        "weight_lb": round(24 + pints * 0.35 + rng.random() * 3, 1),
        "power_w": int(280 + pints * 6) // 10 * 10,
        "energy_star": q > 0.3,
        "min_temp_f": rng.choice([41, 41, 45]),
        "warranty_years": rng.choice([1, 2, 2, 5]),
    }
    title = f"{series} {pints}-Pint Dehumidifier" + (" with Pump" if attrs["built_in_pump"] else "")
    price = 149 + pints * 2.5 + q * 90 + rng.random() * 20
    intro = (
        f"Removes up to {pints} pints of moisture a day from spaces up to {attrs['coverage_sq_ft']} sq ft."
    )
    facts = [
        [
            "Comes with a 6-foot drain hose.",
            "The drain hose is not included; it takes a standard garden hose.",
        ]
        if attrs["continuous_drain"]
        else ["Has no hose connection: empty the bucket by hand."],
        ["Has wheels and a pull-out handle."],
        ["Restarts automatically on its last settings after a power outage."],
        ["A washable filter slides out from the back."],
    ]
    return title, attrs, price, intro, facts


# (leaf category path, builder, number of products, series names, tags)
CATALOGUE = [
    (
        "Kitchen > Garbage Disposals",
        disposal,
        9,
        ["GrindPro", "QuietCut", "SinkMate", "EcoGrind", "TurboFeed"],
        ["garbage disposal", "kitchen", "sink"],
    ),
    (
        "Kitchen > Dishwashers",
        dishwasher,
        8,
        ["CleanArc", "Aqualine", "SilentWash", "DishPro"],
        ["dishwasher", "kitchen"],
    ),
    (
        "Kitchen > Range Hoods",
        range_hood,
        8,
        ["AirVane", "Chefline", "VentaPro", "Skyline"],
        ["range hood", "kitchen", "ventilation"],
    ),
    (
        "Kitchen > Microwaves",
        microwave,
        9,
        ["QuickWave", "HeatLab", "Zephyr", "Solara"],
        ["microwave", "kitchen"],
    ),
    (
        "Kitchen > Ice Makers",
        ice_maker,
        8,
        ["FrostBite", "IceHaus", "Glacier", "PolarPop"],
        ["ice maker", "kitchen"],
    ),
    (
        "Refrigeration > Mini Fridges",
        mini_fridge,
        9,
        ["CoolCube", "DormChill", "Brisa", "Nordic"],
        ["mini fridge", "compact refrigerator"],
    ),
    (
        "Water Filtration > Water Filters",
        water_filter,
        9,
        ["PureFlow", "ClearSip", "AquaGuard", "Brookline"],
        ["water filter", "filtration"],
    ),
    ("Laundry > Dryers", dryer, 7, ["TumbleMax", "AirDry", "Loftline"], ["dryer", "laundry"]),
    (
        "Air Quality > Air Purifiers",
        air_purifier,
        8,
        ["BreatheEasy", "Clarity", "AeroPure", "Halo"],
        ["air purifier", "hepa", "allergies"],
    ),
    (
        "Air Quality > Dehumidifiers",
        dehumidifier,
        7,
        ["DryZone", "Humidex", "BasementPro"],
        ["dehumidifier", "basement"],
    ),
]

NEVER_IN_TEXT = ("made in", "manufactured in", "assembled in")  # country of origin: never stated


def make_products(rng: random.Random) -> list[dict]:
    products: list[dict] = []
    titles: set[str] = set()
    n = 1001
    for leaf, builder, count, series_pool, tags in CATALOGUE:
        qs = sorted(rng.uniform(0.02, 0.98) for _ in range(count))
        for i, q in enumerate(qs):
            for _ in range(50):  # redraw the series until the title is new
                base_name = rng.choice(series_pool)
                suffix = rng.choice(["", "II", "S", "X", "Plus", "Pro", "Max", "Lite"])
                series = base_name if suffix.lower() in base_name.lower() else f"{base_name} {suffix}".strip()
                title, attrs, base, intro, pools = builder(rng, q, series, i)
                if title not in titles:
                    break
            titles.add(title)
            chosen = [rng.choice(p) for p in pools if p]
            rng.shuffle(chosen)
            sentences = [intro] + chosen[: rng.choice([2, 3, 3, 4])]
            description = " ".join(sentences)
            assert not any(s in description.lower() for s in NEVER_IN_TEXT)
            brand = rng.choice(BRANDS)
            stock = 0 if rng.random() < 0.08 else rng.choice([2, 3, 5, 8, 12, 15, 20, 24, 31, 40, 57])
            reviews = 0 if rng.random() < 0.04 else min(1500, int(rng.lognormvariate(3.2, 1.1)))
            rating = (
                None if reviews == 0 else round(min(4.9, max(3.1, 3.4 + q * 1.2 + rng.uniform(-0.4, 0.3))), 1)
            )
            feature_tags = [k.replace("_", " ") for k, v in attrs.items() if v is True]
            products.append(
                {
                    "id": f"AP{n}",
                    "title": title,
                    "brand": brand,
                    "category": f"{ROOT} > {leaf}",
                    "price": _price(base),
                    "currency": "USD",
                    "stock": stock,
                    "rating": rating,
                    "review_count": reviews,
                    "description": description,
                    "attributes": attrs,
                    "tags": tags + feature_tags,
                }
            )
            n += 1
    return products


# ---------------------------------------------------------------- customers and orders

CUSTOMERS = [
    {
        "customer_id": "AC101",
        "name": "Dana Whitfield",
        "email": "dana.whitfield@example.com",
        "tier": "standard",
        "joined_at": "2024-03-12",
    },
    {
        "customer_id": "AC102",
        "name": "Luis Ortega",
        "email": "luis.ortega@example.org",
        "tier": "pro",
        "joined_at": "2021-07-30",
    },
    {
        "customer_id": "AC103",
        "name": "Priya Raman",
        "email": "priya.raman@example.com",
        "tier": "standard",
        "joined_at": "2026-09-02",
    },
    {
        "customer_id": "AC104",
        "name": "Tom Becker",
        "email": "tom.becker@example.org",
        "tier": "standard",
        "joined_at": "2025-01-18",
    },
]


def make_orders(rng: random.Random, products: list[dict]) -> list[dict]:
    by_cat: dict[str, list[dict]] = {}
    for p in products:
        if p["stock"] > 0:
            by_cat.setdefault(p["category"].split(" > ")[-1], []).append(p)
    # (order id, customer, status, placed, categories, carrier, eta, delivered)
    plan = [
        (
            "AO7001",
            "AC101",
            "delivered",
            "2026-10-28T14:05:00Z",
            ["Garbage Disposals"],
            "UPS",
            None,
            "2026-11-03",
        ),
        (
            "AO7002",
            "AC101",
            "shipped",
            "2026-11-21T09:40:00Z",
            ["Dehumidifiers", "Water Filters"],
            "FedEx",
            "2026-11-27",
            None,
        ),
        (
            "AO7003",
            "AC102",
            "delivered",
            "2026-11-02T18:22:00Z",
            ["Dishwashers"],
            "HomeDirect Freight",
            None,
            "2026-11-10",
        ),
        ("AO7004", "AC102", "processing", "2026-11-24T20:15:00Z", ["Range Hoods"], None, None, None),
        ("AO7005", "AC103", "shipped", "2026-11-22T11:03:00Z", ["Mini Fridges"], "UPS", "2026-11-26", None),
        (
            "AO7006",
            "AC103",
            "delivered",
            "2026-09-15T08:30:00Z",
            ["Air Purifiers", "Water Filters"],
            "USPS",
            None,
            "2026-09-19",
        ),
        ("AO7007", "AC104", "processing", "2026-11-25T07:50:00Z", ["Ice Makers"], None, None, None),
    ]
    orders = []
    for oid, cid, status, placed, cats, carrier, eta, delivered in plan:
        items = []
        for c in cats:
            p = rng.choice(by_cat[c])
            qty = 2 if c == "Water Filters" else 1
            items.append({"product_id": p["id"], "quantity": qty, "unit_price": p["price"]})
        tracking = None
        if carrier:
            tracking = {"UPS": "1Z", "FedEx": "", "USPS": "9400", "HomeDirect Freight": "HD"}[
                carrier
            ] + "".join(rng.choice("0123456789") for _ in range(16 if carrier != "UPS" else 16))
        order = {
            "order_id": oid,
            "customer_id": cid,
            "status": status,
            "placed_at": placed,
            "items": items,
            "carrier": carrier,
            "tracking_number": tracking,
            "eta": eta,
            "shipping_method": "freight" if carrier == "HomeDirect Freight" else "standard",
        }
        if delivered:
            order["delivered_at"] = delivered
        orders.append(order)
    return orders


# ---------------------------------------------------------------- policies

POLICIES = {
    "shipping": """# Shipping and Delivery

## Where we deliver
We deliver to the 48 contiguous US states and Washington DC. Small appliances (microwaves, countertop ice makers, air purifiers, water filters, dehumidifiers and garbage disposals) also ship to Alaska, Hawaii and Canada. Large appliances (dishwashers, dryers, range hoods and mini fridges) are delivered within the contiguous US only. We do not ship to PO boxes or APO/FPO addresses.

## Shipping costs
| Option | Cost | Delivery time after dispatch |
|---|---|---|
| Standard parcel | $7.99 | 4-6 business days |
| Expedited parcel | $19.99 | 2 business days |
| Large-appliance curbside delivery | $49.00 | 5-10 business days, scheduled by phone |
| Large-appliance in-home delivery (room of choice, packaging removed) | $89.00 | 5-10 business days, scheduled by phone |
| Canada (small appliances only) | $24.99 | 7-12 business days; duties paid by the buyer |

## Free shipping
Standard parcel shipping is free on orders of $99 or more (subtotal after discounts, before tax). Large-appliance curbside delivery is free on any large appliance over $499. Expedited, in-home and Canadian shipping are never free.

## Haul-away of your old appliance
With in-home delivery we take away your old appliance of the same type for $25.00 per item. It must be disconnected, emptied and drained before the crew arrives; we cannot disconnect gas lines.

## Processing times
Orders placed by 12 pm ET Monday to Friday leave our warehouse the same business day. Large appliances are handed to our freight partner within 2 business days, and the partner calls you to book a 4-hour delivery window.

## Damaged deliveries
Inspect large appliances before signing for them and note any damage on the delivery receipt. Report damage within 48 hours of delivery with photos, and we send a replacement at no cost.
""",
    "returns": """# Returns and Refunds

## Return window
Most items can be returned within 45 days of delivery. Large appliances (dishwashers, dryers, range hoods and mini fridges) can be returned within 15 days of delivery if they have not been installed.

## Restocking fee
Opened large appliances that are not defective carry a 15% restocking fee. Small appliances and unopened large appliances have no restocking fee.

## Items that cannot be returned
Water filters can be returned only unopened, in their sealed pouch. Installed garbage disposals and range hoods cannot be returned unless they are defective; a defect is handled under the warranty.

## Return shipping
Returns of small appliances cost $12.95 for the prepaid label, taken off the refund. Large appliances are collected from your curb for $79.00. Return shipping is free when the item arrived damaged, is defective, or is not what you ordered.

## Refunds
We refund the original payment method within 5 business days of receiving the return; your bank may take another 3 to 10 business days to show it. Shipping charges are refunded only when the return is our mistake.

## Cancelling an order
Orders can be cancelled free of charge while they are still "processing". Once shipped, refuse the delivery or return the item within the return window.
""",
    "warranty": """# Warranty

## Manufacturer warranty
Every appliance carries its manufacturer's warranty, counted from the delivery date; the length is listed on each product page (for example 1 year for microwaves, and up to 10 years on some garbage disposal motors). Claims are handled by us, not sent on to the manufacturer.

## Extended protection plans
For appliances over $150 you can add a protection plan at checkout or within 30 days of delivery: 3 years for $49.99 or 5 years for $89.99. A plan counts from the delivery date and includes the manufacturer's warranty period, so a 3-year plan on a 1-year warranty adds 2 years. Plans cover parts, labour and in-home service for large appliances.

## What is not covered
Damage from installation errors, use on the wrong voltage, commercial use, and outdoor use of appliances not rated for it. Filters, bulbs and other consumables are not covered.

## How to make a claim
Ask in chat or email warranty@example.com with your order number and a photo or short video of the fault. We answer within 2 business days and repair, replace or refund the appliance.
""",
    "installation": """# Installation Services

## What we install
Our licensed installers can install what you buy from us: garbage disposal installation costs $129.00, dishwasher installation $179.00, range hood installation $199.00 (ducted hoods need an existing duct), over-the-range microwave installation $149.00 and dryer hookup $99.00. Ice makers, mini fridges, countertop microwaves, air purifiers and dehumidifiers need no installation.

## Gas appliances
Gas dryers must be connected by a licensed gas fitter. Our gas dryer hookup costs $149.00 and includes a new flexible gas line.

## Booking an installation
Add installation at checkout or ask in chat within 30 days of delivery. The installer calls within 2 business days to book a visit. Installation is available in the contiguous US only.

## What is not included
Electrical or plumbing changes (new outlets, circuits, water lines or drains), cutting cabinets or countertops, and new ducting through walls or roofs are not included.
""",
    "payments": """# Payments

## Accepted payment methods
We accept Visa, Mastercard, American Express and Discover cards, PayPal, Apple Pay and our gift cards. All prices are in US dollars.

## Financing with Affirm
Orders of $499 or more can be paid over 12 months at 0% APR with Affirm, subject to approval. Orders from $50 can be split into monthly payments at the rate Affirm offers you.

## Payment methods we do not accept
We do not accept cryptocurrency, cash on delivery, checks, wire transfers or Klarna.

## When you are charged
Your card is charged when the order ships. Large appliances are charged when they are handed to the delivery partner.
""",
    "contact": """# Contact

## Talking to a person
Ask the assistant for a person at any time. Our appliance specialists answer by chat Monday to Saturday from 9 am to 7 pm ET, and by phone at 1-800-555-0142 during the same hours.

## Email
Email help@example.com; we answer within 1 business day.
""",
}

README = """# The appliance shop

A fictional online store for **home appliances** (kitchen, refrigeration, water filtration,
laundry, air quality), in the shop-directory format of DESIGN.md (contract 1). It is the second
shop of the evaluations (data/evals/understanding_v1/): another domain, with its own attribute
names and units. Everything here is generated; regenerate it, byte for byte, with:

    python scripts/make_appliance_shop.py --out data/appliance_shop --seed 11

| File | What it holds |
|---|---|
| `products.jsonl` | {n_products} products in {n_leaves} leaf categories from {n_brands} fictional brands; {n_oos} out of stock |
| `policies/*.md` | shipping, returns, warranty, installation, payments, contact |
| `customers.jsonl` | {n_customers} customers |
| `orders.jsonl` | {n_orders} orders (processing, shipped, delivered) |

No ads and no events. The shop's "today" is 2026-11-25.

Attribute names (this shop's own): `horsepower`, `feed_type`, `rpm`, `capacity_cu_ft`,
`noise_db`, `width_in`, `height_in`, `depth_in`, `weight_lb`, `power_w`, `voltage_v`,
`ice_per_day_lb`, `ice_storage_lb`, `filter_life_months`, `capacity_gal`, `cord_length_ft`,
`finish` (the colour list), `energy_star`, `dishwasher_safe`, `warranty_years`, `mount_type`,
`airflow_cfm`, `place_settings`, `pints_per_day`, `coverage_sq_ft`, ... Descriptions state
further facts that are not attributes (a removable splash guard, a reversible door, not for
outdoor use); the country of manufacture is never stated.
"""


def _dump(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def generate(out: Path, seed: int) -> None:
    rng = random.Random(seed)
    products = make_products(rng)
    orders = make_orders(rng, products)
    out.mkdir(parents=True, exist_ok=True)
    (out / "policies").mkdir(exist_ok=True)
    _dump(out / "products.jsonl", products)
    _dump(out / "customers.jsonl", CUSTOMERS)
    _dump(out / "orders.jsonl", orders)
    for name, text in POLICIES.items():
        (out / "policies" / f"{name}.md").write_text(text, encoding="utf-8")
    (out / "README.md").write_text(
        README.format(
            n_products=len(products),
            n_leaves=len(CATALOGUE),
            n_brands=len({p["brand"] for p in products}),
            n_oos=sum(1 for p in products if p["stock"] == 0),
            n_customers=len(CUSTOMERS),
            n_orders=len(orders),
        ),
        encoding="utf-8",
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("data/appliance_shop"))
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    generate(args.out, args.seed)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
