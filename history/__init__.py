"""Workflow histories for auditors and releases: replaying them on the current code, reading their timeline."""
