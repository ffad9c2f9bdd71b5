# A documentation site that uses a bit of everything, with a blog whose posts look like real
# documentation pages: MyST (with myst-nb), reST and a Jupyter notebook.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))  # kitchen_api.py, documented with autodoc

project = "Kitchen Sink"
author = "Kitchen Team"
copyright = "2024, Kitchen Team"  # the epub builder asks for both
version = release = "1.4"
extensions = [
    "myst_nb",  # brings myst_parser
    "sphinx_blogposts",
    "sphinx.ext.autodoc",
    "sphinx.ext.todo",
    "sphinx.ext.graphviz",
    "sphinx.ext.mathjax",
    "sphinx_design",
]
exclude_patterns = ["_build", "snippets"]
numfig = True
todo_include_todos = True
graphviz_output_format = "svg"  # "png" adds a .png.map file, of no mimetype the epub knows
nb_execution_mode = "off"  # notebooks render with the outputs they were saved with
myst_enable_extensions = ["colon_fence", "deflist", "dollarmath", "tasklist", "substitution"]
myst_substitutions = {"product": "Kitchen Sink"}

# the man, texinfo and latex builders need a document to start from
latex_documents = [("index", "kitchensink.tex", "Kitchen Sink", "Kitchen Team", "manual")]
man_pages = [("index", "kitchensink", "Kitchen Sink", ["Kitchen Team"], 1)]
texinfo_documents = [("index", "kitchensink", "Kitchen Sink", "Kitchen Team", "kitchensink",
                      "A kitchen sink site.", "Miscellaneous")]

blogposts_pattern = ["blog/posts/*"]
blogposts_baseurl = "https://example.org/docs/"
blogposts_title = "Kitchen blog"
blogposts_description = "News from the kitchen."
blogposts_categories = {
    "Guides": "How-to guides written as blog posts.",
    "Releases": "Release notes.",
}
