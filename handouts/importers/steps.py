"""Shape imported text for the format: valid unique ids, one sentence a step, tips pulled out."""

from __future__ import annotations

import re
import unicodedata

from handouts.text import one_line

LONG_STEP = 25  # words: a step longer than this is hard to follow (the check warns of it too)
# a sentence ends at . ! or ? (maybe closed by a quote or bracket) before a space and a capital
_BOUNDARY = re.compile(r"(?<=[.!?])([\"'\u201d)]?)\s+(?=[\"'\u201c(]?[A-Z])")
# words whose period does not end a sentence: cutting there would not be clean
_ABBREVIATIONS = {"e.g", "i.e", "etc", "approx", "vs", "dr", "mr", "mrs", "ms", "st", "no", "ft",
                  "in", "lb", "lbs", "sec", "min", "cf", "fig"}  # fmt: skip
_LABELLED = re.compile(r"\b(Tips?|Note|Caution|Warning)\s*:\s*", re.IGNORECASE)
_NOT_ID = re.compile(r"[^a-z0-9]+")


def make_id(text: str) -> str:
    """'3_4_Sit-Up' -> '3-4-sit-up', 'Café Crunch' -> 'cafe-crunch'; '' when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = ascii_text.replace("'", "").replace("\u2019", "")
    return _NOT_ID.sub("-", ascii_text.lower()).strip("-")


def plainly_lowercased(source: str, made: str) -> bool:
    """Whether `made` is `source` only lowercased with '_' and spaces as hyphens."""
    return re.sub(r"[_\s]+", "-", source.strip().lower()) == made


def unique(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`... the first not in `taken` (which it is added to)."""
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


def words(text: str) -> int:
    return len(text.split())


def sentences(text: str) -> list[str]:
    """`text` cut into sentences where the cut is clean: after . ! or ? and before a capital,
    never after an abbreviation (e.g., approx.), an initial or a number ("1."), and never
    leaving a piece of one word. Text with no clean cut comes back whole."""
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.start() + len(match.group(1))
        before = text[start:end]
        last = before.rstrip(".!?\"'\u201d)").rsplit(None, 1)[-1] if before.strip() else ""
        if (
            last.lower().rstrip(".") in _ABBREVIATIONS
            or (len(last) == 1 and last.isalpha())
            or last.isdigit()
            or words(before) < 2
        ):
            continue
        pieces.append(before.strip())
        start = match.end()
    rest = text[start:].strip()
    if pieces and words(rest) < 2:
        pieces[-1] = f"{pieces[-1]} {rest}".strip()
    elif rest:
        pieces.append(rest)
    return pieces or [text.strip()]


def split_labelled(step: str) -> tuple[str, list[tuple[str, str]]]:
    """A step with its 'Tip: ...', 'Note: ...', 'Caution: ...' parts taken out:
    ('Lie down.', [('tip', 'Keep your back flat.')])."""
    found: list[tuple[str, str]] = []
    matches = list(_LABELLED.finditer(step))
    if not matches:
        return step, found
    kept = step[: matches[0].start()].strip()
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(step)
        text = step[match.end() : end].strip()
        if text:
            label = match.group(1).lower()
            kind = "caution" if label in ("caution", "warning") else "tip"
            found.append((kind, text[0].upper() + text[1:]))
    return kept, found


def clean_text(value: object) -> str:
    """A source value as one line of text ('' for none), its runs of spaces made one."""
    if not isinstance(value, str):
        return ""
    return " ".join(one_line(value).split())
