"""Benchmark a full build with validation: prints the median time of each step and the counts.

Usage: python scripts/bench_build.py [--runs 5] [--no-reasoner]

The reasoner's time is split into HermiT itself (as owlready2 reports the run) and the JVM start,
measured separately as the time of ``java -version``.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from pathokg.release.build import build


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-reasoner", action="store_true")
    args = parser.parse_args()
    timings: dict[str, list[float]] = {}
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.runs):
            report = build(Path(tmp) / f"dist{i}", reasoner=not args.no_reasoner)
            counts = report.counts
            for key, value in report.timings.items():
                timings.setdefault(key, []).append(value)
    jvm = []
    java = shutil.which("java")
    if java:
        for _ in range(3):
            t = time.perf_counter()
            subprocess.run([java, "-version"], capture_output=True, check=False)
            jvm.append(time.perf_counter() - t)
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
          f"{__import__('os').cpu_count()} cores; runs: {args.runs}")
    print("counts: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    for key, values in timings.items():
        print(f"{key:>16}: median {statistics.median(values) * 1000:8.1f} ms  (min {min(values) * 1000:.1f})")
    if jvm:
        jvm_median = statistics.median(jvm)
        total = statistics.median(timings["total"])
        print(f"{'jvm start':>16}: median {jvm_median * 1000:8.1f} ms (java -version)")
        print(f"{'total - jvm':>16}: median {(total - jvm_median) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
