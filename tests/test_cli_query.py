"""The command line: pathokg queries / query / sparql, formats, errors, --endpoint."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from .helpers.server import running_server


def cli(*args: str, release: Path) -> subprocess.CompletedProcess[str]:
    extra = ["--release", str(release)] if args and args[0] in {"query", "sparql"} else []
    return subprocess.run([sys.executable, "-m", "pathokg", *args, *extra], capture_output=True,
                          text=True, timeout=120)


def test_queries_lists_every_named_query(release_dir: Path) -> None:
    out = cli("queries", release=release_dir)
    assert out.returncode == 0 and "risk-factors" in out.stdout and "evidence" in out.stdout


def test_query_table_and_machine_formats(release_dir: Path) -> None:
    table = cli("query", "kinds-of", release=release_dir)
    assert table.returncode == 0 and "contusion" in table.stdout and "4 row(s)" in table.stdout
    srj = cli("query", "concept-lookup", "-p", "text=ckd", "--format", "json", release=release_dir)
    bindings = json.loads(srj.stdout)["results"]["bindings"]
    assert [b["label"]["value"] for b in bindings] == ["chronic kidney disease"]
    ttl = cli("query", "neighbourhood", "--format", "ttl", release=release_dir)
    assert len(Graph().parse(data=ttl.stdout, format="turtle")) > 10
    asserted = cli("query", "treated-by", "--asserted-only", "--format", "csv", release=release_dir)
    assert asserted.stdout.strip() == "treatment,label,certainty"


@pytest.mark.parametrize("args,message", [
    (("query", "nope"), "no named query 'nope'"),
    (("query", "kinds-of", "-p", "zz=1"), "has no parameter zz"),
    (("query", "kinds-of", "--format", "ttl"), "does not fit a SELECT result"),
    (("sparql", "SELECT * WHERE { ?s ?p }"), "line 1, column 25"),
    (("sparql", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"), "SERVICE"),
    (("sparql", "DELETE WHERE { ?s ?p ?o }"), "read-only"),
])
def test_errors_are_clear_without_traceback(release_dir: Path, args: tuple[str, ...],
                                            message: str) -> None:
    out = cli(*args, release=release_dir)
    assert out.returncode == 2 and message in out.stderr and "Traceback" not in out.stderr


def test_sparql_from_file_and_time_limit(release_dir: Path, tmp_path: Path) -> None:
    f = tmp_path / "q.rq"
    f.write_text("PREFIX pk: <concept/>\nASK { pk:nsaids ?p ?o }\n")
    out = cli("sparql", "-F", str(f), "--format", "srj", release=release_dir)
    assert json.loads(out.stdout)["boolean"] is True
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    out = cli("sparql", heavy, "--timeout", "1", release=release_dir)
    assert out.returncode == 2 and "time limit" in out.stderr


@pytest.mark.parametrize("args", [("sparql", "SELECT * WHERE { ?s ?p }"),
                                  ("query", "kinds-of", "-p", "zz=1"),
                                  ("sparql", "ASK { ?s ?p ?o }")])
def test_time_limit_is_disarmed_however_the_command_ends(release_dir: Path,
                                                         args: tuple[str, ...]) -> None:
    """Regression: a query that raised left its watchdog armed, and the watchdog ends the whole
    process (os._exit): a notebook or test runner calling the command in-process died later."""
    from click.testing import CliRunner

    from pathokg.cli import main as cli_main

    before = {t for t in threading.enumerate() if isinstance(t, threading.Timer)}
    CliRunner().invoke(cli_main, [*args, "--release", str(release_dir), "--timeout", "600"])
    armed = {t for t in threading.enumerate()
             if isinstance(t, threading.Timer) and t.is_alive()} - before
    for t in armed:
        t.join(1)
    assert not [t for t in armed if t.is_alive()]


@pytest.fixture(scope="module")
def server(release_dir: Path) -> Iterator[str]:
    with running_server(release_dir) as base:
        yield base


@pytest.mark.server
@pytest.mark.parametrize("name", ["contrast", "mechanism-path", "diagnostic-methods",
                                  "treatments", "preventive-measures", "neighbourhood"])
def test_endpoint_option_gives_the_same_answers(server: str, release_dir: Path,
                                                name: str) -> None:
    fmt = "nt" if name == "neighbourhood" else "tsv"
    local = cli("query", name, "--format", fmt, release=release_dir)
    remote = subprocess.run([sys.executable, "-m", "pathokg", "query", name, "--format", fmt,
                             "--endpoint", server + "/sparql"], capture_output=True, text=True,
                            timeout=120)
    assert remote.returncode == 0, remote.stderr
    assert sorted(remote.stdout.splitlines()) == sorted(local.stdout.splitlines())
    assert len(local.stdout.splitlines()) > 2


@pytest.mark.server
@pytest.mark.parametrize("args", [("query", "concepts-by-category", "--limit", "3", "--offset", "2"),
                                  ("query", "risk-factors", "--labels", "--limit", "2"),
                                  ("sparql", "SELECT ?c WHERE { ?c a pko:Concept } ORDER BY ?c",
                                   "--labels", "--offset", "5", "--limit", "4")])
def test_endpoint_option_with_window_and_labels(server: str, release_dir: Path,
                                                args: tuple[str, ...]) -> None:
    """--limit/--offset and --labels give over --endpoint what they give on the embedded graph."""
    local = cli(*args, "--format", "csv", release=release_dir)
    remote = subprocess.run([sys.executable, "-m", "pathokg", *args, "--format", "csv",
                             "--endpoint", server + "/sparql"], capture_output=True, text=True,
                            timeout=120)
    assert remote.returncode == 0, remote.stderr
    assert remote.stdout == local.stdout and len(local.stdout.splitlines()) > 2
