"""Server-side SVG chart of one series: observed counts, expected value, threshold, alarms.

SVG drawn on the server works under the strict CSP and without JavaScript; weeks the model
could not assess are marked as such rather than drawn as normal.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from beredskap.surveillance.periods import label

W, H, PAD = 760, 260, 36


def _path(points: list[tuple[float, float] | None]) -> str:
    out, pen = [], False
    for p in points:
        if p is None:
            pen = False
            continue
        out.append(f"{'L' if pen else 'M'}{p[0]:.1f},{p[1]:.1f}")
        pen = True
    return " ".join(out)


def render(results: list, title: str) -> str:
    """``results``: DetectionResult rows in period order."""
    n = max(len(results), 1)
    top = max(
        [1.0] + [float(v) for r in results for v in (r.observed, r.upperbound) if v is not None]
    )
    top = min(top, 10 * max([1.0] + [float(r.observed or 0) for r in results]))

    def x(i: int) -> float:
        return PAD + (W - 2 * PAD) * i / max(n - 1, 1)

    def y(v: float) -> float:
        return H - PAD - (H - 2 * PAD) * min(v, top) / top

    obs = [(x(i), y(r.observed)) if r.observed is not None else None for i, r in enumerate(results)]
    exp = [(x(i), y(r.expected)) if r.expected is not None else None for i, r in enumerate(results)]
    thr = [
        (x(i), y(r.upperbound)) if r.upperbound is not None else None for i, r in enumerate(results)
    ]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" role="img" '
        f'aria-labelledby="t"><title id="t">{escape(title)}</title>',
        f'<line x1="{PAD}" y1="{H - PAD}" x2="{W - PAD}" y2="{H - PAD}" stroke="#666"/>',
        f'<text x="4" y="{PAD}" font-size="11">{top:.0f}</text>',
        f'<text x="4" y="{H - PAD}" font-size="11">0</text>',
        f'<path d="{_path(thr)}" fill="none" stroke="#c0392b" stroke-dasharray="5,3"/>',
        f'<path d="{_path(exp)}" fill="none" stroke="#2e7d32"/>',
        f'<path d="{_path(obs)}" fill="none" stroke="#1f4e9c" stroke-width="2"/>',
    ]
    for i, r in enumerate(results):
        if r.alarm:
            parts.append(
                f'<circle cx="{x(i):.1f}" cy="{y(r.observed or 0):.1f}" r="4" fill="#c0392b">'
                f"<title>{label(r.period)}: {r.observed} (alarm)</title></circle>"
            )
        elif r.status != "ok":
            parts.append(
                f'<rect x="{x(i) - 1.5:.1f}" y="{H - PAD + 2}" width="3" height="6" fill="#999">'
                f"<title>{label(r.period)}: {escape(r.verdict)}</title></rect>"
            )
    if results:
        parts.append(
            f'<text x="{PAD}" y="{H - 8}" font-size="11">{label(results[0].period)}</text>'
        )
        parts.append(
            f'<text x="{W - PAD}" y="{H - 8}" font-size="11" text-anchor="end">'
            f"{label(results[-1].period)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
