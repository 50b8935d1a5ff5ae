"""The query page's data: every example, as the page shows it (no headers, no predeclared PREFIX
lines, parameters as values), answers what its named query answers; the completion data comes
from the served graph, in a stable order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import pathokg
from pathokg.querying.files import list_queries
from pathokg.web.querypage import example_text

from .helpers.server import running_server

NAMED = [q.name for q in list_queries()]


def _rows(result: pathokg.QueryResult) -> object:
    if result.is_graph:
        return sorted(str(t) for t in result.triples)
    if result.form == "ASK":
        return result.boolean
    return [sorted((k, str(v)) for k, v in row.items() if not k.startswith("_"))
            for row in result.rows]


@pytest.mark.parametrize("name", NAMED)
def test_an_example_answers_like_its_named_query(name: str) -> None:
    query = next(q for q in list_queries() if q.name == name)
    text = example_text(query)
    assert "#+" not in text and "BASE <" not in text and "?_" not in text
    named, shown = _rows(pathokg.query(name)), _rows(pathokg.sparql(text))
    if isinstance(named, list) and "ORDER BY" not in text.upper():
        named, shown = sorted(named), sorted(shown)  # type: ignore[type-var]
    assert shown == named


@pytest.fixture(scope="module")
def server(release_dir: Path) -> Iterator[str]:
    with running_server(release_dir, timeout=5.0) as base:
        yield base


@pytest.mark.server
def test_completion_data_from_the_served_graph(server: str) -> None:
    first = httpx.get(server + "/query/terms.json")
    assert first.status_code == 200 and first.content == httpx.get(server + "/query/terms.json").content
    data = first.json()
    assert data["prefixes"]["pk"] == "https://w3id.org/pathokg/concept/"
    assert {"pko:treats", "pko:isKindOf"} <= {p["curie"] for p in data["properties"]}
    assert "pko:SurgicalIntervention" in {c["curie"] for c in data["classes"]}
    ckd = next(c for c in data["concepts"] if c["curie"] == "pk:chronic-kidney-disease")
    assert ckd["label"] == "chronic kidney disease" and "CKD" in ckd["synonyms"]
    assert ckd["page"] == "/concept/chronic-kidney-disease" and ckd["category"] in data["styles"]
    assert [c["iri"] for c in data["concepts"]] == sorted(c["iri"] for c in data["concepts"])
