"""Display: Arabic text right-to-left in every cell and page, and search snippets rendered as marked-up HTML
(``arshif_snippet`` escapes the article text itself, so its output is safe to render)."""

from __future__ import annotations

import re
from pathlib import Path

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup

HTML_COLUMNS = {"snippet", "highlighted"}
CSS = Path(__file__).with_name("arshif.css")


@hookimpl
def extra_css_urls():
    return ["/-/arshif.css"]


@hookimpl
def register_routes():
    async def stylesheet():
        return Response(CSS.read_text("utf-8"), content_type="text/css; charset=utf-8",
                        headers={"cache-control": "max-age=3600"})

    return [(r"^/-/arshif\.css$", stylesheet)]


_MARK = re.compile(r"</?mark>")


def safe_marked_html(value: str) -> Markup | None:
    """``value`` as markup if it is escaped text with nothing but ``<mark>`` tags in it, else None.

    Anyone can name a column ``snippet`` in a SQL query, so the shape is checked, not trusted.
    """
    if "<" in _MARK.sub("", value) or ">" in _MARK.sub("", value):
        return None
    return Markup(value)


@hookimpl
def render_cell(value, column):
    if column in HTML_COLUMNS and isinstance(value, str):
        markup = safe_marked_html(value)
        if markup is not None:
            return Markup('<div class="arshif-snippet" dir="auto">') + markup + Markup("</div>")
    return None
