"""KGX (Biolink Model) files: the format Monarch and the Translator tools exchange graphs in.

The folder holds ``pathokg_nodes.tsv`` and ``pathokg_edges.tsv`` (KGX TSV, lists ``|``-separated),
the same records as JSON Lines (``pathokg_nodes.jsonl``, ``pathokg_edges.jsonl``), the mapping
table they were made with (``biolink-mapping.yaml``, a copy of ``graph/mappings/biolink.yaml``) and
``pathokg_metadata.json`` (release, licence, Biolink version, the prefixes of every identifier).

* Nodes: Biolink categories by the mapping table; the id is the concept's exact match with the
  category's first preferred prefix (``MONDO:0005300`` for chronic kidney disease), else its
  pathokg id (``pk:...``); the pathokg id is always the first ``xref``.
* Edges: one per *qualified statement*, the triple plus the qualifiers of its passages (certainty,
  conditions, context): passages with the same qualifiers share an edge, so a hedged or
  conditional passage never becomes part of an unqualified assertion. Each edge has
  ``knowledge_level`` and ``agent_type``, ``primary_knowledge_source`` ``infores:pathokg``,
  ``has_confidence_level`` (``pko:Possible`` ...), ``original_predicate`` (the pathokg relation),
  ``has_evidence`` (the passages), ``supporting_text`` (their quotes), ``publications`` (the
  article), Biolink context qualifiers where they fit, and the ``pathokg_*`` properties the mapping
  table lists for the rest.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import uuid
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import yaml

from ..errors import ExportError
from ..paths import BIOLINK_MAPPING_FILE, EXPORT_MARKER
from ..rdf.atomic import replace_folder
from ..vocab import (
    INFORES,
    INFORES_ID,
    LICENSE_IRI,
    OBOINOWL,
    PREFIXES,
    XREF_BASES,
    curie_for,
    shorten,
)
from .projection import project, rows

NODES_TSV, EDGES_TSV = "pathokg_nodes.tsv", "pathokg_edges.tsv"
NODES_JSONL, EDGES_JSONL = "pathokg_nodes.jsonl", "pathokg_edges.jsonl"
METADATA_FILE, MAPPING_COPY = "pathokg_metadata.json", "biolink-mapping.yaml"
#: every file of the folder, in the order they are listed
FILES = (NODES_TSV, EDGES_TSV, NODES_JSONL, EDGES_JSONL, MAPPING_COPY, METADATA_FILE)
LIST_DELIMITER = "|"
NODE_COLUMNS = ("id", "category", "name", "description", "synonym", "xref", "provided_by",
                "pathokg_category", "pathokg_related_synonyms", "pathokg_broad_synonyms",
                "pathokg_narrow_synonyms")
EDGE_COLUMNS = ("id", "subject", "predicate", "object", "knowledge_level", "agent_type",
                "primary_knowledge_source", "original_subject", "original_predicate", "original_object",
                "has_confidence_level", "evidence_count", "has_evidence", "supporting_text",
                "publications", "disease_context_qualifier", "anatomical_context_qualifier",
                "pathokg_conditions", "pathokg_condition_concepts", "pathokg_sections",
                "pathokg_offsets", "pathokg_contested")
#: Biolink's synonym slot is multivalued, its scoped ones (exact_synonym, ...) are not: exact
#: synonyms go to ``synonym``, the other scopes to pathokg's own list properties
_SCOPES = {str(OBOINOWL.hasExactSynonym): "synonym", str(OBOINOWL.hasRelatedSynonym): "pathokg_related_synonyms",
           str(OBOINOWL.hasBroadSynonym): "pathokg_broad_synonyms",
           str(OBOINOWL.hasNarrowSynonym): "pathokg_narrow_synonyms"}
_EXACT = "http://www.w3.org/2004/02/skos/core#exactMatch"
_CLOSE = "http://www.w3.org/2004/02/skos/core#closeMatch"
#: a fixed namespace for the edge ids, so that the same edge always gets the same UUID
_EDGE_NAMESPACE = uuid.UUID("5b0e3c8e-1d2f-5a6b-9c7d-2e4f6a8b0c1d")


@dataclass(frozen=True)
class BiolinkMapping:
    """The mapping table (``graph/mappings/biolink.yaml``)."""

    biolink_version: str
    categories: dict[str, dict[str, Any]]
    predicates: dict[str, dict[str, Any]]
    certainties: dict[str, dict[str, Any]]
    extensions: dict[str, str] = field(default_factory=dict)

    def category(self, pathokg_category: str) -> str:
        """The Biolink category of a pathokg category (``biolink:NamedThing`` if the table has none)."""
        return self.categories.get(pathokg_category, {}).get("biolink", "biolink:NamedThing")

    def id_prefixes(self, pathokg_category: str) -> list[str]:
        return list(self.categories.get(pathokg_category, {}).get("id_prefixes") or [])

    def predicate(self, relation: str, certainty: str) -> str:
        """The Biolink predicate of a pathokg relation stated with this certainty."""
        row = self.predicates.get(relation, {})
        return (row.get("by_certainty") or {}).get(certainty) or row.get(
            "biolink", "biolink:related_to_at_instance_level")

    def knowledge_level(self, certainty: str) -> str:
        return self.certainties.get(certainty, {}).get("knowledge_level", "not_provided")


@cache
def load_mapping(path: Path = BIOLINK_MAPPING_FILE) -> BiolinkMapping:
    """Read the mapping table.

    :raises ExportError: the file is missing or malformed.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return BiolinkMapping(str(data["biolink_version"]), data["categories"], data["predicates"],
                              data["certainties"], data.get("extensions") or {})
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise ExportError(f"{path}: cannot read the Biolink mapping table: {exc}") from None


def _local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def node_ids(store: ox.Store, graph: nx.MultiDiGraph, mapping: BiolinkMapping) -> dict[str, str]:
    """concept IRI -> its KGX id: an exact match with the category's first preferred prefix, else
    the pathokg CURIE. An identifier that is the exact match of two concepts is used for neither."""
    exact: dict[str, list[str]] = {}
    for row in rows(store, "concept-xrefs"):
        if row["match"] == _EXACT:
            curie = curie_for(row["xref"])
            if curie:
                exact.setdefault(row["concept"], []).append(curie)
    owners: dict[str, set[str]] = {}
    for concept, curies in exact.items():
        for curie in curies:
            owners.setdefault(curie, set()).add(concept)
    ids = {}
    for node, data in graph.nodes(data=True):
        category = _local(data["category_iri"].split("; ")[0])
        chosen = shorten(node)
        for prefix in mapping.id_prefixes(category):
            found = sorted(c for c in exact.get(node, []) if c.split(":")[0] == prefix and len(owners[c]) == 1)
            if found:
                chosen = found[0]
                break
        ids[node] = chosen
    if len(set(ids.values())) != len(ids):
        raise ExportError("two concepts would share a KGX node id")
    return ids


def _grouped(store: ox.Store, query: str, key: str, value: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for row in rows(store, query):
        out.setdefault(row[key], []).append(row[value])
    return out


def _nodes(store: ox.Store, graph: nx.MultiDiGraph, ids: dict[str, str],
           mapping: BiolinkMapping) -> list[dict[str, Any]]:
    scoped: dict[str, dict[str, list[str]]] = {}
    for row in rows(store, "concept-scoped-synonyms"):
        scoped.setdefault(row["concept"], {}).setdefault(_SCOPES[row["scope"]], []).append(row["synonym"])
    xrefs: dict[str, list[str]] = {}
    for row in rows(store, "concept-xrefs"):
        curie = curie_for(row["xref"])
        if row["match"] in (_EXACT, _CLOSE) and curie:
            xrefs.setdefault(row["concept"], []).append(curie)
    out = []
    for node, data in graph.nodes(data=True):
        category = _local(data["category_iri"].split("; ")[0])
        record: dict[str, Any] = {
            "id": ids[node], "category": [mapping.category(category)], "name": data["label"],
            "description": data["definition"],
            **{scope: sorted(set(names)) for scope, names in sorted(scoped.get(node, {}).items())},
            "xref": [shorten(node), *sorted(set(xrefs.get(node, [])) - {ids[node]})],
            "provided_by": [INFORES_ID], "pathokg_category": shorten(data["category_iri"].split("; ")[0]),
        }
        out.append(record)
    return out


def _certainty_curie(label: str) -> str:
    return f"pko:{label.capitalize()}" if label else ""


def _edges(store: ox.Store, graph: nx.MultiDiGraph, ids: dict[str, str], mapping: BiolinkMapping,
           categories: dict[str, str]) -> list[dict[str, Any]]:
    conditions: dict[str, dict[str, dict[str, Any]]] = {}
    for row in rows(store, "evidence-conditions"):
        cond = conditions.setdefault(row["evidence"], {}).setdefault(
            row["condition"], {"text": f"{row['kind']}: {row['text']}", "concepts": [], "kind": row["kind"]})
        if "concept" in row:
            cond["concepts"].append(row["concept"])
    contested = _grouped(store, "evidence-notes", "evidence", "note")
    out = []
    for u, v, key, data in graph.edges(keys=True, data=True):
        relation = _local(data["relation"])
        groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
        for ev in data["evidence"]:
            conds = sorted(conditions.get(ev["iri"], {}).items(), key=lambda kv: int(kv[0].rsplit("-", 1)[-1]))
            ev = {**ev, "condition_records": [c for _, c in conds]}
            signature = (ev["certainty"], tuple(c["text"] for c in ev["condition_records"]), ev["context"])
            groups.setdefault(signature, []).append(ev)
        if not groups:  # an entailed edge: no passages of its own
            groups[(data["certainty"], (), "")] = []
        for (certainty, _, context), passages in groups.items():
            record: dict[str, Any] = {
                "subject": ids[u], "predicate": mapping.predicate(relation, certainty), "object": ids[v],
                "knowledge_level": "logical_entailment" if data["inferred"] else mapping.knowledge_level(certainty),
                "agent_type": "computational_model" if data["inferred"] else "manual_agent",
                "primary_knowledge_source": INFORES_ID,
                "original_subject": shorten(u) if ids[u] != shorten(u) else "",
                "original_predicate": key,
                "original_object": shorten(v) if ids[v] != shorten(v) else "",
                "has_confidence_level": _certainty_curie(certainty),
                "evidence_count": len(passages),
                "has_evidence": [shorten(p["iri"]) for p in passages],
                "supporting_text": [p["quote"] for p in passages],
                "publications": sorted({shorten(p["source"]) for p in passages}),
                "pathokg_sections": [p["section_path"] for p in passages],
                "pathokg_offsets": [f"{p['start']}-{p['end']}" for p in passages],
                "pathokg_contested": [n for p in passages for n in contested.get(p["iri"], [])],
            }
            records = passages[0]["condition_records"] if passages else []
            record["pathokg_conditions"] = [c["text"] for c in records]
            named = [c for r in records for c in r["concepts"] if c in ids]
            record["pathokg_condition_concepts"] = list(dict.fromkeys(ids[c] for c in named))
            anatomy = [ids[c] for r in records if r["kind"] == "site" for c in r["concepts"]
                       if c in ids and categories.get(c) == "biolink:AnatomicalEntity"]
            record["anatomical_context_qualifier"] = list(dict.fromkeys(anatomy))
            record["disease_context_qualifier"] = ids.get(context, "") if context else ""
            digest = json.dumps(record, sort_keys=True, ensure_ascii=False)
            record["id"] = f"urn:uuid:{uuid.uuid5(_EDGE_NAMESPACE, digest)}"
            out.append(record)
    return out


def _clean(record: dict[str, Any]) -> dict[str, Any]:
    """A record without empty values (KGX reads a missing property as unset)."""
    return {k: v for k, v in record.items() if v not in ("", [], None)}


def _cell(value: Any, where: str) -> str:
    values = value if isinstance(value, list) else [value]
    for item in values:
        text = str(item)
        if any(ch in text for ch in ("\t", "\n", "\r")) or (isinstance(value, list) and LIST_DELIMITER in text):
            raise ExportError(f"{where}: the value {text!r} holds a tab, a line break or the KGX list "
                              f"delimiter {LIST_DELIMITER!r}; it cannot be written to KGX TSV faithfully")
    return LIST_DELIMITER.join(str(v) for v in values)


def tsv_text(records: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    """KGX TSV: the given columns (those any record uses), lists joined with ``|``."""
    used = [c for c in columns if any(r.get(c) not in (None, "", []) for r in records)]
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar=None)
    writer.writerow(used)
    for r in records:
        writer.writerow([_cell(r.get(c, ""), f"{r['id']} {c}") if r.get(c) not in (None, "", []) else ""
                         for c in used])
    return buf.getvalue()


def jsonl_text(records: list[dict[str, Any]]) -> str:
    """KGX JSON Lines: one record per line, keys sorted, empty values left out."""
    return "".join(json.dumps(_clean(r), sort_keys=True, ensure_ascii=False) + "\n" for r in records)


def _prefixes(records: list[dict[str, Any]]) -> dict[str, str]:
    """The prefix of every CURIE the files use, with its IRI base."""
    known = {**XREF_BASES, **PREFIXES, "infores": INFORES}
    used: set[str] = set()
    for r in records:
        for key in ("id", "subject", "object", "xref", "has_evidence", "publications", "has_confidence_level",
                    "original_subject", "original_predicate", "original_object", "pathokg_category",
                    "disease_context_qualifier", "anatomical_context_qualifier", "pathokg_condition_concepts"):
            for value in (r.get(key) if isinstance(r.get(key), list) else [r.get(key)]):
                if value and ":" in str(value) and not str(value).startswith("urn:"):
                    used.add(str(value).split(":", 1)[0])
    return {p: known[p] for p in sorted(used) if p in known}


def kgx_files(store: ox.Store, *, inferred: bool = False,
              mapping_file: Path = BIOLINK_MAPPING_FILE) -> dict[str, str]:
    """File name -> text of the KGX export of a release store."""
    mapping = load_mapping(mapping_file)
    graph = project(store, inferred=inferred)
    ids = node_ids(store, graph, mapping)
    nodes = _nodes(store, graph, ids, mapping)
    categories = {node: rec["category"][0] for node, rec in zip(graph.nodes, nodes, strict=True)}
    edges = _edges(store, graph, ids, mapping, categories)
    info = graph.graph
    metadata = {
        "name": "pathokg", "description": "Pathology concepts and the relations between them, each "
        "relation with the quote, section and offsets of the passages that state it.",
        "version": info.get("version", ""), "release_date": info.get("release_date", ""),
        "version_iri": info.get("version_iri", ""), "license": str(LICENSE_IRI),
        "biolink_version": mapping.biolink_version, "primary_knowledge_source": INFORES_ID,
        "primary_knowledge_source_note": "pathokg's own infores-style id; not (yet) in the Translator "
                                         "Information Resource Registry",
        "inferred_edges": inferred, "curie_map": _prefixes(nodes + edges),
        "counts": {"nodes": len(nodes), "edges": len(edges)},
        "files": {NODES_TSV: "nodes", EDGES_TSV: "edges", NODES_JSONL: "nodes (same records)",
                  EDGES_JSONL: "edges (same records)", MAPPING_COPY: "the Biolink mapping table"},
        "mapping_sha256": hashlib.sha256(mapping_file.read_bytes()).hexdigest(),
    }
    return {
        NODES_TSV: tsv_text(nodes, NODE_COLUMNS), EDGES_TSV: tsv_text(edges, EDGE_COLUMNS),
        NODES_JSONL: jsonl_text(nodes), EDGES_JSONL: jsonl_text(edges),
        METADATA_FILE: json.dumps(metadata, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
    }


def write_kgx(store: ox.Store, folder: Path | str, *, inferred: bool = False,
              mapping_file: Path = BIOLINK_MAPPING_FILE, force: bool = False) -> Path:
    """Write the KGX folder, replacing it atomically (nothing is written if a value cannot be); a
    folder that is not a pathokg KGX export (no :data:`~pathokg.paths.EXPORT_MARKER`) is refused
    unless ``force``."""
    files = kgx_files(store, inferred=inferred, mapping_file=mapping_file)

    def fill(tmp: Path) -> None:
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8")
        shutil.copyfile(mapping_file, tmp / MAPPING_COPY)
        for name in FILES:
            (tmp / name).chmod(0o644)

    replace_folder(folder, fill, marker=EXPORT_MARKER, what="pathokg KGX export", force=force)
    return Path(folder)


__all__ = ["FILES", "BiolinkMapping", "kgx_files", "load_mapping", "node_ids", "write_kgx"]
