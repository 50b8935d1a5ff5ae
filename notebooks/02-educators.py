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
# # pathokg for educators: the concept map, a focus view, the mechanism, the article's structure, flashcards
#
# The maps are embedded in the notebook (no file, no server, no external request), each sized to
# its cell with only the map and a compact toolbar. Click an edge to read the article's sentence
# behind it; **Story** walks the map in the article's order, **Quiz** asks you to guess a link.

# %%
import pandas as pd

import pathokg
import pathokg.conceptmap as cm

graph = pathokg.load()
cm.view_names()

# %% [markdown]
# ## The whole map

# %%
cm.show(graph, view="dc", height=560)

# %% [markdown]
# ## Focus: chronic kidney disease and its neighbours

# %%
cm.show(graph, focus="CKD", depth=1, height=480)

# %% [markdown]
# ## The mechanism pathway, step by step

# %%
cm.show(graph, view="mechanism", height=480)

# %%
pathokg.query("mechanism-path").to_dataframe()

# %% [markdown]
# ## The article's structure
# Its sections, and how many relations and concepts each one contributes to the graph.

# %%
structure = pathokg.sparql("""
SELECT ?sectionPath (COUNT(DISTINCT ?axiom) AS ?relations)
       (COUNT(DISTINCT ?concept) AS ?concepts) WHERE {
  ?axiom pko:hasEvidence ?evidence ; owl:annotatedSource ?concept .
  ?evidence pko:sectionPath ?sectionPath .
}
GROUP BY ?sectionPath ORDER BY ?sectionPath
""")
structure.to_dataframe()

# %% [markdown]
# ## Flashcards from the graph
# Question cards per pair of related concepts and cloze cards from the article's own sentences,
# each with its source (every release also has them as an Anki deck and a Quizlet CSV).

# %%
from pathokg.conceptmap.model import model_from_graph  # noqa: E402
from pathokg.querying.release import release_store  # noqa: E402
from pathokg.teaching import flashcards  # noqa: E402

cards = flashcards(model_from_graph(release_store()))
pd.DataFrame([(c.kind, c.front, c.back, c.source) for c in cards[:8]],
             columns=["kind", "front", "back", "source"])
