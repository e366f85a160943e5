"""Languages: Spanish from the built-in library, a clinic's own language from data alone, missing
translations reported at their place, label catalogs checked, and fonts named by a brand or layout."""

from __future__ import annotations

import json
import re
import subprocess
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATE, DATE_ARG, Pdf, build_pdf, need_tool

from handouts.check import check
from handouts.cli import cli
from handouts.errors import InputError, ValidationError
from handouts.language import LABELS, Labels
from handouts.load.library import load_library
from handouts.model import Count

WORD = re.compile(r"[^\W\d_]+")
LAYOUTS = ("standard", "compact", "large-print")


def words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


def spanish_source_words() -> set[str]:
    """Every word the library has in Spanish: its translations and its Spanish labels."""
    library = load_library()
    found: set[str] = set()
    things = [*library.exercises.values(), *library.programs.values(), library.disclaimers]
    for thing in things:
        for value in thing.translations.texts["es"].values():
            found |= words(" ".join(value) if isinstance(value, tuple) else value)
    return found | words(" ".join(Labels(library.languages["es"]).texts()))


def run(*args: str):
    return CliRunner().invoke(cli, list(args), prog_name="handouts")


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def qr_brand(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("brand")
    return write(
        folder / "brand.yaml",
        """\
        name: Pain Management & Injury Relief
        qr_link: https://example.org/book
        """,
    )


# -- the Spanish handout -----------------------------------------------------------------------
@pytest.mark.parametrize("layout", LAYOUTS)
def test_spanish_sciatica_has_no_english_patient_text(layout: str, qr_brand: Path) -> None:
    request = dict(program="sciatica", patient="Ana García", layout=layout, log_weeks=2,
                   brand=qr_brand)  # fmt: skip
    _, english = build_pdf(**request)
    handout, spanish = build_pdf(**request, lang="es")
    assert handout.fallbacks == ()
    # words that only the English handout has: labels, content, dose sentences, log headings
    names = words("Ana García Pain Management & Injury Relief") | {"b"}  # names; card 1b
    english_only = words(english.text) - spanish_source_words() - names
    assert {"page", "steps", "hold", "seconds", "start", "exercise"} <= english_only
    leftover = words(spanish.text) & english_only
    assert leftover == set(), f"English words in the Spanish handout: {sorted(leftover)}"
    text = " ".join(spanish.text.split())
    assert (
        "Mantenga la posición durante 30 segundos. Repita 3 veces de cada lado. Hágalo 2 veces al día, todos los días."
        in text
    )
    assert f"Página 1 de {spanish.page_count}" in text
    assert "29 de noviembre de 2026" in text
    if layout != "large-print":  # (large print leaves the QR code out to keep the red flags whole)
        assert "Escanee para visitarnos en internet" in text  # the brand QR code's caption
    assert "Mi registro de ejercicios: semana 2" in text


def test_spanish_metadata_and_fonts(tmp_path: Path) -> None:
    _, english = build_pdf(program="sciatica")
    _, spanish = build_pdf(program="sciatica", lang="es")
    assert english.reader.trailer["/Root"]["/Lang"] == "en-US"
    assert spanish.reader.trailer["/Root"]["/Lang"] == "es-US"
    info = spanish.reader.metadata
    assert info.title == "Estiramientos y ejercicios para la ciática"
    assert (
        info.subject == "Hoja de ejercicios para hacer en casa, de Pain Management & Injury Relief"
    )
    # every font embedded and subset; only the two faces that print (no italics)
    path = tmp_path / "es.pdf"
    path.write_bytes(spanish.data)
    out = subprocess.run([need_tool("pdffonts"), str(path)], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    rows = [row.split() for row in out.splitlines()[2:]]
    assert sorted(row[0].split("+")[1] for row in rows) == [
        "AtkinsonHyperlegible-Bold", "AtkinsonHyperlegible-Regular"]  # fmt: skip
    assert all(row[-5:-2] == ["yes", "yes", "yes"] for row in rows), out  # emb, sub, uni


def test_spanish_from_the_command_line_and_a_prescription(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("build", "--program", "sciatica-gentle", "--lang", "es", "--date", DATE_ARG,
                 "-o", "es.pdf")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Postura de la paloma" in Pdf((tmp_path / "es.pdf").read_bytes()).text
    write(
        tmp_path / "rx.yaml",
        """\
        patient: Ana
        lang: es
        exercises: [glute-bridge]
        """,
    )
    result = run("build", "--rx", "rx.yaml", "-o", "rx.pdf")
    assert result.exit_code == 0, result.output
    text = Pdf((tmp_path / "rx.pdf").read_bytes()).text
    assert "Sus ejercicios para hacer en casa" in text and "Puente" in text
    # the command line wins over the file
    result = run("build", "--rx", "rx.yaml", "--lang", "en", "-o", "en.pdf")
    assert "Your home exercises" in Pdf((tmp_path / "en.pdf").read_bytes()).text


def test_a_batch_prints_each_row_in_its_language(tmp_path: Path) -> None:
    csv = write(
        tmp_path / "day.csv",
        """\
        patient,program,lang
        Ana,sciatica-strength,es
        Jane,sciatica-strength,
        Bo,sciatica-strength,fr
        """,
    )
    (tmp_path / "out").mkdir()
    result = run("batch", str(csv), "--out-dir", str(tmp_path / "out"), "--jobs", "1")
    assert result.exit_code == 1
    assert f"{csv}:4: lang must be a language the library has (en, es), got 'fr'" in result.stderr
    ana, jane = sorted((tmp_path / "out").glob("*.pdf"))
    assert "Ejercicios de fuerza" in Pdf(ana.read_bytes()).text
    assert "Strength exercises" in Pdf(jane.read_bytes()).text
    result = run("batch", str(csv), "--out-dir", str(tmp_path / "out"), "--lang", "xx")
    assert result.exit_code == 2
    assert "the library has no language 'xx'" in result.output


# -- missing translations ----------------------------------------------------------------------
CLINIC = """\
    exercises:
      - id: wall-sit
        title: Wall sit
        purpose: Builds strength in your thighs.
        steps:
          - Stand with your back against a wall.
          - Slide down until your knees are bent.
        cautions: [Stop if your knees hurt.]
        dose: {hold: 20, reps: 3}
        figure:
          start: {torso: 90, head: 90, near_arm: [-90, -90], far_arm: [-90, -90], near_leg: [-90, -90, 0], far_leg: [-90, -90, 0]}
          end: {torso: 90, head: 90, near_arm: [-90, -90], far_arm: [-90, -90], near_leg: [-20, -100, 0], far_leg: [-20, -100, 0]}
        translations:
          es:
            title: Sentadilla en la pared
    """


def test_a_missing_translation_lists_each_field_and_writes_nothing(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    library = write(tmp_path / "clinic.yaml", CLINIC)
    result = run("build", "wall-sit", "--library", str(library), "--lang", "es", "-o", "x.pdf")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Error: the handout cannot be printed in Español (es): 3 pieces of text have no "
        "translation. Add them to the library file, or use --allow-fallback to print those in "
        "English:",
        f"  {library}:4: exercises[0] 'wall-sit': purpose has no 'es' translation",
        f"  {library}:6: exercises[0] 'wall-sit': steps has no 'es' translation",
        f"  {library}:8: exercises[0] 'wall-sit': cautions has no 'es' translation",
    ]
    assert not (tmp_path / "x.pdf").exists()
    # with --allow-fallback: English for those fields, and a warning naming each
    result = run("build", "wall-sit", "--library", str(library), "--lang", "es", "-o", "x.pdf",
                 "--allow-fallback")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        "Warning: 3 pieces of text printed in English (no translation):"
    )
    assert f"  {library}:6: exercises[0] 'wall-sit': steps has no 'es' translation" in result.stderr
    text = " ".join(Pdf((tmp_path / "x.pdf").read_bytes()).text.split())
    assert "1. Sentadilla en la pared" in text  # the translated title
    assert "Stand with your back against a wall." in text  # the English steps
    assert "Pasos" in text and "Mantenga la posición durante 20 segundos. Repita 3 veces." in text


def test_a_language_the_library_lacks_is_always_an_error() -> None:
    for extra in ((), ("--allow-fallback",)):
        result = run("build", "--program", "sciatica", "--lang", "fr", *extra)
        assert result.exit_code == 2
        assert result.stderr == (
            "Error: --lang: the library has no language 'fr'; it has: en (English), es (Español). A "
            "clinic adds one with a 'languages:' entry and 'translations:' in its library file "
            "(see the README).\n"
        )


def test_a_rewritten_english_disclaimer_drops_its_old_spanish(tmp_path: Path) -> None:
    """A clinic's own red flags must not print beside the built-in Spanish for the old ones."""
    library = write(
        tmp_path / "clinic.yaml",
        """\
        disclaimers:
          footer: Call us with any question.
        """,
    )
    with pytest.raises(ValidationError) as caught:
        build_pdf(program="sciatica", library=library, lang="es")
    assert caught.value.problems == [f"{library}:2: disclaimers: footer has no 'es' translation"]
    write(
        library,
        """\
        disclaimers:
          footer: Call us with any question.
          translations:
            es:
              footer: Llámenos si tiene preguntas.
        """,
    )
    _, pdf = build_pdf(program="sciatica", library=library, lang="es")
    assert "Llámenos si tiene preguntas." in pdf.text


# -- a clinic's own language, from data alone --------------------------------------------------
def french_labels() -> str:
    """Every label, marked 'FR' so the test can tell it printed (placeholders kept)."""
    english = load_library().languages["en"].labels
    lines = []
    for key in LABELS:
        value = english[key]
        if isinstance(value, Count):
            forms = {"one": f"FR {value.one}", "other": f"FR {value.other}"}
            lines.append(f"      {key}: {json.dumps(forms)}")
        elif isinstance(value, tuple):
            lines.append(f"      {key}: {json.dumps([f'FR{v}' for v in value])}")
        else:
            lines.append(f"      {key}: {json.dumps(f'FR {value}')}")
    return "\n".join(lines)


def test_a_clinic_adds_french_from_data_alone(tmp_path: Path) -> None:
    library = tmp_path / "fr.yaml"
    library.write_text(
        "languages:\n  fr:\n    name: Français\n    status: reviewed\n    locale: fr-CA\n"
        "    labels:\n"
        + french_labels()
        + "\n"
        + textwrap.dedent("""\
        disclaimers:
          translations:
            fr:
              red_flags: {title: 'FR signes', items: [FR a, FR b, FR c, FR d, FR e], action: FR 911}
              safety: {title: FR avant, items: [FR 1, FR 2, FR 3, FR 4, FR 5]}
              footer: FR pied
        exercises:
          - id: wall-sit
            title: Wall sit
            purpose: Builds strength.
            steps: [Stand against a wall.]
            dose: {hold: 1, reps: 1}
            translations:
              fr: {title: Chaise, purpose: Renforce les cuisses., steps: [Dos au mur.]}
        """),
        encoding="utf-8",
    )
    brand = write(tmp_path / "brand.yaml", "name: Clinique\n")
    handout, pdf = build_pdf(ids=("wall-sit",), library=library, brand=brand, lang="fr")
    assert handout.lang == "fr"
    assert pdf.reader.trailer["/Root"]["/Lang"] == "fr-CA"
    text = " ".join(pdf.text.split())
    assert "FR Your home exercises" in text
    assert "FR For:" in text.replace("FR {label}:", "")  # 'label' itself is marked too
    assert "Chaise" in text and "Dos au mur." in text
    assert "FR Hold for FR 1 second. FR Do this FR once." in text
    assert "FR 29, FRNovember" not in text and "FRNovember 29, 2026" in text
    assert "FR Page 1 of 1" in text  # (the card fits on page 1 above the lean footer)
    listed = run("list", "--library", str(library), "--lang", "fr")
    assert "wall-sit" in listed.stdout and "Chaise" in listed.stdout
    assert "Knee to opposite shoulder (no fr translation)" in listed.stdout
    assert (
        "  fr     Français: reviewed, reviewed by a qualified medical translator" in listed.stdout
    )


def test_a_clinic_changes_one_spanish_label(tmp_path: Path) -> None:
    library = write(
        tmp_path / "lib.yaml",
        """\
        languages:
          es:
            labels:
              how_much: Cuántas veces
        """,
    )
    _, pdf = build_pdf(program="sciatica-strength", library=library, lang="es")
    assert "Cuántas veces" in pdf.text and "Cuánto hacer" not in pdf.text
    assert "Pasos" in pdf.text  # the other labels are the built-in ones


def test_bad_label_catalogs_are_reported_at_their_lines(tmp_path: Path) -> None:
    library = write(
        tmp_path / "lib.yaml",
        """\
        languages:
          fr:
            status: machine
            labels:
              page: "Page {page} sur {total}"
              days: [lun, mar]
              times: {one: une fois}
              whyy: Pourquoi
          EN: {name: x, status: draft}
        exercises:
          - id: wall-sit
            title: Wall sit
            purpose: x
            steps: [y]
            translations:
              en: {title: z}
              es: {titel: Sentadilla}
        """,
    )
    with pytest.raises(ValidationError) as caught:
        load_library(library)
    assert caught.value.problems == [
        f"{library}:3: languages.fr.status must be one of original, reviewed, draft, got 'machine'",
        f"{library}:3: languages.fr.name is required for a language the library does not have yet",
        f"{library}:5: languages.fr.labels.page uses {{total}}, which this label does not have "
        "(it has: {page}, {pages})",
        f"{library}:6: languages.fr.labels.days must list 7 items, got 2",
        f"{library}:7: languages.fr.labels.times.other is required (text)",
        f"{library}:8: languages.fr.labels.whyy is not a label (did you mean 'why'?) (the labels "
        "are listed in the README)",
        f"{library}:9: languages.EN is not a language code (like es, fr or pt-BR)",
        f"{library}:16: exercises[0] 'wall-sit': translations.en is not needed: the English is "
        "the text itself",
        f"{library}:17: exercises[0] 'wall-sit': translations.es.titel is not a known key (did you "
        "mean 'title'?); expected one of: title, purpose, position, equipment, steps, tips, "
        "cautions, load, primary_muscles, secondary_muscles, captions",
    ]


# -- check ---------------------------------------------------------------------------------------
def test_check_reports_missing_translations_per_language(tmp_path: Path) -> None:
    library = write(tmp_path / "clinic.yaml", CLINIC.replace(
        "title: Sentadilla en la pared",
        "title: Sentadilla en la pared\n            steps: [Párese contra la pared.]",
    ))  # fmt: skip
    assert check(library=library).problems == []  # it does not list es in its languages:
    report = check(library=library, languages=["en", "es"])
    assert report.problems == [
        f"{library}:4: exercises[0] 'wall-sit': purpose has no 'es' translation",
        f"{library}:8: exercises[0] 'wall-sit': cautions has no 'es' translation",
    ]
    assert report.warnings == [
        f"{library}:6: exercises[0] 'wall-sit': steps has 2 items in English but 1 in es"
    ]
    assert [(lang["code"], lang["missing"]) for lang in report.languages] == [("en", 0), ("es", 2)]
    result = run("check", "--library", str(library), "--lang", "es")
    assert result.exit_code == 1
    assert result.stdout.endswith(
        "2 problems, 1 warning. Checked exercises.yaml, clinic.yaml, standard.yaml; "
        "translations checked: es (draft).\n"
    )
    assert run("check", "--library", str(library), "--lang", "en").exit_code == 0


# -- fonts ---------------------------------------------------------------------------------------
ASCII = "".join(chr(c) for c in range(32, 127))
CYRILLIC = "".join(chr(c) for c in range(0x410, 0x450))


def make_font(path: Path, chars: str, style: str = "Regular") -> Path:
    """A tiny TrueType font: a box for every character of `chars`."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    names = {c: f"uni{ord(c):04X}" for c in dict.fromkeys(chars + "•·")}
    order = [".notdef", *names.values()]
    pen = TTGlyphPen(None)
    pen.moveTo((100, 0))
    pen.lineTo((100, 700))
    pen.lineTo((500, 700))
    pen.lineTo((500, 0))
    pen.closePath()
    box, blank = pen.glyph(), TTGlyphPen(None).glyph()
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap({ord(c): name for c, name in names.items()})
    builder.setupGlyf({name: blank if name == "uni0020" else box for name in order})
    builder.setupHorizontalMetrics({name: (600, 100) for name in order})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable(
        {"familyName": "Box Sans", "styleName": style, "psName": f"BoxSans-{style}"}
    )
    builder.setupOS2(sTypoAscender=800, usWinAscent=800, usWinDescent=200, fsType=0)
    builder.setupPost()
    builder.save(str(path))
    return path


def font_layout(folder: Path, chars: str) -> Path:
    make_font(folder / "box.ttf", chars)
    make_font(folder / "box-bold.ttf", chars, "Bold")
    return write(
        folder / "box.yaml",
        """\
        extends: standard
        font: {regular: box.ttf, bold: box-bold.ttf}
        """,
    )


def test_a_layout_names_its_own_truetype_font(tmp_path: Path) -> None:
    layout = font_layout(tmp_path, ASCII + CYRILLIC)
    library = write(tmp_path / "lib.yaml", CLINIC.replace("title: Wall sit", "title: Мост"))
    handout, pdf = build_pdf(ids=("wall-sit",), library=library, layout=str(layout))
    assert "Мост" in pdf.text
    # only the two faces of the layout's font, subset: no Atkinson, no Helvetica
    assert sorted(name.split("+", 1)[1] for name in pdf.font_names()) == [
        "BoxSans-Bold", "BoxSans-Regular"]  # fmt: skip


def test_a_brand_font_wins_over_the_layout_font(tmp_path: Path) -> None:
    make_font(tmp_path / "box.ttf", ASCII)
    make_font(tmp_path / "box-bold.ttf", ASCII, "Bold")
    brand = write(
        tmp_path / "brand.yaml",
        """\
        name: Clinic
        font: {regular: box.ttf, bold: box-bold.ttf}
        """,
    )
    _, pdf = build_pdf(program="sciatica-strength", brand=brand)
    assert {name.split("+", 1)[1] for name in pdf.font_names()} == {
        "BoxSans-Regular",
        "BoxSans-Bold",
    }


def test_a_character_the_font_lacks_is_an_error_naming_it_and_where(tmp_path: Path) -> None:
    layout = font_layout(tmp_path, ASCII)  # no accents: cannot print Spanish
    with pytest.raises(InputError) as caught:
        build_pdf(program="sciatica", lang="es", layout=str(layout))
    message = caught.value.format_message()
    assert message.startswith("the font box.ttf cannot print ")
    assert "  'á' (U+00E1) in " in message
    assert "exercise 'knee-to-opposite-shoulder'" in message
    assert "the Español labels" in message
    report = check(layout=str(layout))
    assert any(p.startswith("the font box.ttf cannot print 'ñ' (U+00F1)") for p in report.problems)


def test_bad_font_files_are_reported_at_their_line(tmp_path: Path) -> None:
    (tmp_path / "cff.otf").write_bytes(b"OTTO" + bytes(100))
    (tmp_path / "notes.txt").write_text("not a font")
    layout = write(
        tmp_path / "l.yaml",
        """\
        extends: standard
        font:
          regular: cff.otf
          bold: notes.txt
        """,
    )
    result = run("build", "--program", "sciatica", "--layout", str(layout))
    assert result.exit_code == 2
    assert (
        f"{layout}:3: font.regular 'cff.otf' is an OpenType font with PostScript (CFF) "
        in result.stderr
    )
    assert f"{layout}:4: font.bold 'notes.txt' is not a TrueType font file" in result.stderr
    write(layout, "extends: standard\nfont: {regular: gone.ttf}\n")
    result = run("build", "--program", "sciatica", "--layout", str(layout))
    assert "font.regular 'gone.ttf' was not found" in result.stderr
    assert "font.bold is required (a .ttf file)" in result.stderr


def test_dates_and_days_come_from_the_labels() -> None:
    spanish = Labels(load_library().languages["es"])
    assert spanish.date(DATE) == "29 de noviembre de 2026"
    assert spanish.items("days")[0] == "Lun"


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_spanish_red_flags_are_whole_on_page_one(layout: str, paper: str) -> None:
    """The longer Spanish still puts every warning sign on page 1, in large print too (above the
    who-and-when lines when it must)."""
    handout, pdf = build_pdf(program="sciatica", lang="es", layout=layout, paper=paper,
                             patient="Ana García", therapist="Sofía Ramírez")  # fmt: skip
    d = handout.disclaimers
    first = " ".join(pdf.texts[0].split())
    assert d.red_flags_title in first
    assert all(" ".join(flag.split()) in first for flag in d.red_flags)
    assert d.red_flags_action in first


def test_a_red_flag_box_taller_than_page_one_breaks_between_signs(tmp_path: Path) -> None:
    signs = [
        f"Sign number {n}: a long warning sign that takes two lines in large print."
        for n in range(1, 15)
    ]
    library = write(tmp_path / "lib.yaml", "disclaimers:\n  red_flags:\n    title: \"Get help now if you have:\"\n"
                    "    items:\n" + "".join(f"      - {json.dumps(sign)}\n" for sign in signs))  # fmt: skip
    _, pdf = build_pdf(program="sciatica", layout="large-print", library=library)
    first, second = (" ".join(text.split()) for text in pdf.texts[:2])
    assert "Get help now if you have:" in first and signs[0] in first
    assert signs[-1] in second and "Get help now if you have:" in second  # the heading repeats
    assert all(sign in first + second for sign in signs)


def test_check_warns_of_text_in_an_undeclared_language(tmp_path: Path) -> None:
    library = write(tmp_path / "lib.yaml", CLINIC.replace("          es:\n", "          fr:\n"))
    report = check(library=library, languages=["en"])
    assert report.warnings == [
        f"{library}:3: exercises[0] 'wall-sit': translations.fr is in a language the library does "
        "not have; add a languages: fr: entry"
    ]
