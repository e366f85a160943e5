"""A reportlab Table that may split inside a tall row, but never into a sliver.

With splitInRow=1, reportlab 5.1 can loop forever splitting a row into a 10-point first part and
the rest, again and again, when a table meets the bottom of a page with almost no room. Refusing to
split into less than a few lines sends the table to the next page instead.
"""

from __future__ import annotations

from reportlab.platypus import Table


class SplittingTable(Table):
    min_split = 40.0  # points: about three lines

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("splitInRow", 1)  # reportlab's own split makes copies with it set
        super().__init__(*args, **kwargs)

    def split(self, available_width: float, available_height: float):
        if available_height < self.min_split:
            return []
        return super().split(available_width, available_height)
