"""Idle detection: after the content's timeout a "Still there?" countdown, then a reset."""

from __future__ import annotations

import math

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from kiosk.screens.base import ScreenContext
from kiosk.ui import events

INPUT_EVENTS = frozenset(
    {
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TouchEnd,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseMove,
        QEvent.Type.KeyPress,
        QEvent.Type.Wheel,
    }
)


class IdleWatcher(QObject):
    """Watches all input to the kiosk's window and tells when nobody has touched it for a while.

    Signals:
        countdown_started(): the idle timeout passed; the visitor gets a countdown.
        countdown_tick(int): seconds left.
        countdown_cancelled(): someone touched the screen during the countdown.
        timed_out(): the countdown ran out: reset the kiosk.
        activity(): any input (used by the slideshow to hand over to a visitor).
    """

    countdown_started = Signal()
    countdown_tick = Signal(int)
    countdown_cancelled = Signal()
    timed_out = Signal()
    activity = Signal()

    def __init__(self, timeout_s: float, countdown_s: float, parent: QObject | None = None):
        super().__init__(parent)
        self.timeout_s = timeout_s
        self.countdown_s = countdown_s
        self.enabled = False
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(self._start_countdown)
        self._tick = QTimer(self)
        self._tick.setInterval(250)
        self._tick.timeout.connect(self._on_tick)
        self._elapsed = QElapsedTimer()
        self._last_left = -1

    def install(self, app: QApplication) -> None:
        events.watch(INPUT_EVENTS, self.eventFilter, app)

    def set_enabled(self, enabled: bool) -> None:
        """Watch only while a visitor uses the kiosk (not during the attract loop)."""
        self.enabled = enabled
        if enabled:
            self.poke()
        else:
            self._idle.stop()
            self._tick.stop()

    @property
    def counting_down(self) -> bool:
        return self._tick.isActive()

    def poke(self) -> None:
        """Input happened: restart the idle clock, cancel a countdown."""
        if not self.enabled:
            return
        if self._tick.isActive():
            self._tick.stop()
            self.countdown_cancelled.emit()
        self._idle.start(round(self.timeout_s * 1000))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS and (
            event.type() != QEvent.Type.MouseMove or QApplication.mouseButtons()
        ):
            self.activity.emit()
            self.poke()
        return False

    def _start_countdown(self) -> None:
        self._elapsed.start()
        self._last_left = -1
        self.countdown_started.emit()
        self._on_tick()
        self._tick.start()

    def _on_tick(self) -> None:
        left = self.countdown_s - self._elapsed.elapsed() / 1000.0
        if left <= 0:
            self._tick.stop()
            self.timed_out.emit()
            return
        seconds = math.ceil(left)
        if seconds != self._last_left:
            self._last_left = seconds
            self.countdown_tick.emit(seconds)


class StillThereOverlay(QWidget):
    """A dimmed overlay with a large "Still there?" and the seconds left; any touch cancels."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("StillThere")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#StillThere { background: rgba(5, 10, 20, 200); }")
        box = QVBoxLayout(self)
        box.addStretch(1)
        self.title = QLabel()
        self.text = QLabel()
        for label in (self.title, self.text):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            box.addWidget(label)
        box.addStretch(1)
        self.ctx: ScreenContext | None = None
        self.seconds = 0
        self._touching = False
        # The touch that cancels the countdown ends here: it must not also press what is beneath.
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.hide()

    def dismiss(self) -> None:
        """The countdown was cancelled: hide, but let a cancelling touch land here first (the
        idle watcher hears of it before this widget does), so it cannot press what is beneath."""
        QTimer.singleShot(0, self._dismiss_now)

    def _dismiss_now(self) -> None:
        if not self._touching:
            self.hide()

    def event(self, event) -> bool:
        from PySide6.QtCore import QEvent

        kind = event.type()
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate):
            self._touching = True
            event.accept()
            return True
        if kind in (QEvent.Type.TouchEnd, QEvent.Type.TouchCancel):
            self._touching = False
            self.hide()
            event.accept()
            return True
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            self._touching = True
            return True
        if kind == QEvent.Type.MouseButtonRelease:
            self._touching = False
            self.hide()
            return True
        return super().event(event)

    def apply_context(self, ctx: ScreenContext) -> None:
        self.ctx = ctx
        m = ctx.metrics
        self.title.setFont(ctx.font(m.headline, bold=True))
        self.title.setStyleSheet("color: #F2B134;")
        self.text.setFont(ctx.font(m.title))
        self._refresh()

    def show_seconds(self, seconds: int) -> None:
        self.seconds = seconds
        self._refresh()
        if self.parentWidget() is not None:
            self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()

    def _refresh(self) -> None:
        if self.ctx is None:
            return
        self.title.setText(self.ctx.tr("still_there_title"))
        self.text.setText(self.ctx.tr("still_there_text", seconds=self.seconds))
