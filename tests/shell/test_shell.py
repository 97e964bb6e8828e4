"""The kiosk shell: navigation by touch, languages, idle reset, layouts at every screen shape."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QRawFont
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QPushButton, QWidget
from PySide6.QtWidgets import QLabel as _QLabel

from kiosk.shell.window import KioskWindow

SHAPES = [(1920, 1080), (1080, 1920), (3840, 2160)]


@pytest.fixture
def window(qtbot, shipped_content):
    def build(language="en", size=(1920, 1080), **kwargs):
        win = KioskWindow(shipped_content, language=language, size=QSize(*size), **kwargs)
        win.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)  # exact touch coordinates
        qtbot.addWidget(win)
        win.resize(*size)
        win.show()
        qtbot.waitExposed(win)
        return win

    return build


def tap(widget: QWidget, device, pos: QPoint | None = None) -> None:
    # the widget is named in press()/release() too: without it Qt takes the point as relative
    # to the top-level window, not to the widget
    pos = pos or widget.rect().center()
    QTest.touchEvent(widget, device).press(0, pos, widget).commit()
    QTest.touchEvent(widget, device).release(0, pos, widget).commit()


def test_none_refcount_is_kept_by_qt_calls(qapp):
    """PySide6 6.12.0 on Python 3.11 drops a reference to None per void call and aborts."""
    label = _QLabel()
    before = sys.getrefcount(None)
    for _ in range(1000):
        label.setText("x")
    assert abs(sys.getrefcount(None) - before) < 50


def test_starts_in_attract_and_a_touch_opens_home(window, touch_device, qtbot):
    win = window()
    assert win.current_screen == "attract"
    assert win.layers.currentWidget() is win.attract
    tap(win.attract, touch_device)
    assert win.current_screen == "home"
    assert win.layers.currentWidget() is win.main


@pytest.mark.parametrize("screen_id", ["timeline", "map", "economy"])
def test_tap_on_navigation_opens_screen_and_home_returns(window, touch_device, qtbot, screen_id):
    win = window()
    win.start_visit()
    tap(win.nav.buttons[screen_id], touch_device)
    assert win.current_screen == screen_id
    assert win.stack.current() is win.screens[screen_id]
    assert win.nav.buttons[screen_id].isChecked()
    qtbot.waitUntil(lambda: not win.stack.is_animating(), timeout=2000)
    tap(win.nav.buttons["home"], touch_device)
    assert win.current_screen == "home"


def test_home_cards_open_their_screens(window, touch_device):
    win = window()
    win.start_visit()
    tap(win.screens["home"].cards["economy"], touch_device)
    assert win.current_screen == "economy"


def test_input_during_transition_lands_on_the_new_screen(window, touch_device):
    win = window()
    win.start_visit()
    tap(win.nav.buttons["timeline"], touch_device)
    assert win.stack.is_animating()
    tap(win.nav.buttons["economy"], touch_device)  # does not wait for the slide
    assert win.current_screen == "economy"
    assert win.stack.current() is win.screens["economy"]


def test_multi_finger_smear_does_not_jump_screens(window, touch_device, qtbot):
    win = window()
    win.start_visit()
    button = win.nav.buttons["map"]
    c = button.rect().center()
    seq = QTest.touchEvent(button, touch_device)
    b = button
    seq.press(0, c, b).press(1, c + QPoint(40, 0), b).press(2, c + QPoint(80, 0), b).commit()
    QTest.touchEvent(b, touch_device).move(0, c + QPoint(5, 0), b).move(
        1, c + QPoint(45, 0), b).move(2, c + QPoint(85, 0), b).commit()
    QTest.touchEvent(b, touch_device).release(0, c, b).release(1, c + QPoint(40, 0), b).release(
        2, c + QPoint(80, 0), b).commit()
    assert win.current_screen == "home"
    # a deliberate one-finger tap after the grace period still works
    qtbot.wait(round(win.guard.GRACE_S * 1000) + 50)
    tap(button, touch_device)
    assert win.current_screen == "map"


def test_language_switch_redraws_texts_and_keeps_screen(window, touch_device):
    win = window()
    win.start_visit()
    win.show_screen("economy")
    tap(win.title_bar.picker.buttons["de"], touch_device)
    assert win.language == "de"
    assert win.current_screen == "economy"
    assert win.nav.buttons["economy"].text() == "Wirtschaft"
    assert win.title_bar.picker.buttons["de"].isChecked()
    tap(win.title_bar.picker.buttons["zh"], touch_device)
    assert win.nav.buttons["timeline"].text() == "大事记"


@pytest.mark.parametrize("screen_id", ["timeline", "map", "economy"])
def test_language_switch_keeps_screen_state(window, screen_id):
    win = window()
    win.start_visit()
    screen = win.screen(screen_id)
    win.show_screen(screen_id)
    params = {
        "timeline": {"event": win.content.timeline.sorted_events()[5].id},
        "map": {"city": "sendai"},
        "economy": {"chart": win.content.economy.charts[2].id},
    }[screen_id]
    screen.open(params)
    before = screen.state()
    win.set_language("ja")
    assert screen.state() == before
    assert before  # the screen reports some state, so the comparison means something


def test_idle_countdown_then_reset_to_attract_in_default_language(window, qtbot):
    win = window(idle_timeout_s=0.3, idle_countdown_s=0.6)
    win.start_visit()
    win.set_language("ru")
    win.show_screen("map")
    qtbot.waitUntil(lambda: win.still_there.isVisible(), timeout=2000)
    assert "Вы ещё здесь?" in win.still_there.title.text()
    qtbot.waitUntil(lambda: win.current_screen == "attract", timeout=3000)
    assert win.language == "en"
    assert not win.still_there.isVisible()
    assert win.nav.buttons["home"].text() == "Home"


def test_touch_during_countdown_cancels_it(window, touch_device, qtbot):
    win = window(idle_timeout_s=0.3, idle_countdown_s=1.5)
    win.start_visit()
    qtbot.waitUntil(lambda: win.still_there.isVisible(), timeout=2000)
    tap(win.still_there, touch_device)
    assert not win.still_there.isVisible()
    assert win.current_screen == "home"  # the cancelling touch does not press a card beneath
    qtbot.wait(200)
    assert win.current_screen == "home"


def test_input_stays_watched_when_the_window_is_made_again(window, qtbot):
    """Full screen, the launcher changes the window's flags, which makes a new QWindow: the
    watchers (here the idle clock) see the input of the new one."""
    from kiosk.ui import events

    win = window(idle_timeout_s=0.3, idle_countdown_s=1.5)
    first = win.windowHandle()
    win.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
    win.show()
    qtbot.waitExposed(win)
    assert events.hub().covers(win.windowHandle())
    if win.windowHandle() is not first:
        assert not events.hub().covers(first)
    win.start_visit()
    qtbot.waitUntil(lambda: win.still_there.isVisible(), timeout=2000)
    QTest.keyClick(win.windowHandle(), Qt.Key.Key_Space)  # input, as the platform sends it
    assert not win.still_there.isVisible()


def _visible_widgets(root: QWidget) -> list[QWidget]:
    return [w for w in root.findChildren(QWidget) if w.isVisible() and w.window() is root]


@pytest.mark.parametrize("size", SHAPES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("language", ["en", "zh"])
def test_layout_fits_every_screen_shape(window, size, language, tmp_path):
    win = window(language=language, size=size)
    win.start_visit()
    QTest.qWait(30)
    image = win.grab().toImage()
    image.save(str(tmp_path / f"home_{language}_{size[0]}x{size[1]}.png"))
    assert image.width() == size[0]
    assert image.height() == size[1]
    # not blank: many distinct colours
    colours = {image.pixel(x, y) for x in range(0, size[0], 37) for y in range(0, size[1], 41)}
    assert len(colours) > 8
    bounds = win.rect()
    for w in _visible_widgets(win):
        rect = w.rect().translated(w.mapTo(win, QPoint(0, 0)))
        assert bounds.contains(rect), f"{w.objectName() or type(w).__name__} leaves the screen"
    for button in [*win.nav.buttons.values(), *win.title_bar.picker.buttons.values()]:
        assert button.height() >= win.metrics.touch
        assert button.width() >= win.metrics.touch
        # the whole label fits in the button
        assert button.fontMetrics().horizontalAdvance(button.text().split("\n")[0]) <= button.width()
    for label in win.main.findChildren(QLabel):
        if label.isVisible() and not label.wordWrap() and label.text():
            assert label.fontMetrics().horizontalAdvance(label.text()) <= label.width() + 2


@pytest.mark.parametrize(
    ("language", "family", "char"),
    [("zh", "Noto Sans CJK SC", "长"), ("ja", "Noto Sans CJK JP", "長"), ("ko", "Noto Sans CJK KR", "춘")],
)
def test_cjk_text_uses_its_own_cjk_font(window, language, family, char):
    win = window(language=language)
    win.start_visit()
    title = win.title_bar.title
    raw = QRawFont.fromFont(title.font())
    assert raw.familyName() == family
    assert raw.supportsCharacter(char)


def test_language_picker_shows_endonyms_in_their_own_fonts(window):
    win = window()
    picker = win.title_bar.picker
    assert [b.text() for b in picker.buttons.values()] == [
        "English", "中文", "Deutsch", "日本語", "한국어", "Русский"]
    assert QRawFont.fromFont(picker.buttons["ja"].font()).familyName() == "Noto Sans CJK JP"


def test_two_language_mode_shows_second_language_beneath(window):
    win = window(language="zh", second_language="de")
    win.start_visit()
    assert win.nav.buttons["economy"].text() == "经济\nWirtschaft"
    home = win.screens["home"]
    assert "Willkommen in Changchun" in home.welcome.text()


def test_right_to_left_language_mirrors_the_interface(qtbot, tmp_path):
    from kiosk.content import load
    from kiosk.paths import PROJECT_ROOT

    content = load(PROJECT_ROOT / "tests" / "data" / "rtl" / "content.yaml")
    win = KioskWindow(content, language="ar", size=QSize(1280, 720))
    qtbot.addWidget(win)
    win.show()
    win.start_visit()
    assert win.layoutDirection() == Qt.LayoutDirection.RightToLeft
    home_button = win.nav.buttons["home"]
    economy_button = win.nav.buttons["economy"]
    assert home_button.mapTo(win, QPoint(0, 0)).x() > economy_button.mapTo(win, QPoint(0, 0)).x()
    win.set_language("en")
    assert win.layoutDirection() == Qt.LayoutDirection.LeftToRight


def test_all_nav_targets_are_buttons_not_hover_only(window):
    win = window()
    for button in win.nav.buttons.values():
        assert isinstance(button, QPushButton)


def test_language_switch_redraws_only_the_shown_screen_and_the_rest_when_shown(window, monkeypatch):
    win = window()
    win.start_visit()
    for screen_id in ("timeline", "map"):
        win.show_screen(screen_id)
    win.show_screen("home")
    languages: dict[str, list[str]] = {"timeline": [], "map": [], "home": []}
    for screen_id, seen in languages.items():
        screen = win.screens[screen_id]
        original = screen.apply_context

        def spy(ctx, original=original, seen=seen):
            seen.append(ctx.language)
            original(ctx)

        monkeypatch.setattr(screen, "apply_context", spy)
    win.set_language("de")
    assert languages == {"timeline": [], "map": [], "home": ["de"]}
    assert win.screens["home"].ctx.language == "de"
    win.show_screen("map")
    assert languages["map"] == ["de"]
    assert win.screens["map"].ctx.language == "de"
    win.set_language("ru")
    win.show_screen("timeline")  # missed two switches: takes only the latest context, once
    assert languages["timeline"] == ["ru"]
    assert languages["map"] == ["de", "ru"]
    win.show_screen("map")
    assert languages["map"] == ["de", "ru"]  # up to date: not redrawn again


def test_attract_loop_hidden_during_a_switch_comes_back_in_the_new_language(window):
    win = window()
    win.start_visit()
    win.set_language("ru")
    assert win.attract.ctx.language == "en"  # hidden: not redrawn yet
    win.show_attract()
    assert win.attract.ctx.language == "ru"


def test_attract_loop_caches_its_texts_per_language(window, qtbot):
    win = window()
    view = win.attract
    view.stop()
    view.progress = 1.0
    before = view.grab().toImage()
    layers = view._layers
    assert layers is not None  # painted from the cache
    view.grab()
    assert view._layers is layers  # the next frame reuses it
    win.set_language("zh")
    view.stop()
    view.progress = 1.0
    after = view.grab().toImage()
    assert view._layers is not layers  # the language changed: drawn again
    assert after != before
    assert view._bg is not None


def test_attract_loop_gives_back_its_pictures_while_a_visitor_is_here(window, touch_device):
    win = window()
    win.attract.grab()
    assert win.attract._bg is not None
    tap(win.attract, touch_device)
    assert win.current_screen == "home"
    assert win.attract._bg is None
    assert win.attract._layers is None
    win.show_attract()
    win.attract.grab()
    assert win.attract._bg is not None


@pytest.mark.parametrize(("language", "doubled"), [("zh", "年年"), ("ja", "年年"), ("ko", "년년"),
                                                   ("ru", "г. года")])
def test_attract_city_slides_write_the_year_once(shipped_content, language, doubled):
    from kiosk.content import Localiser
    from kiosk.shell.attract import build_highlights

    cities = [h for h in build_highlights(shipped_content, Localiser(shipped_content, language))
              if h.kind == "city"]
    assert cities
    sendai = next(c for c in shipped_content.cities if c.id == "sendai")
    details = " ".join(str(field) for h in cities for field in vars(h).values())
    assert doubled not in details
    assert str(sendai.established) in details
