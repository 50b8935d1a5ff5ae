"""Curation: the curated sources (one YAML file and the vendored text per article), the verified
cross-references, and their assembly into one RDF graph with evidence on every relation."""
