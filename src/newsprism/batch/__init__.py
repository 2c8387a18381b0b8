"""``newsprism batch``: corpora through the whole pipeline on an engine — this process, a process pool, or Ray —
with the stages engine-neutral (``stages.py``), the engines interchangeable (``engines.py``) and the run resumable
(``run.py``)."""

from .run import BatchResult, BatchSettings, run_batch

__all__ = ["BatchResult", "BatchSettings", "run_batch"]
