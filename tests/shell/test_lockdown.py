"""Unattended kiosk: lockdown, staff PIN, hot reload keeping the last good content, recovery."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QSize, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.paths import PROJECT_ROOT
from kiosk.pin import backoff_s, hash_pin, verify_pin, write_pin_hash


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def content_copy(tmp_path) -> Path:
    """A copy of the shipped content that tests may edit."""
    target = tmp_path / "data"
    shutil.copytree(PROJECT_ROOT / "data", target)
    return target / "content.yaml"


@pytest.fixture
def locked_window(qtbot, shipped_content):
    from dataclasses import replace

    from kiosk.shell.window import KioskWindow

    settings = replace(shipped_content.settings, admin_pin_hash=hash_pin("2468", b"0" * 16))
    content = replace(shipped_content, settings=settings)
    win = KioskWindow(content, size=QSize(1920, 1080), locked=True)
    win.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.lock.uninstall()
    win.lock._show_cursor()
    win._exit_allowed = True


def test_pin_hash_is_salted_and_verifies():
    a, b = hash_pin("2468"), hash_pin("2468")
    assert a != b  # salted
    assert "2468" not in a
    assert verify_pin("2468", a)
    assert not verify_pin("2469", a)
    assert not verify_pin("2468", None)
    assert not verify_pin("2468", "garbage")
    with pytest.raises(ValueError, match="4 to 12 digits"):
        hash_pin("12a4")


def test_wrong_pins_back_off_more_and_more():
    waits = [backoff_s(n) for n in range(1, 10)]
    assert waits[0] == 0
    assert waits == sorted(waits)
    assert waits[-1] > waits[2] > 0
    assert backoff_s(100) == 60


def test_set_pin_writes_only_the_hash_and_keeps_comments(content_copy):
    before = content_copy.read_text(encoding="utf-8")
    pin_hash = hash_pin("1357")
    write_pin_hash(str(content_copy), pin_hash)
    after = content_copy.read_text(encoding="utf-8")
    assert "# Changchun Showcase: the kiosk's content." in after
    assert "1357" not in after
    changed = [line for line in after.splitlines() if line not in before.splitlines()]
    assert len(changed) == 1
    assert changed[0].strip() == f"admin_pin_hash: {pin_hash}"
    from kiosk.content import load

    assert load(content_copy).settings.admin_pin_hash == pin_hash


@pytest.mark.parametrize(
    ("key", "modifier"),
    [
        (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
    ],
)
def test_closing_keys_and_close_events_do_not_leave(locked_window, key, modifier):
    reached = KeyRecorder()
    QApplication.instance().installEventFilter(reached)
    try:
        QTest.keyClick(locked_window.windowHandle(), key, modifier)  # as the platform sends it
        QTest.keyClick(locked_window.windowHandle(), Qt.Key.Key_A)
    finally:
        QApplication.instance().removeEventFilter(reached)
    assert key not in reached.keys  # no widget sees it
    assert Qt.Key.Key_A in reached.keys  # other keys pass
    assert locked_window.isVisible()
    assert not locked_window.close()  # the window manager's close: ignored
    assert locked_window.isVisible()


def test_right_click_and_context_menu_are_swallowed(locked_window):
    from kiosk.shell.lockdown import KioskLock

    lock: KioskLock = locked_window.lock
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(10, 10), QPoint(10, 10))
    assert lock.eventFilter(locked_window, event) is True
    centre = locked_window.attract.mapTo(locked_window, locked_window.attract.rect().center())
    QTest.mouseClick(locked_window.windowHandle(), Qt.MouseButton.RightButton, pos=centre)
    assert locked_window.current_screen == "attract"  # a right-click does not start a visit
    QTest.mouseClick(locked_window.windowHandle(), Qt.MouseButton.LeftButton, pos=centre)
    assert locked_window.current_screen != "attract"  # (a left click does)


class KeyRecorder(QObject):
    """The keys that reach a widget."""

    def __init__(self):
        super().__init__()
        self.keys: list[int] = []

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(obj, QWidget):
            self.keys.append(event.key())
        return False


def _corner_taps(win, device, n):
    for _ in range(n):
        # a finger needs tens of ms per tap; taps in the same millisecond share a timestamp,
        # which the lock takes for one touch seen twice
        QTest.qWait(5)
        QTest.touchEvent(win, device).press(0, QPoint(10, 10)).commit()
        QTest.touchEvent(win, device).release(0, QPoint(10, 10)).commit()


def test_five_corner_taps_open_pin_pad_and_right_pin_opens_staff_menu(locked_window, touch_device):
    win = locked_window
    _corner_taps(win, touch_device, 4)
    assert win._pin_pad is None  # the staff overlays are built on first use, not at start-up
    assert win._staff_menu is None
    _corner_taps(win, touch_device, 1)
    assert win.pin_pad.isVisible()
    assert win.pin_pad.geometry() == win.rect()
    for digit in "2468":
        win.pin_pad.press(digit)
    win.pin_pad.press("OK")
    assert not win.pin_pad.isVisible()
    assert win.staff_menu.isVisible()
    assert {"exit", "reload", "errors", "close"} <= set(win.staff_menu.actions)
    assert "playlist-wolfsburg" in win.staff_menu.actions


def test_taps_elsewhere_do_not_count(locked_window, touch_device):
    win = locked_window
    for i in range(6):
        pos = QPoint(10, 10) if i % 2 == 0 else QPoint(900, 500)
        QTest.touchEvent(win, touch_device).press(0, pos).commit()
        QTest.touchEvent(win, touch_device).release(0, pos).commit()
    assert not win.pin_pad.isVisible()


def test_wrong_pin_locks_the_pad_for_a_growing_time(locked_window):
    pad = locked_window.pin_pad
    pad.clock = FakeClock()
    pad.open()
    for attempt in range(3):
        for digit in "1111":
            pad.press(digit)
        assert not pad.submit()
        pad.clock.now += 0.1 if attempt == 0 else 0
    assert pad.locked_until > pad.clock.now
    assert not pad.keys["1"].isEnabled()
    pad.entry = "2468"
    assert not pad.submit()  # even the right PIN waits out the lock
    pad.clock.now = pad.locked_until + 0.01
    pad.entry = "2468"
    assert pad.submit()


def test_staff_exit_closes_the_window(locked_window, qtbot):
    locked_window.staff_menu.open()
    locked_window.staff_menu.actions["exit"].click()
    assert not locked_window.isVisible()


def test_a_screen_that_raises_is_logged_and_the_kiosk_goes_home(qtbot, shipped_content, caplog):
    from kiosk.screens.base import Screen
    from kiosk.shell.window import KioskWindow

    class Broken(Screen):
        screen_id = "broken"

        def open(self, params):
            raise RuntimeError("boom")

        def apply_context(self, ctx):
            super().apply_context(ctx)
            if getattr(self, "armed", False):
                raise RuntimeError("bang")

    win = KioskWindow(shipped_content, size=QSize(1280, 720))
    qtbot.addWidget(win)
    win.show()
    broken = Broken(win.ctx)
    win._add_screen(broken)
    with caplog.at_level(logging.ERROR):
        win.show_screen("broken", {"x": 1})
        broken.armed = True
        win.set_language("de")  # every other screen still redraws
    assert "boom" in caplog.text
    assert "bang" in caplog.text
    assert win.nav.buttons["home"].text() == "Start"
    win.recover()
    assert win.current_screen == "home"


def test_excepthook_logs_and_recovers(qtbot, shipped_content, caplog, monkeypatch):
    import sys

    from kiosk.launch import install_excepthook
    from kiosk.shell.window import KioskWindow

    win = KioskWindow(shipped_content, size=QSize(1280, 720))
    qtbot.addWidget(win)
    win.show()
    win.show_screen("economy")
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    install_excepthook(win)
    try:
        raise ValueError("unexpected")
    except ValueError:
        with caplog.at_level(logging.ERROR):
            sys.excepthook(*sys.exc_info())
    qtbot.waitUntil(lambda: win.current_screen == "home", timeout=1000)
    assert "unexpected" in caplog.text


# --- hot reload --------------------------------------------------------------------------------


def _watcher(content_file: Path):
    from kiosk.content import load
    from kiosk.shell.reload import ContentWatcher

    return ContentWatcher(load(content_file), content_file)


def test_valid_edit_is_loaded(qtbot, content_copy):
    watcher = _watcher(content_copy)
    ui = content_copy.parent / "ui" / "shell.yaml"
    ui.write_text(ui.read_text(encoding="utf-8").replace("Welcome to Changchun", "Hello Changchun"),
                  encoding="utf-8")
    with qtbot.waitSignal(watcher.content_loaded, timeout=3000) as blocker:
        pass
    assert blocker.args[0].ui["welcome"].get("en") == "Hello Changchun"


def test_invalid_edit_changes_nothing_and_reports_file_line_col(qtbot, content_copy):
    watcher = _watcher(content_copy)
    good = watcher.content
    cities = content_copy.parent / "cities.yaml"
    cities.write_text(cities.read_text(encoding="utf-8").replace("lat: 38.268", "lat: 98.268", 1),
                      encoding="utf-8")
    with qtbot.waitSignal(watcher.content_rejected, timeout=5000) as blocker:
        pass
    issues = blocker.args[0]
    assert any("cities.yaml" in i.position.file and "out of range" in i.message for i in issues)
    assert all(i.position.line > 0 and i.position.column > 0 for i in issues)
    assert watcher.content is good


def test_editor_saving_by_rename_is_seen(qtbot, content_copy):
    watcher = _watcher(content_copy)
    ui = content_copy.parent / "ui" / "shell.yaml"
    tmp = ui.with_suffix(".yaml.swp")
    tmp.write_text(ui.read_text(encoding="utf-8").replace("Touch the screen to start", "Tap!"),
                   encoding="utf-8")
    os.replace(tmp, ui)
    with qtbot.waitSignal(watcher.content_loaded, timeout=3000) as blocker:
        pass
    assert blocker.args[0].ui["touch_to_start"].get("en") == "Tap!"
    # and the replaced file is still watched
    ui.write_text(ui.read_text(encoding="utf-8").replace("Tap!", "Tap again"), encoding="utf-8")
    with qtbot.waitSignal(watcher.content_loaded, timeout=3000) as blocker:
        pass
    assert blocker.args[0].ui["touch_to_start"].get("en") == "Tap again"


def test_half_written_file_is_retried_not_acted_on(qtbot, content_copy):
    watcher = _watcher(content_copy)
    ui = content_copy.parent / "ui" / "shell.yaml"
    full = ui.read_text(encoding="utf-8").replace("Still there?", "Are you there?")
    ui.write_text(full[: len(full) // 2], encoding="utf-8")  # the editor is still writing
    rejected = []
    watcher.content_rejected.connect(rejected.append)
    qtbot.wait(400)
    ui.write_text(full, encoding="utf-8")
    with qtbot.waitSignal(watcher.content_loaded, timeout=4000) as blocker:
        pass
    assert blocker.args[0].ui["still_there_title"].get("en") == "Are you there?"
    assert rejected == []


def test_window_keeps_last_good_content_on_bad_reload(qtbot, content_copy):
    from kiosk.content import load
    from kiosk.shell.window import KioskWindow

    win = KioskWindow(load(content_copy), size=QSize(1280, 720))
    qtbot.addWidget(win)
    watcher = _watcher(content_copy)
    watcher.content_loaded.connect(win.set_content)
    watcher.content_rejected.connect(win.set_content_issues)
    win.start_visit()
    title = win.screens["home"].welcome.text()
    (content_copy.parent / "ui" / "shell.yaml").write_text("ui: [broken\n", encoding="utf-8")
    qtbot.waitUntil(lambda: bool(win.content_issues), timeout=5000)
    assert win.screens["home"].welcome.text() == title
    assert "shell.yaml" in win.content_issues[0].format()


def test_cursor_hides_while_touch_is_used_and_returns_for_a_mouse(locked_window, touch_device):
    win = locked_window
    p = QPoint(600, 400)
    QTest.touchEvent(win, touch_device).press(0, p, win).commit()
    QTest.touchEvent(win, touch_device).release(0, p, win).commit()
    cursor = QApplication.overrideCursor()
    assert cursor is not None
    assert cursor.shape() == Qt.CursorShape.BlankCursor
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QMouseEvent

    move = QMouseEvent(QEvent.Type.MouseMove, QPointF(700, 450), QPointF(700, 450),
                       Qt.MouseButton.NoButton, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    # a real mouse (staff) brings the cursor back
    QApplication.sendEvent(win.windowHandle(), move)
    assert QApplication.overrideCursor() is None


def test_launch_arms_hot_reload_into_the_window(qtbot, content_copy):
    from kiosk.content import load
    from kiosk.launch import _arm_watcher_and_stats
    from kiosk.shell.window import KioskWindow

    win = KioskWindow(load(content_copy), size=QSize(1280, 720))
    qtbot.addWidget(win)
    _arm_watcher_and_stats(win, win.content, str(content_copy))
    ui = content_copy.parent / "ui" / "shell.yaml"
    ui.write_text(ui.read_text(encoding="utf-8").replace("Welcome to Changchun", "Hello Changchun"),
                  encoding="utf-8")
    qtbot.waitUntil(lambda: win.content.ui["welcome"].get("en") == "Hello Changchun", timeout=3000)
