"""tools/build_basemap.py: TopoJSON decoding and simplification, and the notices it ships."""

import importlib.util
import math
from pathlib import Path

import pytest

from kiosk.geo.basemap import DEFAULT_BASEMAP_PATH

TOOL = Path(__file__).resolve().parents[2] / "tools" / "build_basemap.py"


@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location("build_basemap", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_topojson_arcs_are_dequantised_and_joined(tool):
    topo = {
        "transform": {"scale": [0.5, 0.25], "translate": [-180.0, -90.0]},
        # arc 0: (0,0) -> (2,0) -> (2,4); arc 1: (0,0) -> (2,4) (delta-encoded)
        "arcs": [[[0, 0], [2, 0], [0, 4]], [[0, 0], [2, 4]]],
    }
    arcs = tool.topo_arcs(topo)
    assert arcs[0] == [(-180.0, -90.0), (-179.0, -90.0), (-179.0, -89.0)]
    # ~1 is arc 1 reversed; the shared end point is not repeated
    assert tool.ring_points([0, ~1], arcs) == [
        (-180.0, -90.0),
        (-179.0, -90.0),
        (-179.0, -89.0),
        (-180.0, -90.0),
    ]


def test_land_rings_unwrap_a_ring_across_the_antimeridian(tool):
    topo = {
        "transform": {"scale": [1.0, 1.0], "translate": [0.0, 0.0]},
        "arcs": [[[170, 0], [-340, 0], [0, 10], [340, 0], [0, -10]]],
        "objects": {
            "land": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0]]},
                    {"type": "LineString", "arcs": [0]},
                ],
            }
        },
    }
    assert tool.land_rings(topo) == [[(170.0, 0.0), (190.0, 0.0), (190.0, 10.0), (170.0, 10.0)]]


def test_douglas_peucker(tool):
    line = [(0.0, 0.0), (1.0, 0.001), (2.0, 0.0), (3.0, 1.0), (4.0, 0.0)]
    tol = math.radians(0.05)
    assert tool.douglas_peucker(line, tol) == [(0.0, 0.0), (2.0, 0.0), (3.0, 1.0), (4.0, 0.0)]
    assert tool.douglas_peucker(line, math.radians(5.0)) == [(0.0, 0.0), (4.0, 0.0)]


def test_simplify_keeps_pole_closure_and_rounding_dedupes(tool):
    ring = [(x / 10.0, -70.0) for x in range(-1800, 1801)] + [(180.0, -90.0), (-180.0, -90.0)]
    simple = tool.simplify_ring(ring, math.radians(0.05))
    assert simple[0] == (-180.0, -70.0)
    assert simple[-3:] == [(180.0, -70.0), (180.0, -90.0), (-180.0, -90.0)]
    assert len(simple) < 100  # from 3,603: a parallel is not a great circle, so not 2
    assert tool.round_ring([(1.001, 2.0), (1.004, 2.001), (3.0, 4.0), (1.0, 2.0)]) == [
        (1.0, 2.0),
        (3.0, 4.0),
    ]


def test_area_of_a_degree_cell(tool):
    # 1° x 1° at the equator is about 12,364 km² on the mean-radius sphere.
    cell = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]
    assert tool.area_km2(cell) == pytest.approx(12364, rel=2e-3)


def test_notices_ship_with_the_basemap():
    folder = DEFAULT_BASEMAP_PATH.parent
    notice = (folder / "NOTICE.md").read_text(encoding="utf-8")
    assert "Made with Natural Earth" in notice
    assert "public domain" in notice
    assert "Copyright 2013-2019 Michael Bostock" in notice  # the ISC licence text itself
    assert "world-atlas@2.0.2" in notice
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "map_basemap" in readme
    assert "map_caption" in readme
