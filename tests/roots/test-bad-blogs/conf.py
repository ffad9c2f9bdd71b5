extensions = ["myst_parser", "sphinx_blogposts"]
project = "Blogs with mistakes"
exclude_patterns = ["_build"]
blogposts_blogs = {
    "news": {"pattern": ["news/*"]},
    "updates": {"path": "news", "pattern": ["news/*", "more/*"]},
}
