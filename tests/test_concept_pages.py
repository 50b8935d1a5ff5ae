"""Concept pages over a real server: HTML and RDF by content negotiation, stated relations both
ways with the certainty and conditions of each passage, inferred relations marked with their rule,
mappings with match type and source, and lookup by any name (303, 300, 404 with close matches)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from .helpers.server import running_server, server_process

pytestmark = pytest.mark.server
PK = Namespace("https://w3id.org/pathokg/concept/")
PKO = Namespace("https://w3id.org/pathokg/ontology/")
BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


@pytest.fixture(scope="module")
def server(release_dir: Path) -> Iterator[str]:
    with running_server(release_dir, timeout=5.0) as base:
        yield base


def rows_of(page: str, table: str) -> list[str]:
    """The rows of one table of a page, as text (tags dropped, spaces collapsed)."""
    body = page.split(f'<table id="{table}">', 1)[1].split("</table>", 1)[0]
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", row.split(">", 1)[1])).split())
            for row in body.split("<tr")[2:]]


def page(server: str, slug: str) -> str:
    r = httpx.get(f"{server}/concept/{slug}", headers=BROWSER)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html"), r.text[:300]
    return r.text


@pytest.mark.parametrize("slug,quote,shows", [
    # a hedged passage ("can initiate") reads as possible, never as a plain fact
    ("burn", "Conditions such as burns", ["burn is a risk factor for dystrophic calcification (possible)",
                                          "possible"]),
    ("atherosclerosis", "can lead to calcification within the arteries",
     ["(possible)", "only under: within the arteries"]),
    # a conditional passage names its conditions
    ("joint-replacement", "In severe cases of dystrophic calcification in joints",
     ["joint replacement treats dystrophic calcification (conditional)",
      "only under: In severe cases ; in joints", "conditional"]),
])
def test_a_hedged_relation_shows_its_hedge(server: str, slug: str, quote: str,
                                            shows: list[str]) -> None:
    rows = [r for r in rows_of(page(server, slug), "relations") if quote in r]
    hedged = [r for r in rows if all(s in r for s in shows)]
    assert hedged, rows


def test_a_stated_passage_reads_as_stated(server: str) -> None:
    rows = rows_of(page(server, "burn"), "relations")
    stated = [r for r in rows if "It is important to note" in r and "is a risk factor for" in r]
    assert stated and all("(possible)" not in r and " stated " in f" {r} " for r in stated), stated


def test_incoming_and_outgoing_relations(server: str) -> None:
    rows = rows_of(page(server, "chronic-kidney-disease"), "relations")
    assert any(r.startswith("chronic kidney disease is a risk factor for dystrophic calcification")
               for r in rows)
    assert any(r.startswith("medications to manage underlying conditions manages chronic kidney "
                            "disease (conditional)") for r in rows)


def test_inferred_relations_are_marked_with_their_rule(server: str) -> None:
    rows = rows_of(page(server, "dystrophic-calcification"), "inferred")
    treated = [r for r in rows if r.startswith("dystrophic calcification is treated by joint "
                                               "replacement inferred")]
    assert treated, rows[:10]
    assert "(conditional)" in treated[0] and "prp-inv" in treated[0]
    assert "joint replacement treats dystrophic calcification" in treated[0]  # the premise
    # and the inferred relations are not among the stated ones
    assert not any("is treated by joint replacement" in r
                   for r in rows_of(page(server, "dystrophic-calcification"), "relations"))


def test_mappings_with_match_type_and_source(server: str) -> None:
    rows = rows_of(page(server, "chronic-kidney-disease"), "xrefs")
    mondo = [r for r in rows if r.startswith("MONDO:0005300")]
    assert mondo and "exactMatch" in mondo[0] and "mondo" in mondo[0].lower(), rows


def test_checked_without_a_standard_term_reads_as_a_finding(server: str) -> None:
    """Dystrophic calcification has no exact standard term: the page says it was checked (with
    the verifier's note), beside its broad matches, and never shows sssom:NoTermFound as a term."""
    rows = rows_of(page(server, "dystrophic-calcification"), "xrefs")
    checked = [r for r in rows if r.startswith("checked: no standard term")]
    assert len(checked) == 1 and "exactMatch" in checked[0], rows
    assert "No standard ontology has a term for dystrophic" in checked[0]
    assert any(r.startswith("HP:0003761") and "broadMatch" in r for r in rows), rows
    assert not any("NoTermFound" in r for r in rows), rows


def test_rdf_page_holds_evidence_inferences_and_mappings(server: str) -> None:
    r = httpx.get(f"{server}/concept/joint-replacement", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    jr, dc = PK["joint-replacement"], PK["dystrophic-calcification"]
    assert (jr, PKO.treats, dc) in g and (dc, PKO.isTreatedBy, jr) in g  # out, and in (inferred)
    # the stated relation's statement, with its certainty and the passage's conditions
    (axiom,) = [a for a in g.subjects(RDF.type, OWL.Axiom) if (a, OWL.annotatedSource, jr) in g
                and (a, OWL.annotatedProperty, PKO.treats) in g and (a, OWL.annotatedTarget, dc) in g]
    assert (axiom, PKO.certainty, PKO.Conditional) in g
    evidence = list(g.objects(axiom, PKO.hasEvidence))
    assert evidence and all((e, PKO.certainty, None) in g for e in evidence)
    assert any(Literal("In severe cases | in joints", lang="en") in g.objects(e, PKO.conditionSummary)
               for e in evidence)
    # the inferred triple is marked: an inference record with its rule and premise
    (record,) = [x for x in g.subjects(RDF.type, PKO.Inference)
                 if (x, OWL.annotatedSource, dc) in g and (x, OWL.annotatedProperty, PKO.isTreatedBy) in g]
    assert (record, PKO.rule, PKO["rule-prp-inv"]) in g and (record, PKO.premise, None) in g
    # mappings with the match type (the SKOS property) and where they were verified
    assert (jr, SKOS.exactMatch, URIRef("http://purl.obolibrary.org/obo/MAXO_0009045")) in g
    assert any((a, PKO.mappingSource, None) in g for a in g.subjects(OWL.annotatedSource, jr))


@pytest.mark.parametrize("name,target", [
    ("CKD", "/concept/chronic-kidney-disease"),                       # abbreviation
    ("chronic%20kidney%20disease", "/concept/chronic-kidney-disease"),  # label
    ("Chronic-Kidney-Disease", "/concept/chronic-kidney-disease"),    # id in another case
    ("pk:burn", "/concept/burn"),                                    # CURIE
    ("MONDO:0005300", "/concept/chronic-kidney-disease"),             # external id it matches
    ("HP_0012622", "/concept/chronic-kidney-disease"),
])
def test_other_names_redirect_to_the_concept(server: str, name: str, target: str) -> None:
    r = httpx.get(f"{server}/concept/{name}", headers={"Accept": "text/turtle"})
    assert r.status_code == 303 and r.headers["location"] == target
    kept = httpx.get(f"{server}/concept/{name}?format=nt")
    assert kept.status_code == 303 and kept.headers["location"] == target + "?format=nt"
    assert httpx.get(f"{server}/concept/{name}", follow_redirects=True,
                     headers=BROWSER).status_code == 200


@pytest.mark.parametrize("accept", ["text/plain", BROWSER["Accept"]])
def test_an_unknown_name_is_a_404_with_close_matches(server: str, accept: str) -> None:
    r = httpx.get(f"{server}/concept/chronic-kidny-disease", headers={"Accept": accept})
    assert r.status_code == 404 and "chronic kidney disease" in r.text
    assert "/concept/chronic-kidney-disease" in r.text
    nothing = httpx.get(f"{server}/concept/zzzzqqq", headers={"Accept": accept})
    assert nothing.status_code == 404 and "try a label" in nothing.text.lower()


def test_a_name_several_concepts_share_is_a_300(tmp_path: Path) -> None:
    """The release has no shared synonym, so a tiny dataset of two concepts that share one."""
    skos, pk, pko = str(SKOS), str(PK), str(PKO)
    lines = []
    for slug, label in [("alpha-disease", "alpha disease"), ("beta-disease", "beta disease")]:
        lines += [f'<{pk}{slug}> <{RDF.type}> <{pko}Concept> .',
                  f'<{pk}{slug}> <{skos}prefLabel> "{label}"@en .',
                  f'<{pk}{slug}> <{skos}altLabel> "ABD"@en .']
    dataset = tmp_path / "two.nq"
    dataset.write_text("\n".join(lines) + "\n")
    with server_process(None, args=("--dataset", str(dataset))) as srv:
        for accept in ["text/plain", BROWSER["Accept"]]:
            r = httpx.get(srv.base + "/concept/ABD", headers={"Accept": accept})
            assert r.status_code == 300, r.text
            assert "/concept/alpha-disease" in r.text and "/concept/beta-disease" in r.text
        assert httpx.get(srv.base + "/concept/alpha%20disease").status_code == 303
