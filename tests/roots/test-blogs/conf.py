extensions = ["myst_parser", "sphinx.ext.mathjax", "sphinx_blogposts"]
project = "Two blogs"
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence", "dollarmath"]
blogposts_baseurl = "https://example.org/docs/"
blogposts_now = "2026-01-01"
blogposts_title = "Everything"
blogposts_authors = {"jane": {"name": "Jane Doe"}, "raj": {"name": "Raj Patel"}}
blogposts_default_author = "jane"
blogposts_blogs = {
    "news": {
        "title": "News",
        "description": "Releases and announcements.",
        "pattern": ["news/posts/*"],
        "posts_per_page": 2,
        "categories": {"Releases": "New versions of the library."},
    },
    "engineering": {
        "path": "eng",
        "title": "Engineering",
        "pattern": ["engineering/*"],
        "feeds": ["atom"],
        "drafts": "show",
        "default_author": "raj",
    },
}
blogposts_all_posts = True
html_sidebars = {"**": ["blogposts/recent.html", "blogposts/categories.html",
                        "blogposts/tags.html"]}
