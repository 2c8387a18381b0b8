"""One options object for everything that reads input, so entry points do not each grow the same arguments."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ._version import __version__

MiB = 1024 * 1024


@dataclass(frozen=True)
class Options:
    """How newsprism reads its inputs.

    >>> Options().max_bytes == 20 * MiB
    True
    """

    allow_private: bool = False
    """Fetch URLs whose host resolves to a private, loopback or link-local address (off: such URLs are refused)."""
    timeout: float = 20.0
    """Seconds allowed for connecting and for each read when fetching a URL."""
    max_bytes: int = 20 * MiB
    """Largest input accepted, after decompression: a file, a download or one JSON Lines record."""
    max_redirects: int = 5
    user_agent: str = f"newsprism/{__version__} (+https://pypi.org/project/newsprism/)"
    outlet_files: tuple[Path, ...] = field(default_factory=tuple)
    """Extra outlet registry files (CSV, same columns as the shipped one) that add to or override it."""
