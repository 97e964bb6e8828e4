"""Qt-free geometry for the partner map's markers: touch-safe clusters, label placement and the
spread-out rows a tapped cluster opens into. All coordinates are viewport pixels (y down)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

Point = tuple[float, float]


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def intersects(self, other: Rect) -> bool:
        return (
            self.x < other.right and other.x < self.right and self.y < other.bottom and other.y < self.bottom
        )

    def contains_rect(self, other: Rect) -> bool:
        return (
            other.x >= self.x - 1e-6
            and other.y >= self.y - 1e-6
            and other.right <= self.right + 1e-6
            and other.bottom <= self.bottom + 1e-6
        )

    def contains(self, p: Point) -> bool:
        return self.x <= p[0] <= self.right and self.y <= p[1] <= self.bottom


def _mean(points: Sequence[Point], members: Sequence[int]) -> Point:
    return (
        sum(points[i][0] for i in members) / len(members),
        sum(points[i][1] for i in members) / len(members),
    )


def cluster_points(points: Sequence[Point], min_distance: float) -> list[list[int]]:
    """Group points so that every group's touch target is at least ``min_distance`` from the others.

    Any two points closer than ``min_distance`` share a group (single linkage), and groups whose
    mean positions end up closer than ``min_distance`` are merged until none are, so round targets
    of diameter ``min_distance`` centred on the group means never overlap.

    Returns:
        groups of indices, each sorted, ordered by their first index.
    """
    n = len(points)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for i in range(n):
        for j in range(i + 1, n):
            if math.dist(points[i], points[j]) < min_distance:
                union(i, j)
    while True:
        groups: dict[int, list[int]] = {}
        for i in range(n):
            groups.setdefault(find(i), []).append(i)
        roots = list(groups)
        centres = {r: _mean(points, groups[r]) for r in roots}
        merged = False
        for a in range(len(roots)):
            for b in range(a + 1, len(roots)):
                if math.dist(centres[roots[a]], centres[roots[b]]) < min_distance:
                    union(roots[a], roots[b])
                    merged = True
        if not merged:
            return sorted((sorted(g) for g in groups.values()), key=lambda g: g[0])


def group_centre(points: Sequence[Point], members: Sequence[int]) -> Point:
    """Where a group's marker (and touch target) sits: the mean of its members."""
    return _mean(points, members)


def _push_out(p: Point, centre: Point, radius: float) -> Point:
    dx, dy = p[0] - centre[0], p[1] - centre[1]
    d = math.hypot(dx, dy)
    if d >= radius:
        return p
    if d < 1e-6:
        dx, dy, d = 1.0, 1.0, math.sqrt(2.0)
    return centre[0] + dx / d * radius, centre[1] + dy / d * radius


def cluster_targets(
    points: Sequence[Point],
    min_distance: float,
    keep_out: tuple[Point, float] | None = None,
) -> list[tuple[list[int], Point]]:
    """Touch targets for points: clusters as in :func:`cluster_points`, each with its position.

    A cluster sits at its members' mean, but a cluster (never a single city, which stays on its
    true place) is pushed out of the ``keep_out`` circle (Changchun's marker) so it does not hide
    it. Pushed targets that come closer than ``min_distance`` to another are merged with it, so
    targets of diameter ``min_distance`` never overlap.

    Returns:
        (member indices, target position) per target.
    """
    groups = cluster_points(points, min_distance)
    while True:
        placed = []
        for g in groups:
            pos = _mean(points, g)
            if keep_out is not None and len(g) > 1:
                pos = _push_out(pos, *keep_out)
            placed.append((g, pos))
        merged = None
        for a in range(len(placed)):
            for b in range(a + 1, len(placed)):
                if math.dist(placed[a][1], placed[b][1]) < min_distance:
                    merged = (a, b)
                    break
            if merged:
                break
        if merged is None:
            return placed
        a, b = merged
        groups = [g for k, g in enumerate(groups) if k not in (a, b)] + [sorted(groups[a] + groups[b])]
        groups.sort(key=lambda g: g[0])


def place_labels(
    anchors: Sequence[Point],
    sizes: Sequence[tuple[float, float]],
    gap: float | Sequence[float],
    obstacles: Sequence[Rect],
    bounds: Rect,
) -> list[Rect | None]:
    """Put each label beside its anchor without overlapping earlier labels or any obstacle.

    Tries right, left, above and below the anchor (``gap`` pixels away; one gap for all or one
    per anchor), in that order, and gives up (None) when no position fits inside ``bounds``.
    Earlier anchors win, so pass the most important labels first.
    """
    placed: list[Rect] = []
    out: list[Rect | None] = []
    gaps = [float(gap)] * len(anchors) if isinstance(gap, int | float) else list(gap)
    for (ax, ay), (w, h), gap in zip(anchors, sizes, gaps, strict=True):
        candidates = (
            Rect(ax + gap, ay - h / 2, w, h),
            Rect(ax - gap - w, ay - h / 2, w, h),
            Rect(ax - w / 2, ay - gap - h, w, h),
            Rect(ax - w / 2, ay + gap, w, h),
        )
        chosen = None
        for rect in candidates:
            if not bounds.contains_rect(rect):
                continue
            if any(rect.intersects(o) for o in obstacles) or any(rect.intersects(p) for p in placed):
                continue
            chosen = rect
            break
        if chosen is not None:
            placed.append(chosen)
        out.append(chosen)
    return out


@dataclass(frozen=True)
class SpreadRow:
    """One city of an opened cluster: a round target of the touch size with its name beside it.

    Attributes:
        index: which of the members passed to ``spread_rows`` this row is for.
        centre: centre of the round target.
        rect: the whole row (target and label): the area a tap selects the city in.
    """

    index: int
    centre: Point
    rect: Rect


def spread_rows(
    anchor: Point,
    members: Sequence[Point],
    target: float,
    label_width: float,
    bounds: Rect,
    margin: float,
) -> tuple[list[SpreadRow], Rect]:
    """Lay the cities of a tapped cluster out as a column (or columns) of large rows beside it.

    Rows are ``target`` pixels tall and never overlap; they are ordered north to south (then west
    to east) so the leader lines to the true positions cross as little as possible. The block
    goes to the right of the cluster when it fits, else to the left, and is kept inside
    ``bounds`` (shifted, never clipped, as long as the bounds are large enough).

    Returns:
        the rows, and the block's rectangle (including ``margin`` padding) for a backdrop.
    """
    n = len(members)
    pitch = target * 1.08
    row_w = target + label_width
    avail_h = max(pitch, bounds.h - 2 * margin)
    per_col = max(1, min(n, int((avail_h + pitch - target) // pitch)))
    cols = math.ceil(n / per_col)
    per_col = math.ceil(n / cols)
    col_gap = margin
    block_w = cols * row_w + (cols - 1) * col_gap + 2 * margin
    block_h = (per_col - 1) * pitch + target + 2 * margin
    offset = target * 0.9
    x = anchor[0] + offset
    if x + block_w > bounds.right:
        x = anchor[0] - offset - block_w
    x = min(max(x, bounds.x), bounds.right - block_w)
    y = anchor[1] - block_h / 2
    y = min(max(y, bounds.y), bounds.bottom - block_h)
    order = sorted(range(n), key=lambda i: (members[i][1], members[i][0]))
    rows: list[SpreadRow] = []
    for k, i in enumerate(order):
        col, row = divmod(k, per_col)
        rx = x + margin + col * (row_w + col_gap)
        ry = y + margin + row * pitch
        rows.append(SpreadRow(i, (rx + target / 2, ry + target / 2), Rect(rx, ry, row_w, target)))
    return rows, Rect(x, y, block_w, block_h)
