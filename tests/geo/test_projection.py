"""Equal Earth projection: known values, symmetry, monotonicity, equal area, inverse, outline."""

import itertools
import math

import pytest

from kiosk.geo import projection as pr
from kiosk.geo.projection import (
    DEFAULT_CENTRAL_MERIDIAN,
    RAW_X_MAX,
    Y_MAX,
    inverse,
    map_outline,
    project,
    project_relative,
    relative_longitude,
    world_bounds,
)

CMS = [150.0, 0.0, -100.0, 37.5]


def polygon_area(pts):
    return abs(sum(ax * by - bx * ay for (ax, ay), (bx, by) in zip(pts, pts[1:] + pts[:1], strict=True))) / 2


def test_default_central_meridian_is_150_east():
    assert DEFAULT_CENTRAL_MERIDIAN == 150.0
    assert project(150.0, 0.0) == (0.0, 0.0)


@pytest.mark.parametrize("cm", CMS)
def test_central_meridian_maps_to_x0_and_equator_to_y0(cm):
    for lat in range(-90, 91, 10):
        assert project(cm, lat, cm)[0] == pytest.approx(0.0, abs=1e-15)
    for lon in range(-180, 181, 15):
        assert project(lon, 0.0, cm)[1] == pytest.approx(0.0, abs=1e-15)


@pytest.mark.parametrize("cm", CMS)
def test_symmetric_points(cm):
    for d in (10.0, 45.0, 120.0, 179.0):
        for lat in (5.0, 33.0, 60.0, 85.0):
            x, y = project(cm + d, lat, cm)
            assert project(cm - d, lat, cm) == pytest.approx((-x, y), abs=1e-15)
            assert project(cm + d, -lat, cm) == pytest.approx((x, -y), abs=1e-15)
            assert x > 0  # east of the centre is to the right
            assert y > 0  # north is up


def test_published_value_proj_docs():
    # PROJ documentation, eqearth: `echo 122 47 | proj +proj=eqearth +R=1` prints 1.55 0.89.
    x, y = project(122.0, 47.0, central_meridian=0.0)
    assert x * RAW_X_MAX == pytest.approx(1.55, abs=0.005)
    assert y * RAW_X_MAX == pytest.approx(0.89, abs=0.005)


def test_published_map_edge_at_equator():
    # PROJ gie test for +proj=eqearth +R=6378137: 180°E on the equator is x = 17263256.84 m.
    edge_m = RAW_X_MAX * 6378137.0
    assert edge_m == pytest.approx(17263256.84, abs=0.01)
    assert project(180.0, 0.0, 0.0)[0] == pytest.approx(1.0)


def test_published_shape_ratios():
    # Šavrič, Patterson & Jenny (2018): width/height ≈ 2.05; pole line ≈ 0.5925 of the equator.
    xmin, ymin, xmax, ymax = world_bounds()
    assert (xmax - xmin) / (ymax - ymin) == pytest.approx(2.0546, abs=5e-4)
    assert project_relative(180.0, 90.0)[0] / project_relative(180.0, 0.0)[0] == pytest.approx(
        0.59247, abs=1e-5
    )


def test_wraps_longitude():
    for lon in (-170.0, -30.0, 0.0, 125.326, 179.9):
        assert project(lon + 360.0, 40.0) == pytest.approx(project(lon, 40.0), abs=1e-12)
        assert project(lon - 720.0, -40.0) == pytest.approx(project(lon, -40.0), abs=1e-12)
    assert relative_longitude(-30.0, 150.0) == 180.0  # the seam is the east edge by convention
    assert relative_longitude(-29.0, 150.0) == -179.0


@pytest.mark.parametrize("lat", [-89.0, -60.0, -20.0, 0.0, 43.897, 75.0, 89.0])
def test_x_increases_with_longitude(lat):
    xs = [project_relative(d / 2.0, lat)[0] for d in range(-360, 361)]
    assert all(b > a for a, b in itertools.pairwise(xs))


@pytest.mark.parametrize("rel", [-180.0, -90.0, 0.0, 33.0, 179.0])
def test_y_increases_with_latitude(rel):
    ys = [project_relative(rel, d / 2.0)[1] for d in range(-180, 181)]
    assert all(b > a for a, b in itertools.pairwise(ys))


def test_equal_area():
    # Whole map = whole sphere (4π on the unit sphere), in normalised units.
    outline = map_outline(step=0.05)
    assert polygon_area(outline) == pytest.approx(4.0 * math.pi / RAW_X_MAX**2, rel=1e-5)

    # Cells of equal spherical area have equal map area, wherever they are.
    def cell(lon, lat, d=0.5):
        return polygon_area(
            [project(lon, lat), project(lon + d, lat), project(lon + d, lat + d), project(lon, lat + d)]
        )

    def sphere_cell(lat, d=0.5):
        return math.radians(d) * (math.sin(math.radians(lat + d)) - math.sin(math.radians(lat)))

    ref = cell(150.0, 0.0) / sphere_cell(0.0)
    for lon, lat in [(10.0, 60.0), (-80.0, -45.0), (125.0, 43.0), (300.0, 80.0), (140.0, -85.0)]:
        assert cell(lon, lat) / sphere_cell(lat) == pytest.approx(ref, rel=1e-3)


@pytest.mark.parametrize("cm", CMS)
def test_inverse_round_trip(cm):
    for lon in range(-179, 181, 7):
        for lat in range(-89, 90, 8):
            lon2, lat2 = inverse(*project(lon, lat, cm), cm)
            assert lat2 == pytest.approx(lat, abs=1e-9)
            assert relative_longitude(lon2, lon) == pytest.approx(0.0, abs=1e-9)


def test_inverse_outside_map_raises():
    with pytest.raises(ValueError, match="outside"):
        inverse(0.0, Y_MAX * 1.01)
    with pytest.raises(ValueError, match="outside"):
        inverse(0.99, 0.45)  # inside the bounding box, outside the rounded corner


@pytest.mark.parametrize("cm", CMS)
def test_bounds_and_outline(cm):
    xmin, ymin, xmax, ymax = world_bounds(cm)
    assert (xmin, xmax) == (-1.0, 1.0)
    assert ymin == -ymax == pytest.approx(-pr.Y_MAX)
    outline = map_outline(cm)
    assert len(outline) == 2 * 181
    assert min(x for x, _ in outline) == pytest.approx(xmin)
    assert max(x for x, _ in outline) == pytest.approx(xmax)
    assert min(y for _, y in outline) == pytest.approx(ymin)
    assert max(y for _, y in outline) == pytest.approx(ymax)
    # Every projected point lies inside the outline's box.
    for lon in range(-180, 181, 5):
        for lat in range(-90, 91, 5):
            x, y = project(lon, lat, cm)
            assert xmin - 1e-12 <= x <= xmax + 1e-12
            assert ymin - 1e-12 <= y <= ymax + 1e-12


def test_outline_rejects_bad_step():
    with pytest.raises(ValueError, match="step"):
        map_outline(step=0)
