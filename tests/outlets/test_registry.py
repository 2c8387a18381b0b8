"""The outlet registry: shipped data, lookups by address and name, self-naming lines, and a user's own files."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from helpers import SEEDS, need_shared
from newsprism.errors import InputError
from newsprism.models import Outlet
from newsprism.outlets import OutletRegistry, default_registry, host_of
from newsprism.outlets.registry import ALLSIDES_FILE, ALLSIDES_SOURCE, COLUMNS, OUTLETS_FILE, read_outlets

HEADER = ",".join(COLUMNS)


@pytest.fixture(scope="module")
def registry() -> OutletRegistry:
    return default_registry()


def _rows() -> list[dict[str, str]]:
    with OUTLETS_FILE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _user_file(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "my-outlets.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


# --- shipped data -----------------------------------------------------------------------------------------------

def test_registry_ships_at_least_150_outlets(registry):
    assert len(registry) >= 150
    assert len(registry) == len(_rows())


def test_registry_every_shipped_row_is_valid(registry):
    rows = _rows()
    assert list(rows[0]) == list(COLUMNS)
    for row in rows:
        assert row["name"].strip() == row["name"] and row["name"]
        for domain in filter(None, row["domains"].split("|")):
            assert host_of(domain) == domain, f"{row['name']}: write {domain!r} as a bare host"
        assert row["country"] == "" or (len(row["country"]) == 2 and row["country"].isupper())
    for outlet in registry:
        Outlet.model_validate(outlet.model_dump())


def test_registry_domains_are_unique():
    domains = Counter(d for row in _rows() for d in row["domains"].split("|") if d)
    assert [d for d, n in domains.items() if n > 1] == []


def test_registry_own_lean_column_is_empty_and_every_lean_names_its_source(registry):
    # Our own data states no lean: every lean comes from a published rating, which it names.
    assert all(not row["lean"] and not row["rating_source"] for row in _rows())
    rated = [outlet for outlet in registry if outlet.lean]
    assert len(rated) >= 50
    assert all(outlet.rating_source == ALLSIDES_SOURCE for outlet in rated)
    assert all(outlet.rating_source is None for outlet in registry if outlet.lean is None)


def test_registry_aggregators_are_marked_in_notes(registry):
    notes = {entry.outlet.name: entry.notes for entry in registry.entries}
    for name in ("Ground News", "Yahoo News", "Google News", "MSN"):
        assert "aggregator" in notes[name]


@pytest.mark.parametrize(("name", "country", "ownership"), [
    ("Press TV", "IR", "state-owned"),
    ("RT", "RU", "state-owned"),
    ("Sputnik", "RU", "state-owned"),
    ("Xinhua", "CN", "state-owned"),
    ("CGTN", "CN", "state-owned"),
    ("Tasnim", "IR", "state-affiliated"),
    ("Al Jazeera", "QA", "state-owned"),
    ("KCNA", "KP", "state-owned"),
    ("BBC", "GB", "public"),
    ("CBC", "CA", "public"),
    ("ABC Australia", "AU", "public"),
    ("Deutsche Welle", "DE", "public"),
    ("Voice of America", "US", "public"),
    ("NPR", "US", "nonprofit"),
    ("AP", "US", "cooperative"),
    ("The Daily Telegraph", "GB", "private"),
    ("Dawn", "PK", "private"),
])
def test_registry_knows_country_and_ownership(registry, name, country, ownership):
    outlet = registry.by_name(name)
    assert outlet is not None, name
    assert (outlet.country, outlet.ownership) == (country, ownership)


def test_registry_unknown_cells_stay_null(registry):
    worthy = registry.by_name("Worthy News")
    assert worthy is not None and worthy.ownership is None and worthy.owner is None and worthy.lean is None


# --- AllSides ratings ---------------------------------------------------------------------------------------------

def test_registry_allsides_file_keeps_only_attributed_columns():
    with ALLSIDES_FILE.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["news_source", "rating", "type", "url", "confidence_level"]
        assert all(row["type"] != "Author" for row in reader)
    assert "CC BY-NC 4.0" in (ALLSIDES_FILE.parent / "ATTRIBUTION.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "lean"), [
    ("CNN", "lean_left"),            # news rating preferred over "CNN - Editorial" (left)
    ("Fox News", "lean_right"),      # "Fox Online News", not "Fox News Opinion"
    ("The New York Times", "lean_left"),
    ("The Wall Street Journal", "center"),
    ("NPR", "center"),
    ("The Daily Telegraph", "lean_right"),  # "The Telegraph - UK"
    ("Breitbart", "right"),
    ("Reuters", "center"),
])
def test_registry_joins_allsides_news_ratings(registry, name, lean):
    outlet = registry.by_name(name)
    assert outlet is not None and outlet.lean == lean and outlet.rating_source == ALLSIDES_SOURCE


def test_registry_mixed_or_missing_ratings_give_no_lean(registry):
    assert registry.by_name("AllSides").lean is None  # rated "allsides" (mixed)
    assert registry.by_name("Press TV").lean is None  # not rated
    assert registry.by_name("Bearing Drift") is None  # rated by AllSides, but not a registry outlet


def test_registry_without_the_ratings_file_has_no_lean(monkeypatch, tmp_path):
    # The AllSides file is non-commercial; a packager may remove it, and only the leans go with it.
    from newsprism.outlets import ratings

    monkeypatch.setattr(ratings, "ALLSIDES_FILE", tmp_path / "absent.csv")
    ratings.allsides_ratings.cache_clear()
    try:
        registry = OutletRegistry.load()
    finally:
        ratings.allsides_ratings.cache_clear()
    assert len(registry) == len(default_registry())
    assert all(outlet.lean is None and outlet.rating_source is None for outlet in registry)


# --- addresses ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("url", "name", "domain"), [
    ("https://edition.cnn.com/2025/12/14/europe/x/index.html", "CNN", "cnn.com"),
    ("https://www.bbc.co.uk/news/world-europe-1", "BBC News", "bbc.co.uk"),
    ("bbc.co.uk/news", "BBC News", "bbc.co.uk"),
    ("https://amp.theguardian.com/world/x", "The Guardian", "theguardian.com"),
    ("https://m.dailymail.co.uk/news/x.html", "Daily Mail", "dailymail.co.uk"),
    ("https://news.sky.com/story/x", "Sky News", "news.sky.com"),
    ("http://WWW.PRESSTV.IR:80/Detail/2025/12/14/1", "Press TV", "presstv.ir"),
    ("https://www-theguardian-com.cdn.ampproject.org/c/s/www.theguardian.com/x", "The Guardian", "theguardian.com"),
    ("https://english.news.cn/20251214/x/c.htm", "Xinhua", "news.cn"),
])
def test_registry_by_url_matches_host_or_parent_domain(registry, url, name, domain):
    outlet = registry.by_url(url)
    assert outlet is not None and (outlet.name, outlet.domain, outlet.matched_by) == (name, domain, "url")


@pytest.mark.parametrize("url", ["https://www.sky.com/broadband", "https://example.org/x", "", "http://[::1",
                                 "not a url at all", "https://co.uk/"])
def test_registry_by_url_unknown_is_none(registry, url):
    assert registry.by_url(url) is None


def test_registry_by_domain(registry):
    assert registry.by_domain("www.reuters.com").name == "Reuters"
    assert registry.by_domain("uk.news.yahoo.com").domain == "news.yahoo.com"


# --- names --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("written", "name"), [
    ("Reuters", "Reuters"),
    ("the guardian", "The Guardian"),
    ("Press TV", "Press TV"),
    ("PressTV", "Press TV"),
    ("BBC News", "BBC News"),
    ("AP", "Associated Press"),
    ("The Associated Press", "Associated Press"),
    ("Telegraph", "The Daily Telegraph"),
    ("RTE", "RTÉ News"),
    ("  WASHINGTON POST ", "The Washington Post"),
    ("reuters.com", "Reuters"),
])
def test_registry_by_name_matches_names_and_aliases(registry, written, name):
    outlet = registry.by_name(written)
    assert outlet is not None and outlet.name == name and outlet.matched_by == "record"


@pytest.mark.parametrize("written", ["", "Some Local Blog", "News", "example.com"])
def test_registry_by_name_unknown_is_none(registry, written):
    assert registry.by_name(written) is None


def test_registry_returns_fresh_copies(registry):
    first = registry.by_name("Reuters")
    first.matched_by = "site_name"
    first.country = "XX"
    again = registry.by_name("Reuters")
    assert (again.matched_by, again.country) == ("record", "GB")


def test_registry_default_is_loaded_once():
    assert default_registry() is default_registry()


# --- self-naming text ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "name"), [
    ("Talks went on.\n\nPress TV’s website can also be accessed at the following alternate addresses:", "Press TV"),
    ("Lorem ipsum.\n© 2025 The Guardian. All rights reserved.", "The Guardian"),
    ("Markets fell.\nCopyright Reuters", "Reuters"),
    ("Markets fell.\nCopyright © 2024-2025 Reuters", "Reuters"),
    ("Prices rose.\n\nSign up for the Telegraph newsletter", "The Daily Telegraph"),
    ("Prices rose. Subscribe to Dawn for more.", "Dawn"),
    ("Follow Press TV on Telegram", "Press TV"),
    ("Download the BBC News app for alerts.", "BBC News"),
    ("The BBC is not responsible for the content of external sites.", "BBC News"),
    ("MADRID (Worthy News) – A court ruled on Monday that...", "Worthy News"),
    ("LONDON, Dec 14 (Reuters) - Shares rose on Monday...", "Reuters"),
    ("KYIV, Ukraine (AP) — Officials said on Sunday...", "Associated Press"),
    ("by Jane Q. Public, Worthy News Asia Correspondent\nA ferry sank...", "Worthy News"),
    ("Ferry Sinks Off Coast, Dozens Rescued (Worthy News In-Depth)\nA ferry sank...", "Worthy News"),
    ("Ferry sinks off coast (AFP)\nA ferry sank on Monday...", "Agence France-Presse"),
    ("(CNN) — A storm made landfall on Sunday...", "CNN"),
    ("BEIJING, Dec. 14 (Xinhua) -- Officials said...", "Xinhua"),
    ("Home | About | © 2025 BBC", "BBC News"),
])
def test_registry_find_in_text_recognises_self_naming_lines(registry, text, name):
    outlet = registry.find_in_text(text)
    assert outlet is not None and outlet.name == name and outlet.matched_by == "text"


@pytest.mark.parametrize("text", [
    "The Daily Telegraph hailed the move as a concession.",
    "The minister told CNN on Sunday that talks would go on.",
    "A ship docked in the harbour. (Photo by AFP)",
    "Crowds gathered.\nA ship docked in the harbour at dawn. (Reuters)\nMore text follows here.",
    "According to Reuters, the talks stalled.",
    "The paper faces a copyright lawsuit against The New York Times.",
    "Readers who subscribe to The Times saw the story first.",
    "Crowds gathered.\nJane Doe (Independent) won the seat.",
    "For this reason (reason) we left.",
    "The NATO official (Reuters) - said nothing more.",
    "Envoys met in the capital. © Reuters",
    "Photo: © AFP",
    "© Reuters/Jane Doe",
    "BBC Sport: © 2025 Sky News Arabia",
    "",
])
def test_registry_find_in_text_ignores_mentions(registry, text):
    assert registry.find_in_text(text) is None


def test_registry_find_in_text_publisher_line_outranks_credit(registry):
    # A wire story on a newspaper's site: the site's own line names the publisher.
    text = "WASHINGTON (AP) — Lawmakers met.\n\n© 2025 The Seattle Times"
    assert registry.find_in_text(text).name == "The Seattle Times"


def test_registry_find_in_text_disagreeing_publishers_give_none(registry):
    assert registry.find_in_text("© 2025 Reuters\nSign up for the Telegraph newsletter") is None


def test_registry_find_in_text_on_seeds(registry):
    need_shared(SEEDS)
    by_prefix = {path.name[:3]: path.read_text(encoding="utf-8") for path in SEEDS.glob("*.txt")}
    if "002" not in by_prefix or "004" not in by_prefix:
        pytest.skip("seeds 002 and 004 not found in ../shared/seeds")
    assert registry.find_in_text(by_prefix["002"]).name == "Press TV"
    assert registry.find_in_text(by_prefix["004"]).name == "Worthy News"


# --- a user's own files -------------------------------------------------------------------------------------------

def test_registry_user_file_adds_and_overrides(tmp_path):
    path = _user_file(
        tmp_path,
        "Harbour Gazette,Gazette of the Harbour,harbourgazette.example,NZ,private,Harbour Media,,,local paper",
        "Reuters,,reuters.com|reuters.example,CA,private,Someone Else,center,My Ratings 2025,",
    )
    registry = OutletRegistry.load([path])
    assert len(registry) == len(default_registry()) + 1
    added = registry.by_url("https://www.harbourgazette.example/a")
    assert (added.name, added.country, added.ownership, added.lean) == ("Harbour Gazette", "NZ", "private", None)
    assert registry.by_name("gazette of the harbour").name == "Harbour Gazette"
    reuters = registry.by_name("Reuters")
    assert (reuters.country, reuters.owner, reuters.lean, reuters.rating_source) == (
        "CA", "Someone Else", "center", "My Ratings 2025")
    assert registry.by_url("https://reuters.example/x").name == "Reuters"
    assert registry.by_name("Thomson Reuters") is None  # the replaced row's aliases went with it
    assert default_registry().by_name("Reuters").country == "GB"


def test_registry_user_file_may_leave_out_optional_columns(tmp_path):
    path = tmp_path / "few.csv"
    path.write_text("name,domains\nHarbour Gazette,harbourgazette.example\n", encoding="utf-8")
    outlet = OutletRegistry.load([path]).by_name("Harbour Gazette")
    assert outlet.domain == "harbourgazette.example" and outlet.country is None


@pytest.mark.parametrize(("row", "message"), [
    ("Harbour Gazette,,harbourgazette.example,UK,private,,,,", "use GB"),
    ("Harbour Gazette,,harbourgazette.example,NZL,private,,,,", "alpha-2"),
    ("Harbour Gazette,,harbourgazette.example,NZ,governmental,,,,", "ownership"),
    ("Harbour Gazette,,harbourgazette.example,NZ,,,lean_left,,", "rating_source"),
    ("Harbour Gazette,,harbourgazette.example,NZ,,,leftish,Me,", "lean"),
    ("Harbour Gazette,,not a domain,NZ,,,,,", "not a domain"),
    (",,harbourgazette.example,NZ,,,,,", "name is empty"),
    ("Harbour Gazette,,harbourgazette.example,NZ,,,,,,extra", "more cells"),
])
def test_registry_user_file_bad_row_names_file_and_line(tmp_path, row, message):
    path = _user_file(tmp_path, "Fine Outlet,,fine.example,NZ,,,,,", row)
    with pytest.raises(InputError) as caught:
        OutletRegistry.load([path])
    line = caught.value.line()
    assert str(path) in line and "line 3" in line and message in line


def test_registry_user_file_duplicates_and_columns_are_errors(tmp_path):
    duplicate = _user_file(tmp_path, "One,,same.example,NZ,,,,,", "Two,,same.example,NZ,,,,,")
    with pytest.raises(InputError, match="also listed"):
        read_outlets(duplicate)
    unknown = tmp_path / "typo.csv"
    unknown.write_text("name,contry\nOne,NZ\n", encoding="utf-8")
    with pytest.raises(InputError, match="contry"):
        read_outlets(unknown)
    with pytest.raises(InputError, match="cannot read"):
        read_outlets(tmp_path / "missing.csv")
