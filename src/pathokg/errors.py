"""The exception tree of pathokg, and the exit code each kind of error maps to at the CLI boundary.

Every error pathokg raises on purpose is a :class:`PathoKGError`; its message is written for the
user (what went wrong, and what to do). The CLI turns ``exit_code`` into the process exit status;
the server turns ``http_status`` into the response status. Nothing outside this module defines an
exception class.

Exit codes: 0 success; 1 validation failed (the graph does not conform); 2 bad input (a source file,
a query, an argument); 3 a needed tool is missing (Java, a browser, a server program); 4 a remote
store or endpoint refused or failed.

>>> QueryNotFound("no named query 'x'").http_status
404
>>> issubclass(ConceptNotFound, PathoKGError), ConceptNotFound.exit_code
(True, 2)
"""

from __future__ import annotations

from dataclasses import dataclass


class PathoKGError(Exception):
    """Base of every error pathokg raises on purpose; its message is meant for the user."""

    exit_code = 2
    http_status = 400


@dataclass
class SourceProblem:
    """One problem in a curated source file, located precisely enough to fix it."""

    file: str
    line: int | None
    item: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.item}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class SourceError(PathoKGError):
    """A curated source file is malformed or says something the build cannot accept."""

    exit_code = 2

    def __init__(self, problems: list[SourceProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Violation:
    """One validation result: the focus node, the rule that failed and what it says."""

    focus: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.focus}: [{self.rule}] {self.message}"


class ValidationError(PathoKGError):
    """The assembled graph does not pass SHACL, the QC queries or the OWL reasoner."""

    exit_code = 1

    def __init__(self, violations: list[Violation]):
        self.violations = violations
        super().__init__(
            f"{len(violations)} validation violation(s):\n" + "\n".join(str(v) for v in violations)
        )


class ConceptNotFound(PathoKGError):
    """A concept named by the user (id, label or synonym) is not in the graph, or names several."""

    exit_code = 2
    http_status = 404


class UnknownViewError(PathoKGError):
    """A concept-map view name that has no query file."""

    exit_code = 2


class ExportError(PathoKGError):
    """An export cannot be written faithfully (e.g. a value would be split by the Neo4j importer)."""

    exit_code = 2


class ReleaseError(PathoKGError):
    """A release folder is missing, incomplete or unreadable."""

    exit_code = 2


class OutputError(PathoKGError):
    """pathokg will not or cannot write where it was asked: the folder or file there is not
    pathokg's to replace (``--force`` replaces it anyway), or it cannot be written."""

    exit_code = 2


class ArgumentError(PathoKGError):
    """An argument that cannot be right whatever the data (a malformed URL, a port out of range)."""

    exit_code = 2


class ToolMissing(PathoKGError):
    """A program pathokg needs here is not installed or did not start (Java, a browser, a server)."""

    exit_code = 3


class ReasonerUnavailable(ToolMissing):
    """No Java runtime to run HermiT; the OWL step cannot run here."""


class ExtraMissing(ToolMissing):
    """A feature needs a package of one of pathokg's optional extras, which is not installed (the
    message names the extra to install)."""


class QueryError(PathoKGError):
    """A query is unknown, malformed, refused or failed."""

    exit_code = 2


class QueryNotFound(QueryError):
    """No named query has this name."""

    http_status = 404


class RemoteError(PathoKGError):
    """A remote endpoint or store could not be reached, refused the request or answered wrongly."""

    exit_code = 4
    http_status = 502


class QueryRefused(QueryError):
    """A query asks for something a read-only, closed endpoint never does (an update, SERVICE,
    FROM, LOAD or GRAPH on an outside IRI); it was refused before execution."""

    http_status = 403


class QuerySyntaxError(QueryError):
    """A query is not valid SPARQL; the message carries the parser's message and position."""

    http_status = 400


class QueryLimitError(QueryError):
    """A query or its result is larger than the configured limit, or it ran past the time limit."""

    http_status = 413

    def __init__(self, message: str, http_status: int = 413):
        super().__init__(message)
        self.http_status = http_status


class QueryFailed(QueryError):
    """The query engine or a worker failed while answering a valid query."""

    http_status = 500


class RequestError(PathoKGError):
    """An HTTP request the server cannot take as it is (its method, media type, parameters, body
    or timing); ``http_status`` says which (400, 408, 413, 415)."""

    exit_code = 2

    def __init__(self, message: str, http_status: int = 400):
        super().__init__(message)
        self.http_status = http_status
