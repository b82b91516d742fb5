"""The conversation store on SQLAlchemy Core (SQLite WAL by default, PostgreSQL by URL).

Design decisions:

* ``_apply`` starts with the compare-and-set ``UPDATE conversations ... WHERE id = ? AND status
  IN (...) RETURNING ...`` (no row back: the condition failed, nothing is written): the UPDATE takes the write lock (SQLite) or the row lock (PostgreSQL) before
  anything else in the transaction, so every later statement (message inserts, history row)
  sees a status no other writer can change until commit. ``previous_status = status`` in the
  same UPDATE records what the CAS found (SQL evaluates the right-hand sides on the old row),
  which the history row needs without a racy read-before-write.
* Every message insert goes through that UPDATE too, so messages of one conversation are
  serialised by its row: ids are in commit order and "bot reply only while status == bot"
  holds across processes, not only threads.
* JSON columns hold the small lists (citations, products, tool calls); nothing queries inside.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

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
    delete,
    exists,
    false,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.schema import CreateColumn

from ._model import (
    KNOWN_CLIENTS,
    AdSlot,
    Applied,
    Change,
    Conversation,
    ConversationStore,
    ConversationSummary,
    StaffAccount,
    StoredMessage,
    Transition,
    Unanswered,
)

metadata = MetaData()
conversations = Table(
    "conversations", metadata,
    Column("id", String(32), primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", String(120), nullable=False),
    Column("customer_id", String(120)),
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
    "conversation_messages", metadata,
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
    "handoffs", metadata,
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
    "staff_accounts", metadata,
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
    "staff_sessions", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("username", String(80), ForeignKey("staff_accounts.username"), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False),
)
audit = Table(
    "audit_log", metadata,
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
    "staff_known_clients", metadata,
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
    Table("staff_accounts", v2, Column("username", String(80), primary_key=True),
          Column("role", String(10), nullable=False), Column("password_hash", String(128), nullable=False),
          Column("salt", String(64), nullable=False), Column("created_at", Float, nullable=False),
          Column("failed_logins", Integer, nullable=False, default=0), Column("locked_until", Float))
    Table("staff_sessions", v2, Column("token_hash", String(64), primary_key=True),
          Column("username", String(80), ForeignKey("staff_accounts.username"), nullable=False),
          Column("created_at", Float, nullable=False), Column("expires_at", Float, nullable=False))
    Table("audit_log", v2, Column("id", Integer, primary_key=True, autoincrement=True),
          Column("actor", String(80), nullable=False), Column("action", String(40), nullable=False),
          Column("conversation_id", String(32)), Column("detail", Text, nullable=False, default=""),
          Column("at", Float, nullable=False, index=True))
    v2.create_all(conn)


def _add_column(conn: Connection, table: Table, name: str) -> None:
    column = CreateColumn(table.c[name]).compile(dialect=conn.dialect)
    conn.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {column}"))


def _m003_staff_accounts(conn: Connection) -> None:
    """No hard lock any more: disabled accounts, last login, known clients, the client on audit rows."""
    _add_column(conn, staff, "disabled")
    _add_column(conn, staff, "last_login")
    _add_column(conn, audit, "client")
    metadata.create_all(conn, tables=[known_clients])


MIGRATIONS = [_m001_conversations, _m002_staff, _m003_staff_accounts]


def _conversation(row: Any) -> Conversation:
    return Conversation(row.id, row.user_id, row.customer_id, row.status, row.created_at, row.updated_at,
                        row.assigned_to, row.handoff_reason, row.handoff_summary, row.handoff_at, row.csat,
                        row.csat_comment, dict(row.state or {}), row.handoff_priority or "normal")


def _message(row: Any) -> StoredMessage:
    return StoredMessage(row.id, row.conversation_id, row.role, row.text, row.created_at, row.author, row.route,
                         tuple(row.citations), tuple(row.products), tuple(row.sponsored),
                         tuple(row.tool_calls), row.feedback, tuple(AdSlot(*a) for a in row.ads),
                         bool(row.answered), bool(row.fallback), row.reply_to)


class SqlConversationStore(ConversationStore):
    def __init__(self, db):
        self.db = db  # recsys.Database: one URL for the whole project
        db.migrate("bot", MIGRATIONS)

    # -- conversations ------------------------------------------------------------------------
    def create(self, conversation: Conversation, token_hash: str) -> None:
        c = conversation
        with self.db.engine.begin() as conn:
            conn.execute(conversations.insert().values(
                id=c.id, token_hash=token_hash, user_id=c.user_id, customer_id=c.customer_id, status=c.status,
                created_at=c.created_at, updated_at=c.updated_at, state=c.state, handoff_priority="normal"))

    def _one(self, *where) -> Conversation | None:
        with self.db.engine.connect() as conn:
            row = conn.execute(select(conversations).where(*where)).first()
        return None if row is None else _conversation(row)

    def get(self, conversation_id: str) -> Conversation | None:
        return self._one(conversations.c.id == conversation_id)

    def by_token(self, token_hash: str) -> Conversation | None:
        return self._one(conversations.c.token_hash == token_hash)

    def conversations(self, statuses: Collection[str], assigned_to: str | None = None,
                      limit: int = 200) -> list[Conversation]:
        c = conversations.c
        query = select(conversations).where(c.status.in_(list(statuses)))
        if assigned_to is not None:
            query = query.where(c.assigned_to == assigned_to)
        query = query.order_by(func.coalesce(c.handoff_at, c.created_at), c.id).limit(limit)
        with self.db.engine.connect() as conn:
            return [_conversation(r) for r in conn.execute(query)]

    def _apply(self, conversation_id: str, change: Change, now: float) -> Applied | None:
        c = conversations.c
        where = [c.id == conversation_id, c.status.in_(list(change.when))]
        if change.assignee is not None:
            where.append(c.assigned_to == change.assignee)
        values: dict[str, Any] = {"updated_at": now, "previous_status": c.status}
        if change.to is not None:
            values.update(status=change.to, assigned_to=change.assign)
            if change.to == "waiting":
                values.update(handoff_reason=change.reason, handoff_summary=change.summary,
                              handoff_priority=change.priority, handoff_at=now)
        if change.state is not None:
            values["state"] = change.state
        if change.csat is not None:
            where.append(c.csat.is_(None))
            values.update(csat=change.csat[0], csat_comment=change.csat[1])
        with self.db.engine.begin() as conn:
            row = conn.execute(update(conversations).where(*where).values(**values)
                               .returning(*conversations.c)).first()
            if row is None:
                return None  # condition failed: the transaction writes nothing
            if change.to is not None:
                conn.execute(handoffs.insert().values(
                    conversation_id=conversation_id, from_status=row.previous_status, to_status=change.to,
                    reason=change.reason, summary=change.summary, actor=change.actor, at=now))
            stored = []
            for m in change.messages:
                ads = [[a.product_id, a.label, a.impression_id] for a in m.ads]
                result = conn.execute(messages.insert().values(
                    conversation_id=conversation_id, role=m.role, text=m.text, created_at=now, author=m.author,
                    route=m.route, citations=list(m.citations), products=list(m.products),
                    sponsored=list(m.sponsored), ads=ads, tool_calls=list(m.tool_calls), answered=m.answered,
                    fallback=m.fallback, reply_to=m.reply_to))
                stored.append(StoredMessage.of(m, int(result.inserted_primary_key[0]), conversation_id, now))
        return Applied(_conversation(row), tuple(stored), row.previous_status)

    def messages(self, conversation_id: str, after_id: int = 0, *, notes: bool = True) -> list[StoredMessage]:
        m = messages.c
        query = select(messages).where(m.conversation_id == conversation_id, m.id > after_id)
        if not notes:
            query = query.where(m.role != "note")
        with self.db.engine.connect() as conn:
            return [_message(r) for r in conn.execute(query.order_by(m.id))]

    def set_feedback(self, conversation_id: str, message_id: int, value: int) -> bool:
        m = messages.c
        with self.db.engine.begin() as conn:
            return conn.execute(update(messages).where(
                m.id == message_id, m.conversation_id == conversation_id, m.role == "bot",
            ).values(feedback=value)).rowcount == 1

    def transitions(self, conversation_id: str) -> list[Transition]:
        h = handoffs.c
        with self.db.engine.connect() as conn:
            rows = conn.execute(select(handoffs).where(h.conversation_id == conversation_id).order_by(h.id))
            return [Transition(r.conversation_id, r.from_status, r.to_status, r.reason, r.summary, r.actor, r.at)
                    for r in rows]

    # -- analytics ----------------------------------------------------------------------------
    def summaries(self) -> list[ConversationSummary]:
        c, m, h = conversations.c, messages.c, handoffs.c
        shopper = (select(func.count()).where(m.conversation_id == c.id, m.role == "shopper")
                   .scalar_subquery())
        escalated = exists().where(h.conversation_id == c.id, h.to_status.in_(["waiting", "human"]))
        with self.db.engine.connect() as conn:
            rows = conn.execute(select(c.id, c.status, c.csat, shopper.label("n"), escalated.label("esc"))
                                .order_by(c.created_at)).all()
            reasons: dict[str, list[str]] = {}
            for cid, reason in conn.execute(select(h.conversation_id, h.reason)
                                            .where(h.to_status == "waiting").order_by(h.id)):
                reasons.setdefault(cid, []).append(reason or "unknown")
        return [ConversationSummary(r.id, r.status, int(r.n), bool(r.esc), tuple(reasons.get(r.id, ())), r.csat)
                for r in rows]

    def unanswered(self, limit: int = 50) -> list[Unanswered]:
        bot, asked = messages.alias("bot"), messages.alias("asked")
        query = (select(bot.c.conversation_id, asked.c.text, bot.c.route, bot.c.fallback, bot.c.created_at)
                 .join(asked, asked.c.id == bot.c.reply_to)
                 .where(bot.c.role == "bot", or_(bot.c.answered.is_(False), bot.c.fallback.is_(True)))
                 .order_by(bot.c.id.desc()).limit(limit))
        with self.db.engine.connect() as conn:
            return [Unanswered(r[0], r[1], r[2], bool(r[3]), r[4]) for r in conn.execute(query)]

    # -- staff --------------------------------------------------------------------------------
    def put_staff(self, account: StaffAccount) -> bool:
        a = account
        # RETURNING, not rowcount: psycopg reports -1 for INSERT ... ON CONFLICT DO NOTHING.
        stmt = (self.db.insert(staff).on_conflict_do_nothing(index_elements=["username"])
                .returning(staff.c.username))
        with self.db.engine.begin() as conn:
            return conn.execute(stmt, dict(username=a.username, role=a.role, password_hash=a.password_hash,
                                           salt=a.salt, created_at=a.created_at, failed_logins=0,
                                           disabled=a.disabled)).first() is not None

    @staticmethod
    def _account(r: Any) -> StaffAccount:
        return StaffAccount(r.username, r.role, r.password_hash, r.salt, r.created_at, bool(r.disabled),
                            r.last_login)

    def staff_account(self, username: str) -> StaffAccount | None:
        with self.db.engine.connect() as conn:
            r = conn.execute(select(staff).where(staff.c.username == username)).first()
        return None if r is None else self._account(r)

    def staff_count(self) -> int:
        with self.db.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(staff)).scalar() or 0)

    def staff_accounts(self) -> list[StaffAccount]:
        with self.db.engine.connect() as conn:
            return [self._account(r) for r in conn.execute(select(staff).order_by(staff.c.username))]

    def set_password(self, username: str, password_hash: str, salt: str) -> bool:
        with self.db.engine.begin() as conn:
            return conn.execute(update(staff).where(staff.c.username == username)
                                .values(password_hash=password_hash, salt=salt)).rowcount == 1

    def set_disabled(self, username: str, disabled: bool) -> bool:
        with self.db.engine.begin() as conn:
            return conn.execute(update(staff).where(staff.c.username == username)
                                .values(disabled=bool(disabled))).rowcount == 1

    def known_client(self, username: str, client_tag: str) -> float | None:
        k = known_clients.c
        with self.db.engine.connect() as conn:
            return conn.execute(select(k.last_success).where(k.username == username,
                                                             k.client_tag == client_tag)).scalar()

    def login_succeeded(self, username: str, client_tag: str | None, now: float) -> None:
        k = known_clients.c
        with self.db.engine.begin() as conn:
            conn.execute(update(staff).where(staff.c.username == username).values(last_login=now))
            if not client_tag:
                return
            stmt = self.db.insert(known_clients).values(username=username, client_tag=client_tag, last_success=now)
            conn.execute(stmt.on_conflict_do_update(index_elements=["username", "client_tag"],
                                                    set_={"last_success": now}))
            newest = (select(k.client_tag).where(k.username == username)
                      .order_by(k.last_success.desc(), k.client_tag).limit(KNOWN_CLIENTS))
            conn.execute(delete(known_clients).where(k.username == username, k.client_tag.not_in(newest)))

    def forget_clients(self, username: str) -> None:
        with self.db.engine.begin() as conn:
            conn.execute(delete(known_clients).where(known_clients.c.username == username))

    def put_session(self, token_hash: str, username: str, now: float, expires_at: float) -> None:
        with self.db.engine.begin() as conn:
            conn.execute(sessions.insert().values(token_hash=token_hash, username=username, created_at=now,
                                                  expires_at=expires_at))

    def session(self, token_hash: str) -> tuple[str, float] | None:
        with self.db.engine.connect() as conn:
            r = conn.execute(select(sessions).where(sessions.c.token_hash == token_hash)).first()
        return None if r is None else (r.username, r.expires_at)

    def drop_session(self, token_hash: str) -> None:
        with self.db.engine.begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.token_hash == token_hash))

    def drop_sessions(self, username: str, keep: str | None = None) -> int:
        s = sessions.c
        where = [s.username == username] + ([s.token_hash != keep] if keep else [])
        with self.db.engine.begin() as conn:
            return int(conn.execute(delete(sessions).where(*where)).rowcount or 0)

    def audit(self, actor: str, action: str, conversation_id: str | None, detail: str, at: float,
              client: str | None = None) -> None:
        with self.db.engine.begin() as conn:
            conn.execute(audit.insert().values(actor=actor[:80], action=action, conversation_id=conversation_id,
                                               detail=detail, at=at, client=client[:64] if client else None))

    def audit_log(self, limit: int = 100) -> list[dict[str, Any]]:
        a = audit.c
        with self.db.engine.connect() as conn:
            rows = conn.execute(select(a.actor, a.action, a.conversation_id, a.detail, a.at, a.client)
                                .order_by(a.id.desc()).limit(limit))
            return [dict(r._mapping) for r in rows]
