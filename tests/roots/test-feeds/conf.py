extensions = ["myst_parser", "sphinx_blogposts"]
project = "Feeds"
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence"]
blogposts_pattern = ["blog/posts/*"]
blogposts_title = "Feeds blog"
blogposts_description = "Posts about feeds & sharing."
blogposts_baseurl = "https://example.org/"
blogposts_authors = {
    "jane": {"name": "Jane Doe", "url": "https://example.org/jane"},
    "sam": {"name": "Sam Roe"},
}
blogposts_default_author = "jane"
