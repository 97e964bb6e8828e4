"""The economy screen: formatting per language, gaps, flags, read-out, switching, deep links.

The screen is built from tests/data/economy_fixture (with the real data/ui strings), so that the
shipped content, which is still being written, cannot break these tests; the last tests render
the shipped data/economy.yaml as well.
"""

from __future__ import annotations

import shutil
from itertools import pairwise
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication

from kiosk.content import load
from kiosk.content.formatting import compact_unit, format_amount, format_compact, format_percent
from kiosk.content.model import LocalText, PartialDate, Series, SeriesValue
from kiosk.paths import PROJECT_ROOT
from kiosk.screens.economy_data import (
    Candidate,
    Track,
    clamp_range,
    headline_value,
    line_pieces,
    milestones_by_year,
    nearest_point,
    reveal,
    year_ticks,
)

FIXTURE = PROJECT_ROOT / "tests" / "data" / "economy_fixture"
NBSP = "\u00a0"


def assemble(dest: Path, economy: Path | None = None, extra_economy: str = "") -> Path:
    """A content folder: the fixture, the real UI strings, and optionally another economy."""
    shutil.copytree(FIXTURE, dest)
    (dest / "ui").mkdir()
    for f in (PROJECT_ROOT / "data" / "ui").glob("*.yaml"):
        shutil.copy(f, dest / "ui" / f.name)
    if economy is not None:
        shutil.copy(economy, dest / "economy.yaml")
    if extra_economy:
        text = (dest / "economy.yaml").read_text(encoding="utf-8")
        series, charts = extra_economy.split("---charts---")
        text = text.replace("  series:\n", "  series:\n" + series, 1)
        text = text.replace("  charts:\n", "  charts:\n" + charts, 1)
        (dest / "economy.yaml").write_text(text, encoding="utf-8")
    return dest


@pytest.fixture(scope="session")
def economy_content(tmp_path_factory):
    return load(assemble(tmp_path_factory.mktemp("economy") / "content"))


@pytest.fixture(scope="session")
def shipped_content(economy_content):
    """make_ctx builds on this: here, the economy fixture."""
    return economy_content


@pytest.fixture
def make_screen(qtbot, make_ctx):
    from kiosk.screens.economy import EconomyScreen

    def build(language="en", size=(1600, 900), **kwargs):
        screen = EconomyScreen(make_ctx(language, size, **kwargs))
        screen.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)  # exact touch points
        screen.resize(*size)
        qtbot.addWidget(screen)
        screen.show()
        qtbot.waitExposed(screen)
        return screen

    return build


# Pass the widget to press/move/release too: without it PySide picks the QWindow overload and
# the point is taken in window coordinates, not the widget's.


def tap(widget, device, pos) -> None:
    point = QPoint(round(pos.x()), round(pos.y()))
    QTest.touchEvent(widget, device).press(0, point, widget).commit()
    QTest.touchEvent(widget, device).release(0, point, widget).commit()


def swipe(widget, device, start: QPoint, end: QPoint, steps: int = 6) -> None:
    QTest.touchEvent(widget, device).press(0, start, widget).commit()
    for i in range(1, steps + 1):
        p = start + (end - start) * (i / steps)
        point = QPoint(round(p.x()), round(p.y()))
        QTest.touchEvent(widget, device).move(0, point, widget).commit()
    QTest.touchEvent(widget, device).release(0, end, widget).commit()


def candidate(screen, year, series_id):
    return next(
        c for c in screen.canvas.candidates() if c.year == year and c.series_id == series_id
    )


# --- formatting ---------------------------------------------------------------------------

GDP_2024 = 7632.19 * 100_000_000


@pytest.mark.parametrize(
    ("value", "unit", "language", "kind", "expected"),
    [
        (GDP_2024, "yuan", "en", "amount", f"763.2{NBSP}billion{NBSP}yuan"),
        (GDP_2024, "元", "zh", "amount", "7,632亿元"),
        (GDP_2024, "Yuan", "de", "amount", f"763,2{NBSP}Mrd.{NBSP}Yuan"),
        (GDP_2024, "元", "ja", "amount", "7,632億元"),
        (GDP_2024, "위안", "ko", "amount", f"7,632억{NBSP}위안"),
        (GDP_2024, "юаней", "ru", "amount", f"763,2{NBSP}млрд{NBSP}юаней"),
        (90_760_000_000, "yuan", "en", "amount", f"90.76{NBSP}billion{NBSP}yuan"),
        (90_760_000_000, "元", "zh", "amount", "907.6亿元"),
        (90_760_000_000, "Yuan", "de", "amount", f"90,76{NBSP}Mrd.{NBSP}Yuan"),
        (9_066_906, "people", "en", "count", f"9.067{NBSP}million{NBSP}people"),
        (9_066_906, "人", "zh", "count", "906.7万人"),
        (9_066_906, "Einwohner", "de", "count", f"9,067{NBSP}Mio.{NBSP}Einwohner"),
        (3_200_000, "vehicles", "en", "count", f"3.2{NBSP}million{NBSP}vehicles"),
        (78_255, "yuan", "en", "amount", f"78,255{NBSP}yuan"),
        (78_255, "Yuan", "de", "amount", f"78.255{NBSP}Yuan"),
        (78_255, "元", "zh", "amount", "78,255元"),
        (4.8, "%", "en", "percent", "4.8%"),
        (4.8, "%", "zh", "percent", "4.8%"),
        (4.8, "%", "de", "percent", f"4,8{NBSP}%"),
        (-4.5, "%", "de", "percent", f"-4,5{NBSP}%"),
        (-0.04, "%", "en", "percent", "0.0%"),
    ],
)
def test_amounts_read_as_each_language_writes_them(value, unit, language, kind, expected):
    decimals = 0 if kind != "percent" and value < 1_000_000 else 1
    assert format_amount(value, unit, language, kind, decimals) == expected


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        (GDP_2024, "en", (1_000_000_000, "billion")),
        (GDP_2024, "zh", (100_000_000, "亿")),
        (GDP_2024, "de", (1_000_000_000, "Mrd.")),
        (8_534_000, "zh", (10_000, "万")),
        (8_534_000, "en", (1_000_000, "million")),
        (95_663, "en", (1, "")),
    ],
)
def test_axis_magnitude_word_per_language(value, language, expected):
    assert compact_unit(value, language) == expected


def test_compact_keeps_four_significant_digits_and_fixed_decimals_on_request():
    assert format_compact(999_960_000, "en") == f"1{NBSP}billion"
    assert format_compact(GDP_2024, "en", decimals=2) == f"763.22{NBSP}billion"
    assert format_percent(25, "de", 0) == f"25{NBSP}%"


def test_axis_ticks_use_the_languages_number_format(make_screen, make_ctx):
    screen = make_screen("de")
    screen.show_chart("gdp", animate=False)
    canvas = screen.canvas

    def drawn(axis):
        return [text for _, text, _ in canvas.axis_labels(axis)]

    assert [canvas.tick_text("left", v) for v in (0.0, 2.5e11, 8e11)] == ["0", "250", "800"]
    assert {"0", "800"} <= set(drawn("left"))
    assert screen.unit_left.text().endswith(f"Mrd.{NBSP}Yuan")
    assert [canvas.tick_text("right", v) for v in (-5.0, 10.0)] == [f"-5{NBSP}%", f"10{NBSP}%"]
    assert f"10{NBSP}%" in drawn("right")
    assert canvas.tick_text("bottom", 2016.0) == "2016"
    assert "2016" in drawn("bottom")
    screen.apply_context(make_ctx("zh", (1600, 900)))
    assert [canvas.tick_text("left", v) for v in (0.0, 8e11)] == ["0", "8,000"]
    assert "8,000" in drawn("left")
    assert screen.unit_left.text().endswith("亿元")
    assert canvas.tick_text("bottom", 2016.0) == "2016年"
    assert "2016年" in drawn("bottom")


# --- pure chart data ----------------------------------------------------------------------


def _series(values, **kw):
    return Series(
        id=kw.get("id", "s"), title=LocalText.of("S"), unit=LocalText.of("u"), kind="amount",
        values=tuple(values), source=("x",), scale=kw.get("scale", 1.0),
    )


def test_line_breaks_at_missing_years_and_dashes_only_between_neighbours():
    values = [SeriesValue(2015, 1.0), SeriesValue(2016, 2.0), SeriesValue(2018, 4.0),
              SeriesValue(2019, 5.0, ("estimate",)), SeriesValue(2021, 7.0, ("preliminary",))]
    track = Track(_series(values), "line", "left", tuple(values))
    solid, dashed = line_pieces(track, (2015, 2021))
    # 2017 and 2020 are missing, 2019 and 2021 flagged: none of them on a solid run
    assert solid == [[(2015, 1.0), (2016, 2.0)], [(2018, 4.0)]]
    assert dashed == [[(2018, 4.0), (2019, 5.0)]]  # 2021 has no neighbour: a point, not a bridge


def test_reveal_draws_part_of_a_line_and_keeps_gaps():
    runs = [[(2015.0, 1.0), (2016.0, 3.0)], [(2018.0, 5.0)]]  # 2017 missing
    assert reveal(runs, 2015.5) == [[(2015.0, 1.0), (2015.5, 2.0)]]
    assert reveal(runs, 2017.5) == [[(2015.0, 1.0), (2016.0, 3.0)]]
    assert reveal(runs, 2030) == runs  # two runs: the gap stays a gap
    assert reveal(runs, 2014) == []


def test_nearest_point_reads_the_nearest_column_then_the_nearest_value():
    bars = [Candidate(2015, "gdp", 100, 500, 300), Candidate(2016, "gdp", 150, 500, 250)]
    line = [Candidate(2015, "growth", 100, 200, 200), Candidate(2016, "growth", 150, 420, 420)]
    assert nearest_point([], 0, 0) is None
    assert nearest_point(bars + line, 110, 400).series_id == "gdp"  # inside the 2015 bar
    assert nearest_point(bars + line, 110, 190) == line[0]  # above the bar, at the line
    assert nearest_point(bars + line, 140, 430) == line[1]
    assert nearest_point(bars + line, 140, 300) == bars[1]  # inside the 2016 bar
    assert nearest_point(bars + line, 124, None) == bars[0]  # x only: column first, input order
    assert nearest_point(bars + line, 126, None).year == 2016
    assert nearest_point(bars + line, 140, 410, snap=5) == bars[1]  # too far from the point
    # the line's pixel column may differ by a pixel from the bar's: the same year all the same
    shifted = [Candidate(2022, "gdp", 879, 400, 70), Candidate(2022, "growth", 880, 387, 387)]
    assert nearest_point(shifted, 872, 391).series_id == "growth"
    side = [Candidate(2020, "a", 90, 500, 100), Candidate(2020, "b", 110, 500, 120)]
    assert nearest_point(side, 108, 300).series_id == "b"  # side-by-side bars
    gap = [Candidate(2015, "s", 100, 0, 0), Candidate(2018, "s", 250, 0, 0)]
    assert nearest_point(gap, 170, 0).year == 2015  # over a missing year: nearest real value
    assert nearest_point(gap, 180, 0).year == 2018


def test_year_range_headline_and_ticks():
    assert clamp_range((2000, 2024), 2010, 2030) == (2010, 2024)
    assert clamp_range((2000, 2024), 2020, 2010) == (2010, 2020)
    assert clamp_range((2000, 2024), 1980, 1990) == (2000, 2024)
    assert clamp_range(None, 2010, 2020) is None
    s = _series([SeriesValue(2012, 1.0), SeriesValue(2018, 2.0), SeriesValue(2015, 3.0)])
    assert headline_value(s).year == 2018
    assert headline_value(s, year=2012).value == 1.0
    assert headline_value(s, years=(2010, 2016)).year == 2015
    assert year_ticks(2000, 2024, 30) == list(range(2000, 2025))
    assert year_ticks(2000, 2024, 10) == list(range(2000, 2025, 5))
    assert year_ticks(2001, 2003, 2) == [2001, 2003]  # no multiple of 2 but one: the ends
    assert year_ticks(2001, 2003, 1) == [2001]


def test_milestones_are_grouped_by_year_inside_the_range(economy_content):
    events = economy_content.timeline.events
    groups = milestones_by_year([e for e in events if e.category == "economy"], (2015, 2024))
    assert [(y, [e.id for e in es]) for y, es in groups] == [
        (2016, ["new-area-2016"]), (2020, ["auto-city-2020"])
    ]
    assert PartialDate(2016, 2) == groups[0][1][0].date


# --- the screen ---------------------------------------------------------------------------


def test_charts_come_from_the_content_in_order_with_large_switcher_targets(make_screen):
    screen = make_screen()
    assert screen.chart_ids() == ["gdp", "gdp-bars", "structure", "population", "trade"]
    assert screen.state() == {"chart": "gdp", "from_year": 2015, "to_year": 2024, "readout": None}
    # no desktop plot behaviour left: the wheel and a mouse drag neither zoom nor pan, there
    # are no buttons on the plot and no context menu
    view = screen.plot_widget.viewport()
    before = (screen.canvas.x_range(), screen.canvas.to_pixel(2020, 0))
    centre = QPointF(view.width() / 2, view.height() / 2)
    wheel = QWheelEvent(centre, view.mapToGlobal(centre), QPoint(0, 0), QPoint(0, 480),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view, wheel)
    QTest.mousePress(view, Qt.MouseButton.LeftButton, pos=centre.toPoint())
    QTest.mouseMove(view, centre.toPoint() + QPoint(0, -80))
    QTest.mouseRelease(view, Qt.MouseButton.LeftButton, pos=centre.toPoint() + QPoint(0, -80))
    assert (screen.canvas.x_range(), screen.canvas.to_pixel(2020, 0)) == before
    assert not screen.plot_widget.findChildren(QAbstractButton)
    assert screen.plot_widget.contextMenuPolicy() == Qt.ContextMenuPolicy.PreventContextMenu
    m = screen.ctx.metrics
    for chart_id in screen.chart_ids():
        tab = screen.tab(chart_id)
        assert tab.height() >= m.touch
        assert tab.width() >= m.touch
    assert screen.tab("gdp").isChecked()
    assert not screen.tab("trade").isChecked()


def test_tapping_a_switcher_tab_shows_its_chart(make_screen, touch_device, qtbot):
    screen = make_screen()
    tab = screen.tab("population")
    with qtbot.waitSignal(screen.chart_changed, timeout=1000) as blocker:
        tap(tab, touch_device, QPointF(tab.width() / 2, tab.height() / 2))
    assert blocker.args == ["population"]
    assert screen.state()["chart"] == "population"
    assert tab.isChecked()


def assert_runs_join_neighbours_only(runs) -> None:
    """Each run is drawn as one connected line: consecutive points must be consecutive years."""
    for run in runs:
        years = [x for x, _ in run]
        assert all(b - a == 1 for a, b in pairwise(years)), run


def test_gaps_are_not_bridged_on_the_plot(make_screen):
    screen = make_screen()
    screen.show_chart("gdp", animate=False)
    items = screen.canvas.line_items("growth")
    by_year = {x: y for run in items["solid"].runs for x, y in run}
    assert 2018 not in by_year
    assert 2019 not in by_year
    assert by_year[2017] == pytest.approx(7.2)
    assert_runs_join_neighbours_only(items["solid"].runs)
    assert items["dashed"].runs
    for run in items["dashed"].runs:
        assert len(run) == 2  # dashed segments join neighbouring years only
    assert_runs_join_neighbours_only(items["dashed"].runs)
    assert items["dashed"].pen.style() == Qt.PenStyle.DashLine
    assert items["solid"].pen.style() == Qt.PenStyle.SolidLine
    bar_years = sorted({s.year for s in screen.canvas.segments})
    assert 2018 not in bar_years
    assert bar_years[0] == 2015


def test_flagged_values_are_drawn_differently_with_a_legend(make_screen):
    screen = make_screen()
    screen.show_chart("gdp-bars", animate=False)
    bars = screen.canvas.bars
    hatches = {b.hatch.style() for b in bars if b.hatch is not None}
    assert Qt.BrushStyle.BDiagPattern in hatches  # estimate: hatched
    plain = next(b for b in bars if b.flag is None)
    estimate = next(b for b in bars if b.flag == "estimate")
    assert plain.hatch is None
    assert estimate.fill.color() != plain.fill.color()  # a lighter base under the hatching
    texts = [e.text for e in screen.legend.entries]
    assert texts == ["Estimate", "Preliminary", "Milestones"]
    screen.show_chart("population", animate=False)
    markers = screen.canvas.series_markers("population")
    flagged = next(s for s in markers if s.year == 2021)
    plain = next(s for s in markers if s.year == 2020)
    assert (flagged.symbol, plain.symbol) == ("s", "o")  # hollow square: part of the year
    assert flagged.brush.color() != plain.brush.color()
    assert next(e.text for e in screen.legend.entries) == "Part of the year"


def test_source_line_and_notes_under_every_chart(make_screen):
    screen = make_screen()
    screen.show_chart("gdp", animate=False)
    assert screen.source.text() == "Source: Test statistical yearbook; Test growth bulletin"
    notes = screen.notes.text()
    assert "Bars: GDP. Line: growth (right-hand axis)." in notes  # chart notes
    assert "Current prices." in notes  # series notes
    assert "From an aggregator website." in notes
    assert "aggregator.test" in notes
    screen.show_chart("structure", animate=False)
    assert screen.source.text() == "Source: Test structure table"
    screen.show_chart("trade", animate=False)
    assert screen.source.text() == "Source: Test customs bulletin"
    assert "January to October." in screen.notes.text()


def test_tap_reads_out_the_nearest_value(make_screen, touch_device):
    screen = make_screen()
    screen.show_chart("gdp", animate=False)
    viewport = screen.plot_widget.viewport()
    bar = candidate(screen, 2016, "gdp")
    line = candidate(screen, 2016, "growth")
    y = max(bar.y0, bar.y1) - 10
    assert abs(y - line.y0) > screen.ctx.metrics.touch  # inside the bar, far from the line
    tap(viewport, touch_device, QPointF(bar.x + 6, y))
    assert screen.state()["readout"] == (2016, "gdp")
    assert screen.readout.text() == f"2016  ·  GDP: 598.6{NBSP}billion{NBSP}yuan"
    point = candidate(screen, 2022, "growth")  # -4.5 %, below the bar top
    tap(viewport, touch_device, QPointF(point.x - 8, point.y0 + 4))
    assert screen.state()["readout"] == (2022, "growth")
    assert "-4.5%" in screen.readout.text()
    assert screen.readout_note.text() == ""
    # over the missing year 2018, a little nearer 2019: the 2019 value, not an invented one
    left, right = candidate(screen, 2017, "gdp"), candidate(screen, 2019, "gdp")
    tap(viewport, touch_device, QPointF((left.x + right.x) / 2 + 8, right.y1 + 30))
    assert screen.state()["readout"] == (2019, "gdp")
    flagged = candidate(screen, 2024, "gdp")
    tap(viewport, touch_device, QPointF(flagged.x, flagged.y1 + 40))
    assert screen.readout.text().endswith("Estimate")
    assert screen.readout_note.text() == "From a copy of an encyclopedia entry."


def test_dragging_along_the_chart_moves_the_read_out(make_screen, touch_device, monkeypatch):
    from kiosk.screens import economy

    monkeypatch.setattr(economy, "SWIPE_MAX_S", 0.05)  # a slow stroke is a drag, not a swipe
    screen = make_screen()
    screen.show_chart("population", animate=False)
    viewport = screen.plot_widget.viewport()
    a, b = candidate(screen, 2014, "population"), candidate(screen, 2020, "population")
    start = QPoint(round(a.x), round(a.y0))
    QTest.touchEvent(viewport, touch_device).press(0, start, viewport).commit()
    assert screen.state()["readout"] == (2014, "population")
    QTest.qWait(80)
    for i in range(1, 7):
        x = a.x + (b.x - a.x) * i / 6
        point = QPoint(round(x), round(a.y0))
        QTest.touchEvent(viewport, touch_device).move(0, point, viewport).commit()
    end = QPoint(round(b.x), round(a.y0))
    QTest.touchEvent(viewport, touch_device).release(0, end, viewport).commit()
    assert screen.state()["chart"] == "population"
    assert screen.state()["readout"] == (2020, "population")
    assert screen.readout.text() == f"2020  ·  8.534{NBSP}million{NBSP}people"


def test_swipes_change_chart(make_screen, touch_device):
    screen = make_screen()
    viewport = screen.plot_widget.viewport()
    mid = QPoint(viewport.width() // 2, viewport.height() // 2)
    swipe(viewport, touch_device, mid + QPoint(300, 0), mid - QPoint(300, 0))
    assert screen.state()["chart"] == "gdp-bars"
    swipe(viewport, touch_device, mid - QPoint(300, 0), mid + QPoint(300, 0))
    assert screen.state()["chart"] == "gdp"
    swipe(viewport, touch_device, mid - QPoint(300, 0), mid + QPoint(300, 0))
    assert screen.state()["chart"] == "trade"  # round from the first to the last
    stage = screen.stage  # the big-number card has no plot: its stage takes the swipe
    start = screen.big.mapTo(stage, QPoint(screen.big.width() // 2 + 300, screen.big.height() // 2))
    swipe(stage, touch_device, start, start - QPoint(600, 0))
    assert screen.state()["chart"] == "gdp"


def test_new_series_and_chart_appear_without_code(tmp_path, make_screen):
    extra = """    - id: tourists
      title: {en: Foreign visitors}
      unit: {en: visitors}
      kind: count
      values:
        - {year: 2017, value: 450000}
        - {year: 2018, value: 520000}
        - {year: 2019, value: 610000}
      source: "Test tourism office"
---charts---
    - id: tourism
      type: bar
      title: {en: Foreign visitors, zh: 外国游客}
      series: [tourists]
"""
    content = load(assemble(tmp_path / "content", extra_economy=extra))
    screen = make_screen(content=content)
    assert screen.chart_ids()[0] == "tourism"
    assert screen.tab("tourism").text() == "Foreign visitors"
    screen.open({"chart": "tourism"})
    screen.finish_animation()
    assert screen.state() == {"chart": "tourism", "from_year": 2017, "to_year": 2019, "readout": None}
    heights = sorted(b.y1 - b.y0 for b in screen.canvas.bars)
    assert heights == [450000, 520000, 610000]
    assert screen.source.text() == "Source: Test tourism office"


def test_language_switch_keeps_chart_range_and_read_out(make_screen, make_ctx):
    screen = make_screen()
    screen.open({"chart": "gdp", "from_year": 2016, "to_year": 2022})
    screen.set_readout(2020, "gdp")
    before = screen.state()
    assert before == {"chart": "gdp", "from_year": 2016, "to_year": 2022, "readout": (2020, "gdp")}
    screen.apply_context(make_ctx("zh", (1600, 900)))
    assert screen.state() == before
    assert screen.title.text() == "地区生产总值及实际增速"
    assert screen.readout.text() == "2020年  ·  地区生产总值：6,602亿元"
    screen.apply_context(make_ctx("de", (1600, 900)))
    assert screen.readout.text() == f"2020  ·  BIP: 660,2{NBSP}Mrd.{NBSP}Yuan"
    assert screen.tab("gdp").text() == "BIP und reales Wachstum"
    assert screen.tab("gdp").isChecked()


def test_big_number_shows_the_latest_value(make_screen, make_ctx, economy_content):
    from dataclasses import replace

    screen = make_screen()
    screen.show_chart("trade", animate=False)
    assert screen.chart_stack.currentWidget() is screen.big
    # the headline may break before its unit on a narrow screen: a plain space there
    assert screen.big.value.text() == f"13.6{NBSP}billion US dollars"
    assert screen.big.caption.text() == "2018  ·  Part of the year"
    screen.apply_context(make_ctx("zh", (1600, 900)))
    assert screen.big.value.text() == "136亿美元"
    charts = tuple(replace(c, year=2012) if c.id == "trade" else c
                   for c in economy_content.economy.charts)
    pinned = replace(economy_content, economy=replace(economy_content.economy, charts=charts))
    screen.apply_context(make_ctx("en", (1600, 900), content=pinned))
    assert screen.big.value.text() == f"19.68{NBSP}billion US dollars"


def test_deep_link_limits_years_and_plays_the_chart(make_screen, qtbot):
    screen = make_screen()
    screen.open({"chart": "gdp-bars", "from_year": 2016, "to_year": 2020})
    assert screen.state() == {
        "chart": "gdp-bars", "from_year": 2016, "to_year": 2020, "readout": None
    }
    assert screen.animating()
    assert sorted({s.year for s in screen.canvas.segments}) == [2016, 2017, 2019, 2020]
    x_lo, x_hi = screen.canvas.x_range()
    assert 2015 < x_lo < 2016
    assert 2020 < x_hi < 2021
    canvas = screen.canvas
    final = [b.y1 - b.y0 for b in canvas.bars]

    def drawn():
        return [y1 - y0 for y0, y1 in map(canvas.drawn_extent, canvas.bars)]

    assert max(drawn()) < max(final)  # still growing
    qtbot.waitUntil(lambda: not screen.animating(), timeout=2000)
    assert drawn() == pytest.approx(final)
    screen.open({"chart": "no-such-chart"})
    assert screen.state()["chart"] == "gdp-bars"


def test_animation_never_blocks_input(make_screen, touch_device):
    screen = make_screen()
    screen.open({"chart": "gdp"})
    assert screen.animating()
    bar = candidate(screen, 2015, "gdp")
    tap(screen.plot_widget.viewport(), touch_device, QPointF(bar.x, bar.y0 - 10))
    assert screen.animating()
    assert screen.state()["readout"] == (2015, "gdp")
    viewport = screen.plot_widget.viewport()
    mid = QPoint(viewport.width() // 2, viewport.height() // 2)
    swipe(viewport, touch_device, mid + QPoint(300, 0), mid - QPoint(300, 0))
    assert screen.state()["chart"] == "gdp-bars"
    assert screen.state()["readout"] is None


def test_milestone_marker_opens_a_card_that_leads_to_the_timeline(make_screen, touch_device, qtbot):
    screen = make_screen()
    screen.show_chart("gdp", animate=False)
    assert screen.milestone_ids() == ["new-area-2016", "auto-city-2020"]
    assert "faw-1953" not in screen.milestone_ids()  # outside the years shown
    marker = screen.canvas.milestone_pixel(2016)
    tap(screen.plot_widget.viewport(), touch_device, marker + QPointF(3, -2))
    assert screen.card.isVisible()
    assert screen.card.title.text() == "State Council approves Changchun New Area"
    assert screen.card.date.text() == "February 2016"
    assert screen.card.source.text() == "Source: test fixture: changchun-facts.md, section 4"
    assert screen.state()["readout"] is None  # the marker tap is not a read-out
    button = screen.card.open_button
    with qtbot.waitSignal(screen.navigate_requested, timeout=1000) as blocker:
        tap(button, touch_device, QPointF(button.width() / 2, button.height() / 2))
    assert blocker.args == ["timeline", {"event": "new-area-2016"}]
    assert not screen.card.isVisible()


def test_second_language_title_and_left_to_right_plot(make_screen):
    screen = make_screen("de", second="zh")
    screen.show_chart("population", animate=False)
    assert screen.title.text() == "Registrierte Bevölkerung"
    assert screen.title2.isVisible()
    assert screen.title2.text() == "户籍人口"
    screen.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    assert screen.plot_widget.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert screen.canvas.to_pixel(2015, 0).x() < screen.canvas.to_pixel(2020, 0).x()
    plain = make_screen("de")
    assert not plain.title2.isVisible()


def test_reset_and_portrait_layout(make_screen, make_ctx):
    screen = make_screen(size=(1080, 1920))
    screen.open({"chart": "population", "from_year": 2018})
    screen.set_readout(2019)
    assert screen.state()["readout"] == (2019, "population")
    screen.reset()
    assert screen.state() == {"chart": "gdp", "from_year": 2015, "to_year": 2024, "readout": None}
    assert screen.switcher_scroll.geometry().top() > screen.stage.geometry().bottom()
    screen.set_readout(2016, "gdp")
    screen.apply_context(make_ctx("en", (1600, 900)))  # the kiosk turned to landscape
    screen.resize(1600, 900)
    QTest.qWait(1)
    assert screen.switcher_scroll.geometry().right() < screen.stage.geometry().left()
    assert screen.state()["readout"] == (2016, "gdp")


# --- the shipped figures ------------------------------------------------------------------

SHIPPED_ECONOMY = PROJECT_ROOT / "data" / "economy.yaml"


@pytest.mark.skipif(not SHIPPED_ECONOMY.is_file(), reason="data/economy.yaml not written yet")
def test_every_shipped_chart_renders_in_three_languages(tmp_path, make_screen, make_ctx):
    content = load(assemble(tmp_path / "content", economy=SHIPPED_ECONOMY))
    screen = make_screen(content=content)
    assert screen.chart_ids() == [c.id for c in content.economy.charts]
    for language in ("en", "zh", "de"):
        screen.apply_context(make_ctx(language, (1600, 900), content=content))
        for chart in content.economy.charts:
            screen.show_chart(chart.id, animate=False)
            assert screen.title.text()
            assert screen.source.text().startswith(screen.ctx.tr("source", source="")[:2])
            if chart.type == "big_number":
                assert screen.big.value.text()
                assert screen.chart_stack.currentWidget() is screen.big
            else:
                assert screen.canvas.candidates(), chart.id
    screen.apply_context(make_ctx("en", (1600, 900), content=content))
    screen.show_chart(content.economy.charts[0].id, animate=False)
    for track in screen.canvas.tracks:  # no line crosses a year without a value
        items = screen.canvas.line_items(track.id)
        if not items:
            continue
        missing = {y for y in range(*screen.canvas.years) if y not in {v.year for v in track.values}}
        for item in items.values():
            assert not {x for run in item.runs for x, _ in run} & missing
            assert_runs_join_neighbours_only(item.runs)


# --- footprint ----------------------------------------------------------------------------

TOUR_WITHOUT_PLOT_LIBRARIES = """
import sys
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication
from kiosk.content import load
from kiosk.paths import PROJECT_ROOT
from kiosk.shell.window import KioskWindow

app = QApplication([])
content = load(PROJECT_ROOT / "data")
win = KioskWindow(content, language="en", size=QSize(1920, 1080))
win.resize(QSize(1920, 1080))
win.show()
win.start_visit(idle=False)
for screen in ("timeline", "map", "economy", "home"):
    win.show_screen(screen)
    app.processEvents()
for chart in content.economy.charts:
    win.show_screen("economy", {"chart": chart.id})
    app.processEvents()
    win.screens["economy"].grab()
assert win.screens["economy"].state()["chart"] == content.economy.charts[-1].id
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("pyqtgraph", "numpy"))
print(",".join(loaded))
"""


def test_a_tour_with_every_chart_imports_neither_pyqtgraph_nor_numpy():
    """The charts are painted with QPainter: pyqtgraph and numpy cost about 60 MB (a fresh
    process, because this one may have imported them for other tests)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", TOUR_WITHOUT_PLOT_LIBRARIES], env=env,
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == ""


def test_chart_at_rest_repaints_from_cached_pictures_with_the_cursor_between(make_screen, make_ctx):
    screen = make_screen()
    screen.show_chart("gdp", animate=False)
    canvas, view = screen.canvas, screen.plot_widget
    plain = view.grab().toImage()
    layers = [p.cacheKey() for p in canvas._still_pictures()]
    screen.set_readout(2016, "gdp")
    marked = view.grab().toImage()
    # a read-out repaints from the cached pictures: nothing under or over the cursor is redrawn
    assert [p.cacheKey() for p in canvas._still_pictures()] == layers
    x = round(canvas.to_pixel(2016, 0).x())
    y = round(canvas.view_rect().top() + 4)  # above the bar: only the cursor is new there
    assert marked.pixelColor(x, y) != plain.pixelColor(x, y)
    assert not screen.animating()
    screen.apply_context(make_ctx("zh", (1600, 900)))
    view.grab()
    assert [p.cacheKey() for p in canvas._still_pictures()] != layers  # new labels


def test_the_last_growth_frame_is_painted_live_and_the_pictures_follow_it(make_screen, qtbot):
    # the pictures for the chart at rest cost as much as two growth frames: made in the last
    # frame of the growth, they made it the slowest frame of the screen
    screen = make_screen()
    screen.show_chart("gdp", animate=False)
    canvas, view = screen.canvas, screen.plot_widget
    canvas.invalidate()
    assert canvas._under is None
    live = view.grab().toImage()  # the first frame at rest
    assert canvas._under is None  # not made inside the frame
    qtbot.waitUntil(lambda: canvas._under is not None, timeout=1000)  # but right after it
    from_pictures = view.grab().toImage()
    assert live.size() == from_pictures.size()
    differ = sum(
        1 for x in range(0, live.width(), 3) for y in range(0, live.height(), 3)
        if any(abs(a - b) > 8 for a, b in zip(live.pixelColor(x, y).getRgb(),
                                             from_pictures.pixelColor(x, y).getRgb(),
                                             strict=True)))
    assert differ == 0  # the two ways paint the same chart


def test_the_same_chart_again_keeps_its_pictures_and_a_new_one_makes_new(make_screen, qtbot):
    # the slideshow shows the GDP chart every round: its axes and labels are not laid out and
    # painted again each time
    screen = make_screen()
    canvas, view = screen.canvas, screen.plot_widget
    screen.show_chart("gdp", animate=False)
    first = view.grab().toImage()
    qtbot.waitUntil(lambda: canvas._under is not None, timeout=1000)
    screen.set_readout(2016, "gdp")
    canvas.set_progress(0.5)  # as the growth would
    view.grab()
    kept = [p.cacheKey() for p in (canvas._static_picture(), *canvas._still_pictures())]
    screen.show_chart("gdp", animate=False)
    assert [p.cacheKey() for p in (canvas._static_picture(), *canvas._still_pictures())] == kept
    assert canvas._cursor is None  # the read-out the visitor left is gone
    again = view.grab().toImage()
    differ = sum(
        1 for x in range(0, first.width(), 3) for y in range(0, first.height(), 3)
        if any(abs(a - b) > 8 for a, b in zip(first.pixelColor(x, y).getRgb(),
                                             again.pixelColor(x, y).getRgb(), strict=True)))
    assert differ == 0  # the chart as it was first drawn
    other = next(c.id for c in screen.ctx.content.economy.charts if c.id != "gdp")
    screen.show_chart(other, animate=False)
    view.grab()
    assert canvas._static_picture().cacheKey() not in kept


def test_growth_frames_blit_markers_painted_once_and_look_the_same(make_screen, monkeypatch):
    # stroking and filling every point and milestone again cost about 1 ms of each 5 ms frame
    # of the growth; each look is painted once into a small picture
    from kiosk.screens import economy_chart

    screen = make_screen()
    screen.show_chart("gdp", animate=False)
    canvas, view = screen.canvas, screen.plot_widget
    assert canvas.markers
    assert canvas.milestones
    painted: list[str] = []
    real = economy_chart._paint_symbol

    def counting(p, symbol, *args):
        painted.append(symbol)
        real(p, symbol, *args)

    monkeypatch.setattr(economy_chart, "_paint_symbol", counting)
    canvas.invalidate()  # (the chart at rest has made its pictures already)
    canvas.set_progress(0.99)  # a growth frame: every point, each milestone
    view.grab()
    looks = len(set(canvas._marker_looks())) + 1  # (the milestones')
    assert len(painted) == looks < len(canvas.markers)  # each look once
    canvas.set_progress(0.7)
    blitted = view.grab().toImage()
    assert len(painted) == looks  # the next frame paints none: it blits them
    # the same chart as with each marker stroked where it is (within half a pixel)
    monkeypatch.setattr(canvas, "_sprite", lambda *a: pytest.fail("no sprite"))
    canvas._sprites.clear()
    monkeypatch.setattr(canvas, "_paint_lines", lambda p, axis: _direct_lines(canvas, p, axis))
    monkeypatch.setattr(canvas, "_paint_milestones", lambda p: _direct_milestones(canvas, p))
    canvas.set_progress(0.7)
    direct = view.grab().toImage()
    differ = sum(
        1 for x in range(0, direct.width(), 2) for y in range(0, direct.height(), 2)
        if any(abs(a - b) > 100 for a, b in zip(direct.pixelColor(x, y).getRgb(),
                                               blitted.pixelColor(x, y).getRgb(), strict=True)))
    markers_area = (len(canvas.markers) + len(canvas.milestones)) * 24 * 24 / 4
    assert differ < 0.03 * markers_area  # (3 px off: 0.085)


def _direct_lines(canvas, p, axis):
    """``ChartCanvas._paint_lines`` with each marker stroked and filled in place."""
    from kiosk.screens.economy_chart import _paint_symbol

    markers, canvas.markers = canvas.markers, []
    try:
        type(canvas)._paint_lines(canvas, p, axis)
    finally:
        canvas.markers = markers
    cut = canvas._cut()
    for marker in markers:
        if marker.axis == axis and marker.year <= cut + 1e-9:
            _paint_symbol(p, marker.symbol, canvas.to_pixel(marker.year, marker.y, axis),
                          canvas.ctx.metrics.px(16), marker.pen, marker.brush)


def _direct_milestones(canvas, p):
    from PySide6.QtGui import QBrush, QColor

    from kiosk.screens.economy_chart import MILESTONE_COLOUR, _paint_symbol, _pen
    from kiosk.ui import theme

    m = canvas.ctx.metrics
    category = canvas.ctx.content.timeline.category("economy")
    colour = QColor(category.color) if category else MILESTONE_COLOUR
    for year, _ in canvas.milestones:
        _paint_symbol(p, "d", canvas.milestone_pixel(year), m.px(24),
                      _pen(theme.TEXT, m.px(2)), QBrush(colour))


def test_the_page_paints_its_tabs_and_legend_once_and_blits_them_after(make_screen, monkeypatch):
    # a slide's landing paints the live page: wrapped tab titles and the legend laid out again
    # made it 15-21 ms, longer than a frame
    from kiosk.screens.economy_widgets import ChartTab, LegendStrip

    screen = make_screen()
    screen.show_chart("gdp", animate=False)
    drawn: list[str] = []
    for cls in (ChartTab, LegendStrip):
        real = cls._paint
        monkeypatch.setattr(cls, "_paint", lambda self, p, real=real: (
            drawn.append(type(self).__name__), real(self, p)))
    tabs = screen.findChildren(ChartTab)
    assert len(tabs) >= 3
    screen.grab()
    assert 0 < len(drawn) <= len(tabs) + 1  # (any not painted since the chart was shown)
    before = len(drawn)
    screen.grab()
    assert len(drawn) == before  # the second paint blits every one
    screen.show_chart(tabs[1].chart_id, animate=False)  # two tabs change state
    screen.grab()
    assert drawn[before:].count("ChartTab") == 2
