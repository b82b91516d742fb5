import json

import pytest

from retrieval import ConfigError, Product, load_shop, parse_policy


def test_mini_shop_loads_cleanly(mini_shop):
    assert mini_shop.errors == []
    assert len(mini_shop.products) == 12
    assert {s.citation for s in mini_shop.policies} >= {"returns#return-window", "shipping#standard-shipping"}
    assert mini_shop.orders["O1"].tracking_number == "1Z999"
    assert len(mini_shop.events) == 12


def test_unknown_fields_are_kept(mini_shop):
    lipstick = mini_shop.products["B6"]
    assert lipstick.model_extra == {"launch_note": "new this month"}
    assert lipstick.model_dump()["launch_note"] == "new this month"


def test_bad_records_are_reported_with_line_and_skipped(mini_shop_dir):
    path = mini_shop_dir / "products.jsonl"
    lines = path.read_text().splitlines()
    good = json.loads(lines[0])
    lines.insert(1, "{not json")
    lines.insert(2, json.dumps({**good, "id": "X1", "price": "cheap"}))
    lines.insert(3, json.dumps({**good, "id": "X2", "stock": -3}))
    lines.insert(4, json.dumps(good))  # duplicate id
    lines.insert(5, "[1, 2]")
    lines.insert(6, json.dumps({**good, "id": "X3", "price": True}))
    path.write_text("\n".join(lines) + "\n")

    shop = load_shop(mini_shop_dir)
    assert len(shop.products) == 12  # every good record still loaded
    by_line = {e.line: e.message for e in shop.errors if e.file == "products.jsonl"}
    assert "invalid JSON" in by_line[2]
    assert "price" in by_line[3]
    assert "stock" in by_line[4]
    assert "duplicate id 'S1'" in by_line[5]
    assert "expected a JSON object" in by_line[6]
    assert "boolean" in by_line[7]
    assert str(shop.errors[0]).startswith("products.jsonl:2:")


def test_dangling_references_are_dropped_not_kept(mini_shop_dir):
    with (mini_shop_dir / "orders.jsonl").open("a") as f:
        f.write(
            json.dumps(
                {
                    "order_id": "O9",
                    "customer_id": "C1",
                    "status": "processing",
                    "placed_at": "2026-01-01",
                    "items": [{"product_id": "NOPE", "quantity": 1, "unit_price": 1}],
                }
            )
            + "\n"
        )
    with (mini_shop_dir / "events.csv").open("a") as f:
        f.write("C1,NOPE,view,1763000000\nC1,S1,teleport,1763000001\n")
    shop = load_shop(mini_shop_dir)
    assert "O9" not in shop.orders and "O1" in shop.orders
    assert len(shop.events) == 12
    messages = " ".join(str(e) for e in shop.errors)
    assert "unknown product(s) ['NOPE']" in messages and "event" in messages


def test_huge_line_is_rejected(mini_shop_dir):
    with (mini_shop_dir / "products.jsonl").open("a") as f:
        f.write(
            json.dumps(
                {
                    "id": "BIG",
                    "title": "x",
                    "category": "A",
                    "price": 1,
                    "stock": 1,
                    "description": "y" * 2_000_000,
                }
            )
            + "\n"
        )
    shop = load_shop(mini_shop_dir)
    assert "BIG" not in shop.products and len(shop.products) == 12
    assert any("over the" in e.message for e in shop.errors)


def test_missing_directory_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_shop(tmp_path / "nowhere")
    with pytest.raises(ConfigError, match="no products.jsonl"):
        load_shop(tmp_path)


def test_optional_files_may_be_absent(tmp_path, mini_shop_dir):
    only = tmp_path / "only_products"
    only.mkdir()
    (only / "products.jsonl").write_text((mini_shop_dir / "products.jsonl").read_text())
    shop = load_shop(only)
    assert len(shop.products) == 12 and shop.ads == {} and shop.policies == [] and shop.errors == []


def test_policy_sections_are_split_on_h2():
    sections = parse_policy(
        "# Returns\nIntro text.\n## Window\n30 days.\n## Empty\n\n## Opened\nOnly if defective.", "returns"
    )
    assert [s.heading for s in sections] == ["Overview", "Window", "Opened"]
    assert sections[0].policy_title == "Returns"
    assert sections[2].citation == "returns#opened"


def test_product_helpers():
    p = Product(
        id="a",
        title="t",
        category="A > B > C",
        price=1,
        stock=0,
        attributes={"sizes": ["9"], "waterproof": True},
    )
    assert p.category_path == ("A", "B", "C") and not p.in_stock
    assert p.attribute_values("waterproof") == [True] and p.attribute_values("nope") == []
