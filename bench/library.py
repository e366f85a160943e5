"""A 900-exercise library against the built-in one, and importing one: `python bench/library.py`.

Made at run time in a temporary folder (never committed): the photo library of bench/photos.py
(900 exercises, 1,800 synthetic 850 x 567 JPEGs) and the same exercises in free-exercise-db's
format (dist/exercises.json, exercises/ID/0.jpg and 1.jpg). Measured as ratios in one run, with
the commands interleaved (see bench/run.py), the cache warm; each row prints the pair of runs
whose ratio is the median one, so its two times are the ones its ratio is of:

- `list`, `show ID` and a one-exercise `build` with `--library` the 900-exercise file, against
  the same commands on the built-in library alone (target: at most 1.3x each);
- `handouts import free-exercise-db` of the 900 exercises and 1,800 photos, against `cp -r` of
  the same files (target: at most 3x);
- a handout of all 900 exercises, two photos each: the child process's peak RSS (target: under
  400 MB).

    python bench/library.py            # 5 repetitions
    python bench/library.py --quick    # 3 repetitions
    python bench/library.py --json r.json

Exit status: 0 when every target passes, 1 when one fails.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from photos import make_library  # noqa: E402
from run import DATE, Timed, child_env, handouts_command  # noqa: E402

TARGETS = {"list": 1.3, "show": 1.3, "build_one": 1.3, "import": 3.0, "all_rss_mib": 400.0}
EXERCISES = 900


def free_exercise_db(library: Path, folder: Path) -> Path:
    """The generated library in free-exercise-db's format, its photos hard-linked (or copied)."""
    import yaml

    exercises = yaml.safe_load(library.read_text("utf-8"))["exercises"]
    records = []
    for e in exercises:
        source_id = e["id"].replace("-", "_").title()
        for n, key in enumerate(("start", "end")):
            target = folder / "exercises" / source_id / f"{n}.jpg"
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(library.parent / e["images"][key], target)
            except OSError:
                shutil.copyfile(library.parent / e["images"][key], target)
        records.append({
            "id": source_id, "name": e["title"], "force": "static", "level": "beginner",
            "mechanic": None, "equipment": "body only", "primaryMuscles": ["quadriceps"],
            "secondaryMuscles": ["glutes"], "category": "strength",
            "instructions": [" ".join(e["steps"][:3]), " ".join(e["steps"][3:])],
            "images": [f"{source_id}/0.jpg", f"{source_id}/1.jpg"],
        })  # fmt: skip
    (folder / "dist").mkdir(parents=True, exist_ok=True)
    (folder / "dist" / "exercises.json").write_text(json.dumps(records, indent=2), "utf-8")
    return folder


def commands(tmp: Path, big: Path, source: Path) -> dict[str, list[str]]:
    ho = handouts_command()
    out = tmp / "out"
    out.mkdir(exist_ok=True)
    lib = ["--library", str(big)]
    return {
        "list_builtin": [*ho, "list"],
        "list": [*ho, "list", *lib],
        "show_builtin": [*ho, "show", "glute-bridge"],
        "show": [*ho, "show", "move-0450", *lib],
        "build_one_builtin": [
            *ho,
            "build",
            "glute-bridge",
            "--date",
            DATE,
            "-o",
            str(out / "one-builtin.pdf"),
        ],  # fmt: skip
        "build_one": [
            *ho,
            "build",
            "move-0450",
            *lib,
            "--date",
            DATE,
            "-o",
            str(out / "one-big.pdf"),
        ],  # fmt: skip
    }


def timed_runs(cmds: dict[str, list[str]], env: dict[str, str], tmp: Path, reps: int) -> dict:
    names = list(cmds)
    for _ in range(2):  # warm-up: the cache, bytecode, page cache
        for name in names:
            Timed(cmds[name], env, tmp).check(name)
    walls: dict[str, list[float]] = {name: [] for name in names}
    for rep in range(reps):
        for name in names[rep % len(names) :] + names[: rep % len(names)]:
            t = Timed(cmds[name], env, tmp)
            t.check(name)
            walls[name].append(t.wall)
    return walls


def bench_import(source: Path, env: dict[str, str], tmp: Path, reps: int) -> dict:
    ho = handouts_command()
    imports, copies = [], []
    for rep in range(reps + 1):  # the first is a warm-up
        target = tmp / f"import-{rep}"
        copy = tmp / f"copy-{rep}"
        pair = [
            ("copy", ["cp", "-r", str(source / "exercises"), str(copy)]),
            ("import", [*ho, "import", "free-exercise-db", str(source), "-o", str(target)]),
        ]
        for name, cmd in pair if rep % 2 else pair[::-1]:
            t = Timed(cmd, env, tmp)
            t.check(name)
            if rep:
                (imports if name == "import" else copies).append(t.wall)
        shutil.rmtree(target)
        shutil.rmtree(copy)
    copy, imported, ratio = median_pair(copies, imports)
    return {"import_ms": imported * 1000, "copy_ms": copy * 1000, "ratio": ratio}


def median_pair(floors: list[float], timed: list[float]) -> tuple[float, float, float]:
    """The pair of times (run one after the other) whose ratio is the median ratio, and that
    ratio: the times printed are the ones the ratio is of (a median of each column's times
    and a median of the ratios come from different pairs, and disagree on a busy machine)."""
    pairs = sorted(zip(floors, timed, strict=True), key=lambda pair: pair[1] / pair[0])
    floor, time = pairs[(len(pairs) - 1) // 2]
    return floor, time, time / floor


def bench_all(big: Path, env: dict[str, str], tmp: Path) -> dict:
    ids = [f"move-{n:04d}" for n in range(1, EXERCISES + 1)]
    cmd = [*handouts_command(), "build", *ids, "--library", str(big), "--date", DATE, "--no-log",
           "-o", str(tmp / "out" / "all.pdf")]  # fmt: skip
    t = Timed(cmd, env, tmp)
    t.check("a handout of every exercise")
    size = (tmp / "out" / "all.pdf").stat().st_size
    return {"wall_ms": t.wall * 1000, "rss_mib": t.rss_mib, "pdf_mib": size / 1024 / 1024}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    reps = 3 if args.quick else 5
    with tempfile.TemporaryDirectory(prefix="handouts-bench-library-") as name:
        tmp = Path(name)
        env = child_env(tmp, installed=False)
        env["HANDOUTS_CACHE"] = str(tmp / "cache")
        env["HANDOUTS_CONFIG"] = str(tmp / "no-settings.yaml")
        print(f"Making a {EXERCISES}-exercise library with {2 * EXERCISES} photos ...", flush=True)
        big = make_library(tmp / "big", EXERCISES)
        source = free_exercise_db(big, tmp / "free-exercise-db")
        walls = timed_runs(commands(tmp, big, source), env, tmp, reps)
        result: dict = {"reps": reps, "ratios": {}}
        for name in ("list", "show", "build_one"):
            builtin, big_ms, ratio = median_pair(walls[f"{name}_builtin"], walls[name])
            result[name] = {"builtin_ms": builtin * 1000, "big_ms": big_ms * 1000,
                            "ratio": ratio}  # fmt: skip
            result["ratios"][name] = ratio
        result["import"] = bench_import(source, env, tmp, reps)
        result["ratios"]["import"] = result["import"]["ratio"]
        result["all"] = bench_all(big, env, tmp)
        result["ratios"]["all_rss_mib"] = result["all"]["rss_mib"]
    failed = False
    print(f"\n{'':44} {'built-in':>10} {'900 + photos':>13} {'ratio':>7} {'target':>7}")
    for name, label in (("list", "handouts list"), ("show", "handouts show ID"),
                        ("build_one", "handouts build ID (one exercise)")):  # fmt: skip
        r = result[name]
        ok = r["ratio"] <= TARGETS[name]
        failed |= not ok
        print(f"{label:44} {r['builtin_ms']:8.0f}ms {r['big_ms']:11.0f}ms {r['ratio']:6.2f}x "
              f"{'<=' + str(TARGETS[name]):>7} {'ok' if ok else 'MISSED'}")  # fmt: skip
    r = result["import"]
    ok = r["ratio"] <= TARGETS["import"]
    failed |= not ok
    print(f"{'import free-exercise-db (900, 1,800 photos)':44} {r['copy_ms']:6.0f}ms cp {r['import_ms']:11.0f}ms "
          f"{r['ratio']:6.2f}x {'<=3.0':>7} {'ok' if ok else 'MISSED'}")  # fmt: skip
    r = result["all"]
    ok = r["rss_mib"] < TARGETS["all_rss_mib"]
    failed |= not ok
    print(f"a handout of all {EXERCISES} exercises: {r['wall_ms'] / 1000:.1f} s, "
          f"{r['pdf_mib']:.1f} MiB PDF, peak RSS {r['rss_mib']:.0f} MiB (target < 400) "
          f"{'ok' if ok else 'MISSED'}")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), "utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
