"""GraphML, GEXF 1.3 and Cytoscape.js JSON serialisations of the concept graph.

Types are native where the format has one: booleans (``true``/``false``), integers and strings in
GraphML and GEXF, and GEXF 1.3's ``liststring`` for the synonyms and identifiers (its value is a
JSON array of strings, one of the list spellings Gephi reads). Where a format has no type for a
value, the encoding is JSON text with sorted keys, said in the file (a GraphML ``<desc>``, a GEXF
attribute title ending in ``(JSON)``): GraphML has no list type at all, and neither format has
records, so the evidence (a list of records) is JSON text in both. Cytoscape.js JSON keeps lists
and records as they are.

Element ids are the same in the three files and are valid XML NMTOKENs and CSS identifiers
(``pk-chronic-kidney-disease``, so ``cy.$('#pk-chronic-kidney-disease')`` works); the IRI is the
``iri`` attribute. The release's version travels in each file (GraphML graph data, GEXF
``<meta>``, the Cytoscape.js ``data``). The readers here undo all of this, so a file reads back to
the projected graph.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import networkx as nx

from ..errors import ExportError
from ..vocab import shorten

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
GEXF_NS = "http://gexf.net/1.3"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
#: graph-level attributes the projection sets, in file order
GRAPH_ATTRIBUTES = ("name", "version", "release_date", "version_iri")
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def to_json(value: Any) -> str:
    """Deterministic JSON text (sorted keys, UTF-8 characters kept)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def element_id(iri: str) -> str:
    """A file id for a concept IRI that is an XML NMTOKEN and a CSS identifier.

    >>> element_id("https://w3id.org/pathokg/concept/chronic-kidney-disease")
    'pk-chronic-kidney-disease'
    >>> element_id("http://purl.obolibrary.org/obo/HP_0003761")
    'HP-0003761'
    """
    curie = shorten(iri)
    prefix, sep, local = curie.partition(":")
    raw = f"{prefix}-{local}" if sep and not local.startswith("//") else "n-" + iri
    return _UNSAFE.sub("_", raw)


def element_ids(graph: nx.MultiDiGraph) -> dict[str, str]:
    """node -> its file id.

    :raises ExportError: two concepts would get the same id.
    """
    ids: dict[str, str] = {}
    seen: dict[str, str] = {}
    for node in graph.nodes:
        eid = element_id(node)
        if eid in seen:
            raise ExportError(f"{node} and {seen[eid]} would share the element id {eid!r}")
        ids[node], seen[eid] = eid, node
    return ids


def edge_id(graph_ids: dict[str, str], u: str, key: str, v: str) -> str:
    """A Cytoscape.js edge id that is a CSS identifier: ``e-<source>--<relation>--<target>``."""
    return _UNSAFE.sub("_", f"e-{graph_ids[u]}--{key.partition(':')[2] or key}--{graph_ids[v]}")


def _kind(value: Any) -> str:
    """What a value is: boolean, integer, strings (a list of strings), json (other lists, records)
    or string."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return "strings"
    if isinstance(value, list | tuple | dict):
        return "json"
    return "string"


def _attribute_kinds(items: list[dict[str, Any]]) -> dict[str, str]:
    """attribute name -> its kind, over every element (sorted by name); a name whose kind varies
    takes the widest (json)."""
    kinds: dict[str, str] = {}
    for data in items:
        for name, value in data.items():
            kind = _kind(value)
            if kinds.setdefault(name, kind) != kind:
                empty_list = {kind, kinds[name]} == {"strings", "json"}
                kinds[name] = "json" if empty_list else "string"
    return dict(sorted(kinds.items()))


def _text(value: Any, kind: str) -> str:
    if kind == "boolean":
        return "true" if value else "false"
    if kind in ("strings", "json"):
        return to_json(list(value) if isinstance(value, tuple) else value)
    return str(value)


def _serialise(root: ET.Element) -> str:
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def graphml_text(graph: nx.MultiDiGraph) -> str:
    """GraphML: typed keys (``boolean``, ``int``, ``string``), lists and records as JSON text."""
    ET.register_namespace("", GRAPHML_NS)
    q = f"{{{GRAPHML_NS}}}"
    root = ET.Element(q + "graphml", {f"{{{XSI_NS}}}schemaLocation":
                                      f"{GRAPHML_NS} {GRAPHML_NS}/1.0/graphml.xsd"})
    ids = element_ids(graph)
    scopes = {
        "graph": {k: "string" for k in GRAPH_ATTRIBUTES if k in graph.graph},
        "node": _attribute_kinds([d for _, d in graph.nodes(data=True)]),
        "edge": _attribute_kinds([d for *_, d in graph.edges(data=True)]),
    }
    keys: dict[tuple[str, str], str] = {}
    graphml_type = {"boolean": "boolean", "integer": "int"}
    for scope, kinds in scopes.items():
        for name, kind in kinds.items():
            keys[scope, name] = key_id = f"{scope[0]}_{name}"
            key = ET.SubElement(root, q + "key", {"id": key_id, "for": scope, "attr.name": name,
                                                  "attr.type": graphml_type.get(kind, "string")})
            if kind in ("strings", "json"):
                ET.SubElement(key, q + "desc").text = (
                    "JSON array of strings" if kind == "strings" else "JSON text (sorted keys)")
    g = ET.SubElement(root, q + "graph", {"id": "pathokg", "edgedefault": "directed"})

    def data(parent: ET.Element, scope: str, values: dict[str, Any]) -> None:
        for name, kind in scopes[scope].items():
            if name in values:
                ET.SubElement(parent, q + "data", {"key": keys[scope, name]}).text = _text(values[name], kind)

    data(g, "graph", graph.graph)
    for node, attrs in graph.nodes(data=True):
        data(ET.SubElement(g, q + "node", {"id": ids[node]}), "node", attrs)
    for n, (u, v, attrs) in enumerate(graph.edges(data=True)):
        data(ET.SubElement(g, q + "edge", {"id": f"e{n}", "source": ids[u], "target": ids[v]}), "edge", attrs)
    return _serialise(root)


def gexf_text(graph: nx.MultiDiGraph) -> str:
    """GEXF 1.3 (Gephi): ``liststring`` for lists of strings, records as JSON text, the release's
    version and date in ``<meta>``."""
    ET.register_namespace("", GEXF_NS)
    ET.register_namespace("xsi", XSI_NS)
    q = f"{{{GEXF_NS}}}"
    root = ET.Element(q + "gexf", {f"{{{XSI_NS}}}schemaLocation": f"{GEXF_NS} {GEXF_NS}/gexf.xsd",
                                   "version": "1.3"})
    meta_attrs = {"lastmodifieddate": graph.graph["release_date"]} if "release_date" in graph.graph else {}
    meta = ET.SubElement(root, q + "meta", meta_attrs)
    version = graph.graph.get("version")
    ET.SubElement(meta, q + "creator").text = f"pathokg {version}" if version else "pathokg"
    ET.SubElement(meta, q + "keywords").text = "pathology, knowledge graph, evidence"
    description = graph.graph.get("name", "pathokg concept graph")
    if version:
        info = graph.graph
        description += f", release {version} of {info.get('release_date', '')} ({info.get('version_iri', '')})"
    ET.SubElement(meta, q + "description").text = description
    g = ET.SubElement(root, q + "graph", {"defaultedgetype": "directed", "mode": "static"})
    gexf_type = {"boolean": "boolean", "integer": "integer", "strings": "liststring"}
    scopes = {"node": _attribute_kinds([d for _, d in graph.nodes(data=True)]),
              "edge": _attribute_kinds([d for *_, d in graph.edges(data=True)])}
    numbers: dict[tuple[str, str], str] = {}
    for scope, kinds in scopes.items():
        declared = ET.SubElement(g, q + "attributes", {"class": scope, "mode": "static"})
        for n, (name, kind) in enumerate(kinds.items()):
            numbers[scope, name] = str(n)
            ET.SubElement(declared, q + "attribute", {
                "id": str(n), "title": name + (" (JSON)" if kind == "json" else ""),
                "type": gexf_type.get(kind, "string")})

    def values(parent: ET.Element, scope: str, attrs: dict[str, Any]) -> None:
        holder = ET.SubElement(parent, q + "attvalues")
        for name, kind in scopes[scope].items():
            if name in attrs:
                ET.SubElement(holder, q + "attvalue", {"for": numbers[scope, name],
                                                       "value": _text(attrs[name], kind)})

    ids = element_ids(graph)
    nodes = ET.SubElement(g, q + "nodes", {"count": str(graph.number_of_nodes())})
    for node, attrs in graph.nodes(data=True):
        values(ET.SubElement(nodes, q + "node", {"id": ids[node], "label": attrs.get("label", node)}),
               "node", attrs)
    edges = ET.SubElement(g, q + "edges", {"count": str(graph.number_of_edges())})
    for n, (u, v, key, attrs) in enumerate(graph.edges(keys=True, data=True)):
        values(ET.SubElement(edges, q + "edge", {"id": f"e{n}", "source": ids[u], "target": ids[v],
                                                 "label": attrs.get("label", key), "kind": key}),
               "edge", attrs)
    return _serialise(root)


def _decode(value: str, kind: str) -> Any:
    if kind == "boolean":
        return value == "true"
    if kind == "integer":
        return int(value)
    if kind in ("strings", "json"):
        return json.loads(value)
    return value


def _rebuild(graph_attrs: dict[str, Any], nodes: list[tuple[str, dict[str, Any]]],
             edges: list[tuple[str, str, dict[str, Any]]]) -> nx.MultiDiGraph:
    """A projection-shaped graph from file elements: nodes keyed by their ``iri``, edges by the
    CURIE of their ``relation``."""
    g = nx.MultiDiGraph()
    g.graph.update(graph_attrs)
    iri = {eid: attrs.get("iri", eid) for eid, attrs in nodes}
    for eid, attrs in nodes:
        g.add_node(iri[eid], **attrs)
    for u, v, attrs in edges:
        g.add_edge(iri[u], iri[v], key=shorten(attrs["relation"]), **attrs)
    return g


def read_graphml(path: Path) -> nx.MultiDiGraph:
    """Read a pathokg GraphML file back into the projected graph (JSON attributes decoded)."""
    q = f"{{{GRAPHML_NS}}}"
    root = ET.parse(path).getroot()
    keys = {}
    for key in root.iter(q + "key"):
        desc = key.findtext(q + "desc") or ""
        kind = {"boolean": "boolean", "int": "integer"}.get(key.get("attr.type", ""), "string")
        if desc.startswith("JSON"):
            kind = "json"
        keys[key.get("id")] = (key.get("attr.name"), kind)

    def attrs(element: ET.Element) -> dict[str, Any]:
        out = {}
        for d in element.findall(q + "data"):
            name, kind = keys[d.get("key")]
            out[name] = _decode(d.text or "", kind)
        return out

    graph = root.find(q + "graph")
    assert graph is not None
    return _rebuild(attrs(graph), [(n.get("id", ""), attrs(n)) for n in graph.findall(q + "node")],
                    [(e.get("source", ""), e.get("target", ""), attrs(e)) for e in graph.findall(q + "edge")])


def read_gexf(path: Path) -> nx.MultiDiGraph:
    """Read a pathokg GEXF 1.3 file back into the projected graph."""
    q = f"{{{GEXF_NS}}}"
    root = ET.parse(path).getroot()
    graph = root.find(q + "graph")
    assert graph is not None
    declared: dict[tuple[str, str], tuple[str, str]] = {}
    for block in graph.findall(q + "attributes"):
        for a in block.findall(q + "attribute"):
            title = a.get("title", "")
            kind = {"boolean": "boolean", "integer": "integer",
                    "liststring": "strings"}.get(a.get("type", ""), "string")
            if title.endswith(" (JSON)"):
                title, kind = title[: -len(" (JSON)")], "json"
            declared[block.get("class", ""), a.get("id", "")] = (title, kind)

    def attrs(element: ET.Element, scope: str) -> dict[str, Any]:
        out = {}
        for value in element.iter(q + "attvalue"):
            name, kind = declared[scope, value.get("for", "")]
            out[name] = _decode(value.get("value", ""), kind)
        return out

    meta = root.find(q + "meta")
    date = meta.get("lastmodifieddate") if meta is not None else None
    graph_attrs = {"release_date": date} if date else {}
    nodes = [(n.get("id", ""), attrs(n, "node")) for n in graph.iter(q + "node")]
    edges = [(e.get("source", ""), e.get("target", ""), attrs(e, "edge")) for e in graph.iter(q + "edge")]
    return _rebuild(graph_attrs, nodes, edges)


def cyjs_data(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """The Cytoscape.js ``elements`` JSON (also imported by Cytoscape desktop as .cyjs)."""
    ids = element_ids(graph)
    nodes = [{"data": {**data, "id": ids[node], "name": data.get("label", node)}}
             for node, data in graph.nodes(data=True)]
    edges = [{"data": {**data, "id": edge_id(ids, u, key, v), "source": ids[u], "target": ids[v],
                       "interaction": data.get("label", key)}}
             for u, v, key, data in graph.edges(keys=True, data=True)]
    info = {k: graph.graph[k] for k in GRAPH_ATTRIBUTES if k in graph.graph}
    return {
        "format_version": "1.0",
        "generated_by": f"pathokg {graph.graph['version']}" if "version" in graph.graph else "pathokg",
        "target_cytoscapejs_version": "~3.2",
        "data": {"name": "pathokg concept graph", **info},
        "elements": {"nodes": nodes, "edges": edges},
    }


def cyjs_text(graph: nx.MultiDiGraph) -> str:
    """Cytoscape.js JSON text, keys sorted, one element per block."""
    return json.dumps(cyjs_data(graph), indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def read_cyjs(path: Path) -> nx.MultiDiGraph:
    """Read a .cyjs file written by pathokg back into the projected graph."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    nodes = []
    for node in data["elements"]["nodes"]:
        attrs = dict(node["data"])
        eid = attrs.pop("id")
        attrs.pop("name", None)
        nodes.append((eid, attrs))
    edges = []
    for edge in data["elements"]["edges"]:
        attrs = {k: v for k, v in edge["data"].items() if k not in {"id", "interaction", "source", "target"}}
        edges.append((edge["data"]["source"], edge["data"]["target"], attrs))
    return _rebuild(dict(data.get("data", {})), nodes, edges)
