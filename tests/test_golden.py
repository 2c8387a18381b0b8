"""The bundled example's report equals its golden copy (scripts/regenerate_golden.py), time stamp aside: any change
to what a report says shows here, and is regenerated on purpose."""

from __future__ import annotations

import json
import sys

from helpers import ROOT


def test_golden_report_of_the_bundled_example_is_unchanged():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from regenerate_golden import GOLDEN, example_report
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    report = example_report()
    changed = sorted(k for k in set(golden) | set(report) if golden.get(k) != report.get(k))
    assert not changed, (f"the example's report differs from {GOLDEN.name} in {changed}: if on purpose, run "
                         "python scripts/regenerate_golden.py and review the diff")
