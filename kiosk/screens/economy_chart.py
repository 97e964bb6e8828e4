"""The plot of the economy screen: bars, lines, stacks, flags, milestones, read-out cursor.

One ``ChartCanvas`` draws whichever chart it is given; everything on it comes from the content.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetrics

from kiosk.content.formatting import format_number, format_percent, format_year
from kiosk.content.model import Chart, Event
from kiosk.screens.base import ScreenContext
from kiosk.screens.economy_data import (
    Candidate,
    Segment,
    Track,
    bar_segments,
    decimals_for_step,
    line_pieces,
    main_flag,
    milestones_by_year,
    nice_range,
    reveal,
    ticks_between,
    year_ticks,
)
from kiosk.ui import plotting, theme

# Series colours in chart order: the theme's two accents first, then colours that stay apart
# from them (and from each other) on the dark background.
PALETTE = (
    theme.ACCENT,
    theme.ACCENT_2,
    QColor("#8BD17C"),
    QColor("#FF8A65"),
    QColor("#CE93D8"),
    QColor("#90A4AE"),
)
# How flagged bars are filled over their lighter base, and which hollow marker flags a point.
FLAG_PATTERN = {
    "estimate": Qt.BrushStyle.BDiagPattern,
    "partial_year": Qt.BrushStyle.DiagCrossPattern,
    "preliminary": None,
}
FLAG_SYMBOL = {"estimate": "o", "partial_year": "s", "preliminary": "d"}
MILESTONE_COLOUR = QColor("#E8EDF5")
BAR_WIDTH = 0.72


def colour_for(index: int) -> QColor:
    return QColor(PALETTE[index % len(PALETTE)])


def lighter(colour: QColor, alpha: int = 80) -> QColor:
    c = QColor(colour)
    c.setAlpha(alpha)
    return c


@dataclass
class _Axis:
    """One y axis: the view range of its data and how its ticks read."""

    lo: float = 0.0
    hi: float = 1.0
    step: float = 1.0
    kind: str = "amount"
    divisor: float = 1.0


class ChartCanvas:
    """Draws one chart at a time on a kiosk-styled PlotWidget.

    Attributes:
        widget: the PlotWidget (put it in a layout).
        tracks: the series drawn, in chart order.
        years: the year range drawn.
        milestones: the timeline events marked on the year axis.
    """

    def __init__(self, ctx: ScreenContext):
        self.ctx = ctx
        self.widget = plotting.make_plot_widget()
        self.plot: pg.PlotItem = self.widget.getPlotItem()
        self.right_vb: pg.ViewBox | None = None
        self.chart: Chart | None = None
        self.tracks: list[Track] = []
        self.years: tuple[int, int] | None = None
        self.milestones: list[tuple[int, tuple[Event, ...]]] = []
        self.segments: list[Segment] = []
        self._bars: list[tuple[pg.BarGraphItem, np.ndarray, np.ndarray]] = []
        self._lines: list[tuple[pg.PlotDataItem, np.ndarray, np.ndarray]] = []
        self._markers: list[tuple[pg.ScatterPlotItem, list[dict]]] = []
        self._milestone_item: pg.ScatterPlotItem | None = None
        self._cursor: pg.InfiniteLine | None = None
        self._highlight: pg.ScatterPlotItem | None = None
        self._left = _Axis()
        self._right = _Axis()
        self._units: dict[str, str] = {}
        self.progress = 1.0
        self.plot.vb.sigResized.connect(self._apply_ranges)
        self.apply_context(ctx)

    # --- context --------------------------------------------------------------------------

    def apply_context(self, ctx: ScreenContext) -> None:
        self.ctx = ctx
        m = ctx.metrics
        font = ctx.font(m.small + m.px(2))
        for name in ("left", "right", "bottom"):
            axis = self.plot.getAxis(name)
            plotting.style_axis(axis, font, m, line=name == "bottom")
        self.plot.getAxis("left").setGrid(46)
        bottom = self.plot.getAxis("bottom")
        bottom.ticks_for = self._year_ticks
        bottom.label_for = lambda v: format_year(round(v), self.ctx.language)
        self.plot.getAxis("left").ticks_for = lambda lo, hi, size: self._axis_ticks(self._left)
        self.plot.getAxis("left").label_for = lambda v: self._tick_label(v, self._left)
        self.plot.getAxis("right").ticks_for = lambda lo, hi, size: self._axis_ticks(self._right)
        self.plot.getAxis("right").label_for = lambda v: self._tick_label(v, self._right)
        for name in ("left", "right", "bottom"):
            self.plot.getAxis(name).picture = None
            self.plot.getAxis(name).update()

    # --- drawing --------------------------------------------------------------------------

    def show(
        self,
        chart: Chart,
        tracks: Sequence[Track],
        years: tuple[int, int],
        milestones: Sequence[Event] = (),
    ) -> None:
        """Draw a chart (a bar, line, bar_line or stacked one) for a year range."""
        self.clear()
        self.chart = chart
        self.tracks = list(tracks)
        self.years = years
        self.milestones = milestones_by_year(milestones, years)
        m = self.ctx.metrics
        stacked = chart.type == "stacked"
        self.segments = bar_segments(self.tracks, stacked)
        self._draw_bars(stacked)
        for index, track in enumerate(self.tracks):
            if track.role == "line":
                self._draw_line(index, track)
        self._draw_milestones()
        self._cursor = pg.InfiniteLine(
            angle=90, movable=False, pen=pg.mkPen(lighter(theme.TEXT, 140), width=m.px(2))
        )
        self._cursor.setZValue(5)
        self._cursor.hide()
        self.plot.vb.addItem(self._cursor, ignoreBounds=True)
        self._highlight = pg.ScatterPlotItem(
            size=m.px(30), pen=pg.mkPen(theme.TEXT, width=m.px(3)), brush=QBrush(Qt.BrushStyle.NoBrush)
        )
        self._highlight.setZValue(30)
        self._compute_axes()
        self._apply_ranges()
        self.set_progress(1.0)

    def clear(self) -> None:
        self.plot.vb.clear()
        if self.right_vb is not None:
            self.right_vb.clear()
        self._bars.clear()
        self._lines.clear()
        self._markers.clear()
        self._milestone_item = None
        self._cursor = None
        self._highlight = None
        self.segments = []
        self.tracks = []
        self.chart = None

    def _vb_for(self, track: Track) -> pg.ViewBox:
        if track.axis == "right":
            if self.right_vb is None:
                self.right_vb = plotting.make_second_viewbox(self.plot)
            return self.right_vb
        return self.plot.vb

    def _draw_bars(self, stacked: bool) -> None:
        m = self.ctx.metrics
        bar_tracks = [i for i, t in enumerate(self.tracks) if t.role in ("bar", "stack")]
        if not bar_tracks:
            return
        group = 1 if stacked else len(bar_tracks)
        width = BAR_WIDTH / group
        by_track: dict[int, list[Segment]] = {}
        for segment in self.segments:
            by_track.setdefault(segment.track, []).append(segment)
        for slot, index in enumerate(bar_tracks):
            colour = colour_for(index)
            offset = 0.0 if stacked else (slot - (group - 1) / 2) * width
            segs = by_track.get(index, [])
            if not segs:
                continue
            for flag in (None, "estimate", "partial_year", "preliminary"):
                chosen = [s for s in segs if main_flag(s.value) == flag]
                if not chosen:
                    continue
                x = np.array([s.year + offset for s in chosen], dtype=float)
                y0 = np.array([s.y0 for s in chosen], dtype=float)
                h = np.array([s.y1 - s.y0 for s in chosen], dtype=float)
                edge = pg.mkPen(theme.BACKGROUND, width=m.px(2)) if stacked else None
                if flag is None:
                    item = pg.BarGraphItem(x=x, y0=y0, height=h, width=width, brush=colour, pen=edge)
                    self._add_bar(item, y0, h)
                    continue
                outline = pg.mkPen(colour, width=m.px(2))
                outline.setStyle(Qt.PenStyle.DashLine if flag == "preliminary" else Qt.PenStyle.SolidLine)
                base = pg.BarGraphItem(
                    x=x, y0=y0, height=h, width=width, brush=lighter(colour, 70), pen=outline
                )
                self._add_bar(base, y0, h)
                pattern = FLAG_PATTERN[flag]
                if pattern is not None:
                    hatch = pg.BarGraphItem(
                        x=x, y0=y0, height=h, width=width, brush=QBrush(colour, pattern), pen=None
                    )
                    self._add_bar(hatch, y0, h)

    def _add_bar(self, item: pg.BarGraphItem, y0: np.ndarray, h: np.ndarray) -> None:
        item.setZValue(2)
        self.plot.vb.addItem(item)
        self._bars.append((item, y0, h))

    def _draw_line(self, index: int, track: Track) -> None:
        assert self.years is not None
        m = self.ctx.metrics
        colour = colour_for(index)
        vb = self._vb_for(track)
        (sx, sy), (dx, dy) = line_pieces(track, self.years)
        solid = pg.PlotDataItem(sx, sy, connect="finite", pen=pg.mkPen(colour, width=m.px(5)))
        solid.setZValue(10)
        solid.series_id = track.id  # type: ignore[attr-defined] - for tests and read-out
        solid.role = "solid"  # type: ignore[attr-defined]
        vb.addItem(solid)
        self._lines.append((solid, sx, sy))
        dashed = pg.PlotDataItem(dx, dy, connect="finite", pen=plotting.dash_pen(colour, m.px(4)))
        dashed.setZValue(10)
        dashed.series_id = track.id  # type: ignore[attr-defined]
        dashed.role = "dashed"  # type: ignore[attr-defined]
        vb.addItem(dashed)
        self._lines.append((dashed, dx, dy))
        spots = []
        for v in track.values:
            flag = main_flag(v)
            spot = {"pos": (v.year, track.amount(v)), "data": (v.year, track.id)}
            if flag is None:
                spot.update(symbol="o", brush=QBrush(colour), pen=pg.mkPen(theme.BACKGROUND, width=m.px(2)))
            else:
                spot.update(symbol=FLAG_SYMBOL[flag], brush=QBrush(theme.BACKGROUND),
                            pen=pg.mkPen(colour, width=m.px(3)))
            spots.append(spot)
        scatter = pg.ScatterPlotItem(size=m.px(16))
        scatter.setZValue(12)
        vb.addItem(scatter)
        self._markers.append((scatter, spots))

    def _draw_milestones(self) -> None:
        if not self.milestones:
            return
        m = self.ctx.metrics
        category = self.ctx.content.timeline.category("economy")
        colour = QColor(category.color) if category else MILESTONE_COLOUR
        item = pg.ScatterPlotItem(
            size=m.px(24), symbol="d", brush=QBrush(colour), pen=pg.mkPen(theme.TEXT, width=m.px(2))
        )
        item.setZValue(20)
        self.plot.vb.addItem(item, ignoreBounds=True)
        self._milestone_item = item

    # --- axes and ranges ------------------------------------------------------------------

    def _compute_axes(self) -> None:
        from kiosk.content.formatting import compact_unit

        self._units = {}
        for axis_name, axis in (("left", self._left), ("right", self._right)):
            tracks = [t for t in self.tracks if t.axis == axis_name]
            if not tracks:
                continue
            if axis_name == "left" and self.segments:
                lows = [min(s.y0, s.y1) for s in self.segments]
                highs = [max(s.y0, s.y1) for s in self.segments]
            else:
                lows, highs = [], []
            for t in tracks:
                if t.role == "line":
                    amounts = [t.amount(v) for v in t.values]
                    lows += amounts
                    highs += amounts
            if not lows:
                lows, highs = [0.0], [1.0]
            has_bars = axis_name == "left" and bool(self.segments)
            target = 5 if self.ctx.metrics.portrait else 4
            lo, hi, step = nice_range(min(lows), max(highs), target, include_zero=has_bars)
            if (self.chart is not None and self.chart.type == "stacked"
                    and tracks[0].series.kind == "percent" and max(highs) <= 100.5):
                lo, hi, step = 0.0, 100.0, 25.0  # shares: the whole is 100 %, rounding aside
            first = tracks[0].series
            divisor, word = (1, "")
            if first.kind != "percent":
                divisor, word = compact_unit(max(abs(lo), abs(hi)), self.ctx.language)
            axis.lo, axis.hi, axis.step = lo, hi, step
            axis.kind, axis.divisor = first.kind, divisor
            self._units[axis_name] = word
        show_right = any(t.axis == "right" for t in self.tracks)
        self._size_axes(show_right)
        self.plot.showAxis("right", show_right)
        # room on the right for the last bar and the last year's label when there is no axis
        self.plot.layout.setContentsMargins(0, 0, 0 if show_right else self.ctx.metrics.px(24), 0)
        if self.right_vb is not None:
            self.right_vb.setVisible(show_right)

    def _size_axes(self, show_right: bool) -> None:
        """Axes exactly as wide as their longest tick label (pyqtgraph drops labels that do
        not fit and only widens the axis on a later paint)."""
        m = self.ctx.metrics
        for name, axis in (("left", self._left), ("right", self._right)):
            item = self.plot.getAxis(name)
            fm = QFontMetrics(item.style["tickFont"] or self.ctx.font())
            labels = [self._tick_label(v, axis) for v in self._axis_ticks(axis)]
            widest = max((fm.horizontalAdvance(t) for t in labels), default=0)
            item.setWidth(widest + m.px(10) + m.px(12))
        bottom = self.plot.getAxis("bottom")
        fm = QFontMetrics(bottom.style["tickFont"] or self.ctx.font())
        bottom.setHeight(fm.height() + m.px(10) + m.px(8))

    def unit_word(self, axis: str) -> str:
        """The large-number word of an axis' ticks ("billion", "亿"), "" when none."""
        return self._units.get(axis, "")

    def axis_kind(self, axis: str) -> str:
        return (self._left if axis == "left" else self._right).kind

    def _strip_px(self) -> float:
        """Room below the data for the milestone markers, in pixels."""
        return self.ctx.metrics.px(40) if self.milestones else 0.0

    def _apply_ranges(self) -> None:
        if self.years is None:
            return
        lo, hi = self.years
        self.plot.vb.setXRange(lo - 0.6, hi + 0.6, padding=0)
        height = max(1.0, self.plot.vb.height())
        strip = self._strip_px()
        pad_top = self.ctx.metrics.px(14)
        for axis, vb in ((self._left, self.plot.vb), (self._right, self.right_vb)):
            if vb is None:
                continue
            span = axis.hi - axis.lo
            usable = max(1.0, height - strip - pad_top)
            per_px = span / usable
            vb.setYRange(axis.lo - strip * per_px, axis.hi + pad_top * per_px, padding=0)
        self._place_milestones()
        for name in ("left", "right", "bottom"):
            self.plot.getAxis(name).picture = None
            self.plot.getAxis(name).update()

    def _place_milestones(self) -> None:
        if self._milestone_item is None:
            return
        vb = self.plot.vb
        (_, _), (y_lo, _) = vb.viewRange()
        height = max(1.0, vb.height())
        per_px = (self._left.hi - y_lo) / max(1.0, height - self.ctx.metrics.px(14))
        y = y_lo + self._strip_px() * 0.5 * per_px
        self._milestone_item.setData(
            [{"pos": (float(year), y), "data": year} for year, _ in self.milestones]
        )

    def _axis_ticks(self, axis: _Axis) -> list[float]:
        return ticks_between(axis.lo, axis.hi, axis.step)

    def _tick_label(self, value: float, axis: _Axis) -> str:
        lang = self.ctx.language
        if axis.kind == "percent":
            return format_percent(value, lang, decimals_for_step(axis.step))
        return format_number(value / axis.divisor, lang, decimals_for_step(axis.step / axis.divisor))

    def _year_ticks(self, lo: float, hi: float, size: float) -> list[float]:
        if self.years is None:
            return []
        first, last = self.years
        metrics = QFontMetrics(self.plot.getAxis("bottom").style["tickFont"] or self.ctx.font())
        widest = max(metrics.horizontalAdvance(format_year(y, self.ctx.language)) for y in (first, last))
        fit = int(size // (widest + self.ctx.metrics.px(28)))
        return [float(y) for y in year_ticks(first, last, fit)]

    # --- animation ------------------------------------------------------------------------

    def set_progress(self, t: float) -> None:
        """Draw the chart ``t`` of the way in (0..1): bars grown to t of their height, lines
        drawn up to t of the year range. The data behind (read-out, candidates) is final."""
        t = min(1.0, max(0.0, t))
        self.progress = t
        for item, y0, h in self._bars:
            item.setOpts(y0=y0 * t, height=h * t)
        if self.years is None:
            return
        lo, hi = self.years
        cut = lo - 0.5 + t * (hi - lo + 1.0)
        for item, xs, ys in self._lines:
            vx, vy = reveal(xs, ys, cut)
            item.setData(vx, vy, connect="finite")
        for item, spots in self._markers:
            item.setData([s for s in spots if s["pos"][0] <= cut + 1e-9])

    # --- read-out -------------------------------------------------------------------------

    def to_pixel(self, x: float, y: float, axis: str = "left") -> QPointF:
        """A data point in the PlotWidget's viewport coordinates (where touches arrive)."""
        vb = self.right_vb if axis == "right" and self.right_vb is not None else self.plot.vb
        scene = vb.mapViewToScene(QPointF(x, y))
        return QPointF(self.widget.mapFromScene(scene))

    def candidates(self) -> list[Candidate]:
        """Every value drawn, in viewport pixels, for ``nearest_point`` (final positions, also
        while the chart animates in)."""
        out: list[Candidate] = []
        group = 1
        bar_tracks = [i for i, t in enumerate(self.tracks) if t.role in ("bar", "stack")]
        stacked = self.chart is not None and self.chart.type == "stacked"
        if not stacked:
            group = max(1, len(bar_tracks))
        width = BAR_WIDTH / group
        for segment in self.segments:
            slot = bar_tracks.index(segment.track) if not stacked else 0
            offset = 0.0 if stacked else (slot - (group - 1) / 2) * width
            p0 = self.to_pixel(segment.year + offset, segment.y0)
            p1 = self.to_pixel(segment.year + offset, segment.y1)
            out.append(Candidate(segment.year, self.tracks[segment.track].id, p0.x(), p0.y(), p1.y()))
        for track in self.tracks:
            if track.role != "line":
                continue
            for v in track.values:
                p = self.to_pixel(v.year, track.amount(v), track.axis)
                out.append(Candidate(v.year, track.id, p.x(), p.y(), p.y()))
        return out

    def show_cursor(self, year: int | None, series_id: str | None = None) -> None:
        """Mark the value read out: a vertical line at its year and a ring on it."""
        if self._cursor is None or self._highlight is None:
            return
        if year is None:
            self._cursor.hide()
            self._highlight.setData([])
            if self._highlight.getViewBox() is not None:
                self._highlight.getViewBox().removeItem(self._highlight)
            return
        self._cursor.setValue(year)
        self._cursor.show()
        track = next((t for t in self.tracks if t.id == series_id), None)
        if track is None:
            return
        vb = self._vb_for(track)
        current = self._highlight.getViewBox()
        if current is not vb:
            if current is not None:
                current.removeItem(self._highlight)
            vb.addItem(self._highlight, ignoreBounds=True)
        y = None
        x = float(year)
        for s in self.segments:
            if s.year == year and self.tracks[s.track].id == series_id:
                y = s.y1
                if self.chart is not None and self.chart.type != "stacked":
                    bar_tracks = [i for i, t in enumerate(self.tracks) if t.role in ("bar", "stack")]
                    group = len(bar_tracks)
                    slot = bar_tracks.index(s.track)
                    x += (slot - (group - 1) / 2) * (BAR_WIDTH / group)
                else:
                    y = (s.y0 + s.y1) / 2
        if y is None:
            v = next((v for v in track.values if v.year == year), None)
            y = track.amount(v) if v else None
        if y is None:
            self._highlight.setData([])
        else:
            self._highlight.setData([{"pos": (x, y)}])

    def milestone_at(self, pos: QPointF, target: float) -> tuple[Event, ...] | None:
        """The events of the milestone marker whose touch target holds a viewport point.

        The target is ``target`` px wide and tall, reaching from the top of the marker strip
        down over the year labels, so that it never takes a touch meant for the bars above.
        """
        top_offset = self._strip_px() / 2 + self.ctx.metrics.px(4)
        best, best_d = None, target
        for year, events in self.milestones:
            pixel = self.milestone_pixel(year)
            if pixel is None:
                continue
            dx = abs(pixel.x() - pos.x())
            top = pixel.y() - top_offset
            if dx <= target / 2 and top <= pos.y() <= top + target and dx < best_d:
                best, best_d = events, dx
        return best

    def milestone_pixel(self, year: int) -> QPointF | None:
        """Where the marker of a year's milestones is, in viewport pixels."""
        if self._milestone_item is None:
            return None
        for spot in self._milestone_item.points():
            if spot.data() == year:
                return self.to_pixel(spot.pos().x(), spot.pos().y())
        return None

    def line_items(self, series_id: str) -> dict[str, pg.PlotDataItem]:
        """The solid and dashed line items of a series (for tests and checks)."""
        return {
            item.role: item  # type: ignore[attr-defined]
            for item, _, _ in self._lines
            if getattr(item, "series_id", None) == series_id
        }
