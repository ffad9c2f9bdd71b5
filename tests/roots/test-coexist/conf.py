# An existing docs site's usual extensions, with the blog: notebooks through myst-nb (which
# brings MyST itself), sphinx-design, sphinx-copybutton, sphinxext-opengraph and sphinx-sitemap.
project = "Coexistence"
extensions = [
    "myst_nb",
    "sphinx_blogposts",
    "sphinx_design",
    "sphinx_copybutton",
    "sphinxext.opengraph",
    "sphinx_sitemap",
]
myst_enable_extensions = ["colon_fence"]
nb_execution_mode = "off"  # notebooks are rendered with the outputs they were saved with

html_theme = "furo"
html_static_path = ["_static"]
html_favicon = "_static/favicon.svg"  # else the browser asks for /favicon.ico
html_baseurl = "https://docs.example.org/"
sitemap_url_scheme = "{link}"
ogp_site_url = "https://docs.example.org/"
ogp_social_cards = {"enable": False}

blogposts_pattern = ["blog/posts/*"]
blogposts_drafts = "hide"
exclude_patterns = ["_build"]
