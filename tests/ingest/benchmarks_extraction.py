"""The benchmark's scorer, imported by tests (benchmarks/ is not a package)."""

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "_extraction_benchmark", Path(__file__).resolve().parents[2] / "benchmarks" / "extraction.py")
_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_module)
prf = _module.prf
