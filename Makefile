# Every target creates .venv and installs what it needs: a fresh clone needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The wire models and the typed client, distributions of their own that the service depends on.
PACKAGES := packages/iin-api-models packages/iin-client

.DEFAULT_GOAL := help
.PHONY: help up test test-fast lint typecheck unit sample openapi openapi-release clean compose-check bench bench-duplicates bench-archive bench-import bench-register-scale bench-events bench-api bench-report faults

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-21s %s\n", $$1, $$2}'

# One pip command, so that pip takes iin-api-models and iin-client from packages/, never from an index.
$(STAMP): pyproject.toml $(addsuffix /pyproject.toml,$(PACKAGES))
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet $(addprefix -e ,$(PACKAGES)) -e '.[dev]'
	touch $(STAMP)

up: $(STAMP) ## Start PostgreSQL, Temporal dev server + Web UI, migrations, the worker and the API (Ctrl-C stops all)
	WEBHOOK_ALLOWED_NETWORKS='["127.0.0.0/8", "::1/128"]' $(BIN)/iin up

sample: $(STAMP) ## Submit a sample application to the running stack and follow it
	$(BIN)/iin sample

lint: $(STAMP) ## ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP) ## mypy --strict
	$(BIN)/mypy .

unit: $(STAMP) ## pytest only
	$(BIN)/pytest

test: lint typecheck unit ## ruff, mypy and the whole test suite (what CI runs)

test-fast: $(STAMP) ## Tests needing neither PostgreSQL nor the dev server: rules, schemas, mocked workflow paths (< 1 min)
	$(BIN)/pytest -m fast

faults: $(STAMP) ## Only the fault tests (part of unit): worker killed, PostgreSQL/Temporal restarted, races
	$(BIN)/pytest -m faults -s tests/faults

openapi: $(STAMP) ## Write the API's OpenAPI document to docs/openapi.json (the contract; a test fails when it drifts)
	$(BIN)/python -m api.document docs/openapi.json

openapi-release: $(STAMP) ## Record docs/openapi.json as the released contract (at a release: the compatibility test compares with it)
	cp docs/openapi.json docs/openapi-released.json

compose-check: $(STAMP) ## Check docker-compose.yml, the Dockerfile and deploy/ without Docker (schema, Compose's loader, Temporal's mTLS, UI sign-in, dashboards, alert rules)
	$(BIN)/pytest -q tests/deploy/test_compose.py tests/deploy/test_compose_temporal_auth.py tests/deploy/test_dockerfile.py tests/deploy/test_dashboards.py

bench: $(STAMP) ## Throughput and latency of the real service beside its ceilings (bench/results/, docs/performance.png)
	$(BIN)/python -m bench.throughput

bench-api: $(STAMP) ## Applications/s through the HTTP API of the stack make up runs (50 clients), beside empty workflows
	$(BIN)/python -m bench.api_load --clients 50 --count 1000

bench-duplicates: $(STAMP) ## Precision, recall and latency of the duplicate check at 1,000,000 people (minutes)
	$(BIN)/python -m bench.duplicates --people 1000000

bench-archive: $(STAMP) ## Archive size per application and the time to verify 10,000 archived applications
	$(BIN)/python -m bench.archive --applications 10000

bench-import: $(STAMP) ## Rows per second of iin register import at 100,000 and 1,000,000 holders (minutes)
	$(BIN)/python -m bench.register_import --rows 100000 1000000

bench-register-scale: $(STAMP) ## The duplicate check, a formation and an import at 1, 4 and 16 million people (an hour, ~40 GB)
	$(BIN)/python -m bench.register_scale --sizes 1000000 4000000 16000000

bench-report: $(STAMP) ## Time of iin report's query for a month and a year at 100,000 and 1,000,000 applications (minutes)
	$(BIN)/python -m bench.report --applications 100000 1000000

bench-events: $(STAMP) ## Webhook delivery latency p50/p95 from commit to receipt, and the cost of an event
	$(BIN)/python -m bench.events --applications 120 --rate 2
	$(BIN)/python -m bench.events --applications 600 --rate 20

clean: ## Remove the venv and the local stack's data
	rm -rf $(VENV) .data .mypy_cache .ruff_cache .pytest_cache
