"""The accessible HTML copy against the PDF, in one process: what each costs to make from the same
composed Handout, timed in the same run (these machines are shared and noisy: only the ratio
means anything). Target: the HTML copy costs at most half of what the PDF costs.

    python bench/html_copy.py [REPEATS]     # 21 by default; the median of each, then the ratio

Each layout's sciatica handout (a named patient, notes, a week's log) is composed once; the PDF
(render.render) and the HTML copy (render.html.html_bytes) are made in turns, the first of each
left out (it fills the caches a running process keeps: parsed paragraphs, figures, QR codes).
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET = 0.5


def main(repeats: int = 21) -> int:
    from handouts.build import BuildRequest, _composed
    from handouts.render import render
    from handouts.render.html import html_bytes

    worst = 0.0
    print(f"{'layout':<12} {'PDF ms':>8} {'HTML ms':>8} {'ratio':>6}  (target: at most {TARGET})")
    for layout_name in ("standard", "compact", "large-print"):
        request = BuildRequest(program="sciatica", patient="Jane Doe", therapist="Sam Lee, PT",
                               notes="Start with 1 set.\n\nAdd the second set next week.",
                               date=dt.date(2026, 11, 29), layout=layout_name, log_weeks=1)  # fmt: skip
        handout, layout = _composed(request)
        pdf, html = [], []
        for n in range(repeats + 1):
            t = time.perf_counter()
            render(handout, layout)
            t1 = time.perf_counter()
            html_bytes(handout, layout)
            t2 = time.perf_counter()
            if n:
                pdf.append(t1 - t)
                html.append(t2 - t1)
        p, h = statistics.median(pdf) * 1000, statistics.median(html) * 1000
        worst = max(worst, h / p)
        print(f"{layout_name:<12} {p:8.1f} {h:8.1f} {h / p:6.2f}")
    print(f"worst ratio {worst:.2f}: {'met' if worst <= TARGET else 'NOT met'}")
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 21))
