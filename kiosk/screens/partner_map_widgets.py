"""Widgets around the partner map: a wrapping row layout, the legend, the city card and the list."""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui import theme
from kiosk.ui.backdrop import CardBackdrop
from kiosk.ui.touch import enable_kinetic_scrolling

CITY_ROLE = Qt.ItemDataRole.UserRole
YEAR_ROLE = Qt.ItemDataRole.UserRole + 1
NAME_ROLE = Qt.ItemDataRole.UserRole + 2
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 3


class LegendSwatch(QWidget):
    """A short sample of a line style for the legend."""

    def __init__(self, pen: QPen, parent: QWidget | None = None):
        super().__init__(parent)
        self.pen = pen
        self.setFixedSize(48, 20)

    def set_pen(self, pen: QPen, width: int, height: int) -> None:
        self.pen = pen
        self.setFixedSize(width, height)
        self.update()

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(self.pen)
        y = self.height() / 2
        p.drawLine(QPointF(2, y), QPointF(self.width() - 2, y))


class Legend(QFrame):
    """Which line means what: partnerships, then one row per route mode (when routes are shown)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("MapLegend")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self._grid = QGridLayout(self)
        self.entries: dict[str, tuple[LegendSwatch, QLabel]] = {}

    def set_entries(self, entries: list[tuple[str, str, QPen]], font: QFont, swatch: QSize,
                    spacing: int, margin: int) -> None:
        """(key, text, pen) per entry, in order; old entries not listed are removed."""
        keys = [k for k, _, _ in entries]
        if keys != list(self.entries):
            for sw, lbl in self.entries.values():
                self._grid.removeWidget(sw)
                self._grid.removeWidget(lbl)
                sw.deleteLater()
                lbl.deleteLater()
            self.entries = {}
            for row, (key, _, pen) in enumerate(entries):
                sw, lbl = LegendSwatch(pen), QLabel()
                lbl.setObjectName(f"legend-{key}")
                self._grid.addWidget(sw, row, 0)
                self._grid.addWidget(lbl, row, 1)
                self.entries[key] = (sw, lbl)
        self._grid.setContentsMargins(margin, margin // 2, margin, margin // 2)
        self._grid.setHorizontalSpacing(spacing)
        self._grid.setVerticalSpacing(spacing // 3)
        for key, text, pen in entries:
            sw, lbl = self.entries[key]
            sw.set_pen(pen, swatch.width(), swatch.height())
            lbl.setText(text)
            lbl.setFont(font)

    def set_enabled_keys(self, enabled: set[str]) -> None:
        for key, (sw, lbl) in self.entries.items():
            on = key in enabled
            sw.setVisible(on)
            lbl.setVisible(on)
        self.adjustSize()


_BREAK_AFTER = re.compile(r"([/._\-?&=])")


def breakable(text: str) -> str:
    """Let long words (URLs) wrap: a zero-width space after their punctuation."""
    return " ".join(
        _BREAK_AFTER.sub("\\1\u200b", word) if len(word) > 24 else word for word in text.split(" ")
    )


class CityCard(QFrame):
    """A partner city's card: name, country, year, kind and status, highlights, note, source.

    Signals:
        close_requested(): the visitor tapped Close.
    """

    close_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("MapCard")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.backdrop = CardBackdrop(self, theme.SURFACE)
        self.city_id: str | None = None
        self.title = QLabel()
        self.title.setObjectName("card-title")
        self.title.setWordWrap(True)
        self.close_button = QPushButton()
        self.close_button.setObjectName("card-close")
        self.close_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.close_button.clicked.connect(self.close_requested)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self._header = header
        self.scroll = QScrollArea()
        self.scroll.setObjectName("card-scroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.body = QWidget()
        self.body.setObjectName("card-body")
        self._body_box = QVBoxLayout(self.body)
        self._body_box.setContentsMargins(0, 0, 0, 0)
        self.scroll.setWidget(self.body)
        self.scroll.viewport().setAutoFillBackground(False)
        self.body.setAutoFillBackground(False)
        enable_kinetic_scrolling(self.scroll.viewport())
        box = QVBoxLayout(self)
        box.addLayout(header)
        box.addWidget(self.scroll, 1)
        self._box = box
        self.lines: dict[str, QLabel] = {}

    def set_content(self, title: str, title_font: QFont, lines: list[tuple[str, str, QFont, str]],
                    close_text: str, close_font: QFont, margin: int, spacing: int) -> None:
        """Fill the card. ``lines`` are (key, text, font, colour) in order; empty texts are skipped."""
        self.title.setText(title)
        self.title.setFont(title_font)
        self.close_button.setText(close_text)
        self.close_button.setFont(close_font)
        self._box.setContentsMargins(margin, margin, margin, margin)
        self.backdrop.fit(self._box.contentsMargins())
        self._box.setSpacing(spacing)
        self._body_box.setSpacing(spacing)
        while self._body_box.count():
            item = self._body_box.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.lines = {}
        for key, text, font, colour in lines:
            if not text:
                continue
            label = QLabel(text)
            label.setObjectName(f"card-{key}")
            label.setWordWrap(True)
            label.setFont(font)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setStyleSheet(f"color: {colour};")
            self._body_box.addWidget(label)
            self.lines[key] = label
        self._body_box.addStretch(1)
        self.scroll.verticalScrollBar().setValue(0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.backdrop.fit(self._box.contentsMargins())

    def text(self) -> str:
        """Everything the card says, for tests."""
        return "\n".join([self.title.text(), *(lbl.text() for lbl in self.lines.values())])


class PartnerItemDelegate(QStyledItemDelegate):
    """A list row: the year in gold, the city's name, and its country beneath."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.name_font = QFont()
        self.small_font = QFont()
        self.row_height = 64
        self.year_width = 80
        self.pad = 12

    def set_look(self, name_font: QFont, small_font: QFont, row_height: int, pad: int) -> None:
        self.name_font, self.small_font, self.row_height, self.pad = name_font, small_font, row_height, pad
        bold = QFont(name_font)
        bold.setBold(True)
        self.year_width = QFontMetrics(bold).horizontalAdvance("8888") + pad * 2

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        h = QFontMetrics(self.name_font).height() + QFontMetrics(self.small_font).height() + self.pad
        return QSize(200, max(self.row_height, h))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        painter.save()
        r = option.rect  # type: ignore[attr-defined]
        selected = bool(option.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        rtl = option.direction == Qt.LayoutDirection.RightToLeft  # type: ignore[attr-defined]
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.SURFACE_PRESSED if selected else theme.SURFACE)
        painter.drawRoundedRect(r.adjusted(2, 2, -2, -2), self.pad * 0.8, self.pad * 0.8)
        if selected:
            painter.setBrush(theme.ACCENT)
            bar = QRect(r.right() - 7, r.top() + 4, 5, r.height() - 8) if rtl else QRect(
                r.left() + 4, r.top() + 4, 5, r.height() - 8)
            painter.drawRect(bar)
        year_rect = QRect(r.left() + self.pad, r.top(), self.year_width - self.pad, r.height())
        text_rect = QRect(r.left() + self.year_width, r.top() + self.pad // 2,
                          r.width() - self.year_width - self.pad, r.height() - self.pad)
        if rtl:
            year_rect = QStyle.visualRect(Qt.LayoutDirection.RightToLeft, r, year_rect)
            text_rect = QStyle.visualRect(Qt.LayoutDirection.RightToLeft, r, text_rect)
        bold = QFont(self.name_font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(theme.ACCENT)
        painter.drawText(year_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeading,
                         str(index.data(YEAR_ROLE) or ""))
        name_h = QFontMetrics(self.name_font).height()
        painter.setFont(self.name_font)
        painter.setPen(theme.TEXT)
        align = Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
        name = QFontMetrics(self.name_font).elidedText(
            str(index.data(NAME_ROLE) or ""), Qt.TextElideMode.ElideRight, text_rect.width())
        painter.drawText(QRect(text_rect.left(), text_rect.top(), text_rect.width(), name_h),
                         align | Qt.AlignmentFlag.AlignVCenter, name)
        painter.setFont(self.small_font)
        painter.setPen(theme.TEXT_DIM)
        detail = QFontMetrics(self.small_font).elidedText(
            str(index.data(DETAIL_ROLE) or ""), Qt.TextElideMode.ElideRight, text_rect.width())
        painter.drawText(QRect(text_rect.left(), text_rect.top() + name_h, text_rect.width(),
                               text_rect.height() - name_h),
                         align | Qt.AlignmentFlag.AlignTop, detail)
        painter.restore()


class PartnerList(QFrame):
    """All partners (that pass the filters), oldest first, in a kinetic scrolling list.

    Signals:
        city_chosen(str): a visitor tapped a row.
    """

    city_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("MapList")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.header = QLabel()
        self.header.setObjectName("list-header")
        self.list = QListWidget()
        self.list.setObjectName("list-partners")
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setUniformItemSizes(True)
        self.delegate = PartnerItemDelegate(self.list)
        self.list.setItemDelegate(self.delegate)
        self.list.itemClicked.connect(lambda item: self.city_chosen.emit(item.data(CITY_ROLE)))
        self.scroller = enable_kinetic_scrolling(self.list.viewport())
        box = QVBoxLayout(self)
        box.addWidget(self.header)
        box.addWidget(self.list, 1)
        self._box = box

    def set_rows(self, rows: list[tuple[str, str, str, str]], selected: str | None) -> None:
        """(city id, year, name, detail) per row, in order."""
        self.list.blockSignals(True)
        self.list.clear()
        for city_id, year, name, detail in rows:
            item = QListWidgetItem()
            item.setData(CITY_ROLE, city_id)
            item.setData(YEAR_ROLE, year)
            item.setData(NAME_ROLE, name)
            item.setData(DETAIL_ROLE, detail)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{year} {name}, {detail}")
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.set_selected(selected)

    def ids(self) -> list[str]:
        return [self.list.item(i).data(CITY_ROLE) for i in range(self.list.count())]

    def set_selected(self, city_id: str | None) -> None:
        self.list.blockSignals(True)
        self.list.clearSelection()
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(CITY_ROLE) == city_id:
                item.setSelected(True)
                self.list.setCurrentItem(item)
                self.list.scrollToItem(item, QListWidget.ScrollHint.EnsureVisible)
                break
        self.list.blockSignals(False)

    def row_rect(self, city_id: str) -> QRect | None:
        """A row's rectangle in the list viewport's coordinates (for tests)."""
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(CITY_ROLE) == city_id:
                return self.list.visualItemRect(item)
        return None

    def set_look(self, header_font: QFont, apply: Callable[[PartnerItemDelegate], None],
                 margin: int, spacing: int) -> None:
        self.header.setFont(header_font)
        apply(self.delegate)
        self._box.setContentsMargins(margin, margin, margin, margin)
        self._box.setSpacing(spacing)
        self.list.setSpacing(max(1, spacing // 3))
        self.list.doItemsLayout()
