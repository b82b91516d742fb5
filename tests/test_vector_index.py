"""One contract, run against every VectorIndex implementation (embedded Chroma and the fake)."""

import numpy as np
import pytest

from retrieval import ChromaIndex, MemoryIndex, chroma_client, normalize_rows


@pytest.fixture(params=["memory", "chroma"])
def index(request, tmp_path):
    if request.param == "memory":
        return MemoryIndex()
    return ChromaIndex(chroma_client(str(tmp_path / "chroma")), "contract-test")


def _vectors(n=6, dim=8, seed=0):
    return normalize_rows(np.random.default_rng(seed).normal(size=(n, dim)))


def _meta(i):
    return {
        "parent_id": f"p{i // 2}",
        "price": float(10 * i),
        "in_stock": i % 3 != 0,
        "brand": "a" if i % 2 else "b",
    }


def test_upsert_query_returns_cosine_order(index):
    v = _vectors()
    index.upsert([f"c{i}" for i in range(6)], v, [_meta(i) for i in range(6)], [f"doc {i}" for i in range(6)])
    hits = index.query(v[2], 3)
    assert hits[0].id == "c2" and hits[0].score == pytest.approx(1.0, abs=1e-4)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert index.count() == 6


def test_where_filters_are_hard(index):
    v = _vectors()
    index.upsert([f"c{i}" for i in range(6)], v, [_meta(i) for i in range(6)])
    where = {"$and": [{"price": {"$lte": 30.0}}, {"in_stock": True}]}
    hits = index.query(v[5], 6, where=where)
    assert {h.id for h in hits} == {"c1", "c2"}
    assert {h.id for h in index.query(v[0], 6, where={"brand": {"$in": ["a"]}})} == {"c1", "c3", "c5"}
    assert {h.id for h in index.query(v[0], 6, where={"$or": [{"price": 0.0}, {"price": 50.0}]})} == {
        "c0",
        "c5",
    }


def test_upsert_replaces_and_delete_removes(index):
    v = _vectors()
    index.upsert(["a", "b"], v[:2], [_meta(0), _meta(1)])
    index.upsert(["a"], v[2:3], [{**_meta(0), "price": 99.0}])
    assert index.metadata()["a"]["price"] == 99.0
    assert index.query(v[2], 1)[0].id == "a"
    index.delete(["a", "missing"])
    assert set(index.metadata()) == {"b"}
