"""Great-circle arcs on the unit sphere and their projection, split where they cross the seam."""

from __future__ import annotations

import math

from kiosk.geo.projection import (
    DEFAULT_CENTRAL_MERIDIAN,
    project_relative,
    relative_longitude,
)

Vec = tuple[float, float, float]


def _vec(lon: float, lat: float) -> Vec:
    lam, phi = math.radians(lon), math.radians(lat)
    c = math.cos(phi)
    return c * math.cos(lam), c * math.sin(lam), math.sin(phi)


def _lonlat(v: Vec) -> tuple[float, float]:
    x, y, z = v
    return math.degrees(math.atan2(y, x)), math.degrees(math.atan2(z, math.hypot(x, y)))


def _normalise_lon(lon: float) -> float:
    if -180.0 < lon <= 180.0:
        return lon  # untouched: the modulo below would add rounding noise
    lon = (lon + 180.0) % 360.0 - 180.0
    return 180.0 if lon == -180.0 else lon


def central_angle(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Angle in radians between two points as seen from Earth's centre (× 6371 km = distance)."""
    a, b = _vec(lon1, lat1), _vec(lon2, lat2)
    cx = a[1] * b[2] - a[2] * b[1]
    cy = a[2] * b[0] - a[0] * b[2]
    cz = a[0] * b[1] - a[1] * b[0]
    # atan2 of |a×b| and a·b stays accurate for very short and nearly antipodal pairs.
    return math.atan2(math.sqrt(cx * cx + cy * cy + cz * cz), a[0] * b[0] + a[1] * b[1] + a[2] * b[2])


def great_circle_points(
    lon1: float, lat1: float, lon2: float, lat2: float, n: int = 64
) -> list[tuple[float, float]]:
    """``n`` points (lon, lat) along the shorter great-circle arc, both ends included.

    Points are equally spaced along the arc (spherical linear interpolation); longitudes are in
    (-180, 180].

    Raises:
        ValueError: if ``n`` < 2, or the points are antipodal (the arc is not unique).
    """
    if n < 2:
        raise ValueError("n must be at least 2")
    omega = central_angle(lon1, lat1, lon2, lat2)
    start, end = (_normalise_lon(lon1), lat1), (_normalise_lon(lon2), lat2)
    if omega < 1e-12:
        return [start] * n
    if math.pi - omega < 1e-9:
        raise ValueError(f"({lon1}, {lat1}) and ({lon2}, {lat2}) are antipodal: no unique arc")
    a, b = _vec(lon1, lat1), _vec(lon2, lat2)
    sin_omega = math.sin(omega)
    out = [start]
    for i in range(1, n - 1):
        t = i / (n - 1)
        ka = math.sin((1.0 - t) * omega) / sin_omega
        kb = math.sin(t * omega) / sin_omega
        out.append(_lonlat((ka * a[0] + kb * b[0], ka * a[1] + kb * b[1], ka * a[2] + kb * b[2])))
    out.append(end)  # the exact input, not a rounded slerp result
    return out


def _seam_latitude(p: tuple[float, float], q: tuple[float, float], seam_lon: float) -> float:
    """Latitude where the great-circle segment p→q crosses the meridian ``seam_lon``."""
    a, b = _vec(*p), _vec(*q)
    # Signed distances from the seam meridian's plane; the chord point with distance 0, pushed back
    # onto the sphere, is exactly on the great circle through p and q.
    nx, ny = -math.sin(math.radians(seam_lon)), math.cos(math.radians(seam_lon))
    da, db = a[0] * nx + a[1] * ny, b[0] * nx + b[1] * ny
    s = da / (da - db) if da != db else 0.5
    c = (a[0] + s * (b[0] - a[0]), a[1] + s * (b[1] - a[1]), a[2] + s * (b[2] - a[2]))
    return _lonlat(c)[1]


def projected_arc(
    lon1: float,
    lat1: float,
    lon2: float,
    lat2: float,
    central_meridian: float = DEFAULT_CENTRAL_MERIDIAN,
    n: int = 64,
) -> list[list[tuple[float, float]]]:
    """The great-circle arc in map units, as polylines split at the map's seam.

    The seam is the meridian opposite the central one (central_meridian - 180). An arc that crosses
    it comes back as two polylines, one ending on each map edge at the crossing latitude, so no
    segment jumps across the map. An arc that does not cross it is a single polyline of ``n`` points.
    """
    points = great_circle_points(lon1, lat1, lon2, lat2, n)
    seam_lon = central_meridian + 180.0
    polylines: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    prev_rel: float | None = None
    prev: tuple[float, float] | None = None
    for lon, lat in points:
        rel = relative_longitude(lon, central_meridian)
        # A relative-longitude jump of more than 180° between neighbours means the segment wraps
        # round the back of the map. At a pole longitude is meaningless, so no seam there.
        if (
            prev is not None
            and prev_rel is not None
            and abs(rel - prev_rel) > 180.0
            and abs(lat) < 89.999999
            and abs(prev[1]) < 89.999999
        ):
            seam_lat = _seam_latitude(prev, (lon, lat), seam_lon)
            edge = 180.0 if prev_rel > 0 else -180.0
            current.append(project_relative(edge, seam_lat))
            polylines.append(current)
            current = [project_relative(-edge, seam_lat)]
        current.append(project_relative(rel, lat))
        prev_rel, prev = rel, (lon, lat)
    polylines.append(current)
    # Drop degenerate pieces (an arc starting or ending exactly on the seam).
    return [pl for pl in polylines if len(pl) >= 2 and any(p != pl[0] for p in pl)]
