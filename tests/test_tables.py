"""Readable tables and plain exports: the articles table shows a compact set of columns (the rest still
queryable), category codes get Arabic names, every page is lang="ar" dir="rtl", CSV downloads start with a
byte-order mark and carry plain snippets, and the entity and article pages have JSON twins."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from urllib.parse import quote

from web_archive import archive, ds  # noqa: F401  (fixtures)


def columns(html: str) -> list[str]:
    return re.findall(r'<th[^>]*class="col-([^" ]+)', html)


def test_articles_table_shows_a_compact_set_of_columns(ds):
    html = ds.get("/archive/articles").text
    assert columns(html) == ["id", "title", "date", "source_id", "category", "body", "sort_key"]
    assert "content_hash" not in columns(html) and "origin" not in columns(html)
    assert '<html lang="ar" dir="rtl">' in html
    assert columns(ds.get("/archive/articles?_col=origin&_col=content_hash").text) == ["id", "origin", "content_hash"]
    filtered = ds.get("/archive/articles.json?words__gt=0&encoding=utf-8&_col=words&_shape=array").json()
    assert len(filtered) == 6 and set(filtered[0]) == {"id", "words"}
    assert "origin" in ds.get("/archive/articles.json?_shape=array&_size=1").json()[0]  # the API keeps every column


def test_category_codes_get_arabic_names(ds):
    html = ds.get("/archive/articles").text
    assert "<bdi>سياسة</bdi>" in html and "<bdi>اقتصاد</bdi>" in html


def test_csv_has_a_byte_order_mark_and_plain_snippets(ds):
    response = ds.get("/archive/search.csv?q=" + quote("تونس") + "&_dl=1")
    assert response.status_code == 200 and response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    assert "<mark>" not in text and "&quot;" not in text and "&lt;" not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and all(row["snippet"][a:b] in ("تونس", "وتونس") for row in rows
                        for a, b in json.loads(row["highlights"]))
    table = ds.get("/archive/articles.csv?_size=2").content
    assert table.startswith(b"\xef\xbb\xbfid,title,date,source_id,category,body")


def test_entity_page_json_twin(ds, archive):
    tunis = archive["entities"]["تونس"]
    data = ds.get(f"/archive/-/entity/{tunis}.json").json()
    assert data["entity"]["name"] == "تونس" and data["entity"]["article_count"] == 4
    assert data["months"][0]["month"] == "2016-03" and data["aliases"]
    latest = data["latest"][0]
    text, spans = latest["snippet"]["text"], latest["snippet"]["highlights"]
    assert [text[a:b] for a, b in spans] == ["تونس"] and latest["url"].startswith("/archive/-/article/")
    assert ds.get("/archive/-/entity/1.json").status_code == 404


def test_article_page_json_twin(ds, archive):
    ident = archive["articles"]["زيارة رسمية إلى تونس"]
    data = ds.get(f"/archive/-/article/{ident}.json").json()
    body = sqlite3.connect(archive["path"]).execute("select body from articles where id = ?", (ident,)).fetchone()[0]
    assert data["article"]["body"] == body  # the original text, exactly
    assert [body[m["start"]:m["end"]] for m in data["mentions"]] == [m["surface"] for m in data["mentions"]]
    assert {e["name"] for e in data["entities"]} >= {"تونس", "سوسة"}
    assert ds.get("/archive/-/article/nope.json").status_code == 404


def test_error_pages_are_arabic(ds):
    response = ds.get("/archive/-/entity/1")
    assert response.status_code == 404
    assert '<html lang="ar" dir="rtl">' in response.text and "غير موجود" in response.text
    assert "غير موجود" in ds.get("/nothing-here").text


def test_year_and_month_facets_are_in_date_order(ds):
    data = ds.get("/archive/articles.json?_size=0&_extra=facet_results").json()["facet_results"]
    months = [item["value"] for item in data["month"]["results"]]
    assert months == sorted(months, reverse=True) and months == ["2017-02", "2017-01", "2016-04", "2016-03"]
    assert [item["value"] for item in data["year"]["results"]] == [2017, 2016]
    narrowed = ds.get("/archive/articles.json?month=2016-03&_shape=array").json()
    assert len(narrowed) == 2


def test_category_facet_shows_arabic_names(ds):
    html = ds.get("/archive/articles").text
    facet = html[html.index('data-column="category"'):]
    assert "<bdi>سياسة</bdi></a>" in facet[:3000] and "category=politics" in facet[:3000]
