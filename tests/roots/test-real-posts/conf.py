# Posts written the way docs pages are: cross-references and inline code in first paragraphs,
# a front matter title over another heading, a very long first paragraph, remote covers.
extensions = ["myst_parser", "sphinx_blogposts", "sphinxext.opengraph"]
project = "Real posts"
exclude_patterns = ["_build"]
blogposts_pattern = ["blog/posts/*"]
blogposts_baseurl = "https://example.org/"
ogp_site_url = "https://example.org/"
