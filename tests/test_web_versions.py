"""Choosing between versions: compose says which groups of versions a selection holds (a
program's, and exercises ticked on their own that the library links as versions of each other),
the page asks for them (POST /api/versions) and offers a choice for each, program or not."""

from __future__ import annotations

import io
import threading

import pdfplumber
import pytest
from conftest import DATE

from handouts.build import BuildRequest, make_handout
from handouts.compose import version_groups
from handouts.load import load_library
from handouts.web import create_app
from handouts.web.renders import Renderer

PROGRAM = {"X-Access-Code": "program"}


@pytest.fixture(scope="module")
def renderer():
    r = Renderer(workers=2)
    yield r
    r.close()


@pytest.fixture
def client(renderer):
    app = create_app(renderer=renderer, today=lambda: DATE)
    app.config["TESTING"] = True
    return app.test_client()


def text_of(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def test_compose_names_a_programs_groups_and_ticked_versions() -> None:
    library = load_library()
    assert version_groups(library, program="sciatica") == [
        ["knee-to-opposite-shoulder", "pigeon-pose"], ["child-pose", "cobra-pose"]]  # fmt: skip
    assert version_groups(library, ids=["child-pose", "glute-bridge", "cobra-pose"]) == [
        ["child-pose", "cobra-pose"]]  # fmt: skip
    assert version_groups(library, ids=["glute-bridge", "hip-hinge"]) == []
    # a program's own exercises are never regrouped (banded squat and split squat both print)
    assert version_groups(library, program="sciatica-strength") == []


def test_a_ticked_version_can_be_chosen_and_only_it_prints() -> None:
    both = BuildRequest(ids=("child-pose", "cobra-pose"), date=DATE)
    handout, _ = make_handout(both)
    assert [i.exercise.id for i in handout.items] == ["child-pose", "cobra-pose"]  # (as before)
    chosen, pdf = make_handout(BuildRequest(ids=("child-pose", "cobra-pose"),
                                            choose=("cobra-pose",), date=DATE))  # fmt: skip
    assert [i.exercise.id for i in chosen.items] == ["cobra-pose"]
    assert "Cobra" in text_of(pdf)


def test_the_api_answers_the_groups_with_their_titles(client) -> None:
    answer = client.post("/api/versions", headers=PROGRAM,
                         data={"ids": ["child-pose", "cobra-pose"], "patient": "Ann"})  # fmt: skip
    assert answer.status_code == 200
    library = load_library()
    titles = [library.exercises[i].title for i in ("child-pose", "cobra-pose")]
    assert answer.json == {"groups": [{"ids": ["child-pose", "cobra-pose"], "titles": titles}]}
    assert client.post("/api/versions", headers=PROGRAM, json={}).json == {"groups": []}


def test_the_api_says_what_build_says_of_an_unknown_exercise(client) -> None:
    answer = client.post("/api/versions", headers=PROGRAM, json={"ids": ["glute-bridg"]})
    assert answer.status_code == 400
    assert answer.json["error"].startswith("unknown exercise 'glute-bridg'")


@pytest.fixture(scope="module")
def url(renderer):
    from waitress.server import create_server

    server = create_server(create_app(renderer=renderer, today=lambda: DATE), host="127.0.0.1",
                           port=0, threads=4)  # fmt: skip
    threading.Thread(target=server.run, daemon=True).start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


def test_the_page_offers_the_choice_for_ticked_versions(url) -> None:
    from browser import chrome
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    with chrome() as d:
        d.get(url + "/")
        d.find_element(By.ID, "ex-child-pose").click()
        assert d.find_elements(By.CSS_SELECTOR, "#versions select") == []
        d.find_element(By.ID, "ex-cobra-pose").click()
        select = WebDriverWait(d, 30).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, "#versions select"))[0]  # fmt: skip
        label = d.find_element(By.CSS_SELECTOR, f"label[for='{select.get_attribute('id')}']")
        assert label.text.startswith("Which version: ")
        Select(select).select_by_value("cobra-pose")
        WebDriverWait(d, 60).until(lambda d: "1 page" in d.find_element(By.ID, "preview-status").text
                                   or "pages" in d.find_element(By.ID, "preview-status").text)  # fmt: skip
        assert d.find_element(By.ID, "problems").text == ""
        d.find_element(By.ID, "ex-cobra-pose").click()  # unticked: the group and the choice go
        WebDriverWait(d, 30).until(
            lambda d: not d.find_elements(By.CSS_SELECTOR, "#versions select")
        )
