"""How a server runs: its store, address, token and limits, checked once when it starts."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

MIN_TOKEN_CHARS = 16


@dataclass(frozen=True)
class ServeSettings:
    db: str = "newsprism.db"
    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None
    """Every write needs it (Authorization: Bearer, or a session cookie from signing in with it); None: no writes."""
    cors: bool = False
    allow_private: bool = False
    """Let URLs given to the server resolve to private and loopback addresses (off: refused, as in ingest)."""
    max_body: int = 20 * 1024 * 1024
    """Largest request body (JSON or upload) in bytes."""
    writes_per_minute: int = 30
    """POST requests a client (by address) may make per minute before 429."""
    max_analyze_records: int = 200
    analyse: bool = True
    """Keep every story's stored analysis current (in the worker process, newest change first)."""
    embedder: str | None = None
    outlet_files: tuple[str, ...] = ()
    """Outlet lists (CSV) added to the shipped registry, as ``--outlets`` in ingest."""
    page_size: int = 30
    watch: bool = False
    """Follow the store's feeds (``newsprism watch``) in a process of its own while serving."""
    watch_policy: object = None
    """The watcher's ``WatchPolicy`` (None: the defaults)."""
    quiet: bool = False
    """Log only problems (the watcher's round lines too)."""

    def __post_init__(self) -> None:
        if self.token is not None and len(self.token) < MIN_TOKEN_CHARS:
            raise InputError(f"the token is {len(self.token)} characters; at least {MIN_TOKEN_CHARS} are needed",
                             source="token", hint="make one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'")
        if not 0 < self.port < 65536:
            raise InputError(f"{self.port} is not a port number", source="--port", hint="give a port from 1 to 65535")

    @property
    def session_key(self) -> bytes:
        """The key session cookies are signed with: derived from the token, so a new token signs everyone out."""
        return hashlib.sha256(b"newsprism-session\0" + (self.token or "").encode("utf-8")).digest()


def read_token(token_file: str | None) -> str | None:
    """The write token: from ``token_file`` (its first line), else NEWSPRISM_TOKEN, else None."""
    if token_file:
        try:
            text = Path(token_file).read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot read the token file ({exc.strerror or exc})", source=token_file,
                             hint="check the path, or set NEWSPRISM_TOKEN instead") from None
        token = text.strip().splitlines()[0].strip() if text.strip() else ""
        if not token:
            raise InputError("the token file is empty", source=token_file, hint="write the token on its first line")
        return token
    return os.environ.get("NEWSPRISM_TOKEN") or None
