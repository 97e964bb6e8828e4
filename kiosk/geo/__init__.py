"""Qt-free world-map geometry: Equal Earth projection, great-circle arcs and the land basemap."""

from kiosk.geo.basemap import (
    DEFAULT_BASEMAP_PATH,
    BasemapError,
    Ring,
    load_basemap,
    normalise_ring,
    project_rings,
)
from kiosk.geo.great_circle import central_angle, great_circle_points, projected_arc
from kiosk.geo.projection import (
    DEFAULT_CENTRAL_MERIDIAN,
    X_MAX,
    Y_MAX,
    inverse,
    map_outline,
    project,
    project_relative,
    relative_longitude,
    world_bounds,
)

__all__ = [
    "DEFAULT_BASEMAP_PATH",
    "DEFAULT_CENTRAL_MERIDIAN",
    "X_MAX",
    "Y_MAX",
    "BasemapError",
    "Ring",
    "central_angle",
    "great_circle_points",
    "inverse",
    "load_basemap",
    "map_outline",
    "normalise_ring",
    "project",
    "project_relative",
    "project_rings",
    "projected_arc",
    "relative_longitude",
    "world_bounds",
]
