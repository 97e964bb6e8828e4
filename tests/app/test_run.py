"""`kiosk run` as a process: the headless message, and a real window on a virtual X screen."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from kiosk.paths import PROJECT_ROOT


def _env(**changes: str | None) -> dict[str, str]:
    env = dict(os.environ)
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def test_run_without_a_display_says_so_and_names_headless_commands():
    env = _env(DISPLAY=None, WAYLAND_DISPLAY=None, QT_QPA_PLATFORM=None)
    result = subprocess.run([sys.executable, "-m", "kiosk", "run"], env=env, capture_output=True,
                            text=True, timeout=60, cwd=PROJECT_ROOT)
    assert result.returncode == 2
    assert "no display found" in result.stderr
    assert "kiosk validate" in result.stderr
    assert "Traceback" not in result.stderr


def test_run_refuses_a_language_that_is_not_offered():
    env = _env(QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-m", "kiosk", "run", "--lang", "xx"], env=env,
                            capture_output=True, text=True, timeout=60, cwd=PROJECT_ROOT)
    assert result.returncode == 2
    assert "--lang 'xx' is not offered" in result.stderr


@pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs an X display (run under xvfb-run)")
def test_full_screen_window_covers_the_x_screen(tmp_path):
    from PySide6.QtGui import QImage

    shot = tmp_path / "screen.png"
    env = _env(QT_QPA_PLATFORM="xcb")
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "run", "--exit-after", "3", "--screenshot", str(shot)],
        env=env, capture_output=True, text=True, timeout=90, cwd=PROJECT_ROOT,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    image = QImage(str(shot))
    assert not image.isNull()
    # the attract loop fills the whole screen: no black desktop at any corner
    for x, y in [(5, 5), (image.width() - 5, 5), (5, image.height() - 5),
                 (image.width() - 5, image.height() - 5), (image.width() // 2, image.height() // 3)]:
        colour = image.pixelColor(x, y)
        assert colour.red() + colour.green() + colour.blue() > 20, (x, y, colour.name())


def test_set_pin_command_stores_a_hash_that_verifies(tmp_path):
    import shutil

    from kiosk.cli import main
    from kiosk.content import load
    from kiosk.pin import verify_pin

    shutil.copytree(PROJECT_ROOT / "data", tmp_path / "data")
    assert main(["set-pin", str(tmp_path / "data"), "--pin", "5791"]) == 0
    stored = load(tmp_path / "data").settings.admin_pin_hash
    assert verify_pin("5791", stored)
    assert "5791" not in (tmp_path / "data" / "content.yaml").read_text(encoding="utf-8")
    assert main(["set-pin", str(tmp_path / "data"), "--pin", "12"]) == 1
    assert load(tmp_path / "data").settings.admin_pin_hash == stored
