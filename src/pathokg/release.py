"""Write a release: every serialisation of the graph, the mappings and a dataset description.

Every file is written byte-identically for the same inputs: blank nodes get canonical labels and
triples are added in sorted order before serialising, JSON is written with sorted keys, N-Triples
lines are sorted.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS, VOID, XSD

from .assemble import Assembly, new_graph
from .rdfxml import serialize_rdfxml
from .vocab import DATASET_IRI, DCAT, LICENSE_IRI, PKO, PREFIXES, SCHEMA, SEMAPV, concept

TURTLE = "pathokg.ttl"
OWL_XML = "pathokg.owl"
JSONLD = "pathokg.jsonld"
NTRIPLES = "pathokg.nt"
SSSOM = "pathokg.sssom.tsv"
VOID_FILE = "void.ttl"
INFERRED = "pathokg-inferred.ttl"


def _bnode_labels(graph: Graph) -> dict[BNode, BNode]:
    """Label each blank node by a hash of what it says (recursively), so labels are stable.

    pathokg's blank nodes (axiom annotations, OWL lists and class expressions) form trees, so a
    content hash identifies them; this replaces rdflib's general canonicalisation, which took
    seconds on the release.
    """
    labels: dict[BNode, BNode] = {}
    visiting: set[BNode] = set()

    def label(node: BNode) -> BNode:
        if node in labels:
            return labels[node]
        if node in visiting:  # a cycle: fall back to the node's own id
            return node
        visiting.add(node)
        parts = sorted(
            f"{p.n3()} {label(o).n3() if isinstance(o, BNode) else o.n3()}"
            for p, o in graph.predicate_objects(node)
        )
        visiting.discard(node)
        labels[node] = BNode("b" + hashlib.sha1("\n".join(parts).encode()).hexdigest()[:20])
        return labels[node]

    for node in {n for t in graph for n in (t[0], t[2]) if isinstance(n, BNode)}:
        label(node)
    return labels


def canonical(graph: Graph) -> Graph:
    """A copy of the graph with stable blank-node labels, its triples added in sorted order."""
    labels = _bnode_labels(graph)

    def relabel(node: object) -> object:
        return labels.get(node, node) if isinstance(node, BNode) else node

    out = new_graph()
    triples = {(relabel(s), p, relabel(o)) for s, p, o in graph}
    for triple in sorted(triples, key=lambda t: tuple(n.n3() for n in t)):
        out.add(triple)
    return out


def ntriples(graph: Graph) -> str:
    """Sorted N-Triples of a graph whose blank nodes are already labelled by :func:`canonical`."""
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    lines = sorted(line for line in text.splitlines() if line.strip())
    return "\n".join(lines) + "\n"


def jsonld(graph: Graph) -> str:
    """JSON-LD with an inline context of pathokg's prefixes (no remote context), sorted."""
    context = {prefix: ns for prefix, ns in sorted(PREFIXES.items())}
    data = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    nodes = data.get("@graph", [data])

    def norm(value: object, ordered: bool = False) -> object:
        if isinstance(value, list):
            items = [norm(v) for v in value]
            return items if ordered else sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
        if isinstance(value, dict):
            return {k: norm(v, ordered=(k == "@list")) for k, v in value.items()}
        return value

    nodes = sorted((norm(n) for n in nodes), key=lambda n: json.dumps(n, sort_keys=True))
    return json.dumps({"@context": context, "@graph": nodes}, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def sssom(assembly: Assembly) -> str:
    """The cross-references as an SSSOM TSV with its YAML metadata block."""
    curie_map = {"pk": str(PREFIXES["pk"]), "skos": str(SKOS), "semapv": str(SEMAPV)}
    from .vocab import XREF_BASES

    used = sorted({row.curie.split(":")[0].upper() for _, row in assembly.xref_rows})
    curie_map.update({p: XREF_BASES[p] for p in used})
    header = [
        "#curie_map:",
        *[f"#  {p}: {ns}" for p, ns in sorted(curie_map.items())],
        f"#mapping_set_id: {PREFIXES['pk'].rsplit('concept/', 1)[0]}mappings/pathokg.sssom.tsv",
        "#mapping_set_description: Cross-references of pathokg concepts to standard ontologies, "
        "each verified in the source named in the comment.",
        f"#license: {LICENSE_IRI}",
        "#mapping_provider: pathokg",
    ]
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t", lineterminator="\n")
    writer.writerow(["subject_id", "subject_label", "predicate_id", "object_id", "object_label",
                     "mapping_justification", "comment"])
    for c, row in sorted(assembly.xref_rows, key=lambda cr: (cr[0].id, cr[1].curie)):
        writer.writerow([f"pk:{c.id}", c.label, f"skos:{row.match_type}Match", row.curie,
                         row.label_in_source, "semapv:ManualMappingCuration",
                         f"verified in: {row.evidence}"])
    return "\n".join(header) + "\n" + buf.getvalue()


def counts(assembly: Assembly) -> dict[str, int]:
    """The numbers the dataset description reports."""
    g = assembly.graph
    concepts = set(g.subjects(RDF.type, SKOS.Concept)) - {c for c in g.subjects(RDF.type, OWL.Class)}
    relations = {(s, p, o) for a in assembly.articles for r in a.relations
                 for s, p, o in [(concept(r.subject), PKO[r.predicate], concept(r.object))]}
    return {
        "triples": len(g),
        "concepts": len(concepts),
        "relations": len(relations),
        "evidence": len(set(g.subjects(RDF.type, PKO.Evidence))),
        "mappings": len(assembly.xref_rows),
        "articles": len(assembly.articles),
    }


def dataset_description(assembly: Assembly, version: str, numbers: dict[str, int]) -> Graph:
    """VoID and DCAT description of the release, with version, license and counts."""
    g = new_graph()
    g.bind("dcat", str(DCAT))
    d = DATASET_IRI
    g.add((d, RDF.type, VOID.Dataset))
    g.add((d, RDF.type, DCAT.Dataset))
    g.add((d, DCTERMS.title, Literal("pathokg knowledge graph", lang="en")))
    g.add((d, DCTERMS.description, Literal(
        "Pathology concepts and the relations between them, each relation with the verbatim quote, "
        "section, offsets and source that state it.", lang="en")))
    g.add((d, DCTERMS.license, LICENSE_IRI))
    g.add((d, OWL.versionInfo, Literal(version)))
    g.add((d, DCAT.version, Literal(version)))
    g.add((d, VOID.triples, Literal(numbers["triples"], datatype=XSD.integer)))
    g.add((d, VOID.entities, Literal(numbers["concepts"], datatype=XSD.integer)))
    for key in ("concepts", "relations", "evidence", "mappings", "articles", "inferred"):
        g.add((d, PKO[f"{key}Count"], Literal(numbers[key], datatype=XSD.integer)))
    g.add((d, VOID.vocabulary, URIRef(str(PKO))))
    g.add((d, VOID.uriSpace, Literal(PREFIXES["pk"])))
    g.add((d, VOID.exampleResource, concept("dystrophic-calcification")))
    for a in assembly.articles:
        g.add((d, DCTERMS.source, URIRef(PREFIXES["pksrc"] + a.id)))
    for name, media in ((TURTLE, "text/turtle"), (OWL_XML, "application/rdf+xml"),
                        (JSONLD, "application/ld+json"), (NTRIPLES, "application/n-triples"),
                        (SSSOM, "text/tab-separated-values"), (INFERRED, "text/turtle")):
        dist = URIRef(f"{d}/{name}")
        g.add((d, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCAT.mediaType, Literal(media)))
        g.add((dist, DCTERMS.title, Literal(name)))
        if name not in (SSSOM, INFERRED):
            g.add((d, VOID.dataDump, dist))
    inferred_set = URIRef(f"{d}/inferred")
    g.add((d, VOID.subset, inferred_set))
    g.add((inferred_set, RDF.type, VOID.Dataset))
    g.add((inferred_set, DCTERMS.description, Literal(
        "Triples entailed by the ontology (class and property hierarchies, inverses, symmetry, domains "
        "and ranges), kept apart from the asserted ones.", lang="en")))
    g.add((inferred_set, VOID.triples, Literal(numbers["inferred"], datatype=XSD.integer)))
    g.add((inferred_set, VOID.dataDump, URIRef(f"{d}/{INFERRED}")))
    g.add((d, SCHEMA.about, concept("dystrophic-calcification")))
    return g


def write_release(assembly: Assembly, folder: Path, version: str,
                  extra: list[Callable[[Assembly, Path], None]] | None = None) -> dict[str, int]:
    """Write every release file into ``folder`` (which must exist) and return the counts."""
    from .inference import inferred_triples

    graph = canonical(assembly.graph)
    inferred = canonical(inferred_triples(assembly.graph))
    numbers = counts(assembly)
    numbers["inferred"] = len(inferred)
    (folder / TURTLE).write_bytes(graph.serialize(format="turtle", encoding="utf-8"))
    (folder / OWL_XML).write_text(serialize_rdfxml(graph, PREFIXES), encoding="utf-8")
    (folder / JSONLD).write_text(jsonld(graph), encoding="utf-8")
    (folder / NTRIPLES).write_text(ntriples(graph), encoding="utf-8")
    (folder / SSSOM).write_text(sssom(assembly), encoding="utf-8")
    # Entailments kept apart from the assertions: load this file into the named graph
    # pathokg.vocab.INFERRED_GRAPH to query with inference, as the embedded engine does.
    (folder / INFERRED).write_bytes(inferred.serialize(format="turtle", encoding="utf-8"))
    void = canonical(dataset_description(assembly, version, numbers))
    (folder / VOID_FILE).write_bytes(void.serialize(format="turtle", encoding="utf-8"))
    sources = folder / "sources"
    sources.mkdir()
    for a in assembly.articles:
        shutil.copyfile(a.text_file, sources / a.text_file.name)
    for writer in extra or []:
        writer(assembly, folder)
    return numbers


def replace_atomically(out_dir: Path, fill: Callable[[Path], None]) -> None:
    """Fill a fresh sibling folder, then swap it in place of ``out_dir``.

    If ``fill`` raises, ``out_dir`` is left exactly as it was and the temporary folder is removed.
    """
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        fill(tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    if out_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
        os.replace(out_dir, old / "release")
    os.replace(tmp, out_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    os.chmod(out_dir, 0o755)



