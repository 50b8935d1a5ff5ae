"""Predeclared prefixes: the same set in the CLI and Python (the server's faces are in
tests/test_server.py, the query page's in tests/test_query_page.py), a query's own PREFIX wins,
and one error at the user's line and column for a prefix that is neither."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import pathokg
from pathokg.cli import main
from pathokg.errors import QuerySyntaxError
from pathokg.querying.safety import prepare
from pathokg.vocab import PREFIXES, SPARQL_PREFIXES, XREF_BASES

LABEL_OF_CKD = "SELECT ?label WHERE { pk:chronic-kidney-disease skos:prefLabel ?label }"


def test_the_set_is_pathokgs_the_graphs_and_the_mapped_vocabularies() -> None:
    for name in ("pk", "pko", "pkev", "pksrc", "pkinf", "rdf", "rdfs", "owl", "xsd", "skos",
                 "dcterms", "prov", "oa", "schema"):
        assert name in SPARQL_PREFIXES, name
    assert set(PREFIXES) | set(XREF_BASES) <= set(SPARQL_PREFIXES)


@pytest.mark.parametrize("face", ["python", "cli", "construct_graph"])
def test_every_face_takes_undeclared_predeclared_prefixes(face: str, release_dir: Path) -> None:
    if face == "python":
        assert pathokg.sparql(LABEL_OF_CKD).rows == [{"label": "chronic kidney disease"}]
    elif face == "cli":
        result = CliRunner().invoke(main, ["sparql", LABEL_OF_CKD, "--format", "csv",
                                           "--release", str(release_dir)])
        assert result.exit_code == 0, result.output
        assert result.output.splitlines() == ["label", "chronic kidney disease"]
    else:
        graph = pathokg.construct_graph("CONSTRUCT { ?c skos:prefLabel ?l } WHERE { "
                                        "?c a pko:DiseaseOrDisorder ; skos:prefLabel ?l }")
        assert len(graph) > 5


def test_a_querys_own_prefix_wins() -> None:
    text = "PREFIX skos: <http://example.org/nothing#> " + LABEL_OF_CKD
    assert pathokg.sparql(text).rows == []
    assert prepare(text).predeclared == ("pk",)


def test_mapped_vocabularies_are_predeclared() -> None:
    rows = pathokg.sparql("SELECT ?c WHERE { ?c skos:exactMatch MONDO:0005300 }").rows
    assert rows == [{"c": "https://w3id.org/pathokg/concept/chronic-kidney-disease"}]


@pytest.mark.parametrize("prefix", ["ex", "foaf", "wd", "Pk", "skso"])
def test_an_unknown_prefix_is_one_error_at_the_users_position(prefix: str) -> None:
    text = f"SELECT ?x WHERE {{\n  ?x a pko:Concept .\n  ?x {prefix}:name ?n }}"
    with pytest.raises(QuerySyntaxError) as info:
        prepare(text)
    message = str(info.value)
    assert message.startswith(f"SPARQL syntax error at line 3, column 6: the prefix {prefix}: is "
                              "not declared, nor one of the predeclared prefixes")
    assert message.splitlines()[1:] == [f"    ?x {prefix}:name ?n }}", "       ^"]
    assert ("did you mean skos:?" in message) == (prefix == "skso")


def test_engine_errors_after_expanded_names_point_into_the_users_text(release_dir: Path) -> None:
    """The expanded IRIs are longer than the names: positions still map back to the text."""
    line = "  ?s skos:prefLabel ?o ; rdfs:label ?o2 FILTER( ?s = }"
    expanded = line.replace("skos:prefLabel", f"<{SPARQL_PREFIXES['skos']}prefLabel>").replace(
        "rdfs:label", f"<{SPARQL_PREFIXES['rdfs']}label>")
    columns = []
    for written in (line, expanded):
        with pytest.raises(QuerySyntaxError) as info:
            pathokg.sparql(f"SELECT * WHERE {{\n{written}", release=release_dir)
        first = str(info.value).splitlines()[0]
        assert first.startswith("SPARQL syntax error at line 2, column "), first
        columns.append(int(first.split("column ")[1].split(":")[0]) - written.index("}"))
    assert columns[0] == columns[1]  # the same place relative to the closing brace


def test_the_text_for_another_service_declares_what_it_uses() -> None:
    """An engine that knows none of pathokg's prefixes reads the portable text, same lines."""
    text = "SELECT ?l WHERE {\n  pk:burn skos:prefLabel ?l }"
    portable = prepare(text).portable_text
    assert portable.count("\n") == text.count("\n")
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode(SPARQL_PREFIXES["pk"] + "burn"),
                      ox.NamedNode(SPARQL_PREFIXES["skos"] + "prefLabel"), ox.Literal("burn")))
    assert [s["l"].value for s in store.query(portable)] == ["burn"]


def _records() -> list[tuple[str, str]]:
    """(prefix, base) of every prefix and synonym the curies converter knows."""
    from pathokg.vocab import converter

    return [(p, r.uri_prefix) for r in converter().records for p in (r.prefix, *r.prefix_synonyms)]


@pytest.mark.parametrize("iri", [base + "x1" for _, base in _records()]
                         + ["http://example.org/x", "https://w3id.org/pathokg/concept/",
                            "https://w3id.org/pathokg/ontology/Concept", ""])
def test_curie_for_is_what_curies_compresses(iri: str) -> None:
    """vocab's own longest-prefix match (no curies import on a shell command) agrees with curies."""
    from pathokg.vocab import converter, curie_for

    assert curie_for(iri) == converter().compress(iri)


@pytest.mark.parametrize("curie", [f"{p}:x" for p, _ in _records()]
                         + ["nope:1", "pk:", "PK:burn", "Mesh:D002114"])
def test_expand_curie_is_what_curies_expands(curie: str) -> None:
    from pathokg.vocab import converter, expand_curie

    expected = converter().expand(curie)
    if curie == "Mesh:D002114":  # any case for an external prefix (curies knows MESH and mesh)
        expected = "http://id.nlm.nih.gov/mesh/D002114"
    assert expand_curie(curie) == expected
