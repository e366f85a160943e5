"""`handouts check`: everything wrong with a clinic's files, before a patient sees it.

Loads the built-in library plus the clinic's library, brand and layout in one pass and lists every
problem together; adds the reading grade of each exercise's and disclaimer's patient text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from handouts.errors import HandoutsError, ValidationError
from handouts.model import NOT_PRINTED, Library

GRADE_LIMIT = 8.0  # NIH and CDC: grade 8 or lower; aim for 6
STEP_WORDS = 25  # a step over this many words is hard to follow: split it or say it simply
MOST_STEPS = 12  # an exercise with more steps is hard to follow
# several actions in one step: more than one sentence, or "and then" / ", then"
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
THEN = re.compile(r"\b(?:and then|, then|y luego|y después|, luego|, después)\b", re.IGNORECASE)
PATIENT_TEXT = ("purpose", "position", "steps", "tips", "cautions")
SENTENCE = re.compile(r"[^.!?]+[.!?]*")
WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    grades: list[tuple[str, float]] = field(default_factory=list)  # (what, Flesch-Kincaid grade)
    checked: list[str] = field(default_factory=list)  # the files read
    languages: list[dict] = field(default_factory=list)  # code, name, status, note, missing
    left_out: list[str] = field(default_factory=list)  # exercises with problems (left out)

    def summary(self) -> str:
        """One line: what was found, in which files, and the translations checked."""
        counts = [f"{len(items)} {name}{'s' if len(items) != 1 else ''}"
                  for name, items in (("problem", self.problems), ("warning", self.warnings))
                  if items]  # fmt: skip
        found = ", ".join(counts) if counts else "No problems found"
        files = ", ".join(Path(f).name for f in self.checked) or "nothing could be read"
        codes = [f"{lang['code']} ({lang['status']})" for lang in self.languages
                 if lang["code"] != "en"]  # fmt: skip
        translations = (f"translations checked: {', '.join(codes)}" if codes else
                        "no translations checked (list them in the library file: languages: "
                        "[es], or give --lang)")  # fmt: skip
        left = f"; {len(self.left_out)} exercise(s) left out" if self.left_out else ""
        return f"{found}{left}. Checked {files}; {translations}."

    def as_dict(self) -> dict:
        return {
            "files": self.checked,
            "languages": self.languages,
            "problems": self.problems,
            "warnings": self.warnings,
            "left_out": self.left_out,
            "readability": [
                {"text": what, "grade": round(grade, 1)} for what, grade in self.grades
            ],
        }


def check(
    library: Path | None = None,
    brand: Path | None = None,
    layout: str = "standard",
    languages: Sequence[str] = (),
) -> Report:
    """Check the built-in library with `library` on top, `brand` and `layout`, and the text of
    `languages` (all the library's when empty); never raises for bad content: every problem
    found is in the report."""
    from handouts.load import load_library
    from handouts.load.brand import load_brand
    from handouts.load.layout import load_layout

    report = Report()
    loaded = {}
    for name, load, arg in (("library", load_library, library), ("brand", load_brand, brand),
                            ("layout", load_layout, layout)):  # fmt: skip
        try:
            loaded[name] = load(arg)
        except ValidationError as exc:
            report.problems += exc.problems
        except HandoutsError as exc:
            report.problems.append(exc.format_message())
    report.checked = [str(p) for p in loaded["library"].files] if "library" in loaded else []
    report.checked += [
        str(p) for p in (brand, loaded.get("layout") and loaded["layout"].origin) if p
    ]
    if "library" in loaded:
        found = loaded["library"]
        report.problems += [p for problems in found.broken.values() for p in problems]
        report.left_out = list(found.broken)
        report.warnings += found.name_warnings
        _pictures(found, report)
        _readability(found, report)
        _plain_steps(found, languages or found.declared, report)
        _translations(loaded["library"], loaded.get("brand"), languages, report)
    if "layout" in loaded:  # what no text could fit, on either paper (--paper may change it)
        from handouts.render.pdf import fit_problems
        from handouts.render.styles import PAPERS

        found = [p for paper in PAPERS for p in fit_problems(loaded["layout"], paper)]
        report.problems += list(dict.fromkeys(found))
    if "library" in loaded and "layout" in loaded:
        brand = loaded.get("brand")
        font = (brand.font if brand is not None else None) or loaded["layout"].font
        try:
            _glyphs(loaded["library"], brand, font, report)
        except HandoutsError as exc:  # a font file reportlab cannot read
            report.problems.append(exc.format_message())
    return report


def _translations(library: Library, brand, codes: Sequence[str], report: Report) -> None:
    """Each language's review status, and every piece of text it lacks (a problem: a handout in
    that language cannot be printed without --allow-fallback). A translated list with another
    number of items than the English is a warning: a step may have been left out."""
    from handouts.language import LABELS, Missing, language_of, missing_in

    things = [*library.exercises.values(), *library.programs.values(), library.disclaimers]
    things += [brand] if brand is not None else []
    chosen = [library.languages[code] for code in library.declared]  # the file's languages:
    try:
        chosen = [language_of(library, code) for code in codes] or chosen
    except HandoutsError as exc:
        report.problems.append(exc.format_message())
    for thing in things:  # text in a language no languages: entry declares never prints
        for code in thing.translations.texts:
            if code not in library.languages:
                file, line = next(iter(thing.translations.lines.values()), ("", 0))
                report.warnings.append(
                    f"{file}:{line}: {thing.translations.where}: translations.{code} is in a "
                    f"language the library does not have; add a languages: {code}: entry"
                )
    for language in chosen:
        code = language.code
        missing = [str(m) for thing in things for m in missing_in(thing, code)]
        file, line = language.origin
        missing += [str(Missing(file, line, f"languages.{code}.labels.{key}", code))
                    for key in LABELS if key not in language.labels]  # fmt: skip
        report.problems += missing
        report.languages.append({"code": code, "name": language.name, "status": language.status,
                                 "note": language.note, "missing": len(missing)})  # fmt: skip
        for thing in things:
            for name, text in thing.translations.texts.get(code, {}).items():
                if name in NOT_PRINTED:  # (the tips' when:s: counted with the tips)
                    continue
                english = getattr(thing, name, None)
                lists = isinstance(text, tuple) and isinstance(english, tuple) and english
                if lists and len(text) != len(english):
                    file, line = thing.translations.lines.get(name, ("", 0))
                    report.warnings.append(
                        f"{file}:{line}: {thing.translations.where}: {name} has "
                        f"{len(english)} items in English but {len(text)} in {code}"
                    )


def _plain_steps(library: Library, codes: Sequence[str], report: Report) -> None:
    """Steps that are hard to follow (several actions, over STEP_WORDS words, more than
    MOST_STEPS of them), in English and in each language checked, and words of the plain
    language list (plain-words.yaml) in the English, each a warning at its file and line."""
    words, plainer = _plain_words()
    lines = _Lines(library)
    found: list[tuple[str, tuple, str]] = []  # (exercise id, key path in it, what)
    for e in library.exercises.values():
        versions = [((), e.steps)]
        for code in codes:
            steps = e.translations.texts.get(code, {}).get("steps")
            if code != "en" and isinstance(steps, tuple):
                versions.append((("translations", code), steps))
        for at, steps in versions:
            path = ".".join((*at, "steps"))
            if len(steps) > MOST_STEPS:
                found.append((e.id, (*at, "steps"), f"{path} has {len(steps)} steps: more than "
                              f"{MOST_STEPS} are hard to follow; split the exercise in two or "
                              "leave some out"))  # fmt: skip
            for i, step in enumerate(steps):
                where, problem = (*at, "steps", i), ""
                sentences = len(SENTENCE_END.split(step.strip()))
                if sentences > 1:
                    problem = f"{sentences} sentences"
                elif THEN.search(step):
                    problem = f"'{THEN.search(step).group(0).strip(', ')}'"  # type: ignore[union-attr]
                if problem:
                    found.append((e.id, where, f"{path}[{i}] may hold several actions "
                                  f"({problem}): give each action its own step"))  # fmt: skip
                count = len(step.split())
                if count > STEP_WORDS:
                    found.append((e.id, where, f"{path}[{i}] has {count} words: keep a step to "
                                  f"about {STEP_WORDS} (split it, or say it more simply)"))  # fmt: skip
        for name in PATIENT_TEXT:
            value = getattr(e, name)
            for i, text in enumerate(value) if isinstance(value, tuple) else [(None, value)]:
                for match in words.finditer(text):
                    shown = f"{name}[{i}]" if i is not None else name
                    word = match.group(0)
                    better = plainer[match.group(1).lower()]
                    found.append((e.id, (name,) if i is None else (name, i),
                                  f"{shown} says '{word}': say '{better}' (plain language)"))  # fmt: skip
    for exercise_id, path, what in found:
        e = library.exercises[exercise_id]
        report.warnings.append(f"{lines.at(e, path)}: {e.translations.where}: {what}")


@cache
def _plain_words():
    """The plain-language list (handouts/plain-words.yaml) as one pattern and {word: plainer}."""
    import yaml

    text = (Path(__file__).parent / "plain-words.yaml").read_text(encoding="utf-8")
    plainer = {str(k).lower(): str(v) for k, v in yaml.safe_load(text).items()}
    choices = "|".join(re.escape(k) for k in sorted(plainer, key=len, reverse=True))
    pattern = re.compile(rf"\b({choices})(?:s|es|d|ed|ing|ly)?\b", re.IGNORECASE)
    return pattern, plainer


class _Lines:
    """The line of a key path in an exercise, read from its file only when a warning needs it
    (the library itself may come from the cache, without the YAML)."""

    def __init__(self, library: Library) -> None:
        self.files = {str(path): path for path in library.files}
        self.read: dict[str, tuple] = {}

    def at(self, exercise, path: tuple) -> str:
        file, _, line = exercise.origin.rpartition(":")
        if file not in self.read:
            from handouts.load.source import read_yaml

            try:
                source = read_yaml(self.files.get(file, Path(file)), "library file")
            except HandoutsError:
                self.read[file] = (None, {})
            else:
                items = source.data.get("exercises") if isinstance(source.data, dict) else None
                index = {item.get("id"): i for i, item in enumerate(items or [])
                         if isinstance(item, dict)}  # fmt: skip
                self.read[file] = (source, index)
        source, index = self.read[file]
        if source is None or exercise.id not in index:
            return exercise.origin
        return f"{file}:{source.line(('exercises', index[exercise.id], *path))}"


def _pictures(library: Library, report: Report) -> None:
    """Every exercise has pictures, and every photo opens as a sound PNG or JPEG (its header, a
    PNG's checksums, a JPEG's end) of at most MAX_PIXELS: checked without decoding a photo's
    pixels or making it again (the library's folder was checked when it was loaded)."""
    from handouts.render.images import inspect_picture

    for e in library.exercises.values():
        if e.figure is None and not e.images:
            report.problems.append(
                f"{e.origin}: exercise '{e.id}' has no pictures: give it a figure: or images:"
            )
        for path in e.images:
            try:
                inspect_picture(path, f"the picture for exercise '{e.id}' ({e.origin})")
            except HandoutsError as exc:
                report.problems.append(exc.format_message())


def _glyphs(library: Library, brand, font, report: Report) -> None:
    """Every character of every language's text and labels, against the font that prints it."""
    from handouts.compose import brand_texts, disclaimer_texts, exercise_texts
    from handouts.language import Labels
    from handouts.render.fonts import font_family, missing_glyphs

    texts: list[tuple[str, str]] = []
    for e in library.exercises.values():
        texts += exercise_texts(e, f"{e.origin}: exercise '{e.id}'")
    for p in library.programs.values():
        texts += [(f"{p.origin}: program '{p.id}' title", p.title),
                  (f"{p.origin}: program '{p.id}' intro", p.intro)]  # fmt: skip
    texts += disclaimer_texts(library.disclaimers)
    if brand is not None:
        texts += brand_texts(brand)
        if brand.logo is not None:  # an SVG's text prints in the handout's font too
            from handouts.render.images import brand_logo

            texts += [(f"the logo {brand.logo}", text) for text in brand_logo(brand).texts]
    things = [*library.exercises.values(), *library.programs.values(), library.disclaimers]
    for thing in [*things, *([brand] if brand is not None else [])]:
        for code, fields in thing.translations.texts.items():
            for name, value in fields.items():
                if name in NOT_PRINTED:
                    continue
                where = f"{thing.translations.where} {name} ({code})"
                texts += [
                    (where, text) for text in (value if isinstance(value, tuple) else (value,))
                ]
    for language in library.languages.values():
        where = f"languages.{language.code}.labels ({language.origin[0]})"
        texts += [(where, text) for text in Labels(language).texts()]
    family = font_family(font)
    for char, places in missing_glyphs(family, texts).items():
        report.problems.append(
            f"the font {family.label} cannot print '{char}' (U+{ord(char):04X}), used in {', '.join(places)}"
        )


def _readability(library: Library, report: Report) -> None:
    """The Flesch-Kincaid grade of the patient text of each exercise and disclaimer."""
    pieces = []
    for e in library.exercises.values():
        text = " ".join((e.purpose, *e.steps, *e.tips, *e.cautions))
        pieces.append((f"exercise '{e.id}' ({e.origin})", text))
    for p in library.programs.values():
        if p.intro:
            pieces.append((f"program '{p.id}' intro ({p.origin})", p.intro))
    d = library.disclaimers
    pieces.append(
        (
            f"disclaimers red_flags ({d.origin})",
            " ".join((*_sentences(d.red_flags), d.red_flags_action)),
        )
    )
    pieces.append((f"disclaimers safety ({d.origin})", " ".join(d.safety)))
    for what, text in pieces:
        grade = reading_grade(text)
        report.grades.append((what, grade))
        if grade > GRADE_LIMIT:
            report.warnings.append(
                f"{what}: reads at grade {grade:.1f}, above {GRADE_LIMIT:g} "
                "(aim for 6: shorter sentences, shorter words)"
            )


def _sentences(items: tuple[str, ...]) -> list[str]:
    """List items as sentences, so a list without full stops is not read as one long sentence."""
    return [item if item.rstrip().endswith((".", "!", "?")) else f"{item}." for item in items]


@cache
def _hyphenator():
    import pyphen

    return pyphen.Pyphen(lang="en_US")


@lru_cache(maxsize=65536)  # a library says the same words many times over
def syllables(word: str) -> int:
    """Syllables in an English word, from its hyphenation points (what textstat does)."""
    return len(_hyphenator().positions(word.lower())) + 1


def reading_grade(text: str) -> float:
    """The Flesch-Kincaid grade level of English text: 0.39 words/sentence + 11.8 syllables/word
    - 15.59. Lists should end their items with full stops."""
    sentences = [s for s in SENTENCE.findall(text) if WORD.search(s)]
    words = WORD.findall(text)
    if not sentences or not words:
        return 0.0
    total = sum(syllables(w) for w in words)
    return 0.39 * len(words) / len(sentences) + 11.8 * total / len(words) - 15.59
