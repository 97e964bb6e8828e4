"""The timeline screen: touch scrolling, cards, filters, deep links, languages and layouts.

Built from a small content folder written by the ``timeline_content`` fixture (the shipped
interface words plus a dozen events with year, month and day dates), so the tests do not move when
the shipped timeline is edited. Touches go through ``QTest.touchEvent`` on a touch screen device.
"""

from __future__ import annotations

import itertools
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QScroller, QScrollerProperties, QWidget

from kiosk.content.model import Event, ImageRef, LocalText, PartialDate
from kiosk.paths import PROJECT_ROOT
from kiosk.screens.timeline import TimelineScreen
from kiosk.screens.timeline_layout import assign_lanes, build_scale, place, spread
from kiosk.screens.timeline_widgets import soft_breaks
from tests.paints import looks_the_same_without_backdrop, paints_while_repainted_beneath

CONTENT = """\
content_version: 1
meta:
  title: {en: Changchun, zh: 长春, de: Changchun}
  default_language: en
  languages:
    - {code: en, endonym: English}
    - {code: zh, endonym: 中文, fallback: [en]}
    - {code: de, endonym: Deutsch, fallback: [en]}
    - {code: ja, endonym: 日本語, fallback: [en]}
    - {code: ko, endonym: 한국어, fallback: [en]}
    - {code: ru, endonym: Русский, fallback: [en]}
include: [ui/shell.yaml, ui/screens.yaml, ui/timeline.yaml, ui/map.yaml, ui/economy.yaml,
          rest.yaml]
"""

REST = """\
cities:
  - {id: sendai, name: {en: Sendai, zh: 仙台}, country: JP, region: asia, lat: 38.27,
     lon: 140.87, established: 1980, kind: sister, source: Test}
  - {id: wolfsburg, name: {en: Wolfsburg, zh: 沃尔夫斯堡}, country: DE, region: europe,
     lat: 52.42, lon: 10.79, established: 2006, kind: sister, source: Test}
  - {id: birmingham, name: {en: Birmingham, zh: 伯明翰}, country: GB, region: europe,
     lat: 52.48, lon: -1.89, established: 1983, kind: sister, source: Test}
timeline:
  categories:
    - {id: diplomacy, name: {en: Diplomacy, zh: 外交, de: Diplomatie}, color: "#64B5F6"}
    - {id: economy, name: {en: Economy, zh: 经济, de: Wirtschaft}, color: "#FFB74D"}
    - {id: culture, name: {en: Culture, zh: 文化, de: Kultur}, color: "#F06292"}
  eras:
    - {id: reform, name: {en: Reform and opening-up, zh: 改革开放, de: Reform}, start: 1978,
       end: 2025}
  events:
    - {id: founding-1800, date: "1800", category: culture, source: Test,
       title: {en: A village is named, zh: 村落得名, de: Ein Dorf erhält seinen Namen}}
    - {id: faw-1953, date: "1953-07-15", category: economy, source: Test,
       title: {en: FAW founded, zh: 一汽奠基, de: FAW gegründet}}
    - {id: sendai-1980, date: "1980-10-27", category: diplomacy, city: sendai,
       title: {en: Sister city Sendai, zh: 与仙台结为友好城市, de: Partnerstadt Sendai},
       body: {en: The first partner city., zh: 第一个友好城市。, de: Die erste Partnerstadt.},
       image: {file: images/sendai.png, credit: {en: Photo credit, zh: 图片来源}},
       note: {en: A test note., zh: 测试注释。},
       source: [Changchun Foreign Affairs Office, https://example.invalid/a/very/long/address]}
    - {id: birmingham-1983, date: "1983-07-07", category: diplomacy, city: birmingham,
       source: Test, title: {en: Sister city Birmingham, zh: 与伯明翰结为友好城市,
       de: Partnerstadt Birmingham}}
    - {id: film-1984, date: "1984", category: culture, source: Test,
       title: {en: Film festival, zh: 电影节, de: Filmfestival}}
    - {id: faw-vw-1988, date: "1988", category: economy, source: Test,
       title: {en: FAW and VW agree, zh: 一汽与大众签约, de: FAW und VW einig}}
    - {id: plant-1988, date: "1988", category: economy, source: Test,
       title: {en: Water plant, zh: 净水厂, de: Wasserwerk}}
    - {id: fair-1988, date: "1988-09", category: culture, source: Test,
       title: {en: Trade fair, zh: 博览会, de: Messe}}
    - {id: mora-2005, date: "2005-01", category: diplomacy, source: Test,
       title: {en: Sister city Mora, zh: 与莫拉结为友好城市, de: Partnerstadt Mora}}
    - {id: wolfsburg-2006, date: "2006-06-12", category: diplomacy, city: wolfsburg,
       source: Test, title: {en: Partner city Wolfsburg, zh: 与沃尔夫斯堡结为友好城市,
       de: Partnerstadt Wolfsburg}}
    - {id: games-2007, date: "2007", category: culture, source: Test,
       title: {en: Asian Winter Games, zh: 亚冬会, de: Asiatische Winterspiele}}
    - {id: vw-2018, date: "2018-03", category: economy, city: wolfsburg, source: Test,
       title: {en: New VW plant, zh: 大众新工厂, de: Neues VW-Werk}}
    - {id: office-2018, date: "2018-05-20", category: diplomacy, source: Test,
       title: {en: Office opens, zh: 办事处开设, de: Büro eröffnet}}
"""

ECONOMY = """\
economy:
  series:
    - {id: gdp, title: {en: GDP}, unit: {en: yuan}, kind: amount, source: Test,
       values: [{year: 2022, value: 1}]}
  charts:
    - {id: gdp, type: bar, title: {en: GDP}, series: [gdp]}
"""

LANDSCAPE = (1920, 1080)
PORTRAIT = (1080, 1920)


@pytest.fixture(scope="module")
def timeline_content(tmp_path_factory):
    from kiosk.content import load

    root: Path = tmp_path_factory.mktemp("timeline_content")
    shutil.copytree(PROJECT_ROOT / "data" / "ui", root / "ui")
    (root / "images").mkdir()
    shutil.copy(PROJECT_ROOT / "tests" / "data" / "minimal" / "images" / "sendai.png",
                root / "images" / "sendai.png")
    (root / "content.yaml").write_text(CONTENT, encoding="utf-8")
    (root / "rest.yaml").write_text(REST + ECONOMY, encoding="utf-8")
    return load(root)


@pytest.fixture
def screen(qtbot, make_ctx, timeline_content):
    """screen(language="en", size=LANDSCAPE, second=None, content=None): a shown timeline."""

    def build(language="en", size=LANDSCAPE, second=None, content=None, rtl=False):
        ctx = make_ctx(language, size, content=content or timeline_content, second=second)
        w = TimelineScreen(ctx)
        w.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)  # exact touch coordinates
        if rtl:
            w.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        qtbot.addWidget(w)
        w.resize(*size)
        w.show()
        qtbot.waitExposed(w)
        qtbot.waitUntil(lambda: w.view.viewport().width() > 100, timeout=2000)
        fast(w.scroller)
        return w

    return build


def fast(scroller: QScroller) -> None:
    """Coasting stops within a few hundred milliseconds, so tests stay quick."""
    props = scroller.scrollerProperties()
    props.setScrollMetric(QScrollerProperties.ScrollMetric.DecelerationFactor, 2.0)
    props.setScrollMetric(QScrollerProperties.ScrollMetric.SnapTime, 0.1)
    scroller.setScrollerProperties(props)


# Pass the widget to press/move/release too: with PySide6 6.11, ``QTest.touchEvent(child, dev)``
# alone takes the point in the *window's* coordinates, and the touch lands somewhere else.


def press(widget: QWidget, device, point: QPoint) -> None:
    QTest.touchEvent(widget, device).press(0, point, widget).commit()


def release(widget: QWidget, device, point: QPoint) -> None:
    QTest.touchEvent(widget, device).release(0, point, widget).commit()


def tap(widget: QWidget, device, pos: QPoint | QPointF | None = None) -> None:
    point = pos or widget.rect().center()
    point = point.toPoint() if isinstance(point, QPointF) else point
    press(widget, device, point)
    QTest.qWait(20)
    release(widget, device, point)
    QTest.qWait(20)


def swipe(widget: QWidget, device, start: QPoint, end: QPoint, steps: int = 12) -> None:
    press(widget, device, start)
    for i in range(1, steps + 1):
        QTest.qWait(12)
        p = start + (end - start) * (i / steps)
        QTest.touchEvent(widget, device).move(0, p, widget).commit()
    release(widget, device, end)


def settle(qtbot, w: TimelineScreen) -> None:
    qtbot.waitUntil(lambda: w.scroller.state() == QScroller.State.Inactive, timeout=5000)


def vp_point(w: TimelineScreen, event_id: str) -> QPoint:
    point = w.event_point(event_id)
    assert point is not None, event_id
    assert w.view.viewport().rect().contains(point.toPoint()), f"{event_id} is off screen"
    return point.toPoint()


# --- layout maths ------------------------------------------------------------------------------


def _event(event_id: str, date: str) -> Event:
    return Event(event_id, PartialDate.parse(date), "x", LocalText.of(event_id), ("t",))


def test_scale_compresses_long_gaps_but_keeps_order_and_years():
    events = [_event("a", "1800"), _event("b", "1932"), _event("c", "1980"),
              _event("d", "1981"), _event("e", "1990")]
    scale = build_scale(events, year_px=20, min_sep=10)
    assert scale.first_year == 1800
    assert scale.end_year == 2000
    gap = scale.pos(1932) - scale.pos(1801)  # 131 empty years
    assert gap < 131 * 20 / 4
    assert gap > 10 * 20  # still longer than a decade: the gap is visible
    assert scale.pos(1981) - scale.pos(1980) == pytest.approx(20)  # ordinary years are even
    years = [1800, 1850, 1931.5, 1932, 1980, 1980.5, 1999]
    positions = [scale.pos(y) for y in years]
    assert positions == sorted(positions)
    for y in years:
        assert scale.year_at(scale.pos(y)) == pytest.approx(y)


def test_busy_years_widen_so_events_keep_their_spacing():
    events = [_event(f"e{i}", "2018") for i in range(7)] + [_event("x", "2019")]
    scale = build_scale(events, year_px=20, min_sep=50)
    assert scale.year_width(2018) == pytest.approx(7 * 50)
    assert scale.year_width(2019) == pytest.approx(50)


def test_spread_keeps_order_and_minimum_distance_and_centres_crowds():
    out = spread([0, 100, 100, 100, 300], 40)
    assert out == sorted(out)
    assert all(b - a >= 40 - 1e-9 for a, b in itertools.pairwise(out))
    assert out[2] == pytest.approx(100)  # the middle one of three stays where it was
    assert out[0] == 0
    assert out[4] == 300
    assert spread([10, 20], 40) == pytest.approx([-5, 35])


def test_lanes_never_overlap_cards():
    # dots (card length + gap) / lanes apart: four lanes always hold every card
    positions = spread([i * 7.0 for i in range(30)], (20 + 180 + 10) / 4)
    lanes = assign_lanes(positions, 20, 180, 4, 10)
    assert set(lanes) == {0, 1, 2, 3}
    for lane in set(lanes):
        spans = [(p - 20, p + 180) for p, ln in zip(positions, lanes, strict=True) if ln == lane]
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert start >= end + 10
    placement = place([_event("a", "2000"), _event("b", "2000-05-01")], year_px=20,
                      card_before=20, card_after=180, lanes=4, gap=10)
    assert [e.id for e in placement.events] == ["b", "a"]  # May before the middle of the year


def test_long_addresses_get_break_opportunities():
    text = soft_breaks("Source: https://example.invalid/a/very/long/address and words")
    assert "/\u200b" in text
    assert text.startswith("Source: ")
    assert text.endswith(" and words")


# --- touch -------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [LANDSCAPE, PORTRAIT], ids=["landscape", "portrait"])
def test_swipe_scrolls_with_the_finger_then_coasts_and_stops(screen, touch_device, qtbot, size):
    w = screen("en", size)
    vp = w.view.viewport()
    bar = w._bar()
    assert bar.value() == 0
    assert bar.maximum() > 1500
    c = vp.rect().center()
    vertical = size == PORTRAIT
    distance = 500
    delta = QPoint(0, -distance) if vertical else QPoint(-distance, 0)
    start = c - delta / 2
    swipe(vp, touch_device, start, start + delta)
    at_release = bar.value()
    # the content followed the finger (less the small distance before a drag starts)
    assert 0.8 * distance <= at_release <= 1.1 * distance
    settle(qtbot, w)
    final = bar.value()
    assert final > at_release + 30  # it kept moving after the finger left
    QTest.qWait(150)
    assert bar.value() == final  # and then it stopped
    assert w.state()["scroll"] == final
    assert w.state()["card_open"] is False  # a swipe is not a tap


def test_swipes_still_scroll_after_a_tap(screen, touch_device, qtbot):
    """With only the left-mouse scroller gesture grabbed, a tap broke later one-finger swipes."""
    w = screen("en", LANDSCAPE)
    vp = w.view.viewport()
    c = vp.rect().center()
    for _ in range(2):
        tap(vp, touch_device, QPoint(c.x(), 5))
        before = w._bar().value()
        swipe(vp, touch_device, c + QPoint(250, 0), c - QPoint(250, 0))
        settle(qtbot, w)
        assert w._bar().value() > before + 300


def test_swipe_snaps_to_an_event(screen, touch_device, qtbot):
    w = screen("en", LANDSCAPE)
    vp = w.view.viewport()
    c = vp.rect().center()
    swipe(vp, touch_device, c + QPoint(300, 0), c - QPoint(300, 0))
    settle(qtbot, w)
    geo = w._geo
    reading = w._bar().value() + geo.reading * geo.view_along
    nearest = min(abs(it.along - reading) for it in w._items.values())
    assert nearest < 2


def test_tap_on_event_opens_its_card_and_tap_outside_closes_it(screen, touch_device, qtbot):
    w = screen("en", LANDSCAPE)
    w.open({"year": 1980})
    point = vp_point(w, "sendai-1980")
    press(w.view.viewport(), touch_device, point)
    assert w.event_item("sendai-1980").pressed  # feedback at once, before the finger lifts
    release(w.view.viewport(), touch_device, point)
    assert not w.event_item("sendai-1980").pressed
    assert w.state()["selected_event"] == "sendai-1980"
    assert w.state()["card_open"] is True
    assert w.card.isVisible()
    assert w.card.title_label.text() == "Sister city Sendai"
    assert w.card.body_label.text() == "The first partner city."
    assert w.card.note_label.text() == "Note: A test note."
    assert w.card.source_label.text().startswith("Source: Changchun Foreign Affairs Office; ")
    assert w.card.credit_label.text() == "Photo credit"
    assert not w.card.image_label.pixmap().isNull()
    assert w.event_item("sendai-1980").selected
    # a tap where there is no event closes the card
    empty = QPoint(w.view.viewport().width() // 8, 4 + w._geo.era.__ceil__())
    assert w._item_at(QPointF(empty)) is None
    tap(w.view.viewport(), touch_device, empty)
    assert w.state()["card_open"] is False
    assert w.state()["selected_event"] is None
    assert not w.card.isVisible()
    assert not w.event_item("sendai-1980").selected


def test_close_button_closes_the_card(screen, touch_device):
    w = screen("en", PORTRAIT)
    w.open({"event": "birmingham-1983"})
    assert w.card.isVisible()
    assert w.card.close_button.text() == "Close"
    assert w.card.close_button.height() >= w.ctx.metrics.touch
    tap(w.card.close_button, touch_device)
    assert not w.card.isVisible()
    assert w.state()["card_open"] is False


def test_tap_on_another_event_switches_the_card(screen, touch_device):
    w = screen("en", LANDSCAPE)
    w.open({"event": "sendai-1980"})
    point = vp_point(w, "birmingham-1983")
    tap(w.view.viewport(), touch_device, point)
    assert w.state()["selected_event"] == "birmingham-1983"
    assert w.card.title_label.text() == "Sister city Birmingham"


def test_category_chip_filters_events(screen, touch_device):
    w = screen("en", LANDSCAPE)
    every = set(w.visible_event_ids())
    assert len(every) == 13
    chip = w._chips["culture"]
    assert chip.height() >= w.ctx.metrics.touch
    tap(chip, touch_device)
    assert set(w.visible_event_ids()) == {"founding-1800", "film-1984", "fair-1988", "games-2007"}
    assert w.event_item("sendai-1980") is None
    assert w.state()["categories"] == ["culture"]
    assert chip.isChecked()
    assert not w._chips[""].isChecked()
    tap(w._chips["economy"], touch_device)
    assert w.state()["categories"] == ["economy", "culture"]
    assert "faw-1953" in w.visible_event_ids()
    tap(w._chips["diplomacy"], touch_device)  # every category chosen: that is "All"
    assert w._chips[""].isChecked()
    assert len(w.visible_event_ids()) == 13
    tap(w._chips["culture"], touch_device)
    tap(w._chips[""], touch_device)
    assert set(w.visible_event_ids()) == every
    assert w._chips[""].isChecked()
    assert not chip.isChecked()


def test_filter_that_hides_the_open_event_closes_its_card(screen, touch_device):
    w = screen("en", LANDSCAPE)
    w.open({"event": "sendai-1980"})
    tap(w._chips["economy"], touch_device)
    assert w.state()["selected_event"] is None
    assert not w.card.isVisible()


def test_show_on_the_map_asks_for_the_map_with_the_city(screen, touch_device, qtbot):
    w = screen("en", LANDSCAPE)
    w.open({"event": "wolfsburg-2006"})
    button = w.card.map_button
    assert button.isVisible()
    assert button.text() == "Show on the map"
    assert button.height() >= w.ctx.metrics.touch
    with qtbot.waitSignal(w.navigate_requested, timeout=1000) as blocker:
        tap(button, touch_device)
    assert blocker.args == ["map", {"city": "wolfsburg"}]
    w.open({"event": "film-1984"})  # no partner city: no button
    assert not w.card.map_button.isVisible()


def test_entry_animation_runs_but_a_touch_finishes_it(screen, touch_device, qtbot):
    w = screen("en", LANDSCAPE)
    w.entered()
    assert w.entry_running()
    QTest.qWait(60)
    faded = [it for it in w._items.values() if it.opacity() < 1.0]
    assert faded  # something is still on its way in
    press(w.view.viewport(), touch_device, QPoint(5, 5))
    release(w.view.viewport(), touch_device, QPoint(5, 5))
    assert not w.entry_running()
    assert all(it.opacity() == 1.0 and it.pos() == QPointF(0, 0) for it in w._items.values())
    w.entered()
    qtbot.waitUntil(lambda: not w.entry_running(), timeout=2000)
    assert all(it.opacity() == 1.0 for it in w._items.values())


def test_year_strip_tap_jumps_far(screen, touch_device, qtbot):
    w = screen("en", LANDSCAPE)
    strip = w.strip
    assert strip.height() >= w.ctx.metrics.touch
    target = strip.to_axis(strip.width() - 40)
    tap(strip, touch_device, QPoint(strip.width() - 40, strip.height() // 2))
    settle(qtbot, w)
    QTest.qWait(50)
    settle(qtbot, w)
    assert w.state()["year"] > 2010
    geo = w._geo
    assert abs(w._bar().value() + geo.view_along / 2 - target) < geo.view_along



def test_year_strip_scrolling_moves_only_its_frame(screen, qtbot, monkeypatch):
    w = screen("en", LANDSCAPE)
    strip = w.strip
    strip.repaint()
    stills = []
    real = strip._paint_still
    monkeypatch.setattr(strip, "_paint_still", lambda p: stills.append(1) or real(p))
    start, end = strip.window_range
    before = strip.grab().toImage()
    strip.set_window(start + 300, end + 300)  # as a scroll frame does
    strip.repaint()
    assert stills == []  # the eras, ticks and decades came from the picture
    assert strip.grab().toImage() != before  # the frame moved
    strip.resize(strip.width() - 100, strip.height())
    strip.repaint()
    assert stills == [1]  # a new size draws the picture again
    strip.configure(w.ctx, strip.vertical, strip.model)
    strip.repaint()
    assert stills == [1, 1]  # so does new content or a new language

# --- dates and languages -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "event_id", "expected"),
    [
        ("en", "birmingham-1983", "July 7, 1983"),
        ("en", "mora-2005", "January 2005"),
        ("en", "games-2007", "2007"),
        ("zh", "birmingham-1983", "1983年7月7日"),
        ("zh", "mora-2005", "2005年1月"),
        ("zh", "games-2007", "2007年"),
        ("de", "birmingham-1983", "7. Juli 1983"),
        ("de", "mora-2005", "Januar 2005"),
        ("de", "games-2007", "2007"),
    ],
)
def test_dates_show_exactly_their_precision_per_language(screen, language, event_id, expected):
    w = screen(language, LANDSCAPE)
    assert w.event_item(event_id).date == expected
    w.open({"event": event_id})
    assert w.card.date_label.text() == expected


def test_apply_context_keeps_scroll_selection_and_card(screen, make_ctx, timeline_content):
    w = screen("en", LANDSCAPE)
    w.open({"event": "wolfsburg-2006"})
    w._bar().setValue(w._bar().value() + 57)
    before = w.state()
    on_screen = w.event_point("wolfsburg-2006")
    w.apply_context(make_ctx("zh", LANDSCAPE, content=timeline_content))
    after = w.state()
    assert after["selected_event"] == "wolfsburg-2006"
    assert after["card_open"] is True
    assert after["year"] == pytest.approx(before["year"], abs=0.01)
    assert abs(after["scroll"] - before["scroll"]) <= 1
    assert (w.event_point("wolfsburg-2006") - on_screen).manhattanLength() <= 2
    assert w.card.title_label.text() == "与沃尔夫斯堡结为友好城市"
    assert w.card.close_button.text() == "关闭"
    assert w._chips["culture"].text() == "文化"


def test_apply_context_with_another_layout_keeps_the_year(screen, make_ctx, timeline_content,
                                                          qtbot):
    w = screen("en", LANDSCAPE)
    w.open({"year": 1988})
    year = w.state()["year"]
    w.apply_context(make_ctx("en", PORTRAIT, content=timeline_content))
    w.resize(*PORTRAIT)
    qtbot.waitUntil(lambda: w.view.viewport().height() > w.view.viewport().width())
    assert w._geo.vertical
    assert w.state()["year"] == pytest.approx(year, abs=0.05)


def test_second_language_appears_beneath_titles(screen):
    w = screen("en", LANDSCAPE, second="zh")
    item = w.event_item("birmingham-1983")
    assert item.lines == ["Sister city Birmingham"]
    assert item.second == "与伯明翰结为友好城市"
    assert w._chips["culture"].second == "文化"
    w.open({"event": "birmingham-1983"})
    assert w.card.title2_label.isVisible()
    assert w.card.title2_label.text() == "与伯明翰结为友好城市"
    assert w.card.title2_label.font().pixelSize() < w.card.title_label.font().pixelSize()
    plain = screen("en", LANDSCAPE)
    assert plain.event_item("birmingham-1983").second is None


def test_right_to_left_mirrors_card_and_chips_but_not_the_axis(screen):
    w = screen("en", LANDSCAPE, rtl=True)
    assert w.view.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert w.strip.layoutDirection() == Qt.LayoutDirection.LeftToRight
    early = w._items["founding-1800"].along
    late = w._items["office-2018"].along
    assert early < late  # time still runs left to right
    assert w._chips[""].x() > w._chips["diplomacy"].x()  # "All" starts the row on the right
    w.open({"event": "wolfsburg-2006"})
    assert w.card.geometry().center().x() < w.width() / 2
    point = w.event_point("wolfsburg-2006")
    card_in_view = w.card.geometry().translated(-w.view.mapTo(w, QPoint(0, 0)))
    assert not card_in_view.contains(point.toPoint())  # the event stays visible beside it


def test_missing_image_shows_a_neutral_placeholder(screen, timeline_content, caplog):
    events = tuple(
        replace(e, image=ImageRef("images/nothing-here.png", LocalText.of("x")))
        if e.id == "sendai-1980" else e
        for e in timeline_content.timeline.events
    )
    broken = replace(timeline_content, timeline=replace(timeline_content.timeline, events=events))
    w = screen("en", LANDSCAPE, content=broken)
    w.open({"event": "sendai-1980"})
    label = w.card.image_label
    assert label.isVisible()
    assert label.text() == "Image not available"
    assert label.pixmap() is None or label.pixmap().isNull()
    assert "nothing-here.png" in caplog.text  # the log names the file
    assert not w.card.credit_label.isVisible()
    w.open({"event": "birmingham-1983"})  # no image at all: no placeholder either
    assert not w.card.image_label.isVisible()


# --- deep links and state ----------------------------------------------------------------------


def test_deep_link_to_an_event_scrolls_highlights_and_opens_it(screen):
    w = screen("en", LANDSCAPE)
    assert w.state()["scroll"] == 0
    w.open({"event": "vw-2018"})
    state = w.state()
    assert state["selected_event"] == "vw-2018"
    assert state["card_open"] is True
    assert state["scroll"] > 0
    assert w.event_item("vw-2018").selected
    point = vp_point(w, "vw-2018")  # on screen ...
    card = w.card.geometry().translated(-w.view.mapTo(w, QPoint(0, 0)))
    assert not card.contains(point)  # ... and not under the card
    assert w.card.title_label.text() == "New VW plant"
    w.open({"event": "faw-1953", "card": False})
    assert w.state()["selected_event"] == "faw-1953"
    assert w.state()["card_open"] is False
    assert not w.card.isVisible()
    vp_point(w, "faw-1953")


def test_deep_link_to_a_year_category_and_country(screen):
    w = screen("en", PORTRAIT)
    w.open({"year": 1988})
    assert w.state()["year"] == pytest.approx(1988, abs=0.05)  # to the pixel
    w.open({"year": 2018})
    assert w.state()["year"] == pytest.approx(2018, abs=0.05)
    w.open({"category": "economy"})
    assert w.state()["categories"] == ["economy"]
    assert set(w.visible_event_ids()) == {"faw-1953", "faw-vw-1988", "plant-1988", "vw-2018"}
    w.open({"country": "DE"})
    assert set(w.visible_event_ids()) == {"wolfsburg-2006", "vw-2018"}
    assert w.state()["country"] == "DE"
    assert w.state()["categories"] == ["diplomacy", "economy", "culture"]
    assert w._chips["@country"].text() == "Germany"
    w.open({"country": "DE", "category": "economy", "event": "vw-2018"})
    assert w.visible_event_ids() == ["vw-2018"]
    assert w.state()["selected_event"] == "vw-2018"
    w.open({"country": "FR"})
    assert w.visible_event_ids() == []
    assert w._empty_note is not None
    assert w._empty_note.text() == "No events for this selection"


def test_country_chip_clears_the_country_filter(screen, touch_device):
    w = screen("en", LANDSCAPE)
    w.open({"country": "JP"})
    assert w.visible_event_ids() == ["sendai-1980"]
    tap(w._chips["@country"], touch_device)
    assert w.state()["country"] is None
    assert len(w.visible_event_ids()) == 13
    assert "@country" not in w._chips


def test_reset_returns_to_the_start(screen, touch_device):
    w = screen("en", LANDSCAPE)
    w.open({"event": "vw-2018", "category": "economy"})
    w.reset()
    assert w.state() == {
        "scroll": 0, "year": w.state()["year"], "selected_event": None,
        "categories": ["diplomacy", "economy", "culture"], "country": None, "card_open": False,
    }
    assert len(w.visible_event_ids()) == 13
    assert not w.card.isVisible()


def test_sizes_come_from_the_metrics(screen):
    w = screen("en", LANDSCAPE)
    m = w.ctx.metrics
    for chip in w._chips.values():
        assert chip.height() >= m.touch
        assert chip.font().pixelSize() >= m.small
    item = w.event_item("birmingham-1983")
    assert item.fonts.date.pixelSize() >= m.small
    assert item.fonts.title.pixelSize() >= m.body
    assert item.shape().boundingRect().width() >= m.touch  # the dot alone is a large target
    big = screen("en", (3840, 2160))
    assert big._chips["culture"].height() >= 2 * m.touch - 2


def test_the_same_deep_link_again_keeps_the_items_and_moves_the_selection(screen):
    w = screen("en", LANDSCAPE)
    events = w.ctx.content.timeline.sorted_events()
    first, second = events[3].id, events[-3].id
    w.open({"event": first})
    items = dict(w._items)
    w.open({"event": second})  # same filter, no year: the items stay, nothing is rebuilt
    assert w._items == items
    assert w.state()["selected_event"] == second
    assert w.state()["card_open"]
    assert not items[first].selected
    assert items[second].selected
    w.open({"event": first, "category": w.ctx.content.timeline.categories[0].id})
    assert w._items != items  # another filter: placed again


def test_the_card_frames_each_event_in_its_colour_without_a_new_style_sheet(screen, qtbot):
    w = screen()
    w.select_event("sendai-1980")  # diplomacy, blue
    qtbot.waitUntil(lambda: w.card.isVisible(), timeout=2000)
    sheet = w.card.styleSheet()
    w.select_event("faw-1953")  # economy, orange
    qtbot.wait(100)
    # a new sheet would polish the whole card again: 30 ms at each event shown
    assert w.card.styleSheet() == sheet
    img = w.card.grab().toImage()
    edge = img.pixelColor(img.width() // 2, 1)  # on the frame, at the top edge
    assert abs(edge.red() - 0xFF) < 40
    assert abs(edge.green() - 0xB7) < 40
    assert edge.blue() < 0x90


def test_entry_animation_moves_the_first_event_in_view_from_its_first_step(screen):
    w = screen("en", LANDSCAPE)
    w.entered()  # at the start of the axis: the first event stands back from the view's edge
    w._entry.stop()
    in_view = [it for it in w._items.values() if 0.0 <= w._entry_frac(it) <= 1.0]
    assert in_view
    assert all(it.opacity() == 0.0 for it in in_view)
    first = min(in_view, key=w._entry_frac)
    assert w._entry_frac(first) > 0.02  # else the stagger would not matter
    w._entry_step(0.03)  # the first tick after the slide
    assert first.opacity() > 0.0
    last = max(in_view, key=w._entry_frac)
    assert last.opacity() == 0.0  # still staggered along the axis


def test_a_pulse_frame_paints_the_ring_and_not_the_card(screen):
    w = screen("en", LANDSCAPE)
    w.open({"event": "sendai-1980"})
    w._pulse.stop()
    w._finish_entry()
    item = w._items["sendai-1980"]
    viewport = w.view.viewport()
    painted: list[str] = []
    card_paint, ring_paint = item.paint, item._ring.paint
    item.paint = lambda *a: (painted.append("card"), card_paint(*a))[1]
    item._ring.paint = lambda *a: (painted.append("ring"), ring_paint(*a))[1]
    item.set_pulse(0.0)
    before = viewport.grab().toImage()
    painted.clear()
    item.set_pulse(0.6)
    after = viewport.grab().toImage()
    assert "ring" in painted
    assert "card" not in painted  # the card's cached picture is kept
    # the ring is drawn, and grows: the view differs around the dot
    dot = w.view.mapFromScene(item.mapToScene(item.dot))
    m = w.ctx.metrics
    r = round(item.dot_r + m.px(8))  # the ring at pulse 0
    spots = [(dot.x() + r, dot.y()), (dot.x() - r, dot.y()), (dot.x(), dot.y() - r)]
    assert any(before.pixelColor(x, y) != after.pixelColor(x, y) for x, y in spots)


def test_the_card_texts_are_not_repainted_by_what_moves_beneath_the_card(screen, qtbot):
    """The entry animation and the pulse repaint the view beneath the open card, at every frame;
    the card's texts stay as they are (an opaque backdrop under them), and look the same."""
    w = screen("en", LANDSCAPE)
    w.open({"event": "sendai-1980"})
    w._pulse.stop()
    w._finish_entry()
    card = w.card
    texts = [card.title_label, card.date_label, card.category_label, card.body_label]
    assert all(t.isVisible() and t.text() for t in texts)
    viewport = w.view.viewport()
    assert card.geometry().intersects(QRect(w.view.mapTo(w, QPoint(0, 0)), viewport.size()))
    repainted = paints_while_repainted_beneath(qtbot, w, viewport, texts)
    assert repainted == [0] * len(texts)
    # the backdrop lies inside the card's border, in its colour: the card looks the same
    assert looks_the_same_without_backdrop(card)


def test_the_entry_moves_only_the_events_in_view(screen, qtbot):
    """Each frame of the entry touches the events in view only; the others are in place from
    its start. A relayout during the entry (a language, a resize) leaves the new events in place."""
    w = screen("en", LANDSCAPE)
    w.entered()
    w._entry.stop()
    in_view = [it for it in w._items.values() if -0.2 <= w._entry_frac(it) <= 1.2]
    elsewhere = [it for it in w._items.values() if not -0.2 <= w._entry_frac(it) <= 1.2]
    assert in_view
    assert elsewhere
    assert [item for item, _delay in w._entry_plan] == in_view
    assert all(it.opacity() == 1.0 and it.pos() == QPointF(0, 0) for it in elsewhere)
    assert all(it.opacity() == 0.0 for it in in_view)
    w._entry_step(1.0)
    assert all(it.opacity() == 1.0 and it.pos() == QPointF(0, 0) for it in in_view)
    w.entered()
    w._entry.stop()
    w.resize(1600, 1000)  # a relayout: new events
    qtbot.waitUntil(lambda: not w._entry_plan, timeout=2000)
    w._entry_step(0.3)  # nothing left to move, and no event that is gone is touched
    assert all(it.opacity() == 1.0 for it in w._items.values())
