# The two commands of the README: `make quickstart` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: quickstart test install pulumi emulator dist bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,emulator]'
	touch $@

install: $(VENV)/.installed

## Build the pinned Pulumi CLI (tools/pulumi-cli/go.mod) into .venv/bin; needs Go, and does
## nothing when that version is already there.
pulumi: install
	scripts/install-pulumi-cli.sh $(BIN)

## Start the emulator with a seeded fleet and apply examples/quickstart to it.
quickstart: install
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python scripts/quickstart.py

## Run the whole test suite against the emulator; builds the pinned Pulumi CLI first when Go
## is present, so the CLI tier runs (under CI=true it must).
test: install
	scripts/install-pulumi-cli.sh $(BIN) --if-go
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m pytest

## Serve the emulator in the foreground (Ctrl-C to stop).
emulator: install
	$(BIN)/python -m pulumi_novaconnect.emulator --sims 50 --seed 1

## Build the release files (sdist and wheel) into $(DIST) and check them as PyPI would.
DIST ?= dist
dist: install
	$(BIN)/python -m build --outdir $(DIST) .
	$(BIN)/python -m twine check --strict $(DIST)/*

## Benchmark 1,000 and 10,000 SIMs (BENCH_ARGS="--full --json bench/results/run.json" adds 100,000 and the JSON).
bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

## The same through the real Pulumi CLI, beside the runner (BENCH_ARGS="--full --json bench/results/cli-full.json" adds 100,000).
bench-cli: install
	scripts/install-pulumi-cli.sh $(BIN)
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python bench/cli.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
