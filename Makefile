# Every developer task is one command. `make demo` and `make test` set up everything they need.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NODE_DIR := tests/interop/ts

.PHONY: demo serve test lint format docs bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)  ## install, then drive a scripted MCP session over stdio and print every answer
	$(VENV)/bin/cyrano-mcp demo

serve: $(STAMP)  ## run the server over stdio on the embedded store
	$(VENV)/bin/cyrano-mcp serve

$(NODE_DIR)/node_modules/.installed: $(NODE_DIR)/package.json
	cd $(NODE_DIR) && npm install --no-audit --no-fund --silent
	touch $@

test: $(STAMP) $(NODE_DIR)/node_modules/.installed  ## install, then run the whole test suite
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

docs: $(STAMP)  ## regenerate the generated tables (README settings and tools, docs/security.md permissions)
	$(PY) -m cyrano_mcp.docs README.md docs/security.md

bench: $(STAMP)
	$(PY) bench/registry_overhead.py

clean:
	rm -rf $(VENV) $(NODE_DIR)/node_modules .mypy_cache .ruff_cache .pytest_cache
