"""Benchmark the concept map: generation time, file size, and time to first full draw in Chromium.

Synthetic graphs on pathokg's own ontology (its categories and relations): N concepts with labels,
synonyms and definitions, and about 11 relations per concept (5,000 concepts: about 56k edges),
seeded. For each size: time to read the model from the graph (SPARQL over pyoxigraph), to lay
it out and render the page, the page size, and in headless Chromium (file://, fresh profile) the
time from navigation to the first complete drawing (all nodes and edges, physics off), plus the
time to answer a search-and-select. Median of --repeat runs.

Usage: .venv/bin/python scripts/bench_map.py [--sizes 50,1000,5000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from pathokg.conceptmap import lay_out, teaching_extras
from pathokg.conceptmap.model import model_from_graph
from pathokg.conceptmap.render import PageOptions, render_html
from pathokg.conceptmap.views import get_view
from pathokg.curation.assemble import load_ontology, ontology_terms
from pathokg.rdf.atomic import write_file
from pathokg.rdf.store import to_oxigraph
from pathokg.vocab import PK, PKO

SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def synthetic_store(n: int, edges_per_node: float = 11.2, seed: int = 7) -> ox.Store:
    """The ontology plus ``n`` synthetic concepts and about ``edges_per_node * n`` relations."""
    ontology = load_ontology()
    categories, predicates = ontology_terms(ontology)
    cats, preds = sorted(categories), sorted(predicates)
    rng = random.Random(seed)
    store = to_oxigraph(ontology)
    lines = []
    for i in range(n):
        c = f"<{PK[f'c{i}']}>"
        lines.append(f"{c} <{RDF_TYPE}> <{PKO[rng.choice(cats)]}> .")
        lines.append(f"{c} <{RDF_TYPE}> <{SKOS}Concept> .")
        lines.append(f'{c} <{SKOS}prefLabel> "concept number {i}"@en .')
        lines.append(f'{c} <{SKOS}altLabel> "C{i}"@en .')
        lines.append(f'{c} <{SKOS}definition> "A synthetic concept, number {i}."@en .')
    seen = set()
    target = int(n * edges_per_node)
    while len(seen) < target:
        # preferential: low ids are hubs, like a real graph's central concepts
        s = int(n * rng.random() ** 2)
        o = rng.randrange(n)
        p = rng.choice(preds)
        if s != o and (s, p, o) not in seen:
            seen.add((s, p, o))
            lines.append(f"<{PK[f'c{s}']}> <{PKO[p]}> <{PK[f'c{o}']}> .")
    store.load("\n".join(lines).encode(), format=ox.RdfFormat.N_TRIPLES)
    return store


def generate(store: ox.Store, path: Path) -> dict[str, float]:
    """Read the model, lay it out, render and write the page; return the timings in seconds."""
    t0 = time.perf_counter()
    model = model_from_graph(store)
    t1 = time.perf_counter()
    positions = lay_out(model, get_view("overview"))
    t2 = time.perf_counter()
    extras = teaching_extras(model, model, positions, get_view("overview"))  # story, quiz, search
    page = render_html(model, positions, PageOptions(title="benchmark"), extras)
    write_file(path, page)
    t3 = time.perf_counter()
    return {"model": t1 - t0, "layout": t2 - t1, "render": t3 - t2, "total": t3 - t0,
            "nodes": len(model.concepts), "edges": len(model.edges)}


def browse(driver: object, path: Path) -> dict[str, float]:
    """Open the page from file://; time to first full draw, and a search-and-select round trip."""
    from tests.helpers.browser import wait_ready

    driver.get("about:blank")  # type: ignore[attr-defined]
    driver.get(path.as_uri())  # type: ignore[attr-defined]
    wait_ready(driver, timeout=120)
    ready = driver.execute_script("return window.pathokgMap.readyAt")  # type: ignore[attr-defined]
    drawn = driver.execute_script(  # type: ignore[attr-defined]
        "return window.pathokgMap.network.body.nodeIndices.length")
    t = time.perf_counter()
    driver.execute_script(  # type: ignore[attr-defined]
        "var m = window.pathokgMap; var hit = m.search('concept number 42')[0];"
        "m.selectNode(hit, false); m.network.redraw();")
    interact = time.perf_counter() - t
    return {"ready_ms": ready, "interaction_ms": interact * 1000, "drawn": drawn}


def main() -> None:
    """Run the benchmark and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,1000,5000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        from contextlib import nullcontext

        from tests.helpers.browser import chromium

        with (nullcontext() if args.no_browser else chromium(1600, 1000)) as driver:
            for n in sizes:
                store = synthetic_store(n)
                path = Path(tmp) / f"map-{n}.html"
                gen = [generate(store, path) for _ in range(args.repeat)]
                size = path.stat().st_size
                web = [] if driver is None else [browse(driver, path) for _ in range(args.repeat)]

                def med(runs: list[dict[str, float]], key: str) -> float:
                    return statistics.median(r[key] for r in runs)

                rows.append((n, gen[0]["edges"], med(gen, "model"), med(gen, "layout"),
                             med(gen, "render"), med(gen, "total"), size,
                             med(web, "ready_ms") if web else float("nan"),
                             med(web, "interaction_ms") if web else float("nan")))
    print("nodes  edges   model_s layout_s render_s generate_s  size_MB  first_draw_ms  "
          "search_select_ms")
    for n, e, m, lay, r, tot, size, ready, inter in rows:
        print(f"{n:5d} {e:6d}   {m:7.3f} {lay:8.3f} {r:8.3f} {tot:10.3f} {size / 1e6:8.2f} "
              f"{ready:14.0f} {inter:17.0f}")


if __name__ == "__main__":
    main()
