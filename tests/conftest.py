"""Shared fixtures: isolated state, no accidental network, a small shop with obvious answers."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
MINI_SHOP = FIXTURES / "mini_shop"
REPO = Path(__file__).resolve().parents[1]
DEMO_SHOP = REPO / "data" / "demo_shop"
APPLIANCE_SHOP = DEMO_SHOP.parent / "appliance_shop"  # another domain, its own attribute names
DATASETS = REPO.parent / "shared" / "datasets"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def pytest_configure(config):
    # One torch thread on 2-core machines: two spin on each other and make every op ~8 ms slower.
    from retrieval import configure_torch_threads

    configure_torch_threads()


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Anything but loopback fails loudly: tests must never depend on the internet."""
    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if (
            isinstance(host, str)
            and host not in ("127.0.0.1", "localhost", "::1", "0.0.0.0")
            and not host.startswith("/")
        ):
            raise OSError(f"test tried to reach the network: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("shoptalk_home")
    monkeypatch.setenv("SHOPTALK_HOME", str(home))
    for var in (
        "SHOPTALK_SHOP",
        "SHOPTALK_CHROMA_URL",
        "SHOPTALK_DATABASE_URL",
        "SHOPTALK_LLM",
        "SHOPTALK_EMBEDDER",
        "SHOPTALK_LLM_BASE_URL",
        "SHOPTALK_LLM_MODEL",
    ):
        monkeypatch.delenv(var, raising=False)
    return home


# A PostgreSQL server for the SQL stores' tests (`make test` starts one on loopback); without
# it the "postgresql" cases skip and SQLite still runs every store test.
POSTGRES_URL = os.environ.get("SHOPTALK_TEST_DATABASE_URL")


@pytest.fixture
def database_url(tmp_path):
    """``database_url(kind)``: a fresh, empty database, ``"sqlite"`` (a file) or ``"postgresql"``
    (a new database on the test server, dropped afterwards)."""
    created: list[str] = []

    def make(kind: str = "sqlite", name: str = "db") -> str:
        if kind == "sqlite":
            return f"sqlite:///{tmp_path / (name + '.sqlite')}"
        if not POSTGRES_URL:
            pytest.skip("no PostgreSQL server: set SHOPTALK_TEST_DATABASE_URL (make test starts one)")
        from uuid import uuid4

        from sqlalchemy import create_engine, make_url, text

        dbname = f"shoptalk_test_{uuid4().hex[:12]}"
        admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{dbname}"'))
        admin.dispose()
        created.append(dbname)
        return make_url(POSTGRES_URL).set(database=dbname).render_as_string(hide_password=False)

    yield make
    if created:
        from sqlalchemy import create_engine, text

        admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for dbname in created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def mini_shop_dir(tmp_path) -> Path:
    """A writable copy of the mini shop (tests may corrupt it)."""
    dest = tmp_path / "mini_shop"
    shutil.copytree(MINI_SHOP, dest)
    return dest


@pytest.fixture
def mini_shop():
    from retrieval import load_shop

    return load_shop(MINI_SHOP)


@pytest.fixture
def hashing_embedder():
    from retrieval import HashingEmbedder

    return HashingEmbedder()


@pytest.fixture
def mini_index(mini_shop, hashing_embedder):
    """The mini shop ingested into in-memory indexes with the hashing embedder."""
    from retrieval import MemoryIndex, ShopIndex

    indexes: dict[str, MemoryIndex] = {}
    shop_index = ShopIndex(mini_shop, hashing_embedder, lambda n: indexes.setdefault(n, MemoryIndex()))
    shop_index.ingest()
    return shop_index


@pytest.fixture(scope="session")
def real_embedder():
    from retrieval import CachedEmbedder, SentenceTransformerEmbedder

    return CachedEmbedder(SentenceTransformerEmbedder())
