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
# # pathokg for researchers: named queries, ad-hoc SPARQL, evidence, external identifiers
#
# Runs offline on the release in `dist/` (built on first use). Every answer below can be traced to
# the article's own words.

# %%
import pandas as pd
from IPython.display import display

import pathokg

pd.set_option("display.max_colwidth", 120)


def table(result: pathokg.QueryResult) -> pd.DataFrame:
    """A query result as a pandas DataFrame (one column per variable)."""
    return pd.DataFrame(result.rows, columns=result.variables)


# %% [markdown]
# ## The named queries
# Each lives in `queries/<name>.rq` with a summary and parameters.

# %%
pd.DataFrame([{"name": q.name, "summary": q.summary,
               "parameters": ", ".join(p.name for p in q.params)} for q in pathokg.list_queries()])

# %% [markdown]
# ## Risk factors of dystrophic calcification, with the quote behind each

# %%
risk = table(pathokg.query("risk-factors"))
risk.head(10)

# %% [markdown]
# ## Ad-hoc SPARQL: which relations does each section of the article support?

# %%
per_section = table(pathokg.sparql("""
PREFIX pko: <https://w3id.org/pathokg/ontology/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?section (COUNT(DISTINCT ?axiom) AS ?relations) WHERE {
  ?axiom a owl:Axiom ; pko:hasEvidence ?evidence .
  ?evidence pko:section ?section .
}
GROUP BY ?section ORDER BY DESC(?relations) ?section
"""))
per_section["relations"] = per_section["relations"].astype(int)
per_section.head(10)

# %% [markdown]
# ## The evidence for one answer
# Why does the graph say chronic kidney disease is linked to dystrophic calcification?

# %%
evidence = table(pathokg.query("evidence", subject="pk:chronic-kidney-disease",
                               object="pk:dystrophic-calcification"))
display(evidence.T)

# %% [markdown]
# ## Joining on external identifiers
# Concepts carry verified SKOS mappings (MeSH, MONDO, HP, ...). Join them with your own table
# keyed by the same identifiers; here a small stand-in table of MeSH ids.

# %%
xrefs = table(pathokg.query("concept-xrefs", concept="pk:chronic-kidney-disease"))
display(xrefs)

# %%
from pathokg.exports import project  # noqa: E402

graph = project(pathokg.load())
mappings = pd.DataFrame([{"concept": d["label"], "xref": x} for _, d in graph.nodes(data=True)
                         for x in d["xrefs"]])
my_cohort = pd.DataFrame({"xref": ["MESH:D007676", "MESH:D002114", "MESH:D050197"],
                          "patients": [120, 45, 300]})
my_cohort.merge(mappings, on="xref", how="left")
