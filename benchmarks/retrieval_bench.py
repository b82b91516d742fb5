"""Retrieval benchmarks: ingestion overhead, idempotent re-ingest, search latency by catalogue size.

    python benchmarks/retrieval_bench.py [--sizes 300,10000,100000] [--queries 40] [--json]

1. Ingestion throughput of the demo shop into a fresh embedded Chroma, against a raw
   ``SentenceTransformer.encode`` of exactly the same chunk texts in the same run (target:
   overhead ratio <= 1.2).
2. Re-ingest of the unchanged shop (target: < 5% of the full ingest).
3. Search latency p50/p95 (hybrid: embed query + Chroma + BM25 + fusion + exact constraint
   check) over the demo catalogue and synthetic expansions of it (10k, 100k products), with and
   without filters. Expanded products are copies of demo products with new ids, jittered prices
   and stock, and their vectors are the source chunk vectors plus small noise, so the index
   holds realistic clusters without embedding 200k chunks.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

QUERIES = [
    ("waterproof trail running shoes", None),
    ("moisturizer for sensitive skin", None),
    ("lightweight tent for backpacking", None),
    ("adjustable dumbbells", None),
    ("hair dryer that reduces frizz", None),
    ("warm sleeping bag", None),
    ("blue yoga mat", None),
    ("mineral sunscreen", None),
    ("rechargeable headlamp", None),
    ("vegan cleanser", None),
]
FILTERED = [
    "waterproof trail running shoes under $100 in size 10, in stock",
    "moisturizer for sensitive skin under $40",
    "tent under $300, in stock",
    "adjustable dumbbells under $300",
    "hair dryer between $50 and $150",
    "sleeping bag under $200, in stock",
    "blue yoga mat under $60",
    "sunscreen spf 50 under $30",
    "headlamp under $50, in stock",
    "vegan cleanser under $25",
]


def pct(values, q):
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))]


def bench_ingest(shop, embedder, raw_model) -> dict:
    from retrieval import ChromaIndex, ShopIndex, chroma_client, shop_chunks

    products, policies = shop_chunks(shop, embedder.name)
    texts = [c.text for c in products + policies]
    raw_model.encode(texts[:64], batch_size=64)  # warm-up
    t = time.perf_counter()
    raw_model.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
    raw_s = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as d:
        client = chroma_client(d)
        index = ShopIndex(shop, embedder, lambda n: ChromaIndex(client, n), prefix="bench")
        t = time.perf_counter()
        first = index.ingest()
        full_s = time.perf_counter() - t
        again = ShopIndex(shop, embedder, lambda n: ChromaIndex(client, n), prefix="bench")
        t = time.perf_counter()
        second = again.ingest()
        re_s = time.perf_counter() - t
    return {
        "chunks": len(texts),
        "raw_encode_s": round(raw_s, 2),
        "ingest_s": round(full_s, 2),
        "overhead_ratio": round(full_s / raw_s, 3),
        "chunks_per_s": round(len(texts) / full_s, 1),
        "reingest_s": round(re_s, 3),
        "reingest_share": round(re_s / full_s, 4),
        "reingest_embedded": second.chunks_embedded,
        "first_embedded": first.chunks_embedded,
    }


def expand(shop, chunks, vectors, size: int, seed: int = 3):
    """Synthetic catalogue of ``size`` products: jittered copies of the demo products."""
    from retrieval import Chunk

    rng = random.Random(seed)
    noise = np.random.default_rng(seed)
    by_parent: dict[str, list[int]] = {}
    for i, c in enumerate(chunks):
        by_parent.setdefault(c.parent_id, []).append(i)
    base = list(shop.products.values())
    products, out_chunks, out_vectors = [], [], []
    for n in range(size):
        src = base[n % len(base)]
        if n < len(base):
            p = src
        else:
            p = src.model_copy(
                update={
                    "id": f"{src.id}-x{n}",
                    "price": round(src.price * rng.uniform(0.7, 1.3), 2),
                    "stock": rng.choice([0, 3, 10, 40]),
                    "title": f"{src.title} V{n % 97}",
                }
            )
        products.append(p)
        for i in by_parent[src.id]:
            c = chunks[i]
            meta = dict(c.metadata)
            meta.update(parent_id=p.id, price=float(p.price), stock=int(p.stock), in_stock=p.stock > 0)
            out_chunks.append(Chunk(f"{p.id}::{c.id.split('::')[1]}", p.id, c.text, meta))
            v = vectors[i] + (noise.normal(0, 0.02, vectors.shape[1]) if n >= len(base) else 0)
            out_vectors.append(v / np.linalg.norm(v))
    return products, out_chunks, np.asarray(out_vectors, dtype=np.float32)


def bench_search(shop, embedder, size: int, n_queries: int) -> dict:
    from retrieval import ChromaIndex, HybridIndex, ProductSearch, chroma_client, shop_chunks

    chunks, _ = shop_chunks(shop, embedder.name)
    vectors = embedder.embed_batch([c.text for c in chunks])
    products, big_chunks, big_vectors = expand(shop, chunks, vectors, size)
    with tempfile.TemporaryDirectory() as d:
        index = ChromaIndex(chroma_client(d), f"bench-{size}")
        t = time.perf_counter()
        index.upsert([c.id for c in big_chunks], big_vectors, [c.metadata for c in big_chunks])
        build_s = time.perf_counter() - t
        t = time.perf_counter()
        search = ProductSearch(products, HybridIndex(big_chunks, index, embedder))
        bm25_s = time.perf_counter() - t
        result = {
            "products": size,
            "chunks": len(big_chunks),
            "index_build_s": round(build_s, 1),
            "bm25_build_s": round(bm25_s, 1),
        }
        for label, queries in (("unfiltered", [q for q, _ in QUERIES]), ("filtered", FILTERED)):
            for q in queries:  # warm the query-embedding path once
                search.search(q, k=10)
            times = []
            for i in range(n_queries):
                q = queries[i % len(queries)] + ("" if i < len(queries) else f" {i}")
                t = time.perf_counter()
                search.search(q, k=10)
                times.append((time.perf_counter() - t) * 1000)
            result[label] = {"p50_ms": round(pct(times, 0.5), 1), "p95_ms": round(pct(times, 0.95), 1)}
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="300,10000,100000")
    ap.add_argument("--queries", type=int, default=40)
    ap.add_argument("--skip-ingest", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    from retrieval import SentenceTransformerEmbedder, configure_torch_threads, load_shop

    configure_torch_threads()
    shop = load_shop(REPO / "data" / "demo_shop")
    embedder = SentenceTransformerEmbedder()
    report: dict = {}
    if not args.skip_ingest:
        report["ingest"] = bench_ingest(shop, embedder, embedder.model)
    report["search"] = [bench_search(shop, embedder, int(s), args.queries) for s in args.sizes.split(",")]
    if args.json:
        print(json.dumps(report))
        return
    if "ingest" in report:
        i = report["ingest"]
        print(
            f"ingest: {i['chunks']} chunks in {i['ingest_s']} s ({i['chunks_per_s']}/s); raw encode "
            f"{i['raw_encode_s']} s; overhead ratio {i['overhead_ratio']} (target <= 1.2)"
        )
        print(
            f"re-ingest unchanged: {i['reingest_s']} s = {100 * i['reingest_share']:.2f}% of full "
            f"(target < 5%), chunks embedded {i['reingest_embedded']}"
        )
    print(
        f"{'products':>9s} {'chunks':>7s} {'build s':>8s} {'p50 ms':>7s} {'p95 ms':>7s} {'p50 filt':>9s} {'p95 filt':>9s}"
    )
    for r in report["search"]:
        print(
            f"{r['products']:9d} {r['chunks']:7d} {r['index_build_s']:8.1f} {r['unfiltered']['p50_ms']:7.1f} "
            f"{r['unfiltered']['p95_ms']:7.1f} {r['filtered']['p50_ms']:9.1f} {r['filtered']['p95_ms']:9.1f}"
        )


if __name__ == "__main__":
    main()
