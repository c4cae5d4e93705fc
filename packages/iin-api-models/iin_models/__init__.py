"""The IIN API's wire models, plain pydantic: shared by the service and the typed client (`iin-client`).

`application` is what an establishment files, `status` and `api` what the API answers, `events` what it
pushes, `review` the updates people send, `desk` the review desk's answers. Nothing here does I/O.
"""
