# Posts made of sections: a document whose sections hold further post directives
# (ABlog's "posting sections"), in reST and in Markdown.
project = "Sections"
extensions = ["myst_parser", "sphinx_blogposts"]
exclude_patterns = ["_build"]
blogposts_pattern = ["blog/posts/*"]
blogposts_baseurl = "https://sections.example.org/"
blogposts_feed_full_content = True
