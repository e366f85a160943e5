"""A table's rows over pages (large print's plan at a glance and weekly log): on as few pages as
they need, the header row on each, what must follow the last row (the log's lines for notes)
on the last page with at least two rows, never alone."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable

from handouts.render.paragraphs import sizes

LEAST_ROWS = 2  # rows the last page holds, when the page before can give them up
FUZZ = 0.5  # points: heights are sums of measured ones


def rows_on_pages(
    rows: Sequence[float],
    header: float,
    first: float,
    room: float,
    tail: float = 0.0,
    least: int = LEAST_ROWS,
) -> list[int]:
    """How many rows each page holds, for rows of these heights under a header row `header`
    tall repeated on each page, with `first` points on the first page and `room` on each one
    after it, and `tail` more points under the last row. The rows fill the pages in order; the
    tail never goes to a page of its own (the last row goes on with it); and the last page
    holds at least `least` rows when the page before it keeps as many."""
    if not rows:
        return []
    counts, used, cap = [0], header, first
    for height in rows:
        if counts[-1] and used + height > cap + FUZZ:
            counts.append(0)
            used, cap = header, room
        counts[-1] += 1
        used += height
    if used + tail > cap + FUZZ and counts[-1] > 1:  # the tail with the last row, on a new page
        counts[-1] -= 1
        counts.append(1)
    while len(counts) > 1 and counts[-1] < least and counts[-2] > least:
        last = len(rows) - counts[-1]  # the first row of the last page
        if header + sum(rows[last - 1 :]) + tail > room + FUZZ:
            break
        counts[-2] -= 1
        counts[-1] += 1
    return counts


def split_rows(items: Sequence, counts: Sequence[int]) -> list[list]:
    """`items` cut into pages of these counts (rows_on_pages)."""
    pages, start = [], 0
    for count in counts:
        pages.append(list(items[start : start + count]))
        start += count
    return pages


def on_top(parts: Sequence[Flowable], width: float) -> float:
    """How tall `parts` are at the top of a page `width` wide, stacked as platypus stacks them
    (no space above the first; between two, the larger of the spaces they ask), with the space
    the last one asks under it (the table that follows starts there)."""
    total, below = 0.0, None
    for height, above, after in sizes(list(parts), width):
        total += height + (max(above, below) if below is not None else 0.0)
        below = after
    return total + (below or 0.0)
