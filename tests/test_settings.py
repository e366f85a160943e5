"""The clinic's settings file: read like every other file, merged into every command's options
(typed > environment > file > default), shown by `handouts config`, started by `config init`."""

from __future__ import annotations

import json
import os
import stat
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATE_ARG, DEFAULT_CLINIC, Pdf, flat, leftovers, new_folder, run_python
from test_mail import Recorder, smtp_server

from handouts.cli import cli
from handouts.errors import InputError, ValidationError
from handouts.load.settings import load_settings, read_settings, settings_path
from handouts.model import Settings
from handouts.settings import STARTER, smtp_environ

NO_ENV: dict[str, str] = {}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def clinic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A settings folder with a brand, a library and an output folder, and HANDOUTS_CONFIG at
    its settings.yaml (not written yet)."""
    folder = tmp_path / "clinic"
    write(folder / "brand.yaml", "name: Riverside Physical Therapy\nemail: desk@example.org\n")
    write(
        folder / "ours.yaml",
        """\
        version: 1
        exercises:
          - id: wall-sit
            title: Wall sit
            purpose: Builds strength in your thighs.
            steps: [Stand with your back against a wall., Slide down a little.]
            aliases: [wall squat]
        programs:
          - id: knees
            title: Exercises for your knees
            intro: Do these slowly.
            exercises: [wall-sit]
        """,
    )
    (folder / "out").mkdir()
    monkeypatch.setenv("HANDOUTS_CONFIG", str(folder / "settings.yaml"))
    for name in ("HANDOUTS_SMTP_HOST", "HANDOUTS_SMTP_PORT", "HANDOUTS_SMTP_SECURITY",
                 "HANDOUTS_SMTP_USER", "HANDOUTS_SMTP_PASSWORD", "LPDEST", "PRINTER"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    return folder


FULL = textwrap.dedent("""\
    brand: brand.yaml
    library: ours.yaml
    layout: compact
    paper: a4
    lang: es
    therapist: Sam Lee, PT
    output_folder: out
    printer: front-desk
    smtp:
      host: smtp.example.org
      port: 2525
      security: ssl
      user: desk
    """)


def invoke(args: list[str], folder: Path, **env: str):
    with new_folder(folder) as here:
        return CliRunner().invoke(cli, args, env=env or None), here


# -- reading ------------------------------------------------------------------------------------
def test_a_settings_file_reads_every_setting_relative_to_itself(clinic: Path) -> None:
    path = write(clinic / "settings.yaml", FULL)
    found = read_settings(path)
    assert found == Settings(
        path=path,
        brand=clinic / "brand.yaml",
        library=clinic / "ours.yaml",
        layout="compact",
        paper="a4",
        lang="es",
        therapist="Sam Lee, PT",
        output_folder=clinic / "out",
        printer="front-desk",
        smtp_host="smtp.example.org",
        smtp_port="2525",
        smtp_security="ssl",
        smtp_user="desk",
    )
    assert found.origins["brand"] == f"{path}:1"
    assert found.origins["printer"] == f"{path}:8"
    assert found.origins["smtp_port"] == f"{path}:11"


def test_a_layout_file_in_the_settings_is_relative_to_them(clinic: Path) -> None:
    write(clinic / "layouts" / "ours.yaml", "extends: compact\nname: ours\n")
    path = write(clinic / "settings.yaml", "layout: layouts/ours.yaml\n")
    assert read_settings(path).layout == str(clinic / "layouts" / "ours.yaml")


def test_every_problem_at_once_with_file_line_and_key(clinic: Path) -> None:
    path = write(
        clinic / "settings.yaml",
        """\
        brand: clinic.yaml
        libary: ours.yaml
        layout: compakt
        paper: legal
        lang: Spanish
        output_folder: nowhere
        printer: front desk
        smtp:
          host: smtp.example.org:587
          port: 70000
          security: tls
          password: secret
        """,
    )
    with pytest.raises(ValidationError) as caught:
        read_settings(path)
    assert caught.value.problems == [
        f"{path}:1: brand 'clinic.yaml' was not found (looked for {clinic / 'clinic.yaml'})",
        f"{path}:2: libary is not a known key (did you mean 'library'?); expected one of: brand, library, layout, paper, lang, therapist, output_folder, printer, smtp, access_code, signing_key",
        f"{path}:3: layout must be one of compact, large-print, standard or a layout file, got 'compakt' (did you mean 'compact'?)",
        f"{path}:4: paper must be one of letter, a4, got 'legal'",
        f"{path}:5: lang must be a language code like en or es, got 'Spanish'",
        f"{path}:6: output_folder 'nowhere' was not found (looked for {clinic / 'nowhere'})",
        f"{path}:7: printer must be a printer's name as 'handouts printers' lists it (no spaces, slashes or #), got 'front desk'",
        f"{path}:9: smtp.host must be a server name like smtp.example.org, got 'smtp.example.org:587' (give the port as smtp.port)",
        f"{path}:10: smtp.port must be from 1 to 65535, got 70000",
        f"{path}:11: smtp.security must be one of starttls, ssl, none, got 'tls'",
        f"{path}:12: smtp.password is never read from a file (anyone who can read the file could read it): set HANDOUTS_SMTP_PASSWORD in the environment instead",
    ]
    assert "secret" not in str(caught.value)


def test_a_file_that_is_not_settings(clinic: Path) -> None:
    path = write(clinic / "settings.yaml", "- brand.yaml\n")
    with pytest.raises(ValidationError) as caught:
        read_settings(path)
    assert caught.value.problems == [
        f"{path}:1: expected settings like 'brand: clinic.yaml', got a list"
    ]
    folder = clinic / "folder.yaml"
    folder.mkdir()
    with pytest.raises(InputError, match=r"folder.yaml: settings file is a folder"):
        load_settings(NO_ENV, folder)


def test_an_empty_file_or_none_sets_nothing(clinic: Path) -> None:
    empty = write(clinic / "settings.yaml", "# nothing yet\n")
    assert read_settings(empty) == Settings(path=empty)
    assert load_settings(NO_ENV, clinic / "missing.yaml") == Settings()


def test_where_the_settings_are_looked_for(tmp_path: Path, monkeypatch) -> None:
    assert settings_path({"HANDOUTS_CONFIG": "~/ours.yaml"}) == Path.home() / "ours.yaml"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))  # what platformdirs reads here
    assert settings_path({}) == tmp_path / "xdg" / "handouts" / "settings.yaml"


def test_no_settings_file_reads_no_yaml(tmp_path: Path) -> None:
    code = (
        "import sys; from handouts.load.settings import load_settings; s = load_settings(); "
        "print(s == type(s)(), 'yaml' in sys.modules)"
    )
    env_file = tmp_path / "none.yaml"
    done = run_python("-c", f"import os; os.environ['HANDOUTS_CONFIG'] = {str(env_file)!r}; {code}",
                      cwd=tmp_path)  # fmt: skip
    assert done.stdout == "True False\n", done.stderr


# -- the environment over the file ---------------------------------------------------------------
def test_the_environment_wins_over_the_file_setting_by_setting(clinic: Path) -> None:
    path = write(clinic / "settings.yaml", FULL)
    env = {"HANDOUTS_SMTP_HOST": "mail.other.org", "HANDOUTS_SMTP_PORT": " ", "PRINTER": "back",
           "HANDOUTS_SMTP_PASSWORD": "pw"}  # fmt: skip
    found = load_settings(env, path)
    assert (found.smtp_host, found.smtp_port, found.smtp_user) == ("mail.other.org", "2525", "desk")
    assert found.origins["smtp_host"] == "env:HANDOUTS_SMTP_HOST"
    assert found.origins["smtp_port"] == f"{path}:11"  # an empty variable sets nothing
    assert (found.printer, found.origins["printer"]) == ("back", "env:PRINTER")
    assert load_settings({**env, "LPDEST": "side"}, path).printer == "side"  # as lp reads them
    assert smtp_environ(found, env) == {
        "HANDOUTS_SMTP_HOST": "mail.other.org",
        "HANDOUTS_SMTP_PORT": "2525",
        "HANDOUTS_SMTP_SECURITY": "ssl",
        "HANDOUTS_SMTP_USER": "desk",
        "HANDOUTS_SMTP_PASSWORD": "pw",  # the password: only ever from the environment
    }


# -- every command uses them ---------------------------------------------------------------------
def test_build_takes_the_clinic_defaults(clinic: Path, tmp_path: Path) -> None:
    write(clinic / "settings.yaml", FULL.replace("lang: es\n", ""))
    result, here = invoke(["build", "--program", "knees", "--patient", "Jane Doe", "--date",
                           DATE_ARG], tmp_path)  # fmt: skip
    assert result.exit_code == 0, result.output
    written = clinic / "out" / "knees-jane-doe-2026-11-29.pdf"
    assert result.stdout == f"Wrote {written}\n"
    assert leftovers(here) == []
    pdf = Pdf(written.read_bytes())
    text = flat(pdf.text)
    assert "Riverside Physical Therapy" in text and "Sam Lee, PT" in text and "Wall sit" in text
    assert pdf.pages[0].width == pytest.approx(595.28, abs=0.1)  # a4


def test_options_typed_win_over_the_settings(clinic: Path, tmp_path: Path) -> None:
    write(clinic / "settings.yaml", FULL.replace("lang: es\n", ""))
    args = ["build", "glute-bridge", "--brand", str(clinic / "brand.yaml"), "--paper", "letter",
            "--therapist", "Ann Lee", "--library", str(clinic / "ours.yaml"), "-o", "x.pdf"]  # fmt: skip
    result, here = invoke(args, tmp_path)
    assert result.exit_code == 0, result.output
    pdf = Pdf((here / "x.pdf").read_bytes())
    assert pdf.pages[0].width == pytest.approx(612)
    assert "Ann Lee" in pdf.text and "Sam Lee" not in pdf.text
    write(clinic / "settings.yaml", "paper: a4\n")
    result, here = invoke(["build", "glute-bridge", "--layout", "compact", "-o", "y.pdf"], tmp_path)
    assert Pdf((here / "y.pdf").read_bytes()).pages[0].width == pytest.approx(595.28, abs=0.1)


def test_the_catalog_commands_use_the_settings_library(clinic: Path, tmp_path: Path) -> None:
    write(clinic / "settings.yaml", "library: ours.yaml\n")
    listed, _ = invoke(["list"], tmp_path)
    assert listed.exit_code == 0 and "wall-sit" in listed.stdout
    shown, _ = invoke(["show", "wall squat"], tmp_path)
    assert shown.exit_code == 0 and shown.stdout.startswith("Wall sit  (wall-sit)")
    programs, _ = invoke(["programs"], tmp_path)
    assert "knees Exercises for your knees" in " ".join(programs.stdout.split())
    checked, _ = invoke(["check", "--json"], tmp_path)
    assert str(clinic / "ours.yaml") in checked.stdout


def test_check_uses_the_settings_brand(clinic: Path, tmp_path: Path) -> None:
    write(clinic / "settings.yaml", "brand: brand.yaml\n")
    checked, _ = invoke(["check", "--json"], tmp_path)
    assert str(clinic / "brand.yaml") in json.loads(checked.stdout)["files"]


def test_batch_takes_the_settings_brand_and_therapist(clinic: Path, tmp_path: Path) -> None:
    write(clinic / "settings.yaml", "brand: brand.yaml\ntherapist: Sam Lee, PT\nlayout: compact\n")
    write(tmp_path / "day.csv", "patient,program\nJane Doe,sciatica\n")
    args = ["batch", str(tmp_path / "day.csv"), "--out-dir", "today", "--jobs", "1",
            "--date", DATE_ARG]  # fmt: skip
    result, here = invoke(args, tmp_path)
    assert result.exit_code == 0, result.output
    pdf = Pdf((here / "today" / "0002-jane-doe-sciatica-2026-11-29.pdf").read_bytes())
    assert "Riverside Physical Therapy" in pdf.text and "Sam Lee, PT" in pdf.text
    # the compact layout: sciatica's cards on three pages, no plan at a glance (the standard
    # layout takes 11)
    assert pdf.page_count == 3 and "Page 3 of 3" in pdf.texts[2]
    assert "Your plan at a glance" not in pdf.text


def test_the_mail_server_comes_from_the_settings(clinic: Path, tmp_path: Path) -> None:
    recorder = Recorder()
    with smtp_server(recorder) as server:
        write(clinic / "settings.yaml", f"brand: brand.yaml\nsmtp:\n  host: 127.0.0.1\n  port: "
              f"{server.settings.port}\n  security: none\n")  # fmt: skip
        args = ["build", "glute-bridge", "--email", "jane@example.org", "-o", "jane.pdf"]
        result, here = invoke(args, tmp_path)
        assert result.exit_code == 0, result.output
        assert result.stdout == "Wrote jane.pdf\nSent it to jane@example.org\n"
        assert server.received()["To"] == "jane@example.org"
        recorder.envelopes.clear()
        pdf = here / "jane.pdf"
        sent, _ = invoke(["send", str(pdf), "--email", "ann@example.org"], tmp_path)
        assert sent.exit_code == 0, sent.output
        assert sent.stdout == f"Sent {pdf} to ann@example.org\n"
        assert server.received()["To"] == "ann@example.org"


def test_a_login_in_the_file_wants_the_password_in_the_environment(clinic, tmp_path) -> None:
    write(
        clinic / "settings.yaml", "brand: brand.yaml\nsmtp: {host: smtp.example.org, user: desk}\n"
    )
    args = ["build", "glute-bridge", "--email", "jane@example.org", "-o", "jane.pdf"]
    result, here = invoke(args, tmp_path)
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: HANDOUTS_SMTP_USER is set but HANDOUTS_SMTP_PASSWORD is not: set both to log in "
        "to the mail server, or neither\n"
    )
    assert "jane.pdf" not in os.listdir(here)


def test_a_settings_file_naming_a_missing_brand_stops_every_command(clinic, tmp_path) -> None:
    path = write(clinic / "settings.yaml", "therapist: Sam\nbrand: gone.yaml\n")
    for args in (["build", "glute-bridge"], ["list"], ["check"]):
        result, here = invoke(args, tmp_path)
        assert result.exit_code == 2, args
        assert result.stderr == (
            f"Error: {path}:2: brand 'gone.yaml' was not found (looked for {clinic / 'gone.yaml'})\n"
        )
        assert leftovers(here) == []
    assert invoke(["layouts"], tmp_path)[0].exit_code == 0  # it uses no settings


# -- handouts config -----------------------------------------------------------------------------
def test_config_shows_each_setting_and_where_it_came_from(clinic: Path, tmp_path: Path) -> None:
    path = write(clinic / "settings.yaml", "layout: compact\nsmtp:\n  host: smtp.example.org\n")
    env = {"HANDOUTS_SMTP_USER": "desk", "HANDOUTS_SMTP_PASSWORD": "s3cret!"}
    result, _ = invoke(["config"], tmp_path, **env)
    assert result.exit_code == 0, result.output
    origin = f"file:{path}"
    width = len(f"{origin}:3")
    lines = [f"Settings file: {path}"] + [
        f"{where:<{width}}  {line}"
        for where, line in [
            ("default", "brand=(built-in: Pain Management & Injury Relief)"),
            ("default", "library=(the built-in exercises and programs)"),
            (f"{origin}:1", "layout=compact"),
            ("default", "paper=(the layout's: letter)"),
            ("default", "lang=en"),
            ("default", "therapist=(none: a line to write on)"),
            ("default", "output_folder=(the current folder)"),
            ("default", "printer=(the system's default printer)"),
            (f"{origin}:3", "smtp.host=smtp.example.org"),
            ("default", "smtp.port=(587 for starttls, 465 for ssl, 25 for none)"),
            ("default", "smtp.security=starttls"),
            ("env:HANDOUTS_SMTP_USER", "smtp.user=desk"),
            ("default", "access_code=(none: 'handouts serve' answers this computer only)"),
            ("default", "signing_key=(none: a new one each time 'handouts serve' starts)"),
            ("env:HANDOUTS_SMTP_PASSWORD", "smtp.password=(set)"),
        ]
    ]
    assert result.stdout == "\n".join(lines) + "\n"
    assert "s3cret" not in result.output


def test_config_without_a_file_says_how_to_start_one(clinic: Path, tmp_path: Path) -> None:
    result, _ = invoke(["config"], tmp_path)
    assert result.stdout.splitlines()[0] == (
        f"Settings file: {clinic / 'settings.yaml'} (not found: 'handouts config init' writes one)"
    )
    assert f"default  brand=(built-in: {DEFAULT_CLINIC})" in result.stdout


def test_config_init_writes_a_commented_file_never_over_one(tmp_path, monkeypatch) -> None:
    path = tmp_path / "new" / "folder" / "settings.yaml"
    monkeypatch.setenv("HANDOUTS_CONFIG", str(path))
    result, _ = invoke(["config", "init"], tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Wrote {path}\n"
    assert path.read_text(encoding="utf-8") == STARTER
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_settings(path) == Settings(path=path)  # every line is a comment
    path.write_text("paper: a4\n", encoding="utf-8")
    again, _ = invoke(["config", "init"], tmp_path)
    assert again.exit_code == 2
    assert again.stderr == f"Error: {path}: already exists; edit it, or delete it first\n"
    assert path.read_text(encoding="utf-8") == "paper: a4\n"
    other, here = invoke(["config", "init", "-o", "mine.yaml"], tmp_path)
    assert other.exit_code == 0 and (here / "mine.yaml").read_text(encoding="utf-8") == STARTER
    taken = CliRunner().invoke(cli, ["config", "init", "-o", str(here / "mine.yaml")])
    assert (
        taken.stderr == f"Error: {here / 'mine.yaml'}: already exists; give another name with -o\n"
    )


def test_the_starter_file_uncommented_is_valid_settings(clinic: Path) -> None:
    write(clinic / "clinic.yaml", "name: Riverside\n")
    write(clinic / "our-exercises.yaml", "version: 1\n")
    (clinic / "Handouts").mkdir()
    text = "\n".join(
        line[2:] if line.startswith(("# ", "#   ")) and ": " in line and "=" not in line else line
        for line in STARTER.splitlines()
        if not line.startswith(
            ("# The", "# Remove", "# An option", "# the HANDOUTS", "# 'handouts")
        )
    ).replace("~/Handouts", "Handouts")
    path = write(clinic / "settings.yaml", text)
    found = read_settings(path)
    assert (found.brand, found.layout, found.smtp_user) == (
        clinic / "clinic.yaml",
        "standard",
        "front.desk@example.org",
    )
    assert found.output_folder == clinic / "Handouts" and found.printer == "front-desk"


def test_every_option_the_settings_fill_exists() -> None:
    """A renamed option would silently stop taking its setting: each one is there, by name."""
    from handouts.settings import OPTIONS

    for name, options in OPTIONS.items():
        command = cli
        for part in name.split():
            command = command.commands[part]
        params = {p.name for p in command.params}
        assert set(options) <= params, name
        assert all(hasattr(Settings(), option) for option in options)


def test_print_uses_the_settings_printer_and_a_typed_one_wins(clinic: Path, tmp_path: Path) -> None:
    """The settings' printer is where --print and `handouts print` go; it never turns printing
    on by itself, and --printer wins (a printer that is not there shows which one was used)."""
    write(clinic / "settings.yaml", "printer: NotThere\n")
    result, here = invoke(["build", "glute-bridge", "--date", DATE_ARG], tmp_path)
    assert result.exit_code == 0, result.output  # no --print: nothing is printed, no error
    assert "Printed" not in result.stdout
    result, here = invoke(["build", "glute-bridge", "--date", DATE_ARG, "--print"], tmp_path)
    assert result.exit_code == 2
    assert "there is no printer 'NotThere'" in result.stderr
    [pdf] = here.glob("*.pdf")  # the PDF is kept
    result, _ = invoke(["print", str(pdf)], tmp_path)
    assert result.exit_code == 2
    assert "there is no printer 'NotThere'" in result.stderr
    result, _ = invoke(["build", "glute-bridge", "--printer", "AlsoNotThere"], tmp_path)
    assert result.exit_code == 2
    assert "there is no printer 'AlsoNotThere'" in result.stderr
