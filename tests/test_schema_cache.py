"""An immutable archive's schema is read once per worker (``plugins/arshif_schema_cache.py``), and a page's own
lookups take one trip to a SQL thread (``arshif.limits.statements``): under load, each trip waits behind other
readers' slow statements."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from datasette.app import Datasette
from datasette.database import Database

from web_archive import Client, archive  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))

from arshif_schema_cache import is_schema_sql  # noqa: E402


@pytest.mark.parametrize("sql, schema", [
    ("select name from sqlite_master where type='table'", True),
    ("select 1 from sqlite_master where type='table' and name=?", True),
    ("select * from sqlite_master m where m.type = 'index'", True),
    ("PRAGMA schema_version", True),
    ('PRAGMA table_info("articles")', True),
    ("select * from pragma_table_info('articles')", True),
    ("select * from articles", False),
    ("select count(*) from articles where id in (select name from sqlite_master)", False),
    ("select name from sqlite_master where name in (select title from articles)", False),
    ("select * from sqlite_master, articles", False),
    ("select * from sqlite_master m join articles a on a.id = m.name", False),
    ("select * from pragma_table_info('articles') p join articles", False),
    ("PRAGMA optimize", False),
    ("select 1 from sqlite_master; delete from articles", False),
])
def test_which_statements_only_read_the_schema(sql, schema):
    assert is_schema_sql(sql) is schema


def served(path: Path, immutable: bool) -> Client:
    from arshif.cli import SETTINGS

    files = [str(path)]
    return Client(Datasette(
        [] if immutable else files, immutables=files if immutable else [],
        metadata=yaml.safe_load((ROOT / "metadata.yml").read_text("utf-8")),
        plugins_dir=str(ROOT / "plugins"), template_dir=str(ROOT / "templates"), settings=SETTINGS))


def trips(client: Client, url: str, monkeypatch) -> Counter:
    """How many times one request of ``url`` went to a SQL thread, per database (after a first request)."""
    assert client.get(url).status_code == 200
    counted: Counter = Counter()
    original = Database.execute_fn

    async def execute_fn(self, fn):
        counted[self.name] += 1
        return await original(self, fn)

    monkeypatch.setattr(Database, "execute_fn", execute_fn)
    response = client.get(url)
    monkeypatch.setattr(Database, "execute_fn", original)
    assert response.status_code == 200
    return counted


def test_pages_of_an_immutable_archive_take_one_trip(archive, monkeypatch):  # noqa: F811
    monkeypatch.setenv("ARSHIF_LIMITS", '{"cache_bytes": 0}')  # every request reaches Datasette
    client = served(archive["path"], immutable=True)
    name = archive["path"].stem
    article = quote(client.get(f"/{name}/articles.json?_shape=array&_size=1").json()[0]["id"], safe="")
    entity = client.get(f"/{name}/entities.json?_shape=array&_size=1&_sort_desc=article_count").json()[0]["id"]
    assert trips(client, f"/{name}/-/article/{article}", monkeypatch) == {name: 1}
    assert trips(client, f"/{name}/-/entity/{entity}", monkeypatch) == {name: 1}
    assert trips(client, "/", monkeypatch) == {name: 1, "_internal": 1}  # Datasette's own schema check, once
    # a table search: Datasette's count and rows, the facets' one statement, the labels of the sources
    table = trips(client, f"/{name}/articles.json?_search=تونس&_facet=source_id&_facet_entity=LOC", monkeypatch)
    assert table[name] <= 5 and table["_internal"] <= 1


def test_a_mutable_archive_reads_its_schema_each_time(archive, monkeypatch):  # noqa: F811
    monkeypatch.setenv("ARSHIF_LIMITS", '{"cache_bytes": 0}')
    client = served(archive["path"], immutable=False)
    name = archive["path"].stem
    entity = client.get(f"/{name}/entities.json?_shape=array&_size=1&_sort_desc=article_count").json()[0]["id"]
    immutable = served(archive["path"], immutable=True)
    assert trips(client, f"/{name}/-/entity/{entity}", monkeypatch)[name] > trips(
        immutable, f"/{name}/-/entity/{entity}", monkeypatch)[name]
