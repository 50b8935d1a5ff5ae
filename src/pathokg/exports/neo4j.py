"""Neo4j files: ``nodes.csv`` and ``relationships.csv`` with the admin-import headers, and
``load.cypher`` (LOAD CSV) that loads the same files into a running database.

Header format (Neo4j operations manual, "Import" > "CSV header format"): ``iri:ID`` names the node
id column (stored as the ``iri`` property), ``:LABEL`` holds the labels, ``:START_ID``/``:END_ID``/
``:TYPE`` the relationship ends and type, and ``name:type`` columns are typed properties
(``string[]``, ``boolean``, ``int``). Array values are separated by :data:`ARRAY_DELIMITER`, the
importer's default.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..errors import ExportError
from ..paths import EXPORT_MARKER
from ..rdf.atomic import replace_folder
from .formats import to_json

ARRAY_DELIMITER = ";"
NODES_FILE = "nodes.csv"
RELATIONSHIPS_FILE = "relationships.csv"
CYPHER_FILE = "load.cypher"
ID_COLUMN = "iri:ID"
TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class Column:
    """A CSV column: its header, the property it fills and how LOAD CSV converts it."""

    header: str
    name: str
    kind: str = "string"  # string | string[] | boolean | int

    @property
    def expr(self) -> str:
        """The Cypher expression that reads this column from ``row``."""
        ref = f"row.`{self.header}`"
        if self.kind == "string[]":
            return (f"CASE WHEN coalesce({ref}, '') = '' THEN [] "
                    f"ELSE split({ref}, '{ARRAY_DELIMITER}') END")
        if self.kind == "boolean":
            return f"toBoolean({ref})"
        if self.kind == "int":
            return f"toInteger({ref})"
        return f"coalesce({ref}, '')"


NODE_COLUMNS = [
    Column("curie", "curie"), Column("label", "label"),
    Column("synonyms:string[]", "synonyms", "string[]"), Column("category", "category"),
    Column("category_iri", "category_iri"), Column("definition", "definition"),
    Column("xrefs:string[]", "xrefs", "string[]"),
]
EDGE_COLUMNS = [
    Column("relation", "relation"), Column("label", "label"),
    Column("inferred:boolean", "inferred", "boolean"),
    Column("certainty", "certainty"),
    Column("evidence_count:int", "evidence_count", "int"),
    Column("quotes:string[]", "quotes", "string[]"),
    Column("sections:string[]", "sections", "string[]"),
    Column("sources:string[]", "sources", "string[]"),
    Column("certainties:string[]", "certainties", "string[]"),
    Column("conditions:string[]", "conditions", "string[]"),
    Column("evidence", "evidence"),
]
NODE_HEADER = [ID_COLUMN, *(c.header for c in NODE_COLUMNS), ":LABEL"]
EDGE_HEADER = [":START_ID", ":END_ID", ":TYPE", *(c.header for c in EDGE_COLUMNS)]


def relationship_type(relation_iri: str) -> str:
    """Neo4j's UPPER_SNAKE_CASE type for a relation: ``.../isRiskFactorFor`` -> ``IS_RISK_FACTOR_FOR``.

    >>> relationship_type("https://w3id.org/pathokg/ontology/isRiskFactorFor")
    'IS_RISK_FACTOR_FOR'
    """
    local = re.split(r"[/#]", relation_iri)[-1]
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", local)
    return re.sub(r"\W", "_", snake).upper()


def node_label(category_iri: str) -> str:
    """A Neo4j label from a category IRI (its local name)."""
    return re.sub(r"\W", "_", re.split(r"[/#]", category_iri)[-1])


def _array(values: list[str], where: str) -> str:
    for value in values:
        if ARRAY_DELIMITER in value:
            raise ExportError(
                f"{where}: the value {value!r} contains the Neo4j array delimiter "
                f"{ARRAY_DELIMITER!r}; it would be split on import")
    return ARRAY_DELIMITER.join(values)


def _csv(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL).writerows(rows)
    return buf.getvalue()


def nodes_csv(graph: nx.MultiDiGraph) -> str:
    """``nodes.csv``: one row per concept."""
    rows = [NODE_HEADER]
    for node, d in graph.nodes(data=True):
        labels = ["Concept", *(node_label(c) for c in d["category_iri"].split("; ") if c)]
        rows.append([node, d["curie"], d["label"], _array(d["synonyms"], f"{node} synonyms"),
                     d["category"], d["category_iri"], d["definition"],
                     _array(d["xrefs"], f"{node} xrefs"), _array(labels, f"{node} labels")])
    return _csv(rows)


def relationships_csv(graph: nx.MultiDiGraph) -> str:
    """``relationships.csv``: one row per relation, its evidence as lists and as JSON."""
    rows = [EDGE_HEADER]
    for u, v, key, d in graph.edges(keys=True, data=True):
        ev = d["evidence"]
        where = f"{u} {key} {v}"
        rows.append([u, v, relationship_type(d["relation"]), d["relation"], d["label"],
                     "true" if d["inferred"] else "false", d["certainty"], str(d["evidence_count"]),
                     _array([e["quote"] for e in ev], f"{where} quotes"),
                     _array([e["section"] for e in ev], f"{where} sections"),
                     _array([e["source"] for e in ev], f"{where} sources"),
                     _array([e["certainty"] for e in ev], f"{where} certainties"),
                     _array([" | ".join(e["conditions"]) for e in ev], f"{where} conditions"),
                     to_json(ev)])
    return _csv(rows)


def load_cypher(graph: nx.MultiDiGraph) -> str:
    """``load.cypher``: the LOAD CSV script for the two CSV files."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                      keep_trailing_newline=True, autoescape=False)
    labels = sorted({node_label(c) for _, d in graph.nodes(data=True)
                     for c in d["category_iri"].split("; ") if c})
    types = sorted({relationship_type(d["relation"]) for _, _, d in graph.edges(data=True)})
    info = graph.graph
    release = (f"pathokg {info['version']} of {info.get('release_date', '')} ({info.get('version_iri', '')})"
               if "version" in info else "not versioned")
    return env.get_template("load.cypher.j2").render(
        release=release, node_count=graph.number_of_nodes(), edge_count=graph.number_of_edges(),
        delimiter=ARRAY_DELIMITER, id_column=ID_COLUMN, node_columns=NODE_COLUMNS,
        edge_columns=EDGE_COLUMNS, labels=labels, types=types)


def write_neo4j(graph: nx.MultiDiGraph, folder: Path, *, force: bool = False) -> Path:
    """Write the three files into ``folder``, replacing it atomically; a folder that is not a
    pathokg Neo4j export (no :data:`~pathokg.paths.EXPORT_MARKER`) is refused unless ``force``."""
    files = {NODES_FILE: nodes_csv(graph), RELATIONSHIPS_FILE: relationships_csv(graph),
             CYPHER_FILE: load_cypher(graph)}

    def fill(tmp: Path) -> None:
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8")
            (tmp / name).chmod(0o644)

    replace_folder(folder, fill, marker=EXPORT_MARKER, what="pathokg Neo4j export", force=force)
    return Path(folder)
