extensions = ["myst_parser", "sphinx_blogposts"]
project = "Empty"
