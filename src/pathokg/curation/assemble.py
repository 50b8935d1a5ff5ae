"""Turn the ontology and the curated sources into one RDF graph with evidence on every relation:
the articles, their concepts (labels, synonyms by scope, definitions), their statements
(:mod:`.evidence` has the evidence model), the verified mappings, the release's version and date
(:mod:`.version`) and the OBO-convention annotations next to the SKOS ones (:mod:`.obo`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from ..errors import SourceError, SourceProblem
from ..paths import NO_TERM_FILE, ONTOLOGY_FILE, SOURCES_DIR, XREFS_FILE
from ..rdf.store import new_graph, read_project_turtle
from ..vocab import (
    MATCH_PROPERTIES,
    OBOINOWL,
    ONTOLOGY_IRI,
    PAV,
    PKO,
    SCHEMA,
    SCHEME_IRI,
    SOURCE,
    concept,
    xref_iri,
)
from .evidence import add_statements, annotated
from .model import Article, Concept
from .obo import add_obo_annotations
from .sources import read_sources
from .version import ReleaseInfo, release_info
from .xrefs import NoTermRow, XrefRow, read_no_term_table, read_table, rows_for


@dataclass
class Assembly:
    """The assembled graph (ontology and knowledge, as asserted) and what went into it."""

    graph: Graph
    articles: list[Article]
    xref_rows: list[tuple[Concept, XrefRow]]
    release: ReleaseInfo
    #: the concepts checked without a standard term, with the match type none was found for
    no_term_rows: list[tuple[Concept, NoTermRow]] = field(default_factory=list)


def load_ontology(path: Path = ONTOLOGY_FILE) -> Graph:
    """Parse the hand-edited ontology against the base IRI."""
    return read_project_turtle(path, "ontology")


def ontology_terms(ontology: Graph) -> tuple[set[str], set[str]]:
    """Return the category names (classes below pko:Concept) and relation names of the ontology."""
    categories: set[str] = set()
    frontier = [PKO.Concept]
    while frontier:
        cls = frontier.pop()
        for sub in ontology.subjects(RDFS.subClassOf, cls):
            if isinstance(sub, URIRef) and str(sub).startswith(str(PKO)) and sub not in frontier:
                categories.add(str(sub)[len(str(PKO)):])
                frontier.append(sub)
    predicates = {
        str(p)[len(str(PKO)):]
        for p in ontology.subjects(RDF.type, OWL.ObjectProperty)
        if str(p).startswith(str(PKO))
    }
    return categories, predicates


def relation_labels(ontology: Graph) -> dict[str, str]:
    """Relation name (``isRiskFactorFor``) -> its English label (``is a risk factor for``)."""
    return {str(p)[len(str(PKO)):]: str(label)
            for p in ontology.subjects(RDF.type, OWL.ObjectProperty) if str(p).startswith(str(PKO))
            for label in ontology.objects(p, RDFS.label)}


def source_files(sources_dir: Path = SOURCES_DIR) -> list[Path]:
    """The curated source files of a folder, in name order."""
    return sorted(sources_dir.glob("*.yaml"))


def _add_article(g: Graph, a: Article) -> URIRef:
    src = SOURCE[a.id]
    m = a.meta
    g.add((src, RDF.type, PKO.SourceArticle))
    g.add((src, RDF.type, OWL.NamedIndividual))
    g.add((src, DCTERMS.title, Literal(m["title"], lang="en")))
    if m.get("subtitle"):
        g.add((src, DCTERMS.alternative, Literal(m["subtitle"], lang="en")))
    g.add((src, DCTERMS.publisher, Literal(m["publisher"])))
    reviewer = m["reviewer"] + (f" ({m['reviewer_specialty']})" if m.get("reviewer_specialty") else "")
    g.add((src, SCHEMA.reviewedBy, Literal(reviewer)))
    g.add((src, DCTERMS.issued, Literal(str(m["published"]), datatype=XSD.date)))
    if m.get("reviewed"):
        g.add((src, SCHEMA.lastReviewed, Literal(str(m["reviewed"]), datatype=XSD.date)))
    # the address and retrieval date only where the provenance gives them: never made up
    if m.get("url"):
        g.add((src, SCHEMA.url, Literal(m["url"], datatype=XSD.anyURI)))
    if m.get("retrieved"):
        g.add((src, PAV.retrievedOn, Literal(str(m["retrieved"]), datatype=XSD.date)))
    g.add((src, DCTERMS.language, Literal(m["language"])))
    g.add((src, DCTERMS.provenance, Literal(" ".join(str(m["provenance"]).split()), lang="en")))
    g.add((src, PKO.sourceText, Literal(f"sources/{a.text_file.name}")))
    return src


def _add_concept(g: Graph, c: Concept, src: URIRef) -> None:
    node = concept(c.id)
    if (node, RDF.type, PKO[c.category]) not in g:
        g.add((node, RDF.type, PKO[c.category]))
        g.add((node, RDF.type, SKOS.Concept))
        g.add((node, RDF.type, OWL.NamedIndividual))
        g.add((node, SKOS.prefLabel, Literal(c.label, lang="en")))
        g.add((node, RDFS.label, Literal(c.label, lang="en")))
        g.add((node, SKOS.definition, Literal(c.definition, lang="en")))
        g.add((node, SKOS.inScheme, SCHEME_IRI))
    for syn in c.synonyms:
        g.add((node, SKOS.altLabel, Literal(syn, lang="en")))
    for abbr in c.abbreviations:
        g.add((node, PKO.abbreviation, Literal(abbr, lang="en")))
        g.add((node, SKOS.altLabel, Literal(abbr, lang="en")))
    for prop, names in ((OBOINOWL.hasRelatedSynonym, c.related_synonyms),
                        (OBOINOWL.hasBroadSynonym, c.broad_synonyms),
                        (OBOINOWL.hasNarrowSynonym, c.narrow_synonyms)):
        for name in names:
            g.add((node, prop, Literal(name, lang="en")))
    if c.note:
        g.add((node, SKOS.note, Literal(" ".join(str(c.note).split()), lang="en")))
    g.add((node, DCTERMS.source, src))


def _add_mapping(g: Graph, c: Concept, row: XrefRow) -> None:
    axiom = annotated(g, concept(c.id), MATCH_PROPERTIES[row.match_type], xref_iri(row.curie))
    g.add((axiom, PKO.labelInSource, Literal(row.label_in_source)))
    g.add((axiom, PKO.mappingSource, Literal(row.evidence)))


def resolve_xrefs(articles: list[Article], table: list[XrefRow], table_file: Path) -> list[tuple[Concept, XrefRow]]:
    """Match each concept's ``xrefs`` to rows of the verified table.

    :raises SourceError: naming the concept and line for a name or CURIE not in the table.
    """
    problems: list[SourceProblem] = []
    pairs: list[tuple[Concept, XrefRow]] = []
    names = {r.concept for r in table}
    for a in articles:
        for c in a.concepts:
            if c.xref_concept is None:
                continue
            if c.xref_concept not in names:
                problems.append(SourceProblem(
                    c.file, c.line, f"concept {c.id!r}",
                    f"xrefs concept {c.xref_concept!r} is not in the verified table {table_file}",
                    "copy its rows from ../shared/xrefs/verified-xrefs.tsv with scripts/sync_xrefs.py; "
                    "an identifier that is not verified must not be used"))
                continue
            rows = rows_for(table, c.xref_concept, c.xref_only)
            for curie in c.xref_only or []:
                if not any(r.curie == curie for r in rows):
                    problems.append(SourceProblem(
                        c.file, c.line, f"concept {c.id!r}",
                        f"identifier {curie} is not in the verified table for {c.xref_concept!r}",
                        "use only identifiers of verified-xrefs.tsv; never type one from memory"))
            pairs.extend((c, r) for r in rows)
    if problems:
        raise SourceError(problems)
    seen: set[tuple[str, str]] = set()
    unique = []
    for c, r in pairs:
        if (c.id, r.curie) not in seen:
            seen.add((c.id, r.curie))
            unique.append((c, r))
    return unique


def resolve_no_terms(articles: list[Article], table: list[NoTermRow], mappings: list[tuple[Concept, XrefRow]],
                     table_file: Path, known_names: set[str]) -> list[tuple[Concept, NoTermRow]]:
    """Match the concepts' ``xrefs`` names to rows of the no-term table (rows of concepts the
    sources do not have are unused, as in the verified table).

    :raises SourceError: a row's concept is neither a concept name of the verified table nor a
        concept's ``xrefs`` name (a typo), or the row says no term of a match type was found for a
        concept that has a mapping of that type.
    """
    problems: list[SourceProblem] = []
    pairs: list[tuple[Concept, NoTermRow]] = []
    concepts = [c for a in articles for c in a.concepts if c.xref_concept is not None]
    mapped: dict[tuple[str, str], list[str]] = {}
    for c, r in mappings:
        mapped.setdefault((c.id, r.match_type), []).append(r.curie)
    for row in table:
        named = [c for c in concepts if c.xref_concept == row.concept]
        if not named and row.concept not in known_names:
            problems.append(SourceProblem(
                str(table_file), row.line, row.concept,
                "is neither a concept of the verified table nor a curated concept's xrefs name",
                "remove the row, or give the concept xrefs: " + row.concept))
        for c in named:
            curies = mapped.get((c.id, row.match_type))
            if curies:
                problems.append(SourceProblem(
                    str(table_file), row.line, row.concept,
                    f"says no {row.match_type} term exists, but concept {c.id!r} has the "
                    f"{row.match_type} match {', '.join(sorted(curies))}",
                    "one of the two tables is wrong: keep one"))
            else:
                pairs.append((c, row))
    if problems:
        raise SourceError(problems)
    return sorted(pairs, key=lambda cr: (cr[0].id, cr[1].match_type))


def _add_no_term(g: Graph, c: Concept, row: NoTermRow) -> None:
    axiom = annotated(g, concept(c.id), PKO.noTermFound, MATCH_PROPERTIES[row.match_type])
    g.add((axiom, RDFS.comment, Literal(row.note, lang="en")))
    g.add((axiom, PKO.mappingSource, Literal(row.evidence)))


def _add_release(g: Graph, info: ReleaseInfo) -> None:
    """The ontology's version (ODK style: a version IRI with the release date) and date."""
    g.add((ONTOLOGY_IRI, OWL.versionIRI, info.version_iri))
    g.add((ONTOLOGY_IRI, OWL.versionInfo, Literal(info.version)))
    g.add((ONTOLOGY_IRI, DCTERMS.issued, Literal(info.date, datatype=XSD.date)))


def assemble(source_paths: list[Path] | None = None, *, ontology_file: Path = ONTOLOGY_FILE,
             xrefs_file: Path = XREFS_FILE, no_term_file: Path = NO_TERM_FILE,
             release: ReleaseInfo | None = None) -> Assembly:
    """Read the ontology and the sources and return the asserted graph.

    :param source_paths: the YAML files (default: every file in ``graph/sources``).
    :param release: the version and date to stamp (default: :func:`.version.release_info`).
    :raises SourceError: for any problem in the inputs, each with its file, line and item.
    :raises ReleaseError: the release cannot be dated (see :mod:`.version`).
    """
    info = release if release is not None else release_info()
    ontology = load_ontology(ontology_file)
    categories, predicates = ontology_terms(ontology)
    paths = source_paths if source_paths is not None else source_files()
    if not paths:
        raise SourceError([SourceProblem(str(SOURCES_DIR), None, "sources", "no source files (*.yaml) found")])
    articles = read_sources(list(paths), categories=categories, predicates=predicates)
    table = read_table(xrefs_file)
    xref_pairs = resolve_xrefs(articles, table, xrefs_file)
    no_terms = resolve_no_terms(articles, read_no_term_table(no_term_file), xref_pairs, no_term_file,
                                {r.concept for r in table})

    g = new_graph()
    g += ontology
    g.add((SCHEME_IRI, RDF.type, SKOS.ConceptScheme))
    g.add((SCHEME_IRI, RDF.type, OWL.NamedIndividual))
    g.add((SCHEME_IRI, SKOS.prefLabel, Literal("pathokg concepts", lang="en")))
    sources = {}
    for a in articles:
        src = sources[a.id] = _add_article(g, a)
        g.add((ONTOLOGY_IRI, DCTERMS.source, src))
        for c in a.concepts:
            _add_concept(g, c, src)
    add_statements(g, [r for a in articles for r in a.relations],
                   [c for a in articles for c in a.caveats], sources)
    for c, row in xref_pairs:
        _add_mapping(g, c, row)
    for c, no_term in no_terms:
        _add_no_term(g, c, no_term)
    _add_release(g, info)
    add_obo_annotations(g)
    return Assembly(g, articles, xref_pairs, info, no_terms)
