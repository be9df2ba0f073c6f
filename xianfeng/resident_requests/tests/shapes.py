"""Outlines for the 瑞祥 grid world: community ⊃ 第一/第二网格 ⊃ 1号楼, 2号楼 (lon, lat)."""


def box(west, south, east, north):
    return {
        "type": "Polygon",
        "coordinates": [
            [[west, south], [east, south], [east, north], [west, north], [west, south]]
        ],
    }


SHAPES = {
    "community": box(117.100, 36.640, 117.140, 36.660),
    "grid1": box(117.100, 36.640, 117.120, 36.660),
    "grid2": box(117.120, 36.640, 117.140, 36.660),
    "building1": box(117.110, 36.650, 117.112, 36.652),
    "building2": box(117.114, 36.650, 117.116, 36.652),
}

# (lat, long) inside each, and outside every grid.
POINTS = {
    "building1": ("36.651", "117.111"),
    "building2": ("36.651", "117.115"),
    "grid1": ("36.645", "117.105"),
    "grid2": ("36.645", "117.130"),
    "nowhere": ("36.700", "117.300"),
}


def draw(gw):
    for name, geometry in SHAPES.items():
        grid = getattr(gw, name)
        grid.geometry = geometry
        grid.save()
