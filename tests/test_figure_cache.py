"""The figures' drawn panels are kept in the cache between runs: the same bytes, never trusted
blindly, and keyed by everything a panel is drawn from."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

from reportlab.lib import colors

from handouts.load import cache, load_library
from handouts.render import figure

BUILD = ["-m", "handouts", "build", "--program", "sciatica", "--date", "2026-01-05", "-o"]


def _build(tmp_path: Path, name: str, cache_setting: str) -> bytes:
    env = {**os.environ, "HANDOUTS_CACHE": cache_setting}
    env.pop("HANDOUTS_DEBUG", None)
    out = tmp_path / name
    subprocess.run([sys.executable, *BUILD, str(out)], env=env, cwd=tmp_path, check=True,
                   capture_output=True, timeout=120)  # fmt: skip
    return out.read_bytes()


def test_a_later_run_draws_the_panels_from_the_cache_and_prints_the_same_bytes(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "cache"
    plain = _build(tmp_path, "off.pdf", "off")
    first = _build(tmp_path, "first.pdf", str(folder))
    [entry] = folder.glob("figures-*.pickle")
    assert entry.stat().st_mode & 0o777 == 0o600
    kept = pickle.loads(entry.read_bytes())[-1]
    assert len(kept) == 18  # the sciatica handout's nine figures, start and end
    assert all(isinstance(k, str) and v.startswith("q\n") for k, v in kept.items())
    second = _build(tmp_path, "second.pdf", str(folder))
    assert plain == first == second
    assert list(folder.glob("figures-*.pickle")) == [entry]  # nothing new drawn: not rewritten


def test_an_entry_that_is_not_what_it_should_be_is_drawn_again(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    plain = _build(tmp_path, "off.pdf", "off")
    _build(tmp_path, "first.pdf", str(folder))
    [entry] = folder.glob("figures-*.pickle")
    record = pickle.loads(entry.read_bytes())
    wrong = {k: 1 for k in record[-1]}  # not operators
    entry.write_bytes(pickle.dumps((*record[:-1], wrong)))
    assert _build(tmp_path, "wrong.pdf", str(folder)) == plain
    entry.write_bytes(b"not a pickle")
    assert _build(tmp_path, "garbage.pdf", str(folder)) == plain
    kept = pickle.loads(entry.read_bytes())[-1]  # written again, whole
    assert all(isinstance(v, str) for v in kept.values()) and len(kept) == 18


def test_a_panel_is_keyed_by_how_it_is_laid_out_not_only_its_figure_and_size(
    tmp_path: Path, monkeypatch
) -> None:
    """Two panels of one figure at one size whose view names fit differently (over the second
    view beside the side view in one; left out in the other, which draws the body larger) are
    two drawings: a key of the figure and the panel's size alone served the first for both."""
    monkeypatch.setenv("HANDOUTS_CACHE", "off")
    shoulder = load_library().exercises["knee-to-opposite-shoulder"].figure
    assert shoulder.views

    def pair(label: str) -> figure.FigurePair:
        return figure.FigurePair(shoulder, 400, 70, "Helvetica", 9, colors.black,
                                 ("Start", "End"), view_labels={"above": label})  # fmt: skip

    short, long = pair("A"), pair("Seen from above, " * 4)  # (asked for at one size; each frame
    # then follows its drawing: figure.UNNAMED_GAIN)
    assert short.panel_w == long.panel_w
    assert (short.beside, short.named, long.beside, long.named) == (True, True, True, False)
    assert short.operators(0) != long.operators(0)
    assert short.operators(0) == pair("A").operators(0)


def test_recall_and_keep_use_only_the_users_private_folder(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "cache"
    monkeypatch.setenv("HANDOUTS_CACHE", str(folder))
    code = [Path(figure.__file__)]
    assert cache.recall("figures", "k", code, dict) is None
    cache.keep("figures", "k", code, {"a": "b"})
    assert cache.recall("figures", "k", code, dict) == {"a": "b"}
    assert cache.recall("figures", "other", code, dict) is None
    assert cache.recall("figures", "k", code, list) is None  # not of the type asked for
    folder.chmod(0o755)  # shared: not read
    assert cache.recall("figures", "k", code, dict) is None
    monkeypatch.setenv("HANDOUTS_CACHE", "off")
    assert cache.recall("figures", "k", code, dict) is None
    cache.keep("figures", "k", code, {"a": "c"})  # nowhere: nothing fails
