"""The HTTP API for backend services of establishments and ministries, and the certificate check.

`api.models` is plain pydantic, shared with the typed client (which needs no FastAPI);
`api.app.create_app` builds the FastAPI application around an `api.context.ApiContext`.
"""
