"""Errors newsprism raises. The CLI turns each into one line: ``error: <input>: <what is wrong> — <what to do>``.

``InputError`` means the input itself is bad and retrying will not help; ``TransientError`` means it failed for
now (network, a locked file) and a later run may succeed.
"""

from __future__ import annotations


class NewsprismError(Exception):
    """Base class. ``source`` names the input, ``hint`` says what the user can do about it."""

    def __init__(self, message: str, *, source: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.source = source
        self.hint = hint

    def line(self) -> str:
        where = f"{self.source}: " if self.source else ""
        hint = f" — {self.hint}" if self.hint else ""
        return f"error: {where}{self.message}{hint}"

    def __str__(self) -> str:
        return self.line()[len("error: "):]


class InputError(NewsprismError):
    """The input is bad (missing, empty, binary, too large, not an article): never retry."""


class TransientError(NewsprismError):
    """The input could not be read for now (network, timeout): a retry may succeed."""

    retry_after: float | None = None
    """Seconds the server asked us to wait before trying again (``Retry-After`` on a 429 or 503), if it did."""


class SetupError(NewsprismError):
    """newsprism itself is not installed correctly (a model missing or corrupt)."""
