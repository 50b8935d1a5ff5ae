"""GraphML, GEXF and Cytoscape.js JSON serialisations of the concept graph.

GraphML and GEXF attributes must be scalars, so :func:`flatten` turns every list or dict attribute
(synonyms, xrefs, evidence) into a JSON string with sorted keys; booleans, integers and strings stay
typed. Cytoscape.js JSON keeps lists and objects as they are.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import networkx as nx

#: networkx's GEXF writer stamps today's date into <meta>; dropped (it is optional) for stable bytes.
_GEXF_DATE = re.compile(r' lastmodifieddate="[0-9-]+"')


def to_json(value: Any) -> str:
    """Deterministic JSON text (sorted keys, UTF-8 characters kept)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def flatten(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of the graph whose list and dict attributes are JSON strings (for GraphML and GEXF)."""

    def flat(data: dict[str, Any]) -> dict[str, Any]:
        return {k: to_json(v) if isinstance(v, list | dict | tuple) else v for k, v in data.items()}

    out = nx.MultiDiGraph()
    out.graph.update(flat(graph.graph))
    for node, data in graph.nodes(data=True):
        out.add_node(node, **flat(data))
    for u, v, key, data in graph.edges(keys=True, data=True):
        out.add_edge(u, v, key=key, **flat(data))
    return out


def numbered(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A flattened copy whose edges have file-unique ids ``e0, e1, ...`` and keep their key as the
    ``edge_key`` attribute (GraphML and GEXF want unique edge ids; relation CURIEs repeat)."""
    flat = flatten(graph)
    out = nx.MultiDiGraph()
    out.graph.update(flat.graph)
    out.add_nodes_from(flat.nodes(data=True))
    for n, (u, v, key, data) in enumerate(flat.edges(keys=True, data=True)):
        out.add_edge(u, v, key=f"e{n}", edge_key=key, **data)
    return out


def graphml_text(graph: nx.MultiDiGraph) -> str:
    """GraphML with typed keys (``attr.type`` string, boolean, long)."""
    return "\n".join(nx.generate_graphml(numbered(graph), prettyprint=True)) + "\n"


def gexf_text(graph: nx.MultiDiGraph) -> str:
    """GEXF 1.2 (Gephi) without the date stamp networkx adds."""
    g = numbered(graph)
    for _u, _v, eid, data in g.edges(keys=True, data=True):
        data["id"] = eid
    text = "\n".join(nx.generate_gexf(g, prettyprint=True, version="1.2draft")) + "\n"
    return _GEXF_DATE.sub("", text, count=1)


def rekey(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Undo :func:`numbered` on a graph read back from GraphML or GEXF: key edges by ``edge_key``."""
    out = nx.MultiDiGraph()
    out.graph.update(graph.graph)
    out.add_nodes_from(graph.nodes(data=True))
    for u, v, data in graph.edges(data=True):
        attrs = {k: val for k, val in data.items() if k not in {"edge_key", "id"}}
        out.add_edge(u, v, key=data["edge_key"], **attrs)
    return out


def read_graphml(path: Path) -> nx.MultiDiGraph:
    """Read a pathokg GraphML file back (attributes as written: lists are JSON strings)."""
    return rekey(nx.read_graphml(path, force_multigraph=True))


def read_gexf(path: Path) -> nx.MultiDiGraph:
    """Read a pathokg GEXF file back (attributes as written: lists are JSON strings)."""
    return rekey(nx.read_gexf(path))


def cyjs_data(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """The Cytoscape.js ``elements`` JSON (also imported by Cytoscape desktop as .cyjs)."""
    nodes = [{"data": {**data, "id": node, "name": data.get("label", node)}}
             for node, data in graph.nodes(data=True)]
    edges = []
    for u, v, key, data in graph.edges(keys=True, data=True):
        edges.append({"data": {**data, "id": f"{u}|{key}|{v}", "source": u, "target": v,
                               "key": key, "interaction": data.get("label", key)}})
    return {
        "format_version": "1.0",
        "generated_by": "pathokg",
        "target_cytoscapejs_version": "~3.2",
        "data": {"name": graph.graph.get("name", "pathokg concept graph")},
        "elements": {"nodes": nodes, "edges": edges},
    }


def cyjs_text(graph: nx.MultiDiGraph) -> str:
    """Cytoscape.js JSON text, keys sorted, one element per block."""
    return json.dumps(cyjs_data(graph), indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def read_cyjs(path: Path) -> nx.MultiDiGraph:
    """Read a .cyjs file written by pathokg back into a MultiDiGraph (keys are relation CURIEs)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    g = nx.MultiDiGraph()
    g.graph.update(data.get("data", {}))
    for node in data["elements"]["nodes"]:
        attrs = dict(node["data"])
        node_id = attrs.pop("id")
        attrs.pop("name", None)
        g.add_node(node_id, **attrs)
    for edge in data["elements"]["edges"]:
        attrs = dict(edge["data"])
        for name in ("id", "interaction"):
            attrs.pop(name, None)
        u, v, key = attrs.pop("source"), attrs.pop("target"), attrs.pop("key")
        g.add_edge(u, v, key=key, **attrs)
    return g
