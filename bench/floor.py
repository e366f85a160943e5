"""The floor: the sciatica handout's text rendered by plain reportlab with the least work.

What a handout costs when nothing but the text is printed: platypus, built-in Helvetica (nothing
to embed or subset), no figures, no QR codes, no brand header, no measuring passes of our own. The
same words as `handouts build --program sciatica`: the program's title and intro, the red-flag box
and "Before you start" lists, and for each of its 9 exercises the title, why, steps, dose
sentences, tips and cautions; the footer disclaimer on every page. Same paper, margins and type
sizes as the standard layout, so it lays out about as many lines and pages.

    python bench/floor.py out.pdf [exercises.yaml]   # one cold process, as `handouts build` runs
    from floor import load, render      # in-process: render(load()) -> PDF bytes, N times

The text is read from the repository's exercises.yaml with libyaml (CSafeLoader, ~2 ms), not
from a frozen copy: when the library's text changes, the floor changes with it and the ratios
stay fair. Only plain English fields are read; a field of another shape is an error here.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

LIBRARY = Path(__file__).resolve().parent.parent / "exercises.yaml"
PROGRAM = "sciatica"
MARGIN = 0.6 * 72  # the standard layout's margins, body 13 pt, headings 17 pt, title 22 pt
BODY, HEADING, TITLE, SMALL = 13.0, 17.0, 22.0, 12.0


def load(path: Path = LIBRARY, program: str = PROGRAM) -> dict:
    """The program's printed text as plain data: title, intro, disclaimers, exercises."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=loader)
    by_id = {e["id"]: e for e in data["exercises"]}
    prog = next(p for p in data["programs"] if p["id"] == program)
    ids = [entry if isinstance(entry, str) else entry["id"] for entry in prog["exercises"]]
    exercises = []
    for number, exercise_id in enumerate(ids, 1):
        e = by_id[exercise_id]
        exercises.append(
            {
                "title": f"{number}. {_text(e['title'])}",
                "purpose": _text(e["purpose"]),
                "steps": [_text(s) for s in e["steps"]],
                "dose": dose_sentences(e.get("dose") or {}),
                # (a tip {text:, when: not chosen} prints: nobody chose in the floor's handout)
                "tips": [
                    _text(s["text"] if isinstance(s, dict) else s) for s in e.get("tips") or ()
                ],
                "cautions": [_text(s) for s in e.get("cautions") or ()],
            }
        )
    d = data["disclaimers"]
    return {
        "title": _text(prog["title"]),
        "intro": _text(prog.get("intro") or ""),
        "red_flags": (
            _text(d["red_flags"]["title"]),
            [_text(s) for s in d["red_flags"]["items"]],
            _text(d["red_flags"].get("action") or ""),
        ),
        "safety": (_text(d["safety"]["title"]), [_text(s) for s in d["safety"]["items"]]),
        "footer": _text(d["footer"]),
        "exercises": exercises,
    }


def _text(value) -> str:
    if not isinstance(value, str):
        raise TypeError(f"bench/floor.py reads plain text fields only, got {type(value).__name__}")
    return value


SIDES = {
    "each": " on each side",
    "left": " on the left side only",
    "right": " on the right side only",
}


def dose_sentences(dose: dict) -> list[str]:
    """The dose in plain sentences, as handouts prints them (handouts/dose.py, simplified)."""

    def secs(n: int) -> str:
        m, s = divmod(n, 60)
        if not m:
            return f"{n} second{'s' if n != 1 else ''}"
        text = f"{m} minute{'s' if m != 1 else ''}"
        return f"{text} and {s} second{'s' if s != 1 else ''}" if s else text

    side = SIDES.get(dose.get("side") or "both", "")
    reps, sets, rest = dose.get("reps"), dose.get("sets") or 1, dose.get("rest")
    out = [f"Hold for {secs(dose['hold'])}."] if dose.get("hold") else []
    if reps and sets > 1:
        out.append(f"Do this {reps} times in a row{side}. That is 1 set.")
        out.append(f"Do {sets} sets" + (f", resting {secs(rest)} between sets." if rest else "."))
    elif reps:
        out.append(f"Do this {'once' if reps == 1 else f'{reps} times'}{side}.")
    if dose.get("load"):
        out.append(f"Band or weight: {dose['load'].rstrip('.')}.")
    if dose.get("times_per_day"):
        n = dose["times_per_day"]
        out.append(f"Do this {'once' if n == 1 else f'{n} times'} a day.")
    if dose.get("days_per_week"):
        out.append(f"Do this {dose['days_per_week']} days a week.")
    return out


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle(
        "body", fontName="Helvetica", fontSize=BODY, leading=BODY * 1.25, spaceAfter=BODY * 0.35
    )
    bold = ParagraphStyle("bold", parent=body, fontName="Helvetica-Bold")
    return {
        "body": body,
        "bold": bold,
        "title": ParagraphStyle("title", parent=bold, fontSize=TITLE, leading=TITLE * 1.2),
        "heading": ParagraphStyle(
            "heading",
            parent=bold,
            fontSize=HEADING,
            leading=HEADING * 1.2,
            spaceBefore=BODY,
            keepWithNext=1,
        ),
        "item": ParagraphStyle("item", parent=body, leftIndent=BODY * 1.5),
    }


def _escape(text: str) -> str:  # xml.sax.saxutils would import urllib.request (~15 ms)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render(content: dict) -> bytes:
    """The handout's text as PDF bytes."""
    s = _styles()

    def p(text: str, style: str = "body", bullet: str | None = None) -> Paragraph:
        return Paragraph(_escape(text), s[style], bulletText=bullet)

    def items(texts: list[str], numbered: bool = False) -> list[Paragraph]:
        return [p(t, "item", f"{n}." if numbered else "-") for n, t in enumerate(texts, 1)]

    rf_title, rf_items, rf_action = content["red_flags"]
    safety_title, safety_items = content["safety"]
    story = [p(content["title"], "title"), p(rf_title, "heading"), *items(rf_items)]
    if rf_action:
        story.append(p(rf_action, "bold"))
    if content["intro"]:
        story.append(p(content["intro"]))
    story += [p(safety_title, "heading"), *items(safety_items)]
    for e in content["exercises"]:
        story += [p(e["title"], "heading"), p("Why: " + e["purpose"])]
        story += [p("Steps", "bold"), *items(e["steps"], numbered=True)]
        story += [p("How much", "bold"), *(p(line) for line in e["dose"])]
        if e["tips"]:
            story += [p("Tips", "bold"), *items(e["tips"])]
        if e["cautions"]:
            story += [p("Be careful", "bold"), *items(e["cautions"])]

    footer = content["footer"]

    def on_page(canvas, doc) -> None:
        canvas.setFont("Helvetica", SMALL)
        canvas.drawString(MARGIN, MARGIN - SMALL, footer)
        canvas.drawRightString(LETTER[0] - MARGIN, MARGIN - SMALL, f"Page {doc.page}")

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=LETTER,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + SMALL * 2,
        title=content["title"],
        invariant=1,
    )
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return out.getvalue()


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2):
        print("usage: python bench/floor.py OUT.pdf [LIBRARY.yaml]", file=sys.stderr)
        return 2
    library = Path(argv[1]) if len(argv) == 2 else LIBRARY
    Path(argv[0]).write_bytes(render(load(library)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
