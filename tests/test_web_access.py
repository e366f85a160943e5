"""Wrong access codes are limited per client address: five a minute, then a clear 429 (even for
the right code) until the oldest wrong one is a minute old; other addresses are not affected."""

from __future__ import annotations

import re

import pytest
from conftest import DATE

from handouts.model import Settings
from handouts.web import create_app
from handouts.web.renders import Renderer
from handouts.web.security import MESSAGES

CODE = "open-the-door"


class Clock:
    now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def renderer():
    r = Renderer(workers=1)
    yield r
    r.close()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def app(renderer, clock):
    app = create_app(Settings(access_code=CODE), host="0.0.0.0", renderer=renderer,
                     today=lambda: DATE, config={"HANDOUTS_CLOCK": clock})  # fmt: skip
    app.config["TESTING"] = True
    return app


def typed(client, code: str):
    page = client.get("/access").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    return client.post("/access", data={"code": code, "csrf_token": csrf})


def test_five_wrong_codes_a_minute_then_429_until_a_minute_has_passed(app, clock) -> None:
    client = app.test_client()
    for _ in range(5):
        assert typed(client, "guess").status_code == 401
    blocked = typed(client, CODE)  # (even the right one)
    assert blocked.status_code == 429
    assert MESSAGES[429] in blocked.get_data(as_text=True)
    assert "Too many wrong access codes were typed from this computer" in MESSAGES[429]
    clock.now += 59
    assert typed(client, CODE).status_code == 429
    clock.now += 1  # the oldest wrong code is a minute old
    assert typed(client, CODE).headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_programs_wrong_header_counts_and_is_answered_429_json(app) -> None:
    client = app.test_client()
    for _ in range(5):
        assert client.get("/api/programs", headers={"X-Access-Code": "guess"}).status_code == 401
    answer = client.get("/api/programs", headers={"X-Access-Code": CODE})
    assert answer.status_code == 429
    assert answer.json == {"error": MESSAGES[429], "problems": [MESSAGES[429]]}


def test_the_limit_is_per_client_address(app) -> None:
    one = app.test_client()
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.0.0.2"
    for _ in range(5):
        typed(one, "guess")
    assert typed(one, CODE).status_code == 429
    assert typed(other, CODE).headers["Location"] == "/"


def test_four_wrong_codes_do_not_block(app) -> None:
    client = app.test_client()
    for _ in range(4):
        typed(client, "guess")
    assert typed(client, CODE).headers["Location"] == "/"


def test_without_an_access_code_nothing_is_counted(renderer) -> None:
    app = create_app(Settings(), renderer=renderer, today=lambda: DATE)
    client = app.test_client()
    for _ in range(10):
        assert client.get("/api/programs", headers={"X-Access-Code": "any"}).status_code == 200
