"""A widget's picture, painted again only when what decides its look changes."""

from __future__ import annotations

from collections.abc import Callable, Hashable

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import QWidget


class PaintCache:
    """Keeps what a widget painted, at its size and pixel ratio, for as long as its key holds.

    The first live frame of a page (a slide's landing) paints every widget on it. Texts laid
    out again in every paint (word-wrapped buttons, a legend) made the economy page's landing
    15-21 ms, longer than a frame. The page's picture for the slide has painted these widgets
    already, through this cache: the landing blits them.
    """

    def __init__(self) -> None:
        self._key: tuple | None = None
        self._picture: QPixmap | None = None

    def paint(self, widget: QWidget, key: Hashable, draw: Callable[[QPainter], None]) -> None:
        """Paint ``widget`` (inside its paintEvent): its picture, made by ``draw`` when ``key``,
        its size or its pixel ratio changed."""
        ratio = widget.devicePixelRatioF()
        size = widget.size()
        direction = widget.layoutDirection()
        full = (key, size.width(), size.height(), ratio, direction)
        if self._picture is None or full != self._key:
            picture = QPixmap(max(1, round(size.width() * ratio)),
                              max(1, round(size.height() * ratio)))
            picture.setDevicePixelRatio(ratio)
            picture.fill(Qt.GlobalColor.transparent)
            painter = QPainter(picture)
            # as a painter on the widget starts: with its font and text colour (text direction
            # follows the text, as there)
            painter.setFont(widget.font())
            painter.setPen(widget.palette().color(widget.foregroundRole()))
            draw(painter)
            painter.end()
            self._picture, self._key = picture, full
        painter = QPainter(widget)
        painter.drawPixmap(0, 0, self._picture)
        painter.end()

    def clear(self) -> None:
        self._picture = self._key = None
