"""How close is a clustering to the true stories? B-cubed precision, recall and F1 (Bagga & Baldwin 1998)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence


def bcubed(predicted: Sequence[str], gold: Sequence[str]) -> tuple[float, float, float]:
    """(precision, recall, F1), averaged over items.

    >>> [round(x, 3) for x in bcubed(["x", "x", "y"], ["a", "a", "a"])]
    [1.0, 0.556, 0.714]
    """
    if len(predicted) != len(gold):
        raise ValueError("predicted and gold must label the same items")
    if not gold:
        return 0.0, 0.0, 0.0
    pair = Counter(zip(predicted, gold))
    sizes_p, sizes_g = Counter(predicted), Counter(gold)
    precision = sum(pair[(p, g)] / sizes_p[p] for p, g in zip(predicted, gold)) / len(gold)
    recall = sum(pair[(p, g)] / sizes_g[g] for p, g in zip(predicted, gold)) / len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
