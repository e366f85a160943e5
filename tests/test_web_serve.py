"""`handouts serve` starts quickly: it listens before Flask is imported (a request that comes
meanwhile waits for the app, never fails), and the front desk's page is answered without
handouts.build or reportlab in the server's process (the render workers import them)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

from handouts.web.serve import Gate

REPO = Path(__file__).resolve().parent.parent


def call(app, path="/"):
    statuses = []
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "wsgi.input": None}
    body = b"".join(app(environ, lambda status, headers: statuses.append(status)))
    return statuses[0], body


def test_a_request_before_the_app_is_ready_waits_for_it() -> None:
    gate = Gate()
    answers = []
    asking = threading.Thread(target=lambda: answers.append(call(gate)))
    asking.start()
    asking.join(0.3)
    assert asking.is_alive() and answers == []  # waiting, not failed

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"the page"]

    gate.open(app)
    asking.join(5)
    assert answers == [("200 OK", b"the page")]
    assert gate.answered.is_set()


def test_an_app_that_could_not_start_answers_503_saying_so() -> None:
    gate = Gate()
    gate.fail("it could not start (OSError)")
    status, body = call(gate)
    assert status == "503 Service Unavailable"
    assert body == b"handouts is not ready: it could not start (OSError)"


def test_the_page_is_answered_without_the_renderer_in_the_servers_process() -> None:
    code = (
        "import sys\n"
        "import handouts.web.serve\n"
        "print('flask' in sys.modules)\n"
        "from handouts.web import create_app\n"
        "answer = create_app().test_client().get('/')\n"
        "print(answer.status_code, b'<form id=\"handout\"' in answer.data)\n"
        "print(sorted(m for m in ('handouts.build', 'handouts.compose', 'handouts.render',\n"
        "      'reportlab', 'pypdfium2', 'multiprocessing') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(REPO)}, check=True).stdout  # fmt: skip
    assert out.splitlines() == ["False", "200 True", "[]"]


def test_serve_answers_the_page_and_a_preview() -> None:
    server = subprocess.Popen([sys.executable, "-m", "handouts", "serve", "--port", "0"],
                              stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(REPO)})  # fmt: skip
    try:
        line = server.stdout.readline()
        url = line.split(" at ", 1)[1].split(" ", 1)[0]
        with urllib.request.urlopen(url, timeout=60) as answer:  # asked at once: it waits
            assert answer.status == 200 and b'<form id="handout"' in answer.read()
        request = urllib.request.Request(url + "api/preview", data=b'{"program": "sciatica"}',
                                         headers={"Content-Type": "application/json",
                                                  "X-Access-Code": "program"})  # fmt: skip
        with urllib.request.urlopen(request, timeout=120) as answer:
            assert answer.status == 200 and b'"pages"' in answer.read()
    finally:
        server.terminate()
        assert server.wait(30) is not None
