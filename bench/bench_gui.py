"""The Qt side of the bench: a kiosk window that records its frames, and ways to wait.

A *frame* is one repaint of the top-level window: Qt's widget repaint manager posts an
``UpdateRequest`` event to the top-level widget, which paints every dirty widget into the backing
store and flushes it. ``BenchWindow.event`` timestamps the start and the end of that handling, so
``frames`` holds (start, end) pairs in ``time.perf_counter()`` seconds. The first frame after
``show()`` comes through an expose event instead and is not recorded here.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QAbstractAnimation, QEvent, QEventLoop, QSize, Qt, QTimer
from PySide6.QtWidgets import QApplication

SCREENS = ("home", "timeline", "map", "economy")


def app() -> QApplication:
    a = QApplication.instance()
    if a is None:
        from kiosk.ui.raster import paint_on_gui_thread

        paint_on_gui_thread()  # as `kiosk run` does before its QApplication
        a = QApplication(["kiosk-bench"])
        a.setApplicationName("Changchun Showcase")
    return a  # type: ignore[return-value]


def window_class():
    from kiosk.shell.window import KioskWindow

    class BenchWindow(KioskWindow):
        """KioskWindow that keeps the (start, end) time of every frame it paints."""

        def __init__(self, *args, **kwargs):
            self.frames: list[tuple[float, float]] = []
            super().__init__(*args, **kwargs)

        def event(self, event):  # type: ignore[override]
            if event.type() == QEvent.Type.UpdateRequest:
                t0 = time.perf_counter()
                result = super().event(event)
                self.frames.append((t0, time.perf_counter()))
                return result
            return super().event(event)

    return BenchWindow


def build_window(content, size: tuple[int, int] = (1920, 1080), language: str | None = None):
    """A shown, unlocked, frameless kiosk window at ``size``, its first frame painted."""
    app()
    cls = window_class()
    win = cls(content, language=language, size=QSize(*size), locked=False)
    win.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
    win.resize(*size)
    win.show()
    wait(0.2)
    return win


def wait_until(cond: Callable[[], bool], timeout_s: float, poll_ms: int = 5) -> bool:
    """Run a real event loop until ``cond()`` holds (checked every ``poll_ms``) or time is up.

    A real ``QEventLoop.exec()``, not ``processEvents()``: only a running loop deletes the
    widgets that the screens hand to ``deleteLater()``, so anything else would count them as a
    leak and paint a window that holds more widgets than the kiosk's.
    """
    if cond():
        return True
    loop = QEventLoop()
    deadline = time.perf_counter() + timeout_s
    state = {"ok": False}

    def check() -> None:
        if cond():
            state["ok"] = True
            loop.quit()
        elif time.perf_counter() > deadline:
            loop.quit()

    poll = QTimer()
    poll.setTimerType(Qt.TimerType.PreciseTimer)
    poll.setInterval(poll_ms)
    poll.timeout.connect(check)
    poll.start()
    loop.exec()
    poll.stop()
    return state["ok"]


def run_steps(step: Callable[[int], None], count: int, interval_ms: int = 1) -> None:
    """Call ``step(i)`` ``count`` times from a running event loop, as taps would arrive."""
    loop = QEventLoop()
    state = {"i": 0}
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(interval_ms)

    def tick() -> None:
        if state["i"] >= count:
            timer.stop()
            loop.quit()
            return
        step(state["i"])
        state["i"] += 1

    timer.timeout.connect(tick)
    timer.start()
    loop.exec()


def wait(seconds: float) -> None:
    end = time.perf_counter() + seconds
    wait_until(lambda: time.perf_counter() >= end, seconds + 1.0)


def settle(win, timeout_s: float = 4.0, after_s: float = 0.05) -> bool:
    """Wait for every transition and entry animation to end, then a little longer.

    The window's animations are listed once; the poll only asks each for its state. (Listing
    them in every poll walked the whole widget tree 200 times a second: half a millisecond each
    time on the kiosk's own thread, which delayed the frames being measured.)
    """
    from kiosk.ui.frame_clock import Tween

    animations = [a for a in win.findChildren(QAbstractAnimation) if a.loopCount() != -1]
    # the kiosk's own (kiosk.ui.frame_clock), the stack's slide among them: the entry
    # animations wait for it, paused, so it must be waited for too
    animations += win.findChildren(Tween)
    running = QAbstractAnimation.State.Running
    ok = wait_until(lambda: not any(a.state() == running for a in animations), timeout_s)
    wait(after_s)
    return ok


def screen_or_none(win, screen_id: str):
    """The screen, built on first use; None (with a message) when it cannot be built."""
    try:
        return win.screen(screen_id)
    except Exception as exc:  # a screen under construction must not stop the bench
        print(f"bench: screen {screen_id!r} cannot be built: {type(exc).__name__}: {exc}",
              flush=True)
        return None


def available_screens(win) -> list[str]:
    return [s for s in SCREENS if screen_or_none(win, s) is not None]


def chart_ids(win) -> list[str]:
    screen = win.screens.get("economy")
    if screen is None:
        return []
    return [c.id for c in win.content.economy.charts]


def tour(win, languages, *, every_chart: bool = True, settle_s: float = 0.0,
         timings: dict | None = None) -> None:
    """Every screen (and every chart, a city, an event, the title card) in each language."""
    content = win.content
    for lang in languages:
        win.set_language(lang)
        win.show_attract()
        wait(0.05)
        win.start_visit()
        for screen_id in SCREENS:
            if screen_or_none(win, screen_id) is None:
                continue
            t0 = time.perf_counter()
            win.show_screen(screen_id)
            if timings is not None:
                timings.setdefault(f"{screen_id}:{lang}", (time.perf_counter() - t0) * 1000)
            settle(win, after_s=settle_s) if settle_s else wait(0.02)
            if screen_id == "economy" and every_chart:
                for chart in content.economy.charts:
                    win.show_screen("economy", {"chart": chart.id})
                    wait(0.02)
            elif screen_id == "map" and content.cities:
                win.show_screen("map", {"city": content.cities[0].id, "routes": True})
                wait(0.02)
            elif screen_id == "timeline" and content.timeline.events:
                win.show_screen("timeline", {"event": content.timeline.events[0].id})
                wait(0.02)
        try:
            win.show_screen("title", {"title": content.meta.title, "subtitle": content.meta.subtitle})
            wait(0.02)
        except Exception as exc:
            print(f"bench: title card failed: {exc}", flush=True)
        win.show_screen("home")
        settle(win)
