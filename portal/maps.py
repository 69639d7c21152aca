"""The world map's geometry: the Equal Earth projection, the frame, points and arcs. No Django.

The land (static/map/world.svg) is drawn once from Natural Earth's public-domain 110m outlines by
scripts/world_map.py, with this module's projection and frame, so points placed here sit on it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

# Equal Earth (Šavrič, Patterson and Jenny, 2018): an equal-area projection that keeps the continents'
# familiar shapes; the global South is not shrunk as on Mercator.
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def equal_earth(latitude: float, longitude: float) -> tuple[float, float]:
    """Projected (x, y) in radians-based units, y growing northwards."""
    lam = math.radians(longitude)
    theta = math.asin(M * math.sin(math.radians(latitude)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


@dataclass(frozen=True)
class Frame:
    """The drawing: ``width`` units wide, from ``south`` to ``north`` degrees of latitude (no Antarctica)."""

    width: int = 1000
    south: float = -56.0
    north: float = 84.0

    @property
    def scale(self) -> float:
        return self.width / (2 * equal_earth(0, 180)[0])

    @property
    def top(self) -> float:
        return equal_earth(self.north, 0)[1]

    @property
    def height(self) -> int:
        return round((self.top - equal_earth(self.south, 0)[1]) * self.scale)

    def place(self, latitude: float, longitude: float) -> tuple[float, float]:
        """Where a place falls in the drawing, in its units (y grows downwards, as in SVG)."""
        x, y = equal_earth(latitude, longitude)
        return round(self.width / 2 + x * self.scale, 1), round((self.top - y) * self.scale, 1)


FRAME = Frame()


@dataclass(frozen=True)
class MapPoint:
    """A place on the map; ``key`` ties arcs to it (a city's id), ``url`` is where its point leads."""

    key: object
    label: str
    x: float
    y: float
    url: str = ""
    detail: str = ""

    @property
    def label_anchor(self) -> str:
        # Names near the right edge are written leftwards, so they stay on the map.
        return "end" if self.x > FRAME.width * 0.75 else "start"

    @property
    def label_dx(self) -> int:
        return -12 if self.label_anchor == "end" else 12


@dataclass(frozen=True)
class MapArc:
    """A curved line between two points (a partnership), bowed northwards."""

    label: str
    start: MapPoint
    end: MapPoint
    url: str = ""

    @property
    def path(self) -> str:
        (x1, y1), (x2, y2) = (self.start.x, self.start.y), (self.end.x, self.end.y)
        dx, dy = x2 - x1, y2 - y1
        # The control point sits off the midpoint, on the perpendicular's side towards the top.
        px, py = (-dy, dx) if dx <= 0 else (dy, -dx)
        bow = 0.25
        cx = (x1 + x2) / 2 + px * bow
        cy = (y1 + y2) / 2 + py * bow
        return f"M{x1:.1f} {y1:.1f}Q{cx:.1f} {cy:.1f} {x2:.1f} {y2:.1f}"


def map_point(
    *, key, label: str, latitude: Decimal | float | None, longitude: Decimal | float | None, url="", detail=""
) -> MapPoint | None:
    """A point for a place with coordinates; None for one without (it is left off the map, not guessed)."""
    if latitude is None or longitude is None:
        return None
    x, y = FRAME.place(float(latitude), float(longitude))
    return MapPoint(key=key, label=label, x=x, y=y, url=url, detail=detail)
