"""Every user mistake gets one clear line: the exit code the README documents, a message that names
the thing and says what to do, no traceback, and nothing half-written.

Each case is a real ``pathokg`` process in a scratch folder that holds a release, a corrupt and an
incomplete release, a folder and files of the user's, and a file where a folder should be. The
whole scratch folder is compared before and after: a mistake changes nothing and leaves no
temporary file behind.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pathokg.paths import INFERRED, RELEASE_MARKER, TURTLE

from .helpers import require
from .helpers.triplestores import OxigraphServer, free_port, oxigraph_executable

#: The README's exit codes.
BAD_INPUT, TOOL_MISSING, REMOTE_FAILED = 2, 3, 4


@dataclass(frozen=True)
class Mistake:
    """A command a user might type wrongly, and what pathokg must answer."""

    what: str
    args: tuple[str, ...]
    exit_code: int
    says: tuple[str, ...]  # every fragment must be in the message: the thing, and what to do
    env: tuple[tuple[str, str], ...] = ()


def m(what: str, args: str | tuple[str, ...], code: int, *says: str,
      env: tuple[tuple[str, str], ...] = ()) -> Mistake:
    return Mistake(what, tuple(args.split()) if isinstance(args, str) else args, code, says, env)


MISTAKES = [
    # build: folders that are not a release, places that cannot be written, bad arguments
    m("build into a folder of the user's", "build --no-reasoner --out mine", BAD_INPUT,
      "mine is not a pathokg release", "notes.txt", "--force"),
    m("build into the current directory", "build --no-reasoner --out .", BAD_INPUT,
      "refusing to replace .", "current directory", "folder of its own"),
    m("build into a release holding a user's file", "build --no-reasoner --out edited", BAD_INPUT,
      "edited holds 1 file(s) pathokg did not write", "my-notes.txt", "--force"),
    m("build under a file (unwritable --out)", "build --no-reasoner --out afile/dist", BAD_INPUT,
      "cannot write afile/dist: afile is a file", "--out"),
    m("build from a source file that does not exist", "build --source missing.yaml", BAD_INPUT,
      "missing.yaml", "does not exist"),
    m("build with a misspelled option", "build --no-reasonr", BAD_INPUT,
      "No such option", "--no-reasonr"),
    m("build --reasoner without Java", "build --reasoner --out new-dist", TOOL_MISSING,
      "Java was not found", "--no-reasoner", env=(("PATH", "{tmp}/empty-bin"),)),
    # export
    m("export neo4j into a folder of the user's", "export --format neo4j --out mine", BAD_INPUT,
      "mine is not a pathokg Neo4j export", "--force"),
    m("export neo4j into the current directory", "export --format neo4j --out .", BAD_INPUT,
      "refusing to replace .", "current directory"),
    m("export over a file pathokg did not write", "export --format graphml --out notes.graphml",
      BAD_INPUT, "notes.graphml exists and was not written by pathokg", "--force"),
    m("export under a file (unwritable --out)", "export --format gexf --out afile/x.gexf", BAD_INPUT,
      "cannot write afile/x.gexf: afile is a file"),
    m("export without --format", "export", BAD_INPUT, "Missing option '--format'"),
    m("export with an unknown format", "export --format graphviz", BAD_INPUT,
      "'graphviz' is not one of", "graphml"),
    m("export from a mistyped release", "export --format gexf --release typo", BAD_INPUT,
      "typo holds no pathokg release", "pathokg build --out typo"),
    # map
    m("map over a file pathokg did not write", "map --out page.html", BAD_INPUT,
      "page.html exists and was not written by pathokg", "--force"),
    m("map under a file (unwritable --out)", "map --out afile/m.html", BAD_INPUT,
      "cannot write afile/m.html: afile is a file"),
    m("map with an unknown view", "map --view overveiw --out v.html", BAD_INPUT,
      "unknown view 'overveiw'", "overview"),
    m("map focused on a misspelled concept", "map --focus kidny --out f.html", BAD_INPUT,
      "unknown concept 'kidny'", "chronic kidney disease"),
    m("map of a SELECT query whose rows name no concept", "map --query summary-statistics --out q.html",
      BAD_INPUT, "summary-statistics", "no concept to draw"),
    m("map --param without --query", "map --param concept=CKD --out p.html", BAD_INPUT,
      "--param needs --query"),
    m("map with a depth out of range", "map --focus CKD --depth 99 --out d.html", BAD_INPUT,
      "--depth", "99 is not in the range"),
    # query: concept values that name nothing (the silent empty answers of issue 10)
    m("concept id without pk:, misspelled", "query risk-factors -p condition=dystrophic-calcificaton",
      BAD_INPUT, "parameter condition", "unknown concept 'dystrophic-calcificaton'",
      "dystrophic calcification"),
    m("CURIE misspelled", "query risk-factors -p condition=pk:dystrophic-calcificaton", BAD_INPUT,
      "unknown concept 'pk:dystrophic-calcificaton'", "did you mean: dystrophic calcification"),
    m("IRI of no concept", ("query", "evidence", "-p", "subject=https://w3id.org/pathokg/concept/ckd"),
      BAD_INPUT, "parameter subject", "unknown concept", "chronic kidney disease"),
    m("label misspelled", ("query", "tissues-affected", "-p", "disorder=pseudoxantoma elasticum"),
      BAD_INPUT, "unknown concept 'pseudoxantoma elasticum'", "pseudoxanthoma elasticum"),
    m("category that names none", "query concepts-by-category -p category=Interventions", BAD_INPUT,
      "unknown category 'Interventions'", "intervention"),
    m("xref that is not an identifier", "query xref-concept -p xref=calcinosis", BAD_INPUT,
      "parameter xref", "not an external identifier", "HP:0012622"),
    m("--param without =", "query risk-factors -p condition", BAD_INPUT,
      "--param 'condition'", "name=value"),
    m("misspelled query name", "query risk-factor", BAD_INPUT,
      "no named query 'risk-factor'", "did you mean risk-factors"),
    m("parameter the query does not have", "query kinds-of -p zz=1", BAD_INPUT,
      "has no parameter zz", "concept"),
    m("unknown result format", "query risk-factors --format xml", BAD_INPUT,
      "'xml' is not one of", "srx"),
    m("timeout that is not a number", "query risk-factors --timeout soon", BAD_INPUT,
      "--timeout", "'soon' is not a valid float"),
    m("timeout of zero", "query risk-factors --timeout 0", BAD_INPUT, "--timeout", "not in the range x>0"),
    m("mistyped --release (never built there)", "query risk-factors --release typo", BAD_INPUT,
      "typo holds no pathokg release", "run `pathokg build --out typo` first"),
    m("corrupt pathokg.ttl in the release", "query risk-factors --release corrupt", BAD_INPUT,
      "pathokg.ttl cannot be read", "pathokg build"),
    m("release without its inferred file", "query risk-factors --release incomplete", BAD_INPUT,
      f"incomplete release (no {INFERRED})", "pathokg build --out incomplete"),
    m("endpoint that is not a URL", ("query", "risk-factors", "--endpoint", "http://[bad/query"),
      BAD_INPUT, "--endpoint 'http://[bad/query' is not a valid URL", "http://HOST:PORT/PATH"),
    m("endpoint nobody listens on", "query risk-factors --endpoint http://127.0.0.1:{port}/query",
      REMOTE_FAILED, "cannot reach the SPARQL endpoint http://127.0.0.1:{port}/query",
      "is the server running"),
    # sparql
    m("sparql without a query", "sparql", BAD_INPUT, "no query", "--file"),
    m("sparql from a file that does not exist", "sparql -F missing.rq", BAD_INPUT,
      "missing.rq: cannot be read", "No such file"),
    m("sparql from a file that is not text", "sparql -F binary.rq", BAD_INPUT,
      "binary.rq: cannot be read", "utf-8"),
    m("sparql syntax error", ("sparql", "SELECT * WHERE { ?s ?p }"), BAD_INPUT,
      "SPARQL syntax error at line 1, column 18"),
    m("sparql update", ("sparql", "DELETE WHERE { ?s ?p ?o }"), BAD_INPUT, "read-only"),
    # publish
    m("publish to a malformed store URL", ("publish", "--store", "http://[bad/store"), BAD_INPUT,
      "--store 'http://[bad/store' is not a valid URL", "http://HOST:PORT/PATH"),
    m("publish to a URL that is not http", "publish --store ftp://127.0.0.1/store", BAD_INPUT,
      "--store 'ftp://127.0.0.1/store' is not an http(s) URL"),
    m("publish to a store of unknown layout", "publish --store http://127.0.0.1:{port}/somewhere",
      BAD_INPUT, "cannot tell the query endpoint", "--query-endpoint"),
    m("publish to a store that is down", "publish --store http://127.0.0.1:{port}/store",
      REMOTE_FAILED, "cannot reach the store http://127.0.0.1:{port}/store", "is the server running"),
    m("publish without --store", "publish", BAD_INPUT, "Missing option '--store'"),
    m("publish from a mistyped release", "publish --store http://127.0.0.1:{port}/store --release typo",
      BAD_INPUT, "typo holds no pathokg release", "pathokg build --out typo"),
    # analyze, the command itself, the installation
    m("analyze a path from a misspelled concept", ("analyze", "--path", "kidny", "joint replacement"),
      BAD_INPUT, "unknown concept 'kidny'", "chronic kidney disease"),
    m("analyze --top 0", "analyze --top 0", BAD_INPUT, "--top", "0 is not in the range"),
    m("misspelled command", "biuld", BAD_INPUT, "No such command 'biuld'"),
    m("a dependency missing from the installation", "analyze", TOOL_MISSING,
      "needs the Python package 'networkx'", "pip install",
      env=(("PYTHONPATH", "{tmp}/broken-install"),)),
]

#: ``serve`` mistakes: the behaviour is built in cli/serve.py and web/ by the issue-9 work; these
#: pass once it is merged (until then they are expected to fail, strictly).
SERVE_MISTAKES = [
    m("serve on a port out of range", "serve --port 99999", BAD_INPUT, "--port", "99999"),
    m("serve on a port in use", "serve --port {busy_port}", BAD_INPUT, "{busy_port}", "in use"),
    m("serve a mistyped release", "serve --release typo --port {port}", BAD_INPUT,
      "typo holds no pathokg release", "pathokg build --out typo"),
]


def _snapshot(folder: Path) -> dict[str, str]:
    """Every path under ``folder`` with a digest of its content (folders as ``dir``)."""
    return {p.relative_to(folder).as_posix(): "dir" if p.is_dir()
            else hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*"))}


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory, release_dir: Path) -> Path:
    """A user's folder: a release, damaged releases, the user's own files and folders."""
    tmp = tmp_path_factory.mktemp("mistakes")
    shutil.copytree(release_dir, tmp / "dist")
    shutil.copytree(release_dir, tmp / "edited")
    (tmp / "edited" / "my-notes.txt").write_text("mine\n")
    shutil.copytree(release_dir, tmp / "corrupt")
    (tmp / "corrupt" / TURTLE).write_text("@prefix broken <\n")
    shutil.copytree(release_dir, tmp / "incomplete")
    (tmp / "incomplete" / INFERRED).unlink()
    (tmp / "mine").mkdir()
    (tmp / "mine" / "notes.txt").write_text("my notes\n")
    (tmp / "afile").write_text("a file where a folder is expected\n")
    (tmp / "notes.graphml").write_text("<graphml><!-- drawn by hand --></graphml>\n")
    (tmp / "page.html").write_text("<html><body>my page</body></html>\n")
    (tmp / "binary.rq").write_bytes(b"\xff\xfe\x00SELECT")
    (tmp / "empty-bin").mkdir()
    broken = tmp / "broken-install"
    broken.mkdir()
    (broken / "networkx.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'networkx'\", name='networkx')\n")
    return tmp


def run(args: tuple[str, ...], cwd: Path, env: dict[str, str] | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PATHOKG_DIST": str(cwd / "dist"), **(env or {})}
    return subprocess.run([sys.executable, "-m", "pathokg", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, env=environment)


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def check(mistake: Mistake, scratch: Path, timeout: float = 120) -> None:
    values = {"tmp": str(scratch), "port": str(free_port())}
    before = _snapshot(scratch)
    args = tuple(_fill(a, values) for a in mistake.args)
    env = {k: _fill(v, values) for k, v in mistake.env}
    out = run(args, scratch, env, timeout=timeout)
    message = out.stderr
    assert out.returncode == mistake.exit_code, (out.returncode, message, out.stdout)
    assert "Traceback" not in message + out.stdout, message
    for fragment in mistake.says:
        assert _fill(fragment, values) in message, (fragment, message)
    errors = [line for line in message.splitlines() if line.lower().startswith("error:")]
    assert len(errors) == 1, message  # one clear line (click adds its usage hint above it)
    assert _snapshot(scratch) == before, "the mistake changed or left files"


@pytest.mark.parametrize("mistake", MISTAKES, ids=[x.what for x in MISTAKES])
def test_a_mistake_gets_one_clear_line(mistake: Mistake, scratch: Path) -> None:
    check(mistake, scratch)


@pytest.mark.server
@pytest.mark.xfail(reason="serve's checks are the issue-9 work (cli/serve.py, web/)", strict=False)
@pytest.mark.parametrize("mistake", SERVE_MISTAKES, ids=[x.what for x in SERVE_MISTAKES])
def test_a_serve_mistake_gets_one_clear_line(mistake: Mistake, scratch: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        mistake = Mistake(mistake.what, tuple(a.replace("{busy_port}", str(port)) for a in mistake.args),
                          mistake.exit_code, tuple(s.replace("{busy_port}", str(port)) for s in mistake.says))
        check(mistake, scratch, timeout=15)  # a mistake must not leave serve hanging


def test_there_are_at_least_30_mistakes() -> None:
    assert len(MISTAKES) >= 30
    assert {x.exit_code for x in MISTAKES} == {BAD_INPUT, TOOL_MISSING, REMOTE_FAILED}


@pytest.fixture(scope="module")
def empty_store() -> Iterator[OxigraphServer]:
    require(oxigraph_executable() is not None, "the oxigraph server binary is missing (pip install oxigraph)")
    with OxigraphServer() as server:
        yield server


@pytest.mark.server
@pytest.mark.parametrize("command", ["query risk-factors", "sparql ASK{?s?p?o}"])
def test_a_store_without_the_release_is_said_so(command: str, empty_store: OxigraphServer,
                                                 scratch: Path) -> None:
    mistake = m("a store that holds no release", f"{command} --endpoint {empty_store.query_url}",
                REMOTE_FAILED, f"{empty_store.query_url} holds no pathokg release", "pathokg publish")
    check(mistake, scratch)


# Interrupted and killed commands: the previous state stays, and no temporary file is left.

def _debris(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".new-" in p.name or ".old-" in p.name
                  or p.name.endswith(".tmp"))


def _start_build(folder: Path, out: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PATHOKG_DIST": str(folder / "dist")}
    return subprocess.Popen([sys.executable, "-m", "pathokg", "build", "--no-reasoner", "--out", out],
                            cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def _wait_for_debris(folder: Path, proc: subprocess.Popen[str]) -> None:
    """Wait until the build has started writing its temporary folder."""
    deadline = time.monotonic() + 60
    while not _debris(folder) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _debris(folder), "the build ended before it wrote anything"


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_build_leaves_the_previous_release(sig: signal.Signals, code: int,
                                                          tmp_path: Path, release_dir: Path) -> None:
    shutil.copytree(release_dir, tmp_path / "dist")
    before = _snapshot(tmp_path / "dist")
    proc = _start_build(tmp_path, "dist")
    _wait_for_debris(tmp_path, proc)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert "nothing was changed" in err and "Traceback" not in err
    assert _snapshot(tmp_path / "dist") == before
    assert _debris(tmp_path) == []


def test_a_killed_build_leaves_the_previous_release_and_the_next_build_clears_up(
        tmp_path: Path, release_dir: Path) -> None:
    shutil.copytree(release_dir, tmp_path / "dist")
    before = _snapshot(tmp_path / "dist")
    proc = _start_build(tmp_path, "dist")
    _wait_for_debris(tmp_path, proc)
    proc.kill()
    proc.communicate(timeout=60)
    assert _snapshot(tmp_path / "dist") == before
    assert _debris(tmp_path), "a killed process cannot clear up after itself"
    again = _start_build(tmp_path, "dist")
    _, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    assert _debris(tmp_path) == []
    assert (tmp_path / "dist" / RELEASE_MARKER).is_file()
