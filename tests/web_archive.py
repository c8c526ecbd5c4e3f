"""A small archive for the web tests (pages, facets, canned queries, safety, browser), built once per session
with the real build from fixture articles, plus a few rows inserted directly for entity types and edge cases the
gazetteer does not produce. Import the fixtures into a test module: ``from web_archive import archive, ds``."""

from __future__ import annotations

import asyncio
import csv
import sqlite3
from pathlib import Path

import pytest
from datasette.app import Datasette

from conftest import datasette_for  # noqa: F401  (re-exported for the web tests)

from arshif import db as archive_db
from arshif.build import build

ROOT = Path(__file__).resolve().parents[1]
EVIL = '<script>alert(1)</script>"><img src=x onerror=alert(2)></mark>'

ARTICLES = [
    {"title": "زيارة رسمية إلى تونس", "content": "وصل الوفد إلى تونس صباح اليوم.\nثم توجه الوفد إلى سوسة للقاء المسؤولين.",
     "source": "وكالة المثال", "url": "https://example.org/a1", "date": "2016-03-05", "category": "politics"},
    {"title": "مباحثات بين تونس وفرنسا", "content": "بحث وزير الخارجية في تونس مع نظيره في فرنسا العلاقات الثنائية.",
     "source": "وكالة المثال", "url": "https://example.org/a2", "date": "2016-03-20", "category": "politics"},
    {"title": "مهرجان في سوسة", "content": "افتتح المهرجان الدولي في سوسة بحضور جمهور من تونس وليبيا.",
     "source": "جريدة الاختبار", "url": "https://example.org/a3", "date": "2016-04-02", "category": "culture"},
    {"title": "الاقتصاد في ليبيا", "content": "تراجع الاقتصاد في ليبيا خلال الأشهر الماضية حسب تقرير صدر في فرنسا.",
     "source": "جريدة الاختبار", "url": "javascript:alert(3)", "date": "2017-01-15", "category": "economy"},
    {"title": "أخبار الجزائر", "content": "أعلنت الجزائر عن خطة جديدة للنقل.", "source": "جريدة الاختبار",
     "url": "https://example.org/a5", "date": "2017-02-01", "category": "economy"},
    {"title": "عنوان " + EVIL, "content": "نص فيه " + EVIL + " ثم ذكر تونس في آخره.", "source": "مصدر " + EVIL,
     "url": "https://example.org/evil", "date": "2017-02-10", "category": "culture"},
]
PERSON = {"name": "لطفي " + EVIL, "type": "PER", "key": "PER:evil"}
ORG = {"name": "منظمة الاختبار", "type": "ORG", "key": "ORG:test"}


def _add_entity(conn: sqlite3.Connection, entity: dict, article_ids: list[str]) -> int:
    """Insert an entity linked to articles (one mention each, at the start of the body)."""
    ident = archive_db.key_id(entity["key"])
    conn.execute(
        "insert into entities (id, name, type, article_count, mention_count, demonym_count, alias_count, key)"
        " values (?, ?, ?, ?, ?, 0, 1, ?)",
        (ident, entity["name"], entity["type"], len(article_ids), len(article_ids), entity["key"]))
    conn.execute("insert into entity_aliases (entity_id, alias, mention_count) values (?, ?, ?)",
                 (ident, entity["name"], len(article_ids)))
    for article_id in article_ids:
        conn.execute("insert into article_entities (article_id, entity_id, entity_type, mention_count)"
                     " values (?, ?, ?, 1)", (article_id, ident, entity["type"]))
        body = conn.execute("select body from articles where id = ?", (article_id,)).fetchone()[0]
        conn.execute(
            'insert or ignore into mentions (article_id, start, "end", surface, entity_id, type, kind, name, entity_key)'
            " values (?, 0, 3, ?, ?, ?, 'name', ?, ?)",
            (article_id, body[0:3], ident, entity["type"], entity["name"], entity["key"]))
    return ident


def make_archive(folder: Path) -> dict:
    """Build the archive into ``folder/archive.db``; returns its path and the ids tests need."""
    source = folder / "articles.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(ARTICLES[0]))
        writer.writeheader()
        writer.writerows(ARTICLES)
    path = folder / "archive.db"
    build([source], path, ner="gazetteer")
    conn = sqlite3.connect(path)
    ids = {title: ident for ident, title in conn.execute("select id, title from articles")}
    evil_article = next(ident for title, ident in ids.items() if "<script>" in title)
    entities = {name: ident for ident, name in conn.execute("select id, name from entities")}
    person = _add_entity(conn, PERSON, [evil_article, ids["مباحثات بين تونس وفرنسا"]])
    org = _add_entity(conn, ORG, [ids["مباحثات بين تونس وفرنسا"], ids["مهرجان في سوسة"]])
    import sqlite_utils

    db = sqlite_utils.Database(conn)
    archive_db.rebuild_entity_pages(db)  # as the build would store them for these two
    archive_db.rebuild_article_facets(db)
    conn.commit()
    conn.close()
    return {"path": path, "articles": ids, "entities": entities, "person": person, "org": org,
            "evil_article": evil_article}


class Client:
    """Synchronous requests through ``datasette.client`` (one event loop for the whole session)."""

    def __init__(self, datasette: Datasette) -> None:
        self.datasette = datasette
        self.loop = asyncio.new_event_loop()

    def get(self, url: str, **kwargs):
        return self.loop.run_until_complete(self.datasette.client.get(url, **kwargs))


@pytest.fixture(scope="session")
def archive(tmp_path_factory) -> dict:
    return make_archive(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="session")
def ds(archive) -> Client:
    client = Client(datasette_for(archive["path"]))
    yield client
    client.loop.close()
