"""``python -m sphinx_blogposts``: the ``sphinx-blogposts`` command."""

from __future__ import annotations

import sys

from .cli.main import main

sys.exit(main())
