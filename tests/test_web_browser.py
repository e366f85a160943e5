"""The front desk's whole path in a real browser (Debian's headless Chromium through Selenium),
against waitress on a free port: search, tick, type, preview, download and read the PDF back;
the same with the keyboard only; a batch; and axe-core's WCAG 2.1 AA rules on every page."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pdfplumber
import pytest
from browser import axe_violations, chrome
from conftest import DATE

from handouts.web import create_app
from handouts.web.renders import Renderer

NAME = "José Núñez"


@pytest.fixture(scope="module")
def url():
    from waitress.server import create_server

    renderer = Renderer(workers=2)
    app = create_app(renderer=renderer, today=lambda: DATE)
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    renderer.close()


def wait_for(check, seconds: float = 60):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError("timed out")


def downloaded(folder: Path, suffix: str = ".pdf") -> Path:
    """The file the browser downloaded into `folder`, once it is whole: no download of Chrome's
    still in progress there (.crdownload), and its size the same twice 0.2 s apart (a blob's
    download may take its final name before its last bytes are written)."""
    seen: dict[Path, int] = {}

    def whole() -> Path | None:
        if any(p.suffix == ".crdownload" for p in folder.iterdir()):
            return None
        for path in folder.iterdir():
            if path.suffix == suffix:
                size = path.stat().st_size
                if size and seen.get(path) == size:
                    return path
                seen[path] = size
        return None

    return wait_for(whole)


def pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def test_search_tick_type_preview_and_download(url, tmp_path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    with chrome(downloads=tmp_path) as d:
        d.get(url + "/")
        d.find_element(By.ID, "search").send_keys("bridge")
        shown = [li.get_attribute("data-id") for li in d.find_elements(By.CSS_SELECTOR, "ul.exercises > li")
                 if li.is_displayed()]  # fmt: skip
        assert shown == ["glute-bridge"]
        d.find_element(By.ID, "ex-glute-bridge").click()
        Select(d.find_element(By.ID, "program")).select_by_value("sciatica")
        d.find_element(By.ID, "patient").send_keys(NAME)
        status = wait_for(lambda: "Preview:" in d.find_element(By.ID, "preview-status").text
                          and d.find_element(By.ID, "preview-status").text)  # fmt: skip
        assert "Stretches and exercises for sciatica" in status
        pages = d.find_elements(By.CSS_SELECTOR, "#preview img")
        assert pages and pages[0].get_attribute("alt").startswith("Page 1 of ")
        assert axe_violations(d) == []
        d.find_element(
            By.CSS_SELECTOR, "button[data-how=download][formaction='/api/handouts']"
        ).click()
        pdf = downloaded(tmp_path)
        assert NAME in pdf_text(pdf)
        assert "/api/handouts" not in d.current_url and NAME not in d.current_url


def test_the_same_with_the_keyboard_only(url, tmp_path) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    with chrome(downloads=tmp_path) as d:
        d.get(url + "/")
        keys = ActionChains(d)

        def tab_to(element_id: str) -> None:
            for _ in range(80):
                if d.switch_to.active_element.get_attribute("id") == element_id:
                    return
                keys.send_keys(Keys.TAB).perform()
            raise AssertionError(f"Tab never reached #{element_id}")

        tab_to("program")
        keys.send_keys(Keys.ARROW_DOWN).perform()  # the first program
        tab_to("search")
        keys.send_keys("bridge").perform()
        tab_to("ex-glute-bridge")
        keys.send_keys(Keys.SPACE).perform()
        tab_to("patient")
        keys.send_keys(NAME).perform()
        wait_for(lambda: "Preview:" in d.find_element(By.ID, "preview-status").text)
        for _ in range(80):
            active = d.switch_to.active_element
            if active.text == "Download PDF":
                break
            keys.send_keys(Keys.TAB).perform()
        keys.send_keys(Keys.ENTER).perform()
        assert NAME in pdf_text(downloaded(tmp_path))


RX = """patient: Ann Lee
program: sciatica
exercises:
  - id: knee-to-opposite-shoulder
    notes: "Gently, no pain."
  - id: child-pose
  - id: cobra-pose
    variant_of: child-pose
  - id: glute-bridge
    dose: {sets: 3}
    notes: "Squeeze at the top."
"""


def test_a_loaded_prescription_prints_its_list_and_every_dose_and_note(url, tmp_path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    rx = tmp_path / "ann.yaml"
    rx.write_text(RX)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with chrome(downloads=downloads) as d:
        d.get(url + "/")
        d.find_element(By.ID, "rx").send_keys(str(rx))
        d.find_element(By.CSS_SELECTOR, "#rx-load button").click()
        wait_for(lambda: "Loaded" in d.find_element(By.ID, "rx-status").text)
        order = [li.find_element(By.TAG_NAME, "span").text
                 for li in d.find_elements(By.CSS_SELECTOR, "#order > li")]  # fmt: skip
        assert order == ["Knee to opposite shoulder", "Child's pose",
                         "Cobra pose (on your forearms)", "Bridge"]  # fmt: skip
        assert d.find_element(By.ID, "changed").text == (
            "Changed for this patient: Knee to opposite shoulder, Bridge."
        )
        Select(d.find_element(By.ID, "x-dose-exercise")).select_by_value("glute-bridge")
        assert d.find_element(By.ID, "x-dose-sets").get_attribute("value") == "3"
        assert d.find_element(By.ID, "x-note").get_attribute("value") == "Squeeze at the top."
        wait_for(lambda: "Preview:" in d.find_element(By.ID, "preview-status").text)
        d.find_element(
            By.CSS_SELECTOR, "button[data-how=download][formaction='/api/handouts']"
        ).click()
        text = pdf_text(downloaded(downloads))
    assert "Your therapist says: Gently, no pain." in text and "Do 3 sets" in text
    assert "Your therapist says: Squeeze at the" in text  # (the bridge's note, in its column)
    assert "Another choice for 2\n2b. Cobra pose" in text
    assert "Pelvic tilt" not in text  # (the program's; the file leaves it out)


def test_a_batch_csv_gives_the_merged_pdf_and_the_failed_rows(url, tmp_path) -> None:
    from selenium.webdriver.common.by import By

    csv = tmp_path / "day.csv"
    csv.write_text(f"patient,program,exercises\n{NAME},sciatica,\nAnn,,glute-bridg\n", "utf-8")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with chrome(downloads=downloads) as d:
        d.get(url + "/batch")
        d.find_element(By.ID, "csv").send_keys(str(csv))
        d.find_element(By.CSS_SELECTOR, "#batch button[type=submit]").click()
        wait_for(lambda: "Built 1 handout." in d.find_element(By.ID, "batch-status").text)
        failed = d.find_element(By.ID, "batch-result").text
        assert "day.csv:3: unknown exercise 'glute-bridg'" in failed
        assert axe_violations(d) == []
        buttons = d.find_elements(By.CSS_SELECTOR, "#batch-result button")
        next(b for b in buttons if b.text == "Download the merged PDF").click()
        assert NAME in pdf_text(downloaded(downloads))


@pytest.mark.parametrize("size", [(1280, 800), (800, 1100)])
@pytest.mark.parametrize("path", ["/", "/batch", "/library", "/check", "/nowhere"])
def test_every_page_has_no_wcag_violations(url, path, size) -> None:
    with chrome(*size) as d:
        d.get(url + path)
        assert axe_violations(d) == []
