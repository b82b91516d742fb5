"""Display (attribute keys and values as shoppers read them) and the presentation helpers built on it.

Known answers: the demo shop's real keys, made-up keys of another domain (kitchen appliances),
display.yaml overrides including broken ones, and product lines that never leak a raw key.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
from conftest import DEMO_SHOP, MINI_SHOP

from bot.assistant._present import fact_line, join_words, list_line, matched_reasons
from retrieval import AttributeFilter, Constraints, Display, Product, load_shop

D = Display()
RAW_KEY = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b", re.IGNORECASE)


def demo_products() -> list[Product]:
    lines = (DEMO_SHOP / "products.jsonl").read_text(encoding="utf-8").splitlines()
    return [Product.model_validate(json.loads(line)) for line in lines if line.strip()]


# ------------------------------------------------------------------ inference, demo shop keys


@pytest.mark.parametrize(
    ("key", "value", "label", "shown"),
    [
        ("weight_g", 1633, "weight", "1.63 kg"),
        ("weight_g", 320, "weight", "320 g"),
        ("weight_g", 1000, "weight", "1 kg"),
        ("weight_kg", 2.5, "weight", "2.5 kg"),
        ("weight_kg", 0.35, "weight", "350 g"),
        ("weight_kg", 17.0, "weight", "17 kg"),
        ("capacity_l", 55, "capacity", "55 L"),
        ("volume_ml", 50, "volume", "50 ml"),
        ("volume_ml", 1500, "volume", "1.5 L"),
        ("drop_mm", 8, "drop", "8 mm"),
        ("lug_mm", 3.5, "lug", "3.5 mm"),
        ("stack_mm", 37, "stack", "37 mm"),
        ("waterproof_rating_mm", 24000, "waterproof rating", "24,000 mm"),
        ("length_cm", 180, "length", "180 cm"),
        ("inseam_in", 7, "inseam", "7 in"),
        ("temperature_rating_c", -5, "temperature rating", "-5 °C"),
        ("max_temp_c", 235, "max temp", "235 °C"),
        ("water_resistant_min", 80, "water-resistant", "80 min"),
        ("boil_time_min", 3.0, "boil time", "3 min"),
        ("burn_time_h", 3, "burn time", "3 h"),
        ("capacity_persons", 2, "capacity", "2 people"),
        ("capacity_persons", 1, "capacity", "1 person"),
        ("wattage", 1875, "wattage", "1,875 W"),
        ("lumens", 300, "lumens", "300 lumens"),
        ("max_load_kg", 150, "max load", "150 kg"),
        ("heat_output_btu", 10000, "heat output", "10,000 BTU"),
        ("spf", 50, "SPF", "SPF 50"),
        ("ip_rating", "IPX4", "IP rating", "IPX4"),
        ("skin_type", ["dry", "normal"], "skin type", "dry and normal"),
        ("colors", ["red", "teal", "grey"], "colors", "red, teal and grey"),
        ("sizes", ["7", "8", "9"], "sizes", "7, 8 and 9"),
        ("fragrance_free", True, "fragrance-free", "yes"),
        ("non_comedogenic", False, "non-comedogenic", "no"),
        ("heat_settings", 4, "heat settings", "4"),
        ("pieces", 11.0, "pieces", "11"),
    ],
)
def test_demo_keys_read_as_a_person_writes_them(key, value, label, shown):
    assert D.label(key) == label
    assert D.value(key, value) == shown


@pytest.mark.parametrize(
    ("key", "value", "phrase"),
    [
        ("waterproof", True, "waterproof"),
        ("waterproof", False, "not waterproof"),
        ("fragrance_free", True, "fragrance-free"),
        ("non_comedogenic", False, "comedogenic"),
        ("rock_plate", True, "has a rock plate"),
        ("rock_plate", False, "no rock plate"),
        ("dual_voltage", True, "has dual voltage"),
        ("cordless", False, "not cordless"),
        ("weight_g", 1633, "weighs 1.63 kg"),
        ("capacity_l", 55, "holds 55 L"),
        ("colors", ["red", "teal", "grey"], "comes in red, teal and grey"),
        ("sizes", ["7", "8", "9"], "comes in sizes 7, 8 and 9"),
        ("sizes", "10", "comes in size 10"),
        ("drop_mm", 8, "drop 8 mm"),
        ("material", "knit mesh", "material knit mesh"),
        ("spf", 50, "SPF 50"),
        ("lumens", 300, "300 lumens"),
    ],
)
def test_phrases(key, value, phrase):
    assert D.phrase(key, value) == phrase


def test_every_demo_key_gets_a_label_without_underscores_and_units_where_the_suffix_says():
    keys = {k for p in demo_products() for k in p.attributes}
    assert len(keys) > 70
    assert all("_" not in D.label(k) for k in keys)
    measured = {k: D.dimension(k) for k in keys if D.dimension(k)}
    assert measured == {
        "battery_min": "time",
        "boil_time_min": "time",
        "burn_time_h": "time",
        "capacity_l": "volume",
        "capacity_persons": "count",
        "drop_mm": "length",
        "heat_output_btu": "power",
        "inseam_in": "length",
        "length_cm": "length",
        "lug_mm": "length",
        "lumens": "light output",
        "max_load_kg": "mass",
        "max_resistance_kg": "mass",
        "max_temp_c": "temperature",
        "min_weight_kg": "mass",
        "plate_width_mm": "length",
        "spf": "sun protection",
        "stack_mm": "length",
        "temperature_rating_c": "temperature",
        "thickness_mm": "length",
        "volume_ml": "volume",
        "water_resistant_min": "time",
        "waterproof_rating_mm": "length",
        "wattage": "power",
        "weight_g": "mass",
        "weight_kg": "mass",
    }


# ------------------------------------------------------------------ inference, another domain


@pytest.mark.parametrize(
    ("key", "value", "label", "shown", "dimension"),
    [
        ("capacity_qt", 6, "capacity", "6 qt", "volume"),
        ("power_w", 1500, "power", "1,500 W", "power"),
        ("cord_length_ft", 3.5, "cord length", "3.5 ft", "length"),
        ("weight_lb", 14.1, "weight", "14.1 lb", "mass"),
        ("noise_db", 65, "noise", "65 dB", "sound level"),
        ("warranty_years", 2, "warranty", "2 years", "time"),
        ("warranty_years", 1, "warranty", "1 year", "time"),
        ("min_temp_f", 41, "min temp", "41 °F", "temperature"),
        ("capacity_cu_ft", 1.1, "capacity", "1.1 cu ft", "volume"),
        ("coverage_sq_ft", 400, "coverage", "400 sq ft", "area"),
        ("width_in", 24, "width", "24 in", "length"),
        ("voltage_v", 115, "voltage", "115 V", "voltage"),
        ("discount_pct", 15, "discount", "15%", "percent"),
        ("dishwasher_safe", True, "dishwasher-safe", "yes", None),
        ("bpa_free", True, "BPA-free", "yes", None),
        ("model_year", 2024, "model year", "2024", None),  # a bare number keeps no separator
        ("max_wattage", 1800, "max wattage", "1,800 W", "power"),
        ("dual_voltage", True, "dual voltage", "yes", None),  # a feature, not a measure
    ],
)
def test_suffixes_of_another_domain(key, value, label, shown, dimension):
    assert (D.label(key), D.value(key, value), D.dimension(key)) == (label, shown, dimension)


@pytest.mark.parametrize(
    ("key", "label"),
    [("vitamin_c", "vitamin C"), ("built_in", "built-in"), ("usb_c", "USB C"), ("drop_in", "drop in")],
)
def test_suffixes_that_are_also_words_are_units_only_next_to_a_measure(key, label):
    assert D.label(key) == label
    assert D.dimension(key) is None


def test_boolean_phrases_of_another_domain():
    assert D.phrase("dishwasher_safe", False) == "not dishwasher-safe"
    assert D.phrase("bpa_free", True) == "BPA-free"
    assert D.phrase("cord_included", False) == "cord not included"
    assert D.phrase("third_rack", True) == "has a third rack"
    assert D.phrase("steam", True) == "has steam"


def test_quantities_compare_across_units():
    assert D.quantity("weight_g", 1633) == ("mass", 1633.0)
    assert D.quantity("weight_kg", 2.5) == ("mass", 2500.0)
    assert D.quantity("weight_lb", 1) == ("mass", pytest.approx(453.59237))
    assert D.quantity("capacity_l", 1.5) == ("volume", 1500.0)
    assert D.quantity("min_temp_f", 41) == ("temperature", pytest.approx(5.0))
    assert D.quantity("water_resistant_min", 2) == ("time", 120.0)
    assert D.quantity("wattage", 1875) == ("power", 1875.0)
    assert D.quantity("capacity_persons", 2) == ("count", 2.0)
    assert D.quantity("pieces", 5) == ("count", 5.0)
    assert D.quantity("weight_g", "320") == ("mass", 320.0)
    for key, value in [("waterproof", True), ("colors", ["red"]), ("material", "mesh"), ("weight_g", "n/a")]:
        assert D.quantity(key, value) is None


def test_numbers_are_tidy():
    assert D.value("weight_g", 1633.333) == "1.63 kg"
    assert D.value("weight_g", 2000.0) == "2 kg"
    assert D.value("temperature_rating_c", 0.0) == "0 °C"
    assert D.value("wattage", 1800.0) == "1,800 W"
    assert D.value("pieces", 3.25) == "3.25"
    assert D.value("sizes", ["10", "10.5"]) == "10 and 10.5"


def test_join_words():
    assert [join_words(x) for x in ([], ["a"], ["a", "b"], ["a", "b", "c"])] == [
        "",
        "a",
        "a and b",
        "a, b and c",
    ]


# ------------------------------------------------------------------ display.yaml


def write_display(tmp_path, text: str):
    (tmp_path / "display.yaml").write_text(text, encoding="utf-8")
    return tmp_path


OVERRIDES = """\
attributes:
  heat_output_btu:
    label: heat output
    unit: BTU/h
  price_cents:
    label: list price
    unit: USD
    scale: 0.01
    decimals: 2
    dimension: money
  rock_plate:
    true: protects against sharp rocks
    false: no protection against rocks
  energy_star:
    true: ENERGY STAR certified
  warranty_years:
    phrase: "{value} warranty"
  supplier_code:
    hide: true
  net_weight:
    unit: g
"""


def test_overrides(tmp_path):
    display, problems = Display.load(write_display(tmp_path, OVERRIDES))
    assert problems == []
    assert display.value("heat_output_btu", 10000) == "10,000 BTU/h"
    assert display.quantity("heat_output_btu", 10000) == D.quantity("heat_output_btu", 10000)
    assert display.label("price_cents") == "list price"
    assert display.value("price_cents", 12999) == "129.99 USD"
    assert display.quantity("price_cents", 12999) == ("money", pytest.approx(129.99))
    assert display.phrase("rock_plate", True) == "protects against sharp rocks"
    assert display.phrase("rock_plate", False) == "no protection against rocks"
    assert display.phrase("energy_star", True) == "ENERGY STAR certified"
    assert display.phrase("energy_star", False) == "no energy star"  # only `true` was given
    assert display.phrase("warranty_years", 2) == "2 years warranty"
    assert display.hidden("supplier_code") and not display.hidden("weight_g")
    assert display.value("net_weight", 1250) == "1.25 kg"  # a known unit climbs like an inferred one
    assert display.dimension("net_weight") == "mass"
    assert display.value("weight_g", 1633) == "1.63 kg"  # keys without an entry keep the defaults


def test_no_file_means_defaults(tmp_path):
    display, problems = Display.load(tmp_path)
    assert problems == [] and display == Display()


def test_a_bad_field_is_a_problem_with_its_line_and_the_rest_still_applies(tmp_path):
    text = """\
attributes:
  weight_g:
    label: mass
    decimals: two
    lable: oops
  colors:
    label: colours
  wattage: 7
  spf:
    phrase: "{amount} sun protection"
look: fancy
"""
    display, problems = Display.load(write_display(tmp_path, text))
    assert problems == [
        "display.yaml:4: attributes.weight_g.decimals: expected a whole number from 0 to 6, got 'two'",
        "display.yaml:5: attributes.weight_g: unknown field 'lable'; use one of: label, unit, scale, "
        "decimals, dimension, true, false, phrase, hide",
        "display.yaml:8: attributes.wattage: expected a mapping of fields, got 7",
        "display.yaml:10: attributes.spf.phrase: expected a string whose only placeholders are {value} "
        "and {label}, got '{amount} sun protection'",
        "display.yaml:11: unknown section 'look'; use 'attributes'",
    ]  # in the file's order, each naming its line
    assert display.label("weight_g") == "mass"  # the good field of the same entry is kept
    assert display.value("weight_g", 1633) == "1.63 kg"
    assert display.label("colors") == "colours"  # the other entries are kept
    assert display.value("wattage", 1875) == "1,875 W"  # the bad entry falls back to inference
    assert display.phrase("spf", 50) == "SPF 50"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("attributes:\n  weight_g: {label: [unclosed\n", "display.yaml:3: not valid YAML"),
        ("- just\n- a list\n", "display.yaml:1: expected a mapping with an 'attributes' section"),
        ("attributes: [weight_g]\n", "display.yaml:1: 'attributes' must map attribute keys to fields"),
    ],
)
def test_a_malformed_file_is_one_clear_problem_and_defaults_still_work(tmp_path, text, problem):
    display, problems = Display.load(write_display(tmp_path, text))
    assert len(problems) == 1 and problems[0].startswith(problem), problems
    assert display.value("weight_g", 1633) == "1.63 kg"


def test_loader_reports_display_problems_and_loses_nothing_else(tmp_path):
    shop_dir = tmp_path / "shop"
    shutil.copytree(MINI_SHOP, shop_dir)
    write_display(shop_dir, "attributes:\n  weight_g:\n    label: mass\n    hide: maybe\n")
    shop = load_shop(shop_dir)
    assert [(e.file, e.line) for e in shop.errors] == [("display.yaml", 4)]
    assert "hide: expected true or false, got 'maybe'" in shop.errors[0].message
    assert len(shop.products) == 12 and shop.policies and shop.orders
    assert shop.display.label("weight_g") == "mass"


def test_loader_without_display_file_uses_defaults(mini_shop):
    assert mini_shop.display == Display()


# ------------------------------------------------------------------ presentation


def backpack(**attributes) -> Product:
    return Product(
        id="BP1",
        title="Halfdome 55L Hiking Backpack",
        brand="Peakline",
        category="Outdoors > Backpacks > Hiking Backpacks",
        price=129.0,
        stock=12,
        rating=4.5,
        review_count=23,
        attributes=attributes
        or {"capacity_l": 55, "weight_g": 1633, "colors": ["green", "grey"], "waterproof": True},
    )


def test_fact_line():
    assert fact_line(backpack(), D) == (
        "Halfdome 55L Hiking Backpack | Peakline | $129.00 | in stock | rated 4.5/5 (23 reviews) | "
        "capacity 55 L | weight 1.63 kg | colors green and grey | waterproof"
    )


def test_fact_line_keys_order_cap_and_hidden(tmp_path):
    display, _ = Display.load(write_display(tmp_path, "attributes:\n  weight_g:\n    hide: true\n"))
    p = backpack()
    assert fact_line(p, D, ["waterproof", "capacity_l", "nope"]).endswith("| waterproof | capacity 55 L")
    assert fact_line(p, D, max_attrs=1).endswith("reviews) | capacity 55 L")
    assert "weight" not in fact_line(p, display) and "1.63" not in fact_line(p, display)
    assert "weight" not in fact_line(p, display, ["weight_g"])


def test_no_raw_key_reaches_a_shopper_for_any_demo_product():
    display = load_shop(DEMO_SHOP, with_events=False).display
    c = Constraints(attributes=(AttributeFilter(("waterproof",), True),))
    for p in demo_products():
        text = fact_line(p, display, max_attrs=50) + "\n" + list_line(1, p, matched_reasons(p, c, display))
        leaked = [k for k in p.attributes if "_" in k and k in text]
        assert not leaked and not RAW_KEY.search(text.replace(p.title, "")), (p.id, text)


def test_list_line():
    p = backpack()
    assert list_line(1, p, ["waterproof", "under $150"]) == (
        "1. Halfdome 55L Hiking Backpack - $129.00, in stock, rated 4.5/5 (waterproof, under $150)"
    )
    # stock and rating are already on the line; a reason repeating them is dropped
    assert (
        list_line(2, p, ["in stock", "rated 4.5"])
        == "2. Halfdome 55L Hiking Backpack - $129.00, in stock, rated 4.5/5"
    )
    low = p.model_copy(update={"stock": 3, "rating": None})
    assert list_line(3, low, []) == "3. Halfdome 55L Hiking Backpack - $129.00, only 3 left"


def test_reasons_come_from_the_constraints_the_product_satisfies():
    p = backpack(
        capacity_l=55, weight_g=1633, colors=["navy blue", "grey"], sizes=["9", "10"], waterproof=True
    )
    c = Constraints(
        price_max=150,
        brands=("peakline",),
        in_stock=True,
        min_rating=4.0,
        attributes=(
            AttributeFilter(("waterproof",), True),
            AttributeFilter(("colors",), "blue"),
            AttributeFilter(("size", "sizes"), "10"),
            AttributeFilter(("weight_g",), 2000, "lte"),
        ),
    )
    assert matched_reasons(p, c, D, asked=["capacity_l", "waterproof"]) == [
        "under $150",
        "by Peakline",
        "waterproof",
        "comes in navy blue",  # the product's own colour, not the shopper's word
        "comes in size 10",
        "weighs 1.63 kg",
        "in stock",
        "rated 4.5",
        "holds 55 L",
    ]


def test_unsatisfied_constraints_give_no_reason():
    # a relaxed search shows products that miss some constraints; they must not claim them
    p = backpack(waterproof=False, colors=["red"])
    c = Constraints(
        price_max=100,
        price_min=20,
        min_rating=4.8,
        in_stock=True,
        attributes=(AttributeFilter(("waterproof",), True), AttributeFilter(("colors",), "blue")),
    )
    assert matched_reasons(p, c, D) == ["in stock"]
    assert matched_reasons(p, Constraints(price_min=20, price_max=200), D) == ["$20-$200"]
    assert matched_reasons(p, Constraints(cheaper_than=129.5), D) == ["under $129.50"]


def test_reasons_skip_hidden_keys(tmp_path):
    display, _ = Display.load(write_display(tmp_path, "attributes:\n  waterproof:\n    hide: true\n"))
    c = Constraints(attributes=(AttributeFilter(("waterproof",), True),))
    assert matched_reasons(backpack(), c, display, asked=["waterproof"]) == []


def test_the_documented_example_loads_cleanly(tmp_path):
    doc = (DEMO_SHOP.parents[1] / "docs" / "shop_display.md").read_text(encoding="utf-8")
    example = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    display, problems = Display.load(write_display(tmp_path, example))
    assert problems == []
    assert display.phrase("energy_star", True) == "ENERGY STAR certified"
    assert display.value("price_cents", 12999) == "129.99 USD"
