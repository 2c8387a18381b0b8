"""Where the stages run: ``inline`` (this process), ``local`` (a process pool, one worker per core) or ``ray``
(actors on a Ray cluster, or a local Ray instance). Every engine maps a stage over batches (Arrow tables) and
yields the results in input order, so the run's outputs do not depend on the engine or the number of workers.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import NewsprismError, SetupError
from .stages import stage_class

RAY_OBJECT_STORE = 512 * 1024 * 1024
"""Bytes of object store a local Ray instance gets (its default, 30 % of memory, is far more than batches need)."""


class InlineEngine:
    """The stages in this process, one batch after another (the single-process baseline)."""

    name = "inline"
    workers = 1

    def __init__(self) -> None:
        self._stages: dict[str, Any] = {}

    def map(self, stage: str, config: dict, batches: Iterable) -> Iterator:
        if stage not in self._stages:
            self._stages[stage] = stage_class(stage)(config)
        for batch in batches:
            yield None if batch is None else self._stages[stage](batch)

    def close(self) -> None:
        self._stages.clear()


# -- the local engine's worker processes ------------------------------------------------------------------------------

_worker_stages: dict[str, Any] = {}


def _worker_init() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the driver's: it shuts the pool down
    # One core per worker: without this each worker's model runtimes (onnxruntime, BLAS) start a thread per core,
    # and two workers on two cores fight over them instead of working side by side.
    for name in ("NEWSPRISM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    _die_with_parent()


def _die_with_parent() -> None:
    """On Linux, have the kernel end this worker when the driver dies (killed, crashed): no orphan goes on
    working on a run nobody waits for."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
    except (OSError, AttributeError):
        pass


def _worker_run(stage: str, config: dict, batch):
    if batch is None:  # a batch an earlier run finished: the driver reads its part
        return None
    if stage not in _worker_stages:
        _worker_stages[stage] = stage_class(stage)(config)
    return _worker_stages[stage](batch)


class LocalEngine:
    """A pool of worker processes on this machine (spawned, so each loads its own models once)."""

    name = "local"

    def __init__(self, workers: int | None = None) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.workers = workers or os.cpu_count() or 1
        self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_worker_init)

    def map(self, stage: str, config: dict, batches: Iterable) -> Iterator:
        from collections import deque

        pending: deque = deque()
        for batch in batches:
            pending.append(self._pool.submit(_worker_run, stage, config, batch))
            if len(pending) >= 2 * self.workers:  # bounded: a billion-page input is never all in flight
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class RayEngine:
    """Ray actors, one per worker CPU, each holding its stages' models; ``address``: an existing cluster
    (``auto``, ``ray://host:10001``), else a local Ray instance with ``workers`` CPUs."""

    name = "ray"

    def __init__(self, workers: int | None = None, address: str | None = None) -> None:
        try:
            import ray
        except ImportError:
            raise SetupError("the ray engine needs Ray", source="--engine ray",
                             hint="pip install 'newsprism[ray]'") from None
        self._ray = ray
        started = time.monotonic()
        if not ray.is_initialized():
            if address:
                ray.init(address=address, log_to_driver=False, configure_logging=False)
            else:
                ray.init(num_cpus=workers or os.cpu_count() or 1, include_dashboard=False, log_to_driver=False,
                         object_store_memory=RAY_OBJECT_STORE, configure_logging=False)
        self.startup = time.monotonic() - started
        self.workers = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))

        @ray.remote(num_cpus=1)
        class StageActor:
            def __init__(self) -> None:
                _worker_init()
                self.stages: dict[str, Any] = {}

            def run(self, stage: str, config: dict, batch):
                if batch is None:
                    return None
                if stage not in self.stages:
                    self.stages[stage] = stage_class(stage)(config)
                return self.stages[stage](batch)

        self._actors = [StageActor.remote() for _ in range(self.workers)]

    def map(self, stage: str, config: dict, batches: Iterable) -> Iterator:
        from collections import deque
        from itertools import cycle

        actors = cycle(self._actors)
        pending: deque = deque()
        try:
            for batch in batches:  # bounded in flight, so the inputs are read as the actors take them
                pending.append(next(actors).run.remote(stage, config, batch))
                if len(pending) >= 2 * len(self._actors):
                    yield self._ray.get(pending.popleft())
            while pending:
                yield self._ray.get(pending.popleft())
        except self._ray.exceptions.RayError as exc:
            raise NewsprismError(f"a Ray task failed ({str(exc).strip().splitlines()[0]})", source="--engine ray",
                                 hint="see the Ray logs; the finished parts are kept, run again to resume") from None

    def close(self) -> None:
        for actor in self._actors:
            self._ray.kill(actor)
        self._actors = []
        self._ray.shutdown()


def make_engine(name: str, workers: int | None = None, address: str | None = None):
    if name == "inline":
        return InlineEngine()
    if name == "local":
        return LocalEngine(workers)
    if name == "ray":
        return RayEngine(workers, address)
    raise NewsprismError(f"no engine called '{name}'", source="--engine", hint="choose local, ray or inline")


__all__ = ["InlineEngine", "LocalEngine", "RayEngine", "make_engine"]
