"""One root exception, split by audience.

* ``InputError``   - the caller (shopper, staff, API client) sent something wrong; the message
                     is safe to show them and says how to fix it.
* ``ConfigError``  - the operator misconfigured the deployment (bad path, unknown backend).
* ``RecordError``  - one bad record in a shop file; carries file and line so a merchant can fix it.

Every package raises these (or subclasses); nothing logs and re-raises the same error.
"""

from __future__ import annotations


class ShopTalkError(Exception):
    """Root of every error ShopTalk raises on purpose."""


class InputError(ShopTalkError):
    """Bad input from a caller; the message is meant for them."""


class NotFoundError(InputError):
    """A well-formed id that names nothing (unknown product, order, conversation...)."""


class ConfigError(ShopTalkError):
    """The deployment is misconfigured; the message names the setting and the fix."""


class RecordError(ShopTalkError):
    """A malformed record in a shop file, located by file and line."""

    def __init__(self, file: str, line: int, message: str):
        self.file = file
        self.line = line
        self.message = message
        super().__init__(f"{file}:{line}: {message}")
