"""Interaction statistics: counts per hour, nothing personal, exportable."""

from __future__ import annotations

import time

import pytest

from kiosk.stats import Stats


def test_counts_per_hour_and_export(tmp_path):
    stats = Stats(tmp_path / "s.sqlite")
    t = time.mktime((2026, 5, 1, 10, 15, 0, 0, 0, -1))
    stats.record("screen", "timeline", t)
    stats.record("screen", "timeline", t + 60)
    stats.record("screen", "timeline", t + 3600)
    stats.record("language", "de", t)
    assert stats.totals() == {"language": {"de": 1}, "screen": {"timeline": 3}}
    rows = stats.export_csv().splitlines()
    assert rows[0] == "hour,kind,value,count"
    assert "2026-05-01 10:00,screen,timeline,2" in rows
    assert "2026-05-01 11:00,screen,timeline,1" in rows
    with pytest.raises(ValueError, match="unknown statistics kind"):
        stats.record("name", "Alice")


def test_window_counts_screens_languages_and_cities(qtbot, shipped_content, tmp_path):
    from PySide6.QtCore import QSize

    from kiosk.shell.window import KioskWindow

    win = KioskWindow(shipped_content, size=QSize(1280, 720))
    qtbot.addWidget(win)
    win.stats = Stats(tmp_path / "s.sqlite")
    win.start_visit()
    win.show_screen("map", {"city": "sendai"})
    win.set_language("ko")
    totals = win.stats.totals()
    assert totals["screen"] == {"home": 1, "map": 1}
    assert totals["city"] == {"sendai": 1}
    assert totals["language"] == {"ko": 1}


def test_stats_command_exports_csv(tmp_path, capsys):
    from kiosk.cli import main

    db = tmp_path / "s.sqlite"
    Stats(db).record("screen", "map")
    assert main(["stats", "--db", str(db)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "hour,kind,value,count"
    assert out[1].endswith(",screen,map,1")
    assert main(["stats", "--db", str(tmp_path / "none.sqlite")]) == 1


def test_staff_menu_shows_statistics(qtbot, shipped_content, tmp_path):
    from PySide6.QtCore import QSize

    from kiosk.shell.window import KioskWindow

    win = KioskWindow(shipped_content, size=QSize(1280, 720))
    qtbot.addWidget(win)
    win.stats = Stats(tmp_path / "s.sqlite")
    win.start_visit()
    win.show_screen("timeline")
    win.staff_menu.open()
    win.staff_menu.actions["statistics"].click()
    assert "screen: " in win.staff_menu.details.text()
    assert "timeline 1" in win.staff_menu.details.text()
