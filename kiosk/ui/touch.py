"""Touch helpers: kinetic scrolling, one-finger swipes, and a guard against palms and smears."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QPointF, Signal
from PySide6.QtGui import QMouseEvent, QTouchEvent
from PySide6.QtWidgets import QApplication, QScroller, QScrollerProperties, QWidget

from kiosk.ui import events

TOUCH_EVENTS = (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd)
# A contact wider than this many millimetres is a palm or a sleeve, not a fingertip.
PALM_MM = 25.0


def enable_kinetic_scrolling(viewport: QWidget, deceleration: float = 0.35) -> QScroller:
    """Finger (and mouse) dragging with momentum and overshoot, as visitors expect from phones."""
    QScroller.grabGesture(viewport, QScroller.ScrollerGestureType.TouchGesture)
    QScroller.grabGesture(viewport, QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    scroller = QScroller.scroller(viewport)
    props = scroller.scrollerProperties()
    props.setScrollMetric(QScrollerProperties.ScrollMetric.DecelerationFactor, deceleration)
    props.setScrollMetric(QScrollerProperties.ScrollMetric.DragStartDistance, 0.003)
    props.setScrollMetric(
        QScrollerProperties.ScrollMetric.HorizontalOvershootPolicy,
        QScrollerProperties.OvershootPolicy.OvershootWhenScrollable,
    )
    props.setScrollMetric(
        QScrollerProperties.ScrollMetric.VerticalOvershootPolicy,
        QScrollerProperties.OvershootPolicy.OvershootWhenScrollable,
    )
    scroller.setScrollerProperties(props)
    return scroller


class SwipeDetector(QObject):
    """Turns one-finger (or mouse) strokes on a widget into taps and swipes.

    Qt's own gestures need two or three fingers for a swipe; visitors use one.

    Signals:
        tapped(QPointF): a short touch that barely moved, in widget coordinates.
        swiped(str): "left", "right", "up" or "down".
    """

    tapped = Signal(QPointF)
    swiped = Signal(str)

    def __init__(self, widget: QWidget, min_distance: float = 80.0, tap_slop: float = 24.0):
        super().__init__(widget)
        self.min_distance = min_distance
        self.tap_slop = tap_slop
        self._start: QPointF | None = None
        self._fingers = 0
        widget.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in TOUCH_EVENTS:
            assert isinstance(event, QTouchEvent)
            points = event.points()
            self._fingers = max(self._fingers, len(points))
            if kind == QEvent.Type.TouchBegin:
                self._start = points[0].position()
                self._fingers = len(points)
            elif kind == QEvent.Type.TouchEnd and self._start is not None:
                if self._fingers == 1:
                    self._finish(points[0].position())
                self._start = None
            return False
        if kind == QEvent.Type.MouseButtonPress:
            assert isinstance(event, QMouseEvent)
            if not _synthesized(event):
                self._start = event.position()
                self._fingers = 1
        elif kind == QEvent.Type.MouseButtonRelease:
            assert isinstance(event, QMouseEvent)
            if not _synthesized(event) and self._start is not None:
                self._finish(event.position())
                self._start = None
        return False

    def _finish(self, end: QPointF) -> None:
        assert self._start is not None
        d = end - self._start
        dx, dy = d.x(), d.y()
        if abs(dx) <= self.tap_slop and abs(dy) <= self.tap_slop:
            self.tapped.emit(end)
        elif max(abs(dx), abs(dy)) >= self.min_distance:
            if abs(dx) > abs(dy):
                self.swiped.emit("left" if dx < 0 else "right")
            else:
                self.swiped.emit("up" if dy < 0 else "down")


def _synthesized(event: QMouseEvent) -> bool:
    from PySide6.QtCore import Qt

    return event.source() != Qt.MouseEventSource.MouseEventNotSynthesized


class TouchGuard(QObject):
    """Watches every touch in the app and tells whether the current one is a deliberate tap.

    Two or more fingers at once, or a contact as wide as a palm, mark the whole touch sequence
    (and a short grace period after it) as not a tap, so smears and leaning hands do not jump
    screens.
    """

    GRACE_S = 0.35

    def __init__(self, px_per_mm: float = 3.6, clock: object = time.monotonic):
        super().__init__()
        self.px_per_mm = px_per_mm
        self._clock = clock
        self._blocked_until = 0.0
        self._active_multi = False

    def install(self, app: QApplication) -> None:
        events.watch(TOUCH_EVENTS, self.eventFilter, app)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() in TOUCH_EVENTS:
            assert isinstance(event, QTouchEvent)
            points = event.points()
            palm = any(
                max(p.ellipseDiameters().width(), p.ellipseDiameters().height())
                > PALM_MM * self.px_per_mm
                for p in points
            )
            if len(points) > 1 or palm:
                self._active_multi = True
            if event.type() == QEvent.Type.TouchEnd and self._active_multi:
                self._active_multi = False
                self._blocked_until = self._clock() + self.GRACE_S  # type: ignore[operator]
        return False

    def allows_tap(self) -> bool:
        return not self._active_multi and self._clock() >= self._blocked_until  # type: ignore[operator]
