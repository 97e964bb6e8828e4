"""One clock for the kiosk's animations, whose steps come on a steady 16 ms cadence.

Qt's event loop sleeps in whole milliseconds, rounded up, so a 60 Hz Qt timer (and Qt's own
animation clock) wakes 0-1 ms late, by an amount that changes from frame to frame with the work
done before it: the frames' intervals varied by up to 1.4 ms with that alone. The clock here asks
a Qt timer to wake it 1.5-3.5 ms before the tick, steps every tween with its value at the tick
(the steps ask for the frame), and sleeps until the tick (a sleep, not a spin: it uses no CPU):
the frame is then painted from the tick on, and the steps' own work (0.3-1 ms, varying with
what moves) is no longer part of when it ends. Input that arrives during that sleep waits for
it, at most about 3.5 ms.

A ``Tween`` is an animation from 0 to 1 on that clock, with the part of ``QVariantAnimation``'s
interface the kiosk uses (start, stop, pause, resume, state, valueChanged, finished). All running
tweens step in the same tick, so everything that moves on screen changes in one frame.
"""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QAbstractAnimation, QCoreApplication, QEasingCurve, QObject, Qt, QTimer, Signal
from shiboken6 import isValid

TICK_MS = 16  # as Qt's animations: 60 frames a second
# the timer is asked to fire this much before the tick (it wakes up to 1 ms late): room for
# the steps before the tick
_EARLY_MS = 2.5

State = QAbstractAnimation.State


class FrameClock(QObject):
    """Steps every running ``Tween`` at ticks 16 ms apart, while any runs (one per application)."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._tweens: list[Tween] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._wake)
        self._next = 0.0  # time.perf_counter() of the next tick
        self._ticking = False  # in a tick: the clock arms its timer when the tick is done
        self._frame = 0.0  # in a tick: the time of the frame being stepped
        # (for tests) the clock and the sleep used
        self.now = time.perf_counter
        self.sleep = time.sleep

    def running(self) -> bool:
        return bool(self._tweens)

    def time(self) -> float:
        """The animations' time: in a tick, the tick's (what its frame shows), else now."""
        return self._frame if self._ticking else self.now()

    def add(self, tween: Tween) -> None:
        if tween in self._tweens:
            return
        self._tweens.append(tween)
        if not self._ticking and not self._timer.isActive():  # the first tick: one tick from now
            self._next = self.now() + TICK_MS / 1000
            self._arm()

    def remove(self, tween: Tween) -> None:
        if tween in self._tweens:
            self._tweens.remove(tween)
        if not self._tweens and not self._ticking:
            self._timer.stop()

    def _arm(self) -> None:
        ahead_ms = (self._next - self.now()) * 1000 - _EARLY_MS
        self._timer.start(max(0, math.floor(ahead_ms)))

    def _wake(self) -> None:
        now = self.now()
        frame = max(self._next, now)  # later than its tick when a frame took too long
        self._next += TICK_MS / 1000
        if self._next <= now:  # a tick was missed: the cadence goes on from now, as Qt's does
            self._next = now + TICK_MS / 1000
        self._ticking, self._frame = True, frame
        try:
            for tween in list(self._tweens):
                if not isValid(tween):  # its owner was deleted while it ran
                    self._tweens.remove(tween)
                elif tween in self._tweens:  # (a step may stop another tween)
                    tween._advance(frame)
        finally:
            self._ticking = False
            early = frame - self.now()
            if early > 0:  # the frame the steps asked for is painted from its tick on
                self.sleep(early)
            if self._tweens:
                self._arm()


def frame_clock() -> FrameClock:
    """The application's clock (made with the first tween, owned by the application)."""
    app = QCoreApplication.instance()
    clock = getattr(app, "_kiosk_frame_clock", None) if app is not None else _local.get("clock")
    if clock is None:
        clock = FrameClock(app)
        if app is not None:
            app._kiosk_frame_clock = clock  # type: ignore[attr-defined]
        else:
            _local["clock"] = clock
    return clock


_local: dict[str, FrameClock] = {}


class Tween(QObject):
    """Progress from 0 to 1 over ``duration`` ms, eased, stepped by the frame clock.

    ``valueChanged(float)`` comes at ``start()`` (with the start value), at every tick and with
    the final value; ``finished`` follows the final value unless a step stopped or restarted the
    tween. ``loops`` repeats it (the value goes back to 0 at each repeat).

    Signals:
        valueChanged(float): the eased progress.
        finished(): the tween ran to its end (not after ``stop()``).
    """

    valueChanged = Signal(float)
    finished = Signal()
    State = State

    def __init__(self, parent: QObject | None = None, duration_ms: int = 300,
                 easing: QEasingCurve.Type = QEasingCurve.Type.Linear, loops: int = 1):
        super().__init__(parent)
        self._duration = max(1, int(duration_ms))
        self._easing = QEasingCurve(easing)
        self._loops = max(1, int(loops))
        self._state = State.Stopped
        self._elapsed = 0.0  # seconds run before the current stretch (pauses split them)
        self._since = 0.0  # perf_counter() when the current stretch began
        self._run = 0  # counts starts, so a step that restarts the tween is noticed

    # --- settings ----------------------------------------------------------------------------

    def duration(self) -> int:
        return self._duration

    def setDuration(self, ms: int) -> None:
        self._duration = max(1, int(ms))

    def setEasingCurve(self, easing: QEasingCurve.Type) -> None:
        self._easing = QEasingCurve(easing)

    def loopCount(self) -> int:
        return self._loops

    def setLoopCount(self, loops: int) -> None:
        self._loops = max(1, int(loops))

    def totalDuration(self) -> int:
        return self._duration * self._loops

    # --- state -------------------------------------------------------------------------------

    def state(self) -> QAbstractAnimation.State:
        return self._state

    def currentTime(self) -> int:
        """Milliseconds run (pauses excluded), up to ``totalDuration()``."""
        return round(min(self._seconds(frame_clock().time()) * 1000, self.totalDuration()))

    def start(self) -> None:
        self._leave_clock()
        self._run += 1
        self._elapsed = 0.0
        self._since = frame_clock().time()
        self._state = State.Running
        frame_clock().add(self)
        self.valueChanged.emit(self._eased(0.0))

    def stop(self) -> None:
        self._leave_clock()
        self._state = State.Stopped

    def pause(self) -> None:
        if self._state == State.Running:
            self._elapsed = self._seconds(frame_clock().time())
            self._leave_clock()
            self._state = State.Paused

    def resume(self) -> None:
        if self._state == State.Paused:
            self._since = frame_clock().time()
            self._state = State.Running
            frame_clock().add(self)

    def finish(self) -> None:
        """Jump to the end now: the final value, then ``finished`` (a proof image's state)."""
        if self._state != State.Stopped:
            self._elapsed, self._since = self.totalDuration() / 1000, frame_clock().time()
            self._state = State.Running
            self._end()

    # --- stepping ----------------------------------------------------------------------------

    def _seconds(self, now: float) -> float:
        if self._state == State.Running:
            return self._elapsed + max(0.0, now - self._since)
        return self._elapsed

    def _eased(self, progress: float) -> float:
        return self._easing.valueForProgress(progress)

    def _leave_clock(self) -> None:
        if self._state == State.Running:
            frame_clock().remove(self)

    def _advance(self, now: float) -> None:
        ms = self._seconds(now) * 1000
        if ms >= self.totalDuration():
            self._end()
            return
        self.valueChanged.emit(self._eased((ms % self._duration) / self._duration))

    def _end(self) -> None:
        run = self._run
        self.valueChanged.emit(self._eased(1.0))  # still running, as Qt's last step
        if self._run != run or self._state != State.Running:
            return  # the step stopped or restarted it
        self._leave_clock()
        self._state = State.Stopped
        self._elapsed = self.totalDuration() / 1000
        self.finished.emit()
