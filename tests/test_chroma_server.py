"""Ingest and search against a real Chroma server (the way past one machine).

CI starts ``chroma run`` on loopback and sets SHOPTALK_TEST_CHROMA_URL; without it the test
starts its own server process.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest
from server_kit import free_port, wait_until_healthy

from retrieval import ChromaIndex, Constraints, ShopIndex, chroma_client, load_shop

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    url = os.environ.get("SHOPTALK_TEST_CHROMA_URL")
    if url:
        yield url
        return
    exe = shutil.which("chroma")
    if exe is None:
        pytest.skip("the chroma CLI is not installed")
    port = free_port()
    proc = subprocess.Popen(
        [
            exe,
            "run",
            "--path",
            str(tmp_path_factory.mktemp("chroma_srv")),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_until_healthy(f"{url}/api/v2/heartbeat", 20, proc=proc, what="chroma server", interval_s=0.2)
        except RuntimeError as exc:
            pytest.fail(f"chroma server did not start: {exc}")
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def test_ingest_and_search_through_a_chroma_server(chroma_url, mini_shop_dir, hashing_embedder):
    client = chroma_client(chroma_url)
    prefix = f"test{time.time_ns()}"  # the CI server may be shared by several runs
    index = ShopIndex(
        load_shop(mini_shop_dir), hashing_embedder, lambda n: ChromaIndex(client, n), prefix=prefix
    )
    first = index.ingest()
    assert first.products.parents_updated == 12

    again = ShopIndex(
        load_shop(mini_shop_dir), hashing_embedder, lambda n: ChromaIndex(client, n), prefix=prefix
    )
    assert again.ingest().chunks_embedded == 0

    result = again.products.search("waterproof trail shoe", Constraints(price_max=100, in_stock=True), k=5)
    assert result.product_ids and result.product_ids[0] == "S1"
    assert all(h.product.price <= 100 and h.product.stock > 0 for h in result.hits)
    assert again.policies.search("free shipping threshold", k=1)[0].citation == "shipping#standard-shipping"
