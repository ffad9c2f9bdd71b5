extensions = ["myst_parser", "sphinx_blogposts"]
project = "Escaping"
exclude_patterns = ["_build"]
blogposts_pattern = ["blog/posts/*"]
blogposts_baseurl = "https://example.org/"
blogposts_authors = {"jane": {"name": "Jane Doe"}}
