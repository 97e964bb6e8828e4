"""Load the land basemap (lon/lat rings) and re-centre, cut and project it for a central meridian."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from kiosk.geo.projection import DEFAULT_CENTRAL_MERIDIAN, project_relative
from kiosk.paths import default_basemap

Ring = list[tuple[float, float]]

FORMAT = "changchun-showcase/land"
FORMAT_VERSION = 1

# The shipped Natural Earth land map; content can replace it with ``settings.map_basemap``.
DEFAULT_BASEMAP_PATH = default_basemap()

_POLE = 89.99  # |lat| at or beyond this counts as "on the pole" (longitude meaningless there)
_EPS = 1e-9


class BasemapError(ValueError):
    """The basemap file is missing, unreadable or not a basemap.

    Attributes:
        path: the file that was being loaded.
        reason: what is wrong with it, in words for the log and the staff overlay.
    """

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = os.fspath(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


# --------------------------------------------------------------------------------------------------
# Ring normalisation (shared with tools/build_basemap.py)


def normalise_ring(points: Iterable[Sequence[float]]) -> Ring | None:
    """Make a lon/lat ring safe to draw flat: unwrapped, not repeated at the end, pole-closed.

    * Longitudes are unwrapped so neighbours never differ by more than 180° (a ring crossing the
      antimeridian gets longitudes beyond ±180 instead of a jump that would streak across the map).
      Steps between two points on a pole are left alone: longitude is meaningless there.
    * A ring that goes once round a pole (Antarctica) is closed along that pole (the one nearer the
      ring's mean latitude), so it becomes an ordinary flat polygon spanning 360° of longitude.
    * The ring is moved by whole turns so the middle of its longitude range lies in (-180, 180].

    Returns None for a ring with fewer than 3 distinct points.
    """
    pts = [(float(p[0]), float(p[1])) for p in points]
    if all(abs(lat) >= _POLE for _, lat in pts):
        return None  # a ring along a pole line encloses nothing
    out: Ring = []
    offset = 0.0
    for lon, lat in pts:
        if out:
            plon, plat = out[-1]
            plon -= offset
            if not (abs(plat) >= _POLE and abs(lat) >= _POLE):
                if lon - plon > 180.0:
                    offset -= 360.0
                elif plon - lon > 180.0:
                    offset += 360.0
        q = (lon + offset, lat)
        if not out or q != out[-1]:
            out.append(q)
    # The closing repeat is dropped only now: round a pole it differs from the start by 360°, and
    # it carries the last stretch of coast.
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    if len(out) < 3:
        return None
    (lon0, lat0), (lon1, lat1) = out[0], out[-1]
    if abs(lon1 - lon0) > 180.0 and not (abs(lat0) >= _POLE and abs(lat1) >= _POLE):
        # After unwrapping, the way back to the start is a full turn round a pole.
        pole = -90.0 if sum(lat for _, lat in out) < 0 else 90.0
        out += [(lon1, pole), (lon0, pole)]
    if len(set(out)) < 3:
        return None
    # Unwrapping can leave a whole ring a turn away (Eurasia at -377°..-170°); shift it back so
    # the middle of its longitude range lies in (-180, 180].
    lo = min(lon for lon, _ in out)
    hi = max(lon for lon, _ in out)
    shift = -360.0 * math.ceil(((lo + hi) / 2.0 - 180.0) / 360.0)
    if shift:
        out = [(lon + shift, lat) for lon, lat in out]
    return out


# --------------------------------------------------------------------------------------------------
# Loading


def _rings_from_geojson(obj: Any) -> list[Any]:
    kind = obj.get("type") if isinstance(obj, dict) else None
    if kind == "FeatureCollection":
        return [r for f in obj.get("features") or [] for r in _rings_from_geojson(f)]
    if kind == "Feature":
        return _rings_from_geojson(obj.get("geometry")) if obj.get("geometry") else []
    if kind == "GeometryCollection":
        return [r for g in obj.get("geometries") or [] for r in _rings_from_geojson(g)]
    if kind == "Polygon":
        return list(obj["coordinates"])
    if kind == "MultiPolygon":
        return [r for poly in obj["coordinates"] for r in poly]
    return []  # points and lines (labels, borders) are not land


def load_basemap(path: str | os.PathLike[str]) -> list[Ring]:
    """Read land rings (lon/lat degrees) from a basemap file.

    Accepts the kiosk's own format (``assets/map/land.json``, written by tools/build_basemap.py:
    ``{"format": "changchun-showcase/land", "version": 1, "rings": [[[lon, lat], ...], ...]}``)
    and GeoJSON (Polygon / MultiPolygon geometries, alone or in Features, FeatureCollections and
    GeometryCollections; other geometry types are ignored). Holes are kept as rings of their own:
    draw all rings as one path with the even-odd fill rule. Every ring comes back normalised
    (see :func:`normalise_ring`).

    Raises:
        BasemapError: (a ValueError) if the file is missing, unreadable, not JSON, in neither
            format, holds a bad coordinate, or has no land at all. The message names the path.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BasemapError(path, "basemap file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BasemapError(path, f"cannot read basemap file ({exc})") from exc
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BasemapError(path, f"not valid JSON: line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
    if isinstance(doc, dict) and doc.get("format") == FORMAT:
        if doc.get("version") != FORMAT_VERSION:
            raise BasemapError(path, f"unsupported {FORMAT} version {doc.get('version')!r}")
        raw = doc.get("rings")
        if not isinstance(raw, list):
            raise BasemapError(path, "'rings' must be a list of rings")
    elif isinstance(doc, dict) and doc.get("type") in {
        "FeatureCollection",
        "Feature",
        "GeometryCollection",
        "Polygon",
        "MultiPolygon",
    }:
        try:
            raw = _rings_from_geojson(doc)
        except (KeyError, TypeError, AttributeError) as exc:
            raise BasemapError(path, f"malformed GeoJSON ({exc!r})") from exc
    else:
        raise BasemapError(path, f"neither a {FORMAT} file nor GeoJSON polygons")

    rings: list[Ring] = []
    for i, ring in enumerate(raw):
        if not isinstance(ring, list):
            raise BasemapError(path, f"ring {i}: expected a list of [lon, lat] points")
        for j, p in enumerate(ring):
            ok = (
                isinstance(p, list)
                and len(p) >= 2
                and all(isinstance(c, int | float) and not isinstance(c, bool) for c in p[:2])
                and math.isfinite(p[0])
                and math.isfinite(p[1])
                and -90.0 <= p[1] <= 90.0
            )
            if not ok:
                raise BasemapError(path, f"ring {i}, point {j}: expected [lon, lat], got {p!r}")
        norm = normalise_ring(ring)
        if norm is not None:
            rings.append(norm)
    if not rings:
        raise BasemapError(path, "no land polygons in the file")
    return rings


# --------------------------------------------------------------------------------------------------
# Re-centring, cutting at the seam, projecting


def _clip(ring: Ring, x0: float, x1: float) -> Ring:
    """Sutherland-Hodgman clip of a flat polygon to the strip x0 <= x <= x1."""

    def cut(pts: Ring, edge: float, keep_above: bool) -> Ring:
        out: Ring = []
        n = len(pts)
        for i in range(n):
            (ax, ay), (bx, by) = pts[i - 1], pts[i]
            a_in = ax >= edge if keep_above else ax <= edge
            b_in = bx >= edge if keep_above else bx <= edge
            if b_in:
                if not a_in:
                    out.append((edge, ay + (by - ay) * (edge - ax) / (bx - ax)))
                out.append((bx, by))
            elif a_in:
                out.append((edge, ay + (by - ay) * (edge - ax) / (bx - ax)))
        return out

    clipped = cut(ring, x0, True)
    return cut(clipped, x1, False) if clipped else clipped


def _recut_polar(ring: Ring) -> Ring:
    """Re-open a pole-encircling ring at the seam (x = ±180) instead of wherever the data cut it.

    Otherwise its old closing edge (a meridian from the coast to the pole) would be drawn as a
    line across Antarctica. The result runs along the coast from one map edge to the other and is
    closed along the pole, so every added edge lies on the map outline.
    """
    n = len(ring)
    polar = [abs(lat) >= _POLE for _, lat in ring]
    if all(polar):
        return ring
    pole = -90.0 if sum(lat for _, lat in ring) < 0 else 90.0
    start = next((i for i in range(n) if polar[i - 1] and not polar[i]), 0)
    coast = [ring[(start + k) % n] for k in range(n) if not polar[(start + k) % n]]
    turn = coast[-1][0] - coast[0][0]  # ≈ ±360: the same coastal point one turn later
    if abs(turn) < 180.0:
        return ring
    d = 1.0 if turn > 0 else -1.0
    doubled = coast + [(x + 360.0 * d, y) for x, y in coast[1:]]
    # First seam meridian (x ≡ 180 mod 360) the coast reaches going in direction d.
    x_seam = 180.0 + 360.0 * (
        math.ceil((coast[0][0] - 180.0) / 360.0) if d > 0 else math.floor((coast[0][0] - 180.0) / 360.0)
    )
    period = len(coast) - 1
    for i in range(period):
        (ax, ay), (bx, by) = doubled[i], doubled[i + 1]
        if (ax - x_seam) * d <= 0 < (bx - x_seam) * d:
            lat = ay if ax == bx else ay + (by - ay) * (x_seam - ax) / (bx - ax)
            piece = [(x_seam, lat), *doubled[i + 1 : i + 1 + period], (x_seam + 360.0 * d, lat)]
            shift = -(x_seam + 180.0 * d)
            piece = [(x + shift, y) for x, y in piece]
            return [*piece, (180.0 * d, pole), (-180.0 * d, pole)]
    return ring


def _is_seam_spike(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> bool:
    """b is a dead end on a map edge: a, b, c on the same edge line and the path turns back at b."""
    x = b[0]
    if abs(abs(x) - 180.0) > _EPS or abs(a[0] - x) > _EPS or abs(c[0] - x) > _EPS:
        return False
    return (b[1] - a[1]) * (c[1] - b[1]) <= 0.0


def _drop_seam_spikes(ring: Ring) -> Ring:
    """Remove the zero-area spikes Sutherland-Hodgman leaves along the clip line.

    When a ring lies mostly outside the strip, its clip keeps the parts of it that run along the
    edge (say, from the coast down to the pole and back). They enclose nothing but would be
    stroked, and would make a sliver of coast look as if it reached the pole.
    """
    for _ in range(2):  # the second pass, on the rotated ring, catches spikes at the wrap-around
        out: Ring = []
        for p in ring:
            out.append(p)
            while len(out) >= 3 and _is_seam_spike(out[-3], out[-2], out[-1]):
                del out[-2]
        half = len(out) // 2
        ring = out[half:] + out[:half]
    return ring


def _densify_seam(ring: Ring, step: float) -> Ring:
    """Add points along edges that lie on the map edge, so they follow its curve when projected."""
    out: Ring = []
    n = len(ring)
    for i in range(n):
        (ax, ay), (bx, by) = ring[i], ring[(i + 1) % n]
        out.append((ax, ay))
        if abs(abs(ax) - 180.0) < _EPS and abs(bx - ax) < _EPS and abs(by - ay) > step:
            k = math.ceil(abs(by - ay) / step)
            out += [(ax, ay + (by - ay) * j / k) for j in range(1, k)]
    return out


def _area2(ring: Ring) -> float:
    return sum(ax * by - bx * ay for (ax, ay), (bx, by) in zip(ring, ring[1:] + ring[:1], strict=True))


def project_rings(
    rings: Iterable[Sequence[Sequence[float]]],
    central_meridian: float = DEFAULT_CENTRAL_MERIDIAN,
    seam_step: float = 1.0,
) -> list[list[tuple[float, float]]]:
    """Re-centre lon/lat rings on ``central_meridian``, cut them at the seam and project them.

    The seam is the meridian central_meridian - 180. A ring that crosses it is clipped to the map
    and the part beyond the seam is shifted to the other edge and clipped too (clip-and-close), so
    no polygon streaks across the map. Edges created along the seam follow the map outline
    (densified every ``seam_step`` degrees of latitude). Returns rings in map units (x in [-1, 1],
    north up; see kiosk.geo.projection), to be filled together with the even-odd rule.
    """
    out: list[list[tuple[float, float]]] = []
    for raw in rings:
        ring = normalise_ring(raw)
        if ring is None:
            continue
        rel = [(lon - central_meridian, lat) for lon, lat in ring]
        lo = min(x for x, _ in rel)
        hi = max(x for x, _ in rel)
        if hi - lo >= 360.0 - 1e-6:
            rel = _recut_polar(rel)
            lo = min(x for x, _ in rel)
            hi = max(x for x, _ in rel)
        # Every 360° shift of the ring that overlaps the map strip [-180, 180] contributes a piece.
        k_min = math.floor((-180.0 - hi) / 360.0) + 1
        k_max = math.ceil((180.0 - lo) / 360.0) - 1
        for k in range(k_min, k_max + 1):
            shifted = [(x + 360.0 * k, y) for x, y in rel]
            if lo + 360.0 * k >= -180.0 - _EPS and hi + 360.0 * k <= 180.0 + _EPS:
                piece = shifted
            else:
                piece = _drop_seam_spikes(_clip(shifted, -180.0, 180.0))
                if len(piece) < 3 or abs(_area2(piece)) < 1e-12:
                    continue
            piece = _densify_seam(piece, seam_step)
            out.append([project_relative(x, y) for x, y in piece])
    return out
