"""Known answers the demo and the evaluations rely on: checked at generation, written to
``demo_facts.json``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .common import NOW
from .products import Item


def blue(p: dict[str, Any]) -> bool:
    return any("blue" in c.split() for c in p["attributes"].get("colors", []))


def leaf(p: dict[str, Any]) -> str:
    return p["category"].split(" > ")[-1]


# Known answers for examples and evaluations: (query, how the answer is defined, predicate).
KNOWN_QUERIES: list[tuple[str, str, Callable[[dict[str, Any]], bool]]] = [
    (
        "waterproof trail running shoes under $100 in size 10",
        "Trail Running Shoes, waterproof, price <= 100, '10' in sizes (any stock)",
        lambda p: (
            leaf(p) == "Trail Running Shoes"
            and p["attributes"].get("waterproof") is True
            and p["price"] <= 100
            and "10" in p["attributes"]["sizes"]
        ),
    ),
    (
        "waterproof trail running shoes under $100 in size 10, in stock",
        "as above, stock > 0",
        lambda p: (
            leaf(p) == "Trail Running Shoes"
            and p["attributes"].get("waterproof") is True
            and p["price"] <= 100
            and "10" in p["attributes"]["sizes"]
            and p["stock"] > 0
        ),
    ),
    (
        "waterproof trail running shoes over $100",
        "Trail Running Shoes, waterproof, price > 100",
        lambda p: (
            leaf(p) == "Trail Running Shoes"
            and p["attributes"].get("waterproof") is True
            and p["price"] > 100
        ),
    ),
    (
        "moisturizer for sensitive skin",
        "Moisturizers with 'sensitive' in skin_type",
        lambda p: leaf(p) == "Moisturizers" and "sensitive" in p["attributes"].get("skin_type", []),
    ),
    (
        "sunscreen SPF 50",
        "Sunscreens with spf >= 50 (the query parser reads SPF N as at least N)",
        lambda p: leaf(p) == "Sunscreens" and p["attributes"].get("spf", 0) >= 50,
    ),
    (
        "sunscreen SPF 30",
        "Sunscreens with spf >= 30",
        lambda p: leaf(p) == "Sunscreens" and p["attributes"].get("spf", 0) >= 30,
    ),
    (
        "blue yoga mat",
        "Yoga Mats with a colour containing the word 'blue'",
        lambda p: leaf(p) == "Yoga Mats" and blue(p),
    ),
    (
        "adjustable dumbbells",
        "Dumbbells with adjustable = true",
        lambda p: leaf(p) == "Dumbbells" and p["attributes"].get("adjustable") is True,
    ),
    (
        "waterproof mascara",
        "Mascara with waterproof = true",
        lambda p: leaf(p) == "Mascara" and p["attributes"].get("waterproof") is True,
    ),
    (
        "fragrance-free vegan cleanser",
        "Cleansers with fragrance_free = true and vegan = true",
        lambda p: (
            leaf(p) == "Cleansers"
            and p["attributes"].get("fragrance_free") is True
            and p["attributes"].get("vegan") is True
        ),
    ),
    (
        "rain jacket in size M under $150",
        "Rain Jackets, 'M' in sizes, price <= 150",
        lambda p: leaf(p) == "Rain Jackets" and "M" in p["attributes"].get("sizes", []) and p["price"] <= 150,
    ),
    (
        "Trailhaven hiking boots",
        "brand Trailhaven, Hiking Boots",
        lambda p: p["brand"] == "Trailhaven" and leaf(p) == "Hiking Boots",
    ),
]


def check_coverage(products: list[dict[str, Any]]) -> None:
    """Fail the run if the shop stops keeping a promise the demo and tests rely on."""
    answers = {q: [p for p in products if pred(p)] for q, _, pred in KNOWN_QUERIES}
    problems = []
    for query, _, _ in KNOWN_QUERIES:
        if len(answers[query]) < 2:
            problems.append(f"{query!r} has {len(answers[query])} answers")
    trail_wp_cheap = [
        p
        for p in products
        if leaf(p) == "Trail Running Shoes" and p["attributes"]["waterproof"] and p["price"] <= 100
    ]
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


def demo_facts(
    products: list[dict[str, Any]], trending: list[Item], ads: list[dict[str, Any]]
) -> dict[str, Any]:
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
        "known_queries": [
            {"query": q, "definition": how, "answer": [p["id"] for p in products if pred(p)]}
            for q, how, pred in KNOWN_QUERIES
        ],
    }
