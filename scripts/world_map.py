"""Draw static/map/world.svg, the land of the world map, from Natural Earth's 110m outlines.

Run once after `npm ci` (the npm package world-atlas carries Natural Earth's public-domain data as
TopoJSON): `.venv/bin/python scripts/world_map.py`. The result is committed; nothing is fetched when a
page is served. It uses portal.maps' projection and frame, so the points the pages place sit on it.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal.maps import FRAME  # noqa: E402

SOURCE = ROOT / "node_modules" / "world-atlas" / "land-110m.json"
TARGET = ROOT / "static" / "map" / "world.svg"


def decoded_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON's quantised, delta-encoded arcs as lists of (longitude, latitude)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)
    return points


def polygons(topology: dict):
    for geometry in topology["objects"]["land"]["geometries"]:
        if geometry["type"] == "Polygon":
            yield geometry["arcs"]
        elif geometry["type"] == "MultiPolygon":
            yield from geometry["arcs"]


def unwrapped(points):
    """A ring that crosses the antimeridian (Fiji, Chukotka) kept continuous: longitudes past 180
    rather than a jump to -180, which would draw a line across the whole map."""
    offset = 0.0
    previous = None
    ring = []
    for longitude, latitude in points:
        if previous is not None and longitude + offset - previous > 180:
            offset -= 360
        elif previous is not None and longitude + offset - previous < -180:
            offset += 360
        previous = longitude + offset
        ring.append((previous, latitude))
    # Bring the ring's bulk back into [-180, 180]: only the small part past the line sticks out.
    middle = sorted(longitude for longitude, _ in ring)[len(ring) // 2]
    shift = -360 if middle > 180 else 360 if middle < -180 else 0
    return [(longitude + shift, latitude) for longitude, latitude in ring]


def _gap(number: int, first: bool = False) -> str:
    return "" if first or number < 0 else " "


def ring_path(points) -> str:
    """One closed ring in relative commands on whole units: small, and exact enough at 110m."""
    projected = []
    for longitude, latitude in unwrapped(points):
        x, y = FRAME.place(max(min(latitude, FRAME.north), FRAME.south), longitude)
        step = (round(x), round(y))
        if not projected or step != projected[-1]:
            projected.append(step)
    if len(projected) < 3:
        return ""
    (x0, y0), rest = projected[0], projected[1:]
    parts = [f"M{x0} {y0}l"]
    previous = (x0, y0)
    for number, (x, y) in enumerate(rest):
        dx, dy = x - previous[0], y - previous[1]
        # Numbers are separated by a space, or by the minus sign of a negative one.
        parts.append(f"{_gap(dx, number == 0)}{dx}{_gap(dy)}{dy}")
        previous = (x, y)
    return "".join(parts) + "z"


def main() -> None:
    topology = json.loads(SOURCE.read_text())
    arcs = decoded_arcs(topology)
    paths = []
    for polygon in polygons(topology):
        for ring in polygon:
            points = ring_points(ring, arcs)
            if max(latitude for _, latitude in points) < FRAME.south:
                continue  # Antarctica is outside the frame
            path = ring_path(points)
            if path:
                paths.append(path)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {FRAME.width} {FRAME.height}">'
        "<!-- Land: Natural Earth 110m (public domain), via world-atlas; Equal Earth projection. "
        "Made by scripts/world_map.py. -->"
        f'<path fill="#cfdde8" stroke="#9fb6c8" stroke-width=".6" d="{"".join(paths)}"/></svg>\n'
    )
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(svg)
    print(f"{TARGET.relative_to(ROOT)}: {len(paths)} rings, {len(svg)} bytes")


if __name__ == "__main__":
    main()
