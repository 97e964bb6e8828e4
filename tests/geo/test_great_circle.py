"""Great-circle arcs: slerp geometry, arcs from Changchun to the partners, splitting at the seam."""

import itertools
import math

import pytest

from kiosk.geo.great_circle import central_angle, great_circle_points, projected_arc
from kiosk.geo.projection import inverse, project, world_bounds

CHANGCHUN = (125.326, 43.897)
PARTNERS = {
    "Sendai": (140.869, 38.268),
    "Birmingham": (-1.89, 52.486),
    "Tijuana": (-117.038, 32.514),
    "Windsor": (-83.036, 42.317),
    "Masterton": (175.657, -40.952),
    "Kumasi": (-1.624, 6.688),
    "Warrnambool": (142.488, -38.382),
    "Mora": (14.543, 61.007),
}
MAP_WIDTH = 2.0
MAX_STEP = 0.02 * MAP_WIDTH  # no segment of an arc may be longer than 2 % of the map width


def vec(lon, lat):
    lam, phi = math.radians(lon), math.radians(lat)
    return (math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi))


def seg_lengths(polyline):
    return [math.dist(a, b) for a, b in itertools.pairwise(polyline)]


def test_central_angle_known_values():
    assert central_angle(0, 0, 90, 0) == pytest.approx(math.pi / 2)
    assert central_angle(10, 0, 10, 90) == pytest.approx(math.pi / 2)
    assert central_angle(179.5, 0, -179.5, 0) == pytest.approx(math.radians(1.0))
    # London-New York, the textbook example: about 5,570 km on a 6371 km sphere.
    assert central_angle(-0.1278, 51.5074, -74.006, 40.7128) * 6371.0 == pytest.approx(5570, abs=10)


@pytest.mark.parametrize("city", sorted(PARTNERS))
def test_central_angle_matches_haversine(city):
    (lo1, la1), (lo2, la2) = CHANGCHUN, PARTNERS[city]
    p1, p2, dl = math.radians(la1), math.radians(la2), math.radians(lo2 - lo1)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    assert central_angle(lo1, la1, lo2, la2) == pytest.approx(2 * math.asin(math.sqrt(h)), rel=1e-12)


def test_points_ends_count_and_even_spacing():
    pts = great_circle_points(*CHANGCHUN, *PARTNERS["Birmingham"], n=50)
    assert len(pts) == 50
    assert pts[0] == CHANGCHUN
    assert pts[-1] == PARTNERS["Birmingham"]
    steps = [central_angle(*a, *b) for a, b in itertools.pairwise(pts)]
    total = central_angle(*CHANGCHUN, *PARTNERS["Birmingham"])
    assert steps == pytest.approx([total / 49] * 49, rel=1e-9)


def test_points_lie_on_the_great_circle():
    a, b = CHANGCHUN, PARTNERS["Tijuana"]
    va, vb = vec(*a), vec(*b)
    normal = (
        va[1] * vb[2] - va[2] * vb[1],
        va[2] * vb[0] - va[0] * vb[2],
        va[0] * vb[1] - va[1] * vb[0],
    )
    for p in great_circle_points(*a, *b, n=33):
        assert sum(u * v for u, v in zip(vec(*p), normal, strict=True)) == pytest.approx(0.0, abs=1e-12)


def test_known_midpoints():
    assert great_circle_points(0, 0, 90, 0, n=3)[1] == pytest.approx((45.0, 0.0))
    assert great_circle_points(20, 0, 20, 80, n=3)[1] == pytest.approx((20.0, 40.0))
    # Across the antimeridian the short way, not round the world.
    assert great_circle_points(170, 0, -170, 0, n=3)[1] == pytest.approx((180.0, 0.0))
    # Two points on the same parallel: the great circle bulges towards the pole.
    mid = great_circle_points(-80, 50, 80, 50, n=3)[1]
    assert mid[1] > 75


def test_degenerate_input():
    with pytest.raises(ValueError, match="antipodal"):
        great_circle_points(0, 10, 180, -10)
    with pytest.raises(ValueError, match="n must be"):
        great_circle_points(0, 0, 1, 1, n=1)
    assert great_circle_points(5, 5, 5, 5, n=4) == [(5, 5)] * 4
    assert projected_arc(5, 5, 5, 5) == []


@pytest.mark.parametrize("city", sorted(PARTNERS))
def test_arcs_from_changchun_are_never_cut(city):
    pieces = projected_arc(*CHANGCHUN, *PARTNERS[city])  # default central meridian 150°E
    assert len(pieces) == 1, f"the arc to {city} is cut by the map edge"
    arc = pieces[0]
    assert len(arc) == 64
    assert arc[0] == pytest.approx(project(*CHANGCHUN))
    assert arc[-1] == pytest.approx(project(*PARTNERS[city]))
    assert max(seg_lengths(arc)) < MAX_STEP
    xmin, ymin, xmax, ymax = world_bounds()
    for x, y in arc:
        assert xmin <= x <= xmax
        assert ymin <= y <= ymax
        inverse(x, y)  # raises if the point is outside the map's rounded outline
        # and no point comes near the edges, where a seam would be
        assert abs(x) < 0.95 * xmax


@pytest.mark.parametrize(("cm", "city"), [(0.0, "Tijuana"), (0.0, "Windsor"), (-100.0, "Kumasi")])
def test_arc_across_the_seam_is_split(cm, city):
    pieces = projected_arc(*CHANGCHUN, *PARTNERS[city], central_meridian=cm)
    assert len(pieces) == 2
    first, second = pieces
    for piece in pieces:
        assert max(seg_lengths(piece)) < MAX_STEP  # no segment jumps across the map
    # The first piece ends on one edge, the second starts on the other, at the same height.
    (x1, y1), (x2, y2) = first[-1], second[0]
    assert inverse(x1, y1, cm)[1] == pytest.approx(inverse(x2, y2, cm)[1], abs=1e-9)
    assert y1 == pytest.approx(y2, abs=1e-12)
    assert x1 == pytest.approx(-x2, abs=1e-12)
    seam = cm + 180.0
    assert math.cos(math.radians(inverse(x1, y1, cm)[0] - seam)) == pytest.approx(1.0)
    assert first[0] == pytest.approx(project(*CHANGCHUN, cm))
    assert second[-1] == pytest.approx(project(*PARTNERS[city], cm))


def test_arc_starting_on_the_seam_is_not_split():
    pieces = projected_arc(180.0, 10.0, 170.0, 12.0, central_meridian=0.0)
    assert len(pieces) == 1
    assert pieces[0][0][0] == pytest.approx(1.0, abs=0.02)  # starts on the east edge
    pieces = projected_arc(-170.0, 10.0, 170.0, 12.0, central_meridian=0.0)
    assert len(pieces) == 2
    assert pieces[0][-1][0] < -0.95  # it leaves by the west edge
    assert pieces[1][0][0] > 0.95  # and comes back by the east edge
