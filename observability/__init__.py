"""Traces and structured logs of every process: what is recorded, where it goes, and what never goes in."""
