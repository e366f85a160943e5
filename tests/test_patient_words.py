"""The patient's words (issue #14, review findings 9, 10 and 15): a chosen exercise says so under
its title and leaves out the tip that only says "ask which one" (a tip's `when: not chosen`,
validated where it is written); the log says "each time" and its week line has no colon."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import build_pdf, flat
from test_patient_plan import index_of, make, story_of, texts

from handouts.catalog import show_text
from handouts.check import check
from handouts.cli import cli
from handouts.load.layout import load_layout
from handouts.load.library import load_library
from handouts.model import Library
from handouts.render.html import html_bytes

ASK_COBRA = "Some people get more relief from cobra pose."
ASK_CHILD = "Some people get more relief from child's pose."
ASK_COBRA_ES = "Algunas personas sienten más alivio con la postura de la cobra."
CHOSE_COBRA = "Your therapist chose this one for you, not Child's pose."
CHOSE_CHILD = "Your therapist chose this one for you, not Cobra pose (on your forearms)."
CHOSE_CHILD_ES = (
    "Su fisioterapeuta escogió este ejercicio para usted, en vez de Postura de la cobra "
    "(sobre los antebrazos)."
)


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def item_of(handout, exercise_id: str):
    return next(i for i in handout.items if i.exercise.id == exercise_id)


# -- compose: the chosen line and the tip only for while nobody chose ----------------------------
def test_a_chosen_exercise_says_so_and_drops_the_ask_which_tip(library: Library) -> None:
    handout = make(library, program="sciatica", choose=["child-pose"])
    child = item_of(handout, "child-pose")
    assert child.chosen == CHOSE_CHILD
    assert CHOSE_CHILD not in child.links  # (it was the last line of the card)
    assert not any(tip.startswith(ASK_COBRA) for tip in child.exercise.tips)
    # the tip that is for any patient stays
    assert child.exercise.tips == (
        "If your knees hurt, put a pillow between your heels and your buttocks.",
    )
    assert child.exercise.tips_when == ()
    cobra = item_of(make(library, program="sciatica", choose=["cobra-pose"]), "cobra-pose")
    assert cobra.chosen == CHOSE_COBRA
    assert not any(tip.startswith(ASK_CHILD) for tip in cobra.exercise.tips)
    assert len(cobra.exercise.tips) == 2


def test_nobody_chose_keeps_the_ask_which_tip_and_no_chosen_line(library: Library) -> None:
    for handout in (make(library, program="sciatica"), make(library, ids=["child-pose"])):
        child = item_of(handout, "child-pose")
        assert child.chosen == ""
        assert child.exercise.tips[0].startswith(ASK_COBRA)
    cobra = item_of(make(library, program="sciatica"), "cobra-pose")
    assert cobra.exercise.tips[0].startswith(ASK_CHILD) and cobra.chosen == ""


def test_choosing_another_group_leaves_this_one_s_tip(library: Library) -> None:
    handout = make(library, program="sciatica", choose=["pigeon-pose"])
    assert item_of(handout, "pigeon-pose").chosen == ""  # chosen over a harder/easier: no line
    assert item_of(handout, "child-pose").exercise.tips[0].startswith(ASK_COBRA)


def test_the_chosen_line_and_tips_in_spanish(library: Library) -> None:
    handout = make(library, program="sciatica", choose=["child-pose"], lang="es")
    child = item_of(handout, "child-pose")
    assert child.chosen == CHOSE_CHILD_ES
    assert not any(ASK_COBRA_ES in tip for tip in child.exercise.tips)
    assert len(child.exercise.tips) == 1
    unchosen = item_of(make(library, program="sciatica", lang="es"), "child-pose")
    assert unchosen.exercise.tips[0].startswith(ASK_COBRA_ES)


# -- story and PDF: the line comes first, under the title ----------------------------------------
@pytest.mark.parametrize("layout", ["standard", "compact", "large-print"])
def test_the_chosen_line_prints_right_under_the_title(library: Library, layout: str) -> None:
    handout = make(library, program="sciatica", choose=["child-pose"])
    story = story_of(handout, layout)
    card = texts(story[index_of(story, "2. Child's pose")])
    assert card[card.index("2. Child's pose") + 1] == CHOSE_CHILD
    assert card.count(CHOSE_CHILD) == 1
    assert not any(ASK_COBRA in text for text in card)


def test_the_pdf_and_html_say_it_once_under_the_title() -> None:
    handout, pdf = build_pdf(program="sciatica", choose=("child-pose",))
    text = flat(pdf.text)
    assert text.count(CHOSE_CHILD) == 1
    title = text.index("2. Child's pose")
    assert title < text.index(CHOSE_CHILD) < text.index("Why:", title)
    assert ASK_COBRA not in text
    html = html_bytes(handout, load_layout("standard")).decode()
    title = html.index('id="exercise-2"')
    chosen = html.index("Your therapist chose this one for you")
    assert title < chosen < html.index("Why:", title)
    assert "relief from cobra pose" not in html
    _, unchosen = build_pdf(program="sciatica")
    assert flat(ASK_COBRA) in flat(unchosen.text)


# -- the library format: `when: not chosen`, checked with file:line ------------------------------
CLINIC = """\
exercises:
  - id: wall-sit
    title: Wall sit
    purpose: Builds strength in your thighs.
    steps: [Lean your back on a wall., Slide down a little.]
    tips:
{tips}
    alternatives: [step-up]
{translations}
  - id: step-up
    title: Step up
    purpose: Builds strength.
    steps: [Step up onto the stair.]
    alternatives: [wall-sit]
"""
GOOD_TIPS = """\
      - text: Some people like step ups better. Ask which one is right for you.
        when: not chosen
      - Keep your knees over your feet."""
GOOD_ES = """\
    translations:
      es:
        title: Sentadilla en la pared
        purpose: Fortalece los muslos.
        steps: [Apoye la espalda en la pared., Baje un poco.]
        tips:
          - text: Pregunte cuál es mejor para usted.
            when: not chosen
          - Mantenga las rodillas sobre los pies."""


def write(folder: Path, tips: str = GOOD_TIPS, translations: str = "") -> Path:
    path = folder / "ours.yaml"
    path.write_text(CLINIC.format(tips=tips, translations=translations), encoding="utf-8")
    return path


def test_a_clinic_tip_with_when_loads_and_is_left_out_when_chosen(tmp_path: Path) -> None:
    library = load_library(write(tmp_path, translations=GOOD_ES))
    wall = library.exercises["wall-sit"]
    assert wall.tips == ("Some people like step ups better. Ask which one is right for you.",
                         "Keep your knees over your feet.")  # fmt: skip
    assert wall.tips_when == ("not chosen", "")
    both = make(library, ids=["wall-sit", "step-up"])
    assert len(item_of(both, "wall-sit").exercise.tips) == 2
    chosen = item_of(make(library, ids=["wall-sit", "step-up"], choose=["wall-sit"]), "wall-sit")
    assert chosen.exercise.tips == ("Keep your knees over your feet.",)
    assert chosen.chosen == "Your therapist chose this one for you, not Step up."
    spanish = make(library, ids=["wall-sit", "step-up"], choose=["wall-sit"], lang="es",
                   allow_fallback=True)  # fmt: skip
    assert item_of(spanish, "wall-sit").exercise.tips == ("Mantenga las rodillas sobre los pies.",)


@pytest.mark.parametrize(
    ("tips", "translations", "message"),
    [
        ("      - text: Ask which one.\n        when: chosen", "",
         "ours.yaml:8: exercises[0] 'wall-sit': tips[0].when must be one of not chosen, got "
         "'chosen' (did you mean 'not chosen'?)"),
        ("      - {text: Ask which one., whenever: not chosen}", "",
         "ours.yaml:7: exercises[0] 'wall-sit': tips[0].whenever is not a known key (did you "
         "mean 'when'?); expected one of: text, when"),
        ("      - Keep your knees over your feet.\n      - {when: not chosen}", "",
         "ours.yaml:8: exercises[0] 'wall-sit': tips[1].text is required (text)"),
        ("      - {text: Ask which one., when: not chosen}\n      - [a list]", "",
         "ours.yaml:8: exercises[0] 'wall-sit': tips[1] must be text, or {text: ..., when: not "
         "chosen}, got a list"),
        (GOOD_TIPS, GOOD_ES.replace("          - text: Pregunte cuál es mejor para usted.\n"
                                    "            when: not chosen\n", ""),
         "ours.yaml:17: exercises[0] 'wall-sit': translations.es.tips marks 0 tips 'when: not "
         "chosen' but the English tips mark 1: mark the same tips in both, so both languages "
         "leave them out when the therapist chooses"),
        (GOOD_TIPS, GOOD_ES.replace("            when: not chosen", "            when: nope"),
         "ours.yaml:18: exercises[0] 'wall-sit': translations.es.tips[0].when must be one of "
         "not chosen, got 'nope'"),
    ],
    ids=["bad-when", "unknown-key", "no-text", "not-text", "translation-unmarked",
         "translation-bad-when"],
)  # fmt: skip
def test_a_bad_tip_says_where_and_what(tmp_path: Path, tips: str, translations: str,
                                       message: str) -> None:  # fmt: skip
    path = write(tmp_path, tips, translations)
    library = load_library(path)
    assert "wall-sit" in library.broken
    problems = [p.replace(f"{tmp_path}/", "") for p in library.broken["wall-sit"]]
    assert message in problems, problems


def test_check_counts_a_marked_tip_once_and_lists_it_in_show(tmp_path: Path) -> None:
    translations = GOOD_ES.replace("          - Mantenga las rodillas sobre los pies.", "")
    translations = translations.replace(
        "            when: not chosen",
        "            when: not chosen\n          - Uno.\n          - Dos.",
    )
    path = write(tmp_path, translations=translations)
    report = check(path, languages=("es",))
    counted = [w for w in report.warnings if "items in English but" in w]
    assert len(counted) == 1 and "tips has 2 items in English but 3 in es" in counted[0]
    assert not any("tips_when" in text for text in (*report.warnings, *report.problems))
    shown = show_text(load_library(path), "wall-sit")
    assert "  - Some people like step ups better. Ask which one is right for you.  (when: not " \
           "chosen)" in shown  # fmt: skip
    assert "  - Keep your knees over your feet.\n" in shown


def test_the_built_in_library_checks_clean_with_its_marked_tips() -> None:
    result = CliRunner().invoke(cli, ["check"])
    assert result.exit_code == 0, result.output
    library = load_library()
    for exercise_id in ("child-pose", "cobra-pose"):
        e = library.exercises[exercise_id]
        assert e.tips_when[0] == "not chosen" and set(e.tips_when[1:]) == {""}
        assert e.translations.texts["es"]["tips_when"][0] == "not chosen"
    listed = CliRunner().invoke(cli, ["list", "--json"])
    assert listed.exit_code == 0 and "tips_when" not in listed.output
    assert "not chosen" not in listed.output


# -- the log's words -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("lang", "wanted", "unwanted"),
    [
        ("en", "Week starting ______________. Tick a box each time you do the exercise.",
         ("Week starting:", "each day you do")),
        ("es", "Semana que empieza el ______________. Marque un cuadro cada vez que haga el "
         "ejercicio.", ("Semana que empieza el:", "cada día que haga")),
    ],
)  # fmt: skip
def test_the_log_says_each_time_and_its_week_line_has_no_colon(
    lang: str, wanted: str, unwanted: tuple[str, ...]
) -> None:
    handout, pdf = build_pdf(program="sciatica", lang=lang, log_weeks=1)
    text = flat(pdf.text)
    assert wanted in text
    html = html_bytes(handout, load_layout("standard")).decode()
    for gone in unwanted:
        assert gone not in text and gone not in html
    assert handout.labels["log_help"].split(".")[0] in html
