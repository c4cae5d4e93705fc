"""Process entry points: the worker, the embedded local stack (`iin up`), and what they share."""
