"""The HTTP API for backend services of establishments and ministries, and the certificate check.

Its answers' models are `iin_models.api`, plain pydantic in a package of their own that the typed
client shares (it needs no FastAPI); `api.app.create_app` builds the FastAPI application around an
`api.context.ApiContext`.
"""
