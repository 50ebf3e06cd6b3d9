# The two commands of the README: `make demo` and `make test`. Each sets up everything first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# A second venv with only the core dependencies (numpy, scipy, numba), for the light install.
CORE   ?= .venv-core

.PHONY: install demo test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# torch 2.13.0 first, so that `torch>=2.4` in pyproject.toml is already met: any other
# resolution would pull gigabytes of CUDA wheels.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e ".[all,dev]"
	touch $@

$(CORE)/.installed: pyproject.toml
	$(PYTHON) -m venv $(CORE)
	$(CORE)/bin/pip install --quiet -e . pytest hypothesis
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/convlens demo

# The whole suite, then the core-only tests in the core venv (no torch, Dask, matplotlib).
test: install $(CORE)/.installed
	$(BIN)/python -m pytest -n 2 --timeout 900
	$(CORE)/bin/python -m pytest -o addopts="" -p no:cacheprovider -q \
		tests/test_core_install.py tests/test_architecture.py

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

bench: install
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(CORE) build dist .pytest_cache .hypothesis
