"""Querying: query files, their safety check, the embedded engine, results and formats, remote
endpoints, and reading a release (which never builds one)."""
