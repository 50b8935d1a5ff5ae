"""pathokg: an open knowledge graph of pathology concepts, with evidence behind every relation.

>>> import pathokg
>>> report = pathokg.build("dist")            # doctest: +SKIP
>>> graph = pathokg.load()                    # an rdflib Graph of the release
>>> pathokg.query("concept-lookup", text="CKD").rows[0]["label"]
'chronic kidney disease'

The package is layered, one subpackage per stage (see CONTRIBUTING.md): ``rdf`` (stores,
canonical serialisation, atomic writes), ``curation``, ``checks``, ``query``, ``exports``,
``conceptmap``, ``release``, ``web`` and ``cli``. The names below are imported on first use, so
``import pathokg`` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .errors import (
    ConceptNotFound,
    PathoKGError,
    QueryError,
    QueryLimitError,
    QueryNotFound,
    QueryRefused,
    QuerySyntaxError,
    ReasonerUnavailable,
    ReleaseError,
    RemoteError,
    SourceError,
    ValidationError,
)

if TYPE_CHECKING:
    from .querying.api import construct_graph, query, sparql
    from .querying.engine import Engine
    from .querying.files import get_query, list_queries
    from .querying.inference import inferred_triples
    from .querying.release import load
    from .querying.results import QueryResult
    from .release.build import BuildReport, build

#: public name -> the module that defines it
_LAZY = {
    "BuildReport": "release.build", "build": "release.build",
    "Engine": "querying.engine", "QueryResult": "querying.results",
    "construct_graph": "querying.api", "query": "querying.api", "sparql": "querying.api",
    "get_query": "querying.files", "list_queries": "querying.files",
    "inferred_triples": "querying.inference", "load": "querying.release",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pathokg' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "BuildReport",
    "ConceptNotFound",
    "Engine",
    "PathoKGError",
    "QueryError",
    "QueryLimitError",
    "QueryNotFound",
    "QueryRefused",
    "QueryResult",
    "QuerySyntaxError",
    "ReasonerUnavailable",
    "ReleaseError",
    "RemoteError",
    "SourceError",
    "ValidationError",
    "build",
    "construct_graph",
    "get_query",
    "inferred_triples",
    "list_queries",
    "load",
    "query",
    "sparql",
]
__version__ = "0.1.0"
