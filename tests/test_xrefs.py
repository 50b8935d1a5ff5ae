"""Cross-references: only verified identifiers, the project's copy checked against the shared table."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import OWL, RDFS, SKOS

from pathokg.curation.assemble import assemble
from pathokg.curation.version import ReleaseInfo
from pathokg.curation.xrefs import NO_TERM_COLUMNS, read_no_term_table, read_table
from pathokg.errors import SourceError
from pathokg.paths import NO_TERM_FILE, SSSOM, XREFS_FILE
from pathokg.querying.api import query
from pathokg.vocab import PKO, concept, curie_for

from .helpers import require

SHARED = Path(__file__).resolve().parents[2] / "shared" / "xrefs" / "verified-xrefs.tsv"
MATCHES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch)


def test_project_copy_rows_are_rows_of_the_shared_table() -> None:
    require(SHARED.is_file(), f"the shared verified table is not at {SHARED} (a checkout outside the workspace)")
    shared = set(SHARED.read_text(encoding="utf-8").splitlines())
    ours = XREFS_FILE.read_text(encoding="utf-8").splitlines()
    assert ours[0] == SHARED.read_text(encoding="utf-8").splitlines()[0]
    assert [row for row in ours[1:] if row not in shared] == []


def test_every_external_identifier_in_the_release_is_verified(release_graph: Graph) -> None:
    verified = {(r.curie, r.match_type) for r in read_table(XREFS_FILE)}
    found = set()
    for prop in MATCHES:
        for _, target in release_graph.subject_objects(prop):
            curie = curie_for(str(target))
            assert curie is not None, target
            found.add((curie, str(prop).rsplit("#", 1)[-1].removesuffix("Match")))
    assert found, "the release has mappings"
    assert found - verified == set()


def test_match_types_follow_the_table(release_graph: Graph) -> None:
    from pathokg.vocab import concept, xref_iri

    assert (concept("chronic-kidney-disease"), SKOS.exactMatch, xref_iri("MONDO:0005300")) in release_graph
    assert (concept("dystrophic-calcification"), SKOS.broadMatch, xref_iri("MESH:D002114")) in release_graph


@pytest.mark.parametrize("column", ["subject_id", "predicate_id", "object_id", "mapping_justification"])
def test_sssom_has_required_columns(column: str, release_dir: Path) -> None:
    lines = (release_dir / SSSOM).read_text(encoding="utf-8").splitlines()
    header = next(line for line in lines if not line.startswith("#"))
    assert column in header.split("\t")
    assert any(line.startswith("#curie_map:") for line in lines)


# "Checked: no standard term": a finding, not a gap (graph/mappings/no-term-found.tsv)

SHARED_README = SHARED.with_name("README.md")
RELEASE = ReleaseInfo("0.0.0", "2026-01-01")
CHECKED_WITHOUT_EXACT_TERM = ("dystrophic-calcification", "metastatic-calcification")


def test_no_term_notes_are_the_verifiers_words() -> None:
    """The note of every no-term row stands verbatim in the shared verification notes."""
    require(SHARED_README.is_file(), f"the shared verification notes are not at {SHARED_README}")
    notes = " ".join(SHARED_README.read_text(encoding="utf-8").split())
    rows = read_no_term_table(NO_TERM_FILE)
    assert rows
    assert [r.note for r in rows if " ".join(r.note.split()) not in notes] == []


@pytest.mark.parametrize("concept_id", CHECKED_WITHOUT_EXACT_TERM)
def test_checked_without_exact_term_is_in_the_graph_with_who_checked(concept_id: str, release_graph: Graph) -> None:
    subject = concept(concept_id)
    assert (subject, PKO.noTermFound, SKOS.exactMatch) in release_graph
    assert list(release_graph.objects(subject, SKOS.exactMatch)) == []
    axiom = next(a for a in release_graph.subjects(OWL.annotatedSource, subject)
                 if release_graph.value(a, OWL.annotatedProperty) == PKO.noTermFound)
    assert "No standard ontology has a term" in str(release_graph.value(axiom, RDFS.comment))
    assert "../shared/xrefs/README.md" in str(release_graph.value(axiom, PKO.mappingSource))
    assert list(release_graph.objects(subject, SKOS.broadMatch)), "the closest terms stay as broad matches"


def test_unchecked_concepts_say_nothing() -> None:
    """A concept without a no-term row is not checked: the graph does not claim it was."""
    checked = {c.id for c, _ in assemble(release=RELEASE).no_term_rows}
    assert checked == set(CHECKED_WITHOUT_EXACT_TERM)


def test_sssom_writes_no_term_found(release_dir: Path) -> None:
    lines = (release_dir / SSSOM).read_text(encoding="utf-8").splitlines()
    assert "#  sssom: https://w3id.org/sssom/" in lines
    rows = [line.split("\t") for line in lines if "sssom:NoTermFound" in line and not line.startswith("#")]
    assert sorted((r[0], r[2]) for r in rows) == [(f"pk:{c}", "skos:exactMatch") for c in CHECKED_WITHOUT_EXACT_TERM]
    assert all(r[4] == "" and r[7].startswith("checked, no standard term: No standard ontology") for r in rows)


def test_concept_xrefs_shows_the_finding(release_dir: Path) -> None:
    rows = query("concept-xrefs", release=release_dir, concept="pk:dystrophic-calcification").rows
    found = [r for r in rows if r["xref"] == "https://w3id.org/sssom/NoTermFound"]
    assert [(r["match"], r["note"].startswith("No standard ontology")) for r in found] == [("exactMatch", True)]
    assert all(r["note"] is None for r in rows if r not in found)


# A wrong no-term table fails the build with its file, line and what to do.
BAD_NO_TERM_ROWS = {
    "names no curated concept": ("dystrophic calcificaton\texact\tnote\twhere",
                                 "is neither a concept of the verified table"),
    "contradicts a mapping": ("chronic kidney disease\texact\tnote\twhere", "MONDO:0005300, NCIT:C80078"),
    "unknown match type": ("dystrophic calcification\tequal\tnote\twhere", "unknown match type 'equal'"),
}


@pytest.mark.parametrize("case", sorted(BAD_NO_TERM_ROWS))
def test_a_wrong_no_term_row_fails_clearly(case: str, tmp_path: Path) -> None:
    row, message = BAD_NO_TERM_ROWS[case]
    table = tmp_path / "no-term-found.tsv"
    table.write_text("\t".join(NO_TERM_COLUMNS) + "\n" + row + "\n", encoding="utf-8")
    with pytest.raises(SourceError) as info:
        assemble(no_term_file=table, release=RELEASE)
    assert message in str(info.value)
    assert [p.line for p in info.value.problems] == [2]
    assert str(table) in str(info.value)
