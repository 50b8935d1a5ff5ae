"""The server over a real uvicorn process: SPARQL 1.1 Protocol with SPARQLWrapper, content
negotiation, service description, REST API, concept pages, health."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from .helpers.server import running_server

pytestmark = pytest.mark.server
SELECT = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?label WHERE { "
          "<https://w3id.org/pathokg/concept/nsaids> skos:prefLabel ?label }")


@pytest.fixture(scope="module")
def server(release_dir: Path) -> Iterator[str]:
    with running_server(release_dir, timeout=3.0) as base:
        yield base


def wrapper(server: str, method: str = "GET") -> SPARQLWrapper:
    w = SPARQLWrapper(server + "/sparql")
    w.setMethod(method)
    return w


@pytest.mark.parametrize("method,request_method", [("GET", None), ("POST", "urlencoded"),
                                                   ("POST", "postdirectly")])
def test_protocol_select_with_sparqlwrapper(server: str, method: str,
                                            request_method: str | None) -> None:
    w = wrapper(server, method)
    if request_method:
        w.setRequestMethod(request_method)
    w.setQuery(SELECT)
    w.setReturnFormat(JSON)
    data = w.query().convert()
    assert [b["label"]["value"] for b in data["results"]["bindings"]] == ["NSAIDs"] or \
        len(data["results"]["bindings"]) == 1


def test_select_formats_by_content_negotiation(server: str) -> None:
    w = wrapper(server)
    w.setQuery(SELECT)
    w.setReturnFormat(XML)
    assert w.query().convert().getElementsByTagName("literal")
    w.setReturnFormat(CSV)
    rows = list(csv.reader(io.StringIO(w.query().convert().decode())))
    assert rows[0] == ["label"] and len(rows) == 2
    for accept, media in [("application/sparql-results+json", "application/sparql-results+json"),
                          ("application/sparql-results+xml", "application/sparql-results+xml"),
                          ("text/csv", "text/csv"),
                          ("text/tab-separated-values", "text/tab-separated-values")]:
        r = httpx.get(server + "/sparql", params={"query": SELECT}, headers={"Accept": accept})
        assert r.status_code == 200 and r.headers["content-type"].startswith(media)


@pytest.mark.parametrize("accept,rdflib_format", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")])
def test_construct_formats(server: str, accept: str, rdflib_format: str) -> None:
    query = "DESCRIBE <https://w3id.org/pathokg/concept/nsaids>"
    r = httpx.post(server + "/sparql", content=query,
                   headers={"Content-Type": "application/sparql-query", "Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    assert len(Graph().parse(data=r.content, format=rdflib_format)) > 5


def test_construct_with_sparqlwrapper(server: str) -> None:
    w = wrapper(server)
    w.setQuery("CONSTRUCT WHERE { <https://w3id.org/pathokg/concept/nsaids> ?p ?o }")
    w.setReturnFormat(TURTLE)
    assert len(Graph().parse(data=w.query().convert(), format="turtle")) > 5


def test_ask(server: str) -> None:
    w = wrapper(server)
    w.setQuery("ASK { <https://w3id.org/pathokg/concept/nsaids> ?p ?o }")
    w.setReturnFormat(JSON)
    assert w.query().convert()["boolean"] is True


def test_malformed_query_is_400_with_position(server: str) -> None:
    w = wrapper(server)
    w.setQuery("SELECT * WHERE { ?s ?p }")
    with pytest.raises(QueryBadFormed) as info:
        w.query()
    assert "line 1, column 25" in str(info.value) and "^" in str(info.value)
    r = httpx.get(server + "/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert r.status_code == 400 and "Traceback" not in r.text


@pytest.mark.parametrize("send", ["form-update", "direct-update", "query-update"])
def test_updates_are_refused(server: str, send: str) -> None:
    update = "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }"
    if send == "form-update":
        r = httpx.post(server + "/sparql", data={"update": update})
    elif send == "direct-update":
        r = httpx.post(server + "/sparql", content=update,
                       headers={"Content-Type": "application/sparql-update"})
    else:
        r = httpx.post(server + "/sparql", data={"query": update})
    assert r.status_code == 403 and "read-only" in r.text
    check = httpx.get(server + "/sparql", params={"query": "ASK { <http://e/a> ?p ?o }"},
                      headers={"Accept": "application/sparql-results+json"})
    assert check.json()["boolean"] is False


def test_unsupported_accept_is_406(server: str) -> None:
    r = httpx.get(server + "/sparql", params={"query": SELECT}, headers={"Accept": "image/png"})
    assert r.status_code == 406


def test_rest_api(server: str) -> None:
    listing = httpx.get(server + "/api/queries").json()
    assert len(listing) >= 15 and {"name", "summary", "parameters"} <= set(listing[0])
    r = httpx.get(server + "/api/queries/concept-lookup", params={"text": "ckd"})
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    assert [b["label"]["value"] for b in r.json()["results"]["bindings"]] == ["chronic kidney disease"]
    r = httpx.get(server + "/api/queries/neighbourhood", params={"format": "ttl"})
    assert r.status_code == 200 and len(Graph().parse(data=r.text, format="turtle")) > 10
    assert httpx.get(server + "/api/queries/nope").status_code == 404
    assert httpx.get(server + "/api/queries/kinds-of", params={"zz": "1"}).status_code == 400
    spec = httpx.get(server + "/api/openapi.json").json()
    assert "/api/queries/{name}" in spec["paths"] and "/api/queries" in spec["paths"]
    assert httpx.get(server + "/api/docs").status_code == 200


def test_concept_pages_by_content_negotiation(server: str) -> None:
    url = server + "/concept/chronic-kidney-disease"
    html = httpx.get(url, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "chronic kidney disease" in html.text and "increased risk" in html.text  # a quote
    assert "MONDO:0005300" in html.text and "http://purl.obolibrary.org/obo/MONDO_0005300" in html.text
    for accept, fmt in [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                        ("application/n-triples", "nt")]:
        r = httpx.get(url, headers={"Accept": accept})
        assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
        g = Graph().parse(data=r.content, format=fmt)
        assert any(str(s) == "https://w3id.org/pathokg/concept/chronic-kidney-disease" for s in g.subjects())
    assert httpx.get(server + "/concept/no-such-thing").status_code == 404


def test_health_and_landing(server: str) -> None:
    health = httpx.get(server + "/health").json()
    assert health["status"] == "ok" and health["triples"] > 1000
    assert httpx.get(server + "/").status_code == 200


def test_api_inferred_switch(server: str) -> None:
    inferred = httpx.get(server + "/api/queries/treated-by").json()["results"]["bindings"]
    asserted = httpx.get(server + "/api/queries/treated-by",
                         params={"inferred": "false"}).json()["results"]["bindings"]
    assert inferred and asserted == []
    assert json.loads(httpx.get(server + "/api/queries/summary-statistics").text)


def test_concept_map_draws_the_served_release(two_article_release: Path, release_dir: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """``/`` and ``/map`` draw the release given to the server, not the default release."""
    monkeypatch.setenv("PATHOKG_DIST", str(release_dir))  # the default: the one-article release
    with running_server(two_article_release) as base:
        home = httpx.get(base + "/", timeout=60)
        focus = httpx.get(base + "/map", params={"focus": "smoking cessation"}, timeout=60)
    assert home.status_code == 200 and "smoking-cessation" in home.text
    assert focus.status_code == 200 and "smoking cessation" in focus.text


def test_named_query_parameters_bind_as_terms_only(server: str) -> None:
    """The API checks a named query's template once; a value can never change the query."""
    sneaky = 'x")) } SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } #'
    r = httpx.get(server + "/api/queries/concept-lookup", params={"text": sneaky})
    assert r.status_code == 200 and r.json()["results"]["bindings"] == []
    bad_iri = httpx.get(server + "/api/queries/concept-xrefs", params={"concept": "<a b>"})
    assert bad_iri.status_code == 400 and "unknown concept '<a b>'" in bad_iri.text
    for text in ("calc", "kidney", "CKD"):  # the same template with other values: checked once
        rows = httpx.get(server + "/api/queries/concept-lookup", params={"text": text}).json()
        assert rows["results"]["bindings"], text


def test_answers_larger_than_the_pipe_buffer_arrive_whole(server: str) -> None:
    """An answer over 64 KiB (the worker pipe's buffer) is read whole, several times over and
    from several clients: the worker is not taken for dead half-way through the read."""
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    with httpx.Client(timeout=30) as client:
        for _ in range(4):
            response = client.post(server + "/sparql", data={"query": query},
                                    headers={"Accept": "application/sparql-results+json"})
            assert response.status_code == 200, response.text
            assert len(response.content) > 256 * 1024
            assert json.loads(response.content)["results"]["bindings"]


def test_predeclared_prefixes_on_sparql_and_in_the_service_description(server: str) -> None:
    from pathokg.vocab import SPARQL_PREFIXES

    r = httpx.get(server + "/sparql", params={"query": "SELECT ?l WHERE { pk:nsaids skos:prefLabel ?l }"},
                  headers={"Accept": "application/sparql-results+json"})
    labels = [b["l"]["value"] for b in r.json()["results"]["bindings"]]
    assert r.status_code == 200 and labels == ["nonsteroidal anti-inflammatory drug"]
    bad = httpx.get(server + "/sparql", params={"query": "SELECT * WHERE {\n ?s foaf:name ?o }"})
    assert bad.status_code == 400 and bad.text.startswith("SPARQL syntax error at line 2, column 5: the "
                                                          "prefix foaf: is not declared")
    sd = Graph().parse(data=httpx.get(server + "/sparql", headers={"Accept": "text/turtle"}).text,
                       format="turtle")
    declared = dict(sd.query("""PREFIX sh: <http://www.w3.org/ns/shacl#>
        SELECT ?p ?ns WHERE { ?service sh:prefixes/sh:declare [ sh:prefix ?p ; sh:namespace ?ns ] }"""))
    assert {str(p): str(ns) for p, ns in declared.items()} == SPARQL_PREFIXES


def test_construct_results_are_distinct_and_the_same_bytes_as_in_python(server: str) -> None:
    import pathokg

    from .test_graph_results import PXE

    for fmt, media in [("nt", "application/n-triples"), ("ttl", "text/turtle"),
                       ("jsonld", "application/ld+json")]:
        ours = pathokg.sparql(PXE).serialize(fmt)
        r = httpx.post(server + "/sparql", data={"query": PXE}, headers={"Accept": media})
        assert r.status_code == 200 and r.content == ours, fmt
    rest = httpx.get(server + "/api/queries/neighbourhood", params={"concept": "PXE", "format": "nt"})
    assert rest.content == pathokg.query("neighbourhood", concept="PXE").serialize("nt")


def test_labels_on_sparql_and_the_rest_api(server: str) -> None:
    """``labels=true`` adds the label columns on /sparql and the REST API, as in Python and the CLI."""
    query = "SELECT ?c WHERE { VALUES ?c { pk:chronic-kidney-disease } }"
    for url, params in [("/sparql", {"query": query, "labels": "true"}),
                        ("/api/queries/concept-lookup", {"text": "ckd", "labels": "true"})]:
        r = httpx.get(server + url, params=params, headers={"Accept": "application/sparql-results+json"})
        assert r.status_code == 200, r.text
        data = r.json()
        column = next(v for v in data["head"]["vars"] if v.endswith("Label") and v != "label")
        assert [b[column]["value"] for b in data["results"]["bindings"]] == ["chronic kidney disease"]
    plain = httpx.get(server + "/sparql", params={"query": query, "format": "csv"})
    labelled = httpx.get(server + "/sparql", params={"query": query, "format": "csv", "labels": "1"})
    assert plain.text.splitlines()[0] == "c" and labelled.text.splitlines()[0] == "c,cLabel"
    for bad in [{"query": query, "labels": "maybe"}, {"query": query, "labels": ["1", "0"]}]:
        assert httpx.get(server + "/sparql", params=bad).status_code == 400
    assert httpx.get(server + "/api/queries/kinds-of", params={"inferred": "perhaps"}).status_code == 400


def test_openapi_documents_each_named_query(server: str) -> None:
    """Generated from the query headers: each parameter's kind, default and choices; format,
    inferred and labels."""
    from pathokg.querying.files import list_queries

    spec = httpx.get(server + "/api/openapi.json").json()
    for query in list_queries():
        operation = spec["paths"][f"/api/queries/{query.name}"]["get"]
        params = {p["name"]: p for p in operation["parameters"]}
        assert operation["summary"] == query.summary
        for p in query.params:
            schema = params[p.name]["schema"]
            assert (schema["default"], schema["x-pathokg-kind"]) == (p.default, p.kind)
            assert schema.get("enum", []) == list(p.choices)
        assert {"format", "inferred", "labels"} <= set(params)
    certainty = next(p for p in spec["paths"]["/api/queries/qualified-statements"]["get"]["parameters"]
                     if p["name"] == "certainty")
    assert "possible" in certainty["schema"]["enum"]
    graph_formats = next(p for p in spec["paths"]["/api/queries/neighbourhood"]["get"]["parameters"]
                         if p["name"] == "format")["schema"]["enum"]
    assert "ttl" in graph_formats and "csv" not in graph_formats
    # the documented path answers like the generic one
    assert httpx.get(server + "/api/queries/concept-lookup", params={"text": "ckd"}).status_code == 200


def test_misspelled_query_name_is_a_404_with_the_closest(server: str) -> None:
    r = httpx.get(server + "/api/queries/risk-factor")
    assert r.status_code == 404 and "did you mean risk-factors" in r.text
    r = httpx.get(server + "/api/queries/qualified-statements", params={"certainty": "possibel"})
    assert r.status_code == 400 and "did you mean possible" in r.text
