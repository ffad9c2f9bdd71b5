# Sourced by the other scripts: create .venv (once) and install the project with its test extras.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${BLOGPOSTS_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"
if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
# what to install besides the package: the test command wants the test and theme extras,
# building the example wants none (BLOGPOSTS_EXTRAS="" installs the package alone)
EXTRAS="${BLOGPOSTS_EXTRAS-test,themes}"
STAMP="$VENV/.installed-$( (cat "$ROOT/pyproject.toml"; echo "$EXTRAS") | sha1sum | cut -c1-12)"
if [ ! -f "$STAMP" ]; then
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet -e "$ROOT${EXTRAS:+[$EXTRAS]}"
  touch "$STAMP"
fi
export PATH="$VENV/bin:$PATH"
