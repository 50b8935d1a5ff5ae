"""Write a release: every serialisation of the graph, its entailments, the mappings, the concepts as
OWL classes, the article texts, the graph exports (KGX included), the concept map (page and SVG),
the article page with its evidence, flashcards (Anki, Quizlet), and last the dataset description
of all of them (``void.ttl``: sizes and checksums need the files written).

Every file is written byte-identically for the same inputs (see :mod:`pathokg.rdf.canonical`).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import RDF

from ..curation.assemble import Assembly, relation_labels
from ..curation.audit import review_markdown
from ..curation.obo import class_view
from ..paths import (
    ANKI_FILE,
    CLASSES_OWL,
    INFERRED,
    JSONLD,
    MAP_FILE,
    MAP_SVG,
    NTRIPLES,
    OWL_XML,
    QUIZLET_FILE,
    READER_FILE,
    REVIEW_FILE,
    SOURCES_FOLDER,
    SSSOM,
    TURTLE,
    VOID_FILE,
)
from ..rdf.canonical import canonical, jsonld, ntriples, rdfxml, turtle
from ..vocab import PKO
from .hpo import HpoRelease
from .metadata import bind_description_prefixes, counts, dataset_description, sssom

#: A writer of files beyond the RDF serialisations: it reads the release store (asserted default
#: graph, entailments in the inferred graph) and writes into the release folder.
StoreWriter = Callable[[ox.Store, Path], None]


def write_graph_exports(store: ox.Store, folder: Path) -> None:
    """The asserted concept graph in the formats written from its projection (GraphML, GEXF,
    Cytoscape.js, Neo4j; KGX reads the store itself: :func:`write_kgx_export`)."""
    from ..exports import FORMATS, project, write_graph  # networkx only when a release is written

    graph = project(store)
    for fmt, name in FORMATS.items():
        if fmt != "kgx":
            write_graph(graph, fmt, folder / name)


def write_kgx_export(store: ox.Store, folder: Path) -> None:
    """The asserted concept graph as KGX (Biolink Model) nodes and edges, ``kgx/``."""
    from ..exports.kgx import write_kgx

    write_kgx(store, folder / "kgx")


def write_concept_map(store: ox.Store, folder: Path) -> None:
    """The overview concept map, ``concept-map.html`` (its quotes link to ``reader.html``), and the
    whole map as a picture, ``concept-map.svg``."""
    from ..conceptmap import make_map  # pyvis and Jinja only when a release is written

    result = make_map(store, reader=READER_FILE)
    (folder / MAP_FILE).write_text(result.html, encoding="utf-8")
    (folder / MAP_SVG).write_text(result.svg, encoding="utf-8")


def write_reader(store: ox.Store, folder: Path) -> None:
    """The article with its evidence, ``reader.html`` (its passages link to ``concept-map.html``)."""
    from ..teaching import reader_page

    (folder / READER_FILE).write_text(reader_page(store, folder, map_href=MAP_FILE), encoding="utf-8")


def write_flashcards(store: ox.Store, folder: Path) -> None:
    """Flashcards from the graph: ``flashcards.apkg`` (Anki) and ``flashcards-quizlet.csv``."""
    from ..conceptmap.model import model_from_graph
    from ..teaching import anki_package, flashcards, quizlet_csv

    cards = flashcards(model_from_graph(store))
    (folder / ANKI_FILE).write_bytes(anki_package(cards))
    (folder / QUIZLET_FILE).write_text(quizlet_csv(cards), encoding="utf-8")


#: The writers every release runs after the RDF files, in order.
STORE_WRITERS: tuple[StoreWriter, ...] = (write_graph_exports, write_kgx_export, write_concept_map,
                                          write_reader, write_flashcards)


def write_release(assembly: Assembly, inferred: Graph, store: ox.Store, folder: Path,
                  writers: tuple[StoreWriter, ...] = STORE_WRITERS,
                  hpo: HpoRelease | None = None) -> dict[str, int]:
    """Write every release file into ``folder`` (which must exist) and return the counts.

    The release's version and date (``assembly.release``) are in every artefact that can hold them.

    :param inferred: the entailments of the assembled graph with their records (rule, premises,
        certainty), written to ``pathokg-inferred.ttl``.
    :param store: the assembled graph and its entailments, for the writers that query them.
    :param hpo: the HPO backbone :func:`~pathokg.release.hpo.write_hpo` wrote, for the dataset
        description.
    """
    info = assembly.release
    graph = canonical(assembly.graph)
    entailed = canonical(inferred)
    numbers = counts(assembly)
    numbers["inferred"] = sum(1 for _ in entailed.subjects(RDF.type, PKO.Inference))
    numbers["inferred_triples"] = len(entailed)
    (folder / TURTLE).write_bytes(turtle(graph))
    (folder / OWL_XML).write_bytes(rdfxml(graph))
    (folder / JSONLD).write_text(jsonld(graph), encoding="utf-8")
    (folder / NTRIPLES).write_text(ntriples(graph), encoding="utf-8")
    (folder / SSSOM).write_text(sssom(assembly), encoding="utf-8")
    # Entailments kept apart from the assertions: load this file into the named graph
    # pathokg.vocab.INFERRED_GRAPH to query with inference, as the embedded engine does.
    header = (f"# {info.label}: the triples the ontology entails, each with its record (rule, premises,\n"
              f"# certainty). Version IRI of the graph they follow from: <{info.version_iri}>.\n")
    (folder / INFERRED).write_bytes(header.encode("utf-8") + turtle(entailed))
    (folder / CLASSES_OWL).write_bytes(rdfxml(canonical(class_view(assembly.graph, info))))
    (folder / REVIEW_FILE).write_text(review_markdown(assembly.articles, relation_labels(assembly.graph),
                                                      f"{info.version} of {info.date}"), encoding="utf-8")
    sources = folder / SOURCES_FOLDER
    sources.mkdir()
    for a in assembly.articles:
        shutil.copyfile(a.text_file, sources / a.text_file.name)
    for writer in writers:
        writer(store, folder)
    # last: it describes every file above (sizes, checksums)
    void = bind_description_prefixes(canonical(dataset_description(assembly, numbers, folder,
                                                                    skip=[VOID_FILE], hpo=hpo)))
    (folder / VOID_FILE).write_bytes(turtle(void))
    return numbers
