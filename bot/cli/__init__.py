"""The ``shoptalk`` command line: a thin adapter over the core (DESIGN.md, contract 2).

Each command group lives in its own module and registers on the shared Typer app on import.
"""

from __future__ import annotations

import logging
import sys

from retrieval import ShopTalkError, configure_torch_threads

from .._settings import torch_threads_from_env
from ..safety import install_log_redaction
from . import (
    _chat_cmds,  # noqa: F401  (registers commands)
    _eval_conversations,  # noqa: F401
    _eval_intents,  # noqa: F401
    _eval_recs,  # noqa: F401  (registers `eval recs`)
    _eval_retrieval,  # noqa: F401  (registers `eval retrieval`, `tune-embedder`)
    _eval_writer,  # noqa: F401  (registers `eval writer`)
    _serve,  # noqa: F401  (registers `serve`)
    _shop_cmds,  # noqa: F401
    _staff_cmds,  # noqa: F401  (registers `staff list|add|passwd|disable|enable|revoke`)
    _train_cmds,  # noqa: F401  (registers `train-click-model`, `tune-writer`)
)
from ._app import app, eval_app

__all__ = ["app", "eval_app", "main"]


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    install_log_redaction()  # PII never reaches the logs
    try:
        # Before any model loads, for every command (see retrieval.configure_torch_threads for why).
        configure_torch_threads(torch_threads_from_env())
        app()
    except ShopTalkError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
