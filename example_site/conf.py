# Configuration of the sphinx-blogposts example site.
# Build it with:  sphinx-build -b html example_site example_site/_build/html

project = "sphinx-blogposts example"
author = "Alex Rivera"
copyright = "2025, Alex Rivera"
version = release = "1.0"

# MyST lets posts be written in Markdown with YAML front matter.
extensions = ["myst_parser", "sphinx_blogposts"]

# Two blogs side by side, each with its own folder, index, categories, archive and feeds.
# Every document under blog/posts/ is a post of the first, every one under news/posts/ a post
# of the second: no `post: true` and no toctree entry needed.
blogposts_blogs = {
    "notes": {
        "path": "blog",
        "title": "Engineering Notes",
        "description": "Field notes from a platform team on building, running and scaling "
                       "software.",
        "pattern": ["blog/posts/*"],
    },
    "news": {
        "path": "news",
        "title": "Release News",
        "description": "What changed in each release of the platform.",
        "pattern": ["news/posts/*"],
        "posts_per_page": 5,
    },
}

# Known authors: a post names one by its key (`author: alex` in the front matter).
blogposts_authors = {
    "alex": {"name": "Alex Rivera", "url": "https://example.org/alex",
             "avatar": "_static/avatar-alex.svg"},
}
# ...and a post that names no author is by this one.
blogposts_default_author = "alex"

# The public address of the site, for the absolute links of the feeds.
html_baseurl = "https://blog.example.org/"

# The extension works under any theme; this is the one that ships with it.
html_theme = "sphinx_blogposts"
html_theme_options = {
    "nav_links": [
        {"label": "Home", "url": "index"},
        {"label": "Blog", "url": "blog/index"},
        {"label": "News", "url": "news/index"},
        {"label": "Categories", "url": "blog/category/index"},
        {"label": "Archive", "url": "blog/archive"},
        {"label": "About", "url": "about"},
    ],
    "social_links": [
        {"label": "Mastodon", "url": "https://mastodon.example/@engineering"},
        {"label": "GitHub", "url": "https://github.com/example/engineering-notes"},
    ],
    "footer_text": "Engineering Notes: field notes from a platform team.",
}
html_logo = "_static/logo.svg"
html_favicon = "_static/logo.svg"
html_static_path = ["_static"]

exclude_patterns = ["_build"]
