"""Side-by-side timing: ours and the raw floor alternate, after a warm-up, N times each."""

import statistics
import time
from dataclasses import dataclass


@dataclass
class Result:
    name: str
    ours: list
    raw: list
    note: str = ""

    @property
    def ours_median(self):
        return statistics.median(self.ours)

    @property
    def raw_median(self):
        return statistics.median(self.raw)

    @property
    def ratio(self):
        return self.ours_median / self.raw_median if self.raw_median else float("inf")

    @property
    def ours_p95(self):
        return p95(self.ours)

    @property
    def raw_p95(self):
        return p95(self.raw)


def p95(samples):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _ms(fn):
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def compare(name, ours, raw, *, reps, warmup=3, note=""):
    """Time `ours()` and `raw()` alternately; both must do the whole job (fetch every row)."""
    for _ in range(warmup):
        ours()
        raw()
    result = Result(name, [], [], note)
    for _ in range(reps):
        result.ours.append(_ms(ours))
        result.raw.append(_ms(raw))
    return result


HEADER = (
    f"{'operation':<34}{'ours med':>10}{'raw med':>10}{'ratio':>8}{'ours p95':>10}"
    f"{'raw p95':>10}  note"
)


def row(result):
    return (
        f"{result.name:<34}{result.ours_median:>10.2f}{result.raw_median:>10.2f}"
        f"{result.ratio:>8.2f}{result.ours_p95:>10.2f}{result.raw_p95:>10.2f}  {result.note}"
    )
