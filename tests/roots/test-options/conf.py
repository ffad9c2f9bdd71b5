extensions = ["myst_parser", "sphinx_blogposts"]
project = "Options"
exclude_patterns = ["_build"]
blogposts_pattern = ["posts/*"]
blogposts_default_category = "General"
