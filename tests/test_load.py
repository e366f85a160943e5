"""Model layer: loading the built-in library, a clinic's library, brands and layouts.

Every bad file is a small fixture under tests/fixtures/ with the exact message asserted. The
tests chdir into the fixture folder so messages name the file as a user would type it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import BRAND_FIXTURES, DEFAULT_CLINIC, LIBRARY_FIXTURES, SCIATICA_IDS, make_png

from handouts.errors import InputError, ValidationError
from handouts.load.brand import DEFAULT_BRAND, load_brand
from handouts.load.layout import load_layout
from handouts.load.library import load_library
from handouts.model import DEFAULT_FONT, KINDS, SIDES, Brand, Library, Translations


@pytest.fixture(scope="module")
def builtin() -> Library:
    return load_library()


@pytest.fixture
def in_library_fixtures(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(LIBRARY_FIXTURES)
    return LIBRARY_FIXTURES


@pytest.fixture
def in_brand_fixtures(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(BRAND_FIXTURES)
    return BRAND_FIXTURES


# -- the built-in library ----------------------------------------------------------------------
def test_builtin_has_exactly_the_nine_exercises(builtin: Library) -> None:
    assert sorted(builtin.exercises) == sorted(SCIATICA_IDS)
    assert len(builtin.exercises) == 9


def test_every_builtin_exercise_is_complete(builtin: Library) -> None:
    for exercise in builtin.exercises.values():
        where = exercise.id
        assert exercise.title.strip(), where
        assert exercise.purpose.strip(), where
        assert exercise.steps and all(step.strip() for step in exercise.steps), where
        assert exercise.kind in KINDS, where
        assert exercise.regions, where
        assert exercise.conditions, where
        assert "sciatica" in exercise.conditions, where
        dose = exercise.dose
        assert dose.reps is not None or dose.hold is not None, where
        assert dose.side in SIDES, where
        assert re.fullmatch(r".*exercises\.yaml:\d+", exercise.origin), where


def test_builtin_text_is_plain_ascii(builtin: Library) -> None:
    """The header says the built-in text is plain ASCII: nothing the font could lack."""
    for exercise in builtin.exercises.values():
        texts = [exercise.title, exercise.purpose, exercise.position, *exercise.steps]
        texts += [*exercise.tips, *exercise.cautions, *exercise.equipment]
        for text in texts:
            assert text.isascii(), (exercise.id, text)


def test_builtin_programs(builtin: Library) -> None:
    assert list(builtin.programs) == ["sciatica", "sciatica-gentle", "sciatica-strength"]
    sciatica = builtin.programs["sciatica"]
    assert [e.id for e in sciatica.entries] == list(SCIATICA_IDS)
    variants = {e.id: e.variant_of for e in sciatica.entries if e.variant_of}
    assert variants == {
        "pigeon-pose": "knee-to-opposite-shoulder",
        "cobra-pose": "child-pose",
    }
    assert sciatica.title == "Stretches and exercises for sciatica"
    assert sciatica.intro


def test_gentle_program_is_stretches_only(builtin: Library) -> None:
    entries = builtin.programs["sciatica-gentle"].entries
    assert [e.id for e in entries] == [
        "knee-to-opposite-shoulder",
        "pigeon-pose",
        "child-pose",
        "cobra-pose",
        "pelvic-tilt",
    ]
    assert {builtin.exercises[e.id].kind for e in entries} == {"stretch"}


def test_strength_program_is_strengthening_only(builtin: Library) -> None:
    entries = builtin.programs["sciatica-strength"].entries
    assert [e.id for e in entries] == ["glute-bridge", "banded-squat", "split-squat", "hip-hinge"]
    assert {builtin.exercises[e.id].kind for e in entries} == {"strengthen"}


def test_pelvic_tilt(builtin: Library) -> None:
    tilt = builtin.exercises["pelvic-tilt"]
    assert tilt.title == "Pelvic tilt"
    assert "anterior pelvic tilt" in tilt.aliases


def test_builtin_dose_is_read_from_yaml(builtin: Library) -> None:
    knee = builtin.exercises["knee-to-opposite-shoulder"].dose
    assert (knee.hold, knee.reps, knee.side, knee.times_per_day) == (30, 3, "each", 2)
    squat = builtin.exercises["banded-squat"].dose
    assert (squat.reps, squat.sets, squat.rest, squat.load) == (10, 2, 60, "light resistance band")


def test_builtin_links_point_both_ways(builtin: Library) -> None:
    ex = builtin.exercises
    assert ex["knee-to-opposite-shoulder"].harder == ("pigeon-pose",)
    assert ex["pigeon-pose"].easier == ("knee-to-opposite-shoulder",)
    assert ex["child-pose"].alternatives == ("cobra-pose",)
    assert ex["cobra-pose"].alternatives == ("child-pose",)
    assert ex["banded-squat"].harder == ("split-squat",)
    assert ex["split-squat"].easier == ("banded-squat",)


def test_builtin_disclaimers(builtin: Library) -> None:
    d = builtin.disclaimers
    assert d.red_flags_title == "Get medical help right away if you have:"
    assert len(d.red_flags) >= 5
    assert any("bladder or bowels" in flag for flag in d.red_flags)
    assert d.red_flags_action == "Call 911 or go to the nearest emergency room."
    assert d.safety_title == "Before you start"
    assert d.safety
    assert d.footer == (
        "This handout does not take the place of care from your doctor or physical therapist."
    )


def test_builtin_library_is_found_from_any_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    library = load_library()
    assert len(library.exercises) == 9
    assert len(library.files) == 1 and library.files[0].is_file()


# -- a clinic's library on top -----------------------------------------------------------------
def test_clinic_library_adds_and_replaces(in_library_fixtures: Path) -> None:
    library = load_library(Path("clinic.yaml"))
    assert len(library.exercises) == 10
    wall = library.exercises["wall-sit"]
    assert wall.title == "Wall sit"
    assert wall.equipment == ("A clear wall",)
    assert wall.dose.days_per_week == 3
    assert wall.alternatives == ("banded-squat",)
    assert wall.origin == "clinic.yaml:4"
    assert library.exercises["glute-bridge"].title == "Clinic bridge"
    assert library.exercises["glute-bridge"].origin == "clinic.yaml:27"
    assert list(library.programs) == ["sciatica", "sciatica-gentle", "sciatica-strength", "knees"]
    knees = library.programs["knees"]
    assert [(e.id, e.variant_of) for e in knees.entries] == [
        ("wall-sit", None),
        ("banded-squat", None),
        ("split-squat", "banded-squat"),
    ]
    assert library.files[-1] == Path("clinic.yaml")
    # the built-in disclaimers stay when the clinic's file gives none
    assert library.disclaimers == load_library().disclaimers


def test_clinic_library_replaces_the_footer_only(tmp_path: Path) -> None:
    path = tmp_path / "footer.yaml"
    path.write_text("disclaimers:\n  footer: Call us first.\n", encoding="utf-8")
    builtin = load_library().disclaimers
    replaced = load_library(path).disclaimers
    assert replaced.footer == "Call us first."
    assert replaced.red_flags == builtin.red_flags
    assert replaced.safety == builtin.safety


def test_replacing_a_builtin_exercise_that_has_versions(in_library_fixtures: Path) -> None:
    """Found by this suite: replacing knee-to-opposite-shoulder without its 'harder:' link made
    every command fail with problems blamed on the built-in file. Fixed: the programs still load.
    """
    library = load_library(Path("replaces-linked.yaml"))
    knee = library.exercises["knee-to-opposite-shoulder"]
    assert (knee.title, knee.harder, knee.origin) == (
        "Clinic knee stretch",
        (),
        "replaces-linked.yaml:2",
    )
    assert [e.id for e in library.programs["sciatica"].entries] == list(SCIATICA_IDS)


# -- bad library files: one fixture per failure, the exact message -----------------------------
LIBRARY_PROBLEMS = {
    "wrong-type.yaml": [
        "wrong-type.yaml:8: exercises[0] 'wall-sit': dose.reps must be a whole number, got 'ten'"
    ],
    "missing-field.yaml": [
        "missing-field.yaml:2: exercises[0] 'wall-sit': title is required (text)"
    ],
    "duplicate-id.yaml": [
        "duplicate-id.yaml:6: exercises[1] 'wall-sit': id 'wall-sit' is used twice "
        "(first at duplicate-id.yaml:2)"
    ],
    "unknown-link.yaml": [
        "unknown-link.yaml:7: exercises[0] 'wall-sit': harder[0] names an unknown exercise "
        "'wall-sitt' (did you mean 'wall-sit'?)"
    ],
    "program-unknown-exercise.yaml": [
        "program-unknown-exercise.yaml:6: programs[0] 'knees': exercises[1] names an unknown "
        "exercise 'glute-brdge' (did you mean 'glute-bridge'?)"
    ],
    "variant-before.yaml": [
        "variant-before.yaml:5: programs[0] 'knees': exercises[0] variant_of must name an "
        "exercise listed before it, got 'banded-squat'"
    ],
    "duplicate-key.yaml": ["duplicate-key.yaml:5: duplicate key 'title' (first given on line 3)"],
    "merge-key.yaml": ["merge-key.yaml:7: '<<' merge keys are not supported"],
    "not-a-mapping.yaml": [
        "not-a-mapping.yaml:1: expected a mapping with exercises:, programs: and disclaimers:, "
        "got a list"
    ],
    "python-tag.yaml": [
        "python-tag.yaml:3: the tag 'tag:yaml.org,2002:python/object/apply:os.system' is not "
        "allowed (only plain YAML values are read)"
    ],
}


# an exercise's own problems leave it out (handouts.names): the rest of the library loads, and
# a handout that uses it fails with them
EXERCISE_PROBLEMS = ("wrong-type.yaml", "missing-field.yaml", "duplicate-id.yaml",
                     "unknown-link.yaml")  # fmt: skip


@pytest.mark.parametrize("name", sorted(LIBRARY_PROBLEMS))
def test_bad_library_file(name: str, in_library_fixtures: Path) -> None:
    from handouts.compose import find_exercise

    if name in EXERCISE_PROBLEMS:
        library = load_library(Path(name))
        assert library.broken == {"wall-sit": tuple(LIBRARY_PROBLEMS[name])}
        assert "wall-sit" not in library.exercises and "glute-bridge" in library.exercises
        with pytest.raises(ValidationError) as caught:
            find_exercise(library, "wall-sit")
        assert caught.value.format_message() == LIBRARY_PROBLEMS[name][0]
        return
    with pytest.raises(ValidationError) as caught:
        load_library(Path(name))
    assert caught.value.problems == LIBRARY_PROBLEMS[name]
    assert caught.value.exit_code == 2
    assert caught.value.format_message() == LIBRARY_PROBLEMS[name][0]


def test_all_problems_in_a_file_are_reported_together_sorted_by_line(
    in_library_fixtures: Path,
) -> None:
    expected = [
        "many-problems.yaml:8: exercises[0] 'wall-sit': dose.reps must be a whole number, "
        "got 'ten'",
        "many-problems.yaml:9: exercises[0] 'wall-sit': dose.hold must be a whole number, got 20.5",
        "many-problems.yaml:10: exercises[0] 'wall-sit': dose.side must be one of each, both, "
        "left, right, got 'eech' (did you mean 'each'?)",
        "many-problems.yaml:12: exercises[0] 'wall-sit': tags.kind must be one of stretch, "
        "strengthen, balance, mobility, cardio, plyometrics, got 'strech' (did you mean "
        "'stretch'?)",
        "many-problems.yaml:13: exercises[0] 'wall-sit': harder[0] names an unknown exercise "
        "'wall-sitt' (did you mean 'wall-sit'?)",
        "many-problems.yaml:14: exercises[1] 'Bad_Id': id must be lowercase letters, digits and "
        "hyphens, like 'glute-bridge', got 'Bad_Id'",
        "many-problems.yaml:17: exercises[1] 'Bad_Id': steps must list at least one item",
        "many-problems.yaml:19: programs[0] 'knees': title is required (text)",
        "many-problems.yaml:20: programs[0] 'knees': exercises[1] names an unknown exercise "
        "'glute-brdge' (did you mean 'glute-bridge'?)",
    ]
    with pytest.raises(ValidationError) as caught:
        load_library(Path("many-problems.yaml"))
    assert caught.value.problems == expected
    assert caught.value.format_message() == "9 problems found:\n" + "\n".join(
        f"  {p}" for p in expected
    )


def test_unknown_key_suggests_and_lists_the_known_keys(in_library_fixtures: Path) -> None:
    (problem,) = load_library(Path("unknown-key.yaml")).broken["wall-sit"]
    prefix = (
        "unknown-key.yaml:4: exercises[0] 'wall-sit': titel is not a known key "
        "(did you mean 'title'?); expected one of: "
    )
    assert problem.startswith(prefix)
    known = problem[len(prefix) :].split(", ")
    assert known[:4] == ["id", "title", "purpose", "position"]
    assert {"steps", "dose", "tags", "aliases", "easier", "harder", "alternatives"} <= set(known)


def test_yaml_syntax_error_names_file_and_line(in_library_fixtures: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_library(Path("syntax-error.yaml"))
    assert caught.value.format_message() == (
        "syntax-error.yaml:3: YAML syntax error: mapping values are not allowed in this context"
    )
    assert caught.value.exit_code == 2


def test_python_tag_on_a_list_is_refused(in_library_fixtures: Path) -> None:
    """Found by this suite: tags on lists and mappings were ignored (the list loaded as steps)."""
    with pytest.raises(ValidationError) as caught:
        load_library(Path("python-tag-sequence.yaml"))
    assert caught.value.problems == [
        "python-tag-sequence.yaml:5: the tag 'tag:yaml.org,2002:python/object/apply:os.system' "
        "is not allowed (only plain YAML values are read)"
    ]


def test_python_tag_on_a_mapping_is_refused(in_library_fixtures: Path) -> None:
    with pytest.raises(ValidationError) as caught:
        load_library(Path("python-tag-mapping.yaml"))
    assert caught.value.problems == [
        "python-tag-mapping.yaml:6: the tag 'tag:yaml.org,2002:python/object:collections.OrderedDict' "
        "is not allowed (only plain YAML values are read)"
    ]


def test_unknown_key_in_program_entry_names_its_key_path(in_library_fixtures: Path) -> None:
    with pytest.raises(ValidationError) as caught:
        load_library(Path("program-entry-unknown-key.yaml"))
    assert caught.value.problems == [
        "program-entry-unknown-key.yaml:7: programs[0] 'knees': exercises[1].varient_of is not a "
        "known key (did you mean 'variant_of'?); expected one of: id, variant_of"
    ]


def test_missing_library_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(InputError) as caught:
        load_library(path)
    assert caught.value.format_message() == f"{path}: library file not found"


def test_library_file_that_is_a_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_library(tmp_path)
    assert caught.value.format_message() == (
        f"{tmp_path}: library file is a folder, expected a YAML file"
    )


def test_library_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("exercises: []\n# caf\xe9\n".encode("latin-1"))
    with pytest.raises(InputError) as caught:
        load_library(path)
    assert caught.value.format_message().startswith(f"{path}: library file is not UTF-8 text (")


def test_empty_library_file_adds_nothing(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_library(path)
    assert caught.value.problems == [
        f"{path}:1: expected a mapping with exercises:, programs: and disclaimers:, got nothing"
    ]


# -- brands ------------------------------------------------------------------------------------
def test_default_brand_invents_no_contact_details() -> None:
    brand = load_brand(None)
    assert brand is DEFAULT_BRAND
    assert brand.name == DEFAULT_CLINIC
    assert brand.tagline == "Take the First Step Towards Pain-Free Living Today"
    assert (brand.phone, brand.email, brand.website, brand.address, brand.footer) == ("",) * 5
    assert brand.logo is None


def test_full_brand(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "clinic"
    folder.mkdir()
    make_png(folder / "logo.png")
    (folder / "brand.yaml").write_text(
        "name: Riverside Physical Therapy\n"
        "tagline: Moving you forward\n"
        "logo: logo.png\n"
        'primary_color: "#1F4E79"\n'
        'accent_color: "#2E75B6"\n'
        "phone: (555) 010-0199\n"
        "email: front.desk@example.org\n"
        "website: example.org\n"
        "address: |\n  12 River Road\n  Springfield\n"
        "footer: Questions? Call us.\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)  # the logo is found beside the brand file, not in the cwd
    brand = load_brand(Path("clinic/brand.yaml"))
    assert brand == Brand(
        name="Riverside Physical Therapy",
        tagline="Moving you forward",
        logo=Path("clinic/logo.png"),
        primary_color="#1f4e79",
        accent_color="#2e75b6",
        phone="(555) 010-0199",
        email="front.desk@example.org",
        website="example.org",
        address="12 River Road\nSpringfield",
        footer="Questions? Call us.",
        origin="clinic/brand.yaml",
        translations=Translations(  # where the English is, for 'no translation' messages
            lines={"tagline": ("clinic/brand.yaml", 2), "footer": ("clinic/brand.yaml", 12)},
            where="brand",
        ),
    )


def test_brand_with_name_only_keeps_default_colours(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_text("name: Riverside\n", encoding="utf-8")
    brand = load_brand(path)
    assert (brand.name, brand.tagline, brand.logo) == ("Riverside", "", None)
    assert (brand.primary_color, brand.accent_color) == (
        DEFAULT_BRAND.primary_color,
        DEFAULT_BRAND.accent_color,
    )


BRAND_PROBLEMS = {
    "bad-fields.yaml": [
        "bad-fields.yaml:2: tagline must be text, got a list",
        "bad-fields.yaml:3: primary_color must be a colour like '#1f4e79', got 'red'",
        "bad-fields.yaml:4: accent_color must be a colour like '#1f4e79', got '#12345'",
        # the list of known keys grows with features: checked as a prefix, then by content
        "bad-fields.yaml:5: phon is not a known key (did you mean 'phone'?); expected one of: ",
    ],
    "missing-name.yaml": ["missing-name.yaml:1: name is required (text)"],
    "missing-logo.yaml": [
        "missing-logo.yaml:2: logo 'images/no-such-logo.png' was not found "
        "(looked for images/no-such-logo.png)"
    ],
    "empty.yaml": ["empty.yaml:1: expected a mapping with name:, tagline:, ..., got nothing"],
}


BRAND_KEYS = ("name", "tagline", "logo", "primary_color", "accent_color", "phone", "email",
              "website", "address", "footer")  # fmt: skip


@pytest.mark.parametrize("name", sorted(BRAND_PROBLEMS))
def test_bad_brand_file(name: str, in_brand_fixtures: Path) -> None:
    with pytest.raises(ValidationError) as caught:
        load_brand(Path(name))
    expected = BRAND_PROBLEMS[name]
    problems = caught.value.problems
    assert len(problems) == len(expected)
    for problem, wanted in zip(problems, expected, strict=True):
        if wanted.endswith("expected one of: "):
            assert problem.startswith(wanted)
            known = problem[len(wanted) :].split(", ")
            assert set(BRAND_KEYS) <= set(known)
        else:
            assert problem == wanted


def test_missing_brand_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(InputError) as caught:
        load_brand(path)
    assert caught.value.format_message() == f"{path}: brand file not found"


# -- layouts -----------------------------------------------------------------------------------
def test_standard_layout() -> None:
    layout = load_layout("standard")
    assert layout.name == "standard"
    assert layout.paper == "letter"
    assert layout.font == DEFAULT_FONT
    assert (layout.body_size, layout.heading_size, layout.title_size) == (13, 17, 22)
    assert layout.leading == 1.25
    margins = (layout.margin_top, layout.margin_bottom, layout.margin_left, layout.margin_right)
    assert margins == pytest.approx((43.2,) * 4)
    assert layout.body_size >= 12


def test_unknown_layout_is_an_error_not_a_default() -> None:
    with pytest.raises(InputError) as caught:
        load_layout("fancy")
    assert caught.value.format_message().startswith("unknown layout 'fancy'; choose one of: ")
    assert "standard" in caught.value.format_message()


def test_a_yaml_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):  # 10**9 values once every alias is expanded
        refs = ", ".join([f"*{chr(96 + level)}"] * 10)
        lines.append(f"{chr(97 + level)}: &{chr(97 + level)} [{refs}]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_library(path)
    assert caught.value.format_message() == (
        f"{path}: too many values (over 200,000); "
        "are YAML aliases (*name) repeating a large part of the file?"
    )
