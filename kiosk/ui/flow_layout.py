"""A layout that wraps its items into rows like words in a paragraph (filter chips, buttons)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QStyle, QWidget


class FlowLayout(QLayout):
    """Lays its items out in rows like words in a paragraph, wrapping when the width runs out;
    mirrored in right-to-left layouts."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 8):
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing

    def set_gap(self, gap: int) -> None:
        self._gap = gap
        self.invalidate()

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._do_layout(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._do_layout(rect, apply=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            if not item.isEmpty():
                size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _do_layout(self, rect: QRect, apply: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        parent = self.parentWidget()
        direction = parent.layoutDirection() if parent is not None else Qt.LayoutDirection.LeftToRight
        x, y, line_h = area.x(), area.y(), 0
        row: list[tuple[QLayoutItem, QRect]] = []

        def flush() -> None:
            for item, r in row:
                # centre each item vertically in its row
                r.moveTop(r.top() + (line_h - r.height()) // 2)
                item.setGeometry(QStyle.visualRect(direction, area, r))
            row.clear()

        for item in self._items:
            if item.isEmpty():
                continue
            hint = item.sizeHint()
            w = min(hint.width(), max(1, area.width()))
            if x + w > area.x() + area.width() and line_h > 0:
                if apply:
                    flush()
                x = area.x()
                y += line_h + self._gap
                line_h = 0
            if apply:
                row.append((item, QRect(x, y, w, hint.height())))
            x += w + self._gap
            line_h = max(line_h, hint.height())
        if apply:
            flush()
        return y + line_h - rect.y() + m.bottom()
