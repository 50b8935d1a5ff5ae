"""The embedded query engine: a pyoxigraph store and the way every query runs on it.

The asserted triples of a release are the store's default graph; the entailments the build wrote
(``pathokg-inferred.ttl``) are the named graph :data:`~pathokg.vocab.INFERRED_GRAPH`, the HPO backbone
(``hpo-import.ttl``, ``hpo-annotations.ttl``) the graphs :data:`~pathokg.vocab.HPO_GRAPH` and
:data:`~pathokg.vocab.HPO_ANNOTATIONS_GRAPH`. A query sees them all by default (``inferred=True``) or
the asserted triples only, pathokg's and HPO's (``inferred=False``). Every query
is checked by :mod:`pathokg.querying.safety` first.

>>> engine = Engine.from_release()
>>> engine.execute("ASK { ?s ?p ?o }").boolean
True
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import QueryError, QueryLimitError
from ..rdf.store import inferred_graph
from ..vocab import HPO_ANNOTATIONS_GRAPH, HPO_GRAPH
from .files import with_base
from .release import release_store
from .results import QueryResult
from .safety import check_query

#: The asserted triples: pathokg's (the default graph) and the HPO backbone's named graphs, which
#: are asserted by HPO (empty in a release built with ``--hpo none``).
_ASSERTED = [ox.DefaultGraph(), *(ox.NamedNode(str(g)) for g in (HPO_GRAPH, HPO_ANNOTATIONS_GRAPH))]
_UNION = [*_ASSERTED, inferred_graph()]


@dataclass
class Engine:
    """A store over one release, and the way every query runs on it."""

    store: ox.Store

    @classmethod
    def from_release(cls, out_dir: Path | str | None = None) -> Engine:
        """An engine over the release in ``out_dir`` (default ``dist/``, or ``$PATHOKG_DIST``).

        :raises ReleaseError: there is no release there.
        """
        return cls(release_store(out_dir))

    def execute(self, text: str, *, inferred: bool = True,
                checked_form: str | None = None) -> QueryResult:
        """Check and run a query; return its result.

        :param text: SPARQL; pathokg's relative IRIs resolve against the base.
        :param inferred: include the entailed triples (default) or only the asserted ones.
        :param checked_form: the form :func:`~pathokg.querying.safety.check_query` returned, if known.
        :raises QueryError: refused, malformed or failed.
        """
        form = checked_form or check_query(text)
        default_graph: Any = _UNION if inferred else _ASSERTED
        try:
            raw = self.store.query(with_base(text), default_graph=default_graph)
            result = QueryResult.from_oxigraph(form, raw)
            del raw  # Oxigraph's result objects must be dropped on the thread that made them
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from None
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"the query failed: {exc}") from None
        return result

    def run(self, text: str, *, inferred: bool = True, timeout: float | None = None) -> QueryResult:
        """Like :meth:`execute`, with an optional time limit in seconds.

        Oxigraph cannot interrupt a running query: past the limit this raises and the query keeps
        its thread until it ends. The CLI exits after such an error; the server runs queries in
        worker processes that it kills instead (:mod:`pathokg.web.workers`).
        """
        if timeout is None:
            return self.execute(text, inferred=inferred)
        box: dict[str, Any] = {}

        def target() -> None:
            try:
                box["result"] = self.execute(text, inferred=inferred)
            except QueryError as exc:
                box["error"] = exc

        thread = threading.Thread(target=target, daemon=True, name="pathokg-query")
        thread.start()
        thread.join(timeout)
        if thread.is_alive():
            raise QueryLimitError(f"the query ran longer than the time limit of {timeout:g} s", 503)
        if "error" in box:
            raise box["error"]
        return box["result"]
