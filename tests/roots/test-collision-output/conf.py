# A site whose own pages are written to the files of generated pages under dirhtml only:
# blog/archive/index.md (dirhtml: blog/archive/index.html, the archive's file) and
# blog/category.md (dirhtml: blog/category/index.html, the category index's file).
extensions = ["myst_parser", "sphinx_blogposts"]
project = "Collisions"
exclude_patterns = ["_build"]
blogposts_pattern = ["blog/posts/*"]
