"""Deep pages and exports: the articles sort on ``sort_key`` (never NULL, unique), so that following ``next``
reaches every article exactly once, on the key's index, and a CSV stream of a search holds every match."""

from __future__ import annotations

import csv
import io
import sqlite3

import pytest

from arshif.build import build
from conftest import datasette_for
from web_archive import Client

WORD = "المدينة"


@pytest.fixture(scope="module")
def ties(tmp_path_factory):
    """Articles that share dates (ties) and articles without a date (NULL dates), in one archive."""
    folder = tmp_path_factory.mktemp("ties")
    rows = []
    for index in range(17):
        date = "" if index % 5 == 4 else f"2016-0{1 + index % 3}-1{index % 2}"
        rows.append({"title": f"خبر رقم {index}", "content": f"افتتح في {WORD} مشروع جديد رقم {index}.",
                     "source": "وكالة", "url": f"https://example.org/{index}", "date": date, "category": "local"})
    source = folder / "articles.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    path = folder / "archive.db"
    build([source], path, ner="none")
    instance = datasette_for(path)
    instance._settings.update({"max_returned_rows": 4})
    client = Client(instance)
    yield {"path": path, "client": client}
    client.loop.close()


def walk(client, url: str) -> tuple[list[str], list[dict]]:
    ids, pages = [], []
    while url:
        page = client.get(url).json()
        assert "rows" in page, page
        pages.append(page)
        ids.extend(row["id"] for row in page["rows"])
        url = page["next_url"] and "/" + page["next_url"].split("/", 3)[3]  # the path of an absolute URL
    return ids, pages


def test_the_sort_key_is_never_null_and_unique(ties):
    conn = sqlite3.connect(ties["path"])
    info = {row[1]: row for row in conn.execute("pragma table_xinfo(articles)")}
    assert info["sort_key"][3] == 1  # NOT NULL
    nulls, distinct, total = conn.execute(
        "select sum(sort_key is null), count(distinct sort_key), count(*) from articles").fetchone()
    assert nulls == 0 and distinct == total == 17
    assert conn.execute("select count(*) from articles where date is null").fetchone()[0] >= 3


@pytest.mark.parametrize("query", ["", f"&_search={WORD}"])
def test_following_next_reaches_every_article_once_in_order(ties, query):
    ids, pages = walk(ties["client"], f"/archive/articles.json?_size=3&_shape=objects&_col=sort_key{query}")
    conn = sqlite3.connect(ties["path"])
    expected = [row[0] for row in conn.execute("select id from articles order by sort_key desc")]
    assert ids == expected and len(pages) == 6
    dated = [row[0] for row in conn.execute("select date from articles order by sort_key desc")]
    assert dated[-3:] == [None, None, None]  # undated articles come last


def test_a_deep_page_stays_on_the_sort_keys_index(ties):
    _, pages = walk(ties["client"], "/archive/articles.json?_size=3&_shape=objects")
    sql, params = pages[3]["query"]["sql"], pages[3]["query"]["params"]
    assert "sort_key" in sql
    conn = sqlite3.connect(ties["path"])
    plan = " / ".join(row[3] for row in conn.execute("explain query plan " + sql, params))
    # read in the index's order, stopping at the page's end: no sort of all the articles (the "right part" that
    # SQLite orders by id holds one row per key, the key being unique)
    assert "USING INDEX idx_articles_sort_key" in plan and "TEMP B-TREE FOR ORDER BY" not in plan, plan


def test_a_csv_stream_of_a_search_holds_every_match(ties):
    response = ties["client"].get(f"/archive/articles.csv?_search={WORD}&_stream=on&_size=max")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert len(rows) == 17 and len({row["id"] for row in rows}) == 17


def test_html_and_csv_pages_with_a_next_page(ties):
    """The compact default columns of the HTML and CSV pages include the sort column Datasette needs for ``next``."""
    client = ties["client"]
    page = client.get("/archive/articles?_size=3")
    assert page.status_code == 200 and "_next=" in page.text
    searched = client.get(f"/archive/articles?_size=3&_search={WORD}")
    assert searched.status_code == 200 and "_next=" in searched.text
    exported = client.get("/archive/articles.csv?_size=3")
    assert exported.status_code == 200 and len(list(csv.reader(io.StringIO(exported.text.lstrip("\ufeff"))))) == 4
