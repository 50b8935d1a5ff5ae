"""Checks of the assembled graph: SHACL shapes, the SPARQL QC queries and OWL reasoning (HermiT)."""
