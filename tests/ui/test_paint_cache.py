"""PaintCache: a widget painted again only when its key, size or pixel ratio changes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QWidget

from kiosk.ui.paint_cache import PaintCache


class Badge(QWidget):
    """Paints a rounded box and a word, through the cache or straight."""

    def __init__(self, cached: bool = True):
        super().__init__()
        self.word = "Changchun"
        self.cached = cached
        self.draws = 0
        self.cache = PaintCache()
        self.resize(220, 80)

    def paintEvent(self, event) -> None:
        if self.cached:
            self.cache.paint(self, (self.word,), self.draw)
        else:
            p = QPainter(self)
            self.draw(p)
            p.end()

    def draw(self, p: QPainter) -> None:
        self.draws += 1
        # the text with the pen, font and direction the painter starts with, as on the widget
        p.drawText(self.rect().adjusted(8, 0, -8, 0),
                   int(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter), self.word)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QColor("#F2B134"))
        p.setBrush(QColor(20, 40, 70, 160))
        p.drawRoundedRect(QRectF(self.rect()).adjusted(2, 2, -2, -2), 12, 12)


def grab(widget: QWidget) -> QImage:
    return widget.grab().toImage().convertToFormat(QImage.Format.Format_ARGB32)


def test_a_widget_is_drawn_once_while_its_key_and_size_hold(qtbot):
    badge = Badge()
    qtbot.addWidget(badge)
    first = grab(badge)
    grab(badge)
    grab(badge)
    assert badge.draws == 1
    badge.word = "长春"
    changed = grab(badge)
    assert badge.draws == 2
    assert changed != first
    badge.resize(240, 80)
    grab(badge)
    assert badge.draws == 3
    badge.cache.clear()
    grab(badge)
    assert badge.draws == 4


@pytest.mark.parametrize("direction", [Qt.LayoutDirection.LeftToRight,
                                       Qt.LayoutDirection.RightToLeft])
def test_the_picture_is_what_the_widget_paints_straight(qtbot, direction):
    cached, straight = Badge(), Badge(cached=False)
    for badge in (cached, straight):
        qtbot.addWidget(badge)
        badge.setLayoutDirection(direction)
        badge.setFont(QFont(badge.font().family(), 17))
        palette = badge.palette()
        palette.setColor(badge.foregroundRole(), QColor("#7CD1A0"))
        badge.setPalette(palette)
    grab(cached)  # (the second grab blits the picture)
    a, b = grab(cached), grab(straight)
    assert a.size() == b.size()
    worst = max(
        abs(ca - cb)
        for y in range(a.height()) for x in range(a.width())
        for ca, cb in zip(a.pixelColor(x, y).getRgb(), b.pixelColor(x, y).getRgb(), strict=True)
    )
    assert worst <= 3  # (a translucent fill blended once more: rounding)
