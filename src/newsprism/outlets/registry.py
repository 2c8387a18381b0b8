"""Which outlet published this? The outlet registry answers from an address, a name, or the lines in which a page
names its own publisher. Its data is ``data/outlets.csv`` plus any CSV files a user adds (same columns).

>>> registry = default_registry()
>>> registry.by_url("https://edition.cnn.com/2025/01/01/world/x").domain
'cnn.com'
>>> registry.by_name("the guardian").country
'GB'
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import get_args
from urllib.parse import urlsplit

from ..errors import InputError, NewsprismError, SetupError
from ..models import Lean, Outlet, Ownership
from .self_naming import SelfNaming

DATA = Path(__file__).parent / "data"
OUTLETS_FILE = DATA / "outlets.csv"
ALLSIDES_FILE = DATA / "allsides_ratings.csv"
ALLSIDES_SOURCE = "AllSides (2019-10-18 snapshot)"

COLUMNS = ("name", "aliases", "domains", "country", "ownership", "owner", "lean", "rating_source", "notes")
OWNERSHIPS = get_args(Ownership)
LEANS = get_args(Lean)
_HOST = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$")
# Prefixes that name a rendering of the same site, not a different site.
_SAME_SITE_PREFIXES = ("www.", "amp.", "m.")


def name_key(name: str) -> str:
    """The form in which names are compared: no accents, case, punctuation or leading "The".

    >>> name_key("The Guardian") == name_key("guardian") == "guardian"
    True
    >>> name_key("U.S. News & World Report")
    'us news and world report'
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("&", " and ")
    text = re.sub(r"['’‘`.]", "", text)
    text = re.sub(r"[\W_]+", " ", text).strip()
    return re.sub(r"^the\s+", "", text)


def host_of(url: str) -> str | None:
    """The host of ``url`` (a scheme is optional), lower-case, without ``www.``/``amp.``/``m.``.

    >>> host_of("https://amp.theguardian.com/world/x"), host_of("bbc.co.uk/news")
    ('theguardian.com', 'bbc.co.uk')
    """
    text = url.strip()
    if not text:
        return None
    if "://" not in text and not text.startswith("//"):
        text = "//" + text
    try:
        host = urlsplit(text).hostname
    except ValueError:  # a malformed address (e.g. an unclosed IPv6 bracket) names no host
        return None
    if not host:
        return None
    host = host.rstrip(".")
    if host.endswith(".cdn.ampproject.org"):
        # Google's AMP cache encodes the origin host in its first label: "-" for ".", "--" for "-".
        host = host.split(".", 1)[0].replace("--", "\0").replace("-", ".").replace("\0", "-")
    stripped = True
    while stripped:
        stripped = False
        for prefix in _SAME_SITE_PREFIXES:
            if host.startswith(prefix) and "." in host[len(prefix):]:
                host, stripped = host[len(prefix):], True
    return host


@dataclass(frozen=True)
class OutletEntry:
    """One registry row: the outlet as reported, and what it is looked up by."""

    outlet: Outlet
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    notes: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.outlet.name, *self.aliases)


def _cells(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split("|") if part.strip())


def _entry(row: dict[str, str | None], problem) -> OutletEntry:
    """A validated entry from one CSV row; ``problem(message, hint)`` raises the file's kind of error."""
    cell = {column: (row.get(column) or "").strip() for column in COLUMNS}
    if not cell["name"]:
        problem("the name is empty", "every row needs a name")
    domains = []
    for written in _cells(cell["domains"]):
        host = host_of(written.lower())
        if host is None or not _HOST.match(host):
            problem(f"{written!r} is not a domain", "write a host name such as example.com")
        domains.append(host)
    country = cell["country"].upper() or None
    if country == "UK":
        problem("country 'UK' is not an ISO 3166-1 code", "use GB for the United Kingdom")
    if country and not re.fullmatch(r"[A-Z]{2}", country):
        problem(f"country {cell['country']!r} is not an ISO 3166-1 alpha-2 code", "use two letters, e.g. US, GB")
    ownership = cell["ownership"].lower() or None
    if ownership and ownership not in OWNERSHIPS:
        problem(f"ownership {cell['ownership']!r} is not known", f"use one of {', '.join(OWNERSHIPS)} or leave it empty")
    lean = cell["lean"].lower().replace("-", "_").replace(" ", "_") or None
    if lean and lean not in LEANS:
        problem(f"lean {cell['lean']!r} is not known", f"use one of {', '.join(LEANS)} or leave it empty")
    if bool(lean) != bool(cell["rating_source"]):
        problem("lean and rating_source must be given together",
                "a lean is only kept with the name of whoever published the rating")
    outlet = Outlet(name=cell["name"], domain=domains[0] if domains else None, country=country,
                    ownership=ownership, owner=cell["owner"] or None, lean=lean,
                    rating_source=cell["rating_source"] or None)
    return OutletEntry(outlet, _cells(cell["aliases"]), tuple(domains), cell["notes"])


def read_outlets(path: Path, *, shipped: bool = False) -> list[OutletEntry]:
    """The entries of one outlet CSV file, each row validated; a bad row stops with its file and line."""
    kind: type[NewsprismError] = SetupError if shipped else InputError
    fix = "reinstall newsprism" if shipped else "see docs/outlets.md for the columns"

    def fail(message: str, hint: str = fix, line: int | None = None):
        where = f"line {line}: " if line else ""
        raise kind(where + message, source=str(path), hint=hint)

    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        fail(f"cannot read the outlet file ({exc.strerror or exc})", "check the path")
    except UnicodeDecodeError:
        fail("the outlet file is not UTF-8 text", "save it as UTF-8 CSV")
    reader = csv.DictReader(text.splitlines(keepends=True))
    header = [column.strip() for column in reader.fieldnames or []]
    if "name" not in header:
        fail("the header has no 'name' column", f"start the file with the header {','.join(COLUMNS)}", 1)
    unknown = [column for column in header if column not in COLUMNS]
    if unknown:
        fail(f"unknown column(s) {', '.join(unknown)}", f"the columns are {','.join(COLUMNS)}", 1)
    reader.fieldnames = header
    entries: list[OutletEntry] = []
    seen_names: dict[str, tuple[int, str]] = {}
    seen_domains: dict[str, tuple[int, str]] = {}
    try:
        for row in reader:
            line = reader.line_num
            if None in row:
                fail("the row has more cells than the header", "quote cells that contain commas", line)
            if not any((value or "").strip() for value in row.values()):
                continue
            entry = _entry(row, lambda message, hint: fail(message, hint, line))
            for name in entry.names:
                other = seen_names.get(name_key(name))
                if other and other[1] != entry.outlet.name:
                    fail(f"the name {name!r} is also used by {other[1]!r} (line {other[0]})",
                         "every name and alias must pick out one outlet", line)
                seen_names[name_key(name)] = (line, entry.outlet.name)
            for domain in entry.domains:
                if domain in seen_domains:
                    other = seen_domains[domain]
                    fail(f"the domain {domain} is also listed for {other[1]!r} (line {other[0]})",
                         "every domain must belong to one outlet", line)
                seen_domains[domain] = (line, entry.outlet.name)
            entries.append(entry)
    except csv.Error as exc:
        fail(f"not valid CSV ({exc})", "check the quoting", reader.line_num)
    return entries


class OutletRegistry:
    """Outlets by domain, by name or alias, and by the way a page names its own publisher.

    Every lookup returns a fresh ``Outlet`` (callers may change ``matched_by``), or ``None`` when the registry
    does not know: it never guesses.
    """

    def __init__(self, entries: Sequence[OutletEntry]):
        self._entries = list(entries)
        self._by_name: dict[str, OutletEntry] = {}
        self._by_domain: dict[str, OutletEntry] = {}
        for entry in self._entries:  # later entries win, so a user's file overrides the shipped one
            for name in entry.names:
                self._by_name[name_key(name)] = entry
            for domain in entry.domains:
                self._by_domain[domain] = entry
        self._self_naming: SelfNaming | None = None

    @classmethod
    def load(cls, extra_files: Sequence[Path] = ()) -> "OutletRegistry":
        """The shipped registry, then each of ``extra_files`` in order, adding outlets or replacing them by name.

        A row whose name or alias names an outlet already known replaces that outlet entirely; its domains and
        aliases move to it. Published ratings (``data/allsides_ratings.csv``) are joined onto outlets that have
        no lean of their own.
        """
        entries = read_outlets(OUTLETS_FILE, shipped=True)
        for path in extra_files:
            for new in read_outlets(Path(path)):
                claimed = {name_key(name) for name in new.names}
                entries = [old for old in entries if not claimed & {name_key(n) for n in old.names}]
                entries.append(new)
        from .ratings import allsides_ratings  # the ratings join is its own question, kept in its own module

        ratings = allsides_ratings()
        return cls([ratings.apply(entry) for entry in entries])

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Outlet]:
        return (entry.outlet.model_copy() for entry in self._entries)

    @property
    def entries(self) -> tuple[OutletEntry, ...]:
        return tuple(self._entries)

    def by_url(self, url: str) -> Outlet | None:
        """The outlet whose domain is the URL's host or a parent of it (``edition.cnn.com`` → ``cnn.com``)."""
        host = host_of(url)
        if not host:
            return None
        labels = host.split(".")
        for start in range(len(labels) - 1):
            domain = ".".join(labels[start:])
            entry = self._by_domain.get(domain)
            if entry:
                return entry.outlet.model_copy(update={"domain": domain, "matched_by": "url"})
        return None

    def by_domain(self, domain: str) -> Outlet | None:
        """The outlet of ``domain`` or of its nearest listed parent domain."""
        return self.by_url(domain)

    def by_name(self, name: str) -> Outlet | None:
        """The outlet called ``name`` or known by it as an alias, compared by ``name_key``; a bare domain
        ("reuters.com") is looked up as a domain."""
        entry = self._by_name.get(name_key(name))
        if entry:
            return entry.outlet.model_copy(update={"matched_by": "record"})
        candidate = name.strip()
        if candidate and " " not in candidate and "." in candidate:
            found = self.by_domain(candidate)
            if found:
                found.matched_by = "record"
            return found
        return None

    def find_in_text(self, text: str) -> Outlet | None:
        """The outlet a page names as its own publisher (copyright line, own website or newsletter, dateline
        or byline credit), or ``None`` when it names none, or several that disagree. Mentions ("told CNN",
        "the Telegraph reported") are not publisher lines."""
        if self._self_naming is None:
            self._self_naming = SelfNaming([(i, entry.names) for i, entry in enumerate(self._entries)])
        index = self._self_naming.publisher(text)
        if index is None:
            return None
        return self._entries[index].outlet.model_copy(update={"matched_by": "text"})


@functools.cache
def default_registry() -> OutletRegistry:
    """The shipped registry, loaded once per process."""
    return OutletRegistry.load()
