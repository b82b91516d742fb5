"""Known-answer search tests on the mini shop (hashing embedder, in-memory index)."""

import numpy as np
import pytest

from retrieval import Constraints, MemoryIndex, ShopIndex, load_shop


def test_constraints_from_text_are_hard(mini_index):
    result = mini_index.products.search("waterproof trail shoes under $100 in size 10", k=10)
    # Known answer: S1 and S3 are the only products meeting all three constraints; the budget shoe
    # whose description reads "waterproof trail shoe" word for word is the closer match.
    assert result.product_ids == ["S3", "S1"]
    gtx = mini_index.products.search("Gore-Tex waterproof trail shoes under $100 in size 10", k=10)
    assert gtx.product_ids == ["S1", "S3"]  # naming its membrane puts the Ridge Runner GTX first
    for hit in result.hits:
        p = hit.product
        assert p.price <= 100 and p.attributes.get("waterproof") is True and "10" in p.attributes["sizes"]
    assert "price <= $100" in result.constraints.describe()


def test_in_stock_excludes_sold_out(mini_index):
    result = mini_index.products.search("trail shoe", Constraints(in_stock=True), k=10)
    assert "S3" not in result.product_ids and "S1" in result.product_ids
    assert "S3" in mini_index.products.search("Mudlark trail shoe", k=10).product_ids


def test_no_match_returns_nothing_rather_than_violating(mini_index):
    result = mini_index.products.search("tent under $50", k=5)
    assert result.hits == () and result.candidates is not None


def test_semantic_and_lexical_find_the_obvious_product(mini_index):
    assert mini_index.products.search("moisturizer for sensitive skin", k=3).hits[0].product.id == "B1"
    assert mini_index.products.search("ionic hair dryer", k=3).hits[0].product.id == "B5"


def test_policy_search_cites_the_section(mini_index):
    hits = mini_index.policies.search("what is the return window", k=2)
    assert hits[0].citation == "returns#return-window"
    assert (
        mini_index.policies.search("can I return opened skincare?", k=1)[0].citation
        == "returns#opened-skincare"
    )
    assert (
        mini_index.policies.search("do you take bitcoin cryptocurrency", k=1)[0].citation
        == "payments#accepted-methods"
    )


def test_similar_excludes_itself(mini_index):
    similar = mini_index.products.similar("S1", k=3)
    assert "S1" not in [h.product.id for h in similar]
    assert similar[0].product.id in {"S2", "S3"}


def test_reingest_is_idempotent_and_tracks_changes(mini_shop_dir, hashing_embedder):
    indexes: dict[str, MemoryIndex] = {}
    factory = lambda n: indexes.setdefault(n, MemoryIndex())  # noqa: E731

    first = ShopIndex(load_shop(mini_shop_dir), hashing_embedder, factory).ingest()
    assert first.products.parents_updated == 12 and first.chunks_embedded > 12

    again = ShopIndex(load_shop(mini_shop_dir), hashing_embedder, factory).ingest()
    assert again.chunks_embedded == 0 and again.products.parents_unchanged == 12

    products = (mini_shop_dir / "products.jsonl").read_text().splitlines()
    products[0] = products[0].replace("89.99", "79.99")  # S1 changes price
    del products[-1]  # B6 deleted
    (mini_shop_dir / "products.jsonl").write_text("\n".join(products) + "\n")
    changed = ShopIndex(load_shop(mini_shop_dir), hashing_embedder, factory)
    report = changed.ingest()
    assert report.products.parents_updated == 1 and report.products.parents_deleted == 1
    stored = next(ix for name, ix in indexes.items() if "products" in name).metadata()
    assert not any(m["parent_id"] == "B6" for m in stored.values())
    assert {m["price"] for m in stored.values() if m["parent_id"] == "S1"} == {79.99}
    assert changed.products.search("Ridge Runner GTX", Constraints(price_max=80), k=3).product_ids[0] == "S1"


def test_interrupted_ingest_resumes(mini_shop, hashing_embedder):
    """A crash mid-ingest leaves finished parents valid; the next run embeds only the rest."""
    index = MemoryIndex()

    class Flaky:
        name, dim = hashing_embedder.name, hashing_embedder.dim
        calls = 0

        def embed_batch(self, texts):
            Flaky.calls += 1
            if Flaky.calls == 2:
                raise RuntimeError("killed")
            return hashing_embedder.embed_batch(texts)

        def embed(self, text):
            return self.embed_batch([text])[0]

    from retrieval import sync_index
    from retrieval._ingest import shop_chunks

    chunks, _ = shop_chunks(mini_shop, hashing_embedder.name)
    with pytest.raises(RuntimeError, match="killed"):
        sync_index(chunks, index, Flaky(), batch_size=5)
    partial = index.count()
    assert 0 < partial < len(chunks)
    report = sync_index(chunks, index, hashing_embedder, batch_size=5)
    assert report.chunks_embedded <= len(chunks) - partial + 5
    assert index.count() == len(chunks)
    assert np.isfinite(list(index.metadata().values())[0]["price"])
