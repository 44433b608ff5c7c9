"""Server-side SVG trend charts: no script, printable, readable without colour (a table of the
same numbers follows each chart on the page)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 28


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]
    style: str  # "bar" or "line"
    css: str  # class name: colour from the stylesheet


def _nice_top(value: float) -> float:
    if value <= 0:
        return 1.0
    step = 10 ** len(str(int(value))) / 10
    for factor in (1, 2, 2.5, 5, 10):
        if value <= step * factor:
            return step * factor
    return value


def chart_svg(
    *,
    title: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    top: float | None = None,
    percent: bool = False,
) -> SafeString:
    """A bar-and-line chart over evenly spaced x positions (days)."""
    n = max(len(x_labels), 1)
    peak = max((v for s in series for v in s.values if v is not None), default=0)
    top = top or _nice_top(float(peak))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / n

    def y(value: float) -> float:
        return TOP + plot_h - (value / top) * plot_h

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i in range(5):  # gridlines with their values
        value = top * i / 4
        label = f"{value * 100:.0f}%" if percent else f"{value:g}"
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" '
            f'y2="{y(value):.1f}"/><text class="axis" x="{LEFT - 4}" y="{y(value) + 4:.1f}" '
            f'text-anchor="end">{label}</text>'
        )
    every = max(1, n // 10)
    for i, text in enumerate(x_labels):
        if i % every == 0:
            x = LEFT + slot * (i + 0.5)
            parts.append(
                f'<text class="axis" x="{x:.1f}" y="{HEIGHT - 8}" text-anchor="middle">'
                f"{escape(text)}</text>"
            )
    for s in series:
        if s.style == "bar":
            width = slot * 0.6 / max(1, sum(1 for t in series if t.style == "bar"))
            for i, v in enumerate(s.values):
                if v:
                    x = LEFT + slot * (i + 0.2)
                    parts.append(
                        f'<rect class="{s.css}" x="{x:.1f}" y="{y(v):.1f}" width="{width:.1f}" '
                        f'height="{plot_h + TOP - y(v):.1f}"><title>{escape(x_labels[i])}: '
                        f"{v:g}</title></rect>"
                    )
        else:
            points = [
                f"{LEFT + slot * (i + 0.5):.1f},{y(v):.1f}"
                for i, v in enumerate(s.values)
                if v is not None
            ]
            if points:
                parts.append(f'<polyline class="{s.css}" fill="none" points="{" ".join(points)}"/>')
    legend_x = LEFT + 8
    for s in series:
        parts.append(
            f'<rect class="{s.css} legend" x="{legend_x}" y="{TOP}" width="10" height="10"/>'
            f'<text class="axis" x="{legend_x + 14}" y="{TOP + 9}">{escape(s.label)}</text>'
        )
        legend_x += 14 + 8 * len(s.label) + 16
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped
