"""Widgets of the economy screen: chart switcher tabs, legend, milestone card, big-number card."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QLinearGradient,
    QPainter,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QGraphicsOpacityEffect,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui import theme
from kiosk.ui.paint_cache import PaintCache

# --- chart switcher -------------------------------------------------------------------------


class ChartTab(QAbstractButton):
    """A large, checkable switcher button whose title wraps onto several lines.

    QPushButton cannot wrap text; a chart title such as "Economic structure (share of GDP by
    sector)" must, in every language, without clipping.
    """

    def __init__(self, chart_id: str, text: str, font: QFont, min_height: int, pad: int):
        super().__init__()
        self.chart_id = chart_id
        self.setCheckable(True)
        self.setText(text)
        self.setFont(font)
        self._min_height = min_height
        self._pad = pad
        self._picture = PaintCache()  # its wrapped title is laid out again in every paint
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def _text_rect(self, width: int) -> QRect:
        return QRect(0, 0, max(10, width - 2 * self._pad - self._pad // 2), 10_000)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        fm = QFontMetrics(self.font())
        flags = int(Qt.TextFlag.TextWordWrap)
        text = fm.boundingRect(self._text_rect(width), flags, self.text())
        return max(self._min_height, text.height() + 2 * self._pad)

    def sizeHint(self) -> QSize:
        width = max(self._min_height * 3, self.width() if self.width() > 50 else 300)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        return QSize(self._min_height, self._min_height)

    def paintEvent(self, event) -> None:
        key = (self.text(), self.isChecked(), self.isDown(), self.font().key(), self._pad)
        self._picture.paint(self, key, self._paint)

    def _paint(self, p: QPainter) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(self.rect()).adjusted(1.5, 1.5, -1.5, -1.5)
        radius = self._pad * 0.8
        if self.isChecked():
            fill, border, ink = theme.ACCENT, theme.ACCENT, QColor("#10151C")
        elif self.isDown():
            fill, border, ink = theme.SURFACE_PRESSED, theme.ACCENT, theme.TEXT
        else:
            fill, border, ink = theme.SURFACE, QColor("#2C4466"), theme.TEXT
        p.setPen(QPen(border, 2))
        p.setBrush(fill)
        p.drawRoundedRect(r, radius, radius)
        p.setPen(ink)
        p.setFont(self.font())
        text_rect = self.rect().adjusted(self._pad + self._pad // 4, self._pad // 2,
                                         -self._pad, -self._pad // 2)
        flags = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignVCenter)
        flags |= int(Qt.AlignmentFlag.AlignLeading)
        p.drawText(text_rect, flags, self.text())


# --- legend ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Swatch:
    """What a legend entry looks like: ``bar``, ``line`` or ``milestone``, in a colour, with
    the style of a flag (None: plain)."""

    kind: str
    colour: QColor
    flag: str | None = None


@dataclass(frozen=True)
class LegendEntry:
    swatches: tuple[Swatch, ...]
    text: str


class LegendStrip(QWidget):
    """A row of legend entries that wraps onto more rows when narrow; painted, not laid out."""

    def __init__(self):
        super().__init__()
        self.entries: list[LegendEntry] = []
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.gap = 24
        self._picture = PaintCache()
        self._revision = 0  # the entries, font and gap painted

    def set_entries(self, entries: list[LegendEntry], font: QFont, gap: int) -> None:
        self.entries = entries
        self.setFont(font)
        self.gap = gap
        self._revision += 1
        self.setVisible(bool(entries))
        self.updateGeometry()
        self.update()

    def _layout(self, width: int) -> list[tuple[QRectF, LegendEntry]]:
        fm = QFontMetrics(self.font())
        sw = fm.height() * 1.6
        line_h = fm.height() * 1.35
        x = y = 0.0
        out = []
        for entry in self.entries:
            w = len(entry.swatches) * (sw + self.gap * 0.25) + fm.horizontalAdvance(entry.text)
            if x > 0 and x + w > width:
                x, y = 0.0, y + line_h
            out.append((QRectF(x, y, w, line_h), entry))
            x += w + self.gap
        return out

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        boxes = self._layout(width)
        return int(max((r.bottom() for r, _ in boxes), default=0) + 2)

    def sizeHint(self) -> QSize:
        width = self.width() if self.width() > 50 else 1200
        return QSize(width, self.heightForWidth(width))

    def paintEvent(self, event) -> None:
        self._picture.paint(self, (self._revision, self.font().key()), self._paint)

    def _paint(self, p: QPainter) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetrics(self.font())
        sw = fm.height() * 1.6
        p.setFont(self.font())
        for rect, entry in self._layout(self.width()):
            x = rect.left()
            for swatch in entry.swatches:
                box = QRectF(x, rect.top() + (rect.height() - fm.height()) / 2, sw, fm.height())
                paint_swatch(p, box, swatch)
                x += sw + self.gap * 0.25
            p.setPen(theme.TEXT)
            p.drawText(QRectF(x, rect.top(), rect.right() - x + 2, rect.height()),
                       int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), entry.text)


def paint_swatch(p: QPainter, box: QRectF, swatch: Swatch) -> None:
    """Draw a legend swatch the way the chart draws that kind of value."""
    from kiosk.screens.economy_chart import FLAG_PATTERN

    colour = swatch.colour
    p.save()
    if swatch.kind == "bar":
        r = box.adjusted(box.width() * 0.2, 0, -box.width() * 0.2, 0)
        if swatch.flag is None:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(colour)
            p.drawRect(r)
        else:
            pen = QPen(colour, 2)
            if swatch.flag == "preliminary":
                pen.setStyle(Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.setBrush(theme.with_alpha(colour, 70))
            p.drawRect(r)
            pattern = FLAG_PATTERN.get(swatch.flag)
            if pattern is not None:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(QBrush(colour, pattern))
                p.drawRect(r)
    elif swatch.kind == "line":
        pen = QPen(colour, 3)
        if swatch.flag is not None:
            pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        mid = box.center().y()
        p.drawLine(QPointF(box.left(), mid), QPointF(box.right(), mid))
        d = box.height() * 0.55
        marker = QRectF(box.center().x() - d / 2, mid - d / 2, d, d)
        p.setPen(QPen(colour, 2.5))
        p.setBrush(theme.BACKGROUND if swatch.flag else colour)
        if swatch.flag == "partial_year":
            p.drawRect(marker)
        elif swatch.flag == "preliminary":
            p.drawPolygon(_diamond(marker))
        else:
            p.drawEllipse(marker)
    else:  # milestone
        d = box.height() * 0.8
        marker = QRectF(box.center().x() - d / 2, box.center().y() - d / 2, d, d)
        p.setPen(QPen(theme.TEXT, 1.5))
        p.setBrush(colour)
        p.drawPolygon(_diamond(marker))
    p.restore()


def _diamond(r: QRectF) -> QPolygonF:
    c = r.center()
    return QPolygonF([QPointF(c.x(), r.top()), QPointF(r.right(), c.y()),
                      QPointF(c.x(), r.bottom()), QPointF(r.left(), c.y())])


# --- milestone card -------------------------------------------------------------------------


class MilestoneCard(QFrame):
    """A small card for a milestone marker: date, title, source, and a way to the timeline.
    A marker stands for one year's milestones; with more than one, arrows page through them.

    Signals:
        timeline_requested(str): the visitor wants this event on the timeline.
        closed(): the card was closed.
    """

    timeline_requested = Signal(str)
    closed = Signal()

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("EconomyMilestoneCard")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.items: list[tuple[str, str, str, str]] = []
        self.index = 0
        self.date = QLabel()
        self.date.setObjectName("EconomyAccent")
        self.count = QLabel()
        self.count.setObjectName("EconomyDim")
        self.prev_button = QPushButton("‹")
        self.next_button = QPushButton("›")
        for button in (self.prev_button, self.next_button):
            button.setObjectName("EconomyCardButton")
        self.prev_button.clicked.connect(lambda: self.show_index(self.index - 1))
        self.next_button.clicked.connect(lambda: self.show_index(self.index + 1))
        header = QHBoxLayout()
        header.addWidget(self.date, 1)
        header.addWidget(self.count)
        header.addWidget(self.prev_button)
        header.addWidget(self.next_button)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.source = QLabel()
        self.source.setObjectName("EconomyDim")
        self.source.setWordWrap(True)
        self.open_button = QPushButton()
        self.open_button.setObjectName("EconomyCardButton")
        self.open_button.clicked.connect(self._open)
        self.close_button = QPushButton()
        self.close_button.setObjectName("EconomyCardButton")
        self.close_button.clicked.connect(self.close_card)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button, 1)
        buttons.addWidget(self.close_button)
        box = QVBoxLayout(self)
        box.addLayout(header)
        box.addWidget(self.title)
        box.addWidget(self.source)
        box.addLayout(buttons)
        self.hide()

    @property
    def event_id(self) -> str | None:
        return self.items[self.index][0] if self.items else None

    def fill(self, items: list[tuple[str, str, str, str]], index: int, open_text: str,
             close_text: str, fonts: tuple[QFont, QFont, QFont], spacing: int) -> None:
        """Items are (event id, date, title, source line); ``index`` is the one shown first."""
        self.items = list(items)
        small, body, bold = fonts
        self.date.setFont(small)
        self.count.setFont(small)
        self.title.setFont(bold)
        self.source.setFont(small)
        for button in (self.open_button, self.close_button, self.prev_button, self.next_button):
            button.setFont(body)
        self.open_button.setText(open_text)
        self.close_button.setText(close_text)
        paging = len(self.items) > 1
        for w in (self.count, self.prev_button, self.next_button):
            w.setVisible(paging)
        layout = self.layout()
        layout.setContentsMargins(spacing, spacing, spacing, spacing)
        layout.setSpacing(spacing // 2)
        self.show_index(index)

    def show_index(self, index: int) -> None:
        if not self.items:
            return
        self.index = index % len(self.items)
        _, date, title, source = self.items[self.index]
        self.date.setText(date)
        self.title.setText(title)
        self.source.setText(source)
        self.source.setVisible(bool(source))
        self.count.setText(f"{self.index + 1} / {len(self.items)}")

    def _open(self) -> None:
        if self.event_id:
            self.timeline_requested.emit(self.event_id)

    def close_card(self) -> None:
        if self.isVisible():
            self.hide()
            self.closed.emit()


# --- big number -----------------------------------------------------------------------------


class BigNumberCard(QWidget):
    """One headline figure: the value with its unit, its year and flag, and the exact figure."""

    def __init__(self):
        super().__init__()
        self.value = QLabel()
        self.value.setObjectName("EconomyBigValue")
        self.value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.value.setWordWrap(True)
        self.caption = QLabel()
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setWordWrap(True)
        self.exact = QLabel()
        self.exact.setObjectName("EconomyDim")
        self.exact.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.exact.setWordWrap(True)
        box = QVBoxLayout(self)
        box.addStretch(2)
        box.addWidget(self.value)
        box.addWidget(self.caption)
        box.addWidget(self.exact)
        box.addStretch(3)
        self.effect = QGraphicsOpacityEffect(self)
        self.effect.setOpacity(1.0)
        self.setGraphicsEffect(self.effect)

    def set_progress(self, t: float) -> None:
        self.effect.setOpacity(max(0.0, min(1.0, t)))
        self.effect.setEnabled(t < 1.0)


# --- notes ----------------------------------------------------------------------------------


class InfoArea(QScrollArea):
    """The source and notes, scrolled by finger; a fade at the bottom shows there is more."""

    def __init__(self):
        super().__init__()
        self.fade = _Fade(self)
        self.verticalScrollBar().rangeChanged.connect(self.update_fade)
        self.verticalScrollBar().valueChanged.connect(self.update_fade)

    def update_fade(self) -> None:
        bar = self.verticalScrollBar()
        self.fade.setVisible(bar.value() < bar.maximum())
        self.fade.raise_()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        height = min(self.height() // 2, max(12, self.height() // 4))
        self.fade.setGeometry(0, self.height() - height, self.width(), height)
        self.update_fade()


class _Fade(QWidget):
    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        gradient = QLinearGradient(0, 0, 0, self.height())
        gradient.setColorAt(0.0, theme.with_alpha(theme.BACKGROUND, 0))
        gradient.setColorAt(1.0, theme.BACKGROUND)
        p.fillRect(self.rect(), gradient)
        p.end()
