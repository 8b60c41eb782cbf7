# Set-up and checks for attnquiz. `make study` and `make test` are the README's two commands.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The CPU build of PyTorch, installed only when the environment has no torch at all.
TORCH_SPEC ?= torch==2.13.0

.PHONY: learner setup compile study test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# A learner's set-up: attnquiz and what the flashcards need; no developer tools, no torch.
$(VENV)/.learner: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	@touch $@

# A developer's set-up: the learner's, plus the grader's torch and the developer tools.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@$(BIN)/python -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('torch') is None)" \
		|| $(BIN)/python -m pip install -q "$(TORCH_SPEC)"
	$(BIN)/python -m pip install -q -e ".[dev,grade]"
	@touch $@ $(VENV)/.learner

# Bytecode for the package, as pip makes for a wheel: Python reads it even where
# PYTHONDONTWRITEBYTECODE is set, so every start does not compile the sources again.
compile:
	@$(BIN)/python -m compileall -q quizcli

learner: $(VENV)/.learner  ## install what studying needs into .venv
	@$(MAKE) -s compile

setup: $(VENV)/.installed  ## create .venv and install attnquiz with torch and its dev tools
	@$(MAKE) -s compile

study: learner  ## set up for studying, then start a study session
	$(BIN)/attnquiz study

lint: setup
	$(BIN)/ruff check quizcli questions tests benchmarks
	$(BIN)/mypy

test: lint  ## set up, lint, type-check, validate the shipped deck and run the whole test suite
	$(BIN)/attnquiz validate
	$(BIN)/python -m pytest -q

bench: setup  ## every speed and memory figure against its floor (see benchmarks/run.py)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
