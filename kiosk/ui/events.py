"""One event filter, on the kiosk's window, that hands input events to the kiosk's watchers.

The filter sits on the top-level ``QWindow``, not on the application. Qt delivers every input
from the platform (touch, mouse, keys, wheel, drag and drop) to that window first, and the window
passes it on to the widget under the finger or with the focus; a filter there sees each input
once, before any widget, and can consume it. An application filter sees every event of every
object instead (paints, timers, layouts, posted calls): written in Python, each one cost a call
into Python and a wrapper for the event, and a profile of the slideshow found a sixth of its CPU
time in that filter, for the few events a second that are input.

Input that a test sends straight to a widget (``QTest.keyClick(widget, ...)``) does not pass the
window; tests send it to the window (``QTest.keyClick(widget.windowHandle(), ...)``), as the
platform does.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QWidget

Watcher = Callable[[QObject, QEvent], bool]

_hub: EventHub | None = None


class EventHub(QObject):
    """Calls ``watcher(window, event)`` for the event types each asked for, for the input of the
    windows it covers; a watcher that returns True consumes the event, as an event filter does.
    The watcher added last is asked first (Qt's order for event filters). Watchers are held
    weakly: a watcher whose object is gone (in Python or in Qt) is dropped."""

    def __init__(self, app: QCoreApplication):
        super().__init__(app)
        self.app = app
        self._watchers: list[tuple[frozenset[QEvent.Type], weakref.WeakMethod]] = []
        self._wanted: frozenset[QEvent.Type] = frozenset()
        self._windows: list[QWindow] = []

    def cover(self, window: QWindow) -> None:
        """Watch the input of ``window`` (a top-level window; once is enough)."""
        self._windows = [w for w in self._windows if shiboken6.isValid(w)]
        if any(w is window for w in self._windows):
            return
        window.installEventFilter(self)
        self._windows.append(window)

    def covers(self, window: QWindow) -> bool:
        return any(w is window for w in self._windows if shiboken6.isValid(w))

    def watch(self, types: Iterable[QEvent.Type], watcher: Watcher) -> None:
        self.unwatch(watcher)
        self._watchers.insert(0, (frozenset(types), weakref.WeakMethod(watcher)))  # type: ignore[arg-type]
        self._update()

    def unwatch(self, watcher: Watcher) -> None:
        self._watchers = [(t, ref) for t, ref in self._watchers if ref() not in (None, watcher)]
        self._update()

    def watching(self, watcher: Watcher) -> bool:
        return any(ref() == watcher for _t, ref in self._watchers)

    def _update(self) -> None:
        self._wanted = frozenset().union(*(t for t, _ref in self._watchers))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in self._wanted:
            return False
        dead = False
        for types, ref in tuple(self._watchers):
            if kind not in types:
                continue
            if not _alive(ref):
                dead = True
                continue
            if ref()(obj, event):
                return True
        if dead:
            self._watchers = [(t, ref) for t, ref in self._watchers if _alive(ref)]
            self._update()
        return False


def _alive(ref: weakref.WeakMethod) -> bool:
    watcher = ref()
    if watcher is None:
        return False
    owner = getattr(watcher, "__self__", None)
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)


def hub(app: QCoreApplication | None = None) -> EventHub:
    """The application's hub (made on first use)."""
    global _hub
    app = app or QCoreApplication.instance()
    if app is None:
        raise RuntimeError("no QApplication")
    if _hub is None or _hub.app is not app or not shiboken6.isValid(_hub):
        _hub = EventHub(app)
    return _hub


def cover(widget: QWidget) -> bool:
    """Watch the input of ``widget``'s top-level window. False while it has no window yet (a
    widget not shown yet): call again once it is shown."""
    window = widget.window().windowHandle()
    if window is None:
        return False
    hub().cover(window)
    return True


def watch(types: Iterable[QEvent.Type], watcher: Watcher,
          app: QCoreApplication | None = None) -> None:
    hub(app).watch(types, watcher)


def unwatch(watcher: Watcher, app: QCoreApplication | None = None) -> None:
    if _hub is not None and shiboken6.isValid(_hub):
        _hub.unwatch(watcher)
