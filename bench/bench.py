"""Time normlint and ruff on the same tree in one run, and print each time and the ratio.

    python bench/bench.py                 # site-packages of tensorflow, keras and scikit-learn
    python bench/bench.py PATH [PATH ...] # any tree
    python bench/bench.py --runs 5

Each tool runs --runs times (default 3) on a warm file-system cache, without its own cache;
the best wall time counts, and peak memory (max RSS of the child) is reported beside it.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path


def default_tree() -> list[str]:
    roots = []
    for name in ("tensorflow", "keras", "sklearn"):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            roots.append(list(spec.submodule_search_locations)[0])
    return roots


# Runs one command in a fresh process, so that its peak memory is its own and no other run's.
_WRAPPER = """
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def timed(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS in MB of one run of `command`."""
    out = subprocess.run([sys.executable, "-c", _WRAPPER, *command], capture_output=True,
                         text=True, check=True).stdout.split()
    return float(out[0]), int(out[1]) // 1024


def best(command: list[str], runs: int) -> tuple[float, int]:
    results = [timed(command) for _ in range(runs)]
    return min(r[0] for r in results), max(r[1] for r in results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    paths = args.paths or default_tree()
    if not paths:
        print("no tree: install tensorflow, keras and scikit-learn, or pass paths", file=sys.stderr)
        return 2
    files = sum(1 for p in paths for f in Path(p).rglob("*.py"))
    ruff = shutil.which("ruff", path=os.pathsep.join([os.path.dirname(sys.executable),
                                                      os.environ.get("PATH", "")]))
    tools = {"normlint": [sys.executable, "-m", "normlint", "check", *paths]}
    if ruff:
        tools["ruff"] = [ruff, "check", "--no-cache", "--quiet", *paths]
    print(f"tree: {files} .py files under {', '.join(paths)}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    measured = {}
    for name, command in tools.items():
        best(command, 1)  # warm the file-system cache
        measured[name] = best(command, args.runs)
        seconds, megabytes = measured[name]
        print(f"{name:10} {seconds:6.2f} s  {megabytes:5d} MB peak")
    if "ruff" in measured:
        ratio = measured["normlint"][0] / measured["ruff"][0]
        memory = measured["normlint"][1] / max(1, measured["ruff"][1])
        print(f"normlint / ruff: time {ratio:.2f}x, peak memory {memory:.2f}x")
    else:
        print("ruff is not installed: pip install ruff (or normlint[bench])")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
