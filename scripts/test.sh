#!/usr/bin/env bash
# Set up .venv and run every check: lint, types, the test suite, and the docs build.
source "$(dirname "$0")/_venv.sh"
cd "$ROOT"
echo "== ruff"; ruff check src tests benchmarks docs/_ext
echo "== mypy"; mypy
echo "== import contracts"; lint-imports
echo "== docs (-W)"; sphinx-build -W --keep-going -q -b html docs docs/_build/html
echo "== docs: internal links"
sphinx-build -W --keep-going -q -b linkcheck -D 'linkcheck_ignore=https?://.*' docs docs/_build/linkcheck
echo "== pytest"; python -m pytest "$@"
