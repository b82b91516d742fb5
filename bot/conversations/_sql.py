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
    exists,
    func,
    or_,
    select,
    update,
)

from .._schema import MIGRATIONS, conversations, handoffs, messages
from ._model import (
    AdSlot,
    Applied,
    Change,
    Conversation,
    ConversationStore,
    ConversationSummary,
    StoredMessage,
    Transition,
    Unanswered,
)


def _conversation(row: Any) -> Conversation:
    return Conversation(
        row.id,
        row.user_id,
        row.customer_id,
        row.status,
        row.created_at,
        row.updated_at,
        row.assigned_to,
        row.handoff_reason,
        row.handoff_summary,
        row.handoff_at,
        row.csat,
        row.csat_comment,
        dict(row.state or {}),
        row.handoff_priority or "normal",
    )


def _message(row: Any) -> StoredMessage:
    return StoredMessage(
        row.id,
        row.conversation_id,
        row.role,
        row.text,
        row.created_at,
        row.author,
        row.route,
        tuple(row.citations),
        tuple(row.products),
        tuple(row.sponsored),
        tuple(row.tool_calls),
        row.feedback,
        tuple(AdSlot(*a) for a in row.ads),
        bool(row.answered),
        bool(row.fallback),
        row.reply_to,
    )


class SqlConversationStore(ConversationStore):
    def __init__(self, db):
        self.db = db  # recsys.Database: one URL for the whole project
        db.migrate("bot", MIGRATIONS)

    # -- conversations ------------------------------------------------------------------------
    def create(self, conversation: Conversation, token_hash: str) -> None:
        c = conversation
        with self.db.engine.begin() as conn:
            conn.execute(
                conversations.insert().values(
                    id=c.id,
                    token_hash=token_hash,
                    user_id=c.user_id,
                    customer_id=c.customer_id,
                    status=c.status,
                    created_at=c.created_at,
                    updated_at=c.updated_at,
                    state=c.state,
                    handoff_priority="normal",
                )
            )

    def _one(self, *where) -> Conversation | None:
        with self.db.engine.connect() as conn:
            row = conn.execute(select(conversations).where(*where)).first()
        return None if row is None else _conversation(row)

    def get(self, conversation_id: str) -> Conversation | None:
        return self._one(conversations.c.id == conversation_id)

    def by_token(self, token_hash: str) -> Conversation | None:
        return self._one(conversations.c.token_hash == token_hash)

    def conversations(
        self, statuses: Collection[str], assigned_to: str | None = None, limit: int = 200
    ) -> list[Conversation]:
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
                values.update(
                    handoff_reason=change.reason,
                    handoff_summary=change.summary,
                    handoff_priority=change.priority,
                    handoff_at=now,
                )
        if change.state is not None:
            values["state"] = change.state
        if change.csat is not None:
            where.append(c.csat.is_(None))
            values.update(csat=change.csat[0], csat_comment=change.csat[1])
        with self.db.engine.begin() as conn:
            row = conn.execute(
                update(conversations).where(*where).values(**values).returning(*conversations.c)
            ).first()
            if row is None:
                return None  # condition failed: the transaction writes nothing
            if change.to is not None:
                conn.execute(
                    handoffs.insert().values(
                        conversation_id=conversation_id,
                        from_status=row.previous_status,
                        to_status=change.to,
                        reason=change.reason,
                        summary=change.summary,
                        actor=change.actor,
                        at=now,
                    )
                )
            stored = []
            for m in change.messages:
                ads = [[a.product_id, a.label, a.impression_id] for a in m.ads]
                result = conn.execute(
                    messages.insert().values(
                        conversation_id=conversation_id,
                        role=m.role,
                        text=m.text,
                        created_at=now,
                        author=m.author,
                        route=m.route,
                        citations=list(m.citations),
                        products=list(m.products),
                        sponsored=list(m.sponsored),
                        ads=ads,
                        tool_calls=list(m.tool_calls),
                        answered=m.answered,
                        fallback=m.fallback,
                        reply_to=m.reply_to,
                    )
                )
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
            return (
                conn.execute(
                    update(messages)
                    .where(
                        m.id == message_id,
                        m.conversation_id == conversation_id,
                        m.role == "bot",
                    )
                    .values(feedback=value)
                ).rowcount
                == 1
            )

    def transitions(self, conversation_id: str) -> list[Transition]:
        h = handoffs.c
        with self.db.engine.connect() as conn:
            rows = conn.execute(select(handoffs).where(h.conversation_id == conversation_id).order_by(h.id))
            return [
                Transition(r.conversation_id, r.from_status, r.to_status, r.reason, r.summary, r.actor, r.at)
                for r in rows
            ]

    # -- analytics ----------------------------------------------------------------------------
    def summaries(self) -> list[ConversationSummary]:
        c, m, h = conversations.c, messages.c, handoffs.c
        shopper = select(func.count()).where(m.conversation_id == c.id, m.role == "shopper").scalar_subquery()
        escalated = exists().where(h.conversation_id == c.id, h.to_status.in_(["waiting", "human"]))
        with self.db.engine.connect() as conn:
            rows = conn.execute(
                select(c.id, c.status, c.csat, shopper.label("n"), escalated.label("esc")).order_by(
                    c.created_at
                )
            ).all()
            reasons: dict[str, list[str]] = {}
            for cid, reason in conn.execute(
                select(h.conversation_id, h.reason).where(h.to_status == "waiting").order_by(h.id)
            ):
                reasons.setdefault(cid, []).append(reason or "unknown")
        return [
            ConversationSummary(r.id, r.status, int(r.n), bool(r.esc), tuple(reasons.get(r.id, ())), r.csat)
            for r in rows
        ]

    def unanswered(self, limit: int = 50) -> list[Unanswered]:
        bot, asked = messages.alias("bot"), messages.alias("asked")
        query = (
            select(bot.c.conversation_id, asked.c.text, bot.c.route, bot.c.fallback, bot.c.created_at)
            .join(asked, asked.c.id == bot.c.reply_to)
            .where(bot.c.role == "bot", or_(bot.c.answered.is_(False), bot.c.fallback.is_(True)))
            .order_by(bot.c.id.desc())
            .limit(limit)
        )
        with self.db.engine.connect() as conn:
            return [Unanswered(r[0], r[1], r[2], bool(r[3]), r[4]) for r in conn.execute(query)]
