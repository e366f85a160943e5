"""Compose: choose exercises from the library and turn them into a Handout, exactly what will print.

No reportlab here: a Handout is plain data that the renderer lays out.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from handouts.dose import dose_parts, dose_sentences
from handouts.errors import InputError
from handouts.language import Labels, Missing, localize
from handouts.model import LINKS, Brand, Choice, Disclaimers, Dose, Exercise, Library, Program
from handouts.names import broken_error, lookup
from handouts.text import clean

# the labels (in the library's languages:) for a version's heading and its links
VERSION_LABELS = {"harder": "version_harder", "easier": "version_easier",
                  "alternatives": "version_alternative", "other": "version_other"}  # fmt: skip
IN_HANDOUT = {"easier": "link_easier", "harder": "link_harder", "alternatives": "link_alternative"}
ELSEWHERE = {"easier": "ask_easier", "harder": "ask_harder", "alternatives": "ask_alternative"}
REVERSE = {"harder": "easier", "easier": "harder", "alternatives": "alternatives"}


@dataclass(frozen=True)
class Item:
    """One exercise as printed: its number, dose sentences and links to its other versions."""

    number: str  # "1", or "1b" for a version printed right after exercise 1
    exercise: Exercise
    dose: tuple[str, ...]
    label: str = ""  # "Harder version of 1" for a version; "" for a main exercise
    links: tuple[str, ...] = ()
    # "Your therapist chose this one for you, not Cobra pose.": printed under the title of an
    # exercise chosen over its alternatives (--choose); "" when nobody chose
    chosen: str = ""
    notes: str = ""  # the therapist's note on this exercise
    # the numbers of a group of alternatives nobody chose between ("2", "2b"): the card prints a
    # box for the therapist to tick beside each; () when there is nothing to choose
    pick: tuple[str, ...] = ()
    # not today's exercise: a harder version to do later, or an easier one to do instead if this
    # one is too hard ("harder", "easier"); "" for an exercise to do
    later: str = ""
    amount: Dose = Dose()  # the dose the sentences say
    times_per_day: int = 1  # (the weekly log has a box for each time a day)
    # what each picture shows, in words ("Start: On your back, knees bent"), printed under it;
    # also its alternative text
    captions: tuple[str, ...] = ()
    arrow_key: str = ""  # "Arrows show which way to move.": on the first item with an arrow
    facts: str = ""  # "Level: Beginner · Works: hamstrings, glutes" (or "" when none is known)


@dataclass(frozen=True)
class PlanRow:
    """One row of the plan (the summary at a glance, the weekly log): an exercise to do, or a
    group of alternatives of which the patient does the one ticked ("2 or 2b")."""

    number: str  # "1", or "2 or 2b"
    title: str  # "Child's pose or Cobra pose"
    items: tuple[Item, ...]  # the exercise, or each alternative
    how_much: tuple[str, ...]  # dose sentences without the how-often ones
    how_often: tuple[str, ...]  # "Do this 2 times a day, every day."


def picture_captions(exercise: Exercise, labels: Labels) -> tuple[str, ...]:
    """The start and end pictures' captions: 'Start: On your back, knees bent', or 'Start' and
    'End' alone when the library says nothing more; () for an exercise without pictures."""
    if exercise.figure is None and not exercise.images:
        return ()
    names = (labels["start"], labels["end"])[: len(exercise.images) or 2]
    if not exercise.captions:
        return names
    return tuple(f"{labels.fill('label', label=name)} {text}"
                 for name, text in zip(names, exercise.captions, strict=False))  # fmt: skip


def facts_line(exercise: Exercise, labels: Labels) -> str:
    """'Level: Beginner · Works: hamstrings, glutes · Also works: calves', in the handout's
    language, from what the library gives (any part may be missing); '' for none."""
    parts = []
    if exercise.level:
        parts.append(f"{labels.label('level')} {labels['level_' + exercise.level]}")
    for key in ("primary_muscles", "secondary_muscles"):
        muscles = getattr(exercise, key)
        if muscles:
            parts.append(f"{labels.label(key)} {', '.join(muscles)}")
    return " \u00b7 ".join(parts)


def has_arrows(exercise: Exercise) -> bool:
    """Whether the exercise's printed pictures carry arrows (the line-art figure's)."""
    f = exercise.figure
    if f is None or exercise.images:
        return False
    return bool(f.arrow or f.turn or f.close_up or any(v.arrow for v in f.views))


def with_pictures(items: Sequence[Item], labels: Labels) -> list[Item]:
    """The items with their captions, and the arrow key on the first one whose pictures have
    arrows (once per handout)."""
    out, keyed = [], False
    for item in items:
        key = ""
        if not keyed and has_arrows(item.exercise):
            key, keyed = labels["arrow_key"], True
        out.append(replace(item, captions=picture_captions(item.exercise, labels), arrow_key=key))
    return out


@dataclass(frozen=True)
class Handout:
    title: str
    intro: str
    brand: Brand
    disclaimers: Disclaimers
    items: tuple[Item, ...]
    date: dt.date
    labels: Labels
    patient: str = ""
    therapist: str = ""
    notes: str = ""
    program_id: str = ""
    paper: str = "letter"
    log_weeks: int = 0  # pages of the weekly log to tick
    plan: tuple[PlanRow, ...] = ()  # what to do: the summary's and the log's rows
    fallbacks: tuple[Missing, ...] = ()  # text printed in English: no translation (a warning)

    @property
    def lang(self) -> str:
        """The language code the handout is in: 'en', 'es'."""
        return self.labels.code

    def texts(self) -> Iterator[tuple[str, str]]:
        """Every piece of text that will print, with where it came from (for glyph checks)."""
        yield "the handout title", self.title
        yield "the program intro", self.intro
        yield "--patient", self.patient
        yield "--therapist", self.therapist
        yield "--notes", self.notes
        yield from brand_texts(self.brand)
        yield from disclaimer_texts(self.disclaimers)
        where = f"the {self.labels.language.name} labels ({self.labels.language.origin[0]})"
        yield from ((where, text) for text in self.labels.texts())
        for item in self.items:
            e = item.exercise
            where = f"exercise '{e.id}' ({e.origin})"
            yield from exercise_texts(e, where)
            for text in (*item.dose, *item.links, item.label, item.chosen, item.notes,
                         *item.captions, item.arrow_key, item.facts):  # fmt: skip
                yield where, text


def brand_texts(brand: Brand) -> Iterator[tuple[str, str]]:
    """The brand's printed fields, each with where it came from."""
    for field in (
        "name",
        "tagline",
        "phone",
        "email",
        "website",
        "address",
        "footer",
        "qr_caption",
    ):
        yield f"brand {field} ({brand.origin})", getattr(brand, field)


def disclaimer_texts(d: Disclaimers) -> Iterator[tuple[str, str]]:
    fields = (
        "red_flags_title",
        "red_flags",
        "red_flags_action",
        "safety_title",
        "safety",
        "footer",
    )
    for field in fields:
        value = getattr(d, field)
        for text in value if isinstance(value, tuple) else (value,):
            yield f"disclaimers {field} ({d.origin})", text


def exercise_texts(e: Exercise, where: str) -> Iterator[tuple[str, str]]:
    """An exercise's printed text: title, purpose, position, equipment, steps, tips, cautions."""
    for field in ("title", "purpose", "position"):
        yield f"{where} {field}", getattr(e, field)
    for field in ("equipment", "steps", "tips", "cautions", "primary_muscles",
                  "secondary_muscles"):  # fmt: skip
        for text in getattr(e, field):
            yield f"{where} {field}", text


def find_exercise(library: Library, name: str) -> Exercise:
    """An exercise by id, title or alias (any case, spaces or hyphens; see handouts.names);
    unknown names suggest the closest. An exercise left out for its problems is an error
    listing them."""
    found = lookup(library, name)
    if found is not None:
        if found in library.broken:
            raise broken_error(library, found)
        return library.exercises[found]
    key = _key(name)
    names = list(library.exercises)
    aliases = {_key(a): e.id for e in library.exercises.values() for a in e.aliases}
    guesses = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    guesses += [aliases[k] for k in difflib.get_close_matches(key, list(aliases), n=2, cutoff=0.6)]
    guesses = list(dict.fromkeys(guesses))[:3]
    hint = f" Did you mean {_either(guesses)}?" if guesses else ""
    raise InputError(f"unknown exercise '{name}'.{hint} Run 'handouts list' to see them all.")


def find_program(library: Library, name: str) -> Program:
    if name in library.programs:
        return library.programs[name]
    guesses = difflib.get_close_matches(name, list(library.programs), n=3, cutoff=0.5)
    hint = f" Did you mean {_either(guesses)}?" if guesses else ""
    choices = ", ".join(sorted(library.programs))
    raise InputError(f"unknown program '{name}'.{hint} The programs are: {choices}.")


def compose(
    library: Library,
    brand: Brand,
    *,
    ids: Sequence[str] = (),
    program: str | None = None,
    choices: Sequence[Choice] = (),
    choose: Sequence[str] = (),
    doses: Sequence[tuple[str, Dose]] = (),
    exercise_notes: Sequence[tuple[str, str]] = (),
    patient: str = "",
    therapist: str = "",
    notes: str = "",
    date: dt.date,
    paper: str = "letter",
    log_weeks: int = 0,
    versions: str = "cards",
    lang: str = "en",
    allow_fallback: bool = False,
) -> Handout:
    """What will print, in language `lang` (see language.localize: a missing translation is an
    error unless `allow_fallback`). `choices` (a prescription) replace the program's exercises,
    each with its own dose changes and note; the program still gives the title and intro.

    `choose` names, for a group of versions (an exercise and the versions printed after it:
    child's pose or cobra pose, knee to opposite shoulder or pigeon pose), the one the patient
    does: only that one prints, numbered as the group, and the others are named in a line. A
    group nobody chose prints each alternative with a box for the therapist to tick, and a
    harder (or easier) version as a later step (or one to do instead), never as an extra
    exercise today. `doses` and `exercise_notes` (exercise id or alias, then the change) change
    one exercise's dose fields and note, over a prescription's.
    `versions='mention'` leaves a program's harder and easier versions out as exercises of
    their own: the exercise they belong to names them instead."""
    if not ids and not program and not choices:
        raise InputError(
            "choose what to print: give exercise ids (handouts build glute-bridge hip-hinge) "
            "or a program (handouts build --program sciatica). "
            "'handouts list' and 'handouts programs' show the choices."
        )
    prog = find_program(library, program) if program else None
    chosen, ticked = _selection(library, ids, prog, choices)
    chosen, dropped = _choose(chosen, choose, library, ticked)
    if versions == "mention":  # harder and easier versions are named; alternatives still print
        by_id = {e.id: e for e, _ in chosen}
        chosen = [(e, c) for e, c in chosen if not c.variant_of or c.variant_of not in by_id
                  or _relation(by_id[c.variant_of], e) not in ("harder", "easier")]  # fmt: skip
    chosen = _changed(chosen, doses, exercise_notes, library)
    seen = {e.id for e, _ in chosen}
    linked = {t for e, _ in chosen for relation in LINKS for t in getattr(e, relation)} - seen
    for target in sorted(linked & set(library.broken)):  # its title prints in a link line
        raise broken_error(library, target)
    local = localize(library, brand, lang, exercises=tuple(seen), titles=tuple(linked),
                     program=prog.id if prog else None, allow_fallback=allow_fallback)  # fmt: skip
    library, labels = local.library, local.labels
    chosen = [(library.exercises[exercise.id], choice) for exercise, choice in chosen]
    items = _number(chosen, labels)
    items = list(_as_chosen(_with_links(items, library, labels, dropped), library, labels,
                            dropped))  # fmt: skip
    items = with_pictures(items, labels)
    if prog is not None:
        prog = library.programs[prog.id]
    title, intro = (
        (prog.title, prog.intro) if prog else (labels["custom_title"], labels["custom_intro"])
    )
    return Handout(
        title=title,
        intro=intro,
        brand=local.brand,
        disclaimers=library.disclaimers,
        items=tuple(items),
        date=date,
        labels=labels,
        fallbacks=local.fallbacks,
        patient=one_line(patient),
        therapist=one_line(therapist),
        notes=clean(notes).strip(),
        program_id=prog.id if prog else "",
        paper=paper,
        log_weeks=log_weeks,
        plan=tuple(plan_rows(items, labels)),
    )


def _selection(
    library: Library, ids: Sequence[str], prog: Program | None, choices: Sequence[Choice]
) -> tuple[list[tuple[Exercise, Choice]], set[str]]:
    """The exercises asked for, in order, each once: a prescription's (or the program's), then
    the ids; and the ids of those asked for on their own (the ids not already there)."""
    if not choices and prog is not None:
        choices = [Choice(e.id, e.variant_of) for e in prog.entries]
    chosen: list[tuple[Exercise, Choice]] = []
    seen: set[str] = set()
    ticked: set[str] = set()
    for index, choice in enumerate([*choices, *(Choice(name) for name in ids)]):
        exercise = find_exercise(library, choice.id)
        if exercise.id in seen:
            continue
        seen.add(exercise.id)
        chosen.append((exercise, choice))
        if index >= len(choices):
            ticked.add(exercise.id)
    return chosen, ticked


def version_groups(
    library: Library,
    *,
    ids: Sequence[str] = (),
    program: str | None = None,
    choices: Sequence[Choice] = (),
) -> list[list[str]]:
    """The groups of versions in what `compose` would print for this selection, in order, each
    the ids of an exercise and its versions: what `choose` can choose between (one of each
    group). Unknown ids and programs raise as compose does."""
    prog = find_program(library, program) if program else None
    chosen, ticked = _selection(library, ids, prog, choices)
    return [m for m in _choice_groups(chosen, ticked).values() if len(m) > 1]


def _choice_groups(
    chosen: list[tuple[Exercise, Choice]], ticked: set[str] = frozenset()
) -> dict[str, list[str]]:
    """The groups `choose` chooses in: the groups of versions (_groups), with each exercise
    asked for on its own (`ticked`: an id) joining the first group holding an exercise the
    library links it to as a version (child's pose and cobra pose, both ticked), in order."""
    groups = _groups(chosen)
    by_id = {e.id: e for e, _ in chosen}
    merged: dict[str, list[str]] = {}
    for main, members in groups.items():
        linked = None
        if main in ticked and len(members) == 1:
            linked = next((g for g in merged if any(_linked(by_id[m], by_id[main])
                                                    for m in merged[g])), None)  # fmt: skip
        if linked is None:
            merged[main] = list(members)
        else:
            merged[linked].extend(members)
    return merged


def _linked(one: Exercise, other: Exercise) -> bool:
    """`one` and `other` are versions of each other by either one's links."""
    return any(other.id in getattr(one, r) or one.id in getattr(other, r) for r in REVERSE)


def _groups(chosen: list[tuple[Exercise, Choice]]) -> dict[str, list[str]]:
    """Each main exercise's id -> the ids of it and the versions printed after it, in order."""
    main_of: dict[str, str] = {}
    groups: dict[str, list[str]] = {}
    for exercise, choice in chosen:
        parent = choice.variant_of
        main = main_of.get(parent or "", exercise.id)
        main_of[exercise.id] = main
        groups.setdefault(main, []).append(exercise.id)
    return groups


def _choose(
    chosen: list[tuple[Exercise, Choice]],
    choose: Sequence[str],
    library: Library,
    ticked: set[str] = frozenset(),
) -> tuple[list[tuple[Exercise, Choice]], dict[str, str]]:
    """`chosen` with each group of versions that `choose` names cut to the one chosen (now a
    main exercise, in the group's place), and {each left-out id: the id chosen over it}."""
    if not choose:
        return chosen, {}
    groups = _choice_groups(chosen, ticked)
    group_of = {member: main for main, members in groups.items() for member in members}
    picked: dict[str, str] = {}  # group -> the id chosen
    for name in choose:
        exercise = find_exercise(library, name)
        main = group_of.get(exercise.id)
        if main is None or len(groups[main]) < 2:
            where = "is not in this handout" if main is None else (
                "has no other version in this handout to choose between")  # fmt: skip
            between = [" or ".join(m) for m in groups.values() if len(m) > 1]
            hint = (f"; the choices are: {'; '.join(between)}" if between
                    else "; this handout has no versions to choose between")  # fmt: skip
            raise InputError(f"cannot choose '{name}': '{exercise.id}' {where}{hint}")
        if picked.get(main, exercise.id) != exercise.id:
            raise InputError(
                f"cannot choose both '{picked[main]}' and '{exercise.id}': they are versions "
                "of the same exercise; choose one"
            )
        picked[main] = exercise.id
    dropped = {m: picked[main] for main in picked for m in groups[main] if m != picked[main]}
    out: list[tuple[Exercise, Choice]] = []
    for exercise, choice in chosen:
        main = group_of[exercise.id]
        if main not in picked:
            out.append((exercise, choice))
        elif exercise.id == main:  # the group's place: the chosen one, as a main exercise
            winner = next((e, c) for e, c in chosen if e.id == picked[main])
            out.append((winner[0], replace(winner[1], variant_of=None)))
    return out, dropped


def _changed(
    chosen: list[tuple[Exercise, Choice]],
    doses: Sequence[tuple[str, Dose]],
    notes: Sequence[tuple[str, str]],
    library: Library,
) -> list[tuple[Exercise, Choice]]:
    """`chosen` with one exercise's dose fields and note changed (the command line's, over a
    prescription's); each names an exercise of this handout."""
    index = {e.id: i for i, (e, _) in enumerate(chosen)}
    out = list(chosen)
    for what, changes in (("dose", doses), ("note", notes)):
        for name, change in changes:
            exercise = find_exercise(library, name)
            if exercise.id not in index:
                printed = ", ".join(index)
                raise InputError(
                    f"--{what} {name}: '{exercise.id}' is not in this handout; its exercises "
                    f"are: {printed}"
                )
            e, c = out[index[exercise.id]]
            if what == "dose":
                c = replace(c, dose=c.dose.overridden_by(change))  # type: ignore[arg-type]
            else:
                c = replace(c, notes=change)  # type: ignore[arg-type]
            out[index[exercise.id]] = (e, c)
    return out


def _number(chosen: list[tuple[Exercise, Choice]], labels: Labels) -> list[Item]:
    """Main exercises are 1, 2, 3...; a version printed after its exercise is 1b, 1c...; each
    version is marked as an alternative to tick (pick) or a later step (later)."""
    items: list[Item] = []
    numbers: dict[str, str] = {}
    mains: dict[str, str] = {}  # each exercise's main number: a version of a version counts there
    versions: dict[str, int] = {}
    picks: dict[str, list[str]] = {}  # a main number -> the numbers to tick between
    count = 0
    for exercise, choice in chosen:
        parent_id = choice.variant_of
        later = ""
        if parent_id and parent_id in numbers:
            parent_number, main = numbers[parent_id], mains[parent_id]
            versions[main] = versions.get(main, 0) + 1
            number = f"{main}{version_letters(versions[main])}"
            mains[exercise.id] = main
            parent = next(i for i in items if i.exercise.id == parent_id)
            relation = _relation(parent.exercise, exercise)
            label = labels.fill(VERSION_LABELS[relation], n=parent_number)
            # a version of a later step is later too; an alternative is ticked between
            later = parent.later or (relation if relation in ("harder", "easier") else "")
            if not later:
                picks.setdefault(main, [main]).append(number)
        else:
            count += 1
            number, label = str(count), ""
            mains[exercise.id] = number
        numbers[exercise.id] = number
        dose = exercise.dose.overridden_by(choice.dose)
        items.append(Item(number, exercise, tuple(dose_sentences(dose, labels)), label,
                          notes=clean(choice.notes).strip(), later=later, amount=dose,
                          times_per_day=dose.times_per_day or 1,
                          facts=facts_line(exercise, labels)))  # fmt: skip
    pick_of = {n: tuple(group) for group in picks.values() for n in group}
    return [replace(i, pick=pick_of.get(i.number, ())) for i in items]


def plan_rows(items: Sequence[Item], labels: Labels) -> Iterator[PlanRow]:
    """The exercises to do, in order: one row each, one row for a group of alternatives
    ("2 or 2b"); harder and easier versions (later steps) have none."""
    done: set[str] = set()
    for item in items:
        if item.later or item.number in done:
            continue
        group = [i for i in items if i.number in item.pick] if item.pick else [item]
        done.update(i.number for i in group)
        parts = [dose_parts(i.amount, labels) for i in group]
        if all(p == parts[0] for p in parts):
            how_much, how_often = parts[0]
        else:  # each alternative's own dose, after its number
            how_much = tuple(
                f"{i.number}: {' '.join(p[0])}" for i, p in zip(group, parts, strict=True)
            )
            how_often = tuple(f"{i.number}: {' '.join(p[1])}" for i, p in zip(group, parts, strict=True)
                              if p[1])  # fmt: skip
        yield PlanRow(
            number=either([i.number for i in group], labels),
            title=either([i.exercise.title for i in group], labels),
            items=tuple(group),
            how_much=tuple(how_much),
            how_often=tuple(how_often) or (labels["ask_how_often"],),
        )


def either(texts: Sequence[str], labels: Labels) -> str:
    """'2', '2 or 2b', '2, 2b or 2c' (in the handout's language)."""
    if len(texts) == 1:
        return texts[0]
    return labels.fill("either", first=", ".join(texts[:-1]), last=texts[-1])


def version_letters(n: int) -> str:
    """The letters of a main exercise's `n`th version: b, c, ..., z, then aa, ab, ... (the main
    exercise itself is 'a'), so any number of versions gets a number of its own."""
    n += 1  # 1 is 'a'
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def _relation(parent: Exercise, version: Exercise) -> str:
    """How `version` relates to `parent`, from either one's links (a clinic may have replaced one)."""
    for relation, reverse in REVERSE.items():
        if version.id in getattr(parent, relation) or parent.id in getattr(version, reverse):
            return relation
    return "other"


def _with_links(
    items: list[Item], library: Library, labels: Labels, dropped: dict[str, str] | None = None
) -> Iterator[Item]:
    """Add 'Too hard? Try...' lines that point to the other versions, in this handout or not;
    an alternative the therapist chose over (`dropped`: left-out id -> the one chosen) is named
    as not for this patient. Alternatives to tick between need no line: the boxes say it."""
    dropped = dropped or {}
    numbers = {item.exercise.id: item.number for item in items}
    for item in items:
        links = []
        for relation in IN_HANDOUT:
            for target in getattr(item.exercise, relation):
                title = library.exercises[target].title
                if target in numbers and numbers[target] in item.pick:
                    continue
                if target in numbers:
                    links.append(labels.fill(IN_HANDOUT[relation], n=numbers[target], title=title))
                elif dropped.get(target) == item.exercise.id and relation == "alternatives":
                    continue  # (_as_chosen says it, under the title)
                else:
                    links.append(labels.fill(ELSEWHERE[relation], title=title))
        yield replace(item, links=tuple(links))


def _as_chosen(
    items: Iterable[Item], library: Library, labels: Labels, dropped: dict[str, str]
) -> Iterator[Item]:
    """Each exercise the therapist chose over its other versions (`dropped`: each left-out id
    -> the one chosen) as chosen: "Your therapist chose this one for you, not Cobra pose."
    (`chosen`, under its title) for the alternatives it was chosen over, and without the tips
    that are only for while nobody has chosen (`when: not chosen`: "Ask which one is right for
    you")."""
    for item in items:
        e = item.exercise
        over = [d for d, winner in dropped.items() if winner == e.id]
        if not over:
            yield item
            continue
        # (the alternatives it names itself: their titles are in the handout's language)
        titles = [library.exercises[d].title for d in over if d in e.alternatives]
        line = labels.fill("chosen_instead", title=either(titles, labels)) if titles else ""
        whens = e.tips_when or ("",) * len(e.tips)
        tips = tuple(tip for tip, when in zip(e.tips, whens, strict=True) if when != "not chosen")
        yield replace(item, exercise=replace(e, tips=tips, tips_when=()), chosen=line)


def one_line(text: str) -> str:
    """A name prints on one line: line breaks and runs of spaces become single spaces."""
    return " ".join(clean(text).split())


def _key(name: str) -> str:
    return re.sub(r"[\s_-]+", " ", name.strip().lower())


def _either(names: list[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
