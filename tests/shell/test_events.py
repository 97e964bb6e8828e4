"""The application's one event filter (kiosk.ui.events): watchers see only the event types
they asked for."""

from __future__ import annotations

import gc

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.ui import events


class Watcher(QObject):
    def __init__(self, consume: bool = False):
        super().__init__()
        self.seen: list[QEvent.Type] = []
        self.consume = consume

    def on_event(self, obj: QObject, event: QEvent) -> bool:
        self.seen.append(event.type())
        return self.consume


def test_a_watcher_sees_only_the_types_it_asked_for(qtbot):
    w = QWidget()
    qtbot.addWidget(w)
    watcher = Watcher()
    events.watch([QEvent.Type.KeyPress], watcher.on_event)
    try:
        QApplication.sendEvent(w, QEvent(QEvent.Type.FontChange))
        w.resize(200, 100)
        w.show()
        qtbot.waitExposed(w)  # paints, moves, layouts: none of them reach the watcher
        assert watcher.seen == []
        QTest.keyClick(w, Qt.Key.Key_A)
        assert QEvent.Type.KeyPress in watcher.seen
    finally:
        events.unwatch(watcher.on_event)


def test_the_last_watcher_asks_first_and_may_consume(qtbot):
    w = QWidget()
    qtbot.addWidget(w)
    first, last = Watcher(), Watcher(consume=True)
    events.watch([QEvent.Type.FontChange], first.on_event)
    events.watch([QEvent.Type.FontChange], last.on_event)
    try:
        QApplication.sendEvent(w, QEvent(QEvent.Type.FontChange))
        assert last.seen == [QEvent.Type.FontChange]
        assert first.seen == []  # consumed, as by an event filter that returns True
        events.unwatch(last.on_event)
        QApplication.sendEvent(w, QEvent(QEvent.Type.FontChange))
        assert first.seen == [QEvent.Type.FontChange]
    finally:
        events.unwatch(first.on_event)
        events.unwatch(last.on_event)


def test_a_watcher_that_is_gone_is_dropped(qtbot):
    w = QWidget()
    qtbot.addWidget(w)
    watcher = Watcher()
    events.watch([QEvent.Type.FontChange], watcher.on_event)
    hub = events.hub()
    assert hub.watching(watcher.on_event)
    assert QEvent.Type.FontChange in hub._wanted
    del watcher
    gc.collect()
    QApplication.sendEvent(w, QEvent(QEvent.Type.FontChange))  # no error, and it is forgotten
    assert QEvent.Type.FontChange not in hub._wanted
