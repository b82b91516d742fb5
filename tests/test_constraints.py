import pytest

from retrieval import AttributeFilter, Constraints, QueryParser


@pytest.fixture
def parser(mini_shop):
    return QueryParser.from_products(mini_shop.products.values())


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("shoes under $100", dict(price_max=100.0)),
        ("below 50 dollars", dict(price_max=50.0)),
        ("between $20 and $50", dict(price_min=20.0, price_max=50.0)),
        ("$20-$50 moisturizer", dict(price_min=20.0, price_max=50.0)),
        ("over $30", dict(price_min=30.0)),
        ("around $100", dict(price_min=80.0, price_max=120.0)),
        ("tent that weighs under 300g", dict()),
        ("size 10 shoes", dict()),
    ],
)
def test_price_extraction(parser, query, expected):
    c = parser.parse(query).constraints
    assert c.price_min == expected.get("price_min")
    assert c.price_max == expected.get("price_max")


def test_full_query_extraction(parser):
    parsed = parser.parse("waterproof trail running shoes under $100 in size 10, in stock, blue")
    c = parsed.constraints
    assert c.price_max == 100.0 and c.in_stock
    assert AttributeFilter(("waterproof",), True) in c.attributes
    assert AttributeFilter(("sizes",), "10") in c.attributes
    assert AttributeFilter(("colors",), "blue") in c.attributes
    assert c.categories == ("Trail Running Shoes",)
    assert "$100" not in parsed.text


def test_brand_skin_type_and_spf(parser):
    c = parser.parse("Solace sunscreen spf 40+ for sensitive skin").constraints
    assert c.brands == ("Solace",)
    assert AttributeFilter(("spf",), 40.0, "gte") in c.attributes
    assert AttributeFilter(("skin_type",), "sensitive") in c.attributes


def test_matches_is_exact(mini_shop):
    p = mini_shop.products
    c = Constraints(price_max=100, in_stock=True, attributes=(AttributeFilter(("sizes",), "10"),))
    assert c.matches(p["S1"]) and not c.matches(p["S2"]) and not c.matches(p["S3"])
    assert Constraints(attributes=(AttributeFilter(("colors",), "blue"),)).matches(p["S4"])  # navy blue
    assert Constraints(categories=("running shoes",)).matches(p["S1"])
    assert not Constraints(categories=("Sports & Outdoors > Camping",)).matches(p["S1"])
    assert Constraints(categories=("Sports & Outdoors > Camping",)).matches(p["S5"])
    assert not Constraints(min_rating=4.0).matches(p["B6"])  # no rating yet


def test_merge_newer_wins_and_relax():
    old = Constraints(price_max=100, brands=("Summit",), attributes=(AttributeFilter(("colors",), "red"),))
    new = Constraints(price_max=60, attributes=(AttributeFilter(("colors",), "blue"),))
    m = old.merged(new)
    assert m.price_max == 60 and m.brands == ("Summit",)
    assert m.attributes == (AttributeFilter(("colors",), "blue"),)
    assert m.without("brands").brands == ()


def test_where_pushdown():
    c = Constraints(
        price_min=10, price_max=20, in_stock=True, attributes=(AttributeFilter(("waterproof",), True),)
    )
    assert c.where() == {
        "$and": [
            {"price": {"$gte": 10.0}},
            {"price": {"$lte": 20.0}},
            {"in_stock": True},
            {"a_waterproof": True},
        ]
    }
    assert Constraints().where() is None
