# A site written for ABlog; the only change is "ablog" -> "sphinx_blogposts" in extensions.
project = "Field Notes"
author = "Mira Okafor"
extensions = ["myst_parser", "sphinx_blogposts"]
exclude_patterns = ["_build"]

blog_path = "journal"
blog_title = "Field Notes Journal"
blog_baseurl = "https://notes.example.org/"
blog_post_pattern = ["journal/posts/*.rst"]
blog_authors = {
    "mira": ("Mira Okafor", "https://notes.example.org/about/mira"),
    "tomas": ("Tomás Ekberg", None),
}
blog_default_author = "mira"
blog_feed_archives = True
blog_feed_fulltext = True
blog_feed_length = 5
post_date_format = "%b %d, %Y"

# ABlog values without an equivalent: one blogposts.config warning each
blog_locations = {"lisbon": ("Lisbon", None)}
disqus_shortname = "field-notes"

html_sidebars = {"**": ["recentposts.html", "tagcloud.html", "postcard.html", "searchbox.html"]}
