"""The search page without words (the newest articles, narrowed or not) reads its page in the order of the index on
``published``; the same articles, in the same order, as the matched set it used to sort."""

from __future__ import annotations

import sqlite3

from arshif.searching import Request, page_sql
from web_archive import archive, ds  # noqa: F401  (fixtures)


def newest(path, where: str = "", params=()) -> list[str]:
    conn = sqlite3.connect(path)
    found = [row[0] for row in conn.execute(f"select id from articles a {where} order by published desc, rowid desc",
                                            params)]
    conn.close()
    return found


def test_pages_of_the_newest_articles(ds, archive):
    expected = newest(archive["path"])
    seen = []
    for page in (1, 2, 3):
        data = ds.get(f"/archive/-/search.json?size=2&page={page}").json()
        assert data["messages"] == [] and data["total"] == len(expected)
        seen += [result["id"] for result in data["results"]]
    assert seen == expected


def test_the_plan_and_a_narrowed_browse(ds, archive):
    conn = sqlite3.connect(archive["path"])
    source = conn.execute("select id from sources order by article_count desc limit 1").fetchone()[0]
    sql, params = page_sql(Request.from_args({}))
    plan = " ".join(row[3] for row in conn.execute("explain query plan " + sql, params))
    conn.close()
    assert "idx_articles_published" in plan and "TEMP B-TREE" not in plan  # no sort of every article
    data = ds.get(f"/archive/-/search.json?source={source}").json()
    assert [result["id"] for result in data["results"]] == newest(archive["path"], "where source_id = ?", (source,))
