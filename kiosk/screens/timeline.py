"""The timeline screen: Changchun's events on a time axis that a finger drags.

Time runs left to right in landscape and top to bottom in portrait. Spacing follows the calendar,
with long empty gaps compressed and busy years widened (see ``timeline_layout``); event cards sit
in lanes on both sides of the axis. Category chips filter and double as the legend, a year strip
jumps across decades, and a tap on an event opens its card.

Deep-link parameters for ``open()`` (each call starts from an unfiltered timeline):

    {"event": id}               scroll to the event, highlight it and open its card
    {"event": id, "card": False} ... without opening the card
    {"year": 1983}              scroll to that year
    {"category": id}            show only that category
    {"country": "DE"}           show only events about partner cities in that country
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QEasingCurve,
    QEvent,
    QPointF,
    QRectF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QResizeEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QGridLayout,
    QScrollBar,
    QScroller,
    QStyleOptionGraphicsItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.content.formatting import format_date, script_of
from kiosk.content.model import Event
from kiosk.screens.base import FrameLimiter, Screen, ScreenContext
from kiosk.screens.timeline_layout import Placement, place
from kiosk.screens.timeline_widgets import (
    CJK_SCRIPTS,
    CardContent,
    Chip,
    EventCard,
    StripModel,
    YearStrip,
    kinetic,
    ui_font,
    wrap_lines,
)
from kiosk.ui import theme
from kiosk.ui.flow_layout import FlowLayout
from kiosk.ui.frame_clock import Tween
from kiosk.ui.theme import set_style_sheet

log = logging.getLogger(__name__)

ENTRY_MS = 600
SNAP_MS = 450
PULSES = 3  # times a deep-linked event pulses
TITLE_LINES = 3
UNKNOWN_COLOR = QColor("#90A4AE")
_KEEP = object()  # _relayout(): keep the year at the reading line
# Brackets and punctuation in upright CJK columns use their vertical forms (U+FE10..FE4F).
VERTICAL_FORMS = {
    "（": "\ufe35", "）": "\ufe36", "(": "\ufe35", ")": "\ufe36", "“": "\ufe41", "”": "\ufe42",
    "「": "\ufe41", "」": "\ufe42", "『": "\ufe43", "』": "\ufe44", "《": "\ufe3d", "》": "\ufe3e",
    "、": "\ufe11", "，": "\ufe10", "。": "\ufe12", "：": "\ufe13", "·": "\u30fb", "—": "\ufe31",
}


# --- geometry ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Geometry:
    """Sizes of one layout, in scene pixels. "Along" is the time direction, "across" the other.

    Attributes:
        vertical: time runs top to bottom (portrait).
        view_along, view_across: the visible area.
        lead: scene position (along) of axis position 0.
        reading: where a snapped or opened event sits, as a fraction of the visible length.
        axis: across position of the axis line.
        before, after: free space between the axis and the first lane on each side.
        era: thickness of the era-name strip at the start of the across direction.
        card_along, card_across: a lane's size; card_offset: how far a card starts before its dot.
    """

    vertical: bool
    view_along: float
    view_across: float
    lead: float
    reading: float
    axis: float
    before: float
    after: float
    era: float
    card_along: float
    card_across: float
    card_offset: float
    lanes: int
    gap: float
    pad: float

    def pt(self, along: float, across: float) -> QPointF:
        return QPointF(across, along) if self.vertical else QPointF(along, across)

    def rect(self, along: float, across: float, d_along: float, d_across: float) -> QRectF:
        if self.vertical:
            return QRectF(across, along, d_across, d_along).normalized()
        return QRectF(along, across, d_along, d_across).normalized()

    def along_of(self, point: QPointF) -> float:
        return point.y() if self.vertical else point.x()


@dataclass(frozen=True)
class Fonts:
    date: QFont
    title: QFont
    second: QFont | None
    label: QFont


def _line(font: QFont | None) -> float:
    return QFontMetricsF(font).lineSpacing() if font is not None else 0.0


# --- scene items -------------------------------------------------------------------------------


class EventItem(QGraphicsObject):
    """One event: its dot on the axis, a stem, and a card with date and title.

    The item paints in scene coordinates at position (0, 0); the entry animation moves it.
    """

    def __init__(
        self,
        event: Event,
        along: float,
        lane: int,
        geo: Geometry,
        fonts: Fonts,
        color: QColor,
        date: str,
        title: str,
        title2: str | None,
        metrics: theme.Metrics,
    ):
        super().__init__()
        self.ev = event  # not .event: that would hide QObject.event()
        self.along = along
        self.lane = lane
        self.geo = geo
        self.fonts = fonts
        self.color = color
        self.date = date  # the full date, for tests; drawn elided when the card is narrow
        self.m = metrics
        self.pressed = False
        self.selected = False
        self.pulse = 0.0
        self.dot_r = metrics.px(10)
        pad = geo.pad
        stripe = metrics.px(6)
        text_w = (geo.card_across if geo.vertical else geo.card_along) - 2 * pad - stripe
        self.date_text = QFontMetricsF(fonts.date).elidedText(
            date, Qt.TextElideMode.ElideRight, text_w
        )
        self.lines = wrap_lines(title, fonts.title, text_w, TITLE_LINES)
        self.second = (
            wrap_lines(title2, fonts.second, text_w, 1)[0] if title2 and fonts.second else None
        )
        height = pad + _line(fonts.date) + metrics.px(4) + len(self.lines) * _line(fonts.title)
        if self.second:
            height += metrics.px(2) + _line(fonts.second)
        height += pad
        side, depth = lane % 2, lane // 2
        if geo.vertical:
            d_along, d_across = height, geo.card_across
        else:
            d_along, d_across = geo.card_along, height
        lane_step = depth * (geo.card_across + geo.gap)
        if side == 0:
            near = geo.axis - geo.before - lane_step
            across0 = near - d_across
            self.stem_end = near
        else:
            near = geo.axis + geo.after + lane_step
            across0 = near
            self.stem_end = near
        self.card = geo.rect(along - geo.card_offset, across0, d_along, d_across)
        self.stripe = stripe
        self.dot = geo.pt(along, geo.axis)
        ring = self.dot_r + metrics.px(26)
        ring_rect = QRectF(self.dot.x() - ring, self.dot.y() - ring, 2 * ring, 2 * ring)
        self._bounds = self.card.united(ring_rect).adjusted(-4, -4, 4, 4)
        self._ring = _PulseRing(self, ring_rect)
        touch = metrics.touch / 2
        self._shape = QPainterPath()
        self._shape.addRect(self.card)
        self._shape.addEllipse(self.dot, touch, touch)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        return self._shape

    def set_pressed(self, pressed: bool) -> None:
        if pressed != self.pressed:
            self.pressed = pressed
            self.update()

    def set_selected(self, selected: bool) -> None:
        if selected != self.selected:
            self.selected = selected
            self.setZValue(2 if selected else 1)
            self.update()
            self._ring.update()

    def set_pulse(self, value: float) -> None:
        # only the ring is painted again: the card keeps its cached picture
        self.pulse = value
        self._ring.update()

    def paint(self, p: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None):
        m, geo = self.m, self.geo
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        # stem
        p.setPen(QPen(self.color, m.px(3)))
        p.drawLine(self.dot, geo.pt(self.along, self.stem_end))
        # card
        radius = m.px(12)
        if self.pressed:
            fill = theme.SURFACE_PRESSED
        elif self.selected:
            fill = QColor("#203A5E")
        else:
            fill = theme.SURFACE
        border = QPen(theme.ACCENT, m.px(4)) if self.selected else QPen(QColor("#2C4466"), m.px(2))
        p.setPen(border)
        p.setBrush(fill)
        p.drawRoundedRect(self.card, radius, radius)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(self.color)
        inset = m.px(4) if self.selected else m.px(2)
        stripe = QRectF(
            self.card.left() + inset, self.card.top() + radius / 2, self.stripe,
            self.card.height() - radius,
        )
        p.drawRect(stripe)
        # text
        x = self.card.left() + self.stripe + geo.pad
        y = self.card.top() + geo.pad
        p.setFont(self.fonts.date)
        p.setPen(self.color)
        fm = QFontMetricsF(self.fonts.date)
        p.drawText(QPointF(x, y + fm.ascent()), self.date_text)
        y += fm.lineSpacing() + m.px(4)
        p.setFont(self.fonts.title)
        p.setPen(theme.TEXT)
        fm = QFontMetricsF(self.fonts.title)
        for line in self.lines:
            p.drawText(QPointF(x, y + fm.ascent()), line)
            y += fm.lineSpacing()
        if self.second and self.fonts.second is not None:
            y += m.px(2)
            p.setFont(self.fonts.second)
            p.setPen(theme.TEXT_DIM)
            p.drawText(QPointF(x, y + QFontMetricsF(self.fonts.second).ascent()), self.second)
        # the dot (the ring of a selected event is _PulseRing, a child item)
        p.setPen(QPen(theme.BACKGROUND, m.px(3)))
        p.setBrush(theme.ACCENT if self.selected else self.color)
        p.drawEllipse(self.dot, self.dot_r, self.dot_r)


class _PulseRing(QGraphicsItem):
    """The pulsing ring around a selected event's dot, apart from the event's card: a pulse frame
    paints this small square only, where painting the event again redrew its whole card (text
    included) into its cache at every frame. The ring lies outside the dot, so drawn above the
    event it gives the picture the event drew itself."""

    def __init__(self, event: EventItem, bounds: QRectF):
        super().__init__(event)
        self.event = event
        self._bounds = bounds.adjusted(-4, -4, 4, 4)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, p: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None):
        e = self.event
        if not e.selected:
            return
        m = e.m
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        ring = e.dot_r + m.px(8) + e.pulse * m.px(16)
        glow = QColor(theme.ACCENT)
        glow.setAlphaF(0.9 * (1 - e.pulse) + 0.1)
        p.setPen(QPen(glow, m.px(4)))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(e.dot, ring, ring)


@dataclass(frozen=True)
class AxisModel:
    """What the axis item draws, precomputed in scene pixels along the axis."""

    start: float
    end: float
    years: tuple[float, ...]  # minor ticks
    decades: tuple[tuple[float, str, bool], ...]  # position, label, label shown
    gaps: tuple[float, ...]  # centres of compressed gaps
    eras: tuple[tuple[float, float], ...]
    spans: tuple[tuple[float, float, QColor], ...] = ()  # "some time in": year or month dates
    year_labels: tuple[tuple[float, str], ...] = ()  # single years where there is room


class AxisItem(QGraphicsItem):
    """Era bands, the axis line, year and decade ticks with labels, and break marks where empty
    years are compressed. Paints only the exposed part, so scrolling stays cheap."""

    def __init__(self, geo: Geometry, model: AxisModel, font: QFont, metrics: theme.Metrics,
                 scene_rect: QRectF):
        super().__init__()
        self.geo = geo
        self.model = model
        self.font = font
        self.m = metrics
        self._bounds = scene_rect
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self.setZValue(-1)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, p: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None):
        geo, m, model = self.geo, self.m, self.model
        exposed = option.exposedRect  # type: ignore[attr-defined]
        lo = geo.along_of(exposed.topLeft()) - m.px(200)
        hi = geo.along_of(exposed.bottomRight()) + m.px(200)
        across = geo.view_across
        for i, (a0, a1) in enumerate(model.eras):
            if a1 < lo or a0 > hi:
                continue
            band = QColor(255, 255, 255, 16 if i % 2 == 0 else 26)
            p.fillRect(geo.rect(a0, 0, a1 - a0, across), band)
            p.fillRect(geo.rect(a0, 0, m.px(2), across), QColor(255, 255, 255, 60))
            p.fillRect(geo.rect(a1 - m.px(2), 0, m.px(2), across), QColor(255, 255, 255, 60))
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        axis_w = m.px(4)
        line = QColor("#5C7391")
        p.fillRect(geo.rect(model.start, geo.axis - axis_w / 2, model.end - model.start, axis_w),
                   line)
        thick = m.px(8)
        for a0, a1, color in model.spans:
            if a1 < lo or a0 > hi:
                continue
            r = geo.rect(a0, geo.axis - thick / 2, a1 - a0, thick)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(color)
            p.drawRoundedRect(r, thick / 2, thick / 2)
        tick = m.px(7)
        for a in model.years:
            if lo <= a <= hi:
                p.fillRect(geo.rect(a - 1, geo.axis - tick, 2, 2 * tick), line)
        p.setFont(self.font)
        fm = QFontMetricsF(self.font)
        big = m.px(16)
        labels = [(a, text, True, shown) for a, text, shown in model.decades]
        labels += [(a, text, False, True) for a, text in model.year_labels]
        for a, text, decade, shown in labels:
            if not lo <= a <= hi:
                continue
            if decade:
                p.fillRect(geo.rect(a - 1.5, geo.axis - big, 3, 2 * big), theme.TEXT_DIM)
            if not shown:
                continue
            p.setPen(theme.TEXT if decade else theme.TEXT_DIM)
            if geo.vertical:
                w = fm.horizontalAdvance(text)
                box = QRectF(geo.axis - big - m.px(8) - w, a - fm.height() / 2, w, fm.height())
                p.drawText(box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
            else:
                w = fm.horizontalAdvance(text)
                box = QRectF(a - w / 2, geo.axis + big + m.px(2), w, fm.height())
                p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        # break marks: the axis is cut and two slashes say "years left out here"
        p.setPen(QPen(theme.TEXT_DIM, m.px(3)))
        cut = m.px(10)
        for a in model.gaps:
            if not lo <= a <= hi:
                continue
            p.fillRect(geo.rect(a - cut, geo.axis - axis_w, 2 * cut, 2 * axis_w), theme.BACKGROUND)
            for d in (-cut, cut):
                p0 = geo.pt(a + d - m.px(6), geo.axis + m.px(14))
                p1 = geo.pt(a + d + m.px(6), geo.axis - m.px(14))
                p.drawLine(p0, p1)


class EraLabel(QGraphicsItem):
    """An era's name in the era strip; it stays in view while its band is on screen."""

    def __init__(self, text: str, start: float, end: float, geo: Geometry, font: QFont,
                 stacked: bool, metrics: theme.Metrics):
        super().__init__()
        self.geo = geo
        self.font = font
        self.start = start
        self.end = end
        self.m = metrics
        fm = QFontMetricsF(font)
        room = max(0.0, end - start - 2 * metrics.px(10))
        self.stacked = stacked and geo.vertical
        if self.stacked:  # CJK in portrait: upright characters in a column
            fit = max(0, int(room // fm.height()))
            chars = [VERTICAL_FORMS.get(ch, ch) for ch in text.replace(" ", "")]
            self.text = "".join(chars[:fit]) if len(chars) > fit else "".join(chars)
            self.length = fm.height() * len(self.text)
        else:
            self.text = fm.elidedText(text, Qt.TextElideMode.ElideRight, room)
            self.length = fm.horizontalAdvance(self.text)
        self.thick = geo.era
        self.setZValue(0.5)

    def boundingRect(self) -> QRectF:
        return self.geo.rect(0, 0, self.length, self.thick)

    def follow(self, visible_start: float) -> None:
        pad = self.m.px(12)
        a = max(self.start + pad, visible_start + pad)
        a = min(a, self.end - pad - self.length)
        a = max(a, self.start + pad)
        self.setPos(self.geo.pt(a, 0))

    def paint(self, p: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None):
        if not self.text:
            return
        p.setFont(self.font)
        p.setPen(theme.TEXT)
        fm = QFontMetricsF(self.font)
        if not self.geo.vertical:
            p.drawText(QRectF(0, 0, self.length + 2, self.thick),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.text)
        elif self.stacked:
            for i, ch in enumerate(self.text):
                box = QRectF(0, i * fm.height(), self.thick, fm.height())
                p.drawText(box, Qt.AlignmentFlag.AlignCenter, ch)
        else:  # rotated, read from bottom to top
            p.save()
            p.translate(0, self.length)
            p.rotate(-90)
            p.drawText(QRectF(0, 0, self.length + 2, self.thick),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.text)
            p.restore()


# --- the view ----------------------------------------------------------------------------------


class TimelineView(QGraphicsView):
    """The scrolling axis. Time keeps running left to right (or top to bottom) whatever the
    layout direction.

    Signals:
        pressed(QPointF): a finger or the mouse went down (viewport coordinates), at once.
        tapped(QPointF): a touch that neither dragged nor stopped a moving timeline ended here.
        released(): the finger or mouse went up, or the touch turned into a drag.
        resized(): the visible area changed size.
    """

    pressed = Signal(QPointF)
    tapped = Signal(QPointF)
    released = Signal()
    resized = Signal()

    def __init__(self, scene: QGraphicsScene, tap_slop: float):
        super().__init__(scene)
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
        )
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing, True)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setBackgroundBrush(theme.BACKGROUND)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tap_slop = tap_slop
        self.scroller = kinetic(self.viewport())
        self.scroller.stateChanged.connect(self._scroller_state)
        self._last_state = QScroller.State.Inactive
        self._moved = False
        self._press: QPointF | None = None

    def _scroller_state(self, state: QScroller.State) -> None:
        if state == QScroller.State.Pressed:
            # a touch that stops a coasting timeline is not a tap
            self._moved = self._last_state == QScroller.State.Scrolling
        elif state in (QScroller.State.Dragging, QScroller.State.Scrolling):
            if state == QScroller.State.Dragging and not self._moved:
                self.released.emit()
            self._moved = True
        self._last_state = state

    def viewportEvent(self, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.TouchBegin and isinstance(event, QTouchEvent) and event.points():
            self._begin(event.points()[0].position())
        elif kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            real = event.source() == Qt.MouseEventSource.MouseEventNotSynthesized
            if real or self._press is None:
                self._begin(event.position())
        elif kind == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            start, self._press = self._press, None
            self.released.emit()
            if start is not None and not self._moved:
                d = event.position() - start
                if math.hypot(d.x(), d.y()) <= self.tap_slop:
                    self.tapped.emit(event.position())
        return super().viewportEvent(event)

    def _begin(self, pos: QPointF) -> None:
        self._press = QPointF(pos)
        if self.scroller.state() != QScroller.State.Pressed:
            self._moved = self.scroller.state() == QScroller.State.Scrolling
        self.pressed.emit(QPointF(pos))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resized.emit()


# --- the screen --------------------------------------------------------------------------------


class TimelineScreen(Screen):
    """Events on a draggable time axis with category filter, year strip and event cards.

    ``state()`` returns ``scroll`` (pixels along the axis), ``year`` (the year at the reading
    line), ``selected_event``, ``categories`` (the ids shown, in legend order), ``country`` and
    ``card_open``.
    """

    screen_id = "timeline"

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.setObjectName("TimelineScreen")
        self._filter: list[str] = []  # empty: every category
        self._country: str | None = None
        self._selected: str | None = None
        self._card_open = False
        self._anchor: float | None = None  # year at the reading line; None: the start
        self._placement: Placement | None = None
        self._geo: Geometry | None = None
        self._items: dict[str, EventItem] = {}
        self._era_labels: list[EraLabel] = []
        self._axis_item: AxisItem | None = None
        self._empty_note: QGraphicsSimpleTextItem | None = None
        self._pressed_item: EventItem | None = None
        self._relayouting = False
        self._chips: dict[str, Chip] = {}

        self.scene = QGraphicsScene(self)
        self.scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self.view = TimelineView(self.scene, ctx.metrics.px(24))
        self.view.setObjectName("TimelineView")
        self.view.pressed.connect(self._on_pressed)
        self.view.released.connect(self._clear_pressed)
        self.view.tapped.connect(self._on_tapped)
        self.view.resized.connect(self._relayout)
        self.view.horizontalScrollBar().valueChanged.connect(self._on_scrolled)
        self.view.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.scroller = self.view.scroller

        self.filter_bar = QWidget()
        self.filter_bar.setObjectName("TimelineFilter")
        self.flow = FlowLayout(self.filter_bar)
        self.strip = YearStrip()
        self.strip.setObjectName("TimelineStrip")
        self.strip.jump_requested.connect(self._on_strip)

        self.body = QWidget()
        self.grid = QGridLayout(self.body)
        self.grid.setContentsMargins(0, 0, 0, 0)
        outer = QVBoxLayout(self)
        outer.addWidget(self.filter_bar)
        outer.addWidget(self.body, 1)
        self._outer = outer

        self.card = EventCard(self)
        self.card.hide()
        self.card.close_requested.connect(self.close_card)
        self.card.map_requested.connect(self._show_on_map)

        self._entry = Tween(self, ENTRY_MS)
        # the events the entry moves, each with the fraction of the entry it waits (entered())
        self._entry_plan: list[tuple[EventItem, float]] = []
        self._entry_frames = self.limited_while_presenting(FrameLimiter(self._entry_step))
        self._entry.valueChanged.connect(self._entry_frames)
        self._pulse = Tween(self, 900, QEasingCurve.Type.OutCubic, loops=PULSES)
        self._pulse_frames = self.limited_while_presenting(FrameLimiter(self._pulse_step))
        self._pulse.valueChanged.connect(self._pulse_frames)
        self._pulse.finished.connect(lambda: self._pulse_step(0.0))
        self._vertical: bool | None = None
        self._build_chrome()
        self._relayout()

    # --- public API ----------------------------------------------------------------------------

    def apply_context(self, ctx: ScreenContext) -> None:
        anchor = self._current_anchor()
        self.ctx = ctx
        known = {c.id for c in ctx.content.timeline.categories}
        self._filter = [c for c in self._filter if c in known]
        if self._selected is not None and ctx.content.event(self._selected) is None:
            self._selected = None
            self._card_open = False
        self._build_chrome()
        self._relayout(anchor)
        if self._card_open:
            self._show_card()
        else:
            self.card.hide()

    def open(self, params: Mapping[str, Any]) -> None:
        """Deep link; see the module docstring for the parameters."""
        self._finish_entry()
        self.scroller.stop()
        known = {c.id for c in self.ctx.content.timeline.categories}
        category = params.get("category")
        new_filter = [category] if category in known else []
        if category and category not in known:
            log.warning("timeline: unknown category %r in deep link", category)
        country = params.get("country")
        new_country = str(country).upper() if country else None
        year = params.get("year")
        anchor = float(year) if year is not None else None
        # the same events in the same places (a slideshow opens the same link every round):
        # only the scroll and the selection change; rebuilding every item took ~50 ms
        same = (self._placement is not None and new_filter == self._filter
                and new_country == self._country and anchor is None)
        self._filter, self._country = new_filter, new_country
        self._pulse.stop()
        self._pulse_step(0.0)
        for item in self._items.values():
            item.set_selected(False)
        self._selected = None
        self._card_open = False
        self.card.hide()
        if same:
            self._anchor = None
            self._bar().setValue(0)
            self._on_scrolled()
        else:
            self._build_chrome()
            self._relayout(anchor)
        event_id = params.get("event")
        if event_id:
            if self._placement is None or self._placement.index(event_id) is None:
                log.warning("timeline: event %r not shown, deep link ignored", event_id)
            else:
                self.select_event(event_id, open_card=params.get("card", True) is not False,
                                  animate=False)
                # unattended, one pulse marks the event; three are for a visitor's eye
                self._pulse.setLoopCount(1 if self.presenting else PULSES)
                self._pulse.start()

    def reset(self) -> None:
        self._entry.stop()
        self._pulse.stop()
        self.scroller.stop()
        self._filter = []
        self._country = None
        self._selected = None
        self._card_open = False
        self.card.hide()
        self._build_chrome()
        self._relayout(None)

    def entered(self) -> None:
        if self._geo is None:
            return
        self._entry.stop()
        # the stagger counts from the first event in view, so something moves from the first
        # frame after the slide (counted from the view's edge, the first events wait for nothing)
        self._entry_plan = self._plan_entry()
        self._entry_step(0.0)
        self._entry.start()

    def left(self) -> None:
        self.scroller.stop()
        self._pulse.stop()
        self._finish_entry()

    def state(self) -> dict[str, Any]:
        shown = self._filter or [c.id for c in self.ctx.content.timeline.categories]
        order = [c.id for c in self.ctx.content.timeline.categories]
        return {
            "scroll": self._bar().value(),
            "year": round(self._current_anchor() or 0.0, 3),
            "selected_event": self._selected,
            "categories": [c for c in order if c in shown],
            "country": self._country,
            "card_open": self._card_open,
        }

    def select_event(self, event_id: str | None, open_card: bool = True,
                     animate: bool = True) -> None:
        """Highlight an event (None: nothing), scroll it into view, and open its card."""
        for item in self._items.values():
            item.set_selected(item.ev.id == event_id)
        self._selected = event_id
        if event_id is None:
            self.close_card()
            return
        item = self._items.get(event_id)
        if item is None:
            return
        self._card_open = open_card
        if open_card:
            self._show_card()
        else:
            self.card.hide()
        self._scroll_to_item(item, animate)

    def close_card(self) -> None:
        """Close the card and drop the highlight."""
        self._card_open = False
        self.card.hide()
        if self._selected is not None:
            item = self._items.get(self._selected)
            if item is not None:
                item.set_selected(False)
        self._selected = None

    def event_item(self, event_id: str) -> EventItem | None:
        return self._items.get(event_id)

    def event_point(self, event_id: str) -> QPointF | None:
        """Where an event's card is, in viewport coordinates (for tests and tours)."""
        item = self._items.get(event_id)
        if item is None:
            return None
        return QPointF(self.view.mapFromScene(item.mapToScene(item.card.center())))

    def visible_event_ids(self) -> list[str]:
        return [e.id for e in self._placement.events] if self._placement else []

    # --- building --------------------------------------------------------------------------

    def _build_chrome(self) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        self.view.tap_slop = m.px(24)
        self._outer.setContentsMargins(m.margin, m.margin, m.margin, m.margin)
        self._outer.setSpacing(m.margin)
        self.grid.setSpacing(m.margin)
        set_style_sheet(self, f"#TimelineScreen {{ background: {theme.BACKGROUND.name()}; }}")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.flow.set_gap(m.px(12))
        while self.flow.count():
            item = self.flow.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().hide()
                item.widget().deleteLater()
        self._chips = {}
        all_chip = Chip(self.filter_bar)
        all_chip.setObjectName("TimelineChip_all")
        all_chip.configure(ctx, ctx.tr("timeline_all"), ctx.tr2("timeline_all"), None)
        all_chip.clicked.connect(lambda: self._toggle(None))
        self.flow.addWidget(all_chip)
        self._chips[""] = all_chip
        for cat in ctx.content.timeline.categories:
            chip = Chip(self.filter_bar)
            chip.setObjectName(f"TimelineChip_{cat.id}")
            chip.configure(ctx, ctx.text(cat.name), ctx.text2(cat.name), QColor(cat.color))
            chip.clicked.connect(lambda _=False, cid=cat.id: self._toggle(cid))
            self.flow.addWidget(chip)
            self._chips[cat.id] = chip
        if self._country:
            from kiosk.content.formatting import country_name

            chip = Chip(self.filter_bar)
            chip.setObjectName("TimelineChip_country")
            second = country_name(self._country, ctx.second.language) if ctx.second else None
            chip.configure(ctx, country_name(self._country, ctx.language), second, None,
                           closable=True)
            chip.clicked.connect(self._clear_country)
            self.flow.addWidget(chip)
            self._chips["@country"] = chip
        self._sync_chips()
        for chip in self._chips.values():
            chip.show()  # at once, not when the layout gets round to it
        self.card.setLayoutDirection(self.layoutDirection())
        vertical = ctx.metrics.portrait
        if vertical != self._vertical:
            self._vertical = vertical
            self.grid.removeWidget(self.view)
            self.grid.removeWidget(self.strip)
            self.grid.addWidget(self.view, 0, 0)
            self.grid.addWidget(self.strip, *((0, 1) if vertical else (1, 0)))
            self.grid.setRowStretch(0, 1)
            self.grid.setColumnStretch(0, 1)
            self.grid.setRowStretch(1, 0)
            self.grid.setColumnStretch(1, 0)
        thick = max(m.touch, m.px(92))
        if vertical:
            self.strip.setFixedWidth(thick)
            self.strip.setMinimumHeight(0)
            self.strip.setMaximumHeight(16777215)
        else:
            self.strip.setFixedHeight(thick)
            self.strip.setMinimumWidth(0)
            self.strip.setMaximumWidth(16777215)
        self.filter_bar.updateGeometry()
        self._outer.activate()  # the chips' rows decide how tall the timeline is

    def _sync_chips(self) -> None:
        for key, chip in self._chips.items():
            if key == "":
                chip.setChecked(not self._filter)
            elif key == "@country":
                chip.setChecked(True)
            else:
                chip.setChecked(key in self._filter)

    def _fonts(self) -> Fonts:
        ctx, m = self.ctx, self.ctx.metrics
        second = ui_font(ctx, m.small, second=True) if ctx.second else None
        return Fonts(ui_font(ctx, m.small, bold=True), ui_font(ctx, m.body, bold=True), second,
                     ui_font(ctx, m.small))

    def _geometry(self, fonts: Fonts) -> Geometry:
        m = self.ctx.metrics
        vertical = m.portrait
        vp = self.view.viewport().size()
        if vp.width() < 50 or vp.height() < 50:  # not laid out yet: an estimate
            vp = self._estimate_view_size()
        view_along = float(vp.height() if vertical else vp.width())
        view_across = float(vp.width() if vertical else vp.height())
        pad = m.px(14)
        gap = m.px(14)
        dot = m.px(10)
        small = _line(fonts.label)
        title_lines = TITLE_LINES * _line(fonts.title)
        card_h = 2 * pad + _line(fonts.date) + m.px(4) + title_lines
        if fonts.second is not None:
            card_h += m.px(2) + _line(fonts.second)
        if vertical:
            era = small + m.px(20)
            label_w = QFontMetricsF(fonts.label).horizontalAdvance("2020")
            before = m.px(16) + m.px(10) + label_w + m.px(10)
            after = dot + m.px(14)
            side = (view_across - m.px(8) - era - m.px(8) - before - after) / 2
            axis = era + m.px(8) + side + before
            return Geometry(
                vertical=True, view_along=view_along, view_across=view_across, lead=0.0,
                reading=0.22, axis=axis, before=before, after=after, era=era,
                card_along=card_h, card_across=side, card_offset=pad + _line(fonts.date) / 2,
                lanes=2, gap=gap, pad=pad,
            )
        era = small + m.px(16)
        before = dot + m.px(16)
        after = m.px(16) + m.px(4) + small + m.px(10)
        side = (view_across - era - m.px(8) - before - after) / 2
        per_side = max(1, min(3, int((side + gap) // (card_h + gap))))
        axis = era + side + before
        card_w = float(m.px(360))
        return Geometry(
            vertical=False, view_along=view_along, view_across=view_across, lead=0.0,
            reading=0.3, axis=axis, before=before, after=after, era=era, card_along=card_w,
            card_across=card_h, card_offset=float(m.px(22)), lanes=2 * per_side, gap=gap,
            pad=pad,
        )

    def _estimate_view_size(self):  # type: ignore[no-untyped-def]
        from PySide6.QtCore import QSize

        m = self.ctx.metrics
        thick = max(m.touch, m.px(92))
        if m.portrait:
            return QSize(m.width - 3 * m.margin - thick, m.height - 3 * m.margin - 2 * m.touch)
        return QSize(m.width - 2 * m.margin, m.height - 4 * m.margin - m.touch - thick)

    def _visible_events(self) -> list[Event]:
        content = self.ctx.content
        out = []
        for event in content.timeline.events:
            if self._filter and event.category not in self._filter:
                continue
            if self._country:
                city = content.city(event.city) if event.city else None
                if city is None or city.country.upper() != self._country:
                    continue
            out.append(event)
        return out

    def _relayout(self, anchor: float | object | None = _KEEP) -> None:
        """Place every visible event again (new language, filter, size) and keep the selection.

        Args:
            anchor: the year to put at the reading line; None for the start of the timeline;
                by default the year there now.
        """
        if self._relayouting:
            return
        if anchor is _KEEP:
            anchor = self._current_anchor() if self._geo is not None else self._anchor
        assert anchor is None or isinstance(anchor, float)
        self._anchor = anchor
        self._relayouting = True
        try:
            self._do_relayout()
        finally:
            self._relayouting = False
        if anchor is not None:
            self._scroll_to_year(anchor)
        else:
            self._bar().setValue(0)
        self._on_scrolled()

    def _do_relayout(self) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        self.scroller.stop()
        self._pressed_item = None
        fonts = self._fonts()
        base = self._geometry(fonts)
        events = self._visible_events()
        before = base.card_offset
        after = base.card_along - base.card_offset
        placement = place(
            events, year_px=m.px(26) if not base.vertical else m.px(22),
            card_before=before, card_after=after, lanes=base.lanes, gap=base.gap,
        )
        # the first event starts near the edge, not at the reading line: no empty first screen
        lead = float(m.px(120))
        lead -= min(0.0, min(placement.positions, default=0.0))
        geo = Geometry(**{**base.__dict__, "lead": lead})
        trail = max((1 - geo.reading) * geo.view_along, geo.card_along + m.margin)
        total = lead + placement.scale.length + trail
        scene_rect = (
            QRectF(0, 0, geo.view_across, total) if geo.vertical
            else QRectF(0, 0, total, geo.view_across)
        )
        self.scene.clear()
        self._items = {}
        self._entry_plan = []  # (its events are gone; the new ones stand in place)
        self._era_labels = []
        self._axis_item = None
        self._empty_note = None
        self.scene.setSceneRect(scene_rect)
        scale = placement.scale
        content = ctx.content

        # axis: ticks every year (not inside compressed gaps), labels every decade
        years = tuple(lead + scale.pos(y) for y in range(scale.first_year, scale.end_year + 1)
                      if not scale.in_gap(y) and not scale.in_gap(y - 1))
        label_font = fonts.label
        fm = QFontMetricsF(label_font)
        decades = []
        last_end = -math.inf
        for y in range(scale.first_year, scale.end_year + 1, 10):
            if scale.in_gap(y):
                continue
            a = lead + scale.pos(y)
            size = fm.height() if geo.vertical else fm.horizontalAdvance(str(y))
            shown = a - size / 2 >= last_end + m.px(18)
            if shown:
                last_end = a + size / 2
            decades.append((a, str(y), shown))
        # single years get a dimmer label where they are wide enough and clear of the decades
        room = m.px(18)
        taken = [(a - w / 2, a + w / 2) for a, t, shown in decades if shown
                 for w in [fm.height() if geo.vertical else fm.horizontalAdvance(t)]]
        # stems of the cards on the labels' side (below in landscape, left in portrait)
        label_side = 0 if geo.vertical else 1
        stems = [lead + p for p, lane in zip(placement.positions, placement.lanes, strict=True)
                 if lane % 2 == label_side]
        year_labels = []
        for y in range(scale.first_year, scale.end_year):
            if y % 10 == 0 or scale.in_gap(y) or scale.in_gap(y + 1):
                continue
            a = lead + scale.pos(y)
            size = fm.height() if geo.vertical else fm.horizontalAdvance(str(y))
            if scale.year_width(y) < 2.5 * size:
                continue
            box = (a - size / 2 - room, a + size / 2 + room)
            if any(abs(stem - a) < size / 2 + m.px(8) for stem in stems):
                continue
            if all(box[1] <= t0 or box[0] >= t1 for t0, t1 in taken):
                taken.append((a - size / 2, a + size / 2))
                year_labels.append((a, str(y)))
        spans: dict[tuple[float, float, str], QColor] = {}
        for event in placement.events:
            cat = content.timeline.category(event.category)
            color = theme.with_alpha(QColor(cat.color) if cat else UNKNOWN_COLOR, 90)
            d = event.date
            if d.precision == "year":
                a0, a1 = lead + scale.pos(d.year), lead + scale.pos(d.year + 1)
            elif d.precision == "month":
                y = d.year + ((d.month or 1) - 1) / 12
                a0, a1 = lead + scale.pos(y), lead + scale.pos(y + 1 / 12)
            else:
                continue
            if a1 - a0 >= m.px(8):
                spans.setdefault((round(a0), round(a1), color.name()), color)
        gap_marks = tuple(lead + (scale.pos(g.start) + scale.pos(g.end)) / 2 for g in scale.gaps)
        eras = []
        for era in content.timeline.eras:
            a0 = lead + scale.pos(max(era.start, scale.first_year))
            a1 = lead + scale.pos(min(era.end + 1, scale.end_year))
            if a1 > a0:
                eras.append((a0, a1, era))
        axis_model = AxisModel(
            start=lead + scale.pos(scale.first_year), end=lead + scale.pos(scale.end_year),
            years=years, decades=tuple(decades), gaps=gap_marks,
            eras=tuple((a0, a1) for a0, a1, _ in eras),
            spans=tuple((a0, a1, c) for (a0, a1, _), c in spans.items()),
            year_labels=tuple(year_labels),
        )
        # keep a Python reference: a plain QGraphicsItem added to a scene is not kept alive
        self._axis_item = AxisItem(geo, axis_model, label_font, m, scene_rect)
        self.scene.addItem(self._axis_item)
        stacked = script_of(ctx.language) in CJK_SCRIPTS
        for a0, a1, era in eras:
            label = EraLabel(ctx.text(era.name), a0, a1, geo, fonts.label, stacked, m)
            self.scene.addItem(label)
            self._era_labels.append(label)

        for event, pos, lane in zip(placement.events, placement.positions, placement.lanes,
                                    strict=True):
            cat = content.timeline.category(event.category)
            color = QColor(cat.color) if cat else UNKNOWN_COLOR
            item = EventItem(
                event, lead + pos, lane, geo, fonts, color,
                format_date(event.date, ctx.language), ctx.text(event.title),
                ctx.text2(event.title), m,
            )
            item.setZValue(1)
            item.set_selected(event.id == self._selected)
            self.scene.addItem(item)
            self._items[event.id] = item
        if not events:
            self._add_empty_note(geo, fonts)

        self._placement = placement
        self._geo = geo
        snaps = [max(0.0, lead + p - geo.reading * geo.view_along) for p in placement.positions]
        if geo.vertical:
            self.scroller.setSnapPositionsY(snaps)
            self.scroller.setSnapPositionsX([])
        else:
            self.scroller.setSnapPositionsX(snaps)
            self.scroller.setSnapPositionsY([])
        self.strip.configure(ctx, geo.vertical, StripModel(
            start=axis_model.start, end=axis_model.end,
            decades=tuple((a, int(t)) for a, t, _ in decades),  # gap decades left out
            ticks=tuple((it.along, it.color) for it in self._items.values()),
            eras=axis_model.eras,
        ))
        if self._selected is not None and self._selected not in self._items:
            self._selected = None
            self._card_open = False
            self.card.hide()
        self._place_card()

    def _add_empty_note(self, geo: Geometry, fonts: Fonts) -> None:
        text = self.ctx.tr("timeline_no_events")
        item = self._empty_note = self.scene.addSimpleText(text, fonts.title)
        item.setBrush(theme.TEXT_DIM)
        size = item.boundingRect().size()
        at = geo.pt(geo.lead + geo.view_along * (0.5 - geo.reading), geo.axis)
        item.setPos(at.x() - size.width() / 2, at.y() - size.height() - self.ctx.metrics.px(40))

    # --- scrolling -------------------------------------------------------------------------

    def _bar(self) -> QScrollBar:
        vertical = self._geo.vertical if self._geo else self.ctx.metrics.portrait
        return self.view.verticalScrollBar() if vertical else self.view.horizontalScrollBar()

    def _current_anchor(self) -> float | None:
        if self._geo is None or self._placement is None:
            return self._anchor
        if self._relayouting:
            return self._anchor
        geo = self._geo
        a = self._bar().value() + geo.reading * geo.view_along - geo.lead
        return self._placement.scale.year_at(a)

    def _scroll_value_for(self, along: float, reading: float | None = None) -> float:
        geo = self._geo
        assert geo is not None
        value = along - (geo.reading if reading is None else reading) * geo.view_along
        bar = self._bar()
        return min(max(value, bar.minimum()), bar.maximum())

    def _scroll_to(self, value: float, animate: bool) -> None:
        if animate and self.isVisible():
            target = QPointF(0, value) if self._geo and self._geo.vertical else QPointF(value, 0)
            self.scroller.scrollTo(target, SNAP_MS)
        else:
            self.scroller.stop()
            self._bar().setValue(round(value))

    def _scroll_to_year(self, year: float) -> None:
        if self._geo is None or self._placement is None:
            return
        a = self._geo.lead + self._placement.scale.pos(year)
        self._scroll_to(self._scroll_value_for(a), animate=False)

    def _scroll_to_item(self, item: EventItem, animate: bool) -> None:
        reading = None
        if self._card_open and self._card_on_start_side():
            reading = 0.7
        self._scroll_to(self._scroll_value_for(item.along, reading), animate)

    def _on_scrolled(self, *_: object) -> None:
        if self._geo is None:
            return
        geo = self._geo
        value = self._bar().value()
        for label in self._era_labels:
            label.follow(value)
        if not self._relayouting:
            self._anchor = self._current_anchor()
        self.strip.set_window(value, value + geo.view_along)

    def _on_strip(self, axis: float, dragging: bool) -> None:
        """The year strip asks for a place on the axis: centre it (jump while dragging)."""
        if self._geo is None or self._placement is None:
            return
        self._finish_entry()
        geo = self._geo
        value = self._scroll_value_for(axis, 0.5)
        if dragging:
            self._scroll_to(value, animate=False)
            return
        nearest = self._placement.nearest(axis - geo.lead)
        if nearest is not None:
            along = geo.lead + self._placement.positions[nearest]
            if abs(along - axis) < geo.view_along / 2:
                value = self._scroll_value_for(along)
        self._scroll_to(value, animate=True)

    # --- touch -----------------------------------------------------------------------------

    def _item_at(self, viewport_pos: QPointF) -> EventItem | None:
        scene_pos = self.view.mapToScene(viewport_pos.toPoint())
        r = self.ctx.metrics.px(12)
        hits = [
            it for it in self.view.items(
                int(viewport_pos.x()) - r, int(viewport_pos.y()) - r, 2 * r, 2 * r,
            )
            if isinstance(it, EventItem)
        ]
        if not hits:
            return None
        inside = [it for it in hits if it.card.contains(scene_pos - it.pos())]
        if inside:
            return max(inside, key=lambda it: it.zValue())

        def dist(it: EventItem) -> float:
            d = it.dot + it.pos() - scene_pos
            return math.hypot(d.x(), d.y())

        return min(hits, key=dist)

    def _on_pressed(self, pos: QPointF) -> None:
        self._finish_entry()
        self._clear_pressed()
        item = self._item_at(pos)
        if item is not None:
            item.set_pressed(True)
            self._pressed_item = item

    def _clear_pressed(self) -> None:
        if self._pressed_item is not None:
            self._pressed_item.set_pressed(False)
            self._pressed_item = None

    def _on_tapped(self, pos: QPointF) -> None:
        self._clear_pressed()
        item = self._item_at(pos)
        if item is None:
            self.close_card()
        elif item.ev.id == self._selected and self._card_open:
            return
        else:
            self.select_event(item.ev.id, open_card=True, animate=True)

    def _toggle(self, category: str | None) -> None:
        if category is None:
            self._filter = []
        elif category in self._filter:
            self._filter.remove(category)
        else:
            self._filter.append(category)
            if len(self._filter) == len(self.ctx.content.timeline.categories):
                self._filter = []
        self._sync_chips()
        self._relayout()

    def _clear_country(self) -> None:
        self._country = None
        self._build_chrome()
        self._relayout()

    # --- the card --------------------------------------------------------------------------

    def _card_on_start_side(self) -> bool:
        """In a right-to-left landscape layout the card mirrors to the left."""
        return self.isRightToLeft() and not self.ctx.metrics.portrait

    def _show_card(self) -> None:
        event = self.ctx.content.event(self._selected) if self._selected else None
        if event is None:
            self.card.hide()
            return
        ctx = self.ctx
        cat = ctx.content.timeline.category(event.category)
        image: Path | None = None
        credit = ""
        if event.image is not None:
            image = Path(ctx.content.root or ".") / event.image.file
            credit = ctx.text(event.image.credit)
        note = ctx.text(event.note)
        city = ctx.content.city(event.city) if event.city else None
        content = CardContent(
            event_id=event.id,
            date=format_date(event.date, ctx.language),
            category=ctx.text(cat.name) if cat else event.category,
            category2=ctx.text2(cat.name) if cat else None,
            color=QColor(cat.color) if cat else UNKNOWN_COLOR,
            title=ctx.text(event.title),
            title2=ctx.text2(event.title),
            body=ctx.text(event.body),
            body2=ctx.text2(event.body),
            image=image,
            credit=credit,
            source=ctx.tr("source", source="; ".join(event.source)) if event.source else "",
            note=ctx.tr("note", note=note) if note else "",
            map_label=ctx.tr("timeline_show_on_map") if city is not None else None,
            close_label=ctx.tr("close"),
            image_missing=ctx.tr("image_missing"),
        )
        self._card_open = True
        self.card.show_content(ctx, content)
        self._place_card()
        self.card.show()
        self.card.raise_()

    def _place_card(self) -> None:
        m = self.ctx.metrics
        top_left = self.view.mapTo(self, self.view.rect().topLeft())
        view = QRectF(top_left.x(), top_left.y(), self.view.width(), self.view.height())
        if view.width() < 50:
            return
        if m.portrait:
            w = view.width()
            h = min(self.card.preferred_height(round(w)), view.height() * 0.6)
            h = max(h, m.px(420))
            rect = QRectF(view.left(), view.bottom() - h, w, h)
        else:
            w = min(max(m.px(640), view.width() * 0.4), view.width() * 0.5)
            h = min(max(self.card.preferred_height(round(w)), m.px(420)), view.height())
            left = view.left() if self._card_on_start_side() else view.right() - w
            rect = QRectF(left, view.top(), w, h)
        self.card.setGeometry(rect.toRect())

    def _show_on_map(self) -> None:
        event = self.ctx.content.event(self._selected) if self._selected else None
        if event is not None and event.city:
            self.navigate_requested.emit("map", {"city": event.city})

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        QTimer.singleShot(0, self._place_card)

    # --- animations ------------------------------------------------------------------------

    def _plan_entry(self) -> list[tuple[EventItem, float]]:
        """The events in view, each with its delay: they come one after another along the axis,
        counted from the first in view (so something moves from the first frame after the
        slide). The others are put in place now, not at every frame."""
        in_view: list[tuple[EventItem, float]] = []
        for item in self._items.values():
            frac = self._entry_frac(item)
            if -0.2 <= frac <= 1.2:
                in_view.append((item, frac))
            else:
                item.setOpacity(1.0)
                item.setPos(0, 0)
        lead = min((max(f, 0.0) for _item, f in in_view), default=0.0)
        return [(item, 0.5 * min(max(frac - lead, 0.0), 1.0)) for item, frac in in_view]

    def _entry_step(self, value: object) -> None:
        """Events fade in and slide along the axis, one after another from the reading start."""
        if self._geo is None:
            return
        t = float(value)  # type: ignore[arg-type]
        slide = self.ctx.metrics.px(90)
        vertical = self._geo.vertical
        for item, delay in self._entry_plan:
            local = min(max((t - delay) / 0.5, 0.0), 1.0)
            eased = 1 - (1 - local) ** 3
            item.setOpacity(eased)
            offset = (1 - eased) * slide
            if vertical:
                item.setPos(0, offset)
            else:
                item.setPos(offset, 0)

    def _entry_frac(self, item: EventItem) -> float:
        """Where the event is in the view along the axis: 0 at the reading start, 1 at the end."""
        assert self._geo is not None
        return (item.along - self._bar().value()) / max(1.0, self._geo.view_along)

    def _finish_entry(self) -> None:
        """A touch ends the entry animation at once."""
        if self._entry.state() == Tween.State.Running:
            self._entry.stop()
        for item in self._items.values():
            if item.opacity() != 1.0 or item.pos() != QPointF(0, 0):
                item.setOpacity(1.0)
                item.setPos(0, 0)

    def entry_running(self) -> bool:
        return self._entry.state() == Tween.State.Running

    def _pulse_step(self, value: object) -> None:
        item = self._items.get(self._selected) if self._selected else None
        if item is not None:
            item.set_pulse(float(value))  # type: ignore[arg-type]
