extensions = ["myst_parser", "sphinx_blogposts"]
project = "Bad input"
exclude_patterns = ["_build"]
blogposts_pattern = ["blog/posts/*"]

