"""What a word is: the one tokeniser every part of newsprism that counts or compares words uses (the parse aside).

A word is a run of letters or digits in any script, joined across an apostrophe or a full stop ("don't", "U.S",
"3.5") or a comma between digits ("1,000"); a hyphen separates words ("Article 5-like" has the words of "Article 5
like", so two wordings of a quote meet). Scripts written without spaces (Chinese, Japanese
kana and kanji, Korean syllables) count one word per character, so that a word count means the same in every script.
"""

from __future__ import annotations

import re

_UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_WORD = re.compile(rf"[{_UNSPACED}]|[^\W_{_UNSPACED}]+(?:(?:['’.]|(?<=\d),(?=\d))[^\W_{_UNSPACED}]+)*")


def words(text: str) -> list[str]:
    """The words of ``text``, as written.

    >>> words("Kyiv's 1,000-strong force — Zelensky said “no”. 北京")
    ["Kyiv's", '1,000', 'strong', 'force', 'Zelensky', 'said', 'no', '北', '京']
    """
    return _WORD.findall(text)


_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})


def lower_words(text: str) -> list[str]:
    """The words of ``text`` case-folded, with typographic apostrophes made straight, for comparing texts whatever
    their case and typography.

    >>> lower_words("The U.S. Senate's") == lower_words("the U.S. senate’s")
    True
    """
    return _WORD.findall(text.casefold().translate(_APOSTROPHES))


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) for each word of ``text``, as written.

    >>> word_spans("Kyiv's offer")
    [(0, 6, "Kyiv's"), (7, 12, 'offer')]
    """
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


__all__ = ["lower_words", "word_count", "word_spans", "words"]
