"""The accessible HTML copy everywhere the PDF goes: attached beside the PDF in an email
(`build --html --email`, its .eml, a real SMTP server, `send --html`), asked for by a
prescription's `html: true` and a batch's `html` column (one .html per row), and refused with a
password at the place that asked for it."""

from __future__ import annotations

import email
import email.policy
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATE, DATE_ARG, new_folder
from test_mail import Recorder, smtp_server

from handouts.batch import run_batch
from handouts.build import BuildRequest, build
from handouts.cli import cli
from handouts.load import load_library
from handouts.mail import HTML_NOTE

TO = "jane@example.org"
NAME = "sciatica-jane-doe-2026-11-29"
BUILD = ["build", "--program", "sciatica", "--patient", "Jane Doe", "--date", DATE_ARG]


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def write_brand(folder: Path, extra: str = "") -> Path:
    path = folder / "clinic.yaml"
    path.write_text(f"name: Riverside PT\nemail: desk@example.org\n{extra}", encoding="utf-8")
    return path


def read_eml(path: Path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def parts(message) -> list[tuple[str | None, str, bytes]]:
    return [(p.get_filename(), p.get_content_type(), p.get_payload(decode=True))
            for p in message.iter_attachments()]  # the bytes as sent  # fmt: skip


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def labels(lang: str) -> dict:
    return load_library().languages[lang].labels


def test_the_english_catalog_and_the_built_in_note_agree():
    assert labels("en")["email_html"] == HTML_NOTE
    assert labels("es")["email_html"].startswith("El archivo .html adjunto es la misma hoja")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_build_html_email_attaches_both_and_says_what_the_html_is(tmp_path, lang):
    with new_folder(tmp_path) as folder:
        brand = write_brand(folder)
        result = invoke(*BUILD, "--html", "--email", TO, "--brand", str(brand), "--dry-run",
                        "--lang", lang)  # fmt: skip
        assert result.exit_code == 0, result.output
        assert result.output.endswith(f"Wrote {NAME}.pdf\nWrote {NAME}.html (the accessible "
                                      f"copy)\nWrote {NAME}.eml (the email, not sent)\n")  # fmt: skip
        message = read_eml(folder / f"{NAME}.eml")
        assert parts(message) == [
            (f"{NAME}.pdf", "application/pdf", (folder / f"{NAME}.pdf").read_bytes()),
            (f"{NAME}.html", "text/html", (folder / f"{NAME}.html").read_bytes()),
        ]
        lines = text_of(message).split("\n")
        words = labels(lang)
        at = lines.index(words["email_body"])
        assert lines[at + 1 : at + 3] == ["", words["email_html"]]  # right after "attached"
        assert sorted(os.listdir(folder)) == sorted(
            ["clinic.yaml", f"{NAME}.pdf", f"{NAME}.html", f"{NAME}.eml"]
        )


def test_without_html_the_email_carries_the_pdf_alone(tmp_path):
    with new_folder(tmp_path) as folder:
        brand = write_brand(folder)
        result = invoke(*BUILD, "--email", TO, "--brand", str(brand), "--dry-run")
        assert result.exit_code == 0, result.output
        message = read_eml(folder / f"{NAME}.eml")
        assert [p[:2] for p in parts(message)] == [(f"{NAME}.pdf", "application/pdf")]
        assert ".html" not in text_of(message)


def test_a_brand_message_gets_the_note_at_its_end(tmp_path):
    with new_folder(tmp_path) as folder:
        brand = write_brand(folder, "message:\n  en:\n    subject: From $clinic\n"
                                    "    body: |\n      Hello $patient, here it is.\n")  # fmt: skip
        result = invoke(*BUILD, "--html", "--email", TO, "--brand", str(brand), "--dry-run")
        assert result.exit_code == 0, result.output
        assert text_of(read_eml(folder / f"{NAME}.eml")) == (
            f"Hello Jane Doe, here it is.\n\n{HTML_NOTE}\n"
        )


def test_a_real_server_receives_both(tmp_path):
    with smtp_server(Recorder()) as server, new_folder(tmp_path) as folder:
        s = server.settings
        smtp = {"HANDOUTS_SMTP_HOST": s.host, "HANDOUTS_SMTP_PORT": str(s.port),
                "HANDOUTS_SMTP_SECURITY": "none"}  # fmt: skip
        built = build(BuildRequest(program="sciatica", patient="Jane Doe", date=DATE,
                                   brand=write_brand(folder), email=TO, html=True, smtp=smtp,
                                   folder=folder))  # fmt: skip
        assert built.sent_to == TO and built.html == folder / f"{NAME}.html"
        (envelope,) = server.handler.envelopes
        got = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert [(n, t) for n, t, _ in parts(got)] == [
            (f"{NAME}.pdf", "application/pdf"),
            (f"{NAME}.html", "text/html"),
        ]
        assert parts(got)[1][2] == built.html.read_bytes()


def test_a_failed_send_says_how_to_send_both_again(tmp_path):
    with new_folder(tmp_path) as folder:
        smtp = {"HANDOUTS_SMTP_HOST": "127.0.0.1", "HANDOUTS_SMTP_PORT": "9",
                "HANDOUTS_SMTP_SECURITY": "none"}  # fmt: skip
        result = CliRunner(env=smtp).invoke(cli, [*BUILD, "--html", "--email", TO, "--brand",
                                                  str(write_brand(folder))])  # fmt: skip
        assert result.exit_code == 1, result.output
        assert f"handouts send {NAME}.pdf --email {TO} --brand " in result.output
        assert result.output.rstrip().endswith("--html")
        assert (folder / f"{NAME}.html").exists()


def test_send_html_attaches_the_copy_beside_the_pdf(tmp_path):
    with new_folder(tmp_path) as folder:
        brand = write_brand(folder)
        assert invoke(*BUILD, "--html").exit_code == 0
        result = invoke("send", f"{NAME}.pdf", "--email", TO, "--brand", str(brand), "--html",
                        "--dry-run")  # fmt: skip
        assert result.exit_code == 0, result.output
        message = read_eml(folder / f"{NAME}.eml")
        assert [p[2] for p in parts(message)] == [
            (folder / f"{NAME}.pdf").read_bytes(),
            (folder / f"{NAME}.html").read_bytes(),
        ]
        assert HTML_NOTE in text_of(message)
        os.unlink(folder / f"{NAME}.html")
        result = invoke("send", f"{NAME}.pdf", "--email", TO, "--brand", str(brand), "--html",
                        "--dry-run")  # fmt: skip
        assert result.exit_code == 2
        assert result.output.strip() == (
            f"Error: {NAME}.html: not found: --html sends the accessible copy written beside "
            f"{NAME}.pdf by build --html (the same name, .html)"
        )
        assert not (folder / f"{NAME}-2.eml").exists()


# -- prescriptions ----------------------------------------------------------------------------
def write_rx(folder: Path, html: str) -> Path:
    (folder / "jane.yaml").write_text(f"patient: Jane Doe\nprogram: sciatica\ndate: {DATE_ARG}\n"
                                      f"html: {html}\n")  # fmt: skip
    return Path("jane.yaml")  # (the folder is the current one)


def test_a_prescription_asks_for_the_copy(tmp_path):
    with new_folder(tmp_path) as folder:
        rx = write_rx(folder, "true")
        result = invoke("build", "--rx", str(rx))
        assert result.exit_code == 0, result.output
        assert result.output == f"Wrote {NAME}.pdf\nWrote {NAME}.html (the accessible copy)\n"
        write_rx(folder, "false")
        result = invoke("build", "--rx", str(rx), "-o", "plain.pdf")
        assert result.exit_code == 0, result.output
        assert not (folder / "plain.html").exists()
        result = invoke("build", "--rx", str(rx), "-o", "typed.pdf", "--html")  # typed: wins
        assert (folder / "typed.html").exists(), result.output


def test_a_prescriptions_html_must_be_true_or_false(tmp_path):
    with new_folder(tmp_path) as folder:
        rx = write_rx(folder, "maybe")
        result = invoke("build", "--rx", str(rx))
        assert result.exit_code == 2
        assert result.output == "Error: jane.yaml:4: html must be true or false, got 'maybe'\n"
        assert sorted(os.listdir(folder)) == ["jane.yaml"]


def test_a_prescriptions_html_with_a_password_is_refused_at_its_line(tmp_path):
    with new_folder(tmp_path) as folder:
        rx = write_rx(folder, "true")
        result = invoke("build", "--rx", str(rx), "--password", "blue-heron-7")
        assert result.exit_code == 2
        assert result.output.startswith(
            "Error: jane.yaml:4: html: true and a password: the HTML copy cannot be encrypted "
            "like the PDF"
        ), result.output
        assert "blue-heron-7" not in result.output
        assert sorted(os.listdir(folder)) == ["jane.yaml"]


# -- batches ----------------------------------------------------------------------------------
def write_csv(folder: Path, rows: str) -> Path:
    path = folder / "day.csv"
    path.write_text("patient,program,html\n" + rows, encoding="utf-8")
    return path


def test_a_batch_writes_a_copy_for_each_row_that_asks(tmp_path):
    csv = write_csv(tmp_path, "Ann Lee,sciatica,yes\nBob Ray,sciatica,\nCy Doe,sciatica,No\n"
                              "Di Fox,sciatica,TRUE\n")  # fmt: skip
    out = tmp_path / "out"
    result = run_batch(csv, out, BuildRequest(date=DATE), jobs=1)
    assert not result.failed
    names = sorted(os.listdir(out))
    assert [n for n in names if n.endswith(".html")] == [
        "0002-ann-lee-sciatica-2026-11-29.html",
        "0005-di-fox-sciatica-2026-11-29.html",
    ]
    assert len([n for n in names if n.endswith(".pdf")]) == 4
    first = result.outcomes[0]
    assert first.html == out / "0002-ann-lee-sciatica-2026-11-29.html"
    assert "Ann Lee" in first.html.read_text(encoding="utf-8")
    assert result.outcomes[1].html is None


def test_a_bad_html_value_fails_its_row_alone(tmp_path):
    csv = write_csv(tmp_path, "Ann Lee,sciatica,maybe\nBob Ray,sciatica,yes\n")
    out = tmp_path / "out"
    result = run_batch(csv, out, BuildRequest(date=DATE), jobs=1)
    (failed,) = result.failed
    assert failed.problem == f"{csv}:2: html must be yes or no (or empty: no), got 'maybe'"
    assert sorted(os.listdir(out)) == [
        "0003-bob-ray-sciatica-2026-11-29.html",
        "0003-bob-ray-sciatica-2026-11-29.pdf",
    ]


def test_a_row_asking_for_the_copy_of_an_encrypted_batch_fails_alone(tmp_path):
    csv = write_csv(tmp_path, "Ann Lee,sciatica,yes\nBob Ray,sciatica,\n")
    out = tmp_path / "out"
    result = run_batch(csv, out, BuildRequest(date=DATE, password="blue-heron-7"), jobs=1)
    (failed,) = result.failed
    assert failed.problem.startswith(
        f"{csv}:2: the html column and a password: the HTML copy cannot be encrypted like the PDF"
    ), failed.problem
    assert failed.problem.endswith("make this row without the password")
    assert "blue-heron-7" not in failed.problem and "Ann" not in failed.problem
    assert sorted(os.listdir(out)) == ["0003-bob-ray-sciatica-2026-11-29.pdf"]


def test_the_batch_cli_reports_the_row(tmp_path):
    csv = write_csv(tmp_path, "Ann Lee,sciatica,maybe\nBob Ray,sciatica,yes\n")
    result = invoke("batch", str(csv), "--out-dir", str(tmp_path / "out"), "--jobs", "1",
                    "--date", DATE_ARG)  # fmt: skip
    assert result.exit_code == 1
    assert f"{csv}:2: html must be yes or no (or empty: no), got 'maybe'" in result.output
    assert (tmp_path / "out" / "0003-bob-ray-sciatica-2026-11-29.html").exists()
