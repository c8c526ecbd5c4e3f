"""Entity facets on ``articles``: the people, places, organizations (and other names) most mentioned among the
matching articles, and ``?_entity=ID`` (repeatable, all must match) to narrow the articles to them.

``?_facet_entity=PER`` (or ``{entity: PER}`` in metadata) asks for a facet of one entity type. All entity facets
of a request are answered by one query over the ``article_entities`` link table: the matching article ids
(whatever Datasette's filters and ``_search`` select) are looked up in its primary-key index, which covers
``entity_id``, and only the grouped counts are joined to ``entities``. Without any filter the counts are the
stored ``entities.article_count``, read from its ``(type, article_count)`` index.

On ``articles`` every facet of a request, column facets included (Datasette's ``_facet=``, the ``dated`` ones of
metadata), is counted by one statement (``FacetBatch``): the matching ids (and so the search's FTS match) are
computed once, the columns read once (from the covering index of the search page when the match is large), and
each facet's counts are cut from that. When most articles match, an entity's count is its stored
``article_count`` less its articles that do not match: exact, and far fewer links to count. When the batch runs out of time, its entity facets are marked as cut and
each column facet runs alone under its own limit, as Datasette runs it.
"""

from __future__ import annotations

import asyncio
import re

from datasette import hookimpl
from datasette.database import QueryInterrupted, Results
from datasette.facets import ColumnFacet, Facet, load_facet_configs
from datasette.utils import escape_sqlite
from datasette.filters import FilterArguments
from datasette.utils import path_with_added_args, path_with_removed_args

from arshif.db import FACET_COLUMNS

TYPES = ("PER", "LOC", "ORG", "MISC")
TYPE_LABELS = {"PER": "أشخاص · people", "LOC": "أماكن · places", "ORG": "منظمات · organizations",
               "MISC": "أسماء أخرى · other names"}
ENTITY_TABLES = {"articles": "id"}
MAX_ENTITIES = 10
_WHERE = re.compile(r"\bwhere\b", re.IGNORECASE)
#: The search page's covering index of ``articles`` (``arshif.searching.COVERING_INDEX``) and its columns.
COVERING_INDEX = "idx_articles_source_id_category_year_month_date_published_id"
COVERED = {"source_id", "category", "year", "month", "date", "published", "id"}
#: From this share of the table matching, a batch reads the rows' columns by one scan of the covering index
#: rather than row by row (measured at 100,000 articles: row by row is faster up to about half the table).
COVERING_FROM = 0.5
#: The short per-article rows of the facet columns and packed entity ids (``arshif.db``, schema 8).
PACKED_TABLE = "article_facets"
#: Datasette's filter of a table search with no other filter (after the broad search's ``+`` is taken off).
_SEARCH_ONLY = re.compile(r"^\s*where rowid in \(select rowid from \[articles_fts\] where \[articles_fts\]"
                          r" match :arshif_search\)\s*$")
#: How a ``ColumnFacet`` asks for one column's counts (``datasette.facets``): the column and the limit.
_COLUMN_SQL = re.compile(r"^\s*select (?P<column>\S+) as value, count\(\*\) as count from \(\s*(?P<sql>.*)\s*\)"
                         r"\s*where (?P=column) is not null\s*group by (?P=column) order by count desc, value"
                         r" limit (?P<limit>\d+)\s*$", re.DOTALL)


def entity_ids(values: list[str]) -> list[int | None]:
    """The ``_entity`` values as ids; None for a value that is not one (it matches nothing)."""
    return [int(value) if value.strip().isdigit() else None for value in values]


@hookimpl
def prepare_connection(conn):
    # Facets and searches read many article rows: map the archive into memory rather than read it page by page.
    conn.execute("PRAGMA mmap_size = 4294967296")


@hookimpl
def register_facet_classes():
    return [EntityFacet, DatedFacet]


class DatedFacet(ColumnFacet):
    """A column facet whose values are dates or parts of dates (``{dated: month}`` in metadata): the newest
    first, in date order, rather than the most frequent first."""

    type = "dated"
    SPAN = 600  # values read before ordering by date (50 years of months)

    def get_facet_size(self):
        self._shown = super().get_facet_size()
        return self.SPAN

    async def facet_results(self):
        results, timed_out = await super().facet_results()
        shown = getattr(self, "_shown", 30)
        for result in results:
            ordered = sorted(result["results"], key=lambda item: str(item["value"]), reverse=True)
            result["truncated"] = result["truncated"] or len(ordered) > shown
            result["results"] = ordered[:shown]
        return results, timed_out


@hookimpl
def filters_from_request(request, database, table, datasette):
    column = ENTITY_TABLES.get(table)
    values = request.args.getlist("_entity")
    if column is None or not values:
        return None

    async def inner():
        ids = entity_ids(values)[:MAX_ENTITIES]
        db = datasette.get_database(database)
        valid = [ident for ident in ids if ident is not None]
        known = {}
        if valid:
            rows = await db.execute(f"select id, name from entities where id in ({', '.join('?' * len(valid))})",
                                    valid)
            known = {row["id"]: row["name"] for row in rows}
        wheres, params, descriptions = [], {}, []
        for index, ident in enumerate(ids):
            if ident is None or ident not in known:
                wheres.append("0")
                descriptions.append("mentions an unknown entity")
                continue
            params[f"arshif_entity_{index}"] = ident
            wheres.append(f"[{column}] in (select article_id from article_entities"
                          f" where entity_id = :arshif_entity_{index})")
            descriptions.append(f'mentions "{known[ident]}"')
        return FilterArguments(wheres, params=params, human_descriptions=descriptions)

    return inner


class EntityFacet(Facet):
    """A facet of the entities of one type mentioned in the matching articles (``_facet_entity=PER``)."""

    type = "entity"

    def _types(self) -> list[tuple[str, str]]:
        """(entity type, source) for each requested facet, in order, once each."""
        seen: dict[str, str] = {}
        for item in self.get_configs():
            config = item["config"]
            kind = str(config.get("type") or config.get("simple") or "").upper()
            if kind in TYPES and kind not in seen:
                seen[kind] = item["source"]
        return list(seen.items())

    async def suggest(self):
        if self.table not in ENTITY_TABLES or not await self._has_links():
            return []
        enabled = {kind for kind, _ in self._types()}
        present = await self.ds.execute(self.database, "select distinct type from entities")
        return [
            {"name": kind, "type": self.type,
             "toggle_url": self.ds.absolute_url(self.request, self.ds.urls.path(
                 path_with_added_args(self.request, {"_facet_entity": kind})))}
            for kind in TYPES if kind in {row[0] for row in present} and kind not in enabled
        ]

    async def _has_links(self) -> bool:
        db = self.ds.get_database(self.database)
        return await db.table_exists("article_entities") and await db.table_exists("entities")

    async def facet_results(self):
        types = self._types()
        if self.table not in ENTITY_TABLES or not types or not await self._has_links():
            return [], []
        size = self.get_facet_size()
        batch = await FacetBatch.of(self)
        by_type: dict[str, list] = {kind: [] for kind, _ in types}
        try:
            if batch is not None and {kind for kind, _ in types} <= set(batch.types):
                found = await batch.results()  # counted with the request's other facets
                for kind, _ in types:
                    by_type[kind] = found[("entity", kind)]
            else:
                rows = await self.ds.execute(
                    self.database, self._sql(types, size), self._params(types, size), truncate=False,
                    custom_time_limit=self.ds.setting("facet_time_limit_ms"),
                )
                for row in rows:
                    by_type[row["type"]].append(row)
        except QueryInterrupted:
            return [], [kind for kind, _ in types]
        selected = set(self.request.args.getlist("_entity"))
        results = []
        for kind, source in types:
            values = []
            for row in by_type[kind][:size]:
                ident = str(row["id"])
                is_selected = ident in selected
                toggle = (path_with_removed_args(self.request, {"_entity": ident}) if is_selected
                          else path_with_added_args(self.request, {"_entity": ident}))
                values.append({
                    "value": row["id"], "label": row["name"], "count": row["n"], "selected": is_selected,
                    "toggle_url": self.ds.absolute_url(self.request, self.ds.urls.path(toggle)),
                    "entity_url": self.ds.urls.database(self.database) + f"/-/entity/{ident}",
                })
            results.append({
                "name": kind, "type": self.type, "label": TYPE_LABELS[kind],
                "hideable": source != "metadata",
                "toggle_url": self.ds.urls.path(path_with_removed_args(self.request, {"_facet_entity": kind})),
                "results": values,
                "truncated": len(by_type[kind]) > size,
            })
        return results, []

    def _filtered(self) -> bool:
        return bool(_WHERE.search(self.sql))

    def _params(self, types: list[tuple[str, str]], size: int) -> dict:
        params = dict(self.params) if isinstance(self.params, dict) else {}
        params.update({f"arshif_type_{i}": kind for i, (kind, _) in enumerate(types)})
        params["arshif_limit"] = size + 1
        return params

    def _sql(self, types: list[tuple[str, str]], size: int) -> str:
        marks = ", ".join(f":arshif_type_{i}" for i in range(len(types)))
        if not self._filtered():
            # Every article matches: the stored counts are the facet, read in index order.
            return " union all ".join(
                f"select * from (select type, id, name, article_count as n from entities"
                f" where type = :arshif_type_{i} and article_count > 0"
                f" order by article_count desc, id limit :arshif_limit)"
                for i in range(len(types))
            )
        column = ENTITY_TABLES[self.table]
        return f"""
            with counted as materialized (
                select entity_id, count(*) as n from article_entities
                where article_id in (select [{column}] from ({self.sql}))
                group by entity_id
            ),
            ranked as (
                select e.type, e.id, e.name, counted.n,
                       row_number() over (partition by e.type order by counted.n desc, e.id) as rank
                from counted join entities e on e.id = counted.entity_id
                where e.type in ({marks})
            )
            select type, id, name, n from ranked where rank <= :arshif_limit order by type, rank
        """


class FacetBatch:
    """Every facet of one request on ``articles``, counted by one statement.

    Column facets (``column`` and ``dated``) and entity facets of the request are read off its table
    configuration and query string (``load_facet_configs``), so that the first facet to run counts them all; the
    others wait for it. ``ColumnFacet`` then formats its values as it always does: only its query is answered from
    the batch (``_BatchedDatasette``)."""

    def __init__(self, facet: Facet, columns: dict[str, int], types: list[str], entity_limit: int, covering: bool,
                 packed: bool = False):
        self.ds, self.database, self.table = facet.ds, facet.database, facet.table
        self.sql, self.params = facet.sql, dict(facet.params) if isinstance(facet.params, dict) else {}
        self.row_count = facet.row_count
        self.columns, self.types, self.entity_limit, self.covering = columns, types, entity_limit, covering
        #: the archive has ``article_facets`` (schema 8): columns read from its short rows, entity ids unpacked
        #: and counted here rather than grouped in SQL
        self.packed = packed
        self.task: asyncio.Future | None = None

    @classmethod
    async def of(cls, facet: Facet) -> "FacetBatch | None":
        """The batch of ``facet``'s request (made by the first facet that asks), or None when it does not apply."""
        if facet.table not in ENTITY_TABLES or facet.request is None or not isinstance(facet.params, (dict, list)):
            return None
        params = facet.params if isinstance(facet.params, dict) else dict(enumerate(facet.params or []))
        key = (facet.database, facet.table, facet.sql, repr(sorted(params.items(), key=repr)))
        batches = facet.request.scope.setdefault("arshif_facet_batches", {})
        if key not in batches:  # the first facet of the request makes it; the others await the same
            batches[key] = asyncio.ensure_future(cls._make(facet))
        return await asyncio.shield(batches[key])

    @classmethod
    async def _make(cls, facet: Facet) -> "FacetBatch | None":
        db = facet.ds.get_database(facet.database)
        known = set(await db.table_columns(facet.table))
        configs = load_facet_configs(facet.request, facet.metadata)
        column_size = ColumnFacet.get_facet_size(facet) + 1
        columns: dict[str, int] = {}
        for kind, limit in (("column", column_size), ("dated", DatedFacet.SPAN + 1)):
            for item in configs.get(kind) or []:
                config = item["config"]
                column = config.get("column") or config.get("simple") if isinstance(config, dict) else None
                if isinstance(column, str) and column in known:
                    columns[column] = max(columns.get(column, 0), limit)
        types = []
        for item in configs.get("entity") or []:
            config = item["config"]
            kind = str(config.get("type") or config.get("simple") or "").upper() if isinstance(config, dict) else ""
            if kind in TYPES and kind not in types:
                types.append(kind)
        if types and not (await db.table_exists("article_entities") and await db.table_exists("entities")):
            types = []
        if not columns and not types:
            return None
        if getattr(db, "_arshif_covering", None) is None:
            found = await db.execute("select 1 from sqlite_master where type = 'index' and name = ?", [COVERING_INDEX])
            db._arshif_covering = bool(found.rows)
        covering = False
        if db._arshif_covering and facet.row_count:
            if getattr(db, "_arshif_articles", None) is None:  # once per database (an immutable file)
                db._arshif_articles = (await db.execute(f"select count(*) from {escape_sqlite(facet.table)}")).first()[0]
            covering = facet.row_count >= COVERING_FROM * db._arshif_articles
        packed = await db.table_exists(PACKED_TABLE)
        return cls(facet, columns, types, ColumnFacet.get_facet_size(facet) + 1, covering, packed)

    def statement(self) -> tuple[str, dict]:
        """One statement: ``kind`` ('column', 'entity' or 'ids'), ``facet`` (the column or the entity type),
        ``value``, ``n``, ``label`` (an entity's name), ``position`` (an entity's rank in its type) and ``ids`` (an
        article's packed entity ids, for ``packed`` batches: the matching articles', or with ``covering`` the
        others')."""
        column = ENTITY_TABLES[self.table]
        table = escape_sqlite(self.table)
        params = dict(self.params)
        filtered = bool(_WHERE.search(self.sql))
        ctes, parts = [], []
        short = self.packed and set(self.columns) <= set(FACET_COLUMNS)  # every column is in the short rows
        names = ([escape_sqlite(name) for name in self.columns] if short else
                 [escape_sqlite(name) for name in self.columns if name != column] + [f"[{column}] as arshif_id"])
        covered = self.covering and set(self.columns) | {column} <= COVERED  # a large share of the table
        if filtered:
            # the matching rows' rowids (Datasette's statement of the filtered table, its columns replaced: the
            # rows themselves are read once, below, from the index or the table)
            head, found, where = self.sql.partition(f" from {table} ")
            if found and head.lower().startswith("select "):
                # a broad search's "+rowid in" serves Datasette's sorted page; the hits are looked up by rowid
                where = where.replace("+rowid in (select rowid from [articles_fts]", "rowid in (select rowid from [articles_fts]")
                if _SEARCH_ONLY.match(where):
                    # the search is the only filter: the hits are the index's rowids (every article has its
                    # entry), not looked up one by one in the table of long rows
                    ctes.append("arshif_hits as materialized (select rowid from [articles_fts]"
                                " where [articles_fts] match :arshif_search)")
                else:
                    ctes.append(f"arshif_hits as materialized (select rowid from {table} {where})")
            else:
                ctes.append(f"arshif_hits as materialized (select rowid from {table}"
                            f" where [{column}] in (select [{column}] from ({self.sql})))")
            if short:
                source = (f"select {', '.join(names)} from {PACKED_TABLE}"
                          f" where article_rowid in (select rowid from arshif_hits)")
            elif covered:
                # one pass over the index, each entry's rowid looked up among the hits
                source = (f"select {', '.join(names)} from {table} indexed by {COVERING_INDEX}"
                          f" where +rowid in (select rowid from arshif_hits)")
            else:
                source = f"select {', '.join(names)} from {table} where rowid in (select rowid from arshif_hits)"
            if self.columns or not self.packed:  # the SQL count of entity links reads the ids from it
                ctes.append(f"arshif_rows as materialized ({source})")
        elif self.columns:
            if short:
                ctes.append(f"arshif_rows as materialized (select {', '.join(names)} from {PACKED_TABLE})")
            else:
                index = f" indexed by {COVERING_INDEX}" if covered else ""
                ctes.append(f"arshif_rows as materialized (select {', '.join(names)} from {table}{index})")
        for index_, (name, limit) in enumerate(self.columns.items()):
            params[f"arshif_column_{index_}"] = name
            quoted = "arshif_id" if name == column and not short else escape_sqlite(name)
            parts.append(
                f"select * from (select 'column' as kind, :arshif_column_{index_} as facet, {quoted} as value,"
                f" count(*) as n, null as label, null as position, null as ids from arshif_rows"
                f" where {quoted} is not null group by {quoted} order by n desc, value limit {int(limit)})")
        if self.types:
            marks = ", ".join(f":arshif_type_{i}" for i in range(len(self.types)))
            params.update({f"arshif_type_{i}": kind for i, kind in enumerate(self.types)})
            params["arshif_limit"] = self.entity_limit
            if filtered and self.packed:
                # the ids of the matching articles' entities (with covering, of the others': fewer to read)
                test = "not in" if self.covering else "in"
                # in one row: group_concat copies a blob's bytes as they are (100,000 short rows read into Python
                # one by one cost more than counting their ids)
                parts.append(f"select 'ids' as kind, null as facet, null as value, null as n, null as label,"
                             f" null as position, cast(group_concat(entity_ids, '') as blob) as ids"
                             f" from {PACKED_TABLE} where article_rowid {test} (select rowid from arshif_hits)")
            elif filtered and self.covering:
                # most articles match: each entity's stored article count less its articles that do not match
                # (exact, and a few rows where the matching ones are many)
                ctes.append(f"arshif_rest as materialized (select [{column}] as id from {table}"
                            f"{' indexed by ' + COVERING_INDEX if column in COVERED else ''}"
                            f" where +rowid not in (select rowid from arshif_hits))")
                ctes.append("arshif_missing as materialized (select entity_id, count(*) as n from article_entities"
                            " where article_id in (select id from arshif_rest) group by entity_id)")
                ctes.append(f"arshif_counted as materialized (select * from (select e.id as entity_id,"
                            f" e.article_count - coalesce(m.n, 0) as n from entities e"
                            f" left join arshif_missing m on m.entity_id = e.id"
                            f" where e.type in ({marks}) and e.article_count > 0) where n > 0)")
            if filtered and not self.packed:
                if not self.covering:
                    ctes.append("arshif_counted as materialized (select entity_id, count(*) as n from article_entities"
                                " where article_id in (select arshif_id from arshif_rows) group by entity_id)")
                ctes.append(f"arshif_ranked as (select e.type, e.id, e.name, c.n, row_number() over"
                            f" (partition by e.type order by c.n desc, e.id) as position from arshif_counted c"
                            f" join entities e on e.id = c.entity_id where e.type in ({marks}))")
                parts.append("select 'entity' as kind, type as facet, id as value, n, name as label, position,"
                             " null as ids from arshif_ranked"
                             " where position <= :arshif_limit")
            elif not filtered:  # every article matches: the stored counts, in index order
                for i in range(len(self.types)):
                    parts.append(f"select * from (select 'entity' as kind, type as facet, id as value,"
                                 f" article_count as n, name as label,"
                                 f" row_number() over (order by article_count desc, id) as position, null as ids"
                                 f" from entities"
                                 f" where type = :arshif_type_{i} and article_count > 0"
                                 f" order by article_count desc, id limit :arshif_limit)")
        sql = ("with " + ",\n".join(ctes) + "\n" if ctes else "") + "\nunion all\n".join(parts)
        return sql, params

    async def results(self) -> dict:
        """{("column", name): [{"value", "count"}], ("entity", type): [{"id", "name", "n", "type"}]}; raises
        ``QueryInterrupted`` when the statement ran out of time."""
        if self.task is None:
            self.task = asyncio.ensure_future(self._run())
        return await asyncio.shield(self.task)

    async def _run(self) -> dict:
        sql, params = self.statement()
        facets = len(self.columns) + (1 if self.types else 0)
        limit = min(self.ds.setting("facet_time_limit_ms") * facets, self.ds.setting("sql_time_limit_ms"))
        rows = await self.ds.execute(self.database, sql, params, truncate=False, custom_time_limit=limit)
        found: dict = {("column", name): [] for name in self.columns}
        found.update({("entity", kind): [] for kind in self.types})
        packed: list[bytes] = []
        for row in rows:
            if row["kind"] == "column":
                found[("column", row["facet"])].append({"value": row["value"], "count": row["n"]})
            elif row["kind"] == "ids":
                packed.append(row["ids"] or b"")  # NULL when no article is read
            else:
                found[("entity", row["facet"])].append(
                    {"type": row["facet"], "id": row["value"], "name": row["label"], "n": row["n"],
                     "position": row["position"]})
        if self.types and self.packed and _WHERE.search(self.sql):
            known = await _known_entities(self.ds.get_database(self.database))
            found.update(known.top(packed, self.types, self.entity_limit, complement=self.covering))
        for key, values in found.items():
            if key[0] == "entity":
                values.sort(key=lambda value: value["position"])
        return found


class _KnownEntities:
    """The entities of an archive as arrays (id ascending, type, name, stored article count), to count the
    packed entity ids of matching articles (``article_facets``) with NumPy."""

    def __init__(self, rows) -> None:
        import numpy as np

        self.ids = np.array([row[0] for row in rows], dtype=np.int64)
        self.types = np.array([row[1] for row in rows], dtype=object)
        self.names = [row[2] for row in rows]
        self.article_counts = np.array([row[3] for row in rows], dtype=np.int64)

    def top(self, packed: list[bytes], types: list[str], limit: int, complement: bool = False) -> dict:
        """{("entity", type): the ``limit`` entities of that type in the most articles}: the articles are those
        whose ``entity_ids`` are ``packed``, or, with ``complement``, all but those (stored counts less theirs).
        Ties go to the smaller id, as in SQL."""
        import numpy as np

        ids = np.frombuffer(b"".join(packed), dtype="<i8")
        found_ids, counts = np.unique(ids, return_counts=True)
        if not len(self.ids):
            return {("entity", kind): [] for kind in types}
        positions = np.minimum(np.searchsorted(self.ids, found_ids), len(self.ids) - 1)
        known = self.ids[positions] == found_ids  # an id of no entity (none, in a consistent archive) is left out
        positions, counts = positions[known], counts[known]
        if complement:
            n = self.article_counts.copy()
            np.subtract.at(n, positions, counts)
            positions = np.nonzero(n > 0)[0]
            counts = n[positions]
        result = {}
        for kind in types:
            mine = self.types[positions] == kind
            chosen, chosen_counts = positions[mine], counts[mine]
            order = np.lexsort((self.ids[chosen], -chosen_counts))[:limit]
            result[("entity", kind)] = [
                {"type": kind, "id": int(self.ids[chosen[i]]), "name": self.names[chosen[i]],
                 "n": int(chosen_counts[i]), "position": rank + 1}
                for rank, i in enumerate(order)]
        return result


async def _known_entities(db) -> _KnownEntities:
    """The archive's entities as arrays, read once per database object when the file is immutable."""
    found = getattr(db, "_arshif_known_entities", None)
    if found is None:
        rows = await db.execute("select id, type, name, article_count from entities order by id")
        found = _KnownEntities(list(rows))
        if not db.is_mutable and not db.is_memory:
            db._arshif_known_entities = found
    return found


class _BatchedDatasette:
    """The Datasette a column facet sees while its request is batched: its query is answered from the batch."""

    def __init__(self, datasette, batch: FacetBatch):
        self._datasette, self._batch = datasette, batch

    def __getattr__(self, name):
        return getattr(self._datasette, name)

    async def execute(self, database, sql, params=None, **kwargs):
        found = _COLUMN_SQL.match(sql) if database == self._batch.database else None
        if found and found["sql"].strip() == self._batch.sql.strip():
            name = found["column"]
            name = name[1:-1] if name.startswith("[") and name.endswith("]") else name
            if name in self._batch.columns:
                try:
                    values = (await self._batch.results())[("column", name)]
                    return Results(values[:int(found["limit"])], False, [("value",), ("count",)])
                except QueryInterrupted:
                    pass  # the batch ran out of time: this column alone, under its own limit (the entities are cut)
        return await self._datasette.execute(database, sql, params, **kwargs)


def _batched(method):
    """A ``ColumnFacet.facet_results`` whose query comes from the request's ``FacetBatch`` when there is one."""
    async def facet_results(self):
        batch = await FacetBatch.of(self)
        if batch is None:
            return await method(self)
        original = self.ds
        self.ds = _BatchedDatasette(original, batch)
        try:
            return await method(self)
        finally:
            self.ds = original

    return facet_results


if not getattr(ColumnFacet, "_arshif_batched", False):  # once per process, however often plugins are loaded
    ColumnFacet.facet_results = _batched(ColumnFacet.facet_results)
    ColumnFacet._arshif_batched = True
