"""Importing libraries (handouts/importers/) and the format's fields real libraries carry:
duration doses, the new kinds, level and muscles. Fixtures are written here in free-exercise-db's
format, with JPEGs made by Pillow (the data set itself is never committed)."""

from __future__ import annotations

import hashlib
import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import flat
from PIL import Image

from handouts.cli import cli
from handouts.dose import dose_option, dose_sentences
from handouts.errors import InputError, ValidationError
from handouts.importers.csv_import import template
from handouts.importers.steps import make_id, sentences, split_labelled
from handouts.language import Labels
from handouts.load import load_library
from handouts.model import KIND_DOSES, KINDS, Dose

from conftest import build_pdf  # isort: skip

SIT_UP = {
    "id": "3_4_Sit-Up", "name": "3/4 Sit-Up", "force": "pull", "level": "beginner",
    "mechanic": "compound", "equipment": "body only", "primaryMuscles": ["abdominals"],
    "secondaryMuscles": [], "category": "strength",
    "instructions": [
        "Lie down on the floor and secure your feet. Your legs should be bent at the knees.",
        "Place your hands behind your head, e.g. with your fingers laced. Flex your hips to "
        "raise your torso. Tip: Keep your neck relaxed.",
    ],
    "images": ["3_4_Sit-Up/0.jpg", "3_4_Sit-Up/1.jpg"],
}  # fmt: skip
RECORDS = [
    SIT_UP,
    {"id": "Childs_Pose", "name": "Child's Pose", "level": "beginner", "category": "stretching",
     "equipment": "body only", "primaryMuscles": ["lower back"], "secondaryMuscles": ["glutes"],
     "instructions": ["Get on your hands and knees. Sit back onto your heels."],
     "images": ["Childs_Pose/0.jpg", "Childs_Pose/1.jpg"]},
    {"id": "Split Squats", "name": "Split Squats", "level": "intermediate",
     "category": "powerlifting", "equipment": "dumbbell", "primaryMuscles": ["quadriceps"],
     "instructions": ["Stand with one foot forward."], "images": ["Split Squats/0.jpg"]},
    {"id": "Pigeon_Pose", "name": "Pigeon stretch", "category": "stretching", "level": "expert",
     "instructions": ["Bring one knee forward."], "images": ["Pigeon_Pose/0.jpg"]},
    {"id": "Sit_Up_No_Steps", "name": "Empty", "category": "cardio", "instructions": [],
     "images": []},
    {"id": "Café_Jog", "name": "Café jog", "category": "cardio", "level": "beginner",
     "equipment": "other", "primaryMuscles": ["quadriceps"], "instructions": ["Jog slowly."],
     "images": ["Cafe_Jog/0.jpg", "Cafe_Jog/1.jpg"]},
    {"id": "Odd", "name": "Odd one", "category": "yoga", "instructions": ["Breathe in."],
     "images": ["../../outside.jpg"]},
]  # fmt: skip
PHOTOS = (
    "3_4_Sit-Up/0.jpg",
    "3_4_Sit-Up/1.jpg",
    "Childs_Pose/0.jpg",
    "Childs_Pose/1.jpg",
    "Split Squats/0.jpg",
    "Pigeon_Pose/0.jpg",
)  # fmt: skip  (Cafe_Jog's are missing)


def jpeg(path: Path, size: tuple[int, int] = (85, 57), color=(180, 90, 40)) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, color).save(path, format="JPEG", quality=80)
    return path.read_bytes()


def write_source(folder: Path, records=RECORDS, photos=PHOTOS) -> Path:
    """A free-exercise-db checkout: dist/exercises.json and exercises/ID/N.jpg."""
    (folder / "dist").mkdir(parents=True)
    (folder / "dist" / "exercises.json").write_text(json.dumps(records, indent=2), "utf-8")
    for i, name in enumerate(photos):
        jpeg(folder / "exercises" / name, color=(10 * i, 90, 40))
    return folder


def report_lines(folder: Path) -> list[str]:
    return (folder / "import-report.txt").read_text("utf-8").splitlines()


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from handouts.importers.free_exercise_db import import_free_exercise_db

    base = tmp_path_factory.mktemp("fedb")
    source = write_source(base / "free-exercise-db")
    import_free_exercise_db(source, base / "ours")
    return base / "ours"


# -- the format ---------------------------------------------------------------------------------


def labels(code: str = "en") -> Labels:
    return Labels(load_library().languages[code])


def test_a_duration_prints_as_time_spent_with_how_often_in_english_and_spanish() -> None:
    cardio = Dose(duration=600, times_per_day=1, days_per_week=5)
    assert dose_sentences(cardio, labels()) == [
        "Do this for 10 minutes.",
        "Do this once a day, 5 days a week.",
    ]
    assert dose_sentences(cardio, labels("es")) == [
        "Hágalo durante 10 minutos.",
        "Hágalo 1 vez al día, 5 días a la semana.",
    ]
    sets = Dose(duration=30, sets=3, side="each", rest=30, times_per_day=2)
    assert dose_sentences(sets, labels()) == [
        "Do this for 30 seconds on one side. That is 1 set.",
        "Do 3 sets on each side, resting 30 seconds between sets.",
        "Do this 2 times a day.",
    ]
    assert dose_sentences(Dose(duration=90), labels("es")) == [
        "Hágalo durante 1 minuto y 30 segundos."
    ]


def test_every_kind_has_a_starting_dose_that_says_how_much_and_how_often() -> None:
    assert set(KIND_DOSES) == set(KINDS)
    for kind, dose in KIND_DOSES.items():
        for code in ("en", "es"):
            said = dose_sentences(dose, labels(code))
            assert len(said) >= 2, (kind, code)
    assert dose_sentences(KIND_DOSES["balance"], labels()) == [
        "Hold for 30 seconds.", "Do this 3 times.", "Do this once a day, every day."
    ]  # fmt: skip


def test_a_duration_replaces_hold_and_reps_when_a_therapist_changes_the_dose() -> None:
    held = Dose(hold=30, reps=3, times_per_day=2)
    assert held.overridden_by(Dose(duration=300)) == Dose(duration=300, times_per_day=2)
    assert Dose(duration=300, days_per_week=3).overridden_by(Dose(reps=5)) == Dose(
        reps=5, days_per_week=3
    )
    assert dose_option("walk:duration=600") == ("walk", Dose(duration=600))
    with pytest.raises(InputError) as caught:
        dose_option("walk:duration=600,reps=3")
    assert caught.value.message == (
        "--dose 'walk:duration=600,reps=3': duration says how long to do it, so it cannot be "
        "given with reps"
    )


def write_library(folder: Path, body: str) -> Path:
    path = folder / "ours.yaml"
    path.write_text("version: 1\nexercises:\n" + textwrap.dedent(body), "utf-8")
    return path


WALK = """\
  - id: brisk-walk
    title: Brisk walk
    purpose: Builds the fitness of your heart and lungs.
    steps: [Walk at a pace where you can talk but not sing.]
    level: beginner
    primary_muscles: [quadriceps, hamstrings]
    secondary_muscles: [calves]
    dose: {duration: 600, times_per_day: 1, days_per_week: 5}
    tags: {kind: cardio}
    translations:
      es:
        title: Caminata rápida
        purpose: Mejora la forma física del corazón y los pulmones.
        steps: [Camine a un ritmo en el que pueda hablar pero no cantar.]
        primary_muscles: [cuádriceps, isquiotibiales]
        secondary_muscles: [pantorrillas]
"""


def test_level_and_muscles_print_on_one_card_line_in_every_layout_and_in_spanish(
    tmp_path: Path,
) -> None:
    library = write_library(tmp_path, WALK)
    for layout in ("standard", "compact", "large-print"):
        _, pdf = build_pdf(ids=("brisk-walk",), library=library, layout=layout)
        text = flat(pdf.text)
        assert "Level: Beginner · Works: quadriceps, hamstrings · Also works: calves" in text
        assert "Do this for 10 minutes. " in text or "Do this for 10 minutes." in text
    _, pdf = build_pdf(ids=("brisk-walk",), library=library, lang="es")
    text = flat(pdf.text)
    assert "Nivel: Principiante · Trabaja: cuádriceps, isquiotibiales · También trabaja: " in text
    assert "Hágalo durante 10 minutos." in text


def test_an_untranslated_muscle_list_is_reported_like_any_missing_translation(
    tmp_path: Path,
) -> None:
    library = write_library(
        tmp_path, WALK.replace("        secondary_muscles: [pantorrillas]\n", "")
    )
    with pytest.raises(ValidationError) as caught:
        build_pdf(ids=("brisk-walk",), library=library, lang="es")
    assert caught.value.problems == [
        f"{library}:9: exercises[0] 'brisk-walk': secondary_muscles has no 'es' translation"
    ]


def test_bad_new_fields_are_errors_at_their_lines(tmp_path: Path) -> None:
    library = write_library(
        tmp_path,
        """\
          - id: walk
            title: Walk
            purpose: Fitness.
            steps: [Walk.]
            level: easy
            primary_muscles: {a: b}
            dose: {duration: 9000, hold: 30}
            tags: {kind: yoga}
          - id: hold
            title: Hold
            purpose: Balance.
            steps: [Stand on one foot.]
            dose: {duration: 60, hold: 30, reps: 2}
        """,
    )
    # Each exercise's problems leave it out of the library (a handout that uses it fails with them).
    broken = load_library(library).broken
    assert sorted(broken) == ["hold", "walk"]
    name = str(library)
    assert [p for exercise in ("walk", "hold") for p in broken[exercise]] == [
        f"{name}:7: exercises[0] 'walk': level must be one of beginner, intermediate, expert, "
        "got 'easy'",
        f"{name}:8: exercises[0] 'walk': primary_muscles must be a list of text, got a mapping "
        "(key: value pairs)",
        f"{name}:9: exercises[0] 'walk': dose.duration must be from 1 to 7200, got 9000",
        f"{name}:10: exercises[0] 'walk': tags.kind must be one of stretch, strengthen, balance, "
        "mobility, cardio, plyometrics, got 'yoga'",
        f"{name}:15: exercises[1] 'hold': dose.duration says how long to do it, so it cannot be "
        "given with hold (use hold and reps for a position held, duration for a time spent)",
        f"{name}:15: exercises[1] 'hold': dose.duration says how long to do it, so it cannot be "
        "given with reps (use hold and reps for a position held, duration for a time spent)",
    ]


# -- text shaping -------------------------------------------------------------------------------


def test_steps_are_cut_into_sentences_only_where_the_cut_is_clean() -> None:
    assert sentences("Lie down. Bend your knees. Breathe out.") == [
        "Lie down.", "Bend your knees.", "Breathe out."
    ]  # fmt: skip
    assert sentences("Hold it, e.g. Five seconds. Then rest now.") == [
        "Hold it, e.g. Five seconds.", "Then rest now."
    ]  # fmt: skip
    assert sentences("Lift 2 lb. Weights slowly.") == ["Lift 2 lb. Weights slowly."]
    assert sentences("Stand tall. Go.") == ["Stand tall. Go."]  # a one-word piece stays
    assert split_labelled("Lie down. Tip: Keep your back flat. Caution: stop if it hurts") == (
        "Lie down.",
        [("tip", "Keep your back flat."), ("caution", "Stop if it hurts")],
    )
    assert make_id("3_4_Sit-Up") == "3-4-sit-up"
    assert make_id("Café  Crunch (Decline)") == "cafe-crunch-decline"
    assert make_id("Child's Pose") == "childs-pose"


# -- free-exercise-db ---------------------------------------------------------------------------


def test_the_imported_library_round_trips_with_every_kept_field(imported: Path) -> None:
    library = load_library(imported / "exercises.yaml")
    sit_up = library.exercises["3-4-sit-up"]
    assert sit_up.title == "3/4 Sit-Up"
    assert sit_up.steps == (
        "Lie down on the floor and secure your feet.",
        "Your legs should be bent at the knees.",
        "Place your hands behind your head, e.g. with your fingers laced.",
        "Flex your hips to raise your torso.",
    )
    assert sit_up.tips == ("Keep your neck relaxed.",)
    assert sit_up.kind == "strengthen" and sit_up.level == "beginner"
    assert sit_up.primary_muscles == ("abdominals",) and sit_up.secondary_muscles == ()
    assert sit_up.dose == KIND_DOSES["strengthen"]
    assert sit_up.purpose == "Builds strength in your abdominals."
    assert sit_up.images == (
        (imported / "photos" / "3-4-sit-up-start.jpg").resolve(),
        (imported / "photos" / "3-4-sit-up-end.jpg").resolve(),
    )
    split = library.exercises["split-squats"]
    assert split.equipment == ("Dumbbells",) and split.kind == "strengthen"
    assert split.images == ((imported / "photos" / "split-squats-start.jpg").resolve(),)
    # a source id equal to a built-in id never replaces the built-in exercise
    assert library.exercises["pigeon-pose"].title == "Pigeon pose"
    assert library.exercises["pigeon-pose-imported"].title == "Pigeon stretch"
    jog = library.exercises["cafe-jog"]
    assert jog.dose == Dose(duration=600, times_per_day=1, days_per_week=5) and not jog.images
    assert library.exercises["odd"].kind == "" and library.exercises["odd"].dose == Dose()
    assert "sit-up-no-steps" not in library.exercises


def test_photos_are_copied_byte_for_byte_under_safe_names(imported: Path, tmp_path: Path) -> None:
    source = write_source(tmp_path / "again")
    photos = imported / "photos"
    assert sorted(p.name for p in photos.iterdir()) == [
        "3-4-sit-up-end.jpg", "3-4-sit-up-start.jpg", "childs-pose-end.jpg",
        "childs-pose-start.jpg", "pigeon-pose-imported-start.jpg", "split-squats-start.jpg",
    ]  # fmt: skip
    original = source / "exercises" / "Split Squats" / "0.jpg"
    assert (photos / "split-squats-start.jpg").read_bytes() == original.read_bytes()


def test_the_report_says_what_was_changed_guessed_dropped_and_skipped(imported: Path) -> None:
    lines = report_lines(imported)
    digest = hashlib.sha256((imported / "exercises.yaml").read_bytes()).hexdigest()
    assert f"exercises.yaml sha256: {digest}" in lines
    for expected in [
        "3_4_Sit-Up -> 3-4-sit-up: changed: step 1 split into 2 steps, one sentence each",
        "3_4_Sit-Up -> 3-4-sit-up: changed: step 2: 'Keep your neck relaxed.' moved to tips",
        "3_4_Sit-Up -> 3-4-sit-up: guessed: purpose written as 'Builds strength in your "
        "abdominals.'",
        "Childs_Pose -> childs-pose: check: title 'Child's Pose' is also a name of the built-in "
        "exercise 'child-pose': rename it (or it may print the built-in one when named)",
        "Split Squats -> split-squats: check: title 'Split Squats' is also a name of the "
        "built-in exercise 'split-squat': rename it (or it may print the built-in one when named)",
        "Split Squats -> split-squats: guessed: category 'powerlifting' written as kind "
        "'strengthen'",
        "Pigeon_Pose -> pigeon-pose-imported: changed: id 'pigeon-pose' is taken (the built-in "
        "library has an exercise with that id): written as 'pigeon-pose-imported'",
        "Sit_Up_No_Steps: skipped: it has no instructions: a handout cannot say what to do "
        "without them; write its steps and add it by hand",
        "Café_Jog -> cafe-jog: changed: id made valid: 'Café_Jog' -> 'cafe-jog'",
        "Café_Jog -> cafe-jog: dropped: equipment 'other' says nothing a patient can get: write "
        "what is needed under equipment",
        "Odd -> odd: dropped: category 'yoga' is not a kind of the format: no kind and no dose "
        "written; add them",
        "Odd -> odd: dropped: start photo '../../outside.jpg' is outside the exercises/ folder",
    ]:
        assert expected in lines
    jog_photo = next(
        line for line in lines if line.startswith("Café_Jog -> cafe-jog: dropped: start")
    )
    assert jog_photo.startswith("Café_Jog -> cafe-jog: dropped: start photo 'Cafe_Jog/0.jpg' was "
                                "not found")  # fmt: skip
    assert any("force (push, pull, static) and mechanic" in line for line in lines)
    assert not any(line.startswith("3_4_Sit-Up -> 3-4-sit-up: changed: id") for line in lines)


def test_a_handout_from_the_imported_library_prints_its_words_and_photos(imported: Path) -> None:
    _, pdf = build_pdf(ids=("3-4-sit-up", "cafe-jog"), library=imported / "exercises.yaml")
    text = flat(pdf.text)
    for words in ("1. 3/4 Sit-Up", "Why: Builds strength in your abdominals.",
                  "Level: Beginner · Works: abdominals", "1. Lie down on the floor and secure "
                  "your feet.", "Keep your neck relaxed.", "Do this 10 times in a row.",
                  "2. Café jog", "Do this for 10 minutes.", "Do this once a day, 5 days a week."):  # fmt: skip
        assert words in text
    assert len(pdf.image_xobjects()) >= 2


def test_cli_import_writes_the_folder_and_check_accepts_it(tmp_path: Path) -> None:
    source = write_source(tmp_path / "src", records=[SIT_UP], photos=PHOTOS[:2])
    result = CliRunner().invoke(cli, ["import", "free-exercise-db", str(source / "dist" /
                                      "exercises.json"), "-o", str(tmp_path / "out")])  # fmt: skip
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    assert result.output == (
        f"Imported 1 exercise and 2 photos: wrote {out / 'exercises.yaml'}; what was changed, "
        f"guessed or dropped is in {out / 'import-report.txt'}\n"
    )
    checked = CliRunner().invoke(cli, ["check", "--library", str(out / "exercises.yaml"),
                                       "--lang", "en"])  # fmt: skip
    assert checked.exit_code == 0, checked.output


def test_a_folder_that_is_not_empty_is_refused_and_force_never_replaces_edits(
    tmp_path: Path,
) -> None:
    source = write_source(tmp_path / "src", records=[SIT_UP], photos=PHOTOS[:2])
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("ours", "utf-8")
    args = ["import", "free-exercise-db", str(source), "-o", str(out)]
    refused = CliRunner().invoke(cli, args)
    assert refused.exit_code == 2
    assert refused.output == f"Error: {out}: is not empty; import into a new or empty folder\n"
    forced = CliRunner().invoke(cli, [*args, "--force"])
    assert forced.exit_code == 2
    assert "is not empty and is not an earlier import's folder" in forced.output
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]

    again = tmp_path / "again"
    assert CliRunner().invoke(cli, [*args[:-1], str(again)]).exit_code == 0
    hint = CliRunner().invoke(cli, [*args[:-1], str(again)])
    assert hint.exit_code == 2 and "add --force to import into it again" in hint.output
    assert CliRunner().invoke(cli, [*args[:-1], str(again), "--force"]).exit_code == 0
    library = again / "exercises.yaml"
    edited = library.read_text("utf-8").replace("3/4 Sit-Up", "Our sit-up")
    library.write_text(edited, "utf-8")
    kept = CliRunner().invoke(cli, [*args[:-1], str(again), "--force"])
    assert kept.exit_code == 2
    assert kept.output == (
        f"Error: {library}: was changed since it was imported; it is never replaced: import "
        "into a new folder and copy your changes over\n"
    )
    assert library.read_text("utf-8") == edited


def test_bad_json_is_an_error_at_its_line_and_nothing_is_written(tmp_path: Path) -> None:
    source = tmp_path / "exercises.json"
    source.write_text('[\n  {"id": "a",\n   "name": "A"\n  ,,\n]\n', "utf-8")
    result = CliRunner().invoke(cli, ["import", "free-exercise-db", str(source), "-o",
                                      str(tmp_path / "out")])  # fmt: skip
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {source}:4: not valid JSON: Expecting property name enclosed in double quotes "
        "(column 4)\n"
    )
    assert not (tmp_path / "out").exists()
    source.write_text('{"id": "a"}', "utf-8")
    result = CliRunner().invoke(cli, ["import", "free-exercise-db", str(source), "-o",
                                      str(tmp_path / "out")])  # fmt: skip
    assert result.exit_code == 2
    assert (
        result.output
        == f"Error: {source}:1: expected a list of exercises ([{{...}}, ...]), got dict\n"
    )
    missing = CliRunner().invoke(cli, ["import", "free-exercise-db", str(tmp_path / "nope"),
                                       "-o", str(tmp_path / "out")])  # fmt: skip
    assert missing.exit_code == 2 and missing.output == f"Error: {tmp_path / 'nope'}: not found\n"


# -- CSV ----------------------------------------------------------------------------------------


def test_the_csv_template_imports_and_builds(tmp_path: Path) -> None:
    printed = CliRunner().invoke(cli, ["import", "csv", "--template"])
    assert printed.exit_code == 0 and printed.output == template()
    (tmp_path / "ours.csv").write_text(printed.output, "utf-8")
    result = CliRunner().invoke(cli, ["import", "csv", str(tmp_path / "ours.csv"), "-o",
                                      str(tmp_path / "out")])  # fmt: skip
    assert result.exit_code == 0, result.output
    library = load_library(tmp_path / "out" / "exercises.yaml")
    wall = library.exercises["wall-sit"]
    assert wall.steps == ("Stand with your back against a wall.",
                          "Slide down until your knees are slightly bent.",
                          "Hold, then slide back up.")  # fmt: skip
    assert wall.secondary_muscles == ("glutes", "calves") and wall.regions == ("thigh", "knee")
    assert wall.dose == Dose(hold=20, reps=5, sets=2, rest=60, times_per_day=1, days_per_week=3,
                             side="both")  # fmt: skip
    assert library.exercises["brisk-walk"].dose.duration == 600
    _, pdf = build_pdf(ids=("wall-sit", "brisk-walk"), library=tmp_path / "out" / "exercises.yaml")
    assert "Do this for 10 minutes." in flat(pdf.text)


def test_csv_photos_are_copied_and_odd_text_round_trips(tmp_path: Path) -> None:
    data = jpeg(tmp_path / "pics" / "start one.jpg")
    (tmp_path / "ours.csv").write_text(
        "title,purpose,steps,start_photo,aliases\n"
        '"no","1:30 # not a comment","- Step ""one""\n#two\n007",pics/start one.jpg,"a, b"\n',
        "utf-8",
    )
    result = CliRunner().invoke(cli, ["import", "csv", str(tmp_path / "ours.csv"), "-o",
                                      str(tmp_path / "out")])  # fmt: skip
    assert result.exit_code == 0, result.output
    exercise = load_library(tmp_path / "out" / "exercises.yaml").exercises["no"]
    assert (exercise.title, exercise.purpose) == ("no", "1:30 # not a comment")
    assert exercise.steps == ('- Step "one"', "#two", "007")
    assert exercise.aliases == ("a", "b")
    assert (tmp_path / "out" / "photos" / "no-start.jpg").read_bytes() == data


def test_bad_csv_rows_are_errors_at_their_lines_and_nothing_is_written(tmp_path: Path) -> None:
    path = tmp_path / "ours.csv"
    path.write_text(
        "title,purpose,steps,reps,kind,id,start_photo\n"
        "Walk,Fitness,Walk.,ten,strech,,\n"
        '"Two\nlines",Why,,3,,Bad_Id,\n'
        "Walk,Again,Walk.,,,,missing.jpg\n",
        "utf-8",
    )
    result = CliRunner().invoke(cli, ["import", "csv", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {path}: nothing was imported:\n"
        f"  {path}:2: column 'reps': must be a whole number from 1 to 200, got 'ten'\n"
        f"  {path}:2: column 'kind': must be one of stretch, strengthen, balance, mobility, "
        "cardio, plyometrics, got 'strech' (did you mean 'stretch'?)\n"
        f"  {path}:3: column 'steps': is required\n"
        f"  {path}:3: column 'id': must be lowercase letters, digits and hyphens, like "
        "'wall-sit', got 'Bad_Id' (try 'bad-id')\n"
        f"  {path}:5: column 'id': 'walk' is used twice (first at line 2)\n"
        f"  {path}:5: column 'start_photo': 'missing.jpg' was not found (looked for "
        f"{tmp_path / 'missing.jpg'})\n"
    )
    assert not (tmp_path / "out").exists()
    path.write_text("title,purpose,stepz\n", "utf-8")
    result = CliRunner().invoke(cli, ["import", "csv", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.output.startswith(
        f"Error: {path}:1: unknown column 'stepz' (did you mean 'steps'?); the columns are: id,"
    )
