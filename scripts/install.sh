#!/usr/bin/env bash
# Idempotent install of the project's virtualenv (.venv).
# rasa 3.6.21 and rasa-sdk 3.6.2 declare Requires-Python <3.11 but run on 3.11:
# they are installed with --no-deps --ignore-requires-python, and everything
# else comes from the exact, fully resolved requirements/lock.txt.
# A stamp in .venv records the hash of what was installed; when it matches,
# nothing is done.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
VENV=.venv
STAMP=$VENV/.install-stamp
RASA_PINS="rasa==3.6.21 rasa-sdk==3.6.2"

want=$(cat requirements/lock.txt scripts/install.sh | sha256sum | cut -d' ' -f1)
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] && [ -x "$VENV/bin/rasa" ]; then
  exit 0
fi

echo "[install] creating $VENV (about 3 minutes, 2.5 GB)..."
start=$(date +%s)
"$PYTHON" - <<'PY'
import sys
if sys.version_info[:2] != (3, 11):
    sys.exit(f"Python 3.11 is required, found {sys.version.split()[0]}")
PY
[ -d "$VENV" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade "pip==24.3.1"
"$VENV/bin/pip" install --quiet --no-deps --ignore-requires-python $RASA_PINS
"$VENV/bin/pip" install --quiet --no-deps -r requirements/lock.txt
"$VENV/bin/python" -c "import rasa, rasa_sdk, tensorflow, holidays, opening_hours, rapidfuzz" \
  || { echo "[install] import check failed" >&2; exit 1; }
echo "$want" > "$STAMP"
echo "[install] done in $(( $(date +%s) - start )) s"
