"""The kiosk's one event filter (kiosk.ui.events): it sits on the window, sees the window's
input before any widget, and watchers see only the event types they asked for."""

from __future__ import annotations

import gc

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from kiosk.ui import events


class Watcher(QObject):
    def __init__(self, consume: bool = False):
        super().__init__()
        self.seen: list[QEvent.Type] = []
        self.consume = consume

    def on_event(self, obj: QObject, event: QEvent) -> bool:
        self.seen.append(event.type())
        return self.consume


def _shown(qtbot) -> QWidget:
    w = QWidget()
    w.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
    qtbot.addWidget(w)
    w.resize(200, 100)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_cover_needs_a_window(qapp):
    assert events.cover(QWidget()) is False  # not shown: no window yet


def test_a_watcher_sees_only_the_types_it_asked_for_and_only_input(qtbot):
    w = _shown(qtbot)
    assert events.cover(w)
    assert events.hub().covers(w.windowHandle())
    watcher = Watcher()
    events.watch([QEvent.Type.KeyPress, QEvent.Type.UpdateRequest], watcher.on_event)
    try:
        w.update()
        QTest.qWait(50)  # the widget's frames: none of them reach the watcher
        w.resize(220, 110)
        QTest.qWait(20)
        assert watcher.seen == []
        QTest.keyClick(w.windowHandle(), Qt.Key.Key_A)
        QTest.keyRelease(w.windowHandle(), Qt.Key.Key_B)  # a type nobody asked for
        assert watcher.seen == [QEvent.Type.KeyPress]
    finally:
        events.unwatch(watcher.on_event)


def test_input_to_a_window_not_covered_is_not_seen(qtbot):
    w = _shown(qtbot)
    watcher = Watcher()
    events.watch([QEvent.Type.KeyPress], watcher.on_event)
    try:
        if not events.hub().covers(w.windowHandle()):
            QTest.keyClick(w.windowHandle(), Qt.Key.Key_A)
            assert watcher.seen == []
        events.cover(w)
        QTest.keyClick(w.windowHandle(), Qt.Key.Key_A)
        assert watcher.seen == [QEvent.Type.KeyPress]
    finally:
        events.unwatch(watcher.on_event)


def test_the_last_watcher_asks_first_and_may_consume_before_any_widget(qtbot):
    w = _shown(qtbot)
    button = QPushButton("ok", w)
    button.setGeometry(0, 0, 200, 100)
    button.show()
    clicks: list[int] = []
    button.clicked.connect(lambda: clicks.append(1))
    events.cover(w)
    first, last = Watcher(), Watcher(consume=True)
    events.watch([QEvent.Type.MouseButtonPress], first.on_event)
    events.watch([QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease], last.on_event)
    try:
        QTest.mouseClick(w.windowHandle(), Qt.MouseButton.LeftButton, pos=QPoint(100, 50))
        assert last.seen == [QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease]
        assert first.seen == []  # consumed, as by an event filter that returns True
        assert clicks == []  # and the button under the pointer never saw it
        events.unwatch(last.on_event)
        QTest.mouseClick(w.windowHandle(), Qt.MouseButton.LeftButton, pos=QPoint(100, 50))
        assert first.seen == [QEvent.Type.MouseButtonPress]
        assert len(clicks) == 1
    finally:
        events.unwatch(first.on_event)
        events.unwatch(last.on_event)


def test_a_watcher_that_is_gone_is_dropped(qtbot):
    w = _shown(qtbot)
    events.cover(w)
    watcher = Watcher()
    events.watch([QEvent.Type.FontChange], watcher.on_event)
    hub = events.hub()
    assert hub.watching(watcher.on_event)
    assert QEvent.Type.FontChange in hub._wanted
    del watcher
    gc.collect()
    # no error, and it is forgotten
    QApplication.sendEvent(w.windowHandle(), QEvent(QEvent.Type.FontChange))
    assert QEvent.Type.FontChange not in hub._wanted
