"""Cross-references: only verified identifiers, the project's copy checked against the shared table."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import SKOS

from pathokg.curation.xrefs import read_table
from pathokg.paths import SSSOM, XREFS_FILE
from pathokg.vocab import curie_for

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
