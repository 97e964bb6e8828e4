"""The frame clock: tweens step on a 16 ms cadence, woken early by a Qt timer, each step with its
value at the tick, then the clock sleeps until the tick (when the frame is painted)."""

from __future__ import annotations

import itertools

import pytest
import shiboken6
from PySide6.QtCore import QEasingCurve, QTimer
from PySide6.QtWidgets import QWidget

from kiosk.ui.frame_clock import TICK_MS, FrameClock, Tween, frame_clock


class FakeTime:
    """Stands in for the clock's time and sleep: a sleep moves the time on, and is recorded."""

    def __init__(self) -> None:
        self.t = 100.0
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds


@pytest.fixture
def fake(qapp, monkeypatch):
    """The application's clock on fake time, its Qt timer left to the test to fire."""
    clock = frame_clock()
    clock._tweens.clear()  # (tweens of earlier tests' widgets)
    clock._timer.stop()
    time = FakeTime()
    monkeypatch.setattr(clock, "now", time.now)
    monkeypatch.setattr(clock, "sleep", time.sleep)
    yield clock, time
    clock._tweens.clear()
    clock._timer.stop()


def fire(clock: FrameClock, time: FakeTime, late_ms: float) -> None:
    """The clock's timer fires ``late_ms`` after it was due (as Qt's timers are late 0-1 ms)."""
    assert clock._timer.isActive()
    time.t += (clock._timer.interval() + late_ms) / 1000
    clock._timer.stop()
    clock._wake()


def test_each_step_is_for_its_tick_and_the_frame_waits_for_it_however_late_the_timer(fake):
    clock, time = fake
    start = time.t
    tween = Tween(None, 200)
    steps: list[tuple[float, float]] = []  # (when the step ran, the time it was for)
    tween.valueChanged.connect(lambda _v: steps.append((time.t, clock.time())))
    tween.start()
    assert steps == [(start, start)]  # the start value at once
    for late_ms in (0.0, 0.3, 0.99, 0.5):
        armed = clock._timer.interval()
        due = clock._next
        # even a millisecond late, the timer wakes 1.5 ms before the tick: room for the steps
        assert armed + 1.0 <= (due - time.t) * 1000 - 1.5
        fire(clock, time, late_ms)
        ran, stepped_for = steps[-1]
        assert ran < due  # stepped before the tick ...
        assert stepped_for == pytest.approx(due)  # ... with the tick's value
        assert time.t == pytest.approx(due)  # and back to the event loop (the paint) at the tick
    ticks = [for_ for _ran, for_ in steps[1:]]
    assert [b - a for a, b in itertools.pairwise(ticks)] == pytest.approx([TICK_MS / 1000] * 3)
    assert ticks[0] - start == pytest.approx(TICK_MS / 1000)
    assert time.sleeps
    assert all(0.0015 <= s <= 0.0035 for s in time.sleeps)


def test_a_missed_tick_goes_on_from_now(fake):
    clock, time = fake
    tween = Tween(None, 1000)
    tween.start()
    fire(clock, time, late_ms=0.5)
    first = clock._next
    time.t = first + 0.040  # a frame of 40 ms: two ticks missed
    clock._timer.stop()
    clock._wake()
    assert clock._next == pytest.approx(time.t + TICK_MS / 1000)


def test_values_are_eased_and_the_last_is_the_end_then_finished_once(fake):
    clock, time = fake
    tween = Tween(None, 100, QEasingCurve.Type.OutCubic)
    values: list[float] = []
    finished: list[bool] = []
    tween.valueChanged.connect(values.append)
    tween.finished.connect(lambda: finished.append(True))
    tween.start()
    while tween.state() == Tween.State.Running:
        fire(clock, time, late_ms=0.2)
    assert values[0] == 0.0
    assert values[-1] == 1.0
    assert values == sorted(values)
    assert len(values) == 8
    assert values[1] == pytest.approx(QEasingCurve(QEasingCurve.Type.OutCubic).valueForProgress(0.16))
    assert finished == [True]
    assert not clock.running()
    assert not clock._timer.isActive()


def test_pause_keeps_the_time_run_and_stop_does_not_finish(fake):
    clock, time = fake
    tween = Tween(None, 100)
    finished: list[bool] = []
    tween.finished.connect(lambda: finished.append(True))
    tween.start()
    fire(clock, time, 0.0)
    tween.pause()
    assert tween.state() == Tween.State.Paused
    assert not clock.running()
    time.t += 5.0  # paused for five seconds
    assert tween.currentTime() == 16
    tween.resume()
    fire(clock, time, 0.0)
    assert tween.currentTime() == 32
    tween.stop()
    assert tween.state() == Tween.State.Stopped
    assert finished == []
    assert not clock._timer.isActive()


def test_a_step_that_restarts_its_tween_does_not_finish_it(fake):
    clock, time = fake
    tween = Tween(None, 40)
    finished: list[bool] = []
    tween.finished.connect(lambda: finished.append(True))
    restarted: list[bool] = []

    def step(value: float) -> None:
        if value == 1.0 and not restarted:
            restarted.append(True)
            tween.start()

    tween.valueChanged.connect(step)
    tween.start()
    for _ in range(3):
        fire(clock, time, 0.0)
    assert restarted
    assert finished == []
    assert tween.state() == Tween.State.Running
    assert tween.currentTime() == 0


def test_loops_start_again_from_zero(fake):
    clock, time = fake
    tween = Tween(None, 50, loops=2)
    values: list[float] = []
    tween.valueChanged.connect(values.append)
    tween.start()
    while tween.state() == Tween.State.Running:
        fire(clock, time, 0.0)
    assert values == pytest.approx([0.0, 0.32, 0.64, 0.96, 0.28, 0.6, 0.92, 1.0])


def test_finish_jumps_to_the_end(fake):
    tween = Tween(None, 1000)
    values: list[float] = []
    tween.valueChanged.connect(values.append)
    tween.start()
    tween.pause()
    tween.finish()
    assert values == [0.0, 1.0]
    assert tween.state() == Tween.State.Stopped


def test_a_tween_whose_owner_is_deleted_leaves_the_clock(fake):
    clock, time = fake
    owner = QWidget()
    tween = Tween(owner, 1000)
    tween.start()
    other = Tween(None, 1000)
    other.start()
    shiboken6.delete(owner)  # the screen that owned it is gone
    fire(clock, time, 0.0)  # no error, and the other goes on
    assert clock._tweens == [other]


def test_on_the_real_clock_the_event_loop_goes_on_only_at_each_tick(qtbot):
    """Real time: each step is for a tick still to come (the timer woke early), and what runs
    after it (the frame's paint) runs at that tick or later."""
    clock = frame_clock()
    tween = Tween(None, 200)
    steps: list[tuple[float, float]] = []  # (when it ran, the tick it was for)
    after: list[float] = []

    def step(_v: float) -> None:
        steps.append((clock.now(), clock.time()))
        QTimer.singleShot(0, lambda: after.append(clock.now()))

    tween.valueChanged.connect(step)
    with qtbot.waitSignal(tween.finished, timeout=2000):
        tween.start()
    qtbot.waitUntil(lambda: len(after) == len(steps), timeout=1000)
    ticked = steps[1:]  # (the first is start()'s)
    assert len(ticked) >= 10
    assert any(ran < tick for ran, tick in ticked)
    assert all(later >= tick for (_ran, tick), later in zip(ticked, after[1:], strict=True))
