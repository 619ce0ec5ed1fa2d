#!/usr/bin/env bash
# The README's test command (`make test`) runs this after install + train.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export PYTHONPATH=$PWD

echo "== rasa data validate"
$PY -m bot rasa data validate --config config.yml --domain domain --data data

echo "== pytest"
$PY -m pytest tests

if [ -d tests/stories ]; then
  echo "== rasa test core (test stories)"
  $PY -m bot rasa test core --model models/current.tar.gz --stories tests/stories \
      --out results/core --fail-on-prediction-errors
fi
