"""Which articles are copies of another: the same text (exact), or the same wire story lightly edited (near).

Near-duplicates are found with word 5-gram shingles and an inverted index, so each article is compared only with
those it shares shingles with; the cost grows with the number of shared shingles, not with the square of the batch.
Exact copies share a text fingerprint (``identity.text_fingerprint``: case, punctuation and spacing ignored).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from ..text.words import lower_words
from .identity import text_fingerprint

SHINGLE = 5
NEAR_DUPLICATE = 0.8
"""Share of the shorter article's shingles found in the earlier one for it to count as a copy of it."""


def find_duplicates(texts: Sequence[str]) -> list[int | None]:
    """For each text, the index of an earlier text it copies, or None.

    >>> wire = "the minister said on monday that the bridge would reopen next week after repairs to its deck"
    >>> find_duplicates([wire, "An unrelated story about weather in the hills this weekend.", wire + " officials said"])
    [None, None, 0]
    """
    result: list[int | None] = [None] * len(texts)
    index: dict[int, list[int]] = defaultdict(list)
    shingle_counts: list[int] = []
    exact: dict[str, int] = {}
    for i, text in enumerate(texts):
        tokens = lower_words(text)
        digest = text_fingerprint(tokens)
        shingles = {hash(tuple(tokens[j:j + SHINGLE])) for j in range(max(1, len(tokens) - SHINGLE + 1))}
        shingle_counts.append(len(shingles))
        if digest in exact:
            result[i] = exact[digest]
        elif len(tokens) >= 2 * SHINGLE:
            shared: Counter[int] = Counter()
            for s in shingles:
                for j in index.get(s, ()):
                    shared[j] += 1
            for j, count in shared.most_common(3):
                if count / min(len(shingles), shingle_counts[j]) >= NEAR_DUPLICATE:
                    result[i] = result[j] if result[j] is not None else j
                    break
        exact.setdefault(digest, i)
        if result[i] is None:
            for s in shingles:
                index[s].append(i)
    return result
