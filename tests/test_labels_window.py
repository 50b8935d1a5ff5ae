"""Label columns (``?xLabel``) and the engine's ``--limit/--offset`` window, in Python and the CLI;
terminal tables that never cut identifiers; parameter choices."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import pathokg
from pathokg.cli import main
from pathokg.querying.safety import Window, prepare, windowed

PK = "https://w3id.org/pathokg/concept/"
#: two concepts whose identifiers share a 20-character prefix (issue 13: both showed as
#: ``pk:underlying-co…`` in 80 columns)
TWINS = ("underlying-condition", "underlying-condition-medication")
TWINS_QUERY = "SELECT ?c WHERE { VALUES ?c { " + " ".join(f"pk:{t}" for t in TWINS) + " } }"
CONCEPTS = "SELECT ?c WHERE { ?c a pko:Concept } ORDER BY ?c"


def _cli(release: Path | None, *args: str, width: int = 80) -> str:
    where = ["--release", str(release)] if release is not None else []
    result = CliRunner().invoke(main, [*args, *where], terminal_width=width,
                                env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    return result.output


def test_labels_add_a_column_after_each_iri_column(release_dir: Path) -> None:
    result = pathokg.sparql(TWINS_QUERY, labels=True, release=release_dir)
    assert result.variables == ["c", "cLabel"]
    assert {r["cLabel"] for r in result.rows} == {"underlying condition",
                                                  "medications to manage underlying conditions"}
    plain = pathokg.sparql(TWINS_QUERY, release=release_dir)
    assert plain.variables == ["c"]


def test_labels_keep_a_query_s_own_label_column_and_leave_literals_alone(release_dir: Path) -> None:
    result = pathokg.query("risk-factors", labels=True, release=release_dir)
    assert result.variables.count("factorLabel") == 1  # the query's own column is kept
    assert "groupLabel" not in result.variables  # a literal column gets no label
    unlabelled = pathokg.sparql("SELECT ?x WHERE { BIND(<urn:pathokg:nothing> AS ?x) }", labels=True,
                                release=release_dir)
    assert unlabelled.variables == ["x", "xLabel"] and unlabelled.rows == [{"x": "urn:pathokg:nothing",
                                                                              "xLabel": None}]


def test_labels_leave_graphs_and_booleans_as_they_are(release_dir: Path) -> None:
    text = "CONSTRUCT { ?c a pko:Concept } WHERE { ?c a pko:Concept } LIMIT 3"
    assert (pathokg.sparql(text, labels=True, release=release_dir).serialize("nt")
            == pathokg.sparql(text, release=release_dir).serialize("nt"))
    assert pathokg.sparql("ASK { ?s ?p ?o }", labels=True, release=release_dir).boolean is True


@pytest.mark.parametrize("limit,offset", [(3, 0), (3, 5), (None, 440), (0, 0), (10, 10_000)])
def test_window_is_a_slice_of_the_whole_answer(release_dir: Path, limit: int | None,
                                               offset: int) -> None:
    whole = [r["c"] for r in pathokg.sparql(CONCEPTS, release=release_dir).rows]
    part = [r["c"] for r in pathokg.sparql(CONCEPTS, limit=limit, offset=offset,
                                           release=release_dir).rows]
    end = None if limit is None else offset + limit
    assert part == whole[offset:end]


@pytest.mark.parametrize("text,window,expected", [
    # the query's own window is narrowed, never widened
    ("SELECT * { ?s ?p ?o } LIMIT 10", Window(3), "LIMIT 3"),
    ("SELECT * { ?s ?p ?o } LIMIT 10", Window(30), "LIMIT 10"),
    ("SELECT * { ?s ?p ?o } OFFSET 4 LIMIT 10", Window(5, 8), "LIMIT 2 OFFSET 12"),
    ("SELECT * { ?s ?p ?o } ORDER BY ?s", Window(None, 2), "ORDER BY ?s OFFSET 2"),
    # a subquery's LIMIT is its own; a final VALUES stays last
    ("SELECT * { { SELECT * { ?s ?p ?o } LIMIT 3 } }", Window(1), "LIMIT 3 } } LIMIT 1"),
    ("SELECT * { ?s ?p ?o } VALUES ?s { <urn:a> }", Window(1), "LIMIT 1 VALUES ?s"),
    ("SELECT * { ?s ?p ?o } # a comment\n", Window(1), "?o } LIMIT 1 # a comment"),
])
def test_windowed_text(text: str, window: Window, expected: str) -> None:
    written = windowed(text, window)
    assert expected in re.sub(r"\s+", " ", written)
    prepare(written)  # still a query the check accepts


def test_window_with_a_bound_named_query(release_dir: Path) -> None:
    whole = pathokg.query("concepts-by-category", release=release_dir).lexical_rows
    assert pathokg.query("concepts-by-category", limit=2, offset=1,
                         release=release_dir).lexical_rows == whole[1:3]


@pytest.mark.parametrize("bad", [-1, 1.5, "3", True])
def test_window_refuses_what_is_not_a_count(release_dir: Path, bad: object) -> None:
    with pytest.raises(pathokg.QueryError, match="whole number"):
        pathokg.sparql(CONCEPTS, limit=bad, release=release_dir)  # type: ignore[arg-type]


def test_cli_limit_offset_and_labels(release_dir: Path) -> None:
    whole = _cli(release_dir, "sparql", CONCEPTS, "--format", "csv").splitlines()
    part = _cli(release_dir, "sparql", CONCEPTS, "--format", "csv", "--limit", "2",
                "--offset", "3").splitlines()
    assert part == [whole[0], *whole[4:6]]
    labelled = _cli(release_dir, "query", "concepts-by-category", "--labels", "--limit", "1",
                    "--format", "csv").splitlines()
    assert labelled[0] == "concept,conceptLabel,label,mostSpecificCategory" and len(labelled) == 2


def _column_text(output: str, column: int) -> str:
    """The text of one column of a rich table, its folded lines joined."""
    cells = [line.split("│")[column + 1].strip() for line in output.splitlines()
             if line.startswith("│")]
    return "".join(cells)


@pytest.mark.parametrize("width", [80, 40])
def test_tables_never_cut_identifiers(release_dir: Path, width: int) -> None:
    out = _cli(release_dir, "sparql", TWINS_QUERY, width=width)
    assert "…" not in out
    ids = _column_text(out, 0)
    assert f"pk:{TWINS[0]}" in ids and f"pk:{TWINS[1]}" in ids
    assert "underlying" in _column_text(out, 1)  # the label column beside it


def test_query_names_are_not_cut_in_the_listing() -> None:
    out = _cli(None, "queries")
    assert "…" not in out
    assert "causes-of-condition" in _column_text(out, 0)


def test_graph_tables_show_labels_beside_nodes(release_dir: Path) -> None:
    out = _cli(release_dir, "sparql", "CONSTRUCT { pk:" + TWINS[1] + " a pko:Concept } WHERE {}",
               width=200)
    assert f"pk:{TWINS[1]} (medications to manage underlying conditions)" in out


def test_parameter_choices_are_checked_with_a_close_match(release_dir: Path) -> None:
    possible = pathokg.query("qualified-statements", certainty="possible", release=release_dir).rows
    assert possible and {r["certainty"] for r in possible} == {"possible"}
    with pytest.raises(pathokg.QueryError, match="did you mean possible"):
        pathokg.query("qualified-statements", certainty="possibel", release=release_dir)


@pytest.mark.parametrize("misspelled,closest", [("risk-factor", "risk-factors"),
                                                ("concept-lokup", "concept-lookup"),
                                                ("treatmnts", "treatments")])
def test_misspelled_query_names_get_the_closest(release_dir: Path, misspelled: str,
                                                closest: str) -> None:
    with pytest.raises(pathokg.QueryNotFound, match=f"did you mean {closest}"):
        pathokg.query(misspelled, release=release_dir)
