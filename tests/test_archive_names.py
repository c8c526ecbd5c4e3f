"""Any archive name works: two archives named news.db and archive.db served together each get their metadata
(facets, sort, canned queries), search page and pages, through datasette.client, `arshif serve` and plain
`datasette` with the project's metadata and plugins."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from arshif.serving import background_server, free_port
from conftest import datasette_for
from web_archive import Client, archive  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[1]
TUNIS = "تونس"


@pytest.fixture(scope="module")
def pair(archive, tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("names")
    news = folder / "news.db"
    shutil.copy(archive["path"], news)
    other = folder / "archive.db"
    shutil.copy(archive["path"], other)
    return [news, other]


@pytest.fixture(scope="module")
def both(pair):
    client = Client(datasette_for(pair))
    yield client
    client.loop.close()


@pytest.mark.parametrize("name", ["news", "archive"])
def test_each_archive_gets_its_configuration(both, archive, name):
    data = both.get(f"/{name}/articles.json?_size=1&_shape=objects&_extra=facet_results").json()
    assert {"source_id", "category", "year", "month", "LOC"} <= set(data["facet_results"])
    assert data["rows"][0]["title"] == "عنوان " + "<script>alert(1)</script>\"><img src=x onerror=alert(2)></mark>"  # newest
    canned = both.get(f"/{name}/search.json?q={urllib.parse.quote(TUNIS)}&_shape=array")
    assert canned.status_code == 200 and len(canned.json()) == 4
    found = both.get(f"/{name}/-/search.json?q={urllib.parse.quote(TUNIS)}").json()
    assert found["database"] == name and found["total"] == 4
    assert all(r["url"].startswith(f"/{name}/-/article/") for r in found["results"])
    tunis = archive["entities"][TUNIS]
    page = both.get(f"/{name}/-/entity/{tunis}")
    assert page.status_code == 200 and f'href="/{name}/-/search?entity={tunis}"' in page.text
    article = both.get(found["results"][0]["url"])
    assert article.status_code == 200 and f'href="/{name}/-/entity/{tunis}"' in article.text
    description = both.get(f"/{name}/articles").text
    assert "arshif&#39;s Arabic analyzer" in description or "Arabic analyzer" in description


def test_front_page_searches_the_first_archive_and_lists_the_others(both):
    html = both.get("/").text
    assert 'action="/news/-/search"' in html
    assert 'href="/archive/-/search"' in html


def test_a_database_that_is_not_an_archive_gets_no_archive_pages(pair, tmp_path):
    import sqlite3

    plain = tmp_path / "plain.db"
    sqlite3.connect(plain).execute("create table articles (id text)").connection.commit()
    client = Client(datasette_for([plain, pair[0]]))
    try:
        assert client.get("/plain/-/search.json?q=x").status_code == 404
        assert client.get("/plain/-/entity/1").status_code == 404
        assert client.get("/news/-/search.json?q=x").status_code == 200
        assert 'action="/news/-/search"' in client.get("/").text
    finally:
        client.loop.close()


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        return json.loads(response.read())


def test_arshif_serve_any_name_and_several_at_once(pair):
    from arshif.cli import serve_command

    port = free_port()
    with background_server(None, command=serve_command([str(p) for p in pair], port), port=port) as base:
        for name in ("news", "archive"):
            found = get_json(f"{base}/{name}/-/search.json?q={urllib.parse.quote(TUNIS)}")
            assert found["total"] == 4
            assert get_json(f"{base}/{name}/search.json?q={urllib.parse.quote(TUNIS)}&_shape=array")


def test_plain_datasette_with_the_projects_metadata_and_plugins(pair, tmp_path):
    news = tmp_path / "news.db"
    shutil.copy(pair[0], news)
    port = free_port()
    command = [sys.executable, "-m", "datasette", "serve", "-i", str(news), "--metadata", str(ROOT / "metadata.yml"),
               "--plugins-dir", str(ROOT / "plugins"), "--template-dir", str(ROOT / "templates"),
               "-p", str(port)]
    with background_server(None, command=command, port=port) as base:
        found = get_json(f"{base}/news/-/search.json?q={urllib.parse.quote(TUNIS)}")
        assert found["total"] == 4
        facets = get_json(f"{base}/news/articles.json?_size=0&_extra=facet_results")["facet_results"]
        assert "LOC" in facets and "month" in facets


def test_serve_accepts_several_archives_and_datasette_options(tmp_path, capsys):
    from arshif.cli import parser

    args = parser().parse_args(["serve", "a.db", "b.db", "--port", "9"])
    assert args.db == ["a.db", "b.db"] and args.port == 9
    assert subprocess.run([sys.executable, "-m", "arshif.cli", "serve", str(tmp_path / "x.db")],
                          capture_output=True).returncode == 2
