"""Equal Earth projection with a configurable central meridian, in normalised map units."""

from __future__ import annotations

import math

# Why Equal Earth (Šavrič, Patterson & Jenny 2018) and not Natural Earth I: both have the familiar,
# Robinson-like look the public expects, but Equal Earth is equal-area, so partner countries near the
# equator (Ghana) are not shrunk against high latitudes (Sweden, the UK), and it has a closed-form
# forward formula plus a cheap Newton inverse. Natural Earth I is neither equal-area nor cheaper.
#
# Units: coordinates are normalised so that the map is exactly 2 wide: x in [-1, 1] and
# y in [-Y_MAX, Y_MAX] (Y_MAX ≈ 0.4867), the same scale on both axes (shapes are not squashed).
# y points UP (north is positive), as on a chart's axes; QPainter/QGraphicsScene users negate y.
# x = 0 is the central meridian, y = 0 the equator.

A1 = 1.340264
A2 = -0.081106
A3 = 0.000893
A4 = 0.003796
_M = math.sqrt(3.0) / 2.0

DEFAULT_CENTRAL_MERIDIAN = 150.0
"""150°E keeps the seam (30°W) in the Atlantic: every arc from Changchun to the partner cities in
Europe, Africa, the Americas and Oceania stays on the map in one piece (checked in the tests)."""

# Raw (unit sphere) extent: x at the equator on the map edge, y at the pole (θ = π/3).
RAW_X_MAX = math.pi / (_M * A1)
_THETA_POLE = math.pi / 3.0
RAW_Y_MAX = _THETA_POLE * (A1 + A2 * _THETA_POLE**2 + _THETA_POLE**6 * (A3 + A4 * _THETA_POLE**2))

X_MAX = 1.0
Y_MAX = RAW_Y_MAX / RAW_X_MAX
_SCALE = 1.0 / RAW_X_MAX


def relative_longitude(lon: float, central_meridian: float = DEFAULT_CENTRAL_MERIDIAN) -> float:
    """Degrees east of the central meridian, wrapped into (-180, 180]."""
    d = (lon - central_meridian) % 360.0
    return d - 360.0 if d > 180.0 else d


def project_relative(rel_lon: float, lat: float) -> tuple[float, float]:
    """Project a longitude already taken relative to the central meridian (not wrapped).

    Use this for points exactly on the seam, where ``rel_lon`` = -180 (west edge) and +180 (east
    edge) are the same place on Earth but different places on the map.
    """
    lam = math.radians(rel_lon)
    phi = math.radians(max(-90.0, min(90.0, lat)))
    theta = math.asin(_M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    x = lam * math.cos(theta) / (_M * (A1 + 3.0 * A2 * t2 + t6 * (7.0 * A3 + 9.0 * A4 * t2)))
    return x * _SCALE, y * _SCALE


def project(
    lon: float, lat: float, central_meridian: float = DEFAULT_CENTRAL_MERIDIAN
) -> tuple[float, float]:
    """Project lon/lat degrees to map units: x in [-1, 1], y in [-Y_MAX, Y_MAX], north up."""
    return project_relative(relative_longitude(lon, central_meridian), lat)


def inverse(x: float, y: float, central_meridian: float = DEFAULT_CENTRAL_MERIDIAN) -> tuple[float, float]:
    """Map units back to (lon, lat) degrees, lon in (-180, 180].

    Raises:
        ValueError: if (x, y) lies outside the map outline.
    """
    eps = 1e-9
    if abs(y) > Y_MAX + eps:
        raise ValueError(f"point ({x}, {y}) is outside the map (|y| > {Y_MAX:.6f})")
    yr = max(-RAW_Y_MAX, min(RAW_Y_MAX, y / _SCALE))
    xr = x / _SCALE
    theta = yr / A1  # y(θ) is nearly linear, so this start converges in a few Newton steps
    for _ in range(30):
        t2 = theta * theta
        t6 = t2 * t2 * t2
        f = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2)) - yr
        df = A1 + 3.0 * A2 * t2 + t6 * (7.0 * A3 + 9.0 * A4 * t2)
        step = f / df
        theta -= step
        if abs(step) < 1e-14:
            break
    t2 = theta * theta
    t6 = t2 * t2 * t2
    df = A1 + 3.0 * A2 * t2 + t6 * (7.0 * A3 + 9.0 * A4 * t2)
    lam = _M * xr * df / math.cos(theta)
    if abs(lam) > math.pi + eps:
        raise ValueError(f"point ({x}, {y}) is outside the map (beyond the edge meridian)")
    lat = math.degrees(math.asin(max(-1.0, min(1.0, math.sin(theta) / _M))))
    lon = central_meridian + math.degrees(lam)
    lon = (lon + 180.0) % 360.0 - 180.0
    return (180.0 if lon == -180.0 else lon), lat


def world_bounds(
    central_meridian: float = DEFAULT_CENTRAL_MERIDIAN,
) -> tuple[float, float, float, float]:
    """Bounding box (xmin, ymin, xmax, ymax) of the whole map in map units.

    The extent does not depend on the central meridian (it only moves what is drawn where); the
    argument is accepted so callers can pass their map settings unchanged.
    """
    del central_meridian
    return -X_MAX, -Y_MAX, X_MAX, Y_MAX


def map_outline(
    central_meridian: float = DEFAULT_CENTRAL_MERIDIAN, step: float = 1.0
) -> list[tuple[float, float]]:
    """The map's boundary polygon (for drawing the ocean), in map units, not repeated at the end.

    Runs up the east edge meridian (south pole to north pole), along the flat north pole line and
    down the west edge; the south pole line closes it. ``step`` is the latitude spacing in degrees.
    """
    del central_meridian  # the outline is the same shape for every central meridian
    if step <= 0:
        raise ValueError("step must be positive")
    n = max(2, math.ceil(180.0 / step) + 1)
    lats = [-90.0 + 180.0 * i / (n - 1) for i in range(n)]
    east = [project_relative(180.0, lat) for lat in lats]
    west = [project_relative(-180.0, lat) for lat in reversed(lats)]
    return east + west
