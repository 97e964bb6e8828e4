"""The economy screen: the charts the content defines, read by touch, in the visitor's language.

Every chart, series and milestone comes from ``content.economy`` and ``content.timeline``: staff add
a series and a chart in YAML and it appears here with no code change.

Touch: tap or drag along a chart for a large read-out of the nearest value; a quick swipe left or
right, or the switcher, changes chart; a milestone marker under the year axis opens a small card.
"""

from __future__ import annotations

import html
import time
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QEasingCurve, QEvent, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QMouseEvent, QTouchEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.content.formatting import (
    format_amount,
    format_date,
    format_number,
    format_year,
    with_unit,
)
from kiosk.content.model import Chart, Event, Series, SeriesValue
from kiosk.screens.base import FrameLimiter, Screen, ScreenContext
from kiosk.screens.economy_chart import ChartCanvas, colour_for
from kiosk.screens.economy_data import (
    FLAG_UI_KEYS,
    FLAGS,
    Track,
    clamp_range,
    headline_value,
    main_flag,
    nearest_point,
    tracks_for,
    year_span,
)
from kiosk.screens.economy_widgets import (
    BigNumberCard,
    ChartTab,
    InfoArea,
    LegendEntry,
    LegendStrip,
    MilestoneCard,
    Swatch,
)
from kiosk.ui import theme
from kiosk.ui.frame_clock import Tween
from kiosk.ui.theme import set_style_sheet
from kiosk.ui.touch import TOUCH_EVENTS, SwipeDetector, enable_kinetic_scrolling

ANIMATION_MS = 600
# A stroke on the chart that takes longer than this is a drag along it (read-out), not a swipe.
SWIPE_MAX_S = 0.6
MILESTONE_CATEGORY = "economy"


def value_text(ctx: ScreenContext, series: Series, value: SeriesValue) -> str:
    """A value as visitors read it: "763.2 billion yuan", "7,632亿元", "4,8 %"."""
    return format_amount(
        value.value * series.scale, ctx.text(series.unit), ctx.language, series.kind, series.decimals
    )


class _Stage(QWidget):
    """The chart side of the screen. It takes touches that land on its labels and cards, so
    that a one-finger swipe anywhere on the chart changes chart (SwipeDetector needs the
    touch sequence, which an unaccepted TouchBegin would turn into mouse events)."""

    def __init__(self):
        super().__init__()
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)

    def event(self, event: QEvent) -> bool:
        if event.type() in TOUCH_EVENTS:
            event.accept()
            return True
        return super().event(event)


class _PlotInput(QObject):
    """Touches and mouse on the plot: press, drag and release in viewport coordinates.

    Signals:
        pressed(QPointF), dragged(QPointF), released(QPointF, bool): bool = it was a tap.
    """

    pressed = Signal(QPointF)
    dragged = Signal(QPointF)
    released = Signal(QPointF, bool)

    def __init__(self, viewport: QWidget, tap_slop: float):
        super().__init__(viewport)
        self.tap_slop = tap_slop
        self.start: QPointF | None = None
        self.started_at = 0.0
        self.moved = False
        viewport.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in TOUCH_EVENTS:
            assert isinstance(event, QTouchEvent)
            points = event.points()
            if points:
                pos = points[0].position()
                if kind == QEvent.Type.TouchBegin:
                    self._press(pos)
                elif kind == QEvent.Type.TouchUpdate:
                    self._move(pos)
                else:
                    self._release(pos)
            event.accept()
            return True
        if kind == QEvent.Type.TouchCancel:
            self.start = None
            event.accept()
            return True
        if isinstance(event, QMouseEvent):
            if event.source() != Qt.MouseEventSource.MouseEventNotSynthesized:
                return True  # already handled as touch
            if kind == QEvent.Type.MouseButtonPress:
                self._press(event.position())
                return True
            if kind == QEvent.Type.MouseMove and self.start is not None:
                self._move(event.position())
                return True
            if kind == QEvent.Type.MouseButtonRelease and self.start is not None:
                self._release(event.position())
                return True
            if kind == QEvent.Type.MouseButtonDblClick:
                return True
        return False

    def _press(self, pos: QPointF) -> None:
        self.start = QPointF(pos)
        self.started_at = time.monotonic()
        self.moved = False
        self.pressed.emit(QPointF(pos))

    def _move(self, pos: QPointF) -> None:
        if self.start is None:
            return
        d = pos - self.start
        if abs(d.x()) > self.tap_slop or abs(d.y()) > self.tap_slop:
            self.moved = True
        if self.moved:
            self.dragged.emit(QPointF(pos))

    def _release(self, pos: QPointF) -> None:
        if self.start is None:
            return
        d = pos - self.start
        tap = not self.moved and abs(d.x()) <= self.tap_slop and abs(d.y()) <= self.tap_slop
        self.start = None
        self.released.emit(QPointF(pos), tap)

    def stroke_seconds(self) -> float:
        return time.monotonic() - self.started_at


class EconomyScreen(Screen):
    """Economic charts from the content, read by touch.

    Deep link (``open``): ``{"chart": id, "from_year": int, "to_year": int}``; any key may be left
    out. State (``state``): ``{"chart", "from_year", "to_year", "readout"}`` where readout is
    ``(year, series id)`` or None.

    Signals:
        chart_changed(str): another chart is shown.
    """

    screen_id = "economy"
    chart_changed = Signal(str)

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.setObjectName("EconomyScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._chart_id: str | None = None
        self._asked: tuple[int | None, int | None] = (None, None)
        self._years: tuple[int, int] | None = None
        self._readout: tuple[int, str] | None = None
        self._tabs: dict[str, ChartTab] = {}
        self._portrait: bool | None = None

        # the chart side
        self.stage = _Stage()
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title2 = QLabel()
        self.title2.setObjectName("EconomyDim")
        self.title2.setWordWrap(True)
        self.readout = QLabel()
        self.readout.setObjectName("EconomyReadout")
        self.readout_note = QLabel()
        self.readout_note.setObjectName("EconomyDim")
        self.readout_note.setWordWrap(True)
        self.readout_note.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeading)
        # The read-out keeps its height whatever it says, so the chart never jumps under a finger.
        self.readout_box = QWidget()
        readout_box = QVBoxLayout(self.readout_box)
        readout_box.setContentsMargins(0, 0, 0, 0)
        readout_box.setSpacing(0)
        readout_box.addWidget(self.readout)
        readout_box.addWidget(self.readout_note)
        self.unit_left = QLabel()
        self.unit_right = QLabel()
        self.unit_right.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        units = QWidget()
        units.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        unit_row = QHBoxLayout(units)
        unit_row.setContentsMargins(0, 0, 0, 0)
        unit_row.addWidget(self.unit_left)
        unit_row.addStretch(1)
        unit_row.addWidget(self.unit_right)
        self.units = units
        self.canvas = ChartCanvas(ctx)
        self.plot_widget = self.canvas.widget
        self.plot_widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.big = BigNumberCard()
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setObjectName("EconomyDim")
        self.chart_stack = QStackedWidget()
        self.chart_stack.addWidget(self.plot_widget)
        self.chart_stack.addWidget(self.big)
        self.chart_stack.addWidget(self.empty)
        self.legend = LegendStrip()
        self.source = QLabel()
        self.source.setObjectName("EconomyDim")
        self.source.setWordWrap(True)
        self.notes = QLabel()
        self.notes.setObjectName("EconomyNotes")
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.RichText)
        info = QWidget()
        info_box = QVBoxLayout(info)
        info_box.setContentsMargins(0, 0, 0, 0)
        info_box.addWidget(self.source)
        info_box.addWidget(self.notes)
        info_box.addStretch(1)
        self.info = InfoArea()
        self.info.setObjectName("EconomyInfo")
        self.info.setWidget(info)
        self.info.setWidgetResizable(True)
        self.info.setFrameShape(QScrollArea.Shape.NoFrame)
        self.info.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        enable_kinetic_scrolling(self.info.viewport())
        stage_box = QVBoxLayout(self.stage)
        stage_box.setContentsMargins(0, 0, 0, 0)
        for w in (self.title, self.title2, self.readout_box, self.units):
            stage_box.addWidget(w)
        stage_box.addWidget(self.chart_stack, 1)
        stage_box.addWidget(self.legend)
        stage_box.addWidget(self.info)

        # the switcher
        self.switcher = QWidget()
        self.switcher.setObjectName("EconomySwitcher")
        self.switcher_grid = QGridLayout(self.switcher)
        self.switcher_grid.setContentsMargins(0, 0, 0, 0)
        self.switcher_scroll = QScrollArea()
        self.switcher_scroll.setObjectName("EconomySwitcherScroll")
        self.switcher_scroll.setWidget(self.switcher)
        self.switcher_scroll.setWidgetResizable(True)
        self.switcher_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.switcher_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        enable_kinetic_scrolling(self.switcher_scroll.viewport())
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)

        self.root = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.root.addWidget(self.switcher_scroll)
        self.root.addWidget(self.stage, 1)

        self.card = MilestoneCard(self)
        self.card.timeline_requested.connect(self._open_timeline)

        # input
        self.plot_input = _PlotInput(self.plot_widget.viewport(), ctx.metrics.px(24))
        self.plot_input.pressed.connect(self._plot_pressed)
        self.plot_input.dragged.connect(self._plot_dragged)
        self.plot_input.released.connect(self._plot_released)
        swipe_distance = max(80.0, ctx.metrics.touch * 1.5)
        self.plot_swipes = SwipeDetector(self.plot_widget.viewport(), swipe_distance, ctx.metrics.px(24))
        self.plot_swipes.swiped.connect(self._plot_swiped)
        self.stage_swipes = SwipeDetector(self.stage, swipe_distance, ctx.metrics.px(24))
        self.stage_swipes.swiped.connect(self._swiped)

        self.animation = Tween(self, ANIMATION_MS, QEasingCurve.Type.OutCubic)
        self.growth_frames = self.limited_while_presenting(FrameLimiter(self._set_progress))
        self.animation.valueChanged.connect(self.growth_frames)

        self.apply_context(ctx)
        self.reset()

    # --- Screen API -----------------------------------------------------------------------

    def apply_context(self, ctx: ScreenContext) -> None:
        """New language, content or layout: redraw everything, keep chart, range and read-out."""
        super().apply_context(ctx)
        m = ctx.metrics
        for detector in (self.plot_swipes, self.stage_swipes):
            detector.min_distance = max(80.0, m.touch * 1.5)
            detector.tap_slop = m.px(24)
        self.plot_input.tap_slop = m.px(24)
        self.canvas.apply_context(ctx)
        self._apply_style()
        self._apply_layout()
        self._build_switcher()
        charts = ctx.content.economy.charts
        if self._chart_id is None or ctx.content.economy.chart(self._chart_id) is None:
            self._chart_id = charts[0].id if charts else None
            self._asked = (None, None)
            self._readout = None
        self._render(animate=False)

    def open(self, params: Mapping[str, Any]) -> None:
        """Show a chart, limited to a year range, and play it in."""
        chart_id = params.get("chart") or self._chart_id
        if chart_id is None or self.ctx.content.economy.chart(str(chart_id)) is None:
            chart_id = self._chart_id
        if chart_id is None:
            return
        self.show_chart(
            str(chart_id), _year(params.get("from_year")), _year(params.get("to_year"))
        )

    def reset(self) -> None:
        """The first chart, all years, no read-out, no card."""
        self.card.close_card()
        charts = self.ctx.content.economy.charts
        self._chart_id = charts[0].id if charts else None
        self._asked = (None, None)
        self._readout = None
        self._render(animate=False)

    def entered(self) -> None:
        if self.animation.state() != Tween.State.Running:
            self.play()

    def left(self) -> None:
        self.finish_animation()
        self.card.close_card()

    def state(self) -> dict[str, Any]:
        return {
            "chart": self._chart_id,
            "from_year": self._years[0] if self._years else None,
            "to_year": self._years[1] if self._years else None,
            "readout": self._readout,
        }

    # --- charts ---------------------------------------------------------------------------

    @property
    def chart(self) -> Chart | None:
        return self.ctx.content.economy.chart(self._chart_id) if self._chart_id else None

    def chart_ids(self) -> list[str]:
        return [c.id for c in self.ctx.content.economy.charts]

    def show_chart(
        self, chart_id: str, from_year: int | None = None, to_year: int | None = None,
        animate: bool = True,
    ) -> None:
        """Show a chart (all its years unless a range is given) and animate it in."""
        if self.ctx.content.economy.chart(chart_id) is None:
            return
        changed = chart_id != self._chart_id
        self._chart_id = chart_id
        self._asked = (from_year, to_year)
        self._readout = None
        self.card.close_card()
        self._render(animate=animate)
        if changed:
            self.chart_changed.emit(chart_id)

    def step_chart(self, step: int) -> None:
        """The next (1) or previous (-1) chart, going round."""
        ids = self.chart_ids()
        if not ids:
            return
        index = ids.index(self._chart_id) if self._chart_id in ids else 0
        self.show_chart(ids[(index + step) % len(ids)])

    def play(self) -> None:
        """Animate the current chart in: bars grow, lines draw (input stays live)."""
        self.animation.stop()
        self._set_progress(0.0)
        self.animation.start()

    def animating(self) -> bool:
        return self.animation.state() == Tween.State.Running

    def finish_animation(self) -> None:
        self.animation.stop()
        self._set_progress(1.0)

    def _set_progress(self, t: object) -> None:
        value = float(t)  # type: ignore[arg-type]
        self.canvas.set_progress(value)
        self.big.set_progress(value)

    # --- rendering ------------------------------------------------------------------------

    def _render(self, animate: bool) -> None:
        chart = self.chart
        for chart_id, tab in self._tabs.items():
            tab.setChecked(chart_id == self._chart_id)
        if chart is None:
            self._years = None
            self._show_empty(self.ctx.tr("chart_no_data"))
            return
        economy = self.ctx.content.economy
        self._years = clamp_range(year_span(chart, economy), *self._asked)
        self.title.setText(self.ctx.text(chart.title))
        second = self.ctx.text2(chart.title)
        self.title2.setText(second or "")
        self.title2.setVisible(bool(second))
        if self._years is None:
            self._show_empty(self.ctx.tr("chart_no_data"))
            self.source.setText("")
            self.notes.setText("")
            return
        tracks = tracks_for(chart, economy, self._years)
        m = self.ctx.metrics
        notes_height = m.px(200) if m.portrait else m.px(150)
        # a headline figure leaves room for more of its notes
        self.info.setMaximumHeight(notes_height * 2 if chart.type == "big_number" else notes_height)
        if chart.type == "big_number":
            self._render_big(chart, tracks)
        else:
            self._render_plot(chart, tracks)
        self._render_info(chart, tracks)
        tab = self._tabs.get(chart.id)
        if tab is not None:
            self.switcher_scroll.ensureWidgetVisible(tab, 0, self.ctx.metrics.margin)
        if animate:
            self.play()
        else:
            self.finish_animation()

    def _show_empty(self, text: str) -> None:
        self.canvas.clear()
        self.empty.setText(text)
        self.chart_stack.setCurrentWidget(self.empty)
        self.readout_box.setVisible(False)
        self.units.setVisible(False)
        self.legend.set_entries([], self.ctx.font(self.ctx.metrics.small), 0)
        if self.chart is None:
            self.title.setText("")
            self.title2.setVisible(False)
            self.source.setText("")
            self.notes.setText("")

    def _milestones(self) -> list[Event]:
        return [
            e for e in self.ctx.content.timeline.sorted_events() if e.category == MILESTONE_CATEGORY
        ]

    def _render_plot(self, chart: Chart, tracks: list[Track]) -> None:
        assert self._years is not None
        self.chart_stack.setCurrentWidget(self.plot_widget)
        self.readout_box.setVisible(True)
        self.units.setVisible(True)
        self.canvas.show(chart, tracks, self._years, self._milestones())
        self._render_units(tracks)
        self._render_legend(chart, tracks)
        if self._readout is not None and not self._has_value(*self._readout):
            self._readout = None
        self._show_readout()

    def _render_units(self, tracks: list[Track]) -> None:
        for axis, label in (("left", self.unit_left), ("right", self.unit_right)):
            track = next((t for t in tracks if t.axis == axis), None)
            if track is None:
                label.setText("")
                continue
            unit = self.ctx.text(track.series.unit)
            word = self.canvas.unit_word(axis)
            text = "" if track.series.kind == "percent" else with_unit(word, unit) if word else unit
            if any(t.axis == "right" for t in tracks):
                title = self.ctx.text(track.series.title)
                text = f"{title} · {text}" if text else title
            label.setText(text)
            index = tracks.index(track)
            label.setStyleSheet(f"color: {colour_for(index).name()};" if axis == "right" or
                                any(t.axis == "right" for t in tracks) else "")
        self.units.setVisible(bool(self.unit_left.text() or self.unit_right.text()))

    def _render_legend(self, chart: Chart, tracks: list[Track]) -> None:
        entries: list[LegendEntry] = []
        roles = {"bar": "bar", "stack": "bar", "line": "line"}
        if len(tracks) > 1:
            for index, track in enumerate(tracks):
                entries.append(LegendEntry(
                    (Swatch(roles[track.role], colour_for(index)),), self.ctx.text(track.series.title)
                ))
        dim = theme.TEXT_DIM
        for flag in FLAGS:
            kinds = []
            for track in tracks:
                if any(main_flag(v) == flag for v in track.values):
                    kind = roles[track.role]
                    if kind not in kinds:
                        kinds.append(kind)
            if kinds:
                entries.append(LegendEntry(
                    tuple(Swatch(k, dim, flag) for k in kinds), self.ctx.tr(FLAG_UI_KEYS[flag])
                ))
        if self.canvas.milestones:
            category = self.ctx.content.timeline.category(MILESTONE_CATEGORY)
            colour = QColor(category.color) if category else theme.TEXT
            entries.append(LegendEntry((Swatch("milestone", colour),), self.ctx.tr("chart_milestones")))
        m = self.ctx.metrics
        self.legend.set_entries(entries, self.ctx.font(m.small + m.px(2)), m.px(28))

    def _render_big(self, chart: Chart, tracks: list[Track]) -> None:
        self.canvas.clear()
        self.readout_box.setVisible(False)
        self.units.setVisible(False)
        self._readout = None
        track = tracks[0] if tracks else None
        value = None
        if track is not None:
            value = headline_value(track.series, chart.year, self._years)
        if track is None or value is None:
            self._show_empty(self.ctx.tr("chart_no_data"))
            return
        self.chart_stack.setCurrentWidget(self.big)
        series = track.series
        text = value_text(self.ctx, series, value)
        unit = self.ctx.text(series.unit)
        if unit and text.endswith("\u00a0" + unit):
            # the headline may break before a long unit ("1,22 млн" / "автомобилей") on a narrow totem
            text = text[: -len(unit) - 1] + " " + unit
        self.big.value.setText(text)
        caption = [format_year(value.year, self.ctx.language)]
        caption += [self.ctx.tr(FLAG_UI_KEYS[f]) for f in FLAGS if f in value.flags]
        self.big.caption.setText("  ·  ".join(caption))
        amount = value.value * series.scale
        exact = ""
        if series.kind != "percent" and series.scale == 1 and abs(amount) >= 1_000_000:
            exact = with_unit(format_number(amount, self.ctx.language, 0), self.ctx.text(series.unit))
            if exact == self.big.value.text():
                exact = ""
        self.big.exact.setText(exact)
        self.big.exact.setVisible(bool(exact))
        self.legend.set_entries([], self.ctx.font(), 0)

    def _render_info(self, chart: Chart, tracks: list[Track]) -> None:
        """The source line and the notes: chart, series, and flagged values on show."""
        sources: list[str] = []
        notes: list[str] = []
        multi = len(tracks) > 1

        def add_source(items) -> None:
            for s in items or ():
                if s not in sources:
                    sources.append(s)

        big_value = None
        if chart.type == "big_number" and tracks:
            big_value = headline_value(tracks[0].series, chart.year, self._years)
        if big_value is not None and big_value.source:
            add_source(big_value.source)
        for track in tracks:
            add_source(track.series.source)
        if chart.notes:
            notes.append(html.escape(self.ctx.text(chart.notes)))
        for track in tracks:
            if track.series.notes:
                text = html.escape(self.ctx.text(track.series.notes))
                if multi:
                    text = f"<b>{html.escape(self.ctx.text(track.series.title))}</b>: {text}"
                notes.append(text)
        for track in tracks:
            values = [big_value] if big_value is not None else track.values
            for v in values:
                flag = main_flag(v)
                if flag is None or v.note is None:
                    continue
                head = f"{format_year(v.year, self.ctx.language)} · {self.ctx.tr(FLAG_UI_KEYS[flag])}"
                if multi:
                    head = f"{self.ctx.text(track.series.title)}, {head}"
                text = f"<b>{html.escape(head)}</b>: {html.escape(self.ctx.text(v.note))}"
                if v.source and chart.type != "big_number":
                    text += " " + html.escape(self.ctx.tr("source", source="; ".join(v.source)))
                notes.append(text)
            if big_value is not None:
                break
        self.source.setText(self.ctx.tr("source", source="; ".join(sources)) if sources else "")
        self.source.setVisible(bool(sources))
        self.notes.setText("".join(f"<p style='margin:0 0 6px 0'>{n}</p>" for n in notes))
        self.notes.setVisible(bool(notes))
        self.info.verticalScrollBar().setValue(0)
        self.info.update_fade()

    # --- read-out -------------------------------------------------------------------------

    def _has_value(self, year: int, series_id: str) -> bool:
        return any(
            t.id == series_id and any(v.year == year for v in t.values) for t in self.canvas.tracks
        )

    def read_at(self, pos: QPointF) -> tuple[int, str] | None:
        """Show the read-out of the value nearest a point of the plot's viewport."""
        hit = nearest_point(
            self.canvas.candidates(), pos.x(), pos.y(), snap=self.ctx.metrics.touch * 0.4
        )
        self._readout = (hit.year, hit.series_id) if hit else None
        self._show_readout()
        return self._readout

    def set_readout(self, year: int | None, series_id: str | None = None) -> None:
        """Read out a value by year and series (None: clear)."""
        if year is None:
            self._readout = None
        else:
            sid = series_id or next(
                (t.id for t in self.canvas.tracks if any(v.year == year for v in t.values)), None
            )
            self._readout = (year, sid) if sid and self._has_value(year, sid) else None
        self._show_readout()

    def _show_readout(self) -> None:
        if self._readout is None:
            self.readout.setText(self.ctx.tr("economy_hint"))
            self.readout.setProperty("hint", True)
            self.readout_note.setText("")
            self.canvas.show_cursor(None)
        else:
            year, series_id = self._readout
            track = next(t for t in self.canvas.tracks if t.id == series_id)
            value = next(v for v in track.values if v.year == year)
            parts = [format_year(year, self.ctx.language)]
            amount = value_text(self.ctx, track.series, value)
            if len(self.canvas.tracks) > 1:
                amount = self.ctx.tr(
                    "economy_series_value", series=self.ctx.text(track.series.title), value=amount
                )
            parts.append(amount)
            parts += [self.ctx.tr(FLAG_UI_KEYS[f]) for f in FLAGS if f in value.flags]
            self.readout.setText("  ·  ".join(parts))
            self.readout.setProperty("hint", False)
            note = self.ctx.text(value.note) if value.note else ""
            self.readout_note.setText(note)
            self.canvas.show_cursor(year, series_id)
        self.readout.style().unpolish(self.readout)
        self.readout.style().polish(self.readout)
        self._fit_readout()

    def _fit_readout(self) -> None:
        """The read-out's type as large as the line allows (never wrapped, never clipped)."""
        m = self.ctx.metrics
        bold = self._readout is not None
        width = self.readout.width() if self.readout.width() > 100 else self.stage.width()
        width -= 2 * m.px(18) + m.px(4)
        size = m.body + m.px(6)
        text = self.readout.text()
        while size > m.small and QFontMetrics(self.ctx.font(size, bold)).horizontalAdvance(text) > width:
            size -= 1
        self.readout.setFont(self.ctx.font(size, bold))

    def _plot_pressed(self, pos: QPointF) -> None:
        if self._near_milestone(pos) is None:
            self.read_at(pos)

    def _plot_dragged(self, pos: QPointF) -> None:
        self.read_at(pos)

    def _plot_released(self, pos: QPointF, tap: bool) -> None:
        if not tap:
            return
        events = self._near_milestone(pos)
        if events:
            self.show_milestone(events[0].id)
        else:
            self.card.close_card()

    def _plot_swiped(self, direction: str) -> None:
        if self.plot_input.stroke_seconds() <= SWIPE_MAX_S:
            self._swiped(direction)

    def _swiped(self, direction: str) -> None:
        if direction == "left":
            self.step_chart(1)
        elif direction == "right":
            self.step_chart(-1)

    # --- milestones -----------------------------------------------------------------------

    def _near_milestone(self, pos: QPointF) -> tuple[Event, ...] | None:
        return self.canvas.milestone_at(pos, self.ctx.metrics.touch)

    def milestone_ids(self) -> list[str]:
        """The milestones marked on the current chart, in date order."""
        return [e.id for _, events in self.canvas.milestones for e in events]

    def show_milestone(self, event_id: str) -> None:
        """Open the card of a milestone marked on the current chart (with the other
        milestones of its year a page away)."""
        group = next(
            ((year, events) for year, events in self.canvas.milestones
             if any(e.id == event_id for e in events)),
            None,
        )
        if group is None:
            return
        year, events = group
        ctx, m = self.ctx, self.ctx.metrics
        items = [
            (
                e.id,
                format_date(e.date, ctx.language),
                ctx.text(e.title),
                ctx.tr("source", source="; ".join(e.source)) if e.source else "",
            )
            for e in events
        ]
        self.card.fill(
            items,
            [e.id for e in events].index(event_id),
            ctx.tr("economy_open_timeline"),
            ctx.tr("close"),
            (ctx.font(m.small), ctx.font(m.body), ctx.font(m.body, bold=True)),
            m.px(18),
        )
        width = min(m.px(560), self.width() - 2 * m.margin)
        self.card.setFixedWidth(max(m.px(300), width))
        self.card.adjustSize()
        anchor = self.canvas.milestone_pixel(year)
        if anchor is not None:
            point = self.plot_widget.viewport().mapTo(self, anchor.toPoint())
            x = point.x() - self.card.width() // 2
            y = point.y() - self.card.height() - m.px(24)
            x = max(m.margin, min(x, self.width() - self.card.width() - m.margin))
            y = max(m.margin, y)
            self.card.move(x, y)
        self.card.show()
        self.card.raise_()

    def _open_timeline(self, event_id: str) -> None:
        self.card.close_card()
        self.navigate_requested.emit("timeline", {"event": event_id})

    # --- style and layout -----------------------------------------------------------------

    def _apply_style(self) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        self.title.setFont(ctx.font(m.title, bold=True))
        self.title2.setFont(ctx.font(m.body))
        self.readout_note.setFont(ctx.font(m.small))
        for label in (self.unit_left, self.unit_right, self.source):
            label.setFont(ctx.font(m.small))
        self.notes.setFont(ctx.font(m.small))
        self.readout.setFixedHeight(
            QFontMetrics(ctx.font(m.body + m.px(6), bold=True)).height() + 2 * m.px(8) + m.px(4)
        )
        self.readout_note.setFixedHeight(QFontMetrics(ctx.font(m.small)).lineSpacing() * 2 + m.px(4))
        self.empty.setFont(ctx.font(m.title))
        self.big.value.setFont(ctx.font(round(m.headline * 1.25), bold=True))
        self.big.caption.setFont(ctx.font(m.title))
        self.big.exact.setFont(ctx.font(m.body))
        radius = m.px(14)
        set_style_sheet(self, f"""
            #EconomyScreen {{ background: {theme.BACKGROUND.name()}; }}
            #EconomyScreen QLabel {{ color: {theme.TEXT.name()}; background: transparent; }}
            #EconomyScreen QLabel#EconomyDim {{ color: {theme.TEXT_DIM.name()}; }}
            #EconomyScreen QLabel#EconomyNotes {{ color: {theme.TEXT_DIM.name()}; }}
            #EconomyScreen QLabel#EconomyAccent {{ color: {theme.ACCENT.name()}; }}
            #EconomyScreen QLabel#EconomyBigValue {{ color: {theme.ACCENT.name()}; }}
            #EconomyScreen QLabel#EconomyReadout {{ color: {theme.TEXT.name()};
                background: {theme.SURFACE.name()}; border-radius: {radius}px;
                padding: {m.px(8)}px {m.px(18)}px; }}
            #EconomyScreen QLabel#EconomyReadout[hint="true"] {{ color: {theme.TEXT_DIM.name()};
                background: transparent; padding: {m.px(8)}px 0px; }}
            #EconomyScreen QScrollArea, #EconomyScreen QScrollArea > QWidget > QWidget
                {{ background: transparent; }}
            #EconomyMilestoneCard {{ background: {theme.SURFACE.name()};
                border: {m.px(2)}px solid {theme.ACCENT.name()}; border-radius: {radius}px; }}
            #EconomyMilestoneCard QPushButton {{ background: {theme.SURFACE_PRESSED.name()};
                color: {theme.TEXT.name()}; border: {m.px(2)}px solid #3B5B86;
                border-radius: {radius}px; min-height: {m.touch}px; min-width: {m.touch}px;
                padding: 0 {m.px(16)}px; }}
            #EconomyMilestoneCard QPushButton:pressed {{ border-color: {theme.ACCENT.name()}; }}
            QScrollBar {{ width: 0px; height: 0px; }}
        """)

    def _apply_layout(self) -> None:
        m = self.ctx.metrics
        portrait = m.portrait
        self.root.setContentsMargins(m.margin, m.margin, m.margin, m.margin)
        self.root.setSpacing(m.margin)
        stage_box = self.stage.layout()
        stage_box.setSpacing(m.px(8))
        self.switcher_grid.setSpacing(m.px(12))
        self.info.setMinimumHeight(m.px(60))
        if portrait == self._portrait:
            return
        self._portrait = portrait
        self.root.removeWidget(self.switcher_scroll)
        self.root.removeWidget(self.stage)
        if portrait:
            self.root.setDirection(QBoxLayout.Direction.TopToBottom)
            self.root.addWidget(self.stage, 1)
            self.root.addWidget(self.switcher_scroll)
            self.switcher_scroll.setMinimumWidth(0)
            self.switcher_scroll.setMaximumWidth(16_777_215)
        else:
            self.root.setDirection(QBoxLayout.Direction.LeftToRight)
            self.root.addWidget(self.switcher_scroll)
            self.root.addWidget(self.stage, 1)

    def _switcher_columns(self) -> int:
        return 3 if self.ctx.metrics.portrait else 1

    def _build_switcher(self) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        for tab in self._tabs.values():
            self.group.removeButton(tab)
            self.switcher_grid.removeWidget(tab)
            tab.deleteLater()
        self._tabs = {}
        columns = self._switcher_columns()
        font = ctx.font(m.small + m.px(2), bold=True)
        for i, chart in enumerate(ctx.content.economy.charts):
            tab = ChartTab(chart.id, ctx.text(chart.title), font, m.touch, m.px(16))
            tab.setChecked(chart.id == self._chart_id)
            tab.clicked.connect(lambda _=False, cid=chart.id: self._tab_clicked(cid))
            self.group.addButton(tab)
            self.switcher_grid.addWidget(tab, i // columns, i % columns)
            self._tabs[chart.id] = tab
        rows = (len(self._tabs) + columns - 1) // columns
        for r in range(rows + 1):
            self.switcher_grid.setRowStretch(r, 0)
        self.switcher_grid.setRowStretch(rows, 1)
        if m.portrait:
            tab_h = max((t.heightForWidth((m.width - 2 * m.margin) // columns) for t in
                         self._tabs.values()), default=m.touch)
            self.switcher_scroll.setFixedHeight(min(rows, 3) * (tab_h + m.px(12)))
            self.switcher_scroll.setMinimumWidth(0)
            self.switcher_scroll.setMaximumWidth(16_777_215)
        else:
            self.switcher_scroll.setMinimumHeight(0)
            self.switcher_scroll.setMaximumHeight(16_777_215)
            self.switcher_scroll.setFixedWidth(round(m.width * 0.2))

    def tab(self, chart_id: str) -> ChartTab | None:
        """The switcher button of a chart."""
        return self._tabs.get(chart_id)

    def _tab_clicked(self, chart_id: str) -> None:
        if chart_id == self._chart_id:
            self.play()
        else:
            self.show_chart(chart_id)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.card.close_card()
        self._fit_readout()


def _year(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
