"""The partner map's world view: basemap, partnership arcs, markers, routes, and touch handling.

Scene units are Equal Earth map units (kiosk.geo.projection) times ``SCENE_SCALE``, with y
negated (north up on screen). The view keeps its own zoom and centre and derives the Qt transform
from them, so the map always fits its area at zoom 1 and never pans off the map when zoomed.

Touch rules (the kiosk's visitors are not map experts):

* one finger taps (markers, clusters, empty map) and pans, but only when zoomed in;
* two fingers pinch-zoom and pan at the same time; one finger never changes the zoom;
* a double tap while zoomed in resets the view.
"""

from __future__ import annotations

import itertools
import math
import time
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import (
    QEasingCurve,
    QEvent,
    QPointF,
    QRectF,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPixmapCache,
    QPolygonF,
    QTouchEvent,
    QTransform,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QWidget,
)

from kiosk.geo import Y_MAX, map_outline, projected_arc
from kiosk.screens.base import FrameLimiter
from kiosk.screens.partner_map_layout import (
    Rect,
    SpreadRow,
    cluster_targets,
    place_labels,
    spread_rows,
)
from kiosk.ui import theme
from kiosk.ui.frame_clock import Tween

SCENE_SCALE = 1000.0
HOME_LON, HOME_LAT = 125.326, 43.897  # Changchun
MAX_ZOOM = 8.0
ARC_POINTS = 96
INTRO_MS = 1000
HOME_ID = "__home__"

ROUTE_COLOURS = {
    "rail": QColor("#4FC3F7"),
    "air": QColor("#F48FB1"),
    "sea": QColor("#81C784"),
    "sea_rail": QColor("#FF8A65"),
}
ROUTE_DASHES: dict[str, list[float]] = {
    "rail": [4.0, 2.0],
    "air": [0.6, 1.8],
    "sea": [7.0, 2.5],
    "sea_rail": [5.0, 1.6, 0.6, 1.6],
}
ARC_COLOUR = theme.ACCENT
ROUTE_MODES = ("rail", "air", "sea", "sea_rail")

_I = QGraphicsItem.GraphicsItemFlag
_CACHE = QGraphicsItem.CacheMode


def to_scene(x: float, y: float) -> QPointF:
    """Map units (north up) to scene coordinates (y down)."""
    return QPointF(x * SCENE_SCALE, -y * SCENE_SCALE)


def map_rect() -> QRectF:
    """The whole map (the Equal Earth outline's bounding box) in scene coordinates."""
    return QRectF(-SCENE_SCALE, -Y_MAX * SCENE_SCALE, 2 * SCENE_SCALE, 2 * Y_MAX * SCENE_SCALE)


def route_pen(mode: str, width: float) -> QPen:
    pen = QPen(ROUTE_COLOURS.get(mode, theme.ACCENT_2), width)
    pen.setCosmetic(True)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap if mode == "air" else Qt.PenCapStyle.FlatCap)
    pen.setDashPattern(ROUTE_DASHES.get(mode, [4.0, 2.0]))
    return pen


def _cosmetic(colour: QColor, width: float) -> QPen:
    pen = QPen(colour, width)
    pen.setCosmetic(True)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


# --- scene items --------------------------------------------------------------------------------


class BasemapItem(QGraphicsItem):
    """Ocean (the map outline) and land with its coastline, as two cached paths."""

    def __init__(self) -> None:
        super().__init__()
        self.setCacheMode(_CACHE.DeviceCoordinateCache)
        self._ocean = QPainterPath()
        self._land = QPainterPath()
        self._rect = QRectF()
        self._coast = _cosmetic(theme.COAST, 1.2)
        self._edge = _cosmetic(theme.COAST, 1.5)

    def set_paths(self, ocean: QPainterPath, land: QPainterPath) -> None:
        self.prepareGeometryChange()
        self._ocean, self._land = ocean, land
        self._rect = ocean.boundingRect().united(land.boundingRect()).adjusted(-5, -5, 5, 5)
        self.update()

    def set_line_width(self, width: float) -> None:
        if width == self._coast.widthF():
            return  # (an update would drop the item's cache: 50 ms of paths at every relayout)
        self._coast = _cosmetic(theme.COAST, width)
        self._edge = _cosmetic(theme.COAST, width * 1.5)
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.OCEAN)
        painter.drawPath(self._ocean)
        painter.setBrush(theme.LAND)
        painter.setPen(self._coast)
        painter.drawPath(self._land)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(self._edge)
        painter.drawPath(self._ocean)


_GOLDEN = (math.sqrt(5) - 1) / 2  # spreads the arcs' lags evenly, whatever their number
_DETAIL_PX = 0.2  # a whole arc is drawn through the points that move it by more than this


class ArcLayer(QGraphicsItem):
    """Every partnership arc in one item; draws each up to the intro animation's progress.

    The polylines are built once per content; a frame only picks how many points to draw.

    Without Qt's item cache (during and after the intro) the arcs of the unselected cities are
    kept in a viewport-sized layer: each intro frame strokes only the stretch the arcs grew by
    since the last frame, and repaints only the rectangle around it. Stroking every arc in full
    costs about 25 ms at 1080p on the 2-core kiosk, a whole frame's budget. The layer is drawn
    opaque and laid over the map with the pen's alpha, so the seams between stretches do not
    show. The view switches to Qt's device cache when the map is zoomed or panned.
    """

    def __init__(self) -> None:
        super().__init__()
        self._arcs: dict[str, list[QPolygonF]] = {}
        self._totals: dict[str, int] = {}
        # each arc's points as plain floats, and where its pieces start: an intro frame finds
        # the stretch it grew by without building polygons (Python time is frame time)
        self._xs: dict[str, list[float]] = {}
        self._ys: dict[str, list[float]] = {}
        self._starts: dict[str, list[int]] = {}
        self._segments: dict[str, tuple[array, ...]] = {}
        self._weights: dict[str, array] = {}  # see _weights_of
        self._order: list[str] = []
        self._lag: dict[str, float] = {}  # points each arc's stroke lags behind (set_arcs)
        self._visible: set[str] = set()
        self._selected: str | None = None
        self._progress = 1.0
        self._muted = False
        self._rect = QRectF()
        self._generation = 0  # arcs or pens changed: the layer is redrawn
        self._layer: QPixmap | None = None
        self._layer_key: tuple | None = None
        self._drawn: dict[str, int] = {}  # points of each arc already in the layer
        self._layer_progress = 0.0  # the progress the layer was drawn up to
        self._visible_key: frozenset[str] = frozenset()
        self._scale = 1.0  # scene -> viewport, at the last paint (for update margins)
        self._width: float | None = None
        self.set_width(3.0)

    def set_muted(self, muted: bool) -> None:
        """Fade every arc but the selected one (while the routes layer is shown)."""
        self._muted = muted
        self.update()

    def set_width(self, width: float) -> None:
        if width == self._width:
            return  # a new width strokes every arc again
        self._width = width
        self._pen = _cosmetic(theme.with_alpha(ARC_COLOUR, 225), width)
        self._dim_pen = _cosmetic(theme.with_alpha(ARC_COLOUR, 70), width * 0.8)
        self._sel_pen = _cosmetic(QColor("#FFD77A"), width * 1.5)
        self._glow_pen = _cosmetic(theme.with_alpha(ARC_COLOUR, 110), width * 2.6)
        self._generation += 1
        self.update()

    def set_arcs(self, arcs: Mapping[str, list[list[QPointF]]]) -> None:
        self.prepareGeometryChange()
        self._arcs = {cid: [QPolygonF(piece) for piece in pieces] for cid, pieces in arcs.items()}
        self._totals = {cid: sum(p.size() for p in pieces) for cid, pieces in self._arcs.items()}
        self._xs, self._ys, self._starts = {}, {}, {}
        for cid, pieces in arcs.items():
            self._xs[cid] = [pt.x() for piece in pieces for pt in piece]
            self._ys[cid] = [pt.y() for piece in pieces for pt in piece]
            starts, offset = [], 0
            for piece in pieces:
                starts.append(offset)
                offset += len(piece)
            self._starts[cid] = starts
        # the bounds of each segment (points k-1 and k) as four arrays per arc, +-inf where a new
        # piece starts: a frame's step finds the area an arc grew by with a few min/max calls
        self._segments = {}
        for cid in arcs:
            xs, ys, starts = self._xs[cid], self._ys[cid], set(self._starts[cid])
            gap = (math.inf, math.inf, -math.inf, -math.inf)
            bounds = [gap] + [
                gap if k in starts else (min(xs[k - 1], xs[k]), min(ys[k - 1], ys[k]),
                                         max(xs[k - 1], xs[k]), max(ys[k - 1], ys[k]))
                for k in range(1, len(xs))
            ]
            self._segments[cid] = tuple(array("d", column) for column in zip(*bounds, strict=True))
        self._order = list(self._arcs)
        # each arc strokes its points a fraction of a point behind where the intro has reached
        # (spread over [0, 1) by the golden ratio), and its tip draws the rest: every arc has
        # the same number of points, so without it all of them stroked a new point in the same
        # frames, and the frames alternated between about 3 and 4 ms of paint (and came late)
        self._lag = {cid: (n * _GOLDEN) % 1.0 for n, cid in enumerate(self._order)}
        rect = QRectF()
        for pieces in self._arcs.values():
            for p in pieces:
                rect = rect.united(p.boundingRect())
        self._rect = rect.adjusted(-20, -20, 20, 20)
        self._weights = {}
        self._generation += 1
        self.update()

    def polylines(self, city_id: str) -> list[QPolygonF]:
        return list(self._arcs.get(city_id, []))

    def set_state(self, visible: Iterable[str], selected: str | None) -> None:
        visible = set(visible)
        if (visible, selected) == (self._visible, self._selected):
            return
        self._visible = visible
        self._visible_key = frozenset(visible)
        self._selected = selected
        self.update()

    def set_progress(self, progress: float) -> None:
        grown = progress >= self._progress
        before, self._progress = self._progress, progress
        if not grown or self.cacheMode() != _CACHE.NoCache:
            self.update()
            return
        # only the stretches the arcs grew by need painting: one small rectangle per arc, given
        # to the scene (an item's own updates are merged into one rectangle, most of the map).
        # This runs in every frame of the intro, for every arc: plain floats, few calls.
        scene = self.scene()
        margin = (self._width * 2.6 + 4) / max(self._scale, 1e-9)
        in_scene = scene is not None and self.sceneTransform().isIdentity()
        for city_id in self._visible:
            total = self._totals.get(city_id, 0)
            if not total:
                continue
            # from the last stroked point up to the next point the tip reaches (see _tip)
            reached = total if progress >= 1.0 else int(progress * total)
            bounds = self._grown_bounds(city_id, self._count(city_id, before),
                                        min(reached + 1, total))
            if bounds is None:
                continue
            x0, y0, x1, y1 = bounds
            area = QRectF(x0 - margin, y0 - margin, x1 - x0 + 2 * margin, y1 - y0 + 2 * margin)
            if in_scene:
                scene.update(area)
            elif scene is not None:
                scene.update(self.mapRectToScene(area))
            else:
                self.update(area)

    def _grown_bounds(self, city_id: str, a: int, b: int) -> tuple[float, ...] | None:
        """The bounding box (x0, y0, x1, y1) of what ``_span(a, b)`` draws: points a-1 .. b-1 of
        an arc, in each piece that has two of them (segments max(a, 1) .. b-1); None if nothing."""
        lo = max(a, 1)
        if b <= lo:
            return None
        x0s, y0s, x1s, y1s = self._segments[city_id]
        x0, x1 = min(x0s[lo:b]), max(x1s[lo:b])
        if x0 > x1:  # only the gaps between pieces
            return None
        return x0, min(y0s[lo:b]), x1, max(y1s[lo:b])

    @property
    def progress(self) -> float:
        return self._progress

    def boundingRect(self) -> QRectF:
        return self._rect

    def _count(self, city_id: str, progress: float) -> int:
        """How many of an arc's points its stroke goes through at this progress: up to one
        point fewer than the progress reaches (its lag, see set_arcs); the tip draws the rest."""
        total = self._totals.get(city_id, 0)
        if progress >= 1.0:
            return total
        return max(0, int(progress * total - self._lag.get(city_id, 0.0)))

    @staticmethod
    def _span(pieces: list[QPolygonF], a: int, b: int) -> list[QPolygonF]:
        """The polylines through points a-1 .. b-1 of an arc (one point back, so they join)."""
        out = []
        offset = 0
        for piece in pieces:
            n = piece.size()
            lo, hi = max(a - 1, offset), min(b, offset + n)
            if hi - lo >= 2 and b - offset >= 2:
                out.append(piece if hi - lo == n else QPolygonF(piece.mid(lo - offset, hi - lo)))
            offset += n
            if offset >= b:
                break
        return out

    def _add_tip(self, path: QPainterPath, city_id: str) -> None:
        """Add to ``path`` the arc's tip: from its last stroked point to where the progress has
        reached (the point it lags by, then part of the way to the next point), so the arc grows
        a little in every frame rather than in whole point steps. None across the map's edge."""
        total = self._totals[city_id]
        if self._progress >= 1.0 or self._progress <= 0.0:
            return
        exact = self._progress * total
        i = int(exact)
        if i < 2 or i >= total:
            return
        xs, ys, starts = self._xs[city_id], self._ys[city_id], self._starts[city_id]
        # back from point i-1 to the last stroked one; a piece that starts at k ends the line
        first = i - 1
        for k in range(i - 1, max(self._count(city_id, self._progress), 1) - 1, -1):
            if k in starts:
                break
            first = k - 1
        ahead = i not in starts  # (the next point starts a new piece, across the map's edge)
        if first == i - 1 and not ahead:
            return
        path.moveTo(xs[first], ys[first])
        for k in range(first + 1, i):
            path.lineTo(xs[k], ys[k])
        if ahead:
            f = exact - i
            ax, ay = xs[i - 1], ys[i - 1]
            path.lineTo(ax + (xs[i] - ax) * f, ay + (ys[i] - ay) * f)

    def _path(self, painter: QPainter, city_id: str) -> QPainterPath:
        """The arc up to the progress, with its tip, through the points that move it by more
        than a fifth of a device pixel. A stroke costs about 5 us a point, wherever it is
        clipped: the selected city's arc (two strokes in every intro frame) has as many points
        as the longest arc, about 1 px apart on a short one (0.45 ms a stroke, 0.14 with 24)."""
        path = QPainterPath()
        upto = self._count(city_id, self._progress)
        if upto >= 2:
            weights = self._weights_of(city_id)
            detail = _DETAIL_PX / max(abs(painter.deviceTransform().m11()), 1e-9)
            xs, ys, starts = self._xs[city_id], self._ys[city_id], self._starts[city_id]
            last = upto - 1
            for k in range(upto):
                if k in starts:
                    path.moveTo(xs[k], ys[k])
                elif weights[k] > detail or k == last:
                    path.lineTo(xs[k], ys[k])
        self._add_tip(path, city_id)
        return path

    def _weights_of(self, city_id: str) -> array:
        """How far each point of the arc lies from the line drawn without it (Douglas-Peucker,
        each point's distance capped by the one of the point that split its stretch before):
        keeping the points above a distance draws the arc within that distance. Ends: inf."""
        weights = self._weights.get(city_id)
        if weights is not None:
            return weights
        xs, ys, starts = self._xs[city_id], self._ys[city_id], self._starts[city_id]
        weights = array("d", [0.0]) * len(xs)
        ends = [*starts[1:], len(xs)]
        stack = []
        for a, b in zip(starts, ends, strict=True):
            weights[a] = weights[b - 1] = math.inf
            stack.append((a, b - 1, math.inf))
        while stack:
            a, b, cap = stack.pop()
            if b - a < 2:
                continue
            ax, ay, dx, dy = xs[a], ys[a], xs[b] - xs[a], ys[b] - ys[a]
            length = math.hypot(dx, dy)
            far, far_at = -1.0, a + 1
            for k in range(a + 1, b):
                if length > 0:
                    d = abs(dy * (xs[k] - ax) - dx * (ys[k] - ay)) / length
                else:
                    d = math.hypot(xs[k] - ax, ys[k] - ay)
                if d > far:
                    far, far_at = d, k
            weight = min(far, cap)
            weights[far_at] = weight
            stack.append((a, far_at, weight))
            stack.append((far_at, b, weight))
        self._weights[city_id] = weights
        return weights

    def _draw(self, painter: QPainter, city_id: str) -> None:
        painter.drawPath(self._path(painter, city_id))

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        if self._progress <= 0.0:
            return
        painter.setBrush(Qt.BrushStyle.NoBrush)
        selected = self._selected if self._selected in self._visible else None
        pen = self._dim_pen if selected or self._muted else self._pen
        views = self.scene().views() if self.scene() is not None else []
        if self.cacheMode() == _CACHE.NoCache and views:
            self._paint_layer(painter, views[0], pen, selected)
        else:
            painter.setPen(pen)
            for city_id in self._order:
                if city_id in self._visible and city_id != selected:
                    self._draw(painter, city_id)
        if selected is not None:
            path = self._path(painter, selected)
            painter.setPen(self._glow_pen)
            painter.drawPath(path)
            painter.setPen(self._sel_pen)
            painter.drawPath(path)

    def _paint_layer(self, painter: QPainter, view: QGraphicsView, pen: QPen,
                     selected: str | None) -> None:
        to_view = view.viewportTransform()
        self._scale = to_view.m11()
        viewport = view.viewport()
        ratio = viewport.devicePixelRatioF()
        size = viewport.size()
        key = (to_view, size, ratio, self._visible_key, selected, self._muted, self._generation)
        # (an arc drawn further than the progress now, as when the intro starts again)
        if self._layer is None or key != self._layer_key or self._progress < self._layer_progress:
            if self._layer is None or self._layer.size() != size * ratio:
                self._layer = QPixmap(size * ratio)
                self._layer.setDevicePixelRatio(ratio)
            self._layer.fill(Qt.GlobalColor.transparent)
            self._layer_key = key
            self._drawn = {}
        self._layer_progress = self._progress
        opaque = QPen(pen)
        colour = QColor(pen.color())
        alpha = colour.alphaF()
        colour.setAlpha(255)
        opaque.setColor(colour)
        # every arc's new stretch in one path, stroked once: a stroke's setup costs more than
        # a frame's few points (27 strokes took about 1 ms a frame, 27 tips as much again)
        grown = QPainterPath()
        for city_id in self._order:
            if city_id not in self._visible or city_id == selected:
                continue
            done = self._drawn.get(city_id, 0)
            upto = self._count(city_id, self._progress)
            if upto > done:
                for piece in self._span(self._arcs[city_id], done, upto):
                    grown.addPolygon(piece)
                self._drawn[city_id] = upto
        if not grown.isEmpty():
            layer = QPainter(self._layer)
            layer.setRenderHint(QPainter.RenderHint.Antialiasing)
            layer.setTransform(to_view)
            layer.setPen(opaque)
            layer.drawPath(grown)
            layer.end()
        painter.save()
        inverse, _ = to_view.inverted()
        painter.setWorldTransform(inverse * painter.worldTransform())
        painter.setOpacity(painter.opacity() * alpha)
        painter.drawPixmap(QPointF(0, 0), self._layer)
        painter.restore()
        if self._progress < 1.0:
            tips = QPainterPath()
            for city_id in self._order:
                if city_id in self._visible and city_id != selected:
                    self._add_tip(tips, city_id)
            painter.setPen(pen)
            painter.drawPath(tips)

    def drop_layer(self) -> None:
        """Forget the layer (Qt's item cache takes over)."""
        self._layer = None
        self._layer_key = None
        self._drawn = {}


class RouteLayer(QGraphicsItem):
    """Transport routes: dashed polylines coloured by mode, with small waypoint dots."""

    def __init__(self) -> None:
        super().__init__()
        self.setCacheMode(_CACHE.DeviceCoordinateCache)
        self._routes: list[tuple[str, QPainterPath]] = []
        self._points: list[tuple[str, QPointF]] = []
        self._pens: dict[str, QPen] = {}
        self._under = _cosmetic(theme.with_alpha(theme.BACKGROUND, 150), 5.0)
        self._dot = 4.0
        self._width: float | None = None
        self._rect = QRectF()

    def set_routes(self, routes: Sequence[tuple[str, list[list[QPointF]], list[QPointF]]]) -> None:
        self.prepareGeometryChange()
        self._routes = []
        self._points = []
        rect = QRectF()
        for mode, pieces, waypoints in routes:
            path = QPainterPath()
            for piece in pieces:
                path.addPolygon(QPolygonF(piece))
            self._routes.append((mode, path))
            self._points.extend((mode, p) for p in waypoints)
            rect = rect.united(path.boundingRect())
        self._rect = rect.adjusted(-30, -30, 30, 30)
        self.update()

    def set_width(self, width: float) -> None:
        if width == self._width:
            return
        self._width = width
        self._pens = {mode: route_pen(mode, width) for mode in ROUTE_MODES}
        self._under = _cosmetic(theme.with_alpha(theme.BACKGROUND, 140), width * 2.2)
        self._dot = width * 1.3
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(self._under)
        for _, path in self._routes:
            painter.drawPath(path)
        for mode, path in self._routes:
            painter.setPen(self._pens.get(mode) or route_pen(mode, 3.0))
            painter.drawPath(path)
        # Waypoint dots stay the same size on screen however far the map is zoomed.
        scale = painter.worldTransform().m11() or 1.0
        r = self._dot / scale
        painter.setPen(Qt.PenStyle.NoPen)
        for mode, p in self._points:
            painter.setBrush(ROUTE_COLOURS.get(mode, theme.ACCENT_2))
            painter.drawEllipse(p, r, r)


class _DeviceItem(QGraphicsItem):
    """An item drawn in screen pixels at a scene position (it ignores the view's zoom)."""

    def __init__(self) -> None:
        super().__init__()
        self.setFlag(_I.ItemIgnoresTransformations, True)
        self.setCacheMode(_CACHE.DeviceCoordinateCache)
        self._rect = QRectF()

    def boundingRect(self) -> QRectF:
        return self._rect


class CityMarker(_DeviceItem):
    """A partner city's dot: white with a gold ring; larger when selected, faint when dimmed."""

    def __init__(self, city_id: str) -> None:
        super().__init__()
        self.city_id = city_id
        self.radius = 9.0
        self.selected = False
        self.dimmed = False
        self._update_rect()

    def _update_rect(self) -> None:
        r = self.radius * 1.6 + 4
        self.prepareGeometryChange()
        self._rect = QRectF(-r, -r, 2 * r, 2 * r)

    def set_look(self, radius: float, selected: bool, dimmed: bool) -> None:
        if (radius, selected, dimmed) == (self.radius, self.selected, self.dimmed):
            return
        self.radius, self.selected, self.dimmed = radius, selected, dimmed
        self._update_rect()
        self.update()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        r = self.radius * (1.35 if self.selected else 1.0)
        painter.setOpacity(0.45 if self.dimmed else 1.0)
        if self.selected:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(theme.with_alpha(theme.ACCENT, 90))
            painter.drawEllipse(QPointF(0, 0), r * 1.6, r * 1.6)
        painter.setPen(QPen(theme.ACCENT, max(2.0, r * 0.28)))
        painter.setBrush(theme.TEXT)
        painter.drawEllipse(QPointF(0, 0), r, r)


class HomeMarker(_DeviceItem):
    """Changchun: a gold star with a white rim."""

    def __init__(self) -> None:
        super().__init__()
        self.radius = 14.0
        self._star = QPolygonF()
        self.set_radius(14.0)

    def set_radius(self, radius: float) -> None:
        self.prepareGeometryChange()
        self.radius = radius
        pts = []
        for k in range(10):
            r = radius if k % 2 == 0 else radius * 0.45
            a = -math.pi / 2 + k * math.pi / 5
            pts.append(QPointF(r * math.cos(a), r * math.sin(a)))
        self._star = QPolygonF(pts)
        self._rect = QRectF(-radius - 4, -radius - 4, 2 * radius + 8, 2 * radius + 8)
        self.update()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        painter.setPen(QPen(theme.TEXT, max(2.0, self.radius * 0.16)))
        painter.setBrush(theme.ACCENT)
        painter.drawPolygon(self._star)


class ClusterMarker(_DeviceItem):
    """Several cities too close to tap apart: a badge with their number; tap it to spread them."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self.radius = 22.0
        self.highlighted = False
        self.dimmed = False
        self.font = QFont()

    def set_look(self, count: int, radius: float, font: QFont, highlighted: bool, dimmed: bool) -> None:
        self.prepareGeometryChange()
        self.count, self.radius, self.font = count, radius, font
        self.highlighted, self.dimmed = highlighted, dimmed
        r = radius + 6
        self._rect = QRectF(-r, -r, 2 * r, 2 * r)
        self.update()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        r = self.radius
        painter.setOpacity(0.55 if self.dimmed else 1.0)
        painter.setPen(QPen(QColor("#FFD77A") if self.highlighted else theme.ACCENT,
                            max(2.0, r * (0.2 if self.highlighted else 0.13))))
        painter.setBrush(theme.SURFACE)
        painter.drawEllipse(QPointF(0, 0), r, r)
        painter.setPen(theme.TEXT)
        painter.setFont(self.font)
        painter.drawText(QRectF(-r, -r, 2 * r, 2 * r), Qt.AlignmentFlag.AlignCenter, str(self.count))


class LabelItem(_DeviceItem):
    """A city name on a dark rounded backdrop, readable over land, sea and arcs."""

    def __init__(self) -> None:
        super().__init__()
        self.text = ""
        self.font = QFont()
        self.dimmed = False
        self.bold = False
        self._pad = 6.0

    def set_label(self, text: str, font: QFont, rect: QRectF, pad: float, dimmed: bool) -> None:
        self.prepareGeometryChange()
        self.text, self.font, self._rect, self._pad, self.dimmed = text, font, rect, pad, dimmed
        self.update()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.with_alpha(theme.BACKGROUND, 185))
        painter.drawRoundedRect(self._rect, self._pad, self._pad)
        painter.setPen(theme.TEXT_DIM if self.dimmed else theme.TEXT)
        painter.setFont(self.font)
        painter.drawText(self._rect, Qt.AlignmentFlag.AlignCenter, self.text)


class SelectionRing(_DeviceItem):
    """Marks the selected city's true place, also when its marker is part of a cluster."""

    def __init__(self) -> None:
        super().__init__()
        self.radius = 16.0
        self.set_radius(16.0)

    def set_radius(self, radius: float) -> None:
        self.prepareGeometryChange()
        self.radius = radius
        self._rect = QRectF(-radius - 4, -radius - 4, 2 * radius + 8, 2 * radius + 8)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        painter.setPen(QPen(QColor("#FFD77A"), max(2.5, self.radius * 0.18)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QPointF(0, 0), self.radius, self.radius)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#FFD77A"))
        painter.drawEllipse(QPointF(0, 0), self.radius * 0.4, self.radius * 0.4)


@dataclass
class Spread:
    """An opened cluster: its cities as large rows beside it (all in viewport pixels)."""

    members: tuple[str, ...]
    anchor: tuple[float, float]
    rows: list[tuple[str, SpreadRow]]
    block: Rect
    true_points: dict[str, tuple[float, float]] = field(default_factory=dict)


class SpreadItem(QGraphicsItem):
    """Draws an opened cluster in viewport pixels: backdrop, leader lines, targets and names."""

    def __init__(self) -> None:
        super().__init__()
        self.setFlag(_I.ItemIgnoresTransformations, True)
        self.spread: Spread | None = None
        self.names: dict[str, str] = {}
        self.font = QFont()
        self.selected: str | None = None
        self.target = 64.0
        self._rect = QRectF()

    def set_spread(self, spread: Spread | None, names: Mapping[str, str], font: QFont,
                   selected: str | None, target: float) -> None:
        self.prepareGeometryChange()
        self.spread, self.names, self.font, self.selected, self.target = (
            spread, dict(names), font, selected, target)
        if spread is None:
            self._rect = QRectF()
        else:
            b = spread.block
            rect = QRectF(b.x, b.y, b.w, b.h)
            for x, y in spread.true_points.values():
                rect = rect.united(QRectF(x - 12, y - 12, 24, 24))
            rect = rect.united(QRectF(spread.anchor[0] - 40, spread.anchor[1] - 40, 80, 80))
            self._rect = rect.adjusted(-4, -4, 4, 4)
        self.setVisible(spread is not None)
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        s = self.spread
        if s is None:
            return
        t = self.target
        b = s.block
        painter.setPen(QPen(theme.ACCENT, 2.0))
        painter.setBrush(theme.with_alpha(theme.SURFACE, 235))
        painter.drawRoundedRect(QRectF(b.x, b.y, b.w, b.h), t * 0.2, t * 0.2)
        lead = _cosmetic(theme.with_alpha(theme.TEXT, 200), 1.5)
        for city_id, row in s.rows:
            tx, ty = s.true_points[city_id]
            painter.setPen(lead)
            painter.drawLine(QPointF(*row.centre), QPointF(tx, ty))
        painter.setPen(QPen(theme.ACCENT, 2.0))
        painter.setBrush(theme.TEXT)
        for tx, ty in s.true_points.values():
            painter.drawEllipse(QPointF(tx, ty), 5.0, 5.0)
        painter.setFont(self.font)
        for city_id, row in s.rows:
            cx, cy = row.centre
            sel = city_id == self.selected
            painter.setPen(QPen(QColor("#FFD77A") if sel else theme.ACCENT, 3.0 if sel else 2.0))
            painter.setBrush(theme.SURFACE_PRESSED if sel else theme.BACKGROUND)
            painter.drawEllipse(QPointF(cx, cy), t * 0.42, t * 0.42)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(theme.TEXT)
            painter.drawEllipse(QPointF(cx, cy), t * 0.13, t * 0.13)
            painter.setPen(QColor("#FFD77A") if sel else theme.TEXT)
            r = row.rect
            painter.drawText(
                QRectF(r.x + t + t * 0.1, r.y, r.w - t - t * 0.1, r.h),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                self.names.get(city_id, city_id),
            )


# --- the view -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CityPoint:
    """What the view needs of a city: where it is."""

    id: str
    lon: float
    lat: float


@dataclass
class Target:
    """Something a finger can hit: one city or a cluster of them (viewport pixels)."""

    members: tuple[str, ...]
    centre: tuple[float, float]

    @property
    def is_cluster(self) -> bool:
        return len(self.members) > 1


@dataclass
class _Gesture:
    start: QPointF
    last: QPointF
    mode: str = "tap"  # tap | pan | pinch
    fingers: int = 1
    pinch_ids: tuple[int, int] = (-1, -1)
    pinch_dist: float = 1.0
    pinch_zoom: float = 1.0
    pinch_anchor: QPointF = field(default_factory=QPointF)


class MapView(QGraphicsView):
    """The world map with Changchun, arcs to the partners, their markers and the routes.

    Signals:
        city_tapped(str): a visitor tapped a city (a single marker or a row of an opened cluster).
        background_tapped(): a tap that hit no city (the screen closes the card).
        zoom_changed(float): the zoom after a pinch, a double tap or a reset.
    """

    city_tapped = Signal(str)
    background_tapped = Signal()
    zoom_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # a map never mirrors
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing, True)
        self.setInteractive(False)
        self.setBackgroundBrush(QBrush(theme.BACKGROUND))
        # Items cache their pictures in QPixmapCache (10 MB by default). The basemap alone is
        # ~7 MB at 1080p and ~30 MB at 4K; a cache miss redraws 16,000 coast points per frame.
        needed_kb = 96 * 1024
        if QPixmapCache.cacheLimit() < needed_kb:
            QPixmapCache.setCacheLimit(needed_kb)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        scene = QGraphicsScene(self)
        scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        m = map_rect()
        scene.setSceneRect(m.adjusted(-4 * m.width(), -4 * m.height(), 4 * m.width(), 4 * m.height()))
        self.setScene(scene)

        self.basemap = BasemapItem()
        self.routes = RouteLayer()
        self.arcs = ArcLayer()
        self.home = HomeMarker()
        self.selection = SelectionRing()
        self.spread_item = SpreadItem()
        for z, item in ((0, self.basemap), (1, self.arcs), (2, self.routes)):
            item.setZValue(z)
            scene.addItem(item)
        self.home.setZValue(6)
        self.selection.setZValue(8)
        self.spread_item.setZValue(20)
        self.home.setPos(self._project(HOME_LON, HOME_LAT))
        for item in (self.home, self.selection, self.spread_item):
            scene.addItem(item)
        self.routes.setVisible(False)
        self.selection.setVisible(False)
        self.spread_item.setVisible(False)

        self.markers: dict[str, CityMarker] = {}
        self.labels: dict[str, LabelItem] = {}
        self._clusters: list[ClusterMarker] = []
        self._points: dict[str, QPointF] = {}
        self._order: list[str] = []
        self._visible: set[str] = set()
        self._selected: str | None = None
        self._names: dict[str, str] = {}
        self._home_name = ""
        self._label_font = QFont()
        self._home_font = QFont()
        self._badge_font = QFont()
        self._row_font = QFont()
        self._targets: list[Target] = []
        self._spread: Spread | None = None

        self._touch = 64.0
        self._dot = 9.0
        self._margin = 16.0
        self._zoom = 1.0
        self._centre = map_rect().center()
        self._area: QRectF | None = None  # where the whole map fits at zoom 1 (viewport px)
        self._free: QRectF | None = None  # the part of the viewport not under the screen's panels
        self._gesture: _Gesture | None = None
        self._mouse: _Gesture | None = None
        self._last_tap = (-1.0, QPointF())

        self._intro = Tween(self, INTRO_MS, QEasingCurve.Type.OutCubic)
        self.intro_frames = FrameLimiter(self._intro_step)  # its screen limits it in a slideshow
        self._intro.valueChanged.connect(self.intro_frames)
        self._intro.finished.connect(self._intro_done)

    # --- content ---------------------------------------------------------------------------

    @staticmethod
    def _project(lon: float, lat: float) -> QPointF:
        from kiosk.geo import project

        return to_scene(*project(lon, lat))

    def set_basemap(self, rings: Sequence[Sequence[tuple[float, float]]]) -> None:
        """Land rings in map units (kiosk.geo.project_rings), drawn as one even-odd path."""
        land = QPainterPath()
        land.setFillRule(Qt.FillRule.OddEvenFill)
        for ring in rings:
            land.addPolygon(QPolygonF([to_scene(x, y) for x, y in ring]))
            land.closeSubpath()
        ocean = QPainterPath()
        ocean.addPolygon(QPolygonF([to_scene(x, y) for x, y in map_outline(step=2.0)]))
        ocean.closeSubpath()
        self.basemap.set_paths(ocean, land)

    def set_cities(self, cities: Sequence[CityPoint]) -> None:
        """Markers and great-circle arcs from Changchun for these cities (replaces the old ones)."""
        scene = self.scene()
        for marker in self.markers.values():
            scene.removeItem(marker)
        for label in self.labels.values():
            scene.removeItem(label)
        self.markers, self.labels, self._points = {}, {}, {}
        arcs: dict[str, list[list[QPointF]]] = {}
        for city in cities:
            point = self._project(city.lon, city.lat)
            self._points[city.id] = point
            pieces = projected_arc(HOME_LON, HOME_LAT, city.lon, city.lat, n=ARC_POINTS)
            arcs[city.id] = [[to_scene(x, y) for x, y in piece] for piece in pieces]
            marker = CityMarker(city.id)
            marker.setPos(point)
            marker.setZValue(5)
            scene.addItem(marker)
            self.markers[city.id] = marker
            label = LabelItem()
            label.setPos(point)
            label.setZValue(7)
            label.setVisible(False)
            scene.addItem(label)
            self.labels[city.id] = label
        home_label = self.labels.get(HOME_ID) or LabelItem()
        if HOME_ID not in self.labels:
            home_label.setZValue(7)
            scene.addItem(home_label)
        home_label.setPos(self.home.pos())
        self.labels[HOME_ID] = home_label
        self._order = [c.id for c in cities]
        self._visible = set(self._order)
        if self._selected not in self._points:
            self._selected = None
        self.arcs.set_arcs(arcs)
        self._spread = None
        self._refresh()

    def set_routes(self, routes: Sequence[tuple[str, Sequence[tuple[float, float]]]]) -> None:
        """Routes as (mode, [(lon, lat), ...]); each leg is drawn along its great circle."""
        out = []
        for mode, waypoints in routes:
            pieces: list[list[QPointF]] = []
            for (lon1, lat1), (lon2, lat2) in itertools.pairwise(waypoints):
                if (lon1, lat1) == (lon2, lat2):
                    continue
                n = 8 + int(math.dist((lon1, lat1), (lon2, lat2)) / 2)
                for piece in projected_arc(lon1, lat1, lon2, lat2, n=min(n, ARC_POINTS)):
                    pieces.append([to_scene(x, y) for x, y in piece])
            dots = [self._project(lon, lat) for lon, lat in waypoints[1:]]
            out.append((mode, pieces, dots))
        self.routes.set_routes(out)

    def set_texts(self, names: Mapping[str, str], home_name: str, label_font: QFont,
                  home_font: QFont, badge_font: QFont, row_font: QFont) -> None:
        """City names and fonts for the map's labels (language change)."""
        self._names = dict(names)
        self._home_name = home_name
        self._label_font, self._home_font = label_font, home_font
        self._badge_font, self._row_font = badge_font, row_font
        if self._spread is not None:
            self._open_spread(self._spread.members)
        self._refresh()

    def set_metrics(self, touch: float, dot: float, margin: float, line: float) -> None:
        """Sizes in screen pixels: touch target, marker dot, margins and the arc width."""
        self._touch, self._dot, self._margin = float(touch), float(dot), float(margin)
        self.arcs.set_width(line)
        self.routes.set_width(line * 0.9)
        # Exactly 1 px: Qt's fast cosmetic stroker handles only widths up to 1; a 1.2 px coastline
        # (16,000 points) took 120 ms a frame instead of 2 ms.
        self.basemap.set_line_width(1.0)
        self.home.set_radius(dot * 1.9)
        self.selection.set_radius(dot * 2.0)
        self._refresh()

    # --- what is shown ---------------------------------------------------------------------

    def set_visible_cities(self, ids: Iterable[str]) -> None:
        visible = {i for i in ids if i in self._points}
        if visible != self._visible:
            self._visible = visible
            self.collapse()
            self._refresh()

    def visible_cities(self) -> set[str]:
        return set(self._visible)

    def set_selected(self, city_id: str | None) -> None:
        self._selected = city_id if city_id in self._points else None
        self._refresh()

    def set_routes_visible(self, on: bool) -> None:
        """Show the routes above the arcs, which fade back so the dashed routes stand out."""
        self.routes.setVisible(on)
        self.arcs.set_muted(on)

    def routes_visible(self) -> bool:
        return self.routes.isVisible()

    def set_map_area(self, area: QRectF | None, free: QRectF | None = None) -> None:
        """Where the map fits at zoom 1, and the part of the viewport not covered by panels."""
        area = QRectF(area) if area is not None else None
        free = QRectF(free) if free is not None else None
        if area != self._area:
            self._area, self._free = area, free
            self.collapse()
            self._apply_view()
        elif free != self._free:
            self._free = free
            if self._spread is not None:
                self._open_spread(self._spread.members)  # keep it open, clear of the panels
            self._refresh()

    # --- intro animation -------------------------------------------------------------------

    def start_intro(self) -> None:
        """Grow the arcs out of Changchun (about a second); input keeps working meanwhile."""
        self._intro.stop()
        self.arcs.setCacheMode(_CACHE.NoCache)
        self.arcs.set_progress(0.0)
        self._intro.start()

    def stop_intro(self) -> None:
        self._intro.stop()
        self._intro_done()

    def intro_running(self) -> bool:
        return self._intro.state() == Tween.State.Running

    def _intro_step(self, value: object) -> None:
        self.arcs.set_progress(float(value))  # type: ignore[arg-type]

    def _intro_done(self) -> None:
        # the arc layer stays as the cache: switching to Qt's cache here would stroke every
        # arc again in the next frame
        self.arcs.set_progress(1.0)

    def release_arc_layer(self) -> None:
        """The map is off screen: give back the viewport-sized arc layer (several MB); the next
        entry's intro paints a new one."""
        self.stop_intro()
        self._cache_arcs()

    def _cache_arcs(self) -> None:
        """Hand the arcs from the layer to Qt's device cache once the intro is over. Called when
        the view moved (zoom, pan, resize): the device cache shifts arcs without redrawing them,
        which a viewport-sized layer cannot; and when the map is left."""
        if not self.intro_running() and self.arcs.cacheMode() != _CACHE.DeviceCoordinateCache:
            self.arcs.drop_layer()
            self.arcs.setCacheMode(_CACHE.DeviceCoordinateCache)

    # --- geometry --------------------------------------------------------------------------

    def zoom(self) -> float:
        return self._zoom

    def centre(self) -> QPointF:
        """The scene point at the centre of the map area."""
        return QPointF(self._centre)

    def map_area(self) -> QRectF:
        vp = QRectF(self.viewport().rect())
        return QRectF(self._area) if self._area is not None and not self._area.isEmpty() else vp

    def free_rect(self) -> QRectF:
        vp = QRectF(self.viewport().rect())
        return QRectF(self._free) if self._free is not None and not self._free.isEmpty() else vp

    def fit_scale(self) -> float:
        area = self.map_area()
        m = map_rect()
        if area.width() <= 0 or area.height() <= 0:
            return 1e-3
        return min(area.width() / m.width(), area.height() / m.height()) * 0.98

    def scale_factor(self) -> float:
        return self.fit_scale() * self._zoom

    def to_viewport(self, scene_point: QPointF) -> QPointF:
        return self.viewportTransform().map(scene_point)

    def city_viewport_pos(self, city_id: str) -> QPointF:
        """Where a city's true position is drawn now (viewport pixels)."""
        return self.to_viewport(self._points[city_id])

    def _from_viewport(self, pos: QPointF) -> QPointF:
        """The scene point drawn at a viewport position (Qt's own mapping, for placing items)."""
        inverse, _ = self.viewportTransform().inverted()
        return inverse.map(pos)

    def _scene_at(self, pos: QPointF, scale: float | None = None) -> QPointF:
        """The scene point under a viewport position (from the view's own zoom and centre)."""
        s = scale or self.scale_factor()
        a = self.map_area().center()
        return QPointF(self._centre.x() + (pos.x() - a.x()) / s, self._centre.y() + (pos.y() - a.y()) / s)

    def _clamp_centre(self) -> None:
        s = self.scale_factor()
        area = self.map_area()
        m = map_rect()
        half_w, half_h = area.width() / (2 * s), area.height() / (2 * s)
        x, y = self._centre.x(), self._centre.y()
        x = min(max(x, m.left() + half_w), m.right() - half_w) if m.width() > 2 * half_w else m.center().x()
        y = min(max(y, m.top() + half_h), m.bottom() - half_h) if m.height() > 2 * half_h else m.center().y()
        self._centre = QPointF(x, y)

    def _apply_view(self) -> None:
        before = self.viewportTransform()
        self._clamp_centre()
        s = self.scale_factor()
        self.setTransform(QTransform.fromScale(s, s))
        a = self.map_area().center()
        v = QRectF(self.viewport().rect()).center()
        self.centerOn(QPointF(self._centre.x() + (v.x() - a.x()) / s, self._centre.y() + (v.y() - a.y()) / s))
        if self.viewportTransform() != before:
            self._cache_arcs()
        self._refresh()

    def set_zoom(self, zoom: float, focus: QPointF | None = None) -> None:
        """Zoom to ``zoom`` (1 = whole map) keeping the map point under ``focus`` in place."""
        zoom = min(max(zoom, 1.0), MAX_ZOOM)
        self.collapse()
        focus = focus if focus is not None else self.map_area().center()
        anchor = self._scene_at(focus)
        self._zoom = zoom
        self._place(anchor, focus)
        self._apply_view()

    def _place(self, anchor: QPointF, pos: QPointF) -> None:
        """Set the centre so that scene point ``anchor`` lies under viewport point ``pos``."""
        s = self.scale_factor()
        a = self.map_area().center()
        self._centre = QPointF(anchor.x() - (pos.x() - a.x()) / s, anchor.y() - (pos.y() - a.y()) / s)

    def pan_by(self, dx: float, dy: float) -> None:
        """Move the map with a finger (viewport pixels); does nothing at zoom 1."""
        s = self.scale_factor()
        self.collapse()
        self._centre = QPointF(self._centre.x() - dx / s, self._centre.y() - dy / s)
        self._apply_view()

    def reset_view(self) -> None:
        changed = self._zoom != 1.0
        self._zoom = 1.0
        self._centre = map_rect().center()
        self.collapse()
        self._apply_view()
        if changed:
            self.zoom_changed.emit(self._zoom)

    def center_on_city(self, city_id: str) -> None:
        """When zoomed in, bring a city into view (deep links, list selection)."""
        point = self._points.get(city_id)
        if point is None or self._zoom <= 1.0:
            return
        free = self.free_rect()
        pos = self.to_viewport(point)
        if free.adjusted(self._touch, self._touch, -self._touch, -self._touch).contains(pos):
            return
        self._place(point, free.center())
        self._apply_view()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.collapse()
        self._apply_view()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._apply_view()

    # --- markers, clusters, labels ---------------------------------------------------------

    def _refresh(self) -> None:
        """Place markers, clusters and labels for the current zoom, filter and selection."""
        if not self._points:
            self.arcs.set_state((), None)
            return
        selected = self._selected if self._selected in self._visible else None
        self.arcs.set_state(self._visible, selected)
        ids = [i for i in self._order if i in self._visible]
        pts = [self.to_viewport(self._points[i]) for i in ids]
        xy = [(p.x(), p.y()) for p in pts]
        home = self.to_viewport(self.home.pos())
        keep_out = ((home.x(), home.y()), self._touch * 0.45 + self.home.radius)
        self._targets = []
        singles: set[str] = set()
        for g, centre in cluster_targets(xy, self._touch, keep_out):
            members = tuple(ids[i] for i in g)
            self._targets.append(Target(members, centre))
            if len(members) == 1:
                singles.add(members[0])
        for city_id, marker in self.markers.items():
            marker.setVisible(city_id in singles)
            marker.set_look(self._dot, city_id == selected, selected is not None and city_id != selected)
        clusters = [t for t in self._targets if t.is_cluster]
        while len(self._clusters) < len(clusters):
            c = ClusterMarker()
            c.setZValue(6)
            self.scene().addItem(c)
            self._clusters.append(c)
        for item, target in zip(self._clusters, clusters, strict=False):
            item.setPos(self._from_viewport(QPointF(*target.centre)))
            item.set_look(len(target.members), self._touch * 0.36, self._badge_font,
                          selected in target.members, selected is not None and selected not in target.members)
            item.setVisible(True)
        for item in self._clusters[len(clusters):]:
            item.setVisible(False)
        if selected is not None:
            self.selection.setPos(self._points[selected])
            self.selection.setVisible(selected not in singles)
        else:
            self.selection.setVisible(False)
        self._place_labels(selected, singles)
        spread = self._spread
        self.spread_item.setPos(self._from_viewport(QPointF(0, 0)))
        self.spread_item.set_spread(spread, self._names, self._row_font, selected, self._touch)

    def _place_labels(self, selected: str | None, singles: set[str]) -> None:
        fm = QFontMetricsF(self._label_font)
        fm_home = QFontMetricsF(self._home_font)
        pad = max(4.0, self._dot * 0.6)
        home_pos = self.to_viewport(self.home.pos())
        order: list[str] = [HOME_ID]
        if selected is not None:
            order.append(selected)
        order += [i for i in self._order if i in singles and i != selected]
        obstacles = [Rect(t.centre[0] - self._dot * 1.6, t.centre[1] - self._dot * 1.6,
                          self._dot * 3.2, self._dot * 3.2)
                     for t in self._targets if not t.is_cluster]
        obstacles += [Rect(t.centre[0] - self._touch * 0.4, t.centre[1] - self._touch * 0.4,
                           self._touch * 0.8, self._touch * 0.8)
                      for t in self._targets if t.is_cluster]
        r_home = self.home.radius
        obstacles.append(Rect(home_pos.x() - r_home, home_pos.y() - r_home, 2 * r_home, 2 * r_home))
        if selected is not None and selected not in singles:
            ring = self.to_viewport(self._points[selected])
            r = self.selection.radius + 2
            obstacles.append(Rect(ring.x() - r, ring.y() - r, 2 * r, 2 * r))
        anchors, sizes, gaps = [], [], []
        for city_id in order:
            if city_id == HOME_ID:
                text, metrics, p = self._home_name, fm_home, home_pos
                gap = r_home + 3
            else:
                text, metrics, p = self._names.get(city_id, city_id), fm, self.to_viewport(
                    self._points[city_id])
                gap = self._dot * 1.6 + 3
                target = self.target_of(city_id)
                if target is not None and target.is_cluster:
                    # the selected city inside a cluster: its name goes beside the cluster badge
                    p, gap = QPointF(*target.centre), self._touch * 0.4 + 3
            anchors.append((p.x(), p.y()))
            sizes.append((metrics.horizontalAdvance(text) + 2 * pad, metrics.height() + pad))
            gaps.append(gap)
        free = self.free_rect()
        bounds = Rect(free.x() + 4, free.y() + 4, free.width() - 8, free.height() - 8)
        # Each label starts just outside its own marker, which is one of the obstacles.
        rects = place_labels(anchors, sizes, gaps, obstacles, bounds)
        # no name for a place hidden under a panel (its label alone would point at nothing)
        rects = [r if bounds.contains(a) else None for r, a in zip(rects, anchors, strict=True)]
        shown = set()
        for city_id, rect in zip(order, rects, strict=True):
            label = self.labels.get(city_id)
            if label is None:
                continue
            if rect is None or (city_id == HOME_ID and not self._home_name):
                label.setVisible(False)
                continue
            shown.add(city_id)
            font = self._home_font if city_id == HOME_ID else self._label_font
            text = self._home_name if city_id == HOME_ID else self._names.get(city_id, city_id)
            dimmed = selected is not None and city_id not in (selected, HOME_ID)
            origin = self.to_viewport(label.pos())  # the label item sits on its city
            label.set_label(text, font, QRectF(rect.x - origin.x(), rect.y - origin.y(), rect.w, rect.h),
                            pad, dimmed)
            label.setVisible(True)
        for city_id, label in self.labels.items():
            if city_id not in shown:
                label.setVisible(False)

    def targets(self) -> list[Target]:
        """What a finger can hit right now (singles and clusters), in viewport pixels."""
        return list(self._targets)

    def target_of(self, city_id: str) -> Target | None:
        return next((t for t in self._targets if city_id in t.members), None)

    def tap_point(self, city_id: str) -> QPointF | None:
        """Where to tap to reach a city now: its spread row, its marker or its cluster."""
        if self._spread is not None:
            for member, row in self._spread.rows:
                if member == city_id:
                    return QPointF(*row.centre)
        target = self.target_of(city_id)
        return QPointF(*target.centre) if target is not None else None

    def label_rects(self) -> dict[str, QRectF]:
        """The visible labels' rectangles in viewport pixels (for layout tests)."""
        out = {}
        for city_id, label in self.labels.items():
            if label.isVisible():
                p = self.to_viewport(label.pos())
                out[city_id] = label.boundingRect().translated(p)
        return out

    # --- opened clusters -------------------------------------------------------------------

    def spread_members(self) -> tuple[str, ...]:
        return self._spread.members if self._spread is not None else ()

    def spread_rows(self) -> list[tuple[str, SpreadRow]]:
        """The rows of the opened cluster (city id, row in viewport pixels), or []."""
        return list(self._spread.rows) if self._spread is not None else []

    def highlighted_city(self) -> str | None:
        """The city whose arc is highlighted (the selected one, if it passes the filters)."""
        return self._selected if self._selected in self._visible else None

    def city_scene_pos(self, city_id: str) -> QPointF:
        return QPointF(self._points[city_id])

    def scene_at(self, pos: QPointF) -> QPointF:
        """The map point under a viewport position."""
        return self._scene_at(pos)

    def expand(self, members: Sequence[str]) -> None:
        """Spread a cluster's cities out as large rows (what a tap on a cluster does)."""
        self._open_spread(tuple(members))
        self._refresh()

    def _open_spread(self, members: tuple[str, ...]) -> None:
        target = next((t for t in self._targets if set(t.members) == set(members)), None)
        pts = {m: self.to_viewport(self._points[m]) for m in members if m in self._points}
        if not pts:
            self._spread = None
            return
        anchor = target.centre if target else (
            sum(p.x() for p in pts.values()) / len(pts), sum(p.y() for p in pts.values()) / len(pts))
        fm = QFontMetricsF(self._row_font)
        label_w = max(fm.horizontalAdvance(self._names.get(m, m)) for m in pts) + self._touch * 0.4
        free = self.free_rect()
        bounds = Rect(free.x() + self._margin, free.y() + self._margin,
                      free.width() - 2 * self._margin, free.height() - 2 * self._margin)
        order = list(pts)
        rows, block = spread_rows(anchor, [(pts[m].x(), pts[m].y()) for m in order], self._touch,
                                  label_w, bounds, self._margin * 0.6)
        self._spread = Spread(
            members=tuple(order),
            anchor=anchor,
            rows=[(order[r.index], r) for r in rows],
            block=block,
            true_points={m: (p.x(), p.y()) for m, p in pts.items()},
        )

    def collapse(self) -> None:
        if self._spread is not None:
            self._spread = None
            self._refresh()

    # --- taps ------------------------------------------------------------------------------

    def tap(self, pos: QPointF) -> None:
        """A one-finger tap (or click) at a viewport position."""
        x, y = pos.x(), pos.y()
        if self._spread is not None:
            for city_id, row in self._spread.rows:
                if row.rect.contains((x, y)) or math.dist(row.centre, (x, y)) <= self._touch / 2:
                    self.city_tapped.emit(city_id)
                    return
            if math.dist(self._spread.anchor, (x, y)) <= self._touch / 2:
                self.collapse()
                return
            if self._spread.block.contains((x, y)):
                return
            self.collapse()
        best: Target | None = None
        best_d = self._touch / 2
        for target in self._targets:
            d = math.dist(target.centre, (x, y))
            if d <= best_d:
                best, best_d = target, d
        if best is None:
            self.background_tapped.emit()
        elif best.is_cluster:
            self.expand(best.members)
        else:
            self.city_tapped.emit(best.members[0])

    def _tap_or_double(self, pos: QPointF) -> None:
        now = time.monotonic()
        last_t, last_pos = self._last_tap
        interval = QApplication.doubleClickInterval() / 1000.0
        near = math.dist((pos.x(), pos.y()), (last_pos.x(), last_pos.y())) <= self._touch
        if self._zoom > 1.0001 and now - last_t <= interval and near:
            self._last_tap = (-1.0, QPointF())
            self.reset_view()
            return
        self._last_tap = (now, QPointF(pos))
        self.tap(pos)

    # --- touch -----------------------------------------------------------------------------

    def _slop(self) -> float:
        return max(8.0, self._touch * 0.3)

    def viewportEvent(self, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd,
                    QEvent.Type.TouchCancel):
            assert isinstance(event, QTouchEvent)
            self._touch_event(event)
            event.accept()
            return True
        return super().viewportEvent(event)

    def _touch_event(self, event: QTouchEvent) -> None:
        kind = event.type()
        if kind == QEvent.Type.TouchCancel:
            self._gesture = None
            return
        points = event.points()
        if not points:
            return
        if kind == QEvent.Type.TouchBegin or self._gesture is None:
            p = points[0].position()
            self._gesture = _Gesture(start=QPointF(p), last=QPointF(p), fingers=len(points))
        g = self._gesture
        active = [p for p in points if p.state() != p.State.Released]
        g.fingers = max(g.fingers, len(points))
        if len(active) >= 2:
            self._pinch(g, active)
        elif len(active) == 1 and g.mode in ("tap", "pan") and g.fingers == 1:
            pos = active[0].position()
            if g.mode == "tap" and math.dist((pos.x(), pos.y()), (g.start.x(), g.start.y())) > self._slop():
                g.mode = "pan"
                self.collapse()
            if g.mode == "pan":
                if self._zoom > 1.0:
                    self.pan_by(pos.x() - g.last.x(), pos.y() - g.last.y())
                g.last = QPointF(pos)
        if kind == QEvent.Type.TouchEnd:
            if g.mode == "tap" and g.fingers == 1:
                self._tap_or_double(points[0].position())
            elif g.mode == "pinch":
                self.zoom_changed.emit(self._zoom)
            self._gesture = None

    def _pinch(self, g: _Gesture, active: list) -> None:
        by_id = {p.id(): p for p in active}
        a, b = by_id.get(g.pinch_ids[0]), by_id.get(g.pinch_ids[1])
        if g.mode != "pinch" or a is None or b is None:
            a, b = active[0], active[1]
            pa, pb = a.position(), b.position()
            g.mode = "pinch"
            g.pinch_ids = (a.id(), b.id())
            g.pinch_dist = max(1.0, math.dist((pa.x(), pa.y()), (pb.x(), pb.y())))
            g.pinch_zoom = self._zoom
            g.pinch_anchor = self._scene_at(QPointF((pa.x() + pb.x()) / 2, (pa.y() + pb.y()) / 2))
            self.collapse()
            return
        pa, pb = a.position(), b.position()
        dist = max(1.0, math.dist((pa.x(), pa.y()), (pb.x(), pb.y())))
        centre = QPointF((pa.x() + pb.x()) / 2, (pa.y() + pb.y()) / 2)
        self._zoom = min(max(g.pinch_zoom * dist / g.pinch_dist, 1.0), MAX_ZOOM)
        self._place(g.pinch_anchor, centre)
        self._apply_view()

    # --- mouse (staff with a mouse, development) -------------------------------------------

    @staticmethod
    def _real(event: QMouseEvent) -> bool:
        return event.source() == Qt.MouseEventSource.MouseEventNotSynthesized

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._real(event) and event.button() == Qt.MouseButton.LeftButton:
            p = event.position()
            self._mouse = _Gesture(start=QPointF(p), last=QPointF(p))
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        g = self._mouse
        if g is None or not self._real(event):
            return
        p = event.position()
        if g.mode == "tap" and math.dist((p.x(), p.y()), (g.start.x(), g.start.y())) > self._slop():
            g.mode = "pan"
            self.collapse()
        if g.mode == "pan":
            if self._zoom > 1.0:
                self.pan_by(p.x() - g.last.x(), p.y() - g.last.y())
            g.last = QPointF(p)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        g, self._mouse = self._mouse, None
        if g is not None and g.mode == "tap" and self._real(event):
            self._tap_or_double(event.position())

    def wheelEvent(self, event) -> None:
        event.accept()  # no wheel zoom: a kiosk has no wheel, and scrolling must not move the map
