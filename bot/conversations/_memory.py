"""The in-memory conversation store: the fake for tests and the no-database demo.

One lock guards everything, so ``_apply`` is as atomic here as the SQL store's transaction;
the shared contract suite (tests/test_conversations.py) holds both to the same behaviour.
"""

from __future__ import annotations

import threading
from collections.abc import Collection
from dataclasses import replace
from typing import Any

from ._model import (
    Applied,
    Change,
    Conversation,
    ConversationStore,
    ConversationSummary,
    StoredMessage,
    Transition,
    Unanswered,
)


class MemoryConversationStore(ConversationStore):
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._convs: dict[str, Conversation] = {}
        self._tokens: dict[str, str] = {}
        self._messages: list[StoredMessage] = []  # global id order, like an autoincrement column
        self._transitions: list[Transition] = []

    def create(self, conversation: Conversation, token_hash: str) -> None:
        with self._lock:
            if conversation.id in self._convs or token_hash in self._tokens:
                raise ValueError(f"conversation {conversation.id} exists")  # a uuid collision is a bug
            self._convs[conversation.id] = conversation
            self._tokens[token_hash] = conversation.id

    def get(self, conversation_id: str) -> Conversation | None:
        return self._convs.get(conversation_id)

    def by_token(self, token_hash: str) -> Conversation | None:
        cid = self._tokens.get(token_hash)
        return None if cid is None else self._convs.get(cid)

    def conversations(
        self, statuses: Collection[str], assigned_to: str | None = None, limit: int = 200
    ) -> list[Conversation]:
        with self._lock:
            found = [
                c
                for c in self._convs.values()
                if c.status in statuses and (assigned_to is None or c.assigned_to == assigned_to)
            ]
        found.sort(key=lambda c: (c.handoff_at if c.handoff_at is not None else c.created_at, c.id))
        return found[:limit]

    def _apply(self, conversation_id: str, change: Change, now: float) -> Applied | None:
        with self._lock:
            conv = self._convs.get(conversation_id)
            if conv is None or conv.status not in change.when:
                return None
            if change.assignee is not None and conv.assigned_to != change.assignee:
                return None
            if change.csat is not None and conv.csat is not None:
                return None
            values: dict[str, Any] = {"updated_at": now}
            if change.to is not None:
                values.update(status=change.to, assigned_to=change.assign)
                if change.to == "waiting":
                    values.update(
                        handoff_reason=change.reason,
                        handoff_summary=change.summary,
                        handoff_priority=change.priority,
                        handoff_at=now,
                    )
                self._transitions.append(
                    Transition(
                        conversation_id,
                        conv.status,
                        change.to,
                        change.reason,
                        change.summary,
                        change.actor,
                        now,
                    )
                )
            if change.state is not None:
                values["state"] = dict(change.state)
            if change.csat is not None:
                values.update(csat=change.csat[0], csat_comment=change.csat[1])
            new = self._convs[conversation_id] = replace(conv, **values)
            stored = []
            for m in change.messages:
                stored.append(StoredMessage.of(m, len(self._messages) + 1, conversation_id, now))
                self._messages.append(stored[-1])
            return Applied(new, tuple(stored), conv.status)

    def messages(self, conversation_id: str, after_id: int = 0, *, notes: bool = True) -> list[StoredMessage]:
        with self._lock:
            return [
                m
                for m in self._messages
                if m.conversation_id == conversation_id and m.id > after_id and (notes or m.role != "note")
            ]

    def set_feedback(self, conversation_id: str, message_id: int, value: int) -> bool:
        with self._lock:
            if not 1 <= message_id <= len(self._messages):
                return False
            m = self._messages[message_id - 1]
            if m.conversation_id != conversation_id or m.role != "bot":
                return False
            self._messages[message_id - 1] = replace(m, feedback=value)
            return True

    def transitions(self, conversation_id: str) -> list[Transition]:
        with self._lock:
            return [t for t in self._transitions if t.conversation_id == conversation_id]

    def summaries(self) -> list[ConversationSummary]:
        with self._lock:
            out = []
            for c in sorted(self._convs.values(), key=lambda c: c.created_at):
                hist = [t for t in self._transitions if t.conversation_id == c.id]
                out.append(
                    ConversationSummary(
                        c.id,
                        c.status,
                        sum(m.conversation_id == c.id and m.role == "shopper" for m in self._messages),
                        any(t.to_status in ("waiting", "human") for t in hist),
                        tuple(t.reason or "unknown" for t in hist if t.to_status == "waiting"),
                        c.csat,
                    )
                )
            return out

    def unanswered(self, limit: int = 50) -> list[Unanswered]:
        with self._lock:
            found = [
                (m, self._messages[m.reply_to - 1])
                for m in reversed(self._messages)
                if m.role == "bot" and (not m.answered or m.fallback) and m.reply_to
            ]
        return [
            Unanswered(m.conversation_id, q.text, m.route, m.fallback, m.created_at) for m, q in found[:limit]
        ]
