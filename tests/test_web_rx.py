"""A prescription uploaded to the page has no folder: the brand, library and layout files it
names are never looked up (the server's are used), and the answer says so, line by line; a
prescription the page wrote itself loads without a word."""

from __future__ import annotations

import io
import re
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
    assert answer.json["exercises"] == ["glute-bridge"] and answer.json["patient"] == "Ann"
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


# -- the page rebuilds the handout the file does -------------------------------------------------
RX = """patient: Ann Lee
date: 2026-01-05
program: sciatica
exercises:
  - id: knee-to-opposite-shoulder
    notes: "Gently."
  - id: pelvic-tilt
    dose: {reps: 12}
  - id: child-pose
  - id: cobra-pose
    variant_of: pelvic-tilt
  - id: glute-bridge
    dose: {sets: 3, rest: 90}
    notes: "Squeeze at the top."
notes: "Start slowly."
"""


def cli_text(tmp_path: Path, rx_text: str) -> str:
    """The words of the handout `handouts build --rx` makes of `rx_text`."""
    from handouts.build import BuildRequest, make_handout, with_prescription

    rx = tmp_path / "cli-rx.yaml"
    rx.write_text(rx_text)
    return pdf_words(make_handout(with_prescription(BuildRequest(), rx, set()))[1])


def pdf_words(pdf: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def page_fields(answer) -> dict:
    """What the page sends back once it has loaded a prescription (app.js: fields())."""
    f = dict(answer.json)
    f.pop("warnings")
    return {k: v for k, v in f.items() if v not in ("", [])}


def test_a_loaded_rx_comes_back_as_its_list_with_every_dose_and_note(renderer) -> None:
    f = load(client_for(renderer), RX).json
    assert f["program"] == "sciatica" and f["ids"] == []
    assert f["exercises"] == ["knee-to-opposite-shoulder", "pelvic-tilt", "child-pose",
                              "cobra-pose:pelvic-tilt", "glute-bridge"]  # fmt: skip
    assert f["dose"] == ["pelvic-tilt:reps=12", "glute-bridge:sets=3,rest=90"]
    assert f["note"] == ["knee-to-opposite-shoulder:Gently.", "glute-bridge:Squeeze at the top."]


def test_the_page_builds_from_a_loaded_rx_the_handout_the_command_line_does(
    renderer, tmp_path
) -> None:
    client = client_for(renderer)
    made = client.post("/api/handouts", headers=PROGRAM, json=page_fields(load(client, RX)))
    assert made.status_code == 200, made.json
    words = pdf_words(made.data)
    assert words == cli_text(tmp_path, RX)
    assert not re.search(r"^\d+b?\. Pigeon pose", words, re.M)  # (the program's; not in the file)
    assert (
        "Another version of 2\n2b. Cobra pose" in words
    )  # (variant_of: pelvic-tilt, as the file says)


def test_the_rx_the_page_writes_from_a_loaded_one_builds_the_same_handout(
    renderer, tmp_path
) -> None:
    client = client_for(renderer)
    written = client.post("/api/rx", headers=PROGRAM, json=page_fields(load(client, RX)))
    assert written.status_code == 200, written.json
    text = written.get_data(as_text=True)
    assert "    variant_of: pelvic-tilt" in text and "pigeon-pose" not in text
    assert cli_text(tmp_path, text) == cli_text(tmp_path, RX)


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        (["child-pose", "child-pose"], "exercises: lists 'child-pose' twice"),
        (["cobra-pose:child-pose", "child-pose"],
         "exercises: 'cobra-pose:child-pose': child-pose must be listed before cobra-pose"),
        (["child-pose:"],
         "exercises: expected an exercise id, or ID:OF (ID another version of OF), got 'child-pose:'"),
    ],
)  # fmt: skip
def test_a_bad_exercises_field_is_400(renderer, values, problem) -> None:
    answer = client_for(renderer).post("/api/handouts", headers=PROGRAM, json={"exercises": values})
    assert answer.status_code == 400
    assert answer.json["problems"] == [problem]


def test_the_clinics_own_layout_file_is_on_the_page_and_used(renderer, tmp_path) -> None:
    layout = tmp_path / "ours.yaml"
    layout.write_text("extends: large-print\nname: ours\n")
    client = client_for(renderer, Settings(layout=str(layout)))
    page = client.get("/").get_data(as_text=True)
    select = re.search(r'<select id="layout" name="layout">(.*?)</select>', page, re.S)[1]
    assert select.startswith('<option value="" selected>The clinic\'s own (ours.yaml)</option>')
    fields = {"program": "sciatica", "date": "2026-01-05", "layout": ""}  # (as the page sends it)
    ours = client.post("/api/handouts", headers=PROGRAM, json=fields)
    standard = client.post("/api/handouts", headers=PROGRAM, json={**fields, "layout": "standard"})
    assert ours.status_code == standard.status_code == 200
    assert ours.data.count(b"/Type /Page\n") > 2 * standard.data.count(b"/Type /Page\n")
    loaded = load(client, f"patient: Ann\nlayout: {layout}\nexercises: [glute-bridge]\n")
    assert loaded.json["layout"] == ""  # (the page's "clinic's own": the server's, not a path)
