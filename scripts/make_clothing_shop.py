"""Generate the clothing shop: a women's and men's fashion store, the third shop of the project.

    python scripts/make_clothing_shop.py --out data/clothing_shop --seed 23

Why a third shop: the demo shop (sports & outdoors, beauty) is the one the assistant was built
on and the appliance shop tests another domain with hard specs. This one is apparel, where the
questions are about fabric, fit, sizes, care and returns, and where many answers sit in the
description rather than in a spec table. Its attribute names are its own (``fabric``, ``fit``,
``sleeve``, ``neckline``, ``rise``, ``leg``, ``inseam_in``, ``length_in``, ``weight_oz``,
``denim_oz``, ``micron``, ``machine_washable``, ``origin``...).

Design decisions:

- Deterministic: one ``random.Random(seed)`` draws stock, review counts, ratings and tracking
  numbers in a fixed order, and JSON is written with a fixed key order, so the same seed gives
  byte-identical files.
- The catalogue is written by hand (titles, prices, attributes, descriptions), not generated
  from templates: clothing copy needs facts that read like a real shop's, and the evaluation
  cases need known pairs (two slim jeans at $59 and $168, a 9 oz and a 26 oz wool sweater, two
  Oxford shirts at the same price), ties (two scarves of 72 in, two dresses of 47 in) and titles
  with numbers and abbreviations ("The 501-Style Straight Jean", "Merino 18.5 mic Crew",
  "Silk Square 90", "700FP Down Puffer").
- Some facts live only in the description (side pockets, "runs small", "dry clean only", a
  hidden zip at the back, a recycled polyester lining, final sale), and some are deliberately
  absent: ``machine_washable`` and ``origin`` are set for some products only, so "is it
  machine washable?" or "where is it made?" is sometimes answerable from the attributes,
  sometimes only from the text, and sometimes not at all.
- Orders name products by title, so each customer's history makes sense (a cancelled order of
  a sold-out jacket, an international parcel on its way to Canada).
- Policies are written here, with figures that differ from the other shops: a 60-day return
  window, free US shipping from $75, Afterpay, gift cards, international shipping with duties
  prepaid for the UK and EU, paid hemming that makes an item final sale.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

ROOT = "Clothing"
TODAY = "2026-11-25"

# ---------------------------------------------------------------- size runs and helpers

W_SIZES = ["XS", "S", "M", "L", "XL"]
W_SIZES_EXT = ["XS", "S", "M", "L", "XL", "XXL"]
M_SIZES = ["S", "M", "L", "XL", "XXL"]
W_NUMERIC = ["0", "2", "4", "6", "8", "10", "12", "14"]
W_WAIST = ["24", "25", "26", "27", "28", "29", "30", "31", "32"]
M_WAIST = ["28", "29", "30", "31", "32", "33", "34", "36", "38"]
M_SHOES = ["7", "7.5", "8", "8.5", "9", "9.5", "10", "10.5", "11", "12", "13"]
W_SHOES = ["5", "5.5", "6", "6.5", "7", "7.5", "8", "8.5", "9", "10"]
ONE_SIZE = ["One Size"]

# Texts that name a country of manufacture. Only the products listed in ORIGIN_IN_TEXT may use
# them (their origin is stated in the description and NOT in the attributes).
ORIGIN_WORDS = ("made in", "knitted in", "woven in", "sewn in", "hand-woven in")
ORIGIN_IN_TEXT = {"Cashmere Wrap Scarf", "Canvas Low-Top Sneaker"}


def _p(
    leaf: str,
    title: str,
    brand: str,
    price: float,
    attrs: dict,
    description: str,
    tags: list[str],
    *,
    stock: int | None = None,
    reviews: int | None = None,
) -> dict:
    """One catalogue entry; ``stock`` / ``reviews`` fix what is otherwise drawn from the seed."""
    return {
        "leaf": leaf,
        "title": title,
        "brand": brand,
        "price": float(price),
        "attrs": attrs,
        "description": description,
        "tags": tags,
        "stock": stock,
        "reviews": reviews,
    }


# ---------------------------------------------------------------- the catalogue

DRESSES = "Women > Dresses"
W_TOPS = "Women > Tops"
W_KNIT = "Women > Knitwear"
W_JEANS = "Women > Jeans"
W_COATS = "Women > Coats & Jackets"
M_SHIRTS = "Men > Shirts"
M_KNIT = "Men > Knitwear"
M_JEANS = "Men > Jeans"
M_JACKETS = "Men > Jackets"
M_TROUSERS = "Men > Trousers"
SCARVES = "Accessories > Scarves"
BELTS = "Accessories > Belts"
HATS = "Accessories > Hats"
SNEAKERS = "Shoes > Sneakers"
BOOTS = "Shoes > Boots"

CATALOGUE = [
    # ------------------------------------------------------------ women's dresses
    _p(
        DRESSES,
        "No. 7 Wrap Dress",
        "Amberly",
        128,
        {
            "fabric": "100% viscose crepe",
            "fit": "regular",
            "sizes": W_SIZES,
            "colors": ["black", "emerald", "rust"],
            "length_in": 44,
            "sleeve": "long",
            "neckline": "V-neck",
            "closure": "tie wrap",
            "lined": False,
            "machine_washable": False,
            "origin": "Portugal",
        },
        "A true wrap dress in fluid viscose crepe that ties at the left hip and falls to mid-calf. "
        "A hidden snap at the bust keeps the V-neck in place. Dry clean only.",
        ["dress", "wrap dress", "midi", "workwear"],
    ),
    _p(
        DRESSES,
        "Linen Midi Slip Dress",
        "Saltmarsh",
        98,
        {
            "fabric": "100% European linen",
            "fit": "relaxed",
            "sizes": ["XS", "S", "M", "L"],
            "colors": ["natural", "sage", "black"],
            "length_in": 47,
            "sleeve": "sleeveless",
            "neckline": "square",
            "closure": "pull-on",
            "lined": False,
            "machine_washable": True,
        },
        "A bias-cut slip dress in washed linen with adjustable straps. It is unlined, so the "
        "natural shade is slightly sheer in bright light. Has side seam pockets. Expect about 3% "
        "shrinkage if you wash it hot; wash at 30 °C to keep the length.",
        ["dress", "slip dress", "midi", "linen", "summer"],
    ),
    _p(
        DRESSES,
        "Cotton Poplin Shirt Dress",
        "Marlowe & Finch",
        110,
        {
            "fabric": "100% organic cotton poplin",
            "fit": "regular",
            "sizes": W_SIZES,
            "colors": ["white", "blue stripe"],
            "length_in": 42,
            "sleeve": "long",
            "neckline": "shirt collar",
            "closure": "button front",
            "lined": False,
            "machine_washable": True,
        },
        "A button-through shirt dress with a self-tie belt and sleeves that roll up and button at "
        "the elbow. Has side pockets. The white is opaque, so no slip is needed.",
        ["dress", "shirt dress", "cotton", "workwear"],
    ),
    _p(
        DRESSES,
        "Silk Bias-Cut Midi Dress",
        "Amberly",
        245,
        {
            "fabric": "100% mulberry silk charmeuse",
            "fit": "slim",
            "sizes": ["XS", "S", "M", "L"],
            "colors": ["champagne", "navy"],
            "length_in": 47,
            "sleeve": "sleeveless",
            "neckline": "cowl",
            "closure": "pull-on",
            "lined": False,
            "origin": "Italy",
        },
        "Cut on the bias from heavy 19 momme silk charmeuse, so it skims rather than clings. "
        "Runs small: size up if you are between sizes. Dry clean only.",
        ["dress", "midi", "silk", "occasion"],
        stock=0,
    ),
    _p(
        DRESSES,
        "Ribbed Knit Midi Dress",
        "Northvale",
        78,
        {
            "fabric": "72% viscose, 25% polyester, 3% elastane",
            "fit": "slim",
            "stretch": True,
            "sizes": W_SIZES,
            "colors": ["black", "oatmeal", "cocoa"],
            "length_in": 46,
            "sleeve": "long",
            "neckline": "crew",
            "closure": "pull-on",
            "machine_washable": True,
        },
        "A close-fitting rib-knit dress with a split at the back hem so you can walk in it. Wash "
        "cold and dry flat: hanging it to dry stretches it longer.",
        ["dress", "knit dress", "midi", "stretch"],
    ),
    _p(
        DRESSES,
        "Tiered Cotton Maxi Dress",
        "Saltmarsh",
        118,
        {
            "fabric": "100% cotton voile",
            "fit": "relaxed",
            "sizes": W_SIZES,
            "colors": ["indigo print", "white"],
            "length_in": 55,
            "sleeve": "short",
            "neckline": "V-neck",
            "closure": "pull-on",
            "lined": True,
            "machine_washable": True,
            "origin": "India",
        },
        "Three tiers of hand-block-printed cotton voile fall to the ankle. It is lined to the knee "
        "in cotton, so it is not see-through. Has side pockets. Hand-block printing leaves small "
        "irregularities in the pattern: they are not faults.",
        ["dress", "maxi", "cotton", "summer", "vacation"],
    ),
    _p(
        DRESSES,
        "The Everyday Tee Dress",
        "Northvale",
        48,
        {
            "fabric": "100% cotton jersey",
            "fit": "relaxed",
            "sizes": W_SIZES_EXT,
            "colors": ["black", "heather grey", "navy", "olive"],
            "length_in": 38,
            "sleeve": "short",
            "neckline": "crew",
            "closure": "pull-on",
            "machine_washable": True,
        },
        "A T-shirt dress in mid-weight 180 gsm jersey that ends just above the knee. Has two patch "
        "pockets at the front. Runs large: size down for a closer fit.",
        ["dress", "t-shirt dress", "casual", "cotton"],
    ),
    _p(
        DRESSES,
        "Velvet Party Dress",
        "Amberly",
        168,
        {
            "fabric": "90% polyester, 10% elastane velvet",
            "fit": "slim",
            "stretch": True,
            "sizes": W_NUMERIC,
            "colors": ["black", "burgundy", "bottle green"],
            "length_in": 40,
            "sleeve": "long",
            "neckline": "V-neck",
            "lined": True,
        },
        "Stretch velvet with a hidden zip at the back and a fluted hem just below the knee. Lined "
        "in soft jersey. Final sale: this dress cannot be returned or exchanged.",
        ["dress", "party", "velvet", "occasion", "final sale"],
    ),
    _p(
        DRESSES,
        "Linen-Blend Sheath Dress",
        "Marlowe & Finch",
        138,
        {
            "fabric": "55% linen, 45% viscose",
            "fit": "slim",
            "sizes": W_NUMERIC,
            "colors": ["navy", "stone", "poppy"],
            "length_in": 40,
            "sleeve": "sleeveless",
            "neckline": "boat",
            "closure": "back zip",
            "lined": True,
        },
        "A tailored sheath with darts at the bust and waist and a 4-inch vent at the back. Lined in "
        "recycled polyester. Machine wash cold on a delicate cycle and hang to dry.",
        ["dress", "sheath", "workwear", "linen"],
    ),
    # ------------------------------------------------------------ women's tops
    _p(
        W_TOPS,
        "Classic Crew Tee 2.0",
        "Northvale",
        28,
        {
            "fabric": "100% Supima cotton",
            "fit": "regular",
            "sizes": W_SIZES_EXT,
            "colors": ["white", "black", "navy", "stone", "sky"],
            "sleeve": "short",
            "neckline": "crew",
            "machine_washable": True,
            "weight_oz": 5,
        },
        "Version 2.0 of our best-selling tee is 1 inch longer in the body than the original. "
        "Pre-shrunk, so it keeps its length after washing. The white is not see-through.",
        ["t-shirt", "tee", "basics", "cotton"],
    ),
    _p(
        W_TOPS,
        "Relaxed V-Neck Tee, 2-Pack",
        "Northvale",
        38,
        {
            "fabric": "60% cotton, 40% modal",
            "fit": "relaxed",
            "sizes": W_SIZES,
            "colors": ["white/black", "grey/navy"],
            "sleeve": "short",
            "neckline": "V-neck",
            "machine_washable": True,
        },
        "Two tees in one pack, sold as the colour pair shown. Modal keeps them soft and drapey. "
        "Tumble dry low.",
        ["t-shirt", "tee", "basics", "multipack"],
    ),
    _p(
        W_TOPS,
        "Silk Shell Top",
        "Amberly",
        118,
        {
            "fabric": "100% silk crepe de chine",
            "fit": "regular",
            "sizes": ["XS", "S", "M", "L"],
            "colors": ["ivory", "black", "blush"],
            "sleeve": "sleeveless",
            "neckline": "crew",
            "closure": "keyhole button at the back",
            "machine_washable": False,
        },
        "A sleeveless shell that tucks neatly into trousers or a skirt. Runs small: size up if you "
        "are between sizes. Dry clean only.",
        ["top", "blouse", "silk", "workwear"],
    ),
    _p(
        W_TOPS,
        "Linen Camp-Collar Shirt",
        "Saltmarsh",
        84,
        {
            "fabric": "100% linen",
            "fit": "oversized",
            "sizes": W_SIZES,
            "colors": ["white", "terracotta", "sky stripe"],
            "sleeve": "short",
            "neckline": "camp collar",
            "closure": "button front",
            "machine_washable": True,
            "origin": "Portugal",
        },
        "Cut roomy, with dropped shoulders and a straight hem to wear untucked. Has a chest patch "
        "pocket and coconut-shell buttons.",
        ["shirt", "linen", "summer", "vacation"],
    ),
    _p(
        W_TOPS,
        "Poplin Button-Down Shirt",
        "Marlowe & Finch",
        78,
        {
            "fabric": "100% cotton poplin",
            "fit": "regular",
            "sizes": W_SIZES,
            "colors": ["white", "pale blue"],
            "sleeve": "long",
            "neckline": "point collar",
            "closure": "button front",
            "machine_washable": True,
        },
        "A crisp shirt with a curved hem that is 2 inches longer at the back, so it stays tucked "
        "in. The non-iron finish means it comes out of the dryer ready to wear.",
        ["shirt", "blouse", "workwear", "cotton"],
    ),
    _p(
        W_TOPS,
        "Ribbed Tank",
        "Northvale",
        24,
        {
            "fabric": "95% cotton, 5% elastane",
            "fit": "slim",
            "stretch": True,
            "sizes": W_SIZES,
            "colors": ["white", "black", "oatmeal"],
            "sleeve": "sleeveless",
            "neckline": "scoop",
            "machine_washable": True,
        },
        "A fitted rib tank that is long enough to tuck in. Sold individually.",
        ["tank", "top", "basics", "layering"],
        stock=0,
    ),
    _p(
        W_TOPS,
        "Puff-Sleeve Blouse",
        "Amberly",
        88,
        {
            "fabric": "100% viscose",
            "fit": "relaxed",
            "sizes": W_SIZES,
            "colors": ["ivory", "cornflower"],
            "sleeve": "long",
            "neckline": "square",
        },
        "Full sleeves gather into elasticated cuffs, and smocking across the back gives an easy "
        "fit. Hand wash cold.",
        ["blouse", "top", "romantic"],
        reviews=0,
    ),
    _p(
        W_TOPS,
        "Striped Breton Top",
        "Ostra",
        58,
        {
            "fabric": "100% cotton",
            "fit": "regular",
            "sizes": W_SIZES,
            "colors": ["navy/ecru", "red/ecru"],
            "sleeve": "three-quarter",
            "neckline": "boat",
            "machine_washable": True,
            "weight_oz": 8,
            "origin": "France",
        },
        "A classic Breton in heavyweight 280 gsm cotton jersey with 3/4 sleeves. It shrinks about "
        "4% in a hot wash, so wash at 30 °C.",
        ["top", "breton", "stripes", "cotton"],
    ),
    # ------------------------------------------------------------ women's knitwear
    _p(
        W_KNIT,
        "Merino 17.5 mic Crew",
        "Lumen Knits",
        98,
        {
            "fabric": "100% extra-fine merino wool",
            "micron": 17.5,
            "fit": "regular",
            "sizes": W_SIZES,
            "colors": ["camel", "black", "navy", "heather grey", "cherry"],
            "sleeve": "long",
            "neckline": "crew",
            "machine_washable": True,
            "weight_oz": 8,
            "origin": "Italy",
        },
        "Knitted from 17.5-micron merino, fine enough to wear against the skin without itching. "
        "Machine washable on a wool cycle; dry it flat.",
        ["sweater", "merino", "wool", "crew neck"],
    ),
    _p(
        W_KNIT,
        "Chunky Cable Cardigan",
        "Lumen Knits",
        158,
        {
            "fabric": "70% wool, 30% alpaca",
            "fit": "oversized",
            "sizes": ["XS/S", "M/L", "XL"],
            "colors": ["cream", "charcoal"],
            "sleeve": "long",
            "neckline": "V-neck",
            "closure": "button front",
            "machine_washable": False,
            "weight_oz": 24,
            "origin": "Peru",
        },
        "Deep cables and horn buttons on a slouchy, hip-length cardigan. Has two patch pockets. "
        "Hand wash cold or dry clean.",
        ["cardigan", "wool", "alpaca", "chunky knit"],
    ),
    _p(
        W_KNIT,
        "Cashmere 2-Ply V-Neck",
        "Ostra",
        195,
        {
            "fabric": "100% Grade-A cashmere",
            "fit": "relaxed",
            "sizes": W_SIZES,
            "colors": ["oatmeal", "black", "dusty pink"],
            "sleeve": "long",
            "neckline": "V-neck",
            "machine_washable": False,
            "weight_oz": 10,
            "origin": "Scotland",
        },
        "Two-ply cashmere in a relaxed fit with a deep V. Some light pilling in the first weeks is "
        "normal; a cashmere comb is included.",
        ["sweater", "cashmere", "v-neck", "gift"],
    ),
    _p(
        W_KNIT,
        "Cropped Cotton Cardigan",
        "Northvale",
        64,
        {
            "fabric": "100% organic cotton",
            "fit": "slim",
            "sizes": W_SIZES,
            "colors": ["ecru", "black", "butter"],
            "length_in": 19,
            "sleeve": "long",
            "neckline": "crew",
            "closure": "button front",
            "machine_washable": True,
        },
        "A neat cropped cardigan that hits at the natural waist, with pearl-effect buttons. Light "
        "enough to wear all year.",
        ["cardigan", "cotton", "cropped", "layering"],
    ),
    _p(
        W_KNIT,
        "Mohair-Blend Crew",
        "Amberly",
        128,
        {
            "fabric": "38% mohair, 34% polyamide, 28% wool",
            "fit": "oversized",
            "sizes": ["XS", "S", "M", "L"],
            "colors": ["lilac", "sage", "ivory"],
            "sleeve": "long",
            "neckline": "crew",
            "weight_oz": 9,
        },
        "An airy, brushed mohair sweater with dropped shoulders. It sheds a little at first. Hand wash only.",
        ["sweater", "mohair", "crew neck"],
        reviews=0,
    ),
    _p(
        W_KNIT,
        "Ribbed Merino Turtleneck",
        "Lumen Knits",
        78,
        {
            "fabric": "100% merino wool",
            "micron": 19.5,
            "fit": "slim",
            "stretch": True,
            "sizes": W_SIZES,
            "colors": ["black", "chocolate", "ivory"],
            "sleeve": "long",
            "neckline": "turtleneck",
            "machine_washable": True,
            "weight_oz": 9,
        },
        "A close-fitting rib turtleneck made for layering under blazers and coats. The neck can be "
        "folded once or worn scrunched.",
        ["sweater", "turtleneck", "merino", "layering"],
    ),
    _p(
        W_KNIT,
        "Alpaca-Blend Long Cardigan",
        "Saltmarsh",
        148,
        {
            "fabric": "45% baby alpaca, 40% wool, 15% nylon",
            "fit": "relaxed",
            "sizes": ["XS/S", "M/L", "XL"],
            "colors": ["oatmeal", "grey"],
            "length_in": 34,
            "sleeve": "long",
            "closure": "open front",
            "weight_oz": 18,
            "origin": "Peru",
        },
        "A knee-grazing open cardigan in a soft brushed alpaca blend. Has deep side pockets. Dry clean only.",
        ["cardigan", "alpaca", "long", "cozy"],
        stock=0,
    ),
    # ------------------------------------------------------------ women's jeans
    _p(
        W_JEANS,
        "High-Rise Slim Straight Jean",
        "Hedgerow Denim Co.",
        74,
        {
            "fabric": "98% cotton, 2% elastane",
            "fit": "slim",
            "leg": "straight",
            "rise": "high",
            "inseam_in": 28,
            "denim_oz": 11,
            "stretch": True,
            "sizes": W_WAIST,
            "colors": ["mid wash", "black"],
            "closure": "zip fly",
            "machine_washable": True,
        },
        "Slim through the hip and thigh with a straight leg that ends at the ankle. Runs small in "
        "the waist: size up one if you are between sizes.",
        ["jeans", "denim", "slim", "straight leg"],
    ),
    _p(
        W_JEANS,
        "The 90s Mom Jean",
        "Hedgerow Denim Co.",
        88,
        {
            "fabric": "100% cotton",
            "fit": "relaxed",
            "leg": "tapered",
            "rise": "high",
            "inseam_in": 27,
            "denim_oz": 13,
            "stretch": False,
            "sizes": W_WAIST,
            "colors": ["light vintage wash", "mid wash"],
            "closure": "button fly",
            "machine_washable": True,
        },
        "Rigid, non-stretch denim that softens and gives about half a size as you wear it. Has a "
        "coin pocket and a tapered ankle.",
        ["jeans", "denim", "mom jean", "vintage"],
    ),
    _p(
        W_JEANS,
        "Power-Stretch Skinny Jean",
        "Northvale",
        58,
        {
            "fabric": "68% cotton, 30% lyocell, 2% elastane",
            "fit": "slim",
            "leg": "skinny",
            "rise": "mid",
            "inseam_in": 30,
            "denim_oz": 10,
            "stretch": True,
            "sizes": W_WAIST,
            "colors": ["dark rinse", "black", "grey"],
            "closure": "zip fly",
            "machine_washable": True,
        },
        "Holds its shape all day without bagging at the knee. The back pockets are real; the front "
        "pockets are shallow.",
        ["jeans", "denim", "skinny", "stretch"],
    ),
    _p(
        W_JEANS,
        "Wide-Leg Sailor Jean",
        "Ostra",
        118,
        {
            "fabric": "100% cotton",
            "fit": "relaxed",
            "leg": "wide",
            "rise": "high",
            "inseam_in": 31,
            "denim_oz": 12,
            "stretch": False,
            "sizes": W_WAIST,
            "colors": ["indigo", "ecru"],
            "closure": "six-button front",
            "origin": "Italy",
        },
        "A high-waisted wide leg with a six-button front panel. Has two front patch pockets and no "
        "back pockets. Long in the leg: most customers have them hemmed.",
        ["jeans", "denim", "wide leg", "sailor"],
    ),
    _p(
        W_JEANS,
        "Selvedge Straight Jean, Women's",
        "Hedgerow Denim Co.",
        168,
        {
            "fabric": "100% cotton selvedge denim",
            "fit": "regular",
            "leg": "straight",
            "rise": "mid",
            "inseam_in": 30,
            "denim_oz": 13.5,
            "stretch": False,
            "sizes": W_WAIST,
            "colors": ["raw indigo"],
            "closure": "button fly",
            "origin": "Japan",
        },
        "Raw, unwashed selvedge denim that fades to your own wear pattern. It bleeds indigo at "
        "first: wash inside out in cold water and keep it off light upholstery for the first weeks.",
        ["jeans", "denim", "selvedge", "raw denim"],
    ),
    _p(
        W_JEANS,
        "Bootcut Jean",
        "Northvale",
        64,
        {
            "fabric": "92% cotton, 6% polyester, 2% elastane",
            "fit": "regular",
            "leg": "bootcut",
            "rise": "mid",
            "inseam_in": 32,
            "denim_oz": 11,
            "stretch": True,
            "sizes": W_WAIST,
            "colors": ["dark rinse", "mid wash"],
            "closure": "zip fly",
            "machine_washable": True,
        },
        "A gentle flare from the knee that sits over ankle boots. The long 32-inch inseam suits heels.",
        ["jeans", "denim", "bootcut"],
        stock=0,
    ),
    # ------------------------------------------------------------ women's coats and jackets
    _p(
        W_COATS,
        "Double-Face Wool Wrap Coat",
        "Amberly",
        345,
        {
            "fabric": "80% wool, 20% cashmere",
            "fit": "relaxed",
            "sizes": W_SIZES,
            "colors": ["camel", "black"],
            "length_in": 44,
            "sleeve": "long",
            "closure": "tie belt",
            "lined": False,
            "waterproof": False,
            "weight_oz": 52,
            "origin": "Italy",
        },
        "Double-face wool has two finished sides, so the coat needs no lining and drapes softly. "
        "Has in-seam pockets. Dry clean only.",
        ["coat", "wool", "wrap coat", "winter"],
    ),
    _p(
        W_COATS,
        "Classic Trench Coat",
        "Marlowe & Finch",
        228,
        {
            "fabric": "100% cotton gabardine",
            "fit": "regular",
            "sizes": W_SIZES,
            "colors": ["stone", "navy"],
            "length_in": 41,
            "sleeve": "long",
            "closure": "double-breasted buttons",
            "lined": True,
            "waterproof": False,
        },
        "Water-repellent, not waterproof: fine in a shower, not in a downpour. The belt and storm "
        "flap are removable. Lined in recycled polyester.",
        ["coat", "trench", "spring", "classic"],
    ),
    _p(
        W_COATS,
        "Packable Rain Shell, Women's",
        "Kestrel Supply",
        139,
        {
            "fabric": "100% recycled nylon, 2.5-layer",
            "fit": "regular",
            "sizes": W_SIZES,
            "colors": ["black", "moss", "signal orange"],
            "length_in": 27,
            "sleeve": "long",
            "closure": "zip",
            "waterproof": True,
            "machine_washable": True,
            "weight_oz": 9,
        },
        "Fully seam-sealed with a three-way adjustable hood. Packs into its own chest pocket.",
        ["rain jacket", "jacket", "waterproof", "travel"],
    ),
    _p(
        W_COATS,
        "700FP Down Puffer, Women's",
        "Kestrel Supply",
        248,
        {
            "fabric": "100% nylon ripstop shell",
            "fill_power": 700,
            "fit": "regular",
            "sizes": W_SIZES_EXT,
            "colors": ["black", "forest", "cream"],
            "length_in": 27,
            "sleeve": "long",
            "closure": "two-way zip",
            "waterproof": False,
            "machine_washable": True,
            "weight_oz": 14,
        },
        "Filled with 700-fill-power responsibly sourced down. Has a stowable hood and fleece-lined "
        "hand pockets. Machine wash on a gentle cycle and tumble dry low with two clean tennis "
        "balls.",
        ["puffer", "down jacket", "winter", "jacket"],
    ),
    _p(
        W_COATS,
        "Quilted Liner Jacket",
        "Saltmarsh",
        118,
        {
            "fabric": "100% recycled polyester",
            "fit": "regular",
            "sizes": W_SIZES,
            "colors": ["olive", "navy"],
            "length_in": 26,
            "sleeve": "long",
            "closure": "snap front",
            "lined": True,
            "weight_oz": 12,
        },
        "A diamond-quilted jacket with a corduroy collar and snap side pockets. Thin enough to wear "
        "under a coat.",
        ["jacket", "quilted", "layering"],
    ),
    # ------------------------------------------------------------ men's shirts
    _p(
        M_SHIRTS,
        "Oxford Shirt OCBD, Slim",
        "Marlowe & Finch",
        68,
        {
            "fabric": "100% cotton oxford",
            "fit": "slim",
            "sizes": M_SIZES,
            "colors": ["white", "blue", "pink"],
            "sleeve": "long",
            "neckline": "button-down collar",
            "closure": "button front",
            "machine_washable": True,
            "origin": "Portugal",
        },
        "Our oxford cloth button-down in a slim cut that tapers through the waist. No chest "
        "pocket. Runs small in the neck: size up if you wear it buttoned with a tie.",
        ["shirt", "oxford", "ocbd", "workwear"],
    ),
    _p(
        M_SHIRTS,
        "Oxford Shirt OCBD, Classic",
        "Marlowe & Finch",
        68,
        {
            "fabric": "100% cotton oxford",
            "fit": "regular",
            "sizes": M_SIZES,
            "colors": ["white", "blue", "university stripe"],
            "sleeve": "long",
            "neckline": "button-down collar",
            "closure": "button front",
            "machine_washable": True,
        },
        "The same oxford cloth as our slim OCBD in a classic, fuller cut. Has a chest pocket and a "
        "box pleat at the back.",
        ["shirt", "oxford", "ocbd", "workwear"],
    ),
    _p(
        M_SHIRTS,
        "Flannel Overshirt 8 oz",
        "Kestrel Supply",
        72,
        {
            "fabric": "100% brushed cotton flannel",
            "fit": "relaxed",
            "sizes": M_SIZES,
            "colors": ["red buffalo check", "green tartan", "grey"],
            "sleeve": "long",
            "neckline": "point collar",
            "closure": "button front",
            "machine_washable": True,
            "weight_oz": 8,
        },
        "A mid-weight brushed flannel, soft from the first wear. Has two chest flap pockets.",
        ["shirt", "flannel", "overshirt", "fall"],
    ),
    _p(
        M_SHIRTS,
        "Heavy Flannel Overshirt 12 oz",
        "Kestrel Supply",
        98,
        {
            "fabric": "100% cotton flannel",
            "fit": "relaxed",
            "sizes": M_SIZES,
            "colors": ["black watch", "rust check"],
            "sleeve": "long",
            "neckline": "point collar",
            "closure": "snap front",
            "lined": True,
            "machine_washable": True,
            "weight_oz": 12,
        },
        "A 12 oz flannel overshirt that wears like a light jacket. Lined through the body with "
        "quilted recycled polyester; the sleeves are unlined so it layers easily. Has two chest "
        "pockets and two hand-warmer pockets.",
        ["shirt", "flannel", "overshirt", "shacket", "fall"],
    ),
    _p(
        M_SHIRTS,
        "Linen Camp-Collar Shirt, SS",
        "Saltmarsh",
        79,
        {
            "fabric": "100% linen",
            "fit": "relaxed",
            "sizes": M_SIZES,
            "colors": ["white", "olive", "navy"],
            "sleeve": "short",
            "neckline": "camp collar",
            "closure": "button front",
            "machine_washable": True,
            "origin": "Portugal",
        },
        "A short-sleeve camp-collar shirt in washed linen with a straight hem to wear untucked. "
        "Has a chest pocket.",
        ["shirt", "linen", "summer", "vacation"],
    ),
    _p(
        M_SHIRTS,
        "Non-Iron Dress Shirt",
        "Parrish",
        59,
        {
            "fabric": "100% cotton twill",
            "fit": "slim",
            "sizes": ["14.5", "15", "15.5", "16", "16.5", "17", "17.5"],
            "colors": ["white", "light blue"],
            "sleeve": "long",
            "neckline": "spread collar",
            "closure": "button front",
            "machine_washable": True,
        },
        "Sized by neck, with a 34-inch sleeve in every size. Comes out of the dryer ready to wear. "
        "Has barrel cuffs with two buttons to adjust.",
        ["shirt", "dress shirt", "non-iron", "workwear"],
    ),
    _p(
        M_SHIRTS,
        "Chambray Work Shirt",
        "Hedgerow Denim Co.",
        84,
        {
            "fabric": "100% cotton chambray",
            "fit": "regular",
            "sizes": M_SIZES,
            "colors": ["light indigo"],
            "sleeve": "long",
            "neckline": "point collar",
            "closure": "button front",
            "machine_washable": True,
        },
        "A workwear shirt with two chest pockets and a pen slot in the left one. Triple-stitched seams.",
        ["shirt", "chambray", "workwear"],
        stock=0,
    ),
    # ------------------------------------------------------------ men's knitwear
    _p(
        M_KNIT,
        "Merino 18.5 mic Crew",
        "Lumen Knits",
        89,
        {
            "fabric": "100% merino wool",
            "micron": 18.5,
            "fit": "regular",
            "sizes": M_SIZES,
            "colors": ["navy", "charcoal", "oatmeal", "bottle green"],
            "sleeve": "long",
            "neckline": "crew",
            "machine_washable": True,
            "weight_oz": 9,
        },
        "A light, fine-gauge crew in 18.5-micron merino that layers under a jacket. Machine wash on "
        "a wool cycle and dry flat.",
        ["sweater", "merino", "wool", "crew neck"],
    ),
    _p(
        M_KNIT,
        "Merino 18.5 mic Quarter-Zip",
        "Lumen Knits",
        99,
        {
            "fabric": "100% merino wool",
            "micron": 18.5,
            "fit": "regular",
            "sizes": M_SIZES,
            "colors": ["navy", "charcoal"],
            "sleeve": "long",
            "neckline": "mock neck",
            "closure": "quarter zip",
            "machine_washable": True,
            "weight_oz": 10,
        },
        "The same yarn as our Merino 18.5 mic Crew, with a mock neck and a metal quarter zip. "
        "Machine wash on a wool cycle and dry flat.",
        ["sweater", "merino", "quarter zip"],
    ),
    _p(
        M_KNIT,
        "Fisherman Aran Crew",
        "Ostra",
        168,
        {
            "fabric": "100% undyed wool",
            "fit": "relaxed",
            "sizes": M_SIZES,
            "colors": ["natural"],
            "sleeve": "long",
            "neckline": "crew",
            "machine_washable": False,
            "weight_oz": 26,
            "origin": "Ireland",
        },
        "A heavy 26 oz Aran sweater with traditional cables. Natural lanolin is left in the yarn, "
        "so it sheds light rain. Feels scratchy against bare skin: wear it over a shirt.",
        ["sweater", "wool", "fisherman", "cable knit", "heavyweight"],
    ),
    _p(
        M_KNIT,
        "Cashmere 2-Ply Crew",
        "Ostra",
        215,
        {
            "fabric": "100% Grade-A cashmere",
            "fit": "regular",
            "sizes": M_SIZES,
            "colors": ["grey", "navy", "camel"],
            "sleeve": "long",
            "neckline": "crew",
            "machine_washable": False,
            "weight_oz": 12,
            "origin": "Scotland",
        },
        "Two-ply cashmere in a classic crew neck with ribbed cuffs and hem. Hand wash cold or dry "
        "clean; store folded, never on a hanger.",
        ["sweater", "cashmere", "crew neck", "gift"],
    ),
    _p(
        M_KNIT,
        "Shawl-Collar Cardigan",
        "Kestrel Supply",
        138,
        {
            "fabric": "60% cotton, 40% wool",
            "fit": "regular",
            "sizes": M_SIZES,
            "colors": ["charcoal", "navy"],
            "sleeve": "long",
            "neckline": "shawl collar",
            "closure": "button front",
            "weight_oz": 22,
        },
        "A chunky shawl-collar cardigan with leather-look buttons and two patch pockets. Wear it as "
        "a jacket indoors or under a coat outside.",
        ["cardigan", "shawl collar", "chunky knit"],
    ),
    _p(
        M_KNIT,
        "Waffle Henley, LS",
        "Northvale",
        29,
        {
            "fabric": "100% cotton waffle knit",
            "fit": "slim",
            "sizes": M_SIZES,
            "colors": ["oatmeal", "navy", "rust"],
            "sleeve": "long",
            "neckline": "henley",
            "closure": "three-button placket",
            "machine_washable": True,
            "weight_oz": 7,
        },
        "A long-sleeve waffle-knit henley, marked down from $48. Final sale: it cannot be returned "
        "or exchanged.",
        ["henley", "waffle knit", "clearance", "final sale"],
    ),
    # ------------------------------------------------------------ men's jeans
    _p(
        M_JEANS,
        "The 501-Style Straight Jean",
        "Hedgerow Denim Co.",
        98,
        {
            "fabric": "100% cotton",
            "fit": "regular",
            "leg": "straight",
            "rise": "mid",
            "inseam_in": [30, 32, 34],
            "denim_oz": 12.5,
            "stretch": False,
            "sizes": M_WAIST,
            "colors": ["rinse", "mid wash", "black"],
            "closure": "button fly",
            "machine_washable": True,
        },
        "Our take on the classic five-pocket straight jean, with a button fly and a regular seat. "
        "Sanforized, so it shrinks less than 1% in the wash.",
        ["jeans", "denim", "straight leg", "classic"],
    ),
    _p(
        M_JEANS,
        "Selvedge Slim Jean 14 oz",
        "Hedgerow Denim Co.",
        168,
        {
            "fabric": "100% cotton selvedge denim",
            "fit": "slim",
            "leg": "tapered",
            "rise": "mid",
            "inseam_in": [32, 34],
            "denim_oz": 14,
            "stretch": False,
            "sizes": M_WAIST,
            "colors": ["raw indigo"],
            "closure": "button fly",
            "origin": "Japan",
        },
        "Heavy 14 oz raw selvedge with a slim, tapered leg. It is unsanforized and shrinks about 5% "
        "in length on the first soak, so buy your usual waist and the longer inseam.",
        ["jeans", "denim", "selvedge", "raw denim", "slim"],
    ),
    _p(
        M_JEANS,
        "Everyday Slim Jean",
        "Northvale",
        59,
        {
            "fabric": "98% cotton, 2% elastane",
            "fit": "slim",
            "leg": "slim",
            "rise": "mid",
            "inseam_in": [30, 32, 34],
            "denim_oz": 11,
            "stretch": True,
            "sizes": M_WAIST,
            "colors": ["dark rinse", "mid wash", "grey"],
            "closure": "zip fly",
            "machine_washable": True,
        },
        "A slim jean with a little stretch for everyday wear. Has a hidden zip pocket inside the "
        "right front pocket.",
        ["jeans", "denim", "slim", "stretch"],
    ),
    _p(
        M_JEANS,
        "Stay-Black Slim Jean",
        "Parrish",
        79,
        {
            "fabric": "99% cotton, 1% elastane",
            "fit": "slim",
            "leg": "slim",
            "rise": "mid",
            "inseam_in": [30, 32, 34],
            "denim_oz": 11.5,
            "stretch": True,
            "sizes": M_WAIST,
            "colors": ["black"],
            "closure": "zip fly",
            "machine_washable": True,
        },
        "Dyed with a sulphur black that keeps its colour for about 50 washes. Wash inside out in cold water.",
        ["jeans", "denim", "slim", "black jeans"],
    ),
    _p(
        M_JEANS,
        "Athletic Taper Jean",
        "Northvale",
        69,
        {
            "fabric": "97% cotton, 3% elastane",
            "fit": "regular",
            "leg": "tapered",
            "rise": "mid",
            "inseam_in": [30, 32, 34],
            "denim_oz": 11,
            "stretch": True,
            "sizes": M_WAIST,
            "colors": ["mid wash", "dark rinse"],
            "closure": "zip fly",
            "machine_washable": True,
        },
        "Roomier through the seat and thigh, then tapered below the knee, for cyclists and anyone "
        "with bigger legs. Has a hidden coin pocket.",
        ["jeans", "denim", "tapered", "stretch"],
    ),
    _p(
        M_JEANS,
        "Relaxed Carpenter Jean",
        "Kestrel Supply",
        78,
        {
            "fabric": "100% cotton",
            "fit": "relaxed",
            "leg": "straight",
            "rise": "mid",
            "inseam_in": [30, 32, 34],
            "denim_oz": 13,
            "stretch": False,
            "sizes": M_WAIST,
            "colors": ["light wash", "ecru"],
            "closure": "zip fly",
            "machine_washable": True,
        },
        "A roomy workwear jean with a hammer loop and a utility pocket on the right leg. The knees "
        "are double-layered.",
        ["jeans", "denim", "carpenter", "workwear"],
    ),
    # ------------------------------------------------------------ men's jackets
    _p(
        M_JACKETS,
        "3-in-1 Parka",
        "Kestrel Supply",
        289,
        {
            "fabric": "100% polyester shell, fleece liner",
            "fit": "regular",
            "sizes": M_SIZES,
            "colors": ["black", "olive"],
            "length_in": 33,
            "sleeve": "long",
            "closure": "two-way zip",
            "lined": True,
            "waterproof": True,
            "weight_oz": 48,
        },
        "A waterproof shell and a zip-in fleece liner that can each be worn on their own. The hood "
        "is removable. Has an inside phone pocket.",
        ["parka", "jacket", "winter", "waterproof", "3-in-1"],
    ),
    _p(
        M_JACKETS,
        "Waxed Cotton Field Jacket",
        "Marlowe & Finch",
        265,
        {
            "fabric": "100% waxed cotton",
            "fit": "regular",
            "sizes": M_SIZES,
            "colors": ["olive", "navy"],
            "length_in": 30,
            "sleeve": "long",
            "closure": "zip and snaps",
            "lined": True,
            "waterproof": False,
            "weight_oz": 48,
            "origin": "England",
        },
        "Waxed cotton that shrugs off wind and showers, lined in tartan cotton, with four front "
        "pockets. Do not wash it: wipe clean and re-wax once a year.",
        ["jacket", "waxed cotton", "field jacket", "classic"],
    ),
    _p(
        M_JACKETS,
        "Packable Rain Shell, Men's",
        "Kestrel Supply",
        139,
        {
            "fabric": "100% recycled nylon, 2.5-layer",
            "fit": "regular",
            "sizes": M_SIZES,
            "colors": ["black", "navy", "signal orange"],
            "length_in": 29,
            "sleeve": "long",
            "closure": "zip",
            "waterproof": True,
            "machine_washable": True,
            "weight_oz": 11,
        },
        "Fully seam-sealed with a three-way adjustable hood and pit zips. Packs into its own chest pocket.",
        ["rain jacket", "jacket", "waterproof", "travel"],
    ),
    _p(
        M_JACKETS,
        "700FP Down Puffer, Men's",
        "Kestrel Supply",
        268,
        {
            "fabric": "100% nylon ripstop shell",
            "fill_power": 700,
            "fit": "regular",
            "sizes": M_SIZES,
            "colors": ["black", "navy", "rust"],
            "length_in": 28,
            "sleeve": "long",
            "closure": "two-way zip",
            "waterproof": False,
            "machine_washable": True,
            "weight_oz": 18,
        },
        "Filled with 700-fill-power responsibly sourced down, with a fixed insulated hood. The "
        "shell is water-repellent but not waterproof.",
        ["puffer", "down jacket", "winter", "jacket"],
    ),
    _p(
        M_JACKETS,
        "Denim Trucker Jacket",
        "Hedgerow Denim Co.",
        118,
        {
            "fabric": "100% cotton",
            "denim_oz": 12.5,
            "fit": "regular",
            "sizes": M_SIZES,
            "colors": ["mid wash", "rinse"],
            "length_in": 25,
            "sleeve": "long",
            "closure": "button front",
            "lined": False,
            "machine_washable": True,
        },
        "Two chest flap pockets and two hand-warmer pockets. Cut to layer over a sweater, so size "
        "down for a closer fit.",
        ["jacket", "denim", "trucker"],
    ),
    _p(
        M_JACKETS,
        "Suede Bomber Jacket",
        "Parrish",
        395,
        {
            "fabric": "100% goat suede",
            "fit": "regular",
            "sizes": M_SIZES,
            "colors": ["tobacco"],
            "length_in": 26,
            "sleeve": "long",
            "closure": "zip",
            "lined": True,
        },
        "A soft goat suede bomber with rib-knit cuffs and hem, lined in recycled polyester satin. "
        "Professional leather clean only.",
        ["jacket", "bomber", "suede", "leather"],
        stock=0,
        reviews=0,
    ),
    # ------------------------------------------------------------ men's trousers
    _p(
        M_TROUSERS,
        "Slim Chino 2.0",
        "Parrish",
        68,
        {
            "fabric": "98% cotton, 2% elastane",
            "fit": "slim",
            "leg": "tapered",
            "rise": "mid",
            "inseam_in": [30, 32, 34],
            "stretch": True,
            "sizes": M_WAIST,
            "colors": ["khaki", "navy", "olive", "stone"],
            "closure": "zip fly",
            "machine_washable": True,
        },
        "Version 2.0 has a slightly higher back rise so it stays put when you sit. Has a coin "
        "pocket and a button-through back pocket.",
        ["chinos", "trousers", "slim", "workwear"],
    ),
    _p(
        M_TROUSERS,
        "Relaxed Pleated Wool Trouser",
        "Ostra",
        128,
        {
            "fabric": "100% wool flannel",
            "fit": "relaxed",
            "leg": "wide",
            "rise": "high",
            "inseam_in": 36,
            "sizes": M_WAIST,
            "colors": ["grey", "brown"],
            "closure": "hook and zip fly",
            "machine_washable": False,
        },
        "Double forward pleats and side adjusters instead of belt loops. Comes unhemmed with a "
        "36-inch inseam for tailoring. Half-lined to the knee.",
        ["trousers", "wool", "pleated", "tailoring"],
    ),
    _p(
        M_TROUSERS,
        "Travel Pant 4-Way Stretch",
        "Kestrel Supply",
        88,
        {
            "fabric": "88% nylon, 12% elastane",
            "fit": "slim",
            "leg": "tapered",
            "rise": "mid",
            "inseam_in": [30, 32, 34],
            "stretch": True,
            "sizes": M_WAIST,
            "colors": ["black", "charcoal", "khaki"],
            "closure": "zip fly",
            "machine_washable": True,
        },
        "Wrinkle-resistant and quick-drying, with a zip security pocket on the right thigh. Rolls "
        "into a carry-on without creasing.",
        ["trousers", "travel", "stretch", "quick dry"],
    ),
    _p(
        M_TROUSERS,
        "Corduroy Straight Trouser",
        "Hedgerow Denim Co.",
        79,
        {
            "fabric": "100% cotton 8-wale corduroy",
            "fit": "regular",
            "leg": "straight",
            "rise": "mid",
            "inseam_in": [30, 32, 34],
            "stretch": False,
            "sizes": M_WAIST,
            "colors": ["tobacco", "navy", "forest"],
            "closure": "zip fly",
        },
        "Chunky 8-wale corduroy cut straight and easy through the leg. Wash inside out to keep the "
        "pile from flattening.",
        ["trousers", "corduroy", "fall"],
        reviews=0,
    ),
    # ------------------------------------------------------------ accessories
    _p(
        SCARVES,
        "Lambswool Tartan Scarf",
        "Ostra",
        65,
        {
            "fabric": "100% lambswool",
            "sizes": ONE_SIZE,
            "colors": ["royal stewart", "black watch", "grey tartan"],
            "length_in": 72,
            "width_in": 12,
            "machine_washable": False,
            "origin": "Scotland",
        },
        "A brushed lambswool scarf with fringed ends. Hand wash cold and dry flat.",
        ["scarf", "tartan", "wool", "gift", "winter"],
    ),
    _p(
        SCARVES,
        "Cashmere Wrap Scarf",
        "Amberly",
        165,
        {
            "fabric": "100% cashmere",
            "sizes": ONE_SIZE,
            "colors": ["camel", "charcoal", "rose"],
            "length_in": 78,
            "width_in": 28,
        },
        "Wide enough to wear as a wrap on a cold flight. Hand-woven in Nepal, so each one varies "
        "slightly in weave.",
        ["scarf", "wrap", "cashmere", "gift", "travel"],
    ),
    _p(
        SCARVES,
        "Silk Square 90",
        "Amberly",
        120,
        {
            "fabric": "100% silk twill",
            "sizes": ONE_SIZE,
            "colors": ["botanical print", "chain print"],
            "length_in": 35,
            "width_in": 35,
            "origin": "Italy",
        },
        "A 90 cm silk twill square with hand-rolled edges. Wear it at the neck, in your hair or "
        "tied to a bag. Dry clean only.",
        ["scarf", "silk", "bandana", "gift"],
    ),
    _p(
        SCARVES,
        "Chunky Rib Scarf",
        "Lumen Knits",
        48,
        {
            "fabric": "100% merino wool",
            "sizes": ONE_SIZE,
            "colors": ["charcoal", "mustard", "ivory"],
            "length_in": 72,
            "width_in": 10,
            "machine_washable": True,
        },
        "A thick rib-knit merino scarf that wraps twice around the neck. Machine wash on a wool cycle.",
        ["scarf", "merino", "knit", "winter"],
    ),
    _p(
        SCARVES,
        "Lightweight Linen Scarf",
        "Saltmarsh",
        42,
        {
            "fabric": "100% linen",
            "sizes": ONE_SIZE,
            "colors": ["natural", "indigo", "clay"],
            "length_in": 70,
            "width_in": 24,
            "machine_washable": True,
        },
        "A gauzy linen scarf with raw frayed edges for spring and summer evenings. It softens and "
        "crinkles more with each wash.",
        ["scarf", "linen", "summer"],
    ),
    _p(
        BELTS,
        "Full-Grain Leather Belt, 1.5 in",
        "Parrish",
        68,
        {
            "fabric": "full-grain vegetable-tanned leather",
            "sizes": ["30", "32", "34", "36", "38", "40", "42"],
            "colors": ["brown", "black"],
            "width_in": 1.5,
            "closure": "solid brass buckle",
            "origin": "USA",
        },
        "Cut from a single strip of full-grain leather with a solid brass buckle. Order one size "
        "above your jeans waist size.",
        ["belt", "leather", "jeans belt"],
    ),
    _p(
        BELTS,
        "Reversible Dress Belt",
        "Parrish",
        58,
        {
            "fabric": "smooth leather",
            "sizes": ["30", "32", "34", "36", "38", "40"],
            "colors": ["black/brown"],
            "width_in": 1.25,
            "closure": "rotating buckle",
        },
        "Black on one side and brown on the other: twist the buckle to switch. Slim enough for "
        "suit trousers.",
        ["belt", "leather", "dress belt", "reversible"],
    ),
    _p(
        BELTS,
        "Woven Stretch Belt",
        "Kestrel Supply",
        34,
        {
            "fabric": "woven elastic polyester with leather tabs",
            "sizes": ["S", "M", "L", "XL"],
            "colors": ["navy", "olive", "tan"],
            "width_in": 1.25,
            "stretch": True,
            "closure": "leather-covered buckle",
        },
        "A braided stretch belt you can fasten through any point of the weave, so there are no "
        "holes to outgrow. Take your usual letter size.",
        ["belt", "stretch", "casual"],
        stock=0,
    ),
    _p(
        HATS,
        "Merino Rib Beanie",
        "Lumen Knits",
        32,
        {
            "fabric": "100% merino wool",
            "sizes": ONE_SIZE,
            "colors": ["charcoal", "orange", "navy", "cream"],
            "machine_washable": True,
        },
        "A fine rib beanie with a deep double-layer cuff that covers the ears. Stretches to fit "
        "most adult heads.",
        ["hat", "beanie", "merino", "winter"],
    ),
    _p(
        HATS,
        "Waxed Cotton Cap",
        "Marlowe & Finch",
        45,
        {
            "fabric": "100% waxed cotton",
            "sizes": ONE_SIZE,
            "colors": ["olive", "navy"],
            "closure": "leather strap",
            "waterproof": False,
        },
        "A six-panel cap in the same waxed cotton as our field jacket, adjustable with a leather "
        "strap at the back. Sheds a light shower but is not waterproof.",
        ["hat", "cap", "waxed cotton"],
    ),
    _p(
        HATS,
        "Wool Felt Fedora",
        "Ostra",
        110,
        {
            "fabric": "100% wool felt",
            "sizes": ["S", "M", "L"],
            "colors": ["black", "camel"],
            "brim_in": 2.5,
            "lined": True,
        },
        "A classic fedora with a 2.5-inch brim and a grosgrain band. It does not pack flat: store "
        "it upside down on its crown to keep the shape.",
        ["hat", "fedora", "wool"],
        reviews=0,
    ),
    # ------------------------------------------------------------ shoes
    _p(
        SNEAKERS,
        "Court Sneaker 01",
        "Northvale",
        95,
        {
            "fabric": "full-grain leather upper, rubber cupsole",
            "sizes": M_SHOES,
            "colors": ["white", "white/green", "black"],
            "closure": "laces",
            "lined": True,
        },
        "A clean leather court sneaker in unisex sizing: sizes are US men's, so women order 1.5 "
        "sizes down. Has a removable cushioned insole.",
        ["sneakers", "shoes", "leather", "unisex"],
    ),
    _p(
        SNEAKERS,
        "Canvas Low-Top Sneaker",
        "Northvale",
        55,
        {
            "fabric": "organic cotton canvas, natural rubber sole",
            "sizes": M_SHOES,
            "colors": ["white", "navy", "black"],
            "closure": "laces",
            "machine_washable": True,
        },
        "A vulcanized canvas low-top, made in Portugal. Machine wash cold and let it air dry. "
        "Runs half a size large.",
        ["sneakers", "shoes", "canvas", "unisex"],
    ),
    _p(
        SNEAKERS,
        "Suede Runner 72",
        "Parrish",
        120,
        {
            "fabric": "suede and nylon upper, EVA midsole",
            "sizes": M_SHOES,
            "colors": ["grey/navy", "tan/cream"],
            "closure": "laces",
            "lined": True,
        },
        "A retro runner modelled on a 1972 training shoe, for walking, not running. The suede is "
        "treated against water stains.",
        ["sneakers", "shoes", "suede", "retro"],
    ),
    _p(
        BOOTS,
        "Chelsea Boot 2",
        "Parrish",
        185,
        {
            "fabric": "suede upper, leather lining",
            "sizes": M_SHOES,
            "colors": ["snuff suede", "black suede"],
            "closure": "elastic side gussets",
            "heel_in": 1.25,
            "waterproof": False,
            "lined": True,
            "origin": "Portugal",
        },
        "The second version of our Chelsea boot, with a Goodyear-welted sole that can be resoled. "
        "Runs large: order half a size down.",
        ["boots", "chelsea boots", "suede", "shoes"],
    ),
    _p(
        BOOTS,
        "Lug-Sole Lace-Up Boot",
        "Kestrel Supply",
        210,
        {
            "fabric": "waterproof leather upper",
            "sizes": M_SHOES,
            "colors": ["dark brown", "black"],
            "closure": "laces",
            "heel_in": 1.5,
            "waterproof": True,
            "lined": True,
            "weight_oz": 28,
        },
        "A waterproof leather boot with a chunky lug sole and a padded collar. Wide fit: narrow "
        "feet may want an extra insole.",
        ["boots", "waterproof", "winter", "shoes"],
    ),
    _p(
        BOOTS,
        "Heeled Ankle Boot",
        "Amberly",
        195,
        {
            "fabric": "leather upper and lining",
            "sizes": W_SHOES,
            "colors": ["black", "cognac"],
            "closure": "inside zip",
            "heel_in": 2.5,
            "waterproof": False,
            "lined": True,
            "origin": "Spain",
        },
        "A pointed ankle boot on a 2.5-inch block heel, with a padded insole. US women's sizes; "
        "true to size.",
        ["boots", "ankle boots", "heels", "shoes"],
    ),
]

BRANDS = sorted({e["brand"] for e in CATALOGUE})


def make_products(rng: random.Random) -> list[dict]:
    products: list[dict] = []
    seen: set[str] = set()
    for n, entry in enumerate(CATALOGUE, start=1001):
        title = entry["title"]
        assert title not in seen, f"duplicate title {title!r}"
        seen.add(title)
        text = entry["description"].lower()
        if title not in ORIGIN_IN_TEXT:
            assert not any(w in text for w in ORIGIN_WORDS), f"{title!r} names a country of make"
        else:
            assert "origin" not in entry["attrs"], title
        sentences = len(re.findall(r"[.!?](?:\s|$)", entry["description"]))
        assert 2 <= sentences <= 4, (title, sentences)
        stock = entry["stock"]
        drawn_stock = rng.choice([3, 4, 6, 9, 12, 15, 18, 22, 27, 34, 41, 55])
        stock = drawn_stock if stock is None else stock
        drawn_reviews = max(1, min(900, int(rng.lognormvariate(3.0, 1.2))))
        reviews = drawn_reviews if entry["reviews"] is None else entry["reviews"]
        drawn_rating = round(rng.uniform(3.6, 4.9), 1)
        rating = None if reviews == 0 else drawn_rating
        feature_tags = [k.replace("_", " ") for k, v in entry["attrs"].items() if v is True]
        tags = entry["tags"] + [t for t in feature_tags if t not in entry["tags"]]
        products.append(
            {
                "id": f"CL{n}",
                "title": title,
                "brand": entry["brand"],
                "category": f"{ROOT} > {entry['leaf']}",
                "price": entry["price"],
                "currency": "USD",
                "stock": stock,
                "rating": rating,
                "review_count": reviews,
                "description": entry["description"],
                "attributes": entry["attrs"],
                "tags": tags,
            }
        )
    return products


# ---------------------------------------------------------------- customers and orders

CUSTOMERS = [
    {
        "customer_id": "CC301",
        "name": "Maya Lindqvist",
        "email": "maya.lindqvist@example.com",
        "tier": "insider",
        "joined_at": "2022-04-19",
    },
    {
        "customer_id": "CC302",
        "name": "Jordan Achebe",
        "email": "jordan.achebe@example.org",
        "tier": "standard",
        "joined_at": "2025-08-03",
    },
    {
        "customer_id": "CC303",
        "name": "Sofia Marchetti",
        "email": "sofia.marchetti@example.com",
        "tier": "insider",
        "joined_at": "2023-11-27",
        "country": "CA",
    },
    {
        "customer_id": "CC304",
        "name": "Ben Okafor",
        "email": "ben.okafor@example.org",
        "tier": "standard",
        "joined_at": "2026-10-02",
    },
]

# (order id, customer, status, placed at, [(product title, quantity)], carrier, eta, delivered,
#  shipping method)
ORDER_PLAN = [
    (
        "CO5001",
        "CC301",
        "delivered",
        "2026-10-24T15:12:00Z",
        [("No. 7 Wrap Dress", 1), ("Merino 17.5 mic Crew", 1)],
        "UPS",
        None,
        "2026-10-29",
        "standard",
    ),
    (
        "CO5002",
        "CC301",
        "shipped",
        "2026-11-21T10:05:00Z",
        [("700FP Down Puffer, Women's", 1)],
        "UPS",
        "2026-11-27",
        None,
        "standard",
    ),
    (
        "CO5003",
        "CC302",
        "processing",
        "2026-11-24T19:48:00Z",
        [("Everyday Slim Jean", 2), ("Oxford Shirt OCBD, Slim", 1)],
        None,
        None,
        None,
        "standard",
    ),
    (
        "CO5004",
        "CC302",
        "cancelled",
        "2026-11-09T08:31:00Z",
        [("Suede Bomber Jacket", 1)],
        None,
        None,
        None,
        "express",
    ),
    (
        "CO5005",
        "CC303",
        "delivered",
        "2026-09-30T13:20:00Z",
        [("Silk Square 90", 1), ("Linen Midi Slip Dress", 1)],
        "DHL Express",
        None,
        "2026-10-06",
        "international",
    ),
    (
        "CO5006",
        "CC303",
        "shipped",
        "2026-11-20T17:02:00Z",
        [("Cashmere 2-Ply V-Neck", 1), ("Lambswool Tartan Scarf", 1)],
        "DHL Express",
        "2026-11-28",
        None,
        "international",
    ),
    (
        "CO5007",
        "CC304",
        "shipped",
        "2026-11-22T21:40:00Z",
        [("Fisherman Aran Crew", 1), ("Merino Rib Beanie", 2)],
        "FedEx",
        "2026-11-26",
        None,
        "express",
    ),
    (
        "CO5008",
        "CC304",
        "delivered",
        "2026-10-05T11:15:00Z",
        [("The 501-Style Straight Jean", 1)],
        "USPS",
        None,
        "2026-10-10",
        "standard",
    ),
]


def _tracking(rng: random.Random, carrier: str) -> str:
    digits = "0123456789"
    if carrier == "UPS":
        return "1Z" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(16))
    if carrier == "USPS":
        return "9400" + "".join(rng.choice(digits) for _ in range(18))
    if carrier == "DHL Express":
        return "".join(rng.choice(digits) for _ in range(10))
    return "".join(rng.choice(digits) for _ in range(12))  # FedEx


def make_orders(rng: random.Random, products: list[dict]) -> list[dict]:
    by_title = {p["title"]: p for p in products}
    orders = []
    for oid, cid, status, placed, lines, carrier, eta, delivered, method in ORDER_PLAN:
        items = [
            {"product_id": by_title[t]["id"], "quantity": q, "unit_price": by_title[t]["price"]}
            for t, q in lines
        ]
        order = {
            "order_id": oid,
            "customer_id": cid,
            "status": status,
            "placed_at": placed,
            "items": items,
            "carrier": carrier,
            "tracking_number": _tracking(rng, carrier) if carrier else None,
            "eta": eta,
            "shipping_method": method,
        }
        if delivered:
            order["delivered_at"] = delivered
        orders.append(order)
    return orders


# ---------------------------------------------------------------- policies

POLICIES = {
    "returns": """# Returns and Refunds

## Return window
You can return full-price items within 60 days of delivery for a refund, as long as they are unworn, unwashed and have the original tags attached. The 60 days start on the delivery date shown in tracking, not the order date. Holiday extension: items delivered between 1 November and 24 December 2026 can be returned until 31 January 2027.

## Sale items
Items bought at 30% off or more can be returned within 14 days of delivery, for store credit only. The discount is shown on your order confirmation.

## Final-sale items
Items marked "Final sale" on the product page cannot be returned or exchanged. This covers clearance items, some party and occasion wear, jeans and trousers that we hemmed for you, and gift cards. If a final-sale item arrives faulty, tell us within 7 days of delivery and we repair, replace or refund it.

## Shoes
Shoes can be returned within the same 60 days if they have only been tried on indoors: clean soles, no creases across the toe, and in the original shoe box. Please put the shoe box inside a shipping box; do not tape the label onto the shoe box itself.

## How to start a return
Start a return from your order page (Orders > Return or exchange) or ask the assistant or an agent in chat with your order number. We email a prepaid UPS label that is valid for 14 days. Drop the parcel at any UPS Access Point or UPS Store.

## Return shipping costs
A return label costs $5.95, taken off your refund. It is free for Insider members, for exchanges, when you choose store credit, and when the item is faulty or not what you ordered. International returns are sent back at your own cost with a tracked service; we refund the item price but not the original shipping, duties or taxes.

## Refunds
Returns are checked within 5 business days of arriving at our warehouse in Columbus, Ohio. We then refund the original payment method: cards take 3 to 10 business days to show it, PayPal 3 to 5 business days, and Afterpay adjusts or refunds your instalments. Amounts paid by gift card are refunded to a new gift card. Store credit is issued the same day and never expires. Original shipping charges are refunded only when the return is our mistake.

## Cancelling an order
You can cancel an order while its status is "processing", usually up to 2 hours after placing it, from your order page or in chat. Once it has shipped it cannot be cancelled; return it instead.
""",
    "exchanges": """# Exchanges and Sizing

## Free exchanges
Exchange any full-price item for another size or colour of the same product within 60 days of delivery. Exchanges are free both ways within the US, once per item. We ship the new size as soon as the carrier scans your return, so you do not wait for it to reach us. If the size you want is out of stock, we refund you instead.

## Exchanging for a different product
To swap for a different product, return the first item for a refund and place a new order. If you want to keep the price you paid on a sale item, ask us in chat within 14 days of delivery.

## Women's size chart
| Size | US | Bust (in) | Waist (in) | Hips (in) |
|---|---|---|---|---|
| XS | 0-2 | 32-33 | 25-26 | 35-36 |
| S | 4-6 | 34-35 | 27-28 | 37-38 |
| M | 8-10 | 36-37 | 29-30 | 39-40 |
| L | 12-14 | 38.5-40 | 31.5-33 | 41.5-43 |
| XL | 16 | 41.5-43 | 34.5-36 | 44.5-46 |
| XXL | 18 | 44.5-46 | 37.5-39 | 47.5-49 |

## Men's size chart
| Size | Chest (in) | Waist (in) | Neck (in) |
|---|---|---|---|
| S | 35-37 | 29-31 | 14-14.5 |
| M | 38-40 | 32-33 | 15-15.5 |
| L | 41-43 | 34-36 | 16-16.5 |
| XL | 44-46 | 37-39 | 17-17.5 |
| XXL | 47-49 | 40-42 | 18-18.5 |

## Jeans and trousers
Jeans and trousers are sized by waist in inches. Women's waist sizes run from 24 to 32 (24 is a US 00, 26 a US 2, 28 a US 6, 30 a US 10 and 32 a US 14). Men's come in waists 28 to 38 and, where the product page lists them, inseams of 30, 32 and 34 inches. Rigid (non-stretch) denim gives about half a size with wear, so buy it snug.

## What our fits mean
Slim is cut close to the body with a narrower leg or sleeve. Regular is our classic fit with room to move. Relaxed has extra room through the body, seat and thigh. Oversized is cut roomy on purpose, with dropped shoulders: take your usual size for the intended look, or one size down for a more regular fit.

## Hemming
We hem jeans and trousers bought from us for $12 per pair before they ship; it adds 3 business days. The first hem of every order is free for Insider members. Hemmed items are final sale.

## Shoe sizes
Shoes are in US sizes. Unisex sneakers and men's boots are in US men's sizes: women should order 1.5 sizes down (a women's 8.5 is a men's 7). Women's boots are in US women's sizes.
""",
    "shipping": """# Shipping and Delivery

## Processing times
Orders placed by 1 pm ET Monday to Friday leave our Columbus, Ohio warehouse the same business day; later orders ship the next business day. Hemmed jeans and trousers ship 3 business days later.

## US shipping rates
| Option | Cost | Delivery time after dispatch |
|---|---|---|
| Standard (UPS Ground or USPS) | $6.50 | 3-6 business days |
| Express | $15.00 | 2 business days |
| Overnight | $30.00 | next business day |

## Free shipping
Standard shipping is free on US orders of $75 or more (after discounts, before tax) and on every order for Insider members. Express and overnight shipping are never free. We deliver to all 50 states, PO boxes and APO/FPO/DPO addresses; PO boxes and military addresses get USPS standard only.

## International shipping
| Destination | Cost | Delivery time | Duties and taxes |
|---|---|---|---|
| Canada | $15.00, free over $150 | 5-8 business days | charged at checkout |
| United Kingdom and EU | $25.00 | 4-7 business days | charged at checkout |
| Australia and New Zealand | $30.00 | 6-10 business days | paid by you on delivery |
| Japan, South Korea, Singapore | $30.00 | 5-9 business days | paid by you on delivery |

International parcels travel with DHL Express. We do not ship to other countries yet, and Afterpay is not available for international orders.

## Duties and taxes
For Canada, the UK and the EU, duties and taxes are calculated and charged at checkout, so nothing more is due on delivery. For Australia, New Zealand, Japan, South Korea and Singapore, the carrier collects any duties and taxes from you before delivery; a refused parcel is returned to us and refunded less the shipping cost.

## Tracking your order
We email a tracking link when your order ships, and the assistant can look it up with your order number. Tracking can take up to 24 hours to show the first scan.

## Lost or damaged parcels
If tracking shows no movement for 5 business days, or your parcel arrives damaged, tell us within 14 days of the expected delivery date and we send a replacement or refund at no cost.
""",
    "payments": """# Payments and Gift Cards

## Accepted payment methods
We accept Visa, Mastercard, American Express and Discover, PayPal, Apple Pay, Google Pay, Afterpay (US only) and our gift cards. All prices are in US dollars; cards from other countries are charged in USD and converted by your bank.

## Afterpay
Pay for US orders from $35 to $1,000 in 4 interest-free instalments, taken every 2 weeks; the first is taken when you place the order. Afterpay approves each order and may charge its own late fees. Afterpay cannot be used for gift cards or international orders.

## Gift cards
Digital gift cards come in any amount from $25 to $500 and are delivered by email on the date you choose. They never expire and carry no fees. You can use up to 2 gift cards on one order and pay any balance with a card or PayPal, but not with Afterpay. Gift cards cannot be used to buy other gift cards, are not refundable and cannot be exchanged for cash. A lost gift card can be reissued if you have the order number it was bought with.

## Promo codes
One promo code per order. Codes do not apply to gift cards, final-sale items or shipping, and cannot be added after an order is placed.

## Price adjustments
If an item you bought goes down in price within 14 days of your order, ask us in chat and we refund the difference once per item. This does not apply to final-sale items or flash sales that last under 24 hours.

## When you are charged
Your card is authorised when you place the order and charged when the order ships. A cancelled order's authorisation is released within 3 business days.

## Payment methods we do not accept
We do not accept cash on delivery, checks, bank transfers, cryptocurrency or Klarna.
""",
    "care": """# Garment Care and Repairs

## Reading the care label
Every product page and care label tells you how to clean the piece. When the page does not mention it, follow the sewn-in care label; if in doubt, wash cold on a gentle cycle and dry flat.

## Wool, merino and cashmere
Hand wash cold or use your machine's wool cycle at 30 °C or below with a wool detergent. Never tumble dry. Dry flat on a towel and store knitwear folded, not on hangers. Light pilling in the first weeks is normal: remove it with a cashmere comb or a fabric shaver.

## Denim
Wash jeans inside out in cold water every 8 to 10 wears and hang them to dry. Raw and selvedge denim bleeds indigo for the first few weeks; soak it inside out in cold water before the first wear if you want to limit shrinkage and transfer.

## Dry clean only items
Silk, velvet, tailored wool and items marked "dry clean only" should go to a professional cleaner. Suede and leather need a leather specialist.

## Free repairs
Within 1 year of delivery we repair loose seams, missing buttons and broken zips for free. Start a repair in chat with your order number and we email a free return label; repairs take about 2 weeks. Damage from wear and tear, pets or washing against the care label is not covered.
""",
    "contact": """# Contact Us

## Chat and phone
Ask the assistant for a person at any time. Our customer care team answers in chat every day from 8 am to 10 pm ET, and by phone at 1-800-555-0178 Monday to Friday from 9 am to 6 pm ET.

## Email
Email care@example.com; we answer within 1 business day.

## Styling appointments
Book a free 30-minute video styling session in chat. Our stylists help with sizing, outfits and gifts, and Insider members can book 2 sessions a month.

## Insider membership
Insider is our free loyalty programme for customers who spend $300 or more in a calendar year. Insiders get free standard shipping on every order, free return labels, a free hem on each order and early access to sales.

## Returns address
Returns go to: Returns Department, 4100 Example Parkway, Columbus, OH 43219. Please use the prepaid label from your return request; parcels sent without one take longer to process.
""",
}

README = """# The clothing shop

A fictional online store for **women's and men's clothing** (dresses, tops, knitwear, jeans,
coats and jackets, shirts, trousers, scarves, belts, hats, sneakers and boots), in the
shop-directory format of DESIGN.md (contract 1). It is the third shop of the project: a
domain where questions are about fabric, fit, sizes, care and returns, with its own attribute
names and units. Everything here is generated; regenerate it, byte for byte, with:

    python scripts/make_clothing_shop.py --out data/clothing_shop --seed 23

| File | What it holds |
|---|---|
| `products.jsonl` | {n_products} products in {n_leaves} leaf categories from {n_brands} fictional brands; {n_oos} out of stock; {n_unrated} without reviews (rating null) |
| `policies/*.md` | returns, exchanges (and sizing), shipping (incl. international), payments (incl. Afterpay and gift cards), care (and repairs), contact |
| `customers.jsonl` | {n_customers} customers (tiers standard and insider) |
| `orders.jsonl` | {n_orders} orders (processing, shipped, delivered, cancelled) |

No ads and no events. The shop's "today" is {today}.

Products per category:

{per_leaf}

Attribute names (this shop's own): `fabric` (a composition string: "98% cotton, 2% elastane"),
`fit` (slim, regular, relaxed, oversized), `sizes` (letters, waist sizes, neck sizes, US shoe
sizes or "One Size"), `colors`, `sleeve` (long, short, sleeveless, three-quarter), `neckline`,
`closure`, `leg` and `rise` (trousers), `inseam_in` (a number, or a list of inseams for men's
trousers), `length_in`, `width_in`, `brim_in`, `heel_in`, `weight_oz` (garment weight),
`denim_oz` (fabric weight), `micron` (merino fibre), `fill_power`, `stretch`, `lined`,
`waterproof`, `machine_washable`, `origin`. `machine_washable` and `origin` are set for some
products only.

Facts that only the description states: pockets, "runs small / runs large", "dry clean only"
or "hand wash" where `machine_washable` is absent, a hidden zip at the back, a recycled
polyester lining, final sale (also a tag), and for two products (the Cashmere Wrap Scarf and
the Canvas Low-Top Sneaker) the country where they are made. Every other product without an
`origin` never states where it is made.

Pairs and ties for references and superlatives: Everyday Slim Jean ($59) and Selvedge Slim
Jean 14 oz ($168); Merino 18.5 mic Crew (9 oz) and Fisherman Aran Crew (26 oz); the Slim and
Classic Oxford Shirt OCBD (both $68); Packable Rain Shell, Women's and Men's (both $139);
700FP Down Puffer, Women's and Men's; two 72-inch scarves; two 47-inch dresses; three 9 oz
sweaters.
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
    leaves: dict[str, int] = {}
    for p in products:
        leaves[p["category"]] = leaves.get(p["category"], 0) + 1
    per_leaf = "\n".join(f"- {leaf}: {n}" for leaf, n in leaves.items())
    (out / "README.md").write_text(
        README.format(
            n_products=len(products),
            n_leaves=len(leaves),
            n_brands=len(BRANDS),
            n_oos=sum(1 for p in products if p["stock"] == 0),
            n_unrated=sum(1 for p in products if p["rating"] is None),
            n_customers=len(CUSTOMERS),
            n_orders=len(orders),
            today=TODAY,
            per_leaf=per_leaf,
        ),
        encoding="utf-8",
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("data/clothing_shop"))
    ap.add_argument("--seed", type=int, default=23)
    args = ap.parse_args()
    generate(args.out, args.seed)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
