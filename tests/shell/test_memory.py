"""The heap is trimmed once the kiosk comes to rest, not while it is busy."""

from __future__ import annotations

from PySide6.QtCore import QSize

from kiosk.shell.memory import HeapTrimmer, glibc_trim


def test_trims_once_after_the_last_poke(qtbot):
    calls: list[int] = []
    trimmer = HeapTrimmer(rest_ms=60, trim=lambda: calls.append(1))
    for _ in range(5):
        trimmer.poke()
        qtbot.wait(20)  # busy: each poke pushes the trim back
    assert calls == []
    qtbot.waitUntil(lambda: calls == [1], timeout=1000)
    qtbot.wait(150)
    assert calls == [1]


def test_a_failing_trim_is_logged_and_not_tried_again(qtbot, caplog):
    calls: list[int] = []

    def broken() -> None:
        calls.append(1)
        raise OSError("no")

    trimmer = HeapTrimmer(rest_ms=10, trim=broken)
    trimmer.poke()
    qtbot.waitUntil(lambda: calls == [1], timeout=1000)
    assert "heap trim failed" in caplog.text
    assert not trimmer.available
    trimmer.poke()
    qtbot.wait(50)
    assert calls == [1]


def test_glibc_trim_is_found_on_linux():
    trim = glibc_trim()
    assert trim is not None  # the kiosk's machines run glibc
    assert trim() in (0, 1)  # malloc_trim returns 1 when memory was released


def test_window_trims_after_a_screen_change_a_language_switch_and_a_reload(
        qtbot, shipped_content, monkeypatch):
    from kiosk.shell import memory
    from kiosk.shell.window import KioskWindow

    calls: list[int] = []
    monkeypatch.setattr(memory, "REST_MS", 30)
    monkeypatch.setattr(memory, "glibc_trim", lambda: lambda: calls.append(1))
    win = KioskWindow(shipped_content, size=QSize(1280, 720))
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: calls == [1], timeout=1000)  # start-up freed what loading used
    qtbot.wait(100)
    assert calls == [1]  # at rest: no more trims
    for change in (win.start_visit, lambda: win.set_language("de"),
                   lambda: win.set_content(shipped_content)):
        before = len(calls)
        change()
        qtbot.waitUntil(lambda before=before: len(calls) == before + 1, timeout=1000)
