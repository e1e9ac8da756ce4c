"""Markdown to sanitised HTML: no script, no event handlers, no javascript: links."""

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_TAGS = nh3.ALLOWED_TAGS | {"table", "thead", "tbody", "tr", "th", "td"}


@lru_cache(maxsize=2048)
def render(text: str) -> Markup:
    """Render Markdown and sanitise the HTML (raw HTML in the source is escaped too)."""
    html = _md.render(text or "")
    # Markup only after nh3 has sanitised the HTML (an allow-list of tags and URL schemes).
    clean = nh3.clean(html, tags=_TAGS, url_schemes={"http", "https", "mailto"},
                      link_rel="noopener noreferrer")
    return Markup(clean)  # noqa: S704  # nosec B704
