#!/usr/bin/env bash
# The compatibility matrix (noxfile.py): the test suite on the older Sphinx, docutils and
# myst-parser lines, each in its own venv under .nox/; arguments go to nox.
source "$(dirname "$0")/_venv.sh"
cd "$ROOT"
echo "== compatibility matrix (nox)"
nox --non-interactive -s compat "$@"
