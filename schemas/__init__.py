"""The service's own pydantic models: the workflow's contract and input, reference data as the workflow
sees it, the rejection notice's request, a row of a register import. The wire models the API, the
workflow and the typed client share are the `iin_models` package (packages/iin-api-models/)."""
