"""Regenerate the golden report of the bundled (fictional) example, tests/fixtures/golden/harbour-strike.json.

    python scripts/regenerate_golden.py          # rewrite it
    python scripts/regenerate_golden.py --check  # exit 1 when the report differs from the golden file

The golden file is the report ``newsprism analyze`` makes of src/newsprism/examples/harbour-strike with its
outlets file, without ``generated_at`` (the one field that changes from run to run). A test compares the report of
every run with it, so any change to what a report says is seen, reviewed and regenerated on purpose.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "src" / "newsprism" / "examples" / "harbour-strike"
GOLDEN = ROOT / "tests" / "fixtures" / "golden" / "harbour-strike.json"


def example_report() -> dict:
    """The example's report as JSON data, without its time stamp and version, sources relative to the checkout."""
    from newsprism import Options, analyze

    report, _ = analyze([str(EXAMPLE)], Options(outlet_files=(EXAMPLE / "outlets.csv",)))
    data = json.loads(report.to_json())
    data.pop("generated_at")
    data.pop("newsprism_version")
    for article in data["articles"]:
        article["source"] = str(Path(article["source"]).relative_to(ROOT)) if article["source"].startswith(
            str(ROOT)) else article["source"]
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    data = example_report()
    text = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    if args.check:
        same = GOLDEN.is_file() and GOLDEN.read_text(encoding="utf-8") == text
        print("golden report is current" if same else f"{GOLDEN} differs from the report: review, then regenerate")
        sys.exit(0 if same else 1)
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN.write_text(text, encoding="utf-8")
    print(f"wrote {GOLDEN.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
