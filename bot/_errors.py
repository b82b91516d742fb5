"""Errors of the conversation and staff layers, by audience (STYLE rule 6).

All are ``InputError``s (the caller's request is refused, nothing was written), so every
adapter already shows their message as is; the HTTP API maps each class to its status.
"""

from __future__ import annotations

from retrieval import InputError


class ConflictError(InputError):
    """The state machine refused the action (already claimed, resolved, not the assignee...)."""


class AuthError(InputError):
    """Unknown or expired credentials (HTTP 401)."""


class ForbiddenError(AuthError):
    """Known staff member without the role the action needs (HTTP 403)."""
