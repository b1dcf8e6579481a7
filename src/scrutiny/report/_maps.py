"""Choropleth maps of the synthetic metro (grid cells) or of imported tract polygons (GeoJSON).

A synthetic run has tract centroids on a regular grid (``x_km``, ``y_km``): each tract is drawn as
a square of the grid's width. A run on imported geography can carry its tract polygons as a
GeoJSON FeatureCollection (``tracts.geojson`` in the run folder); they are then drawn instead,
in an equirectangular projection. Colours come from colour-blind-safe sequential ramps
(ColorBrewer Blues and YlOrBr).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from markupsafe import Markup

from scrutiny.report._format import fmt
from scrutiny.report._svg import polygon, rect, svg, text

__all__ = ["choropleth", "ramp_color", "BLUES", "ORANGES", "legend_ramp"]

BLUES: tuple[str, ...] = ("#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b")
ORANGES: tuple[str, ...] = ("#fff7bc", "#fee391", "#fec44f", "#fe9929", "#ec7014", "#cc4c02", "#993404", "#662506")
GREENS: tuple[str, ...] = ("#e5f5e0", "#c7e9c0", "#a1d99b", "#74c476", "#41ab5d", "#238b45", "#006d2c", "#00441b")
ZERO = "#f4f4f4"


def _hex(c: str) -> tuple[int, int, int]:
    return int(c[1:3], 16), int(c[3:5], 16), int(c[5:7], 16)


def ramp_color(value: float, vmax: float, ramp: Sequence[str]) -> str:
    """Colour of ``value`` on a sequential ramp over ``(0, vmax]``; zero is light grey.

    Examples:
        >>> ramp_color(0, 10, BLUES), ramp_color(10, 10, BLUES)
        ('#f4f4f4', '#08306b')
    """
    if not math.isfinite(value) or value <= 0 or vmax <= 0:
        return ZERO
    pos = min(value / vmax, 1.0) * (len(ramp) - 1)
    i = min(int(pos), len(ramp) - 2)
    f = pos - i
    a, b = _hex(ramp[i]), _hex(ramp[i + 1])
    return "#" + "".join(f"{round(x + (y - x) * f):02x}" for x, y in zip(a, b, strict=True))


def _rings(geometry: dict) -> list[list[tuple[float, float]]]:
    kind, coords = geometry.get("type"), geometry.get("coordinates", [])
    polys = coords if kind == "MultiPolygon" else [coords] if kind == "Polygon" else []
    return [[(float(p[0]), float(p[1])) for p in poly[0]] for poly in polys if poly]


def _feature_shapes(geojson: dict, n: int, geoids: Sequence[str]) -> list[list[list[tuple[float, float]]]]:
    """Polygon rings of each tract 0..n-1, matched by ``geoid``, then ``tract``, then order."""
    shapes: list[list[list[tuple[float, float]]]] = [[] for _ in range(n)]
    index = {str(g): i for i, g in enumerate(geoids) if isinstance(g, str) and g}  # synthetic tracts have none
    for order, feat in enumerate(geojson.get("features", [])):
        props = feat.get("properties") or {}
        key = str(props.get("geoid", props.get("GEOID", "")))
        if key in index:
            i = index[key]
        elif isinstance(props.get("tract"), int):
            i = props["tract"]
        else:
            i = order
        if 0 <= i < n:
            shapes[i] = _rings(feat.get("geometry") or {})
    return shapes


def choropleth(x_km: np.ndarray, y_km: np.ndarray, values: np.ndarray, *, ramp: Sequence[str], uid: str,
               title: str, desc: str, unit: str, cell_km: float = 1.5, geojson: dict | None = None,
               geoids: Sequence[str] = (), size: float = 330.0, vmax: float | None = None) -> Markup:
    """One map: tracts coloured by ``values``, with a colour ramp legend and a scale bar.

    Args:
        x_km: Tract centroid east coordinate, km (synthetic grid).
        y_km: Tract centroid north coordinate, km.
        values: One value per tract.
        ramp: Sequential colour ramp.
        uid: Unique id prefix.
        title: Map title (for screen readers).
        desc: One-sentence description.
        unit: Unit of the values (tooltips and legend).
        cell_km: Width of a grid cell.
        geojson: Tract polygons (lon/lat) for imported geography; replaces the grid.
        geoids: Tract ids matching the GeoJSON features' ``geoid`` property.
        size: Width of the map area, px.
        vmax: Top of the colour scale (default: the largest value), so maps can share a scale.
    """
    values = np.asarray(values, dtype=np.float64)
    vmax = float(np.nanmax(values)) if vmax is None and values.size else float(vmax or 0.0)
    body: list[str] = []
    pad, legend_h = 6.0, 58.0
    shapes, lat0, xs, ys = _extent(x_km, y_km, cell_km, geojson, values.size, geoids)
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    k = (size - 2 * pad) / span
    height = (max(ys) - min(ys)) * k + 2 * pad

    def px(x: float, y: float) -> tuple[float, float]:
        return pad + (x - min(xs)) * k, pad + (max(ys) - y) * k  # north up

    for i, v in enumerate(values):
        tip = f"Area {i}: {fmt(v)} {unit}"
        color = ramp_color(v, vmax, ramp)
        if geojson is not None:
            for ring in shapes[i]:
                body.append(polygon([px(lon * math.cos(lat0), lat) for lon, lat in ring], fill=color, tip=tip,
                                    stroke="#fff", stroke_width="0.4"))
        else:
            x, y = px(float(x_km[i]) - cell_km / 2, float(y_km[i]) + cell_km / 2)
            body.append(rect(x, y, cell_km * k, cell_km * k, fill=color, tip=tip, stroke="#fff", stroke_width="0.6"))
    body += legend_ramp(ramp, vmax, unit, y=height + 10, width=size)
    if geojson is None:
        bar_km = _scale_bar_km(span)
        y = height + 48
        body.append(rect(size - pad - bar_km * k, y - 4, bar_km * k, 4, fill="#333", cls="scalebar"))
        body.append(text(size - pad, y - 8, f"{bar_km:g} km", anchor="end", cls="tick"))
    return svg(size, height + legend_h, body, title=title, desc=desc, uid=uid)


def _extent(x_km, y_km, cell_km: float, geojson: dict | None, n: int, geoids: Sequence[str]):
    """Polygon rings (imported geography), the projection's latitude and the x/y extents."""
    if geojson is not None:
        shapes = _feature_shapes(geojson, n, geoids)
        pts = [p for s in shapes for ring in s for p in ring]
        lat0 = math.radians(sum(p[1] for p in pts) / max(len(pts), 1))
        return shapes, lat0, [p[0] * math.cos(lat0) for p in pts] or [0.0, 1.0], [p[1] for p in pts] or [0.0, 1.0]
    half = cell_km / 2
    xs = list(np.asarray(x_km) - half) + list(np.asarray(x_km) + half) or [0.0, 1.0]
    ys = list(np.asarray(y_km) - half) + list(np.asarray(y_km) + half) or [0.0, 1.0]
    return [], 0.0, xs, ys


def _scale_bar_km(span: float) -> float:
    target = span / 4
    return next((b for b in (20, 10, 5, 3, 2, 1, 0.5) if b <= target), 0.5)


def legend_ramp(ramp: Sequence[str], vmax: float, unit: str, *, y: float, width: float) -> list[str]:
    """A small colour ramp legend (zero swatch, then the ramp from low to ``vmax``)."""
    out = [rect(6, y, 12, 10, fill=ZERO, cls="legend-swatch", stroke="#bbb", stroke_width="0.5"),
           text(12, y + 23, "0", anchor="middle", cls="tick")]
    w = min(150.0, width * 0.4) / len(ramp)
    for j, c in enumerate(ramp):
        out.append(rect(24 + j * w, y, w, 10, fill=c, cls="legend-swatch"))
    out.append(text(24 + len(ramp) * w + 6, y + 9, f"{fmt(vmax)} {unit}" if vmax > 0 else "none", cls="tick"))
    return out
