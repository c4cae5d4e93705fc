"""Pydantic models: the contract between the API, the workflow and the activities."""
