"""Parameter values are checked (issue 10): every name of a concept gives the same answer as its
CURIE, and a value that names nothing is an error with close matches in Python, the CLI and the
REST API, never an empty answer."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import pathokg
from pathokg.errors import QueryError, ReleaseError

from .helpers.server import running_server

CKD = "pk:chronic-kidney-disease"
#: Names a user would type for chronic kidney disease, as the issue found them returning 0 rows.
CKD_NAMES = ["chronic-kidney-disease", "chronic kidney disease", "Chronic Kidney Disease", "CKD",
             "https://w3id.org/pathokg/concept/chronic-kidney-disease",
             "<https://w3id.org/pathokg/concept/chronic-kidney-disease>", "HP:0012622", "HP_0012622"]


def _rows(name: str, **params: str) -> list[dict[str, str | None]]:
    return pathokg.query(name, **params).rows


@pytest.mark.parametrize("value", CKD_NAMES)
def test_every_name_of_a_concept_gives_the_curie_s_answer(value: str) -> None:
    expected = _rows("evidence", subject=CKD)
    assert expected, "the reference answer must not be empty"
    assert _rows("evidence", subject=value) == expected


@pytest.mark.parametrize(("query", "param", "value", "close"), [
    ("risk-factors", "condition", "dystrophic-calcificaton", "dystrophic calcification"),
    ("risk-factors", "condition", "pk:dystrophic-calcificaton", "dystrophic calcification"),
    ("tissues-affected", "disorder", "pseudoxanthoma", "pseudoxanthoma elasticum"),
    ("evidence", "subject", "https://w3id.org/pathokg/concept/chronic-kidney", "chronic kidney disease"),
    ("concepts-by-category", "category", "Interventions", "intervention"),
])
def test_a_value_that_names_nothing_is_an_error_in_python(query: str, param: str, value: str,
                                                          close: str) -> None:
    with pytest.raises(QueryError, match=f"parameter {param}: unknown") as caught:
        pathokg.query(query, **{param: value})
    assert close in str(caught.value)


def test_categories_and_xrefs_take_their_names() -> None:
    assert _rows("concepts-by-category", category="intervention") == \
        _rows("concepts-by-category", category="pko:Intervention")
    assert _rows("xref-concept", xref="HP_0012622") == _rows("xref-concept", xref="HP:0012622")
    with pytest.raises(QueryError, match="not an external identifier"):
        pathokg.query("xref-concept", xref="calcinosis")


def test_the_cli_says_so(release_dir: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "pathokg", "query", "risk-factors", "-p",
                          "condition=dystrophic calcificaton", "--release", str(release_dir)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and out.stdout == ""
    assert "did you mean: dystrophic calcification" in out.stderr


@pytest.fixture(scope="module")
def server(release_dir: Path) -> Iterator[str]:
    with running_server(release_dir) as base:
        yield base


@pytest.mark.server
def test_the_rest_api_answers_400_with_close_matches_and_takes_any_name(server: str) -> None:
    bad = httpx.get(server + "/api/queries/risk-factors", params={"condition": "dystrophic calcificaton"})
    assert bad.status_code == 400 and "did you mean: dystrophic calcification" in bad.text
    by_name = httpx.get(server + "/api/queries/evidence", params={"subject": "CKD", "format": "srj"})
    by_curie = httpx.get(server + "/api/queries/evidence", params={"subject": CKD, "format": "srj"})
    assert by_name.status_code == 200 and by_name.json() == by_curie.json()
    assert by_name.json()["results"]["bindings"]


# No hidden builds: every Python entry point that reads a release stops, and fills no path.

def _entry_points():
    from pathokg.conceptmap import make_map
    from pathokg.exports.analytics import concept_graph
    from pathokg.release.publish import release_payloads

    return {
        "pathokg.load": lambda folder: pathokg.load(folder),
        "pathokg.query": lambda folder: pathokg.query("risk-factors", release=folder),
        "pathokg.sparql": lambda folder: pathokg.sparql("ASK { ?s ?p ?o }", release=folder),
        "pathokg.construct_graph": lambda folder: pathokg.construct_graph(
            "CONSTRUCT WHERE { ?s ?p ?o }", release=folder),
        "conceptmap.make_map": lambda folder: make_map(pathokg.querying.release.release_store(folder)),
        "analytics.concept_graph": lambda folder: concept_graph(folder),
        "publish.release_payloads": lambda folder: release_payloads(folder),
    }


@pytest.mark.parametrize("name", list(_entry_points()))
def test_a_python_entry_point_never_builds_a_missing_release(name: str, tmp_path: Path) -> None:
    import pathokg.querying.release  # noqa: F401 - for the entry points above

    typo = tmp_path / "typo"
    with pytest.raises(ReleaseError, match=f"{typo} holds no pathokg release; run `pathokg build --out"):
        _entry_points()[name](typo)
    assert not typo.exists()
