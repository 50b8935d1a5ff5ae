"""Releases: build (assemble, check, write every artefact atomically) and publish into a triplestore."""
