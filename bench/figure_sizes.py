"""How large every built-in figure is drawn, in every layout, language and paper size.

    python bench/figure_sizes.py            # a table: layout, language, paper, exercise, sizes
    python bench/figure_sizes.py --floors   # also say which are under the floor (exit 1 if any)

For each figure drawn on a card: the pictures' height (frames and captions, points), the scale
(points per figure unit: a standing person is about 100 units tall) and the side view's body
length (the longer side of the drawn body, inches), with the floor the layout promises
(handouts.render.figure.body_floor) and the target it must meet: the floor, or 90% of its
length in the layout's full frame when that frame cannot draw it so long (story.body_target). Measured from the flowables drawn, not from pixels; the
test tests/test_figure_sizes.py asserts the same floors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

LAYOUTS = ("standard", "large-print", "compact")
LANGS = ("en", "es")
PAPERS = ("letter", "a4")


def drawn_figures(layout: str, lang: str, paper: str, program: str | None = None,
                  ids: tuple[str, ...] = ()) -> list[dict]:  # fmt: skip
    """Every FigurePair drawn on an exercise card of the handout: its exercise, height, scale,
    body length (points) and whether its other views are beside the side view."""
    from handouts.build import BuildRequest, make_handout
    from handouts.load import load_library
    from handouts.render import figure

    library = load_library()
    names = {e.figure: e.id for e in library.exercises.values() if e.figure is not None}
    seen: list[dict] = []
    original = figure.FigurePair.draw

    def draw(self):  # (the cards' pictures; the plan's thumbnails are Sketch)
        seen.append({
            "exercise": names.get(self.figure, "?"),
            "height": self.height,
            "panel": self.panel_h,
            "scale": self.scale,
            "body": figure.body_length(self),
            "beside": self.beside,
            "target": getattr(self, "body_target", 0.0),
        })  # fmt: skip
        return original(self)

    figure.FigurePair.draw = draw
    try:
        request = BuildRequest(program=program, ids=ids, layout=layout, lang=lang, paper=paper,
                               patient="Jane Doe", date=dt.date(2026, 1, 5))  # fmt: skip
        make_handout(request)
    finally:
        figure.FigurePair.draw = original
    return seen


def all_ids() -> tuple[str, ...]:
    from handouts.load import load_library

    return tuple(e.id for e in load_library().exercises.values() if e.figure is not None)


def measure() -> list[dict]:
    """Every layout, language and paper: the sciatica program and every exercise on its own
    handout."""
    from handouts.load.layout import load_layout
    from handouts.render.figure import body_floor

    rows = []
    for layout in LAYOUTS:
        floor = body_floor(load_layout(layout))
        for lang in LANGS:
            for paper in PAPERS:
                runs = [("sciatica", "sciatica", ())] + [(i, None, (i,)) for i in all_ids()]
                for name, program, ids in runs:
                    for row in drawn_figures(layout, lang, paper, program, ids):
                        row.update(layout=layout, lang=lang, paper=paper, handout=name,
                                   floor=floor)  # fmt: skip
                        rows.append(row)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--floors", action="store_true", help="exit 1 if one is under its floor")
    args = parser.parse_args()
    rows = measure()
    print(f"{'layout':<12}{'lang':<5}{'paper':<7}{'handout':<27}{'exercise':<27}"
          f"{'height':>7}{'scale':>7}{'body in':>8}{'floor':>7}{'target':>7}  beside")  # fmt: skip
    low = whole = 0
    for r in rows:
        under = r["body"] < r["target"] - 0.01
        # standard goes under a floor only to keep a card on one page (README, Pictures): said,
        # not counted (tests/test_figure_sizes.py names each such figure)
        kept = under and r["layout"] == "standard"
        low += under and not kept
        whole += kept
        print(f"{r['layout']:<12}{r['lang']:<5}{r['paper']:<7}{r['handout']:<27}"
              f"{r['exercise']:<27}{r['height']:7.0f}{r['scale']:7.2f}{r['body'] / 72:8.2f}"
              f"{r['floor'] / 72:7.2f}{r['target'] / 72:7.2f}  {'beside' if r['beside'] else ''}"
              f"{'  UNDER (its card kept on one page)' if kept else '  UNDER' if under else ''}")  # fmt: skip
    print(
        f"{len(rows)} figures, {low} under the floor, {whole} under it to keep a standard card "
        "on one page"
    )
    return 1 if args.floors and low else 0


if __name__ == "__main__":
    raise SystemExit(main())
