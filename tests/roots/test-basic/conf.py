extensions = ["myst_parser", "sphinx_blogposts"]
project = "Basic blog"
exclude_patterns = ["_build"]
blogposts_pattern = ["blog/posts/*"]
blogposts_posts_per_page = 2
blogposts_authors = {
    "jane": {"name": "Jane Doe", "url": "https://example.org/jane"},
    "sam": {"name": "Sam Roe"},
}
blogposts_default_author = "jane"
blogposts_categories = {"Releases": "Release notes and announcements."}
