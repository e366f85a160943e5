"""A handout a patient can follow alone (issue 14, content): which alternative, how often, the
therapist's words where they matter, the summary at a glance, who to call, the Spanish review."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATE, build_pdf, flat
from reportlab.platypus import PageBreak

from handouts.cli import cli
from handouts.compose import Handout, compose
from handouts.dose import dose_option, dose_sentences, note_option
from handouts.errors import InputError
from handouts.language import Labels
from handouts.load.brand import load_brand
from handouts.load.layout import load_layout
from handouts.load.library import load_library
from handouts.model import Brand, Dose, Library
from handouts.render.fonts import font_family
from handouts.render.log import weekly_log
from handouts.render.story import build_story, exercises, front_matter
from handouts.render.styles import make_styles

WIDTH = 612 - 2 * 43.2


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def make(library: Library, brand: Brand | None = None, **options) -> Handout:
    options.setdefault("date", DATE)
    return compose(library, brand or load_brand(None), **options)


def story_of(handout: Handout, layout: str = "standard") -> list:
    found = load_layout(layout)
    s = make_styles(found, handout.brand, font_family(found.font), handout.labels)
    return build_story(handout, s, WIDTH)


def _all_flowables(flowables) -> list:
    """Every flowable inside `flowables` (kept blocks, tables' cells), depth first."""
    out: list = []
    for f in flowables:
        out.append(f)
        out += _all_flowables(getattr(f, "_content", None) or [])
        for row in getattr(f, "_cellvalues", None) or []:
            for cell in row:
                out += _all_flowables(cell if isinstance(cell, (list, tuple)) else [cell])
    return out


def texts(flowable) -> list[str]:
    """Every paragraph's plain text inside a flowable (tables, kept blocks), in order."""
    if hasattr(flowable, "getPlainText"):
        return [flowable.getPlainText()]
    out: list[str] = []
    for child in getattr(flowable, "_content", None) or []:
        out += texts(child)
    for row in getattr(flowable, "_cellvalues", None) or []:
        for cell in row:
            for part in cell if isinstance(cell, (list, tuple)) else [cell]:
                out += texts(part)
    return out


def index_of(story: list, text: str) -> int:
    return next(i for i, f in enumerate(story) if text in texts(f))


# -- which alternative ---------------------------------------------------------------------------
def test_nobody_chose_the_pair_has_boxes_to_tick_and_one_plan_row(library: Library) -> None:
    handout = make(library, program="sciatica")
    items = {i.exercise.id: i for i in handout.items}
    assert items["child-pose"].pick == ("2", "2b") == items["cobra-pose"].pick
    assert items["knee-to-opposite-shoulder"].pick == ()
    assert (items["pigeon-pose"].later, items["pigeon-pose"].pick) == ("harder", ())
    assert items["pigeon-pose"].label == (
        "Harder version of 1: do this when 1 is easy. Ask your therapist first."
    )
    assert items["cobra-pose"].label == "Another choice for 2"
    assert [(r.number, r.title) for r in handout.plan] == [
        ("1", "Knee to opposite shoulder"),
        ("2 or 2b", "Child's pose or Cobra pose (on your forearms)"),
        ("3", "Pelvic tilt"),
        ("4", "Bridge"),
        ("5", "Squat with a band"),
        ("6", "Split squat"),
        ("7", "Hip hinge"),
    ]


def test_the_card_of_each_alternative_says_the_therapist_ticks_one(library: Library) -> None:
    story = story_of(make(library, program="sciatica"))
    for title in ("2. Child's pose", "2b. Cobra pose (on your forearms)"):
        card = texts(story[index_of(story, title)])
        tick = card.index("Your therapist ticks the one for you:")
        assert card[tick + 1 : tick + 3] == ["2", "2b"]
    pigeon = texts(story[index_of(story, "1b. Pigeon pose")])
    assert "Your therapist ticks the one for you:" not in pigeon


def test_a_chosen_alternative_prints_alone_and_names_the_other(library: Library) -> None:
    handout = make(library, program="sciatica", choose=["cobra-pose"])
    assert [(i.number, i.exercise.id, i.label, i.pick) for i in handout.items][2:4] == [
        ("2", "cobra-pose", "", ()),
        ("3", "pelvic-tilt", "", ()),
    ]
    assert "child-pose" not in {i.exercise.id for i in handout.items}
    cobra = handout.items[2]
    assert cobra.chosen == "Your therapist chose this one for you, not Child's pose."
    assert cobra.links == ()  # (said under its title, not last: test_patient_words.py)
    assert [(r.number, r.title) for r in handout.plan][1] == ("2", "Cobra pose (on your forearms)")
    story = story_of(handout)
    assert "Your therapist ticks the one for you:" not in [t for f in story for t in texts(f)]


def test_choosing_the_harder_version_makes_it_today_s_exercise(library: Library) -> None:
    handout = make(library, program="sciatica", choose=["pigeon-pose", "child-pose"])
    first = handout.items[0]
    assert (first.number, first.exercise.id, first.label, first.later) == (
        "1",
        "pigeon-pose",
        "",
        "",
    )
    assert first.links == (
        "Too hard? Ask your therapist about an easier version: Knee to opposite shoulder.",
    )
    assert [r.number for r in handout.plan] == ["1", "2", "3", "4", "5", "6", "7"]
    assert handout.items[1].chosen == (
        "Your therapist chose this one for you, not Cobra pose (on your forearms)."
    )


@pytest.mark.parametrize(
    ("choose", "message"),
    [
        (
            ["glute-bridge"],
            "cannot choose 'glute-bridge': 'glute-bridge' has no other version in this handout "
            "to choose between; the choices are: knee-to-opposite-shoulder or pigeon-pose; "
            "child-pose or cobra-pose",
        ),
        (
            ["cobra"],  # an alias names the exercise; it is not in this program
            "cannot choose 'cobra': 'cobra-pose' is not in this handout; the choices are: "
            "glute-bridge or ... ",
        ),
        (
            ["child-pose", "cobra-pose"],
            "cannot choose both 'child-pose' and 'cobra-pose': they are versions of the same "
            "exercise; choose one",
        ),
    ],
)
def test_a_choice_that_cannot_be_made_says_why(library: Library, choose, message) -> None:
    program = "sciatica-strength" if choose == ["cobra"] else "sciatica"
    with pytest.raises(InputError) as caught:
        make(library, program=program, choose=choose)
    if program == "sciatica-strength":
        message = (
            "cannot choose 'cobra': 'cobra-pose' is not in this handout; this handout has no "
            "versions to choose between"
        )
    assert caught.value.message == message


def test_compact_prints_the_alternatives_but_names_the_harder_version(library: Library) -> None:
    handout = make(library, program="sciatica", versions="mention")
    assert [i.number for i in handout.items] == ["1", "2", "2b", "3", "4", "5", "6", "7"]
    assert handout.items[0].links == (
        "Too easy? Ask your therapist about a harder version: Pigeon pose.",
    )
    assert handout.items[1].pick == ("2", "2b")


def test_the_log_has_a_row_for_each_exercise_to_do(library: Library) -> None:
    handout = make(library, program="sciatica", log_weeks=1)
    layout = load_layout()
    s = make_styles(layout, handout.brand, font_family(layout.font), handout.labels)
    log = weekly_log(handout, s)
    table = next(f for f in log if hasattr(f, "_cellvalues"))
    names = [row[0].getPlainText() for row in table._cellvalues if row[1] != ""]
    assert names[1:] == [
        "1. Knee to opposite shoulder",
        "2 or 2b. Child's pose or Cobra pose (on your forearms)",
        "3. Pelvic tilt",
        "4. Bridge",
        "5. Squat with a band",
        "6. Split squat",
        "7. Hip hinge",
    ]


# -- how often, and sides ----------------------------------------------------------------------
def test_every_built_in_dose_says_how_often(library: Library) -> None:
    for exercise in library.exercises.values():
        dose = exercise.dose
        assert dose.times_per_day and dose.days_per_week, exercise.id
        if exercise.kind == "strengthen":  # a day of rest between strength days
            assert (dose.times_per_day, dose.days_per_week) == (1, 3), exercise.id
        else:
            assert (dose.times_per_day, dose.days_per_week) == (2, 7), exercise.id


def test_the_split_squat_leaves_no_doubt_about_sides(library: Library) -> None:
    labels = Labels(library.languages["en"])
    assert dose_sentences(library.exercises["split-squat"].dose, labels) == [
        "Do this 8 times in a row on one side. That is 1 set.",
        "Do 2 sets on each side, resting 1 minute between sets.",
        "Do this once a day, 3 days a week.",
    ]
    spanish = Labels(library.languages["es"])
    assert dose_sentences(library.exercises["split-squat"].dose, spanish) == [
        "Repita 8 veces seguidas de un lado. Eso es 1 serie.",
        "Haga 2 series de cada lado. Descanse 1 minuto entre series.",
        "Hágalo 1 vez al día, 3 días a la semana.",
    ]
    assert dose_sentences(library.exercises["child-pose"].dose, spanish) == [
        "Mantenga la posición durante 30 segundos.",
        "Repita 3 veces.",
        "Hágalo 2 veces al día, todos los días.",
    ]


def test_the_plan_splits_how_much_from_how_often(library: Library) -> None:
    row = make(library, program="sciatica").plan[3]
    assert row.how_much == (
        "Hold for 3 seconds.",
        "Do this 10 times in a row. That is 1 set.",
        "Do 2 sets, resting 1 minute between sets.",
    )
    assert row.how_often == ("Do this once a day, 3 days a week.",)
    own = make(library, ids=["glute-bridge", "hip-hinge"],
               doses=[("glute-bridge", Dose(times_per_day=None))])  # fmt: skip
    assert own.plan[0].how_often == ("Do this once a day, 3 days a week.",)


# -- one exercise's dose and note from the command line --------------------------------------
def test_dose_and_note_options_read_well_and_change_one_exercise(library: Library) -> None:
    assert dose_option("hip-hinge:reps=8,sets=3") == ("hip-hinge", Dose(reps=8, sets=3))
    assert dose_option(" hip-hinge : side=each, load=red band, light") == (
        "hip-hinge",
        Dose(side="each", load="red band, light"),
    )
    assert note_option("hip-hinge:Keep the weight light.") == (
        "hip-hinge",
        "Keep the weight light.",
    )
    handout = make(
        library,
        program="sciatica-strength",
        doses=[dose_option("hip hinge:reps=8,sets=3,days_per_week=2")],
        exercise_notes=[note_option("hip-hinge:Keep the weight light.")],
    )
    hinge = handout.items[-1]
    assert hinge.dose == (
        "Do this 8 times in a row. That is 1 set.",
        "Do 3 sets, resting 1 minute between sets.",
        "Do this once a day, 2 days a week.",
    )
    assert hinge.notes == "Keep the weight light."
    card = texts(story_of(handout)[index_of(story_of(handout), "4. Hip hinge")])
    assert "Your therapist says: Keep the weight light." in card


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hip-hinge", "--dose 'hip-hinge': write it as ID:FIELD=VALUE,FIELD=VALUE "
         "(e.g. hip-hinge:reps=8,sets=3)"),
        ("hip-hinge:rep=8", "--dose 'hip-hinge:rep=8': unknown field 'rep' (did you mean "
         "'reps'?); the fields are: hold, reps, sets, rest, times_per_day, days_per_week, duration, side, "
         "load"),
        ("hip-hinge:reps=eight", "--dose 'hip-hinge:reps=eight': reps must be a whole number "
         "from 1 to 200, got 'eight'"),
        ("hip-hinge:days_per_week=8", "--dose 'hip-hinge:days_per_week=8': days_per_week must "
         "be a whole number from 1 to 7, got '8'"),
        ("hip-hinge:reps 8", "--dose 'hip-hinge:reps 8': 'reps 8' is not FIELD=VALUE; write it "
         "as ID:FIELD=VALUE,FIELD=VALUE (e.g. hip-hinge:reps=8,sets=3)"),
        ("hip-hinge:side=both sides", "--dose 'hip-hinge:side=both sides': side must be one of "
         "each, both, left, right, got 'both sides'"),
    ],
)  # fmt: skip
def test_a_bad_dose_option_says_what_is_expected(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        dose_option(text)
    assert caught.value.message == message


def test_a_change_to_an_exercise_not_in_the_handout_is_an_error(library: Library) -> None:
    with pytest.raises(InputError) as caught:
        make(library, program="sciatica-strength", doses=[("child-pose", Dose(reps=2))])
    assert caught.value.message == (
        "--dose child-pose: 'child-pose' is not in this handout; its exercises are: "
        "glute-bridge, banded-squat, split-squat, hip-hinge"
    )
    with pytest.raises(InputError) as caught:
        note_option("hip-hinge")
    assert caught.value.message == (
        "--note 'hip-hinge': write it as ID:TEXT (e.g. \"hip-hinge:Keep the weight light.\")"
    )


# -- the therapist's words first; the summary last; who to call ---------------------------------
def test_notes_print_on_page_1_before_the_safety_list_and_any_card(library: Library) -> None:
    handout = make(library, program="sciatica", notes="Start with 1 set.")
    story = story_of(handout)
    notes = index_of(story, "Notes from your therapist")
    assert index_of(story, "Get medical help right away if you have:") < notes
    assert (
        notes
        < index_of(story, "Before you start")
        < index_of(story, "1. Knee to opposite shoulder")
    )
    # in columns too, in the full-width front matter, before the columns of cards
    found = load_layout("compact")
    s = make_styles(found, handout.brand, font_family(found.font), handout.labels)
    front = front_matter(handout, s, WIDTH)
    safety = next(i for i, f in enumerate(front)
                  if any(t.startswith("Before you start: Talk") for t in texts(f)))  # fmt: skip
    assert index_of(front, "Notes from your therapist") < safety
    assert all("Notes from your therapist" not in texts(f) for f in exercises(handout, s, 250))


def test_the_summary_is_a_page_of_its_own_after_the_cards(library: Library) -> None:
    story = story_of(make(library, program="sciatica"))
    summary = index_of(story, "Your plan at a glance")
    assert isinstance(story[summary - 1], PageBreak)
    assert summary > index_of(story, "7. Hip hinge")
    table = texts(story[summary])
    assert table[:6] == [
        "Your plan at a glance",
        "Put this page where you will see it every day, such as on your fridge. Do each "
        "exercise as often as the last column says.",  # how to use the table (PEMAT item 25)
        "Exercise",
        "How much",
        "How often",
        "1. Knee to opposite shoulder",
    ]
    assert "2. Child's pose" in table and "2b. Cobra pose (on your forearms)" in table
    assert "1b. Pigeon pose" not in table
    assert "Do this 2 times a day, every day." in table
    # one exercise: its card is the summary
    single = story_of(make(library, ids=["glute-bridge"]))
    assert all("Your plan at a glance" not in texts(f) for f in single)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_summary_breaks_no_word_and_draws_only_start_pictures(lang: str) -> None:
    """Large print's narrow exercise column is widened to its longest word ('antebrazos' not
    'ant ebrazo s'); each row's picture is the start alone, captioned by nothing (no 'Start'
    printed under its frame, over the next row)."""
    handout, pdf = build_pdf(program="sciatica", layout="large-print", lang=lang)
    first = pdf.page_of(handout.labels["summary_title"])
    summary = " ".join(pdf.texts[first - 1 :])
    for row in handout.plan:
        for item in row.items:
            assert f"{item.number}. {item.exercise.title}" in summary
    start = handout.labels["start"]
    for page in pdf.pages[first - 1 :]:
        assert start not in {w["text"] for w in page.words}, page.number


def test_the_summary_shows_the_end_photo_in_its_own_column(tmp_path: Path) -> None:
    from PIL import Image

    text = "exercises:\n"
    for n in (1, 2):
        for name, colour in (("start", (200, 30, 30)), ("end", (30, 160, 30))):
            Image.new("RGB", (600, 400), colour).save(tmp_path / f"{name}{n}.jpg", quality=90)
        text += (f"  - id: photo-{n}\n    title: Photo {n}\n    purpose: Builds strength.\n"
                 f"    steps: [Stand up.]\n    images: {{start: start{n}.jpg, end: end{n}.jpg}}\n")  # fmt: skip
    (tmp_path / "lib.yaml").write_text(text, encoding="utf-8")
    handout, pdf = build_pdf(ids=("photo-1", "photo-2"), library=tmp_path / "lib.yaml")
    page = pdf.pages[pdf.page_of("Your plan at a glance") - 1]
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf.data)) as doc:
        placed = doc.pages[page.number - 1].images
    name = min(w["x0"] for w in page.words if w["text"] == "1.")
    assert len(placed) == 2  # the end photos (green), one a row
    assert all(image["x1"] < name for image in placed)
    assert not {"Start", "End"} & {w["text"] for w in page.words}
    import pypdfium2

    scale = 2.0
    bitmap = pypdfium2.PdfDocument(pdf.data)[page.number - 1].render(scale=scale).to_pil()
    for image in placed:
        x = (image["x0"] + image["x1"]) / 2 * scale
        y = (image["top"] + image["bottom"]) / 2 * scale
        red, green, blue = bitmap.getpixel((int(x), int(y)))[:3]
        assert green > 120 and red < 80, (red, green, blue)  # (the end's, not the start's red)


def test_the_plans_sketch_is_the_end_position_which_tells_the_exercises_apart(
    library: Library,
) -> None:
    from handouts.render.figure import Sketch

    def drawn(exercise_id: str, pose: str) -> str:
        return Sketch(library.exercises[exercise_id].figure, 80, 64, pose).operators()

    # a pelvic tilt and a bridge start alike (on the back, knees bent); their ends differ
    assert drawn("glute-bridge", "end") != drawn("pelvic-tilt", "end")
    assert Sketch(library.exercises["glute-bridge"].figure, 80, 64).operators() == drawn(
        "glute-bridge", "end"
    )
    story = story_of(make(library, program="sciatica"))
    sketches = [f for f in _all_flowables(story) if isinstance(f, Sketch)]
    assert len(sketches) == 8 and {f.pose for f in sketches} == {"end"}  # (2 and 2b: one row)


def test_the_number_to_call_is_the_brand_s_phone_or_a_line(library: Library) -> None:
    story = story_of(make(library, program="sciatica"))
    line = index_of(story, "Your physical therapist's phone number: __________________")
    assert (
        index_of(story, "Before you start") < line < index_of(story, "1. Knee to opposite shoulder")
    )
    brand = Brand(name="Riverside PT", phone="(555) 010-0199")
    story = story_of(make(library, brand, program="sciatica"))
    assert index_of(story, "To reach your physical therapist, call Riverside PT at (555) 010-0199.")


# -- what prints, in every layout and language ---------------------------------------------------
@pytest.mark.parametrize("layout", ["standard", "compact", "large-print"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_layout_prints_the_plan_and_the_choice(layout: str, lang: str) -> None:
    handout, pdf = build_pdf(program="sciatica", layout=layout, lang=lang, log_weeks=1)
    text = flat(pdf.text)
    title, tick, pair = {
        "en": ("Your plan at a glance", "Your therapist ticks the one for you:",
               "2 or 2b. Child's pose or Cobra pose"),
        "es": ("Su plan de un vistazo", "Su fisioterapeuta marca el que debe hacer:",
               "2 o 2b. Postura del niño o Postura de la cobra"),
    }[lang]  # fmt: skip
    assert tick in text and pair in text  # (the log's row for the pair)
    if layout == "compact":  # the reminder sheet: each card has how much and how often
        assert title not in text
    else:
        assert pdf.page_of(title) > pdf.page_of(handout.items[-1].exercise.title)
    _, chosen = build_pdf(program="sciatica", layout=layout, lang=lang, choose=("cobra-pose",))
    assert tick not in flat(chosen.text)


def test_the_spanish_reads_as_the_reviewer_asked() -> None:
    _, pdf = build_pdf(program="sciatica", lang="es", log_weeks=1)
    text = flat(pdf.text)
    for wanted in (
        "No puede controlar la orina o las heces, o no puede orinar",
        "Debilidad nueva en una pierna o un brazo, o no puede moverlos",
        "la parte interna de los muslos",
        "hormigueo que baje por la pierna",
        "Mantenga la posición durante 30 segundos.",
        "La ciática es un dolor que viene del nervio ciático",
        "Semana que empieza el ____",
        "No rebote.",
        "Tapete (colchoneta) de ejercicio",
        "Fisioterapeuta:",
    ):
        assert wanted in text, wanted
    for unwanted in ("excremento", "de adentro de los muslos", "hormigueo que baja por",
                     "No dé rebotes", "Semana del:", "Semana que empieza el:"):  # fmt: skip
        assert unwanted not in text, unwanted
    library = load_library()
    words = " ".join(str(v) for v in library.languages["es"].labels.values())
    import re

    assert not re.search(r"(?<!fisio)terapeuta", words.lower())


# -- the command line, a prescription, a batch -------------------------------------------------
def test_build_takes_choose_dose_and_note(tmp_path: Path) -> None:
    out = tmp_path / "jane.pdf"
    result = CliRunner().invoke(cli, [
        "build", "--program", "sciatica", "--choose", "cobra-pose", "--dose",
        "hip-hinge:reps=8,sets=3", "--note", "hip-hinge:Keep the weight light.", "--date",
        "2026-03-02", "-o", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # English is the original: no draft warning
    from conftest import Pdf

    text = flat(Pdf(out.read_bytes()).text)
    assert "Your therapist chose this one for you, not Child's pose." in text
    assert "Do 3 sets, resting 1 minute between sets." in text
    assert "Your therapist says: Keep the weight light." in text
    bad = CliRunner().invoke(cli, ["build", "--program", "sciatica", "--dose", "hip-hinge:reps",
                                   "-o", str(tmp_path / "bad.pdf")])  # fmt: skip
    assert bad.exit_code == 2
    assert "--dose 'hip-hinge:reps': 'reps' is not FIELD=VALUE" in bad.stderr
    assert not (tmp_path / "bad.pdf").exists()


def test_a_draft_language_says_so_on_stderr_once(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", "--program", "sciatica", "--lang", "es",
                                      "-o", str(tmp_path / "ana.pdf")])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "Warning: Español (es) is a draft translation, not yet reviewed by a qualified medical "
        "translator: have it reviewed before relying on it\n"
    )
    rows = tmp_path / "rows.csv"
    with rows.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["patient", "program", "lang", "choose"])
        writer.writerow(["Ana", "sciatica", "es", "cobra-pose"])
        writer.writerow(["Bea", "sciatica", "es", ""])
        writer.writerow(["Cy", "sciatica", "en", "child-pose pigeon-pose"])
    batch = CliRunner().invoke(cli, ["batch", str(rows), "--out-dir", str(tmp_path / "out"),
                                     "--jobs", "1"])  # fmt: skip
    assert batch.exit_code == 0, batch.output
    assert batch.stderr.count("is a draft translation") == 1
    from conftest import Pdf

    ana, bea, cy = sorted((tmp_path / "out").iterdir())
    assert "no en vez de" not in flat(Pdf(ana.read_bytes()).text)
    assert "en vez de Postura del niño." in flat(Pdf(ana.read_bytes()).text)
    assert "Su fisioterapeuta marca el que debe hacer:" in flat(Pdf(bea.read_bytes()).text)
    assert "1. Pigeon pose" in flat(Pdf(cy.read_bytes()).text)


def test_a_prescription_chooses(tmp_path: Path, library: Library) -> None:
    from handouts.load.rx import load_prescription

    rx = tmp_path / "jane.yaml"
    rx.write_text("patient: Jane\nprogram: sciatica\nchoose: [cobra-pose]\n")
    assert load_prescription(rx, library).choose == ("cobra-pose",)
    rx.write_text("patient: Jane\nprogram: sciatica\nchoose: cobra-pos\n")
    with pytest.raises(InputError) as caught:
        load_prescription(rx, library)
    assert f"{rx}:3: choose names an unknown exercise 'cobra-pos' (did you mean 'cobra-pose'?)" in (
        caught.value.format_message()
    )
    rx.write_text("patient: Jane\nprogram: sciatica\nchoose: [cobra-pose]\n")
    out = tmp_path / "jane.pdf"
    result = CliRunner().invoke(cli, ["build", "--rx", str(rx), "-o", str(out)])
    assert result.exit_code == 0, result.output
    from conftest import Pdf

    assert "not Child's pose." in flat(Pdf(out.read_bytes()).text)
    # the command line wins over the file
    result = CliRunner().invoke(cli, ["build", "--rx", str(rx), "--choose", "child-pose",
                                      "-o", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "not Cobra pose (on your forearms)." in flat(Pdf(out.read_bytes()).text)
