"""What the routes share: the worker pool, the remembered checks, and turning answers and errors
into responses."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.responses import PlainTextResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from ..errors import PathoKGError, QueryError
from ..querying.files import QueryFile, read_query_file
from ..querying.formats import graph_format, negotiate, solution_format
from ..querying.params import bind_params
from ..querying.results import QueryResult
from ..querying.safety import check_query
from .workers import Answer, Job, WorkerPool

#: The server's page templates (``pathokg/web/templates``).
TEMPLATES = Environment(loader=PackageLoader("pathokg.web", "templates"),
                        autoescape=select_autoescape(["html"]))
#: How many checked query texts the server remembers.
CHECKED_TEXTS = 4096


@dataclass
class ServerSettings:
    """How to serve: which release (or a prepared N-Quads dataset), workers and limits."""

    release: Path | None = None
    dataset: Path | None = None
    workers: int = 2
    timeout: float = 10.0


def error_response(exc: PathoKGError) -> Response:
    """A plain-text answer with the status the error's type maps to."""
    return PlainTextResponse(f"{exc}\n", status_code=exc.http_status)


def answer_response(answer: Answer) -> Response:
    """A serialised result, with a charset for text media types."""
    media = answer.media_type
    if media.startswith("text/") or media.endswith("+xml"):
        media += "; charset=utf-8"
    return Response(answer.body, media_type=media)


class App:
    """The state behind the routes: the worker pool and the settings."""

    def __init__(self, settings: ServerSettings):
        self.settings = settings
        self.pool: WorkerPool | None = None
        self._template_forms: dict[str, str] = {}
        #: query text -> form, for texts a worker has checked and answered (bounded LRU): the
        #: other workers then skip rdflib's parse of the same text (10 to 40 ms a query)
        self._checked: OrderedDict[str, str] = OrderedDict()

    def template_form(self, query: QueryFile) -> str:
        """The form of a named query, checked once with its parameters unbound.

        A named query's text is the project's own; a request only binds its parameters, as IRIs
        or escaped literals (:func:`~pathokg.querying.params.param_term`) that cannot change the
        query's structure. So the check of the template holds for every binding, and the worker
        need not parse each bound text again (rdflib's parser takes 10 to 40 ms a query).

        :raises QueryError: if the template itself is refused or malformed.
        """
        form = self._template_forms.get(query.name)
        if form is None:
            form = self._template_forms[query.name] = check_query(query.text_with_base())
        return form

    async def run(self, job: Job) -> Answer:
        """Run a job on the pool."""
        if self.pool is None:
            raise QueryError("the server is starting; try again in a moment")
        return await self.pool.run(job)

    async def run_negotiated(self, text: str, accept: str | None, *, inferred: bool = True,
                             fmt: str | None = None, checked_form: str | None = None) -> Response:
        """Run a query and answer in the format asked for (``fmt``) or negotiated (``accept``).

        ``checked_form``: the form of a named query's template (:meth:`template_form`).
        """
        if fmt:
            sol, graph = solution_format(fmt), graph_format(fmt)
            if sol is None and graph is None:
                return PlainTextResponse(f"unknown format {fmt!r}\n", status_code=400)
        else:
            sol, graph = negotiate(accept, graph=False), negotiate(accept, graph=True)
            if sol is None and graph is None:
                return PlainTextResponse(
                    f"none of the accepted media types ({accept}) can be produced\n", 406)
        known = checked_form or self._checked.get(text)
        job = Job(text, inferred, sol.name if sol else None, graph.name if graph else None, known)
        try:
            answer = await self.run(job)
        except PathoKGError as exc:
            return error_response(exc)
        if known is None:
            self._checked[text] = answer.form
            if len(self._checked) > CHECKED_TEXTS:
                self._checked.popitem(last=False)
        elif text in self._checked:
            self._checked.move_to_end(text)
        return answer_response(answer)

    async def rows(self, query_file: Path, concept_iri: str) -> list[dict[str, Any]]:
        """Rows of an internal query about a concept, as dicts of lexical values."""
        text = bind_params(read_query_file(query_file), {"concept": f"<{concept_iri}>"})
        answer = await self.run(Job(text, True, "srj", None))
        return QueryResult(answer.form, srj=answer.body).rows
