"""The ``pathokg`` command: a thin layer over the library, one module per command group.

Exit codes: 0 success; 1 validation failed; 2 bad input (source file, query, argument);
3 a needed tool is missing (Java, a browser, a server program); 4 a remote store or endpoint failed.
"""

from __future__ import annotations

from .exports import analyze_command, export_command
from .group import main
from .maps import map_command
from .query import queries_command, query_command, sparql_command
from .release import build_command, diff_command, publish_command
from .serve import serve_command

for _command in (build_command, queries_command, query_command, sparql_command, serve_command,
                 map_command, export_command, analyze_command, publish_command, diff_command):
    main.add_command(_command)

__all__ = ["main"]
