"""The RDF plumbing every stage shares: stores, canonical serialisations, atomic writes."""
