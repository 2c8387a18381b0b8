"""What the feed, the blindspot feed and the outlet pages list: every story's coverage, from the store's columns.

The catalog is rebuilt from ``Store.listing_rows`` (one query, no article text) when the store has changed since
the last build, at most once per ``REFRESH_SECONDS``, so listings are filtered and paged in memory and a reader is
never made to wait on ingest. Coverage follows the analysis' rules (``analysis.coverage``): aggregator pages and
copies are not coverage, and outlets are counted once however many of their articles a story has.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from ..analysis.coverage import STATE_OWNERSHIP, blindspot, lean_side
from ..errors import InputError
from ..models import Outlet
from ..outlets.registry import name_key
from ..store.base import ListingRow, Store, decode_cursor, encode_cursor

REFRESH_SECONDS = 2.0
LEANS = ("left", "lean_left", "center", "lean_right", "right")


def outlet_key(name: str) -> str:
    """The outlet's key in addresses (/outlets/{key}).

    >>> outlet_key("The Guardian"), outlet_key("U.S. News & World Report")
    ('guardian', 'us-news-and-world-report')
    """
    return name_key(name).replace(" ", "-") or "unnamed"


@dataclass
class StoryEntry:
    id: str
    title: str | None
    articles: int
    outlets: list[str]
    leans: dict[str, int]
    countries: dict[str, int]
    ownership: dict[str, int]
    state_media: list[str]
    blindspot: str | None
    side: str | None
    """'left' or 'right' when the rated outlets lean that way only (the blindspot feed), else None."""
    first_published: str | None
    last_published: str | None
    last_added: str
    article_ids: list[str] = field(default_factory=list)

    @property
    def sort_key(self) -> tuple[str, str, str]:
        return (self.last_published or "", self.last_added, self.id)

    def as_json(self) -> dict:
        return {"id": self.id, "title": self.title, "articles": self.articles, "outlets": self.outlets,
                "leans": self.leans, "countries": self.countries, "ownership": self.ownership,
                "state_media": self.state_media, "blindspot": self.blindspot, "one_side": self.side,
                "first_published": self.first_published, "last_published": self.last_published,
                "last_added": self.last_added}


@dataclass
class OutletEntry:
    key: str
    name: str
    lean: str | None
    country: str | None
    ownership: str | None
    articles: int = 0
    stories: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Filters:
    since: str | None = None
    min_outlets: int | None = None
    lean: str | None = None
    country: str | None = None
    outlet: str | None = None
    one_side: bool = False
    stories: frozenset[str] | None = None
    """Only these story ids (a search's), when given."""


def parse_since(value: str | None, now: datetime | None = None) -> str | None:
    """An age (``12h``, ``2d``, ``1w``) or a date (``2025-12-14``) as the ISO timestamp a listing starts from.

    >>> parse_since("2d", datetime(2025, 12, 16, 9, 30, tzinfo=timezone.utc)), parse_since("2025-12-14")
    ('2025-12-14T09:30:00+00:00', '2025-12-14')
    """
    if not value:
        return None
    value = value.strip()
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([hdw])", value.lower())
    if match:
        hours = float(match.group(1)) * {"h": 1, "d": 24, "w": 168}[match.group(2)]
        start = (now or datetime.now(timezone.utc)) - timedelta(hours=hours)
        return start.replace(microsecond=0).isoformat()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    raise InputError(f"'{value}' is neither an age nor a date", source="since",
                     hint="write an age such as 12h, 2d or 1w, or a date such as 2025-12-14")


class Catalog:
    """Story and outlet listings over a store; ``current()`` gives a snapshot that is rebuilt when stale."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._version: int | None = None
        self._checked = 0.0
        self._building = False
        self._snapshot = Snapshot([])

    def current(self) -> "Snapshot":
        """The newest snapshot; when it may be stale, a rebuild starts in the background and readers keep the one
        they have meanwhile (a rebuild of 15,000 articles takes a quarter of a second)."""
        if self._version is None:
            with self._lock:
                if self._version is None:
                    self._rebuild()
            return self._snapshot
        if time.monotonic() - self._checked >= REFRESH_SECONDS and not self._building:
            self._building = True
            threading.Thread(target=self._check, name="newsprism-catalog", daemon=True).start()
        return self._snapshot

    def _check(self) -> None:
        try:
            with self._lock:
                if self.store.data_version() != self._version:
                    self._rebuild()
                self._checked = time.monotonic()
        finally:
            self._building = False

    def _rebuild(self) -> None:
        version = self.store.data_version()
        self._snapshot = Snapshot(self.store.listing_rows())
        self._version, self._checked = version, time.monotonic()

    def refresh(self) -> "Snapshot":
        """Rebuild now (after an ingest this server ran, so that its answer and the next listing agree)."""
        with self._lock:
            self._rebuild()
        return self._snapshot


class Snapshot:
    def __init__(self, rows: list[ListingRow]) -> None:
        by_story: dict[str, list[ListingRow]] = defaultdict(list)
        for row in rows:
            by_story[row.story].append(row)
        # Newest first (by last publication, then last stored), ties by id: the store's own listing order.
        entries = sorted((_entry(sid, members) for sid, members in by_story.items()), key=lambda e: e.id)
        self.stories = sorted(entries, key=lambda e: e.sort_key[:2], reverse=True)
        self.by_id = {e.id: e for e in self.stories}
        self.story_of = {row.article: row.story for row in rows}
        self.outlets: dict[str, OutletEntry] = {}
        for row in rows:
            if not row.outlet:
                continue
            key = outlet_key(row.outlet)
            entry = self.outlets.setdefault(key, OutletEntry(key, row.outlet, row.lean, row.country, row.ownership))
            entry.articles += 1
            if row.story not in entry.stories:
                entry.stories.append(row.story)
        self.articles = len(rows)
        self.countries = sorted({c for e in self.stories for c in e.countries})

    def ranked_outlets(self) -> list[OutletEntry]:
        """The outlets with the most articles first (ties by key)."""
        return sorted(self.outlets.values(), key=lambda o: (-o.articles, o.key))

    def page(self, filters: Filters, limit: int, cursor: str | None = None) -> tuple[list[StoryEntry], str | None]:
        """Stories newest first that pass ``filters``: ``limit`` of them after ``cursor``, and the next cursor."""
        after = tuple(decode_cursor(cursor)) if cursor else None
        out: list[StoryEntry] = []
        for entry in self.stories:
            if after is not None and not _after(entry.sort_key, after):
                continue
            if not _passes(entry, filters):
                continue
            if len(out) == limit:
                last = out[-1]
                return out, encode_cursor(list(last.sort_key))
            out.append(entry)
        return out, None


def _after(key: tuple[str, str, str], cursor: tuple) -> bool:
    published, added, story = cursor
    return key[0] < published or (key[0] == published and (key[1] < added or (key[1] == added and key[2] > story)))


def _passes(entry: StoryEntry, f: Filters) -> bool:
    if f.stories is not None and entry.id not in f.stories:
        return False
    if f.since and not ((entry.last_published or "") >= f.since[:10] or entry.last_added >= f.since):
        return False
    if f.min_outlets and len(entry.outlets) < f.min_outlets:
        return False
    if f.lean and not entry.leans.get(f.lean):
        return False
    if f.country and not entry.countries.get(f.country.upper()):
        return False
    if f.outlet and outlet_key(f.outlet) not in {outlet_key(o) for o in entry.outlets}:
        return False
    if f.one_side and not entry.side:
        return False
    return True


def _entry(story_id: str, members: list[ListingRow]) -> StoryEntry:
    reports = [m for m in members if m.kind != "aggregator" and not m.duplicate_of]
    outlets: dict[str, Outlet] = {}
    for m in reports:
        if m.outlet:
            outlets.setdefault(m.outlet, Outlet(name=m.outlet, lean=m.lean, country=m.country,
                                                ownership=m.ownership))
    found = list(outlets.values())
    side = lean_side(found)
    dates = sorted(m.published for m in members if m.published)
    return StoryEntry(
        id=story_id, title=next((m.title for m in members if m.title), None), articles=len(members),
        outlets=[o.name for o in found], leans=dict(Counter(o.lean or "unknown" for o in found)),
        countries=dict(Counter(o.country for o in found if o.country).most_common()),
        ownership=dict(Counter(o.ownership for o in found if o.ownership).most_common()),
        state_media=sorted(o.name for o in found if o.ownership in STATE_OWNERSHIP),
        blindspot=blindspot(found) if len(found) > 1 else None, side=side[0] if side else None,
        first_published=dates[0] if dates else None, last_published=dates[-1] if dates else None,
        last_added=max(m.added_at for m in members), article_ids=[m.article for m in members])


def outlet_record(store: Store, entry: OutletEntry, limit: int = 200) -> dict:
    """What an outlet's page shows beyond the registry, from the stored analyses of its latest ``limit`` stories:
    how many of its facts another outlet corroborates, its single-source facts, and the conflicts it is part of."""
    import json

    facts = corroborated = analysed = 0
    single: list[dict] = []
    conflicts: list[dict] = []
    for story in entry.stories[-limit:][::-1]:
        latest = store.latest_analysis(story)
        if latest is None:
            continue
        analysed += 1
        report = json.loads(latest[1])
        outlet_of = {a["id"]: (a.get("outlet") or {}).get("name") for a in report["articles"]}
        mine = {a for a, name in outlet_of.items() if name == entry.name}
        for fact in report["facts"]:
            cited = set(fact["articles"])
            if not mine & cited:
                continue
            facts += 1
            if any(outlet_of.get(a) != entry.name for a in cited - mine):
                corroborated += 1
            elif len(single) < 100:
                single.append({"story": story, "fact": fact["id"], "text": fact["text"]})
        for conflict in report["conflicts"]:
            if any(claim["article"] in mine for claim in conflict["claims"]) and len(conflicts) < 100:
                conflicts.append({"story": story, "kind": conflict["kind"], "description": conflict["description"],
                                  "claims": [{"outlet": outlet_of.get(c["article"]), "text": c["text"]}
                                             for c in conflict["claims"]]})
    return {"story_ids": entry.stories[::-1], "analysed_stories": analysed, "facts": facts,
            "corroborated": corroborated, "corroborated_share": round(corroborated / facts, 3) if facts else None,
            "single_source": single, "conflicts": conflicts}
