"""pathokg: an open knowledge graph of pathology concepts, with evidence behind every relation.

>>> import pathokg
>>> report = pathokg.build("dist")            # doctest: +SKIP
>>> graph = pathokg.load()                    # an rdflib Graph of the release
"""

from .build import BuildReport, build, load
from .engine import Engine, construct_graph, get_query, list_queries, query, sparql
from .errors import (
    PathoKGError,
    QueryError,
    QueryLimitError,
    QueryRefused,
    QuerySyntaxError,
    ReasonerUnavailable,
    RemoteError,
    SourceError,
    ValidationError,
)
from .inference import inferred_triples
from .results import QueryResult

__all__ = [
    "BuildReport",
    "Engine",
    "PathoKGError",
    "QueryError",
    "QueryLimitError",
    "QueryRefused",
    "QueryResult",
    "QuerySyntaxError",
    "ReasonerUnavailable",
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
