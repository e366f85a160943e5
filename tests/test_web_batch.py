"""The page's batch does what `handouts batch` does: a row with an email is emailed with the
clinic's mail settings (or the batch is refused before anything is built, as the command line
refuses it), and, when the page asks, the merged PDF is printed on the settings' printer. Its
rows are built in worker processes that are never a fork of the (threaded) server."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATE

from handouts.model import Settings
from handouts.web import create_app
from handouts.web.api import NO_PRINTER
from handouts.web.renders import Renderer

PROGRAM = {"X-Access-Code": "program"}
REPO = Path(__file__).resolve().parent.parent
CSV = "patient,program,exercises,email\nJosé Núñez,sciatica,,jose@example.org\nBo,,hip-hinge,\n"


@pytest.fixture(scope="module")
def renderer():
    r = Renderer(workers=2)
    yield r
    r.close()


def client_for(renderer, settings):
    app = create_app(settings, renderer=renderer, today=lambda: DATE)
    app.config["TESTING"] = True
    return app.test_client()


def brand_file(tmp_path: Path) -> Path:
    brand = tmp_path / "brand" / "clinic.yaml"
    brand.parent.mkdir()
    brand.write_text("name: Riverside Physio\nemail: desk@riverside.example\n")
    return brand


def lines_of(answer) -> list[dict]:
    return [json.loads(line) for line in answer.get_data(as_text=True).splitlines()]


def post_batch(client, csv: str, **fields):
    return client.post("/api/batches", headers=PROGRAM,
                       data={"csv": (io.BytesIO(csv.encode()), "day.csv"), **fields})  # fmt: skip


def leftovers() -> list:
    import tempfile

    return sorted(Path(tempfile.gettempdir()).glob("handouts-web-*"))


def test_a_row_with_an_email_is_emailed_with_the_clinics_mail_settings(renderer, tmp_path):
    from aiosmtpd.controller import Controller

    class Keep:
        messages: list = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append((envelope.rcpt_tos, envelope.content))
            return "250 OK"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handler = Keep()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    os.environ["HANDOUTS_SMTP_ALLOW_PLAINTEXT"] = "yes"
    try:
        settings = Settings(smtp_host="127.0.0.1", smtp_port=str(port), smtp_security="none",
                            brand=brand_file(tmp_path))  # fmt: skip
        result = lines_of(post_batch(client_for(renderer, settings), CSV))[-1]
    finally:
        del os.environ["HANDOUTS_SMTP_ALLOW_PLAINTEXT"]
        controller.stop()
    assert result["written"] == 2 and result["sent"] == 1 and result["failed"] == []
    assert [to for to, _ in handler.messages] == [["jose@example.org"]]
    assert leftovers() == []


def test_a_batch_that_emails_without_mail_settings_is_refused_before_any_row(
    renderer, tmp_path, monkeypatch
):
    client = client_for(renderer, Settings(brand=brand_file(tmp_path)))
    monkeypatch.delenv("HANDOUTS_SMTP_HOST", raising=False)
    answer = post_batch(client, CSV)
    message = "set HANDOUTS_SMTP_HOST to your mail server, e.g. HANDOUTS_SMTP_HOST=smtp.example.org"
    assert answer.status_code == 400  # (refused up front: an error, not a stream)
    assert answer.json == {"error": message, "problems": [message]}  # (as handouts batch says it)
    assert leftovers() == []


def test_a_batch_file_refused_up_front_is_400_naming_the_upload_not_a_temporary_path(renderer):
    client = client_for(renderer, Settings())
    answer = post_batch(client, "patient,programme\nBo,sciatica\n")
    assert answer.status_code == 400
    problem = answer.json["error"]
    assert problem.startswith("day.csv:1: ") and "programme" in problem, problem
    assert "handouts-web-" not in json.dumps(answer.json)
    assert leftovers() == []


def test_a_batch_that_is_checked_streams_from_none_done(renderer):
    lines = lines_of(post_batch(client_for(renderer, Settings()), "patient,program\nBo,sciatica\n"))
    assert lines[0] == {"done": 0, "total": 1}
    assert lines[1] == {"done": 1, "total": 1}
    assert lines[-1]["written"] == 1 and lines[-1]["failed"] == []


def test_printing_a_batch_needs_a_printer(renderer):
    answer = post_batch(client_for(renderer, Settings()), "patient,program\nBo,sciatica\n",
                        print="1")  # fmt: skip
    assert answer.status_code == 400
    assert answer.json["error"] == NO_PRINTER


def test_a_batch_the_page_asks_to_print_is_printed_on_the_settings_printer(renderer):
    client = client_for(renderer, Settings(printer="HandoutPDF"))
    result = lines_of(post_batch(client, "patient,program\nBo,sciatica\nAnn,sciatica\n",
                                 print="1"))[-1]  # fmt: skip
    assert result["written"] == 2 and result["print_problem"] == ""
    assert result["printed"].startswith("HandoutPDF (job HandoutPDF-")  # one job: the merged PDF
    assert " to " not in result["printed"]
    unprinted = lines_of(post_batch(client, "patient,program\nBo,sciatica\n"))[-1]
    assert unprinted["printed"] == ""  # (not asked: not printed)


def test_the_pages_batch_builds_every_row_outside_the_server_process(tmp_path):
    code = (
        "import sys, threading\n"
        "from pathlib import Path\n"
        "from handouts.batch import run_batch\n"
        "from handouts.build import BuildRequest\n"
        f"folder = Path({str(tmp_path)!r})\n"
        "(folder / 'day.csv').write_text('patient,program\\nBo,sciatica\\n')\n"
        "out = []\n"
        "def work():\n"
        "    out.append(run_batch(folder / 'day.csv', folder / 'out', BuildRequest(),\n"
        "                         start_method='forkserver'))\n"
        "thread = threading.Thread(target=work)\n"
        "thread.start(); thread.join()\n"
        "print(len(out[0].written), 'reportlab' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=120)  # fmt: skip
    assert done.stdout.split() == ["1", "False"], done.stderr
    assert (tmp_path / "out").is_dir() and len(list((tmp_path / "out").glob("*.pdf"))) == 1


def test_a_batch_answer_never_read_still_removes_its_folder(renderer):
    """A client gone before the first line is sent: the server closes the answer unread (as
    waitress does), and the batch's temporary folder, with the patients' PDFs, is still
    removed."""
    from werkzeug.test import EnvironBuilder

    app = create_app(Settings(), renderer=renderer, today=lambda: DATE)
    csv = (io.BytesIO(b"patient,program\nBo,sciatica\n"), "day.csv")
    environ = EnvironBuilder(path="/api/batches", method="POST", headers=PROGRAM,
                             data={"csv": csv}).get_environ()  # fmt: skip
    answer = app(environ, lambda status, headers, exc_info=None: None)  # (the raw WSGI call)
    assert leftovers() != []  # (the batch is under way in its folder)
    answer.close()  # (nothing of it read)
    assert leftovers() == []
