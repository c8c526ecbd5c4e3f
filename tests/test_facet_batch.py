"""Every facet of a request on ``articles`` is counted by one statement (``plugins/arshif_facets.FacetBatch``):
the search's match is computed once for all of them, and the counts are those of the matching rows."""

from __future__ import annotations

from collections import Counter
from urllib.parse import quote, unquote

import pytest
from datasette.database import Database

from web_archive import archive, ds  # noqa: F401  (fixtures)

TUNIS = "تونس"
FACETS = "&_nosuggest=1&_facet=source_id&_facet=category&_facet=month&_facet_entity=PER&_facet_entity=LOC&_facet_entity=ORG"


def recorded(ds, monkeypatch, url: str):
    """The JSON of ``url`` and every SQL statement the request ran on the archive."""
    original = Database.execute
    statements: list[str] = []

    async def execute(self, sql, *args, **kwargs):
        if self.name == "archive":
            statements.append(sql)
        return await original(self, sql, *args, **kwargs)

    monkeypatch.setattr(Database, "execute", execute)
    try:
        data = ds.get(url).json()
    finally:
        monkeypatch.setattr(Database, "execute", original)
    return data, statements


def counts(facet: dict) -> dict:
    return {item["value"]: item["count"] for item in facet["results"]}


def test_one_statement_counts_every_facet_of_a_search(ds, monkeypatch):
    data, statements = recorded(ds, monkeypatch, f"/archive/articles.json?_search={quote(TUNIS)}{FACETS}&_size=max&_shape=objects")
    matching = [sql for sql in statements if "match :arshif_search" in sql]
    facet_statements = [sql for sql in matching if "arshif_rows" in sql]
    assert len(facet_statements) == 1  # all facets: one statement, one match
    assert not [sql for sql in statements if " as value, count(*) as count from (" in sql]  # no per-facet query
    assert len(matching) == 3  # the page, Datasette's count and the facets
    rows = data["rows"]
    assert rows and data["filtered_table_rows_count"] == len(rows)
    for column in ("source_id", "category", "month", "year"):
        expected = Counter(row[column] for row in rows if row[column] is not None)
        assert counts(data["facet_results"][column]) == dict(expected), column
    assert not data.get("facets_timed_out")


@pytest.mark.parametrize("word, most", [(TUNIS, True), ("ليبيا", False)])
def test_entity_facets_of_the_batch_count_the_matching_articles(ds, archive, monkeypatch, word, most):
    """Counted over the matching articles, or (when most articles match) as the stored counts less the
    articles that do not match: the same exact counts."""
    import sqlite3

    data, statements = recorded(ds, monkeypatch, f"/archive/articles.json?_search={quote(word)}{FACETS}&_size=max"
                                                 "&_shape=objects")
    batch = [sql for sql in statements if "arshif_rows" in sql]
    assert len(batch) == 1 and "from article_facets" in batch[0]  # the short rows, not the articles
    assert ("article_rowid not in" in batch[0]) == most  # most match: the others' entity ids are read
    total = len(archive["articles"])
    assert (2 * data["filtered_table_rows_count"] >= total) == most
    ids = [row["id"] for row in data["rows"]]
    conn = sqlite3.connect(archive["path"])
    marks = ", ".join("?" * len(ids))
    expected = {}
    for kind, ident, n in conn.execute(
            f"select e.type, e.id, count(*) from article_entities ae join entities e on e.id = ae.entity_id"
            f" where ae.article_id in ({marks}) group by e.id", ids):
        expected.setdefault(kind, {})[ident] = n
    conn.close()
    for kind in ("PER", "LOC", "ORG"):
        assert counts(data["facet_results"][kind]) == expected.get(kind, {}), kind
    assert expected.get("LOC") and data["facet_results"]["LOC"]["results"]


def test_unfiltered_table_facets_are_the_table_counts(ds, archive):
    import sqlite3

    data = ds.get("/archive/articles.json?_facet=source_id&_facet=category").json()
    conn = sqlite3.connect(archive["path"])
    for column in ("source_id", "category", "year"):
        expected = dict(conn.execute(f"select {column}, count(*) from articles where {column} is not null"
                                     f" group by {column}").fetchall())
        assert counts(data["facet_results"][column]) == expected
    conn.close()


def test_a_filter_besides_the_search_narrows_every_facet(ds):
    data = ds.get(f"/archive/articles.json?_search={quote(TUNIS)}&category=politics{FACETS}&_size=max&_shape=objects").json()
    assert data["rows"] and all(row["category"] == "politics" for row in data["rows"])
    assert counts(data["facet_results"]["category"]) == {"politics": len(data["rows"])}
    assert sum(counts(data["facet_results"]["source_id"]).values()) == len(data["rows"])


def facets_module():
    from datasette.plugins import pm

    return next(plugin for plugin in pm.get_plugins() if hasattr(plugin, "FacetBatch"))


@pytest.mark.parametrize("query", [f"_search={quote(TUNIS)}", "_search=" + quote("ليبيا"),
                                   f"_search={quote(TUNIS)}&category=politics", "category=culture", "",
                                   "_search=" + quote("زززززز")])  # nothing matches: no ids at all
def test_the_short_rows_give_the_counts_of_the_articles_and_their_links(ds, monkeypatch, query):
    """``article_facets`` (schema 8) and the link table counted in SQL (an archive without it) agree."""
    url = f"/archive/articles.json?{query}{FACETS}&_size=max&_shape=objects"
    data, statements = recorded(ds, monkeypatch, url)
    assert any("from article_facets" in sql for sql in statements)  # the columns too, filtered or not
    monkeypatch.setattr(facets_module(), "PACKED_TABLE", "no_such_table")
    plain, statements = recorded(ds, monkeypatch, url)
    assert not any("article_facets" in sql for sql in statements)
    assert data["facet_results"] == plain["facet_results"] and data["facet_results"]
    assert all(not facet["results"] for facet in data["facet_results"].values()) == ("زززززز" in unquote(query))


def test_a_plain_table_search_is_counted_in_the_index(ds, monkeypatch):
    """Datasette's count of a table search whose only filter is the search reads the full-text index alone
    (``counted_in_the_index``); with another filter it stays Datasette's statement. The counts are the rows'."""
    from datasette.plugins import pm

    search = next(plugin for plugin in pm.get_plugins() if hasattr(plugin, "counted_in_the_index"))
    for query, alone in ((f"_search={quote(TUNIS)}", True), (f"_search={quote(TUNIS)}&category=politics", False)):
        data, statements = recorded(ds, monkeypatch, f"/archive/articles.json?{query}&_size=max")
        counted = [sql for sql in statements if sql.lstrip().startswith("select count(*)")]
        assert len(counted) == 1 and data["filtered_table_rows_count"] == len(data["rows"]) > 0
        rewritten = search.counted_in_the_index(counted[0])
        assert (rewritten == "select count(*) from [articles_fts] where [articles_fts] match :arshif_search") == alone
        assert (rewritten == counted[0]) != alone
