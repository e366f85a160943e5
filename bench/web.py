"""The web app's targets (issue #16), as ratios measured in one run (this checkout):

- a preview of page 1 of a handout after one change (the patient's name): within 2x of building that
  handout in process (make_handout);
- eight previews asked at once: throughput at least 1.6x that of one at a time (2 cores);
- `handouts serve` ready within 1.5x of `handouts list`'s start-up: from the command's start to
  the first successful answer to a real page (the front desk's page, GET /, its form in it).

    python bench/web.py [--rounds N]

Exits 0 when every target passes, 1 when one fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
# both commands run as installed (pip writes the bytecode): with bytecode kept, in a folder of the
# run's own (not in the checkout), and the first round of each (which writes it) not counted
PYC = tempfile.mkdtemp(prefix="handouts-bench-pyc-")
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
       "PYTHONPATH": str(REPO), "PYTHONPYCACHEPREFIX": PYC}  # fmt: skip
DATE = dt.date(2026, 1, 5)


def preview_vs_build(rounds: int) -> tuple[float, float]:
    from handouts.build import BuildRequest, make_handout
    from handouts.web.renders import Renderer

    renderer = Renderer(workers=2)
    base = BuildRequest(program="sciatica", date=DATE)
    try:
        renderer.page(renderer.make(base, 1), 1)  # the workers started, the library read
        make_handout(base)
        previews, builds = [], []
        for i in range(rounds):
            changed = BuildRequest(program="sciatica", date=DATE, patient=f"Patient {i}")
            start = time.perf_counter()
            renderer.page(renderer.make(changed, 1), 1)
            previews.append(time.perf_counter() - start)
            start = time.perf_counter()
            make_handout(BuildRequest(program="sciatica", date=DATE, patient=f"Other {i}"))
            builds.append(time.perf_counter() - start)
        return statistics.median(previews), statistics.median(builds)
    finally:
        renderer.close()


def eight_at_once(rounds: int) -> tuple[float, float]:
    from handouts.build import BuildRequest
    from handouts.web.renders import Renderer

    renderer = Renderer(workers=os.cpu_count() or 2)
    try:
        # every worker started and its first handout made (as in a server running a while)
        warming = [BuildRequest(program="sciatica", date=DATE, patient=f"W{i}")
                   for i in range(2 * renderer.workers)]  # fmt: skip
        with ThreadPoolExecutor(len(warming)) as pool:
            list(pool.map(lambda q: renderer.page(renderer.make(q, 1), 1), warming))
        one, eight = [], []
        for r in range(rounds):
            requests = [BuildRequest(program="sciatica", date=DATE, patient=f"S{r}-{i}")
                        for i in range(8)]  # fmt: skip
            start = time.perf_counter()
            for request in requests:
                renderer.page(renderer.make(request, 1), 1)
            one.append(time.perf_counter() - start)
            requests = [BuildRequest(program="sciatica", date=DATE, patient=f"P{r}-{i}")
                        for i in range(8)]  # fmt: skip
            start = time.perf_counter()
            with ThreadPoolExecutor(8) as pool:
                list(pool.map(lambda q: renderer.page(renderer.make(q, 1), 1), requests))
            eight.append(time.perf_counter() - start)
        return statistics.median(one), statistics.median(eight)
    finally:
        renderer.close()


def serve_vs_list(rounds: int) -> tuple[float, float]:
    command = [sys.executable, "-m", "handouts"]
    serves, lists = [], []
    for _ in range(rounds + 1):
        start = time.perf_counter()
        subprocess.run([*command, "list"], env=ENV, capture_output=True, check=True)
        lists.append(time.perf_counter() - start)
        start = time.perf_counter()
        server = subprocess.Popen([*command, "serve", "--port", "0"], env=ENV,
                                  stdout=subprocess.PIPE, text=True)  # fmt: skip
        try:
            line = server.stdout.readline()
            url = line.split(" at ", 1)[1].split(" ", 1)[0]
            with urllib.request.urlopen(url) as answer:  # (the page staff open)
                page = answer.read()
            serves.append(time.perf_counter() - start)
            assert answer.status == 200 and b'<form id="handout"' in page, page[:200]
        finally:
            server.terminate()
            server.wait()
    return statistics.median(serves[1:]), statistics.median(lists[1:])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    failed = False
    preview, build = preview_vs_build(rounds * 2)
    ratio = preview / build
    failed |= ratio > 2
    print(f"preview after one change {preview * 1000:.0f} ms, build in process "
          f"{build * 1000:.0f} ms: {ratio:.2f}x (target <= 2x)")  # fmt: skip
    one, eight = eight_at_once(rounds)
    ratio = one / eight
    failed |= ratio < 1.6
    print(f"8 previews one at a time {one * 1000:.0f} ms, at once {eight * 1000:.0f} ms: "
          f"throughput {ratio:.2f}x (target >= 1.6x)")  # fmt: skip
    serve, listing = serve_vs_list(rounds)
    ratio = serve / listing
    failed |= ratio > 1.5
    print(f"load average {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    print(
        f"serve ready {serve * 1000:.0f} ms, list {listing * 1000:.0f} ms: {ratio:.2f}x "
        "(target <= 1.5x)"
    )
    shutil.rmtree(PYC, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
