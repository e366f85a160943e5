"""Where the time goes: wall-clock timers around the pipeline's steps, no profiler overhead.

    python bench/hotspots.py                  # cold build phases, then per-document phases
    python bench/hotspots.py --docs 10        # more documents per layout (default 6)
    python bench/hotspots.py --cprofile DIR   # also write cProfile stats (cold.prof, <layout>.prof)

Timers wrap functions from the outside (nothing under handouts/ is changed); a function that no
longer exists shows as '-'. Timings are inclusive (a step contains the steps indented under it)
and count only the outermost call of a recursive function. Like bench/run.py, it measures this
checkout (PYTHONPATH) with bytecode cached in a temporary folder.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
DATE = "2026-01-05"
PROGRAM = "sciatica"

# (label, indent, "module:Class.attr" or "module:function"; several targets share one timer)
STEPS = [
    (
        "load library (YAML + checks)",
        0,
        ["handouts.load.library:load_library", "handouts.build:load_library"],
    ),
    ("YAML parse (libyaml + line map)", 1, ["handouts.load.source:parse_yaml"]),
    ("load layout", 0, ["handouts.load.layout:load_layout", "handouts.build:load_layout"]),
    ("catalog listing (handouts list)", 0, ["handouts.catalog:list_text"]),
    ("compose (selection, doses)", 0, ["handouts.build:compose"]),
    ("render", 0, ["handouts.render:render", "handouts.render.pdf:render"]),
    ("fonts: register TrueType faces", 1, ["reportlab.pdfbase.ttfonts:TTFont.__init__"]),
    ("glyph check", 1, ["handouts.render.pdf:check_glyphs"]),
    (
        "styles + page chrome setup",
        1,
        ["handouts.render.pdf:make_styles", "handouts.render.pdf:PageChrome.__init__"],
    ),
    ("story: front matter", 1, ["handouts.render.pdf:front_matter"]),
    ("story: exercise cards", 1, ["handouts.render.pdf:exercises"]),
    ("measure() passes", 2, ["handouts.render.story:measure", "handouts.render.pdf:measure"]),
    ("doc.build (layout + drawing)", 1, ["reportlab.platypus.doctemplate:BaseDocTemplate.build"]),
    ("figures: FigurePair.draw", 2, ["handouts.render.figure:FigurePair.draw"]),
    ("QR codes: draw_qr", 2, ["handouts.render.qr:draw_qr", "handouts.render.chrome:draw_qr"]),
    ("QR encoding (cached per link)", 3, ["handouts.render.qr:qr_runs"]),
    (
        "page headers + footers",
        2,
        [
            "handouts.render.chrome:PageChrome.draw_first_header",
            "handouts.render.chrome:PageChrome.draw_later_header",
            "handouts.render.chrome:PageChrome.draw_footer",
        ],
    ),
    ("PDF writing: Canvas.save", 2, ["reportlab.pdfgen.canvas:Canvas.save"]),
    ("font subsetting: makeSubset", 3, ["reportlab.pdfbase.ttfonts:TTFontFile.makeSubset"]),
    ("write the file (atomic)", 0, ["handouts.build:write_atomic", "handouts.build:write_new"]),
    # cross-cutting: spread over the steps above
    ("Paragraph(): markup parsing", -1, ["reportlab.platypus.paragraph:Paragraph._setup"]),
    ("Paragraph.wrap: line breaking", -1, ["reportlab.platypus.paragraph:Paragraph.wrap"]),
    ("Table.wrap: cell sizing", -1, ["reportlab.platypus.tables:Table.wrap"]),
]


class Timers:
    """Inclusive wall time and call count per label; only the outermost call of a label counts."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.depth: dict[str, int] = defaultdict(int)
        self.found: set[str] = set()
        self.faces: list[tuple[str, float]] = []

    def reset(self) -> None:
        self.seconds.clear()
        self.calls.clear()
        self.faces.clear()

    def wrap(self, label: str, func):
        timers = self
        face = func.__qualname__ == "TTFont.__init__"

        def timed(*args, **kwargs):
            timers.calls[label] += 1
            if timers.depth[label]:
                return func(*args, **kwargs)
            timers.depth[label] += 1
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - start
                timers.seconds[label] += elapsed
                timers.depth[label] -= 1
                if face:
                    timers.faces.append((str(args[1]), elapsed))

        timed.bench_original = func
        return timed

    def install(self, only_loaded: bool = False) -> None:
        """Wrap every target that exists (in modules already imported when `only_loaded`); one
        wrapper per function, shared by all its names."""
        import importlib

        wrappers: dict[int, object] = {}
        for label, _, targets in STEPS:
            for target in targets:
                module_name, _, path = target.partition(":")
                if only_loaded and module_name not in sys.modules:
                    continue
                try:
                    owner = importlib.import_module(module_name)
                    *parents, attr = path.split(".")
                    for parent in parents:
                        owner = getattr(owner, parent)
                    func = getattr(owner, attr)
                except (ImportError, AttributeError):
                    continue
                func = getattr(func, "bench_original", func)
                if id(func) not in wrappers:
                    wrappers[id(func)] = self.wrap(label, func)
                setattr(owner, attr, wrappers[id(func)])
                self.found.add(label)


def env_for_children(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    return env


# -- the cold child: one `handouts build` or `handouts list`, timed from inside --------------------
COLD = {
    "build": (
        ["build", "--program", PROGRAM, "--date", DATE, "-o", "{out}"],
        [
            ("import handouts.cli (click)", "handouts.cli"),
            ("import handouts.build (load, compose)", "handouts.build"),
            ("import handouts.render (reportlab, PIL)", "handouts.render"),
        ],
    ),
    "list": (
        ["list"],
        [
            ("import handouts.cli (click)", "handouts.cli"),
            ("import handouts.catalog (model, compose)", "handouts.catalog"),
            ("import handouts.load.library (yaml)", "handouts.load.library"),
        ],
    ),
}


def child_cold(command: str, out: str, cprofile: str | None) -> None:
    import contextlib
    import importlib
    import io

    argv, modules = COLD[command]
    imports = {}
    for label, module in modules:
        start = time.perf_counter()
        importlib.import_module(module)
        imports[label] = time.perf_counter() - start
    timers = Timers()
    timers.install(only_loaded=True)
    sys.argv = ["handouts", *(a.format(out=out) for a in argv)]
    profiler = None
    if cprofile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    start = time.perf_counter()
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            sys.modules["handouts.cli"].cli.main(prog_name="handouts")  # main() ends the process
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise
    run = time.perf_counter() - start
    if profiler:
        profiler.disable()
        profiler.dump_stats(cprofile)
    imports["the command itself, after these imports"] = run
    print(
        json.dumps(
            {
                "imports": imports,
                "seconds": timers.seconds,
                "calls": timers.calls,
                "faces": timers.faces,
                "found": sorted(timers.found),
            }
        )
    )


def run_cold(
    tmp: Path, env: dict[str, str], reps: int, cprofile: Path | None, command: str
) -> dict:
    runs, bare, real = [], [], []
    cmd = [sys.executable, str(Path(__file__)), "--child-cold", command, str(tmp / "cold.pdf")]
    script = Path(sys.executable).parent / "handouts"
    handouts = [str(script)] if script.is_file() else [sys.executable, "-m", "handouts"]
    argv = [a.format(out=tmp / "real.pdf") for a in COLD[command][0]]
    for i in range(reps + 1):  # interleaved; the first round fills the bytecode cache
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=tmp)
        if done.returncode != 0:
            raise RuntimeError(done.stderr[-2000:])
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], env=env, check=True, cwd=tmp)
        middle = time.perf_counter()
        subprocess.run([*handouts, *argv], env=env, check=True, cwd=tmp, capture_output=True)
        end = time.perf_counter()
        if i:
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
            bare.append(middle - start)
            real.append(end - middle)
    if cprofile:
        subprocess.run(
            [*cmd, "--cprofile", str(cprofile / f"cold-{command}.prof")],
            env=env,
            check=True,
            cwd=tmp,
            capture_output=True,
        )
    return {"runs": runs, "wall": statistics.median(real), "bare": statistics.median(bare)}


def importtime(env: dict[str, str], tmp: Path, args: list[str], reps: int = 3) -> dict:
    """Median (self ms, cumulative ms, imported by) per module of `python -X importtime ARGS`."""
    table: dict[str, list[tuple[float, float]]] = defaultdict(list)
    parents: dict[str, str] = {}
    line = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")
    for _ in range(reps):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", *args],
            env=env,
            cwd=tmp,
            capture_output=True,
            text=True,
        )
        rows = [
            (m.group(4), int(m.group(1)), int(m.group(2)), len(m.group(3)))
            for m in line.finditer(done.stderr)
        ]
        for i, (name, self_us, cum_us, depth) in enumerate(rows):
            table[name].append((self_us / 1000, cum_us / 1000))
            # post-order: a module's importer is the next line with a smaller indent
            parent = next((r[0] for r in rows[i + 1 :] if r[3] < depth), "")
            parents.setdefault(name, parent)
    return {
        name: (
            statistics.median(v[0] for v in values),
            statistics.median(v[1] for v in values),
            parents.get(name, ""),
        )
        for name, values in table.items()
    }


# -- in one process ------------------------------------------------------------------------------
def in_process(docs: int, cprofile: Path | None) -> tuple[dict, set[str]]:
    sys.path.insert(0, str(REPO))
    sys.path.insert(0, str(BENCH))
    import floor
    from run import sciatica_requests, write_qr_library

    import handouts.render  # noqa: F401 - imported before the timers wrap it
    from handouts.build import build, make_handout
    from handouts.resources import builtin_library_path

    timers = Timers()
    timers.install()
    tmp = Path(tempfile.mkdtemp(prefix="handouts-profile-"))
    qr_library = write_qr_library(builtin_library_path(), tmp / "qr-library.yaml")
    content = floor.load(builtin_library_path())
    results = {}
    floor.render(content)
    times = []
    for _ in range(docs):
        start = time.perf_counter()
        floor.render(content)
        times.append(time.perf_counter() - start)
    results["floor"] = {"ms": statistics.median(times) * 1000}
    for name, request in sciatica_requests(qr_library, tmp).items():
        build(request)
        build(request)
        gc.collect()
        timers.reset()
        times = []
        for _ in range(docs):
            start = time.perf_counter()
            build(request)
            times.append(time.perf_counter() - start)
        results[name] = {
            "ms": statistics.median(times) * 1000,
            "mean_ms": statistics.mean(times) * 1000,
            "steps": {k: v * 1000 / docs for k, v in timers.seconds.items()},
            "calls": {k: v / docs for k, v in timers.calls.items()},
        }
        if cprofile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(docs):
                make_handout(request)
            profiler.disable()
            profiler.dump_stats(cprofile / f"{request.output.stem}.prof")
    return results, timers.found


# -- report -------------------------------------------------------------------------------------
def show_steps(
    steps: dict[str, float], calls: dict[str, float], found: set[str], total: float, per: str
) -> None:
    for label, indent, _ in STEPS:
        if indent < 0:
            continue
        if label not in found:
            print(f"  {'  ' * indent}{label:<{44 - 2 * indent}} {'-':>8}")
            continue
        ms = steps.get(label, 0.0)
        share = 100 * ms / total if total else 0
        n = calls.get(label, 0)
        print(
            f"  {'  ' * indent}{label:<{44 - 2 * indent}} {ms:8.1f} {share:5.0f}%  "
            f"{n:7.1f} calls{per}"
        )
    print("  spread over the steps above:")
    for label, indent, _ in STEPS:
        if indent >= 0 or label not in found:
            continue
        ms = steps.get(label, 0.0)
        share = 100 * ms / total if total else 0
        print(f"    {label:<42} {ms:8.1f} {share:5.0f}%  {calls.get(label, 0):7.1f} calls{per}")


def show_cold(command: str, cold: dict) -> None:
    runs = cold["runs"]
    wall, bare = cold["wall"] * 1000, cold["bare"] * 1000
    print(
        f"\nCold `handouts {command}`: median of {len(runs)} processes (ms, share of the process)"
    )
    print(f"  {'the real command (wall, from outside)':<44} {wall:8.1f}")
    print(f"  {'python startup (python -c pass)':<44} {bare:8.1f} {100 * bare / wall:5.0f}%")
    accounted = bare
    for name in runs[0]["imports"]:
        ms = statistics.median(r["imports"][name] for r in runs) * 1000
        accounted += ms
        print(f"  {name:<44} {ms:8.1f} {100 * ms / wall:5.0f}%")
    rest = wall - accounted
    print(f"  {'rest (exit, noise between runs)':<44} {rest:8.1f} {100 * rest / wall:5.0f}%")
    print("  inside the command:")
    steps = {k: statistics.median(r["seconds"].get(k, 0) for r in runs) * 1000 for k, *_ in STEPS}
    calls = {k: statistics.median(r["calls"].get(k, 0) for r in runs) for k, *_ in STEPS}
    show_steps(steps, calls, set(runs[0]["found"]), wall, "")
    faces = defaultdict(list)
    for r in runs:
        for face, seconds in r["faces"]:
            faces[face].append(seconds * 1000)
    for face, values in faces.items():
        print(f"    TrueType face {face:<29} {statistics.median(values):8.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=6, help="documents per layout (default 6)")
    parser.add_argument("--reps", type=int, default=5, help="cold processes (default 5)")
    parser.add_argument("--cprofile", type=Path, metavar="DIR", help="write cProfile stats here")
    parser.add_argument("--child-cold", nargs=2, metavar=("COMMAND", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_cold:
        sys.path.insert(0, str(REPO))
        child_cold(*args.child_cold, str(args.cprofile) if args.cprofile else None)
        return 0
    if args.cprofile:
        args.cprofile.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="handouts-profile-") as name:
        tmp = Path(name)
        env = env_for_children(tmp)
        colds = {c: run_cold(tmp, env, args.reps, args.cprofile, c) for c in COLD}
        build_imports = importtime(
            env, tmp, ["-m", "handouts", "build", "--program", PROGRAM, "-o", str(tmp / "it.pdf")]
        )
        list_imports = importtime(env, tmp, ["-m", "handouts", "list"])

    for command, cold in colds.items():
        show_cold(command, cold)
    print("\nImports (python -X importtime, median of 3; cumulative ms, self ms)")
    for title, table in (("handouts build", build_imports), ("handouts list", list_imports)):
        print(f"  {title}:")
        rows = sorted(table.items(), key=lambda r: -r[1][1])
        print(f"    {'module':<40} {'cumul.':>7} {'self':>6}  imported by")
        for name, (own, cumulative, parent) in rows[:24]:
            print(f"    {name:<40} {cumulative:7.1f} {own:6.1f}  {parent}")

    results, found = in_process(args.docs, args.cprofile)
    floor_ms = results["floor"]["ms"]
    print(
        f"\nIn one process: median ms per document over {args.docs} (warm); "
        f"floor = {floor_ms:.1f} ms"
    )
    for name, r in results.items():
        if name == "floor":
            continue
        print(
            f"\n  {PROGRAM} {name}: {r['ms']:.1f} ms/doc ({r['ms'] / floor_ms:.2f}x floor); "
            "steps in ms per document (timed runs, mean):"
        )
        show_steps(r["steps"], r["calls"], found, r["mean_ms"], "/doc")
    if args.cprofile:
        print(
            f"\ncProfile stats in {args.cprofile}: python -m pstats {args.cprofile}/cold-build.prof"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
