"""Build assets/map/land.json, the kiosk's offline LAND basemap, once, from Natural Earth data.

Source
    The npm package ``world-atlas@2.0.2`` (https://www.npmjs.com/package/world-atlas,
    https://github.com/topojson/world-atlas), fetched with ``npm pack`` and checked against the
    registry's sha512 integrity pinned in ``INTEGRITY`` below. It redistributes Natural Earth
    (https://www.naturalearthdata.com/) vector data, version 4.1.0, as TopoJSON; this script reads
    the "land" layers ``package/land-50m.json`` (1:50m, used for the map) and
    ``package/land-110m.json`` (1:110m, used as a cross-check of the total land area).

Licences
    Natural Earth: public domain ("Made with Natural Earth"). world-atlas: ISC licence,
    © 2013-2019 Michael Bostock. Both are recorded in assets/map/NOTICE.md, which this script
    writes with the licence text taken from the package itself.

No borders
    Only land polygons are written: no national or internal boundaries. A world map shown to the
    public in China must not draw boundary lines unless it is an approved basemap (see
    assets/map/README.md for dropping one in via ``settings.map_basemap``).

How the data is derived
    1. Decode the TopoJSON ``land`` object (quantised, delta-encoded arcs) into lon/lat rings.
    2. Antimeridian: world-atlas geometry is spherical, so the rings of Russia (Chukotka), Fiji
       and Wrangel Island cross ±180° and Antarctica's coast goes once round the South Pole.
       Every ring is unwrapped (continuous longitudes, which may go beyond ±180°) and Antarctica
       is closed along the pole, with kiosk.geo.basemap.normalise_ring; the 50m layer's tiny
       ring round the pole itself (at 89.999°S) is dropped. Drawn flat, nothing streaks.
    3. Simplify each ring with Douglas-Peucker on the sphere (point-to-chord distance between unit
       vectors) to ``--tolerance`` degrees of arc (default 0.05° ≈ 5.6 km, a fraction of a pixel
       on a 4K-wide world map), so coastlines stay recognisable.
    4. Drop islands smaller than ``--min-area`` km² (default 150 km²), measured in the Equal Earth
       projection, which is equal-area.
    5. Round to 2 decimals (≈ 1 km) and drop repeated points.
    6. Cross-check the total land area against the 1:110m layer (must agree within 2 %).

Output format (read by kiosk.geo.basemap.load_basemap)::

    {"format": "changchun-showcase/land", "version": 1, "source": ..., "licence": ...,
     "rings": [[[lon, lat], ...], ...]}

Rings are not repeated at the end; holes (the Caspian Sea) are rings of their own, so draw all
rings as one path with the even-odd fill rule.

Rebuild (needs npm and network access to the npm registry, or a saved tarball)::

    .venv/bin/python tools/build_basemap.py
    .venv/bin/python tools/build_basemap.py --tarball world-atlas-2.0.2.tgz   # offline
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import math
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from kiosk.geo.basemap import FORMAT, FORMAT_VERSION, Ring, normalise_ring
from kiosk.geo.projection import RAW_X_MAX, project_relative

PACKAGE = "world-atlas"
VERSION = "2.0.2"
INTEGRITY = "sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ=="
NATURAL_EARTH_VERSION = "4.1.0"
EARTH_RADIUS_KM = 6371.0088  # mean radius; only used to express areas and tolerances in km

REPO = Path(__file__).resolve().parents[1]
OUT_DIR = REPO / "assets" / "map"

Vec = tuple[float, float, float]


# --------------------------------------------------------------------------------------------------
# Fetching


def fetch_tarball(workdir: Path) -> Path:
    """``npm pack`` the pinned package into ``workdir`` and return the tarball path."""
    spec = f"{PACKAGE}@{VERSION}"
    subprocess.run(["npm", "pack", spec, "--silent"], cwd=workdir, check=True, stdout=subprocess.DEVNULL)
    tgz = workdir / f"{PACKAGE}-{VERSION}.tgz"
    if not tgz.is_file():
        raise SystemExit(f"npm pack {spec} did not produce {tgz.name}")
    return tgz


def check_integrity(data: bytes) -> None:
    got = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")
    if got != INTEGRITY:
        raise SystemExit(f"integrity mismatch for {PACKAGE}@{VERSION}:\n  got  {got}\n  want {INTEGRITY}")


def read_package(tgz: Path) -> dict[str, bytes]:
    """The files this script needs from the tarball, read in memory (nothing is extracted)."""
    data = tgz.read_bytes()
    check_integrity(data)
    wanted = ["package/land-50m.json", "package/land-110m.json", "package/LICENSE", "package/package.json"]
    out: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for name in wanted:
            member = tar.extractfile(name)
            if member is None:
                raise SystemExit(f"{tgz.name}: {name} missing")
            out[name] = member.read()
    meta = json.loads(out["package/package.json"])
    if (meta.get("name"), meta.get("version"), meta.get("license")) != (PACKAGE, VERSION, "ISC"):
        raise SystemExit(f"{tgz.name}: unexpected package.json {meta.get('name')} {meta.get('version')}")
    return out


# --------------------------------------------------------------------------------------------------
# TopoJSON decoding


def topo_arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Decode quantised, delta-encoded TopoJSON arcs into lon/lat points."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def ring_points(ring: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """Join a ring's arcs; a negative index ~i means arc i reversed."""
    pts: list[tuple[float, float]] = []
    for i in ring:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts.extend(arc if not pts else arc[1:])
    return pts


def land_rings(topo: dict[str, Any]) -> list[Ring]:
    """All land rings (outer rings and holes), normalised: unwrapped, pole-closed."""
    arcs = topo_arcs(topo)
    rings: list[Ring] = []
    for geom in topo["objects"]["land"]["geometries"]:
        if geom["type"] == "Polygon":
            polygons = [geom["arcs"]]
        elif geom["type"] == "MultiPolygon":
            polygons = geom["arcs"]
        else:
            continue
        for polygon in polygons:
            for ring in polygon:
                norm = normalise_ring(ring_points(ring, arcs))
                if norm is not None:  # None: the 50m layer's ring along the pole itself
                    rings.append(norm)
    return rings


# --------------------------------------------------------------------------------------------------
# Simplification and measuring


def _vec(lon: float, lat: float) -> Vec:
    lam, phi = math.radians(lon), math.radians(lat)
    c = math.cos(phi)
    return c * math.cos(lam), c * math.sin(lam), math.sin(phi)


def _dist_to_chord(p: Vec, a: Vec, b: Vec) -> float:
    """Distance from p to the chord a-b in 3D (≈ arc distance in radians for short chords)."""
    ab = (b[0] - a[0], b[1] - a[1], b[2] - a[2])
    ap = (p[0] - a[0], p[1] - a[1], p[2] - a[2])
    L2 = ab[0] ** 2 + ab[1] ** 2 + ab[2] ** 2
    t = 0.0 if L2 == 0.0 else max(0.0, min(1.0, (ap[0] * ab[0] + ap[1] * ab[1] + ap[2] * ab[2]) / L2))
    d = (ap[0] - t * ab[0], ap[1] - t * ab[1], ap[2] - t * ab[2])
    return math.sqrt(d[0] ** 2 + d[1] ** 2 + d[2] ** 2)


def douglas_peucker(line: list[tuple[float, float]], tol_rad: float) -> list[tuple[float, float]]:
    """Douglas-Peucker on the sphere; keeps both ends. Iterative, so 10k-point coasts are fine."""
    if len(line) < 3:
        return list(line)
    vecs = [_vec(lon, lat) for lon, lat in line]
    keep = [False] * len(line)
    keep[0] = keep[-1] = True
    stack = [(0, len(line) - 1)]
    while stack:
        i, j = stack.pop()
        best, best_d = -1, tol_rad
        for k in range(i + 1, j):
            d = _dist_to_chord(vecs[k], vecs[i], vecs[j])
            if d > best_d:
                best, best_d = k, d
        if best >= 0:
            keep[best] = True
            stack += [(i, best), (best, j)]
    return [p for p, k in zip(line, keep, strict=True) if k]


def simplify_ring(ring: Ring, tol_rad: float) -> Ring:
    """Simplify a ring, keeping the points on a pole (Antarctica's closure) exactly as they are."""
    polar = [abs(lat) >= 89.99 for _, lat in ring]
    if any(polar):
        # Simplify only the coast between the pole points (pole points come last, see
        # normalise_ring; if not, fall back to the closed-ring case below).
        n_coast = polar.index(True)
        if all(polar[n_coast:]):
            return douglas_peucker(ring[:n_coast], tol_rad) + ring[n_coast:]
    closed = [*ring, ring[0]]  # a closed line: the chord from start to start is a point
    return douglas_peucker(closed, tol_rad)[:-1]


def area_km2(ring: Ring) -> float:
    """Area enclosed by a flat lon/lat ring, measured in the (equal-area) Equal Earth projection."""
    xy = [project_relative(lon, lat) for lon, lat in ring]  # unwrapped lon is fine: x is linear in it
    a2 = sum(ax * by - bx * ay for (ax, ay), (bx, by) in zip(xy, xy[1:] + xy[:1], strict=True))
    return abs(a2) / 2.0 * (RAW_X_MAX * EARTH_RADIUS_KM) ** 2


def round_ring(ring: Ring) -> Ring:
    out: Ring = []
    for lon, lat in ring:
        p = (round(lon, 2), round(lat, 2))
        if not out or p != out[-1]:
            out.append(p)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


# --------------------------------------------------------------------------------------------------
# Output


NOTICE = """\
# Notices for the basemap in this folder

`land.json` is derived by `tools/build_basemap.py` from the npm package `{package}@{version}`
(https://github.com/topojson/world-atlas), which redistributes Natural Earth data, version
{ne_version}.

## Natural Earth

Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com.

Natural Earth data is in the public domain (https://www.naturalearthdata.com/about/terms-of-use/).
No permission is needed to use it; crediting Natural Earth is requested, not required.

## world-atlas (ISC licence)

```
{licence}
```
"""


def _fmt(v: float) -> str:
    s = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if s == "-0" else s


def write_land_json(path: Path, rings: list[Ring], meta: dict[str, Any]) -> int:
    """Write the rings compactly (no spaces, shortest 2-decimal numbers), one ring per line."""
    head = json.dumps({"format": FORMAT, "version": FORMAT_VERSION, **meta}, ensure_ascii=False)
    lines = ["[" + ",".join(f"[{_fmt(lon)},{_fmt(lat)}]" for lon, lat in r) + "]" for r in rings]
    text = head[:-1] + ',"rings":[\n' + ",\n".join(lines) + "\n]}\n"
    json.loads(text)  # never write a file the kiosk cannot read
    path.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--tarball", type=Path, help=f"use a saved {PACKAGE}-{VERSION}.tgz instead of npm pack"
    )
    parser.add_argument("--tolerance", type=float, default=0.05, help="simplification, degrees of arc")
    parser.add_argument("--min-area", type=float, default=150.0, help="drop islands below this, km²")
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        tgz = args.tarball or fetch_tarball(Path(tmp))
        files = read_package(tgz)

    tol_rad = math.radians(args.tolerance)
    source = land_rings(json.loads(files["package/land-50m.json"]))
    check = land_rings(json.loads(files["package/land-110m.json"]))

    rings: list[Ring] = []
    n_small = 0
    for ring in source:
        if area_km2(ring) < args.min_area:
            n_small += 1
            continue
        simple = round_ring(simplify_ring(ring, tol_rad))
        if len(simple) >= 3 and area_km2(simple) > 0.0:
            rings.append(simple)

    # Holes (the Caspian Sea) are counted like land in both totals, which keeps the comparison fair.
    got, ref = sum(map(area_km2, rings)), sum(map(area_km2, check))
    if abs(got - ref) / ref > 0.02:
        raise SystemExit(f"land area {got:,.0f} km² differs from the 1:110m layer's {ref:,.0f} km² by > 2 %")

    meta = {
        "source": f"Natural Earth {NATURAL_EARTH_VERSION} land 1:50m via npm {PACKAGE}@{VERSION}",
        "licence": "Natural Earth: public domain; world-atlas: ISC (see NOTICE.md)",
        "simplified": (
            f"Douglas-Peucker {args.tolerance} deg, islands < {args.min_area:g} km2 dropped, 2 decimals"
        ),
        "crs": "lon/lat degrees (WGS 84); longitudes unwrapped across 180",
    }
    args.out_dir.mkdir(parents=True, exist_ok=True)
    size = write_land_json(args.out_dir / "land.json", rings, meta)
    licence = files["package/LICENSE"].decode("utf-8").strip()
    (args.out_dir / "NOTICE.md").write_text(
        NOTICE.format(package=PACKAGE, version=VERSION, ne_version=NATURAL_EARTH_VERSION, licence=licence),
        encoding="utf-8",
    )
    n_points = sum(len(r) for r in rings)
    print(
        f"land.json: {len(rings)} rings, {n_points} points, {size / 1024:.1f} KiB "
        f"(from {len(source)} rings, {sum(len(r) for r in source)} points; {n_small} small islands dropped); "
        f"land area {got:,.0f} km² vs 1:110m {ref:,.0f} km²"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
