"""Process entry points: the worker, the embedded local stack and the `iin` command."""
