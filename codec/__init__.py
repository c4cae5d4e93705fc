"""Payload encryption for Temporal histories: personal data never sits in plain text in the workflow store."""
