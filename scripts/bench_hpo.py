"""Benchmark the HPO backbone at full scale; prints Markdown tables. Not a test.

1. ``pathokg build`` with ``--hpo none``, ``slim`` (the default) and ``full`` (every HPO term and
   annotation, about 3 million triples): wall time and peak memory of each build process
   (``--no-reasoner``, so the numbers are the graph's, not Java's).
2. Every named query's median latency on the embedded engine (pyoxigraph, in memory) over the
   slim and the full release, with each query's default parameters, and the time to load each.

    .venv/bin/pip install -e '.[hpo]'
    .venv/bin/python scripts/bench_hpo.py [--repeat 7] [--keep DIR]

About 3 minutes on 2 cores. Run it on an idle machine: the numbers are wall times.
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

from pathokg.querying.engine import Engine
from pathokg.querying.files import list_queries
from pathokg.querying.params import bind_params

TARGET_MS = 50.0


def timed_build(mode: str, out: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one ``pathokg build`` process."""
    started = time.perf_counter()
    proc = subprocess.Popen([str(Path(sys.executable).with_name("pathokg")), "build", "--no-reasoner", "--hpo", mode,
                             "--out", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"pathokg build --hpo {mode} failed (status {status})")
    return seconds, usage.ru_maxrss / 1024


def medians(engine: Engine, repeat: int) -> dict[str, tuple[float, int]]:
    """Median ms and row count of every named query (default parameters), after a warm-up."""
    out = {}
    for query in list_queries():
        text = bind_params(query, {})
        result = engine.execute(text)
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            result = engine.execute(text)
            times.append(time.perf_counter() - t)
        count = len(result.triples) if result.is_graph else len(result.rows)
        out[query.name] = (statistics.median(times) * 1000, count)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=7, help="runs per median")
    ap.add_argument("--keep", type=Path, default=None, help="write the releases here and keep them")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        print("## pathokg build (--no-reasoner), one process each\n")
        print("| --hpo | wall s | peak RSS MiB | release MB |\n| --- | ---: | ---: | ---: |")
        for mode in ("none", "slim", "full"):
            out = root / f"release-{mode}"
            seconds, rss = timed_build(mode, out)
            size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1e6
            print(f"| {mode} | {seconds:.1f} | {rss:.0f} | {size:.1f} |", flush=True)
        results = {}
        loads = {}
        for mode in ("slim", "full"):
            t = time.perf_counter()
            engine = Engine.from_release(root / f"release-{mode}")
            loads[mode] = (time.perf_counter() - t, len(engine.store))
            results[mode] = medians(engine, args.repeat)
            del engine
        print("\n## Named queries, embedded (pyoxigraph in memory), median ms (rows)\n")
        print(f"load: slim {loads['slim'][0]:.1f} s ({loads['slim'][1]:,} quads), "
              f"full {loads['full'][0]:.1f} s ({loads['full'][1]:,} quads)\n")
        print("| query | slim | full | under 50 ms at full |\n| --- | ---: | ---: | --- |")
        over = []
        for name in results["full"]:
            (ms_s, n_s), (ms_f, n_f) = results["slim"][name], results["full"][name]
            ok = ms_f < TARGET_MS
            over += [] if ok else [name]
            print(f"| {name} | {ms_s:.1f} ({n_s}) | {ms_f:.1f} ({n_f}) | {'yes' if ok else 'NO'} |")
        print(f"\n{len(results['full']) - len(over)} of {len(results['full'])} under {TARGET_MS:.0f} ms at full"
              + (f"; over: {', '.join(over)}" if over else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
