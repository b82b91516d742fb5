"""The HTTP API adapter (FastAPI) over ChatService; see docs/http_api.md."""

from ._app import MAX_BODY_BYTES, create_api

__all__ = ["MAX_BODY_BYTES", "create_api"]
