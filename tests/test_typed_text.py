"""Text prints exactly as typed; every number read is a sane, finite number (issue #12).

Model layer: small YAML files written in tmp_path, the value or the exact message asserted.
The YAML 1.1 traps (1:30 -> 90, 007 -> 7, no -> False, 2026-02-03 -> a date) are read by the
YAML 1.2 core schema, and a field that wants text takes the characters typed. CLI layer: a
handout prints them as typed.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATE_ARG, Pdf

from handouts.batch import run_batch
from handouts.build import BuildRequest
from handouts.cli import cli
from handouts.errors import InputError, ValidationError
from handouts.load.brand import load_brand
from handouts.load.layout import load_layout
from handouts.load.library import load_library, read_library
from handouts.load.rx import load_prescription
from handouts.load.source import parse_yaml
from handouts.mail import SmtpSettings
from handouts.text import clean, is_digits, one_line

EXERCISE = """\
  - id: {id}
    title: {title}
    purpose: Builds strength.
    steps: [Stand up.]
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(call, *args) -> list[str]:
    """The problems `call` raises, or, for a library, those of its exercises left out for them
    (a handout that uses one fails with them; see handouts.names)."""
    try:
        value = call(*args)
    except ValidationError as caught:
        assert caught.exit_code == 2
        return caught.problems
    broken = [p for problems in getattr(value, "broken", {}).values() for p in problems]
    assert broken, f"{call.__name__} found no problem"
    return broken


def library_with(tmp_path: Path, exercise: str, top: str = "") -> Path:
    """A clinic library with one exercise `x` whose extra fields are `exercise` (indented)."""
    body = textwrap.indent(textwrap.dedent(exercise), "    ")
    text = f"version: 1\n{top}exercises:\n  - id: x\n{body}"
    for key, value in (("title", "X"), ("purpose", "Builds strength."), ("steps", "[Stand up.]")):
        if not re.search(rf"^{key}:", textwrap.dedent(exercise), re.MULTILINE):
            text += f"    {key}: {value}\n"
    return write(tmp_path, "lib.yaml", text)


# -- the reader: YAML 1.2 core schema, typed text kept ------------------------------------------
@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1:30", "1:30"), ("007", 7), ("no", "no"), ("yes", "yes"), ("off", "off"),
        ("2026-02-03", "2026-02-03"), ("1e3", 1000.0), ("1_000", "1_000"), ("0x1F", 31),
        ("0o17", 15), ("0x-1", "0x-1"), ("true", True), ("False", False), ("~", None),
        ("null", None), ("", None), ("-.5", -0.5), ("+12", 12), ("1.", 1.0), ("²", "²"),
        ("١٢", "١٢"), ("1" * 101, "1" * 101), ("12:30:00", "12:30:00"), ("0b101", "0b101"),
        ("'007'", "007"), ("!!str 007", "007"), ("!!int 5", 5), ("!!float 5", 5.0),
    ],
)  # fmt: skip
def test_plain_values_are_read_by_the_yaml_1_2_core_schema(typed: str, value: object) -> None:
    source = parse_yaml(f"v: {typed}\n", Path("t.yaml"))
    assert source.data == {"v": value}
    assert type(source.data["v"]) is type(value)


def test_non_finite_plain_numbers_are_floats_the_fields_refuse() -> None:
    data = parse_yaml("a: .inf\nb: -.Inf\nc: .nan\nd: 1e400\n", Path("t.yaml")).data
    assert data["a"] == math.inf and data["b"] == -math.inf and data["d"] == math.inf
    assert math.isnan(data["c"])


def test_each_plain_value_that_is_not_text_keeps_its_typed_text() -> None:
    source = parse_yaml("a: 007\nb: [true, 1e3, text]\nc: '5'\n", Path("t.yaml"))
    assert source.raw == {("a",): "007", ("b", 0): "true", ("b", 1): "1e3"}
    assert source.text(("a",), 7) == "007"
    assert source.text(("c",), "5") == "5"


def test_keys_are_always_the_text_typed() -> None:
    data = parse_yaml("no: 1\n007: 2\ntrue: 3\n1:30: 4\n~: 5\n", Path("t.yaml")).data
    assert list(data) == ["no", "007", "true", "1:30", "~"]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("!!int abc", "t.yaml:1: 'abc' is not a valid !!int"),
        ("!!bool yes", "t.yaml:1: 'yes' is not a valid !!bool"),
        ("!!timestamp 2026-01-01", "t.yaml:1: the tag 'tag:yaml.org,2002:timestamp' is not allowed (only plain YAML values are read)"),
        ("!!binary aGk=", "t.yaml:1: the tag 'tag:yaml.org,2002:binary' is not allowed (only plain YAML values are read)"),
        ("!!python/object:os.system x", "t.yaml:1: the tag 'tag:yaml.org,2002:python/object:os.system' is not allowed (only plain YAML values are read)"),
    ],
)  # fmt: skip
def test_tags_other_than_the_plain_ones_are_refused(typed: str, message: str) -> None:
    assert problems_of(parse_yaml, f"v: {typed}\n", Path("t.yaml")) == [message]


def test_merge_keys_are_still_refused() -> None:
    text = "a: &base {x: 1}\nb:\n  <<: *base\n"
    assert problems_of(parse_yaml, text, Path("t.yaml")) == [
        "t.yaml:3: '<<' merge keys are not supported"
    ]


# -- text fields print as typed ------------------------------------------------------------------
def test_library_text_fields_keep_what_was_typed(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "lib.yaml",
        """\
        version: 1
        exercises:
          - id: 007
            title: 007
            purpose: 1:30
            position: no
            equipment: [true, 1e3]
            steps: [1:30, no, 2026-02-03, 1e3, .inf, 0x1F, 1_000, "007", ~x]
            tips: 12:30
            dose: {reps: 10, load: 2.50}
            tags: {region: [no, 1], condition: [yes]}
            aliases: [007, off]
            easier: [1]
          - id: 1
            title: "1"
            purpose: One.
            steps: [One.]
        programs:
          - id: 2026
            title: no
            intro: 2026-02-03
            exercises: [007, {id: 1, variant_of: 007}]
        """,
    )
    library = read_library(path)
    bond = library.exercises["007"]
    assert bond.title == "007"
    assert bond.purpose == "1:30"
    assert bond.position == "no"
    assert bond.equipment == ("true", "1e3")
    assert bond.steps == ("1:30", "no", "2026-02-03", "1e3", ".inf", "0x1F", "1_000", "007", "~x")
    assert bond.tips == ("12:30",)
    assert bond.dose.load == "2.50"
    assert (bond.regions, bond.conditions) == (("no", "1"), ("yes",))
    assert bond.aliases == ("007", "off")
    assert bond.easier == ("1",)
    program = library.programs["2026"]
    assert (program.title, program.intro) == ("no", "2026-02-03")
    assert [(e.id, e.variant_of) for e in program.entries] == [("007", None), ("1", "007")]


def test_language_code_no_is_norwegian(tmp_path: Path) -> None:
    path = library_with(
        tmp_path,
        """\
        title: Knee
        translations:
          no: {title: Kne, steps: [Reis deg.]}
        """,
        top="languages:\n  no: {name: Norsk, status: draft, labels: {why: Hvorfor}}\n",
    )
    library = read_library(path)
    assert library.languages["no"].name == "Norsk"
    assert library.languages["no"].labels["why"] == "Hvorfor"
    assert library.exercises["x"].translations.texts["no"] == {
        "title": "Kne",
        "steps": ("Reis deg.",),
    }


def test_a_language_code_with_a_line_break_is_refused(tmp_path: Path) -> None:
    path = library_with(tmp_path, 'translations:\n  "es\\n": {title: Rodilla}\n')
    assert problems_of(read_library, path) == [
        f"{path}:5: exercises[0] 'x': translations.es\n is not a language code "
        "(like es, fr or pt-BR)"
    ]


def test_an_id_with_a_trailing_line_break_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "lib.yaml", 'exercises:\n  - id: "x\\n"\n    title: X\n'
                 "    purpose: P.\n    steps: [S.]\n")  # fmt: skip
    assert problems_of(read_library, path) == [
        f"{path}:2: exercises[0] 'x\n': id must be lowercase letters, digits and hyphens, "
        "like 'glute-bridge', got 'x\\n'"
    ]


# -- one-line fields fold line breaks; multi-line fields keep them ---------------------------------
BREAKS = ["\n", "\r", "\r\n", "\u2028", "\u2029", "\x0b", "\x0c", "\x85"]


@pytest.mark.parametrize("brk", BREAKS, ids=[repr(b) for b in BREAKS])
def test_clean_makes_every_line_break_a_newline_and_one_line_folds_it(brk: str) -> None:
    assert clean(f"Jane{brk}Doe") == "Jane\nDoe"
    assert one_line(f"Jane {brk}  Doe{brk}") == "Jane Doe"


def test_one_line_keeps_other_spaces_as_typed() -> None:
    assert one_line("10\u00a0kg  band") == "10\u00a0kg  band"
    assert clean("a\x00b\x1fc\x7fd\te") == "abcd e"


@pytest.mark.parametrize("escape", ["\\n", "\\r", "\\L", "\\P", "\\v", "\\f", "\\N"])
def test_library_one_line_fields_fold_breaks_and_prose_keeps_them(
    tmp_path: Path, escape: str
) -> None:
    path = library_with(
        tmp_path,
        f"""\
        title: "Wall{escape}sit"
        purpose: "Builds{escape}strength."
        steps: ["Stand{escape}up."]
        aliases: ["wall{escape}squat"]
        dose: {{load: "light{escape}band"}}
        """,
        top=f'programs:\n  - {{id: p, title: "Knee{escape}program", intro: "Go{escape}slow.",'
        " exercises: [x]}\n",
    )
    library = read_library(path)
    exercise = library.exercises["x"]
    assert (exercise.title, exercise.aliases, exercise.dose.load) == (
        "Wall sit", ("wall squat",), "light band"
    )  # fmt: skip
    assert (exercise.purpose, exercise.steps) == ("Builds\nstrength.", ("Stand\nup.",))
    program = library.programs["p"]
    assert (program.title, program.intro) == ("Knee program", "Go\nslow.")


def test_label_values_are_one_line(tmp_path: Path) -> None:
    path = library_with(tmp_path, "", top='languages:\n  en: {labels: {why: "Why\\u2028this"}}\n')
    assert read_library(path).languages["en"].labels["why"] == "Why this"


# -- numbers, whole numbers, flags and dates -----------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1:30", "dose.reps must be a whole number, got '1:30'"),
        ("1e3", "dose.reps must be a whole number, got 1e3"),
        ("10.0", "dose.reps must be a whole number, got 10.0"),
        ("1_000", "dose.reps must be a whole number, got '1_000'"),
        ("²", "dose.reps must be a whole number, got '²'"),
        ("١٢", "dose.reps must be a whole number, got '١٢'"),
        ("true", "dose.reps must be a whole number, got true"),
        ("1000000000000000000000000000000", "dose.reps must be from 1 to 200, got 1000000000000000000000000000000"),
        ("0x1F0", "dose.reps must be from 1 to 200, got 0x1F0"),
        (".inf", "dose.reps must be a whole number, got .inf"),
    ],
)  # fmt: skip
def test_whole_numbers(tmp_path: Path, typed: str, message: str) -> None:
    path = library_with(tmp_path, f"dose: {{reps: {typed}}}\n")
    assert problems_of(read_library, path) == [f"{path}:4: exercises[0] 'x': {message}"]


def test_a_whole_number_typed_with_leading_zeros_is_that_number(tmp_path: Path) -> None:
    path = library_with(tmp_path, "dose: {reps: 010, sets: 0x2}\n")
    dose = read_library(path).exercises["x"].dose
    assert (dose.reps, dose.sets) == (10, 2)


POSE_PARTS = {"torso": "90", "head": "90", "near_arm": "[-90, -90]", "far_arm": "[-90, -90]",
              "near_leg": "[-90, -90, 0]", "far_leg": "[-90, -90, 0]"}  # fmt: skip


def pose(change: str = "") -> str:
    """A standing pose as a YAML flow mapping, with `change` ('key: value') put in."""
    parts = dict(POSE_PARTS)
    if change:
        key, _, value = change.partition(": ")
        parts[key] = value
    return "{" + ", ".join(f"{k}: {v}" for k, v in parts.items()) + "}"


POSE = pose()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("torso: .nan", "figure.start.torso must be an angle from -360 to 360 degrees, got .nan"),
        ("torso: .inf", "figure.start.torso must be an angle from -360 to 360 degrees, got .inf"),
        ("head: 1e400", "figure.start.head must be an angle from -360 to 360 degrees, got 1e400"),
        ("torso: 1:30", "figure.start.torso must be an angle in degrees, got '1:30'"),
        ("near_arm: [.inf, 0]", "figure.start.near_arm[0] must be from -360 to 360, got .inf"),
        ("far_leg: [-90, -90, .NaN]", "figure.start.far_leg[2] must be from -360 to 360, got .NaN"),
        ("far_leg: [-90, -90, ²]", "figure.start.far_leg must be a list of 3 numbers, got a list"),
        ("near_leg: [-90, 100000, 0]", "figure.start.near_leg[1] must be from -360 to 360, got 100000"),
        ("at: [.inf, null]", "figure.start.at[0] must be from -500 to 500, got .inf"),
        ("at: [0, 1e9]", "figure.start.at[1] must be from -500 to 500, got 1e9"),
        ("at: [0, true]", "figure.start.at must be [x, y] (y may be null: rest on the floor), got a list"),
    ],
)  # fmt: skip
def test_pose_numbers_are_finite_and_bounded(tmp_path: Path, change: str, message: str) -> None:
    path = library_with(tmp_path, f"figure:\n  start: {pose(change)}\n  end: {POSE}\n")
    assert problems_of(read_library, path) == [f"{path}:5: exercises[0] 'x': {message}"]


@pytest.mark.parametrize(
    ("prop", "message"),
    [
        ("{kind: mat, x: .nan, width: 20}", "figure.props[0].x must be from -500 to 500, got .nan"),
        ("{kind: mat, x: 0, width: .inf}", "figure.props[0].width must be from 0 to 500, got .inf"),
        ("{kind: mat, x: 0, width: 20, height: 1e300}", "figure.props[0].height must be from 0 to 200, got 1e300"),
    ],
)  # fmt: skip
def test_prop_numbers_are_finite_and_bounded(tmp_path: Path, prop: str, message: str) -> None:
    path = library_with(tmp_path, f"figure:\n  props: [{prop}]\n  start: {POSE}\n  end: {POSE}\n")
    assert problems_of(read_library, path) == [f"{path}:5: exercises[0] 'x': {message}"]


def test_a_figure_flag_may_be_yes_or_no_but_nothing_else(tmp_path: Path) -> None:
    path = library_with(tmp_path, f"figure:\n  start: {POSE}\n  end: {POSE}\n  clockwise: maybe\n")
    assert problems_of(read_library, path) == [
        f"{path}:7: exercises[0] 'x': figure.clockwise must be true or false, got 'maybe'"
    ]


def layout_problems(tmp_path: Path, text: str) -> list[str]:
    path = write(tmp_path, "my-layout.yaml", text)
    return [p.replace(str(path), "L") for p in problems_of(load_layout, str(path))]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("margins: {top: .inf}", "L:1: margins.top must be a length like 54, '0.75in' or '20mm', got '.inf'"),
        ("margins: {top: .nan}", "L:1: margins.top must be a length like 54, '0.75in' or '20mm', got '.nan'"),
        ("margins: {top: 1e3}", "L:1: margins.top must be a length like 54, '0.75in' or '20mm', got '1e3'"),
        ("margins: {top: '٥٤'}", "L:1: margins.top must be a length like 54, '0.75in' or '20mm', got '٥٤'"),
        ("margins: {top: ²in}", "L:1: margins.top must be a length like 54, '0.75in' or '20mm', got '²in'"),
        ("margins: {top: 99999999999999999999in}", "L:1: margins.top must be between 0.25in and 2in, got 99999999999999999999in"),
        ("sizes: {body: .nan}", "L:1: sizes.body must be from 12 to 24, got .nan"),
        ("sizes: {body: -.inf}", "L:1: sizes.body must be from 12 to 24, got -.inf"),
        ("leading: 1e400", "L:1: leading must be from 1 to 2.5, got 1e400"),
        ("exercises: {columns: 10000000000000000000000000000000}", "L:1: exercises.columns must be from 1 to 2, got 10000000000000000000000000000000"),
        ("exercises: {columns: ²}", "L:1: exercises.columns must be a whole number, got '²'"),
        ("show: {tips: maybe}", "L:1: show.tips must be true or false, got 'maybe'"),
        ("colors:\n  primary: #1f4e79", "L:2: colors.primary must be 'brand' or a colour like '#1f4e79' (in quotes: a # outside quotes starts a comment), got nothing"),
        ('colors: {primary: "#1f4e79\\n"}', "L:1: colors.primary must be 'brand' or a colour like '#1f4e79', got '#1f4e79\\n'"),
    ],
)  # fmt: skip
def test_layout_numbers(tmp_path: Path, text: str, message: str) -> None:
    assert layout_problems(tmp_path, text + "\n") == [message]


def test_layout_flags_read_true_false_and_yes_no(tmp_path: Path) -> None:
    path = write(tmp_path, "my.yaml", "show: {tips: no, cautions: off}\nheader: {tagline: yes}\n")
    layout = load_layout(str(path))
    assert "tips" not in layout.show and "cautions" not in layout.show
    assert "tagline" in layout.header
    path = write(tmp_path, "my2.yaml", "margins: {top: 054, bottom: '20 mm'}\n")
    layout = load_layout(str(path))
    assert (layout.margin_top, round(layout.margin_bottom, 2)) == (54.0, 56.69)


# -- prescriptions -------------------------------------------------------------------------------
def test_a_prescription_keeps_names_as_typed_and_reads_its_date(tmp_path: Path) -> None:
    rx = write(
        tmp_path,
        "rx.yaml",
        """\
        patient: 007
        therapist: "Sam\\u2028Lee"
        date: 2026-11-29
        lang: es
        exercises:
          - {id: glute-bridge, notes: "Keep it slow.\\u2029Breathe.", dose: {reps: 010}}
        notes: "Walk\\rdaily."
        """,
    )
    p = load_prescription(rx, load_library())
    assert (p.patient, p.therapist, p.date, p.lang) == (
        "007",
        "Sam Lee",
        dt.date(2026, 11, 29),
        "es",
    )
    assert p.notes == "Walk\ndaily."
    assert p.choices[0].notes == "Keep it slow.\nBreathe."
    assert p.choices[0].dose.reps == 10


@pytest.mark.parametrize(
    ("typed", "shown"),
    [("2026-02-30", "'2026-02-30'"), ("2026-2-3", "'2026-2-3'"), ("20261129", "'20261129'"),
     ("2026-11-29 10:00:00", "'2026-11-29 10:00:00'"), ("'٢٠٢٦-١١-٢٩'", "'٢٠٢٦-١١-٢٩'"),
     ("true", "'true'")],
)  # fmt: skip
def test_a_prescription_date_must_be_a_real_date(tmp_path: Path, typed: str, shown: str) -> None:
    rx = write(tmp_path, "rx.yaml", f"patient: Jane\ndate: {typed}\nprogram: sciatica\n")
    assert problems_of(load_prescription, rx, load_library()) == [
        f"{rx}:2: date must be a date like 2026-11-29, got {shown}"
    ]


def test_a_prescription_whole_number_must_be_typed_in_digits(tmp_path: Path) -> None:
    rx = write(tmp_path, "rx.yaml", "patient: Jane\nprogram: sciatica\nlog_weeks: ²\n")
    assert problems_of(load_prescription, rx, load_library()) == [
        f"{rx}:3: log_weeks must be a whole number, got '²'"
    ]


# -- brands --------------------------------------------------------------------------------------
def test_a_brand_keeps_what_was_typed(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "clinic.yaml",
        """\
        name: "Riverside\\nPhysical Therapy"
        tagline: "Moving\\u2029you forward"
        phone: 0123456789
        website: 2026
        address: "12 River Road\\u2028Springfield"
        footer: "Call us.\\rMonday to Friday."
        message:
          no: {subject: Din plan, body: "Hei $patient"}
        """,
    )
    brand = load_brand(path)
    assert (brand.name, brand.tagline) == ("Riverside Physical Therapy", "Moving you forward")
    assert (brand.phone, brand.website) == ("0123456789", "2026")
    assert brand.address == "12 River Road\nSpringfield"
    assert brand.footer == "Call us.\nMonday to Friday."
    assert [(m.lang, m.subject) for m in brand.messages] == [("no", "Din plan")]


def test_a_brand_colour_without_quotes_is_an_error_not_the_default(tmp_path: Path) -> None:
    path = write(
        tmp_path, "clinic.yaml", 'name: C\nprimary_color: #1f4e79\naccent_color: "#2e75b6\\n"\n'
    )
    assert problems_of(load_brand, path) == [
        f"{path}:2: primary_color must be a colour like '#1f4e79' (in quotes: a # outside quotes "
        "starts a comment), got nothing",
        f"{path}:3: accent_color must be a colour like '#1f4e79', got '#2e75b6\\n'",
    ]


def test_an_email_subject_with_a_line_break_is_still_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path, "clinic.yaml", 'name: C\nmessage:\n  en: {subject: "a\\u2028b", body: x}\n'
    )
    assert problems_of(load_brand, path) == [f"{path}:3: message.en.subject must be one line"]


# -- digits outside YAML: a CSV row, an environment variable -------------------------------------
@pytest.mark.parametrize(
    ("text", "digits"),
    [("12", True), ("0", True), ("²", False), ("①", False), ("١٢", False), ("1²", False),
     ("", False), (" 1", False), ("-1", False), ("1" * 19, False)],
)  # fmt: skip
def test_is_digits_accepts_only_ascii_digits(text: str, digits: bool) -> None:
    assert is_digits(text) is digits


@pytest.mark.parametrize("weeks", ["²", "١", "①"])
def test_a_batch_row_with_a_superscript_week_count_is_that_rows_problem(
    tmp_path: Path, weeks: str
) -> None:
    csv = tmp_path / "p.csv"
    csv.write_text(f"patient,program,log_weeks\nA,sciatica,{weeks}\n", encoding="utf-8")
    (tmp_path / "out").mkdir()
    result = run_batch(csv, tmp_path / "out", BuildRequest(), jobs=1)
    assert [o.problem for o in result.failed] == [
        f"{csv}:2: log_weeks must be a whole number from 0 to 12, got '{weeks}'"
    ]


@pytest.mark.parametrize("port", ["²", "٥٨٧", "5²"])
def test_an_smtp_port_in_other_digits_is_refused(port: str) -> None:
    with pytest.raises(InputError) as caught:
        SmtpSettings.from_env(
            {"HANDOUTS_SMTP_HOST": "smtp.example.org", "HANDOUTS_SMTP_PORT": port}
        )
    assert caught.value.exit_code == 2
    assert caught.value.format_message() == (
        f"HANDOUTS_SMTP_PORT must be a port number from 1 to 65535, got {port!r}"
    )


# -- CLI: the handout prints what was typed ------------------------------------------------------
def test_a_handout_prints_007_1_30_and_no_as_typed(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path,
        "lib.yaml",
        """\
        version: 1
        exercises:
          - id: 007
            title: 007
            purpose: Count to 1:30.
            steps: [1:30, no, 2026-02-03]
        programs:
          - {id: p, title: no, exercises: [007]}
        """,
    )
    result = CliRunner().invoke(
        cli,
        [
            "build",
            "--library",
            "lib.yaml",
            "--program",
            "p",
            "--date",
            DATE_ARG,
            "--patient",
            "Jane\u2028Doe",
            "-o",
            "out.pdf",
        ],  # fmt: skip
    )
    assert result.exit_code == 0, result.output
    text = Pdf((tmp_path / "out.pdf").read_bytes()).text
    assert "1. 007" in text
    assert "1. 1:30 2. no 3. 2026-02-03" in text
    assert "Jane Doe" in text and "\u2028" not in text
    assert " no " in text  # the program's title


def test_a_prescription_handout_prints_the_typed_patient(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "rx.yaml", "patient: 007\ndate: 2026-11-29\nprogram: sciatica\n"
          "exercises: [{id: glute-bridge, notes: '1:30'}]\n")  # fmt: skip
    result = CliRunner().invoke(cli, ["build", "--rx", "rx.yaml", "-o", "out.pdf"])
    assert result.exit_code == 0, result.output
    text = Pdf((tmp_path / "out.pdf").read_bytes()).text
    assert "For: 007" in text
    assert "1:30" in text and "November 29, 2026" in text


def test_a_bad_number_in_a_library_is_exit_2_with_its_line(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    library_with(tmp_path, "dose: {reps: 1:30}\n")
    result = CliRunner().invoke(cli, ["build", "--library", "lib.yaml", "x", "-o", "out.pdf"])
    assert result.exit_code == 2
    assert result.output == (
        "Error: lib.yaml:4: exercises[0] 'x': dose.reps must be a whole number, got '1:30'\n"
    )
    assert not (tmp_path / "out.pdf").exists()


def test_values_nested_too_deeply_are_one_clear_error(tmp_path) -> None:
    """The reader recurses; a file of 5,000 nested lists must be exit 2, not a RecursionError
    (whatever depth Python's stack has left when it is read)."""
    from handouts.errors import InputError
    from handouts.load.source import MAX_DEPTH, read_yaml

    path = tmp_path / "deep.yaml"
    path.write_text("title: " + "[" * 5000 + "1" + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_yaml(path, "library")
    assert caught.value.format_message() == (
        f"{path}:1: lists and mappings are nested more than {MAX_DEPTH} levels deep; no part of a"
        " handout's files needs that"
    )
    fine = tmp_path / "fine.yaml"
    fine.write_text("a: " + "[" * 20 + "1" + "]" * 20 + "\n", encoding="utf-8")
    expected: object = 1
    for _ in range(20):
        expected = [expected]
    assert read_yaml(fine, "library").data["a"] == expected
