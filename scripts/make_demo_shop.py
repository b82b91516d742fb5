"""Generate the ShopTalk demo shop: a sports & outdoor and beauty store in one directory.

    python scripts/make_demo_shop.py --out data/demo_shop --seed 7

The output follows DESIGN.md contract 1 (products, policies, orders, customers, ads, events)
plus two extra files the demo uses: ``personas.json`` (who each shopper is) and
``demo_facts.json`` (ground truth for examples and evaluations: trending and out-of-stock
products, known answers to filter queries).

Design decisions:

- Deterministic: one ``numpy`` Generator seeded from ``--seed`` drives every choice, nothing
  iterates over a ``set`` of strings (hash order changes between runs) and JSON is written
  with a fixed key order, so the same seed gives byte-identical files. A test checks it.
- Catalogue as data: each leaf category is one ``Spec`` row (brands, model names, price
  range, sentence pools) plus one small attribute builder. Adding a category is adding a row
  and a builder, not touching the generation loop.
- A hidden quality score ``q`` per product ties price to specs (a $180 shoe is lighter and
  better rated than a $70 one), so filters and rankings have believable answers.
- Descriptions are assembled from several openers, conditional detail sentences and closers
  per category, filled with the product's own attributes, so no two read the same and every
  sentence states something checkable (materials, weights, use, care, fit).
- Attribute names are the ones the search's constraint extractor knows (``sizes``,
  ``colors``, ``waterproof``, ``skin_type``, ``spf``...). Boolean attributes become query
  flags ("waterproof", "vegan"), so only a few, meaningful ones exist; no other attribute
  name contains "size", "spf", "skin" or "color", which the extractor treats specially.
- Coverage by construction, not by luck: a few "plan" rows pin the products that known
  queries depend on (waterproof trail shoes around $100 with and without size 10, SPF 30 and
  50 sunscreens), and ``check_coverage`` fails the run if a promise is not kept.
- Behaviour comes from personas: each shopper has category, price and brand affinities;
  sessions walk a view -> click -> favorite/cart -> purchase funnel over a popularity-skewed
  catalogue, a few products trend up in the last week, and every order placed inside the
  event window also appears as purchase events, so orders and behaviour tell one story.
- Policies are written here as text (the single source), with numbers that agree across
  files (free shipping threshold, member tiers, return windows, warranty terms).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

# The shop's "now": the demo is set on this day; orders, ads and events are dated around it.
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
EVENT_DAYS = 42  # six weeks of behaviour
ORDER_DAYS = 90  # about three months of orders
TREND_DAYS = 7  # trending products rise over the last week

MEN_SHOE_SIZES = ["7", "7.5", "8", "8.5", "9", "9.5", "10", "10.5", "11", "11.5", "12", "12.5", "13"]
WOMEN_SHOE_SIZES = ["6", "6.5", "7", "7.5", "8", "8.5", "9", "9.5", "10", "10.5", "11"]
UNISEX_SHOE_SIZES = ["6", "6.5", *MEN_SHOE_SIZES]
APPAREL_SIZES = ["XS", "S", "M", "L", "XL", "XXL"]

# Colour values avoid common words ("clear", "natural", "charcoal", bare "gold"): the query
# parser treats any catalogue colour word in a question as a colour filter.
OUTDOOR_COLOURS = ["black", "grey", "navy blue", "blue", "cobalt blue", "red", "orange", "forest green",
                   "olive green", "yellow", "teal", "white", "purple", "sky blue"]
FITNESS_COLOURS = ["black", "grey", "blue", "navy blue", "pink", "purple", "teal", "red", "sage green",
                   "lilac", "orange"]
TOOL_COLOURS = ["black", "white", "rose gold", "pink", "sky blue", "lilac", "silver", "navy blue"]


# --------------------------------------------------------------------------- randomness


class Dice:
    """The one source of randomness; returns plain Python values so JSON never sees numpy types."""

    def __init__(self, seed: int):
        self.rng = np.random.default_rng(seed)

    def chance(self, p: float) -> bool:
        return bool(self.rng.random() < p)

    def uniform(self, lo: float, hi: float) -> float:
        return float(self.rng.uniform(lo, hi))

    def integer(self, lo: int, hi: int) -> int:
        """Inclusive of both ends."""
        return int(self.rng.integers(lo, hi + 1))

    def pick(self, items: list, weights: list[float] | None = None) -> Any:
        if weights is None:
            return items[int(self.rng.integers(len(items)))]
        w = np.asarray(weights, dtype=float)
        return items[int(self.rng.choice(len(items), p=w / w.sum()))]

    def sample(self, items: list, k: int) -> list:
        k = min(k, len(items))
        return [items[int(i)] for i in self.rng.choice(len(items), size=k, replace=False)]

    def shuffled(self, items: list) -> list:
        return [items[int(i)] for i in self.rng.permutation(len(items))]

    def normal(self, mean: float, sd: float) -> float:
        return float(self.rng.normal(mean, sd))

    def poisson(self, lam: float) -> int:
        return int(self.rng.poisson(lam))


def snap_price(value: float, d: Dice) -> float:
    """A shelf price: mostly x.99 (x4.99/x9.99 above $50), sometimes a round x.00."""
    if value >= 50:
        base = max(5 * round(value / 5), 10)
        return float(base) if d.chance(0.15) else base - 0.01
    if d.chance(0.12):
        return float(round(value))
    return math.floor(value) + 0.99


def join_words(values: list[Any]) -> str:
    vals = [str(v) for v in values]
    if len(vals) <= 1:
        return "".join(vals)
    return ", ".join(vals[:-1]) + " and " + vals[-1]


# --------------------------------------------------------------------------- catalogue specs


class If:
    """A description sentence used only when ``when(attributes)`` holds."""

    def __init__(self, when: Callable[[dict], bool], text: str):
        self.when, self.text = when, text


def has(name: str) -> Callable[[dict], bool]:
    return lambda a: bool(a.get(name))


def lacks(name: str) -> Callable[[dict], bool]:
    return lambda a: not a.get(name)


def brand_is(name: str) -> Callable[[dict], bool]:
    return lambda a: a.get("_brand") == name


@dataclass
class Spec:
    key: str
    path: str
    count: int
    price: tuple[float, float]
    brands: list[str]
    models: list[str]
    openers: list[str]
    details: list[str | If]
    closers: list[str | If]
    tags: list[str]


SPORTS, RUNNING, HIKING, CAMPING, FITNESS = (
    "Sports & Outdoors", "Sports & Outdoors > Running", "Sports & Outdoors > Hiking",
    "Sports & Outdoors > Camping", "Sports & Outdoors > Fitness")
SKINCARE, MAKEUP, TOOLS = "Beauty > Skincare", "Beauty > Makeup", "Beauty > Beauty Tools"

SPECS: list[Spec] = [
    Spec("trail_shoes", f"{RUNNING} > Trail Running Shoes", 20, (69.99, 189.99),
         ["Trailhaven", "Pacefield", "Kestrel Run"],
         ["Ridgeline", "Switchback", "Talus", "Scree Runner", "Cascade", "Fellrunner", "Boulder Dash",
          "Timberline", "Mesa", "Canyon Crest", "Rockhop", "Wildpath", "Ridge Racer", "Mudlark",
          "Alpine Dash", "Granite Run", "Fernwood", "Blackcomb", "Scramble", "Stonefly"],
         ["The {model} is a {cushioning}-cushioned trail shoe built for {terrain}.",
          "Made for {terrain}, the {model} pairs {lug_mm} mm lugs with a {drop_mm} mm drop.",
          "{brand}'s {model} is the shoe to grab when the run leaves the pavement for {terrain}.",
          "Weighing {weight_g} g (US men's 9), the {model} keeps trail miles light without giving up grip."],
         [If(has("waterproof"), "A {membrane} membrane keeps feet dry through puddles, wet grass and shallow stream crossings."),
          If(lacks("waterproof"), "The open engineered mesh upper is not waterproof, but it drains and dries quickly after creek crossings."),
          "The outsole uses {outsole} with {lug_mm} mm multi-directional lugs for mud and loose gravel.",
          "The upper is {material} with a reinforced toe cap against rock strikes.",
          If(has("rock_plate"), "A flexible rock plate under the forefoot blunts sharp stones on technical descents."),
          "Cushioning is {cushioning}, with a {drop_mm} mm heel-to-toe drop and {stack_mm} mm of stack under the heel.",
          "A gusseted tongue keeps grit and pine needles out of the shoe.",
          "It comes in {colors_text}."],
         ["Fits true to size with a roomy toe box; it is offered in {widths_text} widths.",
          If(brand_is("Trailhaven"), "Trailhaven shoes run half a size small, so order half a size up (see our sizing guide)."),
          "Rinse off mud with cold water and air-dry away from direct heat; do not machine wash.",
          "Eligible for our 30-day Run Happy trial: run in them and return them if they are not right."],
         ["trail", "running", "shoes"]),
    Spec("road_shoes", f"{RUNNING} > Road Running Shoes", 18, (59.99, 199.99),
         ["Stridewell", "Swiftfoot", "Pacefield", "Kestrel Run"],
         ["Tempo", "Cadence", "Glide", "Metro Pace", "Skyline", "Aerorun", "Velocity", "Cloudstep", "Marathon Pro",
          "Daily Mile", "Boston Lane", "Strada", "Pulse", "Nimbus Ride", "Kinetic", "Fastline", "Hyperflow",
          "Roadster"],
         ["The {model} is a {cushioning}-cushioned road shoe for {use}.",
          "Built for {use}, the {model} weighs {weight_g} g in a US men's 9.",
          "{brand} designed the {model} around {foam}, tuned for {use}.",
          "With a {drop_mm} mm drop and {stack_mm} mm heel stack, the {model} suits {use}."],
         ["The midsole is {foam}, giving a {cushioning} ride that stays lively past 300 miles.",
          "An engineered {material} upper stretches where the foot flexes and locks down the midfoot.",
          If(has("carbon_plate"), "A full-length carbon fibre plate snaps you into toe-off for race-day efficiency."),
          If(has("waterproof"), "A waterproof {membrane} membrane makes it a winter and rainy-commute option."),
          "Blown rubber covers the high-wear zones of the outsole, the part that wears first on asphalt.",
          "Reflective details on the heel and toe keep you visible on early-morning runs.",
          "Colourways: {colors_text}."],
         ["Fits true to size; available in {widths_text} widths.",
          "Machine washing shortens the foam's life, so hand-wash with mild soap and air-dry.",
          "Covered by our 30-day Run Happy trial, so you can log real miles before deciding.",
          "Replace after roughly 300 to 500 miles, when the midsole stops rebounding."],
         ["road", "running", "shoes"]),
    Spec("running_shorts", f"{RUNNING} > Running Shorts", 10, (24.99, 64.99),
         ["Stridewell", "Pacefield", "Kestrel Run"],
         ["Split Second", "Long Run", "Breeze", "Tempo Split", "Pacer", "Sprint Lite", "Trail Mile", "Interval",
          "Easy Day", "Race Day"],
         ["The {model} short has a {inseam_in}-inch inseam and a built-in liner, made for {use}.",
          "{brand}'s {model} is a {inseam_in}-inch running short made for {use}.",
          "Light at {weight_g} g, the {model} short disappears on {use}."],
         ["The shell is {material} that wicks sweat and dries fast.",
          "A zipped back pocket fits a phone up to 6.7 inches plus a key.",
          "Flatlock seams and a soft brief liner prevent chafing on long runs.",
          "A drawcord waistband keeps the fit secure without a tight elastic.",
          "Available in {colors_text}."],
         ["Sizes run {sizes_text}; between sizes, size down for a race fit.",
          "Machine wash cold, no fabric softener, hang dry."],
         ["running", "apparel", "shorts"]),
    Spec("hiking_boots", f"{HIKING} > Hiking Boots", 12, (89.99, 279.99),
         ["Apex Summit", "Granite Peak", "Trailhaven"],
         ["Summit Ridge", "Backcountry", "Highpass", "Cairn Trek", "Glacier Point", "Timber Trek", "Moraine",
          "Crestline", "Wayfarer", "Outlander", "Sierra Trek", "Basecamp"],
         ["The {model} is a {cut}-cut hiking boot for {use}.",
          "Built for {use}, the {model} weighs {weight_g} g per boot.",
          "{brand}'s {model} boot balances support and comfort for {use}."],
         [If(has("waterproof"), "A {membrane} waterproof membrane keeps water out while letting sweat vapour escape."),
          If(lacks("waterproof"), "Without a membrane it breathes better in hot, dry weather, but it is not waterproof."),
          "The upper is {material} with a protective rubber rand around the toe.",
          "A {outsole} outsole with {lug_mm} mm lugs bites into mud, scree and wet rock.",
          "A nylon shank under the arch adds stability when you carry a heavy pack.",
          "Speed hooks at the top let you tighten the ankle separately from the forefoot.",
          "Offered in {colors_text}."],
         ["Go up half a size if you hike in thick socks; see the sizing guide.",
          "Break them in over two or three short walks before a long trip.",
          "Brush off dried mud and re-treat leather with wax once a season.",
          "Only boots tried on indoors can be returned; the Run Happy trial does not cover hiking boots."],
         ["hiking", "boots", "outdoor"]),
    Spec("backpacks", f"{HIKING} > Backpacks", 12, (39.99, 299.99),
         ["Apex Summit", "Granite Peak", "Cairnline", "Northvale"],
         ["Daytripper", "Ascent", "Ridgewalker", "Trailbase", "Skyridge", "Voyager", "Escarpment", "Bivouac",
          "Pathfinder", "Overland", "Switchpack", "Halfdome"],
         ["The {model} is a {capacity_l} L pack made for {use}.",
          "At {capacity_l} litres and {weight_g} g, the {model} is sized for {use}.",
          "{brand}'s {model} {capacity_l} L pack is built around {use}."],
         ["The body is {material}.",
          If(has("waterproof"), "Welded seams and a roll-top closure make the main compartment waterproof, with no rain cover needed."),
          If(lacks("waterproof"), "The fabric is water-resistant; a rain cover is stowed in the base pocket for downpours."),
          "A ventilated mesh back panel keeps airflow between your back and the load.",
          "The hip belt carries most of the weight and has two zipped pockets for snacks and a phone.",
          "A sleeve inside holds a hydration reservoir up to 3 litres.",
          "Side stretch pockets take a 1-litre bottle each; trekking-pole loops sit on the front.",
          "It comes in {colors_text}."],
         ["The torso length adjusts from 40 to 53 cm to fit most adults.",
          "Spot clean with a damp cloth; do not machine wash, which damages the coating.",
          "Covered by our 2-year camping and hiking gear warranty."],
         ["hiking", "backpack", "travel"]),
    Spec("rain_jackets", f"{HIKING} > Rain Jackets", 10, (49.99, 349.99),
         ["Apex Summit", "Northvale", "Granite Peak"],
         ["Stormline", "Drizzle Shell", "Torrent", "Cloudburst", "Squall", "Monsoon", "Raincrest", "Downpour",
          "Hailstone", "Tempest"],
         ["The {model} is a {layers} rain jacket for {use}.",
          "Packable and {weight_g} g light, the {model} is built for {use}.",
          "{brand}'s {model} jacket keeps you dry on {use}."],
         ["The shell is {material} rated to {waterproof_rating_mm} mm of water column.",
          "Fully taped seams and a waterproof front zip stop leaks where most jackets fail.",
          "Pit zips dump heat on steep climbs without taking the jacket off.",
          "The hood adjusts in three directions and fits over a climbing helmet.",
          "It packs into its own chest pocket for stowing in a daypack.",
          "Available in {colors_text}."],
         ["Sizes {sizes_text}; it is cut to layer over a fleece, so stay with your usual size.",
          "Machine wash warm with a technical wash, then tumble dry low to revive the water-repellent finish."],
         ["rain", "jacket", "waterproof", "outerwear"]),
    Spec("tents", f"{CAMPING} > Tents", 10, (89.99, 649.99),
         ["Cairnline", "Northvale", "Apex Summit"],
         ["Starlight", "Basecamp Dome", "Ridgeback", "Nightfall", "Meadow", "Ultralite", "Treeline",
          "Driftwood", "Aurora", "Highcamp"],
         ["The {model} is a {capacity_persons}-person {season} tent for {use}.",
          "Sleeping {capacity_persons} and weighing {weight_g} g all-in, the {model} suits {use}.",
          "{brand}'s {model} {capacity_persons}-person tent is built for {use}."],
         ["The fly is {material} with a {waterproof_rating_mm} mm waterproof rating and factory-taped seams.",
          If(has("freestanding"), "It is freestanding, so you can pitch it on rock or a wooden platform and move it before staking."),
          If(lacks("freestanding"), "It is semi-freestanding and needs stakes at both ends for full tension."),
          "Two doors and two vestibules give each sleeper their own way out and a dry spot for boots.",
          "Colour-coded aluminium poles make the first pitch take under 10 minutes.",
          "Mesh inner walls cut condensation on still, humid nights.",
          "It packs down to {packed_cm} cm."],
         ["Dry it fully before storing to prevent mildew; never machine wash.",
          "Covered by our 2-year camping gear warranty.",
          "Stakes, guylines and a stuff sack are included; a footprint is sold separately."],
         ["camping", "tent", "shelter"]),
    Spec("sleeping_bags", f"{CAMPING} > Sleeping Bags", 9, (49.99, 449.99),
         ["Cairnline", "Northvale"],
         ["Ember", "Polar Night", "Nestwarm", "Alpenglow", "Cocoon", "Firefly", "Hibernate", "Snowline",
          "Duskfall"],
         ["The {model} is a {shape} sleeping bag with a {temperature_rating_c} °C comfort rating.",
          "Rated to {temperature_rating_c} °C, the {model} is made for {use}.",
          "{brand}'s {model} keeps you warm on {use} at {weight_g} g."],
         ["Insulation is {fill}.",
          "The shell is {material} with a water-repellent finish against tent condensation.",
          "A draft collar and a zip baffle stop warm air escaping at the shoulders.",
          "A two-way zip opens at the feet for venting on warmer nights.",
          "It compresses to the size of a {compressed} in the included stuff sack."],
         ["Store it loose in the cotton storage sack, never compressed.",
          "Wash rarely, with a down or synthetic-specific soap, and tumble dry low with dryer balls.",
          "Covered by our 2-year camping gear warranty."],
         ["camping", "sleeping bag"]),
    Spec("stoves", f"{CAMPING} > Camping Stoves", 8, (24.99, 169.99),
         ["Emberlite", "Cairnline"],
         ["Flashboil", "Pocket Rocket", "Trail Kitchen", "Basecamp Duo", "Spark", "Firestarter", "Alpine Brew",
          "Cookhaus"],
         ["The {model} is a {fuel} stove that boils 1 litre of water in about {boil_time_min} minutes.",
          "Weighing {weight_g} g, the {model} is made for {use}.",
          "{brand}'s {model} runs on {fuel} and suits {use}."],
         ["The body is {material}.",
          "A piezo igniter lights it without matches, even with cold fingers.",
          "Output is {heat_output_btu} BTU per hour, with a simmer control for real cooking, not just boiling.",
          "Folding pot supports hold pans from 10 to 22 cm across.",
          "A wind shield clips around the burner to keep boil times steady in a breeze."],
         ["Fuel is not included and we do not ship fuel canisters.",
          "Covered by our 2-year camping gear warranty.",
          "Use it outdoors only, never inside a tent."],
         ["camping", "stove", "cooking"]),
    Spec("headlamps", f"{CAMPING} > Headlamps", 9, (14.99, 89.99),
         ["Emberlite", "Lumen Trail"],
         ["Beacon", "Nightrunner", "Lumina", "Firefly Lamp", "Trailglow", "Moonbeam", "Spotlite", "Darkpath",
          "Halo"],
         ["The {model} headlamp puts out {lumens} lumens for {use}.",
          "At {weight_g} g with {lumens} lumens, the {model} is made for {use}.",
          "{brand}'s {model} is a {lumens}-lumen headlamp for {use}."],
         ["It runs on {battery}, lasting {burn_time_h} hours on the low setting.",
          "A red-light mode saves your night vision and your tent-mate's sleep.",
          "The beam switches between a wide flood and a focused spot reaching {beam_m} metres.",
          "It is rated {ip_rating} against water, so rain and sweat are no problem.",
          "A lock-out mode stops it switching on in your pack."],
         ["The strap is washable; remove the lamp first.",
          "Covered by our 2-year camping gear warranty.",
          "Available in {colors_text}."],
         ["camping", "headlamp", "lighting", "running"]),
    Spec("dumbbells", f"{FITNESS} > Dumbbells", 10, (19.99, 449.99),
         ["IronForge", "Titan Home Gym", "FlexCore"],
         ["Hex Pro", "Quickset", "Studio", "Blockset", "Classic Hex", "Grip Plus", "Compact Select", "Soft Grip",
          "Urethane Pro", "Dialtech"],
         ["The {model} is {weight_desc}, made for {use}.",
          "{brand}'s {model} dumbbells are built for {use}: {weight_desc}.",
          "For {use}, the {model} gives you {weight_desc}."],
         ["Heads are {material}, so they do not roll and are kinder to floors.",
          If(has("adjustable"), "A dial changes the weight in seconds, replacing a full rack in one footprint."),
          "The knurled chrome handle is 32 mm thick for a secure grip with sweaty hands.",
          "Sold as a {sold_as}.",
          "Colour: {colors_text}."],
         ["Wipe down after use; keep out of damp garages to prevent rust.",
          "Covered by our 3-year warranty on dumbbells and kettlebells.",
          If(has("adjustable"), "Oversized item: the set ships by ground freight and cannot go to PO boxes.")],
         ["fitness", "home gym", "strength", "dumbbells"]),
    Spec("kettlebells", f"{FITNESS} > Kettlebells", 8, (24.99, 129.99),
         ["IronForge", "FlexCore", "Titan Home Gym"],
         ["Swing", "Competition", "Classic Bell", "Cast Pro", "Studio Bell", "Vinyl Grip", "Quick Select",
          "Forge Bell"],
         ["The {model} is a {weight_kg} kg kettlebell for {use}.",
          "{brand}'s {model} {weight_kg} kg kettlebell is made for {use}.",
          "At {weight_kg} kg, the {model} suits {use}."],
         ["It is {material} with a flat base that stands upright for renegade rows.",
          "The handle has a smooth powder-coat finish that holds chalk without tearing hands.",
          "The window is wide enough for two-handed swings.",
          If(has("adjustable"), "Removable plates adjust it from 5 to {weight_kg} kg in 2.5 kg steps."),
          "Colour: {colors_text}."],
         ["Store it on a rubber mat; wipe the handle after use.",
          "Covered by our 3-year warranty on dumbbells and kettlebells."],
         ["fitness", "kettlebell", "strength"]),
    Spec("resistance_bands", f"{FITNESS} > Resistance Bands", 8, (9.99, 49.99),
         ["FlexCore", "Zenflow", "Recoverly"],
         ["Loop Pro", "Power Loop", "Mini Loop", "Tube Trainer", "Glute Circle", "Pilates Pro", "Travel Kit",
          "Pull-Up Assist"],
         ["The {model} is a {pieces}-piece resistance band set for {use}.",
          "{brand}'s {model} gives you {pieces} bands for {use}.",
          "For {use}, the {model} set packs {pieces} resistance levels."],
         ["Bands are {material}, covering {levels_text} resistance.",
          "The heaviest band adds up to {max_resistance_kg} kg of resistance.",
          "A mesh carry bag and an exercise guide with 30 moves are included.",
          "Colours: {colors_text}."],
         ["Keep them out of direct sunlight, which makes latex brittle.",
          "Check bands for nicks before each session and replace any that are torn.",
          "Covered by a 90-day warranty against snapping under normal use."],
         ["fitness", "resistance bands", "travel"]),
    Spec("yoga_mats", f"{FITNESS} > Yoga Mats", 10, (19.99, 129.00),
         ["Zenflow", "FlexCore"],
         ["Lotus Grip", "Align", "Studio Flow", "Balance", "Sun Salute", "Travel Fold", "Cork Ground", "Pro Hold",
          "Breathe", "Still Point"],
         ["The {model} is a {thickness_mm} mm yoga mat for {use}.",
          "{brand}'s {model} mat is {thickness_mm} mm thick and made for {use}.",
          "For {use}, the {model} mat weighs {weight_g} g."],
         ["It is made of {material}.",
          "The surface grips even in hot yoga, and alignment lines help square up your poses.",
          "At {length_cm} cm long it fits practitioners up to about {fits_cm} cm tall.",
          "Closed-cell construction keeps sweat from soaking in.",
          "Colours: {colors_text}."],
         ["Wipe with a damp cloth and mild soap; let it dry flat before rolling.",
          "Covered by a 90-day warranty against peeling or tearing.",
          "A carry strap is included."],
         ["yoga", "pilates", "mat", "fitness"]),
    Spec("benches", f"{FITNESS} > Weight Benches", 7, (89.99, 399.00),
         ["IronForge", "Titan Home Gym"],
         ["Flatline", "Incline Pro", "Utility", "Studio", "Compact", "Garage Pro", "Multi-Angle"],
         ["The {model} is a {bench_type} bench rated to {max_load_kg} kg, for {use}.",
          "{brand}'s {model} is a {bench_type} bench made for {use}.",
          "For {use}, the {model} holds up to {max_load_kg} kg."],
         ["The frame is {material}.",
          If(has("adjustable"), "The back pad locks into {positions} positions from decline to 85 degrees."),
          If(has("foldable"), "It folds flat to slide under a bed, saving floor space in small rooms."),
          "The bench weighs {weight_kg} kg, heavy enough to stay put during presses.",
          "Rear wheels and a front handle make it easy to move."],
         ["Oversized item: it ships by ground freight and cannot go to PO boxes.",
          "Covered by a 5-year frame and 1-year upholstery warranty.",
          "Assembly takes about 20 minutes; tools are included."],
         ["fitness", "home gym", "bench", "strength"]),
    Spec("pullup_bars", f"{FITNESS} > Pull-Up Bars", 6, (24.99, 149.99),
         ["IronForge", "Titan Home Gym"],
         ["Doorway Pro", "Wallmount", "Chin-Up Max", "Power Tower", "Ceiling Rig", "Multi-Grip"],
         ["The {model} is a {mount} pull-up bar rated to {max_load_kg} kg, for {use}.",
          "{brand}'s {model} is a {mount} bar made for {use}.",
          "For {use}, the {model} mounts as {mount} and holds {max_load_kg} kg."],
         ["It is {material}.",
          "Foam grips in wide, neutral and hammer positions let you vary the pull.",
          "It weighs {weight_kg} kg.",
          If(lambda a: a.get("mount") == "doorway", "It fits door frames 61 to 81 cm wide without screws."),
          If(lambda a: a.get("mount") in ("wall", "ceiling"), "Wall plugs and bolts for masonry are included; use a stud in timber walls.")],
         ["Check the fixings monthly.",
          "Covered by a 5-year frame warranty.",
          If(lambda a: a.get("mount") == "free-standing tower",
             "Oversized item: it ships by ground freight and cannot go to PO boxes.")],
         ["fitness", "home gym", "pull-up", "strength"]),
    Spec("foam_rollers", f"{FITNESS} > Foam Rollers", 7, (14.99, 59.99),
         ["Recoverly", "Zenflow", "FlexCore"],
         ["Recovery Roll", "Deep Tissue", "Grid", "Smooth Roll", "Vibe Max", "Travel Roll", "Trigger Point"],
         ["The {model} is a {density} foam roller for {use}.",
          "{brand}'s {model} is {length_cm} cm long and made for {use}.",
          "For {use}, the {model} gives {density} pressure."],
         ["It is {material} over a hollow core that keeps its shape after years of use.",
          If(lambda a: a.get("vibration_speeds", 0) > 0, "A rechargeable motor vibrates at {vibration_speeds} speeds for deeper release; a charge lasts 2 hours."),
          "A ridged surface mimics a massage therapist's fingers on calves and quads.",
          "Colours: {colors_text}."],
         ["Wipe clean with a damp cloth.",
          "Covered by a 90-day warranty."],
         ["fitness", "recovery", "foam roller", "running"]),
    Spec("cleansers", f"{SKINCARE} > Cleansers", 12, (8.99, 38.00),
         ["Dermaveil", "Clearform Labs", "Lumiere Botanica", "Hydra Bloom"],
         ["Gentle Cream", "Daily Foaming", "Balancing Gel", "Clarifying", "Oat Milk", "Pure Micellar",
          "Melt Away", "Hydrating", "Pore Purifying", "Calm Skin", "Green Tea", "Rice Enzyme"],
         ["The {model} is a {texture} for {skin_text} skin.",
          "{brand}'s {model} is a pH-{ph} {texture} made for {skin_text} skin.",
          "Made for {skin_text} skin, the {model} {texture} removes sunscreen and makeup without stripping."],
         ["{ingredient_note}",
          "It rinses clean without a tight, squeaky feeling.",
          If(has("fragrance_free"), "It is fragrance-free and dermatologist tested."),
          If(has("non_comedogenic"), "The formula is non-comedogenic, so it will not clog pores."),
          "The {volume_ml} ml bottle lasts about three months of twice-daily use."],
         ["Massage onto damp skin for 60 seconds, then rinse with lukewarm water.",
          If(has("vegan"), "The formula is vegan and cruelty-free."),
          "Opened skincare can be returned only if faulty or if it causes a reaction (within 14 days)."],
         ["skincare", "cleanser"]),
    Spec("moisturizers", f"{SKINCARE} > Moisturizers", 18, (12.99, 89.00),
         ["Dermaveil", "Hydra Bloom", "Pure Theory", "Clearform Labs", "Lumiere Botanica"],
         ["Barrier Repair", "Daily Hydrate", "Oil-Free Gel", "Rich Night", "Water Cream", "Cloud Whip", "Calming",
          "Ceramide", "Peptide Firming", "Dew Drop", "Matte Balance", "Recovery Balm", "Daily Defense",
          "Soft Cream", "Overnight Renew", "Aqua Gel", "Comfort", "Skin Shield"],
         ["The {model} is a {texture} moisturizer for {skin_text} skin.",
          "{brand}'s {model} {texture} is made for {skin_text} skin.",
          "A {texture} for {skin_text} skin, the {model} hydrates for up to 48 hours in clinical testing."],
         ["{ingredient_note}",
          "{ingredient_note_2}",
          If(has("spf"), "It includes broad-spectrum SPF {spf}, so it can replace a separate sunscreen on low-sun days."),
          If(has("fragrance_free"), "No added fragrance or essential oils, which suits reactive skin."),
          If(has("non_comedogenic"), "It is non-comedogenic and layers under makeup without pilling."),
          "The {volume_ml} ml {pack} keeps the formula away from air and fingers."],
         ["Apply to clean skin morning and night.",
          If(has("vegan"), "Vegan and cruelty-free."),
          "Opened skincare can be returned only if faulty or if it causes a reaction (within 14 days)."],
         ["skincare", "moisturizer"]),
    Spec("serums", f"{SKINCARE} > Serums", 14, (14.99, 120.00),
         ["Pure Theory", "Dermaveil", "Clearform Labs", "Lumiere Botanica"],
         ["Bright C", "Niacinamide 10", "Retinol Night", "Hydra Boost", "Peptide Lift", "Azelaic Calm", "Clear Skin BHA",
          "Lactic Glow", "Ferulic C+E", "Barrier Repair", "Bakuchiol", "Pure Squalane", "Even Tone", "Multi-Peptide"],
         ["The {model} serum targets {concerns_text} with {hero}.",
          "{brand}'s {model} is a lightweight serum built around {hero} for {skin_text} skin.",
          "Aimed at {concerns_text}, the {model} delivers {hero} in a fast-absorbing base."],
         ["{ingredient_note}",
          "{ingredient_note_2}",
          If(has("fragrance_free"), "It is fragrance-free."),
          "The {volume_ml} ml {pack} protects the actives from light.",
          If(lambda a: "retinol" in a.get("ingredients", []), "Use at night only and wear SPF 30 or higher the next day."),
          If(lambda a: "vitamin C" in a.get("ingredients", []), "Apply in the morning under sunscreen for extra antioxidant protection.")],
         ["Start every other day for the first two weeks, then use daily if your skin is comfortable.",
          If(has("vegan"), "Vegan and cruelty-free."),
          "Opened skincare can be returned only if faulty or if it causes a reaction (within 14 days)."],
         ["skincare", "serum"]),
    Spec("sunscreens", f"{SKINCARE} > Sunscreens", 14, (9.99, 48.00),
         ["SolShield", "Dermaveil", "Hydra Bloom", "Clearform Labs"],
         ["Daily Shield", "Mineral Veil", "Sport Guard", "Invisible Fluid", "Sheer Tint", "Kids Mineral",
          "Matte Defense", "Glow Screen", "Beach Day", "Urban Shield", "Aqua Sun", "Calm Mineral", "Face Fluid",
          "Active Stick"],
         ["The {model} is a broad-spectrum SPF {spf} {filter_type} sunscreen for {skin_text} skin.",
          "{brand}'s {model} SPF {spf} is a {texture} for {skin_text} skin.",
          "With SPF {spf} and {filter_type} filters, the {model} is made for {use}."],
         ["{ingredient_note}",
          "It is water resistant for {water_resistant_min} minutes; reapply after swimming or sweating.",
          If(has("tinted"), "A sheer tint cancels the white cast mineral filters can leave."),
          If(has("fragrance_free"), "Fragrance-free and tested on sensitive skin."),
          If(has("non_comedogenic"), "Non-comedogenic, so it will not clog pores under makeup."),
          "The {volume_ml} ml {pack} fits in a running belt or a carry-on."],
         ["Apply generously 15 minutes before sun exposure and reapply every 2 hours.",
          If(has("vegan"), "Vegan and reef-conscious: free of oxybenzone and octinoxate."),
          "Opened skincare can be returned only if faulty or if it causes a reaction (within 14 days)."],
         ["skincare", "sunscreen", "spf"]),
    Spec("toners", f"{SKINCARE} > Toners", 9, (9.99, 42.00),
         ["Lumiere Botanica", "Clearform Labs", "Dermaveil", "Hydra Bloom"],
         ["Rose Balance", "Exfoliating AHA", "Hydrating Essence", "Pore Refining", "Calming Mist", "Glow Boost",
          "BHA Clarifying", "Milky", "Green Tea"],
         ["The {model} toner is made for {skin_text} skin.",
          "{brand}'s {model} preps {skin_text} skin for serums and moisturizer.",
          "A {texture} for {skin_text} skin, the {model} rebalances after cleansing."],
         ["{ingredient_note}",
          If(has("alcohol_free"), "It is alcohol-free, so it does not sting or dry out the skin."),
          If(has("fragrance_free"), "No added fragrance."),
          "Pat it in with your hands or sweep it on with a cotton pad.",
          "The {volume_ml} ml bottle lasts about four months of daily use."],
         [If(has("vegan"), "Vegan and cruelty-free."),
          "Opened skincare can be returned only if faulty or if it causes a reaction (within 14 days)."],
         ["skincare", "toner"]),
    Spec("face_masks", f"{SKINCARE} > Face Masks", 10, (6.99, 58.00),
         ["Hydra Bloom", "Lumiere Botanica", "Clearform Labs", "Pure Theory"],
         ["Deep Clay", "Overnight Glow", "Hydra Sheet", "Detox", "Honey Calm", "Brightening", "Peel Renew",
          "Cooling Gel", "Purifying Mud", "Rescue"],
         ["The {model} is a {mask_type} mask for {skin_text} skin.",
          "{brand}'s {model} {mask_type} mask targets {concerns_text}.",
          "For {skin_text} skin, the {model} is a {mask_type} mask you can use {frequency}."],
         ["{ingredient_note}",
          "{ingredient_note_2}",
          "Use it {frequency} on clean skin, after cleansing and before serum.",
          If(has("volume_ml"), "The {volume_ml} ml jar holds about 20 applications."),
          If(lambda a: a.get("mask_type") == "clay", "Leave it on for 10 minutes, until it starts to set but before it cracks."),
          If(lambda a: a.get("mask_type") == "sheet", "Each sheet is soaked in 25 ml of essence; the pack holds {count} sheets."),
          If(lambda a: a.get("mask_type") == "sleeping", "Apply as the last step of your night routine and rinse in the morning."),
          If(has("fragrance_free"), "Fragrance-free.")],
         [If(has("vegan"), "Vegan and cruelty-free."),
          "Opened skincare can be returned only if faulty or if it causes a reaction (within 14 days)."],
         ["skincare", "face mask"]),
    Spec("foundation", f"{MAKEUP} > Foundation", 12, (14.99, 62.00),
         ["Glowmuse", "Velvet & Vine", "Atelier Nine"],
         ["Second Skin", "Soft Matte", "Luminous Silk", "Stay All Day", "Serum Foundation", "Skin Tint",
          "Velvet Blur", "Dewy Glow", "Full Cover", "Weightless", "Satin Finish", "Airbrush"],
         ["The {model} is a {coverage}-coverage foundation with a {finish} finish.",
          "{brand}'s {model} gives {coverage} coverage and a {finish} finish in {shade_count} shades.",
          "For {skin_text} skin, the {model} delivers {coverage} coverage that lasts {wear_hours} hours."],
         ["{ingredient_note}",
          If(has("spf"), "It includes SPF {spf}, though it should not replace a dedicated sunscreen."),
          "Shades run from {shade_first} to {shade_last}, with cool, neutral and warm undertones.",
          If(has("non_comedogenic"), "Non-comedogenic and suitable for acne-prone skin."),
          If(has("fragrance_free"), "Fragrance-free."),
          "It comes in a {volume_ml} ml glass bottle with a pump."],
         ["Apply with a damp sponge for a skin-like finish or a brush for more coverage.",
          If(has("vegan"), "Vegan and cruelty-free."),
          "Opened makeup can be returned only if faulty or if it causes a reaction (within 14 days)."],
         ["makeup", "foundation", "face"]),
    Spec("lipstick", f"{MAKEUP} > Lipstick", 14, (8.99, 42.00),
         ["Velvet & Vine", "Glowmuse", "Atelier Nine"],
         ["Velvet Kiss", "Satin Bullet", "Matte Ink", "Lip Crayon", "Sheer Balm", "Power Red", "Cream Couture",
          "Liquid Matte", "Tinted Butter", "Icon Lip", "Gloss Shine", "Everyday Nude", "Bold Stain", "Silk Lip"],
         ["The {model} is a {finish} lipstick in {shade_count} shades.",
          "{brand}'s {model} gives a {finish} finish that wears {wear_hours} hours.",
          "A {finish} lipstick, the {model} glides on in one swipe."],
         ["{ingredient_note}",
          "Shades include {shades_text}.",
          "It does not feather into fine lines around the lips.",
          "Each bullet holds {weight_g} g."],
         ["Blot and reapply a second layer for the longest wear.",
          If(has("vegan"), "Vegan and cruelty-free: no beeswax or carmine."),
          "Opened makeup can be returned only if faulty or if it causes a reaction (within 14 days)."],
         ["makeup", "lipstick", "lips"]),
    Spec("mascara", f"{MAKEUP} > Mascara", 9, (7.99, 32.00),
         ["Lashline", "Glowmuse", "Atelier Nine"],
         ["Lash Lift", "Volume Boost", "Length Rush", "Curl Up", "Sky High", "Bold Lash", "Feather Light",
          "Night Out", "Lash Define"],
         ["The {model} is a {effect} mascara.",
          "{brand}'s {model} {effect} mascara builds lashes without clumps.",
          "For {effect} lashes, the {model} uses a {brush} brush."],
         [If(has("waterproof"), "It is waterproof: it survives rain, tears and a sweaty workout, and comes off with an oil-based remover."),
          If(lacks("waterproof"), "It is not waterproof and washes off with warm water, no scrubbing needed."),
          "The {brush} brush coats every lash from root to tip.",
          "{ingredient_note}",
          "Ophthalmologist tested and suitable for contact lens wearers.",
          "Available in {shades_text}."],
         ["Replace mascara every three months for hygiene.",
          If(has("vegan"), "Vegan and cruelty-free."),
          "Opened makeup can be returned only if faulty or if it causes a reaction (within 14 days)."],
         ["makeup", "mascara", "eyes"]),
    Spec("concealer", f"{MAKEUP} > Concealer", 9, (9.99, 36.00),
         ["Lashline", "Glowmuse", "Velvet & Vine", "Atelier Nine"],
         ["Brighten Up", "Full Cover Stick", "Under Eye", "Creamy Correct", "Blur Pen", "Camo", "Radiant Touch",
          "Precision", "Soft Focus"],
         ["The {model} is a {coverage}-coverage concealer with a {finish} finish.",
          "{brand}'s {model} concealer covers dark circles and blemishes with {coverage} coverage.",
          "Made for {skin_text} skin, the {model} concealer comes in {shade_count} shades."],
         ["{ingredient_note}",
          "It does not crease under the eyes, even after {wear_hours} hours.",
          "Shades run from {shade_first} to {shade_last}.",
          If(has("fragrance_free"), "Fragrance-free."),
          "The {volume_ml} ml tube has a doe-foot applicator."],
         ["Dab on and blend with a fingertip; warmth helps it melt in.",
          If(has("vegan"), "Vegan and cruelty-free."),
          "Opened makeup can be returned only if faulty or if it causes a reaction (within 14 days)."],
         ["makeup", "concealer", "face"]),
    Spec("hair_dryers", f"{TOOLS} > Hair Dryers", 9, (39.99, 429.00),
         ["Aerostyle", "Silkwave"],
         ["AirPro", "Ionic Breeze", "Salon Jet", "Travel Mini", "Supersonic Flow", "Quiet Dry", "Volume Max",
          "Smooth Blow", "Turbo"],
         ["The {model} is a {wattage} W {technology} hair dryer.",
          "{brand}'s {model} dries hair fast at {wattage} W with {technology} technology.",
          "At {weight_g} g, the {model} is a {wattage} W dryer made for {use}."],
         ["It has {heat_settings} heat and {speed_settings} speed settings plus a cold shot to set styles.",
          "{technology_note}",
          "It comes with {attachments} attachments, including a concentrator nozzle and a diffuser.",
          "The {cord_m} m cord swivels so it does not tangle.",
          If(has("dual_voltage"), "It is dual voltage (110-240 V), so it travels abroad with just a plug adapter."),
          "Colours: {colors_text}."],
         ["Clean the rear filter monthly to keep airflow strong.",
          "Covered by our 1-year beauty tools warranty."],
         ["beauty tools", "hair", "hair dryer"]),
    Spec("straighteners", f"{TOOLS} > Hair Straighteners", 8, (29.99, 249.00),
         ["Silkwave", "Aerostyle"],
         ["Sleek Pro", "Glide Iron", "Mini Flat", "Silk Press", "Wave Maker", "Cordless Go", "Salon Plate",
          "Smooth Styler"],
         ["The {model} is a straightener with {plate_mm} mm {plate_material} plates.",
          "{brand}'s {model} heats up to {max_temp_c} °C on {plate_material} plates.",
          "The {model} straightener with {plate_mm} mm plates is made for {use}."],
         ["It reaches styling temperature in 30 seconds, with {heat_settings} settings from 150 to {max_temp_c} °C.",
          "Floating plates keep even pressure, so fewer passes and less heat damage.",
          If(has("cordless"), "It is cordless, with a USB-C battery that lasts 30 minutes per charge."),
          If(lacks("cordless"), "A 2.5 m swivel cord reaches from the outlet to the mirror."),
          "It switches off automatically after 30 minutes idle.",
          If(has("dual_voltage"), "Dual voltage for travel."),
          "Colours: {colors_text}."],
         ["Use a heat protectant spray first.",
          "Covered by our 1-year beauty tools warranty."],
         ["beauty tools", "hair", "straightener"]),
    Spec("hair_brushes", f"{TOOLS} > Hair Brushes", 8, (9.99, 59.00),
         ["Bristle & Oak", "Silkwave"],
         ["Detangler", "Boar Paddle", "Round Blowout", "Wet Brush", "Cushion", "Quick Dry", "Smoothing Oval",
          "Kids Detangle"],
         ["The {model} is a {brush_type} brush for {hair_text} hair.",
          "{brand}'s {model} {brush_type} brush is made for {hair_text} hair.",
          "For {hair_text} hair, the {model} is a {brush_type} brush with {bristle} bristles."],
         ["The handle is {material}.",
          "{bristle_note}",
          "It glides through wet hair without snagging.",
          "Colours: {colors_text}."],
         ["Remove hair weekly and wash in warm soapy water monthly.",
          "Used brushes can be returned only if faulty."],
         ["beauty tools", "hair", "brush"]),
    Spec("facial_rollers", f"{TOOLS} > Facial Rollers", 7, (14.99, 68.00),
         ["Jadeleaf", "Lumiere Botanica"],
         ["Jade Roller", "Rose Quartz Roller", "Ice Roller", "Gua Sha Set", "Sculpt Roller", "Amethyst Roller",
          "Cooling Globe"],
         ["The {model} is a {material} facial roller for {use}.",
          "{brand}'s {model} is made of {material} for {use}.",
          "For {use}, the {model} stays cool against the skin."],
         ["{material_note}",
          "Roll upward and outward from the centre of the face for 5 minutes.",
          "Keep it in the fridge for extra de-puffing in the morning.",
          "It weighs {weight_g} g."],
         ["Wash with warm water and mild soap after each use.",
          "Used rollers can be returned only if faulty."],
         ["beauty tools", "skincare", "facial roller"]),
    Spec("cleansing_devices", f"{TOOLS} > Facial Cleansing Devices", 7, (29.99, 229.00),
         ["Lumasonic", "Silkwave"],
         ["Sonic Pure", "Deep Clean", "Mini Glow", "Pore Sonic", "Silicone Pulse", "Smart Cleanse", "Travel Sonic"],
         ["The {model} is a {material} sonic cleansing device for {skin_text} skin.",
          "{brand}'s {model} cleans {skin_text} skin with {pulsations} pulsations a minute.",
          "For {skin_text} skin, the {model} removes makeup and sunscreen more thoroughly than hands alone."],
         ["It is cordless and waterproof (IPX7), so you can use it in the shower.",
          "One USB charge lasts {battery_min} minutes of use, about {uses} cleanses.",
          "It has {speeds} intensity settings and a 1-minute timer that pulses at each zone.",
          "Silicone touch points are hygienic and never need replacing, unlike brush heads."],
         ["Rinse after each use and let it air-dry.",
          "Covered by our 1-year beauty tools warranty.",
          "Colours: {colors_text}."],
         ["beauty tools", "skincare", "cleansing device"]),
]


# --------------------------------------------------------------------------- ingredient notes

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
    focus = {"Dermaveil": ["sensitive", "dry", "normal"], "Clearform Labs": ["oily", "combination"],
             "Hydra Bloom": ["dry", "normal", "combination"], "Pure Theory": ["normal", "combination", "oily"],
             "Lumiere Botanica": ["normal", "dry", "combination"]}.get(brand, ["normal", "combination"])
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
    (True, 89.99, True, 14), (True, 94.99, False, 9), (True, 79.99, True, 0), (True, 99.99, True, 22),
    (True, 129.99, True, 31), (True, 149.99, False, 6), (True, 174.99, True, 12), (False, 84.99, True, 40),
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
        "gender": gender, "sizes": sizes, "colors": colours(d, OUTDOOR_COLOURS, 2, 4),
        "material": d.pick(["engineered mesh", "ripstop mesh with TPU overlays", "recycled polyester mesh",
                            "knit mesh with a welded toe cap"]),
        "waterproof": wp, "weight_g": int(round(335 - 75 * q + d.normal(0, 10) + (15 if wp else 0))),
        "drop_mm": d.pick([4, 6, 6, 8, 10]), "lug_mm": d.pick([3.5, 4, 5, 5, 6]),
        "stack_mm": d.integer(26, 38), "cushioning": d.pick(["light", "moderate", "moderate", "max"]),
        "rock_plate": d.chance(0.5), "widths": ["standard", "wide"] if d.chance(0.35) else ["standard"],
    }
    facts = {"terrain": d.pick(["rocky singletrack", "muddy forest trails", "mountain ultras", "mixed dirt and gravel paths",
                                "steep, technical descents", "everyday trail loops"]),
             "membrane": d.pick(["HydroSeal", "StormShell", "DryCore"]),
             "outsole": d.pick(["a sticky rubber compound", "Vibram-style Megagrip rubber", "a high-traction TrailGrip compound"])}
    title = f"{b.model}{version(d, b.model)}{tag}{' Waterproof' if wp else ''} Trail Running Shoe{GENDER_SUFFIX[gender]}"
    if plan:
        facts["_price"], facts["_stock"] = plan[1], plan[3]
    return Draft(title, attrs, facts)


def build_road_shoes(d: Dice, q: float, b: Base) -> Draft:
    gender = d.pick(["men", "women", "unisex"], [0.45, 0.45, 0.1])
    carbon = q > 0.75 and d.chance(0.6)
    wp = d.chance(0.12)
    attrs = {
        "gender": gender, "sizes": shoe_sizes(d, gender), "colors": colours(d, OUTDOOR_COLOURS, 2, 4),
        "material": d.pick(["engineered mesh", "jacquard knit", "recycled knit", "breathable mesh"]),
        "waterproof": wp, "weight_g": int(round(300 - 90 * q + d.normal(0, 10))),
        "drop_mm": d.pick([0, 4, 6, 8, 8, 10, 12]), "stack_mm": d.integer(24, 40),
        "cushioning": d.pick(["light", "moderate", "max"]), "carbon_plate": carbon,
        "widths": ["standard", "wide"] if d.chance(0.4) else ["standard"],
    }
    use = "race day and fast tempo runs" if carbon else d.pick(
        ["daily training miles", "long runs and marathon training", "easy recovery runs", "tempo workouts",
         "new runners building up to a first 10K", "city commutes on foot"])
    facts = {"use": use, "membrane": "HydroSeal",
             "foam": d.pick(["a nitrogen-infused EVA foam", "a PEBA-based superfoam", "a dual-density EVA midsole",
                             "a supercritical TPU foam"])}
    title = f"{b.model}{version(d, b.model)}{' Waterproof' if wp else ''} Road Running Shoe{GENDER_SUFFIX[gender]}"
    return Draft(title, attrs, facts)


def build_running_shorts(d: Dice, q: float, b: Base) -> Draft:
    gender = d.pick(["men", "women"])
    inseam = d.pick([3, 5, 5, 7, 9])
    attrs = {"gender": gender, "sizes": apparel_sizes(d), "colors": colours(d, OUTDOOR_COLOURS, 2, 4),
             "material": d.pick(["recycled polyester", "nylon-spandex stretch woven", "lightweight polyester ripstop"]),
             "weight_g": int(round(140 - 40 * q + d.normal(0, 8))), "inseam_in": inseam}
    facts = {"use": d.pick(["race day", "long runs", "hot-weather runs", "interval sessions", "trail miles"])}
    return Draft(f"{b.model} {inseam}\" Running Short{GENDER_SUFFIX[gender]}", attrs, facts)


def build_hiking_boots(d: Dice, q: float, b: Base) -> Draft:
    gender = d.pick(["men", "women"])
    wp = d.chance(0.75)
    cut = d.pick(["mid", "mid", "high"])
    attrs = {"gender": gender, "sizes": shoe_sizes(d, gender), "colors": colours(d, ["brown", "black", "grey", "olive green",
                                                                                     "navy blue", "red"], 1, 3),
             "material": d.pick(["full-grain leather", "nubuck leather", "suede and mesh", "synthetic mesh"]),
             "waterproof": wp, "weight_g": int(round(720 - 180 * q + d.normal(0, 25))), "cut": cut,
             "lug_mm": d.pick([4, 5, 5, 6])}
    facts = {"use": d.pick(["multi-day backpacking trips", "rocky day hikes", "wet spring trails", "fast-and-light hut treks",
                            "winter hiking on snowy paths", "long days on rough terrain"]),
             "membrane": d.pick(["HydroSeal", "StormShell", "breathable"]),
             "outsole": d.pick(["deep-lug rubber", "Vibram-style", "high-friction rubber"])}
    title = f"{b.model}{version(d, b.model)}{' Waterproof' if wp else ''} {cut.title()} Hiking Boot{GENDER_SUFFIX[gender]}"
    return Draft(title, attrs, facts)


def build_backpacks(d: Dice, q: float, b: Base) -> Draft:
    capacity = d.pick([18, 22, 28, 32, 40, 45, 55, 65])
    wp = d.chance(0.35)
    attrs = {"capacity_l": capacity, "colors": colours(d, OUTDOOR_COLOURS, 1, 3),
             "material": d.pick(["210D ripstop nylon", "recycled 420D polyester", "Dyneema composite fabric",
                                 "500D nylon with a PU coating"]),
             "waterproof": wp, "weight_g": int(round(400 + capacity * 25 - 400 * q + d.normal(0, 40)))}
    use = ("day hikes and bike commutes" if capacity <= 22 else "full-day hikes with layers and lunch" if capacity <= 32
           else "overnight and weekend trips" if capacity <= 45 else "multi-day backpacking")
    kind = "Daypack" if capacity <= 32 else "Backpack"
    title = f"{b.model} {capacity}L{' Waterproof' if wp else ''} Hiking {kind}"
    return Draft(title, attrs, {"use": use})


def build_rain_jackets(d: Dice, q: float, b: Base) -> Draft:
    gender = d.pick(["men", "women"])
    layers = "3-layer" if q > 0.6 else d.pick(["2.5-layer", "2-layer"])
    attrs = {"gender": gender, "sizes": apparel_sizes(d), "colors": colours(d, OUTDOOR_COLOURS, 2, 4),
             "material": f"{layers} recycled nylon with a PFC-free water-repellent finish",
             "waterproof": True, "waterproof_rating_mm": int(10000 + 18000 * q) // 1000 * 1000,
             "weight_g": int(round(480 - 260 * q + d.normal(0, 15)))}
    facts = {"layers": layers, "use": d.pick(["wet hikes in the hills", "alpine days", "rainy commutes and weekend walks",
                                              "fast-packing trips", "year-round hiking"])}
    return Draft(f"{b.model}{version(d, b.model)} Waterproof Rain Jacket{GENDER_SUFFIX[gender]}", attrs, facts)


def build_tents(d: Dice, q: float, b: Base) -> Draft:
    persons = d.pick([1, 2, 2, 3, 4, 6])
    season = "4-season" if q > 0.85 else "3-season"
    attrs = {"capacity_persons": persons, "season": season, "colors": colours(d, ["green", "orange", "grey", "yellow",
                                                                               "blue", "olive green"], 1, 2),
             "material": d.pick(["20D silnylon", "68D polyester", "15D nylon ripstop", "75D polyester taffeta"]),
             "waterproof": True, "waterproof_rating_mm": d.pick([1500, 2000, 3000, 5000]),
             "freestanding": d.chance(0.7), "weight_g": int(round(persons * (900 - 450 * q) + 600 + d.normal(0, 80)))}
    use = ("solo bikepacking and thru-hikes" if persons == 1 else "backpacking couples" if persons == 2
           else "family car camping" if persons >= 4 else "small groups and a dog")
    facts = {"use": use if season == "3-season" else "winter camping and exposed alpine sites",
             "packed_cm": d.pick(["40 x 15", "45 x 18", "52 x 20", "60 x 25"])}
    return Draft(f"{b.model} {persons}-Person {season.title()} Tent", attrs, facts)


def build_sleeping_bags(d: Dice, q: float, b: Base) -> Draft:
    # Warmer bags cost more: the rating follows the quality tier, with some spread.
    temp = [10, 7, 4, 2, 0, -1, -7, -9, -18][int(clamp(q + d.normal(0, 0.12), 0, 0.999) * 9)]
    down = q > 0.5
    fill = d.pick(["650-fill-power responsibly sourced down", "800-fill-power hydrophobic down"]) if down else "synthetic hollow-fibre insulation"
    attrs = {"temperature_rating_c": temp, "fill": "down" if down else "synthetic",
             "shape": d.pick(["mummy", "mummy", "rectangular", "semi-rectangular"]),
             "material": d.pick(["20D ripstop nylon", "recycled polyester", "30D nylon taffeta"]),
             "weight_g": int(round(1900 - 900 * q - temp * 25 + d.normal(0, 60))),
             "colors": colours(d, ["blue", "orange", "red", "grey", "forest green", "navy blue"], 1, 2)}
    facts = {"fill": fill, "use": "winter and shoulder-season trips" if temp <= -5 else "three-season backpacking" if temp <= 2
             else "summer camping and festivals", "compressed": d.pick(["a 1-litre bottle", "a loaf of bread", "a football"])}
    return Draft(f"{b.model} {temp} °C {'Down' if down else 'Synthetic'} Sleeping Bag", attrs, facts)


def build_stoves(d: Dice, q: float, b: Base) -> Draft:
    fuel = d.pick(["isobutane canister", "isobutane canister", "liquid fuel", "wood and biomass"])
    attrs = {"fuel": fuel, "weight_g": int(round(420 - 330 * q + d.normal(0, 15))),
             "material": d.pick(["titanium", "hard-anodised aluminium", "stainless steel"]),
             "heat_output_btu": d.pick([7500, 9000, 10000, 11000]), "boil_time_min": round(4.5 - 2 * q, 1)}
    use = d.pick(["ultralight backpacking", "car camping", "two-person trips", "group cooking at base camp"])
    kind = "Backpacking Stove" if attrs["weight_g"] < 250 else "Camping Stove"
    return Draft(f"{b.model}{version(d, b.model)} {kind}", attrs, {"use": use})


def build_headlamps(d: Dice, q: float, b: Base) -> Draft:
    lumens = [200, 300, 400, 450, 600, 900, 1200][min(6, int(q * 7))]  # brighter costs more
    rechargeable = q > 0.35
    ipx = d.pick(["IPX4", "IPX4", "IPX7"])
    attrs = {"lumens": lumens, "battery": "rechargeable" if rechargeable else "3x AAA",
             "weight_g": int(round(60 + lumens / 20 - 15 * q + d.normal(0, 5))), "ip_rating": ipx,
             "waterproof": ipx == "IPX7", "burn_time_h": d.pick([40, 60, 100, 150]),
             "colors": colours(d, ["black", "orange", "blue", "grey", "red"], 1, 2)}
    facts = {"battery": "a USB-C rechargeable 1500 mAh battery" if rechargeable else "three AAA batteries (included)",
             "beam_m": 50 + lumens // 8,
             "use": d.pick(["night trail running", "camp chores", "early alpine starts", "caving and night hikes"])}
    return Draft(f"{b.model} {lumens} Lumen{' Rechargeable' if rechargeable else ''} Headlamp", attrs, facts)


def build_dumbbells(d: Dice, q: float, b: Base) -> Draft:
    if b.model in ("Quickset", "Blockset", "Compact Select", "Dialtech"):
        top = d.pick([24, 32, 40])
        attrs = {"weight_kg": top, "min_weight_kg": 2.5, "adjustable": True, "sold_as": "pair",
                 "material": "steel plates in a moulded cradle"}
        desc = f"a pair of adjustable dumbbells from 2.5 to {top} kg each"
        title = f"{b.model} Adjustable Dumbbells 2.5-{top} kg (Pair)"
    else:
        if b.model in ("Studio", "Grip Plus", "Soft Grip"):
            kg, material, kind = d.pick([1, 2, 3, 4, 5]), "neoprene-coated cast iron", "Neoprene Dumbbells"
        elif b.model == "Urethane Pro":
            kg, material, kind = d.pick([10, 12.5, 15, 20, 25]), "urethane-coated steel", "Dumbbells"
        else:
            kg, material, kind = d.pick([5, 7.5, 10, 12.5, 15, 20, 25]), "rubber-coated cast iron", "Hex Dumbbells"
        attrs = {"weight_kg": kg, "adjustable": False, "sold_as": "pair", "material": material}
        desc = f"a pair of {kg:g} kg {material} dumbbells"
        title = f"{merge_title(b.model, kind)} {kg:g} kg (Pair)"
    palette = ["pink", "blue", "purple", "teal", "lilac"] if attrs["material"].startswith("neoprene") else ["black", "grey"]
    attrs["colors"] = colours(d, palette, 1, 2)
    facts = {"weight_desc": desc, "sold_as": "pair (two dumbbells)",
             "use": d.pick(["home strength training", "apartment gyms", "beginner toning", "hypertrophy blocks"])}
    return Draft(title, attrs, facts)


def build_kettlebells(d: Dice, q: float, b: Base) -> Draft:
    adjustable = b.model == "Quick Select"
    kg = 18 if adjustable else d.pick([4, 8, 12, 16, 20, 24, 28, 32])
    material = "competition-grade steel" if b.model == "Competition" else "cast iron with a powder-coat finish"
    if kg <= 8 and not adjustable and b.model != "Competition" or b.model == "Vinyl Grip":
        material = "vinyl-coated cast iron"
    attrs = {"weight_kg": kg, "adjustable": adjustable, "material": material,
             "colors": colours(d, ["black", "blue", "red", "pink", "teal"] if "vinyl" in material else ["black", "grey"], 1, 1)}
    use = d.pick(["swings and Turkish get-ups", "home conditioning circuits", "beginner strength work", "kettlebell sport"])
    kind = "Adjustable Kettlebell" if adjustable else "Kettlebell"
    return Draft(f"{merge_title(b.model, kind)} {kg} kg", attrs, {"use": use})


def build_resistance_bands(d: Dice, q: float, b: Base) -> Draft:
    pieces = d.pick([3, 5, 5, 11])
    levels = ["light", "medium", "heavy", "x-heavy", "xx-heavy"][: min(pieces, 5)]
    attrs = {"pieces": pieces, "resistance": levels,
             "material": d.pick(["natural latex", "TPE (latex-free)", "fabric-covered latex"]),
             "max_resistance_kg": d.pick([15, 20, 23, 34, 45]),
             "colors": colours(d, FITNESS_COLOURS, 2, 4)}
    use = d.pick(["glute and leg activation", "physio and rehab", "travel workouts", "pull-up assistance", "Pilates"])
    return Draft(f"{b.model} Resistance Band Set ({pieces} Pieces)", attrs,
                 {"use": use, "levels_text": join_words(levels)})


def build_yoga_mats(d: Dice, q: float, b: Base) -> Draft:
    thick = d.pick([1.5, 3, 4, 5, 6, 6, 8])
    material = d.pick(["natural tree rubber", "TPE foam", "cork over natural rubber", "PU-topped natural rubber",
                       "PVC-free foam"])
    length = d.pick([173, 183, 183, 190])
    palette = colours(d, FITNESS_COLOURS, 1, 3)
    if b.index < 2:  # "blue yoga mat" must have answers
        palette = list(dict.fromkeys([["blue", "navy blue"][b.index], *palette]))
    attrs = {"thickness_mm": thick, "material": material, "length_cm": length,
             "weight_g": int(round(thick * 300 + (400 if "rubber" in material else 0) + d.normal(0, 50))),
             "colors": palette}
    use = ("travel and hot yoga" if thick <= 2 else "Pilates and floor work" if thick >= 6 else
           d.pick(["vinyasa flow", "hot yoga", "daily home practice", "studio classes"]))
    kind = "Travel Yoga Mat" if thick <= 2 else "Yoga Mat"
    return Draft(f"{b.model} {thick:g}mm {kind}", attrs, {"use": use, "fits_cm": length + 7})


def build_benches(d: Dice, q: float, b: Base) -> Draft:
    adjustable = b.model != "Flatline"
    foldable = b.model == "Compact" or d.chance(0.25)
    bench_type = "adjustable FID" if adjustable else "flat"
    attrs = {"adjustable": adjustable, "foldable": foldable, "max_load_kg": d.pick([250, 300, 350, 450]),
             "weight_kg": round(12 + 16 * q + d.normal(0, 1.5), 1), "positions": d.pick([6, 7, 9, 12]) if adjustable else 1,
             "material": d.pick(["11-gauge steel with vinyl upholstery", "powder-coated steel with a 6 cm foam pad"]),
             "colors": colours(d, ["black", "red", "grey", "blue"], 1, 1)}
    use = d.pick(["garage gyms", "bench press and dumbbell rows", "small-apartment home gyms", "full-body strength programs"])
    kind = f"{'Adjustable' if adjustable else 'Flat'}{' Foldable' if foldable else ''} Weight Bench"
    return Draft(merge_title(b.model, kind), attrs, {"use": use, "bench_type": bench_type})


PULLUP_MOUNTS = {"Doorway Pro": "doorway", "Wallmount": "wall", "Chin-Up Max": "doorway",
                 "Power Tower": "free-standing tower", "Ceiling Rig": "ceiling", "Multi-Grip": "doorway"}


def build_pullup_bars(d: Dice, q: float, b: Base) -> Draft:
    mount = PULLUP_MOUNTS.get(b.model, "doorway")
    attrs = {"mount": mount, "max_load_kg": d.pick([100, 136, 150, 180]),
             "weight_kg": {"doorway": 2.4, "wall": 6.5, "ceiling": 7.0}.get(mount, 38.0),
             "material": "powder-coated steel", "colors": ["black"]}
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
    attrs = {"length_cm": d.pick([30, 33, 45, 90]), "density": d.pick(["soft", "medium", "firm"]),
             "material": d.pick(["EVA foam", "EPP foam", "high-density EVA"]), "vibration_speeds": vib,
             "colors": colours(d, FITNESS_COLOURS, 1, 2)}
    use = d.pick(["post-run recovery", "IT band and quad release", "warm-ups before lifting", "desk-worker back tension"])
    kind = "Vibrating Foam Roller" if vib else "Foam Roller"
    facts = {"use": use, **({"_price": 119.99} if vib else {})}  # the motor puts it above the foam-only range
    return Draft(f"{merge_title(b.model, kind)} {attrs['length_cm']} cm", attrs, facts)


def skincare_attrs(d: Dice, b: Base, skin: list[str], ingr: list[str]) -> dict[str, Any]:
    # Dermaveil's promise (and brand identity) is fragrance-free, vegan, for reactive skin.
    derma = b.brand == "Dermaveil"
    return {"skin_type": skin, "ingredients": ingr, "fragrance_free": derma or d.chance(0.5),
            "vegan": derma or d.chance(0.5), "non_comedogenic": d.chance(0.6) or "oily" in skin}


def skin_facts(attrs: dict[str, Any]) -> dict[str, str]:
    skin = attrs.get("skin_type", ["all"])
    ingr = attrs.get("ingredients", [])
    return {"skin_text": "all" if skin == ["all"] else join_words(skin),
            "ingredient_note": INGREDIENT_NOTES.get(ingr[0], "") if ingr else "",
            "ingredient_note_2": INGREDIENT_NOTES.get(ingr[1], "") if len(ingr) > 1 else ""}


CLEANSER_TEXTURES = {"Gentle Cream": "cream", "Daily Foaming": "foam", "Balancing Gel": "gel", "Oat Milk": "milk",
                     "Pure Micellar": "micellar water", "Melt Away": "balm"}
CLEANSER_TITLES = {"cream": "Cream Cleanser", "foam": "Foaming Cleanser", "gel": "Gel Cleanser",
                   "milk": "Cleanser", "micellar water": "Micellar Cleansing Water", "balm": "Cleansing Balm"}


def build_cleansers(d: Dice, q: float, b: Base) -> Draft:
    skin = skin_types(d, b.brand)
    lead = (["salicylic acid", "tea tree oil", "kaolin clay"] if "oily" in skin else
            ["ceramides", "colloidal oatmeal", "hyaluronic acid", "centella asiatica", "green tea", "rice extract"])
    attrs = skincare_attrs(d, b, skin, ingredients(d, lead, ["glycerin", "panthenol", "aloe vera", "niacinamide"], 3))
    texture = CLEANSER_TEXTURES.get(b.model) or d.pick(["gel", "cream", "foam"])
    attrs |= {"volume_ml": d.pick([100, 150, 200, 236, 400]), "texture": texture}
    return Draft(merge_title(b.model, CLEANSER_TITLES[texture]), attrs,
                 {"texture": f"{texture} cleanser", "ph": "5.5"})


def moisturizer_texture(d: Dice, model: str) -> str:
    # The model name promises a texture ("Oil-Free Gel"); the attribute must not contradict it.
    for word, texture in (("Gel", "gel-cream"), ("Water", "gel-cream"), ("Whip", "whipped cream"), ("Balm", "balm"),
                          ("Rich", "rich cream"), ("Night", "rich cream"), ("Overnight", "rich cream")):
        if word in model:
            return texture
    return d.pick(["lightweight lotion", "cream", "gel-cream"])


def build_moisturizers(d: Dice, q: float, b: Base) -> Draft:
    skin = ["sensitive", "dry"] if b.index < 4 else skin_types(d, b.brand)
    lead = (["niacinamide", "hyaluronic acid"] if "oily" in skin else
            ["ceramides", "hyaluronic acid", "squalane", "peptides", "colloidal oatmeal", "centella asiatica"])
    attrs = skincare_attrs(d, b, skin, ingredients(d, lead, ["ceramides", "panthenol", "squalane", "niacinamide",
                                                            "vitamin E", "shea butter", "aloe vera"], 3))
    if "sensitive" in skin:
        attrs["fragrance_free"] = True  # a sensitive-skin moisturizer with perfume would not survive review
    texture = moisturizer_texture(d, b.model)
    if "Night" not in b.model and d.chance(0.3) or b.model == "Daily Defense":
        attrs["spf"] = d.pick([15, 30, 30])
    attrs["tinted"] = bool(attrs.get("spf")) and d.chance(0.4)
    attrs |= {"volume_ml": d.pick([50, 50, 75, 100]), "texture": texture}
    spf = f" SPF {attrs['spf']}" if attrs.get("spf") else ""
    tint = "Tinted " if attrs["tinted"] else ""
    return Draft(f"{b.model} {tint}Moisturizer{spf}", attrs,
                 {"texture": texture, "pack": d.pick(["airless pump", "jar", "tube"])})


SERUM_HERO = {"Bright C": ["vitamin C", "ferulic acid"], "Niacinamide 10": ["niacinamide", "zinc"],
              "Retinol Night": ["retinol", "squalane"], "Hydra Boost": ["hyaluronic acid", "panthenol"],
              "Peptide Lift": ["peptides", "hyaluronic acid"], "Azelaic Calm": ["azelaic acid", "centella asiatica"],
              "Clear Skin BHA": ["salicylic acid", "niacinamide"], "Lactic Glow": ["lactic acid", "rice extract"],
              "Ferulic C+E": ["vitamin C", "vitamin E"], "Barrier Repair": ["ceramides", "panthenol"],
              "Bakuchiol": ["bakuchiol", "squalane"], "Pure Squalane": ["squalane", "vitamin E"],
              "Even Tone": ["niacinamide", "vitamin C"], "Multi-Peptide": ["peptides", "niacinamide"]}
SERUM_CONCERNS = {"vitamin C": ["dullness", "dark spots"], "niacinamide": ["enlarged pores", "uneven tone"],
                  "retinol": ["fine lines", "uneven texture"], "hyaluronic acid": ["dehydration"],
                  "peptides": ["loss of firmness"], "azelaic acid": ["redness", "post-blemish marks"],
                  "salicylic acid": ["breakouts", "blackheads"], "lactic acid": ["dullness", "rough texture"],
                  "ceramides": ["a damaged barrier"], "bakuchiol": ["fine lines"], "squalane": ["dryness"]}


def build_serums(d: Dice, q: float, b: Base) -> Draft:
    hero = SERUM_HERO.get(b.model, ["hyaluronic acid", "niacinamide"])
    skin = (["oily", "combination"] if hero[0] in ("salicylic acid", "niacinamide") else skin_types(d, b.brand))
    attrs = skincare_attrs(d, b, skin, [*hero, d.pick(["glycerin", "panthenol", "allantoin"])])
    concerns = SERUM_CONCERNS.get(hero[0], ["dullness"])
    attrs |= {"volume_ml": 30, "concerns": concerns}
    return Draft(f"{b.model} Serum", attrs, {"hero": hero[0], "concerns_text": join_words(concerns),
                                             "pack": d.pick(["amber glass dropper bottle", "opaque airless pump"])})


def build_sunscreens(d: Dice, q: float, b: Base) -> Draft:
    spf = SUNSCREEN_SPF[b.index % len(SUNSCREEN_SPF)]
    mineral = b.model in ("Mineral Veil", "Kids Mineral", "Calm Mineral", "Sheer Tint") or d.chance(0.3)
    filt = "mineral" if mineral else d.pick(["chemical", "hybrid"])
    ingr = ["zinc oxide", "titanium dioxide"] if mineral else ["avobenzone", "niacinamide" if d.chance(0.5) else "vitamin E"]
    skin = ["sensitive", "dry"] if mineral and d.chance(0.6) else skin_types(d, b.brand)
    attrs = skincare_attrs(d, b, skin, ingr) | {"spf": spf, "filter_type": filt, "water_resistant_min": d.pick([40, 80]),
                                                "tinted": b.model == "Sheer Tint" or d.chance(0.15),
                                                "volume_ml": d.pick([30, 50, 50, 75, 100])}
    texture = d.pick(["fluid", "lotion", "gel", "cream", "stick"]) if b.model != "Active Stick" else "stick"
    use = d.pick(["daily city wear", "beach days and swimming", "runs and outdoor sports", "hikes at altitude", "kids' skin"])
    tint = "Tinted " if attrs["tinted"] and "Tint" not in b.model else ""
    return Draft(f"{b.model} {tint}{'Mineral ' if mineral and 'Mineral' not in b.model else ''}Sunscreen SPF {spf}", attrs,
                 {"texture": f"{texture} sunscreen", "use": use, "pack": "stick" if texture == "stick" else "tube"})


def build_toners(d: Dice, q: float, b: Base) -> Draft:
    skin = skin_types(d, b.brand)
    lead = (["salicylic acid", "glycolic acid", "niacinamide"] if "oily" in skin else
            ["rose water", "hyaluronic acid", "centella asiatica", "green tea", "lactic acid"])
    if b.model == "Exfoliating AHA":
        lead = ["glycolic acid", "lactic acid"]
    attrs = skincare_attrs(d, b, skin, ingredients(d, lead, ["panthenol", "aloe vera", "glycerin"], 2))
    attrs |= {"alcohol_free": d.chance(0.85), "volume_ml": d.pick([120, 150, 200, 250])}
    texture = {"Calming Mist": "facial mist", "Milky": "milky toner", "Hydrating Essence": "watery essence"}.get(b.model, "toner")
    return Draft(merge_title(b.model, "Toner"), attrs, {"texture": texture})


MASK_TYPES = {"Deep Clay": "clay", "Purifying Mud": "clay", "Detox": "clay", "Hydra Sheet": "sheet",
              "Brightening": "sheet", "Overnight Glow": "sleeping", "Rescue": "sleeping", "Honey Calm": "cream",
              "Cooling Gel": "gel", "Peel Renew": "gel"}


def build_face_masks(d: Dice, q: float, b: Base) -> Draft:
    mask_type = MASK_TYPES.get(b.model, "cream")
    skin = skin_types(d, b.brand)
    lead = {"clay": ["kaolin clay"], "sheet": ["hyaluronic acid", "centella asiatica"],
            "sleeping": ["peptides", "squalane", "rice extract"]}.get(mask_type, ["aloe vera", "honey"])
    attrs = skincare_attrs(d, b, skin, ingredients(d, lead, ["niacinamide", "panthenol", "green tea"], 2))
    count = d.pick([5, 10]) if mask_type == "sheet" else 0
    attrs |= {"mask_type": mask_type}
    if count:
        attrs["count"] = count
    else:
        attrs["volume_ml"] = d.pick([50, 75, 100])
    concerns = {"clay": "excess oil and congested pores", "sheet": "dehydration", "sleeping": "dullness and dryness"}
    facts = {"concerns_text": concerns.get(mask_type, "redness and tired skin"),
             "frequency": "twice a week" if mask_type == "clay" else "up to three times a week", "count": count}
    suffix = f" ({count}-Pack)" if count else ""
    return Draft(merge_title(b.model, f"{mask_type.title()} Mask") + suffix, attrs, facts)


FOUNDATION_SHADES = ["110 Porcelain", "120 Ivory", "130 Fair", "210 Light Beige", "220 Warm Beige", "230 Sand",
                     "240 Natural Buff", "310 Honey", "320 Golden", "330 Caramel", "410 Almond", "420 Chestnut",
                     "430 Espresso", "510 Mocha", "520 Deep Ebony"]
LIP_SHADES = ["Ruby Red", "Brick", "Mauve Dream", "Pink Nude", "Coral Crush", "Berry Bold", "Rosewood", "Cherry",
              "Plum", "Fuchsia", "Terracotta", "Classic Red", "Peach Fizz", "Cocoa"]
# Colour families for shades, as beauty sites filter them: "red lipstick" is a colour question,
# while foundation and concealer shades are skin tones and get no colour.
SHADE_FAMILY = {"Ruby Red": "red", "Brick": "red", "Mauve Dream": "pink", "Pink Nude": "pink", "Coral Crush": "orange",
                "Berry Bold": "purple", "Rosewood": "pink", "Cherry": "red", "Plum": "purple", "Fuchsia": "pink",
                "Terracotta": "orange", "Classic Red": "red", "Peach Fizz": "orange", "Cocoa": "brown",
                "black": "black", "brown-black": "brown", "brown": "brown", "navy": "navy blue"}


def shade_colours(shades: list[str]) -> list[str]:
    return list(dict.fromkeys(SHADE_FAMILY[s] for s in shades))


def makeup_attrs(d: Dice, b: Base, shades: list[str], ingr: list[str]) -> dict[str, Any]:
    return {"shade": shades, "ingredients": ingr, "vegan": b.brand == "Glowmuse" or d.chance(0.4),
            "fragrance_free": d.chance(0.5), "skin_type": skin_types(d, "")}


def shade_range(d: Dice, pool: list[str], lo: int, hi: int) -> list[str]:
    n = d.integer(lo, min(hi, len(pool)))
    start = d.integer(0, len(pool) - n)
    return pool[start:start + n]


FINISH_WORDS = {"matte": "matte", "blur": "matte", "velvet": "matte", "dewy": "dewy", "glow": "dewy", "luminous": "dewy",
                "satin": "satin", "silk": "satin", "gloss": "gloss", "sheer": "sheer", "balm": "sheer", "butter": "sheer",
                "cream": "cream", "ink": "matte", "stain": "matte", "radiant": "radiant"}


def finish_for(d: Dice, model: str, choices: list[str]) -> str:
    for word in model.lower().split():
        if word in FINISH_WORDS:
            return FINISH_WORDS[word]
    return d.pick(choices)


def build_foundation(d: Dice, q: float, b: Base) -> Draft:
    shades = shade_range(d, FOUNDATION_SHADES, 8, 15)
    ingr = ingredients(d, ["hyaluronic acid", "niacinamide", "squalane", "salicylic acid"], ["vitamin E", "glycerin"], 2)
    attrs = makeup_attrs(d, b, shades, ingr)
    finish = finish_for(d, b.model, ["matte", "natural", "dewy", "satin"])
    coverage = {"Full Cover": "full", "Skin Tint": "light", "Weightless": "light"}.get(b.model) or d.pick(["medium", "full"])
    attrs |= {"finish": finish, "coverage": coverage, "volume_ml": 30, "non_comedogenic": d.chance(0.6)}
    if finish == "matte":
        attrs["skin_type"] = ["oily", "combination"]
    if d.chance(0.3):
        attrs["spf"] = d.pick([15, 20, 30])
    spf = f" SPF {attrs['spf']}" if attrs.get("spf") else ""
    facts = {"shade_count": len(shades), "shade_first": shades[0], "shade_last": shades[-1],
             "wear_hours": d.pick([12, 16, 24])}
    return Draft(merge_title(b.model, "Foundation") + spf, attrs, facts)


def build_lipstick(d: Dice, q: float, b: Base) -> Draft:
    shades = d.sample(LIP_SHADES, d.integer(4, 10))
    attrs = makeup_attrs(d, b, shades, ingredients(d, ["shea butter", "jojoba oil", "vitamin E", "hyaluronic acid"],
                                                      ["vitamin E", "castor oil"], 2))
    attrs.pop("skin_type")
    finish = finish_for(d, b.model, ["matte", "satin", "cream"])
    attrs |= {"finish": finish, "weight_g": 3.5, "colors": shade_colours(shades)}
    facts = {"shade_count": len(shades), "shades_text": join_words(shades[:4]), "wear_hours": d.pick([4, 6, 8, 12])}
    named = finish in b.model.lower() or any(w in b.model.lower() for w in ("balm", "butter", "stain"))
    return Draft(f"{b.model} {'' if named else finish.title() + ' '}Lipstick", attrs, facts)


MASCARA_EFFECTS = {"Lash Lift": "curling", "Volume Boost": "volumizing", "Length Rush": "lengthening",
                   "Curl Up": "curling", "Sky High": "lengthening", "Bold Lash": "volumizing",
                   "Feather Light": "lengthening", "Night Out": "volumizing", "Lash Define": "lengthening"}


def build_mascara(d: Dice, q: float, b: Base) -> Draft:
    wp = b.index % 2 == 0
    effect = MASCARA_EFFECTS.get(b.model, "volumizing")
    shades = ["black"] + d.sample(["brown-black", "brown", "navy"], d.integer(0, 2))
    attrs = makeup_attrs(d, b, shades, ingredients(d, ["castor oil", "keratin", "panthenol"], ["vitamin E", "panthenol"], 2))
    attrs.pop("skin_type")
    attrs |= {"waterproof": wp, "effect": effect, "volume_ml": d.pick([8, 9, 10, 11]), "colors": shade_colours(shades)}
    facts = {"brush": d.pick(["hourglass fibre", "curved silicone", "tapered bristle", "spiral"]),
             "shades_text": join_words(shades)}
    return Draft(f"{b.model}{' Waterproof' if wp else ''} Mascara", attrs, facts)


def build_concealer(d: Dice, q: float, b: Base) -> Draft:
    shades = shade_range(d, FOUNDATION_SHADES, 6, 12)
    attrs = makeup_attrs(d, b, shades, ingredients(d, ["hyaluronic acid", "vitamin E", "peptides", "niacinamide"],
                                                      ["squalane", "glycerin"], 2))
    attrs |= {"coverage": d.pick(["medium", "full"]), "finish": finish_for(d, b.model, ["natural", "matte", "radiant"]),
              "volume_ml": 6}
    facts = {"shade_count": len(shades), "shade_first": shades[0], "shade_last": shades[-1],
             "wear_hours": d.pick([12, 16])}
    return Draft(f"{b.model} Concealer", attrs, facts)


def build_hair_dryers(d: Dice, q: float, b: Base) -> Draft:
    tech = "digital motor" if q > 0.8 else d.pick(["ionic", "ceramic", "tourmaline"])
    travel = b.model == "Travel Mini"
    extra = {"_price": 44.99} if travel else {}
    watts = 1200 if travel else d.pick([1600, 1800, 1875, 2000])
    attrs = {"wattage": watts, "technology": tech, "weight_g": 380 if travel else int(round(720 - 250 * q + d.normal(0, 20))),
             "heat_settings": 2 if travel else d.pick([3, 4]), "dual_voltage": travel or d.chance(0.3), "cordless": False,
             "colors": colours(d, TOOL_COLOURS, 1, 3)}
    facts = {"technology_note": TECHNOLOGY_NOTES[tech], "speed_settings": 2 if travel else 3,
             "attachments": d.pick([2, 3, 5]), "cord_m": 1.8 if travel else 2.7,
             "use": "travel" if travel else d.pick(["thick, curly hair", "fine hair that needs volume", "daily blowouts"]),
             **extra}
    return Draft(f"{b.model}{' ' + tech.title() if tech != 'digital motor' else ''} Hair Dryer {watts}W", attrs, facts)


def build_straighteners(d: Dice, q: float, b: Base) -> Draft:
    cordless = b.model == "Cordless Go"
    plate = d.pick(["ceramic", "titanium", "tourmaline ceramic"])
    width = 20 if b.model == "Mini Flat" else d.pick([25, 25, 32, 38])
    attrs = {"plate_material": plate, "plate_width_mm": width, "max_temp_c": d.pick([200, 210, 230, 235]),
             "wattage": 30 if cordless else d.pick([45, 50, 60]), "cordless": cordless,
             "dual_voltage": not cordless and d.chance(0.5), "colors": colours(d, TOOL_COLOURS, 1, 2)}
    facts = {"plate_mm": width, "heat_settings": d.pick([5, 6, 10]),
             "use": "thick, coarse hair" if width >= 32 else "short hair, bangs and travel" if width <= 20 else "everyday styling"}
    return Draft(f"{b.model} {plate.title()} Hair Straightener", attrs, facts)


BRUSH_TYPES = {"Round Blowout": "round", "Boar Paddle": "paddle", "Quick Dry": "vented", "Smoothing Oval": "oval",
               "Detangler": "detangling", "Wet Brush": "detangling", "Kids Detangle": "detangling", "Cushion": "cushion"}


def build_hair_brushes(d: Dice, q: float, b: Base) -> Draft:
    btype = BRUSH_TYPES.get(b.model, "paddle")
    bristle = "nylon" if btype in ("detangling", "vented") else "boar" if "Boar" in b.model else d.pick(
        ["boar", "nylon", "mixed boar and nylon"])
    hair = d.pick([["curly", "thick"], ["fine"], ["all"], ["thick"], ["wavy", "curly"]])
    attrs = {"bristle": bristle, "brush_type": btype, "hair_type": hair,
             "material": d.pick(["FSC-certified beech wood", "bamboo", "recycled plastic"]),
             "vegan": bristle == "nylon", "colors": colours(d, ["black", "brown", "pink", "lilac", "white"], 1, 2)}
    facts = {"hair_text": "all" if hair == ["all"] else join_words(hair), "bristle_note": BRISTLE_NOTES[bristle]}
    kind = "Hair Brush" if btype == "detangling" else f"{btype.title()} Hair Brush"
    return Draft(merge_title(b.model, kind), attrs, facts)


def build_facial_rollers(d: Dice, q: float, b: Base) -> Draft:
    material = {"Jade Roller": "jade", "Rose Quartz Roller": "rose quartz", "Ice Roller": "stainless steel",
                "Amethyst Roller": "amethyst", "Cooling Globe": "stainless steel"}.get(
        b.model, d.pick(["jade", "rose quartz"]))
    colour = {"jade": "green", "rose quartz": "pink", "stainless steel": "silver", "amethyst": "purple"}[material]
    attrs = {"material": material, "colors": [colour], "weight_g": d.pick([60, 85, 110, 140])}
    facts = {"material_note": ROLLER_NOTES[material],
             "use": d.pick(["a de-puffing morning routine", "lymphatic drainage massage", "pressing in serums",
                            "a calming evening ritual"])}
    return Draft(f"{b.model}" if material in b.model.lower() else f"{b.model} ({material.title()})", attrs, facts)


def build_cleansing_devices(d: Dice, q: float, b: Base) -> Draft:
    skin = d.pick([["all"], ["sensitive"], ["oily", "combination"], ["normal", "dry"]])
    attrs = {"skin_type": skin, "material": "medical-grade silicone", "cordless": True, "waterproof": True,
             "battery_min": d.pick([120, 200, 300]), "colors": colours(d, TOOL_COLOURS, 1, 3)}
    facts = {"skin_text": "all" if skin == ["all"] else join_words(skin), "pulsations": d.pick(["7,000", "8,000", "9,000"]),
             "uses": attrs["battery_min"] // 2, "speeds": d.pick([3, 8, 12])}
    return Draft(f"{b.model} Facial Cleansing Device", attrs, facts)


BUILDERS: dict[str, Callable[[Dice, float, Base], Draft]] = {
    name.removeprefix("build_"): fn for name, fn in list(globals().items()) if name.startswith("build_")
}


# --------------------------------------------------------------------------- products


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
    return re.sub(r"\b([Aa]) (?=[aeioAEIO])", r"\1n ", text)  # templates say "a {x}"; x may start with a vowel


def tags_for(spec: Spec, attrs: dict[str, Any], new: bool) -> list[str]:
    tags = list(spec.tags)
    for flag, tag in (("waterproof", "waterproof"), ("vegan", "vegan"), ("fragrance_free", "fragrance-free"),
                      ("adjustable", "adjustable"), ("cordless", "cordless"), ("non_comedogenic", "non-comedogenic")):
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
    stock = int(draft.facts["_stock"]) if "_stock" in draft.facts else int(clamp(math.exp(d.normal(3.2, 0.9)), 1, 400))
    record = {
        "id": "", "title": draft.title, "brand": base.brand, "category": spec.path, "price": price, "currency": "USD",
        "stock": stock, "rating": rating, "review_count": reviews, "description": describe(spec, base, draft, d),
        "attributes": draft.attrs, "tags": tags_for(spec, draft.attrs, new),
    }
    return Item(record, spec, pop, new)


def generate_products(d: Dice) -> list[Item]:
    items: list[Item] = []
    for spec in SPECS:
        if len(spec.models) < spec.count:
            raise ValueError(f"spec {spec.key!r} lists {len(spec.models)} models for {spec.count} products")
        models = spec.models[:1] + d.shuffled(spec.models[1:]) if spec.key == "trail_shoes" else d.shuffled(spec.models)
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
    """"budget" and "premium" mark the cheapest and dearest ~15% of each category."""
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


# --------------------------------------------------------------------------- shoppers and personas


def _likes_sensitive(a: dict) -> float:
    if "skin_type" not in a:
        return 1.0
    score = 4.0 if "sensitive" in a["skin_type"] else 0.35
    return score * (1.6 if a.get("fragrance_free") else 0.3)


def _likes_oily(a: dict) -> float:
    if "skin_type" not in a:
        return 1.0
    score = 4.0 if {"oily", "combination"} & set(a["skin_type"]) else 0.35
    if {"salicylic acid", "niacinamide", "kaolin clay"} & set(a.get("ingredients", [])):
        score *= 2.0
    return score * (1.5 if a.get("non_comedogenic") else 0.7)


def _likes_waterproof(a: dict) -> float:
    return 1.8 if a.get("waterproof") else 1.0


def _likes_vegan(a: dict) -> float:
    return 1.5 if a.get("vegan") else 1.0


def _likes_anything(a: dict) -> float:
    return 1.0


@dataclass(frozen=True)
class Persona:
    name: str
    label: str
    description: str
    affinity: dict[str, float]  # category key -> how much of their browsing goes there
    shoppers: int  # how many of the customers have this persona
    sessions: float  # mean sessions over the six weeks
    views: tuple[int, int]  # product views per session
    click: float  # P(click | view)
    favorite: float  # P(favorite | click)
    cart: float  # P(add_to_cart | click), in-stock products only
    buy: float  # P(purchase | cart)
    price_bias: float = 0.0  # slope on price relative to the category median: <0 likes cheap
    likes: Callable[[dict], float] = _likes_anything
    wears_shoes: bool = False  # has a shoe size and mostly browses shoes available in it


PERSONAS: list[Persona] = [
    Persona("trail_runner", "Trail runner",
            "Runs mountain and forest trails most weekends; shops trail running shoes (often waterproof), "
            "headlamps for dark mornings, shorts and recovery gear.",
            {"trail_shoes": 8, "headlamps": 2, "running_shorts": 2, "foam_rollers": 1.2, "rain_jackets": 1,
             "sunscreens": 0.4, "backpacks": 0.4}, 24, 16, (4, 11), 0.32, 0.15, 0.22, 0.55,
            likes=_likes_waterproof, wears_shoes=True),
    Persona("road_runner", "Road runner",
            "Training for a marathon on city streets; compares road running shoes by cushioning and drop, "
            "buys shorts, foam rollers and the odd resistance band.",
            {"road_shoes": 8, "running_shorts": 2.5, "foam_rollers": 1.5, "resistance_bands": 0.8, "headlamps": 0.6,
             "sunscreens": 0.4}, 24, 16, (4, 11), 0.32, 0.15, 0.22, 0.55, wears_shoes=True),
    Persona("hiker_camper", "Hiker and camper",
            "Plans weekend backpacking trips: hiking boots, packs, tents, sleeping bags, stoves, headlamps "
            "and rain jackets, with a taste for waterproof gear.",
            {"hiking_boots": 3, "backpacks": 3, "tents": 3, "sleeping_bags": 2.5, "stoves": 2, "headlamps": 2,
             "rain_jackets": 2.5, "trail_shoes": 0.5}, 26, 15, (4, 10), 0.30, 0.18, 0.2, 0.5,
            likes=_likes_waterproof, wears_shoes=True),
    Persona("home_gym", "Home-gym builder",
            "Kitting out a garage gym: dumbbells (often adjustable), kettlebells, a bench and a pull-up bar; "
            "bands and foam rollers on the side.",
            {"dumbbells": 4, "kettlebells": 3, "benches": 3, "pullup_bars": 2.5, "resistance_bands": 1.5,
             "foam_rollers": 1, "yoga_mats": 0.5}, 24, 15, (4, 10), 0.30, 0.14, 0.2, 0.5),
    Persona("yoga_pilates", "Yoga and Pilates regular",
            "Practises yoga and Pilates at home and in the studio; shops mats, bands and foam rollers, "
            "with the occasional moisturizer or facial roller.",
            {"yoga_mats": 6, "resistance_bands": 2.5, "foam_rollers": 2, "moisturizers": 0.6, "facial_rollers": 0.4,
             "running_shorts": 0.3}, 18, 13, (3, 9), 0.30, 0.18, 0.22, 0.55, likes=_likes_vegan),
    Persona("sensitive_skin", "Sensitive-skin skincare fan",
            "Has reactive, dry skin: reads ingredient lists, prefers fragrance-free products made for "
            "sensitive skin, and never skips mineral sunscreen.",
            {"moisturizers": 4, "cleansers": 3, "sunscreens": 3, "serums": 2, "toners": 1.5, "face_masks": 1},
            24, 17, (4, 10), 0.34, 0.2, 0.22, 0.6, likes=_likes_sensitive),
    Persona("oily_acne", "Oily, acne-prone skin",
            "Fights shine and breakouts: salicylic acid and niacinamide, clay masks, non-comedogenic "
            "moisturizer and concealer for the rest.",
            {"cleansers": 3, "serums": 3, "toners": 2.5, "moisturizers": 2, "face_masks": 2, "sunscreens": 1.5,
             "concealer": 1}, 20, 16, (4, 10), 0.33, 0.16, 0.22, 0.55, likes=_likes_oily),
    Persona("makeup_lover", "Makeup lover",
            "Collects lipstick shades and tries every new foundation, mascara and concealer; likes vegan "
            "formulas.",
            {"lipstick": 4, "foundation": 3, "mascara": 3, "concealer": 3, "hair_brushes": 0.5, "cleansers": 0.5},
            24, 17, (5, 12), 0.35, 0.22, 0.22, 0.55, likes=_likes_vegan),
    Persona("beauty_tools_fan", "Beauty-tools gadget fan",
            "Loves hair and skin gadgets and pays for quality: hair dryers, straighteners, brushes, facial "
            "rollers and sonic cleansing devices.",
            {"hair_dryers": 3, "straighteners": 3, "hair_brushes": 2, "facial_rollers": 2.5,
             "cleansing_devices": 3}, 18, 14, (4, 10), 0.32, 0.2, 0.18, 0.5, price_bias=0.8),
    Persona("bargain_hunter", "Bargain hunter",
            "Browses everything, sorts by price and buys only cheap items; lots of views and favourites, "
            "few purchases.",
            {spec.key: 1.0 for spec in SPECS}, 20, 22, (6, 15), 0.38, 0.22, 0.1, 0.35, price_bias=-1.6),
    Persona("gift_shopper", "Gift shopper",
            "Buying holiday presents for others across both departments, more and more as late November "
            "approaches; mid-priced, giftable items.",
            {"headlamps": 2, "yoga_mats": 1.5, "facial_rollers": 2, "lipstick": 1.5, "hair_dryers": 1.5,
             "resistance_bands": 1, "sleeping_bags": 1, "foam_rollers": 1, "cleansing_devices": 1.5,
             "straighteners": 1, "kettlebells": 0.6, "face_masks": 1}, 18, 9, (3, 8), 0.3, 0.12, 0.25, 0.5),
]

FIRST_NAMES = ["Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James", "Isabella", "Lucas", "Mia",
               "Mateo", "Amelia", "Benjamin", "Harper", "Henry", "Evelyn", "Theo", "Abigail", "Daniel", "Emily",
               "Samuel", "Ella", "Jack", "Grace", "Owen", "Chloe", "Leo", "Zoe", "Wyatt", "Nora", "Julian", "Lily",
               "Hudson", "Hannah", "Ezra", "Aria", "Isaac", "Layla", "Gabriel", "Riley", "Caleb", "Priya", "Arjun",
               "Mei", "Kenji", "Sofia", "Diego", "Fatima", "Omar", "Aisha", "Malik", "Yara", "Tomas", "Ingrid",
               "Lars", "Chiara", "Marco", "Nadia", "Ivan", "Keiko", "Andre", "Camila", "Jamal", "Rosa", "Felix"]
LAST_NAMES = ["Smith", "Johnson", "Garcia", "Brown", "Miller", "Davis", "Martinez", "Lopez", "Wilson", "Anderson",
              "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark",
              "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Nguyen", "Hill",
              "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter",
              "Patel", "Kim", "Chen", "Singh", "Okafor", "Novak", "Rossi", "Larsen", "Haddad", "Tanaka",
              "Schmidt", "Dubois", "Silva", "Kowalski", "Murphy", "O'Brien", "Costa", "Ahmed", "Park", "Reyes"]


@dataclass
class Shopper:
    """A customer with a persona and the personal tastes that make two trail runners differ."""

    customer: dict[str, Any]
    persona: Persona
    shoe_size: str | None
    brands: list[str]
    weights: dict[str, tuple[list[Item], np.ndarray]] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.customer["customer_id"]


def make_customers(d: Dice) -> list[dict[str, Any]]:
    total = sum(p.shoppers for p in PERSONAS)
    pairs = d.sample([(f, last) for f in FIRST_NAMES for last in LAST_NAMES], total)
    start, span = date(2019, 3, 1), (date(2026, 11, 20) - date(2019, 3, 1)).days
    customers, seen = [], set()
    for n, (first, last) in enumerate(pairs, start=1):
        local = f"{first}.{last}".lower().replace("'", "")
        if local in seen:
            local = f"{local}{n}"
        seen.add(local)
        # Most of the base joined a while ago; recent sign-ups are a thinner tail.
        joined = start + timedelta(days=int(span * float(d.rng.beta(2.2, 1.4))))
        customers.append({
            "customer_id": f"C{n:04d}", "name": f"{first} {last}",
            "email": f"{local}@{d.pick(['example.com', 'example.com', 'example.org'])}",
            "tier": d.pick(["standard", "silver", "gold"], [0.6, 0.27, 0.13]), "joined_at": joined.isoformat(),
        })
    return customers


def category_medians(items: list[Item]) -> dict[str, float]:
    out = {}
    for spec in SPECS:
        out[spec.key] = float(np.median([it.record["price"] for it in items if it.spec is spec]))
    return out


def make_shoppers(customers: list[dict[str, Any]], items: list[Item], d: Dice) -> list[Shopper]:
    personas = [p for p in PERSONAS for _ in range(p.shoppers)]
    personas = d.shuffled(personas)
    medians = category_medians(items)
    shoppers = []
    for customer, persona in zip(customers, personas, strict=True):
        top = sorted(persona.affinity, key=lambda k: -persona.affinity[k])[:3]
        brand_pool = sorted({b for spec in SPECS if spec.key in top for b in spec.brands})
        size = d.pick(["8", "8.5", "9", "9.5", "10", "10", "10.5", "11", "11.5"]) if persona.wears_shoes else None
        shopper = Shopper(customer, persona, size, d.sample(brand_pool, 2))
        shopper.weights = taste_weights(shopper, items, medians, d)
        shoppers.append(shopper)
    return shoppers


def taste_weights(s: Shopper, items: list[Item], medians: dict[str, float], d: Dice) -> dict[str, tuple[list[Item], np.ndarray]]:
    """Per category, the products and how likely this shopper is to look at each."""
    out = {}
    for key in s.persona.affinity:
        group = [it for it in items if it.spec.key == key]
        w = []
        for it in group:
            a, r = it.record["attributes"], it.record
            weight = it.pop ** 1.3 * (r["price"] / medians[key]) ** s.persona.price_bias * s.persona.likes(a)
            if r["brand"] in s.brands:
                weight *= 2.5
            if s.shoe_size and "sizes" in a and a["sizes"] and a["sizes"][0][0].isdigit():
                weight *= 1.0 if s.shoe_size in a["sizes"] else 0.25
            w.append(weight * d.uniform(0.7, 1.3))  # idiosyncratic taste
        out[key] = (group, np.asarray(w, dtype=float))
    return out


# --------------------------------------------------------------------------- behaviour

# Local (US Eastern) shopping hours: lunch and evening peaks, quiet nights. Shifted to UTC below.
LOCAL_HOUR_WEIGHTS = [0.3, 0.15, 0.08, 0.05, 0.05, 0.1, 0.3, 0.6, 0.8, 0.8, 0.9, 1.0, 1.3, 1.2, 1.0, 0.9, 0.9, 1.0,
                      1.3, 1.7, 1.9, 1.8, 1.3, 0.7]
UTC_OFFSET_H = 5
EVENT_RANK = {"view": 0, "click": 1, "favorite": 2, "add_to_cart": 3, "purchase": 4}


def unix(dt: datetime) -> int:
    return int(dt.timestamp())


def random_moment(d: Dice, day: date) -> datetime:
    local_hour = d.pick(list(range(24)), LOCAL_HOUR_WEIGHTS)
    start = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(hours=local_hour + UTC_OFFSET_H)
    return start + timedelta(seconds=d.integer(0, 3599))


def session_days(d: Dice, persona: Persona, n: int) -> list[date]:
    first = (NOW - timedelta(days=EVENT_DAYS)).date()
    days = [first + timedelta(days=i) for i in range(EVENT_DAYS)]
    # Weekends are busier; gift shoppers ramp up towards Black Friday (2026-11-27).
    w = [(1.3 if day.weekday() >= 5 else 1.0) * (1 + 2.5 * i / EVENT_DAYS if persona.name == "gift_shopper" else 1.0)
         for i, day in enumerate(days)]
    return sorted(d.pick(days, w) for _ in range(n))


def pick_trending(items: list[Item], d: Dice) -> list[Item]:
    """Products that rise in the last week: seasonal winter gear and viral gifts, in stock, not already top sellers."""
    keys = ["headlamps", "sleeping_bags", "facial_rollers", "lipstick", "dumbbells", "cleansing_devices"]
    chosen = []
    for key in keys:
        group = sorted((it for it in items if it.spec.key == key and it.record["stock"] > 0), key=lambda it: it.pop)
        chosen.append(d.pick(group[len(group) // 4: 3 * len(group) // 4]))  # mid-popularity, so the rise shows
    return chosen


class Simulator:
    """Turns shoppers into events: sessions of views, clicks, favourites, carts and purchases."""

    def __init__(self, items: list[Item], trending: list[Item], d: Dice):
        self.items, self.trending, self.d = items, trending, d
        self.trend_start = NOW - timedelta(days=TREND_DAYS)
        self.rows: list[tuple[int, str, str, str]] = []
        self.all_keys = [spec.key for spec in SPECS]

    def emit(self, t: datetime, user: str, item: Item, event: str) -> None:
        if t < NOW:  # a session started just before "now" must not spill into the future
            self.rows.append((unix(t), user, item.record["id"], event))

    def trend_boost(self, t: datetime) -> float:
        if t < self.trend_start:
            return 1.0
        return 1.0 + 9.0 * (t - self.trend_start) / timedelta(days=TREND_DAYS)

    def draw(self, s: Shopper, key: str, t: datetime) -> Item:
        group, w = s.weights[key]
        boost = self.trend_boost(t)
        if boost > 1.0:
            w = w * np.asarray([boost if it in self.trending else 1.0 for it in group])
        return group[int(self.d.rng.choice(len(group), p=w / w.sum()))]

    def shopper(self, s: Shopper) -> None:
        d, p = self.d, s.persona
        activity = math.exp(d.normal(0, 0.45))
        n_sessions = max(1, d.poisson(p.sessions * activity))
        pending: list[Item] = []  # carted, not bought: shoppers come back for these
        for day in session_days(d, p, n_sessions):
            t = random_moment(d, day)
            pending = self.session(s, t, pending)

    def session(self, s: Shopper, t: datetime, pending: list[Item]) -> list[Item]:
        d, p = self.d, s.persona
        keys, aff = list(p.affinity), list(p.affinity.values())
        mission = d.pick(self.all_keys) if d.chance(0.08) and p.name != "bargain_hunter" else d.pick(keys, aff)
        viewed: list[Item] = []
        revisit = pending.pop(0) if pending and d.chance(0.4) else None
        if revisit is not None:
            viewed.append(revisit)
        if t >= self.trend_start and d.chance(0.25):  # the "trending now" strip on the home page
            viewed.append(d.pick(self.trending))
        for _ in range(d.integer(*p.views)):
            key = mission if d.chance(0.8) else d.pick(keys, aff)
            if key not in s.weights:
                continue
            item = self.draw(s, key, t)
            if item not in viewed:
                viewed.append(item)
        cart: list[Item] = []
        for item in viewed:
            t += timedelta(seconds=d.integer(15, 150))
            self.emit(t, s.id, item, "view")
            if not d.chance(p.click * (1.25 if (item.record["rating"] or 0) >= 4.5 else 1.0)):
                continue
            t += timedelta(seconds=d.integer(3, 25))
            self.emit(t, s.id, item, "click")
            if d.chance(p.favorite):
                self.emit(t + timedelta(seconds=d.integer(10, 90)), s.id, item, "favorite")
            if item.record["stock"] > 0 and d.chance(p.cart * (2.0 if item is revisit else 1.0)):
                t += timedelta(seconds=d.integer(20, 120))
                self.emit(t, s.id, item, "add_to_cart")
                cart.append(item)
        t += timedelta(seconds=d.integer(60, 400))
        for item in cart:
            if d.chance(p.buy):
                self.emit(t, s.id, item, "purchase")
            elif item not in pending:
                pending.append(item)
        return pending[-5:]

    def order(self, order: dict[str, Any], by_id: dict[str, Item]) -> None:
        """An order placed inside the window leaves its own trail: view, click, cart, purchase."""
        placed = datetime.fromisoformat(order["placed_at"].replace("Z", "+00:00"))
        if placed < NOW - timedelta(days=EVENT_DAYS):
            return
        for k, line in enumerate(order["items"]):
            item = by_id[line["product_id"]]
            t = placed - timedelta(minutes=12 - 2 * k)
            self.emit(t, order["customer_id"], item, "view")
            self.emit(t + timedelta(seconds=20), order["customer_id"], item, "click")
            self.emit(t + timedelta(seconds=90), order["customer_id"], item, "add_to_cart")
            self.emit(placed, order["customer_id"], item, "purchase")

    def sorted_rows(self) -> list[tuple[int, str, str, str]]:
        return sorted(set(self.rows), key=lambda r: (r[0], r[1], EVENT_RANK[r[3]], r[2]))


# --------------------------------------------------------------------------- orders

STATUS_COUNTS = {"delivered": 58, "shipped": 28, "processing": 20, "cancelled": 20, "returned": 24}
RETURN_REASONS = {
    "Sports & Outdoors": ["too small", "too large", "changed my mind", "arrived damaged", "not as pictured",
                          "ran in them, not the right fit (Run Happy trial)"],
    "Beauty": ["skin reaction within 14 days", "wrong shade", "arrived damaged", "changed my mind (unopened)",
               "stopped working (defective)"],
}


def iso_z(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def tracking_number(carrier: str, d: Dice) -> str:
    digits = lambda n: "".join(str(d.integer(0, 9)) for _ in range(n))  # noqa: E731
    if carrier == "UPS":
        letters = "".join(d.pick(list("ABCDEFGHJKLMNPRSTUVWXYZ0123456789")) for _ in range(6))
        return f"1Z{letters}03{digits(8)}"
    if carrier == "FedEx":
        return digits(12)
    return f"9400{digits(18)}"


def order_lines(s: Shopper, d: Dice, in_stock_only: bool) -> list[dict[str, Any]]:
    lines, used = [], set()
    for _ in range(d.pick([1, 1, 1, 2, 2, 3])):
        keys = list(s.persona.affinity)
        key = d.pick(keys, list(s.persona.affinity.values()))
        group, w = s.weights[key]
        item = group[int(d.rng.choice(len(group), p=w / w.sum()))]
        if item.record["id"] in used or (in_stock_only and item.record["stock"] == 0):
            continue
        used.add(item.record["id"])
        price = item.record["price"]
        if d.chance(0.15):  # bought before a price change: the order keeps the price paid
            price = snap_price(price * d.uniform(0.85, 1.08), d)
        consumable = item.record["category"].startswith("Beauty > Skincare") or item.spec.key == "resistance_bands"
        lines.append({"product_id": item.record["id"], "quantity": 2 if consumable and d.chance(0.2) else 1,
                      "unit_price": round(price, 2)})
    if not lines:
        return order_lines(s, d, in_stock_only)
    return lines


def status_dates(status: str, d: Dice) -> datetime:
    ago = {"processing": (0.05, 1.9), "shipped": (1.5, 5.0), "delivered": (6, ORDER_DAYS),
           "returned": (14, 85), "cancelled": (1, ORDER_DAYS)}[status]
    day = (NOW - timedelta(days=d.uniform(*ago))).date()
    placed = random_moment(d, day)
    return min(placed, NOW - timedelta(minutes=d.integer(20, 600)))


def is_oversized(item: Item) -> bool:
    """Ground freight per shipping.md: benches, dip stations, adjustable dumbbell sets."""
    a = item.record["attributes"]
    return (item.spec.key == "benches" or (item.spec.key == "pullup_bars" and a["weight_kg"] >= 25)
            or (item.spec.key == "dumbbells" and a["adjustable"] is True))


def make_order(s: Shopper, status: str, items_by_id: dict[str, Item], d: Dice) -> dict[str, Any]:
    placed = status_dates(status, d)
    lines = order_lines(s, d, in_stock_only=status in ("processing", "shipped"))
    oversized = any(is_oversized(items_by_id[ln["product_id"]]) for ln in lines)
    method = "ground freight" if oversized else d.pick(["standard", "standard", "standard", "express"])
    order: dict[str, Any] = {"order_id": "", "customer_id": s.id, "status": status, "placed_at": iso_z(placed),
                             "items": lines, "carrier": None, "tracking_number": None, "eta": None,
                             "shipping_method": method}
    transit = {"standard": (3, 5), "express": (2, 2), "ground freight": (5, 8)}[method]
    if status in ("shipped", "delivered", "returned"):
        carrier = d.pick(["UPS", "FedEx"] if oversized else ["UPS", "FedEx", "USPS"])
        order["carrier"], order["tracking_number"] = carrier, tracking_number(carrier, d)
        arrives = placed.date() + timedelta(days=1 + d.integer(*transit))
        if status == "shipped":
            order["eta"] = max(arrives, NOW.date()).isoformat()
        else:
            order["delivered_at"] = arrives.isoformat()
    if status == "returned":
        back = date.fromisoformat(order["delivered_at"]) + timedelta(days=d.integer(4, 24))
        order["returned_at"] = min(back, NOW.date() - timedelta(days=1)).isoformat()
        domain = items_by_id[lines[0]["product_id"]].record["category"].split(" > ")[0]
        order["return_reason"] = d.pick(RETURN_REASONS[domain])
    return order


def make_orders(shoppers: list[Shopper], items: list[Item], d: Dice) -> list[dict[str, Any]]:
    """~150 orders over ~90 customers who joined before they ordered, statuses in fixed counts."""
    by_id = {it.record["id"]: it for it in items}
    eligible = [s for s in shoppers if s.customer["joined_at"] < "2026-08-01"]
    w = [s.persona.buy * (1.6 if s.customer["tier"] == "gold" else 1.2 if s.customer["tier"] == "silver" else 1.0)
         for s in eligible]
    w = [x / sum(w) for x in w]
    buyers = [eligible[int(i)] for i in d.rng.choice(len(eligible), size=90, replace=False, p=w)]
    statuses = d.shuffled([st for st, n in STATUS_COUNTS.items() for _ in range(n)])
    owners = buyers + [d.pick(buyers, [b.persona.buy for b in buyers]) for _ in range(len(statuses) - len(buyers))]
    orders = [make_order(s, st, by_id, d) for s, st in zip(owners, statuses, strict=True)]
    orders.sort(key=lambda o: o["placed_at"])
    number = 48210
    for o in orders:
        number += d.integer(3, 40)  # other customers' orders in between
        o["order_id"] = f"O{number}"
    return orders


# --------------------------------------------------------------------------- ads

AD_COPY = {
    "Running": (["Run farther in the {model}", "Your next PR starts here", "Light, fast, ready: {model}",
                 "Miles feel shorter in the {model}"],
                ["{hook} {brand}'s {model} is built for every mile. Try it with our 30-day Run Happy trial.",
                 "{hook} Lace up the {model} and feel the difference on your next run.",
                 "{hook} Runners rate it {rating} stars. Free standard shipping over $75."]),
    "Hiking": (["Made for the long way up", "Stay dry on the trail", "The {model} goes where you go"],
               ["{hook} {brand}'s {model} is built for wet, rocky days out. Free standard shipping over $75.",
                "{hook} Gear up for the weekend with the {model}, covered by our 2-year gear warranty."]),
    "Camping": (["Better nights under the stars", "Camp lighter with the {model}", "Sleep well, cook well, see well"],
                ["{hook} The {brand} {model} is backed by our 2-year camping gear warranty.",
                 "{hook} Pack the {model} for your next trip. Free standard shipping over $75."]),
    "Fitness": (["Build your home gym", "Stronger at home with {brand}", "Train anywhere with the {model}"],
                ["{hook} The {model} turns a spare corner into a gym. Free standard shipping over $75.",
                 "{hook} Rated {rating} stars by home athletes. Pay in 4 with Klarna."]),
    "Skincare": (["Skin that feels calm again", "Your new daily essential", "Dermatologists' pick: {model}"],
                 ["{hook} {brand}'s {model} fits straight into your routine.",
                  "{hook} Loved by {reviews} reviewers. Free standard shipping over $75."]),
    "Makeup": (["Find your shade", "All-day wear, zero fuss", "Meet the {model}"],
               ["{hook} {brand}'s {model} is made to last from morning to night.",
                "{hook} Rated {rating} stars. Free standard shipping over $75."]),
    "Beauty Tools": (["Salon results at home", "Upgrade your routine", "The {model}, now in stock"],
                     ["{hook} {brand}'s {model} comes with our 1-year beauty tools warranty.",
                      "{hook} A gift they will use every day. Free standard shipping over $75."]),
}


def ad_hook(r: dict[str, Any]) -> str:
    """One concrete, true claim about the product for the ad copy."""
    a = r["attributes"]
    checks: list[tuple[bool, str]] = [
        ("spf" in a, f"SPF {a.get('spf')} broad-spectrum protection."),
        ("sensitive" in a.get("skin_type", []), "Gentle enough for sensitive skin."),
        (a.get("waterproof") is True, "Fully waterproof."),
        (a.get("adjustable") is True, "Adjustable in seconds."),
        ("shade" in a, f"{len(a.get('shade', []))} shades."),
        ("wattage" in a, f"{a.get('wattage')} W of drying power." if r["category"].endswith("Dryers") else "Salon heat, fast."),
        ("lumens" in a, f"{a.get('lumens')} lumens of light."),
        ("temperature_rating_c" in a, f"Rated to {a.get('temperature_rating_c')} °C."),
        ("ingredients" in a, f"Made with {a.get('ingredients', [''])[0]}."),
        ("weight_g" in a, f"Just {a.get('weight_g')} g."),
        ("material" in a, f"Made of {a.get('material')}."),
    ]
    return next((text for ok, text in checks if ok), "New season, new favourite.")


def ad_record(item: Item, start: str, end: str, d: Dice) -> dict[str, Any]:
    r = item.record
    group = r["category"].split(" > ")[1]
    heads, texts = AD_COPY[group]
    model = r["title"].split(" - ")[0]
    facts = {"model": model, "brand": r["brand"], "hook": ad_hook(r), "rating": r["rating"] or "4.5",
             "reviews": r["review_count"]}
    return {"ad_id": "", "advertiser": r["brand"], "product_id": r["id"], "headline": d.pick(heads).format_map(facts),
            "text": d.pick(texts).format_map(facts), "bid_cpc": round(d.uniform(0.2, 2.5), 2),
            "daily_budget": float(5 * d.integer(2, 40)), "start": start, "end": end}


def make_ads(items: list[Item], d: Dice) -> list[dict[str, Any]]:
    """30 campaigns over both departments: 22 live, 4 expired, 2 not started, 2 for sold-out products."""
    in_stock = [it for it in items if it.record["stock"] > 0]
    sold_out = [it for it in items if it.record["stock"] == 0 and it.record["rating"]]
    # One product per category first, so sponsored results exist across the shop.
    picks = [d.pick([it for it in in_stock if it.spec is spec]) for spec in d.shuffled(SPECS)][:28]
    active_start = lambda: (date(2026, 3, 1) + timedelta(days=d.integer(0, 255))).isoformat()  # noqa: E731
    ads = []
    for n, item in enumerate(picks):
        if n < 4:
            ads.append(ad_record(item, (date(2026, 6, 1) + timedelta(days=d.integer(0, 90))).isoformat(), "2026-10-31", d))
        elif n < 6:
            ads.append(ad_record(item, "2027-06-01", "2027-12-31", d))
        else:
            ads.append(ad_record(item, active_start(), "2027-12-31", d))
    for item in d.sample(sold_out, 2):
        ads.append(ad_record(item, active_start(), "2027-12-31", d))
    ads = d.shuffled(ads)
    for n, ad in enumerate(ads, start=1):
        ad["ad_id"] = f"AD{n:03d}"
    return ads


# --------------------------------------------------------------------------- policies

# The numbers here are the shop's facts; they agree across files and with product descriptions:
# free standard shipping from $75 (Silver $50, Gold always), 30-day returns (Gold 45), the Run Happy
# trial for running shoes, 14-day rule for opened beauty, warranty terms per product type.
POLICIES: dict[str, str] = {
    "shipping": """# Shipping Policy

## Where we ship
We ship to all 50 US states, Washington DC and APO/FPO/DPO military addresses. We do not ship outside the United States, Canada included. Orders to Alaska and Hawaii go by standard shipping only and take 6 to 10 business days. PO boxes can receive standard and express parcels, but oversized items cannot be delivered to PO boxes or APO/FPO/DPO addresses.

## Shipping options and costs
| Option | Cost | Delivery time after dispatch |
|---|---|---|
| Standard | $5.95 | 3-5 business days |
| Express | $14.95 | 2 business days |
| Overnight | $29.95 | next business day (order by 1 pm ET) |
| Ground freight (oversized items) | $19.95 | 5-8 business days |

Costs are per order, not per item. Overnight is not available for oversized items or for Alaska and Hawaii.

## Free shipping
Standard shipping is free on orders of $75 or more (the subtotal after discounts, before tax). ShopTalk Rewards members get more: Silver members get free standard shipping from $50, and Gold members get free standard shipping on every order plus free express shipping on orders of $150 or more. The $19.95 ground-freight fee for oversized items still applies to orders that qualify for free standard shipping.

## Oversized items
Weight benches, pull-up and dip stations, adjustable dumbbell sets, and any package over 25 kg or longer than 150 cm ship by ground freight with UPS or FedEx. The carrier delivers to the door or garage of a street address; it cannot deliver to PO boxes.

## Processing times
Orders placed by 1 pm ET Monday to Friday leave our warehouse the same business day; later orders and weekend orders ship the next business day. While an order shows the status "processing" it has not left the warehouse yet and can still be cancelled. Our warehouse is closed on Thanksgiving Day, 26 November 2026; orders placed from 1 pm ET on 25 November ship on 27 November.

## Carriers and tracking
We ship with UPS, FedEx and USPS and choose the carrier for each parcel. When your order ships, its status changes to "shipped" and we email the carrier, tracking number and estimated delivery date (ETA) within 24 hours; the same details are on your order page and the shopping assistant can look them up. Tracking can take up to 24 hours to show the first scan.

## Late, lost or damaged parcels
If tracking has not moved for 5 business days, or the ETA has passed by 3 business days, contact us and we open a trace with the carrier. If the carrier confirms the parcel is lost, we reship it or refund you in full, your choice, within 2 business days. Report a parcel that arrived damaged within 7 days of delivery, with photos of the box and the item, and we replace it at no cost.

## Items we do not ship
Camping stoves ship without fuel: we do not sell or ship fuel canisters, liquid fuel or other flammable gas, so buy fuel at an outdoor store near your trailhead. Headlamps, cordless straighteners and cleansing devices ship with their batteries installed or in the box, which all our carriers accept.
""",
    "returns": """# Returns and Refunds

## Return window
You can return most items within 30 days of delivery if they are unused, in their original packaging and with tags attached. Gold members of ShopTalk Rewards get 45 days. Holiday extension: items delivered between 1 November and 24 December 2026 can be returned until 31 January 2027. The return window starts on the delivery date shown in tracking, not the order date.

## How to start a return
Start a return from your order page (Orders > Return items) or ask the shopping assistant or an agent in chat; you need the order number and the email on the order. We email a prepaid return label. Drop the parcel at any UPS store or USPS post office within 7 days of creating the label; after 7 days the label expires and you need a new one.

## Return shipping costs
A return label costs $6.95, taken off your refund. Return labels are free for Silver and Gold members, for exchanges, and when the item is defective, damaged or not what you ordered. Oversized items (weight benches, pull-up and dip stations, adjustable dumbbell sets) are collected by freight pickup for $29.95, or free if the item is defective.

## Refunds
We inspect returns within 3 business days of arrival and then refund the item price to the original payment method. Card refunds take 5 to 7 business days to appear on your statement, PayPal refunds 3 to 5 business days, and Klarna updates your payment plan. You can choose store credit instead, which is issued instantly. Original shipping charges are refunded only when the return is our mistake.

## Opened skincare and makeup
For hygiene reasons, opened or used skincare and makeup can be returned only if the product is defective or caused a skin reaction, and you tell us within 14 days of delivery. Unopened skincare and makeup with the seal intact follow the normal 30-day window (45 days for Gold members). We may ask for a photo of the product and a short description of the reaction.

## Run Happy trial for running shoes
Road and trail running shoes can be returned within 30 days of delivery even after you have run in them outdoors: that is our Run Happy trial. You get a full refund or an exchange for another size or model. The trial covers up to 2 pairs per customer per calendar year, and shoes must not be damaged beyond normal running wear. Hiking boots and all other footwear are not part of the trial: they are returnable only unworn, tried on indoors.

## Gear, fitness equipment and beauty tools
Tents and sleeping bags can be returned if they have not been used on a trip; pitching a tent at home to check it is fine. Weight benches and pull-up bars are returnable unassembled in their box; once assembled, only if defective. Beauty tools (hair dryers, straighteners, brushes, facial rollers and cleansing devices) are returnable only unused and in their original packaging; a used tool that fails is covered by the warranty instead.

## Final-sale items
Clearance items marked "Final sale", gift cards and opened skincare or makeup (outside the 14-day defect and reaction rule above) cannot be returned or exchanged. Final-sale items can still be claimed under warranty if they are defective, and the "Final sale" label is always shown on the product page before you buy.

## Exchanges
Exchanges for a different size or colour of the same product are free within the return window, including the return label. We ship the replacement as soon as the carrier scans your return, so you are not without shoes for long. If the new size is out of stock, we refund you instead.

## Cancelling an order
You can cancel an order while its status is "processing", from your order page or by asking in chat. Once an order is "shipped" it can no longer be cancelled: refuse the delivery or return it within the return window. For cancelled orders, the payment authorization is released within 3 to 5 business days; you are never charged for a cancelled order.
""",
    "warranty": """# Warranty

## Warranty periods by product type
| Product type | Warranty from delivery |
|---|---|
| Camping and hiking gear: tents, sleeping bags, camping stoves, headlamps, backpacks, rain jackets | 2 years |
| Running shoes, hiking boots, running shorts | 6 months |
| Weight benches, pull-up bars and dip stations | 5 years on the frame, 1 year on upholstery |
| Dumbbells and kettlebells | 3 years |
| Resistance bands, yoga mats, foam rollers | 90 days (1 year on vibrating foam roller motors) |
| Beauty tools: hair dryers, straighteners, cleansing devices, hair brushes, facial rollers | 1 year |
| Skincare and makeup | no warranty; see the returns policy |

## What is covered
The warranty covers defects in materials and workmanship under normal use: soles separating from uppers, seams or welded seams failing, zips breaking, tent poles snapping during a normal pitch, stove valves leaking, dumbbell plates loosening, and motors, heaters or batteries failing in beauty tools. Rechargeable batteries in headlamps, cordless straighteners and cleansing devices are covered for 1 year, even where the product itself has 2 years.

## What is not covered
Normal wear and tear is not a defect: worn outsoles, compressed midsole foam, faded colours and pilling fabric. The warranty also excludes accidents, misuse, modifications, using an appliance on the wrong voltage or with a plug converter, damage to non-waterproof items from water, commercial or gym use of home fitness equipment, and products bought from other sellers.

## How to make a claim
Claim from your order page (Orders > Warranty claim) or ask in chat, within the warranty period counted from the delivery date. Include the order number and photos or a short video of the fault. We reply within 2 business days and email a free return label. Once the item arrives we repair it, replace it or refund it within 10 business days; if the product is discontinued, we offer store credit for its full price or a comparable model.

## Warranty and gifts
A gift recipient can claim under the warranty with the order number or the gift receipt; the warranty follows the product, not the buyer. Replacements carry the remainder of the original warranty period or 90 days, whichever is longer. Repairs are free, including shipping both ways.
""",
    "payments": """# Payments

## Accepted payment methods
We accept Visa, Mastercard, American Express and Discover credit and debit cards, PayPal, Apple Pay, Google Pay, Klarna (pay in 4) and ShopTalk gift cards. Cards issued outside the United States are accepted, but your bank may add a foreign transaction fee. All prices are in US dollars (USD) and you are charged in USD.

## Payment methods we do not accept
We do not accept cryptocurrency of any kind (including Bitcoin and Ethereum), cash on delivery, personal checks, money orders, wire or bank transfers, or payments in any currency other than US dollars. Purchase orders from businesses are not accepted either; business customers pay by card or PayPal like everyone else.

## When you are charged
We authorize your payment when you place the order and charge it when the order ships. If an order ships in several parcels, each parcel is charged when it ships. If you cancel while the order is still "processing", the authorization is released within 3 to 5 business days and nothing is charged.

## Klarna pay in 4
Orders from $50 to $1,000 can be split into 4 interest-free payments, one every 2 weeks, with Klarna; the first payment is taken when the order ships. Klarna approves each purchase and may run a soft credit check that does not affect your credit score. Refunds for returned items reduce your remaining Klarna payments.

## Gift cards
ShopTalk gift cards come in values from $25 to $500, never expire and have no fees. One gift card can be combined with one other payment method in the same order. Gift cards cannot be used to buy other gift cards and cannot be exchanged for cash, except where state law requires it. A lost gift card can be replaced if you have the order number it was bought with.

## Sales tax
We collect sales tax where state law requires it, based on the shipping address; the exact amount is shown at checkout before you pay. Tax is calculated on the order subtotal after discounts; shipping is taxed only in states that tax shipping charges.

## Payment security
Card details are entered on a PCI DSS Level 1 certified payment page and never touch our servers. We keep only the card brand, the last 4 digits and the expiry date, so you can recognise a saved card. Some card payments ask for 3-D Secure verification by your bank. We will never ask for your full card number in chat or by email.

## Declined payments
If a payment is declined, the order waits in "processing" for 48 hours while you update the payment method from your order page. After 48 hours without a valid payment the order is cancelled automatically and any authorization is released.
""",
    "price_matching": """# Price Matching

## Our price match promise
If you find an identical item for less at a qualifying US retailer, we match that price, either before you buy or within 14 days after your purchase. Identical means the same brand, model, size and colour, new and in stock at the competitor. We compare the competitor's total price including shipping.

## Price drops on our own site
If our own price for an item drops within 14 days after your purchase, ask us and we refund the difference to your original payment method or as store credit. This applies once per item and only to the price you actually paid, after any discount code.

## Qualifying retailers
We match US retailers that sell new products through their own website or their own stores and ship to US addresses. The competitor's price must be current and verifiable, by a link to the product page or a photo of the shelf tag, dated within the last 7 days.

## Exclusions
We do not match: marketplace sellers (third-party sellers on Amazon, eBay, Walmart Marketplace, Etsy and similar), auction sites, clearance and "Final sale" prices, flash sales and lightning deals that last under 24 hours, Black Friday and Cyber Monday doorbusters (27 to 30 November 2026), bundles and gift-with-purchase offers, coupon codes, membership-only or loyalty prices, prices after mail-in rebates, open-box or refurbished items, outlet stores, and obvious pricing errors.

## How to request a price match
Before buying, send the competitor link in chat and we adjust the price in your cart. After buying, share your order number and the competitor link within 14 days of your purchase date. We review requests within 1 business day and refund the difference to the original payment method.

## Limits
Price matching is limited to 5 units of any one product per customer, and one price match per item per order. A price match cannot be combined with our own promotional codes on the same item, but Rewards points are still earned on the matched price.
""",
    "privacy": """# Privacy Notice

## What we collect
We collect the details you give us (name, email, shipping and billing addresses, optional phone number), your order history, your conversations with the shopping assistant and our agents, and basic device data (IP address, browser type). For payments we keep only a token, the card brand, the last 4 digits and the expiry date, never the full card number.

## Shopping behaviour and recommendations
We record what you do in our shop: the products you view, click, favourite, add to your cart and buy, and what you search for. We use this behaviour data to personalise your recommendations ("Recommended for you"), to rank search results, and to choose which sponsored products you see. Advertisers never receive your personal data; they only see aggregated counts of impressions and clicks.

## Turning off personalisation
You can opt out of personalisation in Account > Privacy by turning off "Personalised recommendations". Within 24 hours we stop using your behaviour data for recommendations and ads: you then see popular products and non-personalised sponsored products. Marketing emails have an unsubscribe link in every message and stop within 10 business days of unsubscribing.

## Conversations with the assistant
The shopping assistant stores your conversations for 90 days so that an agent can pick up where it left off when you ask for a human, and so we can check the quality of its answers. You can delete your chat history at any time from Account > Privacy; deleted conversations are gone within 24 hours.

## Data retention
We keep account data while your account is open. Behaviour data is kept for 24 months and then reduced to anonymous statistics. Order, payment and tax records are kept for 7 years because the law requires it, even after an account is deleted.

## Your rights and data requests
You can ask for a copy of your data, for corrections, or for your account and personal data to be deleted, from Account > Privacy or by email to privacy@example.com. We confirm the request by email and complete it within 30 days. We do not sell or share your personal data for money, and California residents have the rights set out in the CCPA.

## Who we share data with
We share only what each service needs: carriers (UPS, FedEx, USPS) get your name, address and phone number to deliver; payment processors and Klarna get what is needed to take a payment; service providers such as our email and hosting companies work under contract and may not use your data for anything else. We disclose data to authorities only when the law requires it.

## Cookies and children
We use essential cookies to run the shop and, only with your consent, analytics and personalisation cookies; change your choice any time from the cookie banner link in the footer. Our shop is not meant for children under 13 and we do not knowingly collect their data.
""",
    "sizing": """# Sizing Guide

## How shoe sizes are listed
Shoe sizes are US sizes. Men's and unisex models list US men's sizes and women's models list US women's sizes; for a unisex model, a woman's size is the men's size plus 1.5 (women's 9 = men's 7.5). The size list on each product page shows only the sizes currently in stock; a missing size is sold out in that model.

## Men's and unisex shoe size chart
| US men's | UK | EU | Foot length (cm) |
|---|---|---|---|
| 6 | 5.5 | 38.5 | 24 |
| 6.5 | 6 | 39 | 24.5 |
| 7 | 6 | 40 | 25 |
| 7.5 | 6.5 | 40.5 | 25.5 |
| 8 | 7 | 41 | 26 |
| 8.5 | 7.5 | 42 | 26.5 |
| 9 | 8 | 42.5 | 27 |
| 9.5 | 8.5 | 43 | 27.5 |
| 10 | 9 | 44 | 28 |
| 10.5 | 9.5 | 44.5 | 28.5 |
| 11 | 10 | 45 | 29 |
| 11.5 | 10.5 | 45.5 | 29.5 |
| 12 | 11 | 46 | 30 |
| 12.5 | 11.5 | 47 | 30.5 |
| 13 | 12 | 47.5 | 31 |

## Women's shoe size chart
| US women's | UK | EU | Foot length (cm) |
|---|---|---|---|
| 6 | 3.5 | 36.5 | 23 |
| 6.5 | 4 | 37.5 | 23.5 |
| 7 | 4.5 | 38 | 24 |
| 7.5 | 5 | 38.5 | 24.5 |
| 8 | 5.5 | 39 | 25 |
| 8.5 | 6 | 40 | 25.5 |
| 9 | 6.5 | 40.5 | 26 |
| 9.5 | 7 | 41 | 26.5 |
| 10 | 7.5 | 42 | 27 |
| 10.5 | 8 | 42.5 | 27.5 |
| 11 | 8.5 | 43 | 28 |

## How to measure your feet
Measure in the evening, when feet are largest. Stand on a sheet of paper with your heel against a wall, mark the tip of your longest toe, and measure from the wall to the mark in centimetres. Choose the size whose foot length is equal to or just above your measurement. If your two feet differ, size for the longer one.

## Brand fit notes
Trailhaven shoes and boots run half a size small: order half a size up from your usual size. Stridewell, Swiftfoot, Pacefield and Kestrel Run running shoes fit true to size. For hiking boots from any brand, go up half a size if you hike in thick wool socks. Models offered in a wide width list "wide" among their widths (2E for men, D for women).

## Apparel size chart
| Size | Chest (cm) | Waist (cm) | Chest (in) | Waist (in) |
|---|---|---|---|---|
| XS | 81-86 | 66-71 | 32-34 | 26-28 |
| S | 86-94 | 71-79 | 34-37 | 28-31 |
| M | 94-102 | 79-86 | 37-40 | 31-34 |
| L | 102-110 | 86-94 | 40-43 | 34-37 |
| XL | 110-118 | 94-102 | 43-46 | 37-40 |
| XXL | 118-126 | 102-110 | 46-50 | 40-43 |

## Fit tips for apparel
Rain jackets are cut to layer over a fleece, so stay with your usual size. Running shorts are sized by waist; between two sizes, size down for a snug race fit or up for a relaxed fit. Women's apparel uses the same letter sizes, cut with a narrower waist and more room at the hip.

## Still unsure about a size
Exchanges for another size are free within the return window, return label included, and running shoes are covered by our 30-day Run Happy trial even after you have run in them. Ask the shopping assistant which sizes of a model are in stock before you order.
""",
    "loyalty": """# ShopTalk Rewards

## Membership tiers
ShopTalk Rewards is free and every account starts in the Standard tier. Spend $300 in a rolling 12 months to reach Silver, and $800 to reach Gold. Spending is counted after discounts and returns, before tax and shipping. Tiers are reviewed on the first day of each month, and once you reach a tier you keep it for at least 12 months.

## Tier benefits
| Benefit | Standard | Silver | Gold |
|---|---|---|---|
| Free standard shipping | orders $75+ | orders $50+ | every order |
| Free express shipping | no | no | orders $150+ |
| Return window | 30 days | 30 days | 45 days |
| Free return labels | no ($6.95) | yes | yes |
| Points per $1 | 1 | 1.25 | 1.5 |
| Early access to sales | no | 24 hours | 48 hours |

## Earning points
You earn points on every dollar spent on products, before tax and shipping, at your tier's rate. Points are added when an order is delivered and removed if the items are returned. A product review with a photo earns 50 points, up to 5 reviews a month. Gold members get 250 bonus points in their birthday month.

## Redeeming points
Every 100 points is worth $5 off, redeemed in steps of 100 points at checkout. Points can pay for up to 50% of an order's subtotal and cannot be used to buy gift cards or be exchanged for cash. If you return an item bought partly with points, the points come back to your account and the rest is refunded to your payment method.

## Points expiry and account closure
Points expire after 12 months without a purchase on your account; any purchase resets the clock for all your points, and we email a reminder 30 days before they expire. If you close your account, unused points and your tier are forfeited and cannot be transferred to another person.
""",
    "contact": """# Contact and Support

## Ways to reach us
The shopping assistant in chat answers questions about products, orders and policies 24 hours a day, 7 days a week. Human agents are available by chat Monday to Friday from 8 am to 8 pm ET and Saturday and Sunday from 10 am to 6 pm ET. Email support@example.com and we answer within 1 business day.

## Talking to a person
Ask the assistant for a human at any time and it hands the conversation to an agent with a summary, so you do not have to repeat yourself. Outside agent hours, your request is queued and an agent replies by email or chat within 1 business day. Refund exceptions, damaged deliveries and warranty claims are always reviewed by a person.

## What to have ready
For questions about an order, have your order number (it starts with O, for example O48213) and the email address on the order. For warranty claims, photos or a short video of the fault speed things up. We never ask for your password or full card number.

## Holiday hours
Agents are off on Thanksgiving Day, 26 November 2026, and on 25 December 2026; the shopping assistant keeps answering. Over Black Friday and Cyber Monday (27 to 30 November 2026) agent chat hours are extended to 8 am to 10 pm ET.
""",
}


# --------------------------------------------------------------------------- checks and facts


def blue(p: dict[str, Any]) -> bool:
    return any("blue" in c.split() for c in p["attributes"].get("colors", []))


def leaf(p: dict[str, Any]) -> str:
    return p["category"].split(" > ")[-1]


# Known answers for examples and evaluations: (query, how the answer is defined, predicate).
KNOWN_QUERIES: list[tuple[str, str, Callable[[dict[str, Any]], bool]]] = [
    ("waterproof trail running shoes under $100 in size 10",
     "Trail Running Shoes, waterproof, price <= 100, '10' in sizes (any stock)",
     lambda p: leaf(p) == "Trail Running Shoes" and p["attributes"].get("waterproof") is True
     and p["price"] <= 100 and "10" in p["attributes"]["sizes"]),
    ("waterproof trail running shoes under $100 in size 10, in stock",
     "as above, stock > 0",
     lambda p: leaf(p) == "Trail Running Shoes" and p["attributes"].get("waterproof") is True
     and p["price"] <= 100 and "10" in p["attributes"]["sizes"] and p["stock"] > 0),
    ("waterproof trail running shoes over $100",
     "Trail Running Shoes, waterproof, price > 100",
     lambda p: leaf(p) == "Trail Running Shoes" and p["attributes"].get("waterproof") is True and p["price"] > 100),
    ("moisturizer for sensitive skin",
     "Moisturizers with 'sensitive' in skin_type",
     lambda p: leaf(p) == "Moisturizers" and "sensitive" in p["attributes"].get("skin_type", [])),
    ("sunscreen SPF 50",
     "Sunscreens with spf >= 50 (the query parser reads SPF N as at least N)",
     lambda p: leaf(p) == "Sunscreens" and p["attributes"].get("spf", 0) >= 50),
    ("sunscreen SPF 30",
     "Sunscreens with spf >= 30",
     lambda p: leaf(p) == "Sunscreens" and p["attributes"].get("spf", 0) >= 30),
    ("blue yoga mat",
     "Yoga Mats with a colour containing the word 'blue'",
     lambda p: leaf(p) == "Yoga Mats" and blue(p)),
    ("adjustable dumbbells",
     "Dumbbells with adjustable = true",
     lambda p: leaf(p) == "Dumbbells" and p["attributes"].get("adjustable") is True),
    ("waterproof mascara",
     "Mascara with waterproof = true",
     lambda p: leaf(p) == "Mascara" and p["attributes"].get("waterproof") is True),
    ("fragrance-free vegan cleanser",
     "Cleansers with fragrance_free = true and vegan = true",
     lambda p: leaf(p) == "Cleansers" and p["attributes"].get("fragrance_free") is True
     and p["attributes"].get("vegan") is True),
    ("rain jacket in size M under $150",
     "Rain Jackets, 'M' in sizes, price <= 150",
     lambda p: leaf(p) == "Rain Jackets" and "M" in p["attributes"].get("sizes", []) and p["price"] <= 150),
    ("Trailhaven hiking boots",
     "brand Trailhaven, Hiking Boots",
     lambda p: p["brand"] == "Trailhaven" and leaf(p) == "Hiking Boots"),
]


def check_coverage(products: list[dict[str, Any]]) -> None:
    """Fail the run if the shop stops keeping a promise the demo and tests rely on."""
    answers = {q: [p for p in products if pred(p)] for q, _, pred in KNOWN_QUERIES}
    problems = []
    for query, _, _ in KNOWN_QUERIES:
        if len(answers[query]) < 2:
            problems.append(f"{query!r} has {len(answers[query])} answers")
    trail_wp_cheap = [p for p in products if leaf(p) == "Trail Running Shoes" and p["attributes"]["waterproof"]
                      and p["price"] <= 100]
    if not any("10" not in p["attributes"]["sizes"] for p in trail_wp_cheap):
        problems.append("no waterproof trail shoe under $100 lacks size 10")
    spfs = [p["attributes"]["spf"] for p in products if leaf(p) == "Sunscreens"]
    if spfs.count(30) < 3 or spfs.count(50) < 3:
        problems.append("need several SPF 30 and SPF 50 sunscreens")
    blue_leaves = {leaf(p) for p in products if blue(p)}
    if len(blue_leaves) < 5:
        problems.append(f"blue items in only {sorted(blue_leaves)}")
    share = sum(p["stock"] == 0 for p in products) / len(products)
    if not 0.08 <= share <= 0.10:
        problems.append(f"{share:.1%} out of stock")
    if problems:
        raise SystemExit("coverage check failed: " + "; ".join(problems))


def demo_facts(products: list[dict[str, Any]], trending: list[Item], ads: list[dict[str, Any]]) -> dict[str, Any]:
    stock = {p["id"]: p["stock"] for p in products}
    return {
        "today": NOW.date().isoformat(),
        "out_of_stock": [p["id"] for p in products if p["stock"] == 0],
        "new_arrivals": [p["id"] for p in products if p["rating"] is None],
        "trending_last_week": [it.record["id"] for it in trending],
        "ads": {
            "expired": [a["ad_id"] for a in ads if a["end"] < NOW.date().isoformat()],
            "not_started": [a["ad_id"] for a in ads if a["start"] > NOW.date().isoformat()],
            "out_of_stock_product": [a["ad_id"] for a in ads if stock[a["product_id"]] == 0],
        },
        "known_queries": [{"query": q, "definition": how, "answer": [p["id"] for p in products if pred(p)]}
                          for q, how, pred in KNOWN_QUERIES],
    }


# --------------------------------------------------------------------------- writing


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_events(path: Path, rows: list[tuple[int, str, str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["user_id", "item_id", "event", "timestamp"])
        for ts, user, item, event in rows:
            writer.writerow([user, item, event, ts])


def personas_doc(shoppers: list[Shopper]) -> dict[str, Any]:
    paths = {spec.key: spec.path for spec in SPECS}
    return {
        "personas": {
            p.name: {"label": p.label, "description": p.description,
                     "categories": [paths[k] for k in sorted(p.affinity, key=lambda k: -p.affinity[k])[:4]]}
            for p in PERSONAS
        },
        "users": {s.id: s.persona.name for s in shoppers},
    }


README = """# The ShopTalk demo shop

A fictional online store for **sports & outdoors** (running, hiking, camping, home fitness) and
**beauty** (skincare, makeup, beauty tools), in the shop-directory format of DESIGN.md (contract 1).
Everything here is generated; regenerate it, byte for byte, with:

    python scripts/make_demo_shop.py --out data/demo_shop --seed 7

| File | What it holds |
|---|---|
| `products.jsonl` | {products} products in {leaves} leaf categories from {brands} fictional brands; ~9% out of stock |
| `policies/*.md` | shipping, returns, warranty, payments, price matching, privacy, sizing, loyalty, contact |
| `customers.jsonl` | {customers} customers (example.com / example.org emails), tiers standard/silver/gold |
| `orders.jsonl` | {orders} orders; every status (processing, shipped, delivered, cancelled, returned) |
| `ads.jsonl` | {ads} sponsored campaigns: live, expired, not yet started, and two for sold-out products |
| `events.csv` | {events} behaviour events from {users} shoppers over six weeks ending {today} |
| `personas.json` | each shopper's persona (the demo's shopper selector) and what each persona likes |
| `demo_facts.json` | ground truth: out-of-stock, trending and new products, ad cases, known query answers |

The shop's "today" is {today}. Orders span the three months before it; shipped orders have a
carrier, tracking number and ETA. Extra order fields (`shipping_method`, `delivered_at`,
`returned_at`, `return_reason`) are kept by the loader as unknown extras.

Attribute names shoppers filter on: `sizes`, `colors`, `material`, `waterproof`, `weight_g`,
`skin_type`, `spf`, `ingredients`, `fragrance_free`, `vegan`, `non_comedogenic`, `shade`,
`volume_ml`, plus category-specific ones (`drop_mm`, `capacity_l`, `temperature_rating_c`,
`weight_kg`, `wattage`, `adjustable`, ...).

Personas ({personas}): {persona_names}. Each shopper browses in sessions that run view -> click ->
favorite / add_to_cart -> purchase, with popularity skew and a few products trending up in the
last week (listed in `demo_facts.json`). Orders placed in the event window appear as events too.
"""


def generate(out: Path, seed: int) -> dict[str, Any]:
    d = Dice(seed)
    items = generate_products(d)
    products = sorted((it.record for it in items), key=lambda r: int(r["id"][1:]))
    check_coverage(products)
    customers = make_customers(d)
    shoppers = make_shoppers(customers, items, d)
    orders = make_orders(shoppers, items, d)
    ads = make_ads(items, d)
    trending = pick_trending(items, d)
    sim = Simulator(items, trending, d)
    for s in shoppers:
        sim.shopper(s)
    by_id = {it.record["id"]: it for it in items}
    for order in orders:
        sim.order(order, by_id)
    events = sim.sorted_rows()

    (out / "policies").mkdir(parents=True, exist_ok=True)
    write_jsonl(out / "products.jsonl", products)
    write_jsonl(out / "customers.jsonl", customers)
    write_jsonl(out / "orders.jsonl", orders)
    write_jsonl(out / "ads.jsonl", ads)
    write_events(out / "events.csv", events)
    for name, text in POLICIES.items():
        (out / "policies" / f"{name}.md").write_text(text, encoding="utf-8")
    write_json(out / "personas.json", personas_doc(shoppers))
    write_json(out / "demo_facts.json", demo_facts(products, trending, ads))
    stats = {"products": len(products), "leaves": len(SPECS), "brands": len({p["brand"] for p in products}),
             "customers": len(customers), "orders": len(orders), "ads": len(ads), "events": len(events),
             "users": len({e[1] for e in events}), "today": NOW.date().isoformat(), "personas": len(PERSONAS),
             "persona_names": "; ".join(p.label.lower() for p in PERSONAS)}
    (out / "README.md").write_text(README.format(**stats), encoding="utf-8")
    return stats


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("data/demo_shop"), help="shop directory to write")
    parser.add_argument("--seed", type=int, default=7, help="random seed (same seed, same bytes)")
    args = parser.parse_args(argv)
    stats = generate(args.out, args.seed)
    print(f"wrote {args.out}: " + ", ".join(f"{k}={v}" for k, v in stats.items() if k != "persona_names"))


if __name__ == "__main__":
    main()
