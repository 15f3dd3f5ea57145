# The two commands of the README: `make quickstart` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: quickstart test install emulator bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

## Start the emulator with a seeded fleet and apply examples/quickstart to it.
quickstart: install
	$(BIN)/python scripts/quickstart.py

## Run the whole test suite against the emulator.
test: install
	$(BIN)/python -m pytest

## Serve the emulator in the foreground (Ctrl-C to stop).
emulator: install
	$(BIN)/python -m pulumi_novaconnect.emulator --sims 50 --seed 1

## Benchmark 1,000 and 10,000 SIMs (BENCH_ARGS="--full --json bench/results/run.json" adds 100,000 and the JSON).
bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
