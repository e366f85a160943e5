"""Compose: choosing exercises, numbering versions (1b), links, names and suggestions."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DATE, LIBRARY_FIXTURES, SCIATICA_IDS

from handouts.compose import Handout, compose, find_exercise
from handouts.errors import InputError
from handouts.load.brand import load_brand
from handouts.load.library import load_library
from handouts.model import Library

_EN = load_library().languages["en"].labels
CUSTOM_TITLE, CUSTOM_INTRO = _EN["custom_title"], _EN["custom_intro"]


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def make(library: Library, **options) -> Handout:
    options.setdefault("date", DATE)
    return compose(library, load_brand(None), **options)


def test_sciatica_program_in_article_order_with_versions(library: Library) -> None:
    handout = make(library, program="sciatica")
    assert [(i.number, i.exercise.id, i.label) for i in handout.items] == [
        ("1", "knee-to-opposite-shoulder", ""),
        ("1b", "pigeon-pose", "Harder version of 1"),
        ("2", "child-pose", ""),
        ("2b", "cobra-pose", "Another choice for 2: do the one your therapist chose"),
        ("3", "pelvic-tilt", ""),
        ("4", "glute-bridge", ""),
        ("5", "banded-squat", ""),
        ("6", "split-squat", ""),
        ("7", "hip-hinge", ""),
    ]
    assert tuple(i.exercise.id for i in handout.items) == SCIATICA_IDS
    assert handout.title == "Stretches and exercises for sciatica"
    assert handout.intro == library.programs["sciatica"].intro
    assert handout.program_id == "sciatica"
    assert handout.date == DATE
    assert handout.paper == "letter"
    assert (handout.lang, handout.labels.locale) == ("en", "en-US")


def test_links_point_to_numbers_in_this_handout(library: Library) -> None:
    items = {i.exercise.id: i for i in make(library, program="sciatica").items}
    assert items["knee-to-opposite-shoulder"].links == (
        "The harder version is number 1b: Pigeon pose.",
    )
    assert items["pigeon-pose"].links == (
        "The easier version is number 1: Knee to opposite shoulder.",
    )
    assert items["child-pose"].links == (
        "Another choice is number 2b: Cobra pose (on your forearms).",
    )
    assert items["split-squat"].links == ("The easier version is number 5: Squat with a band.",)
    assert items["hip-hinge"].links == ()


def test_links_to_exercises_not_in_the_handout_have_no_number(library: Library) -> None:
    handout = make(library, ids=["pigeon-pose", "banded-squat", "cobra-pose"])
    assert [(i.number, i.label) for i in handout.items] == [("1", ""), ("2", ""), ("3", "")]
    assert [i.links for i in handout.items] == [
        ("Too hard? Ask your therapist about an easier version: Knee to opposite shoulder.",),
        ("Too easy? Ask your therapist about a harder version: Split squat.",),
        ("Another choice, if your therapist agrees: Child's pose.",),
    ]


def test_dose_sentences_are_on_each_item(library: Library) -> None:
    items = {i.exercise.id: i for i in make(library, program="sciatica").items}
    assert items["knee-to-opposite-shoulder"].dose == (
        "Hold for 30 seconds.",
        "Do this 3 times on each side.",
        "Do this 2 times a day.",
    )
    assert items["banded-squat"].dose == (
        "Do this 10 times in a row. That is 1 set.",
        "Do 2 sets, resting 1 minute between sets.",
        "Band or weight: light resistance band.",
    )


@pytest.mark.parametrize(
    ("program", "kind"), [("sciatica-gentle", "stretch"), ("sciatica-strength", "strengthen")]
)
def test_focused_programs(library: Library, program: str, kind: str) -> None:
    handout = make(library, program=program)
    assert handout.items
    assert {i.exercise.kind for i in handout.items} == {kind}


def test_gentle_program_numbers(library: Library) -> None:
    handout = make(library, program="sciatica-gentle")
    assert [i.number for i in handout.items] == ["1", "1b", "2", "2b", "3"]


def test_custom_selection(library: Library) -> None:
    handout = make(library, ids=["glute-bridge", "hip-hinge"])
    assert [(i.number, i.exercise.id, i.label) for i in handout.items] == [
        ("1", "glute-bridge", ""),
        ("2", "hip-hinge", ""),
    ]
    assert (handout.title, handout.intro, handout.program_id) == (CUSTOM_TITLE, CUSTOM_INTRO, "")


def test_program_then_extra_ids_without_repeats(library: Library) -> None:
    handout = make(
        library, program="sciatica-strength", ids=["hip-hinge", "pelvic-tilt", "pelvic-tilt"]
    )
    assert [(i.number, i.exercise.id) for i in handout.items] == [
        ("1", "glute-bridge"),
        ("2", "banded-squat"),
        ("3", "split-squat"),
        ("4", "hip-hinge"),
        ("5", "pelvic-tilt"),
    ]
    assert handout.program_id == "sciatica-strength"


@pytest.mark.parametrize(
    ("name", "exercise_id"),
    [
        ("anterior pelvic tilt", "pelvic-tilt"),
        ("Anterior Pelvic Tilt", "pelvic-tilt"),
        ("anterior-pelvic-tilt", "pelvic-tilt"),
        ("GLUTE_BRIDGE", "glute-bridge"),
        ("glute bridge", "glute-bridge"),
        ("  hip hinge ", "hip-hinge"),
        ("piriformis stretch", "knee-to-opposite-shoulder"),
        ("child's pose", "child-pose"),
    ],
)
def test_aliases_and_spellings_resolve(library: Library, name: str, exercise_id: str) -> None:
    assert find_exercise(library, name).id == exercise_id
    (item,) = make(library, ids=[name]).items
    assert item.exercise.id == exercise_id


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "glute-brdge",
            "unknown exercise 'glute-brdge'. Did you mean 'glute-bridge'? "
            "Run 'handouts list' to see them all.",
        ),
        (
            "pelvic-tlt",
            "unknown exercise 'pelvic-tlt'. Did you mean 'pelvic-tilt'? "
            "Run 'handouts list' to see them all.",
        ),
        ("xyzzy", "unknown exercise 'xyzzy'. Run 'handouts list' to see them all."),
    ],
)
def test_unknown_exercise_suggests_the_closest(library: Library, name: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        make(library, ids=[name])
    assert caught.value.format_message() == message
    assert caught.value.exit_code == 2


def test_unknown_exercise_suggests_by_alias(library: Library) -> None:
    with pytest.raises(InputError) as caught:
        make(library, ids=["anterior pelvic tlt"])
    assert "Did you mean 'pelvic-tilt'?" in caught.value.format_message()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "sciatic",
            "unknown program 'sciatic'. Did you mean 'sciatica', 'sciatica-gentle' or "
            "'sciatica-strength'? The programs are: sciatica, sciatica-gentle, sciatica-strength.",
        ),
        (
            "gentle",
            "unknown program 'gentle'. Did you mean 'sciatica-gentle'? "
            "The programs are: sciatica, sciatica-gentle, sciatica-strength.",
        ),
        (
            "knees",
            "unknown program 'knees'. The programs are: sciatica, sciatica-gentle, "
            "sciatica-strength.",
        ),
    ],
)
def test_unknown_program(library: Library, name: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        make(library, program=name)
    assert caught.value.format_message() == message


def test_nothing_chosen_explains_how_to_choose(library: Library) -> None:
    with pytest.raises(InputError) as caught:
        make(library)
    assert caught.value.format_message() == (
        "choose what to print: give exercise ids (handouts build glute-bridge hip-hinge) "
        "or a program (handouts build --program sciatica). "
        "'handouts list' and 'handouts programs' show the choices."
    )


def test_names_are_normalized_and_cleaned(library: Library) -> None:
    handout = make(
        library,
        ids=["glute-bridge"],
        patient="  Jane Lo\u0301pez\x00 ",
        therapist="Sam\tLee, PT",
        notes="\n\nStart slowly.\r\nBreathe.\n\n",
    )
    assert handout.patient == "Jane L\u00f3pez"
    assert handout.therapist == "Sam Lee, PT"
    assert handout.notes == "Start slowly.\nBreathe."


def test_texts_name_where_each_piece_comes_from(library: Library) -> None:
    handout = make(library, ids=["glute-bridge"], patient="Jane", therapist="Sam", notes="Go.")
    texts = list(handout.texts())
    assert ("--patient", "Jane") in texts
    assert ("--therapist", "Sam") in texts
    assert ("--notes", "Go.") in texts
    assert ("the handout title", CUSTOM_TITLE) in texts
    origin = library.exercises["glute-bridge"].origin
    assert (f"exercise 'glute-bridge' ({origin}) title", "Bridge") in texts
    assert (f"exercise 'glute-bridge' ({origin})", "Hold for 3 seconds.") in texts


def test_clinic_program_with_a_version(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(LIBRARY_FIXTURES)
    clinic = load_library(Path("clinic.yaml"))
    handout = make(clinic, program="knees")
    assert [(i.number, i.exercise.id, i.label) for i in handout.items] == [
        ("1", "wall-sit", ""),
        ("2", "banded-squat", ""),
        ("2b", "split-squat", "Harder version of 2"),
    ]
    assert handout.items[0].links == ("Another choice is number 2: Squat with a band.",)
    assert handout.items[0].dose == (
        "Hold for 20 seconds.",
        "Do this 5 times in a row. That is 1 set.",
        "Do 2 sets, resting 1 minute between sets.",
        "Do this 3 days a week.",
    )


def test_a_variant_of_a_replaced_exercise_keeps_its_label(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(LIBRARY_FIXTURES)
    library = load_library(Path("replaces-linked.yaml"))
    items = make(library, program="sciatica").items
    assert [(i.number, i.exercise.title, i.label) for i in items[:2]] == [
        ("1", "Clinic knee stretch", ""),
        ("1b", "Pigeon pose", "Harder version of 1"),
    ]
    assert items[0].links == ()
    assert items[1].links == ("The easier version is number 1: Clinic knee stretch.",)


def test_a_variant_with_no_link_is_another_version(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(LIBRARY_FIXTURES)
    library = load_library(Path("variant-not-linked.yaml"))
    items = make(library, program="knees").items
    assert [(i.number, i.exercise.id, i.label) for i in items] == [
        ("1", "banded-squat", ""),
        ("1b", "hip-hinge", "Another version of 1"),
    ]
