"""The browser tests' own tools work: Chromium drives a page and axe-core finds what it should."""

from __future__ import annotations

from browser import axe_violations, chrome


def test_axe_finds_a_missing_language_and_alt_text_and_none_once_fixed(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text("<!doctype html><title>x</title><img src='a.png'>", encoding="utf-8")
    good = tmp_path / "good.html"
    good.write_text(
        "<!doctype html><html lang='en'><title>x</title><main><h1>Hi</h1>"
        "<img src='a.png' alt='A bridge'></main></html>",
        encoding="utf-8",
    )
    with chrome() as driver:
        driver.get(bad.as_uri())
        found = {v["id"] for v in axe_violations(driver)}
        assert {"html-has-lang", "image-alt"} <= found
        driver.get(good.as_uri())
        assert axe_violations(driver) == []
