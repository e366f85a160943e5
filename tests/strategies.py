"""Hypothesis strategies for test_properties.py: the files a clinic writes, valid and broken.

Each strategy draws a `Case`: the input files (name -> bytes), what the command line adds, whether
the inputs are valid per the README (then the build must succeed and print the texts in
`expect_texts`), and which names a refusal must mention (`culprits`: the file or option at fault).

Valid documents are built first as plain data and written with yaml.safe_dump (which quotes every
string that a YAML reader could take for something else). Mutations then break them the ways
people do: wrong types, numbers out of range or not finite, unknown keys, misspelled ids, YAML 1.1
traps typed without quotes, control characters, emoji, markup, long texts, bad bytes, truncated
files, duplicate keys, deep nesting, empty files; for CSV files, repeated columns, multi-line cells,
superscript digits.
"""

from __future__ import annotations

import csv
import io
import math
import re
import string
from dataclasses import dataclass, field
from typing import Any

import yaml
from hypothesis import strategies as st

# -- what the built-in library has (exercises.yaml) ---------------------------------------------
BUILTIN_IDS = ("knee-to-opposite-shoulder", "pigeon-pose", "child-pose", "cobra-pose",
               "pelvic-tilt", "glute-bridge", "banded-squat", "split-squat", "hip-hinge")  # fmt: skip
BUILTIN_PROGRAMS = ("sciatica", "sciatica-gentle", "sciatica-strength")
# each program's groups of versions (an exercise and the versions after it): what choose: picks from
PROGRAM_GROUPS = {
    "sciatica": (("knee-to-opposite-shoulder", "pigeon-pose"), ("child-pose", "cobra-pose")),
    "sciatica-gentle": (("knee-to-opposite-shoulder", "pigeon-pose"), ("child-pose", "cobra-pose")),
    "sciatica-strength": (),
}
LAYOUTS = ("standard", "compact", "large-print")
SIDES = ("each", "both", "left", "right")
KINDS = ("stretch", "strengthen")
ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# -- text ---------------------------------------------------------------------------------------
# letters the built-in font (Atkinson Hyperlegible, Latin and Latin-1) prints
LETTERS = string.ascii_letters + "áéíóúñüçàèâêôäößÁÉÍÓÚÑÜ"
PUNCTUATION = ".,'&()/-!?:;#%+"
MARKUP = ("<b>", "</b>", "R&D", "<img src=x.png/>", "a < b > c", "&amp;", "<font size=200>",
          '<a href="javascript:alert(1)">', "</para>", "<br/>", "&#169;", "<knee>")  # fmt: skip
# Plain YAML scalars a YAML 1.1 reader (PyYAML) turns into something other than the text typed:
# in a text field each must print as typed (issue #12, "Text prints exactly as typed").
TEXT_TRAPS = ("1:30", "007", "no", "yes", "on", "off", "2026-02-03", "1_000", "0x1F", "12.50",
              "+12", "0o17", "3.10")  # fmt: skip
# the same and more, anywhere (a number, a key, a list): exit 0 or a clear refusal
ANY_TRAPS = (*TEXT_TRAPS, "~", "null", ".inf", "-.inf", ".nan", "1e3", "NO", "Yes", "2026-13-45",
             "12:30:45", "0b101", "=", "<<")  # fmt: skip
CONTROL = ("\n", "\r", "\r\n", "\t", "\x00", "\x07", "\x1b[31m", "\x7f", "\x85", "\u2028",
           "\u2029", "\u200b", "\ufeff", "\u202e", "\udcff")  # fmt: skip
EMOJI = ("😀", "👍🏽", "❤️", "🇺🇸", "\U0001f9d1\u200d\U0001f9b0", "✅", "中文", "Привет", "𝔘")
SUPERSCRIPTS = ("²", "³", "¹²", "1²", "½", "٣", "５", "Ⅻ", "𝟙")
WRONG_TYPES: tuple[Any, ...] = (0, 1, -7, 2.5, True, False, None, [], {}, ["a", "b"],
                                {"a": 1}, "text", [[1, 2]], {"x": {"y": None}})  # fmt: skip
BAD_NUMBERS: tuple[Any, ...] = (-1, 0, 13, 10**6, 10**30, -(10**30), 1e308, -1e308, 1e-300,
                                float("nan"), float("inf"), float("-inf"), 0.1)  # fmt: skip

word = st.text(alphabet=LETTERS, min_size=1, max_size=10)


@st.composite
def line(draw, max_words: int = 6, markup: bool = True) -> str:
    """A one-line text the font prints: words, some punctuation, sometimes markup-like text."""
    words = draw(st.lists(word, min_size=1, max_size=max_words))
    if draw(st.booleans()):
        i = draw(st.integers(0, len(words) - 1))
        words[i] += draw(st.sampled_from(PUNCTUATION))
    if markup and draw(st.integers(0, 3)) == 0:
        words.insert(draw(st.integers(0, len(words))), draw(st.sampled_from(MARKUP)))
    return " ".join(words)


person = line(max_words=4)  # a patient's or therapist's name (short: fits on one line)


@st.composite
def paragraph(draw) -> str:
    return " ".join(draw(st.lists(line(), min_size=1, max_size=4)))


# -- a case -------------------------------------------------------------------------------------
@dataclass
class Case:
    files: dict[str, bytes]  # written into the input folder
    args: list[str] = field(default_factory=list)  # {in} stands for the input folder
    valid: bool = True  # valid per the README: the command must succeed
    culprits: tuple[str, ...] = ()  # a refusal must name one of these (files or options)
    expect_texts: tuple[str, ...] = ()  # printed (whitespace folded) whenever it succeeds
    mutation: str = "none"  # what was broken, for the report
    refuse: bool = False  # the issue says: refused with exit 2 (never built, never exit 1)

    def note(self) -> str:
        return f"mutation={self.mutation} valid={self.valid} refuse={self.refuse} args={self.args}"


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)


# -- mutations of YAML documents ----------------------------------------------------------------
def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _paths(value, (*prefix, i))
    return found


def _get(node: Any, path: tuple) -> Any:
    for part in path:
        node = node[part]
    return node


def _set(node: Any, path: tuple, value: Any) -> None:
    _get(node, path[:-1])[path[-1]] = value


def _misspell(text: str, draw) -> str:
    how = draw(st.sampled_from(("drop", "double", "swap", "append", "upper", "space")))
    if how == "drop" and len(text) > 1:
        return text[:-1]
    if how == "double":
        return text + text[-1:]
    if how == "swap" and len(text) > 2:
        return text[1] + text[0] + text[2:]
    if how == "upper":
        return text.upper()
    if how == "space":
        return text.replace("-", " ", 1) if "-" in text else text + " x"
    return text + "x"


PLACEHOLDER = "qqplaceholderqq"
# numbers no field accepts: not finite, or absurdly large (an error at the file and line)
NEVER_A_NUMBER = ("nan", "inf", "-inf", "1e+308", "-1e+308", str(10**30), str(-(10**30)))


@dataclass
class Mutated:
    raw: bytes
    what: str
    valid: bool = False
    text: str | None = None
    refuse: bool = False

    def __iter__(self):  # raw, what, valid, text
        return iter((self.raw, self.what, self.valid, self.text))


@st.composite
def mutate_yaml(draw, data: Any, text_fields: dict[tuple, str] | None = None) -> Mutated:
    """A broken version of `data` as file bytes, with what was done, whether it is still valid
    (must succeed) or must be refused, and a text that must print when the command succeeds."""
    import copy

    data = copy.deepcopy(data)
    paths = _paths(data)
    kinds = ["type", "number", "unknown-key", "misspell", "text", "trap", "bytes", "truncate",
             "duplicate-key", "empty", "nesting", "delete", "superscript", "long"]  # fmt: skip
    if text_fields:
        kinds += ["text-trap"] * 3 + ["text-fold"]
    kind = draw(st.sampled_from(kinds))
    if kind == "text-trap":  # a text field typed as a YAML 1.1 trap: must print as typed
        path = draw(st.sampled_from(sorted(text_fields, key=str)))
        trap = draw(st.sampled_from(TEXT_TRAPS))
        _set(data, path, PLACEHOLDER)
        text = dump(data).replace(PLACEHOLDER, trap)
        return Mutated(
            text.encode(), f"text-trap {path}={trap}", True, text_fields[path].format(trap)
        )
    if kind == "text-fold":  # a line break in a one-line field: folded (or refused), never a box
        path = draw(st.sampled_from(sorted(text_fields, key=str)))
        old = _get(data, path)
        at = draw(st.integers(1, max(1, len(old) - 1)))
        brk = draw(st.sampled_from(("\n", "\r\n", "\u2028", "\n\n")))
        _set(data, path, old[:at] + brk + old[at:])
        folded = " ".join((old[:at] + " " + old[at:]).split())
        return Mutated(dump(data).encode(), f"text-fold {path}={_get(data, path)!r}", False,
                       text_fields[path].format(folded))  # fmt: skip
    if kind == "trap":
        path = draw(st.sampled_from(paths))
        trap = draw(st.sampled_from(ANY_TRAPS))
        if draw(st.booleans()) and isinstance(_get(data, path[:-1]), dict):  # the key itself
            parent = _get(data, path[:-1])
            parent[PLACEHOLDER] = parent.pop(path[-1])
            where = f"key {path}"
        else:
            _set(data, path, PLACEHOLDER)
            where = str(path)
        text = dump(data).replace(PLACEHOLDER, trap)
        return Mutated(text.encode(), f"trap {where}={trap}")
    if kind == "type":
        path = draw(st.sampled_from(paths))
        value = draw(st.sampled_from(WRONG_TYPES))
        _set(data, path, value)
        return Mutated(dump(data).encode(), f"type {path}={value!r}")
    if kind in ("number", "superscript"):
        numeric = [p for p in paths if isinstance(_get(data, p), (int, float))]
        path = draw(st.sampled_from(numeric or paths))
        pool = BAD_NUMBERS if kind == "number" else SUPERSCRIPTS
        value = draw(st.sampled_from(pool))
        was_number = isinstance(_get(data, path), (int, float)) and not isinstance(
            _get(data, path), bool
        )
        _set(data, path, value)
        refuse = was_number and (kind == "superscript" or str(value) in NEVER_A_NUMBER)
        return Mutated(dump(data).encode(), f"{kind} {path}={value!r}", refuse=refuse)
    if kind == "unknown-key":
        maps = [()] + [p for p in paths if isinstance(_get(data, p), dict)]
        path = draw(st.sampled_from(maps))
        key = draw(st.sampled_from(("titel", "colour", "Name", "dose_", "x", "no", "1", "")))
        _get(data, path)[key] = draw(st.sampled_from(("a", 1, None, [1])))
        return Mutated(dump(data).encode(), f"unknown-key {path}.{key}")
    if kind == "misspell":
        ids = [p for p in paths if isinstance(_get(data, p), str) and ID.match(_get(data, p))]
        path = draw(st.sampled_from(ids or paths))
        old = _get(data, path)
        new = _misspell(old, draw) if isinstance(old, str) else "misspelled"
        _set(data, path, new)
        return Mutated(dump(data).encode(), f"misspell {path}: {old!r} -> {new!r}")
    if kind in ("text", "long"):
        texts = [p for p in paths if isinstance(_get(data, p), str)]
        path = draw(st.sampled_from(texts or paths))
        old = _get(data, path) if isinstance(_get(data, path), str) else "x"
        if kind == "long":
            extra = " ".join(draw(st.lists(word, min_size=1, max_size=5))) + " "
            new = old + " " + extra * draw(st.sampled_from((50, 400, 2000)))
            if draw(st.booleans()):
                new = old + "y" * draw(st.sampled_from((300, 3000)))  # one very long word
        else:
            bad = draw(st.sampled_from((*CONTROL, *EMOJI, *MARKUP)))
            at = draw(st.integers(0, len(old)))
            new = old[:at] + bad + old[at:]
        _set(data, path, new)
        try:
            out = dump(data).encode()
        except UnicodeEncodeError:  # a lone surrogate: the bytes of a mis-decoded file
            out = dump(data).encode("utf-8", "surrogateescape")
        shown = new if len(new) < 60 else f"{new[:40]!r}...({len(new)} chars)"
        return Mutated(out, f"{kind} {path}={shown!r}")
    if kind == "delete":
        path = draw(st.sampled_from(paths))
        parent = _get(data, path[:-1])
        del parent[path[-1]]
        return Mutated(dump(data).encode(), f"delete {path}")
    if kind == "nesting":
        path = draw(st.sampled_from(paths))
        depth = draw(st.sampled_from((30, 500, 5000)))
        _set(data, path, PLACEHOLDER)
        text = dump(data).replace(PLACEHOLDER, "[" * depth + "1" + "]" * depth)
        return Mutated(text.encode(), f"nesting {path} depth {depth}")
    raw = dump(data).encode()
    if kind == "bytes":
        bad = draw(st.sampled_from((b"\xff", b"\xfe\xff", b"\xc3", b"\xe9", b"\x80abc", b"\x00")))
        at = draw(st.integers(0, len(raw)))
        return Mutated(raw[:at] + bad + raw[at:], f"bytes {bad!r} at {at}")
    if kind == "truncate":
        at = draw(st.integers(0, max(0, len(raw) - 1)))
        return Mutated(raw[:at], f"truncate at {at} of {len(raw)}")
    if kind == "duplicate-key":
        lines = raw.decode().splitlines(keepends=True)
        keyed = [i for i, text in enumerate(lines) if re.match(r"^\s*(- )?[a-z_]+:", text)]
        i = draw(st.sampled_from(keyed)) if keyed else 0
        dup = re.sub(r"^(\s*)- ", r"\1  ", lines[i]) if lines else ""
        lines.insert(i + 1, dup)
        return Mutated("".join(lines).encode(), f"duplicate-key line {i + 1}: {dup.strip()!r}")
    empty = draw(st.sampled_from((b"", b"\n", b"   \n", b"---\n", b"null\n", b"~", b"[]", b"{}",
                                  b"\xef\xbb\xbf", b"# only a comment\n", b"...\n")))  # fmt: skip
    return Mutated(empty, f"empty {empty!r}")


# -- libraries ----------------------------------------------------------------------------------
@st.composite
def exercise(draw, own_id: str, others: list[str]) -> dict:
    """One exercise as the README's "Your clinic's exercises" shows it."""
    ex: dict[str, Any] = {"id": own_id, "title": draw(line(max_words=5)),
                          "purpose": draw(paragraph())}  # fmt: skip
    if draw(st.booleans()):
        ex["position"] = draw(line())
    for key in ("equipment", "tips", "cautions"):
        if draw(st.booleans()):
            ex[key] = draw(st.lists(line(), min_size=1, max_size=3))
    ex["steps"] = draw(st.lists(line(max_words=10), min_size=1, max_size=5))
    dose: dict[str, Any] = {}
    for key, low, high in (("hold", 1, 600), ("reps", 1, 200), ("sets", 1, 20),
                           ("rest", 1, 600), ("times_per_day", 1, 12), ("days_per_week", 1, 7)):  # fmt: skip
        if draw(st.booleans()):
            dose[key] = draw(st.integers(low, high))
    if draw(st.booleans()):
        dose["side"] = draw(st.sampled_from(SIDES))
    if draw(st.booleans()):
        dose["load"] = draw(line(max_words=4))
    if dose:
        ex["dose"] = dose
    tags: dict[str, Any] = {}
    if draw(st.booleans()):
        tags["region"] = draw(st.lists(word.map(str.lower), min_size=1, max_size=2))
    if draw(st.booleans()):
        tags["condition"] = draw(st.lists(line(max_words=2, markup=False), min_size=1, max_size=2))
    if draw(st.booleans()):
        tags["kind"] = draw(st.sampled_from(KINDS))
    if tags:
        ex["tags"] = tags
    if draw(st.booleans()):
        ex["aliases"] = [f"{own_id} alias {i}" for i in range(draw(st.integers(1, 2)))]
    targets = [i for i in others if i != own_id]
    for key in ("easier", "harder", "alternatives"):
        if targets and draw(st.integers(0, 3)) == 0:
            ex[key] = draw(st.lists(st.sampled_from(targets), min_size=1, max_size=2, unique=True))
    if draw(st.integers(0, 3)) == 0:
        ex["video"] = f"https://example.org/videos/{own_id}"
    return ex


def _distinct_names(exercises: list[dict]) -> list[dict]:
    """The exercises with no name (title, alias) shared by two of them or by one and another's
    id: the README makes that an error at the second (handouts.names)."""
    from handouts.names import key

    used = {key(e["id"]) for e in exercises}
    for n, e in enumerate(exercises):
        own = {key(e["id"])}
        if key(e["title"]) in used - own:
            e["title"] = f"{e['title']} ({n + 1})"
        own.add(key(e["title"]))
        if "aliases" in e:
            aliases = e["aliases"] if isinstance(e["aliases"], list) else [e["aliases"]]
            e["aliases"] = [
                a for a in aliases if not isinstance(a, str) or key(a) not in used - own
            ]
            own |= {key(a) for a in e["aliases"] if isinstance(a, str)}
        used |= own
    return exercises


@st.composite
def library_data(draw) -> dict:
    count = draw(st.integers(1, 4))
    ids = [f"my-{name}-{i}" for i, name in enumerate(
        draw(st.lists(st.sampled_from(("wall-sit", "step-up", "calf-raise", "bird-dog", "plank")),
                      min_size=count, max_size=count)))]  # fmt: skip
    pool = ids + list(draw(st.lists(st.sampled_from(BUILTIN_IDS), max_size=2, unique=True)))
    data: dict[str, Any] = {"version": 1}
    data["exercises"] = _distinct_names([draw(exercise(i, pool)) for i in ids])
    if draw(st.booleans()):
        chosen = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=4, unique=True))
        entries: list[Any] = []
        for n, ex_id in enumerate(chosen):
            if n and draw(st.booleans()):
                entries.append({"id": ex_id, "variant_of": draw(st.sampled_from(chosen[:n]))})
            else:
                entries.append(ex_id)
        program = {"id": "my-program", "title": draw(line()), "exercises": entries}
        if draw(st.booleans()):
            program["intro"] = draw(paragraph())
        data["programs"] = [program]
    if draw(st.integers(0, 3)) == 0:
        data["disclaimers"] = {"footer": draw(line())}
    return data


def library_args(data: Any) -> list[str]:
    """What to build from a (possibly broken) library: its program, else its exercises."""
    args: list[str] = []
    if isinstance(data, dict):
        programs = data.get("programs")
        if isinstance(programs, list) and programs and isinstance(programs[0], dict):
            pid = programs[0].get("id")
            if isinstance(pid, str) and ID.match(pid):
                args += ["--program", pid]
        exercises = data.get("exercises")
        if not args and isinstance(exercises, list):
            for item in exercises:
                item_id = item.get("id") if isinstance(item, dict) else None
                if isinstance(item_id, str) and ID.match(item_id):
                    args.append(item_id)
    return args or ["glute-bridge"]


@st.composite
def library_case(draw) -> Case:
    data = draw(library_data())
    patient = draw(person)
    text_fields = {("exercises", 0, "title"): "{}"}
    if "programs" in data:
        text_fields[("programs", 0, "title")] = "{}"
    choice = draw(st.integers(0, 9))
    if choice <= 2:
        m = Mutated(dump(data).encode(), "none", True)
    elif choice == 3:  # ten or more versions of one exercise: built, or refused clearly
        count = draw(st.integers(9, 12))
        more = [{"id": f"my-version-{i}", "title": f"Version {i}", "purpose": "Why.",
                 "steps": ["Do it."]} for i in range(count)]  # fmt: skip
        data["exercises"] += more
        entries = [data["exercises"][0]["id"]]
        entries += [{"id": e["id"], "variant_of": entries[0]} for e in more]
        data["programs"] = [{"id": "my-program", "title": "Many versions", "exercises": entries}]
        m = Mutated(dump(data).encode(), f"{count} versions of one exercise in a program")
    else:
        m = draw(mutate_yaml(data, text_fields))
    try:
        broken = yaml.safe_load(m.raw)
    except Exception:  # noqa: BLE001 - only to choose the command's arguments
        broken = data
    expect = (f"For: {patient}", *([m.text] if m.text else ()))
    args = ["build", *library_args(broken), "--library", "{in}/ours.yaml", "--patient", patient]
    return Case({"ours.yaml": m.raw}, args, m.valid, ("ours.yaml",), expect, m.what, m.refuse)


# -- layouts ------------------------------------------------------------------------------------
# the ranges of load/layout.py (12 pt: nothing prints smaller)
SIZES = {"body": (12, 24), "heading": (12, 36), "title": (14, 48), "small": (12, 24)}


@st.composite
def length(draw, low_pt: float, high_pt: float) -> Any:
    unit = draw(st.sampled_from(("", "pt", "in", "mm", "cm")))
    per = {"": 1, "pt": 1, "in": 72, "mm": 72 / 25.4, "cm": 72 / 2.54}[unit]
    value = draw(st.floats(low_pt / per, high_pt / per, allow_nan=False))
    value = math.floor(value * 100) / 100
    if value * per < low_pt:
        value = math.ceil(low_pt / per * 100) / 100
    if unit == "":
        return int(value) if value == int(value) else value
    return f"{value:g}{unit}"


@st.composite
def layout_data(draw) -> dict:
    """A layout file within the documented ranges (layouts/standard.yaml, load/layout.py)."""
    data: dict[str, Any] = {"extends": draw(st.sampled_from(LAYOUTS)), "name": "ours"}
    if draw(st.booleans()):
        data["description"] = draw(line())
    if draw(st.booleans()):
        data["paper"] = draw(st.sampled_from(("letter", "a4")))
    if draw(st.booleans()):
        sides = draw(st.lists(st.sampled_from(("top", "bottom", "left", "right")), unique=True,
                              min_size=1))  # fmt: skip
        data["margins"] = {s: draw(length(18, 144)) for s in sides}
    if draw(st.booleans()) or True:
        keys = draw(st.lists(st.sampled_from(list(SIZES)), unique=True, min_size=1))
        data["sizes"] = {k: draw(st.integers(*SIZES[k])) for k in keys}
    if draw(st.booleans()):
        data["leading"] = draw(st.sampled_from((1.0, 1.1, 1.25, 1.5, 2, 2.5)))
    if draw(st.booleans()):
        data["colors"] = {"primary": draw(st.sampled_from(("brand", "#1f4e79", "#000000"))),
                          "accent": draw(st.sampled_from(("brand", "#2E75B6")))}  # fmt: skip
    if draw(st.booleans()):
        ex: dict[str, Any] = {}
        for key, choices in (("columns", (1, 2)), ("arrangement", ("side", "stacked")),
                             ("style", ("full", "brief")), ("versions", ("cards", "mention"))):  # fmt: skip
            if draw(st.booleans()):
                ex[key] = draw(st.sampled_from(choices))
        if draw(st.booleans()):
            ex["figures"] = draw(st.one_of(st.just(0), length(36, 3 * 72)))
        if ex:
            data["exercises"] = ex
    for group, names in (("show", ("purpose", "position", "equipment", "figures", "tips",
                                   "cautions", "qr", "links", "safety", "notes")),
                         ("header", ("logo", "tagline", "contact", "qr")),
                         ("footer", ("brand_footer",))):  # fmt: skip
        if draw(st.booleans()):
            keys = draw(st.lists(st.sampled_from(names), unique=True, min_size=1))
            data[group] = {k: draw(st.booleans()) for k in keys}
    return data


@st.composite
def layout_case(draw) -> Case:
    data = draw(layout_data())
    patient = draw(person)
    if draw(st.integers(0, 2)) == 0:
        m = Mutated(dump(data).encode(), "none", True)
    else:
        m = draw(mutate_yaml(data))
    program = draw(st.sampled_from(BUILTIN_PROGRAMS))
    args = ["build", "--program", program, "--layout", "{in}/ours.yaml", "--patient", patient]
    return Case({"ours.yaml": m.raw}, args, m.valid, ("ours.yaml",), (f"For: {patient}",),
                m.what, m.refuse)  # fmt: skip


# -- brands -------------------------------------------------------------------------------------
def png(size: tuple[int, int] = (60, 24)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (31, 78, 121)).save(out, format="PNG")
    return out.getvalue()


SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 120 40">'
       '<rect x="0" y="0" width="120" height="40" fill="#1f4e79"/>{inner}</svg>')  # fmt: skip
LOGO_BREAKS = {
    "svg width nan": SVG.format(w="nan", h="40", inner=""),
    "svg width inf": SVG.format(w="inf", h="40", inner=""),
    "svg huge": SVG.format(w="1e300", h="1e300", inner=""),
    "svg tiny": SVG.format(w="1e-300", h="1e-300", inner=""),
    "svg negative": SVG.format(w="-120", h="40", inner=""),
    "svg emoji text": SVG.format(w="120", h="40", inner='<text x="5" y="30">Clinic 😀</text>'),
    "svg raster": SVG.format(
        w="120",
        h="40",
        inner='<image width="10" height="10" href="data:image/png;base64,iVBORw0KGgo="/>',
    ),  # fmt: skip
    "svg not xml": "<svg><rect",
    "svg empty": "",
    "png truncated": None,  # the first bytes of a PNG
    "text as png": "not an image at all",
}
# a size that is not finite or absurd is an error at its file (issue #12, "Nothing prints as a box")
REFUSED_LOGOS = ("svg width nan", "svg width inf", "svg huge", "svg tiny", "svg not xml",
                 "svg empty", "png truncated", "text as png")  # fmt: skip


@st.composite
def brand_data(draw) -> dict:
    data: dict[str, Any] = {"name": draw(line(max_words=5))}
    for key in ("tagline", "footer", "qr_caption"):
        if draw(st.booleans()):
            data[key] = draw(line())
    if draw(st.booleans()):
        data["primary_color"] = draw(st.sampled_from(("#1f4e79", "#000000", "#ABCDEF")))
    if draw(st.booleans()):
        data["accent_color"] = draw(st.sampled_from(("#2e75b6", "#C00000")))
    if draw(st.booleans()):
        data["phone"] = draw(st.sampled_from(("(555) 010-0199", "+1 555 010 0199", "555.010.0199")))
    if draw(st.booleans()):
        data["email"] = "front.desk@example.org"
    if draw(st.booleans()):
        data["website"] = "example.org"
    if draw(st.booleans()):
        data["address"] = "\n".join(draw(st.lists(line(max_words=4, markup=False), min_size=1,
                                                  max_size=3)))  # fmt: skip
    if draw(st.booleans()):
        data["qr_link"] = "https://example.org/book"
    if draw(st.booleans()):
        data["logo"] = "logo.png"
    if draw(st.booleans()):
        names = ["patient", "clinic", "date", "title"]
        names += [k for k in ("phone", "email", "website") if k in data]
        used = draw(st.lists(st.sampled_from(names), max_size=3, unique=True))
        body = "Hello $patient,\n" + "".join(f"About ${n}.\n" for n in used)
        data["message"] = {"en": {"subject": "Your exercises from $clinic", "body": body}}
    return data


@st.composite
def brand_case(draw) -> Case:
    data = draw(brand_data())
    patient = draw(person)
    files = {"logo.png": png()}
    culprits = ("clinic.yaml",)
    choice = draw(st.integers(0, 6))
    email = "email" in data and draw(st.booleans())
    if choice <= 1:
        m = Mutated(dump(data).encode(), "none", True)
    elif choice == 2:  # the logo is what is broken
        kind = draw(st.sampled_from(sorted(LOGO_BREAKS)))
        name = "logo.svg" if kind.startswith("svg") else "logo.png"
        body = LOGO_BREAKS[kind]
        files[name] = png()[:40] if body is None else body.encode()
        data["logo"] = name
        m = Mutated(dump(data).encode(), f"logo {kind}", refuse=kind in REFUSED_LOGOS)
        culprits = ("clinic.yaml", name)
    elif choice == 3:  # the email uses a placeholder the brand does not set: refused up front
        name = draw(st.sampled_from(("phone", "website")))
        data.pop(name, None)
        data["email"] = "front.desk@example.org"  # the sender: the email itself is fine
        data["message"] = {"en": {"subject": "Your exercises", "body": f"Call us: ${name}.\n"}}
        m = Mutated(dump(data).encode(), f"message uses ${name}, not set", refuse=True)
        email = True
    else:
        m = draw(mutate_yaml(data, {("name",): "{}"}))
    files["clinic.yaml"] = m.raw
    args = ["build", "glute-bridge", "--brand", "{in}/clinic.yaml", "--patient", patient]
    if email:
        args += ["--email", "jane@example.org", "--dry-run"]
    expect = (f"For: {patient}", *([m.text] if m.text else ()))
    return Case(files, args, m.valid, culprits, expect, m.what, m.refuse)


# -- prescriptions ------------------------------------------------------------------------------
@st.composite
def rx_data(draw) -> dict:
    """A prescription as the README's "Prescriptions" shows it, over the built-in library."""
    import datetime as dt

    data: dict[str, Any] = {"patient": draw(person)}
    if draw(st.booleans()):
        data["therapist"] = draw(person)
    if draw(st.booleans()):
        data["date"] = draw(st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)))
    if draw(st.booleans()):
        data["lang"] = draw(st.sampled_from(("en", "es")))
    if draw(st.booleans()):
        data["layout"] = draw(st.sampled_from(LAYOUTS))
    if draw(st.booleans()):
        data["paper"] = draw(st.sampled_from(("letter", "a4")))
    has_program = draw(st.booleans())
    if has_program:
        data["program"] = draw(st.sampled_from(BUILTIN_PROGRAMS))
    if not has_program or draw(st.booleans()):
        chosen = draw(st.lists(st.sampled_from(BUILTIN_IDS), min_size=1, max_size=3, unique=True))
        entries: list[Any] = []
        for n, ex_id in enumerate(chosen):
            if draw(st.booleans()):
                entries.append(ex_id)
                continue
            entry: dict[str, Any] = {"id": ex_id}
            if n and draw(st.booleans()):
                entry["variant_of"] = draw(st.sampled_from(chosen[:n]))
            if draw(st.booleans()):
                entry["dose"] = {"reps": draw(st.integers(1, 200)),
                                 "sets": draw(st.integers(1, 20))}  # fmt: skip
            if draw(st.booleans()):
                entry["notes"] = draw(line())
            entries.append(entry)
        data["exercises"] = entries
    groups = _rx_groups(data)
    if groups and draw(st.integers(0, 3)):  # of some groups of versions, the one to do
        picked = draw(st.lists(st.sampled_from(groups), min_size=1, unique=True))
        chosen_ids = [draw(st.sampled_from(group)) for group in picked]
        data["choose"] = (
            chosen_ids[0] if len(chosen_ids) == 1 and draw(st.booleans()) else chosen_ids
        )
    if draw(st.booleans()):
        data["notes"] = draw(paragraph()) + "\n"
    if draw(st.booleans()):
        data["log_weeks"] = draw(st.integers(0, 12))
    if draw(st.integers(0, 3)) == 0:
        data["brand"] = "clinic.yaml"  # written beside the prescription (rx_case)
    if draw(st.integers(0, 3)) == 0:
        data["library"] = "ours.yaml"
    return data


def _rx_groups(data: dict) -> list[tuple[str, ...]]:
    """The groups of two or more versions the prescription's handout prints (compose._groups)."""
    if "exercises" not in data:
        return [g for g in PROGRAM_GROUPS[data["program"]] if len(g) > 1]
    main_of: dict[str, str] = {}
    groups: dict[str, list[str]] = {}
    for entry in data["exercises"]:
        ex_id, parent = (
            (entry, None) if isinstance(entry, str) else (entry["id"], entry.get("variant_of"))
        )
        main = main_of.get(parent or "", ex_id)
        main_of[ex_id] = main
        groups.setdefault(main, []).append(ex_id)
    return [tuple(g) for g in groups.values() if len(g) > 1]


@st.composite
def rx_case(draw) -> Case:
    data = draw(rx_data())
    fields = {("patient",): "For: {}"}
    if "therapist" in data:
        fields[("therapist",)] = "Therapist: {}"
    if data.get("lang", "en") != "en":  # the labels are in another language
        fields = {k: "{}" for k in fields}
    if draw(st.integers(0, 2)) == 0:
        m = Mutated(dump(data).encode(), "none", True)
    else:
        m = draw(mutate_yaml(data, fields))
    expect = [m.text] if m.text else []
    if m.what == "none":
        expect.append(fields[("patient",)].format(data["patient"]))
    args = ["build", "--rx", "{in}/jane.yaml"]
    files = {"jane.yaml": m.raw}
    if "brand" in data:  # valid files that the prescription names (a broken one: brand_case)
        files["clinic.yaml"] = dump({"name": draw(line(max_words=5))}).encode()
    if "library" in data:
        files["ours.yaml"] = dump(draw(library_data())).encode()
    return Case(files, args, m.valid, ("jane.yaml",), tuple(expect), m.what, m.refuse)


# -- batches ------------------------------------------------------------------------------------
COLUMNS = ("patient", "program", "exercises", "therapist", "date", "layout", "paper", "lang",
           "notes", "log_weeks")  # fmt: skip


@st.composite
def batch_rows(draw) -> tuple[list[str], list[dict[str, str]]]:
    """A header and rows as the README's "Batches" describes them."""
    import datetime as dt

    columns = ["patient", *draw(st.sampled_from((["program"], ["exercises"],
                                                 ["program", "exercises"])))]  # fmt: skip
    columns += draw(st.lists(st.sampled_from(COLUMNS[3:]), unique=True, max_size=4))
    columns = draw(st.permutations(columns))
    rows = []
    for _ in range(draw(st.integers(1, 3))):
        row = {"patient": draw(person)}
        if "program" in columns:
            row["program"] = draw(st.sampled_from(BUILTIN_PROGRAMS))
        if "exercises" in columns:
            ids = draw(st.lists(st.sampled_from(BUILTIN_IDS), min_size=1, max_size=2, unique=True))
            row["exercises"] = draw(st.sampled_from((" ", ",", ";", ", "))).join(ids)
        if "therapist" in columns:
            row["therapist"] = draw(person)
        if "date" in columns:
            row["date"] = draw(st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))).isoformat()
        if "layout" in columns:
            row["layout"] = draw(st.sampled_from(LAYOUTS))
        if "paper" in columns:
            row["paper"] = draw(st.sampled_from(("letter", "a4", "A4", "")))
        if "lang" in columns:
            row["lang"] = draw(st.sampled_from(("en", "es", "")))
        if "notes" in columns:
            row["notes"] = draw(st.sampled_from(("", "Walk daily.", "One\\nTwo")))
        if "log_weeks" in columns:
            row["log_weeks"] = str(draw(st.integers(0, 12)))
        rows.append(row)
    return list(columns), rows


def write_csv(columns: list[str], rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


CSV_BREAKS = ("repeat-column", "bad-option", "unknown-column", "multiline-cell", "superscript", "bad-date",
              "unknown-id", "bad-layout", "bad-lang", "extra-values", "bytes", "nul", "truncate",
              "empty", "long-name", "emoji-name", "control-name", "no-header", "quote")  # fmt: skip


@st.composite
def batch_case(draw) -> Case:
    columns, rows = draw(batch_rows())
    args = ["batch", "{in}/patients.csv", "--out-dir", "{out}", "--jobs", "1"]
    if draw(st.booleans()):
        args += ["--merge", "{out}/print.pdf"]
    if draw(st.integers(0, 2)) == 0:
        text = write_csv(columns, rows)
        expect = tuple(f"For: {r['patient']}" for r in rows if r.get("lang", "") != "es")
        return Case({"patients.csv": text.encode()}, args, True, ("patients.csv",), expect)
    kind = draw(st.sampled_from(CSV_BREAKS))
    valid, refuse, culprits = False, False, ("patients.csv",)
    row = draw(st.sampled_from(rows))
    if kind == "repeat-column":
        col = draw(st.sampled_from(columns))
        text = write_csv(columns, rows).splitlines(keepends=True)
        text = [text[0].rstrip("\n") + f",{col}\n"] + [t.rstrip("\n") + ",x\n" for t in text[1:]]
        text = "".join(text)
        kind += f" {col}"
        refuse = True
    elif kind == "bad-option":  # an option bad for every row: refused up front
        option, value = draw(st.sampled_from((("--layout", "nope"), ("--layout", "Compact"),
                                              ("--lang", "ES"), ("--lang", "fr"),
                                              ("--layout", "missing.yaml"))))  # fmt: skip
        args += [option, value]
        text = write_csv([c for c in columns if c not in ("layout", "lang")],
                         [{k: v for k, v in r.items() if k not in ("layout", "lang")}
                          for r in rows])  # fmt: skip
        kind += f" {option} {value}"
        refuse, culprits = True, (option,)
    elif kind == "unknown-column":
        columns.append(draw(st.sampled_from(("patiant", "Patient Name", "email_", "dob", ""))))
        text = write_csv(columns, [{**r, columns[-1]: "x"} for r in rows])
    elif kind == "multiline-cell":  # a quoted cell with a line break is valid CSV
        row["patient"] = row["patient"] + "\n" + draw(word)
        if "notes" in columns:
            row["notes"] = "First line\nsecond line"
        text = write_csv(columns, rows)
        valid = True
    elif kind in ("superscript", "bad-date", "unknown-id", "bad-layout", "bad-lang"):
        column, value = {
            "superscript": ("log_weeks", draw(st.sampled_from(SUPERSCRIPTS))),
            "bad-date": (
                "date",
                draw(
                    st.sampled_from(
                        ("2026-02-30", "2026-2-3", "03/02/2026", "2026-02-03T10:00", "²⁰²⁶-01-01")
                    )
                ),
            ),  # fmt: skip
            "unknown-id": (
                "exercises",
                draw(st.sampled_from(("glute-bridg", "nope", "GLUTE-BRIDGE", "glute_bridge"))),
            ),  # fmt: skip
            "bad-layout": (
                "layout",
                draw(
                    st.sampled_from(("nope", "compact.yaml", "Compact", "../x.yaml", "/dev/null"))
                ),
            ),  # fmt: skip
            "bad-lang": ("lang", draw(st.sampled_from(("ES", "fr", "no", "e s", "english")))),
        }[kind]
        if column not in columns:
            columns.append(column)
        row[column] = value
        text = write_csv(columns, rows)
        kind += f" {column}={value!r}"
    elif kind == "extra-values":
        text = write_csv(columns, rows).rstrip("\n") + ",surplus,more\n"
    elif kind in ("long-name", "emoji-name", "control-name"):
        row["patient"] += {
            "long-name": " " + "Maria " * draw(st.sampled_from((100, 1000))),
            "emoji-name": " " + draw(st.sampled_from(EMOJI)),
            "control-name": draw(st.sampled_from(CONTROL)) + "x",
        }[kind]
        text = write_csv(columns, rows)
    elif kind == "no-header":
        text = write_csv(columns, rows).split("\n", 1)[1]
    elif kind == "quote":
        text = write_csv(columns, rows).rstrip("\n") + ',"unterminated\n'
    else:
        text = write_csv(columns, rows)
    raw = text.encode("utf-8", "surrogateescape")  # a lone surrogate is a non-UTF-8 byte
    if kind == "bytes":
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.sampled_from((b"\xff", b"\xe9", b"\xc3("))) + raw[at:]
    elif kind == "nul":
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + b"\x00" + raw[at:]
    elif kind == "truncate":
        raw = raw[: draw(st.integers(0, max(0, len(raw) - 1)))]
    elif kind == "empty":
        raw = draw(st.sampled_from((b"", b"\n", b"\xef\xbb\xbf", b",,,\n")))
    expect = ()
    if valid:
        expect = tuple(f"For: {' '.join(r['patient'].split())}" for r in rows
                       if r.get("lang", "") != "es")  # fmt: skip
    return Case({"patients.csv": raw}, args, valid, culprits, expect, kind, refuse)


# -- options ------------------------------------------------------------------------------------
@st.composite
def options_case(draw) -> Case:
    """`handouts build` with options a person types: text as typed, or a clear refusal."""
    import datetime as dt

    args = ["build", *draw(st.sampled_from((["--program", "sciatica-gentle"], ["glute-bridge"],
                                            ["glute-bridge", "hip-hinge"])))]  # fmt: skip
    patient = draw(person)
    valid, culprits, mutation, refuse = True, (), "none", False
    options = {"--patient": patient}
    if draw(st.booleans()):
        options["--therapist"] = draw(person)
    if draw(st.booleans()):
        options["--notes"] = draw(paragraph())
    if draw(st.booleans()):
        options["--date"] = draw(st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))).isoformat()
    if draw(st.booleans()):
        options["--weeks"] = str(draw(st.integers(0, 12)))  # 0: no log
    if draw(st.booleans()):
        options["--layout"] = draw(st.sampled_from(LAYOUTS))
    if draw(st.booleans()):
        options["--paper"] = draw(st.sampled_from(("letter", "a4", "A4")))
    if draw(st.booleans()):
        options["--lang"] = "en"
    if args[1:] == ["--program", "sciatica-gentle"] and draw(st.integers(0, 3)):
        options["--choose"] = draw(st.sampled_from(sum(PROGRAM_GROUPS["sciatica-gentle"], ())))
    if draw(st.integers(0, 2)):
        option = draw(st.sampled_from(("--patient", "--therapist", "--notes", "--date", "--weeks",
                                       "--layout", "--paper", "--lang", "--password")))  # fmt: skip
        pools = {
            "--date": ("2026-02-30", "2026-2-3", "tomorrow", "²⁰²⁶-01-01", "2026-02-03x", "",
                       "99999-01-01", "\udcff"),
            "--weeks": ("13", "²", "1²", "-1", "1.5", "nan", "99999999999999999999"),
            "--layout": ("nope", "Compact", "compact.yaml", "/dev/null", "", "\udcff"),
            "--paper": ("legal", "A5", ""),
            "--lang": ("ES", "fr", "no", "", "e\u0301s", "\udcff"),
            "--password": ("\udcff", "x" * 200, "é" * 64, "", "pässwörd"),
        }  # fmt: skip
        if option in pools:
            value = draw(st.sampled_from(pools[option]))
            valid = False
        else:
            base = options.get(option, "Jane")
            bad = draw(st.sampled_from((*CONTROL, *EMOJI, *MARKUP, "LONG")))
            value = base + " " + ("Anna " * 2000 if bad == "LONG" else bad) + " end"
            # markup prints as typed; a line break in a name is folded to one line
            valid = bad in MARKUP or (
                option != "--notes" and bad in ("\n", "\r", "\r\n", "\t", "\u2028", "\u2029")
            )
        options[option] = value
        # a file given to --layout may be named by its path instead of the option
        culprits = (option, value) if option == "--layout" and "/" in value else (option,)
        refuse = option == "--password" and len(value.encode("utf-8", "surrogateescape")) > 127
        mutation = f"{option}={value[:60]!r}{'...' if len(value) > 60 else ''}"
        patient = options["--patient"]
    for option, value in options.items():
        args += [option, value]
    expect = ()
    if options.get("--lang", "en") == "en" and (valid or culprits != ("--patient",)):
        expect = (f"For: {' '.join(patient.split())}",)
    return Case({}, args, valid, culprits, expect, mutation, refuse)
