"""The SSSOM mapping set: sssom-py's own validator accepts it with no error, its RDF conversion is
valid RDF, the set has its metadata, and object_label is the source's label (notes in comment)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from rdflib.namespace import OWL

from pathokg.curation.xrefs import XrefRow, read_table, source_label
from pathokg.paths import SSSOM, XREFS_FILE
from pathokg.vocab import ONTOLOGY_IRI

from .helpers import require


def _sssom() -> str:
    exe = shutil.which("sssom") or str(Path(sys.executable).with_name("sssom"))
    require(Path(exe).is_file(), "sssom-py not installed (pip install -e '.[test]')")
    return exe


def _metadata(path: Path) -> dict:
    lines = [line[1:] for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    return yaml.safe_load("\n".join(lines))


def _rows(path: Path) -> list[dict[str, str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:] if line]


@pytest.mark.slow
def test_sssom_validate_accepts_the_mapping_set(release_dir: Path) -> None:
    result = subprocess.run([_sssom(), "validate", str(release_dir / SSSOM)], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "error" not in (result.stdout + result.stderr).lower(), result.stdout + result.stderr


@pytest.mark.slow
def test_sssom_validate_fails_a_broken_set(release_dir: Path, tmp_path: Path) -> None:
    """The validator is not a formality: the 0.1.0 mistake (a provider that is not a URI) fails it."""
    broken = tmp_path / "broken.sssom.tsv"
    text = (release_dir / SSSOM).read_text(encoding="utf-8")
    broken.write_text(text.replace("#mapping_provider: https://w3id.org/pathokg/", "#mapping_provider: pathokg"),
                      encoding="utf-8")
    result = subprocess.run([_sssom(), "validate", str(broken)], capture_output=True, text=True, timeout=300)
    assert result.returncode != 0


@pytest.mark.slow
def test_sssom_rdf_conversion_is_valid_rdf(release_dir: Path, tmp_path: Path) -> None:
    """Regression (issue 14): `sssom convert` wrote `<pathokg>`, which pyoxigraph rejects."""
    out = tmp_path / "mappings.ttl"
    subprocess.run([_sssom(), "convert", str(release_dir / SSSOM), "-O", "rdf", "-o", str(out)],
                   check=True, capture_output=True, timeout=300)
    quads = list(ox.parse(path=str(out), format=ox.RdfFormat.TURTLE))
    assert len(quads) > 1000
    assert all(q.subject.value.startswith(("http", "urn")) for q in quads if isinstance(q.subject, ox.NamedNode))


def test_the_mapping_set_has_its_metadata(release_dir: Path, release_graph) -> None:
    meta = _metadata(release_dir / SSSOM)
    for key in ("mapping_set_id", "mapping_set_version", "mapping_set_title", "mapping_set_description",
                "license", "publication_date", "creator_id", "creator_label", "mapping_provider",
                "subject_source", "subject_source_version", "sssom_version", "curie_map"):
        assert meta.get(key), key
    version = release_graph.value(ONTOLOGY_IRI, OWL.versionInfo)
    assert str(meta["mapping_set_version"]) == str(version)
    rows = _rows(release_dir / SSSOM)
    assert {r["mapping_justification"] for r in rows} == {"semapv:ManualMappingCuration"}
    assert all(r["object_source"].startswith("obo:") for r in rows if r["object_id"].startswith(("HP:", "MONDO:")))


def test_object_label_is_the_sources_label(release_dir: Path) -> None:
    """Regression (issue 14): 77 object labels held editorial notes ("(HP label; SNOMED FSN not seen)")."""
    table = {(r.curie, r.label_in_source) for r in read_table(XREFS_FILE)}
    for row in _rows(release_dir / SSSOM):
        label = row["object_label"]
        assert "label;" not in label and "label)" not in label and "synonym:" not in label
        assert not label or any(curie == row["object_id"] and text.startswith(label) for curie, text in table)


@pytest.mark.parametrize(("curie", "text", "label", "note"), [
    ("HP:0003761", "Calcinosis", "Calcinosis", ""),
    ("MESH:D002114", "Calcinosis (entry term: Pathologic Calcification)", "Calcinosis",
     "entry term: Pathologic Calcification"),
    ("SNOMEDCT:6595006", "Calcinosis (HP label; SNOMED FSN not seen)", "",
     "the label seen, Calcinosis, comes from the HP term it is a cross-reference on; SNOMED FSN not seen"),
    ("UMLS:C0004364", "Autoimmunity / autoimmune disease (HP & MONDO labels)", "",
     "the label seen, Autoimmunity / autoimmune disease, comes from the HP & MONDO term it is a cross-reference on"),
    ("SNOMEDCT:77477000", "Computed tomography (procedure)", "Computed tomography (procedure)", ""),
    ("SNOMEDCT:16310003", "Ultrasonography (procedure) / Diagnostic ultrasonography (procedure)",
     "Ultrasonography (procedure)", "also seen: Diagnostic ultrasonography (procedure)"),
    ("MONDO:0024308", "pseudoxanthoma elasticum (inherited or acquired) (synonyms: pseudoxanthoma elasticum, PXE)",
     "pseudoxanthoma elasticum (inherited or acquired)", "synonyms: pseudoxanthoma elasticum, PXE"),
])
def test_source_label(curie: str, text: str, label: str, note: str) -> None:
    assert source_label(XrefRow("c", curie, text, "exact", "", 0)) == (label, note)
