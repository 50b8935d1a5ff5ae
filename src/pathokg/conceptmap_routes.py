"""HTTP routes of the concept map, mounted by the server at ``/`` and ``/map``.

Placeholder until the concept map lands: it serves a minimal page that links to the other pages.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter()


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home() -> str:
    """The landing page."""
    return ("<!doctype html><html lang=en><meta charset=utf-8><title>pathokg</title>"
            "<h1>pathokg</h1><ul><li><a href=/query>SPARQL query page</a></li>"
            "<li><a href=/api/docs>API docs</a></li></ul></html>")
