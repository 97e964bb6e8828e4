"""Counting the paint events that widgets receive (which repaints an animation causes)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot


class PaintCounter(QObject):
    """Counts the paint events each of ``widgets`` receives from now on."""

    def __init__(self, widgets: list[QWidget]):
        super().__init__()
        self.widgets = list(widgets)
        self.counts = [0] * len(self.widgets)
        for w in self.widgets:
            w.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            for i, w in enumerate(self.widgets):
                if w is obj:
                    self.counts[i] += 1
        return False

    def of(self, widget: QWidget) -> int:
        return self.counts[self.widgets.index(widget)]

    def remove(self) -> None:
        for w in self.widgets:
            w.removeEventFilter(self)


def paints_while_repainted_beneath(qtbot: QtBot, top: QWidget, beneath: QWidget,
                                   widgets: list[QWidget]) -> list[int]:
    """How many paint events each of ``widgets`` gets while ``beneath`` (a view under them) is
    repainted whole, once everything on ``top`` has been laid out and painted."""
    qtbot.wait(200)  # laid out and painted
    top.repaint()
    paints = PaintCounter([beneath, *widgets])
    try:
        beneath.update()
        qtbot.waitUntil(lambda: paints.of(beneath) > 0, timeout=2000)
        qtbot.wait(30)
        return [paints.of(w) for w in widgets]
    finally:
        paints.remove()


def looks_the_same_without_backdrop(card) -> bool:
    """The card's picture with its ``backdrop`` and without it (the backdrop is then hidden)."""
    with_backdrop = card.grab().toImage()
    card.backdrop.hide()
    return card.grab().toImage() == with_backdrop
