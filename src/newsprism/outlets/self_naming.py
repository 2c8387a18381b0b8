"""Does this text name its own publisher? A page names its publisher in lines of a few recognisable shapes —
a copyright line, its own website, app or newsletter, a call to subscribe or follow, a dateline or byline credit —
and names other outlets in sentences of any shape ("told CNN", "the Telegraph reported"). Only the shapes count.

No sentence from any real page is listed here: each shape is a context around any registry name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..text.words import lower_words

PUBLISHER, CREDIT = 2, 1
"""A line about the site itself (copyright, own website, calls to subscribe) outranks a credit in the article
(dateline, byline): a wire story reprinted on a newspaper's site is published by the newspaper."""

_BEFORE = 120  # characters of context looked at before a name
_CORPORATE = r"(?i:ltd|limited|llc|inc|plc|company|co|corp|corporation|pty|gmbh|group|media|newspapers?|all)\b"
# After a name, a capitalised word other than a company suffix means a longer name we do not know
# ("© Sky News Arabia" is not Sky News).
_NO_LONGER_NAME = re.compile(rf"(?![ \t]+(?!{_CORPORATE})[A-Z])")
_PHOTO_CREDIT = re.compile(r"\s*/")  # "© Reuters/Jane Doe" credits a photographer

_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|&copy;|\bcopyright\b)(?:[\s,]|©|\(c\)|\d{4}(?:\s*[-–]\s*\d{2,4})?)*(?:the\s+)?$", re.I)
_RIGHTS = re.compile(r"(?:[ \t]+(?:ltd|limited|llc|inc|plc|company|group)\.?)?[.,]?\s+all\s+rights\s+reserved", re.I)
_DISCLAIMER = re.compile(r"\s+(?:is|are)\s+not\s+responsible\s+for\b", re.I)
_OWN_SITE = re.compile(
    r"(?:['’]s)?\s+(?:(?:official|mobile|new|main)\s+)?"
    r"(?:website|web\s+site|site|apps?|newsletters?|podcasts?|homepage|feeds?)\s+"
    r"(?:can|may|is|are)\s+(?:also\s+)?(?:be\s+)?(?:accessed|reached|found|viewed|read|downloaded|available)\b",
    re.I)
_CALL = re.compile(
    r"(?:^|[.!?]\s+|\n)[ \t]*(?:[^\w\s][ \t]*)?(?:please\s+)?"
    r"(?P<verb>sign\s+up\s+(?:for|to)|subscribe\s+(?:to|for)|download|get|install|follow|support)"
    r"\s+(?:the\s+|our\s+)?$", re.I | re.M)
_APP = re.compile(r"(?:['’]s)?\s+(?:mobile\s+|news\s+)?apps?\b", re.I)
_ON_PLATFORM = re.compile(
    r"\s+on\s+(?:twitter|x|facebook|instagram|telegram|youtube|whatsapp|tiktok|threads|bluesky|linkedin)\b", re.I)
# A dateline: a place in capitals, then capitalised words or a date ("KYIV, Ukraine", "LONDON, Dec 14"), or
# nothing at all when the credit opens the line ("(CNN) —").
_DATELINE_BEFORE = re.compile(
    r"(?:(?:^|[\s>])[A-Z]{2,}[A-Z'’.-]*(?:[ \t]*[/,]?[ \t]*(?:[A-Z][A-Za-z'’.-]*|\d{1,2}\b)){0,5}[ \t]*|^[ \t]*)"
    r"\(\s*(?i:the\s+)?$", re.M)
_DATELINE_AFTER = re.compile(r"\s*\)\s*(?:--?|–|—)")
_BYLINE_BEFORE = re.compile(r"(?i:\bby)\s+(?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w.'’-]*\s*,\s*(?i:the\s+)?$")
_BYLINE_AFTER = re.compile(
    r"(?=[ \t]*(?:$|\r?\n|[|,;–—]|\s-\s))"
    r"|(?:[ \t]+[A-Z][\w-]*){0,3}[ \t]+(?i:correspondent|reporter|editor|writer|chief|staff|contributor|"
    r"columnist|journalist|producer|bureau|analyst)\b", re.M)
_HEADLINE_BEFORE = re.compile(r"\(\s*(?i:the\s+)?$")
_HEADLINE_AFTER = re.compile(r"(?P<labels>(?:[ \t]+[A-Z][\w'’-]*){0,2})[ \t]*\)[ \t]*(?:\r?\n|$)", re.M)
# Words that make a parenthesised name an image credit, not the article's.
_IMAGE_WORDS = {"photo", "photos", "image", "images", "picture", "pictures", "pic", "video", "file", "pool",
                "graphic", "illustration", "screenshot", "handout", "footage", "via", "credit", "credits", "getty"}


def _opens_its_line(text: str, start: int) -> bool:
    """A copyright line stands apart: not after a sentence on its line ("... in Berlin. © Reuters" is a
    caption) and not in an image credit ("Photo: © AFP")."""
    prefix = text[text.rfind("\n", 0, start) + 1:start]
    if re.search(r"[.!?][\"'’”)]*\s", prefix + " "):
        return False
    return not set(lower_words(prefix)) & _IMAGE_WORDS


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("‘", "'")).casefold()


def _name_pattern(name: str) -> str:
    words = [re.escape(word).replace("'", "['’]").replace("’", "['’]") for word in name.replace("’", "'").split()]
    return r"\s+".join(words)


class SelfNaming:
    """Finds which of a set of outlets a text names as its publisher. ``outlets`` are (key, names) pairs."""

    def __init__(self, outlets: Sequence[tuple[int, Sequence[str]]]):
        self._variants: dict[str, tuple[int, str]] = {}
        for key, names in outlets:
            for name in names:
                self._variants.setdefault(_fold(name), (key, name))
        alternatives = sorted(self._variants, key=len, reverse=True)  # longest first: "BBC News" before "BBC"
        written = [self._variants[v][1] for v in alternatives]
        self._names = re.compile(r"(?<!\w)(?:" + "|".join(_name_pattern(n) for n in written) + r")(?!\w)", re.I)

    def publisher(self, text: str) -> int | None:
        """The key of the one outlet the text names as publisher, or ``None`` (none, or several disagreeing)."""
        found: dict[int, set[int]] = {PUBLISHER: set(), CREDIT: set()}
        for match in self._names.finditer(text):
            variant = self._variants.get(_fold(match.group()))
            if variant is None or not self._written_alike(match.group(), variant[1]):
                continue
            strength = self._shape(text, match.start(), match.end())
            if strength:
                found[strength].add(variant[0])
        for strength in (PUBLISHER, CREDIT):
            if found[strength]:
                return next(iter(found[strength])) if len(found[strength]) == 1 else None
        return None

    @staticmethod
    def _written_alike(seen: str, written: str) -> bool:
        """Names are matched without regard to case, but a lower-case "reason" or "the hill" is a word, not an
        outlet; short names ("AP", "RT") must be written exactly."""
        if len(written) <= 3:
            return seen == written
        seen_head = re.sub(r"(?i)^the\s+", "", seen)[:1]
        written_head = re.sub(r"(?i)^the\s+", "", written)[:1]
        return not (seen_head.islower() and not written_head.islower())

    @staticmethod
    def _shape(text: str, start: int, end: int) -> int | None:
        """How strongly the name at ``text[start:end]`` stands in a self-naming line, if it does."""
        low = max(0, start - _BEFORE)
        copyright = _COPYRIGHT.search(text, low, start)
        if copyright and _NO_LONGER_NAME.match(text, end) and not _PHOTO_CREDIT.match(text, end) \
                and _opens_its_line(text, copyright.start()):
            return PUBLISHER
        if _RIGHTS.match(text, end) or _DISCLAIMER.match(text, end) or _OWN_SITE.match(text, end):
            return PUBLISHER
        call = _CALL.search(text, low, start)
        if call:
            verb = call.group("verb").casefold()
            if verb in ("download", "get", "install"):
                ok = _APP.match(text, end)
            elif verb == "follow":
                ok = _ON_PLATFORM.match(text, end)
            else:
                ok = _NO_LONGER_NAME.match(text, end)
            if ok:
                return PUBLISHER
        if _DATELINE_BEFORE.search(text, low, start) and _DATELINE_AFTER.match(text, end):
            return CREDIT
        if _BYLINE_BEFORE.search(text, low, start) and _BYLINE_AFTER.match(text, end):
            return CREDIT
        if _HEADLINE_BEFORE.search(text, low, start):
            after = _HEADLINE_AFTER.match(text, end)
            if after and _is_headline_credit(text, start, after.group("labels")):
                return CREDIT
        return None


def _is_headline_credit(text: str, start: int, labels: str) -> bool:
    """``(Outlet [label])`` closing a headline-shaped line: short, no sentence end before the parenthesis, and
    either the first line of the text or written in title case. Captions ("... in Berlin. (Reuters)") and image
    credits ("(Reuters Photo)") are not."""
    if set(lower_words(labels)) & _IMAGE_WORDS:
        return False
    line_start = text.rfind("\n", 0, start) + 1
    head = text[line_start:text.rfind("(", line_start, start)].strip()
    words = head.split()
    if not words or len(words) > 25 or head[-1] in ".!?:;,":
        return False
    if not text[:line_start].strip():
        return True
    long_words = [word for word in words if len(word) >= 4 and word[0].isalpha()]
    return bool(long_words) and sum(word[0].isupper() for word in long_words) >= 0.6 * len(long_words)
