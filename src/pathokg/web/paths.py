"""``/api/paths``: the paths connecting two concepts, hop by hop, as JSON.

The rows of the named query ``connecting-paths`` (one per passage of each relation of each hop,
run on the workers like every query) grouped into paths, hops, statements and their evidence:

>>> row = {"length": 1, "route": "a -> b", "hop": 1, "subject": "urn:a", "subjectLabel": "a",
...        "relation": "causes", "object": "urn:b", "objectLabel": "b", "direction": "as stated",
...        "statementCertainty": "possible", "certainty": "possible", "conditions": None,
...        "section": "S", "quote": "a can cause b", "start": 10}
>>> [p["route"] for p in paths_from_rows([row])], paths_from_rows([row])[0]["hops"][0]["from"]
(['a -> b'], 'urn:a')
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from ..errors import QueryError
from ..querying.formats import solution_format
from ..querying.params import bind_params
from ..querying.results import QueryResult
from ..querying.values import resolve_values
from .concepts import concept_href
from .state import App, error_response

#: The named query behind the route.
PATHS_QUERY = "connecting-paths"


def paths_from_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of ``connecting-paths`` as paths (in the query's order: shortest first), each with
    its hops, each hop with the relations between its two concepts and their passages."""
    paths: dict[str, dict[str, Any]] = {}
    for r in rows:
        path = paths.setdefault(r["route"], {"route": r["route"], "length": int(r["length"]),
                                             "hops": {}})
        a, b = ((r["subject"], r["object"]) if r["direction"] == "as stated"
                else (r["object"], r["subject"]))
        la, lb = ((r["subjectLabel"], r["objectLabel"]) if r["direction"] == "as stated"
                  else (r["objectLabel"], r["subjectLabel"]))
        hop = path["hops"].setdefault(int(r["hop"]), {
            "hop": int(r["hop"]), "from": str(a), "fromLabel": la, "to": str(b), "toLabel": lb,
            "statements": {}})
        key = (str(r["subject"]), r["relation"], str(r["object"]))
        statement = hop["statements"].setdefault(key, {
            "subject": key[0], "subjectLabel": r["subjectLabel"], "relation": r["relation"],
            "object": key[2], "objectLabel": r["objectLabel"], "direction": r["direction"],
            "certainty": r["statementCertainty"], "evidence": []})
        statement["evidence"].append({"quote": r["quote"], "section": r["section"],
                                      "start": int(r["start"]), "certainty": r["certainty"],
                                      "conditions": r["conditions"].split(" | ")
                                      if r["conditions"] else []})
    out = []
    for path in paths.values():
        hops = [{**h, "statements": list(h["statements"].values())}
                for _, h in sorted(path["hops"].items())]
        concepts = [hops[0]["from"], *(h["to"] for h in hops)]
        out.append({"route": path["route"], "length": path["length"], "concepts": concepts,
                    "pages": [concept_href(c) for c in concepts], "hops": hops})
    return out


def paths_router(state: App) -> APIRouter:
    """``/api/paths`` over the app's worker pool."""
    router = APIRouter(prefix="/api", tags=["paths"])

    @router.get("/paths", summary="The paths connecting two concepts, in either direction",
                description="`from` and `to` take any name of a concept (id, label, synonym, "
                            "abbreviation, CURIE). The paths of up to three stated relations, "
                            "each followed as the article states it or against it (`direction`), "
                            "shortest first; every relation with its certainty and its passages "
                            "(quote, section, certainty, conditions). The same paths as "
                            "`pathokg analyze --path` and the named query `connecting-paths`.")
    async def paths(request: Request) -> Response:
        fields = parse_qsl(request.url.query, keep_blank_values=True)
        given = dict(fields)
        if len(given) != len(fields) or set(given) != {"from", "to"}:
            return PlainTextResponse("give `from` and `to` once each (any name of a concept)\n", 400)
        try:
            query = state.named_query(PATHS_QUERY)
            bound = bind_params(query, resolve_values(query, given, await state.names("concept")))
            fmt = solution_format("srj")
            assert fmt is not None
            answer = await state.run(state.job(bound, fmt, inferred=False))
        except QueryError as exc:
            return error_response(exc)
        rows = QueryResult(answer.form, srj=answer.body).rows
        return JSONResponse({"from": bound.values["from"].value, "to": bound.values["to"].value,
                             "paths": paths_from_rows(rows)})

    return router
