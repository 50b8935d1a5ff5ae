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


# %% [markdown]
# ## The named queries
# Each lives in `queries/<name>.rq` with a summary and parameters.

# %%
pd.DataFrame([{"name": q.name, "summary": q.summary,
               "parameters": ", ".join(p.name for p in q.params)} for q in pathokg.list_queries()])

# %% [markdown]
# ## Risk factors of dystrophic calcification, with the quote behind each

# %%
risk = pathokg.query("risk-factors", limit=10).to_dataframe()
display(risk)

# %% [markdown]
# ## Ad-hoc SPARQL: which relations does each section of the article support?
# The usual prefixes (`pk:`, `pko:`, `owl:`, `skos:` ...) are predeclared; counts come back as
# numbers.

# %%
per_section = pathokg.sparql("""
SELECT ?section (COUNT(DISTINCT ?axiom) AS ?relations) WHERE {
  ?axiom a owl:Axiom ; pko:hasEvidence ?evidence .
  ?evidence pko:section ?section .
}
GROUP BY ?section ORDER BY DESC(?relations) ?section
""", limit=10).to_dataframe()
assert per_section["relations"].dtype.kind == "i"
display(per_section)

# %% [markdown]
# ## Labels beside IRIs
# `labels=True` adds a `?xLabel` column after each IRI column, without writing the label joins:
# here the interventions and the category the ontology gives each.

# %%
pathokg.sparql("""
SELECT ?intervention ?category WHERE {
  ?intervention a ?category .
  ?category rdfs:subClassOf pko:Intervention .
}
ORDER BY ?category ?intervention
""", labels=True, limit=8).to_dataframe()

# %% [markdown]
# ## The evidence for one answer
# Why does the graph say chronic kidney disease is linked to dystrophic calcification?

# %%
evidence = pathokg.query("evidence", subject="CKD",
                         object="pk:dystrophic-calcification").to_dataframe()
display(evidence.T)

# %% [markdown]
# ## Joining on external identifiers
# Concepts carry verified SKOS mappings (MeSH, MONDO, HP, ...). Join them with your own table
# keyed by the same identifiers; here a small stand-in table of MeSH ids.

# %%
xrefs = pathokg.query("concept-xrefs", concept="pk:chronic-kidney-disease").to_dataframe()
display(xrefs)

# %%
from pathokg.exports import project  # noqa: E402

graph = project(pathokg.load())
mappings = pd.DataFrame([{"concept": d["label"], "xref": x} for _, d in graph.nodes(data=True)
                         for x in d["xrefs"]])
my_cohort = pd.DataFrame({"xref": ["MESH:D007676", "MESH:D002114", "MESH:D050197"],
                          "patients": [120, 45, 300]})
my_cohort.merge(mappings, on="xref", how="left")
