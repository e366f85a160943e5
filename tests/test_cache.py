"""The library cache: `handouts list` and cold builds skip YAML while the files are unchanged."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from handouts.compose import find_exercise
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
    path.write_text(textwrap.dedent(WALL_SIT) + "programs: [{id: p, title: P, exercises: []}]\n")
    for _ in range(2):
        with pytest.raises(ValidationError):
            library.load_library(path)
    assert entries(folder) == []


def test_a_library_whose_only_problems_are_in_an_exercise_is_kept_with_them(
    folder: Path, tmp_path: Path
) -> None:
    path = tmp_path / "lib.yaml"
    path.write_text(textwrap.dedent(WALL_SIT).replace("steps: [Stand against a wall.]", ""))
    cold = library.load_library(path)
    assert list(cold.broken) == ["wall-sit"] and "wall-sit" not in cold.exercises
    assert entries(folder) == ["library"]
    assert library.load_library(path) == cold  # from the cache: the same problems


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


# -- the cache can never change what prints, nor what fails ------------------------------------
PHOTO_LIBRARY = """\
    exercises:
      - id: wall-sit
        title: Wall sit
        purpose: Builds strength.
        steps: [Stand against a wall.]
        images: {start: start.png}
    """


def handouts(*args: str, cwd: Path, cache_folder: Path | str) -> subprocess.CompletedProcess:
    """`handouts ARGS` in a new process (a cold start), with the cache in `cache_folder`."""
    import os

    env = {**os.environ, "HANDOUTS_CACHE": str(cache_folder)}
    env.pop("HANDOUTS_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "handouts", *args], cwd=cwd, env=env, capture_output=True, text=True
    )


def test_a_copy_with_the_same_size_and_time_is_read_again(folder: Path, tmp_path: Path) -> None:
    """`cp -p` or `rsync -t` of an edited library keeps its size and modification time."""
    import os

    from handouts.build import BuildRequest, library_of

    path = tmp_path / "lib.yaml"
    path.write_text(textwrap.dedent(WALL_SIT), encoding="utf-8")
    before = path.stat()
    assert library.load_library(path).exercises["wall-sit"].title == "Wall sit"
    assert library_of(BuildRequest(library=path)).exercises["wall-sit"].title == "Wall sit"
    path.write_text(textwrap.dedent(WALL_SIT).replace("Wall sit", "Wall bar"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert library.load_library(path).exercises["wall-sit"].title == "Wall bar"  # the cache
    assert library_of(BuildRequest(library=path)).exercises["wall-sit"].title == "Wall bar"  # memo
    run = handouts("show", "wall-sit", "--library", str(path), cwd=tmp_path, cache_folder=folder)
    assert run.returncode == 0 and "Wall bar" in run.stdout


@pytest.mark.parametrize("named", ["nope.yaml", "a-folder"])
def test_a_missing_library_stops_the_command_with_a_warm_cache(
    named: str, folder: Path, tmp_path: Path
) -> None:
    (tmp_path / "a-folder").mkdir()
    args = ["build", "--program", "sciatica", "--date", "2026-11-29", "-o", "out.pdf"]
    assert handouts(*args, cwd=tmp_path, cache_folder=folder).returncode == 0  # warm
    (tmp_path / "out.pdf").unlink()
    cold = handouts(*args, "--library", named, cwd=tmp_path, cache_folder="off")
    for _ in range(2):
        warm = handouts(*args, "--library", named, cwd=tmp_path, cache_folder=folder)
        assert (warm.returncode, warm.stderr, warm.stdout) == (2, cold.stderr, "")
    expected = {
        "nope.yaml": "Error: nope.yaml: library file not found\n",
        "a-folder": "Error: Invalid value for '--library': File 'a-folder' is a directory.\n",
    }
    assert cold.returncode == 2 and cold.stderr.endswith(expected[named])
    assert not (tmp_path / "out.pdf").exists()


def photo_library(tmp_path: Path) -> Path:
    from conftest import make_png

    clinic = tmp_path / "clinic"
    clinic.mkdir()
    make_png(clinic / "start.png")
    (clinic / "lib.yaml").write_text(textwrap.dedent(PHOTO_LIBRARY), encoding="utf-8")
    return clinic / "lib.yaml"


def moved_outside(photo: Path) -> None:
    outside = photo.parent.parent / "elsewhere.png"
    photo.rename(outside)
    photo.symlink_to(outside)  # the same name now leads out of the library's folder


@pytest.mark.parametrize("change", [Path.unlink, moved_outside], ids=["deleted", "outside"])
def test_a_photo_is_checked_with_a_warm_cache_as_without(
    change, folder: Path, tmp_path: Path
) -> None:
    lib = photo_library(tmp_path)
    args = ["build", "wall-sit", "--library", str(lib), "--date", "2026-11-29", "-o", "out.pdf"]
    assert handouts(*args, cwd=tmp_path, cache_folder=folder).returncode == 0
    assert entries(folder) == ["layout", "library", "picture"]  # the photo, made print-ready
    change(lib.parent / "start.png")
    cold = handouts(*args, cwd=tmp_path, cache_folder="off")
    assert cold.returncode == 2
    assert cold.stderr.startswith(f"Error: {lib}:6: exercises[0] 'wall-sit': images.start ")
    warm = handouts(*args, cwd=tmp_path, cache_folder=folder)
    assert (warm.returncode, warm.stderr) == (2, cold.stderr)


@pytest.mark.parametrize("cache_on", [True, False], ids=["cache", "no-cache"])
@pytest.mark.parametrize("change", [Path.unlink, moved_outside], ids=["deleted", "outside"])
def test_a_photo_is_checked_again_in_the_same_process(
    change, cache_on: bool, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The library a process keeps for a batch is checked too (build.py's memo)."""
    from handouts.build import BuildRequest, library_of
    from handouts.errors import InputError

    if not cache_on:
        monkeypatch.setenv("HANDOUTS_CACHE", "off")
    lib = photo_library(tmp_path)
    first = library_of(BuildRequest(library=lib))
    assert first.exercises["wall-sit"].images == ((lib.parent / "start.png").resolve(),)
    change(lib.parent / "start.png")
    again = library_of(BuildRequest(library=lib))  # wall-sit is left out, with its problem
    assert "wall-sit" not in again.exercises
    (problem,) = again.broken["wall-sit"]
    assert problem.startswith(f"{lib}:6: exercises[0] 'wall-sit': images.start ")
    with pytest.raises((InputError, ValidationError), match=r"images\.start"):
        find_exercise(again, "wall-sit")


def test_a_missing_logo_is_noticed_in_the_same_process(tmp_path: Path) -> None:
    from conftest import write_full_brand

    from handouts.build import _loaded
    from handouts.errors import InputError
    from handouts.load.brand import load_brand

    brand = write_full_brand(tmp_path)
    assert _loaded(load_brand, brand).logo == tmp_path / "logo.png"
    (tmp_path / "logo.png").unlink()
    with pytest.raises((InputError, ValidationError), match="logo 'logo.png' was not found"):
        _loaded(load_brand, brand)


def the_entry(folder: Path, kind: str = "library") -> Path:
    (entry,) = folder.glob(f"{kind}-*.pickle")
    return entry


def poisoned(marker: Path) -> bytes:
    """A pickle that makes `marker` when it is loaded: what a pickle from someone else can do."""
    import os

    class Payload:
        def __reduce__(self):
            return (os.mkdir, (str(marker),))

    return pickle.dumps(Payload())


def wrong_entries(entry: Path) -> dict[str, bytes]:
    good = entry.read_bytes()
    form, kind, key, checks, value = pickle.loads(good)
    return {
        "garbage": b"\x80\x05not a pickle at all",
        "empty": b"",
        "truncated": good[: len(good) // 2],
        "a dict": pickle.dumps({"exercises": {}}),
        "a string as the library": pickle.dumps((form, kind, key, checks, "a library")),
        "an old format": pickle.dumps((1, kind, key, checks, value)),
        "another kind": pickle.dumps((form, "qr", key, checks, value)),
        "bad checks": pickle.dumps((form, kind, key, [("a", 1)], value)),
        "an old bare value": pickle.dumps(value),
    }


def test_an_entry_that_is_not_what_it_should_be_is_a_miss(folder: Path) -> None:
    first = library.load_library()
    entry = the_entry(folder)
    good = entry.read_bytes()
    for case, data in wrong_entries(entry).items():
        entry.write_bytes(data)
        assert library.load_library() == first, case  # read again from the YAML...
        assert entry.read_bytes() == good, case  # ...and kept again
        assert library.load_library() == first, case


def test_a_wrong_layout_entry_is_a_miss(folder: Path) -> None:
    from handouts.load.layout import load_layout

    first = load_layout("compact")
    entry = the_entry(folder, "layout")
    form, kind, key, checks, _ = pickle.loads(entry.read_bytes())
    entry.write_bytes(pickle.dumps((form, kind, key, checks, library.load_library())))
    assert load_layout("compact") == first


def test_entries_and_the_folder_are_private(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from handouts.render import qr

    old = os.umask(0)  # even when the umask would let everyone read and write
    try:
        library.load_library()
        qr.qr_runs.cache_clear()
        qr.qr_runs("https://example.org/private")
        qr.qr_runs.cache_clear()
    finally:
        os.umask(old)
    assert folder.stat().st_mode & 0o777 == 0o700
    assert sorted(p.stat().st_mode & 0o777 for p in folder.iterdir()) == [0o600, 0o600]
    assert entries(folder) == ["library", "qr"]


def make_entries_then(folder: Path, tmp_path: Path, change) -> list[Path]:
    """Fill the cache with a library and a QR code, replace each entry by a poisoned pickle,
    then `change` things; the markers that loading either would make."""
    from handouts.render import qr

    library.load_library()
    qr.qr_runs.cache_clear()
    qr.qr_runs("https://example.org/x")
    qr.qr_runs.cache_clear()
    markers = []
    for kind in ("library", "qr"):
        markers.append(tmp_path / f"the-{kind}-pickle-ran")
        the_entry(folder, kind).write_bytes(poisoned(markers[-1]))
        change(the_entry(folder, kind))
    return markers


def use_the_cache() -> None:
    from handouts.render import qr

    assert len(library.load_library().exercises) == 9
    qr.qr_runs.cache_clear()
    assert qr.qr_runs("https://example.org/x") == qr._encode("https://example.org/x")
    qr.qr_runs.cache_clear()


def shared_folder(entry: Path) -> None:
    entry.parent.chmod(0o777)


def shared_entry(entry: Path) -> None:
    entry.chmod(0o644)


def linked_entry(entry: Path) -> None:
    target = entry.with_suffix(".bin")
    entry.rename(target)
    entry.symlink_to(target)


def listing(folder: Path) -> list[tuple[str, int]]:
    return sorted((p.name, p.lstat().st_mtime_ns) for p in folder.iterdir())


@pytest.mark.parametrize("change", [shared_folder, shared_entry, linked_entry])
def test_the_cache_reads_only_the_users_own_private_files(
    change, folder: Path, tmp_path: Path
) -> None:
    markers = make_entries_then(folder, tmp_path, change)
    before = listing(folder)
    use_the_cache()
    assert not [marker for marker in markers if marker.exists()]  # no pickle was loaded
    if change is shared_folder:  # nothing is written in a folder others can write to
        assert listing(folder) == before
    else:  # the user's own private folder: the entries are made again, private
        for kind in ("library", "qr"):
            assert the_entry(folder, kind).lstat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("whose", ["folder", "entry"])
def test_the_cache_reads_nothing_another_user_owns(
    whose: str, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run as root here: another owner is made by changing what os.stat / os.fstat report."""
    import os

    markers = make_entries_then(folder, tmp_path, lambda entry: None)
    real = os.fstat if whose == "entry" else os.stat

    def someone_elses(*args, **kwargs):
        status = list(real(*args, **kwargs))
        status[4] = os.geteuid() + 1000  # st_uid
        return os.stat_result(status)

    before = listing(folder)
    monkeypatch.setattr(os, "fstat" if whose == "entry" else "stat", someone_elses)
    use_the_cache()
    monkeypatch.undo()
    assert not [marker for marker in markers if marker.exists()]
    if whose == "folder":  # nothing is written in a folder not ours
        assert listing(folder) == before


def test_another_users_id_is_refused(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same check from the other side: files made by root, read by a user who is not."""
    import os

    markers = make_entries_then(folder, tmp_path, lambda entry: None)
    before = listing(folder)
    monkeypatch.setattr(os, "geteuid", lambda: 4321)
    use_the_cache()
    assert not [marker for marker in markers if marker.exists()]
    assert listing(folder) == before


def test_a_batch_with_a_warm_cache_writes_the_same_files(folder: Path, tmp_path: Path) -> None:
    """The batch's own tests run with the cache off (one module-wide run): the same batch, once
    off and twice warm, gives the same bytes."""
    csv = tmp_path / "p.csv"
    csv.write_text("patient,program\nJane Doe,sciatica\nBob Smith,sciatica-gentle\n")
    outputs = []
    for number, cache_folder in enumerate(["off", folder, folder]):
        out = tmp_path / f"out{number}"
        out.mkdir()
        args = ["batch", str(csv), "--out-dir", str(out), "--date", "2026-11-29"]
        assert handouts(*args, cwd=tmp_path, cache_folder=cache_folder).returncode == 0
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert len(outputs[0]) == 2 and outputs[0] == outputs[1] == outputs[2]
