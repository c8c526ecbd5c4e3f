"""Display: Arabic text right-to-left in every cell and page; search snippets rendered as marked-up HTML
(``arshif_snippet`` escapes the article text itself, so its output is safe to render; a plain ``snippet`` beside
its ``highlights`` ranges is marked here); the articles table shows a compact set of columns unless asked for
others; CSV downloads start with a byte-order mark, so that Excel reads the Arabic as UTF-8; category codes
get their Arabic names."""

from __future__ import annotations

import re
from pathlib import Path

import json
from html import escape
from urllib.parse import parse_qsl, unquote, urlencode

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup

from arshif.highlight import spans_to_html
from arshif.site import CATEGORY_LABELS, article_columns, is_archive

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


#: What the articles table shows by default (every column stays queryable: ?_col=origin, ?_nocol=body, filters).
#: ``sort_key`` is the table's sort column, which Datasette reads off a page's last row to link the next page.
DEFAULT_COLUMNS = ("title", "date", "source_id", "category", "body", "sort_key")
BOM = "\ufeff".encode("utf-8")
_ARTICLES = re.compile(r"^/(?P<database>[^/]+)/articles(?P<format>\.csv)?$")
_CSV = re.compile(r"^/(?P<database>[^/]+)/[^/]+\.csv$")


@hookimpl
def asgi_wrapper(datasette):
    """Compact default columns on the articles table (HTML and CSV), and a byte-order mark before every CSV."""

    def wrap(app):
        async def inner(scope, receive, send):
            if scope.get("type") != "http":
                return await app(scope, receive, send)
            path = scope.get("path", "")
            found = _ARTICLES.match(path)
            if found and is_archive(datasette, unquote(found["database"])):
                pairs = parse_qsl(scope.get("query_string", b"").decode("utf-8", "replace"), keep_blank_values=True)
                present = article_columns(datasette, unquote(found["database"]))
                if not any(key in ("_col", "_nocol") for key, _ in pairs):
                    pairs += [("_col", column) for column in DEFAULT_COLUMNS if column in present]
                    scope = dict(scope, query_string=urlencode(pairs).encode("ascii"))
            csv = _CSV.match(path)
            if not (csv and is_archive(datasette, unquote(csv["database"]))):
                return await app(scope, receive, send)
            started = False

            async def with_bom(message):
                nonlocal started
                if message["type"] == "http.response.start":
                    headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"content-length"]
                    message = dict(message, headers=headers)
                elif message["type"] == "http.response.body" and not started:
                    started = True
                    message = dict(message, body=BOM + message.get("body", b""))
                await send(message)

            await app(scope, receive, with_bom)

        return inner

    return wrap


@hookimpl
def render_cell(value, column, row, table, database, datasette):
    if column == "snippet" and isinstance(value, str) and row is not None and "highlights" in row.keys():
        try:
            spans = json.loads(row["highlights"] or "[]")
            html = spans_to_html(value, [[int(a), int(b)] for a, b in spans])
        except (TypeError, ValueError):
            html = escape(value)
        return Markup('<div class="arshif-snippet" dir="auto">') + Markup(html) + Markup("</div>")
    if column == "highlights" and table is None and row is not None and "snippet" in row.keys():
        return Markup('<span class="arshif-meta" dir="ltr">') + escape(str(value)) + Markup("</span>")
    if (column == "category" and isinstance(value, str) and value in CATEGORY_LABELS
            and is_archive(datasette, database)):
        return Markup(f'<bdi>{escape(CATEGORY_LABELS[value])}</bdi> <span class="arshif-meta" dir="ltr">'
                      f"{escape(value)}</span>")
    if column in HTML_COLUMNS and isinstance(value, str):
        markup = safe_marked_html(value)
        if markup is not None:
            return Markup('<div class="arshif-snippet" dir="auto">') + markup + Markup("</div>")
    return None
