"""Land basemap: the shipped file, loading errors, ring normalisation, seam cutting, projection."""

import itertools
import json
import math

import pytest

from kiosk.geo.basemap import (
    DEFAULT_BASEMAP_PATH,
    BasemapError,
    load_basemap,
    normalise_ring,
    project_rings,
)
from kiosk.geo.projection import RAW_X_MAX, Y_MAX, inverse, map_outline, project_relative

MAP_WIDTH = 2.0
CMS = [150.0, 0.0, -100.0, 37.5, -30.0]


@pytest.fixture(scope="module")
def land():
    return load_basemap(DEFAULT_BASEMAP_PATH)


def area(ring):
    return (
        abs(sum(ax * by - bx * ay for (ax, ay), (bx, by) in zip(ring, ring[1:] + ring[:1], strict=True))) / 2
    )


def on_land(rings, lon, lat):
    """Even-odd point-in-polygon over all rings, trying the point one turn either way too."""
    inside = False
    for ring in rings:
        for x in (lon - 360.0, lon, lon + 360.0):
            for (ax, ay), (bx, by) in zip(ring, ring[1:] + ring[:1], strict=True):
                if (ay > lat) != (by > lat) and x < ax + (lat - ay) * (bx - ax) / (by - ay):
                    inside = not inside
    return inside


def long_segments(ring, limit):
    """Segments longer than limit, except those along a pole line (the map's flat top/bottom)."""
    out = []
    for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
        on_pole_line = abs(abs(a[1]) - Y_MAX) < 1e-9 and abs(abs(b[1]) - Y_MAX) < 1e-9
        if not on_pole_line and math.dist(a, b) > limit:
            out.append((a, b))
    return out


def assert_spans_the_map(ring, cm):
    """The ring reaches both the west edge and the east edge of the map."""

    def edge_x(y):  # half-width of the map at height y
        return project_relative(180.0, inverse(0.0, y, cm)[1])[0]

    assert any(abs(x + edge_x(y)) < 1e-9 for x, y in ring), "does not reach the west edge"
    assert any(abs(x - edge_x(y)) < 1e-9 for x, y in ring), "does not reach the east edge"


def densified(ring, step=1.0):
    out = []
    for (ax, ay), (bx, by) in zip(ring, ring[1:] + ring[:1], strict=True):
        k = max(1, math.ceil(max(abs(bx - ax), abs(by - ay)) / step))
        out += [(ax + (bx - ax) * j / k, ay + (by - ay) * j / k) for j in range(k)]
    return out


# -- the shipped file --------------------------------------------------------------------------------


def test_shipped_file_is_small_and_in_our_format():
    assert DEFAULT_BASEMAP_PATH.stat().st_size < 500_000
    doc = json.loads(DEFAULT_BASEMAP_PATH.read_text(encoding="utf-8"))
    assert doc["format"] == "changchun-showcase/land"
    assert "Natural Earth" in doc["source"]
    assert set(doc) >= {"format", "version", "rings", "source", "licence"}
    assert not {"countries", "borders", "boundaries"} & set(doc)  # land only


def test_shipped_basemap_loads_with_plausible_content(land):
    assert 300 <= len(land) <= 3000
    assert 5_000 <= sum(map(len, land)) <= 50_000
    for ring in land:
        assert len(ring) >= 3
        assert all(-90.0 <= lat <= 90.0 for _, lat in ring)
        for (lon0, lat0), (lon1, lat1) in itertools.pairwise(ring):
            assert abs(lon1 - lon0) <= 180.0 or (abs(lat0) == 90.0 and abs(lat1) == 90.0)


@pytest.mark.parametrize(
    ("place", "lon", "lat", "expected"),
    [
        ("Changchun", 125.326, 43.897, True),
        ("Kumasi", -1.624, 6.688, True),
        ("Mora", 14.543, 61.007, True),
        ("Windsor", -83.036, 42.317, True),
        ("inland Greenland", -40.0, 72.0, True),
        ("interior of Antarctica", 0.0, -85.0, True),
        ("Chukotka, east of 180°", -175.0, 66.0, True),
        ("mid-Pacific", -150.0, 0.0, False),
        ("South Atlantic", -20.0, -30.0, False),
        ("Caspian Sea (a hole)", 51.0, 42.0, False),
        ("North Pole (sea)", 0.0, 89.5, False),
    ],
)
def test_shipped_basemap_has_land_where_land_is(land, place, lon, lat, expected):
    assert on_land(land, lon, lat) is expected, place


# -- projecting the shipped rings -------------------------------------------------------------------


@pytest.mark.parametrize("cm", CMS)
def test_projected_land_has_no_streaks(land, cm):
    rings = project_rings(land, cm)
    assert len(rings) >= len(land)  # cutting at the seam only ever adds pieces
    for ring in rings:
        assert long_segments(ring, 0.05 * MAP_WIDTH) == []
        for x, y in ring:
            inverse(x, y, cm)  # raises if outside the map outline


def test_projected_land_area_does_not_depend_on_the_seam(land):
    # Clipping and shifting must neither lose nor duplicate land.
    totals = [sum(area(r) for r in project_rings(land, cm)) for cm in CMS]
    for total in totals:
        assert total == pytest.approx(totals[0], rel=2e-3)
    # About 29 % of Earth's surface is land (Antarctica included); the map is equal-area.
    assert 0.27 < totals[0] / area(map_outline(step=0.1)) < 0.31


def test_antarctica_is_one_piece_without_a_line_across_it(land):
    for cm in CMS:
        polar = [r for r in project_rings(land, cm) if min(y for _, y in r) <= -Y_MAX + 1e-9]
        assert len(polar) == 1
        assert_spans_the_map(polar[0], cm)


# -- synthetic rings ---------------------------------------------------------------------------------


def test_normalise_ring_unwraps_across_the_antimeridian():
    ring = normalise_ring([(170, 0), (-170, 0), (-170, 10), (170, 10), (170, 0)])
    assert ring == [(170, 0), (190, 0), (190, 10), (170, 10)]  # closing repeat dropped too


def test_normalise_ring_moves_ring_back_by_whole_turns():
    ring = normalise_ring([(-370, 0), (-350, 0), (-350, 10)])
    assert ring == [(-10, 0), (10, 0), (10, 10)]


def test_normalise_ring_closes_a_ring_round_the_pole():
    coast = [(lon, -70.0) for lon in range(-180, 180, 30)] + [(-180, -70.0)]
    ring = normalise_ring(coast)
    assert ring[-2:] == [(180.0, -90.0), (-180.0, -90.0)]
    assert ring[-3] == (180.0, -70.0)  # the last stretch of coast is kept
    assert normalise_ring(ring) == ring  # idempotent


def test_normalise_ring_rejects_degenerate_rings():
    assert normalise_ring([(0, 0), (1, 1), (0, 0)]) is None
    assert normalise_ring([(-180, -89.999), (0, -89.999), (180, -89.999)]) is None


def test_ring_across_the_seam_is_cut_into_two_pieces():
    square = densified([(170.0, -10.0), (190.0, -10.0), (190.0, 10.0), (170.0, 10.0)])
    whole = project_rings([square], central_meridian=180.0)
    pieces = project_rings([square], central_meridian=0.0)
    assert len(whole) == 1
    assert len(pieces) == 2
    assert sum(map(area, pieces)) == pytest.approx(area(whole[0]), rel=1e-3)
    for piece in pieces:
        assert long_segments(piece, 0.05 * MAP_WIDTH) == []
    assert {round(max(abs(x) for x, _ in p), 9) for p in pieces} == {1.0}  # both touch an edge


def test_polar_cap_is_recut_at_the_seam():
    # A cap round the South Pole cut at 180°: at 37.5°E it must become one piece spanning the map.
    coast = [(lon, -70.0 + 3.0 * math.sin(math.radians(4 * lon))) for lon in range(-180, 181, 5)]
    rings = project_rings([coast], central_meridian=37.5)
    assert len(rings) == 1
    assert_spans_the_map(rings[0], 37.5)
    assert long_segments(rings[0], 0.05 * MAP_WIDTH) == []
    # Same area as where the data's own cut is the seam; about that of a 70°S polar cap.
    assert area(rings[0]) == pytest.approx(area(project_rings([coast], 0.0)[0]), rel=1e-4)
    cap = 2 * math.pi * (1 - math.sin(math.radians(70.0)))  # spherical cap area, unit sphere
    assert area(rings[0]) == pytest.approx(cap / RAW_X_MAX**2, rel=0.02)


# -- loading errors and formats ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2, 3]", "neither"),
        ('{"format": "changchun-showcase/land", "version": 99, "rings": []}', "version"),
        ('{"format": "changchun-showcase/land", "version": 1, "rings": 5}', "rings"),
        ('{"format": "changchun-showcase/land", "version": 1, "rings": []}', "no land"),
        (
            '{"format": "changchun-showcase/land", "version": 1, "rings": [[[0, 0], [1, 95], [2, 0]]]}',
            "ring 0, point 1",
        ),
        (
            '{"format": "changchun-showcase/land", "version": 1, "rings": [[[0, 0], "x", [2, 0]]]}',
            "ring 0, point 1",
        ),
        ('{"type": "Polygon"}', "malformed GeoJSON"),
        ('{"type": "LineString", "coordinates": [[0, 0], [1, 1]]}', "neither"),
    ],
)
def test_corrupt_file_raises_with_path(tmp_path, content, message):
    path = tmp_path / "broken.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(BasemapError, match=message) as info:
        load_basemap(path)
    assert isinstance(info.value, ValueError)
    assert info.value.path == str(path)
    assert str(path) in str(info.value)


def test_truncated_shipped_file_raises(tmp_path):
    path = tmp_path / "land.json"
    path.write_bytes(DEFAULT_BASEMAP_PATH.read_bytes()[:5000])
    with pytest.raises(BasemapError, match="not valid JSON"):
        load_basemap(path)


def test_missing_file_raises_with_path(tmp_path):
    path = tmp_path / "nowhere" / "land.json"
    with pytest.raises(BasemapError, match="not found") as info:
        load_basemap(path)
    assert str(path) in str(info.value)


def test_geojson_polygons_are_accepted_and_lines_ignored(tmp_path):
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [[[[170, 0], [-170, 0], [-170, 10], [170, 10], [170, 0]]]],
                },
            },
            {
                "type": "Feature",
                "properties": {},
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[0, 0], [10, 10]],
                },
            },
            {"type": "Feature", "properties": {}, "geometry": None},
        ],
    }
    path = tmp_path / "approved.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert load_basemap(path) == [[(170, 0), (190, 0), (190, 10), (170, 10)]]
