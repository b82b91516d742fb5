"""The project's one database: SQLite (WAL) by default, PostgreSQL by URL, through SQLAlchemy.

Each layer owns its tables and registers numbered migrations under a namespace ("recsys",
"bot"); ``Database.migrate`` applies the missing ones in order, each in its own transaction,
and records them in ``schema_migrations`` (the idea of llm's ``migrations.py``). Migrations
are plain functions of a connection, so a migration is as portable as the SQLAlchemy it uses.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    event,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateColumn

from retrieval import ConfigError

log = logging.getLogger(__name__)

Migration = Callable[[Connection], None]

_meta = MetaData()
schema_migrations = Table(
    "schema_migrations",
    _meta,
    Column("namespace", String(40), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("applied_at", DateTime(timezone=True), server_default=func.now()),
)


def add_columns(conn: Connection, table: Table, names: Iterable[str]) -> None:
    """A migration step: ``ALTER TABLE ... ADD COLUMN`` for each named column of ``table`` that
    the live table lacks, with its full definition (type, NOT NULL, server default). A column
    an earlier step already created from the current ``Table`` is left as it is."""
    have = {c["name"] for c in inspect(conn).get_columns(table.name)}
    for name in names:
        if name not in have:
            column = CreateColumn(table.c[name]).compile(dialect=conn.dialect)
            conn.execute(
                text(
                    f"ALTER TABLE {conn.dialect.identifier_preparer.format_table(table)} ADD COLUMN {column}"
                )
            )


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    # WAL: readers never block the writer; synchronous=NORMAL is durable in WAL mode across
    # process crashes (only an OS crash can lose the last transactions).
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


class Database:
    """An engine plus the migration runner. Build one per process and pass it down."""

    def __init__(self, url: str, *, echo: bool = False):
        self.url = url
        if url.startswith("sqlite"):
            path = url.split("///", 1)[-1]
            if path and path != ":memory:":
                Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(
                url, echo=echo, connect_args={"check_same_thread": False, "timeout": 10}
            )
            event.listen(self.engine, "connect", _sqlite_pragmas)
        elif url.startswith(("postgresql", "postgres")):
            self.engine = create_engine(url, echo=echo, pool_pre_ping=True)
        else:
            raise ConfigError(
                f"Unsupported database URL {url!r}; use sqlite:///path or postgresql+psycopg://..."
            )
        _meta.create_all(self.engine, tables=[schema_migrations])

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def insert(self, table: Table):
        """An INSERT that supports ``on_conflict_do_nothing`` on both backends."""
        return postgresql.insert(table) if self.dialect == "postgresql" else sqlite.insert(table)

    def applied(self, namespace: str) -> int:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(func.max(schema_migrations.c.version)).where(
                    schema_migrations.c.namespace == namespace
                )
            ).scalar()
        return int(rows or 0)

    def migrate(self, namespace: str, migrations: Sequence[Migration]) -> int:
        """Apply the namespace's missing migrations; returns how many ran."""
        done = self.applied(namespace)
        for version, step in enumerate(migrations, start=1):
            if version <= done:
                continue
            with self.engine.begin() as conn:
                step(conn)
                conn.execute(schema_migrations.insert().values(namespace=namespace, version=version))
            log.info("applied migration %s/%d (%s)", namespace, version, step.__name__)
        return max(0, len(migrations) - done)

    def dispose(self) -> None:
        self.engine.dispose()
