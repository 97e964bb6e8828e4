"""pyqtgraph set up for a booth: global options once, no mouse zoom, menus or buttons, axes
whose tick labels are written by the caller (per language) and drawn in large type.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPen

from kiosk.ui import theme

_configured = False


def configure() -> None:
    """Global pyqtgraph options; call before the first plot widget (repeated calls are free)."""
    global _configured
    if _configured:
        return
    pg.setConfigOptions(
        antialias=True,
        background=theme.BACKGROUND,
        foreground=theme.TEXT,
        leftButtonPan=False,
        exitCleanup=False,
    )
    _configured = True


class LocaleAxis(pg.AxisItem):
    """An axis whose tick positions and labels come from the caller.

    Args:
        ticks: (low, high, size in px) -> tick values; None: pyqtgraph's own choice.
        label: value -> text, e.g. ``lambda v: format_number(v / 1e9, "de")``.
    """

    def __init__(self, orientation: str, **kwargs):
        super().__init__(orientation, **kwargs)
        self.ticks_for: Callable[[float, float, float], Sequence[float]] | None = None
        self.label_for: Callable[[float], str] = str
        self.enableAutoSIPrefix(False)

    def tickValues(self, minVal, maxVal, size):
        if self.ticks_for is None:
            return super().tickValues(minVal, maxVal, size)
        lo, hi = min(minVal, maxVal), max(minVal, maxVal)
        values = [v for v in self.ticks_for(lo, hi, size) if lo - 1e-9 <= v <= hi + 1e-9]
        return [(1.0, values)]

    def tickStrings(self, values, scale, spacing):
        return [self.label_for(v) for v in values]


def style_axis(axis: pg.AxisItem, font: QFont, m: theme.Metrics, line: bool) -> None:
    """Large, light tick labels; short ticks; a visible axis line only where asked."""
    axis.setStyle(
        tickFont=font,
        tickTextOffset=m.px(10),
        tickLength=0,
        autoExpandTextSpace=False,
        autoReduceTextSpace=False,
        # the first and last year labels may reach past the ends of the axis, into the empty
        # corners under the y axes, instead of being dropped
        hideOverlappingLabels=m.px(80),
    )
    axis.setTextPen(pg.mkPen(theme.TEXT_DIM))
    pen_colour = QColor(theme.TEXT_DIM) if line else QColor(0, 0, 0, 0)
    axis.setPen(pg.mkPen(pen_colour, width=max(1, m.px(2))))


def make_plot_widget(parent=None) -> pg.PlotWidget:
    """A PlotWidget with nothing of pyqtgraph's desktop behaviour left: no context menu, no
    mouse pan or zoom, no auto-range button, and always left to right (years run left to right
    even in a right-to-left language)."""
    configure()
    axes = {name: LocaleAxis(name) for name in ("left", "bottom", "right")}
    widget = pg.PlotWidget(parent=parent, axisItems=axes)
    widget.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    widget.setBackground(theme.BACKGROUND)
    widget.setFrameShape(pg.QtWidgets.QFrame.Shape.NoFrame)
    widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    widget.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    plot = widget.getPlotItem()
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot.setMouseEnabled(x=False, y=False)
    plot.vb.setMenuEnabled(False)
    plot.vb.setMouseEnabled(x=False, y=False)
    plot.vb.disableAutoRange()
    plot.showAxis("right", False)
    plot.layout.setContentsMargins(0, 0, 0, 0)
    return widget


def make_second_viewbox(plot: pg.PlotItem) -> pg.ViewBox:
    """A second y axis on the right of ``plot``, sharing its x axis (bar with line)."""
    vb = pg.ViewBox(enableMenu=False)
    vb.setZValue(plot.zValue() + 1)  # its lines over the bars of the main axis
    vb.setMouseEnabled(x=False, y=False)
    vb.disableAutoRange()
    plot.scene().addItem(vb)
    plot.getAxis("right").linkToView(vb)
    vb.setXLink(plot.vb)

    def follow() -> None:
        vb.setGeometry(plot.vb.sceneBoundingRect())

    plot.vb.sigResized.connect(follow)
    follow()
    return vb


def dash_pen(colour: QColor, width: float) -> QPen:
    pen = pg.mkPen(colour, width=width)
    pen.setStyle(Qt.PenStyle.DashLine)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    return pen
