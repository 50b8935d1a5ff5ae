"""A deterministic RDF/XML writer: one ``rdf:Description`` per subject, subjects and properties sorted.

rdflib's RDF/XML serialisers follow the store's hash order, so their output changes between runs;
this writer makes ``pathokg.owl`` byte-identical for the same graph (with canonical blank nodes).
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF

_NAME_START = re.compile(r"[A-Za-z_][\w.-]*$")


def _split(iri: str) -> tuple[str, str]:
    """Split a predicate IRI into namespace and an XML local name."""
    for i in range(len(iri) - 1, -1, -1):
        if iri[i] in "#/:" and _NAME_START.match(iri[i + 1:]):
            return iri[: i + 1], iri[i + 1:]
    raise ValueError(f"predicate {iri} cannot be written as an XML element name")


def _node_attr(node: URIRef | BNode, about: bool) -> str:
    if isinstance(node, BNode):
        return f"rdf:nodeID={quoteattr(str(node))}"
    return f"{'rdf:about' if about else 'rdf:resource'}={quoteattr(str(node))}"


def serialize_rdfxml(graph: Graph, prefixes: dict[str, str]) -> str:
    """Write the graph as RDF/XML, sorted, using the given prefixes for element names."""
    namespaces = {str(RDF): "rdf", **{ns: p for p, ns in prefixes.items() if p != "rdf"}}
    extra = 0
    for p in sorted({str(p) for p in graph.predicates()}):
        ns, _ = _split(p)
        if ns not in namespaces:
            extra += 1
            namespaces[ns] = f"ns{extra}"
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<rdf:RDF"]
    lines += [f"   xmlns:{p}={quoteattr(ns)}" for ns, p in sorted(namespaces.items(), key=lambda kv: kv[1])]
    lines[-1] += ">"
    for subject in sorted(set(graph.subjects()), key=lambda n: (isinstance(n, BNode), str(n))):
        lines.append(f"  <rdf:Description {_node_attr(subject, True)}>")
        for p, o in sorted(graph.predicate_objects(subject), key=lambda po: (str(po[0]), po[1].n3())):
            ns, local = _split(str(p))
            tag = f"{namespaces[ns]}:{local}"
            if isinstance(o, Literal):
                attrs = ""
                if o.language:
                    attrs = f" xml:lang={quoteattr(o.language)}"
                elif o.datatype:
                    attrs = f" rdf:datatype={quoteattr(str(o.datatype))}"
                lines.append(f"    <{tag}{attrs}>{escape(str(o))}</{tag}>")
            else:
                lines.append(f"    <{tag} {_node_attr(o, False)}/>")
        lines.append("  </rdf:Description>")
    lines.append("</rdf:RDF>")
    return "\n".join(lines) + "\n"
