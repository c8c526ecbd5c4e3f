"""The canned queries of metadata.yml, in HTML and JSON."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import yaml

from web_archive import archive, ds  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parents[1]
QUERIES = yaml.safe_load((ROOT / "arshif" / "data" / "archive.yml").read_text("utf-8"))["queries"]


def test_queries_have_titles_and_descriptions():
    for name in ("search", "entity_articles", "entities_together", "articles_by_month"):
        assert QUERIES[name]["title"] and QUERIES[name]["description"], name


def test_entity_articles_by_id_and_by_name(ds, archive):
    tunis = archive["entities"]["تونس"]
    by_id = ds.get(f"/archive/entity_articles.json?entity={tunis}&_shape=array").json()
    by_name = ds.get(f"/archive/entity_articles.json?entity={quote('تونس')}&_shape=array").json()
    assert by_id == by_name and len(by_id) == 4
    assert [row["published"] for row in by_id] == sorted((row["published"] for row in by_id), reverse=True)
    html = ds.get(f"/archive/entity_articles?entity={tunis}").text
    assert "زيارة رسمية إلى تونس" in html and 'href="/archive/-/article/' in html and f'href="/archive/-/entity/{tunis}"' in html


def test_entities_together(ds, archive):
    tunis = archive["entities"]["تونس"]
    rows = ds.get(f"/archive/entities_together.json?entity={tunis}&type=&_shape=array").json()
    together = {row["name"]: row["articles_together"] for row in rows}
    assert together["سوسة"] == 2 and together["فرنسا"] == 1 and together["منظمة الاختبار"] == 2
    assert "تونس" not in together
    places = ds.get(f"/archive/entities_together.json?entity={tunis}&type=loc&_shape=array").json()
    assert {row["type"] for row in places} == {"LOC"}
    html = ds.get(f"/archive/entities_together?entity={tunis}&type=").text
    assert f'href="/archive/-/entity/{archive["entities"]["سوسة"]}"' in html


def test_articles_by_month(ds):
    rows = ds.get("/archive/articles_by_month.json?_shape=array").json()
    assert rows[0]["month"] == "2017-02" and rows[0]["articles"] == 2
    assert sum(row["articles"] for row in rows) == 6
    html = ds.get("/archive/articles_by_month").text
    assert "المقالات حسب الشهر" in html and "2016-03" in html


def test_search_query_unchanged(ds):
    rows = ds.get(f"/archive/search.json?q={quote('سوسة')}&_shape=array").json()
    assert {row["title"] for row in rows} == {"زيارة رسمية إلى تونس", "مهرجان في سوسة"}
