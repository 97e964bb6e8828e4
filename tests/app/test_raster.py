"""Qt's raster thread pool is off in the kiosk: every paint stays on the GUI thread."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.paths import PROJECT_ROOT
from kiosk.ui.raster import KEEP_POOL, QT_SWITCH, paint_on_gui_thread

RUN_AND_COUNT_POOL_THREADS = """
import os
from kiosk.cli import main
try:
    main(["run", "--windowed", "1280x720", "--exit-after", "1.5"])
except SystemExit:
    pass
names = [open(f"/proc/self/task/{t}/comm").read().strip() for t in os.listdir("/proc/self/task")]
print("pooled", sum(name == "Thread (pooled)" for name in names))
"""


def test_the_switch_is_set_unless_the_pool_is_asked_for(monkeypatch):
    monkeypatch.delenv(QT_SWITCH, raising=False)
    monkeypatch.delenv(KEEP_POOL, raising=False)
    assert paint_on_gui_thread()
    assert os.environ[QT_SWITCH] == "1"

    monkeypatch.delenv(QT_SWITCH)
    monkeypatch.setenv(KEEP_POOL, "1")
    assert not paint_on_gui_thread()
    assert QT_SWITCH not in os.environ


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads in /proc")
@pytest.mark.parametrize(("keep_pool", "pool_threads"), [(None, False), ("1", True)])
def test_kiosk_run_paints_without_qts_thread_pool(tmp_path, keep_pool, pool_threads):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_STATE_HOME=str(tmp_path))
    env.pop(QT_SWITCH, None)  # (the test session set it for itself)
    env.pop(KEEP_POOL, None)
    if keep_pool is not None:
        env[KEEP_POOL] = keep_pool
    result = subprocess.run([sys.executable, "-c", RUN_AND_COUNT_POOL_THREADS], env=env,
                            capture_output=True, text=True, timeout=90, cwd=PROJECT_ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    count = int(result.stdout.split("pooled")[-1])
    # the attract loop's full-window fills went to Qt's pool, which started its threads
    assert (count > 0) == pool_threads, result.stdout
