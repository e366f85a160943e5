"""The library cache: `handouts list` and cold builds skip YAML while the files are unchanged."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from handouts.errors import ValidationError
from handouts.load import cache, library

WALL_SIT = """\
    exercises:
      - id: wall-sit
        title: Wall sit
        purpose: Builds strength.
        steps: [Stand against a wall.]
    """


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HANDOUTS_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def entries(folder: Path) -> list[str]:
    return sorted(p.name.split("-")[0] for p in folder.glob("*.pickle"))


def test_a_loaded_library_is_read_back_without_yaml(folder: Path, tmp_path: Path) -> None:
    script = textwrap.dedent("""\
        import sys
        from handouts.load import load_library
        lib = load_library()
        print(len(lib.exercises), "yaml" in sys.modules, "handouts.load.library" in sys.modules)
        """)
    env = {"HANDOUTS_CACHE": str(folder), "PATH": "/usr/bin:/bin"}
    run = [sys.executable, "-c", script]
    first = subprocess.run(run, capture_output=True, text=True, env=env, cwd=tmp_path, check=True)
    assert first.stdout == "9 True True\n"  # read from the YAML, and kept
    assert entries(folder) == ["library"]
    second = subprocess.run(run, capture_output=True, text=True, env=env, cwd=tmp_path, check=True)
    # from the cache: neither PyYAML nor the reader and its checks are even imported
    assert second.stdout == "9 False False\n"


def test_a_changed_file_is_read_again(folder: Path, tmp_path: Path) -> None:
    path = tmp_path / "lib.yaml"
    path.write_text(textwrap.dedent(WALL_SIT), encoding="utf-8")
    assert library.load_library(path).exercises["wall-sit"].title == "Wall sit"
    path.write_text(textwrap.dedent(WALL_SIT).replace("Wall sit", "Wall squat"), encoding="utf-8")
    assert library.load_library(path).exercises["wall-sit"].title == "Wall squat"
    assert library.load_library(path).exercises["wall-sit"].title == "Wall squat"
    assert entries(folder) == ["library", "library"]


def test_a_library_with_problems_is_never_kept(folder: Path, tmp_path: Path) -> None:
    path = tmp_path / "lib.yaml"
    path.write_text(textwrap.dedent(WALL_SIT).replace("steps: [Stand against a wall.]", ""))
    for _ in range(2):
        with pytest.raises(ValidationError):
            library.load_library(path)
    assert entries(folder) == []


def test_a_damaged_entry_or_an_unwritable_folder_only_costs_time(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = library.load_library()
    (entry,) = folder.glob("*.pickle")
    entry.write_bytes(b"not a pickle")
    assert library.load_library() == first  # read again from the YAML, and kept again
    assert library.load_library() == first
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder should be")
    monkeypatch.setenv("HANDOUTS_CACHE", str(blocked / "cache"))
    assert library.load_library() == first
    monkeypatch.setenv("HANDOUTS_CACHE", "off")
    assert cache.cache_dir() is None


def test_a_built_in_layout_is_kept_too(folder: Path) -> None:
    from handouts.load.layout import load_layout

    first = load_layout("large-print")
    assert entries(folder) == ["layout"]
    assert load_layout("large-print") == first
    assert load_layout("compact") != first
    assert entries(folder) == ["layout", "layout"]


def test_a_qr_code_is_encoded_once_then_read_back(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Encoding a link takes ~30 ms in Python: a clinic's video links are encoded on the first
    build, then read from the cache by every later one."""
    from handouts.render import qr

    encoded = []
    encode = qr._encode
    monkeypatch.setattr(qr, "_encode", lambda link: encoded.append(link) or encode(link))
    link = "https://example.org/videos/pelvic-tilt"
    qr.qr_runs.cache_clear()  # (a new process)
    first = qr.qr_runs(link)
    assert encoded == [link] and entries(folder) == ["qr"]
    qr.qr_runs.cache_clear()
    assert qr.qr_runs(link) == first == encode(link)
    assert encoded == [link]  # read back, not encoded again
    qr.qr_runs.cache_clear()
    assert qr.qr_runs(link + "?t=1") != first
    assert encoded == [link, link + "?t=1"] and entries(folder) == ["qr", "qr"]
    for entry in folder.glob("qr-*.pickle"):  # a broken entry is made again, not trusted
        entry.write_bytes(b"not a pickle")
    qr.qr_runs.cache_clear()
    assert qr.qr_runs(link) == first
    assert encoded[-1] == link and len(encoded) == 3
    qr.qr_runs.cache_clear()


def test_handouts_built_one_after_another_in_a_process_are_the_same_bytes(tmp_path: Path) -> None:
    """Parsed paragraphs, styles and QR drawings are shared between the handouts of a process
    (a batch); sharing must never change one. Each is built first in a fresh process."""
    from conftest import DATE_ARG, build_pdf

    requests = [
        {"program": "sciatica", "layout": "large-print", "log_weeks": 1},
        {"program": "sciatica", "lang": "es", "notes": "Empiece despacio."},
        {"program": "sciatica-gentle", "layout": "compact", "patient": "Jane"},
    ]
    script = textwrap.dedent("""\
        import json, sys, datetime as dt
        from pathlib import Path
        from handouts.build import BuildRequest, make_handout
        request = json.loads(sys.argv[1])
        request["date"] = dt.date.fromisoformat(request["date"])
        Path(sys.argv[2]).write_bytes(make_handout(BuildRequest(**request))[1])
        """)
    for number, request in enumerate(requests * 2):
        _, pdf = build_pdf(**request)  # in this process, after the others
        fresh = tmp_path / f"{number}.pdf"
        argument = json.dumps({**request, "date": DATE_ARG})
        subprocess.run([sys.executable, "-c", script, argument, str(fresh)], check=True)
        assert pdf.data == fresh.read_bytes(), request


def test_a_paragraph_split_over_a_page_leaves_the_shared_lines_alone() -> None:
    """A text's line breaks are shared by every paragraph of that text and width in a process;
    reportlab's split edits the words of the lines it splits, so a split must work on its own."""
    from reportlab.lib.styles import getSampleStyleSheet

    from handouts.render.paragraphs import Para

    style = getSampleStyleSheet()["Normal"]
    text = '<font name="Helvetica-Bold">Why:</font> ' + "word " * 60  # two fragments
    first = Para(text, style)
    first.wrap(200, 1000)

    def words(paragraph: Para) -> list[list[str]]:
        return [[w.text for w in line.words] for line in paragraph.blPara.lines]

    before = words(first)
    second = Para(text, style)
    second.wrap(200, 1000)
    assert second.blPara is first.blPara  # shared, not broken again
    top, rest = second.split(200, 40)
    assert len(top.blPara.lines) == 3 and rest.frags
    third = Para(text, style)
    third.wrap(200, 1000)
    assert third.blPara is first.blPara
    assert words(third) == before


def test_one_patients_text_is_not_kept_for_the_next_handout() -> None:
    """Names and notes differ on every handout of a batch: keeping them would only grow memory."""
    from conftest import build_pdf

    from handouts.model import Choice
    from handouts.render import paragraphs

    words = ("Dana Quill", "Dr Orr", "Walk daily, Dana.", "Left side only, Dana.")
    choice = Choice(id="knee-to-opposite-shoulder", notes=words[3])
    for layout in ("standard", "compact", "large-print"):
        _, pdf = build_pdf(
            choices=(choice,), layout=layout, patient=words[0], therapist=words[1], notes=words[2]
        )
        assert all(word in pdf.text for word in words), layout
    kept = " ".join(key[0] for key in paragraphs._PARSED)
    assert "Why:" in kept  # library text is kept
    assert not [word for word in words if word in kept]


def test_no_home_folder_means_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("HANDOUTS_CACHE", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(Path, "home", no_home)
    assert len(library.load_library().exercises) == 9
