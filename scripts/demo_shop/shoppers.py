"""Customers, personas and shoppers: who browses, what they like and how much."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from .catalogue import SPECS
from .common import Dice
from .products import Item


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
    Persona(
        "trail_runner",
        "Trail runner",
        "Runs mountain and forest trails most weekends; shops trail running shoes (often waterproof), "
        "headlamps for dark mornings, shorts and recovery gear.",
        {
            "trail_shoes": 8,
            "headlamps": 2,
            "running_shorts": 2,
            "foam_rollers": 1.2,
            "rain_jackets": 1,
            "sunscreens": 0.4,
            "backpacks": 0.4,
        },
        24,
        16,
        (4, 11),
        0.32,
        0.15,
        0.22,
        0.55,
        likes=_likes_waterproof,
        wears_shoes=True,
    ),
    Persona(
        "road_runner",
        "Road runner",
        "Training for a marathon on city streets; compares road running shoes by cushioning and drop, "
        "buys shorts, foam rollers and the odd resistance band.",
        {
            "road_shoes": 8,
            "running_shorts": 2.5,
            "foam_rollers": 1.5,
            "resistance_bands": 0.8,
            "headlamps": 0.6,
            "sunscreens": 0.4,
        },
        24,
        16,
        (4, 11),
        0.32,
        0.15,
        0.22,
        0.55,
        wears_shoes=True,
    ),
    Persona(
        "hiker_camper",
        "Hiker and camper",
        "Plans weekend backpacking trips: hiking boots, packs, tents, sleeping bags, stoves, headlamps "
        "and rain jackets, with a taste for waterproof gear.",
        {
            "hiking_boots": 3,
            "backpacks": 3,
            "tents": 3,
            "sleeping_bags": 2.5,
            "stoves": 2,
            "headlamps": 2,
            "rain_jackets": 2.5,
            "trail_shoes": 0.5,
        },
        26,
        15,
        (4, 10),
        0.30,
        0.18,
        0.2,
        0.5,
        likes=_likes_waterproof,
        wears_shoes=True,
    ),
    Persona(
        "home_gym",
        "Home-gym builder",
        "Kitting out a garage gym: dumbbells (often adjustable), kettlebells, a bench and a pull-up bar; "
        "bands and foam rollers on the side.",
        {
            "dumbbells": 4,
            "kettlebells": 3,
            "benches": 3,
            "pullup_bars": 2.5,
            "resistance_bands": 1.5,
            "foam_rollers": 1,
            "yoga_mats": 0.5,
        },
        24,
        15,
        (4, 10),
        0.30,
        0.14,
        0.2,
        0.5,
    ),
    Persona(
        "yoga_pilates",
        "Yoga and Pilates regular",
        "Practises yoga and Pilates at home and in the studio; shops mats, bands and foam rollers, "
        "with the occasional moisturizer or facial roller.",
        {
            "yoga_mats": 6,
            "resistance_bands": 2.5,
            "foam_rollers": 2,
            "moisturizers": 0.6,
            "facial_rollers": 0.4,
            "running_shorts": 0.3,
        },
        18,
        13,
        (3, 9),
        0.30,
        0.18,
        0.22,
        0.55,
        likes=_likes_vegan,
    ),
    Persona(
        "sensitive_skin",
        "Sensitive-skin skincare fan",
        "Has reactive, dry skin: reads ingredient lists, prefers fragrance-free products made for "
        "sensitive skin, and never skips mineral sunscreen.",
        {"moisturizers": 4, "cleansers": 3, "sunscreens": 3, "serums": 2, "toners": 1.5, "face_masks": 1},
        24,
        17,
        (4, 10),
        0.34,
        0.2,
        0.22,
        0.6,
        likes=_likes_sensitive,
    ),
    Persona(
        "oily_acne",
        "Oily, acne-prone skin",
        "Fights shine and breakouts: salicylic acid and niacinamide, clay masks, non-comedogenic "
        "moisturizer and concealer for the rest.",
        {
            "cleansers": 3,
            "serums": 3,
            "toners": 2.5,
            "moisturizers": 2,
            "face_masks": 2,
            "sunscreens": 1.5,
            "concealer": 1,
        },
        20,
        16,
        (4, 10),
        0.33,
        0.16,
        0.22,
        0.55,
        likes=_likes_oily,
    ),
    Persona(
        "makeup_lover",
        "Makeup lover",
        "Collects lipstick shades and tries every new foundation, mascara and concealer; likes vegan "
        "formulas.",
        {"lipstick": 4, "foundation": 3, "mascara": 3, "concealer": 3, "hair_brushes": 0.5, "cleansers": 0.5},
        24,
        17,
        (5, 12),
        0.35,
        0.22,
        0.22,
        0.55,
        likes=_likes_vegan,
    ),
    Persona(
        "beauty_tools_fan",
        "Beauty-tools gadget fan",
        "Loves hair and skin gadgets and pays for quality: hair dryers, straighteners, brushes, facial "
        "rollers and sonic cleansing devices.",
        {
            "hair_dryers": 3,
            "straighteners": 3,
            "hair_brushes": 2,
            "facial_rollers": 2.5,
            "cleansing_devices": 3,
        },
        18,
        14,
        (4, 10),
        0.32,
        0.2,
        0.18,
        0.5,
        price_bias=0.8,
    ),
    Persona(
        "bargain_hunter",
        "Bargain hunter",
        "Browses everything, sorts by price and buys only cheap items; lots of views and favourites, "
        "few purchases.",
        {spec.key: 1.0 for spec in SPECS},
        20,
        22,
        (6, 15),
        0.38,
        0.22,
        0.1,
        0.35,
        price_bias=-1.6,
    ),
    Persona(
        "gift_shopper",
        "Gift shopper",
        "Buying holiday presents for others across both departments, more and more as late November "
        "approaches; mid-priced, giftable items.",
        {
            "headlamps": 2,
            "yoga_mats": 1.5,
            "facial_rollers": 2,
            "lipstick": 1.5,
            "hair_dryers": 1.5,
            "resistance_bands": 1,
            "sleeping_bags": 1,
            "foam_rollers": 1,
            "cleansing_devices": 1.5,
            "straighteners": 1,
            "kettlebells": 0.6,
            "face_masks": 1,
        },
        18,
        9,
        (3, 8),
        0.3,
        0.12,
        0.25,
        0.5,
    ),
]

FIRST_NAMES = [
    "Olivia",
    "Liam",
    "Emma",
    "Noah",
    "Ava",
    "Elijah",
    "Sophia",
    "James",
    "Isabella",
    "Lucas",
    "Mia",
    "Mateo",
    "Amelia",
    "Benjamin",
    "Harper",
    "Henry",
    "Evelyn",
    "Theo",
    "Abigail",
    "Daniel",
    "Emily",
    "Samuel",
    "Ella",
    "Jack",
    "Grace",
    "Owen",
    "Chloe",
    "Leo",
    "Zoe",
    "Wyatt",
    "Nora",
    "Julian",
    "Lily",
    "Hudson",
    "Hannah",
    "Ezra",
    "Aria",
    "Isaac",
    "Layla",
    "Gabriel",
    "Riley",
    "Caleb",
    "Priya",
    "Arjun",
    "Mei",
    "Kenji",
    "Sofia",
    "Diego",
    "Fatima",
    "Omar",
    "Aisha",
    "Malik",
    "Yara",
    "Tomas",
    "Ingrid",
    "Lars",
    "Chiara",
    "Marco",
    "Nadia",
    "Ivan",
    "Keiko",
    "Andre",
    "Camila",
    "Jamal",
    "Rosa",
    "Felix",
]
LAST_NAMES = [
    "Smith",
    "Johnson",
    "Garcia",
    "Brown",
    "Miller",
    "Davis",
    "Martinez",
    "Lopez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Thompson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Nguyen",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Rivera",
    "Campbell",
    "Mitchell",
    "Carter",
    "Patel",
    "Kim",
    "Chen",
    "Singh",
    "Okafor",
    "Novak",
    "Rossi",
    "Larsen",
    "Haddad",
    "Tanaka",
    "Schmidt",
    "Dubois",
    "Silva",
    "Kowalski",
    "Murphy",
    "O'Brien",
    "Costa",
    "Ahmed",
    "Park",
    "Reyes",
]


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
        customers.append(
            {
                "customer_id": f"C{n:04d}",
                "name": f"{first} {last}",
                "email": f"{local}@{d.pick(['example.com', 'example.com', 'example.org'])}",
                "tier": d.pick(["standard", "silver", "gold"], [0.6, 0.27, 0.13]),
                "joined_at": joined.isoformat(),
            }
        )
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
        size = (
            d.pick(["8", "8.5", "9", "9.5", "10", "10", "10.5", "11", "11.5"])
            if persona.wears_shoes
            else None
        )
        shopper = Shopper(customer, persona, size, d.sample(brand_pool, 2))
        shopper.weights = taste_weights(shopper, items, medians, d)
        shoppers.append(shopper)
    return shoppers


def taste_weights(
    s: Shopper, items: list[Item], medians: dict[str, float], d: Dice
) -> dict[str, tuple[list[Item], np.ndarray]]:
    """Per category, the products and how likely this shopper is to look at each."""
    out = {}
    for key in s.persona.affinity:
        group = [it for it in items if it.spec.key == key]
        w = []
        for it in group:
            a, r = it.record["attributes"], it.record
            weight = it.pop**1.3 * (r["price"] / medians[key]) ** s.persona.price_bias * s.persona.likes(a)
            if r["brand"] in s.brands:
                weight *= 2.5
            if s.shoe_size and "sizes" in a and a["sizes"] and a["sizes"][0][0].isdigit():
                weight *= 1.0 if s.shoe_size in a["sizes"] else 0.25
            w.append(weight * d.uniform(0.7, 1.3))  # idiosyncratic taste
        out[key] = (group, np.asarray(w, dtype=float))
    return out


def personas_doc(shoppers: list[Shopper]) -> dict[str, Any]:
    paths = {spec.key: spec.path for spec in SPECS}
    return {
        "personas": {
            p.name: {
                "label": p.label,
                "description": p.description,
                "categories": [paths[k] for k in sorted(p.affinity, key=lambda k: -p.affinity[k])[:4]],
            }
            for p in PERSONAS
        },
        "users": {s.id: s.persona.name for s in shoppers},
    }
