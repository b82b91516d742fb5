"""Requests the shop cannot serve, on the demo shop with the real embedder (slow).

An honest "we don't carry that" comes with alternatives only when they are related in meaning;
otherwise the shopper hears what the shop does sell, read from its own category tree.
"""

from __future__ import annotations

import pytest
from conftest import DEMO_SHOP

from bot.assistant import RELATED_DENSE, Toolbox, search_answer
from retrieval import MemoryIndex, ShopIndex, load_shop

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def toolbox(real_embedder):
    shop = load_shop(DEMO_SHOP)
    indexes: dict = {}
    index = ShopIndex(shop, real_embedder, lambda n: indexes.setdefault(n, MemoryIndex()))
    index.ingest()
    return Toolbox(shop, index)


def test_nothing_related_names_the_departments(toolbox):
    result = toolbox.search_products("gaming laptops")
    assert result.note == "out_of_catalogue" and result.products == ()
    assert {"Running", "Skincare", "Camping"} <= set(result.departments)
    text = search_answer(result, result.constraints)
    assert text.startswith("Sorry, we don't carry that. We sell ") and "running" in text


def test_related_alternatives_are_offered_and_close_enough(toolbox):
    result = toolbox.search_products("perfume")
    assert result.note == "out_of_catalogue" and result.products and result.departments == ()
    hits = {h.product.id: h for h in toolbox.index.products.search("perfume", k=10).hits}
    assert all((hits[p.id].dense or 0.0) >= RELATED_DENSE for p in result.products)
    assert "closest things we have" in search_answer(result, result.constraints)


def test_a_product_the_shop_sells_is_not_out_of_catalogue(toolbox):
    result = toolbox.search_products("waterproof trail running shoes")
    assert result.note == "" and len(result.products) == 5
