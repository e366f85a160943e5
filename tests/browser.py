"""A real browser for the tests: Debian's headless Chromium driven by Selenium, and axe-core.

`.ci/browser-setup` installs Chromium, ChromeDriver and axe-core (into tests/.browser/); a test that
needs them fails when they are missing, it never skips. Use:

    from browser import chrome, axe_violations, WCAG21AA

    with chrome() as driver:               # 1280x800 unless told
        driver.get(url)
        assert axe_violations(driver) == []
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE = Path(__file__).parent / ".browser" / "node_modules" / "axe-core" / "axe.min.js"
WCAG21AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

# Chromium's own connections (updates, sync, safe browsing) would be refused by this closed network,
# and must never leave a clinic's machine either.
_QUIET = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


def _require() -> None:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER, AXE) if not p.exists()]
    if missing:
        raise RuntimeError(f"the browser tests need {', '.join(missing)}: run .ci/browser-setup")


@contextlib.contextmanager
def chrome(width: int = 1280, height: int = 800, downloads: Path | None = None) -> Iterator:
    """A headless Chromium of its own (an empty profile, removed afterwards)."""
    _require()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="handouts-chrome-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for arg in _QUIET:
        opts.add_argument(arg)
    opts.add_argument(f"--window-size={width},{height}")
    opts.add_argument(f"--user-data-dir={profile}")
    if downloads is not None:
        opts.add_experimental_option(
            "prefs",
            {
                "download.default_directory": str(downloads),
                "download.prompt_for_download": False,
                "plugins.always_open_pdf_externally": True,
            },
        )
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=opts)
    try:
        driver.set_script_timeout(60)
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def axe_violations(driver, tags: tuple[str, ...] = WCAG21AA) -> list[dict]:
    """axe-core's violations of the page loaded in `driver` (rule id, impact, help, nodes)."""
    _require()
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(JSON.stringify(r.violations)), e => done(JSON.stringify({error: String(e)})));",
        list(tags),
    )
    found = json.loads(result)
    if isinstance(found, dict):
        raise RuntimeError(f"axe-core failed: {found['error']}")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]],
        }
        for v in found
    ]
