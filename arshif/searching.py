"""The search page's engine: one query string in, ranked (or dated) results, an exact total, a page of them with
snippets from the original text, and facets over every matching article. Used by ``plugins/arshif_search.py``
for ``/DATABASE/-/search`` and its JSON twin; the SQL stays in this module, the HTML in the template.

Ranking is FTS5's bm25 as configured in the index (title above body, exact forms above stems), multiplied up
for articles where the required words stand together: an exact phrase counts ``PHRASE_BOOST`` times, the words
within a few tokens of each other ``NEAR_BOOST`` times. Ties go to the newest article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from .highlight import snippet_spans
from .query import Query, parse

PHRASE_BOOST = 4.0
NEAR_BOOST = 2.0
DEFAULT_SIZE = 20
MAX_SIZE = 100
MAX_PAGE = 100_000
#: Ranked pages read the best ``page * size + TOP_MARGIN`` articles by bm25 (ties beyond that margin aside).
TOP_MARGIN = 200
FACET_VALUES = 12
#: Entity facets count the people, places and organizations of at most this many matching articles (the newest):
#: exact for narrower searches, and a sample, said so on the page, for the broadest ones.
ENTITY_SAMPLE = 5000
ENTITY_TYPES = ("PER", "LOC", "ORG")
SORTS = ("rank", "newest", "oldest")
#: The date of an article for filters and facets (YYYY-MM-DD), whatever the precision of ``published``.
DATE_SQL = "a.date"
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")


@dataclass
class Request:
    """What the reader asked for, read from query-string arguments (anything unreadable is ignored)."""

    q: str = ""
    sort: str = "rank"
    page: int = 1
    size: int = DEFAULT_SIZE
    source: int | None = None
    category: str | None = None
    year: int | None = None
    month: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    entities: list[int] = field(default_factory=list)
    query: Query = field(default_factory=Query)

    @classmethod
    def from_args(cls, args) -> "Request":
        """From a Datasette ``request.args`` (a MultiParams) or a plain dict of lists."""
        def one(name: str) -> str:
            value = args.get(name) if hasattr(args, "getlist") else (args.get(name) or [None])[0]
            return (value or "").strip()

        def many(name: str) -> list[str]:
            return list(args.getlist(name)) if hasattr(args, "getlist") else list(args.get(name) or [])

        q = one("q")[:1000]
        request = cls(q=q, query=parse(q))
        sort = one("sort")
        request.sort = sort if sort in SORTS else ("rank" if request.query.groups else "newest")
        if request.sort == "rank" and not request.query.groups:
            request.sort = "newest"
        request.page = min(max(_int(one("page")) or 1, 1), MAX_PAGE)
        size = one("size")
        request.size = min(max(_int(size) or DEFAULT_SIZE, 1), MAX_SIZE)
        request.source = _int(one("source"))
        request.category = one("category") or None
        year = _int(one("year"))
        request.year = year if year and 0 < year < 10000 else None
        month = one("month")
        request.month = month if _MONTH.match(month) else None
        date_from, date_to = one("from"), one("to")
        request.date_from = date_from if _DATE.match(date_from) else None
        request.date_to = date_to if _DATE.match(date_to) else None
        request.entities = list(dict.fromkeys(i for i in (_int(v) for v in many("entity")) if i is not None))[:10]
        return request

    def args(self, **changes) -> list[tuple[str, str]]:
        """The query-string arguments of this request with some changed (None removes one); page 1 is implied."""
        values: dict[str, object] = {
            "q": self.q or None, "sort": self.sort if self.sort != self.default_sort() else None,
            "source": self.source, "category": self.category, "year": self.year, "month": self.month,
            "from": self.date_from, "to": self.date_to, "entity": self.entities or None,
            "size": self.size if self.size != DEFAULT_SIZE else None, "page": self.page if self.page > 1 else None,
        }
        values.update(changes)
        pairs = []
        for name, value in values.items():
            if value is None or value == "" or value == []:
                continue
            for item in value if isinstance(value, list) else [value]:
                pairs.append((name, str(item)))
        return pairs

    def default_sort(self) -> str:
        return "rank" if self.query.groups else "newest"


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value and value.strip().lstrip("-").isdigit() and len(value) < 20 else None
    except ValueError:
        return None


#: Narrowings that are one column equal to the request's value: (request field, column of ``articles``).
_EQUAL_FILTERS = (("source", "source_id"), ("category", "category"), ("year", "year"), ("month", "month"))


def filters(request: Request) -> tuple[list[str], dict]:
    """SQL conditions on ``articles a`` for the request's narrowing, and their parameters."""
    where, params = [], {}
    for name, column in _EQUAL_FILTERS:
        value = getattr(request, name)
        if value is not None:
            where.append(f"a.{column} = :{name}")
            params[name] = value
    if request.date_from:
        where.append(f"{DATE_SQL} >= :date_from")
        params["date_from"] = request.date_from
    if request.date_to:
        where.append(f"substr({DATE_SQL}, 1, length(:date_to)) <= :date_to")
        params["date_to"] = request.date_to
    for index, ident in enumerate(request.entities):
        where.append(f"a.id in (select article_id from article_entities where entity_id = :entity_{index})")
        params[f"entity_{index}"] = ident
    return where, params


#: The index that holds every column a search filters, facets or sorts on (``db.INDEXES``): scanning it is far
#: cheaper than looking up many wide article rows (their bodies) one by one.
COVERING_INDEX = "idx_articles_source_id_category_year_month_date_published_id"
FILTER_COLUMNS = "a.source_id, a.category, a.year, a.month, a.date, a.published, a.id"


def matched_sql(request: Request, scored: bool = True, covering: bool = False,
                top: int | None = None) -> tuple[str, dict]:
    """A ``with`` clause defining ``filtered(rowid, id, score, published, source_id, category, year, month)``:
    every matching article, scored by bm25 and the phrase and proximity boosts when ``scored`` (the facets need
    no score: bm25 is the costly part of a search over many articles). With ``covering``, the articles are read
    from ``COVERING_INDEX`` in one scan instead of row by row."""
    where, params = filters(request)
    condition = (" where " + " and ".join(where)) if where else ""
    table = f"articles a indexed by {COVERING_INDEX}" if covering else "articles a"
    columns = "a.rowid as rowid, a.id as id, a.published as published, a.source_id as source_id," \
              " a.category as category, a.year as year, a.month as month"
    expression = request.query.fts()
    if expression is None:
        sql = f"""with filtered as materialized (select {columns}, 0.0 as score from {table}{condition})"""
        return sql, params
    params["match"] = expression
    rank = "rank" if scored else "0.0 as rank"
    ctes = [f"hits as materialized (select rowid, {rank} from articles_fts where articles_fts match :match)"]
    score = "hits.rank"
    joins = ""
    phrase, near = request.query.phrase_fts(), request.query.near_fts()
    if phrase and scored:
        params["phrase"], params["near"] = phrase, near
        ctes.append("phrase as materialized (select rowid from articles_fts where articles_fts match :phrase)")
        ctes.append("near as materialized (select rowid from articles_fts where articles_fts match :near)")
        joins = " left join phrase on phrase.rowid = a.rowid left join near on near.rowid = a.rowid"
        score += (f" * (case when phrase.rowid is not null then {PHRASE_BOOST}"
                  f" when near.rowid is not null then {NEAR_BOOST} else 1.0 end)")
    if covering and not scored:  # one pass over the index, each entry looked up in the hits
        where = ["+a.rowid in (select rowid from hits)", *where]
        ctes.append(f"filtered as materialized (select {columns}, 0.0 as score from {table}"
                    f" where {' and '.join(where)})")
        return "with " + ",\n".join(ctes), params
    source = "hits join articles a on a.rowid = hits.rowid"
    if scored and top is not None:
        # only the best-ranked articles can reach the page: read just them (and every phrase or proximity
        # match, which the boost may lift) from the wide articles table
        params["top"] = top
        extra = (" union select rowid, rank from hits where rowid in (select rowid from phrase"
                 " union select rowid from near)") if phrase else ""
        ctes.append("best as materialized (select rowid, rank from"
                    f" (select rowid, rank from hits order by rank limit :top){extra})")
        source = "best as hits join articles a on a.rowid = hits.rowid"
    ctes.append(f"filtered as materialized (select {columns}, {score} as score from {source}{joins}{condition})")
    return "with " + ",\n".join(ctes), params


ORDER = {"rank": "f.score, f.published desc, f.rowid", "newest": "f.published desc, f.rowid desc",
         "oldest": "f.published is null, f.published, f.rowid"}


def page_sql(request: Request, covering: bool = False) -> tuple[str, dict]:
    """The page of results, in the requested order."""
    if request.query.fts() is None and request.sort == "newest":
        # no words: the newest articles (narrowed or not), read in the order of the index on published (the
        # materialized set below would read every article first, for any page)
        where, params = filters(request)
        condition = (" where " + " and ".join(where)) if where else ""
        params["limit"] = request.size
        params["offset"] = (request.page - 1) * request.size
        return f"""
        select a.id, a.title, a.published, a.category, a.url, a.body, a.source_id, s.name as source, 0.0 as score
        from articles a left join sources s on s.id = a.source_id{condition}
        order by a.published desc, a.rowid desc limit :limit offset :offset""", params
    top = None
    if request.sort == "rank" and not filters(request)[0]:
        top = request.page * request.size + TOP_MARGIN
    sql, params = matched_sql(request, scored=request.sort == "rank", covering=covering, top=top)
    params["limit"] = request.size
    params["offset"] = (request.page - 1) * request.size
    return sql + f"""
        select a.id, a.title, a.published, a.category, a.url, a.body, a.source_id, s.name as source, f.score
        from filtered f join articles a on a.rowid = f.rowid left join sources s on s.id = a.source_id
        order by {ORDER[request.sort]} limit :limit offset :offset""", params


def facets_sql(request: Request, with_entities: bool = True, covering: bool = False) -> tuple[str, dict]:
    """The total and every facet's counts over all matching articles, in one statement."""
    sql, params = matched_sql(request, scored=False, covering=covering)
    sql += """,
        rows as materialized (select source_id, category, year, month, id from filtered)
        select 'total' as facet, null as value, null as label, count(*) as n from rows
        union all select 'source', r.source_id, s.name, count(*) from rows r left join sources s on s.id = r.source_id
            group by r.source_id
        union all select 'category', category, null, count(*) from rows group by category
        union all select 'year', year, null, count(*) from rows group by year
        union all select 'month', month, null, count(*) from rows group by month"""
    if with_entities:
        sql += """
        union all select * from (
            with sample as (select id from filtered order by published desc limit :entity_sample),
            counted as (select ae.entity_id, count(*) as n from sample r
                        join article_entities ae on ae.article_id = r.id group by ae.entity_id),
            ranked as (select e.type, e.id, e.name, counted.n,
                              row_number() over (partition by e.type order by counted.n desc, e.id) as position
                       from counted join entities e on e.id = counted.entity_id
                       where e.type in ('PER', 'LOC', 'ORG'))
            select type, id, name, n from ranked where position <= :facet_values)"""
        params["facet_values"] = FACET_VALUES + 1
        params["entity_sample"] = ENTITY_SAMPLE
    return sql, params


def result_row(row: dict, request: Request) -> dict:
    """A result as data: the snippet as plain original text with the matched ranges in it."""
    text, spans = snippet_spans(row["body"], request.query) if request.q else (row["body"][:240], [])
    title = row["title"] or ""
    _, title_spans = snippet_spans(title, request.query, words=10_000) if request.q and title else ("", [])
    return {"id": row["id"], "title": row["title"], "title_highlights": title_spans, "published": row["published"],
            "date": (row["published"] or "")[:10] or None, "source": row["source"], "source_id": row["source_id"],
            "category": row["category"], "original_url": row["url"],
            "snippet": {"text": text, "highlights": spans},
            "score": round(row["score"], 4) if request.sort == "rank" else None}


def group_facets(rows: list[dict]) -> tuple[int, dict[str, list[dict]]]:
    """Facet rows into (total, {facet: values}), years and months in date order, the rest by count."""
    total = 0
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        if row["facet"] == "total":
            total = row["n"]
            continue
        if row["value"] is None:
            continue
        grouped.setdefault(row["facet"], []).append({"value": row["value"], "label": row["label"], "count": row["n"]})
    for name, values in grouped.items():
        if name in ("year", "month"):
            values.sort(key=lambda item: str(item["value"]))
        else:
            values.sort(key=lambda item: (-item["count"], str(item["label"] or item["value"])))
    return total, grouped


def query_string(pairs: list[tuple[str, str]]) -> str:
    return ("?" + urlencode(pairs)) if pairs else ""


def sqlite_vocabulary(path: str, immutable: bool = False):
    """A ``Vocabulary`` of the archive at ``path``, read through a connection of its own (``fts5vocab`` in its
    temp schema, so the archive itself is never written)."""
    import sqlite3
    import threading
    from pathlib import Path

    from .query import Vocabulary

    uri = Path(path).resolve().as_uri() + ("?mode=ro&immutable=1" if immutable else "?mode=ro")
    lock = threading.Lock()
    state: dict = {}

    def connection() -> sqlite3.Connection:  # (under the lock)
        conn = state.get("conn")
        if conn is None:
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            conn.execute("create virtual table if not exists temp.arshif_vocab"
                         " using fts5vocab(main, articles_fts, col)")
            state["conn"] = conn
        return conn

    def counted(words: list[str], columns: tuple[str, str]) -> dict[str, int]:
        with lock:
            conn = connection()
            found: dict[str, int] = {}
            for start in range(0, len(words), 400):
                chunk = words[start:start + 400]
                marks = ", ".join("?" * len(chunk))
                for term, docs in conn.execute(
                        f"select term, sum(doc) from temp.arshif_vocab where term in ({marks})"
                        " and col in (?, ?) group by term", [*chunk, *columns]):
                    found[term] = docs
            return found

    def spelled(words: list[str]) -> dict[str, list[str]]:
        with lock:
            conn = connection()
            found: dict[str, list[str]] = {}
            try:
                for start in range(0, len(words), 400):
                    chunk = words[start:start + 400]
                    marks = ", ".join("?" * len(chunk))
                    for word, variant in conn.execute(
                            f"select word, variant from spellings where word in ({marks})", chunk):
                        found.setdefault(word, []).append(variant)
            except sqlite3.OperationalError:  # an archive built before the table existed
                return {}
            return found

    return Vocabulary(lambda words: counted(words, ("title", "body")),
                      lambda stems: counted(stems, ("title_stems", "body_stems")), spelled)
