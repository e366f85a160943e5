"""Page 1's front matter spilling a few lines onto page 2 (issue #14): the first card starts
under them there when it fits (its pictures down to their floor, then set a little tighter),
rather than leaving them alone on a nearly empty page."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import build_pdf

ES_NOTES = "Camine 10 minutos al día. Empiece con 1 serie. Llame si el dolor baja por la pierna."
EN_NOTES = " ".join(["Walk for ten minutes every morning and every evening, on flat ground."] * 4)
FIRST = {"en": "1. Knee to opposite shoulder", "es": "1. Rodilla al hombro contrario"}
BOX = {"en": ("Get medical help right away", "Call 911"),
       "es": ("Busque ayuda médica de inmediato", "Llame al 911")}  # fmt: skip
DAY = dt.date(2026, 1, 5)  # the date: a longer one wraps the who-and-when line
CASES = [("es", ES_NOTES, "letter"), ("es", ES_NOTES, "a4"), ("en", EN_NOTES, "letter"),
         ("en", EN_NOTES, "a4")]  # fmt: skip


def _filled(pdf, number: int) -> float:
    """How far down page `number` its body text goes, as a share of the page (its footer, the
    lowest 15%, left out)."""
    page = pdf.pages[number - 1]
    bottoms = [w["bottom"] for w in page.words if w["bottom"] < page.height * 0.85]
    return max(bottoms, default=0.0) / page.height


@pytest.mark.parametrize(("lang", "notes", "paper"), CASES)
def test_no_page_holds_only_spilled_front_matter(lang: str, notes: str, paper: str) -> None:
    _, pdf = build_pdf(program="sciatica", lang=lang, notes=notes, patient="Ana García",
                       paper=paper, date=DAY)  # fmt: skip
    first = pdf.page_of(FIRST[lang])
    for number in range(2, first):  # a page of front matter only, after page 1: more than half full
        assert _filled(pdf, number) > 0.5, (number, _filled(pdf, number))
    title, call = BOX[lang]  # the red-flag box, whole, on page 1
    assert pdf.page_of(title) == pdf.page_of(call) == 1


def test_spanish_letter_starts_card_one_on_page_two() -> None:
    """The issue's case: two bullets and the phone line spilled onto page 2, card 1 under them."""
    _, pdf = build_pdf(
        program="sciatica", lang="es", notes=ES_NOTES, patient="Ana García", date=DAY
    )
    assert pdf.page_of("Teléfono de su fisioterapeuta") == 2
    assert pdf.page_of(FIRST["es"]) == 2
    assert "Pasos" in pdf.texts[1] and "Cuánto hacer" in pdf.texts[1]  # the card whole there


def test_same_inputs_same_bytes() -> None:
    a = build_pdf(program="sciatica", lang="es", notes=ES_NOTES, patient="Ana García", date=DAY)[1]
    b = build_pdf(program="sciatica", lang="es", notes=ES_NOTES, patient="Ana García", date=DAY)[1]
    assert a.data == b.data
