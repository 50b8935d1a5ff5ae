"""Benchmark the named queries: embedded engine, through /sparql, and rdflib's memory store;
then throughput under 4 concurrent clients against pathokg serve (and rdflib-endpoint if given).

Not a test: it prints a report. Graphs: the release, plus a synthetic pathokg-shaped graph of
about N triples (concepts with labels, synonyms, categories, relations with evidence axioms), so
every named query has work to do at scale.

    .venv/bin/python scripts/bench_queries.py --triples 1000000 --repeat 5
    .venv/bin/python scripts/bench_queries.py --rdflib-endpoint-python /tmp/rdfe/bin/python

rdflib-endpoint is installed in a separate venv only (never in the project's).
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import pyoxigraph as ox

from pathokg.engine import Engine, dataset_store, list_queries
from pathokg.inference import inferred_triples
from pathokg.queryfiles import bind_params
from pathokg.vocab import EVIDENCE, OA, PK, PKO, SKOS, SOURCE

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from server_support import free_port


def synthetic(n_triples: int, release: Path | None) -> ox.Store:
    """The release plus synthetic concepts and evidenced relations up to about n triples."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import OWL, RDF

    graph = Graph().parse(Path(release or "dist") / "pathokg.ttl")
    rng = random.Random(7)
    categories = [PKO.DiseaseOrDisorder, PKO.SurgicalIntervention, PKO.PathophysiologicalMechanism,
                  PKO.AnatomicalStructure, PKO.ImagingTechnique]
    relations = [PKO.causes, PKO.isRiskFactorFor, PKO.involves, PKO.leadsTo, PKO.treats,
                 PKO.affects, PKO.isKindOf, PKO.manages, PKO.prevents, PKO.diagnoses]
    per_concept = 6 + 2 * 16  # concept triples + 2 relations with axiom and evidence
    n = max(1, (n_triples - len(graph)) // per_concept)
    src = SOURCE["synthetic"]
    for i in range(n):
        c = PK[f"syn-{i}"]
        graph.add((c, RDF.type, rng.choice(categories)))
        graph.add((c, RDF.type, SKOS.Concept))
        graph.add((c, SKOS.prefLabel, Literal(f"synthetic concept {i} calc{i % 97}", lang="en")))
        graph.add((c, SKOS.altLabel, Literal(f"syn {i}", lang="en")))
        graph.add((c, SKOS.definition, Literal(f"definition {i}", lang="en")))
        graph.add((c, SKOS.inScheme, URIRef(str(PK)[:-len("concept/")] + "scheme")))
        for k in range(2):
            p = rng.choice(relations)
            o = PK[f"syn-{rng.randrange(n)}"]
            graph.add((c, p, o))
            ev = EVIDENCE[f"synthetic/{i}-{k}"]
            ax = URIRef(f"{ev}#axiom")
            for t in ((ax, RDF.type, OWL.Axiom), (ax, OWL.annotatedSource, c),
                      (ax, OWL.annotatedProperty, p), (ax, OWL.annotatedTarget, o),
                      (ax, PKO.hasEvidence, ev), (ev, RDF.type, PKO.Evidence),
                      (ev, OA.hasSource, src), (ev, PKO.section, Literal("Synthetic", lang="en")),
                      (ev, PKO.sectionPath, Literal("Synthetic", lang="en")),
                      (ev, OA.hasSelector, URIRef(f"{ev}#quote")),
                      (ev, OA.hasSelector, URIRef(f"{ev}#position")),
                      (URIRef(f"{ev}#quote"), OA.exact, Literal(f"quote {i} {k}", lang="en")),
                      (URIRef(f"{ev}#position"), OA.start, Literal(i)),
                      (URIRef(f"{ev}#position"), OA.end, Literal(i + 10))):
                graph.add(t)
    t = time.perf_counter()
    store = dataset_store(graph)
    print(f"  synthetic graph: {len(graph):,} asserted + inferred = {len(store):,} quads "
          f"(inference {time.perf_counter() - t:.1f} s incl. load)")
    return store


def median_ms(fn, repeat: int) -> float:
    fn()  # warm-up (parser cache, first-run effects)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def start_server(dataset: Path, port: int) -> subprocess.Popen[bytes]:
    code = ("import uvicorn, sys; from pathlib import Path; "
            "from pathokg.server import create_app, ServerSettings; "
            f"uvicorn.run(create_app(ServerSettings(dataset=Path({str(dataset)!r}), workers=2, "
            f"timeout=60)), host='127.0.0.1', port={port}, log_level='warning')")
    proc = subprocess.Popen([sys.executable, "-c", code])
    for _ in range(600):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError("server did not start")


def load_test(url: str, queries: list[str], seconds: float, clients: int = 4) -> tuple[float, float]:
    """Requests/s and p95 latency (ms) with ``clients`` threads posting queries in a loop."""
    latencies: list[float] = []
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    def client(k: int) -> None:
        with httpx.Client(timeout=30) as c:
            i = k
            while time.monotonic() < stop:
                t = time.perf_counter()
                r = c.post(url, data={"query": queries[i % len(queries)]},
                           headers={"Accept": "application/sparql-results+json"})
                r.raise_for_status()
                with lock:
                    latencies.append(time.perf_counter() - t)
                i += 1

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    latencies.sort()
    return len(latencies) / elapsed, latencies[int(len(latencies) * 0.95)] * 1000


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--release", type=Path, default=None)
    ap.add_argument("--seconds", type=float, default=5.0, help="per throughput run")
    ap.add_argument("--rdflib", action="store_true", help="also time rdflib's memory store")
    ap.add_argument("--rdflib-endpoint-python", type=Path, default=None,
                    help="python of a venv with rdflib-endpoint, for the throughput comparison")
    args = ap.parse_args()

    named = {q.name: bind_params(q, {}) for q in list_queries()}
    with tempfile.TemporaryDirectory(prefix="pathokg-bench-") as tmp:
        for label, make in (("release", lambda: Engine.from_release(args.release).store),
                            (f"~{args.triples:,} triples", lambda: synthetic(args.triples,
                                                                             args.release))):
            print(f"\n== {label}")
            t = time.perf_counter()
            store = make()
            print(f"  build store: {time.perf_counter() - t:.1f} s, {len(store):,} quads")
            engine = Engine(store)
            dataset = Path(tmp) / f"{len(store)}.nq"
            store.dump(dataset, format=ox.RdfFormat.N_QUADS)
            port = free_port()
            server = start_server(dataset, port)
            url = f"http://127.0.0.1:{port}/sparql"
            try:
                print(f"  {'query':24s} {'embedded':>10s} {'/sparql':>10s} {'ratio':>6s}")
                with httpx.Client(timeout=120) as http:
                    for name, text in named.items():
                        emb = median_ms(lambda text=text, e=engine: e.execute(text), args.repeat)
                        web = median_ms(lambda text=text, u=url: http.post(u, data={"query": text}),
                                        args.repeat)
                        print(f"  {name:24s} {emb:8.1f}ms {web:8.1f}ms {web / max(emb, 0.01):6.2f}")
                search = [named["concept-lookup"].replace('"calc"', f'"calc{i}"') for i in range(50)]
                lookups = [named["xref-concept"], named["concept-xrefs"], named["evidence"]]
                for kind, qs in (("search", search), ("aggregate", [named["summary-statistics"]]),
                                 ("lookup", lookups)):
                    rps, p95 = load_test(url, qs, args.seconds)
                    print(f"  4 clients, {kind:9s}: {rps:7.0f} req/s, p95 {p95:6.1f} ms")
            finally:
                server.terminate()
                server.wait(10)
            if args.rdflib and len(store) < 200_000:
                from rdflib import Dataset

                ds = Dataset(default_union=True)
                ds.parse(dataset, format="nquads")
                for name, text in named.items():
                    ms = median_ms(lambda text=text, d=ds: list(d.query(text)), 1)
                    print(f"  rdflib {name:24s} {ms:8.1f}ms")
    return 0


if __name__ == "__main__":
    _ = inferred_triples  # imported for the docs: the benchmark includes inference cost
    sys.exit(main())
