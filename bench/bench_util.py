"""Helpers shared by the bench driver (run.py) and its probes; no Qt here.

The probes are scripts run in fresh processes from this folder, so every file name in bench/ is
chosen not to shadow a standard module (no ``profile.py``, ``inspect.py``, ...).
"""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULT_PREFIX = "BENCH-RESULT "


def emit(data: dict) -> None:
    """Hand a probe's measurements to the driver: one marked JSON line on stdout."""
    sys.stdout.write(RESULT_PREFIX + json.dumps(data) + "\n")
    sys.stdout.flush()


def parse_results(stdout: str) -> list[dict]:
    return [
        json.loads(line[len(RESULT_PREFIX):])
        for line in stdout.splitlines()
        if line.startswith(RESULT_PREFIX)
    ]


def _status_mb(*keys: str) -> dict[str, float]:
    """Fields of /proc/self/status given in kB (VmRSS, RssAnon, ...), in MiB."""
    found: dict[str, float] = {}
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in keys:
                found[key] = int(rest.split()[0]) / 1024.0
    return found


def rss_mb() -> float:
    """Resident memory of this process (VmRSS), in MiB."""
    return _status_mb("VmRSS").get("VmRSS", float("nan"))


def rss_parts_mb() -> dict[str, float]:
    """VmRSS split by kind (RssAnon: heap and anonymous maps; RssFile: pages of mapped files such
    as libraries and fonts; RssShmem), in MiB: a step in RSS is a leak only if it is anonymous."""
    return _status_mb("RssAnon", "RssFile", "RssShmem")


def smaps_rss_kb() -> dict[str, int]:
    """Resident KiB per mapping name ('[anon]' for unnamed maps), from /proc/self/smaps."""
    sizes: dict[str, int] = {}
    name = "[anon]"
    with open("/proc/self/smaps", encoding="utf-8", errors="replace") as f:
        for line in f:
            head = line.split(maxsplit=5)
            if head and "-" in head[0] and not head[0].endswith(":"):
                name = head[5].strip() if len(head) > 5 else "[anon]"
            elif head and head[0] == "Rss:":
                sizes[name] = sizes.get(name, 0) + int(head[1])
    return sizes


def cpu_seconds() -> float:
    """User + system CPU time of this process so far."""
    t = os.times()
    return t.user + t.system


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100), linear interpolation between closest ranks."""
    if not values:
        return float("nan")
    s = sorted(values)
    if len(s) == 1:
        return float(s[0])
    pos = (len(s) - 1) * q / 100.0
    lo = math.floor(pos)
    hi = min(lo + 1, len(s) - 1)
    return float(s[lo] + (s[hi] - s[lo]) * (pos - lo))


def median(values: Sequence[float]) -> float:
    return percentile(values, 50)


def slope(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Least-squares slope of ys over xs."""
    n = len(xs)
    if n < 2:
        return float("nan")
    mx = sum(xs) / n
    my = sum(ys) / n
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else 0.0
