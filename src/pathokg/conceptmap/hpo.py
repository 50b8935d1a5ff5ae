"""The map's HPO view: a concept inside the Human Phenotype Ontology, with HPO's content marked.

The view (``queries/map/view-hpo.rq``, ``#+ draws: hpo``) draws, for one concept, pathokg's
mappings of it to HPO phenotypes, HPO's subclass axioms from those phenotypes up to HPO's root,
and the diseases HPO annotates with them or with a phenotype below them
(``queries/map/hpo-diseases.rq``): the :data:`DISEASE_LIMIT` sharing the most of the concept's
phenotypes, each with the count; how many more there are is said in the view's subtitle, never
cut silently.

HPO's terms and diseases are nodes of their own categories (their own style and legend rows),
each carrying HPO's release (``HPO 2025-01-16``); HPO's edges are of kind
:data:`~.model.HPO_EDGE`, the mappings of kind :data:`~.model.MAPPING_EDGE`: neither is drawn as
the article's statement nor given a certainty. The model carries HPO's acknowledgement, which
the page and the SVG show.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from ..errors import QueryError
from ..paths import MAP_QUERIES
from ..querying.engine import ASSERTED_GRAPHS, Engine
from ..querying.files import QueryFile, read_query_file
from ..querying.params import bind_params
from ..querying.rows import Row, select
from ..querying.values import StoreNames, resolve_values
from ..vocab import (
    HPO_IMPORT,
    MAP_HPO_DISEASE,
    MAP_HPO_PHENOTYPE,
    OBO,
    OBOINOWL,
    OWL,
    PKO,
    RDFS,
    SKOS,
    shorten,
)
from .model import (
    HPO_EDGE,
    MAPPING_EDGE,
    Annotation,
    Category,
    Concept,
    Edge,
    Identifier,
    MapModel,
    RelationType,
)
from .source import run_for_map

#: At most this many diseases are drawn: those sharing the most of the concept's phenotypes.
DISEASE_LIMIT = 12
#: The relation by which the map links a disease to the matched phenotype it is annotated under.
ANNOTATED_WITH = str(PKO.annotatedPhenotype)
SUBCLASS_OF = str(RDFS.subClassOf)
MATCHES = {str(SKOS[m]): m.replace("Match", " match") for m in
           ("exactMatch", "closeMatch", "broadMatch", "narrowMatch")}


@dataclass(frozen=True)
class HpoRelease:
    """The HPO release a store holds: its version and the acknowledgement its licence asks for."""

    version: str
    acknowledgement: str

    @property
    def label(self) -> str:
        """``HPO 2025-01-16``: what every HPO node and edge of the map says it is from."""
        return f"HPO {self.version}"


def hpo_release(store: ox.Store) -> HpoRelease:
    """The HPO release of a store (the import module's version and acknowledgement).

    :raises QueryError: the release holds no HPO (built with ``--hpo none``).
    """
    def value(p: str) -> str | None:
        for g in ASSERTED_GRAPHS:
            for q in store.quads_for_pattern(ox.NamedNode(str(HPO_IMPORT)), ox.NamedNode(p), None, g):
                return q.object.value
        return None

    version = value(str(OWL.versionInfo))
    if version is None:
        raise QueryError("the HPO view needs HPO in the release: this one was built with "
                         "--hpo none (build with --hpo slim or --hpo full)")
    return HpoRelease(version, value(str(PKO.acknowledgement)) or "")


def _literal(store: ox.Store, iri: str, p: str) -> str:
    node, pred = ox.NamedNode(iri), ox.NamedNode(p)
    for g in ASSERTED_GRAPHS:
        for q in store.quads_for_pattern(node, pred, None, g):
            return q.object.value
    return ""


def _literals(store: ox.Store, iri: str, p: str) -> list[str]:
    node, pred = ox.NamedNode(iri), ox.NamedNode(p)
    return sorted({q.object.value for g in ASSERTED_GRAPHS for q in store.quads_for_pattern(node, pred, None, g)},
                  key=str.casefold)


def _term(store: ox.Store, iri: str, release: HpoRelease) -> Concept:
    """An HPO term as HPO gives it: label, definition, exact synonyms, its id."""
    label = _literal(store, iri, str(RDFS.label)) or shorten(iri)
    term_id = _literal(store, iri, str(OBOINOWL.id)) or shorten(iri)
    return Concept(iri, label, str(MAP_HPO_PHENOTYPE), _literal(store, iri, str(OBO.IAO_0000115)),
                   tuple(s for s in _literals(store, iri, str(OBOINOWL.hasExactSynonym)) if s != label),
                   (Identifier("HPO id", iri, term_id),), release.label)


def categories(release: HpoRelease) -> dict[str, Category]:
    """The two legend rows of HPO content."""
    return {
        str(MAP_HPO_PHENOTYPE): Category(
            str(MAP_HPO_PHENOTYPE), "HpoPhenotype", f"HPO phenotype ({release.label})",
            f"A term of the Human Phenotype Ontology, release {release.version}, as HPO gives it."),
        str(MAP_HPO_DISEASE): Category(
            str(MAP_HPO_DISEASE), "HpoDisease", f"disease annotated by HPO ({release.label})",
            f"A disease of HPO's annotation file phenotype.hpoa, release {release.version}."),
    }


def relation_types(release: HpoRelease) -> dict[str, RelationType]:
    """The relations of the HPO view: HPO's subclass axiom and annotation, pathokg's mappings."""
    rels = {
        SUBCLASS_OF: RelationType(SUBCLASS_OF, "is a subclass of (HPO)",
                                  f"HPO's hierarchy ({release.label}): not a statement of the article."),
        ANNOTATED_WITH: RelationType(
            ANNOTATED_WITH, "is annotated by HPO with (or below)",
            f"HPO's disease annotations ({release.label}): the disease has this phenotype or one "
            "below it, by HPO's evidence code and reference; not a statement of the article."),
    }
    for iri, name in MATCHES.items():
        rels[iri] = RelationType(iri, f"{name} (pathokg's mapping)",
                                 "pathokg's curated mapping to HPO (a verified cross-reference), "
                                 "not a statement of the article.")
    return rels


def hpo_view(full: MapModel, engine: Engine, query: QueryFile,
             params: dict[str, str] | None) -> tuple[MapModel, str, str]:
    """The model of the HPO view for the concept ``params`` name (default: the query's), the
    concept's IRI (the map's centre) and the subtitle, which says how many diseases are left out.

    :raises QueryError: the concept has no HPO match, or the release holds no HPO.
    """
    store = engine.store
    release = hpo_release(store)
    bound = bind_params(query, resolve_values(query, dict(params or {}), StoreNames(store)))
    centre = bound.values["concept"].value
    triples = run_for_map(engine, bound, inferred=False).triples
    mappings = sorted(t for t in triples if t[1] in MATCHES)
    concept = full.concepts.get(centre)
    name = concept.label if concept is not None else shorten(centre)
    if not mappings:
        mapped = sorted({c.label for c in full.concepts.values()
                         if any(i.curie.startswith("HP:") for i in c.identifiers)}, key=str.casefold)
        raise QueryError(f"{name} has no HPO match to draw; concepts mapped to HPO: {', '.join(mapped)}")
    nodes: dict[str, Concept] = {} if concept is None else {centre: concept}
    edges = [Edge(*t, kind=MAPPING_EDGE) for t in mappings]
    for s, p, o in sorted(triples):
        if p == SUBCLASS_OF:
            edges.append(Edge(s, p, o, kind=HPO_EDGE))
    for t in mappings:
        nodes.setdefault(t[2], _term(store, t[2], release))
    for e in edges:
        if e.predicate == SUBCLASS_OF:
            for iri in (e.subject, e.object):
                nodes.setdefault(iri, _term(store, iri, release))
    diseases, disease_edges, shown, total = _diseases(store, bound.values["concept"], release, nodes)
    nodes.update(diseases)
    edges += disease_edges
    model = MapModel(dict(sorted(nodes.items())), {**full.categories, **categories(release)},
                     {**full.relation_types, **relation_types(release)}, edges,
                     (release.acknowledgement,))
    matched = ", ".join(f"{nodes[t[2]].label} ({MATCHES[t[1]]})" for t in mappings)
    more = total - shown
    subtitle = (f"{name} in the Human Phenotype Ontology ({release.label}): its HPO matches "
                f"{matched}, their HPO parents up to HPO's root, and "
                + (f"the {shown} of {total} diseases HPO annotates with them or a phenotype below "
                   f"them that share the most of these phenotypes ({more} more not drawn; the named "
                   "query hpo-diseases-with-phenotype lists them all)." if more else
                   f"all {total} diseases HPO annotates with them or a phenotype below them."))
    return model, centre, subtitle


def _diseases(store: ox.Store, concept: ox.NamedNode, release: HpoRelease,
              terms: dict[str, Concept]) -> tuple[dict[str, Concept], list[Edge], int, int]:
    """The diseases to draw, their edges to the matched phenotypes (with HPO's annotations), and
    how many are drawn of how many."""
    rows = select(store, read_query_file(MAP_QUERIES / "hpo-diseases.rq"),
                  default_graph=ASSERTED_GRAPHS,
                  substitutions={ox.Variable("_concept"): concept})
    phenotypes: dict[str, set[str]] = defaultdict(set)
    names: dict[str, tuple[str, str]] = {}
    refs: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    details: dict[tuple[str, str, str], Row] = {}
    for row in rows:
        disease = row["disease"]
        phenotypes[disease].add(row["phenotype"])
        names[disease] = (row["diseaseName"], row["diseaseId"])
        key = (disease, row["mapped"], row["annotation"])
        details[key] = row
        if "reference" in row:
            refs[key].add(row["reference"])
    ranked = sorted(phenotypes, key=lambda d: (-len(phenotypes[d]), names[d][0].casefold(), d))
    chosen = ranked[:DISEASE_LIMIT]
    nodes: dict[str, Concept] = {}
    for d in chosen:
        label, ident = names[d]
        n = len(phenotypes[d])
        nodes[d] = Concept(
            d, f"{label} ({n} phenotype{'s' if n != 1 else ''})", str(MAP_HPO_DISEASE),
            f"HPO annotates this disease with {n} phenotype{'s' if n != 1 else ''} at or below the "
            f"concept's HPO matches ({release.label}, phenotype.hpoa).", (),
            (Identifier("identifier", d, ident),), release.label)
    grouped: dict[tuple[str, str], list[Annotation]] = defaultdict(list)
    for (disease, mapped, annotation), row in sorted(details.items()):
        if disease in nodes:
            grouped[(disease, mapped)].append(Annotation(
                row["phenotypeId"], row["phenotypeLabel"], row.get("evidence", ""),
                tuple(sorted(refs[(disease, mapped, annotation)])), row.get("frequency", ""),
                row.get("onset", "")))
    edges = [Edge(d, ANNOTATED_WITH, m, kind=HPO_EDGE,
                  annotations=tuple(sorted(set(a), key=lambda x: (x.phenotype_label, x.references))))
             for (d, m), a in sorted(grouped.items()) if m in terms]
    return nodes, edges, len(chosen), len(ranked)
