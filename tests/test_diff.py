"""`pathokg diff OLD NEW`: concepts, ontology terms, statements, evidence, qualifiers and mappings
added, removed or changed, and every other triple by predicate; Markdown and JSON; exit code 0 for
no change and 1 for changes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from pathokg.cli import main
from pathokg.paths import TURTLE
from pathokg.release.diff import diff_releases, to_markdown
from pathokg.vocab import EVIDENCE, OA, PKO, concept

PASSAGE = EVIDENCE["dystrophic-calcification/atherosclerosis--isRiskFactorFor--dystrophic-calcification"]
STATEMENT = (concept("atherosclerosis"), PKO.isRiskFactorFor, concept("dystrophic-calcification"))


def _set(g: Graph, s, p, o) -> None:
    g.remove((s, p, None))
    g.add((s, p, o))


def _drop_statement(g: Graph) -> None:
    g.remove(STATEMENT)
    for axiom in list(g.subjects(OWL.annotatedSource, STATEMENT[0])):
        if (g.value(axiom, OWL.annotatedProperty), g.value(axiom, OWL.annotatedTarget)) == STATEMENT[1:]:
            g.remove((axiom, None, None))


def _add_concept(g: Graph) -> None:
    g.add((concept("new-thing"), RDF.type, SKOS.Concept))
    g.add((concept("new-thing"), SKOS.prefLabel, Literal("new thing", lang="en")))


def _requote(g: Graph) -> None:
    for sel in g.objects(PASSAGE, OA.hasSelector):
        if g.value(sel, OA.exact) is not None:
            _set(g, sel, OA.exact, Literal("Atherosclerosis can lead to calcification.", lang="en"))


#: edit -> (section, key, field): what the diff must report
EDITS: dict[str, tuple[Callable[[Graph], None], str, str, str | None]] = {
    "relabel a concept": (lambda g: _set(g, concept("burn"), SKOS.prefLabel, Literal("burns", lang="en")),
                          "concepts", "pk:burn", "label"),
    "add a concept": (_add_concept, "concepts", "pk:new-thing", None),
    "drop a statement": (_drop_statement, "statements",
                         "pk:atherosclerosis pko:isRiskFactorFor pk:dystrophic-calcification", None),
    "requote a passage": (_requote, "evidence", f"pkev:{str(PASSAGE).split('/evidence/', 1)[1]}", "quote"),
    "firm up a passage": (lambda g: _set(g, PASSAGE, PKO.certainty, PKO.Stated), "qualifiers",
                          f"pkev:{str(PASSAGE).split('/evidence/', 1)[1]}", "certainty"),
    "relabel a category": (lambda g: _set(g, PKO.DrugClass, RDFS.label, Literal("drugs", lang="en")),
                           "ontology terms", "pko:DrugClass", "label"),
    "drop a mapping": (lambda g: g.remove((concept("pathological-calcification"), SKOS.exactMatch,
                                           URIRef("http://id.nlm.nih.gov/mesh/D002114"))),
                       "mappings", "pk:pathological-calcification skos:exactMatch MESH:D002114", None),
}


@pytest.fixture(scope="module")
def release_copy(release_dir: Path) -> Graph:
    return Graph().parse(release_dir / TURTLE)


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_diff_reports_each_kind_of_change(edit: str, release_dir: Path, release_copy: Graph, tmp_path: Path) -> None:
    change, section, key, field = EDITS[edit]
    g = Graph()
    for t in release_copy:
        g.add(t)
    change(g)
    new = tmp_path / "pathokg.ttl"
    g.serialize(new, format="turtle")
    diff = diff_releases(release_dir, new)
    assert diff.has_changes
    d = diff.sections[section]
    if field is None:
        assert key in d.added + d.removed, (d.added, d.removed)
    else:
        assert field in d.changed[key], d.changed.get(key)
    others = [name for name, other in diff.sections.items() if other and name != section]
    assert others in ([], ["statements"], ["evidence"]), others  # an edit may touch what it links to
    assert diff.triples  # and the raw triples say so too
    assert key in to_markdown(diff)


def test_no_change_is_exit_0(release_dir: Path) -> None:
    result = CliRunner().invoke(main, ["diff", str(release_dir), str(release_dir)])
    assert result.exit_code == 0, result.output
    assert "No change." in result.output


def test_changes_are_exit_1_and_json_is_machine_readable(release_dir: Path, release_copy: Graph,
                                                         tmp_path: Path) -> None:
    g = Graph()
    for t in release_copy:
        g.add(t)
    EDITS["firm up a passage"][0](g)
    new = tmp_path / "new.ttl"
    g.serialize(new, format="turtle")
    out = tmp_path / "diff.json"
    result = CliRunner().invoke(main, ["diff", str(release_dir), str(new), "--format", "json", "--out", str(out)])
    assert result.exit_code == 1, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["changed"] is True
    changed = data["sections"]["qualifiers"]["changed"]
    (key,) = changed
    assert changed[key]["certainty"] == {"old": ["pko:Possible"], "new": ["pko:Stated"]}
    assert set(data["sections"]) == {"concepts", "ontology terms", "statements", "evidence", "qualifiers", "mappings"}


@pytest.mark.parametrize("arg", ["missing-folder", "empty"])
def test_no_release_there_is_exit_2(arg: str, release_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / arg
    if arg == "empty":
        path.mkdir()
    result = CliRunner().invoke(main, ["diff", str(release_dir), str(path)])
    assert result.exit_code == 2
    assert "error:" in result.output and str(path) in result.output
