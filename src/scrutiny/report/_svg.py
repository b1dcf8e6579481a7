"""Small SVG building blocks: escaping, scales, nice ticks, axes and the accessible ``<svg>`` wrapper.

Every chart in the report is hand-written SVG built from these pieces, so the file needs no
script and no network, prints sharply and scales with the page. All text that enters an SVG goes
through :func:`esc`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

__all__ = [
    "esc",
    "num",
    "nice_ticks",
    "log_ticks",
    "Scale",
    "svg",
    "rect",
    "line",
    "text",
    "polyline",
    "polygon",
    "circle",
    "x_axis",
    "y_axis",
    "OKABE_ITO",
    "SERIES",
    "DASHES",
    "MARKERS",
    "marker",
    "marker_icon",
]

#: Okabe-Ito colour-blind-safe palette (Okabe & Ito 2008; Wong, Nature Methods 2011).
OKABE_ITO: tuple[str, ...] = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
#: Series colours in the order used for arms and replicates (baseline first, in near-black).
SERIES: tuple[str, ...] = ("#222222", "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C6D00")
#: Dash patterns, the third thing that tells series apart (after colour and marker).
DASHES: tuple[str, ...] = ("", "6 3", "2 2", "8 3 2 3")
#: Marker shapes: with the eight colours they give 24 distinct (colour, shape) pairs before a pair repeats, and
#: with the dashes 96 styles (see :func:`scrutiny.report._compare_view.arm_style`).
MARKERS: tuple[str, ...] = ("circle", "square", "triangle", "diamond", "triangle-down", "hexagon")


def esc(value: object) -> str:
    """Escape text for SVG/HTML (``<``, ``>``, ``&``, quotes).

    Examples:
        >>> esc("<script>alert(1)</script>")
        '&lt;script&gt;alert(1)&lt;/script&gt;'
    """
    return str(escape(str(value)))


def num(value: float) -> str:
    """A coordinate with at most two decimals (short, stable SVG).

    Examples:
        >>> num(3.14159), num(2.0)
        ('3.14', '2')
    """
    return f"{value:.2f}".rstrip("0").rstrip(".") if math.isfinite(value) else "0"


def nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """Round tick values covering ``[lo, hi]`` (steps of 1, 2, 2.5 or 5 times a power of ten).

    Examples:
        >>> nice_ticks(0, 532)
        [0.0, 100.0, 200.0, 300.0, 400.0, 500.0, 600.0]
        >>> nice_ticks(0, 1)
        [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    """
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        hi = lo + 1.0
    raw = (hi - lo) / max(1, n)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if (hi - lo) / (m * power) <= n + 1 + 1e-9)
    start = math.floor(lo / step + 1e-9) * step
    ticks, t = [], start
    while t < hi + step * 0.999:
        ticks.append(round(t, 12))
        t += step
    return [float(x) for x in ticks]


def log_ticks(lo: float, hi: float) -> list[float]:
    """Ticks for a log axis: 1, 2, 5 times powers of ten inside ``[lo, hi]``.

    Examples:
        >>> log_ticks(0.3, 12)
        [0.5, 1.0, 2.0, 5.0, 10.0]
    """
    out = []
    for e in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1):
        for m in (1, 2, 5):
            v = m * 10.0**e
            if lo <= v * (1 + 1e-9) and v <= hi * (1 + 1e-9):
                out.append(float(round(v, 12)))
    return out


@dataclass(frozen=True)
class Scale:
    """A linear or logarithmic map from data ``domain`` to pixel ``range``."""

    domain: tuple[float, float]
    range: tuple[float, float]
    log: bool = False

    def __call__(self, value: float) -> float:
        """Pixel position of ``value`` (clamped to the domain)."""
        d0, d1 = self.domain
        v = min(max(value, min(d0, d1)), max(d0, d1))
        if self.log:
            d0, d1, v = math.log10(d0), math.log10(d1), math.log10(v)
        frac = 0.0 if d1 == d0 else (v - d0) / (d1 - d0)
        return self.range[0] + frac * (self.range[1] - self.range[0])


def svg(width: float, height: float, body: Iterable[str], *, title: str, desc: str, uid: str) -> Markup:
    """The accessible ``<svg>`` element: ``role="img"`` with a title and a description.

    Args:
        width: viewBox width in px.
        height: viewBox height in px.
        body: SVG elements (already escaped).
        title: Short name of the chart (read by screen readers, shown as a tooltip).
        desc: What the chart shows, in a sentence or two; the data table follows the chart.
        uid: Unique id prefix within the page.
    """
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {num(width)} {num(height)}" '
        f'class="chart-svg" role="img" aria-labelledby="{uid}-t {uid}-d" style="max-width:{num(width)}px">'
        f'<title id="{uid}-t">{esc(title)}</title><desc id="{uid}-d">{esc(desc)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")


def _attrs(**kw: object) -> str:
    parts = []
    for k, v in kw.items():
        if v is None or v == "":
            continue
        parts.append(f'{k.rstrip("_").replace("_", "-")}="{esc(v)}"')
    return " ".join(parts)


def rect(x: float, y: float, w: float, h: float, *, fill: str, tip: str | None = None, cls: str = "mark",
         **kw: object) -> str:
    """A rectangle; ``tip`` becomes a hover tooltip (``<title>``)."""
    a = _attrs(x=num(x), y=num(y), width=num(max(w, 0.0)), height=num(max(h, 0.0)), fill=fill, class_=cls, **kw)
    return f"<rect {a}><title>{esc(tip)}</title></rect>" if tip else f"<rect {a}/>"


def line(x1: float, y1: float, x2: float, y2: float, *, cls: str = "", **kw: object) -> str:
    """A straight line."""
    return f"<line {_attrs(x1=num(x1), y1=num(y1), x2=num(x2), y2=num(y2), class_=cls, **kw)}/>"


def text(x: float, y: float, content: object, *, anchor: str = "start", cls: str = "", **kw: object) -> str:
    """A text label (escaped)."""
    return f"<text {_attrs(x=num(x), y=num(y), text_anchor=anchor, class_=cls, **kw)}>{esc(content)}</text>"


def polyline(points: Sequence[tuple[float, float]], *, stroke: str, cls: str = "mark line-mark",
             dash: str = "", tip: str | None = None, **kw: object) -> str:
    """An open line through ``points`` (pairs of pixels)."""
    pts = " ".join(f"{num(x)},{num(y)}" for x, y in points)
    a = _attrs(points=pts, fill="none", stroke=stroke, stroke_dasharray=dash, class_=cls, **kw)
    return f"<polyline {a}><title>{esc(tip)}</title></polyline>" if tip else f"<polyline {a}/>"


def polygon(points: Sequence[tuple[float, float]], *, fill: str, cls: str = "mark", tip: str | None = None,
            **kw: object) -> str:
    """A closed filled shape."""
    pts = " ".join(f"{num(x)},{num(y)}" for x, y in points)
    a = _attrs(points=pts, fill=fill, class_=cls, **kw)
    return f"<polygon {a}><title>{esc(tip)}</title></polygon>" if tip else f"<polygon {a}/>"


def circle(x: float, y: float, r: float, *, fill: str, tip: str | None = None, cls: str = "mark", **kw: object) -> str:
    """A dot."""
    a = _attrs(cx=num(x), cy=num(y), r=num(r), fill=fill, class_=cls, **kw)
    return f"<circle {a}><title>{esc(tip)}</title></circle>" if tip else f"<circle {a}/>"


def x_axis(scale: Scale, ticks: Sequence[float], *, y0: float, y1: float, label: str,
           fmt: Callable[[float], str], grid: bool = True) -> list[str]:
    """Bottom axis at ``y1`` with tick labels and optional vertical grid lines up to ``y0``."""
    out = [line(scale.range[0], y1, scale.range[1], y1, cls="axis")]
    for t in ticks:
        x = scale(t)
        if grid:
            out.append(line(x, y0, x, y1, cls="grid"))
        out.append(text(x, y1 + 15, fmt(t), anchor="middle", cls="tick"))
    out.append(text((scale.range[0] + scale.range[1]) / 2, y1 + 33, label, anchor="middle", cls="axis-label"))
    return out


def y_axis(scale: Scale, ticks: Sequence[float], *, x0: float, x1: float, label: str,
           fmt: Callable[[float], str], grid: bool = True) -> list[str]:
    """Left axis at ``x0`` with tick labels and optional horizontal grid lines across to ``x1``."""
    out = [line(x0, scale.range[0], x0, scale.range[1], cls="axis")]
    for t in ticks:
        y = scale(t)
        if grid:
            out.append(line(x0, y, x1, y, cls="grid"))
        out.append(text(x0 - 6, y + 4, fmt(t), anchor="end", cls="tick"))
    mid = (scale.range[0] + scale.range[1]) / 2
    out.append(text(12, mid, label, anchor="middle", cls="axis-label", transform=f"rotate(-90 12 {num(mid)})"))
    return out


def _shape_points(shape: str, x: float, y: float, r: float) -> list[tuple[float, float]]:
    """Vertices of a marker shape of radius ``r`` centred on ``(x, y)`` (a circle has none)."""
    if shape == "square":
        k = r * 0.85
        return [(x - k, y - k), (x + k, y - k), (x + k, y + k), (x - k, y + k)]
    if shape == "diamond":
        k = r * 1.15
        return [(x, y - k), (x + k, y), (x, y + k), (x - k, y)]
    if shape in ("triangle", "triangle-down"):
        k, s = r * 1.2, -1.0 if shape == "triangle" else 1.0
        return [(x, y + s * k), (x + k * 0.95, y - s * k * 0.6), (x - k * 0.95, y - s * k * 0.6)]
    if shape == "hexagon":
        return [(x + r * math.cos(a), y + r * math.sin(a)) for a in (math.pi / 3 * i + math.pi / 6 for i in range(6))]
    return []


def marker(shape: str, x: float, y: float, r: float, *, fill: str, tip: str | None = None, cls: str = "mark",
           **kw: object) -> str:
    """A data marker of one of :data:`MARKERS` (``data-marker`` names the shape)."""
    pts = _shape_points(shape, x, y, r)
    if not pts:
        return circle(x, y, r, fill=fill, tip=tip, cls=cls, data_marker="circle", **kw)
    return polygon(pts, fill=fill, tip=tip, cls=cls, data_marker=shape, **kw)


def marker_icon(shape: str, color: str, dash: str = "", *, size: float = 14.0) -> Markup:
    """A small inline ``<svg>`` of a marker, for legends and tables.

    With ``dash`` it sits on a short line in the series' dash (``"none"``: a solid line). It is decorative
    (``aria-hidden``): the text beside it names the series.
    """
    w = size * 2 if dash else size
    body = []
    if dash:
        body.append(line(0, size / 2, w, size / 2, stroke=color, stroke_width="2",
                         stroke_dasharray="" if dash == "none" else dash))
    body.append(marker(shape, w / 2, size / 2, size * 0.34, fill=color, cls="icon", stroke="#fff",
                       stroke_width="0.8"))
    return Markup(f'<svg class="marker-icon" viewBox="0 0 {num(w)} {num(size)}" width="{num(w)}" height="{num(size)}" '
                  f'aria-hidden="true" data-shape="{esc(shape)}" data-color="{esc(color)}">{"".join(body)}</svg>')
