"""Python faces of a result: typed values, IRIs that are strings, DataFrames (pandas is in the test
extra; the error without it is in tests/test_dependencies.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import pathokg
from pathokg.querying.terms import IRI, BlankNode

#: a literal as SPARQL writes it -> the Python value (and its type) a row holds
TYPED = [
    ('"2662"^^xsd:integer', 2662),
    ("42", 42),
    ('"7"^^xsd:nonNegativeInteger', 7),
    ("1.5", Decimal("1.5")),
    ("1.5e0", 1.5),
    ('"2.5"^^xsd:float', 2.5),
    ("true", True),
    ('"0"^^xsd:boolean', False),
    ('"2024-05-01"^^xsd:date', dt.date(2024, 5, 1)),
    ('"2024-05-01T10:30:00Z"^^xsd:dateTime', dt.datetime(2024, 5, 1, 10, 30, tzinfo=dt.UTC)),
    ('"abc"', "abc"),
    ('"bonjour"@fr', "bonjour"),
    ('"not a number"^^xsd:integer', "not a number"),
    ("pk:burn", IRI("https://w3id.org/pathokg/concept/burn")),
]


@pytest.mark.parametrize("written,expected", TYPED, ids=[w for w, _ in TYPED])
def test_values_have_their_python_type(written: str, expected: object) -> None:
    (row,) = pathokg.sparql(f"SELECT ?v WHERE {{ VALUES ?v {{ {written} }} }}").rows
    assert row["v"] == expected and type(row["v"]) is type(expected)


def test_an_iri_is_a_string_that_knows_its_curie() -> None:
    (row,) = pathokg.query("concept-lookup", text="CKD").rows
    assert isinstance(row["concept"], IRI) and isinstance(row["concept"], str)
    assert row["concept"] == "https://w3id.org/pathokg/concept/chronic-kidney-disease"
    assert row["concept"].curie == "pk:chronic-kidney-disease"
    (blank,) = pathokg.sparql("SELECT ?a WHERE { ?a owl:annotatedSource pk:burn } LIMIT 1").rows
    assert isinstance(blank["a"], BlankNode)


def test_lexical_rows_keep_the_texts() -> None:
    result = pathokg.query("evidence", subject="pk:burn", object="pk:tissue-injury")
    assert isinstance(result.rows[0]["start"], int)
    assert isinstance(result.lexical_rows[0]["start"], str)
    assert result.lexical_rows[0]["start"] == str(result.rows[0]["start"])


def test_to_dataframe_keeps_the_types() -> None:
    frame = pathokg.query("evidence", subject="CKD", object="dystrophic calcification").to_dataframe()
    assert list(frame.columns) == pathokg.query("evidence", subject="CKD",
                                                object="dystrophic calcification").variables
    assert str(frame["start"].dtype) == "Int64" and frame["start"].min() > 0
    assert isinstance(frame["source"].iloc[0], IRI)
    mixed = pathokg.sparql("SELECT ?n ?d WHERE { VALUES (?n ?d) { (1 '2024-01-02'^^xsd:date) "
                           "(UNDEF UNDEF) } }").to_dataframe()
    assert str(mixed["n"].dtype) == "Int64" and mixed["n"].isna().tolist() == [False, True]
    assert str(mixed["d"].dtype).startswith("datetime64")


def test_graphs_and_answers_as_dataframes() -> None:
    graph = pathokg.query("neighbourhood").to_dataframe()
    assert list(graph.columns) == ["subject", "predicate", "object"] and len(graph) > 10
    assert pathokg.sparql("ASK { ?s ?p ?o }").to_dataframe()["answer"].tolist() == [True]
