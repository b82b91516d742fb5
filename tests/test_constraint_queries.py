"""Generated constrained queries over the demo shop: no result may break a hard constraint.

Queries are generated from the catalogue itself (each category x price bound x attribute
values that really occur), phrased the way shoppers type them, and run through the same
extraction + hybrid search the assistant uses. The check is the independent definition of each
constraint, not ``Constraints.matches``.
"""

from __future__ import annotations

import random

import pytest
from conftest import DEMO_SHOP

from retrieval import HashingEmbedder, MemoryIndex, ShopIndex, load_shop


@pytest.fixture(scope="module")
def demo_index():
    shop = load_shop(DEMO_SHOP)
    indexes: dict = {}
    index = ShopIndex(shop, HashingEmbedder(), lambda n: indexes.setdefault(n, MemoryIndex()))
    index.ingest()
    return shop, index


def _queries(shop, n: int = 80, seed: int = 7):
    rng = random.Random(seed)
    leaves = sorted({p.category_path[-1] for p in shop.products.values()})
    out = []
    while len(out) < n:
        leaf = rng.choice(leaves)
        members = [p for p in shop.products.values() if p.category_path[-1] == leaf]
        prices = sorted(p.price for p in members)
        bound = round(prices[len(prices) // 2] + 0.5)
        checks = {"leaf": leaf}
        phrase = leaf.lower()
        kind = rng.choice(["under", "over", "between", "none"])
        if kind == "under":
            phrase += f" under ${bound}"
            checks["max"] = bound
        elif kind == "over":
            phrase += f" over ${bound}"
            checks["min"] = bound
        elif kind == "between":
            lo = round(prices[0]) + 1
            phrase = f"{phrase} between ${lo} and ${bound}"
            checks["min"], checks["max"] = lo, bound
        sample = rng.choice(members)
        if sample.attributes.get("waterproof") is True and rng.random() < 0.7:
            phrase = "waterproof " + phrase
            checks["waterproof"] = True
        sizes = sample.attribute_values("sizes")
        if sizes and rng.random() < 0.6:
            size = str(rng.choice(sizes))
            phrase += f" in size {size}"
            checks["size"] = size
        colours = [c for c in sample.attribute_values("colors") if isinstance(c, str) and " " not in c]
        if colours and rng.random() < 0.5:
            colour = rng.choice(colours)
            phrase = f"{colour} {phrase}"
            checks["colour"] = colour
        if rng.random() < 0.4:
            phrase += ", in stock"
            checks["in_stock"] = True
        out.append((phrase, checks))
    return out


def _violations(product, checks) -> list[str]:
    bad = []
    if "max" in checks and product.price > checks["max"]:
        bad.append(f"price {product.price} > {checks['max']}")
    if "min" in checks and product.price < checks["min"]:
        bad.append(f"price {product.price} < {checks['min']}")
    if checks.get("in_stock") and product.stock <= 0:
        bad.append("out of stock")
    if checks.get("waterproof") and product.attributes.get("waterproof") is not True:
        bad.append("not waterproof")
    if "size" in checks and checks["size"].upper() not in [
        str(s).upper() for s in product.attribute_values("sizes")
    ]:
        bad.append(f"no size {checks['size']}")
    if "colour" in checks and not any(
        checks["colour"] in str(c).lower().split() for c in product.attribute_values("colors")
    ):
        bad.append(f"not {checks['colour']}")
    if product.category_path[-1] != checks["leaf"]:
        bad.append(f"category {product.category_path[-1]} is not {checks['leaf']}")
    return bad


def test_no_result_violates_a_hard_constraint(demo_index):
    shop, index = demo_index
    queries = _queries(shop)
    assert len(queries) >= 50
    violations, answered = [], 0
    for phrase, checks in queries:
        result = index.products.search(phrase, k=10)
        answered += bool(result.hits)
        for hit in result.hits:
            violations += [f"{phrase!r} -> {hit.product.id}: {v}" for v in _violations(hit.product, checks)]
    assert violations == []
    assert answered >= len(queries) // 2  # the constraints are satisfiable often enough to test something


def test_the_columnar_filter_equals_the_per_product_definition(demo_index):
    """The fast filter (distinct categories/attribute values tested once) admits exactly the
    products ``Constraints.matches`` admits: missing ones would silently shrink results."""
    shop, index = demo_index
    search = index.products
    for phrase, _ in _queries(shop, n=60, seed=11):
        constraints = search.parse(phrase).constraints
        brute = {p.id for p in shop.products.values() if constraints.matches(p)}
        assert search._columns.allowed(constraints) == brute, phrase
