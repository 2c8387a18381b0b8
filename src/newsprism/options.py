"""One options object for everything that reads input and analyses it, so entry points do not each grow the same
arguments. Options are checked when they are made: a wrong value fails at once, with a message that names the fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ._version import __version__

MiB = 1024 * 1024


class OptionError(ValueError):
    """An option has a value newsprism cannot use; the message says which and what to give instead."""


@dataclass(frozen=True)
class Options:
    """How newsprism reads its inputs and which models analyse them.

    >>> Options().max_bytes == 20 * MiB
    True
    >>> Options(timeout=0)
    Traceback (most recent call last):
    ...
    newsprism.options.OptionError: timeout must be a positive number of seconds, not 0 — e.g. --timeout 20
    """

    allow_private: bool = False
    """Fetch URLs whose host resolves to a private, loopback or link-local address (off: such URLs are refused)."""
    timeout: float = 20.0
    """Seconds allowed for connecting and for each read when fetching a URL."""
    max_bytes: int = 20 * MiB
    """Largest input accepted, after decompression: a file, a download or one JSON Lines record."""
    max_redirects: int = 5
    max_words: int = 100_000
    """Most words of one article's text that are analysed; beyond it the text is cut with a warning
    (``ingest/limits.py``). A long feature runs to 10,000 words; a book to 100,000."""
    max_chars: int = 1_000_000
    """Most characters of one article's text that are analysed (the same rule)."""
    user_agent: str = f"newsprism/{__version__} (+https://pypi.org/project/newsprism/)"
    outlet_files: tuple[Path, ...] = field(default_factory=tuple)
    """Extra outlet registry files (CSV, same columns as the shipped one) that add to or override it."""
    embedder: str | None = None
    """The sentence embedder by name (``nlp.embed.EMBEDDERS``); None: ``NEWSPRISM_EMBEDDER``, else the default."""

    def __post_init__(self) -> None:
        if not isinstance(self.timeout, (int, float)) or not self.timeout > 0:
            raise OptionError(f"timeout must be a positive number of seconds, not {self.timeout!r} — "
                              "e.g. --timeout 20")
        if not isinstance(self.max_bytes, int) or self.max_bytes < 1:
            raise OptionError(f"max_bytes must be a positive number of bytes, not {self.max_bytes!r} — "
                              "e.g. --max-bytes 20 (MB)")
        for name, example in (("max_words", "--max-words 100000"), ("max_chars", "--max-chars 1000000")):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise OptionError(f"{name} must be a positive whole number, not {value!r} — e.g. {example}")
        if not isinstance(self.max_redirects, int) or self.max_redirects < 0:
            raise OptionError(f"max_redirects must be 0 or more, not {self.max_redirects!r}")
        object.__setattr__(self, "outlet_files", tuple(Path(p) for p in self.outlet_files))
        for path in self.outlet_files:
            if not path.is_file():
                raise OptionError(f"outlet registry file {path}: no such file — give a CSV with the registry's "
                                  "columns (docs/outlets.md)")
        if self.embedder is not None:
            from .nlp.embed import EMBEDDERS

            if self.embedder.strip().lower() not in EMBEDDERS:
                raise OptionError(f"unknown embedder '{self.embedder}' — choose one of: "
                                  f"{', '.join(sorted(EMBEDDERS))}")
