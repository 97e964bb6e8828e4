"""A stack of pages that slides from one to the next without ever blocking input."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractAnimation,
    QEasingCurve,
    QEvent,
    QObject,
    QPoint,
    QRect,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QImage, QMouseEvent, QPainter, QPixmap, QRegion, QTouchEvent, QWindow
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.screens.base import FrameLimiter
from kiosk.ui import events
from kiosk.ui.frame_clock import Tween

_INPUT = (QEvent.Type.TouchBegin, QEvent.Type.MouseButtonPress)  # a slide lands at these

TRANSITION_MS = 300


class _SlideOverlay(QWidget):
    """Paints the two snapshots of a slide over the stack; input passes through to the page."""

    def __init__(self, stack: SlideStack):
        super().__init__(stack)
        self.stack = stack
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        # opaque: Qt then paints nothing beneath it, so the live pages cost nothing per frame
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground, True)
        self.hide()

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        self.stack._paint_slide(p)
        p.end()


class SlideStack(QWidget):
    """Shows one page at a time; a change slides the new page in over ~300 ms.

    The slide moves two snapshots (the page leaving and the page coming) on one overlay, so a
    frame costs two blits instead of two live page paints. The leaving page's picture is copied
    from the window's backing store; the coming page is painted into its picture before the
    first frame, once the shell has opened it. Every frame then costs the same: frames whose
    work varies come late, even when each one is short. The new page itself is in place under
    the overlay from the first moment, and its entry animations wait for the slide to land (they
    would not show on a snapshot); the overlay then goes in one frame, which paints the live
    page. A touch or click on the stack, or a new change, ends the slide at once, so the
    visitor's input always lands on the page they then see.

    Unattended (``smooth`` False, a slideshow nobody touches) the slide saves a paint: the
    coming page is not pictured but uncovered, live and in place, as the leaving page's picture
    slides away over it, at 30 frames a second. Its frames vary more (each paints the strip just
    uncovered), which only a visitor's finger would notice.

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
        self.animate = True
        # a push slide at every 60 Hz tick; an unattended slideshow sets False: an uncovering
        # slide (see above) at every second tick, enough for nobody watching closely
        self.smooth = True
        # drives the frames, on the kiosk's frame clock (not a Qt animation: one takes its first
        # step two posted events after start(), after the first frame, so the second frame came
        # 2 ms after the first and the third 17-19 ms later); its value is the slide's time
        self._ticks = Tween(self, TRANSITION_MS)
        self._ticks.valueChanged.connect(self._step)
        self._ease = QEasingCurve(QEasingCurve.Type.OutCubic)
        self._slide_frames = FrameLimiter(self._frame)
        self._direction = 1
        self._offset = 0.0  # the slide's position in the frame being painted
        self._overlay = _SlideOverlay(self)
        self._leaving_pixmap: QPixmap | None = None
        self._entering_pixmap: QPixmap | None = None
        self._paused: list[QAbstractAnimation | Tween] = []
        self._filtering = False
        # True once the window has painted a frame with the current page: only then are its
        # on-screen pixels a picture of the page that leaves
        self._painted = False
        self._watched: QWidget | None = None  # the window, whose frames this watches
        # the frame asked for shows the pictures in their final place: the live page takes
        # their place as soon as that frame is painted (see eventFilter)
        self._land_after_paint = False
        self._starting = False

    def add(self, page: QWidget) -> None:
        if page in self._pages:
            return
        page.setParent(self)
        page.hide()
        self._pages.append(page)
        if self._current is None:
            self._show_now(page)
        self._overlay.raise_()

    def current(self) -> QWidget | None:
        return self._current

    def pages(self) -> list[QWidget]:
        return list(self._pages)

    def is_animating(self) -> bool:
        return self._ticks.state() == QAbstractAnimation.State.Running

    def slide_offset(self) -> float:
        """How far the slide has come (0 at the start, 1 landed), by the time since it began."""
        if not self.is_animating():
            return 1.0
        return self._ease.valueForProgress(min(1.0, self._ticks.currentTime() / TRANSITION_MS))

    def set_current(self, page: QWidget, direction: int = 1,
                    prepare: Callable[[], None] | None = None) -> None:
        """Slide to ``page``; direction 1 comes in from the end side, -1 from the start side.

        ``prepare`` puts the page in the state it starts in (a deep link opened, entry
        animations at their start); it runs once the page is in place and before its picture is
        taken, so the slide shows that state. It runs also when there is no slide.
        """
        self.add(page)
        if page is self._current:
            if prepare is not None:
                prepare()
            return
        self.finish()
        leaving = self._current
        if not self.animate or leaving is None or not self.isVisible():
            if leaving is not None:
                leaving.hide()
            self._show_now(page)
            if prepare is not None:
                prepare()
            return
        if self.layoutDirection() == Qt.LayoutDirection.RightToLeft:
            direction = -direction
        self._direction = direction
        self._leaving_pixmap = self._snapshot(leaving)
        leaving.hide()
        self._show_now(page)
        if prepare is not None:
            prepare()
        self._pause_entry(page)
        # pushed: the whole coming page now, before the first frame, so that every frame of the
        # slide is the same two blits (frames whose work varies come late, each one short or
        # not), and the slide's clock starts after this work, not in the middle of it
        self._entering_pixmap = self._picture_entering(page) if self.smooth else None
        self._offset = 0.0
        self._overlay.setGeometry(self.rect())
        self._overlay.show()
        self._overlay.raise_()
        self._overlay.update()
        if QApplication.instance() is not None:
            events.watch(_INPUT, self.eventFilter)
            events.cover(self)
            self._filtering = True
        self._slide_frames.limited = not self.smooth
        self._slide_frames.reset()
        self._starting = True  # (start() gives the value 0 at once: the frame asked for above)
        self._ticks.start()
        self._starting = False

    def finish(self) -> None:
        """End a running slide now: the current page is shown in place, its animations run."""
        if self.is_animating():
            self._ticks.stop()
            self._done()

    def _show_now(self, page: QWidget) -> None:
        self._current = page
        self._unpainted()
        page.setGeometry(self.rect())
        page.show()
        page.raise_()
        self.current_changed.emit(page)

    # --- snapshots -------------------------------------------------------------------------

    def _snapshot(self, page: QWidget) -> QPixmap:
        """The page as it is on screen: copied from the window's backing store when that holds
        it (a memory copy), else painted again."""
        pixels = self._on_screen() if self._painted else None
        return pixels if pixels is not None else self._render(page)

    def _render(self, page: QWidget) -> QPixmap:
        """The page painted over the stack's own background (what shows through it on screen;
        ``grab()`` would fill it with the palette's light window colour)."""
        ratio = self.devicePixelRatioF()
        pixmap = QPixmap(page.size() * ratio)
        pixmap.setDevicePixelRatio(ratio)
        self.render(pixmap, QPoint(0, 0), QRegion(page.geometry()),
                    QWidget.RenderFlag.DrawWindowBackground)
        page.render(pixmap, QPoint(0, 0), QRegion(), QWidget.RenderFlag.DrawChildren)
        return pixmap

    def _on_screen(self) -> QPixmap | None:
        top = self.window()
        origin = self.mapTo(top, QPoint(0, 0))
        area = QRect(origin, self.size())
        for child in top.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            # an overlay over the stack (touch prompt, dialog) would be copied into the picture
            if (child.isVisible() and not child.isAncestorOf(self) and not self.isAncestorOf(child)
                    and child.geometry().intersects(area)):
                return None
        store = top.backingStore()
        device = store.paintDevice() if store is not None else None
        if not isinstance(device, QImage) or device.isNull():
            return None
        ratio = device.devicePixelRatio()
        source = QRect(round(area.x() * ratio), round(area.y() * ratio),
                       round(area.width() * ratio), round(area.height() * ratio))
        if not QRect(QPoint(0, 0), device.size()).contains(source):
            return None
        image = device.copy(source)
        image.setDevicePixelRatio(ratio)
        return QPixmap.fromImage(image)

    def _pause_entry(self, page: QWidget) -> None:
        """The coming page's entry animations wait at their start until the slide has landed:
        a picture cannot show them, and a page being uncovered would paint them for nothing."""
        running = QAbstractAnimation.State.Running
        self._paused = [a for a in page.findChildren(QAbstractAnimation) if a.state() == running]
        self._paused += [t for t in page.findChildren(Tween) if t.state() == running]
        for a in self._paused:
            a.pause()

    def _picture_entering(self, page: QWidget) -> QPixmap:
        """The coming page, painted whole over the stack's background (the page is transparent
        in places)."""
        # what prepare() changed (a chart's title, a card) is laid out by posted events: lay it
        # out now, or the picture would show the old layout until the landing
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        return self._render(page)

    # --- frames ----------------------------------------------------------------------------

    def _paint_slide(self, p: QPainter) -> None:
        w = self.width()
        e = self._offset  # as the overlay's geometry was set for
        origin = self._overlay.x()  # an uncovering overlay keeps only what the picture covers
        if self._leaving_pixmap is not None and e < 1.0:
            p.drawPixmap(round(-self._direction * w * e) - origin, 0, self._leaving_pixmap)
        if self._entering_pixmap is not None:
            p.drawPixmap(round(self._direction * w * (1.0 - e)) - origin, 0,
                         self._entering_pixmap)

    def _step(self, t: float) -> None:
        if self._starting:
            return
        if t >= 1.0:
            self._land()
        else:
            self._slide_frames(t)

    def _land(self) -> None:
        """The slide is over: the live page replaces the pictures (from a timer only)."""
        if not self.is_animating():
            return
        self._ticks.stop()
        self._done()  # (the entry tweens go on from the next tick of the frame clock)

    def _frame(self, _t: float) -> None:
        self._offset = self.slide_offset()
        if self._entering_pixmap is None:  # uncovering: the live page shows beside the picture
            w, h = self.width(), self.height()
            shift = round(w * self._offset)
            # the picture leaves to the left when the page comes from the right, and back
            left = 0 if self._direction > 0 else shift
            self._overlay.setGeometry(left, 0, w - shift, h)
        self._overlay.update()
        # The easing leaves the last ticks of a slide within half a pixel of the end: the frame
        # asked for now shows the coming page in its place, and the next would only swap the
        # pictures for the live page, the same pixels at the cost of a full paint (9-18 ms at
        # 1080p), which delayed that tick by as much. The swap follows this frame at once.
        self._land_after_paint = round(self.width() * (1.0 - self._offset)) == 0

    def _done(self) -> None:
        # pushed, the live page is painted whole in the next frame; uncovered, it is painted
        # already. Its entry animations go on from here.
        self._overlay.hide()
        self._land_after_paint = False
        self._leaving_pixmap = self._entering_pixmap = None
        if self._filtering:
            events.unwatch(self.eventFilter)
            self._filtering = False
        paused, self._paused = self._paused, []
        for a in paused:
            if a.state() == QAbstractAnimation.State.Paused:
                a.resume()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.UpdateRequest and obj is self._watched:
            # the window paints the stack in this frame; during a slide it shows the overlay's
            # pictures, which a new change must not copy as the page
            self._painted = self.isVisible() and not self._overlay.isVisible()
            if self._land_after_paint:
                self._land_after_paint = False
                QTimer.singleShot(0, self, self._land)  # after this frame, before the next tick
            return False
        # (the window's input is watched only during a slide: a touch on the stack lands the
        # slide first)
        if kind == QEvent.Type.TouchBegin and isinstance(event, QTouchEvent) and event.points():
            at = event.points()[0].position()
        elif kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            at = event.position()
        else:
            return False
        if isinstance(obj, QWindow) and self.rect().contains(
                self.mapFrom(self.window(), at.toPoint())):
            self.finish()
        return False

    def showEvent(self, event) -> None:
        super().showEvent(event)
        top = self.window()
        if top is not self._watched:
            # a frame of the window paints everything dirty, the page shown last included
            if self._watched is not None:
                self._watched.removeEventFilter(self)
            top.installEventFilter(self)
            self._watched = top

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self._unpainted()

    def _unpainted(self) -> None:
        self._painted = False

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.finish()
        self._unpainted()
        if self._current is not None:
            self._current.setGeometry(self.rect())
        self._overlay.setGeometry(self.rect())
