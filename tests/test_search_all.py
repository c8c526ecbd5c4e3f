"""The ecosystem sees the archive's search: the FTS table is declared, so datasette-search-all lists the
articles, and the table search it calls finds the same articles for أمريكا and امريكا (through arshif's
analyzer, never Datasette's raw match)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from conftest import datasette_for
from web_archive import Client

pytest.importorskip("datasette_search_all", reason="datasette-search-all is not installed (pip install -e '.[test]')")


@pytest.fixture(scope="module")
def site(variants_archive):
    client = Client(datasette_for(variants_archive))
    yield client
    client.loop.close()


def test_search_all_lists_the_articles_as_searchable(site):
    page = site.get("/-/search?q=" + quote("أمريكا"))
    assert page.status_code == 200
    assert '"table": "articles"' in page.text and '"database": "archive"' in page.text


@pytest.mark.parametrize("query", ["أمريكا", "امريكا"])
def test_the_table_search_it_calls_goes_through_the_analyzer(site, query):
    # the request datasette-search-all's page makes for each searchable table
    url = ("/archive/articles.json?_shape=objects&_labels=on&_extra=count&_extra=database&_extra=table&_size=5"
           f"&_search={quote(query)}")
    data = site.get(url).json()
    assert data["filtered_table_rows_count"] == 1 and data["rows"][0]["title"] == "زيارة إلى أمريكا"


def test_datasette_sees_the_declared_fts_table(site):
    import asyncio

    db = site.datasette.get_database("archive")
    assert site.loop.run_until_complete(db.fts_table("articles")) == "articles_fts"
    assert site.get("/archive/articles.json?_search=" + quote("سوريا") + "&_shape=array").json()


def test_graphql_offers_a_search_that_goes_through_the_analyzer(variants_archive, tmp_path):
    import shutil

    pytest.importorskip("datasette_graphql", reason="datasette-graphql is not installed")
    # a name of its own: datasette-graphql keeps each database's schema by name, across Datasette instances
    path = tmp_path / "graphqlnews.db"
    shutil.copy(variants_archive, path)
    client = Client(datasette_for(path))
    try:
        for query in ("أمريكا", "امريكا"):
            body = {"query": '{ articles(search: "%s") { totalCount nodes { title } } }' % query}
            data = client.loop.run_until_complete(
                client.datasette.client.post("/graphql/graphqlnews", json=body)).json()
            assert data["data"]["articles"]["totalCount"] == 1, data
            assert data["data"]["articles"]["nodes"][0]["title"] == "زيارة إلى أمريكا"
    finally:
        client.loop.close()
