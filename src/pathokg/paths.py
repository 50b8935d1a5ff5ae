"""Where pathokg finds its data (the ontology, the curated sources, the queries, the page assets) and
what a release folder holds.

In a checkout (or an editable install) the data folders are the top-level folders of the
repository; in an installed wheel they are packaged under ``pathokg/_data``.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_root() -> Path:
    """Return the folder that holds ``ontology/``, ``graph/`` and ``queries/``."""
    packaged = _PACKAGE / "_data"
    if (packaged / "ontology").is_dir():
        return packaged
    return _PACKAGE.parent.parent


def project_root() -> Path:
    """The repository root in a checkout (the parent of ``src/``), else the current directory."""
    candidate = _PACKAGE.parent.parent
    return candidate if (candidate / "pyproject.toml").is_file() else Path.cwd()


ONTOLOGY_DIR = data_root() / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "pathokg-edit.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes" / "pathokg-shapes.ttl"
#: Import modules, generated from the standard ontology's own release file and committed, as the
#: Ontology Development Kit keeps them (``scripts/refresh_hpo_import.py`` writes these three).
IMPORTS_DIR = ONTOLOGY_DIR / "imports"
HPO_IMPORT_MODULE = IMPORTS_DIR / "hp_import.ttl"
HPO_ANNOTATIONS_MODULE = IMPORTS_DIR / "hp_annotations.ttl"
HPO_SEEDS_FILE = IMPORTS_DIR / "hp_terms.txt"
#: The hand-edited vocabulary of the HPO annotation data (classes and properties, no HPO content).
HPO_VOCABULARY_FILE = ONTOLOGY_DIR / "components" / "hpo-annotations.ttl"
GRAPH_DIR = data_root() / "graph"
SOURCES_DIR = GRAPH_DIR / "sources"
XREFS_FILE = GRAPH_DIR / "mappings" / "verified-xrefs.tsv"
#: concepts the verifier checked and found no standard term for (SSSOM's NoTermFound)
NO_TERM_FILE = GRAPH_DIR / "mappings" / "no-term-found.tsv"
#: the changelog, whose entry of the package's version dates the release (pathokg.curation.version)
CHANGELOG_FILE = data_root() / "CHANGELOG.md"
QUERIES_DIR = data_root() / "queries"
QC_DIR = QUERIES_DIR / "qc"
INTERNAL_QUERIES = QUERIES_DIR / "internal"
MAP_QUERIES = QUERIES_DIR / "map"
EXPORT_QUERIES = QUERIES_DIR / "export"
PUBLISH_QUERIES = QUERIES_DIR / "publish"
REPORT_QUERIES = QUERIES_DIR / "report"
DIFF_QUERIES = QUERIES_DIR / "diff"
#: the Biolink mapping of categories, relations and certainties for the KGX export
BIOLINK_MAPPING_FILE = GRAPH_DIR / "mappings" / "biolink.yaml"
#: vendored scripts and styles (vis-network, YASGUI, the map's own), inlined or served as they are
STATIC_DIR = _PACKAGE / "static"

# The files of a release folder.
TURTLE = "pathokg.ttl"
OWL_XML = "pathokg.owl"
JSONLD = "pathokg.jsonld"
NTRIPLES = "pathokg.nt"
SSSOM = "pathokg.sssom.tsv"
VOID_FILE = "void.ttl"
INFERRED = "pathokg-inferred.ttl"
MAP_FILE = "concept-map.html"
REVIEW_FILE = "review.md"
#: the whole overview map as a picture (title, legend, source), for slides and handouts
MAP_SVG = "concept-map.svg"
#: the article with every evidence passage highlighted, linked both ways to the map
READER_FILE = "reader.html"
#: flashcards: an Anki deck and a CSV for Quizlet
ANKI_FILE = "flashcards.apkg"
QUIZLET_FILE = "flashcards-quizlet.csv"
CLASSES_OWL = "pathokg-classes.owl"
SOURCES_FOLDER = "sources"
HPO_IMPORT = "hpo-import.ttl"
HPO_ANNOTATIONS = "hpo-annotations.ttl"
HPO_REPORT = "hpo-consistency.md"
#: The marker a release folder carries: what wrote it and every file it holds (see
#: :mod:`pathokg.rdf.atomic`); a build replaces only a folder that carries it (or is empty).
RELEASE_MARKER = ".pathokg-release"
#: The same for a Neo4j export folder.
EXPORT_MARKER = ".pathokg-export"
#: Both markers: bookkeeping of the folder writer, not files of the release's content.
FOLDER_MARKERS = frozenset({RELEASE_MARKER, EXPORT_MARKER})


def default_out_dir() -> Path:
    """The release folder: ``$PATHOKG_DIST`` if set, else ``dist/`` in the project root."""
    env = os.environ.get("PATHOKG_DIST")
    return Path(env) if env else project_root() / "dist"
