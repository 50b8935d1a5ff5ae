"""The web face: one read-only server for the SPARQL endpoint, the query page, the REST API, the
concept pages and the concept map, its queries run in killable worker processes."""
