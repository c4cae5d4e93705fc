"""The durable application workflow."""
