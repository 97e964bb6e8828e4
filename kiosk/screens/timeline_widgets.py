"""The timeline screen's touch widgets: category chips in a wrapping row, the year strip for long
jumps, and the event card."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.screens.base import ScreenContext
from kiosk.ui import theme
from kiosk.ui.backdrop import CardBackdrop
from kiosk.ui.touch import enable_kinetic_scrolling

# --- kinetic scrolling -------------------------------------------------------------------------


class _MouseToScroller(QObject):
    """Feeds real (not touch-synthesised) mouse drags to a viewport's scroller by hand."""

    def __init__(self, viewport: QWidget, scroller: QScroller):
        super().__init__(viewport)
        self.scroller = scroller
        viewport.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kinds = {
            QEvent.Type.MouseButtonPress: QScroller.Input.InputPress,
            QEvent.Type.MouseMove: QScroller.Input.InputMove,
            QEvent.Type.MouseButtonRelease: QScroller.Input.InputRelease,
        }
        kind = kinds.get(event.type())
        if kind is not None and isinstance(event, QMouseEvent):
            real = event.source() == Qt.MouseEventSource.MouseEventNotSynthesized
            left = event.button() == Qt.MouseButton.LeftButton or bool(
                event.buttons() & Qt.MouseButton.LeftButton
            )
            if real and left:
                self.scroller.handleInput(kind, event.position(), event.timestamp())
        return False


def kinetic(viewport: QWidget, deceleration: float = 0.35) -> QScroller:
    """Kinetic scrolling that keeps working for fingers after the first tap.

    ``enable_kinetic_scrolling`` grabs the touch gesture and then the left-mouse gesture; the
    second grab replaces the first, so touches only reach the scroller as synthesised mouse
    events, and after a tap (whose press and release the scroller replays) further one-finger
    swipes no longer scroll. Here the touch gesture is grabbed last and real mouse drags are fed
    to the scroller by hand, so both fingers and a staff member's mouse scroll.
    """
    scroller = enable_kinetic_scrolling(viewport, deceleration)
    QScroller.grabGesture(viewport, QScroller.ScrollerGestureType.TouchGesture)
    _MouseToScroller(viewport, scroller)
    return scroller


# --- text helpers ------------------------------------------------------------------------------

CJK_SCRIPTS = frozenset({"Hans", "Hant", "Jpan", "Kore"})


def ui_font(ctx: ScreenContext, pixel_size: int, bold: bool = False, second: bool = False) -> QFont:
    """``ctx.font``, or the second language's font (both with proportional punctuation outside
    CJK, see ``theme.font``)."""
    if second and ctx.second is not None:
        return ctx.font_for(ctx.second.language, pixel_size, bold)
    return ctx.font(pixel_size, bold)


def soft_breaks(text: str) -> str:
    """Let long addresses wrap: a zero-width space after / . - _ ? & = in URLs."""
    return re.sub(
        r"\S{24,}", lambda m: re.sub(r"([/.\-_?&=])", "\\1\u200b", m.group(0)), text
    )


def wrap_lines(text: str, font: QFont, width: float, max_lines: int) -> list[str]:
    """``text`` broken into at most ``max_lines`` lines of ``width`` pixels; the last one
    elided when the text is longer."""
    from PySide6.QtGui import QTextLayout, QTextOption

    if not text:
        return []
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    lines: list[tuple[int, int]] = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        lines.append((line.textStart(), line.textLength()))
    layout.endLayout()
    out = [text[s : s + n].strip() for s, n in lines[:max_lines]]
    if len(lines) > max_lines:
        rest = text[lines[max_lines - 1][0] :].strip()
        out[-1] = QFontMetrics(font).elidedText(rest, Qt.TextElideMode.ElideRight, int(width))
    return out


# --- wrapping row ------------------------------------------------------------------------------


# --- category chip -----------------------------------------------------------------------------


class Chip(QAbstractButton):
    """A large toggle for the category filter and legend: a colour swatch, the name, and the
    name in the second language beneath; an ✕ when it clears a filter.

    Pressed and checked states are painted at once, so a finger sees its touch immediately.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setCheckable(True)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.color: QColor | None = None
        self.closable = False
        self.second: str | None = None
        self._ctx: ScreenContext | None = None

    def configure(
        self, ctx: ScreenContext, text: str, second: str | None, color: QColor | None,
        closable: bool = False,
    ) -> None:
        self._ctx = ctx
        self.setText(text)
        self.second = second
        self.color = color
        self.closable = closable
        self.setFont(ui_font(ctx, ctx.metrics.body))
        self.updateGeometry()
        self.update()

    def _fonts(self) -> tuple[QFont, QFont | None]:
        ctx = self._ctx
        assert ctx is not None
        second = ui_font(ctx, ctx.metrics.small, second=True) if ctx.second else None
        return ui_font(ctx, ctx.metrics.body), second

    def sizeHint(self) -> QSize:
        if self._ctx is None:
            return QSize(64, 64)
        m = self._ctx.metrics
        main, second = self._fonts()
        width = QFontMetrics(main).horizontalAdvance(self.text())
        if second is not None and self.second:
            width = max(width, QFontMetrics(second).horizontalAdvance(self.second))
        extra = 0
        if self.color is not None:
            extra += m.px(22) + m.px(12)
        if self.closable:
            extra += m.px(16) + m.px(14)
        return QSize(max(m.touch, round(width + extra + 2 * m.px(20) + m.px(6))), m.touch)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._ctx is None:
            return
        m = self._ctx.metrics
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(self.rect()).adjusted(1.5, 1.5, -1.5, -1.5)
        radius = r.height() / 2
        if self.isDown():
            fill, border, ink = theme.SURFACE_PRESSED, theme.ACCENT, theme.TEXT
        elif self.isChecked():
            fill, border, ink = QColor("#E8EEF6"), QColor("#E8EEF6"), QColor("#10151C")
        else:
            fill, border, ink = theme.SURFACE, QColor("#2C4466"), theme.TEXT
        p.setPen(QPen(border, m.px(2)))
        p.setBrush(fill)
        p.drawRoundedRect(r, radius, radius)
        rtl = self.isRightToLeft()
        x = r.left() + m.px(20)
        end = r.right() - m.px(20)

        def span(width: float) -> QRectF:  # the next slot from the reading start
            nonlocal x
            left = x if not rtl else r.right() - (x - r.left()) - width
            x += width
            return QRectF(left, r.top(), width, r.height())

        if self.color is not None:
            box = span(m.px(22))
            d = m.px(22)
            p.setPen(QPen(QColor("#10151C") if self.isChecked() else theme.BACKGROUND, m.px(2)))
            p.setBrush(self.color)
            p.drawEllipse(QRectF(box.center().x() - d / 2, box.center().y() - d / 2, d, d))
            x += m.px(12)
        text_w = end - x - ((m.px(16) + m.px(14)) if self.closable else 0)
        text_box = span(max(0.0, text_w))
        main, second = self._fonts()
        p.setPen(ink)
        align = Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
        if second is not None and self.second:
            h1 = QFontMetrics(main).height()
            h2 = QFontMetrics(second).height()
            top = text_box.center().y() - (h1 + h2) / 2
            p.setFont(main)
            p.drawText(QRectF(text_box.left(), top, text_box.width(), h1), align, self.text())
            p.setFont(second)
            dim = QColor(ink)
            dim.setAlphaF(0.75)
            p.setPen(dim)
            p.drawText(QRectF(text_box.left(), top + h1, text_box.width(), h2), align, self.second)
        else:
            p.setFont(main)
            p.drawText(text_box, align | Qt.AlignmentFlag.AlignVCenter, self.text())
        if self.closable:
            x += m.px(14)
            box = span(m.px(16))
            c = box.center()
            s = m.px(7)
            p.setPen(QPen(ink, m.px(3), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            p.drawLine(QPointF(c.x() - s, c.y() - s), QPointF(c.x() + s, c.y() + s))
            p.drawLine(QPointF(c.x() - s, c.y() + s), QPointF(c.x() + s, c.y() - s))
        p.end()


# --- year strip --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StripModel:
    """What the year strip shows: the axis from ``start`` to ``end`` (axis pixels), decade marks,
    event ticks and era bands, all as (axis position, ...)."""

    start: float
    end: float
    decades: tuple[tuple[float, int], ...]
    ticks: tuple[tuple[float, QColor], ...]
    eras: tuple[tuple[float, float], ...]


class YearStrip(QWidget):
    """The whole timeline in miniature, with the visible part framed: tap to jump there, or drag
    along it to scrub through the decades.

    Signals:
        jump_requested(float, bool): show this axis position; True when the finger is still
            dragging (jump at once), False for a tap or the end of a drag (animate, snap).
    """

    jump_requested = Signal(float, bool)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # time runs left to right
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.model: StripModel | None = None
        self.window_range = (0.0, 0.0)
        self.vertical = False
        self._ctx: ScreenContext | None = None
        self._press: QPointF | None = None
        self._dragging = False
        self._picture: QPixmap | None = None  # all but the window frame (see paintEvent)
        self._picture_key: tuple | None = None

    def configure(self, ctx: ScreenContext, vertical: bool, model: StripModel) -> None:
        self._ctx = ctx
        self.vertical = vertical
        self.model = model
        self._picture = None
        self.update()

    def set_window(self, start: float, end: float) -> None:
        """The part of the axis (axis pixels) the timeline shows now."""
        if (start, end) != self.window_range:
            self.window_range = (start, end)
            self.update()

    # geometry: strip pixels <-> axis pixels
    def _track(self) -> tuple[float, float]:
        pad = self._ctx.metrics.px(28) if self._ctx else 28
        length = self.height() if self.vertical else self.width()
        return pad, max(pad + 1, length - pad)

    def to_strip(self, axis: float) -> float:
        assert self.model is not None
        a, b = self._track()
        span = max(1.0, self.model.end - self.model.start)
        return a + (axis - self.model.start) / span * (b - a)

    def to_axis(self, strip: float) -> float:
        assert self.model is not None
        a, b = self._track()
        span = max(1.0, self.model.end - self.model.start)
        return self.model.start + (strip - a) / (b - a) * span

    def _along(self, pos: QPointF) -> float:
        return pos.y() if self.vertical else pos.x()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.model is None:
            return
        self._press = event.position()
        self._dragging = False
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None or self.model is None:
            return
        slop = self._ctx.metrics.px(12) if self._ctx else 12
        if not self._dragging and abs(self._along(event.position() - self._press)) > slop:
            self._dragging = True
        if self._dragging:
            self.jump_requested.emit(self.to_axis(self._along(event.position())), True)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._press is None or self.model is None:
            return
        self._press = None
        self.update()
        self.jump_requested.emit(self.to_axis(self._along(event.position())), False)

    def sizeHint(self) -> QSize:
        if self._ctx is None:
            return QSize(100, 100)
        m = self._ctx.metrics
        thick = max(m.touch, m.px(92))
        return QSize(thick, 400) if self.vertical else QSize(400, thick)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        if self.model is None or self._ctx is None:
            p.fillRect(self.rect(), theme.BACKGROUND)
            p.end()
            return
        # the strip moves only its frame while the timeline scrolls: the rest (a few hundred
        # painter calls from Python, about 5 ms) is kept in a picture
        ratio = self.devicePixelRatioF()
        key = (self.size(), ratio, self._press is not None)
        if self._picture is None or key != self._picture_key:
            self._picture = QPixmap(self.size() * ratio)
            self._picture.setDevicePixelRatio(ratio)
            painter = QPainter(self._picture)
            self._paint_still(painter)
            painter.end()
            self._picture_key = key
        p.drawPixmap(0, 0, self._picture)
        m = self._ctx.metrics
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        bounds = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        w0, w1 = (self.to_strip(v) for v in self.window_range)
        min_len = m.px(24)
        if w1 - w0 < min_len:
            mid = (w0 + w1) / 2
            w0, w1 = mid - min_len / 2, mid + min_len / 2
        frame = self._rect(bounds, w0, w1, m.px(3), self._thick(bounds) - m.px(3)).intersected(bounds)
        p.setPen(QPen(theme.ACCENT, m.px(4)))
        p.setBrush(theme.with_alpha(theme.ACCENT, 40))
        p.drawRoundedRect(frame, m.px(10), m.px(10))
        p.end()

    def _thick(self, bounds: QRectF) -> float:
        return bounds.width() if self.vertical else bounds.height()

    def _rect(self, bounds: QRectF, a0: float, a1: float, c0: float, c1: float) -> QRectF:
        """A rectangle from a0 to a1 along the axis and c0 to c1 across it."""
        if self.vertical:
            return QRectF(bounds.left() + c0, a0, c1 - c0, a1 - a0)
        return QRectF(a0, bounds.top() + c0, a1 - a0, c1 - c0)

    def _paint_still(self, p: QPainter) -> None:
        """Everything but the frame of the visible window: eras, event ticks, decades."""
        assert self.model is not None
        assert self._ctx is not None
        p.fillRect(self.rect(), theme.BACKGROUND)
        m = self._ctx.metrics
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        bounds = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        radius = m.px(16)
        p.setPen(QPen(QColor("#2C4466"), m.px(2)))
        p.setBrush(theme.SURFACE_PRESSED if self._press is not None else theme.SURFACE)
        p.drawRoundedRect(bounds, radius, radius)
        thick = self._thick(bounds)

        def rect(a0: float, a1: float, c0: float, c1: float) -> QRectF:
            return self._rect(bounds, a0, a1, c0, c1)

        for start, end in self.model.eras:
            p.fillRect(
                rect(self.to_strip(start), self.to_strip(end), 0, thick).intersected(bounds),
                QColor(255, 255, 255, 18),
            )
        # event ticks in the upper (or left) part
        tick_len = thick * 0.34
        for axis, color in self.model.ticks:
            s = self.to_strip(axis)
            p.fillRect(rect(s - m.px(2), s + m.px(2), m.px(8), m.px(8) + tick_len), color)
        # decade labels, skipping those that would touch the previous one
        font = ui_font(self._ctx, m.small)
        p.setFont(font)
        fm = QFontMetrics(font)
        p.setPen(theme.TEXT)
        last = -1e9
        label_top = m.px(8) + tick_len + m.px(4)
        for axis, year in self.model.decades:
            s = self.to_strip(axis)
            text = str(year)
            size = fm.height() if self.vertical else fm.horizontalAdvance(text)
            if s - size / 2 < last + m.px(14) or s + m.px(5) + size > self._track()[1] + m.px(20):
                continue
            p.fillRect(rect(s - m.px(1), s + m.px(1), label_top - m.px(4), thick - m.px(6)),
                       theme.TEXT_DIM)
            if self.vertical:
                box = rect(s, s + fm.height(), label_top, thick - m.px(6))
                p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
                last = s + fm.height()
            else:
                box = rect(s + m.px(5), s + m.px(5) + size + 2, label_top, thick - m.px(4))
                p.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
                last = s + m.px(5) + size


# --- event card --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CardContent:
    """Everything the card shows, already in the visitor's language."""

    event_id: str
    date: str
    category: str
    category2: str | None
    color: QColor
    title: str
    title2: str | None
    body: str
    body2: str | None
    image: Path | None  # None: the event has no image
    credit: str
    source: str
    note: str
    map_label: str | None  # the "Show on the map" button, when the event names a city
    close_label: str
    image_missing: str


class _Dot(QWidget):
    def __init__(self, color: QColor, size: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.color = color
        self.setFixedSize(size, size)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(self.color)
        p.drawEllipse(QRectF(self.rect()))
        p.end()


class EventCard(QFrame):
    """The panel with everything about one event, over the timeline.

    Signals:
        close_requested(): the Close button was tapped.
        map_requested(): the "Show on the map" button was tapped.
    """

    close_requested = Signal()
    map_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("TimelineCard")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.content: CardContent | None = None
        self._ctx: ScreenContext | None = None
        self._pixmap: QPixmap | None = None
        # the frame in the event's colour is painted here, not in the style sheet: a new sheet
        # for each colour polished the whole card again (30 ms at every event shown)
        self._frame = (QColor(0, 0, 0, 0), 0, 0)  # colour, width, corner radius
        self.backdrop = CardBackdrop(self, theme.SURFACE)
        outer = QVBoxLayout(self)
        self._outer = outer

        header = QHBoxLayout()
        self.dot = _Dot(QColor("white"), 16)
        self.category_label = QLabel()
        self.close_button = QPushButton()
        self.close_button.setObjectName("TimelineCardClose")
        self.close_button.clicked.connect(self.close_requested)
        header.addWidget(self.dot, 0, Qt.AlignmentFlag.AlignVCenter)
        header.addWidget(self.category_label, 1, Qt.AlignmentFlag.AlignVCenter)
        header.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(header)

        self.date_label = QLabel()
        self.title_label = QLabel()
        self.title2_label = QLabel()
        for label in (self.date_label, self.title_label, self.title2_label):
            label.setWordWrap(True)
            outer.addWidget(label)

        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.viewport().setAutoFillBackground(False)
        inner = QWidget()
        inner.setObjectName("TimelineCardBody")
        inner.setAutoFillBackground(False)
        body = QVBoxLayout(inner)
        body.setContentsMargins(0, 0, 0, 0)
        self.image_label = QLabel()
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image_label.setObjectName("TimelineCardImage")
        self.credit_label = QLabel()
        self.body_label = QLabel()
        self.body2_label = QLabel()
        self.note_label = QLabel()
        self.source_label = QLabel()
        for label in (
            self.credit_label, self.body_label, self.body2_label, self.note_label,
            self.source_label,
        ):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
        body.addWidget(self.image_label)
        body.addWidget(self.credit_label)
        body.addWidget(self.body_label)
        body.addWidget(self.body2_label)
        body.addWidget(self.note_label)
        body.addWidget(self.source_label)
        body.addStretch(1)
        self.scroll_area.setWidget(inner)
        outer.addWidget(self.scroll_area, 1)
        self.scroller = kinetic(self.scroll_area.viewport())

        footer = QHBoxLayout()
        self.map_button = QPushButton()
        self.map_button.setObjectName("TimelineCardMap")
        self.map_button.clicked.connect(self.map_requested)
        footer.addWidget(self.map_button)
        footer.addStretch(1)
        outer.addLayout(footer)

    def show_content(self, ctx: ScreenContext, content: CardContent) -> None:
        self._ctx = ctx
        self.content = content
        m = ctx.metrics
        pad = m.px(28)
        self._outer.setContentsMargins(pad, m.px(18), pad, pad)
        self.backdrop.fit(self._outer.contentsMargins())
        self._outer.setSpacing(m.px(10))
        radius = m.px(22)
        self._frame = (QColor(content.color), m.px(3), radius)
        self.update()
        theme.set_style_sheet(
            self,
            f"""
            #TimelineCard {{ background: {theme.SURFACE.name()};
                border: {m.px(3)}px solid transparent; border-radius: {radius}px; }}
            #TimelineCard QPushButton {{ background: #22385A; border: {m.px(2)}px solid #3A5A84;
                border-radius: {m.px(14)}px; padding: {m.px(8)}px {m.px(24)}px;
                min-height: {m.touch}px; min-width: {m.touch}px; color: {theme.TEXT.name()}; }}
            #TimelineCard QPushButton:pressed {{ background: {theme.SURFACE_PRESSED.name()};
                border-color: {theme.ACCENT.name()}; }}
            #TimelineCard QPushButton#TimelineCardMap {{ background: {theme.ACCENT.name()};
                color: #10151C; border-color: {theme.ACCENT.name()}; }}
            #TimelineCard QPushButton#TimelineCardMap:pressed {{ background: #FFD27A; }}
            #TimelineCard QScrollArea, #TimelineCardBody {{ background: transparent; }}
            #TimelineCardImage {{ background: #22385A; border-radius: {m.px(10)}px;
                color: {theme.TEXT_DIM.name()}; }}
            """
        )
        second_font = ui_font(ctx, m.body, second=True) if ctx.second else None
        self.dot.color = content.color
        self.dot.setFixedSize(m.px(22), m.px(22))
        self.dot.update()
        cat = content.category + (f" · {content.category2}" if content.category2 else "")
        _set(self.category_label, cat, ui_font(ctx, m.small), theme.TEXT_DIM)
        self.close_button.setText(content.close_label)
        self.close_button.setFont(ui_font(ctx, m.body))
        _set(self.date_label, content.date, ui_font(ctx, m.body, bold=True), theme.ACCENT)
        _set(self.title_label, content.title, ui_font(ctx, m.title, bold=True), theme.TEXT)
        _set(self.title2_label, content.title2, second_font, theme.TEXT_DIM)
        _set(self.body_label, content.body, ui_font(ctx, m.body), theme.TEXT)
        small2 = ui_font(ctx, m.small, second=True) if ctx.second else None
        _set(self.body2_label, content.body2, small2, theme.TEXT_DIM)
        _set(self.note_label, content.note, ui_font(ctx, m.small), theme.TEXT)
        _set(self.source_label, soft_breaks(content.source), ui_font(ctx, m.small),
             theme.TEXT_DIM)
        self._pixmap = None
        if content.image is not None:
            pixmap = QPixmap(str(content.image)) if content.image.is_file() else QPixmap()
            self._pixmap = pixmap if not pixmap.isNull() else None
            if self._pixmap is None:
                logging.getLogger(__name__).warning(
                    "image %s is missing or cannot be read; showing a placeholder", content.image)
            _set(self.credit_label, content.credit if self._pixmap else "", ui_font(ctx, m.small),
                 theme.TEXT_DIM)
            self.image_label.show()
        else:
            self.image_label.hide()
            self.credit_label.hide()
        self.map_button.setVisible(content.map_label is not None)
        self.map_button.setText(content.map_label or "")
        self.map_button.setFont(ui_font(ctx, m.body, bold=True))
        self._fit_image()
        self.scroll_area.verticalScrollBar().setValue(0)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        colour, width, radius = self._frame
        if width <= 0:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QPen(colour, width))
        p.setBrush(Qt.BrushStyle.NoBrush)
        half = width / 2
        p.drawRoundedRect(QRectF(self.rect()).adjusted(half, half, -half, -half),
                          radius - half, radius - half)
        p.end()

    def preferred_height(self, width: int) -> int:
        """The height that shows everything at this width, without scrolling."""
        outer = self._outer
        m = outer.contentsMargins()
        border = self._ctx.metrics.px(3) if self._ctx else 0
        inner_w = width - m.left() - m.right() - 2 * border
        total = m.top() + m.bottom()
        shown = 0
        for i in range(outer.count()):
            item = outer.itemAt(i)
            widget = item.widget()
            if widget is self.scroll_area:
                body = self.scroll_area.widget()
                h = body.layout().totalHeightForWidth(inner_w) if body and body.layout() else 0
            elif widget is not None and widget.isHidden():
                continue
            elif item.hasHeightForWidth():
                h = item.heightForWidth(inner_w)
            else:
                h = item.sizeHint().height()
            total += h
            shown += 1
        frame = 2 * (self._ctx.metrics.px(3) + self._ctx.metrics.px(4)) if self._ctx else 0
        return total + max(0, shown - 1) * outer.spacing() + frame

    def _fit_image(self) -> None:
        if self.content is None or self.content.image is None or self._ctx is None:
            return
        m = self._ctx.metrics
        width = max(50, self.scroll_area.viewport().width() or self.width() - 2 * m.px(28))
        max_h = max(m.px(160), round(self.height() * 0.38))
        if self._pixmap is not None:
            scaled = self._pixmap.scaled(
                width, max_h, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            self.image_label.setPixmap(scaled)
            self.image_label.setFixedHeight(scaled.height())
            self.image_label.setText("")
        else:  # a neutral placeholder says the picture is missing
            self.image_label.setPixmap(QPixmap())
            self.image_label.setText(self.content.image_missing)
            self.image_label.setFont(ui_font(self._ctx, m.small))
            self.image_label.setFixedHeight(max(m.px(120), round(max_h * 0.5)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.backdrop.fit(self._outer.contentsMargins())
        self._fit_image()


def _set(label: QLabel, text: str | None, font: QFont | None, color: QColor) -> None:
    label.setVisible(bool(text))
    label.setText(text or "")
    if font is not None:
        label.setFont(font)
    theme.set_style_sheet(label, f"color: {color.name()};")

