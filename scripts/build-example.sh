#!/usr/bin/env bash
# Set up .venv and build the example blog; the HTML lands in example_site/_build/html.
BLOGPOSTS_EXTRAS="${BLOGPOSTS_EXTRAS-}"  # the example needs the package alone
source "$(dirname "$0")/_venv.sh"
cd "$ROOT/example_site"
sphinx-build -W --keep-going -b html . _build/html "$@"
echo "Example site built: open $ROOT/example_site/_build/html/index.html (blog: blog/index.html)"
