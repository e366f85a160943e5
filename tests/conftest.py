"""Shared test helpers: fixture paths, the fixed date, and readers for PDF bytes.

Every PDF the tests look at is read through `Pdf`, which parses lazily and caches, so a handout built
once per module (or once per session) is parsed once however many tests inspect it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import shutil
import subprocess
import sys
import tempfile
import types
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pdfplumber
import pypdf
import pytest
from PIL import Image

from handouts.build import BuildRequest, make_handout
from handouts.compose import Handout

# Tests read the library afresh each time; test_cache.py turns the cache on where it tests it, and
# every test of the command line runs twice: with the cache off, and warm (`cache_mode` below).
os.environ["HANDOUTS_CACHE"] = "off"
os.environ["HANDOUTS_CONFIG"] = str(Path(__file__).with_name("no-settings.yaml"))  # not the user's

DATE = dt.date(2026, 11, 29)
DATE_ARG = "2026-11-29"
DATE_PRINTED = "November 29, 2026"
FIXTURES = Path(__file__).parent / "fixtures"
LIBRARY_FIXTURES = FIXTURES / "library"
BRAND_FIXTURES = FIXTURES / "brand"

LETTER = (612.0, 792.0)
A4 = (595.2756, 841.8898)
MARGIN = 0.6 * 72  # layouts/standard.yaml: 0.6in on every side
DEFAULT_CLINIC = "Pain Management & Injury Relief"
SCIATICA_IDS = (
    "knee-to-opposite-shoulder",
    "pigeon-pose",
    "child-pose",
    "cobra-pose",
    "pelvic-tilt",
    "glute-bridge",
    "banded-squat",
    "split-squat",
    "hip-hinge",
)


# -- text --------------------------------------------------------------------------------------
def flat(text: str) -> str:
    """Whitespace collapsed to single spaces: wrapped lines read as one string."""
    return " ".join(text.split())


# -- PDF reading -------------------------------------------------------------------------------
@dataclass
class PdfPage:
    number: int  # 1-based
    width: float
    height: float
    chars: list[dict]
    words: list[dict]  # pdfplumber words with fontname and size


class Pdf:
    """PDF bytes with cached views: pypdf text per page, pdfplumber chars and words per page."""

    def __init__(self, data: bytes) -> None:
        assert data.startswith(b"%PDF-"), data[:20]
        self.data = data

    @cached_property
    def reader(self) -> pypdf.PdfReader:
        return pypdf.PdfReader(io.BytesIO(self.data))

    @property
    def page_count(self) -> int:
        return len(self.reader.pages)

    @cached_property
    def texts(self) -> list[str]:
        """Text of each page in drawing order (pypdf), whitespace collapsed."""
        return [flat(page.extract_text()) for page in self.reader.pages]

    @cached_property
    def text(self) -> str:
        return " ".join(self.texts)

    @cached_property
    def pages(self) -> list[PdfPage]:
        out = []
        with pdfplumber.open(io.BytesIO(self.data)) as doc:
            for page in doc.pages:
                x0, top, x1, bottom = page.mediabox
                out.append(
                    PdfPage(
                        number=page.page_number,
                        width=float(x1 - x0),
                        height=float(bottom - top),
                        chars=[dict(c) for c in page.chars],
                        words=page.extract_words(extra_attrs=["fontname", "size"]),
                    )
                )
        return out

    def page_of(self, needle: str) -> int:
        """The 1-based number of the first page whose text contains `needle` (collapsed)."""
        needle = flat(needle)
        for number, text in enumerate(self.texts, start=1):
            if needle in text:
                return number
        raise AssertionError(f"{needle!r} is on no page")

    def image_xobjects(self) -> list[dict]:
        images = []
        for page in self.reader.pages:
            xobjects = page.get("/Resources", {}).get("/XObject") or {}
            for ref in xobjects.values():
                obj = ref.get_object()
                if obj.get("/Subtype") == "/Image":
                    images.append(obj)
        return images

    def annotations(self) -> list:
        return [a for page in self.reader.pages for a in (page.get("/Annots") or [])]

    def font_names(self) -> set[str]:
        names = set()
        for page in self.reader.pages:
            fonts = page.get("/Resources", {}).get("/Font") or {}
            for ref in fonts.values():
                names.add(str(ref.get_object()["/BaseFont"]))
        return names


def overlapping_words(words: list[dict], min_fraction: float = 0.2) -> list[tuple[str, str]]:
    """Pairs of words whose boxes overlap by more than `min_fraction` of the smaller box."""
    found = []
    for i, a in enumerate(words):
        area_a = (a["x1"] - a["x0"]) * (a["bottom"] - a["top"])
        for b in words[i + 1 :]:
            w = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
            h = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            if w <= 0 or h <= 0:
                continue
            area_b = (b["x1"] - b["x0"]) * (b["bottom"] - b["top"])
            if w * h > min_fraction * min(area_a, area_b):
                found.append((a["text"], b["text"]))
    return found


def chars_outside(page: PdfPage, left: float, top: float, right: float, bottom: float) -> list:
    """Characters whose box is not inside the rectangle (pdfplumber coordinates, top-down)."""
    slack = 0.5
    return [
        c["text"]
        for c in page.chars
        if c["x0"] < left - slack
        or c["x1"] > right + slack
        or c["top"] < top - slack
        or c["bottom"] > bottom + slack
    ]


def build_pdf(**request) -> tuple[Handout, Pdf]:
    """make_handout with the fixed date; returns the Handout and the parsed-on-demand PDF."""
    request.setdefault("date", DATE)
    handout, data = make_handout(BuildRequest(**request))
    return handout, Pdf(data)


# -- files -------------------------------------------------------------------------------------
def leftovers(folder: Path) -> list[str]:
    """PDFs and temporary *.part files in `folder` (hidden ones included)."""
    return sorted(n for n in os.listdir(folder) if n.endswith((".pdf", ".part")))


def make_png(path: Path, size: tuple[int, int] = (300, 120), color=(31, 78, 121)) -> Path:
    Image.new("RGB", size, color).save(path, format="PNG")
    return path


def write_readme_brand(folder: Path) -> Path:
    """The README's brand example ("Your clinic's brand"): a logo, every contact field, a footer,
    a QR code and the Spanish tagline, footer and QR caption; `folder/clinic.yaml`."""
    make_png(folder / "logo.png", (300, 120))
    path = folder / "clinic.yaml"
    path.write_text(
        "name: Riverside Physical Therapy\ntagline: Moving you forward\nlogo: logo.png\n"
        'primary_color: "#1f4e79"\naccent_color: "#2e75b6"\nphone: (555) 010-0199\n'
        "email: front.desk@example.org\nwebsite: example.org\n"
        "address: |\n  12 River Road\n  Springfield\n"
        "footer: Questions? Call us Monday to Friday, 8 to 5.\n"
        "qr_link: https://example.org/book\nqr_caption: Scan to book your next visit\n"
        "translations:\n  es:\n    tagline: Le ayudamos a avanzar\n"
        "    footer: ¿Preguntas? Llámenos de lunes a viernes, de 8 a 5.\n"
        "    qr_caption: Escanee para pedir su próxima cita\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="session")
def long_brand(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The README's brand example (logo, phone, email, website, two-line address, QR code, long
    footer, its Spanish footer too), written once for the whole run."""
    return write_readme_brand(tmp_path_factory.mktemp("brand"))


def write_full_brand(folder: Path, logo_size: tuple[int, int] = (300, 120)) -> Path:
    """A brand file that sets every field, with a logo beside it."""
    make_png(folder / "logo.png", logo_size)
    path = folder / "clinic.yaml"
    path.write_text(
        "name: Riverside Physical Therapy\n"
        "tagline: Moving you forward\n"
        "logo: logo.png\n"
        'primary_color: "#1F4E79"\n'
        'accent_color: "#2e75b6"\n'
        "phone: (555) 010-0199\n"
        "email: front.desk@example.org\n"
        "website: example.org\n"
        "address: |\n"
        "  12 River Road\n"
        "  Springfield\n"
        "footer: Questions? Call us Monday to Friday, 8 to 5.\n",
        encoding="utf-8",
    )
    return path


# -- processes ---------------------------------------------------------------------------------
def run_python(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """`python ARGS` in a clean environment (no HANDOUTS_DEBUG), from `cwd`."""
    env = {k: v for k, v in os.environ.items() if k != "HANDOUTS_DEBUG"}
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def need_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (CI installs it)")
    return path


# -- shared handouts ---------------------------------------------------------------------------
SCIATICA_NOTES = "Start with 1 set.\n\nAdd the second set next week."


@pytest.fixture(scope="session")
def sciatica() -> tuple[Handout, Pdf]:
    """The sciatica program for a named patient, with notes: the handout most tests look at."""
    return build_pdf(
        program="sciatica",
        patient="Jane Doe",
        therapist="Sam Lee, PT",
        notes=SCIATICA_NOTES,
    )


@pytest.fixture(scope="session")
def unnamed() -> tuple[Handout, Pdf]:
    """A custom selection with no patient, therapist or notes."""
    return build_pdf(ids=("glute-bridge", "hip-hinge"))


@contextlib.contextmanager
def new_folder(parent: Path) -> Iterator[Path]:
    """A new empty folder under `parent`, as the current folder while the block runs (what
    click's deprecated isolated_filesystem did)."""
    folder = Path(tempfile.mkdtemp(dir=parent))
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield folder
    finally:
        os.chdir(before)


# -- the cache: every test of the command line runs with it off and warm -----------------------
CLI_NAMES = {"CliRunner", "run_python", "cli"}  # click's runner, a real process, the group


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "cache_off(reason): a command-line test true only with the cache off"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if _drives_cli(metafunc.function, metafunc.module, set()) and not any(
        metafunc.definition.iter_markers("cache_off")
    ):
        metafunc.parametrize("cache_mode", ["off", "warm"], indirect=True, scope="function")


def _drives_cli(function: object, module: types.ModuleType, seen: set) -> bool:
    """Whether a test, or a helper of its module that it calls, uses CliRunner, run_python or cli."""
    code = getattr(function, "__code__", None)
    if code is None or code in seen:
        return False
    seen.add(code)
    names: set[str] = set()
    codes = [code]
    while codes:  # the function and the functions defined inside it
        each = codes.pop()
        names.update(each.co_names)
        codes.extend(c for c in each.co_consts if isinstance(c, types.CodeType))
    if names & CLI_NAMES:
        return True
    helpers = (getattr(module, name, None) for name in names)
    return any(
        _drives_cli(h, module, seen)
        for h in helpers
        if getattr(h, "__module__", None) == module.__name__
    )


@pytest.fixture(scope="session")
def warm_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder holding the built-in library and every built-in layout."""
    from handouts.load import load_library
    from handouts.load.layout import layout_names, load_layout

    folder = tmp_path_factory.mktemp("warm-cache") / "cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HANDOUTS_CACHE", str(folder))
        load_library()
        for name in layout_names():
            load_layout(name)
    assert len(list(folder.glob("*.pickle"))) == 1 + len(layout_names())
    return folder


@pytest.fixture(autouse=True)
def cache_mode(request: pytest.FixtureRequest) -> Iterator[str]:
    """'off' (the default), or 'warm' (command-line tests get both): the cache on, in a folder
    that holds the built-in library and layouts, and whatever this process loads is served from
    an entry, as a later run would be (a miss writes it, then it is read back)."""
    mode = getattr(request, "param", "off")
    if mode == "off":
        yield mode
        return
    from handouts import build
    from handouts.load import cache

    through = cache._through

    def from_an_entry(*args):  # (folder, kind, key, make, expected)
        through(*args)
        return through(*args)

    folder = request.getfixturevalue("warm_cache")
    build._cached.cache_clear()  # what this process read before is not what a new run has
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HANDOUTS_CACHE", str(folder))
        patch.setattr(cache, "_through", from_an_entry)
        yield mode
    build._cached.cache_clear()
