"""A side-by-side card's arrangement (the QR code under the steps, another share of the width, How
much under the steps) is found once per process and remembered (render/story.py _arranged) under a
key made of values (render/memo.py value_key), never of object identity: every field of the item
and its exercise, every style, the labels, the frame and the room. The same bytes print as when
it is found afresh; a card that differs in anything is never given another card's arrangement;
a therapist's note is never kept."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml
from conftest import DATE

from handouts.build import BuildRequest, _composed, make_handout
from handouts.compose import Item
from handouts.model import Dose, Exercise, Translations
from handouts.render import story
from handouts.render.fonts import font_family
from handouts.render.memo import value_key
from handouts.render.styles import PAPERS, make_styles, tighter

REPO = Path(__file__).resolve().parent.parent
SMALL_PAGE = 300.0  # a frame so short that every arrangement is tried


@pytest.fixture(scope="module")
def video_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sciatica exercises, copied whole, each with a video link (a QR code on every card):
    cards that try other arrangements on a letter page."""
    data = yaml.safe_load((REPO / "exercises.yaml").read_text(encoding="utf-8"))
    program = next(p for p in data["programs"] if p["id"] == "sciatica")
    ids = [e if isinstance(e, str) else e["id"] for e in program["exercises"]]
    by_id = {e["id"]: e for e in data["exercises"]}
    exercises = [{**by_id[i], "video": f"https://example.org/videos/{i}"} for i in ids]
    path = tmp_path_factory.mktemp("library") / "videos.yaml"
    path.write_text(yaml.safe_dump({"version": 1, "exercises": exercises}), encoding="utf-8")
    return path


def _styled(**request):
    handout, layout = _composed(BuildRequest(date=DATE, program="sciatica", **request))
    styles = make_styles(layout, handout.brand, font_family(layout.font), handout.labels)
    width = PAPERS[handout.paper][0] - layout.margin_left - layout.margin_right
    return handout, styles, width


@pytest.fixture
def forget():
    """The process's remembered arrangements cleared before and after the test."""
    story._ARRANGED.clear()
    yield
    story._ARRANGED.clear()


def _counting(monkeypatch) -> list[int]:
    """How many arrangements are made (one table each) from now on: calls[0]."""
    calls = [0]
    arrange = story._arrange

    def counted(*args, **kwargs):
        calls[0] += 1
        return arrange(*args, **kwargs)

    monkeypatch.setattr(story, "_arrange", counted)
    return calls


def _shape(card) -> list:
    """What a card is made of, as it prints: each part's kind and size, a table's column
    widths and what each column holds."""
    parts, part_sizes, breaks = card
    shape = []
    for part, size in zip(parts, part_sizes, strict=True):
        columns = getattr(part, "_argW", None)
        cells = getattr(part, "_cellvalues", None)
        held = [[type(p).__name__ for p in cell] for cell in cells[0]] if cells else None
        shape.append((type(part).__name__, size, columns, held))
    return [shape, breaks]


# -- the key ---------------------------------------------------------------------------------------
def test_equal_values_share_a_key_and_any_difference_parts_them() -> None:
    from reportlab.lib.colors import CMYKColor, Color
    from reportlab.lib.styles import ParagraphStyle

    assert value_key(("a", 1)) == value_key(("a", 1))
    assert value_key(Dose(reps=3)) == value_key(Dose(reps=3))
    assert value_key(Dose(reps=3)) != value_key(Dose(reps=4))
    assert value_key(Dose(reps=3)) != value_key(Dose(hold=3))
    assert value_key(("a", ("b",))) != value_key(("a", "b"))
    assert value_key(["a"]) != value_key(("a",))
    assert value_key({"a": "b"}) != value_key({"a": "c"})
    assert value_key({"a": "b"}) != value_key(("a", "b"))
    assert value_key(Path("a.jpg")) != value_key("a.jpg")
    assert value_key(Color(1, 0, 0)) == value_key(Color(1, 0, 0))
    assert value_key(Color(1, 0, 0)) != value_key(Color(0, 0, 1))
    assert value_key(Color(0, 0, 0)) != value_key(CMYKColor(0, 0, 0, 1))
    parent = ParagraphStyle("body", fontSize=10, leading=12)
    assert value_key(ParagraphStyle("b", parent=parent)) == value_key(
        ParagraphStyle("b", fontSize=10, leading=12)
    )  # (a style's parent's attributes are its own)
    assert value_key(ParagraphStyle("b", parent=parent, spaceAfter=3)) != value_key(
        ParagraphStyle("b", parent=parent)
    )


def test_an_object_compared_by_identity_has_no_key_and_its_card_is_not_remembered(forget) -> None:
    with pytest.raises(TypeError):
        value_key(object())
    handout, s, width = _styled()
    odd = dataclasses.replace(handout.items[0], facts=object())  # type: ignore[arg-type]
    assert story._card_key(odd, s, width, 100.0) is None
    assert story._card_key(handout.items[0], s, width, 100.0) is not None


def _changed(value: object, other: Exercise) -> object:
    """A different value of the same kind (a field of a new kind needs a line here)."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, str):
        return value + "x"
    if isinstance(value, int):
        return value + 1
    if isinstance(value, tuple):
        return (*value, Path("x.jpg")) if value and isinstance(value[0], Path) else (*value, "x")
    if isinstance(value, Dose):
        return dataclasses.replace(value, reps=(value.reps or 0) + 1)
    if isinstance(value, Translations):
        return dataclasses.replace(value, where=value.where + "x")
    if value is None or value is other.figure:
        return "x" if other.figure is None else other.figure
    if value.__class__ is other.figure.__class__:  # another exercise's figure
        return other.figure
    raise AssertionError(f"no other value for {value!r}: add one to _changed")


def test_every_field_of_an_item_and_of_its_exercise_is_in_the_key() -> None:
    """Whatever the card prints or is measured from, it is in the key: a change in any one
    field (including fields yet to come, since the key is made of every field) parts the keys."""
    handout, s, width = _styled()
    item, other = handout.items[0], handout.items[1].exercise
    assert item.exercise.figure != other.figure
    key = story._card_key(item, s, width, 100.0)
    assert key == story._card_key(dataclasses.replace(item), s, width, 100.0)
    for field in dataclasses.fields(Item):
        if field.name == "exercise":
            continue
        changed = dataclasses.replace(item, **{field.name: _changed(getattr(item, field.name),
                                                                    other)})  # fmt: skip
        assert story._card_key(changed, s, width, 100.0) != key, field.name
    for field in dataclasses.fields(Exercise):
        exercise = dataclasses.replace(item.exercise, **{
            field.name: _changed(getattr(item.exercise, field.name), other)})  # fmt: skip
        changed = dataclasses.replace(item, exercise=exercise)
        assert story._card_key(changed, s, width, 100.0) != key, field.name


def test_the_styles_labels_layout_frame_and_room_are_in_the_key() -> None:
    handout, s, width = _styled()
    item = handout.items[0]
    key = story._card_key(item, s, width, 100.0)
    again, same, _ = _styled()  # another handout's styles, made alike
    assert story._card_key(again.items[0], same, width, 100.0) == key
    assert story._card_key(item, tighter(s), width, 100.0) != key
    spanish, es, _ = _styled(lang="es")
    assert story._card_key(item, es, width, 100.0) != key
    _, compact, _ = _styled(layout="compact")
    assert story._card_key(item, compact, width, 100.0) != key
    assert story._card_key(item, s, width + 1, 100.0) != key
    assert story._card_key(item, s, width, 101.0) != key
    assert story._card_key(item, s, width, 100.0) == key  # (after the others: still the same)


# -- what is remembered, and what prints ------------------------------------------------------------
def test_a_remembered_card_is_made_once_as_it_was_chosen(forget, monkeypatch) -> None:
    handout, s, width = _styled()
    calls = _counting(monkeypatch)
    for item in handout.items:
        calls[0] = 0
        first = story._exercise(item, s, width, SMALL_PAGE)
        assert calls[0] > 1, item.number  # (what makes this the case to test: a search)
        calls[0] = 0
        again = story._exercise(item, s, width, SMALL_PAGE)
        assert calls[0] == 1, item.number
        assert _shape(again) == _shape(first), item.number


def test_a_card_unlike_one_remembered_is_arranged_as_it_would_be_afresh(forget) -> None:
    """A card with one more tip, or one tip fewer, after the card without that change was
    remembered: the same as when nothing was remembered."""
    handout, s, width = _styled()
    checked = 0
    for item in handout.items:
        tips = item.exercise.tips
        for changed_tips in (tips[:-1], (*tips, *tips)):
            other = dataclasses.replace(item, exercise=dataclasses.replace(item.exercise,
                                                                           tips=changed_tips))  # fmt: skip
            story._ARRANGED.clear()
            fresh = _shape(story._exercise(other, s, width, SMALL_PAGE))
            story._ARRANGED.clear()
            mine = _shape(story._exercise(item, s, width, SMALL_PAGE))
            after = _shape(story._exercise(other, s, width, SMALL_PAGE))
            assert after == fresh, item.number
            checked += after[0] != mine[0]
    assert checked  # (some of them are arranged otherwise than the card remembered)


@pytest.mark.parametrize("layout", ["standard", "compact", "large-print"])
def test_the_same_bytes_with_arrangements_remembered_as_without(forget, layout,
                                                                video_library) -> None:  # fmt: skip
    request = BuildRequest(date=DATE, program="sciatica", layout=layout, library=video_library)
    _, fresh = make_handout(request)
    remembered = len(story._ARRANGED)
    _, again = make_handout(request)
    assert again == fresh
    if layout == "standard":  # (side by side: the others' cards are stacked, not searched)
        assert remembered >= 9
        assert len(story._ARRANGED) == remembered  # (the second handout found each one)


def test_a_therapists_note_is_not_kept_for_the_process(forget) -> None:
    note = "Dana's knee: stop at the first twinge"
    handout, s, width = _styled(exercise_notes=(("piriformis-stretch", note),))
    item = next(i for i in handout.items if i.notes)
    assert story._card_key(item, s, width, 100.0) is None
    _, pdf = make_handout(BuildRequest(date=DATE, program="sciatica",
                                       exercise_notes=(("piriformis-stretch", note),)))  # fmt: skip
    assert story._ARRANGED
    assert all(note not in repr(key) for key in story._ARRANGED)


def test_a_card_with_a_note_is_arranged_afresh_each_time(forget, monkeypatch) -> None:
    """Not remembered, it is still arranged: every arrangement tried, every time."""
    note = "Keep the weight light."
    handout, s, width = _styled(exercise_notes=(("hip-hinge", note),))
    item = next(i for i in handout.items if i.notes)
    calls = _counting(monkeypatch)
    first = story._exercise(item, s, width, SMALL_PAGE)
    tried = calls[0]
    assert tried > 1
    again = story._exercise(item, s, width, SMALL_PAGE)
    assert calls[0] == 2 * tried
    assert _shape(again) == _shape(first)
    assert not story._ARRANGED


def test_what_is_remembered_is_bounded_and_numbers_start_over_with_the_choices(
    forget, monkeypatch
) -> None:
    monkeypatch.setattr(story, "ARRANGED_MAX", 3)
    for n in range(5):
        story._remember((n,), (0.5, False, 0))
        assert len(story._ARRANGED) <= 3
    story._ARRANGED.clear()
    monkeypatch.setattr(story, "STYLES_MAX", 2)
    monkeypatch.setattr(story, "_STYLE_KEYS", {})
    handout, s, width = _styled()
    _, spanish, _ = _styled(lang="es")
    item = handout.items[0]
    plain = story._card_key(item, s, width, 100.0)
    tight = story._card_key(item, tighter(s), width, 100.0)
    assert plain != tight
    story._remember(plain, (0.5, False, 0))
    story._remember(tight, (0.62, False, 1))
    es = story._card_key(item, spanish, width, 100.0)  # a third styles: the numbers start over
    assert len(story._STYLE_KEYS) == 1
    assert not story._ARRANGED  # (no choice is left under a number given again)
    assert es[1] == plain[1]  # (the number given again)
    assert story._card_key(item, s, width, 100.0) != plain  # (renumbered: found afresh)
