"""Connections to Temporal and PostgreSQL, configured from the settings."""

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter


async def connect_temporal(address: str, namespace: str) -> Client:
    """A client that speaks pydantic models on the wire, like every worker and starter of this service."""
    return await Client.connect(address, namespace=namespace, data_converter=pydantic_data_converter)
