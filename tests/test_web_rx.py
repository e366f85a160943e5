"""A prescription uploaded to the page has no folder: the brand, library and layout files it
names are never looked up (the server's are used), and the answer says so, line by line; a
prescription the page wrote itself loads without a word."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from conftest import DATE

from handouts.model import Settings
from handouts.web import create_app
from handouts.web.renders import Renderer

PROGRAM = {"X-Access-Code": "program"}
FIXTURES = Path(__file__).parent / "fixtures"
NOT_USED = "not used: the page makes handouts with this server's library, brand and layout (its settings file)"  # fmt: skip


@pytest.fixture(scope="module")
def renderer():
    r = Renderer(workers=1)
    yield r
    r.close()


def client_for(renderer, settings=None):
    app = create_app(settings, renderer=renderer, today=lambda: DATE)
    app.config["TESTING"] = True
    return app.test_client()


def load(client, text: str, name: str = "ann.yaml"):
    return client.post("/api/rx/load", headers=PROGRAM,
                       data={"rx": (io.BytesIO(text.encode()), name)})  # fmt: skip


def test_the_files_an_uploaded_rx_names_are_not_used_and_the_answer_says_so(renderer) -> None:
    text = ("patient: Ann\nlibrary: clinic/exercises.yaml\nbrand: ../brand.yaml\n"
            "layout: mine.yaml\nexercises: [glute-bridge]\n")  # fmt: skip
    answer = load(client_for(renderer), text)
    assert answer.status_code == 200, answer.json
    assert answer.json["warnings"] == [f"ann.yaml:2: library: {NOT_USED}",
                                       f"ann.yaml:3: brand: {NOT_USED}",
                                       f"ann.yaml:4: layout: {NOT_USED}"]  # fmt: skip
    assert answer.json["ids"] == ["glute-bridge"] and answer.json["patient"] == "Ann"
    assert answer.json["layout"] == "standard"  # the server's


def test_a_file_on_the_server_an_upload_names_is_never_read(renderer, tmp_path) -> None:
    secret = tmp_path / "not-a-library.yaml"
    secret.write_text("- this would be a problem if it were read\n")
    text = f"patient: Ann\nlibrary: {secret}\nbrand: {secret}\nexercises: [glute-bridge]\n"
    answer = load(client_for(renderer), text)
    assert answer.status_code == 200, answer.json
    assert [w.split(": ")[1] for w in answer.json["warnings"]] == ["library", "brand"]


def test_a_built_in_layout_an_upload_names_is_used(renderer) -> None:
    answer = load(
        client_for(renderer), "patient: Ann\nlayout: compact\nexercises: [glute-bridge]\n"
    )
    assert answer.json["layout"] == "compact" and answer.json["warnings"] == []


def test_an_rx_the_page_wrote_with_the_servers_library_loads_without_warnings(
    renderer, tmp_path
) -> None:
    library = tmp_path / "clinic.yaml"
    shutil.copy(FIXTURES / "library" / "clinic.yaml", library)
    client = client_for(renderer, Settings(library=library))
    rx = client.post("/api/rx", headers=PROGRAM, json={"ids": ["glute-bridge"], "patient": "Bo"})
    assert rx.status_code == 200, rx.json
    assert f'library: "{library}"' in rx.get_data(as_text=True)
    answer = load(client, rx.get_data(as_text=True), "bo.yaml")
    assert answer.status_code == 200, answer.json
    assert answer.json["warnings"] == [] and answer.json["patient"] == "Bo"


def test_the_command_line_still_reads_the_files_an_rx_names(tmp_path) -> None:
    from handouts.build import BuildRequest, with_prescription
    from handouts.errors import InputError

    rx = tmp_path / "ann.yaml"
    rx.write_text("patient: Ann\nlibrary: clinic/exercises.yaml\nexercises: [glute-bridge]\n")
    with pytest.raises(InputError) as caught:
        with_prescription(BuildRequest(), rx, set())
    assert (
        "ann.yaml:2: library 'clinic/exercises.yaml' was not found" in caught.value.format_message()
    )
