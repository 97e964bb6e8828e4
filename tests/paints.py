"""Counting the paint events that widgets receive (which repaints an animation causes)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget


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
