"""What one input may hold: a ceiling on an article's words and characters, so no input can take the machine down.

``Options.max_bytes`` bounds what is read; this bounds what is analysed. An article's text longer than
``Options.max_words`` words or ``Options.max_chars`` characters is cut — at the last paragraph break, else sentence
end, else space before the limit — with a warning that names the input, what it held and where it was cut. The
ceiling is applied on the one input path (``ingest/load.py``), so ``analyze``, ``extract``, ``ingest``, ``cluster``
and whatever reads through that path share it.
"""

from __future__ import annotations

import re

from ..options import Options

_WORD = re.compile(r"\S+")
_LOOK_BACK = 0.2
"""How far back from the limit (a share of it, or at least ``_LOOK_BACK_CHARS``) a break is looked for."""
_LOOK_BACK_CHARS = 2_000


def limit_text(text: str, options: Options, source: str) -> tuple[str, str | None]:
    """``text`` within the ceiling, and a warning when it had to be cut.

    >>> text = "First paragraph, which stays.\\n\\nSecond paragraph, cut off here."
    >>> kept, warning = limit_text(text, Options(max_words=6), "a.txt")
    >>> kept
    'First paragraph, which stays.'
    >>> print(warning)
    warning: a.txt: 9 words and 62 characters, more than one article may hold (6 words, 1,000,000 characters); the first 4 words (to character 31) are analysed and the rest is left out — split the text, or raise the limit with --max-words / --max-chars
    """
    if len(text) <= options.max_chars and len(text) <= 2 * options.max_words:
        return text, None  # a word needs a character and a space after it: no more words than that
    end, words = min(len(text), options.max_chars), 0
    for m in _WORD.finditer(text, 0, end):
        words += 1
        if words > options.max_words:
            end = m.start()
            break
    if end >= len(text):
        return text, None
    cut = _cut_point(text, end)
    kept = text[:cut].rstrip()
    return kept, (
        f"warning: {source}: {_count_words(text):,} words and {len(text):,} characters, more than one article may "
        f"hold ({options.max_words:,} words, {options.max_chars:,} characters); the first {_count_words(kept):,} "
        f"words (to character {cut:,}) are analysed and the rest is left out — split the text, or raise the limit "
        "with --max-words / --max-chars")


def _count_words(text: str) -> int:
    return sum(1 for _ in _WORD.finditer(text))


def _cut_point(text: str, end: int) -> int:
    """Where to cut before ``end``: after the last paragraph break, else sentence end, else space near it."""
    low = max(0, min(int(end * (1 - _LOOK_BACK)), end - _LOOK_BACK_CHARS))
    for pattern in (r"\n\s*\n", r"[.!?…][\"'”’)\]]*\s", r"\s"):
        last = None
        for m in re.finditer(pattern, text[low:end]):
            last = m
        if last is not None:
            return low + last.end() if pattern != r"\s" else low + last.start()
    return end


__all__ = ["limit_text"]
