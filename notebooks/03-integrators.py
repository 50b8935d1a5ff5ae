# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # pathokg for integrators: exports, publishing to a triplestore, network analytics

# %%
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import networkx as nx
import pandas as pd

import pathokg
from pathokg.exports import FORMATS, analytics, export, project
from pathokg.querying.release import release_store
from pathokg.release.publish import publish

work = Path(tempfile.mkdtemp(prefix="pathokg-notebook-"))
release = release_store()  # the release: asserted triples, and its entailments in a named graph

# %% [markdown]
# ## Exports for Gephi, Cytoscape, Neo4j and any GraphML tool

# %%
written = {fmt: export(release, fmt, work / name) for fmt, name in FORMATS.items()}
pd.DataFrame([{"format": f, "path": str(p),
               "bytes": sum(x.stat().st_size for x in p.iterdir()) if p.is_dir() else p.stat().st_size}
              for f, p in written.items()])

# %%
back = nx.read_graphml(written["graphml"])
print(back.number_of_nodes(), "concepts,", back.number_of_edges(), "relations")
u, v, data = next(iter(back.edges(data=True)))
print(data)

# %%
print((written["neo4j"] / "nodes.csv").read_text().splitlines()[0])
print((written["neo4j"] / "relationships.csv").read_text().splitlines()[0])

# %% [markdown]
# ## Publishing into a triplestore
# Start a private Oxigraph server (`pip install oxigraph` gives the `oxigraph` program), publish
# (Graph Store Protocol PUT, then a count check), run a named query there and compare with the
# embedded engine, then stop the server.

# %%
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
oxigraph = Path(sys.executable).with_name("oxigraph")
server = subprocess.Popen([str(oxigraph), "serve", "--location", str(work / "oxigraph"),
                           "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)
base = f"http://127.0.0.1:{port}"
for _ in range(100):
    try:
        httpx.get(f"{base}/query?query=ASK%7B%7D", timeout=1)
        break
    except httpx.HTTPError:
        time.sleep(0.1)
try:
    report = publish(f"{base}/store")
    for g in report.graphs:
        print(f"<{g.graph}>: {g.triples} triples verified")
    remote = pathokg.query("risk-factors", endpoint=report.endpoint)
    local = pathokg.query("risk-factors")
    print("same answer as the embedded engine:",
          sorted(map(str, remote.rows)) == sorted(map(str, local.rows)))
finally:
    server.terminate()
    server.wait(10)

# %% [markdown]
# ## Network analytics with networkx

# %%
graph = project(release)
pd.DataFrame([vars(c) for c in analytics.central_concepts(graph, top=8, by="betweenness")])

# %%
for path in analytics.connecting_paths(graph, "radiation therapy", "joint replacement", max_paths=2):
    print(path.explain(), end="\n\n")

# %%
pd.DataFrame([{"group": g.number, "size": len(g.labels), "concepts": ", ".join(g.labels[:8])}
              for g in analytics.concept_groups(graph)])
