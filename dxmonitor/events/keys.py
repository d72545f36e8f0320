"""The upsert's key index: the dossier keys stored in each month, sorted, one NumPy file per month. No Django.

An ingest must find the stored versions of the batch's dossiers. Scanning every stored key costs a
read of the whole store for each batch; instead each month keeps `keys/month=YYYYMM.npy`, the distinct
`dossier_key`s with a row in that month (any sign). A batch's keys are looked up in these files (a
binary search per key and month, about 30 ms per million keys and month), and only the months where
some are found are then read, for those keys only. A dossier whose later version moved to another
month is still found: every month is searched.

The index may hold more keys than the files (a batch that crashed after the index was written, before
its files were published, leaves its keys behind): a key found that has no row is a new dossier after
all. It must never hold fewer, so an ingest writes the index before it publishes its files.
"""

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np


def cores() -> int:
    """The cores this process may use (a container or taskset may allow fewer than the machine has)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def sorted_unique(keys) -> np.ndarray:
    """Keys as a sorted int64 array without repeats."""
    return np.unique(np.asarray(keys, dtype=np.int64))


def without_repeats(keys: np.ndarray) -> np.ndarray:
    """Sorted keys with each kept once."""
    if len(keys) < 2:
        return keys
    keep = np.empty(len(keys), dtype=bool)
    keep[0] = True
    np.not_equal(keys[1:], keys[:-1], out=keep[1:])
    return keys[keep]


class KeyIndex:
    """The sorted dossier keys of each month, in <directory>/month=YYYYMM.npy."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def path(self, month: int) -> Path:
        return self.directory / f"month={month}.npy"

    def months(self) -> list[int]:
        if not self.directory.exists():
            return []
        return sorted(int(p.stem[6:]) for p in self.directory.glob("month=*.npy"))

    def read(self, month: int) -> np.ndarray:
        path = self.path(month)
        if not path.exists():
            return np.empty(0, dtype=np.int64)
        # Mapped, not read: a search touches only the pages it needs.
        return np.load(path, mmap_mode="r")

    def found(self, keys: np.ndarray) -> dict[int, np.ndarray]:
        """{month: the keys (sorted, unique) found in that month} for months where any is.

        Months are searched on every core at once (NumPy's search lets go of the interpreter lock).
        """
        months = self.months() if len(keys) else []

        def search(month):
            index = self.read(month)
            if not len(index):
                return month, None
            positions = np.searchsorted(index, keys)
            np.minimum(positions, len(index) - 1, out=positions)
            hit = index[positions] == keys
            return month, keys[hit] if hit.any() else None

        if len(months) < 2:
            results = [search(m) for m in months]
        else:
            with ThreadPoolExecutor(min(len(months), cores())) as pool:
                results = list(pool.map(search, months))
        return {month: hits for month, hits in results if hits is not None}

    def add(self, month: int, keys: np.ndarray):
        """Merge sorted unique keys into a month's file, replaced in one rename."""
        if not len(keys):
            return
        current = self.read(month)
        if len(current):
            # Two sorted runs: the stable sort (a merge sort) joins them in one pass.
            keys = without_repeats(np.sort(np.concatenate([current, keys]), kind="stable"))
        self.write(month, keys)

    def write(self, month: int, keys: np.ndarray):
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.path(month)
        temporary = path.with_suffix(".tmp")
        with open(temporary, "wb") as handle:
            np.save(handle, np.ascontiguousarray(keys, dtype=np.int64))
        os.replace(temporary, path)

    def drop(self, month: int):
        self.path(month).unlink(missing_ok=True)
