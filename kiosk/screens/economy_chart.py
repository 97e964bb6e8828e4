"""The plot of the economy screen, painted with QPainter: bars, stacks, lines, flags, milestones
on the year axis, the read-out cursor.

One ``ChartCanvas`` draws whichever chart it is given; everything on it comes from the content.
It replaces a pyqtgraph plot: pyqtgraph and numpy cost about 60 MB of memory and half a second
of import for these few charts. The picture is the same: the plot area spans the widget between
a left axis, a right axis (or a margin) and the year axis; the year range runs from 0.6 of a year
before the first to 0.6 after the last; each y axis maps its tick range onto the plot area less
a top margin and, when there are milestones, a strip below for their markers.

Painting is cheap: while the chart grows (``progress`` below 1, set by the screen's animation,
which stops when done), a paint copies a cached picture of the background, axis line and tick
labels and draws the data over it; at rest it copies two cached layers (axes and bars; lines,
points, milestones and grid) with the read-out cursor drawn between them. The cache is rebuilt
only for a new size, language, chart or range.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import QWidget

from kiosk.content.formatting import compact_unit, format_number, format_percent, format_year
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
from kiosk.ui import theme

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
# Horizontal grid lines at the left axis' ticks, a faint darkening drawn over the bars.
GRID_COLOUR = QColor(0, 0, 0, 46)
# Room beyond the plot's ends into which the first and last year labels may reach.
YEAR_LABEL_OVERHANG = 80


def colour_for(index: int) -> QColor:
    return QColor(PALETTE[index % len(PALETTE)])


def _pen(colour: QColor, width: float, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(QBrush(colour), width)
    pen.setStyle(style)
    return pen


@dataclass
class _Axis:
    """One y axis: the range of its ticks and how its ticks read."""

    lo: float = 0.0
    hi: float = 1.0
    step: float = 1.0
    kind: str = "amount"
    divisor: float = 1.0


@dataclass(frozen=True)
class Bar:
    """A bar (or a part of a stacked bar) as drawn: in data coordinates, with its look.

    Attributes:
        x: the bar's centre, in years (side-by-side bars are offset from their year).
        width: in years.
        y0, y1: its base and top at full height (the growth animation scales both).
        fill: the brush under the outline; hatch: a pattern over it (None: none).
        pen: the outline (None: none).
    """

    year: int
    series_id: str
    x: float
    width: float
    y0: float
    y1: float
    flag: str | None
    fill: QBrush
    pen: QPen | None
    hatch: QBrush | None


@dataclass(frozen=True)
class LineItem:
    """One part of a series' line: ``solid`` or ``dashed`` (to or from a flagged value); each
    run is drawn as one connected polyline, and nothing joins two runs."""

    series_id: str
    role: str
    axis: str
    runs: tuple[tuple[tuple[float, float], ...], ...]
    pen: QPen


@dataclass(frozen=True)
class Marker:
    """A line's point: a filled circle, or a hollow symbol (o, s, d) for a flagged value."""

    year: int
    series_id: str
    axis: str
    y: float
    symbol: str
    brush: QBrush
    pen: QPen


class ChartView(QWidget):
    """The widget a ``ChartCanvas`` paints on. Years run left to right in every language; no
    menu, zoom or pan: touches are read by the screen (``viewport()`` is where they arrive)."""

    def __init__(self, canvas: ChartCanvas):
        super().__init__()
        self._canvas = canvas
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)

    def viewport(self) -> QWidget:
        """The widget that receives touches: this one (a plot view used to have a viewport)."""
        return self

    def sizeHint(self) -> QSize:
        return QSize(640, 360)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._canvas.paint(self, event.rect())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._canvas.invalidate()


class ChartCanvas:
    """Draws one chart at a time on a ``ChartView``.

    Attributes:
        widget: the ChartView (put it in a layout).
        tracks: the series drawn, in chart order.
        years: the year range drawn.
        milestones: the timeline events marked on the year axis, grouped by year.
        segments: the bars (stacked parts) of the bar tracks, in data coordinates.
        bars, lines, markers: what is drawn, with its look (full height, whole lines).
        progress: how far the growth animation is (0..1); 1 when still.
    """

    def __init__(self, ctx: ScreenContext):
        self.ctx = ctx
        self.widget = ChartView(self)
        self.chart: Chart | None = None
        self.tracks: list[Track] = []
        self._pictures_pending = False
        self._shown: tuple | None = None  # what show() drew last (tracks, years, milestones)
        self.years: tuple[int, int] | None = None
        self.milestones: list[tuple[int, tuple[Event, ...]]] = []
        self.segments: list[Segment] = []
        self.bars: list[Bar] = []
        self.lines: list[LineItem] = []
        self.markers: list[Marker] = []
        self.progress = 1.0
        self._left = _Axis()
        self._right = _Axis()
        self._units: dict[str, str] = {}
        self._show_right = False
        self._left_width = 0
        self._right_width = 0
        self._bottom_height = 0
        self._font = QFont()
        self._cursor: int | None = None
        self._highlight: tuple[float, float, str] | None = None  # x, y, axis
        # cached pictures, see paint(); at most two are kept at a time
        self._static: QPixmap | None = None
        self._under: QPixmap | None = None
        self._over: QPixmap | None = None
        self._cache_key: tuple | None = None
        self._revision = 0
        self._scales: tuple | None = None  # see _mapping()
        # each marker's look painted once (see _sprite), by look (see _marker_looks) and ratio
        self._sprites: dict[tuple, tuple[QPixmap, float]] = {}
        self._looks: list[tuple] | None = None
        self.apply_context(ctx)

    # --- context --------------------------------------------------------------------------

    def apply_context(self, ctx: ScreenContext) -> None:
        self.ctx = ctx
        m = ctx.metrics
        self._font = ctx.font(m.small + m.px(2))
        if self.chart is not None:
            self._compute_axes()
        self._shown = None  # the next show() draws everything in the new context
        self.invalidate()

    def invalidate(self) -> None:
        """Drop the cached axes picture (new size, language or chart) and repaint."""
        self._revision += 1
        self._scales = None
        self._static = self._under = self._over = None
        self._sprites.clear()
        self._looks = None
        self.widget.update()

    # --- drawing --------------------------------------------------------------------------

    def show(
        self,
        chart: Chart,
        tracks: Sequence[Track],
        years: tuple[int, int],
        milestones: Sequence[Event] = (),
    ) -> None:
        """Draw a chart (a bar, line, bar_line or stacked one) for a year range."""
        shown = (tuple(tracks), years, tuple(milestones))
        if self.chart is not None and chart is self.chart and shown == self._shown:
            # the same chart again (the slideshow's next round, a deep link to it): its axes,
            # labels and pictures stay; only what a visitor left on it goes
            self._cursor = None
            self._highlight = None
            self.set_progress(1.0)
            self.widget.update()
            return
        self.clear()
        self._shown = shown
        self.chart = chart
        self.tracks = list(tracks)
        self.years = years
        self.milestones = milestones_by_year(milestones, years)
        stacked = chart.type == "stacked"
        self.segments = bar_segments(self.tracks, stacked)
        self._make_bars(stacked)
        for index, track in enumerate(self.tracks):
            if track.role == "line":
                self._make_line(index, track)
        self._compute_axes()
        self.set_progress(1.0)
        self.invalidate()

    def clear(self) -> None:
        self.bars = []
        self.lines = []
        self.markers = []
        self.segments = []
        self.tracks = []
        self.milestones = []
        self.chart = None
        self.years = None
        self._cursor = None
        self._highlight = None
        self._show_right = False
        self._shown = None
        self.invalidate()

    def _bar_tracks(self) -> list[int]:
        return [i for i, t in enumerate(self.tracks) if t.role in ("bar", "stack")]

    def _bar_offset(self, track_index: int) -> tuple[float, float]:
        """(offset from the year, width) of a bar track's bars: side by side unless stacked."""
        bar_tracks = self._bar_tracks()
        stacked = self.chart is not None and self.chart.type == "stacked"
        group = 1 if stacked else max(1, len(bar_tracks))
        width = BAR_WIDTH / group
        if stacked or track_index not in bar_tracks:
            return 0.0, width
        slot = bar_tracks.index(track_index)
        return (slot - (group - 1) / 2) * width, width

    def _make_bars(self, stacked: bool) -> None:
        m = self.ctx.metrics
        by_track: dict[int, list[Segment]] = {}
        for segment in self.segments:
            by_track.setdefault(segment.track, []).append(segment)
        for index in self._bar_tracks():
            colour = colour_for(index)
            offset, width = self._bar_offset(index)
            segs = by_track.get(index, [])
            series_id = self.tracks[index].id
            # drawn in this order (plain first), as the legend lists the flags
            for flag in (None, "estimate", "partial_year", "preliminary"):
                for s in (s for s in segs if main_flag(s.value) == flag):
                    if flag is None:
                        edge = _pen(theme.BACKGROUND, m.px(2)) if stacked else None
                        fill, hatch = QBrush(colour), None
                    else:
                        style = (Qt.PenStyle.DashLine if flag == "preliminary"
                                 else Qt.PenStyle.SolidLine)
                        edge = _pen(colour, m.px(2), style)
                        fill = QBrush(theme.with_alpha(colour, 70))
                        pattern = FLAG_PATTERN[flag]
                        hatch = QBrush(colour, pattern) if pattern is not None else None
                    self.bars.append(Bar(s.year, series_id, s.year + offset, width, s.y0, s.y1,
                                         flag, fill, edge, hatch))

    def _make_line(self, index: int, track: Track) -> None:
        assert self.years is not None
        m = self.ctx.metrics
        colour = colour_for(index)
        solid, dashed = line_pieces(track, self.years)
        dash = _pen(colour, m.px(4), Qt.PenStyle.DashLine)
        dash.setCapStyle(Qt.PenCapStyle.FlatCap)
        for role, runs, pen in (("solid", solid, _pen(colour, m.px(5))), ("dashed", dashed, dash)):
            self.lines.append(LineItem(track.id, role, track.axis,
                                       tuple(tuple(run) for run in runs), pen))
        for v in track.values:
            flag = main_flag(v)
            if flag is None:
                symbol, brush, pen = "o", QBrush(colour), _pen(theme.BACKGROUND, m.px(2))
            else:
                symbol, brush, pen = FLAG_SYMBOL[flag], QBrush(theme.BACKGROUND), _pen(colour, m.px(3))
            self.markers.append(Marker(v.year, track.id, track.axis, track.amount(v), symbol, brush, pen))

    # --- axes and geometry ----------------------------------------------------------------

    def _compute_axes(self) -> None:
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
        self._show_right = any(t.axis == "right" for t in self.tracks)
        self._size_axes()
        self._scales = None

    def _size_axes(self) -> None:
        """Y axes exactly as wide as their longest tick label; the year axis one line tall."""
        m = self.ctx.metrics
        fm = QFontMetrics(self._font)
        widths = []
        for axis in (self._left, self._right):
            labels = [self._tick_label(v, axis) for v in self._axis_ticks(axis)]
            widest = max((fm.horizontalAdvance(t) for t in labels), default=0)
            widths.append(widest + m.px(10) + m.px(12))
        self._left_width = widths[0]
        # room on the right for the last bar and the last year's label when there is no axis
        self._right_width = widths[1] if self._show_right else m.px(24)
        self._bottom_height = fm.height() + m.px(10) + m.px(8)

    def unit_word(self, axis: str) -> str:
        """The large-number word of an axis' ticks ("billion", "亿"), "" when none."""
        return self._units.get(axis, "")

    def view_rect(self) -> QRectF:
        """The plot area, in widget pixels (the axes' labels are outside it)."""
        w, h = self.widget.width(), self.widget.height()
        width = max(1.0, w - self._left_width - self._right_width)
        return QRectF(self._left_width, 0.0, width, max(1.0, h - self._bottom_height))

    def x_range(self) -> tuple[float, float]:
        """The years the plot area spans, edge to edge."""
        if self.years is None:
            return 0.0, 1.0
        lo, hi = self.years
        return lo - 0.6, hi + 0.6

    def _strip_px(self) -> float:
        """Room below the data for the milestone markers, in pixels."""
        return self.ctx.metrics.px(40) if self.milestones else 0.0

    def _mapping(self) -> tuple:
        """(size, x0, x scale, {axis: (y0, y scale)}): pixel = offset + value × scale, for
        the current size and axes (worked out once, not for every point painted)."""
        size = self.widget.size()
        if self._scales is None or self._scales[0] != size:
            view = self.view_rect()
            lo, hi = self.x_range()
            xs = view.width() / (hi - lo)
            pad = self.ctx.metrics.px(14)
            usable = max(1.0, view.height() - self._strip_px() - pad)
            ys = {}
            for name, a in (("left", self._left), ("right", self._right)):
                scale = usable / ((a.hi - a.lo) or 1.0)
                ys[name] = (view.top() + pad + a.hi * scale, scale)
            self._scales = (size, view.left() - lo * xs, xs, ys)
        return self._scales

    def _x(self, year: float) -> float:
        _, x0, xs, _ = self._mapping()
        return x0 + year * xs

    def _y(self, value: float, axis: str = "left") -> float:
        y0, ys = self._mapping()[3]["right" if axis == "right" else "left"]
        return y0 - value * ys

    def to_pixel(self, x: float, y: float, axis: str = "left") -> QPointF:
        """A data point in the chart widget's coordinates (where touches arrive)."""
        return QPointF(self._x(x), self._y(y, "right" if axis == "right" else "left"))

    def _axis_ticks(self, axis: _Axis) -> list[float]:
        return ticks_between(axis.lo, axis.hi, axis.step)

    def _tick_label(self, value: float, axis: _Axis) -> str:
        lang = self.ctx.language
        if axis.kind == "percent":
            return format_percent(value, lang, decimals_for_step(axis.step))
        return format_number(value / axis.divisor, lang, decimals_for_step(axis.step / axis.divisor))

    def tick_text(self, axis: str, value: float) -> str:
        """How an axis ("left", "right", "bottom") writes a value, in the visitor's language."""
        if axis == "bottom":
            return format_year(round(value), self.ctx.language)
        return self._tick_label(value, self._right if axis == "right" else self._left)

    def _year_ticks(self) -> list[int]:
        if self.years is None:
            return []
        first, last = self.years
        fm = QFontMetrics(self._font)
        widest = max(fm.horizontalAdvance(format_year(y, self.ctx.language)) for y in (first, last))
        fit = int((self.view_rect().width() + 2) // (widest + self.ctx.metrics.px(28)))
        return year_ticks(first, last, fit)

    def axis_labels(self, axis: str) -> list[tuple[float, str, QRectF]]:
        """The tick labels an axis draws: value, text and the box it is centred in (widget
        pixels). A left label that would leave the widget, or a year label reaching more than
        a little past the plot's ends, is not drawn."""
        if self.years is None or (axis == "right" and not self._show_right):
            return []
        m = self.ctx.metrics
        fm = QFontMetrics(self._font)
        view = self.view_rect()
        offset = m.px(10)
        out: list[tuple[float, str, QRectF]] = []
        height = fm.height() * 0.8  # the glyphs' extent, about: a label may touch an edge
        if axis == "bottom":
            reach = m.px(YEAR_LABEL_OVERHANG)
            for year in self._year_ticks():
                text = self.tick_text("bottom", year)
                w = fm.horizontalAdvance(text)
                rect = QRectF(self._x(year) - w / 2, view.bottom() + offset, w, height)
                if rect.left() >= view.left() - reach and rect.right() <= view.right() + reach:
                    out.append((float(year), text, rect))
            return out
        a = self._right if axis == "right" else self._left
        for value in self._axis_ticks(a):
            text = self._tick_label(value, a)
            w = fm.horizontalAdvance(text)
            y = self._y(value, axis)
            x = view.right() + offset if axis == "right" else view.left() - offset - w
            rect = QRectF(x, y - height / 2, w, height)
            if axis == "right" or (rect.top() >= 0 and rect.bottom() <= self.widget.height()):
                out.append((value, text, rect))
        return out

    # --- painting -------------------------------------------------------------------------

    def _pixmap(self, transparent: bool = False) -> QPixmap:
        dpr = self.widget.devicePixelRatioF()
        size = self.widget.size()
        pixmap = QPixmap(max(1, round(size.width() * dpr)), max(1, round(size.height() * dpr)))
        pixmap.setDevicePixelRatio(dpr)
        pixmap.fill(Qt.GlobalColor.transparent if transparent else theme.BACKGROUND)
        return pixmap

    def _check_cache(self) -> None:
        key = (self.widget.size(), self.widget.devicePixelRatioF(), self._revision)
        if key != self._cache_key:
            self._static = self._under = self._over = None
            self._cache_key = key

    def _static_picture(self) -> QPixmap:
        """Background, year axis line and tick labels: what the growth animation never
        changes (the picture under the data while it grows)."""
        self._check_cache()
        if self._static is None:
            self._static = self._pixmap()
            if self.years is not None:
                p = QPainter(self._static)
                self._paint_axes(p)
                p.end()
        return self._static

    def _still_pictures(self) -> tuple[QPixmap, QPixmap]:
        """The whole chart at rest in two layers, so that the read-out cursor can go between
        them: the axes and bars under it; the lines, points, milestones and grid (on a
        transparent pixmap) over it."""
        self._check_cache()
        if self._under is None or self._over is None:
            view = self.view_rect()
            self._under = self._pixmap()
            p = QPainter(self._under)
            self._paint_axes(p)
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            p.setClipRect(view)
            self._paint_bars(p)
            p.end()
            self._over = self._pixmap(transparent=True)
            p = QPainter(self._over)
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            self._paint_data_over_bars(p, view, cursor=False)
            p.end()
        return self._under, self._over

    def _make_still_pictures(self) -> None:
        self._pictures_pending = False
        if self.years is not None and self.progress >= 1.0:
            self._still_pictures()

    def _paint_axes(self, p: QPainter) -> None:
        m = self.ctx.metrics
        view = self.view_rect()
        pen = _pen(theme.TEXT_DIM, max(1, m.px(2)))
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        p.setPen(pen)
        y = view.bottom() + 1
        p.drawLine(QPointF(view.left() - 1, y), QPointF(view.right() + 1, y))
        for year in self._year_ticks():  # a dot under the line at each labelled year
            x = self._x(year)
            p.drawLine(QPointF(x, view.bottom()), QPointF(x, view.bottom()))
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        p.setFont(self._font)
        p.setPen(theme.TEXT_DIM)
        aligns = {
            "left": Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            "right": Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            "bottom": Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
        }
        for axis, align in aligns.items():
            for _, text, rect in self.axis_labels(axis):
                p.drawText(rect, int(align | Qt.TextFlag.TextDontClip), text)

    def paint(self, widget: QWidget, rect: QRect) -> None:
        """Paint the chart: at rest, two cached layers with the cursor between them; while it
        grows, the data over the cached axes."""
        p = QPainter(widget)
        target = QRectF(rect)
        growing = self.years is None or self.progress < 1.0
        if not growing and self._cursor is None and self._highlight is None:
            self._check_cache()
            if self._under is None or self._over is None:
                # the last frame of the growth (or the first at rest) is painted as the growth
                # frames are; the pictures for the frames at rest are made after it, between
                # frames (they cost as much as two frames of growth)
                growing = True
                if not self._pictures_pending:
                    self._pictures_pending = True
                    QTimer.singleShot(0, self.widget, self._make_still_pictures)
        if growing:
            self._blit(p, self._static_picture(), target)
            if self.years is not None and self.view_rect().intersects(target):
                p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
                p.setClipRect(self.view_rect())
                self._paint_bars(p)
                self._paint_data_over_bars(p, self.view_rect(), cursor=True)
                self._paint_highlight(p, "right")
            p.end()
            return
        under, over = self._still_pictures()
        self._blit(p, under, target)
        if self._cursor is not None:
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            p.setClipRect(self.view_rect())
            self._paint_cursor(p)
            p.setClipping(False)
        self._blit(p, over, target)
        if self._highlight is not None:
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            p.setClipRect(self.view_rect())
            self._paint_highlight(p, "left")
            self._paint_highlight(p, "right")
        p.end()

    @staticmethod
    def _blit(p: QPainter, pixmap: QPixmap, target: QRectF) -> None:
        dpr = pixmap.devicePixelRatio()
        source = QRectF(target.x() * dpr, target.y() * dpr, target.width() * dpr,
                        target.height() * dpr)
        p.drawPixmap(target, pixmap, source)

    def _paint_data_over_bars(self, p: QPainter, view: QRectF, cursor: bool) -> None:
        """In the plot's order: cursor, the main axis' lines and points, milestones (and the
        ring of a main-axis value), the grid, then the second axis' lines and points."""
        p.setClipRect(view)
        if cursor:
            self._paint_cursor(p)
        self._paint_lines(p, "left")
        self._paint_milestones(p)
        if cursor:
            self._paint_highlight(p, "left")
        p.setClipping(False)
        self._paint_grid(p, view)
        p.setClipRect(view)
        self._paint_lines(p, "right")

    def _paint_bars(self, p: QPainter) -> None:
        # crisp edges, as the plot always drew its bars (and cheaper)
        antialiased = p.testRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        t = self.progress
        _, ox, sx, axes = self._mapping()
        oy, sy = axes["left"]
        for bar in self.bars:
            x0 = ox + (bar.x - bar.width / 2) * sx
            y0, y1 = oy - bar.y0 * t * sy, oy - bar.y1 * t * sy
            r = QRectF(x0, min(y0, y1), bar.width * sx, abs(y1 - y0))
            p.setPen(bar.pen if bar.pen is not None else Qt.PenStyle.NoPen)
            p.setBrush(bar.fill)
            p.drawRect(r)
            if bar.hatch is not None:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(bar.hatch)
                p.drawRect(r)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, antialiased)

    def _cut(self) -> float:
        """The year up to which lines and points are drawn at the current progress."""
        assert self.years is not None
        lo, hi = self.years
        return lo - 0.5 + self.progress * (hi - lo + 1.0)

    def _paint_lines(self, p: QPainter, axis: str) -> None:
        cut = self._cut()
        _, ox, sx, axes = self._mapping()
        oy, sy = axes[axis]
        p.setBrush(Qt.BrushStyle.NoBrush)
        for item in self.lines:
            if item.axis != axis:
                continue
            runs: Sequence[Sequence[tuple[float, float]]] = item.runs
            if self.progress < 1.0:
                runs = reveal([list(r) for r in item.runs], cut)
            path = QPainterPath()
            for run in runs:
                for i, (x, y) in enumerate(run):
                    px, py = ox + x * sx, oy - y * sy
                    if i == 0:
                        path.moveTo(px, py)
                    else:
                        path.lineTo(px, py)
            p.setPen(item.pen)
            p.drawPath(path)
        size = self.ctx.metrics.px(16)
        dpr = p.device().devicePixelRatioF()
        looks = self._marker_looks()
        for index, marker in enumerate(self.markers):
            if marker.axis == axis and marker.year <= cut + 1e-9:
                key = (looks[index], dpr)
                picture, half = self._sprites.get(key) or self._sprite(
                    key, marker.symbol, size, marker.pen, marker.brush)
                p.drawPixmap(QPointF(ox + marker.year * sx - half, oy - marker.y * sy - half),
                             picture)

    def _paint_milestones(self, p: QPainter) -> None:
        if not self.milestones:
            return
        key = ("milestone", p.device().devicePixelRatioF())
        found = self._sprites.get(key)
        if found is None:
            m = self.ctx.metrics
            category = self.ctx.content.timeline.category("economy")
            colour = QColor(category.color) if category else MILESTONE_COLOUR
            found = self._sprite(key, "d", m.px(24), _pen(theme.TEXT, m.px(2)), QBrush(colour))
        picture, half = found
        y = self._milestone_y() - half
        for year, _ in self.milestones:
            p.drawPixmap(QPointF(self._x(year) - half, y), picture)

    def _marker_looks(self) -> list[tuple]:
        """What each marker looks like, as a key: markers that look alike share a picture."""
        if self._looks is None:
            self._looks = [
                (m.symbol, m.pen.color().rgba(), m.pen.widthF(), m.pen.style(),
                 m.brush.color().rgba(), m.brush.style())
                for m in self.markers
            ]
        return self._looks

    def _sprite(self, key: tuple, symbol: str, size: float, pen: QPen,
                brush: QBrush) -> tuple[QPixmap, float]:
        """A marker painted once into a small picture at the screen's pixel ratio (``key[-1]``),
        and half its side: a frame blits it. Stroking and filling a marker costs 40-90 us, and
        every frame of the growth animation drew every point and milestone again (about 1 ms
        of a 5 ms frame)."""
        dpr = key[-1]
        side = math.ceil(size + pen.widthF() + 2)  # the outline and its antialiasing
        picture = QPixmap(math.ceil(side * dpr), math.ceil(side * dpr))
        picture.setDevicePixelRatio(dpr)
        picture.fill(Qt.GlobalColor.transparent)
        painter = QPainter(picture)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        _paint_symbol(painter, symbol, QPointF(side / 2, side / 2), size, pen, brush)
        painter.end()
        self._sprites[key] = (picture, side / 2)
        return self._sprites[key]

    def _paint_cursor(self, p: QPainter) -> None:
        if self._cursor is None:
            return
        view = self.view_rect()
        x = self._x(self._cursor)
        p.setPen(_pen(theme.with_alpha(theme.TEXT, 140), self.ctx.metrics.px(2)))
        p.drawLine(QPointF(x, view.top()), QPointF(x, view.bottom()))

    def _paint_highlight(self, p: QPainter, axis: str) -> None:
        if self._highlight is None or self._highlight[2] != axis:
            return
        m = self.ctx.metrics
        x, y, _ = self._highlight
        centre = QPointF(self._x(x), self._y(y, axis))
        _paint_symbol(p, "o", centre, m.px(30), _pen(theme.TEXT, m.px(3)), QBrush())

    def _paint_grid(self, p: QPainter, view: QRectF) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        p.setPen(_pen(GRID_COLOUR, max(1, self.ctx.metrics.px(2))))
        for value in self._axis_ticks(self._left):
            y = self._y(value)
            p.drawLine(QPointF(view.left(), y), QPointF(view.right(), y))
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)

    # --- animation ------------------------------------------------------------------------

    def set_progress(self, t: float) -> None:
        """Draw the chart ``t`` of the way in (0..1): bars grown to t of their height, lines
        drawn up to t of the year range. The data behind (read-out, candidates) is final."""
        t = min(1.0, max(0.0, t))
        if t == self.progress:
            return
        self.progress = t
        if self.years is not None:
            self.widget.update(self.view_rect().toAlignedRect().adjusted(-2, -2, 2, 2))

    def drawn_extent(self, bar: Bar) -> tuple[float, float]:
        """A bar's base and top as drawn now (the growth animation scales them)."""
        return bar.y0 * self.progress, bar.y1 * self.progress

    # --- read-out -------------------------------------------------------------------------

    def candidates(self) -> list[Candidate]:
        """Every value drawn, in widget pixels, for ``nearest_point`` (final positions, also
        while the chart animates in)."""
        out: list[Candidate] = []
        for segment in self.segments:
            offset, _ = self._bar_offset(segment.track)
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
        self._cursor = year
        self._highlight = None
        track = next((t for t in self.tracks if t.id == series_id), None)
        if year is not None and track is not None:
            y = None
            x = float(year)
            for s in self.segments:
                if s.year == year and self.tracks[s.track].id == series_id:
                    if self.chart is not None and self.chart.type != "stacked":
                        y = s.y1
                        x += self._bar_offset(s.track)[0]
                    else:
                        y = (s.y0 + s.y1) / 2
            if y is None:
                v = next((v for v in track.values if v.year == year), None)
                y = track.amount(v) if v else None
            if y is not None:
                self._highlight = (x, y, track.axis)
        if self.years is not None:
            self.widget.update(self.view_rect().toAlignedRect().adjusted(-2, -2, 2, 2))

    def milestone_at(self, pos: QPointF, target: float) -> tuple[Event, ...] | None:
        """The events of the milestone marker whose touch target holds a widget point.

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
        """Where the marker of a year's milestones is, in widget pixels (centred in the strip
        under the data)."""
        if all(y != year for y, _ in self.milestones):
            return None
        return QPointF(self._x(year), self._milestone_y())

    def _milestone_y(self) -> float:
        """The height of the milestone markers' centres: the middle of the strip under the data."""
        return self.view_rect().bottom() - self._strip_px() / 2

    def line_items(self, series_id: str) -> dict[str, LineItem]:
        """The solid and dashed parts of a series' line (for tests and checks)."""
        return {item.role: item for item in self.lines if item.series_id == series_id}

    def series_markers(self, series_id: str) -> list[Marker]:
        """The points of a series' line, with their symbols (for tests and checks)."""
        return [marker for marker in self.markers if marker.series_id == series_id]


def _paint_symbol(p: QPainter, symbol: str, centre: QPointF, size: float, pen: QPen,
                  brush: QBrush) -> None:
    """A marker ``size`` px across: ``o`` circle, ``s`` square, ``d`` diamond (0.8 as wide)."""
    p.setPen(pen)
    p.setBrush(brush)
    half = size / 2
    if symbol == "s":
        p.drawRect(QRectF(centre.x() - half, centre.y() - half, size, size))
    elif symbol == "d":
        w = size * 0.4
        p.drawPolygon(QPolygonF([
            QPointF(centre.x(), centre.y() - half), QPointF(centre.x() - w, centre.y()),
            QPointF(centre.x(), centre.y() + half), QPointF(centre.x() + w, centre.y()),
        ]))
    else:
        p.drawEllipse(centre, half, half)
