"""The bot layer's tables and their numbered migrations (namespace "bot"), in one place.

The conversation store and the staff store each use some of these tables, but they share one
database and one migration history: splitting the list would make an upgraded database and a
new one take different paths. Each store runs ``db.migrate("bot", MIGRATIONS)``; whichever
runs first applies the missing steps, the other finds nothing to do.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    false,
)

from retrieval import MAX_USER_ID

metadata = MetaData()
conversations = Table(
    "conversations",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", String(MAX_USER_ID), nullable=False),
    Column("customer_id", String(MAX_USER_ID)),
    Column("status", String(10), nullable=False),
    Column("previous_status", String(10)),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Column("assigned_to", String(80)),
    Column("handoff_reason", String(40)),
    Column("handoff_summary", Text),
    Column("handoff_priority", String(10), nullable=False, default="normal"),
    Column("handoff_at", Float),
    Column("csat", Integer),
    Column("csat_comment", Text),
    Column("state", JSON, nullable=False, default=dict),
    Index("ix_conversations_status", "status", "handoff_at"),
)
messages = Table(
    "conversation_messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation_id", String(32), ForeignKey("conversations.id"), nullable=False),
    Column("role", String(10), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("author", String(80)),
    Column("route", String(40)),
    Column("citations", JSON, nullable=False, default=list),
    Column("products", JSON, nullable=False, default=list),
    Column("sponsored", JSON, nullable=False, default=list),
    Column("ads", JSON, nullable=False, default=list),
    Column("tool_calls", JSON, nullable=False, default=list),
    Column("feedback", Integer),
    Column("answered", Boolean, nullable=False, default=True),
    Column("fallback", Boolean, nullable=False, default=False),
    Column("reply_to", Integer),
    Index("ix_conversation_messages_conv", "conversation_id", "id"),
)
handoffs = Table(
    "handoffs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation_id", String(32), ForeignKey("conversations.id"), nullable=False, index=True),
    Column("from_status", String(10), nullable=False),
    Column("to_status", String(10), nullable=False),
    Column("reason", String(40)),
    Column("summary", Text),
    Column("actor", String(80), nullable=False),
    Column("at", Float, nullable=False),
)
staff = Table(
    "staff_accounts",
    metadata,
    Column("username", String(80), primary_key=True),
    Column("role", String(10), nullable=False),
    Column("password_hash", String(128), nullable=False),
    Column("salt", String(64), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("failed_logins", Integer, nullable=False, default=0),  # unused since migration 3 (no hard lock)
    Column("locked_until", Float),  # unused since migration 3
    Column("disabled", Boolean, nullable=False, default=False, server_default=false()),
    Column("last_login", Float),
)
sessions = Table(
    "staff_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("username", String(80), ForeignKey("staff_accounts.username"), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False),
)
audit = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("actor", String(80), nullable=False),
    Column("action", String(40), nullable=False),
    Column("conversation_id", String(32)),
    Column("detail", Text, nullable=False, default=""),
    Column("at", Float, nullable=False, index=True),
    Column("client", String(64)),  # the address a login came from (migration 3)
)
# Addresses (as ``client_tag`` hashes) that have logged into an account: the per-account login
# limit does not apply to them, so failures from elsewhere cannot lock the real person out.
known_clients = Table(
    "staff_known_clients",
    metadata,
    Column("username", String(80), ForeignKey("staff_accounts.username"), primary_key=True),
    Column("client_tag", String(32), primary_key=True),
    Column("last_success", Float, nullable=False),
)


def _m001_conversations(conn: Connection) -> None:
    metadata.create_all(conn, tables=[conversations, messages, handoffs])


def _m002_staff(conn: Connection) -> None:
    # The tables as migration 2 made them (later migrations add columns): frozen here, so a new
    # database and an upgraded one go through the same steps and end with the same schema.
    v2 = MetaData()
    Table(
        "staff_accounts",
        v2,
        Column("username", String(80), primary_key=True),
        Column("role", String(10), nullable=False),
        Column("password_hash", String(128), nullable=False),
        Column("salt", String(64), nullable=False),
        Column("created_at", Float, nullable=False),
        Column("failed_logins", Integer, nullable=False, default=0),
        Column("locked_until", Float),
    )
    Table(
        "staff_sessions",
        v2,
        Column("token_hash", String(64), primary_key=True),
        Column("username", String(80), ForeignKey("staff_accounts.username"), nullable=False),
        Column("created_at", Float, nullable=False),
        Column("expires_at", Float, nullable=False),
    )
    Table(
        "audit_log",
        v2,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("actor", String(80), nullable=False),
        Column("action", String(40), nullable=False),
        Column("conversation_id", String(32)),
        Column("detail", Text, nullable=False, default=""),
        Column("at", Float, nullable=False, index=True),
    )
    v2.create_all(conn)


def _m003_staff_accounts(conn: Connection) -> None:
    """No hard lock any more: disabled accounts, last login, known clients, the client on audit rows."""
    from recsys import add_columns  # here: recsys loads numpy and friends, the stores need it only now

    add_columns(conn, staff, ["disabled", "last_login"])
    add_columns(conn, audit, ["client"])
    metadata.create_all(conn, tables=[known_clients])


MIGRATIONS = [_m001_conversations, _m002_staff, _m003_staff_accounts]
