"""The accessible copy: a Handout as one self-contained HTML file, for a screen reader, large text
or a phone. Made from the same composed Handout and layout as the PDF (render/pdf.py), with the
same texts in the same order (the page chrome aside: the repeated headers, page numbers and the
footer printed on every page are once, at the end):

- `<html lang>` from the language's locale; headings in order (h1 title, h2 parts, h3 within);
- the red-flag signs first after the title and who and when, as a region landmark named by its
  heading, in a thick red box with a warning sign;
- steps as <ol>, doses as sentences, the plan at a glance and the weekly log as tables with
  real headers (th scope), the log's boxes as checkboxes, each with its own name;
- pictures inline: figures as SVG (the PDF's own drawing, see svg.py) with <title> and <desc>
  from the exercise's captions, photos as data: URIs with the caption as alt text; the video
  links the QR codes encode as links;
- styles inline, rem units and no fixed widths (large text reflows, a phone too), @media print;
- every text escaped (never markup); the same handout and layout give the same bytes.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterator
from pathlib import Path

from handouts import __version__
from handouts.compose import Handout, Item, PlanRow
from handouts.model import Layout
from handouts.render.html.style import stylesheet
from handouts.render.html.svg import ROOT, number, svg_elements

BLANK = "_" * 18  # (render/story.py's) a line to write on when a name was not given
PHONE_BLANK = "_" * 16  # (render/chrome.py's)
PANEL_WIDTH = 216.0  # points: one picture's width as drawn (the SVG scales to the page)


def html_bytes(handout: Handout, layout: Layout) -> bytes:
    """The handout as one HTML file (UTF-8): the same handout and layout give the same bytes."""
    return "".join(_document(handout, layout)).encode("utf-8")


def _e(text: str) -> str:
    """Text for an element's content or an attribute value: nothing in it is markup."""
    return html.escape(text, quote=True)


def _lines(text: str) -> str:
    """Escaped text that keeps its line breaks."""
    return "<br>".join(_e(line) for line in text.split("\n"))


class _Ids:
    """Unique, stable ids for one document ("f-1-0", "f-1-0-2"...)."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def __call__(self, base: str) -> str:
        name, n = base, 1
        while name in self.used:
            n += 1
            name = f"{base}-{n}"
        self.used.add(name)
        return name


def _document(h: Handout, layout: Layout) -> Iterator[str]:
    labels, brand = h.labels, h.brand
    ids = _Ids()
    title = f"{h.title} - {brand.name}" if brand.name else h.title
    yield "<!DOCTYPE html>\n"
    yield f'<html lang="{_e(labels.locale)}">\n<head>\n<meta charset="utf-8">\n'
    yield '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
    yield f"<title>{_e(title)}</title>\n"
    yield f'<meta name="author" content="{_e(brand.name)}">\n'
    subject = labels.fill("pdf_subject", clinic=brand.name)
    yield f'<meta name="description" content="{_e(subject)}">\n'
    yield f'<meta name="generator" content="handouts {_e(__version__)}">\n'
    yield f"<style>\n{stylesheet(layout, brand)}</style>\n</head>\n<body>\n"
    yield from _header(h, layout, ids)
    yield '<main id="main">\n'
    yield f"<h1>{_e(h.title)}</h1>\n"
    yield from _who_and_when(h)
    yield from _red_flags(h, ids)
    yield from _front(h, layout)
    for item in h.items:
        yield from _exercise(item, h, layout, ids)
    yield from _summary(h, layout, ids)
    yield from _log(h, ids)
    yield "</main>\n"
    yield from _footer(h, layout)
    yield "</body>\n</html>\n"


# -- page 1 ---------------------------------------------------------------------------------


def _header(h: Handout, layout: Layout, ids: _Ids) -> Iterator[str]:
    """The first page's header: the clinic's logo, name, tagline, contact details and QR link."""
    brand, labels = h.brand, h.labels
    yield '<header class="brand">\n'
    if brand.logo is not None and "logo" in layout.header:
        yield f'<img class="logo" src="{_logo_uri(brand.logo, brand.origin)}" alt="{_e(brand.name)}">\n'
    yield f'<p class="clinic">{_e(brand.name)}</p>\n'
    if brand.tagline and "tagline" in layout.header:
        yield f'<p class="tagline">{_e(brand.tagline)}</p>\n'
    if "contact" in layout.header:
        contact = [(labels.label("phone"), brand.phone or PHONE_BLANK, "tel"),
                   (labels.label("email"), brand.email, "mailto"),
                   (labels.label("website"), brand.website, "web")]  # fmt: skip
        parts = [f"<span>{_e(label)} {_contact_link(value, kind)}</span>"
                 for label, value, kind in contact if value]  # fmt: skip
        yield f'<p class="contact">{" ".join(parts)}</p>\n'
        if brand.address:
            yield f'<p class="address">{_lines(brand.address)}</p>\n'
    if brand.qr_link and "qr" in layout.header:
        caption = brand.qr_caption or labels["qr_caption"]
        yield f'<p class="qr"><a href="{_e(brand.qr_link)}">{_qr_svg(brand.qr_link)}'
        yield f"<span>{_e(caption)}</span></a></p>\n"
    yield "</header>\n"


def _contact_link(value: str, kind: str) -> str:
    """A phone number as a tel: link, an email address as a mailto: link, else the text."""
    if kind == "tel" and value != PHONE_BLANK:
        digits = "".join(c for c in value if c.isdigit() or c == "+")
        if digits:
            return f'<a href="tel:{_e(digits)}">{_e(value)}</a>'
    if kind == "mailto" and "@" in value and " " not in value:
        return f'<a href="mailto:{_e(value)}">{_e(value)}</a>'
    if value == PHONE_BLANK:
        return _blank(value)
    return _e(value)


def _blank(text: str) -> str:
    """A line to write on: drawn, and not read out as a row of underscores."""
    return f'<span class="blank" aria-hidden="true">{_e(text)}</span>'


def _who_and_when(h: Handout) -> Iterator[str]:
    labels = h.labels
    pairs = [(labels.label("patient"), h.patient),
             (labels.label("therapist"), h.therapist),
             (labels.label("date"), labels.date(h.date))]  # fmt: skip
    yield '<p class="who">'
    yield " ".join(
        f"<span><strong>{_e(label)}</strong> {_e(text) if text else _blank(BLANK)}</span>"
        for label, text in pairs
    )
    yield "</p>\n"


WARNING_SIGN = (
    '<svg class="sign" aria-hidden="true" focusable="false" viewBox="0 0 20 18">'
    '<path d="M10 1L19 17H1Z" fill="#a50e0e" stroke="#a50e0e" stroke-linejoin="round"/>'
    '<path d="M10 6.5V11.5" stroke="#fff" stroke-width="2.2" stroke-linecap="round"/>'
    '<circle cx="10" cy="14.4" r="1.3" fill="#fff"/></svg>'
)


def _red_flags(h: Handout, ids: _Ids) -> Iterator[str]:
    """The signs that need medical help right away: the most important part, first."""
    d = h.disclaimers
    heading = ids("red-flags")
    yield f'<section class="red-flags" aria-labelledby="{heading}">\n'
    yield f'<h2 id="{heading}">{WARNING_SIGN}<span>{_e(d.red_flags_title)}</span></h2>\n'
    yield _list(d.red_flags)
    if d.red_flags_action:
        yield f'<p class="action"><strong>{_lines(d.red_flags_action)}</strong></p>\n'
    yield "</section>\n"


def _list(items, kind: str = "ul", css: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    inner = "".join(f"<li>{_lines(text)}</li>" for text in items)
    return f"<{kind}{cls}>{inner}</{kind}>\n"


def _front(h: Handout, layout: Layout) -> Iterator[str]:
    """The intro, the therapist's notes, 'Before you start' and the number to call."""
    labels, d = h.labels, h.disclaimers
    if h.intro and layout.shows("intro"):
        yield f'<p class="intro">{_lines(h.intro)}</p>\n'
    if h.notes and layout.shows("notes"):
        yield f'<section class="notes">\n<h2>{_e(labels["notes"])}</h2>\n'
        for block in (b.strip("\n") for b in h.notes.split("\n\n")):
            if block.strip():
                yield f"<p>{_lines(block)}</p>\n"
        yield "</section>\n"
    if layout.shows("safety") and layout.style == "brief":
        title = labels.fill("label", label=d.safety_title.rstrip(":"))
        yield f'<p class="safety"><strong>{_e(title)}</strong> {_lines(" ".join(d.safety))}</p>\n'
    elif layout.shows("safety"):
        yield f'<section class="safety">\n<h2>{_e(d.safety_title)}</h2>\n{_list(d.safety)}'
        yield "</section>\n"
    if layout.shows("safety"):
        brand = h.brand
        if brand.phone:
            text = labels.fill("contact_phone", clinic=brand.name, phone=brand.phone)
            yield f'<p class="contact-line"><strong>{_e(text)}</strong></p>\n'
        else:
            yield (f'<p class="contact-line"><strong>{_e(labels["contact_line"])}</strong> '
                   f"{_blank(BLANK)}</p>\n")  # fmt: skip


# -- the exercises --------------------------------------------------------------------------


def _exercise(item: Item, h: Handout, layout: Layout, ids: _Ids) -> Iterator[str]:
    e, labels = item.exercise, h.labels
    heading = ids(f"exercise-{item.number}")
    yield f'<section class="exercise" aria-labelledby="{heading}">\n'
    if item.label:
        yield f'<p class="version">{_e(item.label)}</p>\n'
    yield f'<h2 id="{heading}">{_e(item.number)}. {_e(e.title)}</h2>\n'
    if item.chosen:
        yield f'<p class="chosen"><strong>{_e(item.chosen)}</strong></p>\n'
    if layout.shows("purpose"):
        yield _labelled(labels.label("why"), e.purpose)
    if e.position and layout.shows("position"):
        yield _labelled(labels.label("position"), e.position)
    if e.equipment and layout.shows("equipment"):
        from handouts.render.story import equipment_list

        yield _labelled(labels.label("equipment"), equipment_list(e.equipment))
    if item.pick:
        yield f'<div class="pick"><p><strong>{_e(labels["choice_tick"])}</strong></p><ul>'
        yield "".join(f'<li><span class="box" aria-hidden="true"></span><strong>{_e(n)}</strong></li>'
                      for n in item.pick)  # fmt: skip
        yield "</ul></div>\n"
    if layout.shows("figures") and layout.figure_height:
        if item.arrow_key and not e.images:
            yield f'<p class="arrow-key"><strong>{_e(item.arrow_key)}</strong></p>\n'
        yield from _pictures(item, h, layout, ids)
    if layout.style == "brief":
        yield from _brief(item, h, layout)
    else:
        yield from _full(item, h, layout)
    if layout.shows("links"):
        for link in item.links:
            yield f'<p class="link">{_e(link)}</p>\n'
    yield "</section>\n"


def _labelled(label: str, text: str, css: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    return f"<p{cls}><strong>{_e(label)}</strong> {_lines(text)}</p>\n"


def _full(item: Item, h: Handout, layout: Layout) -> Iterator[str]:
    """Numbered steps, then the dose box, tips, cautions and the video (beside them in the PDF)."""
    e, labels = item.exercise, h.labels
    yield '<div class="how">\n<div class="steps">\n'
    yield f'<h3>{_e(labels["steps"])}</h3>\n{_list(e.steps, "ol")}</div>\n<div class="side">\n'
    if item.dose or item.notes:
        yield f'<div class="dose">\n<h3>{_e(labels["how_much"])}</h3>\n'
        yield "".join(f"<p>{_e(line)}</p>\n" for line in item.dose)
        if item.notes:
            yield _labelled(labels.label("therapist_says"), item.notes, "said")
        yield "</div>\n"
    if e.tips and layout.shows("tips"):
        yield f"<h3>{_e(labels['tips'])}</h3>\n{_list(e.tips)}"
    if e.cautions and layout.shows("cautions"):
        yield f'<h3 class="caution">{_e(labels["cautions"])}</h3>\n{_list(e.cautions)}'
    if e.video and layout.shows("qr"):
        yield _video(e.video, labels["video_caption"])
    yield "</div>\n</div>\n"


def _brief(item: Item, h: Handout, layout: Layout) -> Iterator[str]:
    """A reminder card: the same parts, each after its label (the PDF runs them on)."""
    e, labels = item.exercise, h.labels
    yield f'<p class="label"><strong>{_e(labels.label("steps"))}</strong></p>\n'
    yield _list(e.steps, "ol", "run-on")
    if item.dose:
        yield _labelled(labels.label("how_much"), " ".join(item.dose), "dose-line")
    if item.notes:
        yield _labelled(labels.label("therapist_says"), item.notes, "said")
    if e.tips and layout.shows("tips"):
        yield _labelled(labels.label("tips"), " ".join(e.tips))
    if e.cautions and layout.shows("cautions"):
        yield _labelled(labels.label("cautions"), " ".join(e.cautions), "caution")
    if e.video and layout.shows("qr"):
        yield _video(e.video, labels["video_caption"])


def _video(link: str, caption: str) -> str:
    """The video's QR code (for the printed copy) and its link, named by the caption."""
    return (
        f'<p class="video"><a href="{_e(link)}">{_qr_svg(link)}<span>{_e(caption)}</span></a></p>\n'
    )


def _qr_svg(link: str) -> str:
    """The QR code the PDF prints for `link`, as SVG (decorative here: the link beside it)."""
    from handouts.render.qr import QUIET, qr_runs

    count, runs = qr_runs(link)
    size = count + 2 * QUIET
    dark = "".join(
        f"M{QUIET + col} {QUIET + row}h{length}v1h-{length}Z" for row, col, length in runs
    )
    return (f'<svg class="qr-code" aria-hidden="true" focusable="false" viewBox="0 0 {size} {size}">'
            f'<rect width="{size}" height="{size}" fill="#fff"/><path d="{dark}" fill="#000"/>'
            "</svg>")  # fmt: skip


# -- pictures -------------------------------------------------------------------------------


def _pictures(item: Item, h: Handout, layout: Layout, ids: _Ids) -> Iterator[str]:
    """The start and end pictures, each a <figure> with its caption under it."""
    e, labels = item.exercise, h.labels
    names = (labels["start"], labels["end"])
    described = e.captions if item.captions and layout.style != "brief" else ()
    if described:
        names = tuple(labels.fill("label", label=name) for name in names)
    if e.images:
        count = len(e.images)
    elif e.figure is not None:
        count = 2
        pair = _figure_pair(item, h, layout)
    else:
        return
    yield '<div class="pictures">\n'
    for index in range(count):
        caption = _caption(names[index], described[index] if index < len(described) else "")
        alt = item.captions[index] if index < len(item.captions) else names[index]
        yield "<figure>\n"
        if e.images:
            uri = _photo_uri(e.images[index], f"exercise '{e.id}' ({e.origin})")
            yield f'<img src="{uri}" alt="{_e(alt)}">\n'
        else:
            yield _figure_svg(pair, index, alt, e.title, h, ids(f"figure-{item.number}-{index}"))
        yield f"<figcaption>{caption}</figcaption>\n</figure>\n"
    yield "</div>\n"


def _caption(name: str, text: str) -> str:
    return f"<strong>{_e(name)}</strong> {_e(text)}" if text else f"<strong>{_e(name)}</strong>"


def _figure_pair(item: Item, h: Handout, layout: Layout):
    from reportlab.lib import colors

    from handouts.render.figure import FigurePair
    from handouts.render.fonts import font_family

    fonts = font_family(h.brand.font or layout.font)
    labels = h.labels
    names = {"above": labels["view_above"], "front": labels["view_front"],
             "close_up": labels["close_up"]}  # fmt: skip
    accent = colors.HexColor(layout.accent_color or h.brand.accent_color)
    height = layout.figure_height * PANEL_WIDTH * 2 / 468  # the standard card's proportions
    return FigurePair(item.exercise.figure, PANEL_WIDTH * 2 + layout.body_size,
                      max(height, layout.body_size * 8), fonts.bold, layout.body_size, accent,
                      (), names)  # fmt: skip


def _figure_svg(pair, index: int, alt: str, title: str, h: Handout, key: str) -> str:
    """One panel of a FigurePair as an SVG: the PDF's own operators, its rows' names as text."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    width, height = pair.panel_w, pair.panel_h
    flip = (1.0, 0.0, 0.0, -1.0, 0.0, height)
    paths = svg_elements(pair.operators(index), flip)
    texts = []
    if pair.named:
        for (kind, thing, _), (x, label_y, _) in zip(pair.rows, pair.row_places(), strict=True):
            name = thing[0].side if kind == "view" else "close_up"
            label = pair.view_labels.get(name, "")
            left = x if pair.beside else 6.0
            # as wide as the PDF draws it, whatever font the browser has: never past the panel
            wide = stringWidth(label, pair.font, pair.size)
            texts.append(
                f'<text x="{number(left)}" y="{number(height - label_y)}" textLength='
                f'"{number(wide)}" lengthAdjust="spacingAndGlyphs">{_e(label)}</text>'
            )
    views = [t for t in (pair.view_labels.get(r[1][0].side if r[0] == "view" else "close_up", "")
                         for r in pair.rows) if t]  # fmt: skip
    desc = ". ".join([title, *views])
    return (
        f'<svg role="img" aria-labelledby="{key}-t {key}-d" {ROOT} viewBox="0 0 {number(width)} '
        f'{number(height)}"><title id="{key}-t">{_e(alt)}</title><desc id="{key}-d">{_e(desc)}'
        f'</desc><rect x="0.5" y="0.5" width="{number(width - 1)}" height="{number(height - 1)}" '
        f'rx="6" stroke="#b5b5b5" stroke-width="0.75"/>{"".join(paths)}'
        f"{''.join(texts)}</svg>\n"
    )


def _photo_uri(path: Path, what: str) -> str:
    """A photo as the PDF prints it (upright, reduced when large), as a data: URI."""
    from handouts.render.images import print_ready

    picture = print_ready(path, f"the picture for {what}", PANEL_WIDTH * 1.5, PANEL_WIDTH * 1.5)
    kind = "jpeg" if picture.kind == "jpeg" else "png"
    return f"data:image/{kind};base64,{base64.b64encode(picture.data).decode('ascii')}"


def _logo_uri(path: Path, origin: str) -> str:
    """The brand's logo as a data: URI: an SVG as it is (checked self-contained when the brand
    was loaded; an <img> never runs or fetches anything in it), a photo as the PDF prints it."""
    if path.suffix.lower() == ".svg":
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f"data:image/svg+xml;base64,{data}"
    from handouts.render.images import print_ready

    picture = print_ready(path, f"the logo in {origin}", 200, 80)
    kind = "jpeg" if picture.kind == "jpeg" else "png"
    return f"data:image/{kind};base64,{base64.b64encode(picture.data).decode('ascii')}"


def _sketch_svg(item: Item, alt: str, key: str) -> str:
    """An exercise's end position, small, for the plan at a glance (the PDF's Sketch)."""
    from handouts.render.figure import Sketch

    sketch = Sketch(item.exercise.figure, 80, 64)
    flip = (1.0, 0.0, 0.0, -1.0, 0.0, sketch.height)
    paths = svg_elements(sketch.operators(), flip)
    return (f'<svg role="img" aria-labelledby="{key}" {ROOT} viewBox="0 0 {number(sketch.width)} '
            f'{number(sketch.height)}"><title id="{key}">{_e(alt)}</title>{"".join(paths)}'
            "</svg>")  # fmt: skip


# -- the plan and the log -------------------------------------------------------------------


def _summary(h: Handout, layout: Layout, ids: _Ids) -> Iterator[str]:
    """Your plan at a glance: a row for each exercise to do (one for a pair of alternatives)."""
    if len(h.plan) < 2 or not layout.shows("summary"):
        return
    labels = h.labels
    heading = ids("plan")
    yield f'<section class="plan" aria-labelledby="{heading}">\n'
    yield f'<h2 id="{heading}">{_e(labels["summary_title"])}</h2>\n'
    yield f"<p>{_e(labels['summary_help'])}</p>\n"
    yield f'<div class="table" role="region" aria-labelledby="{heading}" tabindex="0">\n'
    yield f'<table aria-labelledby="{heading}">\n<thead><tr><td></td>'
    for key in ("summary_exercise", "summary_how_much", "summary_how_often"):
        yield f'<th scope="col">{_e(labels[key])}</th>'
    yield "</tr></thead>\n<tbody>\n"
    for row in h.plan:
        yield from _plan_row(row, layout, ids)
    yield "</tbody>\n</table>\n</div>\n</section>\n"


def _plan_row(row: PlanRow, layout: Layout, ids: _Ids) -> Iterator[str]:
    pictures = []
    if layout.shows("figures") and layout.figure_height:
        for item in row.items:
            e = item.exercise
            alt = item.captions[-1] if item.captions else f"{item.number}. {e.title}"
            if e.images:  # (the end picture, as the PDF's plan: its only one if it has one)
                uri = _photo_uri(e.images[-1], f"exercise '{e.id}' ({e.origin})")
                pictures.append(f'<img src="{uri}" alt="{_e(alt)}">')
            elif e.figure is not None:
                pictures.append(_sketch_svg(item, alt, ids(f"sketch-{item.number}")))
    yield f'<tr><td class="thumb">{"".join(pictures)}</td><th scope="row">'
    if len(row.items) > 1:
        yield (
            "<ul>"
            + "".join(
                f'<li><span class="box" aria-hidden="true"></span>{_e(i.number)}. {_e(i.exercise.title)}</li>'
                for i in row.items
            )
            + "</ul>"
        )
    else:
        yield f"{_e(row.number)}. {_e(row.items[0].exercise.title)}"
    yield f"</th><td>{_e(' '.join(row.how_much))}</td>"
    yield f"<td><strong>{_e(' '.join(row.how_often))}</strong></td></tr>\n"


def _log(h: Handout, ids: _Ids) -> Iterator[str]:
    """A page a week: a table of the exercises by day with a checkbox for each time a day, its
    dose under it, and lines for how it felt."""
    labels = h.labels
    days = labels.items("days")
    for week in range(1, h.log_weeks + 1):
        title = labels.fill("log_title_week", week=week) if h.log_weeks > 1 else labels["log_title"]
        heading = ids(f"log-{week}")
        yield f'<section class="log" aria-labelledby="{heading}">\n'
        yield f'<h2 id="{heading}">{_e(title)}</h2>\n'
        yield f"<p>{_e(labels['log_week_start'])} {_blank('_' * 14)}. {_e(labels['log_help'])}</p>\n"
        yield f'<div class="table" role="region" aria-labelledby="{heading}" tabindex="0">\n'
        yield f'<table aria-labelledby="{heading}">\n<thead><tr>'
        yield f'<th scope="col">{_e(labels["log_exercise"])}</th>'
        yield "".join(f'<th scope="col">{_e(day)}</th>' for day in days)
        yield "</tr></thead>\n<tbody>\n"
        for row in h.plan:
            times = max(item.times_per_day for item in row.items)
            name = f"{row.number}. {row.title}"
            yield f'<tr class="exercise-row"><th scope="row">{_e(name)}</th>'
            for day in days:
                boxes = []
                for n in range(1, min(times, 4) + 1):
                    what = f"{day}: {name}" + (f" ({n}/{times})" if times > 1 else "")
                    boxes.append(f'<input type="checkbox" aria-label="{_e(what)}">')
                yield f"<td>{''.join(boxes)}</td>"
            yield "</tr>\n"
            dose = (*row.how_much, *row.how_often)
            if dose:
                yield f'<tr class="dose-row"><td colspan="8">{_e(" ".join(dose))}</td></tr>\n'
        yield "</tbody>\n</table>\n</div>\n"
        yield f"<h3>{_e(labels['log_notes'])}</h3>\n"
        yield '<div class="lines" aria-hidden="true"></div>\n</section>\n'


def _footer(h: Handout, layout: Layout) -> Iterator[str]:
    """What the PDF prints at the foot of every page, once: the disclaimer, the clinic's footer
    and name."""
    yield "<footer>\n"
    yield f"<p>{_lines(h.disclaimers.footer)}</p>\n"
    if "brand_footer" in layout.footer and h.brand.footer:
        yield f"<p>{_lines(h.brand.footer)}</p>\n"
    yield f'<p class="clinic">{_e(h.brand.name)}</p>\n</footer>\n'
