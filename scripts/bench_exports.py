"""Benchmark: export and publish times for the release and for a synthetic graph of about a
million triples in pathokg's shape (concepts with labels, synonyms, definitions and mappings;
relations with an owl:Axiom and an evidence resource with quote and position selectors).

Usage:
  .venv/bin/python scripts/bench_exports.py [--triples 1000000] [--no-virtuoso] [--release DIR]

Starts its own Oxigraph server (and Virtuoso, if installed) on free ports and stops them.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from pathokg.curation.assemble import load_ontology, ontology_terms
from pathokg.errors import RemoteError
from pathokg.exports import FORMATS, export, project, write_graph
from pathokg.release.publish import publish_payloads, release_payloads
from pathokg.vocab import EVIDENCE, OA, PK, PKO, SOURCE, XREF_BASES

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the test helpers live in tests/
from tests.helpers.triplestores import VIRTUOSO_PASSWORD, VIRTUOSO_USER, OxigraphServer, VirtuosoServer

TRIPLES_PER_RELATION = 20
TRIPLES_PER_CONCEPT = 8


def timed(label: str, fn: Callable[[], object], results: list[tuple[str, float]]) -> object:
    started = time.perf_counter()
    try:
        value = fn()
    except RemoteError as exc:  # a store that gives up is a result too
        print(f"{label:<55} FAILED after {time.perf_counter() - started:.1f} s: {str(exc)[:200]}")
        return None
    seconds = time.perf_counter() - started
    results.append((label, seconds))
    print(f"{label:<55} {seconds:8.2f} s", flush=True)
    return value


def synthetic_ntriples(target: int, seed: int = 7) -> bytes:
    """About ``target`` triples of synthetic concepts and evidenced relations, plus the ontology."""
    rng = random.Random(seed)
    ontology = load_ontology()
    categories, predicates = ontology_terms(ontology)
    cats, preds = sorted(categories), sorted(predicates)
    n_rel = target // (TRIPLES_PER_RELATION + TRIPLES_PER_CONCEPT // 2)
    n_con = max(n_rel // 2, 2)
    src = f"<{SOURCE['synthetic']}>"
    lines = [line for line in ontology.serialize(format="nt").splitlines() if line.strip()]
    lines.append(f"{src} <{RDF.type}> <{PKO.SourceArticle}> .")
    mesh = XREF_BASES["MESH"]
    for i in range(n_con):
        c = f"<{PK[f'c{i}']}>"
        lines += [f"{c} <{RDF.type}> <{PKO[rng.choice(cats)]}> .", f"{c} <{RDF.type}> <{SKOS.Concept}> .",
                  f'{c} <{SKOS.prefLabel}> "concept {i}"@en .', f'{c} <{RDFS.label}> "concept {i}"@en .',
                  f'{c} <{SKOS.altLabel}> "synonym {i}"@en .',
                  f'{c} <{SKOS.definition}> "A synthetic concept number {i}."@en .',
                  f"{c} <{SKOS.exactMatch}> <{mesh}D{i:06d}> .", f"{c} <{RDF.type}> <{OWL.NamedIndividual}> ."]
    for r in range(n_rel):
        s, o = rng.randrange(n_con), rng.randrange(n_con)
        p = f"<{PKO[rng.choice(preds)]}>"
        ev = f"{EVIDENCE[f'synthetic/r{r}']}"
        ax = f"_:ax{r}"
        lines += [
            f"<{PK[f'c{s}']}> {p} <{PK[f'c{o}']}> .",
            f"{ax} <{RDF.type}> <{OWL.Axiom}> .", f"{ax} <{OWL.annotatedSource}> <{PK[f'c{s}']}> .",
            f"{ax} <{OWL.annotatedProperty}> {p} .", f"{ax} <{OWL.annotatedTarget}> <{PK[f'c{o}']}> .",
            f"{ax} <{PKO.hasEvidence}> <{ev}> .",
            f"<{ev}> <{RDF.type}> <{PKO.Evidence}> .", f"<{ev}> <{RDF.type}> <{OWL.NamedIndividual}> .",
            f"<{ev}> <{OA.hasSource}> {src} .", f'<{ev}> <{PKO.section}> "Section {r % 20}"@en .',
            f'<{ev}> <{PKO.sectionPath}> "Article > Section {r % 20}"@en .',
            f"<{ev}> <{OA.hasSelector}> <{ev}#quote> .", f"<{ev}> <{OA.hasSelector}> <{ev}#position> .",
            f"<{ev}#quote> <{RDF.type}> <{OA.TextQuoteSelector}> .",
            f'<{ev}#quote> <{OA.exact}> "Concept {s} is said to relate to concept {o} here."@en .',
            f"<{ev}#position> <{RDF.type}> <{OA.TextPositionSelector}> .",
            f'<{ev}#position> <{OA.start}> "{r * 60}"^^<{XSD.nonNegativeInteger}> .',
            f'<{ev}#position> <{OA.end}> "{r * 60 + 50}"^^<{XSD.nonNegativeInteger}> .',
        ]
    return ("\n".join(sorted(set(lines))) + "\n").encode("utf-8")


def bench(name: str, payloads: dict[str, bytes], store_source: ox.Store | object, out: Path,
          virtuoso: bool, results: list[tuple[str, float]]) -> None:
    triples = sum(p.count(b"\n") for p in payloads.values())
    print(f"\n== {name}: {triples:,} triples to publish ==")
    graph = timed(f"{name}: project to networkx", lambda: project(store_source), results)
    for fmt in FORMATS:
        if fmt == "kgx":  # KGX reads the RDF itself (synonym scopes, exact matches, conditions)
            timed(f"{name}: export {fmt}", lambda: export(store_source, "kgx", out / f"{name}-kgx"), results)
            continue
        timed(f"{name}: export {fmt}", lambda f=fmt: write_graph(graph, f, out / f"{name}-{FORMATS[f]}"), results)
    with OxigraphServer() as server:
        timed(f"{name}: publish to Oxigraph (PUT + count)",
              lambda: publish_payloads(server.store_url, payloads), results)
    if virtuoso and shutil.which("virtuoso-t"):
        with VirtuosoServer() as server:
            timed(f"{name}: publish to Virtuoso (PUT + count)",
                  lambda: publish_payloads(server.store_url, payloads, user=VIRTUOSO_USER,
                                           password=VIRTUOSO_PASSWORD, timeout=1800), results)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--release", type=Path, default=None)
    ap.add_argument("--no-virtuoso", action="store_true")
    args = ap.parse_args()
    results: list[tuple[str, float]] = []
    out = Path(tempfile.mkdtemp(prefix="pathokg-bench-"))
    try:
        payloads = release_payloads(args.release)
        store = ox.Store()
        for data in payloads.values():
            store.load(data, format=ox.RdfFormat.N_TRIPLES)
        bench("release", payloads, store, out, not args.no_virtuoso, results)
        data = timed("synthetic: generate N-Triples", lambda: synthetic_ntriples(args.triples), results)
        big = ox.Store()
        timed("synthetic: load into pyoxigraph", lambda: big.bulk_load(data, format=ox.RdfFormat.N_TRIPLES), results)
        bench("synthetic", {"https://w3id.org/pathokg/bench/synthetic": data}, big, out,
              not args.no_virtuoso, results)
    finally:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
