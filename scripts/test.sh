#!/usr/bin/env bash
# The README's test command (`make test`) runs this after install + train.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export PYTHONPATH=$PWD RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2
step() { printf '\n== %s\n' "$*"; }

# Headless Chromium for the widget tests (Debian package; no browser download).
if [ -x scripts/install-browser.sh ]; then
  step "browser for the widget tests"
  scripts/install-browser.sh
fi

step "rasa data validate"
$PY -m bot.validate

if [ -f tests/nlu/heldout.yml ]; then
  step "rasa test nlu on the held-out set (tests/nlu/heldout.yml, never trained on)"
  rm -rf results/nlu
  $PY -m bot rasa test nlu --model models/current.tar.gz --nlu tests/nlu/heldout.yml \
      --out results/nlu --no-plot 2>&1 | grep -v -E "DeprecationWarning|^\s*$" | tail -n 5
fi

step "pytest"
$PY -m pytest tests

if [ -d tests/stories ]; then
  step "rasa test core on the test stories (--fail-on-prediction-errors)"
  $PY -m bot rasa test core --model models/current.tar.gz --stories tests/stories \
      --out results/core --fail-on-prediction-errors --no-plot
fi
