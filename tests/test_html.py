"""The accessible HTML copy (render/html): axe-core finds no WCAG 2.1 A/AA violation in any layout
or in Spanish, it carries every text of the PDF in the same order, every picture has a text
alternative, patient text is never markup, and the same inputs give the same bytes.

Comparing the words: the PDF's words are read in drawing order (pdfplumber, use_text_flow), the
HTML's with html.parser (text of the document, not of <head>, nor the <title> and <desc> inside
a picture). Left out of the comparison, as page chrome: everything under the footer rule (the
disclaimer, clinic and "Page N of M" on every page: the HTML has them once, in <footer>, checked
on their own), later pages' headers above their rule (the title and patient again), a card's
title repeated on the page it runs on to ("1. Bridge (continued)"), a table's header row
repeated at the top of a page, and marks the HTML draws instead of writing (the bullets and the
step numbers of its lists, the warning sign's "!"). The texts inside the pictures (the view
names) are in the picture's description in both, and the first page's header (which the PDF
may shorten to keep the red-flag box on page 1) must be a part of the HTML's <header>."""

from __future__ import annotations

import re
from html import escape as html_escape
from html.parser import HTMLParser

import pdfplumber
import pytest
from browser import axe_violations, chrome
from conftest import DATE, build_pdf

from handouts.build import BuildRequest, make_copies
from handouts.load.layout import load_layout
from handouts.render.html import html_bytes

LAYOUTS = ("standard", "compact", "large-print")
CASES = [(layout, "en") for layout in LAYOUTS] + [(layout, "es") for layout in LAYOUTS]
NOTES = "Walk 10 minutes a day.\n\nCall us if the pain <b>spreads</b> & grows."
INLINE = {"span", "strong", "a", "em", "b", "abbr"}
VOID = {"br", "input", "img", "meta", "link", "path", "rect", "circle", "hr"}


def request(layout: str, lang: str, **more) -> BuildRequest:
    values = dict(program="sciatica", patient="Ana <i>García</i> & Co", therapist="Sam Lee, PT",
                  notes=NOTES, date=DATE, layout=layout, lang=lang, log_weeks=1)  # fmt: skip
    values.update(more)
    return BuildRequest(**values)


@pytest.fixture(scope="module")
def copies(tmp_path_factory) -> dict:
    """(layout, lang) -> (handout, pdf bytes, html bytes, the HTML's file)."""
    folder = tmp_path_factory.mktemp("html")
    found = {}
    for layout, lang in CASES:
        made = make_copies(request(layout, lang))
        path = folder / f"{layout}-{lang}.html"
        path.write_bytes(made.html)
        found[layout, lang] = (made.handout, made.pdf, made.html, path)
    return found


class Text(HTMLParser):
    """The words of an HTML document as a reader sees them, by part: the whole text, <header>,
    <main> and <footer>; and every element with its attributes."""

    HIDDEN = {"head", "style", "title", "desc", "script"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.hidden = 0
        self.parts: dict[str, list[str]] = {"all": [], "header": [], "main": [], "footer": []}
        self.open: list[str] = []
        self.elements: list[tuple[str, dict]] = []

    def _space(self, tag: str) -> None:
        if tag not in INLINE:
            self._add(" ")

    def _add(self, text: str) -> None:
        if self.hidden:
            return
        self.parts["all"].append(text)
        for part in self.open:
            self.parts[part].append(text)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._space(tag)
        if tag in VOID:
            return
        hidden = tag in self.HIDDEN
        self.stack.append((tag, hidden))
        self.hidden += hidden
        if tag in ("header", "main", "footer"):
            self.open.append(tag)

    def handle_endtag(self, tag):
        self._space(tag)
        if tag in VOID:  # (<path/>: handle_startendtag calls both)
            return
        while self.stack:
            name, hidden = self.stack.pop()
            self.hidden -= hidden
            if name in ("header", "main", "footer") and name in self.open:
                self.open.remove(name)
            if name == tag:
                break

    def handle_data(self, data):
        self._add(data)

    def words(self, part: str = "all") -> list[str]:
        return "".join(self.parts[part]).split()


def parsed(data: bytes) -> Text:
    text = Text()
    text.feed(data.decode("utf-8"))
    return text


MARKS = re.compile(r"•|!|\d+[a-z]*\.")  # list bullets and numbers, the warning sign's "!"


def marks_out(words: list[str]) -> list[str]:
    return [w for w in words if not MARKS.fullmatch(w)]


def without(words: list[str], runs: list[list[str]]) -> list[str]:
    """`words` with every occurrence of each run of words taken out."""
    out, i = [], 0
    while i < len(words):
        for run in runs:
            if run and words[i : i + len(run)] == run:
                i += len(run)
                break
        else:
            out.append(words[i])
            i += 1
    return out


def pdf_parts(data: bytes) -> tuple[list[str], list[str], list[str]]:
    """The PDF's words: page 1's header, the body of every page (between the header's rule, or
    the top of page 1, and the footer's rule), and page 1's footer."""
    import io

    header, body, footer = [], [], []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for n, page in enumerate(pdf.pages):
            rules = sorted(line["top"] for line in page.lines if abs(line["top"] - line["bottom"]) < 0.5
                           and line["x1"] - line["x0"] > page.width * 0.6)  # fmt: skip
            top, bottom = rules[0], rules[-1]
            for word in page.extract_words(use_text_flow=True):
                if word["bottom"] < top:
                    if n == 0:
                        header.append(word["text"])
                elif word["top"] > bottom:
                    if n == 0:
                        footer.append(word["text"])
                else:
                    body.append(word["text"])
    return header, body, footer


def chrome_runs(handout) -> list[list[str]]:
    """Runs of words the PDF repeats as page chrome, and the words inside pictures."""
    labels = handout.labels
    runs = [labels.fill("continued", title=f"{i.number}. {i.exercise.title}").split()
            for i in handout.items]  # fmt: skip
    runs += [labels[k].split() for k in ("view_above", "view_front", "close_up")]
    return [marks_out(run) for run in runs]


def who_first(body: list[str], handout) -> list[str]:
    """The PDF's words with the patient's, therapist's and date's lines back before the red-flag
    box: where the box does not fit on page 1 under them (large print), the PDF moves them after
    it (render/story.py front_matter); the HTML, without pages, keeps them first."""
    labels = handout.labels
    who = [f"{labels.label('patient')} {handout.patient}",
           f"{labels.label('therapist')} {handout.therapist}",
           f"{labels.label('date')} {labels.date(handout.date)}"]  # fmt: skip
    box = handout.disclaimers.red_flags_title.split()
    start = next(i for i in range(len(body)) if body[i : i + len(box)] == box)
    moved = []
    for line in who:
        run = line.split()
        at = next((i for i in range(start, len(body)) if body[i : i + len(run)] == run), None)
        if at is not None:
            del body[at : at + len(run)]
            moved += run
    return body[:start] + moved + body[start:]


def added_words(small: list[str], big: list[str]) -> list[str] | None:
    """The words of `big` left over when `small` is matched in it in order (the earliest match of
    each word), or None when `small` is not all in `big` in that order."""
    extra, i = [], 0
    for word in small:
        while i < len(big) and big[i] != word:
            extra.append(big[i])
            i += 1
        if i == len(big):
            return None
        i += 1
    return extra + big[i:]


def is_subsequence(small: list[str], big: list[str]) -> bool:
    it = iter(big)
    return all(word in it for word in small)


@pytest.mark.parametrize("layout,lang", CASES)
def test_every_text_of_the_pdf_is_in_the_html_in_the_same_order(copies, layout, lang):
    handout, pdf, html, _ = copies[layout, lang]
    text = parsed(html)
    pdf_header, pdf_body, pdf_footer = pdf_parts(pdf)
    labels = handout.labels
    runs = chrome_runs(handout)
    body = without(marks_out(pdf_body), runs)
    # a table's header row again at the top of the page it runs on to: once
    for header in ([labels[k] for k in ("summary_exercise", "summary_how_much", "summary_how_often")],
                   [labels["log_exercise"], *labels.items("days_short")],
                   [labels["log_exercise"], *labels.items("days")]):  # fmt: skip
        row = " ".join(header).split()
        at = [i for i in range(len(body)) if body[i : i + len(row)] == row]
        for i in reversed(at[1:]):
            del body[i : i + len(row)]
    # large print's two-column plan repeats its one heading ("Exercise") on each page it runs on to
    box = labels["summary_title"].split()
    plan = next((i for i in range(len(body)) if body[i : i + len(box)] == box), len(body))
    end = next((i for i in range(plan, len(body)) if body[i] == labels["log_exercise"]
                and body[i + 1 : i + 2] in ([labels.items("days_short")[0]],
                                            [labels.items("days")[0]])), len(body))  # fmt: skip
    heading = labels["summary_exercise"].split()
    at = [i for i in range(plan, end) if body[i : i + len(heading)] == heading]
    for i in reversed(at[1:]):
        del body[i : i + len(heading)]
    # large print's log names the days short ("Mo"); the HTML writes them out ("Mon")
    short = dict(zip(labels.items("days_short"), labels.items("days"), strict=True))
    log = " ".join([labels["log_exercise"], *labels.items("days_short")]).split()
    at = next((i for i in range(len(body)) if body[i : i + len(log)] == log), len(body))
    body = body[:at] + [short.get(w, w) for w in body[at:]]
    body = who_first(body, handout)
    main = without(marks_out(text.words("main")), runs)
    # Every word of the PDF, in its order; the HTML may add only what a page's room made the PDF
    # leave out: the plan's column headings (large print sets its plan in two columns) and the
    # whole dose under a log row (the PDF's log may give only how often to keep a week on a page).
    extra = added_words(body, main)
    assert extra is not None, "the PDF's words are not all in the HTML in the same order"
    allowed = {w for k in ("summary_exercise", "summary_how_much", "summary_how_often")
               for w in labels[k].split()}  # fmt: skip
    allowed |= {w for row in handout.plan for w in " ".join(row.how_much).split()}
    assert [w for w in extra if w not in allowed] == []
    assert is_subsequence(pdf_header, text.words("header")), (pdf_header, text.words("header"))
    page = labels.fill("page", page=1, pages=9).split()[:1]  # ("Page")
    footer_text = [w for w in pdf_footer if not re.fullmatch(r"\d+", w) and w not in page
                   and w not in labels["page"].split()]  # fmt: skip
    assert is_subsequence(footer_text, text.words("footer")), (footer_text, text.words("footer"))


@pytest.mark.parametrize("layout,lang", CASES)
def test_axe_finds_no_wcag_21_a_or_aa_violation(copies, layout, lang):
    path = copies[layout, lang][3]
    with chrome() as driver:
        driver.get(path.as_uri())
        assert axe_violations(driver) == []
        if layout == "standard":  # text at 200%, then a phone's width: it reflows (only a
            # table may scroll inside its own region, WCAG 1.4.10's exception for data tables)
            driver.execute_script("document.documentElement.style.fontSize = '200%';")
            assert axe_violations(driver) == []
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})  # fmt: skip
            driver.get(path.as_uri())
            assert axe_violations(driver) == []
            wide = driver.execute_script(
                "return document.documentElement.scrollWidth - window.innerWidth;"
            )
            assert wide <= 0  # reflows: nothing to scroll sideways


def test_the_document_has_its_language_title_and_headings_in_order(copies):
    handout, _, html, _ = copies["standard", "es"]
    text = parsed(html)
    assert html.startswith(b'<!DOCTYPE html>\n<html lang="es-US">')
    levels = [int(tag[1]) for tag, _ in text.elements if re.fullmatch(r"h[1-6]", tag)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))  # none skipped
    title = html_escape(f"{handout.title} - {handout.brand.name}")
    assert f"<title>{title}</title>".encode() in html


def test_the_red_flags_come_first_as_a_named_region(copies):
    handout, _, html, _ = copies["standard", "en"]
    text = parsed(html)
    sections = [(tag, a) for tag, a in text.elements if tag == "section"]
    first, attrs = sections[0]
    assert attrs["class"] == "red-flags" and attrs["aria-labelledby"] == "red-flags"
    h2 = [a for tag, a in text.elements if tag == "h2"][0]
    assert h2["id"] == "red-flags"
    main = " ".join(text.words("main"))
    d = handout.disclaimers
    assert main.index(d.red_flags_title) < main.index(handout.items[0].exercise.title)
    assert main.index(d.red_flags_title) < main.index(d.safety_title)


def test_steps_are_ordered_lists_and_the_log_and_plan_are_tables_with_headers(copies):
    handout, _, html, _ = copies["standard", "en"]
    text = parsed(html)
    tags = [tag for tag, _ in text.elements]
    assert tags.count("ol") == len(handout.items)
    headers = [a for tag, a in text.elements if tag == "th"]
    assert {a.get("scope") for a in headers} == {"col", "row"}
    boxes = [a for tag, a in text.elements if tag == "input"]
    assert len(boxes) == 7 * sum(max(i.times_per_day for i in r.items) for r in handout.plan)
    assert boxes[0]["aria-label"] == f"Mon: {handout.plan[0].number}. {handout.plan[0].title} (1/2)"
    assert len({b["aria-label"] for b in boxes}) == len(boxes)  # each its own name


def test_every_picture_has_a_text_alternative(copies):
    handout, _, html, _ = copies["standard", "en"]
    text = parsed(html)
    svgs = [a for tag, a in text.elements if tag == "svg"]
    pictures = [a for a in svgs if a.get("role") == "img"]
    decorative = [a for a in svgs if a.get("aria-hidden") == "true"]
    assert len(pictures) + len(decorative) == len(svgs)
    figures = sum(2 for i in handout.items if i.exercise.figure is not None)
    assert len(pictures) == figures + sum(len(r.items) for r in handout.plan)
    source = html.decode()
    for item in handout.items:  # named by the caption under it, described by the exercise
        for n, caption in enumerate(item.captions):
            key = f"figure-{item.number}-{n}"
            assert f'<title id="{key}-t">{caption}</title>' in source.replace("&#x27;", "'")
            assert f'aria-labelledby="{key}-t {key}-d"' in source
    assert all(tag != "img" or a.get("alt") for tag, a in text.elements)


def test_photos_are_embedded_with_their_captions_as_alt_text(tmp_path):
    from PIL import Image

    for name, colour in (("a.jpg", (200, 40, 40)), ("b.jpg", (40, 40, 200))):
        Image.new("RGB", (400, 300), colour).save(tmp_path / name, quality=80)
    lib = tmp_path / "lib.yaml"
    lib.write_text(
        "exercises:\n  - id: wall-sit\n    title: Wall sit\n    purpose: Builds strength.\n"
        "    steps: [Stand against a wall., Slide down.]\n"
        "    captions: {start: Back on the wall, end: Knees bent}\n"
        "    images: {start: a.jpg, end: b.jpg}\n  - id: wall-two\n    title: Wall two\n"
        "    purpose: Builds strength.\n    steps: [Stand.]\n    images: {start: a.jpg, end: b.jpg}\n",
        encoding="utf-8",
    )
    made = make_copies(BuildRequest(ids=("wall-sit", "wall-two"), library=lib, date=DATE))
    images = [a for tag, a in parsed(made.html).elements if tag == "img"]
    assert [a["alt"] for a in images[:2]] == ["Start: Back on the wall", "End: Knees bent"]
    assert [a["alt"] for a in images[2:4]] == ["Start", "End"]
    assert all(a["src"].startswith("data:image/jpeg;base64,") for a in images)
    assert b'src="http' not in made.html and b"file:" not in made.html  # self-contained


def test_patient_text_is_escaped_never_markup(copies):
    _, _, html, _ = copies["standard", "en"]
    assert b"Ana &lt;i&gt;Garc\xc3\xada&lt;/i&gt; &amp; Co" in html
    assert b"<i>" not in html and b"<b>" not in html
    assert b"pain &lt;b&gt;spreads&lt;/b&gt; &amp; grows." in html


def test_links_are_links_with_the_video_the_qr_code_encodes(tmp_path):
    lib = tmp_path / "lib.yaml"
    lib.write_text(
        "exercises:\n  - id: wall-sit\n    title: Wall sit\n    purpose: Builds strength.\n"
        "    steps: [Stand against a wall.]\n    video: https://example.org/v?a=1&b=<2>\n",
        encoding="utf-8",
    )
    made = make_copies(BuildRequest(ids=("wall-sit",), library=lib, date=DATE))
    links = [a for tag, a in parsed(made.html).elements if tag == "a"]
    assert [a["href"] for a in links if a["href"].startswith("https")] == [
        "https://example.org/v?a=1&b=<2>"
    ]
    assert b'href="https://example.org/v?a=1&amp;b=&lt;2&gt;"' in made.html


def test_the_same_inputs_give_the_same_bytes(copies):
    handout, _, html, _ = copies["compact", "es"]
    layout = load_layout("compact")
    assert html_bytes(handout, layout) == html
    again = make_copies(request("compact", "es"))
    assert again.html == html


def test_a_pale_brand_colour_is_darkened_to_keep_contrast(tmp_path):
    from handouts.render.html.style import contrast, readable

    assert contrast(readable("#ffee00"), "#ffffff") >= 7
    assert readable("#1a1a1a") == "#1a1a1a"
    brand = tmp_path / "b.yaml"
    brand.write_text('name: Sunny PT\nprimary_color: "#ffee00"\naccent_color: "#a0ffa0"\n')
    made = make_copies(BuildRequest(ids=("glute-bridge", "hip-hinge"), brand=brand, date=DATE))
    assert b"--primary: #ffee00" not in made.html
    path = tmp_path / "b.html"
    path.write_bytes(made.html)
    with chrome() as driver:
        driver.get(path.as_uri())
        assert axe_violations(driver) == []


def test_an_unnamed_handout_shows_lines_to_write_on_hidden_from_screen_readers():
    handout, _ = build_pdf(ids=("glute-bridge", "hip-hinge"))
    html = html_bytes(handout, load_layout("standard")).decode()
    assert '<span class="blank" aria-hidden="true">__________________</span>' in html
