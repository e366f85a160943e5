"""Benchmark of handouts against floors measured in the same run: `python bench/run.py`.

Absolute times on a shared machine are noise; ratios against a floor timed in the same run, with
the measured command and its floor interleaved, are what is compared with the targets. See
bench/README.md for what each line measures and where the time goes.

    python bench/run.py                # full size: 11 repetitions, a batch of 500 (a few minutes)
    python bench/run.py --quick        # 3 repetitions, a batch of 100 (under a minute)
    python bench/run.py --json r.json  # also save every number
    python bench/run.py --installed    # measure the installed package, not this checkout

Exit status: 0 when every target passes, 1 when one fails, 2 when something could not be measured.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
DATE = "2026-01-05"  # a fixed date: the same bytes every run
PROGRAM = "sciatica"
LAYOUTS = ("standard", "compact", "large-print")
QR_BRAND = BENCH / "qr-brand.yaml"
VIDEO = "https://example.org/videos/{id}"
POLL = 0.05  # seconds between two looks at the batch's processes
MIB = 1024 * 1024
KB = 1000  # the size target's kilobyte

TARGETS = {
    "cold_build": 1.3,  # cold `handouts build` <= 1.3 x the floor process
    "startup_cost": 0.5,  # --help and list: cost above `python -c pass` <= 0.5 x platypus's
    "in_process": 1.5,  # time per document <= 1.5 x the floor's, QR codes included
    "jobs_speedup": 1.8,  # --jobs 2 >= 1.8 x the throughput of --jobs 1
    "memory_growth_mib": 5.0,  # RSS from the first hundred handouts to the last
    "size_kb": 60.0,  # the standard sciatica handout
    "photo_handout": 1.5,  # 50 exercises, 2 photos each <= 1.5 x plain reportlab drawing them
    "photo_bytes": 1.3,  # its PDF <= 1.3 x the bytes of its 100 JPEG files
    "photo_check": 5.0,  # `handouts check`, 900 exercises and 1,800 photos <= 5 x reading them
}
PHOTO_EXERCISES = 900  # the generated photo library (bench/photos.py), two photos each
PHOTO_HANDOUT = 50  # exercises in the photo handout


# -- helpers --------------------------------------------------------------------------------------
def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def spread(values: list[float]) -> float:
    """The interquartile range as a share of the median: how noisy these repetitions were."""
    if len(values) < 3:
        return float("nan")
    q1, _, q3 = statistics.quantiles(values, n=4)
    return (q3 - q1) / statistics.median(values)


def handouts_command() -> list[str]:
    """The console script next to this Python (not a pyenv shim on PATH), else `python -m`."""
    script = Path(sys.executable).parent / "handouts"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "handouts"]


def child_env(tmp: Path, installed: bool) -> dict[str, str]:
    """The environment of every process started here, floors included.

    Bytecode is written to (and read from) a cache under the temporary folder: a pip-installed
    package has its .pyc files, so a checkout must not be timed compiling itself (this machine
    sets PYTHONDONTWRITEBYTECODE=1), and the checkout's folders stay untouched.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    if not installed:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    return env


class Timed:
    """One finished process: wall time, CPU time (user + sys) and peak RSS, from wait4."""

    def __init__(self, cmd: list[str], env: dict[str, str], cwd: Path) -> None:
        with tempfile.TemporaryFile() as err:
            start = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=cwd)
            try:
                _, status, usage = os.wait4(proc.pid, 0)
            except BaseException:
                proc.kill()
                proc.wait()
                raise
            self.wall = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            err.seek(0)
            self.stderr = err.read().decode(errors="replace")
        self.status = proc.returncode
        self.cpu = usage.ru_utime + usage.ru_stime
        self.rss_mib = usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux

    def check(self, what: str) -> None:
        if self.status != 0:
            raise RuntimeError(f"{what} exited {self.status}:\n{self.stderr.strip()[-2000:]}")


def pdf_pages(data: bytes) -> int:
    return data.count(b"/Type /Page") - data.count(b"/Type /Pages")


# -- process starts -------------------------------------------------------------------------------
def cold_commands(tmp: Path, library: Path) -> dict[str, tuple[str, list[str]]]:
    py = sys.executable
    ho = handouts_command()
    out = tmp / "cold"
    out.mkdir(exist_ok=True)
    return {
        "nosite": ("python -S -c pass  (no site: info)", [py, "-S", "-c", "pass"]),
        "pass": ("python -c pass", [py, "-c", "pass"]),
        "platypus": (
            'python -c "import reportlab.platypus"',
            [py, "-c", "import reportlab.platypus"],
        ),
        "help": ("handouts --help", [*ho, "--help"]),
        "list": ("handouts list", [*ho, "list"]),
        "floor": (
            "python bench/floor.py out.pdf  (floor)",
            [py, str(BENCH / "floor.py"), str(out / "floor.pdf"), str(library)],
        ),
        "build": (
            f"handouts build --program {PROGRAM}",
            [*ho, "build", "--program", PROGRAM, "--date", DATE, "-o", str(out / "build.pdf")],
        ),
    }


def bench_cold(tmp: Path, env: dict[str, str], reps: int, library: Path) -> dict:
    commands = cold_commands(tmp, library)
    names = list(commands)
    for _ in range(2):  # warm-up: bytecode cache, page cache; and every command must work
        for name in names:
            Timed(commands[name][1], env, tmp).check(commands[name][0])
    runs: dict[str, list[Timed]] = {name: [] for name in names}
    for rep in range(reps):  # interleaved, starting one further each time: noise hits them all
        for name in names[rep % len(names) :] + names[: rep % len(names)]:
            timed = Timed(commands[name][1], env, tmp)
            timed.check(commands[name][0])
            runs[name].append(timed)
    result = {}
    for name in names:
        result[name] = {
            "label": commands[name][0],
            "wall_ms": median([t.wall for t in runs[name]]) * 1000,
            "cpu_ms": median([t.cpu for t in runs[name]]) * 1000,
            "rss_mib": median([t.rss_mib for t in runs[name]]),
            "spread": spread([t.wall for t in runs[name]]),
            "walls_ms": [round(t.wall * 1000, 2) for t in runs[name]],
        }
    wall = {name: result[name]["wall_ms"] for name in names}
    platypus_cost = wall["platypus"] - wall["pass"]
    ratios = {"build_vs_floor": wall["build"] / wall["floor"]}
    for name in ("help", "list"):
        ratios[f"{name}_cost"] = (wall[name] - wall["pass"]) / platypus_cost
        ratios[f"{name}_vs_pass"] = wall[name] / wall["pass"]
        ratios[f"{name}_vs_platypus"] = wall[name] / wall["platypus"]
    # the same ratios taken within each repetition (commands close in time), then the median
    w = {name: [t.wall for t in runs[name]] for name in names}
    paired = {
        "build_vs_floor": median([b / f for b, f in zip(w["build"], w["floor"], strict=True)])
    }
    for name in ("help", "list"):
        paired[f"{name}_cost"] = median(
            [(c - p) / (pl - p) for c, p, pl in zip(w[name], w["pass"], w["platypus"], strict=True)]
        )
    result["ratios"] = ratios
    result["paired"] = paired
    result["build_pdf_bytes"] = (tmp / "cold" / "build.pdf").stat().st_size
    return result


# -- in one process -------------------------------------------------------------------------------
def write_qr_library(library: Path, out: Path) -> Path:
    """A clinic library file giving each of the program's exercises a `video:` link: the built-in
    exercises, copied whole (figures included) so that they replace the built-in ones."""
    import yaml

    data = yaml.load(library.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    program = next(p for p in data["programs"] if p["id"] == PROGRAM)
    ids = [e if isinstance(e, str) else e["id"] for e in program["exercises"]]
    by_id = {e["id"]: e for e in data["exercises"]}
    exercises = [{**by_id[i], "video": VIDEO.format(id=i)} for i in ids]
    out.write_text(
        "# Generated by bench/run.py: the sciatica exercises with video links (QR codes).\n"
        + yaml.safe_dump({"version": 1, "exercises": exercises}, sort_keys=False),
        encoding="utf-8",
    )
    return out


def sciatica_requests(qr_library: Path, folder: Path) -> dict:
    """The sciatica handout per layout, without QR codes and with one on every card ("standard
    + QR"), written into `folder`."""
    from handouts.build import BuildRequest

    return {
        f"{layout}{' + QR' if qr else ''}": BuildRequest(
            program=PROGRAM,
            layout=layout,
            date=dt.date.fromisoformat(DATE),
            brand=QR_BRAND if qr else None,
            library=qr_library if qr else None,
            output=folder / f"{layout}{'-qr' if qr else ''}.pdf",
        )
        for layout in LAYOUTS
        for qr in (False, True)
    }


def bench_in_process(tmp: Path, reps: int, per_block: int, library: Path) -> dict:
    import floor

    from handouts.build import build

    folder = tmp / "in-process"
    folder.mkdir(exist_ok=True)
    qr_library = write_qr_library(library, tmp / "qr-library.yaml")
    content = floor.load(library)
    jobs = {"floor": lambda: floor.render(content)}
    firsts = {}
    for name, request in sciatica_requests(qr_library, folder).items():
        jobs[name] = (lambda r: lambda: build(r))(request)
    for name, job in jobs.items():  # warm-up: fonts registered, files loaded, caches filled
        start = time.perf_counter()
        job()
        firsts[name] = (time.perf_counter() - start) * 1000
        job()
    times: dict[str, list[float]] = {name: [] for name in jobs}
    names = list(jobs)
    for rep in range(reps):
        for name in names[rep % len(names) :] + names[: rep % len(names)]:
            gc.collect()
            start = time.perf_counter()
            for _ in range(per_block):
                jobs[name]()
            times[name].append((time.perf_counter() - start) / per_block)
    floor_pdf = floor.render(content)
    result = {}
    for name in names:
        ms = median(times[name]) * 1000
        if name == "floor":
            size, pages = len(floor_pdf), pdf_pages(floor_pdf)
        else:
            layout, qr = name.split(" + ")[0], name.endswith("QR")
            data = (folder / f"{layout}{'-qr' if qr else ''}.pdf").read_bytes()
            size, pages = len(data), pdf_pages(data)
        result[name] = {
            "ms_per_doc": ms,
            "docs_per_s": 1000 / ms,
            "first_ms": firsts[name],
            "spread": spread(times[name]),
            "bytes": size,
            "pages": pages,
            "blocks_ms": [round(t * 1000, 2) for t in times[name]],
        }
    for name in names:
        result[name]["vs_floor"] = result[name]["ms_per_doc"] / result["floor"]["ms_per_doc"]
        result[name]["paired_vs_floor"] = median(
            [t / f for t, f in zip(times[name], times["floor"], strict=True)]
        )
    return result


# -- a clinic's photos -----------------------------------------------------------------------------
def bench_photos(tmp: Path, env: dict[str, str], reps: int) -> dict:
    """A library of PHOTO_EXERCISES exercises with two synthetic JPEGs each, made here; then, as
    cold processes interleaved in rounds: a PHOTO_HANDOUT-exercise handout against plain
    reportlab drawing the same JPEG files (bench/photos.py floor), and `handouts check` of the
    whole library against reading its YAML and opening every photo (bench/photos.py open)."""
    import photos

    folder = tmp / "photo-library"
    start = time.perf_counter()
    library = photos.make_library(folder, PHOTO_EXERCISES)
    made_s = time.perf_counter() - start
    files = photos.photo_files(library)
    sizes = [p.stat().st_size for p in files]
    jpeg_bytes = sum(sizes[: 2 * PHOTO_HANDOUT])
    out = tmp / "photo-out"
    out.mkdir(exist_ok=True)
    py, ho, script = sys.executable, handouts_command(), str(BENCH / "photos.py")
    ids = [f"move-{n:04d}" for n in range(1, PHOTO_HANDOUT + 1)]
    build = [*ho, "build", *ids, "--library", str(library), "--date", DATE]
    warm = dict(env, HANDOUTS_CACHE=str(tmp / "photo-cache"))  # a run after the first
    cold = dict(env, HANDOUTS_CACHE="off")  # the library's YAML read, nothing kept
    commands = {
        "floor": ("plain reportlab, the JPEG files as they are (floor)",
                  [py, script, "floor", str(out / "floor.pdf"), str(library), str(PHOTO_HANDOUT)],
                  env),
        "build": (f"handouts build ({PHOTO_HANDOUT} exercises)",
                  [*build, "-o", str(out / "build.pdf")], warm),
        "build_off": ("  the same, HANDOUTS_CACHE=off (info)",
                      [*build, "-o", str(out / "build-off.pdf")], cold),
        "open": ("read the YAML, open every photo (floor)", [py, script, "open", str(library)],
                 env),
        "check": (f"handouts check ({PHOTO_EXERCISES} exercises)",
                  [*ho, "check", "--library", str(library), "--lang", "en"], cold),
        "check_warm": ("  the same, library cached (info)",
                       [*ho, "check", "--library", str(library), "--lang", "en"], warm),
    }  # fmt: skip
    first = Timed([*build, "-o", str(out / "first.pdf")], warm, tmp)  # an empty cache
    first.check("the first photo build")
    for label, cmd, cmd_env in commands.values():  # warm-up, and every command must work
        Timed(cmd, cmd_env, tmp).check(label)
    names = list(commands)
    runs: dict[str, list[float]] = {name: [] for name in names}
    for rep in range(reps):
        for name in names[rep % len(names) :] + names[: rep % len(names)]:
            label, cmd, cmd_env = commands[name]
            timed = Timed(cmd, cmd_env, tmp)
            timed.check(label)
            runs[name].append(timed.wall)
    pdf = (out / "build.pdf").read_bytes()
    if pdf != (out / "first.pdf").read_bytes() or pdf != (out / "build-off.pdf").read_bytes():
        raise RuntimeError("the photo handout is not the same bytes from run to run")
    result = {
        "made_s": made_s,
        "photos": len(files),
        "photo_kb": (min(sizes) / KB, max(sizes) / KB, sum(sizes) / len(sizes) / KB),
        "first_build_ms": first.wall * 1000,
        "jpeg_bytes": jpeg_bytes,
        "pdf_bytes": len(pdf),
        "floor_bytes": (out / "floor.pdf").stat().st_size,
        "pages": pdf_pages(pdf),
        "rows": {},
    }
    for name in names:
        result["rows"][name] = {
            "label": commands[name][0],
            "wall_ms": median(runs[name]) * 1000,
            "spread": spread(runs[name]),
            "walls_ms": [round(t * 1000, 1) for t in runs[name]],
        }

    def ratio(a: str, b: str) -> tuple[float, float]:
        paired = median([x / y for x, y in zip(runs[a], runs[b], strict=True)])
        return median(runs[a]) / median(runs[b]), paired

    result["build_vs_floor"], result["build_paired"] = ratio("build", "floor")
    result["check_vs_open"], result["check_paired"] = ratio("check", "open")
    result["bytes_vs_jpeg"] = len(pdf) / jpeg_bytes
    return result


def print_photos(r: dict, reps: int) -> None:
    low, high, mean = r["photo_kb"]
    print(
        f"\nA clinic's photos: {PHOTO_EXERCISES} exercises, {r['photos']} synthetic JPEGs of "
        f"850 x 567 ({low:.0f}-{high:.0f} KB, mean {mean:.0f}; made in {r['made_s']:.1f} s); "
        f"median of {reps} rounds, cold processes"
    )
    print(f"  {'command':<52} {'wall ms':>8} {'IQR':>5}")
    for row in r["rows"].values():
        print(f"  {row['label']:<52} {row['wall_ms']:8.1f} {row['spread']:5.0%}")
    print(f"  first build, empty cache (info): {r['first_build_ms']:.0f} ms")
    print(
        f"  build / floor {r['build_vs_floor']:.2f}x (paired {r['build_paired']:.2f}x); "
        f"check / open {r['check_vs_open']:.2f}x (paired {r['check_paired']:.2f}x)"
    )
    print(
        f"  PDF {r['pdf_bytes'] / KB:.0f} KB, {r['pages']} pages; its JPEG files "
        f"{r['jpeg_bytes'] / KB:.0f} KB ({r['bytes_vs_jpeg']:.3f}x); the floor's PDF "
        f"{r['floor_bytes'] / KB:.0f} KB"
    )


# -- the machine's own parallelism ----------------------------------------------------------------
PARALLEL = """
import sys, time
from pathlib import Path
sys.path.insert(0, {bench!r})
import floor
content = floor.load(Path({library!r}))
floor.render(content)
while time.time() < {start!r}:
    time.sleep(0.005)
began = time.perf_counter()
for _ in range({count}):
    floor.render(content)
print(time.perf_counter() - began)
"""


def bench_parallel(env: dict[str, str], tmp: Path, library: Path, count: int, reps: int) -> dict:
    """How much faster two processes rendering the floor at once are than one: what this machine
    can give `--jobs 2` at best (a VM's two cores are not always two whole cores)."""

    def run(processes: int) -> float:
        code = PARALLEL.format(
            bench=str(BENCH), library=str(library), count=count, start=time.time() + 1.5
        )
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", code], stdout=subprocess.PIPE, env=env, cwd=tmp, text=True
            )
            for _ in range(processes)
        ]
        seconds = []
        for proc in procs:
            out, _ = proc.communicate()
            if proc.returncode != 0:
                raise RuntimeError(f"the parallel floor exited {proc.returncode}")
            seconds.append(float(out.strip()))
        return max(seconds)

    ones, twos = [], []
    for _ in range(reps):
        ones.append(run(1))
        twos.append(run(2))
    one, two = median(ones), median(twos)
    return {"documents": count, "one_s": one, "two_s": two, "speedup": 2 * one / two}


# -- batch ----------------------------------------------------------------------------------------
def process_tree(root: int) -> list[int]:
    """`root` and its descendants, from /proc/<pid>/task/<tid>/children."""
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as handle:
                    todo += [int(c) for c in handle.read().split()]
        except OSError:  # gone meanwhile
            continue
    return found


def memory(pid: int) -> tuple[int, int] | None:
    """(VmRSS, VmHWM) in bytes, or None when the process is gone."""
    rss = hwm = None
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1]) * 1024
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1]) * 1024
    except OSError:
        return None
    return (rss, hwm) if rss is not None and hwm is not None else None


def count_pdfs(folder: Path) -> int:
    with os.scandir(folder) as entries:
        return sum(1 for e in entries if e.name.endswith(".pdf") and not e.name.startswith("."))


def write_batch_csv(path: Path, rows: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["patient", "program"])
        for i in range(1, rows + 1):
            writer.writerow([f"Patient {i:04d}", PROGRAM])
    return path


def bench_batch(tmp: Path, env: dict[str, str], rows: int, jobs: int, mark: int) -> dict:
    folder = tmp / "batch"
    folder.mkdir(exist_ok=True)
    source = folder / "patients.csv"
    if not source.exists():
        write_batch_csv(source, rows)
    out = folder / f"out-jobs{jobs}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    cmd = [
        *handouts_command(),
        "batch",
        str(source),
        "--out-dir",
        str(out),
        "--jobs",
        str(jobs),
        "--date",
        DATE,
    ]
    samples = []  # (seconds, PDFs written, {pid: (rss, hwm)})
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=tmp)
        try:
            tick = start
            while proc.poll() is None:
                now = time.perf_counter() - start
                seen = {pid: m for pid in process_tree(proc.pid) if (m := memory(pid))}
                samples.append((now, count_pdfs(out), seen))
                tick += POLL
                time.sleep(max(0.0, tick - time.perf_counter()))
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        wall = time.perf_counter() - start
        log.seek(0)
        output = log.read().decode(errors="replace")
    written = count_pdfs(out)
    if proc.returncode != 0 or written != rows:
        raise RuntimeError(
            f"handouts batch --jobs {jobs} exited {proc.returncode} with "
            f"{written} of {rows} PDFs:\n{output.strip()[-2000:]}"
        )
    root = proc.pid
    roles = {}
    for _, _, seen in samples:  # workers numbered in the order they appear
        for pid in seen:
            if pid not in roles:
                roles[pid] = "parent" if pid == root else f"worker {len(roles)}"
    at_mark = next((s for s in samples if s[1] >= mark), samples[-1])
    done = next((s for s in samples if s[1] >= rows), samples[-1])
    processes = []
    for pid, role in roles.items():
        seen_at = [s for s in samples if pid in s[2]]
        first = next((s for s in seen_at if s[0] >= at_mark[0]), None)
        last = seen_at[-1]
        if first is None:
            continue
        rss0, hwm0 = first[2][pid]
        rss1, hwm1 = last[2][pid]
        processes.append(
            {
                "role": role,
                "pid": pid,
                "rss_start_mib": rss0 / MIB,
                "rss_end_mib": rss1 / MIB,
                "hwm_start_mib": hwm0 / MIB,
                "hwm_end_mib": hwm1 / MIB,
                "growth_mib": (rss1 - rss0) / MIB,
                "start_at_pdfs": first[1],
                "end_at_pdfs": last[1],
            }
        )
    steady = (done[1] - at_mark[1]) / (done[0] - at_mark[0]) if done[0] > at_mark[0] else None
    return {
        "jobs": jobs,
        "rows": rows,
        "wall_s": wall,
        "per_s": rows / wall,
        "steady_per_s": steady,
        "mark": mark,
        "samples": len(samples),
        "processes": processes,
    }


# -- report ---------------------------------------------------------------------------------------
class Report:
    """The targets, each PASS, FAIL, SKIP (its part was left out) or ERROR (not measured)."""

    def __init__(self, skipped: list[str]) -> None:
        self.targets: list[dict] = []
        self.errors: list[str] = []
        self.skipped = skipped

    def target(
        self,
        part: str,
        what: str,
        value: float | None,
        limit: float,
        at_least: bool = False,
        shown: str = "",
    ) -> None:
        ok = None if value is None else (value >= limit if at_least else value <= limit)
        verdict = {True: "PASS", False: "FAIL"}.get(ok, "SKIP" if part in self.skipped else "ERROR")
        self.targets.append(
            {
                "target": what,
                "value": value,
                "limit": limit,
                "at_least": at_least,
                "ok": ok,
                "verdict": verdict,
                "shown": shown,
            }
        )


def print_cold(r: dict) -> None:
    print(
        "\nProcess starts: median wall time (IQR = interquartile range / median; "
        "CPU = user + sys; RSS = peak)"
    )
    print(f"  {'command':<42} {'wall ms':>8} {'IQR':>5} {'CPU ms':>8} {'RSS MiB':>8}")
    for name in ("nosite", "pass", "platypus", "help", "list", "floor", "build"):
        row = r[name]
        print(
            f"  {row['label']:<42} {row['wall_ms']:8.1f} {row['spread']:5.0%} "
            f"{row['cpu_ms']:8.1f} {row['rss_mib']:8.1f}"
        )
    q = r["ratios"]
    pq = r["paired"]
    print(
        f"  build / floor                                {q['build_vs_floor']:6.2f}x  "
        f"(paired within repetitions: {pq['build_vs_floor']:.2f}x)"
    )
    for name in ("help", "list"):
        print(
            f"  {name:<6} cost above pass / platypus's cost     {q[f'{name}_cost']:6.2f}   "
            f"(paired: {pq[f'{name}_cost']:.2f}; plain: {q[f'{name}_vs_pass']:.2f}x pass, "
            f"{q[f'{name}_vs_platypus']:.2f}x platypus)"
        )


def print_in_process(r: dict, per_block: int, reps: int) -> None:
    print(
        f"\nIn one process: median of {reps} blocks of {per_block} documents "
        "(paired = median of the ratios within each round; first = the process's first build)"
    )
    print(
        f"  {'what':<28} {'ms/doc':>7} {'IQR':>5} {'docs/s':>7} {'x floor':>8} {'paired':>7} "
        f"{'first ms':>9} {'pages':>6} {'PDF KB':>7}"
    )
    for name, row in r.items():
        label = "floor (plain reportlab)" if name == "floor" else f"{PROGRAM} {name}"
        print(
            f"  {label:<28} {row['ms_per_doc']:7.1f} {row['spread']:5.0%} {row['docs_per_s']:7.1f} "
            f"{row['vs_floor']:7.2f}x {row['paired_vs_floor']:6.2f}x {row['first_ms']:9.1f} "
            f"{row['pages']:6d} "
            f"{row['bytes'] / KB:7.1f}"
        )


def print_batch(results: list[dict], parallel: dict | None) -> None:
    rows = results[0]["rows"]
    print(
        f"\nBatch of {rows} ({PROGRAM}, standard): `handouts batch --jobs N`, "
        f"/proc polled every {POLL * 1000:.0f} ms"
    )
    print(f"  {'jobs':<6} {'wall s':>7} {'handouts/s':>11} {'steady/s':>9}")
    for b in results:
        steady = f"{b['steady_per_s']:9.1f}" if b["steady_per_s"] else f"{'-':>9}"
        print(f"  {b['jobs']:<6} {b['wall_s']:7.1f} {b['per_s']:11.2f} {steady}")
    if len(results) == 2:
        print(f"  --jobs 2 / --jobs 1 throughput: {results[1]['per_s'] / results[0]['per_s']:.2f}x")
    if parallel:
        print(
            f"  this machine's own 2-process speedup (the floor, {parallel['documents']} documents "
            f"in 1 and in 2 processes at once): {parallel['speedup']:.2f}x"
        )
    mark = results[0]["mark"]
    print(f"  memory (MiB): at about PDF {mark} and at the end")
    print(
        f"  {'process':<18} {'RSS start':>9} {'RSS end':>8} {'growth':>7} {'HWM start':>9} "
        f"{'HWM end':>8}"
    )
    for b in results:
        for p in b["processes"]:
            label = f"jobs {b['jobs']} {p['role']}"
            print(
                f"  {label:<18} {p['rss_start_mib']:9.1f} {p['rss_end_mib']:8.1f} "
                f"{p['growth_mib']:+7.1f} {p['hwm_start_mib']:9.1f} {p['hwm_end_mib']:8.1f}"
            )


def print_targets(report: Report) -> None:
    print("\nTargets")
    for t in report.targets:
        verdict = t["verdict"]
        sign = ">=" if t["at_least"] else "<="
        value = t["shown"] or ("-" if t["value"] is None else f"{t['value']:.2f}")
        print(f"  {verdict:<5}  {t['target']:<52} {value:>16}  (target {sign} {t['limit']:g})")


# -- main -----------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 repetitions, a batch of 100")
    parser.add_argument("--json", type=Path, metavar="FILE", help="save every number as JSON")
    parser.add_argument(
        "--installed", action="store_true", help="measure the installed handouts, not this checkout"
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=("cold", "inproc", "batch", "photos"),
        help="leave a part out (repeatable)",
    )
    args = parser.parse_args(argv)
    reps = 3 if args.quick else 11
    per_block = 2 if args.quick else 3
    rows = 100 if args.quick else 500
    mark = min(100, rows // 2)
    calibrate = 10 if args.quick else 30
    if not args.installed:
        sys.path.insert(0, str(REPO))
    sys.path.insert(0, str(BENCH))
    report = Report(args.skip)
    results: dict = {
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "settings": {"reps": reps, "per_block": per_block, "rows": rows, "mark": mark},
        "targets": report.targets,
        "errors": report.errors,
    }
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="handouts-bench-") as name:
        tmp = Path(name)
        env = child_env(tmp, args.installed)
        probe = subprocess.run(
            [
                sys.executable,
                "-c",
                "import handouts, reportlab; from handouts.resources import "
                "builtin_library_path as b; print(handouts.__file__); print(reportlab.Version); "
                "print(b())",
            ],
            env=env,
            capture_output=True,
            text=True,
            cwd=tmp,
        )
        if probe.returncode != 0:
            print(f"cannot import handouts:\n{probe.stderr}", file=sys.stderr)
            return 2
        code, rl_version, library = probe.stdout.split("\n")[:3]
        library = Path(library)
        results["machine"]["reportlab"] = rl_version
        results["code"] = code
        print(
            f"handouts benchmark: {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"reportlab {rl_version}"
        )
        print(f"  measuring {Path(code).parent} with {' '.join(handouts_command())}")
        print(
            f"  {reps} repetitions; {reps} blocks of {per_block} documents in one process; "
            f"a batch of {rows}"
        )
        if not args.installed and not Path(code).is_relative_to(REPO):
            report.errors.append(f"expected handouts from {REPO}, got {code}")

        def part(name: str, run):
            if name in args.skip:
                return None
            try:
                return run()
            except Exception as exc:  # noqa: BLE001 - report it and measure the rest
                report.errors.append(f"{name}: {exc}")
                print(f"\n[{name}] could not be measured: {exc}", file=sys.stderr)
                if os.environ.get("BENCH_DEBUG"):
                    traceback.print_exc()
                return None

        cold = part("cold", lambda: bench_cold(tmp, env, reps, library))
        results["cold"] = cold
        if cold:
            print_cold(cold)
        inproc = part("inproc", lambda: bench_in_process(tmp, reps, per_block, library))
        results["in_process"] = inproc
        if inproc:
            print_in_process(inproc, per_block, reps)
        batches = []
        parallel = part(
            "batch", lambda: bench_parallel(env, tmp, library, calibrate, 1 if args.quick else 3)
        )
        results["parallel"] = parallel
        if "batch" not in args.skip:
            for jobs in (1, 2):
                found = part("batch", lambda j=jobs: bench_batch(tmp, env, rows, j, mark))
                if found:
                    batches.append(found)
        results["batch"] = batches
        if batches:
            print_batch(batches, parallel)
        photo = part("photos", lambda: bench_photos(tmp, env, reps if args.quick else 5))
        results["photos"] = photo
        if photo:
            print_photos(photo, reps if args.quick else 5)

    # targets: None (ERROR) where the measurement is missing
    q = cold["ratios"] if cold else {}
    report.target(
        "cold",
        f"cold build of {PROGRAM} / floor process",
        q.get("build_vs_floor"),
        TARGETS["cold_build"],
    )
    for name in ("help", "list"):
        report.target(
            "cold",
            f"handouts {name}: cost / platypus import cost",
            q.get(f"{name}_cost"),
            TARGETS["startup_cost"],
        )
    for layout in LAYOUTS:
        worst = None
        if inproc:
            worst = max(inproc[layout]["vs_floor"], inproc[f"{layout} + QR"]["vs_floor"])
        report.target(
            "inproc",
            f"in process {layout}: worse of +/-QR / floor",
            worst,
            TARGETS["in_process"],
        )
    speedup = batches[1]["per_s"] / batches[0]["per_s"] if len(batches) == 2 else None
    machine = f" (machine {parallel['speedup']:.2f})" if parallel and speedup else ""
    report.target(
        "batch",
        "batch: --jobs 2 / --jobs 1 throughput",
        speedup,
        TARGETS["jobs_speedup"],
        at_least=True,
        shown=f"{speedup:.2f}{machine}" if speedup else "",
    )
    for jobs in (1, 2):
        found = [b for b in batches if b["jobs"] == jobs]
        growth = (
            max((p["growth_mib"] for p in found[0]["processes"]), default=None) if found else None
        )
        report.target(
            "batch",
            f"batch --jobs {jobs}: RSS growth, worst process (MiB)",
            growth,
            TARGETS["memory_growth_mib"],
        )
    size = inproc["standard"]["bytes"] / KB if inproc else None
    report.target(
        "inproc",
        f"size of {PROGRAM}, standard layout (KB = 1000 bytes)",
        size,
        TARGETS["size_kb"],
        shown=f"{size:.1f} KB" if size is not None else "",
    )
    p = photo or {}
    report.target(
        "photos",
        f"photo handout ({PHOTO_HANDOUT} x 2 JPEGs) / plain reportlab",
        p.get("build_vs_floor"),
        TARGETS["photo_handout"],
    )
    report.target(
        "photos",
        "photo handout's PDF / its JPEG files' bytes",
        p.get("bytes_vs_jpeg"),
        TARGETS["photo_bytes"],
    )
    report.target(
        "photos",
        f"check, {PHOTO_EXERCISES} exercises / read YAML + open photos",
        p.get("check_vs_open"),
        TARGETS["photo_check"],
    )
    print_targets(report)
    elapsed = time.perf_counter() - started
    results["elapsed_s"] = elapsed
    print(f"\n({elapsed:.0f} s; {len(report.errors)} error(s))")
    for error in report.errors:
        print(f"  error: {error.splitlines()[0]}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
        print(f"Wrote {args.json}")
    if report.errors:
        return 2
    return 0 if all(t["ok"] for t in report.targets if t["verdict"] != "SKIP") else 1


if __name__ == "__main__":
    sys.exit(main())
