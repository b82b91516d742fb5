"""Conversations as data: the types every adapter shows, the events a turn streams, and the
store that keeps them (one interface; SQL and in-memory implementations)."""

from ._memory import MemoryConversationStore
from ._model import (
    MAX_TEXT_CHARS,
    OPEN,
    STATUSES,
    AdSlot,
    Applied,
    Change,
    ChatEvent,
    Conversation,
    ConversationStatus,
    ConversationStore,
    ConversationSummary,
    Escalated,
    MessageRole,
    NewMessage,
    Queued,
    Saved,
    Started,
    StoredMessage,
    Token,
    Transition,
    Unanswered,
    explain_refusal,
    token_hash,
)
from ._sql import SqlConversationStore

__all__ = ["MAX_TEXT_CHARS", "OPEN", "STATUSES", "AdSlot", "Applied", "Change", "ChatEvent", "Conversation",
           "ConversationStatus", "ConversationStore", "ConversationSummary", "Escalated", "MemoryConversationStore",
           "MessageRole", "NewMessage", "Queued", "Saved", "SqlConversationStore", "Started", "StoredMessage", "Token",
           "Transition", "Unanswered", "explain_refusal", "token_hash"]
