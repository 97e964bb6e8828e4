"""An opaque fill under a card's contents, so that animations beneath the card leave it alone."""

from __future__ import annotations

from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget


class CardBackdrop(QWidget):
    """The card's colour, filled under its contents (inside its rounded border).

    Qt repaints every widget over an area that changes unless that widget is opaque. A card over
    the map or the timeline is not (its corners are round), so each frame of the arcs or the
    entry animation beneath it painted the card's texts again, their layout included. This
    child is opaque (``WA_OpaquePaintEvent``, a style sheet cannot undo it): Qt leaves what it
    covers out of the area repainted beneath the card, and the texts over it stay as they are.
    """

    def __init__(self, card: QWidget, colour: QColor):
        super().__init__(card)
        self.colour = QColor(colour)
        self.setObjectName("CardBackdrop")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.lower()

    def fit(self, margins: QMargins) -> None:
        """Cover the card inside ``margins`` (its layout's: inside the border and its corners)."""
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect().marginsRemoved(margins))
            self.lower()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(event.rect(), self.colour)
        p.end()
