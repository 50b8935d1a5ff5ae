"""How long a command takes from the shell, start to finish: ``pathokg query risk-factors`` end to
end against ``python -c "import pathokg"`` (the floor every command pays), on this tree and,
with ``--compare-src``, on another one (for example an export of ``main``). Not a test.

    python scripts/bench_start.py                               # this tree, 21 runs each
    git archive main | tar -x -C /tmp/main
    python scripts/bench_start.py --compare-src /tmp/main       # both trees, same release

Each command runs ``--runs`` times in a fresh process (after two warm-up runs, so the page cache
holds the files), the trees taking turns; the table gives the median and the fastest and slowest
run, in milliseconds (on a shared machine the fastest run is the steadiest figure).
Both trees read the same release (built once by this tree into a temporary folder unless
``--release`` names one), so only the code differs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

COMMANDS = {
    'python -c "import pathokg"': ["-c", "import pathokg"],
    "pathokg query risk-factors": ["-m", "pathokg", "query", "risk-factors"],
    "pathokg query risk-factors --format csv": ["-m", "pathokg", "query", "risk-factors",
                                                "--format", "csv"],
    "pathokg sparql 'ASK {?s ?p ?o}'": ["-m", "pathokg", "sparql", "ASK { ?s ?p ?o }"],
}


def timed(args: list[str], env: dict[str, str]) -> float:
    """Seconds one run takes, start to exit; a failing run stops the benchmark."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *args], env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {done.stderr.decode()[-2000:]}")
    return elapsed


def measure(trees: list[Path], release: Path, runs: int) -> list[dict[str, list[float]]]:
    """Seconds of each run of each command, per tree. The trees take turns run by run, so that a
    machine that gets busier or quieter meanwhile weighs on both alike."""
    envs = [{**os.environ, "PYTHONPATH": str(src / "src"), "PATHOKG_DIST": str(release),
             "COLUMNS": "120"} for src in trees]
    out: list[dict[str, list[float]]] = [{} for _ in trees]
    for name, args in COMMANDS.items():
        for env in envs:
            for _ in range(2):
                timed(args, env)
        for _ in range(runs):
            for times, env in zip(out, envs, strict=True):
                times.setdefault(name, []).append(timed(args, env))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=21, help="runs per command (default 21)")
    ap.add_argument("--release", type=Path, help="the release to read (default: a fresh build)")
    ap.add_argument("--compare-src", type=Path, help="another source tree to measure the same way")
    args = ap.parse_args(argv)
    trees = [("this tree", ROOT)] + ([(f"compare ({args.compare_src})", args.compare_src)]
                                     if args.compare_src else [])
    with tempfile.TemporaryDirectory(prefix="pathokg-bench-start-") as tmp:
        release = args.release
        if release is None:
            release = Path(tmp) / "dist"
            subprocess.run([sys.executable, "-m", "pathokg", "build", "--out", str(release),
                            "--no-reasoner"], check=True, stdout=subprocess.DEVNULL,
                           env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
        print(f"{args.runs} runs per command, Python {sys.version.split()[0]}, {os.cpu_count()} cores\n")
        print("| tree | command | median ms | fastest | slowest |")
        print("| --- | --- | ---: | ---: | ---: |")
        measured = measure([src for _, src in trees], release, args.runs)
        for (label, _), per_command in zip(trees, measured, strict=True):
            for name, times in per_command.items():
                ms = [t * 1000 for t in times]
                print(f"| {label} | `{name}` | {statistics.median(ms):.0f} | {min(ms):.0f} | "
                      f"{max(ms):.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
