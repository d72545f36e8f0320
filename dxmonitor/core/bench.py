"""Benchmarks by name: `dxmonitor bench NAME` runs one against a throwaway database.

An app registers a benchmark in its own `bench` module (found like admin modules are):

    @benchmark("tasks", "the task list and scorecards", arguments=add_task_arguments)
    def run(options, progress) -> Result: ...

The command sets up the database (migrate, agencies) and times that itself; the benchmark generates its
data and returns millisecond samples per operation, which the command summarises as p50 and p95.
"""

import argparse
import math
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice


@dataclass
class Result:
    """Samples in milliseconds per operation, and context (rows, timings) shown beside them."""

    samples: dict[str, list[float]] = field(default_factory=dict)
    meta: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Benchmark:
    name: str
    help: str
    run: Callable[[dict, Callable[[str], None]], Result]
    arguments: Callable | None = None


BENCHMARKS: dict[str, Benchmark] = {}


def benchmark(name: str, help: str, arguments: Callable | None = None):
    """Register the decorated run(options, progress) -> Result under `name`; arguments(parser) adds options."""

    def register(run):
        BENCHMARKS[name] = Benchmark(name, help, run, arguments)
        return run

    return register


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"a whole number of at least 1, not {text!r}")
    return int(text)


def percentile(samples: list[float], q: float) -> float:
    """The q-th percentile (0–100), interpolated between the nearest ranks."""
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary(samples: list[float]) -> dict[str, float]:
    return {"p50_ms": round(percentile(samples, 50), 2), "p95_ms": round(percentile(samples, 95), 2)}


def batches(iterable, size: int):
    """Lists of up to `size` items from the iterable, in order."""
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def timed(
    operation: Callable[[int], object], repeat: int, before: Callable[[], object] | None = None
) -> list[float]:
    """Milliseconds of operation(i) for i in range(repeat), after one untimed warm-up call; `before`,
    when given, runs untimed ahead of every call (to put back the state the operation starts from)."""
    samples = []
    for i in range(-1, repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        operation(i)
        if i >= 0:
            samples.append((time.perf_counter() - start) * 1000)
    return samples
