"""Slideshow: playlists run in order on a fake clock; clicker keys; black screen; hand-over."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtTest import QTest

from kiosk.content.model import LocalText, Playlist, Step
from kiosk.state.slideshow import Slideshow, step_view


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def playlist(loop: bool = True) -> Playlist:
    return Playlist(
        id="test",
        name=LocalText.of("Test"),
        steps=(
            Step(screen="title", title=LocalText.of(en="Hello"), duration_s=5),
            Step(screen="map", city="sendai"),
            Step(screen="chart", chart="gdp", from_year=2010, to_year=2024, duration_s=3),
        ),
        loop=loop,
        default_duration_s=10,
    )


# --- the state machine, no Qt ------------------------------------------------------------------


def test_steps_advance_after_their_durations():
    show = Slideshow(playlist(), 8, now=0)
    assert show.index == 0
    assert not show.tick(4.9)
    assert show.tick(5.0)
    assert show.index == 1
    assert not show.tick(14.9)  # default 10 s from the playlist
    assert show.tick(15.0)
    assert show.index == 2
    assert show.tick(18.0)
    assert show.index == 0  # loops


def test_without_loop_it_stops_at_the_end():
    show = Slideshow(playlist(loop=False), 8, now=0)
    for t in (5, 15):
        show.tick(t)
    assert show.index == 2
    assert not show.tick(100)
    assert show.finished
    assert show.index == 2


def test_pause_keeps_the_time_left():
    show = Slideshow(playlist(), 8, now=0)
    show.tick(2)
    show.toggle_pause(2)
    assert not show.tick(50)
    assert show.remaining(50) == pytest.approx(3)
    show.toggle_pause(50)
    assert not show.tick(52.9)
    assert show.tick(53)


def test_host_keys_pause_auto_advance_until_resumed_or_timeout():
    show = Slideshow(playlist(), 8, now=0, host_pause_s=60)
    show.next(1)
    assert show.index == 1
    assert show.paused
    assert not show.tick(30)
    assert show.index == 1
    assert not show.tick(61)  # host pause over: auto-advance resumes with the full step time
    assert show.tick(71)
    assert show.index == 2


def test_previous_first_last_wrap():
    show = Slideshow(playlist(), 8, now=0)
    show.previous(0)
    assert show.index == 2
    show.first(0)
    assert show.index == 0
    show.last(0)
    assert show.index == 2


def test_step_views_translate_steps_into_deep_links():
    steps = playlist().steps
    assert step_view(steps[1]).screen == "map"
    assert step_view(steps[1]).params == {"city": "sendai"}
    chart = step_view(steps[2])
    assert chart.screen == "economy"
    assert chart.params == {"chart": "gdp", "from_year": 2010, "to_year": 2024}
    assert step_view(Step(screen="timeline", year=1983, event="e")).params == {
        "year": 1983, "event": "e"}


# --- on the kiosk window -----------------------------------------------------------------------


@pytest.fixture
def kiosk(qtbot, shipped_content):
    from kiosk.shell.window import KioskWindow

    win = KioskWindow(shipped_content, size=QSize(1920, 1080), idle_timeout_s=0.3,
                      idle_countdown_s=0.3)
    win.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_playlist_runs_its_steps_in_order_on_the_window(kiosk):
    clock = FakeClock()
    ctl = kiosk.start_slideshow("overview", clock)
    playlist = kiosk.content.playlist("overview")
    seen = []
    for step in playlist.steps:
        seen.append(kiosk.current_screen)
        if step.screen == "title":
            assert kiosk.screens["title"].title.text() == "Welcome to Changchun"
        if step.screen == "map" and step.city:
            assert kiosk.screens["map"].state()["selected_city"] == step.city
        if step.screen == "timeline" and step.event:
            assert kiosk.screens["timeline"].state()["selected_event"] == step.event
        if step.screen == "chart":
            assert kiosk.screens["economy"].state()["chart"] == step.chart
        clock.advance(ctl.show.duration())
        ctl.tick()
    expected = [step_view(s).screen for s in playlist.steps]
    assert seen == expected


def test_delegation_playlist_sets_languages(kiosk):
    kiosk.start_slideshow("wolfsburg", FakeClock())
    assert kiosk.language == "de"
    assert kiosk.ctx.second is not None
    assert kiosk.ctx.second.language == "zh"
    title = kiosk.screens["title"]
    assert "Wolfsburg" in title.title.text()
    assert title.title2.isVisible()
    assert "沃尔夫斯堡" in title.title2.text()


def test_clicker_keys(kiosk):
    clock = FakeClock()
    ctl = kiosk.start_slideshow("overview", clock)
    QTest.keyClick(kiosk.windowHandle(), Qt.Key.Key_PageDown)
    assert ctl.show.index == 1
    assert ctl.show.paused  # a host is driving
    QTest.keyClick(kiosk.windowHandle(), Qt.Key.Key_Right)
    QTest.keyClick(kiosk.windowHandle(), Qt.Key.Key_Space)
    assert ctl.show.index == 3
    QTest.keyClick(kiosk.windowHandle(), Qt.Key.Key_PageUp)
    assert ctl.show.index == 2
    QTest.keyClick(kiosk.windowHandle(), Qt.Key.Key_End)
    assert ctl.show.index == len(ctl.playlist.steps) - 1
    QTest.keyClick(kiosk.windowHandle(), Qt.Key.Key_Home)
    assert ctl.show.index == 0
    assert kiosk.current_screen == "title"
    QTest.keyClick(kiosk.windowHandle(), Qt.Key.Key_B)
    assert ctl.black.isVisible()
    QTest.keyClick(kiosk.windowHandle(), Qt.Key.Key_Period)
    assert not ctl.black.isVisible()
    QTest.keyClick(kiosk.windowHandle(), Qt.Key.Key_P)
    assert not ctl.show.paused
    QTest.keyClick(kiosk.windowHandle(), Qt.Key.Key_P)
    assert ctl.show.paused
    QTest.keyClick(kiosk.windowHandle(), Qt.Key.Key_L)
    assert kiosk.language == "zh"


def test_touch_hands_over_and_idle_resumes_where_it_left_off(kiosk, qtbot, touch_device):
    clock = FakeClock()
    ctl = kiosk.start_slideshow("overview", clock)
    clock.advance(8)
    ctl.tick()
    assert ctl.show.index == 1
    button = kiosk.nav.buttons["economy"]
    c = button.rect().center()
    QTest.touchEvent(button, touch_device).press(0, c, button).commit()
    QTest.touchEvent(button, touch_device).release(0, c, button).commit()
    assert ctl.interactive
    assert kiosk.current_screen == "economy"  # the visitor goes where they touched
    clock.advance(100)
    ctl.tick()
    assert kiosk.current_screen == "economy"  # no auto-advance while a visitor explores
    qtbot.waitUntil(lambda: not ctl.interactive, timeout=3000)  # idle timeout: resume
    assert ctl.show.index == 1
    assert kiosk.current_screen == "map"


def test_progress_bar_shows_time_used(kiosk):
    clock = FakeClock()
    ctl = kiosk.start_slideshow("overview", clock)
    clock.advance(4)
    ctl.tick()
    assert ctl.progress.fraction == pytest.approx(0.5)
    assert ctl.progress.isVisible()
    assert ctl.progress.geometry().bottom() == kiosk.height() - 1
    assert ctl.progress.mapTo(kiosk, QPoint(0, 0)).x() == 0


def test_attract_loop_can_be_a_playlist(qtbot, shipped_content, touch_device):
    from dataclasses import replace

    from kiosk.shell.window import KioskWindow

    content = replace(shipped_content,
                      settings=replace(shipped_content.settings, attract_playlist="attract"))
    win = KioskWindow(content, size=QSize(1920, 1080))
    win.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    ctl = win.slideshow
    assert ctl is not None
    assert ctl.attract
    assert ctl.prompt is not None
    assert ctl.prompt.isVisible()
    assert not ctl.progress.isVisible()
    assert win.stack.current() is win.screens["map"]  # the playlist's first step
    c = QPoint(900, 500)
    QTest.touchEvent(win, touch_device).press(0, c, win).commit()
    QTest.touchEvent(win, touch_device).release(0, c, win).commit()
    qtbot.waitUntil(lambda: win.current_screen == "home", timeout=2000)
    assert win.slideshow is None
    assert win.idle.enabled


def test_slideshow_builds_its_screens_before_showing_them(kiosk):
    kiosk.start_slideshow("overview", FakeClock())
    assert {"title", "map", "timeline", "economy", "home"} <= set(kiosk.screens)


def test_screens_present_while_the_slideshow_drives_them(kiosk, qtbot, touch_device):
    clock = FakeClock()
    ctl = kiosk.start_slideshow("overview", clock)
    timeline, map_ = kiosk.screens["timeline"], kiosk.screens["map"]
    economy = kiosk.screens["economy"]
    assert timeline.presenting
    assert map_.view.intro_frames.limited  # entry animations at 30 fps, unattended
    assert economy.growth_frames.limited
    assert not kiosk.stack.smooth  # slides uncover the live coming page, no picture of it
    button = kiosk.nav.buttons["economy"]
    c = button.rect().center()
    QTest.touchEvent(button, touch_device).press(0, c, button).commit()
    QTest.touchEvent(button, touch_device).release(0, c, button).commit()
    assert ctl.interactive
    assert not timeline.presenting  # a visitor gets the full frame rate
    assert not map_.view.intro_frames.limited
    assert not economy.growth_frames.limited
    assert kiosk.stack.smooth
    qtbot.waitUntil(lambda: not ctl.interactive, timeout=3000)
    assert timeline.presenting
    ctl.stop()
    assert not timeline.presenting


def test_progress_bar_repaints_only_the_stretch_that_changed(kiosk, qtbot):
    from PySide6.QtCore import QEvent, QObject, QRect

    clock = FakeClock()
    ctl = kiosk.start_slideshow("overview", clock)
    qtbot.waitUntil(lambda: not kiosk.stack.is_animating(), timeout=2000)
    qtbot.wait(300)  # the first step's own animations
    painted: list[QRect] = []

    class Spy(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint:
                painted.append(event.rect())
            return False

    spy = Spy()
    ctl.progress.installEventFilter(spy)
    clock.advance(1)
    ctl.tick()
    qtbot.waitUntil(lambda: bool(painted), timeout=2000)
    width = ctl.progress.width()
    assert painted[0].width() < width / 5  # 1 s of a 10 s step: a tenth of the bar, not all
    assert painted[0].left() <= 1


def test_progress_bar_moves_twice_a_second_and_paints_only_itself(kiosk):
    from PySide6.QtCore import Qt as _Qt

    from kiosk.shell.slideshow import PROGRESS_S

    clock = FakeClock()
    ctl = kiosk.start_slideshow("overview", clock)
    assert ctl.progress.testAttribute(_Qt.WidgetAttribute.WA_OpaquePaintEvent)
    clock.advance(PROGRESS_S)
    ctl.tick()
    moved = ctl.progress.fraction
    assert moved > 0
    clock.advance(0.25)  # the next tick, a quarter of a second later: the bar waits
    ctl.tick()
    assert ctl.progress.fraction == moved
    clock.advance(0.25)
    ctl.tick()
    assert ctl.progress.fraction > moved
