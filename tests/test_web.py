"""The web app's routes through Flask's test client: every page, the API and its errors, the
access code, CSRF, headers and limits. Renders run in the app's worker pool (one module-wide)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from conftest import DATE

from handouts.model import Settings
from handouts.web import create_app
from handouts.web.renders import Renderer

PROGRAM = {"X-Access-Code": "program"}  # a program's header (no code set: any value)


@pytest.fixture(scope="module")
def renderer():
    r = Renderer(workers=2)
    yield r
    r.close()


def app_for(renderer, settings=None, host="127.0.0.1"):
    app = create_app(settings, host=host, renderer=renderer, today=lambda: DATE)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def client(renderer):
    return app_for(renderer).test_client()


def token(client) -> str:
    page = client.get("/").get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', page)[1]


def leftovers() -> list:
    import tempfile
    from pathlib import Path

    return sorted(Path(tempfile.gettempdir()).glob("handouts-web-*"))


def text_of(pdf: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


# -- the API ---------------------------------------------------------------------------------
def test_a_form_makes_the_pdf_with_the_name_as_typed(client) -> None:
    answer = client.post("/api/handouts", headers=PROGRAM,
                         data={"program": "sciatica", "ids": ["glute-bridge"],
                               "patient": "José Núñez", "date": "2026-11-29"})  # fmt: skip
    assert answer.status_code == 200
    assert answer.mimetype == "application/pdf"
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.headers["Content-Disposition"].startswith("attachment; filename=")
    text = text_of(answer.data)
    assert "José Núñez" in text
    assert "November 29, 2026" in text


def test_json_makes_the_same_pdf_as_the_form_and_as_build(client) -> None:
    from handouts.build import BuildRequest, make_handout

    fields = {"ids": ["glute-bridge", "hip-hinge"], "patient": "Ann", "weeks": 1, "paper": "a4"}
    by_json = client.post("/api/handouts", json=fields, headers=PROGRAM).data
    by_form = client.post("/api/handouts", data={**fields, "weeks": "1"}, headers=PROGRAM).data
    _, built = make_handout(BuildRequest(ids=("glute-bridge", "hip-hinge"), patient="Ann",
                                         log_weeks=1, paper="a4", date=DATE))  # fmt: skip
    assert by_json == by_form == built


def test_bad_fields_answer_400_with_every_problem_in_the_clis_words(client) -> None:
    answer = client.post("/api/handouts", headers=PROGRAM,
                         data={"program": "sciatica", "date": "29/11/2026", "weeks": "13",
                               "paper": "legal", "dose": "hip-hinge:reps=ten"})  # fmt: skip
    assert answer.status_code == 400
    assert answer.json["problems"] == [
        "--date: expected a date like 2026-11-29 (YYYY-MM-DD), got '29/11/2026'",
        "--paper: 'legal' is not one of 'letter', 'a4'",
        "--weeks: '13' is not a whole number from 0 to 12",
        "--dose 'hip-hinge:reps=ten': reps must be a whole number from 1 to 200, got 'ten'",
    ]
    assert answer.json["error"].startswith("4 problems found:")


def test_an_unknown_exercise_says_what_build_says(client) -> None:
    from handouts.build import BuildRequest, make_handout
    from handouts.errors import InputError

    with pytest.raises(InputError) as cli:
        make_handout(BuildRequest(ids=("glute-bridg",), date=DATE))
    answer = client.post("/api/handouts", json={"ids": ["glute-bridg"]}, headers=PROGRAM)
    assert answer.status_code == 400
    assert answer.json == {"error": cli.value.message, "problems": [cli.value.message]}
    assert "Did you mean 'glute-bridge'?" in cli.value.message


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({}, "choose what to print: give exercise ids"),
        ({"program": "sciatica", "lang": "xx"}, "--lang: "),
        ({"program": "sciatica", "layout": "tiny"}, "--layout: "),
        ({"program": "sciatica", "layout": "/etc/x.yaml"}, "--layout: '/etc/x.yaml' is a file"),
        ({"program": "sciatica", "colour": "red"}, "unknown field 'colour'"),
        ({"program": ["a", "b"]}, "--program: give it once, got 2 values"),
        ({"program": "sciatica", "patient": {"a": 1}}, "--patient: expected text, got dict"),
        ({"program": "sciatica", "patient": "\ud800"}, "--patient: the text is not valid Unicode"),
        ({"program": "sciatica", "note": "no colon"}, "--note 'no colon': write it as ID:TEXT"),
    ],
)
def test_each_bad_field_is_400_json(client, fields, problem) -> None:
    answer = client.post("/api/handouts", json=fields, headers=PROGRAM)
    assert answer.status_code == 400
    assert answer.mimetype == "application/json"
    assert any(p.startswith(problem) for p in answer.json["problems"]), answer.json


def test_a_body_that_is_not_a_json_object_is_400(client) -> None:
    answer = client.post("/api/handouts", data="[1]", content_type="application/json",
                         headers=PROGRAM)  # fmt: skip
    assert answer.status_code == 400
    assert answer.json["error"].startswith("expected a JSON object of fields")


def test_a_password_encrypts_the_pdf(client) -> None:
    import pikepdf

    answer = client.post("/api/handouts", json={"ids": ["glute-bridge"], "password": "s3cret-pw"},
                         headers=PROGRAM)  # fmt: skip
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(io.BytesIO(answer.data))
    assert pikepdf.open(io.BytesIO(answer.data), password="s3cret-pw").is_encrypted


def test_exercises_and_programs_answer_what_list_and_programs_print(client) -> None:
    from click.testing import CliRunner

    from handouts.cli import cli

    runner = CliRunner()
    listed = runner.invoke(cli, ["list", "--json"]).output
    assert client.get("/api/exercises").get_json() == json.loads(listed)
    programs = runner.invoke(cli, ["programs", "--json"]).output
    assert client.get("/api/programs").get_json() == json.loads(programs)
    assert [p["id"] for p in json.loads(programs)][:1] == ["sciatica"]
    region = client.get("/api/exercises?region=hip").get_json()
    assert region == json.loads(runner.invoke(cli, ["list", "--json", "--region", "hip"]).output)


def test_the_preview_is_each_page_as_png_and_is_drawn_once(renderer, client) -> None:
    import base64

    fields = {"program": "sciatica", "patient": "Preview Once"}
    first = client.post("/api/preview", json=fields, headers=PROGRAM)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "no-store"
    assert first.json["page"] == 1 and first.json["pages"] > 1
    last = client.post("/api/preview", json={**fields, "page": first.json["pages"]},
                       headers=PROGRAM)  # fmt: skip
    images = [base64.b64decode(a.json["image"]) for a in (first, last)]
    assert all(png[:8] == b"\x89PNG\r\n\x1a\n" for png in images) and images[0] != images[1]
    calls = []
    original = renderer._run
    renderer._run = lambda *a: calls.append(a) or original(*a)
    try:
        again = client.post("/api/preview", json=fields, headers=PROGRAM)
        pdf = client.post("/api/handouts", json=fields, headers=PROGRAM)
    finally:
        renderer._run = original
    assert calls == []  # both from memory: no page drawn twice
    assert again.json == first.json
    assert "Preview Once" in text_of(pdf.data)
    beyond = client.post("/api/preview", json={**fields, "page": 99}, headers=PROGRAM)
    assert beyond.status_code == 400
    assert (
        beyond.json["error"] == f"page: expected a page from 1 to {first.json['pages']}, got '99'"
    )


def test_the_rx_file_rebuilds_the_same_handout(client, tmp_path) -> None:
    from handouts.build import BuildRequest, make_handout, with_prescription

    fields = {"program": "sciatica", "ids": ["banded-squat"], "choose": ["cobra-pose"],
              "dose": ["hip-hinge:reps=8,sets=3,load=light band, red"],
              "note": ["glute-bridge:Squeeze at the top."], "patient": "José Núñez",
              "notes": "Two lines\nof notes.", "weeks": 2, "date": "2026-11-29"}  # fmt: skip
    rx = client.post("/api/rx", json=fields, headers=PROGRAM)
    assert rx.status_code == 200
    path = tmp_path / "rx.yaml"
    path.write_bytes(rx.data)
    rebuilt = with_prescription(BuildRequest(date=dt.date(2000, 1, 1)), path, set())
    pdf = client.post("/api/handouts", json=fields, headers=PROGRAM).data
    assert make_handout(rebuilt)[1] == pdf
    loaded = client.post("/api/rx/load", headers=PROGRAM,
                         data={"rx": (io.BytesIO(rx.data), "jose.yaml")})  # fmt: skip
    assert loaded.status_code == 200
    assert loaded.json["patient"] == "José Núñez"
    assert loaded.json["choose"] == ["cobra-pose"]
    assert "hip-hinge:reps=8,sets=3,load=light band, red" in loaded.json["dose"]


def test_a_bad_rx_file_is_400_naming_the_file_not_a_temporary_path(client) -> None:
    answer = client.post("/api/rx/load", headers=PROGRAM,
                         data={"rx": (io.BytesIO(b"exercises: [glute-bridg]\n"), "ann.yaml")})  # fmt: skip
    assert answer.status_code == 400
    assert answer.json["problems"][0].startswith("ann.yaml:1: ")
    assert "/tmp" not in answer.json["error"]


def test_a_batch_streams_progress_then_the_merged_pdf_zip_and_failed_rows(client) -> None:
    import base64
    import zipfile

    csv = "patient,program,exercises\nJosé Núñez,sciatica,\nAnn,,glute-bridg\nBo,,hip-hinge\n"
    answer = client.post("/api/batches", headers=PROGRAM,
                         data={"csv": (io.BytesIO(csv.encode()), "day.csv"), "date": "2026-11-29"})  # fmt: skip
    lines = [json.loads(line) for line in answer.get_data(as_text=True).splitlines()]
    assert {"done": 3, "total": 3} in lines
    result = lines[-1]
    assert result["written"] == 2
    assert [f["line"] for f in result["failed"]] == [3]
    assert result["failed"][0]["problem"].startswith("day.csv:3: ")
    merged = base64.b64decode(result["merged"])
    assert "José Núñez" in text_of(merged) and "Bo" in text_of(merged)
    with zipfile.ZipFile(io.BytesIO(base64.b64decode(result["zip"]))) as z:
        assert len(z.namelist()) == 2
    assert leftovers() == []


def test_email_sends_as_build_email_does(renderer, tmp_path) -> None:
    from aiosmtpd.controller import Controller

    class Keep:
        messages: list = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(envelope.content)
            return "250 OK"

    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handler = Keep()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        brand = tmp_path / "brand" / "clinic.yaml"
        brand.parent.mkdir()
        brand.write_text("name: Riverside Physio\nemail: desk@riverside.example\n")
        settings = Settings(smtp_host="127.0.0.1", smtp_port=str(port), smtp_security="none",
                            brand=brand)  # fmt: skip
        client = app_for(renderer, settings).test_client()
        import os

        os.environ["HANDOUTS_SMTP_ALLOW_PLAINTEXT"] = "yes"
        try:
            answer = client.post("/api/email", headers=PROGRAM,
                                 json={"ids": ["glute-bridge"], "email": "ann@example.org",
                                       "password": "open-sesame"})  # fmt: skip
        finally:
            del os.environ["HANDOUTS_SMTP_ALLOW_PLAINTEXT"]
    finally:
        controller.stop()
    assert answer.status_code == 200, answer.json
    assert answer.json == {"sent_to": "ann@example.org"}
    assert len(handler.messages) == 1 and b"ann@example.org" in handler.messages[0]
    assert leftovers() == []  # the PDF written for the email is gone


def test_email_needs_an_address_and_print_a_printer(client) -> None:
    answer = client.post("/api/email", json={"ids": ["glute-bridge"]}, headers=PROGRAM)
    assert answer.json["error"] == "--email: give the address to send the handout to"
    answer = client.post("/api/print", json={"ids": ["glute-bridge"]}, headers=PROGRAM)
    assert answer.status_code == 400
    assert answer.json["error"].startswith("no printer is set")


# -- pages -----------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/", "/batch", "/library", "/check"])
def test_every_page_is_html_with_the_headers(client, path) -> None:
    answer = client.get(path)
    assert answer.status_code == 200
    assert answer.mimetype == "text/html"
    assert answer.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert '<html lang="en">' in answer.get_data(as_text=True)


def test_the_front_desk_lists_programs_exercises_and_pictures(client) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "Stretches and exercises for sciatica" in page
    assert 'name="ids" value="glute-bridge"' in page
    assert '<img src="/pictures/glute-bridge.png"' in page
    picture = client.get("/pictures/glute-bridge.png")
    assert picture.mimetype == "image/png" and picture.data[:4] == b"\x89PNG"
    assert client.get("/pictures/nothing.png").status_code == 404


def test_the_check_page_shows_what_check_reports(client) -> None:
    from handouts.check import check

    page = client.get("/check").get_data(as_text=True)
    report = check()
    assert ("No problems found." in page) == (not report.problems and not report.warnings)
    assert client.get("/api/check").get_json() == json.loads(json.dumps(report.as_dict()))


# -- errors ----------------------------------------------------------------------------------
def test_errors_are_the_apps_own_never_the_servers(client) -> None:
    page = client.get("/nowhere")
    assert page.status_code == 404 and "There is no such page." in page.get_data(as_text=True)
    api = client.get("/api/nowhere")
    assert api.status_code == 404 and api.json["error"] == "There is no such page."
    wrong = client.get("/api/handouts")
    assert wrong.status_code == 405 and wrong.json["error"].startswith("This page does not take")


def test_an_internal_error_is_500_json_and_logs_no_field(renderer, caplog) -> None:
    app = app_for(renderer)
    app.config["TESTING"] = False

    def boom(request, page=None):
        raise RuntimeError("José Núñez")

    original, renderer.make = renderer.make, boom
    try:
        answer = app.test_client().post("/api/handouts", json={"ids": ["x"], "patient": "José Núñez"},
                                        headers=PROGRAM)  # fmt: skip
    finally:
        renderer.make = original
    assert answer.status_code == 500
    assert answer.json["error"].startswith("Something went wrong inside handouts")
    assert "Traceback" not in answer.get_data(as_text=True)
    assert "José" not in caplog.text and "internal error (RuntimeError)" in caplog.text


def test_too_large_is_413_with_a_clear_message(client) -> None:
    big = client.post("/api/batches", headers=PROGRAM,
                      data={"csv": (io.BytesIO(b"x" * (5 * 1024 * 1024)), "big.csv")})  # fmt: skip
    assert big.status_code == 413
    assert big.json["error"].startswith("What was sent is too large: the most is 4 MB")
    long_name = client.post("/api/handouts", json={"ids": ["glute-bridge"], "patient": "x" * 201},
                            headers=PROGRAM)  # fmt: skip
    assert long_name.status_code == 413
    assert long_name.json["error"] == "--patient: the text is 201 characters long; the most is 200"


# -- CSRF, access code, host -----------------------------------------------------------------
def test_a_post_without_the_token_or_the_header_is_refused(client) -> None:
    answer = client.post("/api/handouts", data={"ids": "glute-bridge"})
    assert answer.status_code == 403
    assert answer.json["error"] == "This request was refused: reload the page and try again."
    bad = client.post("/api/handouts", data={"ids": "glute-bridge", "csrf_token": "guess"})
    assert bad.status_code == 403


def test_the_pages_token_lets_the_page_post(client) -> None:
    csrf = token(client)
    by_form = client.post("/api/handouts", data={"ids": "glute-bridge", "csrf_token": csrf})
    by_header = client.post("/api/handouts", data={"ids": "glute-bridge"},
                            headers={"X-CSRF-Token": csrf})  # fmt: skip
    assert by_form.status_code == by_header.status_code == 200


def test_another_host_needs_an_access_code(renderer) -> None:
    with pytest.raises(ValueError):
        create_app(Settings(), host="0.0.0.0", renderer=renderer)


def test_the_access_code_is_typed_once_a_session(renderer) -> None:
    app = app_for(renderer, Settings(access_code="open-the-door"), host="0.0.0.0")
    client = app.test_client()
    assert client.get("/").headers["Location"] == "/access"
    assert client.get("/api/programs").status_code == 401
    assert client.get("/api/programs", headers={"X-Access-Code": "wrong"}).status_code == 401
    assert (
        client.get("/api/programs", headers={"X-Access-Code": "open-the-door"}).status_code == 200
    )
    page = client.get("/access").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    wrong = client.post("/access", data={"code": "nope", "csrf_token": csrf})
    assert wrong.status_code == 401 and "That is not the access code." in wrong.get_data(
        as_text=True
    )
    assert client.post("/access", data={"code": "open-the-door"}).status_code == 403  # no token
    right = client.post("/access", data={"code": "open-the-door", "csrf_token": csrf})
    assert right.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    cookie = client.get_cookie("handouts")
    assert cookie.expires is None and cookie.http_only  # (a session cookie)
    fresh = app.test_client()
    assert fresh.get("/").status_code == 302


def test_on_this_computer_another_host_name_is_refused(client) -> None:
    assert client.get("/", headers={"Host": "evil.example:8800"}).status_code == 400
    assert client.get("/", headers={"Host": "localhost:8800"}).status_code == 200


def test_the_serve_command_refuses_another_host_without_a_code(tmp_path) -> None:
    from click.testing import CliRunner

    from handouts.cli import cli

    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "--host 0.0.0.0: serving the clinic's network needs an access code" in result.output


def test_the_list_path_imports_no_flask() -> None:
    import subprocess
    import sys

    code = "import sys; from handouts.cli import main; import handouts.catalog; print('flask' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    assert out.strip() == "False"
