"""Entity facets on ``articles``: the people, places, organizations (and other names) most mentioned among the
matching articles, and ``?_entity=ID`` (repeatable, all must match) to narrow the articles to them.

``?_facet_entity=PER`` (or ``{entity: PER}`` in metadata) asks for a facet of one entity type. All entity facets
of a request are answered by one query over the ``article_entities`` link table: the matching article ids
(whatever Datasette's filters and ``_search`` select) are looked up in its primary-key index, which covers
``entity_id``, and only the grouped counts are joined to ``entities``. Without any filter the counts are the
stored ``entities.article_count``, read from its ``(type, article_count)`` index.
"""

from __future__ import annotations

import re

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.facets import ColumnFacet, Facet
from datasette.filters import FilterArguments
from datasette.utils import path_with_added_args, path_with_removed_args

TYPES = ("PER", "LOC", "ORG", "MISC")
TYPE_LABELS = {"PER": "أشخاص · people", "LOC": "أماكن · places", "ORG": "منظمات · organizations",
               "MISC": "أسماء أخرى · other names"}
ENTITY_TABLES = {"articles": "id"}
MAX_ENTITIES = 10
_WHERE = re.compile(r"\bwhere\b", re.IGNORECASE)


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
        try:
            rows = await self.ds.execute(
                self.database, self._sql(types, size), self._params(types, size), truncate=False,
                custom_time_limit=self.ds.setting("facet_time_limit_ms"),
            )
        except QueryInterrupted:
            return [], [kind for kind, _ in types]
        by_type: dict[str, list] = {kind: [] for kind, _ in types}
        for row in rows:
            by_type[row["type"]].append(row)
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
