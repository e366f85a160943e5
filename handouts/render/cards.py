"""An exercise card taller than a page (large print): it runs on over pages in whole groups (the
title, why and pictures; the steps with their dose box; the tips; the cautions; ...), and each
page it runs on to starts with its title again, "(continued)"."""

from __future__ import annotations

import math

from reportlab.platypus import Flowable, Spacer

from handouts.render.figure import StartEndPanels
from handouts.render.paragraphs import Size, sizes

MIN_LINES_APART = 2  # flowables (steps, bullets) a group keeps on each side of a break inside it
MOVE_ON = 0.5  # a card that fits on a page moves on whole when no more than this share of a page
# is left; with more room left, it starts there and runs on ("(continued)")
STEPS_ROOM = 0.35  # the steps run on to the next page (their last ones with How much) only from
# a page with at least this share of a page left for the first ones; else they move on together
RUN_ON = 1 / 3  # one column (large print): a card runs on from a page with more than this left
MIN_SIDE = 3  # lines of text (or a picture) a card's break leaves on each side: never a card's
# last line, a list's last item or a lone heading alone in a page or column


class Card(Flowable):
    """`parts` (with their `known` sizes at `width`), breakable before each index in `breaks`
    (the first group is everything before the first break); `heading` makes the title that
    starts each page the card runs on to. A card no taller than `page` (a frame's full height)
    that does not fit where it is moves on whole, unless it is at the top of a shorter frame
    (page 1's columns, under the front matter)."""

    def __init__(
        self,
        parts: list[Flowable],
        known: list[Size],
        breaks: list[int],
        heading,
        width: float,
        page: float,
        continued: bool = False,
        line: float = 0.0,
        move_on: float = MOVE_ON,
    ) -> None:
        super().__init__()
        self._line = line  # a line of body text (0: no rule of MIN_SIDE lines)
        self._move_on = move_on  # the share of a page under which a card moves on whole
        self._continued = continued  # the rest of a card, after its "(continued)" title
        self._page = page  # a frame's full height: a card no taller moves on whole
        self._content = parts  # (named as KeepTogether's: pdf._first_text reads it)
        self._known, self._known_width = known, width
        self._breaks = sorted(b for b in set(breaks) if 0 < b < len(parts))
        self._heading = heading

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return available_width, 0xFFFFFF  # "too tall": platypus asks it to split (as KeepTogether)

    def first_group(self, available_width: float) -> float:
        """How tall the card's first group (its title, why and pictures) is."""
        known = self._known if available_width == self._known_width else None
        if known is None or len(known) != len(self._content):
            known = sizes(self._content, available_width)
        return stacked(known[: ([*self._breaks, len(known)])[0]])

    def draw(self) -> None:  # (never drawn itself: split gives its parts)
        pass

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        parts = self._content
        known = self._known if available_width == self._known_width else None
        if known is None or len(known) != len(parts):
            known = sizes(parts, available_width)
        tall = [h + above + below for h, above, below in known]
        frame = getattr(self, "_frame", None)
        fresh = bool(getattr(frame, "_atTop", False))
        if not fresh and known:  # the space above the title is taken when it is placed (not at
            # a frame's top): without it, the last group can spill alone into the next frame
            available_height -= known[0][1]
        ends = [*self._breaks, len(parts)]
        taken, used = 0, 0.0
        for end in ends:  # whole groups, as many as fit
            group = sum(tall[taken:end])
            if used + group > available_height:
                break
            taken, used = end, used + group
        if self._continued and not fresh:
            return []  # the rest of a card starts the next page (or column), under its title
        whole = stacked(known)
        if taken == len(parts) or whole <= available_height:
            return list(parts)
        if (whole <= self._page and not fresh and not self._continued
                and available_height <= self._page * self._move_on):  # fmt: skip
            return []  # fits a page: moves on whole rather than run on from a page half full
        if taken < len(parts):  # the next group, split inside when it may and leaves no line
            # alone: a list of tips or cautions (never the steps with their dose, nor the
            # pictures, unless taller than a page)
            end = next(e for e in ends if e > taken)
            group = parts[taken:end]
            room = available_height - used
            steps = any(getattr(part, "is_dose_box", False) for part in group)
            if (all(_is_text(part) for part in group) or sum(tall[taken:end]) > self._page
                    or (steps and room >= self._page * STEPS_ROOM)):  # fmt: skip
                inside = _inside(group, tall[taken:end], len(group), room)
                if inside and _apart(group, inside):
                    taken += inside
        if taken == 0:  # not even the first group: on the next page, or split inside it
            if not fresh:
                return []
            taken = _inside(parts, tall, ends[0], available_height)
            if taken == 0:  # the first part after the headings, split on its own (a table)
                heads = 0
                while heads < len(parts) - 1 and parts[heads].getKeepWithNext():
                    heads += 1
                room = available_height - sum(tall[:heads])
                pieces = parts[heads].split(available_width, room) if room > 0 else []
                if len(pieces) != 2:
                    return list(parts)  # (platypus then says what does not fit: pdf.py)
                rest = [pieces[1], *parts[heads + 1 :]]
                return [*parts[:heads], pieces[0], self._rest(rest, heads, None)]
        return self._broken(parts, known, taken, available_width, fresh)

    def _broken(
        self, parts: list[Flowable], known: list[Size], taken: int, width: float, fresh: bool
    ) -> list[Flowable]:
        """The card broken before `taken`, with at least MIN_SIDE lines (or a picture) on each
        side: when fewer would go on, the last lines before the break go on with them (a
        paragraph split, or parts moved whole; never the pictures nor a side-by-side table);
        when that cannot be done, the card moves on whole (unless at a frame's top)."""
        first = 1 if self._continued else 0  # (the "(continued)" title does not count)
        if self._line and 0 < taken < len(parts):
            short = MIN_SIDE - self._lines(parts[taken:], known[taken:])
            moved = self._pull_back(parts, known, taken, width, short) if short > 0 else None
            if short > 0 and moved is None:
                if not fresh:
                    return []
            elif moved is not None:
                kept, rest, at = moved
                if self._lines(kept[first:], None) < MIN_SIDE and not fresh:
                    return []
                return [*kept, self._rest(rest, at, None)]
            if self._lines(parts[first:taken], known[first:taken]) < MIN_SIDE and not fresh:
                return []
        return [*parts[:taken], self._rest(parts[taken:], taken, known[taken:])]

    def _lines(self, parts: list[Flowable], known: list[Size] | None) -> float:
        """How many lines of body text `parts` hold (a picture counts as MIN_SIDE)."""
        if known is None:
            known = sizes(parts, self._known_width)
        total = 0.0
        for part, (height, _, _) in zip(parts, known, strict=True):
            if isinstance(part, StartEndPanels):
                total += MIN_SIDE
            elif not isinstance(part, Spacer):
                total += height / self._line
        return total

    def _pull_back(
        self, parts: list[Flowable], known: list[Size], taken: int, width: float, short: float
    ) -> tuple[list[Flowable], list[Flowable], int] | None:
        """The card broken earlier than before `taken`, so that `short` more lines go on: (the
        parts kept, the parts to go on, the index the latter start at), or None when the lines
        before the break are not text (pictures, a side-by-side table) or are the title. A list
        item (a step, a tip) goes on whole, and How much with at least MIN_LINES_APART steps."""
        need = math.ceil(short - 0.01)
        steps = 0  # steps still to go on whole with the dose box
        at = taken
        while need > 0 or steps > 0:
            at -= 1
            if at <= 0:
                return None
            part = parts[at]
            if isinstance(part, Spacer):
                continue
            if isinstance(part, StartEndPanels) or not (
                _is_text(part) or getattr(part, "is_dose_box", False)
            ):
                return None  # fmt: skip
            height = known[at][0]
            leading = getattr(getattr(part, "style", None), "leading", 0.0) or self._line
            count = round(height / leading)
            whole = _is_dose(part) or getattr(part, "keep_whole", False)
            item = bool(getattr(part, "bulletText", None))  # (a numbered step, a bullet)
            if not (whole or item) and _is_text(part) and count - need >= MIN_LINES_APART:
                pieces = part.split(width, (count - need) * leading + 0.5)
                if len(pieces) == 2:
                    kept, rest = [*parts[:at], pieces[0]], [pieces[1], *parts[at + 1 :]]
                    return self._headings_on(kept, rest, at)
            need -= max(count, 1)
            if item:
                steps -= 1
            if whole:  # How much (or the therapist's word) goes on with two lines of the steps
                need = max(need, MIN_LINES_APART)
            if _is_dose(part):  # (large print's box: its steps are list items, moved whole)
                steps = MIN_LINES_APART
        return self._headings_on(parts[:at], parts[at:], at)

    @staticmethod
    def _headings_on(
        kept: list[Flowable], rest: list[Flowable], at: int
    ) -> tuple[list[Flowable], list[Flowable], int] | None:
        """A heading (or space) at the end of the kept parts goes on with what follows it."""
        while kept and (isinstance(kept[-1], Spacer) or kept[-1].getKeepWithNext()):
            kept, rest, at = kept[:-1], [kept[-1], *rest], at - 1
        return (kept, rest, at) if len(kept) > 1 else None

    def _rest(self, parts: list[Flowable], start: int, known: list[Size] | None) -> Flowable:
        """The rest of the card, the parts from index `start` on (of sizes `known`, if known):
        its title again, then them."""
        while parts and isinstance(parts[0], Spacer):
            parts, start = parts[1:], start + 1
            known = known[1:] if known is not None else None
        title = self._heading()
        width = self._known_width
        known = sizes([title, *parts], width) if known is None else sizes([title], width) + known
        breaks = [b - start + 1 for b in self._breaks if b > start]
        return Card(
            [title, *parts],
            known,
            breaks,
            self._heading,
            width,
            self._page,
            True,
            self._line,
            self._move_on,
        )


def stacked(known: list[Size]) -> float:
    """How tall parts of these sizes are, stacked as platypus stacks them: the space between two
    is the larger of the one below the first and the one above the second."""
    total, below = 0.0, None
    for height, above, after in known:
        total += height + (max(above, below) if below is not None else 0.0)
        below = after
    return total


def _is_text(part: Flowable) -> bool:
    """A paragraph (a tip, a caution, a link) or a space: what a list may break between."""
    return isinstance(part, Spacer) or hasattr(part, "getPlainText")


def _is_dose(part: Flowable) -> bool:
    """The box of How much (large print's cards: render/story.py _dose_box)."""
    return bool(getattr(part, "is_dose_box", False))


def _apart(group: list[Flowable], at: int) -> bool:
    """Whether breaking `group` before index `at` leaves MIN_LINES_APART solid parts on each
    side (never a lone tip or line on a page)."""
    lines = [i for i, part in enumerate(group) if _is_text(part) and not isinstance(part, Spacer)]
    kept = sum(1 for i in lines if i < at and not group[i].getKeepWithNext())
    left = sum(1 for i in lines if i >= at)  # (steps or tips: a dose box is not one)
    return kept >= MIN_LINES_APART and left >= MIN_LINES_APART


def _inside(parts: list[Flowable], tall: list[float], end: int, room: float) -> int:
    """Where to break inside the first `end` parts (a group taller than a page): the most parts
    that fit, never right after a heading or a spacer, with at least MIN_LINES_APART
    parts on each side of the break when it can (the dose box is not one: at least two steps
    go on with How much); 0 when not even one part fits."""
    fits = []
    used = 0.0
    for k in range(1, end):
        used += tall[k - 1]
        if used > room:
            break
        before = parts[k - 1]
        if not (before.getKeepWithNext() or isinstance(before, Spacer)):
            fits.append(k)
    if not fits:
        return 0
    # the dose box is not one of the items: at least MIN_LINES_APART steps go on with it
    solid = [i for i in range(end) if not (isinstance(parts[i], Spacer) or _is_dose(parts[i]))]
    for k in reversed(fits):
        kept = sum(1 for i in solid if i < k)
        left = sum(1 for i in solid if k <= i < end)
        if kept >= MIN_LINES_APART and left >= MIN_LINES_APART:
            return k
    return fits[-1]
