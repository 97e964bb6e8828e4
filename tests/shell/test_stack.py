"""The slide stack: snapshots slide on an overlay; the real page is in place and takes input."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QElapsedTimer, QPoint, Qt, QTimer, QVariantAnimation
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from kiosk.shell.stack import SlideStack
from kiosk.ui.frame_clock import Tween


class Page(QWidget):
    def __init__(self, colour: str):
        super().__init__()
        self.setAutoFillBackground(True)
        pal = self.palette()
        pal.setColor(self.backgroundRole(), QColor(colour))
        self.setPalette(pal)
        self.button = QPushButton("tap", self)
        self.taps = 0
        self.button.clicked.connect(self._tapped)
        box = QVBoxLayout(self)
        box.addWidget(self.button)
        self.anim = QVariantAnimation(self)  # an entry animation, as the screens have
        self.anim.setDuration(400)
        self.anim.setStartValue(0.0)
        self.anim.setEndValue(1.0)
        self.tween = Tween(self, 400)  # one on the kiosk's frame clock, as the screens have now

    def _tapped(self) -> None:
        self.taps += 1


@pytest.fixture
def stack(qtbot):
    s = SlideStack()
    qtbot.addWidget(s)
    s.resize(400, 300)
    a, b = Page("#ff0000"), Page("#0000ff")
    s.add(a)
    s.add(b)
    s.show()
    qtbot.waitExposed(s)
    qtbot.wait(50)
    return s, a, b


def test_slide_ends_on_the_new_page_in_place(stack, qtbot):
    s, a, b = stack
    s.set_current(b)
    assert s.is_animating()
    assert s.current() is b
    assert b.isVisible()
    assert b.pos() == QPoint(0, 0)
    assert not a.isVisible()
    assert s._overlay.isVisible()
    qtbot.waitUntil(lambda: not s.is_animating(), timeout=2000)
    assert not s._overlay.isVisible()
    assert b.isVisible()
    assert b.geometry() == s.rect()
    assert s.grab().toImage().pixelColor(200, 3) == QColor("#0000ff")


def test_a_mid_slide_frame_shows_both_pages(stack, qtbot):
    s, _a, b = stack
    s.set_current(b)
    qtbot.waitUntil(lambda: 0.2 < s.slide_offset() < 0.8, timeout=2000)
    image = s.grab().toImage()
    # the old page goes out to the start side while the new one comes in from the end side
    assert image.pixelColor(2, 3) == QColor("#ff0000")
    assert image.pixelColor(397, 3) == QColor("#0000ff")


def test_a_tap_mid_slide_lands_the_slide_and_reaches_the_new_page(stack, qtbot, touch_device):
    s, _a, b = stack
    s.set_current(b)
    assert s.is_animating()
    pos = b.button.rect().center()
    QTest.touchEvent(b.button, touch_device).press(0, pos, b.button).commit()
    assert not s.is_animating()  # landed at the touch
    QTest.touchEvent(b.button, touch_device).release(0, pos, b.button).commit()
    assert b.taps == 1
    assert s.current() is b
    assert not s._overlay.isVisible()


def test_entry_animations_wait_for_the_landing(stack, qtbot):
    s, _a, b = stack
    values: list[float] = []
    b.tween.valueChanged.connect(values.append)

    def entered() -> None:  # the shell starts them in prepare (entered())
        b.anim.start()
        b.tween.start()

    s.set_current(b, prepare=entered)
    assert b.anim.state() == QVariantAnimation.State.Paused
    assert b.tween.state() == Tween.State.Paused
    qtbot.waitUntil(lambda: s.slide_offset() > 0.1, timeout=2000)
    assert b.anim.state() == QVariantAnimation.State.Paused
    assert b.tween.state() == Tween.State.Paused
    assert values == [0.0]  # no step while the page is a picture
    qtbot.waitUntil(lambda: not s.is_animating(), timeout=2000)
    assert b.anim.state() == QVariantAnimation.State.Running
    assert b.tween.state() == Tween.State.Running
    qtbot.waitUntil(lambda: len(values) > 1, timeout=1000)
    assert values[1] < 0.2  # it goes on from where it waited, not from the slide's start


def test_a_new_change_mid_slide_finishes_the_first(stack, qtbot):
    s, a, b = stack
    s.set_current(b)
    s.set_current(a, direction=-1)
    assert s.current() is a
    assert a.pos() == QPoint(0, 0)
    assert not b.isVisible()
    qtbot.waitUntil(lambda: not s.is_animating(), timeout=2000)
    assert s.grab().toImage().pixelColor(200, 3) == QColor("#ff0000")


def test_without_animation_the_page_changes_at_once(stack):
    s, a, b = stack
    s.animate = False
    s.set_current(b)
    assert not s.is_animating()
    assert b.isVisible()
    assert not a.isVisible()
    assert not s._overlay.isVisible()
    assert s.current() is b
    assert s._overlay.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)


def test_the_leaving_page_is_copied_from_the_screen_once_painted(stack, qtbot, monkeypatch):
    s, a, b = stack
    s.set_current(b)
    qtbot.waitUntil(lambda: not s.is_animating(), timeout=2000)
    qtbot.waitUntil(lambda: s._painted, timeout=2000)  # the landing frame painted the stack
    rendered = []
    monkeypatch.setattr(s, "_render", lambda page: rendered.append(page) or page.grab())
    s.set_current(a, direction=-1)
    # the on-screen pixels were used for the leaving page; only the coming one was painted
    assert rendered == [a]
    assert s._leaving_pixmap is not None
    assert s._leaving_pixmap.toImage().pixelColor(200, 3) == QColor("#0000ff")


def test_the_coming_page_is_pictured_once_prepared_and_never_painted_during_the_slide(stack, qtbot):
    from PySide6.QtCore import QEvent, QObject

    s, _a, b = stack
    paints = []

    class Spy(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint:
                paints.append(s._overlay.isVisible())
            return False

    spy = Spy()
    b.installEventFilter(spy)
    pal = b.palette()
    pal.setColor(b.backgroundRole(), QColor("#00ff00"))
    s.set_current(b, prepare=lambda: b.setPalette(pal))  # a deep link opened, say
    # the picture is taken before the first frame, in the state prepare left the page in
    assert s._entering_pixmap is not None
    assert s._entering_pixmap.toImage().pixelColor(200, 3) == QColor("#00ff00")
    widths = set()
    qtbot.waitUntil(lambda: widths.add(s._overlay.width()) or not s.is_animating(), timeout=2000)
    qtbot.waitUntil(lambda: len(paints) > 0, timeout=2000)
    b.removeEventFilter(spy)
    # every slide frame blits the two pictures; the live page is painted once, at the landing
    assert not any(paints)
    assert widths == {s.width()}  # the overlay goes in one frame
    assert s.grab().toImage().pixelColor(200, 3) == QColor("#00ff00")


def test_the_picture_shows_the_layout_prepare_asked_for(stack):
    s, a, b = stack
    s.animate = False
    s.set_current(b)  # laid out once, as a screen shown before
    s.set_current(a)
    s.animate = True
    assert b.button.geometry().contains(50, 150)
    s.set_current(b, prepare=lambda: b.layout().setContentsMargins(100, 100, 100, 100))
    # the new margins move the button away from x = 50: the picture must not show the old layout
    assert s._entering_pixmap.toImage().pixelColor(50, 150) == QColor("#0000ff")
    assert not b.button.geometry().contains(50, 150)

def test_prepare_runs_once_also_without_a_slide(stack):
    s, a, b = stack
    calls = []
    s.set_current(a, prepare=lambda: calls.append("same page"))
    s.animate = False
    s.set_current(b, prepare=lambda: calls.append("no slide"))
    assert calls == ["same page", "no slide"]
    assert s.current() is b


def test_a_change_mid_slide_does_not_copy_the_half_slid_screen(stack, qtbot, monkeypatch):
    s, a, b = stack
    s.set_current(b)
    qtbot.waitUntil(lambda: 0.3 < s.slide_offset() < 0.9, timeout=2000)
    qtbot.wait(20)  # a frame of the slide is on screen
    rendered = []
    real = s._render
    monkeypatch.setattr(s, "_render", lambda page: rendered.append(page) or real(page))
    s.set_current(a, direction=-1)
    # the landed page is painted again, not copied from the screen (then the coming one)
    assert rendered == [b, a]
    assert s._leaving_pixmap.toImage().pixelColor(2, 3) == QColor("#0000ff")


def test_unattended_the_live_page_is_uncovered_not_pictured(stack, qtbot, monkeypatch):
    s, _a, b = stack
    s.smooth = False  # an unattended slideshow
    rendered = []
    real = s._render
    monkeypatch.setattr(s, "_render", lambda page: rendered.append(page) or real(page))
    s.set_current(b, prepare=b.anim.start)
    assert s._entering_pixmap is None
    assert b.anim.state() == QVariantAnimation.State.Paused  # still waits for the landing
    qtbot.waitUntil(lambda: 0.3 < s.slide_offset() < 0.8, timeout=2000)
    qtbot.wait(40)  # a frame or two at 30 fps
    image = s.window().grab().toImage()
    # the leaving page's picture covers the start side only; the live page shows beside it
    assert s._overlay.x() == 0
    assert 0 < s._overlay.width() < s.width()
    assert image.pixelColor(2, 3) == QColor("#ff0000")
    assert image.pixelColor(397, 3) == QColor("#0000ff")
    qtbot.waitUntil(lambda: not s.is_animating(), timeout=2000)
    assert b not in rendered  # the coming page was never painted into a picture
    assert b.anim.state() == QVariantAnimation.State.Running
    assert s.grab().toImage().pixelColor(200, 3) == QColor("#0000ff")


def test_uncovering_from_the_other_side(stack, qtbot):
    s, a, b = stack
    s.smooth = False
    s.set_current(b)
    qtbot.waitUntil(lambda: not s.is_animating(), timeout=2000)
    s.set_current(a, direction=-1)  # the picture of b leaves to the end side
    qtbot.waitUntil(lambda: 0.3 < s.slide_offset() < 0.8, timeout=2000)
    qtbot.wait(40)
    assert s._overlay.x() > 0
    assert s._overlay.geometry().right() == s.width() - 1
    image = s.window().grab().toImage()
    assert image.pixelColor(2, 3) == QColor("#ff0000")
    assert image.pixelColor(397, 3) == QColor("#0000ff")

def _overlay_paints(s, qtbot) -> int:
    from PySide6.QtCore import QEvent, QObject

    count = [0]

    class Spy(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint:
                count[0] += 1
            return False

    spy = Spy()
    s._overlay.installEventFilter(spy)
    qtbot.waitUntil(lambda: not s.is_animating(), timeout=2000)
    s._overlay.removeEventFilter(spy)
    return count[0]


def test_an_unattended_slide_paints_about_thirty_frames_a_second(stack, qtbot):
    from kiosk.shell.stack import TRANSITION_MS

    s, a, b = stack
    s.set_current(b)
    attended = _overlay_paints(s, qtbot)
    s.smooth = False
    s.set_current(a, direction=-1)
    unattended = _overlay_paints(s, qtbot)
    assert unattended <= TRANSITION_MS / 33 + 2  # every second 60 Hz tick
    assert unattended < attended



def test_a_slow_first_frame_does_not_push_the_slide_clock_back(stack, qtbot):
    # the slide ticks from set_current(), not from after its first frame: a first frame that
    # takes long is followed at once by the next (Qt's animations started their clock only
    # after the first frame, so the second came a full tick after a slow first one)
    s, _a, b = stack
    ends: list[float] = []
    clock = QElapsedTimer()
    clock.start()

    def slow_paint(p, paint=s._paint_slide):
        if not ends:
            QTest.qSleep(30)
        paint(p)
        ends.append(clock.elapsed())

    s._paint_slide = slow_paint
    s.set_current(b)
    qtbot.waitUntil(lambda: len(ends) >= 3, timeout=1000)
    gaps = [b - a for a, b in itertools.pairwise(ends)]
    assert min(gaps[:2]) < 10  # the overdue tick straight after the slow frame


def test_entry_animations_go_on_at_once_after_a_slow_landing(stack, qtbot):
    # the frame clock has nothing to step while the entry waits for the slide; the entry goes
    # on at the landing, and after a slow landing frame (the live page) its first step follows
    # that frame at once rather than a tick later
    s, _a, b = stack
    landing_end: list[float] = []
    steps: list[float] = []
    clock = QElapsedTimer()
    clock.start()

    armed: list[bool] = []  # (the picture of the page, taken in set_current, is not the landing)

    def slow_paint(event, paint=b.paintEvent):
        if armed and not s.is_animating() and not landing_end:
            QTest.qSleep(40)
            paint(event)
            landing_end.append(clock.elapsed())
        else:
            paint(event)

    b.paintEvent = slow_paint
    # when the event loop goes on after a step: the frame clock has slept to the step's tick
    b.tween.valueChanged.connect(
        lambda _v: QTimer.singleShot(0, lambda: steps.append(clock.elapsed())))
    b.tween.start()  # as entered() starts it: the stack pauses it for the slide
    s.set_current(b)
    armed.append(True)
    qtbot.waitUntil(lambda: bool(landing_end) and any(t >= landing_end[0] for t in steps),
                    timeout=2000)
    first = min(t for t in steps if t >= landing_end[0])
    assert first - landing_end[0] < 10
    qtbot.waitUntil(lambda: not s.is_animating(), timeout=2000)


def test_the_live_page_follows_the_frame_that_shows_its_picture_in_place(stack, qtbot):
    # the easing leaves the last ticks of a slide within half a pixel of the end: the live page
    # (the same pixels, a full paint) follows that frame at once instead of taking a tick
    s, _a, b = stack
    log: list[tuple[str, float]] = []

    def paint_slide(p, paint=s._paint_slide):
        paint(p)
        log.append(("slide", s._offset))

    def step(t, tick=s._step):
        log.append(("tick", 0.0))
        tick(t)

    def page_paint(event, paint=b.paintEvent):
        paint(event)
        log.append(("live", 0.0))

    s._paint_slide = paint_slide
    s._ticks.valueChanged.disconnect(s._step)
    s._ticks.valueChanged.connect(step)
    s.set_current(b)
    b.paintEvent = page_paint  # (after set_current, which paints the page's picture)
    qtbot.waitUntil(lambda: ("live", 0.0) in log, timeout=2000)
    kinds = [k for k, _ in log]
    live = kinds.index("live")
    last_slide = live - 1 - kinds[:live][::-1].index("slide")
    assert kinds.count("slide") >= 5
    assert round(s.width() * (1.0 - log[last_slide][1])) == 0  # the picture was in place
    assert "tick" not in kinds[last_slide:live]  # and the live page came before the next tick
    assert not s.is_animating()
    assert not s._overlay.isVisible()
