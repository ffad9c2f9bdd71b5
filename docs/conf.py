"""Documentation of sphinx-blogposts, built with sphinx-blogposts itself."""

import sys
from pathlib import Path

# the local extension that renders the reference tables from the live code
sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "sphinx-blogposts"
author = "sphinx-blogposts developers"
copyright = "2026, sphinx-blogposts developers"
extensions = ["myst_parser", "sphinx_blogposts", "blogposts_reference"]
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# the "News" section is a blog of the project's releases
blogposts_path = "news"
blogposts_pattern = ["news/posts/*"]
blogposts_title = "News"
blogposts_description = "Releases and notes from the sphinx-blogposts project."

html_theme = "sphinx_blogposts"
html_title = "sphinx-blogposts"
html_theme_options = {
    "nav_links": [
        {"label": "Tutorial", "url": "tutorial"},
        {"label": "How-to", "url": "howto/index"},
        {"label": "Reference", "url": "reference"},
        {"label": "News", "url": "news/index"},
    ],
    "footer_text": "sphinx-blogposts: a blog inside any Sphinx site. MIT licensed.",
}
