"""What prints, pinned before a speed change: `python bench/reference.py save refs.json`, then after
the change `python bench/reference.py check refs.json` (exit 1 and the differing cases if any PDF is
not the same bytes).

A speed change must not change a byte of any handout. This builds a reference set with a fixed
--date and records the sha256 of each PDF: every built-in program and layout, English and Spanish,
letter and A4, with the built-in brand, bench/qr-brand.yaml (a QR code in the header, a video QR
code on every card) and a long brand (the README's example: logo, address, footer, its own
TrueType faces); the weekly log for two weeks, --choose, --dose and --note, a patient and notes,
photos (a JPEG embedded as it is, one turned by its EXIF tag, a portrait one, a PNG), and the
`handouts figures` sheet.

Every case runs in one process (`handouts.cli.run`, as the console script runs it): the first build
takes the cold path, the later ones the process's memos (parsed texts, drawn figures, QR codes).
`--fresh N` also runs the first N cases each in a new process and requires the same bytes. Nothing
here is a test: hashes pinned in the repository would break on every legitimate change of what
prints; run it around a change of how fast it prints.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
DATE = "2026-01-05"
FONTS = Path("/usr/share/fonts/truetype/dejavu")

README_BRAND = """\
name: Riverside Physical Therapy
tagline: Moving you forward
logo: logo.png
primary_color: "#1f4e79"
accent_color: "#2e75b6"
phone: (555) 010-0199
email: front.desk@example.org
website: example.org
address: |
  12 River Road
  Springfield
footer: Questions? Call us Monday to Friday, 8 to 5.
qr_link: https://example.org/book
qr_caption: Scan to book your next visit
font: {regular: DejaVuSans.ttf, bold: DejaVuSans-Bold.ttf}
translations:
  es:
    tagline: Le ayudamos a avanzar
    qr_caption: Escanee para pedir su próxima cita
    footer: ¿Preguntas? Llámenos de lunes a viernes, de 8 a 5.
"""

PHOTO_LIBRARY = """\
version: 1
exercises:
  - id: photo-wall-sit
    title: Wall sit
    purpose: Builds strength in your thighs to support your knees and back.
    position: Standing with your back against a wall
    equipment: [A clear wall]
    steps:
      - Stand with your back against a wall.
      - Slide down until your knees are slightly bent.
      - Hold, then slide back up.
    tips: [Keep your back flat on the wall.]
    cautions: [Stop if your knees hurt.]
    dose: {hold: 20, reps: 5, sets: 2}
    images: {start: photos/wide.jpg, end: photos/turned.jpg}
  - id: photo-heel-raise
    title: Heel raise
    purpose: Makes your calves stronger.
    position: Standing, holding a chair
    equipment: [A sturdy chair]
    steps:
      - Hold the back of a chair.
      - Rise up onto your toes.
      - Lower slowly.
    tips: [Move slowly.]
    cautions: [Stop if you feel sharp pain.]
    dose: {reps: 10, sets: 2}
    images: {start: photos/portrait.jpg, end: photos/drawing.png}
"""


def _photos(folder: Path) -> None:
    """Four pictures made from a fixed seed (the same bytes every run)."""
    from PIL import Image, ImageDraw

    folder.mkdir(parents=True, exist_ok=True)
    r = random.Random(13)

    def picture(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
        image = Image.new(mode, size, (r.randrange(256), r.randrange(256), r.randrange(256)))
        draw = ImageDraw.Draw(image)
        for _ in range(8):
            x, y = r.randrange(size[0]), r.randrange(size[1])
            box = (x, y, x + r.randrange(20, 200), y + r.randrange(20, 200))
            draw.ellipse(box, fill=(r.randrange(256), r.randrange(256), r.randrange(256)))
        return image

    picture((850, 567)).save(folder / "wide.jpg", quality=80)
    turned = picture((567, 850))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turn 90 degrees to print upright
    turned.save(folder / "turned.jpg", quality=80, exif=exif.tobytes())
    picture((480, 720)).save(folder / "portrait.jpg", quality=85)
    drawing = Image.new("RGB", (400, 300), "white")
    ImageDraw.Draw(drawing).line((20, 280, 380, 20), fill="black", width=6)
    drawing.save(folder / "drawing.png")


def _logo(path: Path) -> None:
    from PIL import Image, ImageDraw

    logo = Image.new("RGB", (240, 80), "#1f4e79")
    ImageDraw.Draw(logo).ellipse((10, 10, 70, 70), fill="white")
    logo.save(path)


def make_inputs(folder: Path) -> dict[str, Path]:
    """The files the cases name, made in `folder`."""
    sys.path.insert(0, str(BENCH))
    import run  # bench/run.py: the library with a video link on every sciatica exercise

    from handouts import resources

    library = resources.builtin_library_path()
    brand = folder / "readme-brand"
    brand.mkdir()
    (brand / "clinic.yaml").write_text(README_BRAND, encoding="utf-8")
    _logo(brand / "logo.png")
    for face in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        shutil.copy(FONTS / face, brand / face)
    photos = folder / "photos-library"
    _photos(photos / "photos")
    (photos / "library.yaml").write_text(PHOTO_LIBRARY, encoding="utf-8")
    return {
        "qr_brand": BENCH / "qr-brand.yaml",
        "qr_library": run.write_qr_library(library, folder / "qr-library.yaml"),
        "readme_brand": brand / "clinic.yaml",
        "photo_library": photos / "library.yaml",
    }


def cases(files: dict[str, Path]) -> dict[str, list[str]]:
    """Name -> the `handouts` arguments (without -o and --date)."""
    out: dict[str, list[str]] = {}
    brands = {
        "plain": [],
        "qr": ["--brand", str(files["qr_brand"]), "--library", str(files["qr_library"])],
        "readme": ["--brand", str(files["readme_brand"])],
    }
    for layout in ("standard", "compact", "large-print"):
        for lang in ("en", "es"):
            for paper in ("letter", "a4"):
                for brand, options in brands.items():
                    name = f"sciatica-{layout}-{lang}-{paper}-{brand}"
                    out[name] = ["build", "--program", "sciatica", "--layout", layout,
                                 "--lang", lang, "--paper", paper, *options]  # fmt: skip
                    if brand == "qr" and lang != "en":  # qr-brand.yaml is in English only
                        out[name].append("--allow-fallback")
        for program in ("sciatica-gentle", "sciatica-strength"):
            for lang in ("en", "es"):
                out[f"{program}-{layout}-{lang}"] = ["build", "--program", program,
                                                     "--layout", layout, "--lang", lang]  # fmt: skip
        extras = [
            "--patient", "Jane Doe", "--therapist", "Sam Lee, PT",
            "--notes", "Start slowly.\n\nWalk every day.",
            "--log", "--weeks", "2", "--choose", "cobra-pose",
            "--dose", "hip-hinge:reps=8,sets=3", "--note", "hip-hinge:Keep the weight light.",
        ]  # fmt: skip
        for lang in ("en", "es"):
            out[f"sciatica-{layout}-{lang}-everything"] = [
                "build", "--program", "sciatica", "--layout", layout, "--lang", lang, *extras,
            ]  # fmt: skip
        out[f"sciatica-{layout}-readme-everything"] = [
            "build", "--program", "sciatica", "--layout", layout, *brands["readme"], *extras,
        ]  # fmt: skip
        out[f"photos-{layout}"] = ["build", "photo-wall-sit", "photo-heel-raise", "glute-bridge",
                                   "--library", str(files["photo_library"]),
                                   "--layout", layout]  # fmt: skip
        out[f"ids-{layout}-a4"] = ["build", "glute-bridge", "hip-hinge", "pelvic-tilt",
                                   "--layout", layout, "--paper", "a4", "--weeks", "0"]  # fmt: skip
    out["figures-letter"] = ["figures"]
    out["figures-a4"] = ["figures", "--paper", "a4"]
    return out


def _arguments(args: list[str], output: Path) -> list[str]:
    if args[0] == "figures":
        return [*args, "-o", str(output)]
    return [*args, "--date", DATE, "-o", str(output)]


def run_in_process(all_cases: dict[str, list[str]], out: Path) -> dict[str, str]:
    from handouts import cli

    hashes = {}
    for name, args in all_cases.items():
        pdf = out / f"{name}.pdf"
        sys.argv = ["handouts", *_arguments(args, pdf)]
        with (
            contextlib.redirect_stdout(io.StringIO()),
            contextlib.redirect_stderr(io.StringIO()) as err,
        ):
            status = cli.run()
        if status != 0:
            print(err.getvalue(), file=sys.stderr)
        if status != 0:
            raise SystemExit(f"{name}: handouts {' '.join(sys.argv[1:])} exited {status}")
        hashes[name] = hashlib.sha256(pdf.read_bytes()).hexdigest()
    return hashes


def run_fresh(all_cases: dict[str, list[str]], out: Path, count: int) -> dict[str, str]:
    hashes = {}
    for name, args in list(all_cases.items())[:count]:
        pdf = out / f"fresh-{name}.pdf"
        done = subprocess.run([sys.executable, "-m", "handouts", *_arguments(args, pdf)],
                              capture_output=True, text=True, env=os.environ)  # fmt: skip
        if done.returncode != 0:
            raise SystemExit(f"{name} (fresh process) exited {done.returncode}:\n{done.stderr}")
        hashes[name] = hashlib.sha256(pdf.read_bytes()).hexdigest()
    return hashes


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in ("save", "check"):
        print("usage: python bench/reference.py save|check FILE.json [--fresh N] [--keep DIR]")
        return 2
    action, record = argv[0], Path(argv[1])
    fresh = int(argv[argv.index("--fresh") + 1]) if "--fresh" in argv else 0
    keep = Path(argv[argv.index("--keep") + 1]) if "--keep" in argv else None
    with tempfile.TemporaryDirectory(prefix="handouts-reference-") as tmp:
        folder = Path(tmp)
        os.environ["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p
        )
        os.environ["HANDOUTS_CACHE"] = str(folder / "cache")
        os.environ.pop("HANDOUTS_SETTINGS", None)
        os.environ["XDG_CONFIG_HOME"] = str(folder / "config")  # no user settings file
        sys.path.insert(0, str(REPO))
        out = folder / "out"
        out.mkdir()
        all_cases = cases(make_inputs(folder))
        hashes = run_in_process(all_cases, out)
        problems = [
            f"{name}: a fresh process printed other bytes than the shared one"
            for name, digest in run_fresh(all_cases, out, fresh).items()
            if digest != hashes[name]
        ]
        if keep:
            shutil.copytree(out, keep, dirs_exist_ok=True)
    if action == "save":
        record.write_text(json.dumps(hashes, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"{len(hashes)} PDFs recorded in {record}")
    else:
        wanted = json.loads(record.read_text(encoding="utf-8"))
        problems += [f"{name}: not in {record}" for name in hashes if name not in wanted]
        problems += [f"{name}: not built" for name in wanted if name not in hashes]
        problems += [
            f"{name}: other bytes"
            for name in hashes
            if name in wanted and hashes[name] != wanted[name]
        ]
        if not problems:
            print(f"{len(hashes)} PDFs, every one the same bytes as in {record}")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
