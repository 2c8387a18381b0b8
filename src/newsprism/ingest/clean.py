"""Which lines of a saved page are reporting, and which are page furniture (menus, share buttons, promos, counters).

Lines are judged by their shape, never by a list of known strings: how long they are, whether they read as a
sentence, whether they address the reader with a call to action, whether they are only addresses, counters or
navigation, whether they repeat, and where they stand (furniture gathers before the first paragraph of reporting
and after the last). Every line taken out is kept in ``removed``, in order, so nothing is lost silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from ..lang import supported
from ..text.words import words

_TERMINAL = re.compile(r"""[.!?…:;]["'”’»)\]]*\s*$""")
_QUOTE_CHARS = "\"“”«»„"

_ADDRESS = re.compile(r"^(?:https?://\S+|(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:/\S*)?)$", re.IGNORECASE)
_NAV_SEPARATORS = re.compile(r"\s+(?:/|\||>|»|›|•|·)\s+")
_NAME = r"[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}"


@dataclass(frozen=True)
class _Furniture:
    call_to_action: re.Pattern
    """A short line that starts with a verb or phrase a page addresses its reader with: a button or promo."""
    upsell: re.Pattern
    """"please upgrade", "to read … subscribe": a paywall or upsell anywhere in a short line."""
    counter: re.Pattern
    caption: re.Pattern
    byline: re.Pattern
    author_separator: re.Pattern


def _alternatives(fragments) -> str:
    return "|".join(dict.fromkeys(fragments))


@cache
def furniture_patterns() -> _Furniture:
    """The furniture phrases of every language with resources, joined: cleaning runs before the language is known."""
    tables = [lang.furniture for lang in supported()]

    def joined(key: str) -> str:
        return _alternatives(f for table in tables for f in table[key] if isinstance(table[key], list))

    by = _alternatives(table["byline"] for table in tables)
    conjunction = _alternatives(table["byline_and"] for table in tables)
    return _Furniture(
        call_to_action=re.compile(rf"^(?:[-–•*>]\s*)?(?:{joined('call_to_action')})\b", re.IGNORECASE),
        upsell=re.compile(rf"\b(?:{joined('upsell')})\b", re.IGNORECASE),
        counter=re.compile(rf"^\d[\d,.]*\s*[kKmM]?\+?\s+(?:{joined('counter_nouns')})$", re.IGNORECASE),
        caption=re.compile(rf"(?:{joined('caption')})", re.IGNORECASE),
        byline=re.compile(rf"^(?:{by})\s+({_NAME}(?:\s+(?:{conjunction})\s+{_NAME})?)\s*$"),
        author_separator=re.compile(rf"\s+(?:{conjunction})\s+"),
    )


def is_sentence_like(line: str) -> bool:
    """A line of reporting: several words that end like a sentence, or a long run of words."""
    n = len(words(line))
    return (n >= 8 and bool(_TERMINAL.search(line))) or n >= 25


def is_title_like(line: str) -> bool:
    """A headline or sub-heading: a handful of words that do not end like a sentence (a question may)."""
    n = len(words(line))
    stripped = line.rstrip()
    return 2 <= n <= 30 and (not _TERMINAL.search(stripped) or stripped.endswith("?"))


@dataclass
class Line:
    text: str
    label: str
    """'blank', 'prose', 'title', 'caption', 'furniture', 'byline'."""
    reason: str = ""


def furniture_reason(line: str) -> str:
    """Why ``line`` is page furniture wherever it stands, or '' when it may be reporting."""
    stripped = line.strip().strip("-–•*").strip()
    n = len(words(stripped))
    if not stripped:
        return ""
    patterns = furniture_patterns()
    if _ADDRESS.match(stripped):
        return "web address"
    if patterns.counter.match(stripped):
        return "counter"
    if n <= 12 and patterns.call_to_action.match(stripped) and not is_sentence_like(stripped):
        return "call to action"
    if n <= 20 and patterns.upsell.search(stripped):
        return "upsell"
    if n <= 10 and len(_NAV_SEPARATORS.split(stripped)) >= 2:
        parts = _NAV_SEPARATORS.split(stripped)
        if all(len(words(p)) <= 3 for p in parts):
            return "navigation"
    if 1 <= n <= 6 and stripped.upper() == stripped and any(c.isalpha() for c in stripped) \
            and not _TERMINAL.search(stripped):
        return "all-caps label"
    if n == 0:
        return "symbols only"
    return ""


def _is_reader_prompt(line: str) -> bool:
    # "Know something we missed? Have a correction?": questions put to the reader, not quoted, short.
    sentences = [s for s in re.split(r"(?<=\?)\s+", line.strip()) if s]
    return (bool(sentences) and all(s.endswith("?") for s in sentences)
            and len(words(line)) <= 20 and not any(q in line for q in _QUOTE_CHARS))


def classify(lines: list[str], *, positional: bool = True) -> list[Line]:
    """Label every line.

    With ``positional`` (text as a person saved it from a page), position matters too: outside the span of
    reporting, short non-sentences are furniture. Text that an extractor or a record already cut to the article
    is judged line by line only, since lists and tables inside an article are short non-sentences as well.
    """
    out: list[Line] = []
    seen: set[str] = set()
    for raw in lines:
        text = raw.replace("\u00a0", " ").rstrip()
        key = re.sub(r"\s+", " ", text.strip().lower())
        if not key:
            out.append(Line(text, "blank"))
            continue
        reason = furniture_reason(text)
        patterns = furniture_patterns()
        if not reason and key in seen and len(words(key)) < 40:
            reason = "repeated line"
        seen.add(key)
        if reason:
            out.append(Line(text, "furniture", reason))
        elif patterns.caption.search(text):
            out.append(Line(text, "caption"))
        elif patterns.byline.match(text.strip()):
            out.append(Line(text, "byline"))
        elif is_sentence_like(text):
            out.append(Line(text, "prose"))
        elif is_title_like(text):
            out.append(Line(text, "title"))
        else:
            out.append(Line(text, "short"))
    if positional:
        _mark_outside_reporting(out)
    return out


def _mark_outside_reporting(lines: list[Line]) -> None:
    prose = [i for i, line in enumerate(lines) if line.label in ("prose", "caption")]
    if not prose:
        return
    first, last = prose[0], prose[-1]
    # After the last paragraph: sign-offs, promos, app names, section labels, questions to the reader.
    for line in lines[last + 1:]:
        if line.label in ("title", "short"):
            line.label, line.reason = "furniture", "after the article"
    for i in range(last, first - 1, -1):
        line = lines[i]
        if line.label == "prose" and _is_reader_prompt(line.text) and i == last:
            line.label, line.reason = "furniture", "question to the reader"
    # A line ending in ':' that only introduces furniture ("… can also be reached at these addresses:").
    for i, line in enumerate(lines):
        if line.label in ("prose", "title", "short") and line.text.rstrip().endswith(":"):
            following = [x for x in lines[i + 1:] if x.label != "blank"]
            block = following[: max(1, len(following))]
            if block and all(x.label == "furniture" for x in block):
                line.label, line.reason = "furniture", "introduces furniture"
    # Before the first paragraph only the headline (the first title-like line) and captions are kept.
    headline_seen = False
    for line in lines[:first]:
        if line.label == "title" and not headline_seen:
            headline_seen = True
        elif line.label == "short" or (line.label == "title" and headline_seen):
            line.label, line.reason = "furniture", "before the article"


@dataclass
class Cleaned:
    text: str
    title: str | None
    removed: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)


def assemble(lines: list[Line], take_title: bool) -> Cleaned:
    """Join the kept lines into the clean text: one paragraph per line, paragraphs separated by a blank line."""
    title: str | None = None
    kept: list[str] = []
    removed: list[str] = []
    captions: list[str] = []
    authors: list[str] = []
    for line in lines:
        if line.label == "blank":
            continue
        if line.label == "furniture":
            removed.append(line.text.strip())
            continue
        if line.label == "byline":
            patterns = furniture_patterns()
            match = patterns.byline.match(line.text.strip())
            assert match
            authors.extend(a.strip() for a in patterns.author_separator.split(match.group(1)))
            removed.append(line.text.strip())
            continue
        if take_title and title is None and not kept and line.label == "title":
            title = line.text.strip()
            continue
        if line.label == "caption":
            captions.append(line.text.strip())
        kept.append(re.sub(r"[ \t]+", " ", line.text.strip()))
    return Cleaned("\n\n".join(kept), title, removed, captions, authors)


def clean_text(text: str, *, take_title: bool = True) -> Cleaned:
    """Clean a plain-text article as people save it. The first title-like line becomes the headline.

    >>> c = clean_text("Home / World\\nCity opens new bridge\\nThe city opened its new bridge on Monday after "
    ...                "two years of work.\\nShare this article")
    >>> c.title, c.text, c.removed
    ('City opens new bridge', 'The city opened its new bridge on Monday after two years of work.', \
['Home / World', 'Share this article'])
    """
    return assemble(classify(text.split("\n")), take_title)
