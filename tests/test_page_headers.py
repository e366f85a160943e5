"""The page headers (issue #14, review findings 5, 13 and 16): in large print the therapist and
date stay on page 1 with the patient, the header's parts giving way first (its contact parts,
the phone, the clinic's name last: never a phone without the name); later pages never cut the
patient's name; the standard header's clinic name does not wrap with room to spare."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import DEFAULT_CLINIC, Pdf, build_pdf, flat, overlapping_words

from handouts.build import BuildRequest, _composed
from handouts.compose import Handout
from handouts.render.chrome import LEVELS, PHONE_BLANK, PageChrome
from handouts.render.fonts import font_family
from handouts.render.styles import PAPERS, make_styles

# the reviewer's names (REVIEW14): a long patient's name and a therapist's that wraps
PATIENT = "Maria Guadalupe Fernandez-Castellanos de la Torre"
THERAPIST = "Dr. Bartholomew Alexander Worthington-Smythe, DPT"
NOTES = "Start with 1 set of each exercise this week. Add the second set next week."
LAYOUTS = ("standard", "compact", "large-print")
PAPERS_ = ("letter", "a4")
LANGS = ("en", "es")
BRANDS = ("none", "readme")
CLINIC = "Riverside Physical Therapy"


@pytest.fixture(scope="module")
def built(long_brand: Path) -> Callable[..., tuple[Handout, Pdf]]:
    memo: dict[tuple, tuple[Handout, Pdf]] = {}

    def get(layout: str, paper: str, lang: str, brand: str) -> tuple[Handout, Pdf]:
        key = (layout, paper, lang, brand)
        if key not in memo:
            memo[key] = build_pdf(program="sciatica", layout=layout, paper=paper, lang=lang,
                                  patient=PATIENT, therapist=THERAPIST, notes=NOTES,
                                  brand=long_brand if brand == "readme" else None)  # fmt: skip
        return memo[key]

    return get


def first_header(handout: Handout, pdf: Pdf) -> str:
    """Page 1's header: what is drawn before the title (the header is drawn first)."""
    first = pdf.texts[0]
    start = " ".join(handout.title.split()[:3])
    return first[: first.index(start)]


def chrome_for(handout: Handout, layout_name: str) -> PageChrome:
    _, layout = _composed(BuildRequest(program="sciatica", layout=layout_name))
    styles = make_styles(layout, handout.brand, font_family(layout.font), handout.labels)
    return PageChrome(handout, styles, PAPERS[handout.paper])


# -- 5: page 1 in large print -------------------------------------------------------------------
@pytest.mark.parametrize("brand", BRANDS)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("paper", PAPERS_)
def test_large_print_keeps_the_therapist_and_date_on_page_one(
    built, paper: str, lang: str, brand: str
) -> None:
    """With the README's long brand and the reviewer's long names, in English and Spanish, on
    letter and A4: the patient, the therapist and the date are on page 1, before the red-flag
    box, which is whole there; page 2 starts with neither."""
    handout, pdf = built("large-print", paper, lang, brand)
    labels = handout.labels
    first, second = pdf.texts[0], pdf.texts[1]
    box = first.index(flat(handout.disclaimers.red_flags_title))
    for label, text in (("patient", PATIENT), ("therapist", THERAPIST),
                        ("date", labels.date(handout.date))):  # fmt: skip
        line = f"{labels.label(label)} {text}"
        assert line in first and first.index(line) < box, line
        assert labels.label(label) not in second.replace(f"{labels.label('patient')} ", "")
    assert flat(handout.disclaimers.red_flags_action) in first
    assert flat(handout.disclaimers.red_flags[-1]) not in second


@pytest.mark.parametrize("brand", BRANDS)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("paper", PAPERS_)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_first_header_never_shows_a_phone_without_the_clinic(
    built, layout: str, paper: str, lang: str, brand: str
) -> None:
    handout, pdf = built(layout, paper, lang, brand)
    header = first_header(handout, pdf)
    name = CLINIC if brand == "readme" else DEFAULT_CLINIC
    if handout.labels.label("phone") in header:
        assert name in header, header
    first = pdf.texts[0]  # the clinic is on page 1 either way: in its footer (drawn last)
    assert name in first[first.rindex(flat(handout.disclaimers.footer)) :]


def test_large_print_in_english_keeps_the_clinic_and_its_phone_where_they_fit(built) -> None:
    """The contact parts give way first: the default brand's name and phone line stay on
    letter; with the long brand the name stays (the phone is in the "call us" line); standard
    keeps every part."""
    handout, pdf = built("large-print", "letter", "en", "none")
    assert first_header(handout, pdf) == f"{DEFAULT_CLINIC} Phone: {PHONE_BLANK} "
    handout, pdf = built("large-print", "letter", "en", "readme")
    assert first_header(handout, pdf) == f"{CLINIC} "
    handout, pdf = built("large-print", "a4", "en", "readme")
    assert first_header(handout, pdf) == f"{CLINIC} Phone: (555) 010-0199 "
    handout, pdf = built("standard", "letter", "en", "readme")
    header = first_header(handout, pdf)
    for part in ("(555) 010-0199", "front.desk@example.org", "example.org", "12 River Road",
                 "Springfield", "Moving you forward", "Scan to book"):  # fmt: skip
        assert part in header, part


def test_the_header_gives_way_phone_then_name_then_all(built) -> None:
    """Step by step (chrome.LEVELS): the phone goes before the clinic's name, and at the last
    step there is no header at all (no rule either), the name being in every footer."""
    handout, _ = built("large-print", "letter", "en", "readme")
    chrome = chrome_for(handout, "large-print")
    seen = []
    for level in range(len(LEVELS)):
        chrome.set_level(level)
        text = " ".join(line for line, _, _ in chrome.first_lines)
        if "Phone:" in text:
            assert CLINIC in text, level
        seen.append((CLINIC in text, "Phone:" in text))
    assert seen[-3:] == [(True, True), (True, False), (False, False)]
    assert chrome.first_header_height == 0 and chrome.logo is None and chrome.qr is None
    heights = []
    for level in range(len(LEVELS)):
        chrome.set_level(level)
        heights.append(chrome.first_header_height)
    assert heights == sorted(heights, reverse=True)


# -- 13: later pages never cut the patient's name ------------------------------------------------
@pytest.mark.parametrize("brand", BRANDS)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("paper", PAPERS_)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_later_pages_carry_the_whole_patient_name(
    built, layout: str, paper: str, lang: str, brand: str
) -> None:
    handout, pdf = built(layout, paper, lang, brand)
    for number in range(2, pdf.page_count + 1):
        text = pdf.texts[number - 1]
        assert PATIENT in text, (number, text[:120])
        assert "Fer…" not in text and "Torre…" not in text


@pytest.mark.parametrize(
    ("layout", "paper", "lang", "lines"),
    [
        ("standard", "letter", "en", [("Stretches and exercises for sciatica", f"For: {PATIENT}")]),
        ("standard", "a4", "en", [("Stretches and exercises for scia…", f"For: {PATIENT}")]),
        ("large-print", "letter", "en", [("", f"For: {PATIENT}")]),  # the title gives way
        ("large-print", "a4", "es", [("", PATIENT)]),  # and then the label
    ],
)
def test_the_title_then_the_label_give_way_to_the_name(
    built, layout: str, paper: str, lang: str, lines: list
) -> None:
    handout, _ = built(layout, paper, lang, "none")
    assert chrome_for(handout, layout).later_lines == lines


def test_a_name_longer_than_a_line_wraps_onto_a_second_header_line() -> None:
    long_name = "Maria Guadalupe Esperanza Fernandez-Castellanos de la Torre y Montenegro"
    handout, pdf = build_pdf(program="sciatica", layout="large-print", patient=long_name)
    chrome = chrome_for(handout, "large-print")
    assert len(chrome.later_lines) == 2 and all(title == "" for title, _ in chrome.later_lines)
    assert " ".join(name for _, name in chrome.later_lines) == f"For: {long_name}"
    tops = {round(w["top"]) for w in pdf.pages[1].words if w["top"] < 72 + 2 * 18 * 1.25}
    assert len(tops) == 2  # two header lines over page 2's story
    for number in range(2, pdf.page_count + 1):
        assert long_name in pdf.texts[number - 1], number
    assert overlapping_words(pdf.pages[1].words) == []


# -- 16: the standard header's clinic name -------------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("paper", PAPERS_)
def test_the_clinic_name_is_one_line_beside_the_logo_and_qr_code(
    built, paper: str, lang: str
) -> None:
    """The name runs on over the QR code's caption (which goes under it) rather than wrap."""
    _, pdf = built("standard", paper, lang, "readme")
    page = pdf.pages[0]
    name = [w for w in page.words if w["text"] in CLINIC.split() and w["top"] < 120]
    assert len(name) == 3 and len({round(w["top"]) for w in name}) == 1, name
    header = [w for w in page.words if w["top"] < 150]
    assert overlapping_words(header) == []
    caption = [w for w in header if w["text"] in ("Scan", "Escanee")]
    if paper == "letter":  # beside the logo, the name over the caption (on A4 the text goes
        # under the logo and the QR code: chrome.MIN_TEXT_EMS)
        assert caption and caption[0]["top"] > name[0]["bottom"]
