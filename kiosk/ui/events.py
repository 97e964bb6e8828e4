"""One application-wide event filter that hands input events to the kiosk's watchers.

Qt calls every application event filter for every event of every object: paints, timers,
layouts as well as touches and keys. A filter written in Python costs a call into Python, a new
wrapper for the event and a conversion of its type (together about 5 µs); five of them ran on
each of the hundreds of events a second of an animation or a slideshow, where they watch only
for input. The hub is the one filter: it asks for an event's type once and calls a watcher only
for the types it asked for.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject

Watcher = Callable[[QObject, QEvent], bool]

_hub: EventHub | None = None


class EventHub(QObject):
    """Calls ``watcher(obj, event)`` for the event types each asked for; a watcher that returns
    True consumes the event, as an event filter does. The watcher added last is asked first (Qt's
    order for event filters). Watchers are held weakly: a watcher whose object is gone (in
    Python or in Qt) is dropped."""

    def __init__(self, app: QCoreApplication):
        super().__init__(app)
        self.app = app
        self._watchers: list[tuple[frozenset[QEvent.Type], weakref.WeakMethod]] = []
        self._wanted: frozenset[QEvent.Type] = frozenset()
        app.installEventFilter(self)

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


def watch(types: Iterable[QEvent.Type], watcher: Watcher,
          app: QCoreApplication | None = None) -> None:
    hub(app).watch(types, watcher)


def unwatch(watcher: Watcher, app: QCoreApplication | None = None) -> None:
    if _hub is not None and shiboken6.isValid(_hub):
        _hub.unwatch(watcher)
