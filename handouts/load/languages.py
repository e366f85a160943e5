"""Read a library file's `languages:` (label catalogs) and each object's `translations:` block."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from handouts.language import COUNT, LABEL_CODE_HINT, LABELS, LANG_CODE, LIST, placeholder_problem
from handouts.load.fields import Fields, closest, describe
from handouts.model import STATUSES, TIP_WHEN, Count, LabelValue, Language, TextValue, Translations

TEXT, TEXTS, CAPTIONS = "text", "texts", "captions"  # captions: {start: ..., end: ...}
TIPS = "tips"  # texts, each a text or {text: ..., when: not chosen} (read_tips)
TIP_KEYS = ("text", "when")
CAPTION_KEYS = ("start", "end")
# the translated fields that keep their line breaks; every other one is one line (see Fields.text)
LINES = frozenset({"purpose", "position", "steps", "tips", "cautions", "intro", "footer"})
LANGUAGE_KEYS = ("name", "status", "locale", "note", "labels")


def read_translations(
    f: Fields, spec: Mapping[str, str], english: Mapping[str, str] | None = None, where: str = ""
) -> Translations:
    """`translations: {es: {title: ..., steps: [...]}}` beside the English fields of `f`.

    `spec` names each translatable field and whether it is one text or a list of them;
    `english` maps a field to the key path of its English text when that is not `f`'s own key
    of the same name (the dose's load: 'dose.load').
    """
    english = english or {}
    lines: dict[str, tuple[str, int]] = {}
    for name in spec:
        path = english.get(name, name).split(".")
        if _has(f.data, path):
            lines[name] = (f.source.name, f.source.line((*f.path, *path)))
    return Translations(_texts(f, spec), lines, where or f.label)


def _has(data: Any, path: list[str]) -> bool:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return False
        data = data[key]
    return True


def _texts(f: Fields, spec: Mapping[str, str]) -> dict[str, dict[str, TextValue]]:
    texts: dict[str, dict[str, TextValue]] = {}
    for code, one in _languages_in(f):
        one.check_keys(spec)
        texts[code] = _fields(one, spec)
    return texts


def _languages_in(f: Fields) -> Iterator[tuple[str, Fields]]:
    """Each entry of `f`'s `translations:` that has a good language code, to read its fields."""
    block = f.mapping("translations")
    for code in block.data:
        if _code_ok(block, code):
            yield code, block.mapping(code)


def _fields(f: Fields, spec: Mapping[str, str]) -> dict[str, TextValue]:
    found: dict[str, TextValue] = {}
    for name, kind in spec.items():
        if name in f.data:
            lines = name in LINES
            if kind == CAPTIONS:
                value = read_captions(f)
            elif kind == TIPS:  # (a translation's own `when:`s replace the English ones)
                value, whens = read_tips(f, name, required=True)
                if value:
                    found["tips_when"] = whens
            elif kind == TEXT:
                value = f.text(name, required=True, lines=lines)
            else:
                value = f.text_list(name, True, lines=lines)
            if value:
                found[name] = value
    return found


def read_tips(
    f: Fields, key: str = "tips", required: bool = False
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """`tips:`, each a text or `{text: ..., when: not chosen}` (a tip printed only while nobody
    has chosen between the exercise and its other versions: "Ask which one is right for you");
    the texts, and beside them each one's `when` ("" for always), or () when none has one."""
    raw = f.source.text((*f.path, key), f.data.get(key))
    if not isinstance(raw, list) or not any(isinstance(item, dict) for item in raw):
        return f.text_list(key, required, lines=True), ()  # (a plain list, or its problem)
    texts: list[str] = []
    whens: list[str] = []
    for i, item in f.items(key):
        if isinstance(item, dict):
            tip = f.entry(key, i)
            tip.check_keys(TIP_KEYS)
            text = tip.text("text", required=True, lines=True)
            when = tip.choice("when", TIP_WHEN, "") or ""
        else:
            text = f.list_item(key, i, f.source.text((*f.path, key, i), item), lines=True,
                               expected="text, or {text: ..., when: not chosen}")  # fmt: skip
            when = ""
        if text:
            texts.append(text)
            whens.append(when)
    return tuple(texts), tuple(whens) if any(whens) else ()


def read_captions(f: Fields) -> tuple[str, ...]:
    """`captions: {start: ..., end: ...}`: what each picture shows, in words; both are needed."""
    block = f.mapping("captions")
    if not block.data:
        return ()
    block.check_keys(CAPTION_KEYS)
    found = tuple(block.text(key, required=True) for key in CAPTION_KEYS)
    return found if all(found) else ()


def _code_ok(block: Fields, code: Any) -> bool:
    if not isinstance(code, str) or not LANG_CODE.fullmatch(code):
        block.problem(str(code), f"is not a language code ({LABEL_CODE_HINT})")
        return False
    if code == "en":
        block.problem(code, "is not needed: the English is the text itself")
        return False
    return True


def read_disclaimer_translations(d: Fields, parts: Iterable[str]) -> Translations:
    """The disclaimers' translations: red_flags {title, items, action}, safety {title, items},
    footer; flattened to the Disclaimers fields (red_flags_title, red_flags, ...)."""
    shape = {
        "red_flags": {
            "title": "red_flags_title",
            "items": "red_flags",
            "action": "red_flags_action",
        },
        "safety": {"title": "safety_title", "items": "safety"},
    }
    lines: dict[str, tuple[str, int]] = {}
    for part in parts:
        for key, name in shape.get(part, {}).items():
            if _has(d.data, [part, key]):
                lines[name] = (d.source.name, d.source.line((*d.path, part, key)))
        if part == "footer" and "footer" in d.data:
            lines["footer"] = (d.source.name, d.source.line((*d.path, "footer")))
    texts: dict[str, dict[str, TextValue]] = {}
    for code, one in _languages_in(d):
        one.check_keys(("red_flags", "safety", "footer"))
        found: dict[str, TextValue] = {}
        for part, names in shape.items():
            sub = one.mapping(part)
            sub.check_keys(names)
            for key, name in names.items():
                if key in sub.data:
                    value = (
                        sub.text(key, True, lines=key == "action")
                        if key != "items"
                        else sub.text_list(key, True, lines=True)
                    )
                    if value:
                        found[name] = value
        if "footer" in one.data:
            found["footer"] = one.text("footer", required=True, lines=True)
        texts[code] = found
    return Translations(texts, lines, "disclaimers")


def read_languages(top: Fields, builtin: bool) -> dict[str, tuple[Fields, dict[str, Any]]]:
    """Each `languages:` entry as the settings it gives (a clinic file may give only some, to
    change a few labels of a language the library already has), with its Fields for messages.
    A clinic's file may instead list the codes of languages the library has (`languages: [es]`):
    it translates into those, and `check` wants their text complete."""
    if not builtin and isinstance(top.data.get("languages"), list):
        return _listed_languages(top)
    block = top.mapping("languages", required=builtin)
    found: dict[str, tuple[Fields, dict[str, Any]]] = {}
    for code in block.data:
        if not isinstance(code, str) or not LANG_CODE.fullmatch(code):
            block.problem(str(code), f"is not a language code ({LABEL_CODE_HINT})")
            continue
        f = block.mapping(code, required=True)
        f.check_keys(LANGUAGE_KEYS)
        given: dict[str, Any] = {"code": code}
        for key in ("name", "locale", "note"):
            if key in f.data:
                given[key] = f.text(key, required=key != "note")
        if "locale" in given and given["locale"] and not LANG_CODE.fullmatch(given["locale"]):
            f.problem(
                "locale",
                f"must be a language tag like en-US or es-MX, got {describe(given['locale'])}",
            )
            del given["locale"]
        if "status" in f.data:
            given["status"] = f.choice("status", STATUSES)
        given["labels"], given["label_lines"] = _labels(f.mapping("labels"))
        found[code] = (f, given)
    return found


def _listed_languages(top: Fields) -> dict[str, tuple[Fields, dict[str, Any]]]:
    found: dict[str, tuple[Fields, dict[str, Any]]] = {}
    for i, code in top.items("languages"):
        code = top.source.text(("languages", i), code)
        if not isinstance(code, str) or not LANG_CODE.fullmatch(code):
            message = f"must be a language code ({LABEL_CODE_HINT}), got {describe(code)}"
            top.problem("languages", message, i)
            continue
        found[code] = (top.entry("languages", i), {"code": code, "listed": True})
    return found


def _labels(f: Fields) -> tuple[dict[str, LabelValue], dict[str, tuple[str, int]]]:
    labels: dict[str, LabelValue] = {}
    lines: dict[str, tuple[str, int]] = {}
    for key in f.data:
        if key not in LABELS:
            f.problem(
                key,
                f"is not a label{closest(str(key), LABELS)} (the labels are listed in the README)",
            )
            continue
        kind, shape = LABELS[key]
        value: LabelValue | None
        if kind == LIST:
            items = f.text_list(key, required=True)
            value = items if len(items) == shape else None
            if items and value is None:
                f.problem(key, f"must list {shape} items, got {len(items)}")
        elif kind == COUNT:
            forms = f.mapping(key, required=True)
            forms.check_keys(("one", "other"))
            one, other = forms.text("one", True), forms.text("other", True)
            value = Count(one, other) if one and other else None
            for form, text in (("one", one), ("other", other)):
                problem = placeholder_problem(key, text)
                if problem:
                    forms.problem(form, problem)
                    value = None
        else:
            value = f.text(key, required=True) or None
            problem = placeholder_problem(key, value) if value else None
            if problem:
                f.problem(key, problem)
                value = None
        if value is not None:
            labels[key] = value
            lines[key] = (f.source.name, f.line_of(key))
    return labels, lines


def merge_languages(
    parts: list[dict[str, tuple[Fields, dict[str, Any]]]],
) -> dict[str, Language]:
    """The languages of every library file, later files on top: a language's labels merge key by
    key; its name, status, locale and note are replaced when given. A new language needs a name
    and a status; English must have every label."""
    merged: dict[str, Language] = {}
    for part in parts:
        for code, (f, given) in part.items():
            old = merged.get(code)
            if given.get("listed"):  # `languages: [es]`: a language the library has, as it is
                if old is None:
                    f.problem(None, f"'{code}' is not a language of the library: add a "
                              f"languages: {{{code}: ...}} entry with its name, status and labels")  # fmt: skip
                continue
            if old is None:
                for key in ("name", "status"):
                    if key not in f.data:  # (a bad value is reported where it was read)
                        f.problem(key, "is required for a language the library does not have yet")
                old = Language(code=code, name=code, status="draft", locale=code,
                               origin=(f.source.name, f.line_of()))  # fmt: skip
            settings = {k: v for k, v in given.items() if k not in ("labels", "label_lines") and v}
            merged[code] = Language(
                **{**vars(old), **settings,
                   "labels": {**old.labels, **given["labels"]},
                   "label_lines": {**old.label_lines, **given["label_lines"]},
                   "origin": (f.source.name, f.line_of())},
            )  # fmt: skip
    return merged


def merge_translations(
    old: Translations, new: Translations, replaced: Iterable[str]
) -> Translations:
    """The translations of an object whose `replaced` fields a later file rewrote: those fields'
    old translations are dropped (they translate the old English); the new file's are added."""
    replaced = set(replaced)
    texts = {}
    for code in {*old.texts, *new.texts}:
        kept = {k: v for k, v in old.texts.get(code, {}).items() if k not in replaced}
        texts[code] = {**kept, **new.texts.get(code, {})}
    return Translations(texts, {**old.lines, **new.lines}, old.where or new.where)
