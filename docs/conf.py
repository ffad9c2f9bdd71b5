"""Documentation of sphinx-blogposts, built with sphinx-blogposts itself."""

project = "sphinx-blogposts"
author = "sphinx-blogposts developers"
copyright = "2026, sphinx-blogposts developers"
extensions = ["myst_parser", "sphinx_blogposts"]
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence", "deflist"]
blogposts_path = "news"
blogposts_pattern = ["news/posts/*"]
blogposts_title = "News"
html_theme = "alabaster"
