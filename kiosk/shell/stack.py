"""A stack of pages that slides from one to the next without ever blocking input."""

from __future__ import annotations

from PySide6.QtCore import QEasingCurve, QPoint, Qt, QVariantAnimation, Signal
from PySide6.QtWidgets import QWidget

TRANSITION_MS = 300


class SlideStack(QWidget):
    """Shows one page at a time; a change slides the new page in over ~300 ms.

    A new change during a slide finishes the running one at once, so fast tapping never queues
    animations and the visitor's touch always lands on the page they see.

    Signals:
        current_changed(QWidget): the page now shown (at the start of its slide).
    """

    current_changed = Signal(QWidget)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("ScreenStack")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._pages: list[QWidget] = []
        self._current: QWidget | None = None
        self._leaving: QWidget | None = None
        self.animate = True
        self._anim = QVariantAnimation(self)
        self._anim.setDuration(TRANSITION_MS)
        self._anim.setStartValue(0.0)
        self._anim.setEndValue(1.0)
        self._anim.setEasingCurve(QEasingCurve.Type.OutCubic)
        self._anim.valueChanged.connect(self._step)
        self._anim.finished.connect(self._done)
        self._direction = 1

    def add(self, page: QWidget) -> None:
        if page in self._pages:
            return
        page.setParent(self)
        page.hide()
        self._pages.append(page)
        if self._current is None:
            self._show_now(page)

    def current(self) -> QWidget | None:
        return self._current

    def pages(self) -> list[QWidget]:
        return list(self._pages)

    def is_animating(self) -> bool:
        return self._anim.state() == QVariantAnimation.State.Running

    def set_current(self, page: QWidget, direction: int = 1) -> None:
        """Slide to ``page``; direction 1 comes in from the end side, -1 from the start side."""
        self.add(page)
        if page is self._current:
            return
        if self.is_animating():
            self._anim.stop()
            self._done()
        if not self.animate or self._current is None or not self.isVisible():
            if self._current is not None:
                self._current.hide()
            self._show_now(page)
            return
        if self.layoutDirection() == Qt.LayoutDirection.RightToLeft:
            direction = -direction
        self._direction = direction
        self._leaving = self._current
        self._current = page
        page.setGeometry(self.rect())
        page.move(QPoint(direction * self.width(), 0))
        page.show()
        page.raise_()
        self.current_changed.emit(page)
        self._anim.start()

    def _show_now(self, page: QWidget) -> None:
        self._current = page
        page.setGeometry(self.rect())
        page.show()
        page.raise_()
        self.current_changed.emit(page)

    def _step(self, value: object) -> None:
        t = float(value)  # type: ignore[arg-type]
        w = self.width()
        if self._current is not None:
            self._current.move(round(self._direction * w * (1.0 - t)), 0)
        if self._leaving is not None:
            self._leaving.move(round(-self._direction * w * t), 0)

    def _done(self) -> None:
        if self._leaving is not None:
            self._leaving.hide()
            self._leaving.move(0, 0)
            self._leaving = None
        if self._current is not None:
            self._current.setGeometry(self.rect())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._current is not None and not self.is_animating():
            self._current.setGeometry(self.rect())
