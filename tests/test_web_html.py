"""The web page offers the accessible HTML copy: POST /api/html answers the same copy that
`handouts build --html` writes (build.make_copies), as a download, with the API's errors; the
front desk's page has its button."""

from __future__ import annotations

import re

import pytest
from conftest import DATE
from test_web import PROGRAM, app_for, token

from handouts.build import BuildRequest, make_copies
from handouts.web.renders import Renderer


@pytest.fixture(scope="module")
def client():
    renderer = Renderer(workers=1)
    yield app_for(renderer).test_client()
    renderer.close()


def test_the_copy_is_the_builds_own(client):
    answer = client.post("/api/html", headers=PROGRAM,
                         data={"program": "sciatica", "patient": "Ana García", "lang": "es",
                               "weeks": "1", "layout": "large-print"})  # fmt: skip
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.mimetype == "text/html"
    assert answer.headers["Content-Disposition"] == (
        'attachment; filename="sciatica-ana-garcia-2026-11-29.html"'
    )
    assert answer.headers["Cache-Control"] == "no-store"
    made = make_copies(BuildRequest(program="sciatica", patient="Ana García", lang="es",
                                    log_weeks=1, layout="large-print", date=DATE))  # fmt: skip
    assert answer.data == made.html
    assert answer.data.startswith(b'<!DOCTYPE html>\n<html lang="es-US">')


def test_json_fields_work_too(client):
    answer = client.post("/api/html", json={"ids": ["glute-bridge"]}, headers=PROGRAM)
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"] == (
        'attachment; filename="handout-2026-11-29.html"'
    )
    assert b"<h2" in answer.data and b"Bridge" in answer.data


def test_bad_input_answers_the_command_lines_message(client):
    answer = client.post("/api/html", json={"ids": ["glute-bridg"]}, headers=PROGRAM)
    assert answer.status_code == 400
    body = answer.get_json()
    assert "unknown exercise 'glute-bridg'" in body["error"]
    assert "Did you mean 'glute-bridge'?" in body["error"]


def test_a_password_is_refused(client):
    answer = client.post("/api/html", json={"program": "sciatica", "password": "blue-heron-7"},
                         headers=PROGRAM)  # fmt: skip
    assert answer.status_code == 400
    error = answer.get_json()["error"]
    assert error.startswith("the accessible copy and a password: the HTML copy cannot be encrypted")
    assert "blue-heron-7" not in error


def test_it_needs_the_csrf_token_or_the_programs_header(client):
    assert client.post("/api/html", data={"ids": "glute-bridge"}).status_code == 403
    answer = client.post("/api/html", data={"ids": "glute-bridge", "csrf_token": token(client)})
    assert answer.status_code == 200


def test_the_front_desk_has_the_button(client):
    page = client.get("/").get_data(as_text=True)
    buttons = re.findall(r'<button type="submit" formaction="([^"]+)" data-how="(\w+)">([^<]+)<',
                         page)  # fmt: skip
    assert ("/api/html", "download", "Download accessible copy (HTML)") in buttons


def test_the_view_names_in_figures_keep_the_pdfs_width():
    """Seen from above' and the like are sized to the width the PDF draws them (textLength),
    so a browser without Atkinson Hyperlegible never runs them past the panel's edge."""
    made = make_copies(BuildRequest(program="sciatica", date=DATE, lang="es"))
    html = made.html.decode()
    svgs = re.findall(r'<svg role="img"[^>]*viewBox="0 0 ([\d.]+) [\d.]+">(.*?)</svg>', html)
    texts = [(float(w), t) for w, body in svgs
             for t in re.findall(r"<text [^>]*>[^<]*</text>", body)]  # fmt: skip
    assert len(texts) >= 4
    for width, text in texts:
        x = float(re.search(r' x="([\d.]+)"', text)[1])
        length = float(re.search(r'textLength="([\d.]+)"', text)[1])
        assert 'lengthAdjust="spacingAndGlyphs"' in text
        assert length > 10 and x + length <= width, text
