"""The HTTP API adapter (FastAPI) over ChatService; see docs/http_api.md and docs/security.md."""

from ._app import MAX_BODY_BYTES, create_api
from ._hardening import Hardening, header_timeout_protocol

__all__ = ["MAX_BODY_BYTES", "Hardening", "create_api", "header_timeout_protocol"]
