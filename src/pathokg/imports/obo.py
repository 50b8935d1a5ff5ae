"""An OBO file as OWL: fastobo parses it, and each clause becomes the triples of the OBO 1.4
mapping to OWL (the one ROBOT and the OWL API implement), so that an import says what the file
says and nothing else.

fastobo (a maintained Rust parser) does the reading; the mapping of clauses to triples is here
because no maintained Python package writes OBO as OWL in RDF (fastobo-owl is Rust only, pronto
writes OBO and OBO-JSON). A clause this mapping does not know is an error, never dropped.

>>> doc = read_obo_text('format-version: 1.2\\nontology: hp\\n\\n[Term]\\nid: HP:0000002\\n'
...                     'name: Abnormality of body height\\nis_a: HP:0000001\\n')
>>> sorted(t.predicate.value.rsplit("#", 1)[-1] for t in doc.term_triples("HP:0000002"))
['hasOBONamespace', 'id', 'label', 'subClassOf', 'type']
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import fastobo
import pyoxigraph as ox

from ..errors import SourceError, SourceProblem
from ..vocab import OBO, OBOINOWL

_OWL = "http://www.w3.org/2002/07/owl#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_OIO = str(OBOINOWL)

A = ox.NamedNode(_RDF + "type")
OWL_CLASS = ox.NamedNode(_OWL + "Class")
OWL_AXIOM = ox.NamedNode(_OWL + "Axiom")
ANNOTATED_SOURCE = ox.NamedNode(_OWL + "annotatedSource")
ANNOTATED_PROPERTY = ox.NamedNode(_OWL + "annotatedProperty")
ANNOTATED_TARGET = ox.NamedNode(_OWL + "annotatedTarget")
LABEL = ox.NamedNode(_RDFS + "label")
COMMENT = ox.NamedNode(_RDFS + "comment")
SUBCLASS_OF = ox.NamedNode(_RDFS + "subClassOf")
SUBPROPERTY_OF = ox.NamedNode(_RDFS + "subPropertyOf")
ANNOTATION_PROPERTY = ox.NamedNode(_OWL + "AnnotationProperty")
DEPRECATED = ox.NamedNode(_OWL + "deprecated")
DEFINITION = ox.NamedNode(str(OBO) + "IAO_0000115")
REPLACED_BY = ox.NamedNode(str(OBO) + "IAO_0100001")
HAS_DBXREF = ox.NamedNode(_OIO + "hasDbXref")
HAS_SYNONYM_TYPE = ox.NamedNode(_OIO + "hasSynonymType")
OBO_ID = ox.NamedNode(_OIO + "id")
HAS_NAMESPACE = ox.NamedNode(_OIO + "hasOBONamespace")
SYNONYM_PROPERTIES = {scope: ox.NamedNode(_OIO + f"has{scope.title()}Synonym")
                      for scope in ("EXACT", "BROAD", "NARROW", "RELATED")}
SYNONYM_TYPE_PROPERTY = ox.NamedNode(_OIO + "SynonymTypeProperty")
SUBSET_PROPERTY = ox.NamedNode(_OIO + "SubsetProperty")
#: OBO tags whose value is an identifier written as a string in OWL (oboInOwl properties).
_STRING_ID_TAGS = {"AltIdClause": "hasAlternativeId", "ConsiderClause": "consider"}
#: Prefixes the OWL mapping always knows (besides the file's own ``idspace`` lines).
_BUILTIN_IDSPACES = {"owl": _OWL, "rdf": _RDF, "rdfs": _RDFS, "xsd": _XSD, "oboInOwl": _OIO}


def _literal(value: str, datatype: str | None = None) -> ox.Literal:
    if datatype in (None, "xsd:string", _XSD + "string"):
        return ox.Literal(value)
    return ox.Literal(value, datatype=ox.NamedNode(datatype))


def axiom_node(*parts: str) -> ox.BlankNode:
    """The blank node of an annotated axiom, labelled by a hash of what it annotates (stable)."""
    return ox.BlankNode("ax" + hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:16])


@dataclass
class OboDocument:
    """A parsed OBO file: its header, its term frames by id (in file order) and what the import
    selection needs (parents and names)."""

    path: str
    header: fastobo.header.HeaderFrame
    terms: dict[str, fastobo.term.TermFrame]
    parents: dict[str, tuple[str, ...]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    obsolete: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        clauses = {type(c).__name__: c for c in self.header}
        ontology = str(clauses["OntologyClause"].ontology) if "OntologyClause" in clauses else "obo"
        #: the ontology's short id (``hp``): the base of its unprefixed identifiers
        self.ontology_id = ontology.removesuffix(".obo").removesuffix(".owl")
        self.idspaces = dict(_BUILTIN_IDSPACES)
        self.namespace = "default"
        self.data_version = ""
        for c in self.header:
            name = type(c).__name__
            if name == "IdspaceClause":
                self.idspaces[str(c.prefix)] = str(c.url)
            elif name == "DefaultNamespaceClause":
                self.namespace = str(c.namespace)
            elif name == "DataVersionClause":
                self.data_version = str(c.version)
        obsolete = set()
        for tid, frame in self.terms.items():
            self.parents[tid] = tuple(str(c.term) for c in frame if isinstance(c, fastobo.term.IsAClause))
            for c in frame:
                if isinstance(c, fastobo.term.NameClause):
                    self.names[tid] = str(c.name)
                elif isinstance(c, fastobo.term.IsObsoleteClause) and c.obsolete:
                    obsolete.add(tid)
        self.obsolete = frozenset(obsolete)

    # -- identifiers -------------------------------------------------------------------------

    def iri(self, ident: object) -> ox.NamedNode:
        """The IRI of an OBO identifier: a URL as it is, ``PREFIX:local`` through the file's
        ``idspace`` or as an OBO PURL (``HP:0000001`` -> ``.../obo/HP_0000001``), an unprefixed
        id below the ontology (``layperson`` -> ``.../obo/hp#layperson``)."""
        text = str(ident)
        if isinstance(ident, fastobo.id.Url):
            return ox.NamedNode(text)
        prefix, sep, local = text.partition(":")
        if not sep:
            return ox.NamedNode(f"{OBO}{self.ontology_id}#{text}")
        if prefix in self.idspaces:
            return ox.NamedNode(self.idspaces[prefix] + local)
        return ox.NamedNode(f"{OBO}{prefix}_{local}")

    def property_iri(self, ident: object) -> ox.NamedNode:
        """The IRI of a relation in a ``property_value`` or a qualifier key (``xref`` is
        oboInOwl:hasDbXref, as the OBO tag is)."""
        return HAS_DBXREF if str(ident) == "xref" else self.iri(ident)

    # -- triples -----------------------------------------------------------------------------

    def _annotated(self, s: ox.NamedNode, p: ox.NamedNode, o: ox.Literal | ox.NamedNode,
                   annotations: list[tuple[ox.NamedNode, ox.Literal | ox.NamedNode]],
                   out: list[ox.Triple], axioms: list[ox.Triple]) -> None:
        out.append(ox.Triple(s, p, o))
        if annotations:
            node = axiom_node(s.value, p.value, str(o))
            axioms += [ox.Triple(node, A, OWL_AXIOM), ox.Triple(node, ANNOTATED_SOURCE, s),
                       ox.Triple(node, ANNOTATED_PROPERTY, p), ox.Triple(node, ANNOTATED_TARGET, o)]
            axioms += [ox.Triple(node, ap, av) for ap, av in annotations]

    def _qualifiers(self, clause: object) -> list[tuple[ox.NamedNode, ox.Literal | ox.NamedNode]]:
        return [(self.property_iri(q.key), ox.Literal(str(q.value)))
                for q in (getattr(clause, "qualifiers", None) or [])]

    def _xrefs(self, xrefs: object) -> list[tuple[ox.NamedNode, ox.Literal | ox.NamedNode]]:
        return [(HAS_DBXREF, ox.Literal(str(x.id))) for x in xrefs]

    def _value(self, pv: object) -> ox.Literal | ox.NamedNode:
        if isinstance(pv, fastobo.pv.LiteralPropertyValue):
            return _literal(str(pv.value), str(pv.datatype))
        return self.iri(pv.value)

    def term_triples(self, tid: str) -> Iterator[ox.Triple]:
        """The OWL triples of one term: its class, then the axiom annotations.

        :raises SourceError: the term has a clause the mapping does not know.
        """
        frame = self.terms[tid]
        s = self.iri(frame.id)
        out = [ox.Triple(s, A, OWL_CLASS)]
        axioms: list[ox.Triple] = []
        namespace = self.namespace
        for c in frame:
            kind = type(c).__name__
            quals = self._qualifiers(c)
            if kind == "NameClause":
                self._annotated(s, LABEL, ox.Literal(str(c.name)), quals, out, axioms)
            elif kind == "DefClause":
                self._annotated(s, DEFINITION, ox.Literal(str(c.definition)),
                                self._xrefs(c.xrefs) + quals, out, axioms)
            elif kind == "CommentClause":
                self._annotated(s, COMMENT, ox.Literal(str(c.comment)), quals, out, axioms)
            elif kind == "SynonymClause":
                syn = c.synonym
                notes = ([(HAS_SYNONYM_TYPE, self.iri(syn.type))] if syn.type is not None else [])
                self._annotated(s, SYNONYM_PROPERTIES[str(syn.scope)], ox.Literal(str(syn.desc)),
                                notes + self._xrefs(syn.xrefs) + quals, out, axioms)
            elif kind == "XrefClause":
                notes = [(LABEL, ox.Literal(str(c.xref.desc)))] if c.xref.desc else []
                self._annotated(s, HAS_DBXREF, ox.Literal(str(c.xref.id)), notes + quals, out, axioms)
            elif kind == "IsAClause":
                self._annotated(s, SUBCLASS_OF, self.iri(c.term), quals, out, axioms)
            elif kind in _STRING_ID_TAGS:
                value = c.alt_id if kind == "AltIdClause" else c.term
                self._annotated(s, ox.NamedNode(_OIO + _STRING_ID_TAGS[kind]), ox.Literal(str(value)),
                                quals, out, axioms)
            elif kind == "SubsetClause":
                self._annotated(s, ox.NamedNode(_OIO + "inSubset"), self.iri(c.subset), quals, out, axioms)
            elif kind == "IsObsoleteClause":
                if c.obsolete:
                    self._annotated(s, DEPRECATED, ox.Literal("true", datatype=ox.NamedNode(_XSD + "boolean")),
                                    quals, out, axioms)
            elif kind == "ReplacedByClause":
                self._annotated(s, REPLACED_BY, self.iri(c.term), quals, out, axioms)
            elif kind == "CreationDateClause":
                self._annotated(s, ox.NamedNode(_OIO + "creation_date"), ox.Literal(c.raw_value()),
                                quals, out, axioms)
            elif kind == "CreatedByClause":
                self._annotated(s, ox.NamedNode(_OIO + "created_by"), ox.Literal(str(c.creator)),
                                quals, out, axioms)
            elif kind == "PropertyValueClause":
                pv = c.property_value
                self._annotated(s, self.property_iri(pv.relation), self._value(pv), quals, out, axioms)
            elif kind == "NamespaceClause":
                namespace = str(c.namespace)
            else:
                raise SourceError([SourceProblem(self.path, None, tid,
                                                 f"the clause {str(c)[:80]!r} ({kind}) has no OWL "
                                                 "mapping in pathokg; the import would drop it")])
        out.insert(1, ox.Triple(s, OBO_ID, ox.Literal(tid)))
        out.insert(2, ox.Triple(s, HAS_NAMESPACE, ox.Literal(namespace)))
        yield from out
        yield from axioms

    def synonym_type_triples(self) -> Iterator[ox.Triple]:
        """The synonym types and subsets the header defines, as annotation properties."""
        for c in self.header:
            kind = type(c).__name__
            if kind == "SynonymTypedefClause":
                node = self.iri(c.typedef)
                yield ox.Triple(node, A, ANNOTATION_PROPERTY)
                yield ox.Triple(node, LABEL, ox.Literal(str(c.description)))
                yield ox.Triple(node, SUBPROPERTY_OF, SYNONYM_TYPE_PROPERTY)
            elif kind == "SubsetdefClause":
                node = self.iri(c.subset)
                yield ox.Triple(node, A, ANNOTATION_PROPERTY)
                yield ox.Triple(node, COMMENT, ox.Literal(str(c.description)))
                yield ox.Triple(node, SUBPROPERTY_OF, SUBSET_PROPERTY)

    def header_values(self) -> list[tuple[ox.NamedNode, ox.Literal | ox.NamedNode]]:
        """The header's ``property_value`` lines (title, creators, licence, version, ...)."""
        return [(self.property_iri(c.property_value.relation), self._value(c.property_value))
                for c in self.header if type(c).__name__ == "PropertyValueClause"]

    def header_value(self, relation_iri: str) -> str | None:
        """The first header value of one relation (e.g. ``owl:versionInfo``), as text."""
        return next((v.value for p, v in self.header_values() if p.value == relation_iri), None)


def _document(doc: fastobo.doc.OboDoc, path: str) -> OboDocument:
    terms = {str(f.id): f for f in doc if isinstance(f, fastobo.term.TermFrame)}
    return OboDocument(path, doc.header, terms)


def read_obo(path: Path) -> OboDocument:
    """Parse an OBO file with fastobo.

    :raises SourceError: the file cannot be read or does not parse.
    """
    try:
        return _document(fastobo.load(str(path)), str(path))
    except (OSError, SyntaxError, ValueError) as exc:
        raise SourceError([SourceProblem(str(path), None, "OBO file", f"cannot be parsed: {exc}")]) from None


def read_obo_text(text: str) -> OboDocument:
    """Parse OBO from a string (for tests and examples)."""
    return _document(fastobo.loads(text), "<text>")
