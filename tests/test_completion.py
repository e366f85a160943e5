"""Shell completion (click's, through _HANDOUTS_COMPLETE): the values that matter complete from
this machine's library, layouts, languages and printers, never fail and never import reportlab."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.shell_completion import ShellComplete
from click.testing import CliRunner
from conftest import run_python

from handouts import completion
from handouts.cli import cli


def complete(args: list[str], incomplete: str) -> list[tuple[str, str]]:
    """(type, value) of each completion click offers for `handouts ARGS INCOMPLETE`."""
    completion.attach(cli)  # what `handouts` does when the shell asks
    found = ShellComplete(cli, {}, "handouts", "_HANDOUTS_COMPLETE").get_completions(
        args, incomplete
    )
    return [(item.type, item.value) for item in found]


def values(args: list[str], incomplete: str) -> list[str]:
    return [value for _, value in complete(args, incomplete)]


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


OURS = """\
    version: 1
    exercises:
      - id: wall-sit
        title: Wall sit
        purpose: Builds strength in your thighs.
        steps: [Stand with your back against a wall.]
        aliases: [wall squat]
    programs:
      - id: knees
        title: Exercises for your knees
        intro: Do these slowly.
        exercises: [wall-sit]
    """


def test_program_ids(tmp_path: Path) -> None:
    assert values(["build", "--program"], "sciatica-") == ["sciatica-gentle", "sciatica-strength"]
    assert values(["rx", "new", "-p"], "") == ["sciatica", "sciatica-gentle", "sciatica-strength"]
    ours = write(tmp_path / "ours.yaml", OURS)
    assert values(["build", "--library", str(ours), "--program"], "k") == ["knees"]


def test_exercise_ids_and_their_other_names() -> None:
    assert values(["build"], "glute-") == ["glute-bridge"]
    assert values(["build", "glute-bridge"], "pelvic") == ["pelvic-tilt", "pelvic tilting"]
    assert values(["show"], "anterior") == ["anterior pelvic tilt", "anterior pelvic tilting"]


def test_layout_names_and_files() -> None:
    assert values(["build", "--layout"], "") == ["compact", "large-print", "standard"]
    assert values(["batch", "day.csv", "--layout"], "la") == ["large-print"]
    assert complete(["build", "--layout"], "./ours") == [("file", "./ours")]


def test_languages_from_the_library_typed_or_in_the_settings(tmp_path, monkeypatch) -> None:
    assert values(["build", "--lang"], "") == ["en", "es"]
    assert values(["check", "--lang"], "e") == ["en", "es"]
    french = textwrap.dedent(OURS) + textwrap.dedent("""\
        languages:
          fr:
            name: Français
            status: draft
            locale: fr-CA
            labels: {why: Pourquoi}
        """)  # fmt: skip
    ours = write(tmp_path / "ours.yaml", french)
    settings = write(tmp_path / "settings.yaml", "library: ours.yaml\n")
    monkeypatch.setenv("HANDOUTS_CONFIG", str(settings))
    assert values(["list", "--lang"], "f") == ["fr"]
    assert values(["build", "--program"], "k") == ["knees"]
    assert ours.exists()


def test_a_broken_library_or_settings_file_completes_nothing(tmp_path, monkeypatch) -> None:
    broken = write(tmp_path / "broken.yaml", "exercises: [\n")
    assert values(["build", "--library", str(broken), "--program"], "") == []
    monkeypatch.setenv("HANDOUTS_CONFIG", str(write(tmp_path / "s.yaml", "colour: red\n")))
    assert values(["build", "--program"], "") == []


def fake_tools(folder: Path, lpstat: str) -> Path:
    """`lp` and an `lpstat` that runs `lpstat` (shell), in a folder for PATH."""
    folder.mkdir()
    for name, body in (("lp", "exit 0"), ("lpstat", lpstat)):
        path = folder / name
        path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return folder


def test_printers_come_from_cups(tmp_path, monkeypatch) -> None:
    tools = fake_tools(tmp_path / "bin", 'test "$1" = -e && printf "front-desk\\nback_office\\n"')
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    assert completion.printer_names() == ["front-desk", "back_office"]
    assert [i.value for i in completion.printers(None, "back")] == ["back_office"]


@pytest.mark.parametrize("lpstat", ["exit 1", "echo 'lpstat: scheduler is not running' >&2; exit 1",
                                    "sleep 5; echo late"])  # fmt: skip
def test_printers_never_fail_or_wait(tmp_path, monkeypatch, lpstat: str) -> None:
    tools = fake_tools(tmp_path / "bin", lpstat)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    start = time.monotonic()
    assert completion.printer_names(timeout=0.5) == []
    assert time.monotonic() - start < 3


def test_no_printers_without_lp(tmp_path, monkeypatch) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert completion.printer_names() == []


def test_the_shell_asks_through_the_environment_variable() -> None:
    env = {"_HANDOUTS_COMPLETE": "bash_complete", "COMP_WORDS": "handouts build --program sc",
           "COMP_CWORD": "3"}  # fmt: skip
    result = CliRunner().invoke(cli, [], env=env, prog_name="handouts",
                                complete_var="_HANDOUTS_COMPLETE")  # fmt: skip
    assert result.exit_code == 0
    assert result.stdout == "plain,sciatica\nplain,sciatica-gentle\nplain,sciatica-strength\n"


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_each_shell_gets_its_script(shell: str, tmp_path: Path) -> None:
    env = {**os.environ, "_HANDOUTS_COMPLETE": f"{shell}_source"}
    done = subprocess.run([sys.executable, "-m", "handouts"], env=env, capture_output=True,
                          text=True, cwd=tmp_path, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "_HANDOUTS_COMPLETE" in done.stdout and "handouts" in done.stdout


def test_completing_never_imports_reportlab(tmp_path: Path) -> None:
    code = (
        "import os, sys; os.environ.update(_HANDOUTS_COMPLETE='bash_complete', "
        "COMP_WORDS='handouts build --layout s', COMP_CWORD='3'); "
        "from handouts.cli import run; status = run(); "
        "print(status, [m for m in sys.modules if m.startswith('reportlab')])"
    )
    done = run_python("-c", code, cwd=tmp_path)
    assert done.stdout == "plain,standard\n0 []\n", done.stderr
