"""Deliver: file names, and writing a PDF atomically (never a partial file, never an overwrite)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from conftest import DATE, leftovers

from handouts import deliver
from handouts.build import BuildRequest, build
from handouts.deliver import check_writable, default_name, slug, write_atomic
from handouts.errors import InputError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jane Doe", "jane-doe"),
        ("José Núñez-García", "jose-nunez-garcia"),
        ("Lo\u0301pez", "lopez"),
        ("../../etc/passwd", "etc-passwd"),
        ("  R&D <b> ", "r-d-b"),
        ("✓✓✓", ""),
        ("x" * 100, "x" * 60),
    ],
)
def test_slug(text: str, expected: str) -> None:
    assert slug(text) == expected


def test_default_name_never_overwrites(tmp_path: Path) -> None:
    first = default_name(tmp_path, "sciatica", "Jane Doe", DATE)
    assert first == tmp_path / "sciatica-jane-doe-2026-11-29.pdf"
    first.write_bytes(b"one")
    second = default_name(tmp_path, "sciatica", "Jane Doe", DATE)
    assert second == tmp_path / "sciatica-jane-doe-2026-11-29-2.pdf"
    second.write_bytes(b"two")
    assert default_name(tmp_path, "sciatica", "Jane Doe", DATE).name == (
        "sciatica-jane-doe-2026-11-29-3.pdf"
    )
    assert default_name(tmp_path, "", "", DATE).name == "handout-2026-11-29.pdf"


def test_write_atomic_writes_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    write_atomic(target, b"%PDF-first")
    assert target.read_bytes() == b"%PDF-first"
    write_atomic(target, b"%PDF-second")
    assert target.read_bytes() == b"%PDF-second"
    assert leftovers(tmp_path) == ["out.pdf"]
    assert oct(target.stat().st_mode & 0o777) == oct(0o600)  # health information: private


def test_a_failed_rename_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.pdf"
    target.write_bytes(b"%PDF-old")

    def refuse(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(deliver.os, "replace", refuse)
    with pytest.raises(InputError) as caught:
        write_atomic(target, b"%PDF-new")
    assert (
        caught.value.format_message() == f"{target}: cannot write the PDF: No space left on device"
    )
    assert target.read_bytes() == b"%PDF-old"  # the old file is untouched
    assert leftovers(tmp_path) == ["out.pdf"]  # and no .part file is left


def test_an_interrupted_write_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.pdf"

    def interrupt(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(deliver.os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"%PDF-new")
    assert leftovers(tmp_path) == []


def test_check_writable_messages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InputError) as caught:
        check_writable(tmp_path)
    assert caught.value.format_message() == (
        f"{tmp_path}: is a folder; give a file name for the PDF, like {tmp_path / 'handout.pdf'}"
    )
    missing = tmp_path / "nope" / "x.pdf"
    with pytest.raises(InputError) as caught:
        check_writable(missing)
    assert caught.value.format_message() == (
        f"{missing}: cannot write the PDF, the folder {tmp_path / 'nope'} does not exist"
    )
    # a read-only folder (simulated: the tests may run as root, who can write anywhere)
    real_access = os.access
    monkeypatch.setattr(
        deliver.os, "access", lambda p, mode: False if Path(p) == tmp_path else real_access(p, mode)
    )
    target = tmp_path / "x.pdf"
    with pytest.raises(InputError) as caught:
        check_writable(target)
    assert caught.value.format_message() == (
        f"{target}: cannot write the PDF, the folder {tmp_path} is not writable"
    )


def test_build_writes_a_new_file_in_the_folder(tmp_path: Path) -> None:
    request = BuildRequest(ids=("glute-bridge",), patient="Jane Doe", date=DATE, folder=tmp_path)
    first = build(request).path
    second = build(request).path
    assert first == tmp_path / "handout-jane-doe-2026-11-29.pdf"
    assert second == tmp_path / "handout-jane-doe-2026-11-29-2.pdf"
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes().startswith(b"%PDF-")
    assert leftovers(tmp_path) == sorted([first.name, second.name])


def test_build_checks_the_output_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(request):
        raise AssertionError("the handout was made although it could not be written")

    monkeypatch.setattr("handouts.build.make_handout", fail)
    output = tmp_path / "missing" / "out.pdf"
    with pytest.raises(InputError) as caught:
        build(BuildRequest(program="sciatica", date=DATE, output=output))
    assert "does not exist" in caught.value.format_message()
    assert leftovers(tmp_path) == []
