# Two commands do all the set-up:  `make lab` opens the lessons, `make test` runs every test.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888
# Jupyter refuses to run as root unless told to (containers, CI machines)
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab voila test test-fast lint format bench strip clean site

# `pip install -e .` copies the offline Voilà template, its config and the JupyterLab setting defaults into the
# venv: reinstall when they change
OFFLINE_TEMPLATE := $(wildcard share/jupyter/voila/templates/nmteach-offline/*) etc/jupyter/voila.json etc/jupyter/labconfig/default_setting_overrides.json

$(STAMP): pyproject.toml binder/requirements.txt requirements-test.txt $(OFFLINE_TEMPLATE)
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "nmteach needs Python >= 3.11 (the pinned numpy needs it): run make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

## make lab: set up (once) and open the lessons in JupyterLab
lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=lessons --port=$(PORT) $(ROOT_FLAG)

## make voila LESSON=01_homogeneous_population: one lesson as a code-free page (lecture mode: the present
## layout, and nothing loaded from the internet)
LESSON ?= 00_start_here
voila: $(STAMP)
	NMTEACH_PRESENT=1 $(BIN)/voila --template=nmteach-offline lessons/$(LESSON).ipynb --port=$(PORT)

## make site: the course website in build/site (lessons executed, figures as images, API reference), built in
## its own venv so that Sphinx's dependencies never enter the lessons' environment
SITE_VENV  ?= .venv-site
SITE_BIN   := $(SITE_VENV)/bin
SITE_STAMP := $(SITE_VENV)/.installed

$(SITE_STAMP): pyproject.toml binder/requirements.txt requirements-site.txt $(OFFLINE_TEMPLATE)
	$(PYTHON) -m venv $(SITE_VENV)
	echo '*' > $(SITE_VENV)/.gitignore
	$(SITE_BIN)/python -m pip install --quiet --upgrade pip
	$(SITE_BIN)/python -m pip install --quiet -r requirements-site.txt
	$(SITE_BIN)/python -m pip install --quiet --no-deps -e .
	touch $(SITE_STAMP)

site: $(SITE_STAMP)
	$(SITE_BIN)/python tools/build_site.py --out build/site

## make test: lint, unit tests against theory, doctests, and every lesson executed by nbval
test: $(STAMP) $(SITE_STAMP) lint
	NMTEACH_SITE_PYTHON=$(SITE_BIN)/python $(BIN)/python -m pytest

## make test-fast: skip the statistical checks that simulate for seconds
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" tests nmteach

lint: $(STAMP)
	$(BIN)/ruff check nmteach tests lessons benchmarks tools
	$(BIN)/ruff format --check nmteach tests lessons benchmarks tools

format: $(STAMP)
	$(BIN)/ruff check --fix nmteach tests lessons benchmarks tools
	$(BIN)/ruff format nmteach tests lessons benchmarks tools

## make bench: speed and latency tables, and the time loop against the floor of numpy (never part of the tests)
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/floor.py

## make bench-brunel: the Brunel (2000) network in nmteach, NEST and Brian2 (own venv; 10 to 20 minutes)
BENCH_VENV  ?= .venv-bench
BENCH_BIN   := $(BENCH_VENV)/bin
BENCH_STAMP := $(BENCH_VENV)/.installed
BRUNEL_ARGS ?=

.PHONY: bench-brunel

$(BENCH_STAMP): pyproject.toml requirements-bench.txt
	$(PYTHON) -m venv $(BENCH_VENV)
	echo '*' > $(BENCH_VENV)/.gitignore
	$(BENCH_BIN)/python -m pip install --quiet --upgrade pip
	$(BENCH_BIN)/python -m pip install --quiet -r requirements-bench.txt
	$(BENCH_BIN)/python -m pip install --quiet -e . --no-deps
	touch $(BENCH_STAMP)

bench-brunel: $(BENCH_STAMP)
	$(BENCH_BIN)/python benchmarks/brunel.py $(BRUNEL_ARGS)

## make strip: remove outputs from the lesson notebooks before committing
strip: $(STAMP)
	$(BIN)/python tools/strip_notebooks.py lessons/*.ipynb

clean:
	rm -rf $(VENV) $(SITE_VENV) .pytest_cache .ruff_cache artifacts build
