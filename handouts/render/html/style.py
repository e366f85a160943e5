"""The HTML copy's stylesheet: sizes in rem and em (the reader's own text size scales all of
it), no fixed widths (it reflows on a phone and at 200% text), colours that keep WCAG AA
contrast whatever the brand's, and print rules."""

from __future__ import annotations

from handouts.model import Brand, Layout

INK = "#1a1a1a"
WARNING = "#a50e0e"
WARNING_TINT = "#fdecea"
SOFT_TINT = "#eef3f8"
RULE = "#767676"  # (the PDF's #8c8c8c is lighter than 3:1 on white for a box's border)


def _channels(colour: str) -> tuple[float, float, float]:
    text = colour.lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    return tuple(int(text[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _luminance(rgb: tuple[float, float, float]) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    """WCAG's contrast ratio of two colours (#rrggbb)."""
    a, b = sorted((_luminance(_channels(one)), _luminance(_channels(other))), reverse=True)
    return (a + 0.05) / (b + 0.05)


def readable(colour: str, on: str = "#ffffff", ratio: float = 7.0) -> str:
    """`colour`, darkened until text in it on `on` has at least `ratio` contrast (7:1 covers a
    light tint behind it too): a clinic's pale brand colour still reads."""
    try:
        rgb = _channels(colour)
    except ValueError:
        return INK
    for step in range(21):
        k = 1 - step * 0.05
        shade = "#" + "".join(f"{round(c * k * 255):02x}" for c in rgb)
        if contrast(shade, on) >= ratio:
            return shade
    return INK


def stylesheet(layout: Layout, brand: Brand) -> str:
    primary = readable(layout.primary_color or brand.primary_color)
    accent = readable(layout.accent_color or brand.accent_color)
    # the layout's body size against the standard 12 pt, so large print is larger here too
    base = f"{layout.body_size / 12:.4g}"
    return f"""\
:root {{ --ink: {INK}; --primary: {primary}; --accent: {accent}; --warning: {WARNING}; }}
html {{ font-size: 100%; -webkit-text-size-adjust: 100%; }}
body {{ font-family: "Atkinson Hyperlegible", Verdana, "DejaVu Sans", Arial, sans-serif;
  font-size: {base}rem; line-height: 1.5; color: var(--ink); background: #fff;
  margin: 0 auto; padding: 1em; max-width: 46em; overflow-wrap: break-word; }}
h1, h2, h3 {{ line-height: 1.25; color: var(--primary); }}
h1 {{ font-size: 1.9em; margin: 0.4em 0 0.3em; }}
h2 {{ font-size: 1.45em; margin: 1.4em 0 0.4em; }}
h3 {{ font-size: 1.1em; margin: 0.9em 0 0.2em; color: var(--ink); }}
p {{ margin: 0 0 0.5em; }}
ul, ol {{ margin: 0 0 0.6em; padding-left: 1.6em; }}
li {{ margin: 0 0 0.25em; }}
a {{ color: var(--primary); }}
a:focus, input:focus {{ outline: 0.2em solid var(--accent); outline-offset: 0.1em; }}
.brand {{ border-bottom: 0.15em solid var(--primary); padding-bottom: 0.5em; }}
.brand .logo {{ max-width: 12em; max-height: 5em; height: auto; }}
.brand .clinic {{ font-weight: bold; font-size: 1.3em; color: var(--primary); margin: 0; }}
.brand .contact span {{ margin-right: 1em; display: inline-block; }}
.qr a, .video a {{ display: inline-flex; align-items: center; gap: 0.6em; }}
.qr-code {{ width: 5em; height: 5em; flex: none; }}
.who span {{ display: inline-block; margin-right: 1.5em; }}
.blank {{ letter-spacing: -0.05em; }}
.red-flags {{ border: 0.3em solid var(--warning); background: {WARNING_TINT};
  padding: 0.6em 1em 0.8em; margin: 1em 0; border-radius: 0.3em; }}
.red-flags h2 {{ color: var(--warning); margin-top: 0.2em; display: flex; gap: 0.5em;
  align-items: center; }}
.red-flags .sign {{ width: 1.6em; height: 1.44em; flex: none; }}
.red-flags li, .red-flags .action {{ font-weight: bold; }}
.red-flags .action {{ color: var(--warning); margin-top: 0.5em; }}
.exercise {{ border-top: 0.1em solid #8c8c8c; margin-top: 1.5em; }}
.exercise .version {{ color: var(--accent); font-weight: bold; margin: 1em 0 0; }}
.exercise .version + h2 {{ margin-top: 0.1em; }}
.pick ul {{ list-style: none; padding: 0; display: flex; gap: 1.5em; }}
.box {{ display: inline-block; width: 1.1em; height: 1.1em; border: 0.1em solid var(--ink);
  border-radius: 0.15em; vertical-align: -0.2em; margin-right: 0.4em; }}
.arrow-key {{ color: var(--accent); }}
.pictures {{ display: flex; flex-wrap: wrap; gap: 1em; margin: 0.5em 0 0.8em; }}
figure {{ margin: 0; flex: 1 1 14em; max-width: 24em; }}
figure svg, figure img {{ display: block; width: 100%; height: auto; }}
figure svg text {{ font-size: {layout.body_size:g}px; font-weight: bold; fill: #595959; }}
figcaption {{ text-align: center; margin-top: 0.3em; }}
.how {{ display: flex; flex-wrap: wrap; gap: 0 1.5em; }}
.how .steps {{ flex: 1 1 20em; }}
.how .side {{ flex: 1 1 14em; }}
.dose {{ background: {SOFT_TINT}; border-left: 0.3em solid var(--primary);
  padding: 0.2em 0.8em 0.4em; margin: 0.6em 0; }}
.dose-line {{ background: {SOFT_TINT}; padding: 0.2em 0.4em; }}
.caution {{ color: var(--warning); }}
p.caution strong {{ color: var(--warning); }}
.said strong {{ color: var(--primary); }}
.table {{ overflow-x: auto; }}  /* a table may scroll on its own (WCAG 1.4.10's exception) */
table {{ border-collapse: collapse; width: 100%; margin: 0.5em 0 1em; }}
th, td {{ border: 0.06em solid {RULE}; padding: 0.3em 0.4em; text-align: left;
  vertical-align: top; }}
thead th {{ background: {SOFT_TINT}; }}
.plan .thumb {{ width: 15%; }}
.plan .thumb svg, .plan .thumb img {{ display: block; width: 100%; max-width: 6em; height: auto; }}
.plan th ul {{ list-style: none; padding: 0; margin: 0; }}
.log td {{ text-align: center; vertical-align: middle; }}
.log .dose-row td {{ text-align: left; }}
.log input {{ width: 1.4em; height: 1.4em; min-width: 24px; min-height: 24px; margin: 0.1em; }}
.lines {{ height: 8em; background: repeating-linear-gradient(to bottom, transparent 0,
  transparent 1.95em, {RULE} 1.95em, {RULE} 2em); }}
footer {{ border-top: 0.06em solid {RULE}; margin-top: 2em; padding-top: 0.5em; }}
footer .clinic {{ font-weight: bold; }}
@media (max-width: 30em) {{
  body {{ padding: 0.6em; }}
  .log th, .log td {{ padding: 0.2em; }}
  .log input {{ margin: 0; }}
}}
@media print {{
  body {{ max-width: none; padding: 0; font-size: {layout.body_size:g}pt; }}
  a {{ color: var(--ink); }}
  .video a::after, .qr a::after {{ content: " (" attr(href) ")"; }}
  .red-flags, figure, .dose, tr {{ break-inside: avoid; }}
  h2, h3 {{ break-after: avoid; }}
  .plan, .log {{ break-before: page; }}
  .red-flags {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
}}
"""
