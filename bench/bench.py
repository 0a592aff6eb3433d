"""Time normlint against ruff, semgrep and Fixit on the same trees, in one run, and print ratios.

    bash bench/setup.sh                     # once: semgrep, Fixit and the ML packages tree
    python bench/bench.py                   # every tree: normlint (cold, warm), ruff, semgrep
    python bench/bench.py --tree packages   # one tree: site, packages or ml
    python bench/bench.py --fixit           # Fixit too (slow: it parses every file)
    python bench/bench.py PATH [PATH ...]   # your own tree

Trees:
- site: every .py file of the installed tensorflow, keras and scikit-learn (about 3,400 files,
  55 MB): real code where normalize is rare.
- packages: the published .py files of transformers 5.23.0, timm 1.0.31, open-clip-torch 3.3.0
  and keras-hub 0.32.0 (about 4,000 files, installed by bench/setup.sh without dependencies):
  real code dense in ML, where normalize is common.
- ml: a synthetic tree of ML scripts and notebooks (seeded, made from the fixtures of this
  repository padded with ordinary code): every file imports TensorFlow and calls normalize,
  the worst case for normlint's screens.

The source files are copied to a temporary folder, with an empty .semgrepignore so that semgrep
reads tests/ folders too, and every tool runs on that copy. semgrep and Fixit run from their own
environments (bench/setup.sh makes them: Fixit pins click<8.2). After one warm-up run each, the
tools run --runs times in turn (A B C A B C ...), so that a drifting machine slows them alike;
the median wall time counts; peak memory is the child's maximum RSS.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
VENVS = HERE / ".venvs"
PACKAGES_TREE = HERE / ".trees" / "mlpkgs"  # bench/setup.sh installs it

# Runs one command in a fresh process, so that its peak memory is its own and no other run's.
_WRAPPER = """
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS in MB of one run of `command`."""
    out = subprocess.run([sys.executable, "-c", _WRAPPER, *command], capture_output=True,
                         text=True, check=True, env=env).stdout.split()
    return float(out[0]), int(out[1]) // 1024


def alternating(commands: dict[str, tuple[list[str], dict | None]], runs: int,
                once: set[str]) -> dict[str, tuple[float, int]]:
    """Each command `runs` times, in turn (A B C A B C ...), after one warm-up each, so that a
    machine that drifts slows all of them alike: the median wall time, the peak memory."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, int] = {name: 0 for name in commands}
    for name, (command, env) in commands.items():
        timed(command, env)  # warm the file-system cache
    for run in range(runs):
        for name, (command, env) in commands.items():
            if name in once and run:
                continue
            seconds, megabytes = timed(command, env)
            times[name].append(seconds)
            peaks[name] = max(peaks[name], megabytes)
    return {name: (statistics.median(times[name]), peaks[name]) for name in commands}


def site_roots() -> list[Path]:
    roots = []
    for name in ("tensorflow", "keras", "sklearn"):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            roots.append(Path(list(spec.submodule_search_locations)[0]))
    return roots


def copy_sources(roots: list[Path], into: Path) -> int:
    count = 0
    for root in roots:
        for path in root.rglob("*"):
            if path.suffix in (".py", ".ipynb") and path.is_file():
                target = into / root.name / path.relative_to(root)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
                count += 1
    (into / ".semgrepignore").write_text("")
    return count


_PADDING = '''

def helper_{i}(values, factor={f}):
    """Ordinary code around the interesting lines."""
    total = 0
    for index, value in enumerate(values):
        if index % {m} == 0:
            total += value * factor
        else:
            total -= value
    return total / max(len(values), 1)
'''


def make_ml_tree(into: Path, count: int = 2000, seed: int = 2026) -> int:
    """Scripts and notebooks built from the fixtures, padded, half as notebooks."""
    rng = random.Random(seed)
    templates = [p.read_text() for p in sorted((REPO / "fixtures").rglob("*.py"))]
    for index in range(count):
        body = rng.choice(templates) + "".join(
            _PADDING.format(i=j, f=rng.randint(2, 9), m=rng.randint(2, 5))
            for j in range(rng.randint(3, 30)))
        folder = into / f"project_{index % 40:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        if index % 2:
            cells = [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                      "source": chunk.strip("\n") + "\n"}
                     for chunk in body.split("\n\n\n") if chunk.strip()]
            notebook = {"nbformat": 4, "nbformat_minor": 5, "cells": cells,
                        "metadata": {"kernelspec": {"name": "python3", "language": "python"}}}
            (folder / f"notebook_{index}.ipynb").write_text(json.dumps(notebook))
        else:
            (folder / f"script_{index}.py").write_text(body)
    (into / ".semgrepignore").write_text("")
    return count


def tools(tree: Path, cache: Path, with_fixit: bool) -> dict[str, tuple[list[str], dict | None]]:
    found: dict[str, tuple[list[str], dict | None]] = {
        "normlint (cold)": ([sys.executable, "-m", "normlint", "check", "--quiet", "--no-cache",
                             str(tree)], None),
        "normlint (warm)": ([sys.executable, "-m", "normlint", "check", "--quiet",
                             "--cache-dir", str(cache), str(tree)], None),
    }
    ruff = shutil.which("ruff", path=os.pathsep.join([os.path.dirname(sys.executable),
                                                      os.environ.get("PATH", "")]))
    if ruff:
        found["ruff"] = ([ruff, "check", "--no-cache", "--quiet", "--exit-zero", str(tree)], None)
    semgrep = VENVS / "semgrep" / "bin" / "semgrep"
    if semgrep.exists():
        found["semgrep (1 rule)"] = ([str(semgrep), "scan", "--config",
                                      str(HERE / "semgrep_normalize_axis.yaml"), "--metrics=off",
                                      "--disable-version-check", "--quiet", str(tree)], None)
    fixit = VENVS / "fixit" / "bin" / "fixit"
    if with_fixit and fixit.exists():
        env = {**os.environ, "PYTHONPATH": str(HERE)}
        found["fixit (1 rule)"] = ([str(fixit), "--rules", "fixit_normalize_axis", "lint",
                                    str(tree)], env)
    return found


def bench_tree(name: str, tree: Path, files: int, runs: int, with_fixit: bool) -> None:
    print(f"\n{name}: {files} files under {tree}")
    cache = Path(tempfile.mkdtemp(prefix="normlint-bench-cache-"))
    commands = tools(tree, cache, with_fixit)
    measured = alternating(commands, runs, {t for t in commands if t.startswith("fixit")})
    for tool, (seconds, megabytes) in measured.items():
        print(f"  {tool:18} {seconds:8.2f} s {megabytes:6d} MB peak (median of {runs})")
    cold = measured["normlint (cold)"]
    for tool, (seconds, megabytes) in measured.items():
        if not tool.startswith("normlint"):
            print(f"  normlint cold / {tool}: time {cold[0] / seconds:.2f}x, "
                  f"memory {cold[1] / max(megabytes, 1):.2f}x")
    if "ruff" in measured:
        print(f"  normlint warm / ruff: time {measured['normlint (warm)'][0] / measured['ruff'][0]:.2f}x")
    shutil.rmtree(cache, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--tree", choices=["site", "packages", "ml", "all"], default="all")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--fixit", action="store_true", help="time Fixit too (slow)")
    args = parser.parse_args()
    if importlib.util.find_spec("normlint") is None:
        print("bench: normlint is not installed in this Python (activate its environment)")
        return 2
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}")
    with tempfile.TemporaryDirectory(prefix="normlint-bench-") as scratch:
        if args.paths:
            copy = Path(scratch) / "tree"
            bench_tree("your tree", copy, copy_sources(args.paths, copy), args.runs, args.fixit)
            return 0
        if args.tree in ("site", "all"):
            roots = site_roots()
            if not roots:
                print("no tensorflow, keras or scikit-learn installed: skipping the site tree")
            else:
                copy = Path(scratch) / "site"
                bench_tree("site-packages of tensorflow, keras, scikit-learn", copy,
                           copy_sources(roots, copy), args.runs, args.fixit)
        if args.tree in ("packages", "all"):
            if not PACKAGES_TREE.is_dir():
                print("no ML packages tree: run bench/setup.sh first; skipping it")
            else:
                copy = Path(scratch) / "packages"
                bench_tree("ML packages (transformers, timm, open-clip-torch, keras-hub)", copy,
                           copy_sources([PACKAGES_TREE], copy), args.runs, args.fixit)
        if args.tree in ("ml", "all"):
            copy = Path(scratch) / "ml"
            bench_tree("synthetic ML scripts and notebooks", copy, make_ml_tree(copy), args.runs,
                       args.fixit)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
