"""What a front-desk person sees while working, in a real browser at tablet width: a preview
with a button per page, a problem that clears the old preview, the status kept in view, and a
batch with a failed row; axe-core's WCAG 2.1 AA rules hold in each of those states."""

from __future__ import annotations

import threading

import pytest
from browser import axe_violations, chrome
from conftest import DATE

from handouts.web import create_app
from handouts.web.renders import Renderer


@pytest.fixture(scope="module")
def url():
    from waitress.server import create_server

    renderer = Renderer(workers=2)
    server = create_server(create_app(renderer=renderer, today=lambda: DATE), host="127.0.0.1",
                           port=0, threads=4)  # fmt: skip
    threading.Thread(target=server.run, daemon=True).start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    renderer.close()


def click(d, element) -> None:
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def test_a_preview_then_a_problem_at_tablet_width(url) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    with chrome(800, 1100) as d:
        d.get(url + "/")
        Select(d.find_element(By.ID, "program")).select_by_value("sciatica")
        status = d.find_element(By.ID, "preview-status")
        WebDriverWait(d, 90).until(lambda d: status.text.startswith("Preview: "))
        pages = int(status.text.split(", ")[-1].split(" ")[0])
        assert pages > 1
        buttons = WebDriverWait(d, 90).until(
            lambda d: (b := d.find_elements(By.CSS_SELECTOR, "#preview-pages button"))
            and len(b) == pages and b)  # fmt: skip
        assert buttons[1].get_attribute("aria-label") == f"Show page 2 of {pages}"
        click(d, buttons[1])
        assert d.switch_to.active_element.get_attribute("id") == "preview-page-2"
        assert "Page 2 of" in d.find_element(By.ID, "preview-page-2").text
        bar = d.find_element(By.ID, "status-copy")
        assert bar.is_displayed() and bar.text == status.text  # (the narrow layout's bar)
        assert axe_violations(d) == []
        d.execute_script("const e = document.getElementById('date'); e.type = 'text';"
                         "e.value = '2026-13-45'; e.dispatchEvent(new Event('change', {bubbles: true}))")  # fmt: skip
        problems = d.find_element(By.ID, "problems")
        WebDriverWait(d, 60).until(lambda d: "--date: expected a date like" in problems.text)
        assert d.find_elements(By.CSS_SELECTOR, "#preview img") == []  # no stale preview
        assert d.find_elements(By.CSS_SELECTOR, "#preview-pages button") == []
        assert bar.text.startswith("The handout cannot be made yet")
        assert axe_violations(d) == []


def test_a_batch_with_a_failed_row_is_clean_too(url, tmp_path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    csv = tmp_path / "day.csv"
    csv.write_text("patient,program,exercises\nAnn,,glute-bridg\nBo,,hip-hinge\n")
    with chrome(800, 1100) as d:
        d.get(url + "/batch")
        d.find_element(By.ID, "csv").send_keys(str(csv))
        click(d, d.find_element(By.CSS_SELECTOR, "#batch button[type=submit]"))
        WebDriverWait(d, 90).until(
            lambda d: "1 row failed" in d.find_element(By.ID, "batch-status").text
        )
        assert (
            "day.csv:2: unknown exercise 'glute-bridg'"
            in d.find_element(By.ID, "batch-result").text
        )
        assert axe_violations(d) == []
