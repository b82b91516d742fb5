"""The staff side: accounts, sessions and the audit log (``StaffDirectory`` over a
``StaffStore``), the console's operations on conversations (``StaffOps``), and analytics."""

from ._accounts import MIN_PASSWORD, SESSION_SECONDS, Hasher, StaffDirectory, password_problem
from ._analytics import HISTORY_DAYS, AdStats, Analytics, cached_for, compute_analytics
from ._memory import MemoryStaffStore
from ._model import (
    KNOWN_CLIENTS,
    ROLES,
    ConversationDetail,
    QueueItem,
    StaffAccount,
    StaffRole,
    StaffSession,
    StaffStore,
)
from ._ops import DRAFT_FALLBACK, StaffOps
from ._sql import SqlStaffStore

__all__ = [
    "DRAFT_FALLBACK",
    "HISTORY_DAYS",
    "KNOWN_CLIENTS",
    "MIN_PASSWORD",
    "ROLES",
    "SESSION_SECONDS",
    "AdStats",
    "Analytics",
    "ConversationDetail",
    "Hasher",
    "MemoryStaffStore",
    "QueueItem",
    "SqlStaffStore",
    "StaffAccount",
    "StaffDirectory",
    "StaffOps",
    "StaffRole",
    "StaffSession",
    "StaffStore",
    "cached_for",
    "compute_analytics",
    "password_problem",
]
