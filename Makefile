# The two commands that matter: `make run` and `make test`. Both set up a fresh
# clone by themselves (install, train if needed).
SHELL := /bin/bash
.DEFAULT_GOAL := help
PY := .venv/bin/python
export PYTHONPATH := $(CURDIR)

.PHONY: help install train run shell test test-unit validate test-nlu test-stories bench purge clean

help: ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

install: ## create .venv (skipped when it matches requirements/lock.txt)
	@scripts/install.sh

train: install ## train the model if data, config or domain changed
	@$(PY) -m bot train

run: train ## install, train if needed, then serve (actions :5055, Rasa :5005, web :8080)
	@$(PY) -m bot run

shell: install ## staff: rasa shell against the running action server (start `make run` first)
	@$(PY) -m bot shell

validate: install ## rasa data validate, warnings are errors (bot/validate.py)
	@$(PY) -m bot.validate

test: train ## everything CI runs: data validation, pytest, held-out NLU, test stories
	@scripts/test.sh

bench: install ## benchmarks (not part of `make test`; trains its own model in a temp dir); writes bench/results/
	@$(PY) -m bench

purge: install ## delete conversations inactive for more than RETENTION_DAYS (30); see docs/deployment.md
	@$(PY) -m bot purge

clean: ## remove models and local state (keeps .venv)
	rm -rf models var results .rasa
