"""bench/floor.py (plain reportlab drawing the sciatica handout: the floor the cold and in-process
builds are timed against) still reads the built-in library: a new form of a field (a tip written
{text:, when:}) broke it once, and the benchmark could then measure nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_the_floor_draws_the_sciatica_handout_from_the_library(tmp_path) -> None:
    out = tmp_path / "floor.pdf"
    done = subprocess.run([sys.executable, str(REPO / "bench" / "floor.py"), str(out)],
                          capture_output=True, text=True, cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    import pdfplumber

    with pdfplumber.open(out) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "Some people get more relief from cobra pose." in text  # (a tip {text:, when:})
