"""What a process keeps between handouts to make the next one quicker: only library and layout
text, never a name typed, and never a reason to print or check less."""

from __future__ import annotations

from conftest import DATE_PRINTED, build_pdf

from handouts.load.fonts import DEFAULT_FONT
from handouts.render import fonts, paragraphs
from handouts.render.story import BLANK


def _kept() -> str:
    return " ".join(key[0] for key in paragraphs._PARSED)


def test_the_lines_to_write_a_name_on_and_the_date_are_kept_a_name_typed_is_not() -> None:
    paragraphs._PARSED.clear()
    _, pdf = build_pdf(program="sciatica")
    assert DATE_PRINTED in pdf.text
    assert f"</font> {BLANK}" in _kept()  # "For: ____" and "Therapist: ____"
    assert DATE_PRINTED in _kept()
    paragraphs._PARSED.clear()
    _, pdf = build_pdf(program="sciatica", patient="Dana Quill", therapist="Dr Orr")
    assert "Dana Quill" in pdf.text and "Dr Orr" in pdf.text
    assert "Dana Quill" not in _kept() and "Dr Orr" not in _kept()
    assert DATE_PRINTED in _kept()


def test_a_character_the_font_lacks_is_found_after_texts_it_can_print() -> None:
    family = fonts.font_family(DEFAULT_FONT)
    assert fonts.missing_glyphs(family, [("the library", "Bend your knees.")]) == {}
    assert fonts._printable(family).issuperset("Bend your knees.")
    found = fonts.missing_glyphs(family, [("a", "Bend your knees."), ("b", "膝 knees"),
                                          ("c", "膝")])  # fmt: skip
    assert found == {"膝": ["b", "c"]}
    assert "膝" not in fonts._printable(family)
