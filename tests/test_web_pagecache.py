"""The compiled pages kept between runs (handouts/web/pagecache.py): a later app compiles
nothing and answers the same page; an edited page is compiled anew; with the cache off or not
private, nothing is kept or read."""

from __future__ import annotations

import os

import jinja2
import pytest

from handouts.web import create_app
from handouts.web.pagecache import PageCache


class Stub:
    def close(self) -> None:
        pass


def front_page(patch: pytest.MonkeyPatch) -> tuple[str, int]:
    """The front page of a new app, and how many templates it compiled."""
    compiled = []
    real = jinja2.Environment.compile

    def counting(self, source, *args, **kwargs):
        compiled.append(source)
        return real(self, source, *args, **kwargs)

    patch.setattr(jinja2.Environment, "compile", counting)
    app = create_app(renderer=Stub())
    page = app.test_client().get("/").get_data(as_text=True)
    page = page.split('name="csrf-token" content="', 1)[0]  # (the token is the session's)
    return page, len(compiled)


def test_a_later_app_compiles_no_page_and_answers_the_same(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HANDOUTS_CACHE", str(tmp_path / "cache"))
    first, compiled = front_page(monkeypatch)
    assert compiled >= 2  # (the page and the base it extends)
    assert any((tmp_path / "cache").glob("page-*.pickle"))
    again, compiled_again = front_page(monkeypatch)
    assert compiled_again == 0
    assert again == first


def test_with_the_cache_off_every_app_compiles_its_pages(monkeypatch) -> None:
    monkeypatch.setenv("HANDOUTS_CACHE", "off")
    assert front_page(monkeypatch)[1] >= 2
    assert front_page(monkeypatch)[1] >= 2


def test_a_cache_folder_others_can_write_is_never_read(tmp_path, monkeypatch) -> None:
    folder = tmp_path / "cache"
    monkeypatch.setenv("HANDOUTS_CACHE", str(folder))
    front_page(monkeypatch)
    os.chmod(folder, 0o777)
    assert front_page(monkeypatch)[1] >= 2


def test_an_edited_page_is_compiled_anew(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HANDOUTS_CACHE", str(tmp_path / "cache"))
    sources = {"page.html": "Hello {{ name }}"}

    def render() -> str:
        env = jinja2.Environment(loader=jinja2.DictLoader(sources), bytecode_cache=PageCache())
        return env.get_template("page.html").render(name="José")

    assert render() == "Hello José"
    assert render() == "Hello José"  # (from the entry)
    sources["page.html"] = "Goodbye {{ name }}"
    assert render() == "Goodbye José"
