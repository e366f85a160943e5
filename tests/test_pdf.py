"""PDF layer: read the handouts back and check what a patient would see.

Each handout is built once (session or module fixtures) and parsed once (conftest.Pdf caches).
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from conftest import (
    A4,
    DATE_PRINTED,
    DEFAULT_CLINIC,
    LETTER,
    MARGIN,
    SCIATICA_NOTES,
    Pdf,
    build_pdf,
    chars_outside,
    flat,
    need_tool,
    overlapping_words,
    write_full_brand,
)

from handouts.compose import Handout
from handouts.errors import InputError
from handouts.load.library import load_library

INJECTED_PATIENT = '<img src="/etc/passwd"/>'
INJECTED_THERAPIST = "R&D <b>"
INJECTED_NOTES = (
    '<a href="javascript:alert(1)">click me</a> <font size=200>BIG</font> '
    '<img src="logo.png"/> &amp; <unclosed'
)
LONG_WORD = "Q" * 700
WORDS = [f"w{n}" for n in range(1, 2001)]
LONG_PATIENT = "\u00d8" * 700  # 'Ø': a letter no other text on the page uses
LONG_THERAPIST = "\u00de" * 700  # 'Þ'


@pytest.fixture(scope="module")
def a4() -> tuple[Handout, Pdf]:
    return build_pdf(program="sciatica-gentle", paper="a4", patient="Jane Doe")


@pytest.fixture(scope="module")
def branded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Handout, Pdf]:
    folder = tmp_path_factory.mktemp("brand")
    # a large logo: it must be scaled down to print size (about 200 dpi), not embedded as is
    brand = write_full_brand(folder, logo_size=(3000, 600))
    return build_pdf(program="sciatica-strength", brand=brand, patient="Jane Doe")


@pytest.fixture(scope="module")
def injected() -> tuple[Handout, Pdf]:
    return build_pdf(
        ids=("glute-bridge",),
        patient=INJECTED_PATIENT,
        therapist=INJECTED_THERAPIST,
        notes=INJECTED_NOTES,
    )


@pytest.fixture(scope="module")
def long_notes() -> tuple[Handout, Pdf]:
    notes = " ".join(WORDS) + "\n\n" + LONG_WORD
    return build_pdf(ids=("glute-bridge",), patient="Jane Doe", notes=notes)


@pytest.fixture(scope="module")
def long_names() -> tuple[Handout, Pdf]:
    return build_pdf(
        ids=("glute-bridge", "hip-hinge"), patient=LONG_PATIENT, therapist=LONG_THERAPIST
    )


ALL_HANDOUTS = ["sciatica", "unnamed", "a4", "branded", "injected", "long_notes", "long_names"]


def pdf_of(request: pytest.FixtureRequest, name: str) -> Pdf:
    return request.getfixturevalue(name)[1]


# -- pages, header, footer ---------------------------------------------------------------------
def test_letter_by_default(sciatica) -> None:
    _, pdf = sciatica
    for page in pdf.pages:
        assert (page.width, page.height) == pytest.approx(LETTER)


def test_a4_when_asked(a4) -> None:
    handout, pdf = a4
    assert handout.paper == "a4"
    for page in pdf.pages:
        assert (page.width, page.height) == pytest.approx(A4, abs=0.01)


def test_footer_on_every_page(sciatica) -> None:
    _, pdf = sciatica
    footer = load_library().disclaimers.footer
    count = pdf.page_count
    assert count >= 3
    for number, text in enumerate(pdf.texts, start=1):
        assert f"Page {number} of {count}" in text
        assert footer in text
        assert DEFAULT_CLINIC in text


def test_first_page_header_and_who_line(sciatica) -> None:
    _, pdf = sciatica
    first = pdf.texts[0]
    assert first.startswith(f"{DEFAULT_CLINIC} Take the First Step Towards Pain-Free Living Today ")
    assert (
        "Stretches and exercises for sciatica "
        f"For: Jane Doe Therapist: Sam Lee, PT Date: {DATE_PRINTED}"
    ) in first
    assert first.index("Living Today") < first.index("Stretches and exercises for sciatica")


def test_blank_lines_to_write_on(unnamed) -> None:
    _, pdf = unnamed
    assert "Your home exercises" in pdf.texts[0]
    assert f"For: {'_' * 18} Therapist: {'_' * 18} Date: {DATE_PRINTED}" in pdf.texts[0]


def test_later_pages_name_the_title_and_patient(sciatica) -> None:
    _, pdf = sciatica
    for page in pdf.pages[1:]:
        top_words = [w["text"] for w in page.words if w["top"] < MARGIN + 20]
        assert " ".join(top_words) == "Stretches and exercises for sciatica For: Jane Doe"


def test_default_brand_invents_no_contact_details(sciatica) -> None:
    _, pdf = sciatica
    # the clinic's phone is a blank line to write on; nothing else is made up
    assert (
        f"{DEFAULT_CLINIC} Take the First Step Towards Pain-Free Living Today Phone: {'_' * 16} "
        in (pdf.texts[0])
    )
    for label in ("Email:", "Web:", "@", "http", "www."):
        assert label not in pdf.text
    assert pdf.text.count("Phone:") == 1
    assert pdf.image_xobjects() == []


# -- content and order -------------------------------------------------------------------------
def test_red_flags_on_page_one_before_any_exercise(sciatica) -> None:
    handout, pdf = sciatica
    d = handout.disclaimers
    first = pdf.texts[0]
    assert d.red_flags_title in first
    for flag in d.red_flags:
        assert flag in first
    # what to do is printed under the signs, in bold
    assert f"{d.red_flags[-1]} {d.red_flags_action}" in first
    (call,) = [w for w in pdf.pages[0].words if w["text"] == "911"]
    line = [w for w in pdf.pages[0].words if abs(w["top"] - call["top"]) < 1]
    assert " ".join(w["text"] for w in line) == d.red_flags_action
    assert all(w["fontname"].endswith("AtkinsonHyperlegible-Bold") for w in line)
    red = pdf.text.index(d.red_flags_title)
    safety = pdf.text.index(d.safety_title)
    exercise = pdf.text.index("1. Knee to opposite shoulder")
    assert red < safety < exercise
    for item in d.safety:
        assert item in pdf.text


def test_exercises_print_in_order_with_versions(sciatica) -> None:
    handout, pdf = sciatica
    text = pdf.text
    headings = [f"{item.number}. {item.exercise.title}" for item in handout.items]
    assert headings == [
        "1. Knee to opposite shoulder",
        "1b. Pigeon pose",
        "2. Child's pose",
        "2b. Cobra pose (on your forearms)",
        "3. Pelvic tilt",
        "4. Bridge",
        "5. Squat with a band",
        "6. Split squat",
        "7. Hip hinge",
    ]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    assert (
        "Harder version of 1: do this when 1 is easy. Ask your therapist first. 1b. Pigeon pose"
        in text
    )
    assert "Another choice for 2 2b. Cobra pose" in text


def test_every_exercise_prints_in_full(sciatica) -> None:
    handout, pdf = sciatica
    text = pdf.text
    for item in handout.items:
        e = item.exercise
        assert f"Why: {e.purpose}" in text
        if e.position:
            assert f"Position: {e.position}" in text
        for step in e.steps:
            assert flat(step) in text, (e.id, step)
        for line in (*item.dose, *item.links, *e.tips, *e.cautions):
            assert flat(line) in text, (e.id, line)
    assert (
        "How much Hold for 30 seconds. Do this 3 times on each side. Do this 2 times a day, every day."
        in text
    )


def test_exercise_blocks_are_not_split_across_pages(sciatica) -> None:
    handout, pdf = sciatica
    for item in handout.items:
        title_page = pdf.page_of(f"{item.number}. {item.exercise.title}")
        assert pdf.page_of(item.exercise.steps[-1]) == title_page, item.number
        assert title_page > 1  # page 1 holds the red flags and "Before you start"


def test_notes_come_first(sciatica) -> None:
    _, pdf = sciatica
    text = pdf.text
    notes = text.index("Notes from your therapist")
    assert text.index("Call 911") < notes < text.index("1. Knee to opposite shoulder")
    assert pdf.page_of("Notes from your therapist") == 1
    first = text.index("Start with 1 set.")
    assert notes < first < text.index("Add the second set next week.")
    # the heading is kept with the first paragraph of the notes
    assert pdf.page_of("Notes from your therapist") == pdf.page_of("Start with 1 set.")


def test_metadata(sciatica) -> None:
    _, pdf = sciatica
    meta = pdf.reader.metadata
    assert meta.title == "Stretches and exercises for sciatica"
    assert meta.author == DEFAULT_CLINIC
    assert meta.subject == f"Home exercise handout from {DEFAULT_CLINIC}"
    root = pdf.reader.trailer["/Root"]
    assert root["/Lang"] == "en-US"


def test_metadata_follows_the_brand_and_selection(branded, unnamed) -> None:
    assert branded[1].reader.metadata.author == "Riverside Physical Therapy"
    assert unnamed[1].reader.metadata.title == "Your home exercises"


def test_same_inputs_give_identical_bytes(sciatica) -> None:
    _, pdf = sciatica
    _, again = build_pdf(
        program="sciatica",
        patient="Jane Doe",
        therapist="Sam Lee, PT",
        notes=SCIATICA_NOTES,
    )
    assert again.data == pdf.data
    _, other_date = build_pdf(
        program="sciatica",
        patient="Jane Doe",
        therapist="Sam Lee, PT",
        notes=SCIATICA_NOTES,
        date=dt.date(2026, 11, 30),
    )
    assert other_date.data != pdf.data
    assert "Date: November 30, 2026" in other_date.texts[0]


# -- typography and geometry, for every handout --------------------------------------------------
@pytest.mark.parametrize("name", ALL_HANDOUTS)
def test_no_text_smaller_than_12_pt(request: pytest.FixtureRequest, name: str) -> None:
    pdf = pdf_of(request, name)
    small = [
        (page.number, c["text"], c["size"])
        for page in pdf.pages
        for c in page.chars
        if c["size"] < 12 - 0.01
    ]
    assert small == []
    assert all(page.chars for page in pdf.pages)


@pytest.mark.parametrize("name", ALL_HANDOUTS)
def test_nothing_outside_the_page_or_its_margins(request: pytest.FixtureRequest, name: str) -> None:
    pdf = pdf_of(request, name)
    for page in pdf.pages:
        assert chars_outside(page, 0, 0, page.width, page.height) == [], page.number
        margins = (MARGIN, MARGIN, page.width - MARGIN, page.height - MARGIN)
        assert chars_outside(page, *margins) == [], page.number


@pytest.mark.parametrize("name", ALL_HANDOUTS)
def test_no_text_overprints_other_text(request: pytest.FixtureRequest, name: str) -> None:
    pdf = pdf_of(request, name)
    for page in pdf.pages:
        assert overlapping_words(page.words) == [], page.number


def test_overlap_check_finds_overprinted_words() -> None:
    a = {"text": "one", "x0": 10, "x1": 40, "top": 10, "bottom": 22}
    b = {"text": "two", "x0": 20, "x1": 50, "top": 12, "bottom": 24}
    c = {"text": "three", "x0": 60, "x1": 90, "top": 10, "bottom": 22}
    assert overlapping_words([a, b, c]) == [("one", "two")]


@pytest.mark.parametrize("name", ALL_HANDOUTS)
def test_only_the_embedded_handout_font(request: pytest.FixtureRequest, name: str) -> None:
    pdf = pdf_of(request, name)
    names = pdf.font_names()
    assert names
    for font in names:
        # a subset tag ("AAAAAA+") shows the font is embedded and subset
        assert font.startswith("/") and "+AtkinsonHyperlegible" in font, font
    assert {c["fontname"].split("+")[-1] for p in pdf.pages for c in p.chars} <= {
        "AtkinsonHyperlegible-Regular",
        "AtkinsonHyperlegible-Bold",
        "AtkinsonHyperlegible-Italic",
        "AtkinsonHyperlegible-BoldItalic",
    }


def test_the_quick_text_encoding_gives_reportlabs_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    """handouts' TrueType font maps text to subset codes by str.translate once every character
    has a code; fed the same texts in the same order, it must give what reportlab's loop gives."""
    import random

    import fontpkg_atkinson_hyperlegible as atkinson
    from reportlab.pdfbase.pdfdoc import PDFDocument
    from reportlab.pdfbase.ttfonts import TTFont

    from handouts.render.fonts import _TTFont

    path = str(atkinson.ROOT / "files" / "AtkinsonHyperlegible-Regular.ttf")
    reportlabs, ours = TTFont("Slow", path), _TTFont("Quick", path)
    slow_calls = []
    loop = TTFont.splitString

    def counted(self, text, doc, encoding="utf-8"):
        if self is ours:
            slow_calls.append(text)
        return loop(self, text, doc, encoding)

    monkeypatch.setattr(TTFont, "splitString", counted)
    rnd = random.Random(5)
    # every character the font has, a no-break space, and two it lacks (they print as code 0)
    pool = [chr(c) for c in sorted(reportlabs.face.charToGlyph)] + [
        "\u00a0",
        "\u4e00",
        "\U0001f600",
    ]
    common = pool[:150] + ["\u00a0", "\u4e00"]  # fits the first subset (256 codes)

    def some(chars: list[str], count: int) -> list[str]:
        return ["".join(rnd.choices(chars, k=rnd.randint(0, 40))) for _ in range(count)]

    texts = some(common, 2000) + some(pool, 500) + some(common, 500)
    texts += ["", "Stand tall.\u00a0Breathe out.", "Repita 3 veces de cada lado."] * 2
    doc_a, doc_b = PDFDocument(), PDFDocument()
    for text in texts:
        assert ours.splitString(text, doc_b) == reportlabs.splitString(text, doc_a), repr(text)
    assert len(reportlabs.state[doc_a].subsets) == 2  # more characters than one subset holds
    assert len(slow_calls) < 1000  # the quick way did most of them


@pytest.mark.parametrize("name", ["sciatica", "branded"])
def test_pdffonts_all_embedded(request: pytest.FixtureRequest, name: str, tmp_path: Path) -> None:
    pdffonts = need_tool("pdffonts")
    path = tmp_path / "h.pdf"
    path.write_bytes(pdf_of(request, name).data)
    out = subprocess.run([pdffonts, str(path)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows
    for row in rows:
        columns = row.split()
        assert columns[-5] == "yes", row  # emb
        assert "Helvetica" not in row
        assert "AtkinsonHyperlegible" in columns[0]


@pytest.mark.parametrize("name", ["sciatica", "branded", "long_notes"])
def test_qpdf_check_passes(request: pytest.FixtureRequest, name: str, tmp_path: Path) -> None:
    qpdf = need_tool("qpdf")
    path = tmp_path / "h.pdf"
    path.write_bytes(pdf_of(request, name).data)
    result = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout


# -- text prints exactly as typed --------------------------------------------------------------
def test_markup_prints_literally(injected) -> None:
    _, pdf = injected
    assert f"For: {INJECTED_PATIENT}" in pdf.texts[0]
    assert f"Therapist: {INJECTED_THERAPIST}" in pdf.texts[0]
    assert flat(INJECTED_NOTES) in pdf.text
    # the later-page header shows the name literally too
    assert pdf.page_count >= 2
    assert pdf.texts[-1].startswith(f"Your home exercises For: {INJECTED_PATIENT}")


def test_markup_makes_no_images_links_or_big_type(injected) -> None:
    _, pdf = injected
    assert pdf.image_xobjects() == []
    assert pdf.annotations() == []
    big = {c["size"] for page in pdf.pages for c in page.chars if c["text"] == "B"}
    assert max(big) <= 22  # the title size; '<font size=200>' changed nothing


def test_decomposed_accents_print_composed() -> None:
    handout, pdf = build_pdf(ids=("glute-bridge",), patient="Jane Lo\u0301pez")
    assert handout.patient == "Jane L\u00f3pez"
    assert "For: Jane L\u00f3pez" in pdf.texts[0]
    chars = "".join(c["text"] for page in pdf.pages for c in page.chars)
    assert "\u0301" not in chars
    assert chars.count("\u00f3") == pdf.page_count  # page 1's who line, later pages' header


@pytest.mark.parametrize(
    ("option", "value", "char", "origin"),
    [
        ("patient", "Jane \u2713", "\u2713", "--patient"),
        ("therapist", "S\u014dma", "\u014d", "--therapist"),
        ("notes", "\u014ckinawa", "\u014c", "--notes"),
        ("notes", "All done \u2713", "\u2713", "--notes"),
    ],
)
def test_a_character_the_font_lacks_is_an_error(
    option: str, value: str, char: str, origin: str
) -> None:
    with pytest.raises(InputError) as caught:
        build_pdf(ids=("glute-bridge",), **{option: value})
    assert caught.value.format_message() == (
        "the font Atkinson Hyperlegible cannot print 1 character; change the text or choose "
        f"another font:\n  '{char}' (U+{ord(char):04X}) in {origin}"
    )


def test_missing_characters_are_all_listed_with_their_sources(tmp_path: Path) -> None:
    library = tmp_path / "lib.yaml"
    library.write_text(
        "exercises:\n"
        "  - id: wall-sit\n"
        "    title: Wall sit \u2713\n"
        "    purpose: Strong legs.\n"
        "    steps: [Sit \u014c.]\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        build_pdf(ids=("wall-sit",), library=library, patient="\u014cta")
    assert caught.value.format_message() == (
        "the font Atkinson Hyperlegible cannot print 2 characters; change the text or choose "
        "another font:\n"
        f"  '\u014c' (U+014C) in --patient, exercise 'wall-sit' ({library}:2) steps\n"
        f"  '\u2713' (U+2713) in exercise 'wall-sit' ({library}:2) title"
    )


# -- long content --------------------------------------------------------------------------------
def test_long_notes_flow_onto_more_pages(long_notes, unnamed) -> None:
    _, pdf = long_notes
    assert pdf.page_count >= 4
    words = [w["text"] for page in pdf.pages for w in page.words]
    numbered = [w for w in words if w.startswith("w") and w[1:].isdigit()]
    assert numbered == WORDS  # every word, in order, none lost at a page break
    assert sum(c["text"] == "Q" for page in pdf.pages for c in page.chars) == len(LONG_WORD)
    for number, text in enumerate(pdf.texts, start=1):
        assert f"Page {number} of {pdf.page_count}" in text


def test_long_names_are_wrapped_or_shortened(long_names) -> None:
    _, pdf = long_names
    assert pdf.page_count >= 2
    body = [c["text"] for page in pdf.pages for c in page.chars if not in_header(page, c)]
    # printed in full in the who line (wrapped, flowing on if need be)
    assert body.count(LONG_PATIENT[0]) == len(LONG_PATIENT)
    assert body.count(LONG_THERAPIST[0]) == len(LONG_THERAPIST)
    for page in pdf.pages[1:]:
        header = "".join(c["text"] for c in page.chars if in_header(page, c))
        # the name alone (the title gives way), on two lines, the second cut short with "…"
        assert header.startswith("For:") and LONG_PATIENT[:20] in header
        assert header.endswith(LONG_PATIENT[0] + "\u2026")
        assert "Your home exercises" not in header
        assert len({round(c["top"]) for c in page.chars if in_header(page, c)}) == 2


def in_header(page, char: dict) -> bool:
    """On pages after the first: the header above the rule (two lines here: 12 pt at 15 pt
    leading, the rule 18 pt under them)."""
    return page.number > 1 and char["top"] < MARGIN + 36


# -- brand -------------------------------------------------------------------------------------
def test_full_brand_prints_every_field(branded) -> None:
    _, pdf = branded
    first = pdf.texts[0]
    assert first.startswith("Riverside Physical Therapy Moving you forward")
    for text in (
        "Phone: (555) 010-0199",
        "Email: front.desk@example.org",
        "Web: example.org",
        "12 River Road",
        "Springfield",
    ):
        assert text in first
    assert DEFAULT_CLINIC not in pdf.text
    for number, text in enumerate(pdf.texts, start=1):
        assert "Questions? Call us Monday to Friday, 8 to 5." in text
        assert "Riverside Physical Therapy" in text
        assert f"Page {number} of {pdf.page_count}" in text


def test_logo_is_embedded_once_at_print_size(branded) -> None:
    _, pdf = branded
    images = pdf.image_xobjects()
    assert len(images) == 1
    logo = images[0]
    # 1.8 x 0.9 inches at about 200 dpi at most, from a 3000 x 600 pixel file
    assert logo["/Width"] <= 360 and logo["/Height"] <= 180
    assert logo["/Width"] / logo["/Height"] == pytest.approx(5, rel=0.02)
    first = pdf.reader.pages[0]["/Resources"]["/XObject"]
    assert len(first) == 1
    for page in pdf.reader.pages[1:]:
        assert not (page.get("/Resources", {}).get("/XObject") or {})


LONG_URL = "https://www.riversidephysicaltherapy.example.org/appointments/new-patient-booking"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param(
            "website: example.org",
            "website: https://www.riversidephysicaltherapy.example.org/patients/home-exercises",
            id="website-url",
        ),
        pytest.param(
            "footer: Questions? Call us Monday to Friday, 8 to 5.",
            f"footer: Book online at {LONG_URL}?location=downtown",
            id="footer-url",
        ),
        pytest.param("phone: (555) 010-0199", "phone: (555) 010-0199 ext. 2", id="short-fields"),
    ],
)
def test_brand_text_stays_inside_the_margins(tmp_path: Path, old: str, new: str) -> None:
    brand = write_full_brand(tmp_path)
    text = brand.read_text(encoding="utf-8")
    assert old in text
    brand.write_text(text.replace(old, new), encoding="utf-8")
    _, pdf = build_pdf(ids=("glute-bridge",), brand=brand)
    assert pdf.page_count >= 2
    for page in pdf.pages:
        margins = (MARGIN, MARGIN, page.width - MARGIN, page.height - MARGIN)
        assert chars_outside(page, *margins) == [], page.number


def test_a_line_break_in_the_patient_name_draws_no_box() -> None:
    _, pdf = build_pdf(ids=("glute-bridge", "hip-hinge"), patient="Jane\nDoe")
    assert pdf.page_count >= 2
    drawn = "".join(c["text"] for page in pdf.pages for c in page.chars)
    assert "\x00" not in drawn
    assert "For: Jane Doe" in pdf.texts[1]
