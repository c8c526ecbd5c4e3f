"""The archive's own pages, in Arabic: the front page (Datasette's index, ``/``), an entity page
(``/DATABASE/-/entity/<id>``) and an article page (``/DATABASE/-/article/<id>``), each with a ``.json`` twin; and
links to them wherever an entity or an article is shown in Datasette's tables and query results. Every archive
attached gets its own pages, whatever its name; the old ``/-/entity/<id>`` and ``/-/article/<id>`` redirect to the
first archive's.

Every text from the archive goes through Jinja's autoescaping or ``html.escape``; the only HTML built here is
the article body with its mentions marked (``mark_mentions``) and the timeline's SVG, both from escaped parts.
"""

from __future__ import annotations

import datetime
from html import escape
from urllib.parse import quote

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup

from arshif.limits import lookups, sections
from arshif.site import CATEGORY_LABELS, archive_names, is_archive

TYPE_NAMES = {"PER": "شخص", "LOC": "مكان", "ORG": "منظمة", "MISC": "اسم آخر"}
TYPE_PLURALS = {"PER": "أشخاص", "LOC": "أماكن", "ORG": "منظمات", "MISC": "أسماء أخرى"}
SNIPPET_CHARS = 160


def entity_url(datasette, database: str, ident) -> str:
    """The entity page of ``ident`` in the archive ``database``."""
    return datasette.urls.database(database) + f"/-/entity/{int(ident)}"


def article_url(datasette, database: str, ident: str) -> str:
    """The article page of ``ident`` in the archive ``database``."""
    return datasette.urls.database(database) + "/-/article/" + quote(str(ident), safe="")


def search_url(datasette, database: str) -> str:
    """The search page of the archive ``database``."""
    return datasette.urls.database(database) + "/-/search"


def archive_database(datasette) -> str | None:
    """The first attached archive (what the front page and the old ``/-/entity/ID`` links show)."""
    names = archive_names(datasette)
    return names[0] if names else None


def archive_or_404(datasette, request):
    """The archive named in the request's path, for the archive's own pages; 404 when it is not one."""
    name = request.url_vars.get("database")
    if name is None or not is_archive(datasette, name):
        raise NotFound("لا يوجد أرشيف بهذا الاسم · no such archive")
    return datasette.get_database(name)


def safe_link(url: str | None) -> str | None:
    """The url if it is an http(s) link (never ``javascript:`` and the like), else None."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def mention_snippet(body: str, start: int | None, end: int | None, chars: int = SNIPPET_CHARS) -> Markup:
    """Escaped text around one mention, the mention marked; the opening of the body when there is none."""
    if start is None or end is None or not (0 <= start < end <= len(body)):
        text = body[:chars]
        return Markup(escape(text) + (" …" if len(body) > chars else ""))
    left = max(0, start - chars // 2)
    right = min(len(body), end + chars // 2)
    html = (("… " if left else "") + escape(body[left:start]) + "<mark>" + escape(body[start:end]) + "</mark>"
            + escape(body[end:right]) + (" …" if right < len(body) else ""))
    return Markup(html.replace("\n", " "))


def mark_mentions(body: str, mentions: list[dict], link=lambda ident: "") -> list[Markup]:
    """The body as paragraphs of escaped HTML, each mention a link to its entity page."""
    paragraphs: list[Markup] = []
    mentions = sorted((m for m in mentions if 0 <= m["start"] < m["end"] <= len(body)), key=lambda m: m["start"])
    index = 0
    offset = 0
    for line in body.split("\n"):
        line_start, line_end = offset, offset + len(line)
        offset = line_end + 1
        parts = []
        cursor = line_start
        while index < len(mentions) and mentions[index]["start"] < line_end:
            mention = mentions[index]
            index += 1
            if mention["start"] < cursor:
                continue  # overlaps the previous mention, or began in an earlier paragraph
            end = min(mention["end"], line_end)
            parts.append(escape(body[cursor:mention["start"]]))
            title = TYPE_NAMES.get(mention["type"], mention["type"])
            if mention.get("entity_id") is not None:
                parts.append(
                    f'<a class="arshif-mention arshif-{escape(mention["type"])}" href="{escape(link(mention["entity_id"]))}"'
                    f' title="{escape(title)}: {escape(mention.get("name") or "")}"'
                    f' data-entity-id="{int(mention["entity_id"])}"><mark>{escape(body[mention["start"]:end])}</mark></a>'
                )
            else:
                parts.append(f"<mark>{escape(body[mention['start']:end])}</mark>")
            cursor = end
        parts.append(escape(body[cursor:line_end]))
        html = "".join(parts)
        if html.strip():
            paragraphs.append(Markup(html))
    return paragraphs


def timeline_svg(months: list[dict], width: int = 720, height: int = 160) -> Markup:
    """An SVG bar chart of mentions by month (gaps filled with empty months), oldest on the right (RTL)."""
    if not months:
        return Markup("")
    counts = {row["month"]: row for row in months}
    first, last = months[0]["month"], months[-1]["month"]
    series = []
    year, month = int(first[:4]), int(first[5:7])
    while f"{year:04d}-{month:02d}" <= last and len(series) < 600:
        key = f"{year:04d}-{month:02d}"
        row = counts.get(key)
        series.append((key, row["mentions"] if row else 0, row["articles"] if row else 0))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    peak = max(mentions for _, mentions, _ in series) or 1
    bar = (width - 40) / len(series)
    chart = height - 30
    parts = [f'<svg class="arshif-timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}"'
             f' width="100%" role="img" aria-label="الإشارات حسب الشهر">',
             f'<line x1="20" y1="{chart}" x2="{width - 20}" y2="{chart}" stroke="#999"/>']
    for position, (key, mentions, articles) in enumerate(series):
        x = width - 20 - (position + 1) * bar  # right to left: the first month on the right
        h = chart * mentions / peak
        parts.append(
            f'<rect x="{x + bar * 0.1:.1f}" y="{chart - h:.1f}" width="{max(bar * 0.8, 1):.1f}" height="{h:.1f}"'
            f' fill="#3b6ea5" data-month="{key}" data-mentions="{mentions}">'
            f"<title>{key}: {mentions} إشارة في {articles} مقال</title></rect>"
        )
    step = max(1, len(series) // 8)
    for position in range(0, len(series), step):
        x = width - 20 - (position + 0.5) * bar
        parts.append(f'<text x="{x:.1f}" y="{height - 10}" font-size="11" text-anchor="middle">'
                     f"{series[position][0]}</text>")
    parts.append(f'<text x="{width - 20}" y="12" font-size="11" text-anchor="end">{peak}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def format_date(value: str | None) -> str:
    if not value:
        return ""
    try:
        return datetime.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return value


async def front_page(datasette, name: str) -> dict:
    """What the front page shows of one archive."""
    db = datasette.get_database(name)
    queries = {
        "counts": ("select (select count(*) from articles) as articles, (select count(*) from sources) as sources,"
                   " (select count(*) from entities) as entities", []),
        "latest": ("select a.id, a.title, a.published, s.name as source from articles a"
                   " left join sources s on s.id = a.source_id order by a.published desc limit 10", []),
    }
    for kind in TYPE_NAMES:
        queries[kind] = ("select id, name, article_count from entities where type = ?"
                         " order by article_count desc, id limit 10", [kind])
    found = await lookups(db, queries)  # one trip to a SQL thread
    counts, latest = found["counts"][0], found["latest"]
    top = {kind: [dict(row) | {"url": entity_url(datasette, name, row["id"])} for row in found[kind]]
           for kind in TYPE_NAMES if found[kind]}
    return {
        "database": name,
        "counts": dict(counts),
        "top": top,
        "type_plurals": TYPE_PLURALS,
        "latest": [dict(row) | {"url": article_url(datasette, name, row["id"]), "date": format_date(row["published"])}
                   for row in latest],
        "search_url": search_url(datasette, name),
        "database_url": datasette.urls.database(name),
        "query_url": datasette.urls.database(name),
    }


@hookimpl
def extra_template_vars(view_name, datasette):
    if view_name == "table":
        return {"arshif_category_labels": CATEGORY_LABELS}
    if view_name != "index":
        return {}

    async def inner():
        names = archive_names(datasette)
        if not names:
            return {"arshif": None}
        return {"arshif": await front_page(datasette, names[0]),
                "arshif_others": [{"name": other, "search_url": search_url(datasette, other),
                                   "database_url": datasette.urls.database(other)} for other in names[1:]]}

    return inner


def wants_json(request) -> bool:
    return request.url_vars.get("format") == ".json"


ENTITY_PAGE_TABLES = ("entity_months", "entity_together", "entity_latest")


async def stored_pages(db) -> bool:
    """Whether the archive holds what the build stores for entity pages (checked once per database)."""
    found = getattr(db, "_arshif_entity_pages", None)
    if found is None:
        rows = await db.execute(
            f"select count(*) from sqlite_master where type = 'table' and name in ({', '.join('?' * len(ENTITY_PAGE_TABLES))})",
            list(ENTITY_PAGE_TABLES))
        found = db._arshif_entity_pages = rows.first()[0] == len(ENTITY_PAGE_TABLES)
    return found


async def live_sections(db, ident: int, degraded: list[dict]):
    """The timeline, co-mentions and latest articles of an entity computed from the link tables (archives older
    than ``entity_months``, ``entity_together`` and ``entity_latest``)."""
    found = await sections(db, {
        # the month read off ``published`` (stored before the body, so no long row is read to its end)
        "months": ("select substr(a.published, 1, 7) as month, count(*) as articles, sum(ae.mention_count) as mentions"
                   " from article_entities ae join articles a on a.id = ae.article_id"
                   " where ae.entity_id = ? and a.published is not null and a.published != ''"
                   " group by 1 order by 1", [ident]),
        "together": ("select e.id, e.name, e.type, count(*) as n from article_entities ae1"
                     " join article_entities ae2 on ae2.article_id = ae1.article_id and ae2.entity_id != ae1.entity_id"
                     " join entities e on e.id = ae2.entity_id where ae1.entity_id = ?"
                     " group by ae2.entity_id order by n desc, e.id limit 15", [ident]),
        "latest": ("select a.id, a.title, a.published, s.name as source, a.body,"
                   " (select start from mentions m where m.article_id = a.id and m.entity_id = ae.entity_id"
                   "  order by m.start limit 1) as start,"
                   " (select \"end\" from mentions m where m.article_id = a.id and m.entity_id = ae.entity_id"
                   "  order by m.start limit 1) as \"end\""
                   " from article_entities ae join articles a on a.id = ae.article_id"
                   " left join sources s on s.id = a.source_id"
                   " where ae.entity_id = ? order by a.published desc, a.id desc limit 10", [ident]),
    }, degraded)
    months, together, latest = found["months"], found["together"], found["latest"]
    return months, together, latest


async def entity_data(datasette, request) -> dict:
    """Everything the entity page shows, as plain data (the page's JSON twin)."""
    db = archive_or_404(datasette, request)
    name = db.name
    ident = int(request.url_vars["id"])
    degraded: list[dict] = []
    queries = {
        "entity": ("select * from entities where id = ?", [ident]),
        "aliases": ("select alias, mention_count from entity_aliases where entity_id = ?"
                    " order by mention_count desc, alias limit 30", [ident]),
    }
    stored = await stored_pages(db)
    if stored:
        # what the build stored for entity pages (arshif.db.rebuild_entity_pages): a few rows by primary key
        queries |= {
            "months": ("select month, articles, mentions from entity_months where entity_id = ? order by month",
                       [ident]),
            "together": ("select e.id, e.name, e.type, t.articles as n from entity_together t"
                         " join entities e on e.id = t.other_id where t.entity_id = ? order by t.position", [ident]),
            "latest": ('select a.id, a.title, a.published, s.name as source, a.body, l.start, l."end"'
                       " from entity_latest l join articles a on a.id = l.article_id"
                       " left join sources s on s.id = a.source_id where l.entity_id = ? order by l.position",
                       [ident]),
        }
    found = await sections(db, queries, degraded, required=("entity",))  # one trip to a SQL thread
    entity = found["entity"][0] if found["entity"] else None
    if entity is None:
        raise NotFound("لا يوجد كيان بهذا الرقم · no such entity")
    aliases = found["aliases"]
    if stored:
        months, together, latest = found["months"], found["together"], found["latest"]
    else:  # an archive built before they were stored: the same sections computed now
        months, together, latest = await live_sections(db, ident, degraded)
    search = search_url(datasette, name)
    return {
        "database": name,
        "entity": dict(entity),
        "type_name": TYPE_NAMES.get(entity["type"], entity["type"]),
        "aliases": [dict(row) for row in aliases],
        "months": [dict(row) for row in months],
        "together": [dict(row) | {"url": entity_url(datasette, name, row["id"]),
                                  "type_name": TYPE_NAMES.get(row["type"], row["type"]),
                                  "both_url": search + f"?entity={ident}&entity={int(row['id'])}"}
                     for row in together],
        "latest": [{"id": row["id"], "title": row["title"], "url": article_url(datasette, name, row["id"]),
                    "source": row["source"], "date": format_date(row["published"]),
                    "start": row["start"], "end": row["end"], "body": row["body"]} for row in latest],
        "articles_url": search + f"?entity={ident}",
        "table_url": datasette.urls.table(name, "articles") + f"?_entity={ident}",
        "query_url": datasette.urls.database(name) + f"/entity_articles?entity={ident}",
        "row_url": datasette.urls.row(name, "entities", str(ident)),
        "degraded": degraded,
    }


async def entity_page(datasette, request):
    data = await entity_data(datasette, request)
    headers = {"cache-control": "no-store"} if data["degraded"] else None
    if wants_json(request):
        for article in data["latest"]:
            article["snippet"] = _plain_snippet(article.pop("body"), article["start"], article["end"])
        return Response.json(data, headers=headers)
    data["timeline"] = timeline_svg(data["months"])
    for article in data["latest"]:
        article["snippet"] = mention_snippet(article.pop("body"), article["start"], article["end"])
    return Response.html(await datasette.render_template("arshif_entity.html", data, request=request),
                         headers=headers)


def _plain_snippet(body: str, start: int | None, end: int | None, chars: int = SNIPPET_CHARS) -> dict:
    """The text around a mention as plain text, with the mention's range in it."""
    if start is None or end is None or not (0 <= start < end <= len(body)):
        return {"text": body[:chars], "highlights": []}
    left = max(0, start - chars // 2)
    right = min(len(body), end + chars // 2)
    return {"text": body[left:right], "highlights": [[start - left, end - left]]}


async def article_data(datasette, request) -> dict:
    """Everything the article page shows, as plain data (the page's JSON twin)."""
    db = archive_or_404(datasette, request)
    name = db.name
    ident = request.url_vars["id"]
    found = await lookups(db, {  # one trip to a SQL thread
        "article": ("select a.id, a.title, a.published, a.category, a.author, a.url, a.body, a.source_id,"
                    " s.name as source, s.entity_id as publisher_id, p.name as publisher from articles a"
                    " left join sources s on s.id = a.source_id left join entities p on p.id = s.entity_id"
                    " where a.id = ?", [ident]),
        "mentions": ('select m.start, m."end", m.surface, m.entity_id, m.type, m.kind, m.role, e.name from mentions m'
                     " left join entities e on e.id = m.entity_id where m.article_id = ? order by m.start", [ident]),
        "entities": ("select e.id, e.name, e.type, ae.mention_count from article_entities ae"
                     " join entities e on e.id = ae.entity_id"
                     " where ae.article_id = ? order by ae.mention_count desc, e.name", [ident]),
    })
    article = found["article"][0] if found["article"] else None
    if article is None:
        raise NotFound("لا يوجد مقال بهذا الرقم · no such article")
    mentions, entities = found["mentions"], found["entities"]
    return {
        "database": name,
        "article": dict(article),
        "date": format_date(article["published"]),
        "category_label": CATEGORY_LABELS.get(article["category"] or "", article["category"]),
        "mentions": [dict(row) for row in mentions],
        "entities": [dict(row) | {"url": entity_url(datasette, name, row["id"]),
                                  "type_name": TYPE_NAMES.get(row["type"], row["type"])} for row in entities],
        "row_url": datasette.urls.row(name, "articles", quote(str(ident), safe="")),
        "source_url": (search_url(datasette, name) + f"?source={int(article['source_id'])}"
                       if article["source_id"] is not None else None),
        # the organization that publishes the source, as an entity of the archive (sources.entity_id)
        "publisher_url": (entity_url(datasette, name, article["publisher_id"])
                          if article["publisher_id"] is not None else None),
    }


async def article_page(datasette, request):
    data = await article_data(datasette, request)
    if wants_json(request):
        return Response.json(data)
    name = data["database"]
    data["original"] = safe_link(data["article"]["url"])
    data["paragraphs"] = mark_mentions(data["article"]["body"], data.pop("mentions"),
                                       lambda ident: entity_url(datasette, name, ident))
    return Response.html(await datasette.render_template("arshif_article.html", data, request=request))


def _legacy(kind: str):
    """``/-/entity/ID`` and ``/-/article/ID`` (links from before archives were named): to the first archive's page."""
    async def redirect(datasette, request):
        name = archive_database(datasette)
        if name is None:
            raise NotFound("No archive")
        ident = request.url_vars["id"]
        target = datasette.urls.database(name) + f"/-/{kind}/" + quote(ident, safe="")
        return Response.redirect(target + (request.url_vars.get("format") or ""))

    return redirect


DATABASE = r"(?P<database>[^/]+)"


@hookimpl
def register_routes():
    return [
        (rf"^/{DATABASE}/-/entity/(?P<id>\d{{1,19}})(?P<format>\.json)?$", entity_page),
        (rf"^/{DATABASE}/-/article/(?P<id>[^/]+?)(?P<format>\.json)?$", article_page),
        (r"^/-/entity/(?P<id>\d{1,19})(?P<format>\.json)?$", _legacy("entity")),
        (r"^/-/article/(?P<id>[^/]+?)(?P<format>\.json)?$", _legacy("article")),
    ]


ENTITY_COLUMNS = {"entity_id", "entity", "other_entity_id"}
ARTICLE_COLUMNS = {"article_id"}


@hookimpl
def render_cell(value, column, table, row, database, datasette):
    """Entities and articles link to their arshif pages, wherever they are listed."""
    if value is None or not is_archive(datasette, database):
        return None
    to_entity = lambda ident: entity_url(datasette, database, ident)  # noqa: E731
    to_article = lambda ident: article_url(datasette, database, ident)  # noqa: E731
    if isinstance(value, dict) and "value" in value:  # a foreign key Datasette expanded to its label
        if column in ENTITY_COLUMNS and isinstance(value["value"], int):
            return Markup(f'<a href="{to_entity(value["value"])}" dir="auto">'
                          f'{escape(str(value.get("label") or value["value"]))}</a>')
        if column in ARTICLE_COLUMNS and value["value"] is not None:
            return Markup(f'<a href="{to_article(value["value"])}">{escape(str(value["value"]))}</a>')
        return None
    if column in ENTITY_COLUMNS and isinstance(value, int):
        async def entity_link():
            found = (await datasette.get_database(database).execute(
                "select name from entities where id = ?", [value])).first()
            label = found["name"] if found else str(value)
            return Markup(f'<a href="{to_entity(value)}" dir="auto">{escape(label)}</a>')
        return entity_link
    if table == "entities" and column == "name" and "id" in row.keys():
        return Markup(f'<a href="{to_entity(row["id"])}" dir="auto">{escape(str(value))}</a>')
    if column in ARTICLE_COLUMNS and isinstance(value, str):
        return Markup(f'<a href="{to_article(value)}">{escape(value)}</a>')
    if (table == "articles" or table is None) and column == "title" and "id" in row.keys() and row["id"]:
        return Markup(f'<a href="{to_article(row["id"])}" dir="auto">{escape(str(value))}</a>')
    return None
