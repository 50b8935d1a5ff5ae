"""pathokg: an open knowledge graph of pathology concepts, with evidence behind every relation.

>>> import pathokg
>>> report = pathokg.build("dist")            # doctest: +SKIP
>>> graph = pathokg.load()                    # an rdflib Graph of the release
"""

from .build import BuildReport, build, load, register_release_writer
from .errors import (
    PathoKGError,
    QueryError,
    ReasonerUnavailable,
    RemoteError,
    SourceError,
    ValidationError,
)

__all__ = [
    "BuildReport",
    "PathoKGError",
    "QueryError",
    "ReasonerUnavailable",
    "RemoteError",
    "SourceError",
    "ValidationError",
    "build",
    "load",
    "register_release_writer",
]
__version__ = "0.1.0"
