"""`handouts build --html`: the accessible copy written beside the PDF (same stem, .html),
through deliver.py (private, atomic, never over an input), refused with a password."""

from __future__ import annotations

import os
import stat

from click.testing import CliRunner
from conftest import DATE_ARG, new_folder

from handouts.cli import cli

BUILD = ["build", "--program", "sciatica", "--patient", "Jane Doe", "--date", DATE_ARG]


def run(*args: str):
    return CliRunner().invoke(cli, [*BUILD, *args])


def test_html_is_written_beside_the_pdf_private(tmp_path):
    with new_folder(tmp_path) as folder:
        result = run("--html")
        assert result.exit_code == 0, result.output
        name = "sciatica-jane-doe-2026-11-29"
        assert result.output == (f"Wrote {name}.pdf\nWrote {name}.html (the accessible copy)\n")
        html = (folder / f"{name}.html").read_bytes()
        assert html.startswith(b'<!DOCTYPE html>\n<html lang="en-US">')
        assert b"Jane Doe" in html
        for suffix in (".pdf", ".html"):
            assert stat.S_IMODE(os.stat(folder / f"{name}{suffix}").st_mode) == 0o600
        again = run("--html")  # a second build: both take the next free name together
        assert again.exit_code == 0, again.output
        assert sorted(os.listdir(folder)) == sorted(
            f"{name}{n}{s}" for n in ("", "-2") for s in (".pdf", ".html")
        )


def test_without_html_no_copy_is_written(tmp_path):
    with new_folder(tmp_path) as folder:
        assert run().exit_code == 0
        assert os.listdir(folder) == ["sciatica-jane-doe-2026-11-29.pdf"]


def test_with_o_the_copy_takes_the_pdfs_stem(tmp_path):
    with new_folder(tmp_path) as folder:
        (folder / "jane.html").write_text("old")
        result = run("--html", "-o", "jane.pdf")
        assert result.exit_code == 0, result.output
        assert (folder / "jane.html").read_bytes().startswith(b"<!DOCTYPE html>")


def test_the_copy_never_replaces_a_file_the_build_reads(tmp_path):
    with new_folder(tmp_path) as folder:
        library = folder / "ours.yaml"
        library.write_text("version: 1\n", encoding="utf-8")
        os.link(library, folder / "jane.html")
        result = run("--html", "-o", "jane.pdf", "--library", "ours.yaml")
        assert result.exit_code == 2
        assert "jane.html: is a file this command reads (ours.yaml)" in result.output
        assert sorted(os.listdir(folder)) == ["jane.html", "ours.yaml"]
        assert library.read_text() == "version: 1\n"


def test_a_default_name_whose_copy_is_taken_leaves_nothing(tmp_path):
    with new_folder(tmp_path) as folder:
        (folder / "sciatica-jane-doe-2026-11-29.html").write_text("someone's")
        result = run("--html")
        assert result.exit_code == 2
        assert "sciatica-jane-doe-2026-11-29.html: already exists" in result.output
        assert os.listdir(folder) == ["sciatica-jane-doe-2026-11-29.html"]


def test_html_with_a_password_is_refused_before_anything_is_written(tmp_path):
    with new_folder(tmp_path) as folder:
        result = run("--html", "--password", "s3cret-pw")
        assert result.exit_code == 2
        assert "--html and --password: the HTML copy cannot be encrypted" in result.output
        assert "s3cret-pw" not in result.output
        assert os.listdir(folder) == []
