"""The bench's smoke run works end to end and writes every figure (budgets are not checked)."""

from __future__ import annotations

import json
import math
import subprocess
import sys

from kiosk.paths import PROJECT_ROOT

# The stable keys of bench/results.json: renaming one is a change of the bench's contract.
KEYS = (
    "startup_first_frame_s",
    "import_s",
    "rss_mb_after_tour",
    "rss_growth_mb_per_1000_transitions",
    "frame_ms_p50",
    "frame_ms_p95",
    "frame_ms_max",
    "frame_ms_p50_4k",
    "frame_ms_p95_4k",
    "frame_ms_max_4k",
    "idle_cpu_percent",
    "load_ms",
    "load_ms_uncached",
    "load_ms_x10",
    "load_ms_x100",
    "switch_language_ms",
)


def test_bench_smoke_writes_every_figure(tmp_path):
    out = tmp_path / "results.json"
    proc = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "bench" / "run.py"), "--smoke", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=170,
        cwd=PROJECT_ROOT,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    results = json.loads(out.read_text(encoding="utf-8"))
    missing = [k for k in KEYS if k not in results]
    assert not missing, f"missing figures {missing}\n{proc.stdout[-3000:]}"
    bad = {k: results[k] for k in KEYS
           if not isinstance(results[k], (int, float)) or not math.isfinite(results[k])}
    assert not bad, bad
    assert (tmp_path / "results-details.json").exists()
